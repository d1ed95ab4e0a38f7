#! %ATF_SH%
# Integration tests: tern-signal and three hosts on one LAN with no
# static peers; each ternd gets its peers from the network map and finds
# them with ICE host candidates.

TN_BUILD=%TOP_BUILDDIR%
. %TOP_SRCDIR%/scripts/netns.sh

common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip ss wireguard-go ping $*"
	atf_set "timeout" "300"
}

common_cleanup() {
	tn_cleanup "$(pwd)/tn"
}

# mesh HOST...: the server knows every HOST; each runs ternd.
mesh() {
	local h n=1
	tn_init "$(pwd)/tn"
	for h in "$@"; do
		tn_host "$h" "$n"
		n=$((n + 1))
	done
	tn_signal_host || atf_fail "no server key"
	tn_signal_conf "$@"
	tn_signal_start || atf_fail "tern-signal did not start"
	for h in "$@"; do
		tn_conf_signal "$h"
		tn_start "$h" || atf_fail "ternd $h did not start"
	done
}

# wait_mesh SECONDS HOST...: every HOST sees every other one connected.
wait_mesh() {
	local t=$1 h o
	shift
	for h in "$@"; do
		for o in "$@"; do
			[ "$h" = "$o" ] && continue
			tn_wait_connected "$h" "$o" "$t" ||
			    atf_fail "$h does not see $o connected: $(tn_ctl "$h" status)"
		done
	done
}

ping_all() {
	local h o
	for h in "$@"; do
		for o in "$@"; do
			[ "$h" = "$o" ] && continue
			atf_check -o ignore ip netns exec "$(tn_ns "$h")" ping -c 1 -W 3 \
			    "$TN_OVERLAY.$(cat "$TN_DIR/$o/n")"
		done
	done
}

# signal_state HOST: the signal connection's state from status -j.
signal_state() {
	tn_ctl "$1" status -j | tr -d ' \n' |
	    sed -n 's/.*"signal":{"state":"\([a-z]*\)".*/\1/p'
}

atf_test_case full_mesh cleanup
full_mesh_head() {
	atf_set "descr" "three hosts with no static peers reach each other"
	common_head
}
full_mesh_body() {
	mesh a b c
	wait_mesh 20 a b c
	ping_all a b c
	# The path is the pair ICE chose between host candidates.
	atf_check -o match:"signal: connected, $TN_UNDERLAY.$TN_SIGNAL_N:$TN_SIGNAL_PORT" \
	    -o match:"state: connected \(netmap\)" \
	    -o match:"candidate pair: host $TN_UNDERLAY.1:$TN_PORT -> host $TN_UNDERLAY.2:$TN_PORT" \
	    "$TN_TERNCTL" -s "$(tn_sock a)" status
	atf_check -o match:'"local_type": "host"' -o match:'"remote_type": "host"' \
	    -o match:'"source": "netmap"' "$TN_TERNCTL" -s "$(tn_sock b)" status -j
	# The server relays sealed boxes only: no ICE credential in its log.
	atf_check -s exit:1 grep -q ufrag "$TN_DIR/sig/log"
}
full_mesh_cleanup() {
	common_cleanup
}

atf_test_case reload_removes_peer cleanup
reload_removes_peer_head() {
	atf_set "descr" "a server reload that removes a peer makes the others drop it and its routes"
	common_head
}
reload_removes_peer_body() {
	mesh a b c
	wait_mesh 20 a b c
	atf_check -o match:"$TN_OVERLAY.3" ip netns exec "$(tn_ns a)" ip route show dev "$(tn_if a)"
	tn_signal_conf a b
	kill -HUP "$(cat "$TN_DIR/sig/pid")"
	for i in $(seq 1 100); do
		"$TN_TERNCTL" -s "$(tn_sock a)" status | grep -q "^peer c" || break
		sleep 0.1
	done
	for h in a b; do
		tn_ctl $h status | grep -q "^peer c" &&
		    atf_fail "$h still has peer c: $(tn_ctl $h status)"
	done
	atf_check -o not-match:"$TN_OVERLAY.3" ip netns exec "$(tn_ns a)" ip route show dev "$(tn_if a)"
	atf_check -s not-exit:0 -o ignore -e ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 1 "$TN_OVERLAY.3"
	ping_all a b
}
reload_removes_peer_cleanup() {
	common_cleanup
}

