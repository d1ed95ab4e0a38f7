#! %ATF_SH%
# Integration tests: NAT traversal.  tern-signal and two tern-relay STUN
# and TURN servers on a public LAN, hosts behind NAT routers from
# regress/topo.sh (endpoint-independent or fully-random); each ternd gets
# its peers from the network map and its relays from ternd.conf or, with
# TURN credentials, from tern-signal.  The NAT matrix (DESIGN.md "Tests",
# issue 12) checks in ternctl status -j that each pair of hosts is on the
# path it should be: direct through host, server-reflexive and
# peer-reflexive candidates wherever one side's checks get through the
# other's NAT, else through a relay.

TN_BUILD=%TOP_BUILDDIR%
. %TOP_SRCDIR%/scripts/netns.sh
. %TOP_SRCDIR%/regress/topo.sh

CONNECT=20		# seconds for ICE: one 10 s attempt and a retry
PING=5			# seconds for a first reply: WireGuard's handshake
RECONNECT=15		# seconds a host with a new address may be cut off
NETCHECK=15		# seconds for every relay to report a public address
CTL_TIMEOUT=10		# seconds one ternctl command may take
DIRECT=30		# seconds until both sides are direct: up to 10 s for
			# the first relay list, then CONNECT's for ICE
RELAYED=30		# seconds until both sides are on the relay and ping
UPGRADE=35		# seconds from a direct path opening to using it: the
			# direct pairs are checked again every 15 s
DOWNGRADE=10		# seconds from a direct path blocked to the relay
FAILOVER=15		# seconds from the relay in use dying to pings again
DEAD_IDLE=30		# seconds an allocation no path uses is found dead
NEW_SECRET=20		# seconds from a relay restarting with a new secret
			# (and tern-signal reloaded) to pings again
STREAMED=60		# seconds until relayed with UDP to the relays blocked:
			# 10 s for the TURN client to give up on UDP, then
			# a stream, then ICE with the relayed candidate
SIG_RELAYS=""		# relays tern-signal hands out, with TURN credentials

common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip nft ss wireguard-go ping $*"
	atf_set "timeout" "120"
}

common_cleanup() {
	topo_term "$(pwd)/tn"
	topo_cleanup "$(pwd)/tn"
}

# world: the public LAN with tern-signal and two tern-relay instances
# (two, so a mapping that varies by destination shows); RELAYS lists them.
world() {
	topo_init "$(pwd)/tn"
	topo_signal_host || atf_fail "no server key"
	topo_relay r1 101 || atf_fail "tern-relay r1: $(cat "$TN_DIR/r1/log")"
	topo_relay r2 102 || atf_fail "tern-relay r2: $(cat "$TN_DIR/r2/log")"
	RELAYS="$(topo_ip r1):$TOPO_STUN_PORT $(topo_ip r2):$TOPO_STUN_PORT"
}

# turn_world: world, its relays handed out by tern-signal with TURN
# credentials and none in ternd.conf, as a new user sets them up.  The
# public LAN is TEST-NET-2: ternd keeps such relays (not private) and
# tern-relay relays to the NATs' public addresses there by default.
turn_world() {
	world
	RELAYS=""
	SIG_RELAYS="r1 r2"
}

# behind NAT LAN V4 N TYPE: a private LAN and its NAT router, public host N.
behind() {
	topo_lan "$2" "$3"
	topo_nat "$1" "$2" "$4" "$5"
}

# host NAME LAN N: a host with ternd's keys.
host() {
	topo_host "$1" "$2" "$3"
	tn_keys "$1"
}

# mesh HOST...: tern-signal serves every HOST and hands out SIG_RELAYS;
# each HOST runs ternd with RELAYS.
mesh() {
	local h r
	tn_signal_conf "$@"
	for r in $SIG_RELAYS; do
		tn_signal_relay "$r" "$(topo_ip "$r"):$TOPO_STUN_PORT" \
		    "$TOPO_SECRET"
	done
	[ -z "${LAZY:-}" ] || sed -i '1i lazy-connections yes' \
	    "$TN_DIR/sig/tern-signal.conf"
	[ -z "${RELAY_ONLY:-}" ] || sed -i "/^peer \"$RELAY_ONLY\"/a\\
	relay-only" "$TN_DIR/sig/tern-signal.conf"
	tn_signal_start || atf_fail "tern-signal did not start"
	for h in "$@"; do
		tn_conf_signal "$h"
		# shellcheck disable=SC2086
		tn_conf_relay "$h" $RELAYS
		[ -z "${TLS_CA:-}" ] ||
		    echo "tls-ca \"$TLS_CA\"" >> "$TN_DIR/$h/ternd.conf"
		tn_start "$h" || atf_fail "ternd $h did not start"
	done
}

# connected A B: both see each other connected and ping through the tunnel.
connected() {
	tn_wait_connected "$1" "$2" $CONNECT ||
	    atf_fail "$1 does not see $2 connected: $(tn_ctl "$1" status -d)"
	tn_wait_connected "$2" "$1" $CONNECT ||
	    atf_fail "$2 does not see $1 connected: $(tn_ctl "$2" status -d)"
	tn_ping "$1" "$2" $PING || atf_fail "$1 cannot ping $2"
	tn_ping "$2" "$1" $PING || atf_fail "$2 cannot ping $1"
}

# path_is A B PATH DEADLINE: A reaches B on PATH ("direct", "relay") by
# DEADLINE (date +%s).
path_is() {
	tn_wait_path "$1" "$2" "$3" "$(left "$4")" ||
	    atf_fail "$1's path to $2 is \"$(tn_path "$1" "$2")\", not" \
	    "\"$3\": $(tn_peer_json "$1" "$2" | tr -d ' ')"
}

