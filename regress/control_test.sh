#! %ATF_SH%
# The control socket under attack: idle clients that hold every slot.
# One host in a network namespace runs ternd with no peers.

TN_BUILD=%TOP_BUILDDIR%
. %TOP_SRCDIR%/scripts/netns.sh

CTLHOLD=%TOP_BUILDDIR%/regress/ctlhold
TERN_USER=%TERN_USER%
# The engine's CONTROL_CONNS_MAX (agent/control.c).
CONNS_MAX=16

common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip wireguard-go setpriv $*"
	atf_set "timeout" "120"
}

common_cleanup() {
	tn_cleanup "$(pwd)/tn"
}

one_host() {
	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_conf a
	tn_start a || atf_fail "ternd a did not start"
	# The engine's user reaches the socket as a member of its group.
	chmod 0755 "$(pwd)/tn" "$(pwd)/tn/a"
}

# as_user USER: the command that runs what follows as USER, with its groups.
as_user() {
	echo "setpriv --reuid=$1 --regid=$(id -g "$1") --init-groups"
}

atf_test_case idle_clients cleanup
idle_clients_head() {
	atf_set "descr" "idle clients filling every slot lock out neither" \
	    "root nor, after the idle timeout, anyone; a refused ternctl" \
	    "says why"
	common_head
}
idle_clients_body() {
	one_host
	$(as_user "$TERN_USER") "$CTLHOLD" "$(tn_sock a)" "$CONNS_MAX" 60 \
	    > hold.out &
	hold=$!
	echo $hold >> tn/pids
	for i in $(seq 1 50); do
		grep -q "^held" hold.out && break
		sleep 0.1
	done
	atf_check -o inline:"held $CONNS_MAX\n" cat hold.out
	# A group member is refused, and told why.
	atf_check -s exit:1 -e match:"^status failed: ternd has too many control clients" \
	    $(as_user "$TERN_USER") "$TN_TERNCTL" -s "$(tn_sock a)" status
	# Root has its slot.
	atf_check -o match:"^interface: " "$TN_TERNCTL" -s "$(tn_sock a)" status
	# The engine closes the idle clients; then everyone gets in again.
	wait $hold
	atf_check -o inline:"held $CONNS_MAX\nclosed $CONNS_MAX\n" cat hold.out
	atf_check -o match:"^interface: " \
	    $(as_user "$TERN_USER") "$TN_TERNCTL" -s "$(tn_sock a)" status
}
idle_clients_cleanup() { common_cleanup; }

atf_init_test_cases() {
	atf_add_test_case idle_clients
}
