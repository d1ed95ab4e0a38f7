#! %ATF_SH%
# tern-relay under attack: floods of bad requests and of allocations,
# slow TCP and TLS clients, several server processes and secret rotation.
# Each case builds three network namespaces: the relay, its clients (and
# the peer they relay to, coturn's turnutils_peer) and an attacker, each
# client side on a veth of its own; the legitimate traffic is coturn's
# turnutils_uclient, a client no one here wrote.

BUILD=%TOP_BUILDDIR%
RELAY=$BUILD/tern-relay
FLOOD=$BUILD/regress/turnflood
SECRET=tern-limits-secret
PORT=3478
TLS_PORT=5349
PEER_PORT=3480
NET_C=10.201.1			# the clients' /24; the relay is .1
NET_A=10.201.2			# the attacker's /24; the relay is .1
RELAY_C=$NET_C.1
RELAY_A=$NET_A.1
PEER=$NET_C.2			# turnutils_peer; uclient sends it its data
ATTACKER=$NET_A.2
# The relay closes a stream without an allocation after this long
# (STREAM_IDLE_MS), one in the TLS handshake after this (ms), and looks
# once a second (SERVER_TICK_S): the windows allow for that second.
IDLE_MS=30000
HANDSHAKE_MS=10000
LATE_MS=3000

common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip ss turnutils_uclient turnutils_peer $*"
	atf_set "timeout" "90"
}

# ns r|c|a: the name of the relay's, the clients' or the attacker's
# namespace.  Cleanup runs in another process: the names are in files.
ns() {
	cat "ns.$1"
}

# net: the three namespaces, linked relay-clients and relay-attacker.
net() {
	local side host
	for side in r c a; do
		echo "tl$side$$" > "ns.$side"
		ip netns add "$(ns $side)" || atf_fail "cannot create a namespace"
		echo "$(ns $side)" >> netns
		ip -n "$(ns $side)" link set lo up
	done
	ip link add "tl$$c" netns "$(ns r)" type veth peer name "tl$$r" \
	    netns "$(ns c)" || atf_fail "cannot create a veth"
	ip link add "tl$$a" netns "$(ns r)" type veth peer name "tl$$r" \
	    netns "$(ns a)" || atf_fail "cannot create a veth"
	ip -n "$(ns r)" addr add "$RELAY_C/24" dev "tl$$c"
	ip -n "$(ns r)" addr add "$RELAY_A/24" dev "tl$$a"
	for host in 2 3 4 5 6; do
		ip -n "$(ns c)" addr add "$NET_C.$host/24" dev "tl$$r"
	done
	for host in 2 3; do
		ip -n "$(ns a)" addr add "$NET_A.$host/24" dev "tl$$r"
	done
	ip -n "$(ns r)" link set "tl$$c" up
	ip -n "$(ns r)" link set "tl$$a" up
	ip -n "$(ns c)" link set "tl$$r" up
	ip -n "$(ns a)" link set "tl$$r" up
}

# show [FILE]: the end of the file, or of stdin, on one line as
# atf_fail wants it.
show() {
	tail -n 20 "$@" | tr '\n' ' '
}

# bg PIDFILE: records the last background command for cleanup.
bg() {
	echo $! > "$1"
	echo $! >> pids
}

# conf [LINE...]: relay.conf, one server unless a line says otherwise.
conf() {
	{
		echo "listen on * port $PORT"
		echo "relay-address $RELAY_C"
		echo "allow-peer $PEER/32"
		printf 'secret "%s"\n' "$SECRET"
		for l in "$@"; do
			echo "$l"
		done
		case "$*" in
		*servers*) ;;
		*) echo "servers 1" ;;
		esac
	} > relay.conf
}

# start [LINE...]: the namespaces, the peer, and tern-relay on conf's
# file, with at most $NOFILE descriptors if set.
start() {
	local i n
	net
	conf "$@"
	ip netns exec "$(ns c)" turnutils_peer -L "$PEER" -p $PEER_PORT \
	    > peer.log 2>&1 &
	bg peer.pid
	(
		[ -z "$NOFILE" ] || ulimit -n "$NOFILE"
		exec ip netns exec "$(ns r)" "$RELAY" -d -v -f relay.conf
	) > relay.log 2>&1 &
	bg relay.pid
	n=$(sed -n 's/^servers //p' relay.conf)
	i=0
	while [ "$(grep -c "answering STUN Binding" relay.log)" -lt "$n" ] ||
	    ! ip netns exec "$(ns c)" ss -Hlun "sport = :$PEER_PORT" |
	    grep -q .; do
		i=$((i + 1))
		[ $i -le 50 ] || atf_fail "tern-relay did not start: $(show relay.log)"
		sleep 0.1
	done
}