# left DEADLINE: seconds to DEADLINE (date +%s), at least 1.
left() {
	local n
	n=$(($1 - $(date +%s)))
	[ $n -ge 1 ] && echo $n || echo 1
}

# on_path A B PATH SECONDS: within SECONDS both reach each other on PATH
# and ping each other through the tunnel.
on_path() {
	local end
	end=$(($(date +%s) + $4))
	path_is "$1" "$2" "$3" $end
	path_is "$2" "$1" "$3" $end
	tn_ping "$1" "$2" "$(left $end)" || atf_fail "$1 cannot ping $2 ($3)"
	tn_ping "$2" "$1" "$(left $end)" || atf_fail "$2 cannot ping $1 ($3)"
}

# pair_is A B LTYPE LADDR RTYPE RADDR: A's pair to B, each field an
# extended regular expression.
pair_is() {
	local p
	p=$(tn_pair "$1" "$2")
	echo "$p" | grep -Eqx "$3 $4 $5 $6" ||
	    atf_fail "$1's pair to $2 is \"$p\", not \"$3 $4 $5 $6\""
}

# ip_re ADDR: ADDR as an extended regular expression.
ip_re() {
	echo "$1" | sed 's/[.[]/\\&/g'
}

# netcheck HOST: ternctl netcheck -j on one line, once every relay
# reports a public address or an error, or NETCHECK seconds have passed.
netcheck() {
	local i out
	for i in $(seq 1 $NETCHECK); do
		out=$(timeout $CTL_TIMEOUT "$TN_TERNCTL" -s "$(tn_sock "$1")" \
		    netcheck -j 2>&1 | tr -d '\n')
		echo "$out" | grep -q '"public": *null' || break
		sleep 1
	done
	echo "$out"
}

# netcheck_listed HOST: netcheck once the list has a relay: the first
# refresh of the discovered list comes within 10 s of the start.
netcheck_listed() {
	local i out
	for i in $(seq 1 $NETCHECK); do
		out=$(netcheck "$1")
		echo "$out" | grep -q '"address"' && break
		sleep 1
	done
	echo "$out"
}

# publics JSON: every relay's public address, one a line.
publics() {
	echo "$1" | grep -o '"public": *"[^"]*"' | sed 's/.*: *"\(.*\)"/\1/'
}

# symmetric JSON: the symmetric_v4 value.
symmetric() {
	echo "$1" | sed -n 's/.*"symmetric_v4": *\([a-z]*\).*/\1/p'
}

# publics_are JSON HOST IP COUNT: COUNT relays saw HOST as IP.
publics_are() {
	local n
	n=$(publics "$1" | grep -c "^$(ip_re "$3"):[0-9]*\$")
	[ "$n" -eq "$4" ] && [ "$(publics "$1" | wc -l)" -eq "$4" ] ||
	    atf_fail "$2: $n of $4 relays saw $3: $1"
}

# nat_and_public TYPE: h1 behind a NAT of TYPE and pub on the public LAN.
nat_and_public() {
	behind nat1 home1 192.168.1 1 "$1"
	host h1 home1 20
	host pub "$TOPO_PUB" 10
	mesh h1 pub
}

# public_nat_pair: pub reaches h1 at nat1's address from its own.
public_nat_pair() {
	pair_is pub h1 host "$(ip_re "$(topo_ip pub)"):$TN_PORT" \
	    '(srflx|prflx)' "$(ip_re "$(topo_ip nat1)"):[0-9]+"
}

# two_nats TYPE1 TYPE2: h1 behind nat1 (TYPE1), h2 behind nat2 (TYPE2).
two_nats() {
	behind nat1 home1 192.168.1 1 "$1"
	behind nat2 home2 10.0.2 2 "$2"
	host h1 home1 20
	host h2 home2 30
}

# srflx_pair A B NAT: A's pair to B has a server-reflexive side and
# reaches B at NAT's public address.
srflx_pair() {
	local p
	p=$(tn_pair "$1" "$2")
	echo "$p" | grep -Eq '^srflx |^[a-z]+ [^ ]+ srflx ' ||
	    atf_fail "$1's pair to $2 has no srflx side: \"$p\""
	pair_is "$1" "$2" '[a-z]+' '[^ ]+' '(srflx|prflx)' \
	    "$(ip_re "$(topo_ip "$3")"):[0-9]+"
}

atf_test_case public_public cleanup
public_public_head() {
	atf_set "descr" "two public hosts, with relays to hand, are direct"
	common_head
}
public_public_body() {
	turn_world
	host a "$TOPO_PUB" 10
	host b "$TOPO_PUB" 11
	mesh a b
	on_path a b direct $DIRECT
	pair_is a b host '[^ ]+' '(host|prflx)' '[^ ]+'
}
public_public_cleanup() {
	common_cleanup
}

