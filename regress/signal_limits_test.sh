#! %ATF_SH%
# tern-signal on the loopback: sigtool agents against a server that each
# test starts from a config it writes; welcome, refusal, every limit,
# forwarding and reloads.

SIG_SIGNAL=%TOP_BUILDDIR%/tern-signal
SIG_TOOL=%TOP_BUILDDIR%/regress/sigtool
SIG_HOST=127.0.0.1
# The nodes in the config; x has a key the server does not know.
SIG_NODES="a b c d e f"
# What a node gets after its hello: the server's hello, netmap, relays.
SIG_WELCOME="hello expect hello expect netmap expect relays"
# The readiness probe's own source address, outside every limit test's.
SIG_PROBE=127.0.0.254

# wait_for, has, hasnt
. %TOP_SRCDIR%/regress/checks.sh

common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "$SIG_SIGNAL $SIG_TOOL"
	atf_set "timeout" "120"
}

# Keys of the server and the nodes, a free port, an empty chroot.
sig_setup() {
	local n
	mkdir -m 0755 empty
	"$SIG_SIGNAL" -G server.key > server.pub ||
	    atf_fail "tern-signal -G failed"
	SIG_SPUB=$(cat server.pub)
	for n in $SIG_NODES x; do
		"$SIG_TOOL" keygen "$n.key" > "$n.pub" || atf_fail "keygen $n"
		"$SIG_TOOL" keygen "$n.wgkey" > "$n.wg" || atf_fail "keygen $n"
	done
	SIG_PORT=$("$SIG_TOOL" port) || atf_fail "no free port"
	echo "$SIG_PORT" > port
}

sig_load() {
	SIG_SPUB=$(cat server.pub)
	SIG_PORT=$(cat port)
}

# sig_peer NAME N [GROUP]: a peer block with overlay address 10.77.0.N.
sig_peer() {
	printf 'peer "%s" {\n\tnode-key "%s"\n\twg-key "%s"\n' "$1" \
	    "$(cat "$1.pub")" "$(cat "$1.wg")"
	printf '\taddress "10.77.0.%s/32"\n' "$2"
	[ -n "$3" ] && printf '\tgroup "%s"\n' "$3"
	printf '}\n'
}

# sig_conf [LINE...]: the config with every node, plus extra lines.
sig_conf() {
	local n i=2 l
	{
		echo "listen on $SIG_HOST port $SIG_PORT"
		echo "key \"$(pwd)/server.key\""
		echo "network 10.77.0.0/16"
		for l in "$@"; do
			echo "$l"
		done
		for n in $SIG_NODES; do
			sig_peer "$n" $i
			i=$((i + 1))
		done
	} > tern-signal.conf
}

# sig_conf_isolated: isolate-groups, with a and b in group one, c in two.
sig_conf_isolated() {
	SIG_NODES="a b c"
	{
		echo "listen on $SIG_HOST port $SIG_PORT"
		echo "key \"$(pwd)/server.key\""
		echo "network 10.77.0.0/16"
		echo "isolate-groups yes"
		sig_peer a 2 one
		sig_peer b 3 one
		sig_peer c 4 two
	} > tern-signal.conf
}

# Starts the server on the config and waits until it accepts.
sig_start() {
	local i
	"$SIG_SIGNAL" -d -f "$(pwd)/tern-signal.conf" -c "$(pwd)/empty" \
	    > log 2>&1 &
	echo $! > pid
	for i in $(seq 1 100); do
		kill -0 "$(cat pid)" 2>/dev/null ||
		    atf_fail "tern-signal exited: $(tr '\n' ' ' < log)"
		"$SIG_TOOL" -b "$SIG_PROBE" -w 1 "$SIG_HOST" "$SIG_PORT" \
		    2>/dev/null && return 0
		sleep 0.1
	done
	atf_fail "tern-signal does not accept on port $SIG_PORT"
}

# sig_alive: the server is still running.
sig_alive() {
	kill -0 "$(cat pid)" 2>/dev/null ||
	    atf_fail "tern-signal died: $(tr '\n' ' ' < log)"
}

