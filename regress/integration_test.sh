#! %ATF_SH%
# Integration tests: two or three hosts in network namespaces, each with
# ternd and wireguard-go, joined by a bridge, with static peers; ternctl
# ping with peers from tern-signal.

TN_BUILD=%TOP_BUILDDIR%
. %TOP_SRCDIR%/scripts/netns.sh

# common_head [PROG...]: root, and the programs every test runs.
common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip wireguard-go ping $*"
	atf_set "timeout" "300"
}

common_cleanup() {
	tn_cleanup "$(pwd)/tn"
}

# Two hosts, a and b, each the other's static peer.
two_hosts() {
	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_host b 2
	tn_conf a b
	tn_conf b a
	tn_start a || atf_fail "ternd a did not start"
	tn_start b || atf_fail "ternd b did not start"
}

# json_peer_field HOST PEER FIELD: a number from ternctl status -j.
json_field() {
	tn_ctl "$1" status -j | tr -d ' \n' |
	    sed -n "s/.*\"name\":\"$2\"[^}]*\"$3\":\([0-9]*\).*/\1/p"
}

atf_test_case ping_both_ways cleanup
ping_both_ways_head() {
	atf_set "descr" "two static peers ping each other over the tunnel"
	common_head
}
ping_both_ways_body() {
	two_hosts
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 3 -i 0.2 -W 3 10.77.0.2
	atf_check -o ignore ip netns exec "$(tn_ns b)" ping -c 3 -i 0.2 -W 3 10.77.0.1
	# Both engines carried it and saw a handshake.
	for h in a b; do
		other=b; [ $h = b ] && other=a
		rx=$(json_field $h $other rx_packets)
		tx=$(json_field $h $other tx_packets)
		hs=$(json_field $h $other last_handshake)
		act=$(json_field $h $other last_activity)
		[ "${rx:-0}" -gt 0 ] || atf_fail "$h: no packets received"
		[ "${tx:-0}" -gt 0 ] || atf_fail "$h: no packets sent"
		[ "${hs:-0}" -gt 0 ] || atf_fail "$h: no handshake"
		[ "${act:-0}" -gt 0 ] || atf_fail "$h: no activity"
	done
	atf_check -o match:"peer b" -o match:"endpoint: 198.51.100.2:51820" \
	    -o match:"peer port: 127.1.0.1:51821" \
	    "$TN_TERNCTL" -s "$(tn_sock a)" status
}
ping_both_ways_cleanup() { common_cleanup; }

atf_test_case tcp_transfer cleanup
tcp_transfer_head() {
	atf_set "descr" "10 MB over TCP through the tunnel, checksum intact"
	common_head nc sha256sum ss
}
tcp_transfer_body() {
	two_hosts
	head -c 10485760 /dev/urandom > data
	tn_exec b timeout 60 nc -l -N 10.77.0.2 5001 > received &
	srv=$!
	for i in $(seq 1 50); do
		tn_exec b ss -ltn | grep -q 10.77.0.2:5001 && break
		sleep 0.1
	done
	atf_check ip netns exec "$(tn_ns a)" timeout 60 nc -N 10.77.0.2 5001 < data
	wait $srv
	atf_check_equal "$(sha256sum < data)" "$(sha256sum < received)"
}
tcp_transfer_cleanup() { common_cleanup; }

atf_test_case engine_sandboxed cleanup
engine_sandboxed_head() {
	atf_set "descr" "the engine runs unprivileged, chrooted, with seccomp"
	common_head
}
engine_sandboxed_body() {
	two_hosts
	epid=$(tn_engine_pid a) || atf_fail "no engine process"
	uid=$(id -u %TERN_USER%)
	grep -q "^Uid:[[:space:]]*$uid[[:space:]]*$uid[[:space:]]*$uid[[:space:]]*$uid$" \
	    /proc/$epid/status || atf_fail "engine uid is not $uid"
	atf_check -o match:"^Seccomp:[[:space:]]*2$" cat /proc/$epid/status
	atf_check -o match:"^NoNewPrivs:[[:space:]]*1$" cat /proc/$epid/status
	atf_check -o match:"^CapEff:[[:space:]]*0+$" cat /proc/$epid/status
	root=$(readlink /proc/$epid/root)
	[ "$root" != "/" ] || atf_fail "engine root directory is /"
	atf_check_equal "$root" "$(pwd)/tn/empty"
	atf_check -o match:"engine" cat /proc/$epid/cmdline
	# The control socket: root and the engine's group only.
	atf_check -o inline:"660 root %TERN_USER%\n" \
	    stat -c '%a %U %G' "$(tn_sock a)"
	# The read-only one: everyone, status only.
	atf_check -o inline:"666 root root\n" \
	    stat -c '%a %U %G' "$(tn_rsock a)"
}
engine_sandboxed_cleanup() { common_cleanup; }