atf_test_case both_connected cleanup
both_connected_head() {
	atf_set "descr" "right after the first reply to a woken peer both" \
	    "sides show it connected with its pair, within 100 ms"
	common_head
}
both_connected_body() {
	world
	two_nats eim eim
	LAZY=yes mesh h1 h2
	tn_wait_state h1 h2 idle 10 || atf_fail "h2 is not idle on h1"
	tn_wait_state h2 h1 idle 10 || atf_fail "h1 is not idle on h2"
	netcheck_listed h1 > /dev/null
	netcheck_listed h2 > /dev/null
	tn_exec h1 ping -c 1 -W $PING "$TN_OVERLAY.$(cat "$TN_DIR/h2/n")" \
	    > /dev/null || atf_fail "the first ping to h2 was not answered"
	both_shown h1 h2
	both_shown h2 h1
}
# both_shown A B: A shows B connected with a pair within 100 ms.
both_shown() {
	local j end
	end=$(($(date +%s%N) / 1000000 + 100))
	while :; do
		j=$(tn_peer_json "$1" "$2" | tr -d ' ')
		echo "$j" | grep -q '"state":"connected"' &&
		    ! echo "$j" | grep -q '"pair":null' && break
		[ $(($(date +%s%N) / 1000000)) -lt $end ] ||
		    atf_fail "$1 shows $2 as $j 100 ms after the first reply"
		sleep 0.01
	done
}
both_connected_cleanup() {
	common_cleanup
}

atf_test_case nat_to_public cleanup
nat_to_public_head() {
	atf_set "descr" "a host behind an endpoint-independent NAT reaches a" \
	    "public host on a direct path"
	common_head
}
nat_to_public_body() {
	turn_world
	nat_and_public eim
	on_path h1 pub direct $DIRECT
	# h1 reaches pub's own address; pub sees h1 at the NAT's.
	pair_is h1 pub '[a-z]+' '[^ ]+' host \
	    "$(ip_re "$(topo_ip pub)"):$TN_PORT"
	public_nat_pair
}
nat_to_public_cleanup() {
	common_cleanup
}

atf_test_case nat_to_nat cleanup
nat_to_nat_head() {
	atf_set "descr" "hosts behind two endpoint-independent NATs connect" \
	    "directly through server-reflexive candidates"
	common_head
}
nat_to_nat_body() {
	turn_world
	two_nats eim eim
	mesh h1 h2
	on_path h1 h2 direct $DIRECT
	srflx_pair h1 h2 nat2
	srflx_pair h2 h1 nat1
}
nat_to_nat_cleanup() {
	common_cleanup
}

atf_test_case same_nat cleanup
same_nat_head() {
	atf_set "descr" "two hosts behind the same NAT use their LAN addresses"
	common_head
}
same_nat_body() {
	turn_world
	behind nat1 home1 192.168.1 1 eim
	host h1 home1 20
	host h2 home1 21
	mesh h1 h2
	on_path h1 h2 direct $DIRECT
	pair_is h1 h2 host "$(ip_re "$(topo_ip h1)"):$TN_PORT" \
	    host "$(ip_re "$(topo_ip h2)"):$TN_PORT"
	pair_is h2 h1 host "$(ip_re "$(topo_ip h2)"):$TN_PORT" \
	    host "$(ip_re "$(topo_ip h1)"):$TN_PORT"
}
same_nat_cleanup() {
	common_cleanup
}

atf_test_case symmetric_public cleanup
symmetric_public_head() {
	atf_set "descr" "a host behind a symmetric NAT reaches a public host" \
	    "on a direct path: the public side learns its mapping from checks"
	common_head
}
symmetric_public_body() {
	turn_world
	nat_and_public symmetric
	on_path h1 pub direct $DIRECT
	public_nat_pair
}
symmetric_public_cleanup() {
	common_cleanup
}

atf_test_case symmetric_eim cleanup
symmetric_eim_head() {
	atf_set "descr" "hosts behind a symmetric and a filtering" \
	    "endpoint-independent NAT connect through a relay"
	common_head
}
symmetric_eim_body() {
	turn_world
	two_nats symmetric eim
	mesh h1 h2
	on_path h1 h2 relay $RELAYED
}
symmetric_eim_cleanup() {
	common_cleanup
}

atf_test_case symmetric_symmetric cleanup
symmetric_symmetric_head() {
	atf_set "descr" "hosts behind two symmetric NATs connect through a" \
	    "relay"
	common_head
}
symmetric_symmetric_body() {
	turn_world
	two_nats symmetric symmetric
	mesh h1 h2
	on_path h1 h2 relay $RELAYED
}
symmetric_symmetric_cleanup() {
	common_cleanup
}

# block_udp A B: A drops UDP to and from B (IPv4 and IPv6), as a
# firewall between them would; both still reach the relays.
block_udp() {
	tn_exec "$1" nft -f - <<-NFT
	table inet block {
		chain input {
			type filter hook input priority filter; policy accept;
			ip saddr $(topo_ip "$2") meta l4proto udp drop
			ip6 saddr $(topo_ip "$2" 6) meta l4proto udp drop
		}
		chain output {
			type filter hook output priority filter; policy accept;
			ip daddr $(topo_ip "$2") meta l4proto udp drop
			ip6 daddr $(topo_ip "$2" 6) meta l4proto udp drop
		}
	}
	NFT
}

# tls_world: turn_world, whose relays also take TURN over TLS on port
# 443 with a certificate for their address; TLS_CA is a bundle of both.
tls_world() {
	local name n ip
	topo_init "$(pwd)/tn"
	topo_signal_host || atf_fail "no server key"
	TLS_CA="$TN_DIR/ca.pem"
	: > "$TLS_CA"
	for name in r1 r2; do
		n=101; [ $name = r2 ] && n=102
		topo_host $name "$TOPO_PUB" $n
		ip=$(topo_ip $name)
		openssl req -x509 -newkey ec \
		    -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		    -subj "/CN=$ip" -addext "subjectAltName=IP:$ip" \
		    -keyout "$TN_DIR/$name/key.pem" \
		    -out "$TN_DIR/$name/cert.pem" > "$TN_DIR/openssl.log" 2>&1 ||
		    atf_fail "openssl: $(cat "$TN_DIR/openssl.log")"
		cat "$TN_DIR/$name/cert.pem" >> "$TLS_CA"
		tn_relay_conf $name "$TOPO_SECRET" "$ip" "$(topo_ip $name 6)"
		printf 'listen on %s port 443 tls\ntls-certificate "%s"\n%s\n' \
		    "$ip" "$TN_DIR/$name/cert.pem" \
		    "tls-key \"$TN_DIR/$name/key.pem\"" \
		    >> "$TN_DIR/$name/tern-relay.conf"
		tn_relay_start $name && topo_stun_wait $name "$ip" ||
		    atf_fail "tern-relay $name: $(cat "$TN_DIR/$name/log")"
	done
	RELAYS=""
	SIG_RELAYS="r1 r2"
}