# ag NAME [-b ADDR] [-r RCVBUF] [-V VERSION] [-w SECS] ACTION...: node
# NAME's agent.
ag() {
	local n=$1
	shift
	local opts=""
	while [ $# -gt 0 ]; do
		case "$1" in
		-b|-r|-V|-w) opts="$opts $1 $2"; shift 2 ;;
		*) break ;;
		esac
	done
	# shellcheck disable=SC2086
	"$SIG_TOOL" -k "$n.key" -s "$SIG_SPUB" $opts "$SIG_HOST" "$SIG_PORT" \
	    "$@"
}

# bg NAME ARGS...: ag in the background, output in NAME.out, pid kept.
bg() {
	local out=$1
	shift
	ag "$@" > "$out.out" 2> "$out.err" &
	echo $! > "$out.pid"
	echo $! >> bgpids
}

# bg_wait NAME: the exit status of a background agent.
bg_wait() {
	wait "$(cat "$1.pid")"
}

# peer_has FILE NAME TEXT: peer NAME's entry in the last netmap in FILE
# holds the fixed string TEXT.
peer_has() {
	grep '"type":"netmap"' "$1" | tail -n 1 |
	    grep -o "{\"name\":\"$2\",[^}]*}" > "$1.$2"
	has "$1.$2" "$3"
}

# wait_lines FILE TEXT N: until N lines of FILE hold TEXT, at most 10 s.
wait_lines() {
	local i
	for i in $(seq 1 100); do
		[ "$(grep -cF -- "$2" "$1")" -ge "$3" ] && return 0
		sleep 0.1
	done
	atf_fail "$1 never had $3 lines with \"$2\": $(tr '\n' ' ' < "$1")"
}

common_cleanup() {
	local p
	if [ -f bgpids ]; then
		for p in $(cat bgpids); do
			kill "$p" 2>/dev/null
		done
	fi
	if [ -f pid ]; then
		kill "$(cat pid)" 2>/dev/null
		for p in $(seq 1 50); do
			kill -0 "$(cat pid)" 2>/dev/null || break
			sleep 0.1
		done
	fi
	return 0
}

atf_test_case known_node_welcome cleanup
known_node_welcome_head() {
	atf_set "descr" "a known node gets hello, its netmap with every peer" \
	    "and the relays, and its ping a pong"
	common_head
}
known_node_welcome_body() {
	sig_setup
	sig_conf
	sig_start
	ag a $SIG_WELCOME ping > a.out || atf_fail "agent a: exit $?"
	has a.out '"type":"hello"'
	has a.out '"type":"relays"'
	has a.out '"type":"pong"'
	grep '"type":"netmap"' a.out > netmap
	has netmap "\"self\":{\"name\":\"a\",\"node_key\":\"$(cat a.pub)\""
	for n in b c d e f; do
		has netmap "{\"name\":\"$n\",\"node_key\":\"$(cat $n.pub)\""
	done
	has netmap "\"wg_key\":\"$(cat b.wg)\""
	has netmap '"10.77.0.3/32"'
	has log "node a from 127.0.0.1: online"
}
known_node_welcome_cleanup() { common_cleanup; }

atf_test_case isolate_groups cleanup
isolate_groups_head() {
	atf_set "descr" "with isolate-groups a netmap holds only the peers" \
	    "that share a group"
	common_head
}
isolate_groups_body() {
	sig_setup
	sig_conf_isolated
	sig_start
	ag a $SIG_WELCOME > a.out || atf_fail "agent a: exit $?"
	has a.out "{\"name\":\"b\""
	hasnt a.out "{\"name\":\"c\""
	ag c $SIG_WELCOME send-signal "$(cat a.pub)" hi expect error \
	    > c.out || atf_fail "agent c: exit $?"
	hasnt c.out "{\"name\":\"a\""
	has c.out '"code":"unknown-peer"'
}
isolate_groups_cleanup() { common_cleanup; }