atf_test_case engine_forbidden_syscall cleanup
engine_forbidden_syscall_head() {
	atf_set "descr" "a forbidden system call kills the engine; the parent" \
	    "tears down and exits non-zero"
	common_head gdb
}
engine_forbidden_syscall_body() {
	two_hosts
	epid=$(tn_engine_pid a) || atf_fail "no engine process"
	ppid=$(tn_pid a)
	# Make the engine itself call getuid(), which its filter forbids.
	gdb -p "$epid" -batch -nx -ex 'call (int)getuid()' >gdb.out 2>&1
	for i in $(seq 1 100); do
		kill -0 "$ppid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$ppid" 2>/dev/null && atf_fail "parent still running"
	wait "$ppid"
	rc=$?
	[ $rc -ne 0 ] || atf_fail "parent exited 0"
	atf_check -o match:"killed by signal 31 \(forbidden system call\)" \
	    cat tn/a/log
	atf_check -s not-exit:0 -e ignore ip netns exec "$(tn_ns a)" ip link show "$(tn_if a)"
	[ ! -e "$(tn_sock a)" ] || atf_fail "control socket left behind"
}
engine_forbidden_syscall_cleanup() { common_cleanup; }

atf_test_case reload_adds_peer cleanup
reload_adds_peer_head() {
	atf_set "descr" "SIGHUP and ternctl reload add a third host's peer"
	common_head
}
reload_adds_peer_body() {
	two_hosts
	tn_host c 3
	tn_conf c a b
	tn_start c || atf_fail "ternd c did not start"
	atf_check -s not-exit:0 -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 1 10.77.0.3
	# a learns c by SIGHUP, b by ternctl reload.
	tn_conf a b c
	kill -HUP "$(tn_pid a)"
	tn_conf b a c
	atf_check -o match:"^reload succeeded" "$TN_TERNCTL" -s "$(tn_sock b)" reload
	for i in $(seq 1 50); do
		tn_ctl a status | grep -q "peer c" && break
		sleep 0.1
	done
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 3 -i 0.2 -W 3 10.77.0.3
	atf_check -o ignore ip netns exec "$(tn_ns b)" ping -c 3 -i 0.2 -W 3 10.77.0.3
	# The first peer kept working through both reloads.
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
	atf_check -o match:"10.77.0.3 dev $(tn_if a)" ip netns exec "$(tn_ns a)" ip route
}
reload_adds_peer_cleanup() { common_cleanup; }

atf_test_case reload_removes_peer cleanup
reload_removes_peer_head() {
	atf_set "descr" "a reload that removes a peer removes its route"
	common_head
}
reload_removes_peer_body() {
	two_hosts
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
	tn_conf a
	atf_check -o match:"^reload succeeded" "$TN_TERNCTL" -s "$(tn_sock a)" reload
	atf_check -o match:"^peers: 0$" "$TN_TERNCTL" -s "$(tn_sock a)" status
	atf_check -o not-match:"10.77.0.2" ip netns exec "$(tn_ns a)" ip route
	atf_check -s not-exit:0 -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 1 10.77.0.2
}
reload_removes_peer_cleanup() { common_cleanup; }