# transport_is A T: A's TURN allocation is ready over T (udp, tcp, tls).
transport_is() {
	local j
	j=$(tn_ctl "$1" status -j | tr -d ' \n' |
	    grep -o '"allocation":{[^}]*}')
	echo "$j" | grep -q "\"state\":\"ready\",\"transport\":\"$2\"" ||
	    atf_fail "$1's allocation is not ready over $2: $j"
	grep -q "relay .*: TURN over $2\$" "$TN_DIR/$1/log" ||
	    atf_fail "$1 did not log TURN over $2"
}

atf_test_case relay_tls cleanup
relay_tls_head() {
	atf_set "descr" "a host that sends UDP nowhere, nor TCP to the" \
	    "relays' port, gets relayed paths over TLS to port 443"
	common_head openssl
}
relay_tls_body() {
	tls_world
	host a "$TOPO_PUB" 10
	host b "$TOPO_PUB" 11
	tn_exec a nft -f - <<-NFT || atf_fail "cannot block a's UDP"
	table inet block {
		chain output {
			type filter hook output priority filter; policy accept;
			oif "lo" accept
			meta l4proto udp drop
			tcp dport $TOPO_STUN_PORT reject with tcp reset
		}
	}
	NFT
	mesh a b
	on_path a b relay $STREAMED
	transport_is a tls
}
relay_tls_cleanup() {
	common_cleanup
}

atf_test_case relay_tcp cleanup
relay_tcp_head() {
	atf_set "descr" "a host whose UDP to the relays and to its peer is" \
	    "dropped gets relayed paths over TCP"
	common_head
}
relay_tcp_body() {
	turn_world
	host a "$TOPO_PUB" 10
	host b "$TOPO_PUB" 11
	block_udp a b || atf_fail "cannot block UDP between a and b"
	# The relays drop a's UDP, so a's TURN over UDP gets no answer
	# (and a no way to the peer's relayed address).
	for r in r1 r2; do
		block_udp $r a || atf_fail "cannot block UDP on $r"
	done
	mesh a b
	on_path a b relay $STREAMED
	transport_is a tcp
	grep -h "relay\|TURN" "$TN_DIR/a/log" >&2
}
relay_tcp_cleanup() {
	common_cleanup
}

atf_test_case udp_blocked cleanup
udp_blocked_head() {
	atf_set "descr" "two public hosts with UDP between them dropped" \
	    "connect through a relay over UDP"
	common_head
}
udp_blocked_body() {
	turn_world
	host a "$TOPO_PUB" 10
	host b "$TOPO_PUB" 11
	block_udp a b || atf_fail "cannot block UDP between a and b"
	mesh a b
	on_path a b relay $RELAYED
}
udp_blocked_cleanup() {
	common_cleanup
}

# ping_bg A B: A pings B's overlay address 5 times a second in the
# background, each reply with its time (ping -D), for ping_gap.
ping_bg() {
	# Not through tn_exec: $! must be ping itself (ip netns exec
	# execs it), not a subshell that a kill would leave it behind.
	ip netns exec "$(tn_ns "$1")" ping -D -n -i 0.2 -W 1 -w 120 \
	    "$TN_OVERLAY.$(cat "$TN_DIR/$2/n")" > "$TN_DIR/ping.$1" 2>&1 &
	PING_PID=$!
	echo $PING_PID >> "$TN_DIR/pids"
}

# ping_stop: ends ping_bg's ping.
ping_stop() {
	kill "$PING_PID" 2>/dev/null
	wait "$PING_PID" 2>/dev/null
	return 0
}

# ping_gap A: the longest time between two replies of A's ping_bg, in
# milliseconds; 1000000 if fewer than two came.
ping_gap() {
	grep 'bytes from' "$TN_DIR/ping.$1" |
	    sed 's/^\[\([0-9.]*\)\].*/\1/' | awk '
	    NR > 1 && ($1 - p) * 1000 > g { g = ($1 - p) * 1000 }
	    { p = $1 } END { if (NR < 2) g = 1000000; printf "%d\n", g }'
}

# ping_lost A: how many of A's ping_bg requests got no reply.
ping_lost() {
	local sent got first last
	sent=$(grep -c 'bytes from\|no answer' "$TN_DIR/ping.$1")
	got=$(grep -c 'bytes from' "$TN_DIR/ping.$1")
	first=$(grep 'bytes from' "$TN_DIR/ping.$1" | head -1 |
	    sed 's/.*icmp_seq=\([0-9]*\).*/\1/')
	last=$(grep 'bytes from' "$TN_DIR/ping.$1" | tail -1 |
	    sed 's/.*icmp_seq=\([0-9]*\).*/\1/')
	echo $((last - first + 1 - got))
}

