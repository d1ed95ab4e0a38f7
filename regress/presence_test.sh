#! %ATF_SH%
# Relay presence: tern-relay registers with tern-signal, which hands the
# relay to agents only while it is registered, with its generation.
# sigtool plays the agents (and, where a test needs a relay that
# misbehaves, the relay).  Each case runs in a network namespace of its
# own, on its loopback; the config cases need neither.

BUILD=%TOP_BUILDDIR%
SIGNAL=$BUILD/tern-signal
RELAY=$BUILD/tern-relay
TOOL=$BUILD/regress/sigtool
HOST=127.0.0.1
SPORT=7700			# tern-signal's
RPORT=3478			# tern-relay's
# What an agent gets after its hello: the server's hello, netmap, relays.
WELCOME="hello expect hello expect netmap expect relays"
# wait_for, wait_re, has, hasnt
. %TOP_SRCDIR%/regress/checks.sh

# A relay is down once its connection has been silent this long.
IDLE_S=60
# Waits: for what is at once, and past the server's idle timeout.
SOON_S=10
IDLE_WAIT_S=$((IDLE_S + 15))

# common_head [TIMEOUT]: a root test case, 120 s unless said.
common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip $SIGNAL $RELAY $TOOL"
	atf_set "timeout" "${1:-120}"
}

ns() {
	echo "ternpres$$"
}

# nsx CMD...: CMD in the namespace; with NSX_EXEC=exec, in place of the
# shell, so that "nsx ... &" leaves the pid of CMD itself in $!.
nsx() {
	$NSX_EXEC ip netns exec "$(ns)" "$@"
}

# setup: a namespace with lo up, the keys, an empty chroot.  Relay r1
# has the key of r.key (tern-relay's), "coturn" none.
setup() {
	local n
	ip netns add "$(ns)" || atf_fail "cannot create a namespace"
	echo "$(ns)" > netns
	ip -n "$(ns)" link set lo up
	mkdir -m 0755 empty
	"$SIGNAL" -G "$(pwd)/server.key" > server.pub ||
	    atf_fail "tern-signal -G failed"
	"$RELAY" -G "$(pwd)/r.key" > r.pub || atf_fail "tern-relay -G failed"
	for n in a b x; do
		"$TOOL" keygen "$n.key" > "$n.pub" || atf_fail "keygen $n"
		"$TOOL" keygen "$n.wgkey" > "$n.wg" || atf_fail "keygen $n"
	done
	signal_conf "$(cat r.pub)"
}

# signal_conf RELAYKEY [LINE...]: tern-signal.conf with r1's key.
signal_conf() {
	local n i=2 l key=$1
	shift
	{
		echo "listen on $HOST port $SPORT"
		echo "key \"$(pwd)/server.key\""
		echo "network 10.77.0.0/16"
		for l in "$@"; do
			echo "$l"
		done
		printf 'relay "coturn" {\n\taddress "turn.example:3478"\n'
		printf '\tsecret "s"\n}\n'
		printf 'relay "r1" {\n\taddress "%s:%s"\n\tsecret "s"\n' \
		    "$HOST" "$RPORT"
		printf '\tkey "%s"\n}\n' "$key"
		for n in a b; do
			printf 'peer "%s" {\n\tnode-key "%s"\n' "$n" \
			    "$(cat "$n.pub")"
			printf '\twg-key "%s"\n\taddress 10.77.0.%s/32\n}\n' \
			    "$(cat "$n.wg")" "$i"
			i=$((i + 1))
		done
	} > tern-signal.conf
}

# relay_conf KEYFILE [LINE...]: tern-relay.conf registering with KEYFILE.
relay_conf() {
	local l key=$1
	shift
	{
		echo "listen on $HOST port $RPORT"
		echo 'secret "s"'
		echo "signal \"$HOST:$SPORT\" key \"$(cat server.pub)\""
		echo "key \"$(pwd)/$key\""
		for l in "$@"; do
			echo "$l"
		done
	} > tern-relay.conf
}

start_signal() {
	NSX_EXEC=exec nsx "$SIGNAL" -d -f "$(pwd)/tern-signal.conf" \
	    -c "$(pwd)/empty" > sig.log 2>&1 &
	echo $! > sig.pid
	wait_for sig.log "server: serving"
}