atf_test_case reload_moves_prefix cleanup
reload_moves_prefix_head() {
	atf_set "descr" "a prefix that moves between peers on reload keeps" \
	    "its route"
	common_head
}
reload_moves_prefix_body() {
	two_hosts
	tn_host c 3
	tn_conf a b c
	# c holds 10.77.0.9/32 at first.
	sed '/allowed-ips 10.77.0.3\/32/s|$|, 10.77.0.9/32|' tn/a/ternd.conf \
	    > tn/a/with-c
	cp tn/a/with-c tn/a/ternd.conf
	atf_check -o match:"^reload succeeded" \
	    "$TN_TERNCTL" -s "$(tn_sock a)" reload
	atf_check -o match:"10.77.0.9 dev $(tn_if a)" \
	    ip netns exec "$(tn_ns a)" ip route
	# Now b, listed before c, takes it: b is updated first, then c.
	sed -e 's|, 10.77.0.9/32||' \
	    -e '/allowed-ips 10.77.0.2\/32/s|$|, 10.77.0.9/32|' tn/a/with-c \
	    > tn/a/ternd.conf
	atf_check -o match:"^reload succeeded" \
	    "$TN_TERNCTL" -s "$(tn_sock a)" reload
	sleep 0.5
	atf_check -o match:"10.77.0.9 dev $(tn_if a)" \
	    ip netns exec "$(tn_ns a)" ip route
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
}
reload_moves_prefix_cleanup() { common_cleanup; }

atf_test_case sigterm_cleans_up cleanup
sigterm_cleans_up_head() {
	atf_set "descr" "SIGTERM leaves no interface, route or socket behind"
	common_head
}
sigterm_cleans_up_body() {
	two_hosts
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
	pid=$(tn_pid a)
	kill -TERM "$pid"
	wait "$pid"
	atf_check_equal 0 $?
	atf_check -s not-exit:0 -e ignore ip netns exec "$(tn_ns a)" ip link show "$(tn_if a)"
	atf_check -o not-match:"10.77.0" ip netns exec "$(tn_ns a)" ip route
	[ ! -e "$(tn_sock a)" ] || atf_fail "control socket left behind"
	[ ! -e "$(tn_rsock a)" ] || atf_fail "read-only socket left behind"
	[ ! -e "/var/run/wireguard/$(tn_if a).sock" ] ||
	    atf_fail "UAPI socket left behind"
	atf_check -o match:"exiting$" tail -n 1 tn/a/log
}
sigterm_cleans_up_cleanup() { common_cleanup; }

atf_test_case foreign_route_kept cleanup
foreign_route_kept_head() {
	atf_set "descr" "a route ternd did not add stays when a peer's allowed" \
	    "IP equals it, after the peer goes and after ternd stops"
	common_head
}
foreign_route_kept_body() {
	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_host b 2
	# The administrator's static route, made before ternd starts.
	atf_check ip netns exec "$(tn_ns a)" ip route add 10.77.0.128/25 dev eth0
	tn_conf a b
	sed -i 's|allowed-ips 10.77.0.2/32|&, 10.77.0.128/25|' tn/a/ternd.conf
	cp tn/a/ternd.conf with-b
	tn_conf b a
	tn_start a || atf_fail "ternd a did not start"
	tn_start b || atf_fail "ternd b did not start"
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
	atf_check -o match:"dev eth0" ip netns exec "$(tn_ns a)" ip route show 10.77.0.128/25
	atf_check -o match:"route 10.77.0.128/25 exists and is not ternd's" \
	    cat tn/a/log
	# The peer goes: its own route goes, the administrator's stays.
	tn_conf a
	atf_check -o match:"^reload succeeded" "$TN_TERNCTL" -s "$(tn_sock a)" reload
	atf_check -o match:"^peers: 0$" "$TN_TERNCTL" -s "$(tn_sock a)" status
	atf_check -o match:"dev eth0" ip netns exec "$(tn_ns a)" ip route show 10.77.0.128/25
	atf_check -o empty ip netns exec "$(tn_ns a)" ip route show 10.77.0.2
	# It comes back, and ternd stops.
	cp with-b tn/a/ternd.conf
	atf_check -o match:"^reload succeeded" "$TN_TERNCTL" -s "$(tn_sock a)" reload
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
	tn_stop a
	atf_check -o match:"dev eth0" ip netns exec "$(tn_ns a)" ip route show 10.77.0.128/25
}
foreign_route_kept_cleanup() { common_cleanup; }