atf_test_case unknown_key_refused cleanup
unknown_key_refused_head() {
	atf_set "descr" "a node key not in the config gets no message 2," \
	    "is closed and logged by key; a known one still gets in"
	common_head
}
unknown_key_refused_body() {
	local rv=0
	sig_setup
	sig_conf
	sig_start
	ag x -o x.m1 > x.out 2> x.err || rv=$?
	[ "$rv" -eq 5 ] || atf_fail "agent x: exit $rv, not a failed handshake"
	has x.err "handshake: connection closed"
	# The same message 1 sent raw: the server closes and sends nothing.
	"$SIG_TOOL" -b 127.0.0.32 "$SIG_HOST" "$SIG_PORT" raw x.m1 \
	    wait-close 5 > raw.out 2>&1 ||
	    atf_fail "an answer to an unknown key: exit $?: $(cat raw.out)"
	has log "refused unknown node key $(cat x.pub) from 127.0.0.1: closing without an answer"
	ag a $SIG_WELCOME ping > a.out || atf_fail "agent a: exit $?"
}
unknown_key_refused_cleanup() { common_cleanup; }

atf_test_case replayed_handshake cleanup
replayed_handshake_head() {
	atf_set "descr" "a node's message 1 sent again by another host gets" \
	    "no message 2; the log names that host, never the node"
	common_head
}
replayed_handshake_body() {
	sig_setup
	sig_conf
	sig_start
	# The real node connects; its message 1 is what a sniffer keeps.
	ag a -o a.m1 $SIG_WELCOME ping > a.out || atf_fail "agent a: exit $?"
	has log "node a from 127.0.0.1: online"
	# The attacker sends it from 127.0.0.33: closed, nothing written.
	"$SIG_TOOL" -b 127.0.0.33 "$SIG_HOST" "$SIG_PORT" raw a.m1 \
	    wait-close 5 > replay.out 2>&1 ||
	    atf_fail "the replay was answered: exit $?: $(cat replay.out)"
	has log "127.0.0.33: handshake no newer than the last one of its key, replayed or from a clock set back: closing without an answer"
	hasnt log "node a from 127.0.0.33"
	# The node itself is not locked out.
	ag a $SIG_WELCOME ping > a2.out || atf_fail "agent a again: exit $?"
}
replayed_handshake_cleanup() { common_cleanup; }

atf_test_case older_timestamp cleanup
older_timestamp_head() {
	atf_set "descr" "a message 1 with a timestamp older than the last" \
	    "one accepted for its key is refused without an answer"
	common_head
}
older_timestamp_body() {
	local rv=0
	sig_setup
	sig_conf
	sig_start
	ag b $SIG_WELCOME ping > b.out || atf_fail "agent b: exit $?"
	ag b -a 60 -b 127.0.0.34 $SIG_WELCOME > old.out 2> old.err || rv=$?
	[ "$rv" -eq 5 ] || atf_fail "a minute old got in: exit $rv"
	has old.err "handshake: connection closed"
	has log "127.0.0.34: handshake no newer than the last one of its key"
	hasnt log "node b from 127.0.0.34"
	# A timestamp between the last one and now is newer: it gets in.
	ag b $SIG_WELCOME ping > b2.out || atf_fail "agent b again: exit $?"
}
older_timestamp_cleanup() { common_cleanup; }

atf_test_case message_size_limit cleanup
message_size_limit_head() {
	atf_set "descr" "a message over max-message-size closes the" \
	    "connection; one under it is answered"
	common_head
}
message_size_limit_body() {
	sig_setup
	sig_conf "max-message-size 8192"
	sig_start
	ag a $SIG_WELCOME bigmsg 8100 expect pong > a.out ||
	    atf_fail "8100 bytes: exit $?"
	ag b $SIG_WELCOME bigmsg 8300 wait-close 5 > b.out ||
	    atf_fail "8300 bytes: exit $? (0 means closed)"
	hasnt b.out '"type":"pong"'
	# Cut into frames, a message far over FRAME_MAX is still one message.
	ag c $SIG_WELCOME bigmsg 200000 wait-close 5 > c.out ||
	    atf_fail "200000 bytes: exit $? (0 means closed)"
	# Small frames that add up: reassembled under the limit, refused over.
	ag d $SIG_WELCOME chunked 8100 500 expect pong > d.out ||
	    atf_fail "8100 bytes in frames of 500: exit $?"
	ag e $SIG_WELCOME chunked 100000 500 wait-close 5 > e.out ||
	    atf_fail "100000 bytes in frames of 500: exit $? (0 means closed)"
	hasnt e.out '"type":"pong"'
	grep "node e from" log > e.log
	has e.log "message exceeds the limit of 8192 bytes"
	grep "node b from" log > b.log
	has b.log "exceeds the limit"
	sig_alive
}
message_size_limit_cleanup() { common_cleanup; }