# start_relay: tern-relay on tern-relay.conf; its generation in gen.
start_relay() {
	: > relay.log
	NSX_EXEC=exec nsx "$RELAY" -d -v -f "$(pwd)/tern-relay.conf" \
	    -c "$(pwd)/empty" > relay.log 2>&1 &
	echo $! > relay.pid
	wait_for relay.log "answering STUN Binding"
	sed -n 's/.*registering with tern-signal at .*, generation //p' \
	    relay.log > gen
	[ -s gen ] || atf_fail "no generation: $(tr '\n' ' ' < relay.log)"
}

# stop_relay: SIGTERM, and the parent is gone within SOON_S.
stop_relay() {
	local i pid
	pid=$(cat relay.pid)
	kill -TERM "$pid"
	for i in $(seq 1 $((SOON_S * 10))); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	atf_fail "tern-relay did not stop"
}

# ag KEY [-R GEN] [-w SECS] ACTION...: an agent (or relay) with KEY.key.
ag() {
	local k=$1 opts=""
	shift
	while [ $# -gt 0 ]; do
		case "$1" in
		-R|-w) opts="$opts $1 $2"; shift 2 ;;
		*) break ;;
		esac
	done
	# shellcheck disable=SC2086
	nsx "$TOOL" -k "$k.key" -s "$(cat server.pub)" $opts "$HOST" "$SPORT" \
	    "$@"
}

# bg NAME KEY ARGS...: ag in the background, output in NAME.out.
bg() {
	local out=$1
	shift
	NSX_EXEC=exec ag "$@" > "$out.out" 2> "$out.err" &
	echo $! > "$out.pid"
	echo $! >> bgpids
}

# relays FILE: the last relay list in FILE, in FILE.relays.
relays() {
	grep '"type":"relays"' "$1" | tail -n 1 > "$1.relays"
}

# watch: agent b prints every relay list for up to SECS.
watch() {
	bg b b -w "$1" $WELCOME idle "$1"
	wait_for b.out '"type":"relays"'
}

common_cleanup() {
	local p f
	for f in relay.pid sig.pid; do
		[ -f "$f" ] || continue
		# A stopped process takes SIGTERM only once it runs again.
		kill -CONT "$(cat "$f")" 2>/dev/null
		kill -TERM "$(cat "$f")" 2>/dev/null
	done
	if [ -f server.pid ]; then
		kill -CONT "$(cat server.pid)" 2>/dev/null
	fi
	if [ -f bgpids ]; then
		for p in $(cat bgpids); do
			kill "$p" 2>/dev/null
		done
	fi
	for p in $(seq 1 50); do
		kill -0 "$(cat relay.pid 2>/dev/null)" 2>/dev/null ||
		    kill -0 "$(cat sig.pid 2>/dev/null)" 2>/dev/null || break
		sleep 0.1
	done
	if [ -f netns ]; then
		ip netns del "$(cat netns)" 2>/dev/null
	fi
	true
}

atf_test_case lifecycle cleanup
lifecycle_head() {
	atf_set "descr" "a keyed relay is absent until tern-relay registers," \
	    "present with its generation while it runs, gone at once when" \
	    "it stops, back with a new generation after a restart; the" \
	    "unkeyed relay is always there"
	common_head
}
lifecycle_body() {
	setup
	relay_conf r.key
	start_signal
	ag a $WELCOME > before.out || atf_fail "agent a: exit $?"
	relays before.out
	has before.out.relays '"id":"coturn"'
	hasnt before.out.relays '"id":"r1"'
	hasnt before.out.relays '"generation"'

	watch 60
	start_relay
	g1=$(cat gen)
	wait_re sig.log "relay r1 from $HOST: registered, generation $g1, software \"[0-9.]+\": up\$"
	wait_for relay.log "signal: registered with $HOST:$SPORT, generation $g1"
	wait_for b.out '"connected":["r1"]'
	relays b.out
	has b.out.relays "\"id\":\"r1\",\"address\":\"$HOST:$RPORT\""
	has b.out.relays "\"generation\":\"$g1\"}"
	has b.out.relays '"id":"coturn"'
	ag a $WELCOME > during.out || atf_fail "agent a: exit $?"
	relays during.out
	has during.out.relays "\"generation\":\"$g1\"}"
	has during.out.relays '"connected":[],"disconnected":[]'

	# Stopping closes the connection: no idle timeout to wait for.
	stop_relay
	wait_for b.out '"disconnected":["r1"]' 5
	has sig.log "relay r1: down"
	relays b.out
	hasnt b.out.relays '"id":"r1"'
	has b.out.relays '"id":"coturn"'
	ag a $WELCOME > after.out || atf_fail "agent a: exit $?"
	relays after.out
	hasnt after.out.relays '"id":"r1"'

	start_relay
	g2=$(cat gen)
	[ "$g1" != "$g2" ] || atf_fail "the generation stayed $g1"
	wait_re sig.log "generation $g2, software \"[0-9.]+\": up again, restarted\$"
	wait_for b.out "\"generation\":\"$g2\"}],\"connected\":[\"r1\"]"
	kill -0 "$(cat sig.pid)" || atf_fail "tern-signal died"
}
lifecycle_cleanup() { common_cleanup; }

