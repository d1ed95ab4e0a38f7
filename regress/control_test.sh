#! %ATF_SH%
# The control sockets under attack: idle clients that hold every place,
# requests in bursts, the read-only socket asked for more than status,
# and a socket path in a directory others may write to.  One host in a
# network namespace runs ternd with no peers.

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

atf_test_case readonly_socket cleanup
readonly_socket_head() {
	atf_set "descr" "anyone may read the status on the read-only socket," \
	    "and nothing else, not even root"
	common_head
}
readonly_socket_body() {
	one_host
	nobody=$(as_user nobody)
	rs=$(tn_rsock a)
	atf_check -o match:"^interface: " $nobody "$TN_TERNCTL" -s "$rs" status
	atf_check -s exit:1 -e match:"connect .*Permission denied" \
	    $nobody "$TN_TERNCTL" -s "$(tn_sock a)" status
	for cmd in reload "wake b" netcheck "ping b"; do
		w=${cmd%% *}
		atf_check -s exit:1 \
		    -e inline:"$w failed: the read-only control socket answers status only\n" \
		    $nobody "$TN_TERNCTL" -s "$rs" $cmd
		atf_check -s exit:1 \
		    -e inline:"$w failed: the read-only control socket answers status only\n" \
		    "$TN_TERNCTL" -s "$rs" $cmd
	done
	# The connection stays usable: status still answers after a refusal.
	atf_check -o match:"^interface: " $nobody "$TN_TERNCTL" -s "$rs" status
}
readonly_socket_cleanup() { common_cleanup; }

atf_test_case rate_limit cleanup
rate_limit_head() {
	atf_set "descr" "wake, reload, netcheck and ping from the group are" \
	    "limited to a burst, then one every 2 s; root is not limited"
	common_head
}
rate_limit_body() {
	one_host
	tern=$(as_user "$TERN_USER")
	# The engine's CONTROL_RATE_BURST (agent/control.c).
	for i in 1 2 3 4 5; do
		atf_check -s exit:1 -e match:"^wake failed: .*nosuch" \
		    $tern "$TN_TERNCTL" -s "$(tn_sock a)" wake nosuch
	done
	atf_check -s exit:1 -e match:"^wake failed: too many requests" \
	    $tern "$TN_TERNCTL" -s "$(tn_sock a)" wake nosuch
	atf_check -s exit:1 -e match:"^reload failed: too many requests" \
	    $tern "$TN_TERNCTL" -s "$(tn_sock a)" reload
	atf_check -s exit:1 -e match:"^ping failed: too many requests" \
	    $tern "$TN_TERNCTL" -s "$(tn_sock a)" ping nosuch
	atf_check -o match:"^reload succeeded" "$TN_TERNCTL" -s "$(tn_sock a)" reload
	atf_check -o match:"^interface: " $tern "$TN_TERNCTL" -s "$(tn_sock a)" status
	# One token comes back every CONTROL_RATE_MS.
	sleep 2.2
	atf_check -o match:"^reload succeeded" \
	    $tern "$TN_TERNCTL" -s "$(tn_sock a)" reload
}
rate_limit_cleanup() { common_cleanup; }

# start_ternd SOCKDIR: the command that runs ternd a with its sockets in
# SOCKDIR, for 10 s at most.
start_ternd() {
	echo "timeout 10 ip netns exec $(tn_ns a) $TN_TERND -d" \
	    "-f $TN_DIR/a/ternd.conf -s $1/ternd.sock -r $1/ternd.rsock" \
	    "-S $TN_DIR/a/state -c $TN_DIR/empty"
}

atf_test_case socket_dir cleanup
socket_dir_head() {
	atf_set "descr" "the control socket's directory must be root's and" \
	    "writable by root alone; only a socket is replaced at its path"
	common_head
}
socket_dir_body() {
	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_conf a
	d=$(pwd)/sockdir
	# Writable by others, even sticky: anyone could plant the path.
	mkdir -m 1777 "$d"
	atf_check -s exit:1 -e match:"directory .*sockdir: must be owned by root and writable by root only" \
	    $(start_ternd "$d")
	[ ! -e "$d/ternd.sock" ] || atf_fail "socket made in a shared directory"
	chmod 0775 "$d"
	atf_check -s exit:1 -e match:"must be owned by root" \
	    $(start_ternd "$d")
	# Owned by the engine's user.
	chmod 0755 "$d"
	chown "$TERN_USER" "$d"
	atf_check -s exit:1 -e match:"must be owned by root" \
	    $(start_ternd "$d")
	chown root "$d"
	# What is not a socket is not removed, nor what a symlink names.
	echo precious > "$d/ternd.sock"
	atf_check -s exit:1 -e match:"ternd.sock exists and is not a socket" \
	    $(start_ternd "$d")
	atf_check -o inline:"precious\n" cat "$d/ternd.sock"
	rm "$d/ternd.sock"
	echo precious > victim
	ln -s "$(pwd)/victim" "$d/ternd.sock"
	atf_check -s exit:1 -e match:"ternd.sock exists and is not a socket" \
	    $(start_ternd "$d")
	atf_check -o inline:"precious\n" cat victim
	atf_check -o inline:"$(stat -c '%a %U %G' victim)\n" stat -c '%a %U %G' victim
	atf_check test -L "$d/ternd.sock"
}
socket_dir_cleanup() { common_cleanup; }

atf_init_test_cases() {
	atf_add_test_case idle_clients
	atf_add_test_case readonly_socket
	atf_add_test_case rate_limit
	atf_add_test_case socket_dir
}