atf_test_case queue_limit cleanup
queue_limit_head() {
	atf_set "descr" "a reader that falls max-queue behind is disconnected;" \
	    "a reader that keeps up gets every signal; the sender goes on"
	common_head
}
queue_limit_body() {
	sig_setup
	sig_conf "max-queue 65536" "message-rate 1000"
	sig_start
	# b reads nothing, with the smallest receive buffer; c reads.
	bg b b -r 4096 -w 20 $SIG_WELCOME stall 8 wait-close 20
	bg c c -w 30 $SIG_WELCOME recv signal 600
	wait_for b.out '"type":"relays"'
	wait_for c.out '"type":"relays"'
	# 6 MB to each, at a rate under message-rate.
	ag a -w 20 $SIG_WELCOME stream "$(cat b.pub)" 1200 400 4096 \
	    stream "$(cat c.pub)" 600 400 4096 ping > a.out ||
	    atf_fail "sender a: exit $?"
	has a.out '"type":"pong"'
	bg_wait b || atf_fail "slow reader b: exit $? (0 means closed)"
	bg_wait c || atf_fail "reader c: exit $?"
	has c.out "recv signal 600"
	grep -q "node b from 127.0.0.1: [0-9]* bytes queued, over max-queue" \
	    log || atf_fail "no slow reader line for b: $(tr '\n' ' ' < log)"
	hasnt log "node c from 127.0.0.1: disconnected"
}
queue_limit_cleanup() { common_cleanup; }

atf_test_case queue_burst_kept cleanup
queue_burst_kept_head() {
	atf_set "descr" "a burst over max-queue to a reader that keeps up" \
	    "passes: what the socket takes at once is not queued"
	common_head
}
queue_burst_kept_body() {
	sig_setup
	sig_conf "max-queue 65536"
	sig_start
	bg c c -w 10 $SIG_WELCOME recv signal 16
	wait_for c.out '"type":"relays"'
	# 16 signals of 5.6 kB in one write: 90 kB, read by the server at once.
	ag a $SIG_WELCOME stream "$(cat c.pub)" 16 0 4096 ping > a.out ||
	    atf_fail "sender a: exit $?"
	bg_wait c || atf_fail "reader c: exit $?"
	has c.out "recv signal 16"
	hasnt log "slow reader"
}
queue_burst_kept_cleanup() { common_cleanup; }

atf_test_case rate_limit cleanup
rate_limit_head() {
	atf_set "descr" "more than message-rate gets error rate and a close;" \
	    "a node under it is answered"
	common_head
}
rate_limit_body() {
	sig_setup
	sig_conf "message-rate 50"
	sig_start
	# The bucket holds two seconds' worth: 100 messages.
	ag a $SIG_WELCOME flood 400 wait-close 5 > a.out ||
	    atf_fail "flooder: exit $? (0 means closed)"
	has a.out '"code":"rate"'
	ag b $SIG_WELCOME flood 60 ping > b.out ||
	    atf_fail "under the rate: exit $?"
	hasnt b.out '"code":"rate"'
	has log "over 50 messages a second"
}
rate_limit_cleanup() { common_cleanup; }

