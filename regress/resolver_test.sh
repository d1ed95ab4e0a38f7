#! %ATF_SH%
# Integration tests: ternd's name lookups run in its resolver process.
# The host's namespace has its own /etc/resolv.conf and /etc/hosts
# (ip netns exec mounts /etc/netns/NAME/ over /etc/); its name server
# is a UDP socket that takes queries and never answers.

TN_BUILD=%TOP_BUILDDIR%
. %TOP_SRCDIR%/scripts/netns.sh
. %TOP_SRCDIR%/regress/topo.sh

DNS_TRY=30		# resolv.conf "timeout": a lookup blocks this long
LOOKUP_TIMEOUT=5	# the parent's DNS_TIMEOUT_SEC
QUICK_MS=2000		# status, reload and SIGTERM take less (issue 11)
NETCHECK=20		# seconds for the relay to answer a netcheck
DOMAIN=resolver.test	# RFC 2606: never a real name
R1_ADDR=$TN_UNDERLAY.101	# relay r1, host 101 of the public LAN

common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip ss perl wireguard-go"
	atf_set "timeout" "120"
}

common_cleanup() {
	[ -f tn/id ] && tn_load "$(pwd)/tn" &&
	    rm -rf "/etc/netns/$(tn_ns h1)"
	topo_cleanup "$(pwd)/tn"
}

# host_dns: host h1 on the public LAN; its name server swallows queries
# and its hosts file names relay r1.
host_dns() {
	local etc i
	topo_host h1 "$TOPO_PUB" 1
	tn_keys h1
	etc=/etc/netns/$(tn_ns h1)
	mkdir -p "$etc"
	printf 'nameserver 127.0.0.1\noptions timeout:%s attempts:1\n' \
	    "$DNS_TRY" > "$etc/resolv.conf"
	printf '127.0.0.1 localhost\n%s r1.%s\n' "$R1_ADDR" "$DOMAIN" \
	    > "$etc/hosts"
	topo_bg h1 perl -MIO::Socket::INET -e \
	    '$s = IO::Socket::INET->new(LocalAddr => "127.0.0.1:53",
	    Proto => "udp") or die "bind: $!"; 1 while $s->recv($b, 4096);'
	for i in $(seq 1 50); do
		tn_exec h1 ss -Hlun 'sport = :53' | grep -q . && return 0
		sleep 0.1
	done
	atf_fail "no DNS sink in h1: $(cat "$TN_DIR/h1/log")"
}

