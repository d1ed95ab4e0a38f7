# Checks of files that the shell tests share; sourced after atf-sh has
# defined atf_fail.  Every wait is bounded: 10 s unless said.

# wait_for FILE TEXT [SECS]: until FILE holds the fixed string TEXT.
wait_for() {
	check_wait -F "$@"
}

# wait_re FILE ERE [SECS]: until a line of FILE matches ERE.
wait_re() {
	check_wait -E "$@"
}

# check_wait -F|-E FILE PATTERN [SECS]: what wait_for and wait_re share.
check_wait() {
	local how=$1 i
	shift
	for i in $(seq 1 $((${3:-10} * 10))); do
		grep -q "$how" -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	atf_fail "$1 never showed \"$2\":" \
	    "$(cat "$1" "$1.err" 2>/dev/null | tr '\n' ' ')"
}

# has FILE TEXT: FILE holds the fixed string TEXT, or the test fails.
has() {
	grep -qF -- "$2" "$1" ||
	    atf_fail "$1 lacks \"$2\": $(tr '\n' ' ' < "$1")"
}

# hasnt FILE TEXT: FILE does not hold TEXT, or the test fails.
hasnt() {
	grep -qF -- "$2" "$1" &&
	    atf_fail "$1 has \"$2\": $(tr '\n' ' ' < "$1")"
	return 0
}