atf_test_case conn_per_addr_limit cleanup
conn_per_addr_limit_head() {
	atf_set "descr" "connections over max-connections-per-address are" \
	    "refused; those under it and other addresses are served"
	common_head
}
conn_per_addr_limit_body() {
	sig_setup
	sig_conf "max-connections-per-address 3"
	sig_start
	ag a -b 127.0.0.2 conns a.key b.key c.key d.key e.key > burst.out ||
	    atf_fail "conns: exit $?"
	has burst.out "conns admitted 3 refused 2"
	has log "127.0.0.2 has 3 connections, the limit"
	# They are closed now, once the server has seen it: the address is
	# free again.
	for i in $(seq 1 20); do
		ag f -b 127.0.0.2 $SIG_WELCOME ping > f.out 2>&1 && break
		sleep 0.1
	done
	has f.out '"type":"pong"'
	ag a -b 127.0.0.3 conns a.key b.key c.key > other.out ||
	    atf_fail "conns: exit $?"
	has other.out "conns admitted 3 refused 0"
}
conn_per_addr_limit_cleanup() { common_cleanup; }

atf_test_case handshake_rate_limit cleanup
handshake_rate_limit_head() {
	atf_set "descr" "handshakes over handshake-rate from one address are" \
	    "closed unanswered; another address and a later try get in"
	common_head
}
handshake_rate_limit_body() {
	sig_setup
	sig_conf "handshake-rate 2"
	sig_start
	ag a -b 127.0.0.4 conns a.key b.key c.key d.key e.key f.key \
	    > burst.out || atf_fail "conns: exit $?"
	has burst.out "conns admitted 2 refused 4"
	has log "127.0.0.4 is over 2 handshakes a second"
	ag a -b 127.0.0.5 $SIG_WELCOME ping > other.out ||
	    atf_fail "another address: exit $?"
	# Two tokens a second: after 1.5 s there is one again.
	sleep 1.5
	ag b -b 127.0.0.4 $SIG_WELCOME ping > later.out ||
	    atf_fail "later: exit $?"
}
handshake_rate_limit_cleanup() { common_cleanup; }

atf_test_case handshakes_limit cleanup
handshakes_limit_head() {
	atf_set "descr" "beyond max-handshakes connections that have not" \
	    "said hello are closed unanswered; room again once they go"
	common_head
}
handshakes_limit_body() {
	local i rv
	sig_setup
	sig_conf "max-handshakes 3"
	sig_start
	# Three sources connect and never start the handshake.
	for i in 1 2 3; do
		"$SIG_TOOL" -b "127.0.0.2$i" "$SIG_HOST" "$SIG_PORT" stall 60 \
		    > "stall$i.out" 2>&1 &
		echo $! > "stall$i.pid"
		echo $! >> bgpids
	done
	# Each source is under every per-address limit: the total refuses.
	for i in $(seq 1 50); do
		rv=0
		ag a -b 127.0.0.24 -w 2 $SIG_WELCOME > a.out 2>&1 || rv=$?
		[ "$rv" -ne 0 ] && break
		sleep 0.1
	done
	[ "$rv" -eq 5 ] || atf_fail "the fourth connection got in: $rv"
	has log "127.0.0.24: 3 connections have not said hello yet, the limit (max-handshakes): closing"
	hasnt log "node a from 127.0.0.24"
	for i in 1 2 3; do
		kill "$(cat "stall$i.pid")"
	done
	for i in $(seq 1 50); do
		ag a -b 127.0.0.24 -w 2 $SIG_WELCOME ping > a.out 2>&1 && break
		sleep 0.1
	done
	has a.out '"type":"pong"'
}
handshakes_limit_cleanup() { common_cleanup; }

atf_test_case garbage_client cleanup
garbage_client_head() {
	atf_set "descr" "clients that send garbage, before or after the" \
	    "handshake, are closed; a connected node is not disturbed"
	common_head
}
garbage_client_body() {
	sig_setup
	sig_conf
	sig_start
	bg a a -w 10 $SIG_WELCOME idle 3 ping
	wait_for a.out '"type":"relays"'
	"$SIG_TOOL" -b 127.0.0.6 "$SIG_HOST" "$SIG_PORT" garbage 100000 \
	    wait-close 5 > g1.out || atf_fail "handshake garbage: exit $?"
	# More than a frame: whatever length the garbage announces, it comes.
	ag b $SIG_WELCOME garbage 70000 wait-close 5 > g2.out ||
	    atf_fail "transport garbage: exit $?"
	bg_wait a || atf_fail "agent a: exit $?"
	has a.out '"type":"pong"'
	sig_alive
	ag c $SIG_WELCOME ping > c.out || atf_fail "agent c: exit $?"
}
garbage_client_cleanup() { common_cleanup; }