# alive [N]: the parent and its N servers (1) still run.
alive() {
	kill -0 "$(cat relay.pid)" 2>/dev/null ||
	    atf_fail "tern-relay died: $(show relay.log)"
	[ "$(pgrep -c -P "$(cat relay.pid)")" -eq "${1:-1}" ] ||
	    atf_fail "a server process died: $(show relay.log)"
}

# side SOURCE: the namespace of a source address and the relay's
# address seen from there.
side() {
	case "$1" in
	$NET_A.*) echo "$(ns a) $RELAY_A" ;;
	*) echo "$(ns c) $RELAY_C" ;;
	esac
}

# uclient OUT SOURCE [ARG...]: turnutils_uclient from SOURCE to the
# peer; its output in OUT, its status returned.
uclient() {
	local out=$1 src=$2 where
	shift 2
	where=$(side "$src")
	ip netns exec "${where% *}" timeout 60 turnutils_uclient -u tern \
	    -e "$PEER" -r $PEER_PORT -l 100 -L "$src" "$@" "${where#* }" \
	    > "$out" 2>&1
}

# unserved OUT SOURCE TEXT: uclient with SECRET from SOURCE fails, and
# says TEXT.
unserved() {
	uclient "$1" "$2" -W "$SECRET" -n 5 -c &&
	    atf_fail "uclient from $2 relayed: $(show "$1")"
	grep -q "$3" "$1" || atf_fail "uclient from $2: $(show "$1")"
}

# allocs SOURCE COUNT SECRET: turnflood's allocations from SOURCE.
allocs() {
	local where
	where=$(side "$1")
	ip netns exec "${where% *}" "$FLOOD" -l "$1" -n "$2" -s "$3" \
	    alloc "${where#* }" $PORT
}

# expect FILE LINE...: each LINE, a regular expression, is a line of FILE.
expect() {
	local f=$1 l
	shift
	for l in "$@"; do
		grep -qx "$l" "$f" || atf_fail "$f: no \"$l\": $(show "$f")"
	done
}

# relayed OUT: uclient's run in OUT ended with every message back.
relayed() {
	local sent recv
	grep -q "Total lost packets 0 (0.000000%)" "$1" ||
	    atf_fail "$1: packets lost: $(show "$1")"
	sent=$(sed -n 's/.*start_mclient: tot_send_msgs=\([0-9]*\), .*/\1/p' "$1")
	recv=$(sed -n 's/.*start_mclient: tot_send_msgs=[0-9]*, tot_recv_msgs=\([0-9]*\)$/\1/p' "$1")
	[ -n "$sent" ] && [ "$sent" -gt 0 ] && [ "$sent" = "$recv" ] ||
	    atf_fail "$1: sent ${sent:-none}, received ${recv:-none}: $(show "$1")"
}

# field FILE KIND WORD: the number after WORD on turnflood's KIND line.
field() {
	sed -n "s/^$2 .*$3 \([0-9]*\).*/\1/p" "$1"
}

# closed FILE FIRST LAST LO HI: connections FIRST to LAST of turnflood
# hold were closed by the relay between LO and HI ms after they opened.
closed() {
	local i ms
	for i in $(seq "$2" "$3"); do
		ms=$(sed -n "s/^conn $i closed //p" "$1")
		[ -n "$ms" ] && [ "$ms" -ge "$4" ] && [ "$ms" -le "$5" ] ||
		    atf_fail "$1: connection $i closed after ${ms:-never} ms, not $4-$5: $(show "$1")"
	done
}

# wait_log TEXT: up to 5 s for TEXT in the log.
wait_log() {
	local i=0
	while ! grep -q "$1" relay.log; do
		i=$((i + 1))
		[ $i -le 50 ] || atf_fail "no \"$1\" in the log: $(show relay.log)"
		sleep 0.1
	done
}

