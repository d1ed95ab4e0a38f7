#! %ATF_SH%
# What ternd, tern-signal and tern-relay make of an odd config file with
# -n: a FIFO or device refused without blocking, control characters
# escaped in errors, an unclosed block reported where it was opened.

BUILD="%TOP_BUILDDIR%"
PROGS="ternd tern-signal tern-relay"
# A FIFO without a writer used to block open(2) for ever.
HANG_SEC=10

# Runs "PROG -n -f FILE" bounded in time, expecting exit 1 and stderr
# matching each further argument.
check_refused()
{
	prog=$1
	file=$2
	shift 2
	for re in "$@"; do
		set -- "$@" -e "match:${re}"
		shift
	done
	atf_check -s exit:1 -o empty "$@" \
	    timeout "${HANG_SEC}" "${BUILD}/${prog}" -n -f "${file}"
}

atf_test_case not_regular
not_regular_head()
{
	atf_set "descr" "A FIFO, directory or device as the config file is" \
	    "refused at once by each program"
}
not_regular_body()
{
	mkfifo fifo
	mkdir dir
	for p in ${PROGS}; do
		for f in fifo dir /dev/null /dev/zero; do
			printf '%s: %s: not a regular file\n%s: configuration failed\n' \
			    "${p}" "${f}" "${p}" > expected
			atf_check -s exit:1 -o empty -e file:expected \
			    timeout "${HANG_SEC}" "${BUILD}/${p}" -n -f "${f}"
		done
	done
}

atf_test_case include_fifo
include_fifo_head()
{
	atf_set "descr" "An include of a FIFO or device is refused at once," \
	    "at the include's line"
}
include_fifo_body()
{
	mkfifo fifo
	printf '# odd includes\ninclude "fifo"\ninclude "/dev/zero"\n' > inc.conf
	for p in ${PROGS}; do
		check_refused "${p}" inc.conf \
		    "^${p}: inc.conf:2: include \"fifo\": not a regular file$" \
		    "^${p}: inc.conf:3: include \"/dev/zero\": not a regular file$"
	done
}

atf_test_case control_chars
control_chars_head()
{
	atf_set "descr" "ESC, CR and DEL from a config reach an error line" \
	    "escaped, never raw"
}
control_chars_body()
{
	printf 'include "a\033[2J\rb\177"\nx\033[1A\r\177 y\n' > ctl.conf
	for p in ${PROGS}; do
		check_refused "${p}" ctl.conf \
		    "^${p}: ctl.conf:1: include \"a\\\\033\\[2J\\\\rb\\\\177\": No such file or directory$" \
		    "^${p}: ctl.conf:2: syntax error$"
		timeout "${HANG_SEC}" "${BUILD}/${p}" -n -f ctl.conf 2> err
		# Only printable ASCII, tab and newline may be left.
		LC_ALL=C tr -d '\t\n -~' < err > raw
		atf_check -o empty cat raw
	done
}

atf_test_case unclosed_block
unclosed_block_head()
{
	atf_set "descr" "A block left open at the end of the file is reported" \
	    "at its opening line, not past the end"
}
unclosed_block_body()
{
	printf '# a peer\n\npeer "a" {\n\n' > open.conf
	for p in ternd tern-signal; do
		check_refused "${p}" open.conf \
		    "^${p}: open.conf:3: unclosed block opened here$"
		atf_check -s exit:1 -o empty -e not-match:'open.conf:[45]:' \
		    "${BUILD}/${p}" -n -f open.conf
	done
	# tern-relay.conf has no blocks: the brace is the error.
	check_refused tern-relay open.conf "^tern-relay: open.conf:3: syntax error$"
	atf_check -s exit:1 -o empty -e not-match:'unclosed|open.conf:[45]:' \
	    "${BUILD}/tern-relay" -n -f open.conf
}

atf_init_test_cases()
{
	atf_add_test_case not_regular
	atf_add_test_case include_fifo
	atf_add_test_case control_chars
	atf_add_test_case unclosed_block
}