atf_test_case reload_adds_peer cleanup
reload_adds_peer_head() {
	atf_set "descr" "a server reload that adds a peer makes the others add it"
	common_head
}
reload_adds_peer_body() {
	mesh a b c
	wait_mesh 20 a b c
	tn_host d 4
	tn_conf_signal d
	tn_start d || atf_fail "ternd d did not start"
	tn_signal_conf a b c d
	kill -HUP "$(cat "$TN_DIR/sig/pid")"
	# d retries with backoff capped at 30 s.
	wait_mesh 40 a b c d
	ping_all a d
}
reload_adds_peer_cleanup() {
	common_cleanup
}

atf_test_case broken_reload_keeps_config cleanup
broken_reload_keeps_config_head() {
	atf_set "descr" "a server config that does not parse is refused on reload"
	common_head
}
broken_reload_keeps_config_body() {
	mesh a b
	wait_mesh 20 a b
	echo "peer {" >> "$TN_DIR/sig/tern-signal.conf"
	kill -HUP "$(cat "$TN_DIR/sig/pid")"
	sleep 1
	kill -0 "$(cat "$TN_DIR/sig/pid")" || atf_fail "tern-signal exited"
	atf_check -o match:"refused" cat "$TN_DIR/sig/log"
	atf_check -o match:"^peer b" "$TN_TERNCTL" -s "$(tn_sock a)" status
	ping_all a b
}
broken_reload_keeps_config_cleanup() {
	common_cleanup
}

atf_test_case server_restart cleanup
server_restart_head() {
	atf_set "descr" "tunnels survive tern-signal's death; agents are back within 30 s of its restart"
	common_head
}
server_restart_body() {
	mesh a b c
	wait_mesh 20 a b c
	tn_signal_kill KILL
	ping_all a b c
	for h in a b c; do
		for i in $(seq 1 100); do
			[ "$(signal_state $h)" != connected ] && break
			sleep 0.1
		done
	done
	ping_all a b c
	atf_check -o match:"^peer b" -o match:"^peer c" "$TN_TERNCTL" -s "$(tn_sock a)" status
	tn_signal_start || atf_fail "tern-signal did not restart"
	start=$(date +%s)
	for h in a b c; do
		while [ "$(signal_state $h)" != connected ]; do
			[ $(( $(date +%s) - start )) -le 30 ] ||
			    atf_fail "$h not back within 30 s: $(tn_ctl $h status)"
			sleep 0.2
		done
	done
	ping_all a b c
}
server_restart_cleanup() {
	common_cleanup
}

atf_test_case unknown_key_refused cleanup
unknown_key_refused_head() {
	atf_set "descr" "an agent whose node key is unknown is refused and the server logs it"
	common_head
}
unknown_key_refused_body() {
	mesh a b
	wait_mesh 20 a b
	tn_host x 9
	tn_conf_signal x
	tn_start x || atf_fail "ternd x did not start"
	key=$(cat "$TN_DIR/x/nodepub")
	for i in $(seq 1 100); do
		grep -qF "$key" "$TN_DIR/sig/log" && break
		sleep 0.1
	done
	# The key is base64: matched as a fixed string, not a pattern.
	atf_check -o match:"refused unknown node key" \
	    grep -F "$key from $TN_UNDERLAY.9" "$TN_DIR/sig/log"
	for i in $(seq 1 100); do
		"$TN_TERNCTL" -s "$(tn_sock x)" status | grep -q "without answering the handshake" && break
		sleep 0.1
	done
	atf_check -o match:"without answering the handshake" -o match:"peers: 0" \
	    "$TN_TERNCTL" -s "$(tn_sock x)" status
	atf_check -o not-match:"^peer x" "$TN_TERNCTL" -s "$(tn_sock a)" status
	ping_all a b
}
unknown_key_refused_cleanup() {
	common_cleanup
}