common_cleanup() {
	local p n
	if [ -f pids ]; then
		for p in $(cat pids); do
			kill "$p" 2>/dev/null
		done
		sleep 0.2
	fi
	if [ -f netns ]; then
		for n in $(cat netns); do
			ip netns del "$n" 2>/dev/null
		done
	fi
	true
}

atf_test_case bad_flood cleanup
bad_flood_head() {
	atf_set "descr" "a flood of garbage, unauthenticated and wrongly authenticated Allocates is answered at the source's rate and logged once a second, while another client relays"
	common_head
}
bad_flood_body() {
	local secs=10 rate=2000 sent answered max refused
	start "rate-limit 10 burst 20" "auth-failure-rate 5"
	ip netns exec "$(ns a)" "$FLOOD" -l "$ATTACKER" -r $rate -t $secs \
	    flood "$RELAY_A" $PORT > flood.out 2>&1 &
	bg flood.pid
	sleep 1
	uclient during.out "$NET_C.3" -W "$SECRET" -n 20 ||
	    atf_fail "uclient during the flood failed: $(show during.out)"
	relayed during.out
	# It was served in the flood, not after it.
	kill -0 "$(cat flood.pid)" 2>/dev/null ||
	    atf_fail "uclient ended after the flood: $(show flood.out)"
	wait "$(cat flood.pid)" || atf_fail "turnflood failed: $(show flood.out)"
	alive

	# Every datagram was sent; garbage gets nothing, the rest 401 only.
	sent=$(field flood.out total sent)
	[ "$sent" -ge $((rate * secs * 9 / 10)) ] ||
	    atf_fail "the flood sent $sent: $(show flood.out)"
	for kind in garbage other; do
		[ "$(field flood.out $kind answered)" -eq 0 ] ||
		    atf_fail "$kind was answered: $(show flood.out)"
	done
	for kind in unauth badauth; do
		[ "$(field flood.out $kind answered)" = \
		    "$(field flood.out $kind 401)" ] ||
		    atf_fail "$kind: answers other than 401: $(show flood.out)"
	done
	# The burst, then 10 a second for the flood and the trailing second.
	answered=$(field flood.out total answered)
	max=$((20 + 10 * (secs + 2)))
	[ "$answered" -ge 20 ] && [ "$answered" -le $max ] ||
	    atf_fail "the flood got $answered answers, not 20-$max: $(show flood.out)"
	[ "$(field flood.out badauth answered)" -ge 1 ] ||
	    atf_fail "no wrong password was refused: $(show flood.out)"

	# The wrong passwords are in the log, at most about once a second.
	refused=$(grep -c "refused auth from $ATTACKER:" relay.log)
	[ "$refused" -ge 1 ] && [ "$refused" -le $((secs + 2)) ] ||
	    atf_fail "$refused refusals logged in $secs s: $(grep refused relay.log | show)"
	[ "$(grep -c refused relay.log)" -le $((secs + 2)) ] ||
	    atf_fail "more refusals logged: $(grep refused relay.log | show)"
}
bad_flood_cleanup() {
	common_cleanup
}

atf_test_case alloc_quota cleanup
alloc_quota_head() {
	atf_set "descr" "allocations past max-allocations-per-source get 486 while another source allocates; past max-allocations, 508"
	common_head
}
alloc_quota_body() {
	start "max-allocations-per-source 3" "max-allocations 6"
	allocs "$ATTACKER" 5 "$SECRET" > quota.alloc
	expect quota.alloc "alloc 1 ok $RELAY_C:[0-9]*" "alloc 2 ok .*" \
	    "alloc 3 ok .*" "alloc 4 error 486" "alloc 5 error 486"
	# A client no one here wrote reads the same code.
	unserved quota.out "$ATTACKER" "error 486 (Allocation Quota Reached)"
	# Another source of the same user still allocates and relays.
	uclient other.out "$NET_C.3" -W "$SECRET" -n 10 -c ||
	    atf_fail "uclient from another source failed: $(show other.out)"
	relayed other.out
	# 4 allocations held; while the attacker still tries, a third
	# source fills the relay to 6.
	allocs "$ATTACKER" 1 "$SECRET" > again.alloc
	allocs "$NET_C.4" 3 "$SECRET" > full.alloc
	expect again.alloc "alloc 1 error 486"
	expect full.alloc "alloc 1 ok .*" "alloc 2 ok .*" "alloc 3 error 508"
	unserved full.out "$NET_C.5" "error 508 (Insufficient Capacity)"
	# The operator reads both: the attacker's refusals do not hide
	# that the relay is full.
	grep -q "refused quota from $ATTACKER:" relay.log ||
	    atf_fail "the quota refusals are not logged: $(show relay.log)"
	grep -q "refused capacity from $NET_C.4:" relay.log ||
	    atf_fail "the capacity refusal is not logged: $(grep refused relay.log | show)"
	alive
}
alloc_quota_cleanup() {
	common_cleanup
}