atf_test_case shared_secret cleanup
shared_secret_head() {
	atf_set "descr" "the TURN credentials tern-signal hands an agent" \
	    "allocate on a tern-relay that shares the secret, with no other" \
	    "setup; a wrong secret is refused"
	atf_set "require.user" "root"
	atf_set "require.progs" "ip $SIGNAL $RELAY $TOOL turnutils_uclient" \
	    "turnutils_peer"
	atf_set "timeout" "120"
}
shared_secret_body() {
	setup
	relay_conf r.key "relay-address $HOST" "allow-peer 127.0.0.2"
	start_signal
	start_relay
	wait_for relay.log "signal: registered with $HOST:$SPORT"
	ag a $WELCOME > a.out || atf_fail "agent a: exit $?"
	relays a.out
	user=$(sed -n 's/.*"id":"r1"[^}]*"username":"\([^"]*\)".*/\1/p' \
	    a.out.relays)
	pass=$(sed -n 's/.*"id":"r1"[^}]*"password":"\([^"]*\)".*/\1/p' \
	    a.out.relays)
	[ -n "$user" ] && [ -n "$pass" ] ||
	    atf_fail "no credentials for r1: $(cat a.out.relays)"
	case $user in
	*:a) ;;
	*) atf_fail "user name $user is not EXPIRY:a" ;;
	esac
	NSX_EXEC=exec nsx turnutils_peer -L 127.0.0.2 -p 3480 > peer.log 2>&1 &
	echo $! >> bgpids
	atf_check -o match:"Total lost packets 0 " -e ignore \
	    ip netns exec "$(ns)" timeout 20 turnutils_uclient \
	    -u "$user" -w "$pass" \
	    -e 127.0.0.2 -r 3480 -n 10 -m 1 -l 100 -p $RPORT $HOST
	# The same user name with another password: no allocation.
	atf_check -o not-match:"Total lost packets" -e ignore \
	    -s not-exit:0 ip netns exec "$(ns)" timeout 20 turnutils_uclient \
	    -u "$user" \
	    -w "bm90IHRoZSBwYXNzd29yZA==" -e 127.0.0.2 -r 3480 -n 1 -m 1 \
	    -p $RPORT $HOST
}
shared_secret_cleanup() { common_cleanup; }

atf_test_case unknown_key_refused cleanup
unknown_key_refused_head() {
	atf_set "descr" "a tern-relay whose key tern-signal does not know is" \
	    "refused and logged, keeps running and retrying, and no agent" \
	    "gets it"
	common_head
}
unknown_key_refused_body() {
	setup
	"$RELAY" -G "$(pwd)/unknown.key" > unknown.pub ||
	    atf_fail "tern-relay -G failed"
	relay_conf unknown.key
	start_signal
	start_relay
	wait_for sig.log "refused unknown node key $(cat unknown.pub) from $HOST"
	wait_for relay.log "closed the connection without answering the handshake"
	hasnt sig.log "relay r1 from"
	ag a $WELCOME > a.out || atf_fail "agent a: exit $?"
	relays a.out
	hasnt a.out.relays '"id":"r1"'
	kill -0 "$(cat relay.pid)" || atf_fail "tern-relay exited"
}
unknown_key_refused_cleanup() { common_cleanup; }