atf_test_case stalled_client cleanup
stalled_client_head() {
	atf_set "descr" "a client stalled in the handshake is closed when its" \
	    "time runs out; it and a node that stops reading disturb no one"
	common_head
}
stalled_client_body() {
	sig_setup
	sig_conf
	sig_start
	# One byte of a handshake message, then nothing.
	"$SIG_TOOL" -b 127.0.0.7 "$SIG_HOST" "$SIG_PORT" garbage 1 \
	    wait-close 20 > half.out &
	half=$!
	echo $half >> bgpids
	bg b b -w 10 $SIG_WELCOME stall 15
	wait_for b.out '"type":"relays"'
	ag a $SIG_WELCOME ping send-signal "$(cat b.pub)" hi ping > a.out ||
	    atf_fail "agent a: exit $?"
	has a.out '"type":"pong"'
	wait $half || atf_fail "half handshake: exit $? (0 means closed)"
	sig_alive
}
stalled_client_cleanup() { common_cleanup; }

atf_test_case signal_forwarded cleanup
signal_forwarded_head() {
	atf_set "descr" "a signal reaches an online node with from set to" \
	    "the sender and its box intact"
	common_head
}
signal_forwarded_body() {
	sig_setup
	sig_conf
	sig_start
	bg b b -w 10 $SIG_WELCOME expect signal
	wait_for b.out '"type":"relays"'
	ag a $SIG_WELCOME send-signal "$(cat b.pub)" "offer from a" ping \
	    > a.out || atf_fail "agent a: exit $?"
	hasnt a.out '"type":"error"'
	bg_wait b || atf_fail "agent b: exit $?"
	grep '"type":"signal"' b.out > sig
	has sig "\"from\":\"$(cat a.pub)\""
	has sig "\"to\":\"$(cat b.pub)\""
	has b.out "opened: offer from a"
}
signal_forwarded_cleanup() { common_cleanup; }

atf_test_case signal_offline cleanup
signal_offline_head() {
	atf_set "descr" "a signal to a node that is not connected gets error" \
	    "offline, to an unknown key unknown-peer; the sender stays"
	common_head
}
signal_offline_body() {
	sig_setup
	sig_conf
	sig_start
	ag a $SIG_WELCOME send-signal "$(cat c.pub)" hi expect error \
	    send-signal "$(cat x.pub)" hi expect error ping > a.out ||
	    atf_fail "agent a: exit $?"
	grep '"type":"error"' a.out > errors
	atf_check -o inline:"2\n" wc -l < errors
	head -n 1 errors > first
	has first '"code":"offline"'
	tail -n 1 errors > second
	has second '"code":"unknown-peer"'
}
signal_offline_cleanup() { common_cleanup; }

atf_test_case reload_bad_config_kept cleanup
reload_bad_config_kept_head() {
	atf_set "descr" "SIGHUP with a config that does not parse keeps the" \
	    "running one and its connections"
	common_head
}
reload_bad_config_kept_body() {
	sig_setup
	sig_conf
	sig_start
	bg a a -w 10 $SIG_WELCOME idle 3 ping
	wait_for a.out '"type":"relays"'
	cp tern-signal.conf good.conf
	printf 'peer "g" {\n\tno-such-keyword\n}\n' >> tern-signal.conf
	kill -HUP "$(cat pid)"
	wait_for log "reload refused"
	has log "tern-signal.conf"
	sig_alive
	bg_wait a || atf_fail "agent a: exit $?"
	has a.out '"type":"pong"'
	atf_check -o inline:"1\n" grep -c '"type":"netmap"' a.out
	ag b $SIG_WELCOME ping > b.out || atf_fail "agent b: exit $?"
}
reload_bad_config_kept_cleanup() { common_cleanup; }

