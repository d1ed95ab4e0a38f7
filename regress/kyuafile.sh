#!/bin/sh
# Writes a Kyuafile for the test programs named as arguments.
# Integration tests build namespaces and run daemons: they get more time.
echo 'syntax(2)'
echo 'test_suite("tern")'
for t in "$@"; do
	t=${t#regress/}
	case "$t" in
	sigtool|udpmap|turnflood|nmforge|ctlhold) ;;	# tools the shell tests run, not tests
	integration*|signal_test|lazy*) echo "atf_test_program{name=\"$t\", timeout=1800}" ;;
	*) echo "atf_test_program{name=\"$t\"}" ;;
	esac
done