# stale_socket PATH: a unix socket at PATH whose server has exited.
stale_socket() {
	python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$1"
	[ -S "$1" ] || atf_fail "no stale socket at $1"
}

atf_test_case wg_killed cleanup
wg_killed_head() {
	atf_set "descr" "wireguard-go killed: one log line for the back end," \
	    "none per peer, and no UAPI or control socket left behind"
	common_head
}
wg_killed_body() {
	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_host b 2
	tn_host c 3
	tn_conf a b c
	tn_conf b a
	tn_conf c a
	for h in a b c; do
		tn_start $h || atf_fail "ternd $h did not start"
	done
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.3
	ppid=$(tn_pid a)
	wpid=
	for c in $(cat "/proc/$ppid/task/$ppid/children"); do
		tr '\0' ' ' < "/proc/$c/cmdline" | grep -q wireguard-go &&
		    wpid=$c
	done
	[ -n "$wpid" ] || atf_fail "no wireguard-go process"
	kill -KILL "$wpid"
	for i in $(seq 1 100); do
		kill -0 "$ppid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$ppid" 2>/dev/null && atf_fail "parent still running"
	atf_check -o inline:"1\n" grep -c "WireGuard back end of .* is gone" \
	    tn/a/log
	atf_check -s exit:1 grep -E "removing (peer|route)|connect" tn/a/log
	[ ! -e "/var/run/wireguard/$(tn_if a).sock" ] ||
	    atf_fail "UAPI socket left behind"
	[ ! -e "$(tn_sock a)" ] || atf_fail "control socket left behind"
}
wg_killed_cleanup() { common_cleanup; }

atf_test_case stale_sockets cleanup
stale_sockets_head() {
	atf_set "descr" "stale UAPI and control sockets are removed at start;" \
	    "a file that is not a socket is not"
	common_head python3
}
stale_sockets_body() {
	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_host b 2
	tn_conf a b
	tn_conf b a
	echo "/var/run/wireguard/$(tn_if a).sock" > uapi_path
	stale_socket "$(cat uapi_path)"
	stale_socket "$(tn_sock a)"
	tn_start a || atf_fail "ternd a did not start"
	tn_start b || atf_fail "ternd b did not start"
	atf_check -o match:"removed the stale UAPI socket" \
	    -o match:"removed the stale control socket" cat tn/a/log
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
	tn_stop a
	echo "not a socket" > "$(tn_sock a)"
	tn_start a 2>/dev/null && atf_fail "ternd started over a file"
	atf_check -o match:"ternd.sock exists and is not a socket" \
	    cat tn/a/log
	atf_check -o inline:"not a socket\n" cat "$(tn_sock a)"
}
stale_sockets_cleanup() {
	[ -f uapi_path ] && rm -f "$(cat uapi_path)"
	common_cleanup
}

atf_test_case bad_config_refused cleanup
bad_config_refused_head() {
	atf_set "descr" "a bad config is refused at start and at reload, and" \
	    "changes nothing"
	common_head
}
bad_config_refused_body() {
	two_hosts
	cp tn/a/ternd.conf good.conf
	printf 'mtu 12\n' >> tn/a/ternd.conf
	atf_check -s exit:1 -e match:"ternd.conf:[0-9]+: mtu 12 out of range" \
	    -e match:"configuration failed" \
	    "$TN_TERND" -n -f tn/a/ternd.conf
	# ternctl prints the file's errors themselves, then the verdict.
	atf_check -s exit:1 -e match:"^reload failed: .* has errors" \
	    -e match:"^.*ternd.conf:[0-9]+: mtu 12 out of range" \
	    "$TN_TERNCTL" -s "$(tn_sock a)" reload
	atf_check -o match:"^peers: 1$" "$TN_TERNCTL" -s "$(tn_sock a)" status
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
	# Changing the interface on reload is refused too.
	sed 's/^interface .*/interface "tnzz"/' good.conf > tn/a/ternd.conf
	atf_check -s exit:1 -e match:"interface changed: restart ternd" \
	    "$TN_TERNCTL" -s "$(tn_sock a)" reload
	# And a second ternd on the same config refuses to start.
	cp good.conf tn/a/ternd.conf
	atf_check -s exit:1 -e match:"control socket .* is in use" \
	    ip netns exec "$(tn_ns a)" "$TN_TERND" -d -f tn/a/ternd.conf -s "$(tn_sock a)" \
	    -r "$(tn_rsock a)" -S tn/a/state -c tn/empty
}
bad_config_refused_cleanup() { common_cleanup; }