# conf_h1 SIGHOST RELAY...: h1's ternd.conf with these names.
conf_h1() {
	local sig=$1
	shift
	{
		echo "interface \"$(tn_if h1)\""
		echo "address $TN_OVERLAY.1/24"
		echo "listen port $TN_PORT"
		echo "keys \"$TN_DIR/h1/keys\""
		echo "accept $TN_OVERLAY.0/24"
		[ -n "$sig" ] && echo "signal \"$sig\" key \"$("$TN_SIGNAL" \
		    -G "$TN_DIR/h1/signal.key")\""
	} > "$TN_DIR/h1/ternd.conf"
	tn_conf_relay h1 "$@"
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# quick ARG...: "ternctl ARG..." on h1 succeeds within QUICK_MS.
quick() {
	local what=$1 t0 t1
	t0=$(now_ms)
	timeout 10 "$TN_TERNCTL" -s "$(tn_sock h1)" "$@" > out 2>&1 ||
	    atf_fail "$what failed: $(cat out)"
	t1=$(now_ms)
	[ $((t1 - t0)) -le $QUICK_MS ] ||
	    atf_fail "$what took $((t1 - t0)) ms"
	echo "$what: $((t1 - t0)) ms"
}

# resolver_pid: ternd's child whose process title says resolver.
resolver_pid() {
	local ppid c
	ppid=$(tn_pid h1)
	for c in $(cat "/proc/$ppid/task/$ppid/children" 2>/dev/null); do
		if tr '\0' ' ' < "/proc/$c/cmdline" | grep -q resolver; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

atf_test_case hung_dns cleanup
hung_dns_head() {
	common_head
	atf_set "descr" "with a name server that never answers, ternd" \
	    "answers status, reloads and stops on SIGTERM at once, and" \
	    "answers the engine's lookups with an error after the timeout"
}
hung_dns_body() {
	local pid t0 t1 i rpid
	topo_init "$(pwd)/tn"
	host_dns
	conf_h1 "sig.$DOMAIN:$TN_SIGNAL_PORT" "slow.$DOMAIN:3478"
	tn_start h1 || atf_fail "ternd did not start"
	rpid=$(resolver_pid) || atf_fail "no resolver process"
	# The resolver is blocked in a lookup, for DNS_TRY s.
	for i in $(seq 1 50); do
		tn_exec h1 ss -Hun 'dport = :53' | grep -q . && break
		sleep 0.1
	done
	tn_exec h1 ss -Hun 'dport = :53' | grep -q . ||
	    atf_fail "no query went to the name server"
	quick status
	cp "$TN_DIR/h1/ternd.conf" conf.old
	echo "exclude \"nobody\"" >> "$TN_DIR/h1/ternd.conf"
	quick reload
	grep -q "configuration reloaded" out || atf_fail "reload: $(cat out)"
	quick status
	# The engine hears of the hung lookups as errors.
	for i in $(seq 1 $(((LOOKUP_TIMEOUT + 3) * 10))); do
		tn_ctl h1 status -j | grep -q "name server in time" && break
		sleep 0.1
	done
	tn_ctl h1 status -j | grep -q "name server in time" ||
	    atf_fail "no lookup error: $(tn_ctl h1 status -j)"
	grep -q "no answer in $LOOKUP_TIMEOUT s" "$TN_DIR/h1/log" ||
	    atf_fail "no timeout logged: $(cat "$TN_DIR/h1/log")"
	# The resolver's user and no_new_privs.
	grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$rpid/status" ||
	    atf_fail "resolver without no_new_privs"
	[ "$(stat -c %U "/proc/$rpid")" = %TERN_USER% ] ||
	    atf_fail "resolver runs as $(stat -c %U "/proc/$rpid")"
	# Still in a lookup: its socket to the name server is open.
	tn_exec h1 ss -Hunp 'dport = :53' | grep -q "pid=$rpid," ||
	    atf_fail "the resolver is not in a lookup"
	pid=$(tn_pid h1)
	t0=$(now_ms)
	kill -TERM "$pid"
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	t1=$(now_ms)
	kill -0 "$pid" 2>/dev/null && atf_fail "ternd still runs after SIGTERM"
	[ $((t1 - t0)) -le $QUICK_MS ] ||
	    atf_fail "ternd took $((t1 - t0)) ms to stop"
	echo "stop: $((t1 - t0)) ms"
	kill -0 "$rpid" 2>/dev/null && atf_fail "the resolver outlived ternd"
	wait "$pid"
	atf_check_equal 0 $?
}
hung_dns_cleanup() {
	common_cleanup
}

atf_test_case hosts_relay cleanup
hosts_relay_head() {
	common_head
	atf_set "descr" "a relay named in /etc/hosts is resolved and probed"
}
hosts_relay_body() {
	local out i
	topo_init "$(pwd)/tn"
	topo_relay r1 101 || atf_fail "tern-relay r1: $(cat "$TN_DIR/r1/log")"
	host_dns
	conf_h1 "" "r1.$DOMAIN:$TOPO_STUN_PORT"
	tn_start h1 || atf_fail "ternd did not start"
	for i in $(seq 1 $NETCHECK); do
		out=$(tn_ctl h1 netcheck -j 2>&1 | tr -d '\n')
		echo "$out" | grep -q '"public": *"' && break
		sleep 1
	done
	echo "$out"
	echo "$out" | grep -q "\"server\": *\"$R1_ADDR:$TOPO_STUN_PORT\"" ||
	    atf_fail "r1 not resolved to $R1_ADDR: $out"
	echo "$out" | grep -q "\"public\": *\"$TN_UNDERLAY.1:" ||
	    atf_fail "r1 did not answer: $out"
}
hosts_relay_cleanup() {
	common_cleanup
}

atf_test_case resolver_dies cleanup
resolver_dies_head() {
	common_head
	atf_set "descr" "ternd tears down and exits 1 when its resolver dies"
}
resolver_dies_body() {
	local pid rpid i
	topo_init "$(pwd)/tn"
	host_dns
	conf_h1 "" "r1.$DOMAIN:$TOPO_STUN_PORT"
	tn_start h1 || atf_fail "ternd did not start"
	rpid=$(resolver_pid) || atf_fail "no resolver process"
	pid=$(tn_pid h1)
	kill -KILL "$rpid"
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && atf_fail "ternd runs without a resolver"
	wait "$pid"
	atf_check_equal 1 $?
	grep -q "resolver (pid $rpid) killed by signal 9" "$TN_DIR/h1/log" ||
	    atf_fail "death not logged: $(cat "$TN_DIR/h1/log")"
	tn_exec h1 ip link show "$(tn_if h1)" 2>/dev/null &&
	    atf_fail "interface left behind"
	return 0
}
resolver_dies_cleanup() {
	common_cleanup
}

atf_init_test_cases() {
	atf_add_test_case hung_dns
	atf_add_test_case hosts_relay
	atf_add_test_case resolver_dies
}