atf_test_case reload_adds_peer cleanup
reload_adds_peer_head() {
	atf_set "descr" "SIGHUP adding a peer sends connected nodes a new" \
	    "netmap with it; the new node can then connect"
	common_head
}
reload_adds_peer_body() {
	sig_setup
	# d has keys from sig_setup but is not in the first config.
	SIG_NODES="a b c"
	sig_conf
	sig_start
	bg a a -w 10 $SIG_WELCOME expect netmap
	wait_for a.out '"type":"relays"'
	hasnt a.out '{"name":"d"'
	SIG_NODES="a b c d"
	sig_conf
	kill -HUP "$(cat pid)"
	bg_wait a || atf_fail "agent a: no second netmap, exit $?"
	atf_check -o inline:"2\n" grep -c '"type":"netmap"' a.out
	grep '"type":"netmap"' a.out | tail -n 1 > new
	has new "{\"name\":\"d\",\"node_key\":\"$(cat d.pub)\""
	ag d $SIG_WELCOME ping > d.out || atf_fail "agent d: exit $?"
}
reload_adds_peer_cleanup() { common_cleanup; }

atf_test_case reload_removes_peer cleanup
reload_removes_peer_head() {
	atf_set "descr" "SIGHUP removing a peer closes its connection with" \
	    "error auth and sends the others a netmap without it"
	common_head
}
reload_removes_peer_body() {
	sig_setup
	sig_conf
	sig_start
	bg a a -w 10 $SIG_WELCOME expect netmap
	bg b b -w 10 $SIG_WELCOME wait-close 10
	wait_for a.out '"type":"relays"'
	wait_for b.out '"type":"relays"'
	SIG_NODES="a c d e f"
	sig_conf
	kill -HUP "$(cat pid)"
	bg_wait b || atf_fail "agent b: exit $? (0 means closed)"
	has b.out '"code":"auth"'
	bg_wait a || atf_fail "agent a: no second netmap, exit $?"
	grep '"type":"netmap"' a.out | tail -n 1 > new
	hasnt new '{"name":"b"'
	has new '{"name":"c"'
	has log "node b from 127.0.0.1: removed from the configuration"
	ag b $SIG_WELCOME > b2.out 2>&1 && atf_fail "b got in after removal"
	# A key no longer known gets no message 2.
	has b2.out "handshake: connection closed"
}
reload_removes_peer_cleanup() { common_cleanup; }

atf_test_case newer_connection_wins cleanup
newer_connection_wins_head() {
	atf_set "descr" "a node that connects again replaces its older" \
	    "connection, which gets error replaced and is closed"
	common_head
}
newer_connection_wins_body() {
	sig_setup
	sig_conf
	sig_start
	bg old a -w 10 $SIG_WELCOME wait-close 10
	wait_for old.out '"type":"relays"'
	ag a $SIG_WELCOME ping > new.out || atf_fail "new a: exit $?"
	bg_wait old || atf_fail "old a: exit $? (0 means closed)"
	has old.out '"code":"replaced"'
	has log "node a reconnected from 127.0.0.1: closing its older connection"
}
newer_connection_wins_cleanup() { common_cleanup; }

atf_test_case hello_first cleanup
hello_first_head() {
	atf_set "descr" "a first message other than hello gets error" \
	    "protocol and a close"
	common_head
}
hello_first_body() {
	sig_setup
	sig_conf
	sig_start
	ag a flood 1 wait-close 5 > a.out ||
	    atf_fail "agent a: exit $? (0 means closed)"
	has a.out '"code":"protocol"'
	hasnt a.out '"type":"netmap"'
}
hello_first_cleanup() { common_cleanup; }