atf_test_case hostile_clients cleanup
hostile_clients_head() {
	atf_set "descr" "clients that send garbage or stall do not disturb the agents"
	common_head
}
hostile_clients_body() {
	tool=%TOP_BUILDDIR%/regress/sigtool
	srv="$TN_UNDERLAY.$TN_SIGNAL_N"
	mesh a b
	wait_mesh 20 a b
	tn_host x 9
	# Half a handshake that never ends, twice, in the background.
	for i in 1 2; do
		tn_exec x "$tool" "$srv" "$TN_SIGNAL_PORT" garbage 1 \
		    wait-close 20 > "half$i.out" 2>&1 &
		echo $! >> halfpids
	done
	# Bytes that are no handshake at all, and more than any frame: the
	# server closes while they are still coming (2) or after (0).
	tn_exec x "$tool" "$srv" "$TN_SIGNAL_PORT" garbage 100000 \
	    wait-close 5 > garbage.out 2>&1
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 2 ] ||
	    atf_fail "garbage client: exit $rc: $(cat garbage.out)"
	# Meanwhile the server still serves: a reload adds a peer.
	tn_host c 3
	tn_conf_signal c
	tn_start c || atf_fail "ternd c did not start"
	tn_signal_conf a b c
	kill -HUP "$(cat "$TN_DIR/sig/pid")"
	wait_mesh 40 a b c
	ping_all a b c
	for pid in $(cat halfpids); do
		wait "$pid"
		rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 2 ] ||
		    atf_fail "a stalled handshake was not closed: exit $rc"
	done
	for h in a b c; do
		[ "$(signal_state $h)" = connected ] ||
		    atf_fail "$h lost the server: $(tn_ctl $h status)"
	done
}
hostile_clients_cleanup() {
	common_cleanup
}

atf_test_case ipv6_underlay cleanup
ipv6_underlay_head() {
	atf_set "descr" "ICE finds a pair over an IPv6-only underlay"
	common_head
}
ipv6_underlay_body() {
	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_host b 2
	tn_signal_host || atf_fail "no server key"
	for h in a b sig; do
		n=$(cat "$TN_DIR/$h/n")
		tn_exec $h ip addr add "fd00:51::$n/64" dev eth0 nodad
		tn_exec $h ip addr del "$TN_UNDERLAY.$n/24" dev eth0
	done
	tn_signal_conf a b
	sed -i "s/^listen on .*/listen on fd00:51::$TN_SIGNAL_N port $TN_SIGNAL_PORT/" \
	    "$TN_DIR/sig/tern-signal.conf"
	tn_signal_start || atf_fail "tern-signal did not start"
	for h in a b; do
		tn_conf_signal $h
		sed -i "s/^signal \"[^\"]*\"/signal \"[fd00:51::$TN_SIGNAL_N]:$TN_SIGNAL_PORT\"/" \
		    "$TN_DIR/$h/ternd.conf"
		tn_start $h || atf_fail "ternd $h did not start"
	done
	wait_mesh 20 a b
	ping_all a b
	atf_check -o match:"candidate pair: host \[fd00:51::1\]:$TN_PORT -> host \[fd00:51::2\]:$TN_PORT" \
	    "$TN_TERNCTL" -s "$(tn_sock a)" status
}
ipv6_underlay_cleanup() {
	common_cleanup
}

atf_test_case reload_narrows_accept cleanup
reload_narrows_accept_head() {
	atf_set "descr" "a reload whose accept no longer covers a netmap peer" \
	    "removes the peer and its route; a reload before the last is" \
	    "taken is refused"
	common_head
}
reload_narrows_accept_body() {
	mesh a b
	wait_mesh 15 a b
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
	# The engine stopped: the first reload is not taken, the second waits.
	epid=$(tn_engine_pid a) || atf_fail "no engine process"
	kill -STOP "$epid"
	kill -HUP "$(tn_pid a)"
	sleep 0.5
	kill -HUP "$(tn_pid a)"
	sleep 0.5
	kill -CONT "$epid"
	atf_check -o match:"reload refused: the previous configuration is still being applied" \
	    cat tn/a/log
	# accept narrowed to a prefix without b's address.
	sed -i 's|^accept .*|accept 10.77.0.128/25|' tn/a/ternd.conf
	atf_check -o match:"^reload succeeded" "$TN_TERNCTL" -s "$(tn_sock a)" reload
	atf_check -o match:"removing peer .*, refused by the new configuration: allowed IP 10.77.0.2/32 is outside every accept prefix" \
	    cat tn/a/log
	atf_check -o empty ip netns exec "$(tn_ns a)" ip route show 10.77.0.2
	atf_check -s not-exit:0 -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 1 10.77.0.2
}
reload_narrows_accept_cleanup() { common_cleanup; }

atf_init_test_cases() {
	atf_add_test_case reload_narrows_accept
	atf_add_test_case full_mesh
	atf_add_test_case reload_removes_peer
	atf_add_test_case reload_adds_peer
	atf_add_test_case broken_reload_keeps_config
	atf_add_test_case server_restart
	atf_add_test_case unknown_key_refused
	atf_add_test_case hostile_clients
	atf_add_test_case ipv6_underlay
}