atf_test_case slowloris_tcp cleanup
slowloris_tcp_head() {
	atf_set "descr" "slow TCP clients: past max-allocations-per-source closed at once, the others after 30 s without a message, while another client relays over TCP"
	common_head
}
slowloris_tcp_body() {
	local secs=$(((IDLE_MS + LATE_MS) / 1000 + 2))
	start "max-allocations-per-source 4"
	# Half a STUN header on 6, nothing at all on 2 from another address.
	ip netns exec "$(ns a)" "$FLOOD" -l "$ATTACKER" -n 6 -t $secs \
	    -m stun hold "$RELAY_A" $PORT > partial.out 2>&1 &
	bg partial.pid
	ip netns exec "$(ns a)" "$FLOOD" -l "$NET_A.3" -n 2 -t $secs \
	    -m none hold "$RELAY_A" $PORT > silent.out 2>&1 &
	bg silent.pid
	sleep 1
	uclient tcp.out "$NET_C.3" -W "$SECRET" -n 20 -t ||
	    atf_fail "uclient over TCP failed: $(show tcp.out)"
	relayed tcp.out
	wait "$(cat partial.pid)" || atf_fail "turnflood: $(show partial.out)"
	wait "$(cat silent.pid)" || atf_fail "turnflood: $(show silent.out)"
	closed partial.out 5 6 0 $LATE_MS
	closed partial.out 1 4 $((IDLE_MS - 1000)) $((IDLE_MS + LATE_MS))
	closed silent.out 1 2 $((IDLE_MS - 1000)) $((IDLE_MS + LATE_MS))
	[ "$(grep -c "closed: idle without an allocation" relay.log)" -eq 6 ] ||
	    atf_fail "idle streams closed: $(grep stream relay.log | show)"
	alive
}
slowloris_tcp_cleanup() {
	common_cleanup
}

atf_test_case slowloris_tls cleanup
slowloris_tls_head() {
	atf_set "descr" "slow TLS clients: past max-allocations-per-source closed at once, half handshakes after 10 s, a silent session after 30 s, while another client relays over TLS"
	common_head openssl
}
slowloris_tls_body() {
	local secs=$(((HANDSHAKE_MS + LATE_MS) / 1000 + 2)) t0 t1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout key.pem -out cert.pem -days 1 -subj /CN=relay.test \
	    > openssl.log 2>&1 || atf_fail "openssl: $(show openssl.log)"
	start "listen on * tls" "tls-certificate \"$(pwd)/cert.pem\"" \
	    "tls-key \"$(pwd)/key.pem\"" "max-allocations-per-source 4"
	# A whole handshake, then 3 bytes of a frame, and silence; s_client
	# exits when the relay closes, its input held open by fd 3.
	mkfifo session.in
	t0=$(date +%s)
	{
		ip netns exec "$(ns a)" timeout 60 openssl s_client -quiet \
		    -connect "$NET_A.1:$TLS_PORT" -bind "$NET_A.3:0" \
		    < session.in > session.out 2>&1
		date +%s > session.end
	} &
	bg session.pid
	exec 3> session.in
	printf '\000\001\000' >&3
	# Half a ClientHello on 6 connections.
	ip netns exec "$(ns a)" "$FLOOD" -l "$ATTACKER" -n 6 -t $secs \
	    -m tls hold "$RELAY_A" $TLS_PORT > half.out 2>&1 &
	bg half.pid
	uclient tls.out "$NET_C.3" -W "$SECRET" -n 20 -t -S ||
	    atf_fail "uclient over TLS failed: $(show tls.out)"
	relayed tls.out
	wait "$(cat half.pid)" || atf_fail "turnflood: $(show half.out)"
	closed half.out 5 6 0 $LATE_MS
	closed half.out 1 4 $((HANDSHAKE_MS - 1000)) $((HANDSHAKE_MS + LATE_MS))
	wait "$(cat session.pid)"
	exec 3>&-
	t1=$(cat session.end)
	[ $((t1 - t0)) -ge $((IDLE_MS / 1000 - 1)) ] &&
	    [ $((t1 - t0)) -le $(((IDLE_MS + LATE_MS) / 1000 + 1)) ] ||
	    atf_fail "the silent TLS session ended after $((t1 - t0)) s: $(show session.out)"
	[ "$(grep -c "closed: TLS handshake timed out" relay.log)" -eq 4 ] ||
	    atf_fail "handshakes timed out: $(grep stream relay.log | show)"
	[ "$(grep -c "closed: idle without an allocation" relay.log)" -eq 1 ] ||
	    atf_fail "idle sessions closed: $(grep stream relay.log | show)"
	alive
}
slowloris_tls_cleanup() {
	common_cleanup
}

