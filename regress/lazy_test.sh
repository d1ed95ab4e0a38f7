#! %ATF_SH%
# Integration tests: lazy connections.  Hosts in network namespaces get
# their peers from tern-signal; with lazy connections on, a peer is Idle
# until traffic needs it and goes Idle again after the threshold.

TN_BUILD=%TOP_BUILDDIR%
. %TOP_SRCDIR%/scripts/netns.sh

common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip ss wireguard-go ping"
	atf_set "timeout" "400"
}

common_cleanup() {
	tn_cleanup "$(pwd)/tn"
}

# peer_field HOST PEER FIELD: a number or string member of PEER's object.
peer_field() {
	tn_ctl "$1" status -j | tr -d '\n' |
	    sed 's/}, *{ *"name"/}\n{"name"/g' | grep "\"name\": *\"$2\"" |
	    sed -n "s/.*\"$3\": *\"\{0,1\}\([^\",}]*\).*/\1/p"
}

expect_state() {
	local s
	s=$(tn_state "$1" "$2")
	[ "$s" = "$3" ] || atf_fail "$1 sees $2 $s, not $3: $(tn_ctl "$1" status -d)"
}

# wait_state HOST PEER STATE SECONDS
wait_state() {
	tn_wait_state "$@" ||
	    atf_fail "$1 does not see $2 $3 within $4 s: $(tn_ctl "$1" status -d)"
}

# lazy_mesh: a b c d; the server turns lazy connections on with the
# minimum threshold; b is lazy-exempt; a excludes c; d keeps its own
# 15 minute threshold (environment), so only a's go-idle makes it idle.
lazy_mesh() {
	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_host b 2
	tn_host c 3
	tn_host d 4
	tn_signal_host || atf_fail "no server key"
	tn_signal_conf a b c d
	sed -i '1i lazy-connections yes\ninactivity-threshold 1m' \
	    "$TN_DIR/sig/tern-signal.conf"
	sed -i '/^peer "b"/a\	lazy-exempt' "$TN_DIR/sig/tern-signal.conf"
	tn_signal_start || atf_fail "tern-signal did not start"
	for h in a b c d; do
		tn_conf_signal $h
	done
	echo 'exclude "c"' >> "$TN_DIR/a/ternd.conf"
	tn_start a || atf_fail "ternd a did not start"
	tn_start b || atf_fail "ternd b did not start"
	tn_start c || atf_fail "ternd c did not start"
	export TERN_LAZY_INACTIVITY=15m
	tn_start d || atf_fail "ternd d did not start"
	unset TERN_LAZY_INACTIVITY
}

atf_test_case idle_wake_idle cleanup
idle_wake_idle_head() {
	atf_set "descr" "peers start Idle, the first ping wakes one, inactivity" \
	    "and go-idle put it back; excluded and lazy-exempt peers stay"
	common_head
}
idle_wake_idle_body() {
	lazy_mesh
	wait_state a b connected 20
	wait_state a c connected 20
	expect_state a d idle
	expect_state d a idle
	atf_check -o match:"lazy connections: on \(server\), inactivity threshold 60s \(server\)" \
	    "$TN_TERNCTL" -s "$(tn_sock a)" status
	atf_check -o match:"inactivity threshold 900s \(environment\)" \
	    "$TN_TERNCTL" -s "$(tn_sock d)" status
	[ "$(peer_field a b permanent)" = lazy-exempt ] ||
	    atf_fail "b is not lazy-exempt: $(tn_ctl a status -j)"
	[ "$(peer_field a c permanent)" = excluded ] ||
	    atf_fail "c is not excluded: $(tn_ctl a status -j)"

	# The first packet to an idle peer is answered.
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 \
	    "$TN_OVERLAY.4"
	expect_state a d connected
	wait_state d a connected 5
	[ "$(peer_field a d woken_by)" = "local traffic" ] ||
	    atf_fail "a: d woken by $(peer_field a d woken_by)"
	[ "$(peer_field d a woken_by)" = remote ] ||
	    atf_fail "d: a woken by $(peer_field d a woken_by)"
	left=$(peer_field a d idle_in)
	[ "$left" -gt 50 ] && [ "$left" -le 60 ] ||
	    atf_fail "a: d goes idle in $left s"

	# No traffic for the threshold: a goes idle and tells d, whose own
	# threshold is 15 minutes.
	sleep 62
	wait_state a d idle 5
	wait_state d a idle 5
	[ "$(peer_field a d endpoint)" = null ] ||
	    atf_fail "a still has a path to d"
	atf_check -o match:"peer d: Connected -> Idle \(inactivity\)" \
	    cat "$TN_DIR/a/log"
	atf_check -o match:"peer a: Connected -> Idle \(the remote went idle\)" \
	    cat "$TN_DIR/d/log"
	# Permanent peers stayed.
	expect_state a b connected
	expect_state a c connected
	# And wake again.
	atf_check -o ignore ip netns exec "$(tn_ns d)" ping -c 1 -W 3 \
	    "$TN_OVERLAY.1"
	expect_state d a connected
}
idle_wake_idle_cleanup() {
	common_cleanup
}

