#! %ATF_SH%
# Integration tests of tern-relay: STUN clients no one here wrote
# (coturn's turnutils_stunclient, Debian's RFC 3489 stun) get their
# mapped address, a flood from one source is rate-limited while another
# source is answered, and SIGHUP hands new limits to the server process.
# Each case runs in a network namespace of its own, on its loopback.

BUILD=%TOP_BUILDDIR%
RELAY=$BUILD/tern-relay
LOAD=$BUILD/bench/stun_load
PORT=3478
# The namespace's only ephemeral port: the client's source port is known.
CLIENT_PORT=40123

common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip turnutils_stunclient $*"
	atf_set "timeout" "60"
}

ns() {
	echo "ternrelay$$"
}

# start CONF: a namespace with lo up and tern-relay on CONF.
start() {
	ip netns add "$(ns)" || atf_fail "cannot create a namespace"
	echo "$(ns)" > netns
	ip -n "$(ns)" link set lo up
	ip -n "$(ns)" addr add 127.0.0.2/8 dev lo 2>/dev/null
	ip netns exec "$(ns)" sysctl -qw \
	    net.ipv4.ip_local_port_range="$CLIENT_PORT $CLIENT_PORT"
	printf '%s\n' "$1" > relay.conf
	ip netns exec "$(ns)" "$RELAY" -d -v -f relay.conf > relay.log 2>&1 &
	echo $! > relay.pid
	i=0
	while ! grep -q "answering STUN Binding" relay.log; do
		i=$((i + 1))
		[ $i -le 50 ] || atf_fail "tern-relay did not start: $(cat relay.log)"
		sleep 0.1
	done
}

common_cleanup() {
	if [ -f relay.pid ]; then
		kill "$(cat relay.pid)" 2>/dev/null
	fi
	if [ -f netns ]; then
		ip netns del "$(cat netns)" 2>/dev/null
	fi
	true
}

atf_test_case stunclient_v4 cleanup
stunclient_v4_head() {
	atf_set "descr" "turnutils_stunclient gets 127.0.0.1 and its port"
	common_head
}
stunclient_v4_body() {
	start "listen on 127.0.0.1 port $PORT"
	atf_check -o match:"IPv4. UDP reflexive addr: 127.0.0.1:$CLIENT_PORT\$" \
	    ip netns exec "$(ns)" timeout 10 turnutils_stunclient -p $PORT 127.0.0.1
	# The server sandbox survived the exchange.
	kill -0 "$(cat relay.pid)" || atf_fail "tern-relay died: $(cat relay.log)"
}
stunclient_v4_cleanup() {
	common_cleanup
}

atf_test_case stunclient_v6 cleanup
stunclient_v6_head() {
	atf_set "descr" "turnutils_stunclient gets ::1 and its port over IPv6"
	common_head
}
stunclient_v6_body() {
	start "listen on ::1 port $PORT"
	atf_check -o match:"IPv6. UDP reflexive addr: ::1:$CLIENT_PORT\$" \
	    ip netns exec "$(ns)" timeout 10 turnutils_stunclient -p $PORT ::1
}
stunclient_v6_cleanup() {
	common_cleanup
}

atf_test_case stun_classic cleanup
stun_classic_head() {
	atf_set "descr" "Debian's RFC 3489 stun client gets its mapped address, not a changed one"
	common_head stun
}
stun_classic_body() {
	start "listen on 127.0.0.1 port $PORT"
	# -v prints the mapped address and each test's outcome on stderr.
	# Test I is answered; tests II and III ask for another address or
	# port and are not, so the NAT type it then guesses is not ours to
	# check, only that it is not "Blocked" (no answer at all).
	atf_check -s ignore -o match:"^Primary: " -o not-match:"Blocked" \
	    -e match:"^MappedAddress = 127.0.0.1:$CLIENT_PORT\$" \
	    -e match:"^test I = 1\$" -e match:"^test II = 0\$" \
	    -e match:"^test III = 0\$" \
	    ip netns exec "$(ns)" timeout 10 stun 127.0.0.1 -v -p $CLIENT_PORT
	kill -0 "$(cat relay.pid)" || atf_fail "tern-relay died: $(cat relay.log)"
}
stun_classic_cleanup() {
	common_cleanup
}

atf_test_case flood cleanup
flood_head() {
	atf_set "descr" "a flood from one source gets its burst, another source is answered"
	common_head
}
flood_body() {
	start "listen on * port $PORT
rate-limit 10 burst 20"
	# 2000 requests in well under a second: about the burst comes back.
	ip netns exec "$(ns)" "$LOAD" -n 2000 -w 300 127.0.0.1 $PORT > flood.out ||
	    atf_fail "stun_load failed"
	got=$(sed -n 's/.*answered \([0-9]*\) .*/\1/p' flood.out)
	secs=$(sed -n 's/.*seconds \([0-9]*\)\..*/\1/p' flood.out)
	max=$((20 + 10 * (secs + 1)))
	[ "$got" -ge 20 ] && [ "$got" -le "$max" ] ||
	    atf_fail "flood: $got answers, expected 20..$max: $(cat flood.out)"
	# Another source address is unaffected, right after the flood.
	atf_check -o match:"answered 1 " \
	    ip netns exec "$(ns)" "$LOAD" -l 127.0.0.2 -n 1 -w 500 127.0.0.1 $PORT
	# A client no one here wrote, from that other source too.
	atf_check -o match:"IPv4. UDP reflexive addr: 127.0.0.2:" \
	    ip netns exec "$(ns)" timeout 10 turnutils_stunclient -L 127.0.0.2 -p $PORT 127.0.0.1
	kill -0 "$(cat relay.pid)" || atf_fail "tern-relay died: $(cat relay.log)"
}
flood_cleanup() {
	common_cleanup
}