atf_test_case silent_relay_down cleanup
silent_relay_down_head() {
	atf_set "descr" "a relay that falls silent without closing (its" \
	    "server process stopped) is down after the idle timeout; once" \
	    "it runs again it registers with the same generation"
	common_head 180
}
silent_relay_down_body() {
	setup
	relay_conf r.key "servers 1"
	start_signal
	start_relay
	g=$(cat gen)
	wait_for sig.log "relay r1 from $HOST: registered"
	pid=$(cat "/proc/$(cat relay.pid)/task/$(cat relay.pid)/children")
	[ -n "$pid" ] || atf_fail "no server process"
	echo "$pid" > server.pid
	kill -STOP "$pid"
	# The watching agent sends nothing either: it comes late enough to
	# stay within its own idle timeout until the relay is back.
	sleep $((IDLE_S / 3))
	watch $((IDLE_S + 30))
	relays b.out
	has b.out.relays "\"generation\":\"$g\"}"
	wait_for sig.log "relay r1: down" $IDLE_WAIT_S
	has sig.log "relay r1 from $HOST: no message for 60 s: idle"
	wait_for b.out '"disconnected":["r1"]'
	kill -CONT "$pid"
	wait_re sig.log "generation $g, software \"[0-9.]+\": up again, same generation\$" 20
	wait_for b.out "\"generation\":\"$g\"}],\"connected\":[\"r1\"]"
}
silent_relay_down_cleanup() { common_cleanup; }

atf_test_case limits_apply cleanup
limits_apply_head() {
	atf_set "descr" "max-connections-per-address counts a relay's" \
	    "connection too; it registers once there is room"
	common_head
}
limits_apply_body() {
	setup
	signal_conf "$(cat r.pub)" "max-connections-per-address 1"
	relay_conf r.key
	start_signal
	bg a a -w 8 $WELCOME idle 6
	wait_for a.out '"type":"relays"'
	start_relay
	wait_for sig.log "$HOST has 1 connections, the limit (max-connections-per-address): closing"
	wait_for relay.log "retrying in"
	hasnt sig.log "relay r1 from"
	wait "$(cat a.pid)" || atf_fail "agent a: exit $?"
	# Retries back off to 30 s at most; the agent left after 6.
	wait_for sig.log "relay r1 from $HOST: registered" 40
}
limits_apply_cleanup() { common_cleanup; }

atf_test_case hello_rules cleanup
hello_rules_head() {
	atf_set "descr" "a relay's key must say hello as a relay and a node's" \
	    "as an agent; a relay sends only pings; a second registration" \
	    "replaces the first and, with the same generation, changes" \
	    "nothing for agents"
	common_head
}
hello_rules_body() {
	setup
	# sigtool plays relay r1, with r1's key.
	signal_conf "$(cat x.pub)"
	start_signal
	ag x hello wait-close 5 > x-agent.out ||
	    atf_fail "relay as agent: exit $? (0 means closed)"
	has x-agent.out '"code":"protocol","message":"the key of relay r1 must say hello as a relay"'
	has sig.log "relay r1 from $HOST: hello as an agent: closing"
	ag a -R 1 hello wait-close 5 > a-relay.out ||
	    atf_fail "agent as relay: exit $? (0 means closed)"
	has a-relay.out '"code":"protocol","message":"the key of node a must say hello as an agent"'
	ag x -R 1 hello expect hello send-signal "$(cat a.pub)" hi \
	    wait-close 5 > x-signal.out || atf_fail "relay signal: exit $?"
	has x-signal.out '"message":"signal is not a message a relay sends here"'

	watch 20
	bg old x -R abc -w 20 hello expect hello ping idle 15
	wait_for old.out '"type":"pong"'
	wait_for b.out '"connected":["r1"]'
	bg new x -R abc -w 20 hello expect hello ping idle 15
	wait_for new.out '"type":"pong"'
	wait_for old.out '"code":"replaced"'
	has sig.log "relay r1 registered again: closing its older connection"
	sleep 2
	atf_check -o inline:"2\n" grep -c '"type":"relays"' b.out
	# Down once: when the relay that sent a signal was closed.
	atf_check -o inline:"1\n" grep -c "relay r1: down" sig.log
}
hello_rules_cleanup() { common_cleanup; }