# cpu PID: the process's user and system time, in clock ticks.
cpu() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

atf_test_case descriptors cleanup
descriptors_head() {
	atf_set "descr" "out of descriptors, tern-relay rests its listeners a second at a time instead of spinning and flooding its log, and accepts again when they are back"
	common_head turnutils_stunclient
}
descriptors_body() {
	local secs=6 server t0 t1 tck logged
	# 64 descriptors; a slow client per stream until they run out.
	NOFILE=64 start
	ip netns exec "$(ns a)" "$FLOOD" -l "$ATTACKER" -n 80 -t $secs \
	    -m stun hold "$RELAY_A" $PORT > hold.out 2>&1 &
	bg hold.pid
	wait_log "accept: Too many open files"
	server=$(pgrep -P "$(cat relay.pid)")
	tck=$(getconf CLK_TCK)
	t0=$(cpu "$server")
	sleep 3
	t1=$(cpu "$server")
	[ $((t1 - t0)) -le $((3 * tck / 10)) ] ||
	    atf_fail "the server ran $((t1 - t0)) ticks (of $tck a second) in 3 s with connections waiting"
	# It still answers, out of descriptors.
	atf_check -o match:"UDP reflexive addr: $NET_C.3:" \
	    ip netns exec "$(ns c)" timeout 10 turnutils_stunclient \
	    -L "$NET_C.3" "$RELAY_C"
	wait "$(cat hold.pid)" || atf_fail "turnflood: $(show hold.out)"
	logged=$(grep -c "accept: Too many open files" relay.log)
	[ "$logged" -le $((secs + 2)) ] ||
	    atf_fail "$logged lines of accept errors in $secs s"
	# The attacker has gone: the relay accepts and relays over TCP.
	uclient tcp.out "$NET_C.3" -W "$SECRET" -n 10 -t ||
	    atf_fail "uclient over TCP failed: $(show tcp.out)"
	relayed tcp.out
	alive
}
descriptors_cleanup() {
	common_cleanup
}

# owner PORT: the pid of the relay process whose UDP socket has PORT.
owner() {
	ip netns exec "$(ns r)" ss -Huanp "sport = :$1" |
	    sed -n 's/.*pid=\([0-9]*\),.*/\1/p'
}

# owners OUT: the pids that own the relayed ports of turnflood alloc.
owners() {
	local p
	for p in $(sed -n 's/^alloc [0-9]* ok .*:\([0-9]*\)$/\1/p' "$1"); do
		owner "$p"
	done | sort -u
}