atf_test_case server_flag_flip cleanup
server_flag_flip_head() {
	atf_set "descr" "the server's flag off connects every peer at once; on" \
	    "lets them idle; ternctl wake wakes a peer by hand"
	common_head
}
server_flag_flip_body() {
	lazy_mesh
	wait_state a b connected 20
	expect_state a d idle
	atf_check -o match:"wake succeeded: peer d woken" \
	    "$TN_TERNCTL" -s "$(tn_sock a)" wake d
	wait_state a d connected 10
	[ "$(peer_field a d woken_by)" = manual ] ||
	    atf_fail "a: d woken by $(peer_field a d woken_by)"
	atf_check -s exit:1 -e match:"wake failed: no peer named zz" \
	    "$TN_TERNCTL" -s "$(tn_sock a)" wake zz

	# Off: d's peers connect and are kept.
	sed -i 's/^lazy-connections yes/lazy-connections no/' \
	    "$TN_DIR/sig/tern-signal.conf"
	kill -HUP "$(cat "$TN_DIR/sig/pid")"
	for h in a b c; do
		wait_state d $h connected 20
	done
	atf_check -o match:"lazy connections: off \(server\)" \
	    "$TN_TERNCTL" -s "$(tn_sock d)" status
	[ "$(peer_field d b permanent)" = lazy-off ] ||
	    atf_fail "d: b not kept by lazy-off: $(tn_ctl d status -j)"
	[ "$(peer_field d b idle_in)" = -1 ] || atf_fail "d: b would go idle"

	# On again: they may go idle, with the threshold counting down.
	sed -i 's/^lazy-connections no/lazy-connections yes/' \
	    "$TN_DIR/sig/tern-signal.conf"
	kill -HUP "$(cat "$TN_DIR/sig/pid")"
	for i in $(seq 1 100); do
		tn_ctl d status | grep -q "lazy connections: on" && break
		sleep 0.1
	done
	left=$(peer_field d c idle_in)
	[ "$left" -ge 0 ] || atf_fail "d: c never goes idle: $(tn_ctl d status -d)"
	[ "$(peer_field d b permanent)" = lazy-exempt ] ||
	    atf_fail "d: b is not lazy-exempt"
}
server_flag_flip_cleanup() {
	common_cleanup
}

atf_test_case bad_env_stops_ternd cleanup
bad_env_stops_ternd_head() {
	atf_set "descr" "TERN_LAZY_CONN=banana stops ternd with a clear error"
	common_head
}
bad_env_stops_ternd_body() {
	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_conf a
	atf_check -s exit:1 -e match:"TERN_LAZY_CONN" -e match:"banana" \
	    env TERN_LAZY_CONN=banana ip netns exec "$(tn_ns a)" "$TN_TERND" -d \
	    -f "$TN_DIR/a/ternd.conf" -s "$(tn_sock a)" -r "$(tn_rsock a)" \
	    -S "$TN_DIR/a/state" -c "$TN_DIR/empty"
	[ ! -e "$(tn_sock a)" ] || atf_fail "ternd left its control socket"
}
bad_env_stops_ternd_cleanup() {
	common_cleanup
}

atf_init_test_cases() {
	atf_add_test_case idle_wake_idle
	atf_add_test_case server_flag_flip
	atf_add_test_case bad_env_stops_ternd
}