atf_test_case version_in_netmap cleanup
version_in_netmap_head() {
	atf_set "descr" "the software of a node's last hello is its version" \
	    "in the others' netmaps, kept when it leaves; a new one sends" \
	    "them a new netmap"
	common_head
}
version_in_netmap_body() {
	sig_setup
	sig_conf
	sig_start
	ag a -V 0.0.9 $SIG_WELCOME > a.out || atf_fail "agent a: exit $?"
	bg b b -w 10 $SIG_WELCOME expect netmap
	wait_for b.out '"type":"relays"'
	peer_has b.out a '"version":"0.0.9","serial":'
	peer_has b.out c '"version":"","serial":'
	ag a -V 0.1.0 $SIG_WELCOME > a2.out || atf_fail "agent a: exit $?"
	bg_wait b || atf_fail "agent b: no second netmap, exit $?"
	atf_check -o inline:"2\n" grep -c '"type":"netmap"' b.out
	peer_has b.out a '"version":"0.1.0","serial":'
	# The same version again changes nothing.
	bg c c -w 3 $SIG_WELCOME idle 3
	wait_for c.out '"type":"relays"'
	ag a -V 0.1.0 $SIG_WELCOME > a3.out || atf_fail "agent a: exit $?"
	bg_wait c || atf_fail "agent c: exit $?"
	atf_check -o inline:"1\n" grep -c '"type":"netmap"' c.out
	has log 'node a from 127.0.0.1: online, software "0.1.0" (changed)'
	has log 'node a from 127.0.0.1: online, software "0.1.0"'
}
version_in_netmap_cleanup() { common_cleanup; }

atf_test_case version_isolate_groups cleanup
version_isolate_groups_head() {
	atf_set "descr" "with isolate-groups a new version sends a new" \
	    "netmap to the node's group only"
	common_head
}
version_isolate_groups_body() {
	sig_setup
	sig_conf_isolated
	sig_start
	bg b b -w 10 $SIG_WELCOME expect netmap
	bg c c -w 3 $SIG_WELCOME idle 4
	wait_for b.out '"type":"relays"'
	wait_for c.out '"type":"relays"'
	ag a -V 0.2.0 $SIG_WELCOME > a.out || atf_fail "agent a: exit $?"
	bg_wait b || atf_fail "agent b: no second netmap, exit $?"
	peer_has b.out a '"version":"0.2.0","serial":'
	bg_wait c || atf_fail "agent c: exit $?"
	atf_check -o inline:"1\n" grep -c '"type":"netmap"' c.out
}
version_isolate_groups_cleanup() { common_cleanup; }

atf_test_case version_reload cleanup
version_reload_head() {
	atf_set "descr" "a reload keeps the versions of the nodes it keeps;" \
	    "a node removed and added again has none"
	common_head
}
version_reload_body() {
	sig_setup
	sig_conf
	sig_start
	ag a -V 0.1.0 $SIG_WELCOME > a.out || atf_fail "agent a: exit $?"
	ag c -V 0.1.0 $SIG_WELCOME > c.out || atf_fail "agent c: exit $?"
	SIG_NODES="a b d e f"
	sig_conf
	kill -HUP "$(cat pid)"
	wait_lines log "configuration reloaded" 1
	SIG_NODES="a b c d e f"
	sig_conf
	kill -HUP "$(cat pid)"
	wait_lines log "configuration reloaded" 2
	ag b $SIG_WELCOME > b.out || atf_fail "agent b: exit $?"
	peer_has b.out a '"version":"0.1.0","serial":'
	peer_has b.out c '"version":"","serial":'
}
version_reload_cleanup() { common_cleanup; }

atf_init_test_cases() {
	atf_add_test_case known_node_welcome
	atf_add_test_case isolate_groups
	atf_add_test_case unknown_key_refused
	atf_add_test_case message_size_limit
	atf_add_test_case queue_limit
	atf_add_test_case queue_burst_kept
	atf_add_test_case rate_limit
	atf_add_test_case conn_per_addr_limit
	atf_add_test_case handshakes_limit
	atf_add_test_case replayed_handshake
	atf_add_test_case older_timestamp
	atf_add_test_case handshake_rate_limit
	atf_add_test_case garbage_client
	atf_add_test_case stalled_client
	atf_add_test_case signal_forwarded
	atf_add_test_case signal_offline
	atf_add_test_case reload_bad_config_kept
	atf_add_test_case reload_adds_peer
	atf_add_test_case reload_removes_peer
	atf_add_test_case newer_connection_wins
	atf_add_test_case hello_first
	atf_add_test_case version_in_netmap
	atf_add_test_case version_isolate_groups
	atf_add_test_case version_reload
}