atf_test_case ternctl_ping cleanup
ternctl_ping_head() {
	atf_set "descr" "ternctl ping wakes an idle peer and times its engine's" \
	    "answers on the direct path; unknown and static peers are" \
	    "refused, a peer that is gone is reported as not answering"
	common_head ss
}
ternctl_ping_body() {
	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_host b 2
	tn_signal_host || atf_fail "no server key"
	tn_signal_conf a b
	sed -i '1i lazy-connections yes' "$TN_DIR/sig/tern-signal.conf"
	tn_signal_start || atf_fail "tern-signal did not start"
	tn_conf_signal a
	tn_conf_signal b
	# c: a static peer of a, with no ternd behind it.
	tn_keys c
	cat >> "$TN_DIR/a/ternd.conf" <<-EOF
	peer "c" {
		public-key "$(cat "$TN_DIR/c/wgpub")"
		allowed-ips $TN_OVERLAY.3/32
		endpoint "$TN_UNDERLAY.3:$TN_PORT"
	}
	EOF
	tn_start a || atf_fail "ternd a did not start"
	tn_start b || atf_fail "ternd b did not start"
	tn_wait_state a b idle 10 || atf_fail "a does not see b idle"
	sa=$(tn_sock a)

	# The first ping wakes b; the first answer ends it.
	atf_check -o match:"^pong from b via direct $TN_UNDERLAY\.2:$TN_PORT in [0-9]+\.[0-9] ms\$" \
	    "$TN_TERNCTL" -s "$sa" ping b
	tn_ctl a status -j | tr -d ' \n' |
	    grep -q '"name":"b","state":"connected"[^}]*"woken_by":"manual"' ||
	    atf_fail "b not woken by hand: $(tn_ctl a status -d)"
	atf_check -o save:three "$TN_TERNCTL" -s "$sa" ping -c 3 b
	[ "$(grep -c "^pong from b via direct " three)" = 3 ] ||
	    atf_fail "not 3 pongs: $(cat three)"
	atf_check -o match:"^\{\"peer\":\"b\",\"seq\":1,\"result\":\"pong\",\"path\":\"direct\",\"relay\":null,\"remote\":\"$TN_UNDERLAY\.2:$TN_PORT\",\"remote_relayed\":false,\"rtt_ms\":[0-9.]+,\"waited_ms\":null\}\$" \
	    "$TN_TERNCTL" -s "$sa" ping -j b

	atf_check -s exit:1 -e inline:"ping failed: no peer named zz\n" \
	    "$TN_TERNCTL" -s "$sa" ping zz
	atf_check -s exit:1 \
	    -e inline:"ping failed: peer c is static: it has no ICE session to ping\n" \
	    "$TN_TERNCTL" -s "$sa" ping c
	atf_check -s exit:1 -e match:"count 0 is too small" \
	    "$TN_TERNCTL" -s "$sa" ping -c 0 b

	# b is gone; a keeps the path until consent runs out (30 s).
	tn_stop b
	atf_check -s exit:1 -o inline:"no reply from b in 2 s\n" \
	    "$TN_TERNCTL" -s "$sa" ping -c 1 b
}
ternctl_ping_cleanup() { common_cleanup; }

atf_init_test_cases() {
	atf_add_test_case ping_both_ways
	atf_add_test_case tcp_transfer
	atf_add_test_case engine_sandboxed
	atf_add_test_case engine_forbidden_syscall
	atf_add_test_case reload_adds_peer
	atf_add_test_case reload_removes_peer
	atf_add_test_case reload_moves_prefix
	atf_add_test_case sigterm_cleans_up
	atf_add_test_case bad_config_refused
	atf_add_test_case foreign_route_kept
	atf_add_test_case wg_killed
	atf_add_test_case stale_sockets
	atf_add_test_case ternctl_ping
}