# flood_answers: how many of 2000 requests in a burst are answered.
flood_answers() {
	ip netns exec "$(ns)" "$LOAD" -n 2000 -w 300 127.0.0.1 $PORT > flood.out ||
	    atf_fail "stun_load failed"
	sed -n 's/.*answered \([0-9]*\) .*/\1/p' flood.out
}

# wait_log TEXT: up to 5 s for TEXT in the log.
wait_log() {
	i=0
	while ! grep -q "$1" relay.log; do
		i=$((i + 1))
		[ $i -le 50 ] || atf_fail "no \"$1\" in the log: $(cat relay.log)"
		sleep 0.1
	done
}

atf_test_case reload cleanup
reload_head() {
	atf_set "descr" "SIGHUP hands new limits to the server; a bad config is refused"
	common_head
}
reload_body() {
	start "listen on 127.0.0.1 port $PORT
rate-limit 1 burst 5"
	# The server process is unprivileged.
	atf_check -o match:"^%TERN_USER%\$" \
	    ps -o user= --ppid "$(cat relay.pid)"
	got=$(flood_answers)
	[ "$got" -le 7 ] || atf_fail "burst 5: $got answers"
	printf 'listen on 127.0.0.1 port %s\nrate-limit 1 burst 500\n' $PORT \
	    > relay.conf
	kill -HUP "$(cat relay.pid)"
	wait_log "server: 1 answers/s per source, burst 500"
	got=$(flood_answers)
	[ "$got" -ge 500 ] && [ "$got" -le 502 ] ||
	    atf_fail "burst 500: $got answers"
	printf 'rate-limit 0\n' > relay.conf
	kill -HUP "$(cat relay.pid)"
	wait_log "reload refused"
	atf_check -o match:"IPv4. UDP reflexive addr: 127.0.0.2:" \
	    ip netns exec "$(ns)" timeout 10 turnutils_stunclient -L 127.0.0.2 -p $PORT 127.0.0.1
}
reload_cleanup() {
	common_cleanup
}

atf_test_case configtest
configtest_head() {
	atf_set "descr" "tern-relay -n prints the config and reads its print back"
}
configtest_body() {
	printf 'listen on 127.0.0.1\nrealm "r"\nrate-limit 5\n' > a.conf
	atf_check -o save:b.conf -e inline:"configuration OK\n" "$RELAY" -n -f a.conf
	atf_check -o file:b.conf -e inline:"configuration OK\n" "$RELAY" -n -f b.conf
	printf 'rate-limit 0\n' > bad.conf
	atf_check -s exit:1 -e inline:"tern-relay: bad.conf:1: rate-limit 0 out of range (1-1000000)\ntern-relay: configuration failed\n" \
	    "$RELAY" -n -f bad.conf
}

atf_test_case status cleanup
status_head() {
	atf_set "descr" "tern-relay -s shows allocations, relayed messages" \
	    "and refusals; the control socket is its owner's alone"
	common_head turnutils_uclient turnutils_peer
}
status_body() {
	start "listen on 127.0.0.1 port $PORT
relay-address 127.0.0.1
allow-peer 127.0.0.2
secret \"s3cret\"
servers 1
control-socket \"$(pwd)/ctl/relay.sock\""
	# uclient opens several sockets: more than the one port start() left.
	ip netns exec "$(ns)" sysctl -qw \
	    net.ipv4.ip_local_port_range="40000 40999"
	ip netns exec "$(ns)" turnutils_peer -L 127.0.0.2 -p 3480 \
	    > peer.log 2>&1 &
	echo $! > peer.pid
	atf_check -o match:"Total lost packets 0 " -e ignore \
	    ip netns exec "$(ns)" timeout 20 turnutils_uclient -W s3cret \
	    -u status -e 127.0.0.2 -r 3480 -n 20 -m 1 -l 100 -p $PORT 127.0.0.1
	# 127.0.0.3 is loopback and not allowed: 403 and a peer refusal.
	atf_check -o ignore -e ignore -s not-exit:0 \
	    ip netns exec "$(ns)" timeout 10 turnutils_uclient -W s3cret \
	    -u status -e 127.0.0.3 -r 3480 -n 1 -m 1 -p $PORT 127.0.0.1
	atf_check -o match:"^srw-------" ls -l ctl/relay.sock
	# The servers send their counts every second.
	i=0
	while ! "$RELAY" -s -f relay.conf > status.out 2> status.err ||
	    ! grep -q "^refused-peer [1-9]" status.out; do
		i=$((i + 1))
		[ $i -le 30 ] || atf_fail "no counts: $(cat status.out status.err)"
		sleep 0.1
	done
	atf_check -o match:"^servers 1\$" cat status.out
	atf_check -o match:"^allocations [1-9][0-9]*\$" cat status.out
	atf_check -o match:"^relayed-messages ([4-9][0-9]|[1-9][0-9][0-9]+)\$" \
	    cat status.out
	atf_check -o match:"^refused-auth 0\$" cat status.out
	atf_check -o match:"^server 0 allocations [1-9]" cat status.out
}
status_cleanup() {
	[ -f peer.pid ] && kill "$(cat peer.pid)" 2>/dev/null
	common_cleanup
}

atf_init_test_cases() {
	atf_add_test_case stunclient_v4
	atf_add_test_case stunclient_v6
	atf_add_test_case stun_classic
	atf_add_test_case flood
	atf_add_test_case reload
	atf_add_test_case configtest
	atf_add_test_case status
}