atf_test_case servers cleanup
servers_head() {
	atf_set "descr" "two server processes: UDP and TCP clients relay, and each source address is served by one process"
	common_head
}
servers_body() {
	local p3 p4
	start "servers 2"
	grep -q "started: 2 server processes" relay.log ||
	    atf_fail "not 2 servers: $(show relay.log)"
	alive 2
	# Four allocations from each of two sources, each from its own port.
	for h in 3 4; do
		allocs "$NET_C.$h" 4 "$SECRET" > alloc$h.out
		expect alloc$h.out "alloc 1 ok .*" "alloc 2 ok .*" \
		    "alloc 3 ok .*" "alloc 4 ok .*"
	done
	p3=$(owners alloc3.out)
	p4=$(owners alloc4.out)
	[ "$(echo "$p3" | wc -l)" -eq 1 ] && [ -n "$p3" ] ||
	    atf_fail "the allocations of one source are on servers $(echo $p3)"
	[ "$(echo "$p4" | wc -l)" -eq 1 ] && [ -n "$p4" ] ||
	    atf_fail "the allocations of one source are on servers $(echo $p4)"
	[ "$p3" != "$p4" ] || atf_fail "both sources are on server $p3"
	pgrep -P "$(cat relay.pid)" | grep -qx "$p3" ||
	    atf_fail "$p3 is not a server of tern-relay"
	pgrep -P "$(cat relay.pid)" | grep -qx "$p4" ||
	    atf_fail "$p4 is not a server of tern-relay"
	# uclient from both sources at once, over UDP, then over TCP.
	for proto in udp tcp; do
		flag=
		[ $proto = tcp ] && flag=-t
		uclient ${proto}5.out "$NET_C.5" -W "$SECRET" -n 20 $flag &
		bg uclient.pid
		uclient ${proto}6.out "$NET_C.6" -W "$SECRET" -n 20 $flag ||
		    atf_fail "uclient over $proto failed: $(show ${proto}6.out)"
		wait "$(cat uclient.pid)" ||
		    atf_fail "uclient over $proto failed: $(show ${proto}5.out)"
		relayed ${proto}5.out
		relayed ${proto}6.out
	done
	alive 2
}
servers_cleanup() {
	common_cleanup
}

atf_test_case reload cleanup
reload_head() {
	atf_set "descr" "SIGHUP adds a secret and then drops the old one: a running client keeps relaying, the new secret works, the old one gets 401"
	common_head
}
reload_body() {
	local new=tern-limits-new-secret i
	start
	# About 15 s of relaying with the old secret, across both reloads.
	uclient long.out "$NET_C.3" -W "$SECRET" -n 300 -z 40 -c &
	bg long.pid
	i=0
	while ! ip netns exec "$(ns r)" ss -Huan "src $RELAY_C" |
	    grep -q .; do
		i=$((i + 1))
		[ $i -le 100 ] || atf_fail "uclient did not allocate: $(show long.out)"
		sleep 0.1
	done
	conf "secret \"$new\""
	kill -HUP "$(cat relay.pid)"
	wait_log "sent the new configuration: .* 2 secrets"
	uclient new.out "$NET_C.4" -W "$new" -n 10 -c ||
	    atf_fail "uclient with the new secret failed: $(show new.out)"
	relayed new.out

	# The old secret goes.
	sed -i "/$SECRET/d" relay.conf
	kill -HUP "$(cat relay.pid)"
	wait_log "sent the new configuration: .* 1 secrets"
	allocs "$NET_C.5" 1 "$SECRET" > old.alloc
	expect old.alloc "alloc 1 error 401"
	# coturn's client takes a 401 with a nonce for a challenge: it
	# retries and then gives up.
	unserved old.out "$NET_C.6" "Cannot complete Allocation"
	grep -q "refused auth from $NET_C.5:" relay.log ||
	    atf_fail "the refusal is not logged: $(show relay.log)"
	allocs "$NET_C.5" 1 "$new" > new.alloc
	expect new.alloc "alloc 1 ok .*"

	wait "$(cat long.pid)" ||
	    atf_fail "the running uclient failed: $(show long.out)"
	relayed long.out
	grep -q "start_mclient: tot_send_msgs=300, tot_recv_msgs=300$" long.out ||
	    atf_fail "the running uclient: $(show long.out)"
	alive
}
reload_cleanup() {
	common_cleanup
}

atf_init_test_cases() {
	atf_add_test_case bad_flood
	atf_add_test_case alloc_quota
	atf_add_test_case slowloris_tcp
	atf_add_test_case slowloris_tls
	atf_add_test_case descriptors
	atf_add_test_case servers
	atf_add_test_case reload
}