# relay_in_use A: sets used to the relay A uses ("host:port") and
# victim to its host name (r1 or r2).
relay_in_use() {
	used=$(tn_ctl "$1" status -j | tr -d ' \n' |
	    sed -n 's/.*"relay":"\([^"]*\)".*/\1/p')
	case "$used" in
	"$(topo_ip r1):"*)	victim=r1 ;;
	"$(topo_ip r2):"*)	victim=r2 ;;
	*)			atf_fail "$1 uses no known relay: \"$used\"" ;;
	esac
}

atf_test_case relay_upgrade cleanup
relay_upgrade_head() {
	atf_set "descr" "a pair that starts on the relay moves to a direct" \
	    "path when one opens, with no ping lost"
	common_head
}
relay_upgrade_body() {
	turn_world
	host a "$TOPO_PUB" 10
	host b "$TOPO_PUB" 11
	block_udp a b || atf_fail "cannot block UDP between a and b"
	mesh a b
	on_path a b relay $RELAYED
	ping_bg a b
	sleep 2
	tn_exec a nft delete table inet block
	path_is a b direct $(($(date +%s) + UPGRADE))
	path_is b a direct $(($(date +%s) + UPGRADE))
	sleep 2
	ping_stop
	[ "$(ping_lost a)" -eq 0 ] ||
	    atf_fail "$(ping_lost a) pings lost moving to the direct path"
}
relay_upgrade_cleanup() {
	common_cleanup
}

atf_test_case relay_downgrade cleanup
relay_downgrade_head() {
	atf_set "descr" "a direct path that is blocked moves to the relay" \
	    "within 10 s, and back after it opens again"
	common_head
}
relay_downgrade_body() {
	turn_world
	host a "$TOPO_PUB" 10
	host b "$TOPO_PUB" 11
	mesh a b
	on_path a b direct $DIRECT
	# The relay path beside the direct one takes a few checks.
	sleep 3
	ping_bg a b
	sleep 2
	block_udp a b || atf_fail "cannot block UDP between a and b"
	path_is a b relay $(($(date +%s) + DOWNGRADE))
	sleep 3
	ping_stop
	gap=$(ping_gap a)
	[ "$gap" -le $((DOWNGRADE * 1000)) ] ||
	    atf_fail "pings stopped for $gap ms, more than $DOWNGRADE s"
	grep -q "peer b: direct -> relay (silent" "$TN_DIR/a/log" ||
	    atf_fail "a did not log the flip: $(grep 'peer b' "$TN_DIR/a/log")"
	tn_exec a nft delete table inet block
	path_is a b direct $(($(date +%s) + UPGRADE))
	grep -q "peer b: relay -> direct (3 direct receipts)" \
	    "$TN_DIR/a/log" || atf_fail "a did not log the flip back"
	tn_ping a b $PING || atf_fail "a cannot ping b after the flip back"
}
relay_downgrade_cleanup() {
	common_cleanup
}

atf_test_case relay_new_secret cleanup
relay_new_secret_head() {
	atf_set "descr" "a relay restarted with a new secret (tern-signal" \
	    "reloaded with it): peers behind symmetric NATs ping again" \
	    "within 20 s"
	common_head
}
relay_new_secret_body() {
	turn_world
	two_nats symmetric symmetric
	mesh h1 h2
	on_path h1 h2 relay $RELAYED
	relay_in_use h1
	ping_bg h1 h2
	sleep 2
	kill "$(tn_pid $victim)"
	sed -i "s/^secret .*/secret \"a-new-secret\"/" \
	    "$TN_DIR/$victim/tern-relay.conf"
	tn_relay_start $victim || atf_fail "$victim did not start again"
	awk -v v="$victim" '
	    /^relay "/ { r = ($2 == "\"" v "\"") }
	    r && /^\tsecret / { $0 = "\tsecret \"a-new-secret\"" }
	    { print }' "$TN_DIR/sig/tern-signal.conf" > "$TN_DIR/sig/new.conf"
	mv "$TN_DIR/sig/new.conf" "$TN_DIR/sig/tern-signal.conf"
	kill -HUP "$(cat "$TN_DIR/sig/pid")"
	sleep $NEW_SECRET
	ping_stop
	gap=$(ping_gap h1)
	[ "$gap" -le $((NEW_SECRET * 1000)) ] ||
	    atf_fail "pings stopped for $gap ms after $victim restarted"
	on_path h1 h2 relay $RELAYED
}
relay_new_secret_cleanup() {
	common_cleanup
}

atf_test_case relay_restart cleanup
relay_restart_head() {
	atf_set "descr" "ternd restarted on the same port gets a relayed" \
	    "path again: it released its allocation when it stopped"
	common_head
}
relay_restart_body() {
	turn_world
	two_nats symmetric symmetric
	mesh h1 h2
	on_path h1 h2 relay $RELAYED
	tn_stop h1
	tn_start h1 || atf_fail "ternd h1 did not start again"
	on_path h1 h2 relay $RELAYED
	! grep -q "Allocate refused" "$TN_DIR/h1/log" ||
	    atf_fail "$(grep 'Allocate refused' "$TN_DIR/h1/log")"
}
relay_restart_cleanup() {
	common_cleanup
}

