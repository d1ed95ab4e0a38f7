#! %ATF_SH%
# Lazy connections at scale: a tern-signal netmap of 10,000 peers, two of
# them real hosts in network namespaces, the rest generated keys with no
# host.  The engine's descriptors, memory and idle CPU must not grow with
# the idle peers, and the real pair must still connect on the first ping.
# Figures go to stdout, so kyua's report keeps them.

TN_BUILD=%TOP_BUILDDIR%
. %TOP_SRCDIR%/scripts/netns.sh
. %TOP_SRCDIR%/scripts/netns_scale.sh

SCALE_PEERS=10000	# the netmap of the issue, a and b included
SCALE_FD_SLACK=2	# descriptors the engine may differ by, 2 vs 10,000
SCALE_RSS_KB=65536	# 64 MB: the engine's resident set at 10,000
SCALE_CPU_PCT=1		# idle CPU of the engine, percent
SCALE_IDLE_S=60		# how long idle CPU is measured
SCALE_CONNECT_S=5	# after the first ping both sides say connected

atf_test_case netmap_10000 cleanup
netmap_10000_head() {
	atf_set "descr" "10,000 idle netmap peers cost the engine no" \
	    "descriptor, under 64 MB and under 1% CPU; the first ping works"
	atf_set "require.user" "root"
	atf_set "require.progs" "ip wireguard-go wg ping getconf"
	atf_set "timeout" "900"
}

# scale_up N: tern-signal, a and b with N generated peers besides a, b.
scale_up() {
	local t0 t1
	tn_signal_conf_scale "$1" yes a b || atf_fail "no config for $1 peers"
	tn_signal_start || atf_fail "tern-signal did not start"
	for h in a b; do
		tn_conf_signal_scale $h
		t0=$(date +%s.%N)
		tn_start $h || atf_fail "ternd $h did not start"
		t1=$(tn_wait_peers $h $(($1 + 1))) ||
		    atf_fail "$h did not get the netmap of $(($1 + 2)) peers"
		echo "$h: netmap of $(($1 + 2)) peers in the engine" \
		    "${t1} s after ternctl first answered"
		scale_applied $h $(($1 + 1)) "$t0"
	done
}

# scale_applied NAME N T0: the parent has set N WireGuard peers and their
# routes; prints the seconds since T0.
scale_applied() {
	local i w r
	for i in $(seq 1 $((TN_SCALE_WAIT * 5))); do
		w=$(tn_exec "$1" wg show "$(tn_if "$1")" peers 2>/dev/null |
		    wc -l)
		r=$(tn_exec "$1" ip route show dev "$(tn_if "$1")" \
		    2>/dev/null | grep -vc "proto kernel")
		if [ "$w" -ge "$2" ] && [ "$r" -ge "$2" ]; then
			echo "$1: $w WireGuard peers, $r routes set" \
			    "$(echo "$(date +%s.%N) $3" |
			    awk '{ printf "%.1f", $1 - $2 }') s after its start"
			return 0
		fi
		sleep 0.2
	done
	atf_fail "$1: $w WireGuard peers, $r routes; want $2"
}

scale_down() {
	tn_stop a
	tn_stop b
	tn_signal_kill
}

# scale_ping: the first ping from a to b, then both say connected.
scale_ping() {
	[ "$(tn_state a b)" = idle ] || atf_fail "b is $(tn_state a b), not idle"
	[ "$(tn_state b a)" = idle ] || atf_fail "a is $(tn_state b a), not idle"
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 10.77.0.2
	tn_wait_connected a b "$SCALE_CONNECT_S" || atf_fail "a: b not connected"
	tn_wait_connected b a "$SCALE_CONNECT_S" || atf_fail "b: a not connected"
}

netmap_10000_body() {
	local e fd2 fd2p fdn fdnp rss cpu

	tn_init "$(pwd)/tn"
	tn_host a 1
	tn_host b 2
	tn_signal_host

	scale_up 0
	e=$(tn_engine_pid a) || atf_fail "no engine on a"
	fd2=$(tn_fds "$e")
	echo "2 peers: engine fds $fd2, RSS $(tn_rss_kb "$e") kB"
	scale_ping
	fd2p=$(tn_fds "$e")
	echo "2 peers, after the first ping: engine fds $fd2p"
	scale_down

	scale_up $((SCALE_PEERS - 2))
	e=$(tn_engine_pid a) || atf_fail "no engine on a"
	fdn=$(tn_fds "$e")
	rss=$(tn_rss_kb "$e")
	echo "$SCALE_PEERS peers: engine fds $fdn, RSS $rss kB;" \
	    "parent RSS $(tn_rss_kb "$(tn_pid a)") kB"
	cpu=$(tn_idle_cpu "$e" "$SCALE_IDLE_S")
	echo "$SCALE_PEERS peers: engine CPU over $SCALE_IDLE_S s idle: $cpu%"
	scale_ping
	fdnp=$(tn_fds "$e")
	echo "$SCALE_PEERS peers, after the first ping: engine fds $fdnp," \
	    "RSS $(tn_rss_kb "$e") kB"

	[ $((fdn - fd2)) -le "$SCALE_FD_SLACK" ] &&
	    [ $((fd2 - fdn)) -le "$SCALE_FD_SLACK" ] ||
	    atf_fail "engine fds: $fd2 with 2 peers, $fdn with $SCALE_PEERS"
	[ $((fdnp - fd2p)) -le "$SCALE_FD_SLACK" ] &&
	    [ $((fd2p - fdnp)) -le "$SCALE_FD_SLACK" ] ||
	    atf_fail "engine fds connected: $fd2p with 2, $fdnp with $SCALE_PEERS"
	[ "$rss" -lt "$SCALE_RSS_KB" ] ||
	    atf_fail "engine RSS $rss kB, limit $SCALE_RSS_KB kB"
	awk -v c="$cpu" -v m="$SCALE_CPU_PCT" 'BEGIN { exit !(c < m) }' ||
	    atf_fail "engine CPU $cpu% over $SCALE_IDLE_S s idle"
}
netmap_10000_cleanup() { tn_cleanup "$(pwd)/tn"; }

atf_init_test_cases() {
	atf_add_test_case netmap_10000
}