atf_test_case reload_key_changed cleanup
reload_key_changed_head() {
	atf_set "descr" "a reload that keeps a relay's key keeps it registered;" \
	    "one that changes the key closes it and agents are told"
	common_head
}
reload_key_changed_body() {
	setup
	relay_conf r.key
	start_signal
	watch 40
	start_relay
	g=$(cat gen)
	wait_for b.out '"connected":["r1"]'
	signal_conf "$(cat r.pub)" "message-rate 50"
	kill -HUP "$(cat sig.pid)"
	wait_for sig.log "configuration reloaded"
	hasnt sig.log "relay r1: down"
	ag a $WELCOME > same.out || atf_fail "agent a: exit $?"
	relays same.out
	has same.out.relays "\"generation\":\"$g\"}"

	signal_conf "$(cat x.pub)"
	kill -HUP "$(cat sig.pid)"
	wait_for sig.log "relay r1 from $HOST: removed from the configuration"
	wait_for b.out '"disconnected":["r1"]'
	wait_for relay.log "signal: server: auth: relay key $(cat r.pub) was removed from the configuration"
	relays b.out
	hasnt b.out.relays '"id":"r1"'
}
reload_key_changed_cleanup() { common_cleanup; }

atf_test_case relay_config
relay_config_head() {
	atf_set "descr" "tern-relay -n reads signal and key and prints them" \
	    "back; each error is exact; -G writes a private key file and" \
	    "never over one"
	atf_set "require.progs" "$RELAY"
}
relay_config_body() {
	k="vNc/HQufPK6i/9cdfHbu4TrsO80l66nlU95SJICfE1s="
	printf 'signal "signal.example.net:7700" \\\n    key "%s"\nkey "/k"\n' \
	    "$k" > a.conf
	atf_check -o save:b.conf -e inline:"configuration OK\n" \
	    "$RELAY" -n -f a.conf
	atf_check -o match:"^signal \"signal.example.net:7700\" key \"$k\"\$" \
	    -o match:'^key "/k"$' cat b.conf
	atf_check -o file:b.conf -e inline:"configuration OK\n" \
	    "$RELAY" -n -f b.conf

	bad 'signal "[::1]:7700" key "abc"\nkey "/k"\n' \
	    'bad.conf:1: signal "[::1]:7700": key is not base64 of 32 bytes'
	bad 'signal "[::1]:7700" key "PxBcPY7QCe8glsQhtPvuE86My7qeIB8pf6VlfQQTePo="\nkey "/k"\n' \
	    'bad.conf:1: signal "[::1]:7700": key is not a tern-signal public key (tern-signal -k prints it)'
	bad "signal \"relay.example\" key \"$k\"\nkey \"/k\"\n" \
	    'bad.conf:1: signal "relay.example": missing port'
	bad "signal \"a:1\" key \"$k\"\nsignal \"b:1\" key \"$k\"\nkey \"/k\"\n" \
	    'bad.conf:2: signal given twice'
	bad 'signal "a:1"\n' 'bad.conf:1: syntax error'
	bad "signal \"a:1\" key \"$k\"\nkey \"k\"\n" \
	    'bad.conf:2: key "k": not an absolute path'
	bad "signal \"a:1\" key \"$k\"\nkey \"/k\"\nkey \"/j\"\n" \
	    'bad.conf:3: key given twice'
	bad 'key "/k"\n' 'bad.conf: signal needs key, and key needs signal'
	bad "signal \"a:1\" key \"$k\"\n" \
	    'bad.conf: signal needs key, and key needs signal'

	atf_check -o match:'^[A-Za-z0-9+/]{43}=$' "$RELAY" -G "$(pwd)/new.key"
	atf_check -o match:'^-rw-------' ls -l new.key
	cp new.key old.key
	atf_check -s exit:1 -e match:"new.key: File exists" \
	    "$RELAY" -G "$(pwd)/new.key"
	atf_check cmp new.key old.key
}

# bad TEXT ERROR: tern-relay -n refuses TEXT (printf format) with ERROR.
bad() {
	# shellcheck disable=SC2059
	printf "$1" > bad.conf
	atf_check -s exit:1 \
	    -e inline:"tern-relay: $2\ntern-relay: configuration failed\n" \
	    "$RELAY" -n -f bad.conf
}

atf_init_test_cases() {
	atf_add_test_case lifecycle
	atf_add_test_case shared_secret
	atf_add_test_case unknown_key_refused
	atf_add_test_case silent_relay_down
	atf_add_test_case limits_apply
	atf_add_test_case hello_rules
	atf_add_test_case reload_key_changed
	atf_add_test_case relay_config
}