atf_test_case relay_unreachable cleanup
relay_unreachable_head() {
	atf_set "descr" "a direct path answered by ICMP unreachable moves" \
	    "to the relay after 3 errors, before the 8 s of silence"
	common_head
}
relay_unreachable_body() {
	turn_world
	host a "$TOPO_PUB" 10
	host b "$TOPO_PUB" 11
	mesh a b
	on_path a b direct $DIRECT
	sleep 3
	# b refuses a's UDP with port unreachable, as a closed port would.
	tn_exec b nft -f - <<-NFT
	table inet refuse {
		chain input {
			type filter hook input priority filter; policy accept;
			ip saddr $(topo_ip a) meta l4proto udp reject
			ip6 saddr $(topo_ip a 6) meta l4proto udp reject
		}
	}
	NFT
	ping_bg a b
	path_is a b relay $(($(date +%s) + 5))
	ping_stop
	grep -q "peer b: direct -> relay (3 ICMP unreachable)" \
	    "$TN_DIR/a/log" ||
	    atf_fail "a did not log the flip: $(grep 'peer b' "$TN_DIR/a/log")"
	tn_ping a b $PING || atf_fail "a cannot ping b over the relay"
}
relay_unreachable_cleanup() {
	common_cleanup
}

atf_test_case relay_failover cleanup
relay_failover_head() {
	atf_set "descr" "when the relay in use dies, hosts behind symmetric" \
	    "NATs move to the other relay and ping again within 15 s"
	common_head
}
relay_failover_body() {
	turn_world
	two_nats symmetric symmetric
	mesh h1 h2
	on_path h1 h2 relay $RELAYED
	relay_in_use h1
	ping_bg h1 h2
	sleep 2
	kill "$(tn_pid $victim)"
	sleep $FAILOVER
	ping_stop
	gap=$(ping_gap h1)
	[ "$gap" -le $((FAILOVER * 1000)) ] ||
	    atf_fail "pings stopped for $gap ms after $victim died"
	on_path h1 h2 relay $RELAYED
	# Its own allocation, if no path used it, is found dead by the
	# next probe: 25 s of silence and 5 s for an answer.
	for i in $(seq 1 $((DEAD_IDLE * 10))); do
		now=$(tn_ctl h1 status -j | tr -d ' \n' |
		    sed -n 's/.*"relay":"\([^"]*\)".*/\1/p')
		[ "$now" != "$used" ] && break
		sleep 0.1
	done
	[ "$now" != "$used" ] || atf_fail "h1 still uses $used"
}
relay_failover_cleanup() {
	common_cleanup
}

atf_test_case masquerade cleanup
masquerade_head() {
	atf_set "descr" "hosts behind two plain masquerading gateways that" \
	    "take unsolicited UDP (a clashing entry) still connect"
	common_head
}
masquerade_body() {
	turn_world
	two_nats masq masq
	mesh h1 h2
	connected h1 h2
}
masquerade_cleanup() {
	common_cleanup
}

atf_test_case relay_only cleanup
relay_only_head() {
	atf_set "descr" "a peer flagged relay-only in the network map is" \
	    "reached through a relay even when a direct path works"
	common_head
}
relay_only_body() {
	turn_world
	host a "$TOPO_PUB" 10
	host b "$TOPO_PUB" 11
	RELAY_ONLY=b mesh a b
	on_path a b relay $RELAYED
	sleep 3
	[ "$(tn_path a b)" = relay ] && [ "$(tn_path b a)" = relay ] ||
	    atf_fail "a relay-only pair went direct: $(tn_path a b)" \
	    "$(tn_path b a)"
}
relay_only_cleanup() {
	common_cleanup
}

atf_test_case relay_lazy cleanup
relay_lazy_head() {
	atf_set "descr" "with lazy connections, the first ping to an idle" \
	    "peer behind symmetric NATs wakes it and is answered through" \
	    "the relay"
	common_head
}
relay_lazy_body() {
	turn_world
	two_nats symmetric symmetric
	LAZY=yes mesh h1 h2
	tn_wait_state h1 h2 idle 10 || atf_fail "h2 is not idle on h1"
	# Both take tern-signal's relay list as soon as it comes.
	for h in h1 h2; do
		for i in $(seq 1 50); do
			tn_ctl $h status | grep -q "^relay: [0-9]" && break
			sleep 0.1
		done
	done
	tn_exec h1 ping -c 1 -W $PING "$TN_OVERLAY.$(cat "$TN_DIR/h2/n")" \
	    > /dev/null || atf_fail "the first ping was not answered: " \
	    "$(tn_ctl h1 status -d)"
	[ "$(tn_path h1 h2)" = relay ] ||
	    atf_fail "h1's path to h2 is \"$(tn_path h1 h2)\", not relay"
}
relay_lazy_cleanup() {
	common_cleanup
}

atf_test_case ipv6_underlay cleanup
ipv6_underlay_head() {
	atf_set "descr" "two public hosts with IPv6 only connect over IPv6"
	common_head
}
ipv6_underlay_body() {
	world
	RELAYS="[$(topo_ip r1 6)]:$TOPO_STUN_PORT [$(topo_ip r2 6)]:$TOPO_STUN_PORT"
	host a "$TOPO_PUB" 10
	host b "$TOPO_PUB" 11
	topo_v6only a
	topo_v6only b
	mesh_v6 a b
	connected a b
	pair_is a b host "\[$(topo_ip a 6)\]:$TN_PORT" \
	    host "\[$(topo_ip b 6)\]:$TN_PORT"
	pair_is b a host "\[$(topo_ip b 6)\]:$TN_PORT" \
	    host "\[$(topo_ip a 6)\]:$TN_PORT"
}
ipv6_underlay_cleanup() {
	common_cleanup
}

