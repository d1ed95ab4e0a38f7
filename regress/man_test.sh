#! %ATF_SH%
# The manual pages parse cleanly: mandoc -Tlint shows no warning or error.

atf_test_case lint
lint_head() {
	atf_set "descr" "every manual page passes mandoc -Tlint -Wwarning"
	atf_set "require.progs" "mandoc"
}
lint_body() {
	n=0
	for page in %TOP_SRCDIR%/man/*.[1-9]; do
		atf_check -o empty -e empty mandoc -Tlint -Wwarning "$page"
		n=$((n + 1))
	done
	[ "$n" -ge 3 ] || atf_fail "only $n manual pages found"
}

atf_init_test_cases() {
	atf_add_test_case lint
}
