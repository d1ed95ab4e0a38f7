#! %ATF_SH%
# The systemd units in etc/ keep their hardening: "systemd-analyze
# security" rates each at most MAX_EXPOSURE.

# The bar the units were brought under (0 is best, 10 worst).
MAX_EXPOSURE=3.5

atf_test_case exposure
exposure_head() {
	atf_set "descr" "systemd-analyze security rates every unit <= $MAX_EXPOSURE"
	atf_set "require.progs" "systemd-analyze"
}
exposure_body() {
	n=0
	for unit in %TOP_SRCDIR%/etc/*.service; do
		systemd-analyze security --offline=true "$unit" >out 2>err ||
			atf_fail "systemd-analyze security failed on $unit: $(cat err)"
		score=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p' out)
		[ -n "$score" ] || atf_fail "no exposure level for $unit: $(cat out err)"
		echo "$(basename "$unit"): $score"
		awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }' ||
			atf_fail "$(basename "$unit") is exposed $score, above $MAX_EXPOSURE"
		n=$((n + 1))
	done
	[ "$n" -eq 3 ] || atf_fail "$n units found, not ternd, tern-signal and tern-relay"
}

atf_init_test_cases() {
	atf_add_test_case exposure
}