# mesh_v6 HOST...: mesh with tern-signal on its IPv6 address.
mesh_v6() {
	local h sig6
	sig6=$(topo_ip sig 6)
	tn_signal_conf "$@"
	sed -i "s/^listen on .*/listen on $sig6 port $TN_SIGNAL_PORT/" \
	    "$TN_DIR/sig/tern-signal.conf"
	tn_signal_start || atf_fail "tern-signal did not start"
	for h in "$@"; do
		tn_conf_signal "$h"
		sed -i "s/^signal \"[^\"]*\"/signal \"[$sig6]:$TN_SIGNAL_PORT\"/" \
		    "$TN_DIR/$h/ternd.conf"
		# shellcheck disable=SC2086
		tn_conf_relay "$h" $RELAYS
		tn_start "$h" || atf_fail "ternd $h did not start"
	done
}

atf_test_case netcheck_symmetric cleanup
netcheck_symmetric_head() {
	atf_set "descr" "ternctl netcheck reports symmetric NAT behind the" \
	    "fully-random router and not behind the endpoint-independent one"
	common_head
}
netcheck_symmetric_body() {
	local j1 j2
	world
	two_nats eim symmetric
	mesh h1 h2
	j1=$(netcheck h1)
	j2=$(netcheck h2)
	[ "$(symmetric "$j1")" = false ] ||
	    atf_fail "h1, behind the EIM NAT: $j1"
	[ "$(symmetric "$j2")" = true ] ||
	    atf_fail "h2, behind the fully-random NAT: $j2"
	publics_are "$j1" h1 "$(topo_ip nat1)" 2
	publics_are "$j2" h2 "$(topo_ip nat2)" 2
	# Behind the EIM NAT both relays saw one port.
	[ "$(publics "$j1" | sort -u | wc -l)" -eq 1 ] ||
	    atf_fail "h1 seen at two ports: $j1"
}
netcheck_symmetric_cleanup() {
	common_cleanup
}

atf_test_case address_change cleanup
address_change_head() {
	atf_set "descr" "a host behind a NAT whose address changes pings" \
	    "through the tunnel again within 15 s"
	common_head
}
address_change_body() {
	local gw t0 t1 i secs ok=no
	world
	nat_and_public eim
	connected h1 pub
	gw=$(cat "$TN_DIR/lans/home1/gw")
	t0=$(date +%s.%N)
	# The only address goes, and the default route with it.
	tn_exec h1 ip addr del "$(topo_ip h1)/24" dev eth0
	tn_exec h1 ip addr add 192.168.1.22/24 dev eth0
	tn_exec h1 ip route add default via "$gw"
	for i in $(seq 1 $RECONNECT); do
		if tn_ping h1 pub 1; then
			ok=yes
			break
		fi
	done
	t1=$(date +%s.%N)
	secs=$(echo "$t1 $t0" | awk '{ printf "%.2f", $1 - $2 }')
	echo "address_change: ping through the tunnel again after $secs s"
	[ $ok = yes ] && awk -v s="$secs" -v m=$RECONNECT \
	    'BEGIN { exit !(s <= m) }' ||
	    atf_fail "no ping within $RECONNECT s ($secs s):" \
	    "$(tn_ctl h1 status -d)"
	public_nat_pair
	tn_ping pub h1 $PING || atf_fail "pub cannot ping h1"
}
address_change_cleanup() {
	common_cleanup
}

atf_test_case coturn_stun cleanup
coturn_stun_head() {
	atf_set "descr" "with coturn's turnserver as the only STUN server," \
	    "netcheck shows the NAT's address and NATed hosts connect"
	common_head turnserver
}
coturn_stun_body() {
	local j
	topo_init "$(pwd)/tn"
	topo_signal_host || atf_fail "no server key"
	topo_coturn turn 103 || atf_fail "turnserver: $(cat "$TN_DIR/turn/log")"
	RELAYS="$(topo_ip turn):$TOPO_STUN_PORT"
	two_nats eim eim
	mesh h1 h2
	j=$(netcheck h1)
	publics_are "$j" h1 "$(topo_ip nat1)" 1
	connected h1 h2
	srflx_pair h1 h2 nat2
	srflx_pair h2 h1 nat1
}
coturn_stun_cleanup() {
	common_cleanup
}

atf_test_case coturn_turn cleanup
coturn_turn_head() {
	atf_set "descr" "with coturn's turnserver (use-auth-secret) as the" \
	    "only TURN server, hosts behind two symmetric NATs connect" \
	    "through it"
	common_head turnserver
}
coturn_turn_body() {
	topo_init "$(pwd)/tn"
	topo_signal_host || atf_fail "no server key"
	topo_coturn turn 103 "$TOPO_SECRET" ||
	    atf_fail "turnserver: $(cat "$TN_DIR/turn/log")"
	RELAYS=""
	SIG_RELAYS=turn
	two_nats symmetric symmetric
	mesh h1 h2
	on_path h1 h2 relay $RELAYED
}
coturn_turn_cleanup() {
	common_cleanup
}

atf_test_case relay_cache cleanup
relay_cache_head() {
	atf_set "descr" "relays announced by tern-signal are cached in" \
	    "relays.json and used at a start without tern-signal; a corrupt" \
	    "cache is ignored with a warning"
	common_head
}
relay_cache_body() {
	local j i cache
	world
	behind nat1 home1 192.168.1 1 eim
	host h1 home1 20
	# h1 has no relay line: it learns r1 from tern-signal only.
	tn_signal_conf h1
	printf 'relay "r1" {\n\taddress "%s:%s"\n\tsecret "s3cret"\n}\n' \
	    "$(topo_ip r1)" "$TOPO_STUN_PORT" >> "$TN_DIR/sig/tern-signal.conf"
	tn_signal_start || atf_fail "tern-signal did not start"
	tn_conf_signal h1
	tn_start h1 || atf_fail "ternd h1 did not start"
	cache="$TN_DIR/h1/state/relays.json"
	for i in $(seq 1 $NETCHECK); do
		grep -q "\"$(ip_re "$(topo_ip r1)"):$TOPO_STUN_PORT\"" \
		    "$cache" 2>/dev/null && break
		sleep 1
	done
	grep -q '"saved_at"' "$cache" || atf_fail "no relays.json: $(cat \
	    "$cache" 2>&1)"
	j=$(netcheck_listed h1)
	publics_are "$j" h1 "$(topo_ip nat1)" 1
	echo "$j" | grep -q '"bootstrap": *false' ||
	    atf_fail "r1 is not listed as discovered: $j"
	# Cold start with tern-signal gone: the cache names r1.
	tn_stop h1
	tn_signal_kill
	tn_start h1 || atf_fail "ternd h1 did not start again"
	j=$(netcheck_listed h1)
	publics_are "$j" h1 "$(topo_ip nat1)" 1
	tn_stop h1
	echo '{"addrs": [1, 2' > "$cache"
	tn_start h1 || atf_fail "ternd h1 did not start with a corrupt cache"
	grep -q 'relays.json: .*ignored' "$TN_DIR/h1/log" ||
	    atf_fail "no warning about the corrupt cache: $(tail "$TN_DIR/h1/log")"
	j=$(timeout $CTL_TIMEOUT "$TN_TERNCTL" -s "$(tn_sock h1)" netcheck -j |
	    tr -d ' \n')
	echo "$j" | grep -q '"relays":\[\]' ||
	    atf_fail "relays listed without a cache or a server: $j"
}
relay_cache_cleanup() {
	common_cleanup
}

atf_test_case relayed_ping cleanup
relayed_ping_head() {
	atf_set "descr" "behind two symmetric NATs: status shows the TURN" \
	    "allocation ready and the peer via the relay, and ternctl ping" \
	    "is answered through it"
	common_head
}
relayed_ping_body() {
	local h o r via
	topo_init "$(pwd)/tn"
	topo_signal_host || atf_fail "no server key"
	# A TURN relay: tern-relay with a REST shared secret.
	topo_host r1 "$TOPO_PUB" 101
	printf 'listen on * port %s\nsecret "s3cret"\n' "$TOPO_STUN_PORT" \
	    > "$TN_DIR/r1/relay.conf"
	topo_bg r1 "$TN_BUILD/tern-relay" -d -v -f "$TN_DIR/r1/relay.conf"
	topo_stun_wait r1 "$(topo_ip r1)" ||
	    atf_fail "tern-relay r1: $(cat "$TN_DIR/r1/log")"
	two_nats symmetric symmetric
	tn_signal_conf h1 h2
	tn_signal_start || atf_fail "tern-signal did not start"
	for h in h1 h2; do
		tn_conf_signal $h
		echo "relay \"$(topo_ip r1):$TOPO_STUN_PORT\" secret \"s3cret\"" \
		    >> "$TN_DIR/$h/ternd.conf"
		tn_start $h || atf_fail "ternd $h did not start"
	done
	connected h1 h2
	# The selected pair has one relayed side: through our relay, or to
	# the peer's relayed address.
	r=$(ip_re "$(topo_ip r1)")
	for h in h1 h2; do
		o=h2; [ $h = h2 ] && o=h1
		via="(relay $r:$TOPO_STUN_PORT|$o's relay $r:[0-9]+)"
		atf_check -o match:"^relay: $r:$TOPO_STUN_PORT \(hash pick\)\$" \
		    -o match:"^  allocation: ready, relayed address $r:[0-9]+, [1-9][0-9]* permissions?, [0-9]+ channels?\$" \
		    -o match:"^  via: $via" \
		    "$TN_TERNCTL" -s "$(tn_sock $h)" status -d
		atf_check -o match:"^pong from $o via $via in [0-9]+\.[0-9] ms\$" \
		    "$TN_TERNCTL" -s "$(tn_sock $h)" ping $o
	done
	# Through one's own relay (the JSON names it and the relayed
	# address), or each side to the other's relayed address.
	j=$( (tn_peer_json h1 h2; tn_peer_json h2 h1) | tr -d ' \n')
	echo "$j" | grep -q "\"via_relay\":true,\"relay\":\"$r:$TOPO_STUN_PORT\",\"relayed_address\":\"$r:[0-9]*\"" ||
	    [ "$(echo "$j" | grep -o '"remote_type":"relay"' | wc -l)" -eq 2 ] ||
	    atf_fail "neither goes through a relay: $j"
}
relayed_ping_cleanup() {
	common_cleanup
}

atf_init_test_cases() {
	atf_add_test_case public_public
	atf_add_test_case nat_to_public
	atf_add_test_case nat_to_nat
	atf_add_test_case same_nat
	atf_add_test_case symmetric_public
	atf_add_test_case symmetric_eim
	atf_add_test_case symmetric_symmetric
	atf_add_test_case udp_blocked
	atf_add_test_case relay_tcp
	atf_add_test_case relay_tls
	atf_add_test_case ipv6_underlay
	atf_add_test_case netcheck_symmetric
	atf_add_test_case address_change
	atf_add_test_case coturn_stun
	atf_add_test_case coturn_turn
	atf_add_test_case relay_cache
	atf_add_test_case relay_upgrade
	atf_add_test_case relay_downgrade
	atf_add_test_case relay_failover
	atf_add_test_case relay_unreachable
	atf_add_test_case relay_restart
	atf_add_test_case relay_new_secret
	atf_add_test_case relay_lazy
	atf_add_test_case relay_only
	atf_add_test_case masquerade
	atf_add_test_case both_connected
	atf_add_test_case relayed_ping
}
