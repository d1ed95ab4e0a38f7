# Hosts in network namespaces for tern's demo and integration tests.
# Sourced, not run.  Every namespace, process and file it creates is
# recorded under $TN_DIR and removed by tn_cleanup.
#
# Underlay: a bridge in its own namespace, hosts on 198.51.100.0/24
# (TEST-NET-2).  Overlay: 10.77.0.0/24.  Host N is .N on both.

: "${TN_BUILD:?TN_BUILD must name the build directory}"
TN_TERND="$TN_BUILD/ternd"
TN_TERNCTL="$TN_BUILD/ternctl"
TN_UNDERLAY=198.51.100
TN_OVERLAY=10.77.0
TN_PORT=51820
TN_WAIT=${TN_WAIT:-15}
TN_SIGNAL="$TN_BUILD/tern-signal"
TN_SIGNAL_N=100		# the signal server's host number
TN_SIGNAL_PORT=7700
TN_RELAY="$TN_BUILD/tern-relay"
TN_RELAY_PORT=3478	# RFC 8656 section 4: TURN over UDP and TCP
TN_RELAY_REALM=tern

# tn_init DIR: a fresh topology recorded in DIR.
tn_init() {
	TN_DIR=$1
	mkdir -p "$TN_DIR"
	# Short and unique: interface names have 15 characters at most.
	TN_ID=$(printf '%04x' $(( $$ % 65536 )))
	echo "$TN_ID" > "$TN_DIR/id"
	mkdir -m 0755 -p "$TN_DIR/empty"
	ip netns add "tn$TN_ID-lan"
	echo "tn$TN_ID-lan" >> "$TN_DIR/netns"
	ip -n "tn$TN_ID-lan" link add br0 type bridge
	ip -n "tn$TN_ID-lan" link set br0 up
}

# tn_reload_state: after a change of shell, reads TN_ID back.
tn_load() {
	TN_DIR=$1
	TN_ID=$(cat "$TN_DIR/id")
}

tn_ns() { echo "tn$TN_ID-$1"; }
tn_if() { echo "tn$TN_ID$1"; }
tn_sock() { echo "$TN_DIR/$1/ternd.sock"; }
tn_rsock() { echo "$TN_DIR/$1/ternd.rsock"; }

# tn_host NAME N: a namespace on the bridge, with keys.
tn_host() {
	local name=$1 n=$2 ns
	ns=$(tn_ns "$name")
	ip netns add "$ns"
	echo "$ns" >> "$TN_DIR/netns"
	ip -n "$ns" link set lo up
	ip link add "tnv$TN_ID$name" netns "$ns" type veth \
	    peer name "p$name" netns "tn$TN_ID-lan"
	ip -n "$ns" link set "tnv$TN_ID$name" name eth0
	ip -n "$ns" addr add "$TN_UNDERLAY.$n/24" dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "tn$TN_ID-lan" link set "p$name" master br0 up
	tn_keys "$name"
	echo "$n" > "$TN_DIR/$name/n"
}

# tn_keys NAME: keys and state directory for ternd on host NAME.
tn_keys() {
	local name=$1
	mkdir -m 0700 -p "$TN_DIR/$name/keys"
	mkdir -m 0755 -p "$TN_DIR/$name/state"
	"$TN_TERNCTL" keygen "$TN_DIR/$name/keys" > "$TN_DIR/$name/pubkeys"
	sed -n 's/^wireguard public key: //p' "$TN_DIR/$name/pubkeys" \
	    > "$TN_DIR/$name/wgpub"
	sed -n 's/^node public key: //p' "$TN_DIR/$name/pubkeys" \
	    > "$TN_DIR/$name/nodepub"
}

# tn_conf NAME PEER...: writes NAME's ternd.conf with static peers.
tn_conf() {
	local name=$1 p n pn
	shift
	n=$(cat "$TN_DIR/$name/n")
	{
		echo "interface \"$(tn_if "$name")\""
		echo "address $TN_OVERLAY.$n/24"
		echo "listen port $TN_PORT"
		echo "keys \"$TN_DIR/$name/keys\""
		echo "accept $TN_OVERLAY.0/24"
		for p in "$@"; do
			pn=$(cat "$TN_DIR/$p/n")
			echo "peer \"$p\" {"
			echo "	public-key \"$(cat "$TN_DIR/$p/wgpub")\""
			echo "	allowed-ips $TN_OVERLAY.$pn/32"
			echo "	endpoint \"$TN_UNDERLAY.$pn:$TN_PORT\""
			echo "}"
		done
	} > "$TN_DIR/$name/ternd.conf"
}

# tn_conf_signal NAME: NAME's ternd.conf with the signal server only.
tn_conf_signal() {
	local name=$1 n
	n=$(cat "$TN_DIR/$name/n")
	{
		echo "interface \"$(tn_if "$name")\""
		echo "address $TN_OVERLAY.$n/24"
		echo "listen port $TN_PORT"
		echo "keys \"$TN_DIR/$name/keys\""
		echo "accept $TN_OVERLAY.0/24"
		echo "signal \"$TN_UNDERLAY.$TN_SIGNAL_N:$TN_SIGNAL_PORT\"" \
		    "key \"$(cat "$TN_DIR/sig/signal.pub")\""
	} > "$TN_DIR/$name/ternd.conf"
}

# tn_signal_host: the signal server's namespace on the LAN, with its key.
tn_signal_host() {
	tn_host sig "$TN_SIGNAL_N"
	"$TN_SIGNAL" -G "$TN_DIR/sig/signal.key" > "$TN_DIR/sig/signal.pub"
	[ -s "$TN_DIR/sig/signal.pub" ]
}

# tn_signal_conf PEER...: tern-signal.conf serving PEER... on the overlay.
tn_signal_conf() {
	local p pn
	{
		echo "listen on $TN_UNDERLAY.$TN_SIGNAL_N port $TN_SIGNAL_PORT"
		echo "key \"$TN_DIR/sig/signal.key\""
		echo "network $TN_OVERLAY.0/24"
		for p in "$@"; do
			pn=$(cat "$TN_DIR/$p/n")
			echo "peer \"$p\" {"
			echo "	node-key \"$(cat "$TN_DIR/$p/nodepub")\""
			echo "	wg-key \"$(cat "$TN_DIR/$p/wgpub")\""
			echo "	address $TN_OVERLAY.$pn/32"
			echo "}"
		done
	} > "$TN_DIR/sig/tern-signal.conf"
}

# tn_daemon NAME CMD...: CMD in NAME's namespace in the background, its
# output in NAME's log, its pid recorded for tn_pid and tn_cleanup.
tn_daemon() {
	local name=$1
	shift
	ip netns exec "$(tn_ns "$name")" "$@" >> "$TN_DIR/$name/log" 2>&1 &
	echo $! > "$TN_DIR/$name/pid"
	echo $! >> "$TN_DIR/pids"
}

# tn_wait_up NAME WHAT CHECK...: up to TN_WAIT s until CHECK succeeds
# while NAME's daemon runs; else WHAT and NAME's log on stderr.
tn_wait_up() {
	local name=$1 what=$2 i
	shift 2
	for i in $(seq 1 $((TN_WAIT * 10))); do
		"$@" >/dev/null 2>&1 && return 0
		kill -0 "$(tn_pid "$name")" 2>/dev/null || break
		sleep 0.1
	done
	echo "$what did not start; its log:" >&2
	cat "$TN_DIR/$name/log" >&2
	return 1
}

# tn_listening NAME PROTO PORT: something in NAME listens on PORT
# (PROTO t: TCP, u: UDP).
tn_listening() {
	ip netns exec "$(tn_ns "$1")" ss -Hl"$2"n "sport = :$3" | grep -q .
}

# tn_signal_start: tern-signal in its namespace, once it listens.
tn_signal_start() {
	tn_daemon sig "$TN_SIGNAL" -d -f "$TN_DIR/sig/tern-signal.conf" \
	    -c "$TN_DIR/empty"
	tn_wait_up sig tern-signal tn_listening sig t "$TN_SIGNAL_PORT"
}

# tn_signal_relay NAME HOST:PORT SECRET: a relay block in
# tern-signal.conf (after tn_signal_conf), so agents get relay NAME with
# TURN REST credentials of SECRET.
tn_signal_relay() {
	printf 'relay "%s" {\n\taddress "%s"\n\tsecret "%s"\n\trealm "%s"\n}\n' \
	    "$1" "$2" "$3" "$TN_RELAY_REALM" >> "$TN_DIR/sig/tern-signal.conf"
}

# tn_relay_conf NAME SECRET ADDR...: NAME's tern-relay.conf: STUN and
# TURN on each ADDR (at most one per family, as relay-address wants)
# with TURN REST credentials of SECRET.  Peers on private addresses stay
# denied: put the hosts' public side on non-private addresses.
tn_relay_conf() {
	local name=$1 secret=$2 a
	shift 2
	{
		for a in "$@"; do
			echo "listen on $a port $TN_RELAY_PORT"
			echo "relay-address $a"
		done
		echo "realm \"$TN_RELAY_REALM\""
		echo "secret \"$secret\""
		echo "control-socket \"$TN_DIR/$name/relay.sock\""
		echo "servers 1"
	} > "$TN_DIR/$name/tern-relay.conf"
}

# tn_relay_start NAME: tern-relay on NAME's tern-relay.conf, once it
# listens on UDP and TCP.
tn_relay_start() {
	tn_daemon "$1" "$TN_RELAY" -d -v -f "$TN_DIR/$1/tern-relay.conf" \
	    -c "$TN_DIR/empty"
	tn_wait_up "$1" "tern-relay on $1" tn_relay_up "$1"
}

tn_relay_up() {
	tn_listening "$1" u "$TN_RELAY_PORT" &&
	    tn_listening "$1" t "$TN_RELAY_PORT"
}

# tn_relay_host NAME N SECRET: host N on the bridge running tern-relay
# with SECRET, announced in tern-signal.conf (after tn_signal_conf).
tn_relay_host() {
	tn_host "$1" "$2"
	tn_relay_conf "$1" "$3" "$TN_UNDERLAY.$2"
	tn_relay_start "$1" || return 1
	tn_signal_relay "$1" "$TN_UNDERLAY.$2:$TN_RELAY_PORT" "$3"
}

# tn_signal_kill [SIG]: stops tern-signal and waits for it.
tn_signal_kill() {
	local pid i
	pid=$(cat "$TN_DIR/sig/pid")
	kill "-${1:-TERM}" "$pid" 2>/dev/null || return 0
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	wait "$pid" 2>/dev/null
	return 0
}

# tn_state NAME PEER: PEER's state as NAME sees it.
tn_state() {
	tn_ctl "$1" status -j 2>/dev/null | tr -d ' \n' |
	    grep -o "\"name\":\"$2\",\"state\":\"[a-z]*\"" |
	    sed 's/.*"state":"\([a-z]*\)"/\1/' || true
}

# tn_wait_state NAME PEER STATE SECONDS: PEER gets to STATE as NAME sees
# it, in SECONDS * 10 tries (longer when ternctl is slow, as with
# thousands of peers).
tn_wait_state() {
	local i
	for i in $(seq 1 $(($4 * 10))); do
		[ "$(tn_state "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# tn_wait_connected NAME PEER SECONDS: PEER is connected as NAME sees it.
tn_wait_connected() {
	tn_wait_state "$1" "$2" connected "$3"
}

# tn_start NAME [ARGS]: starts ternd in NAME's namespace, waits for it.
tn_start() {
	local name=$1
	shift
	tn_daemon "$name" "$TN_TERND" -d "$@" \
	    -f "$TN_DIR/$name/ternd.conf" -s "$(tn_sock "$name")" \
	    -r "$(tn_rsock "$name")" -S "$TN_DIR/$name/state" \
	    -c "$TN_DIR/empty"
	tn_wait_up "$name" "ternd on $name" tn_ctl "$name" status
}

tn_pid() { cat "$TN_DIR/$1/pid"; }

# tn_engine_pid NAME: the parent's child whose process title says engine.
tn_engine_pid() {
	local ppid c
	ppid=$(tn_pid "$1")
	for c in $(cat "/proc/$ppid/task/$ppid/children" 2>/dev/null); do
		if tr '\0' ' ' < "/proc/$c/cmdline" | grep -q 'engine'; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

# tn_stop NAME: SIGTERM, then waits for the exit; prints its status.
tn_stop() {
	local pid i
	pid=$(tn_pid "$1")
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	wait "$pid" 2>/dev/null
}

tn_exec() {
	local name=$1
	shift
	ip netns exec "$(tn_ns "$name")" "$@"
}

tn_ctl() {
	local name=$1
	shift
	"$TN_TERNCTL" -s "$(tn_sock "$name")" "$@"
}

# tn_cleanup DIR: stops what is left and removes every namespace.
tn_cleanup() {
	local dir=$1 pid i ns
	[ -d "$dir" ] || return 0
	if [ -f "$dir/pids" ]; then
		for pid in $(cat "$dir/pids"); do
			kill -TERM "$pid" 2>/dev/null || continue
			for i in $(seq 1 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -KILL "$pid" 2>/dev/null || true
		done
	fi
	if [ -f "$dir/netns" ]; then
		for ns in $(cat "$dir/netns"); do
			ip netns del "$ns" 2>/dev/null || true
		done
	fi
}

# tn_conf_relay NAME HOSTPORT...: adds relay lines to NAME's ternd.conf.
tn_conf_relay() {
	local name=$1 r
	shift
	for r in "$@"; do
		echo "relay \"$r\""
	done >> "$TN_DIR/$name/ternd.conf"
}

# tn_peer_json NAME PEER: PEER's object of NAME's status -j, on one line.
tn_peer_json() {
	tn_ctl "$1" status -j 2>/dev/null | tr -d '\n' |
	    sed 's/.*"peers": *\[ *//; s/ *\] *} *$//
	    s/}, *{ *"name"/}\n{"name"/g' |
	    grep "^{ *\"name\": *\"$2\"" || true
}

# tn_pair NAME PEER: "LOCALTYPE LOCAL REMOTETYPE REMOTE" of the pair NAME
# uses to reach PEER, or nothing.
tn_pair() {
	tn_peer_json "$1" "$2" | tr -d ' ' |
	    sed -n 's/.*"pair":{"local":"\([^"]*\)","local_type":"\([a-z]*\)","remote":"\([^"]*\)","remote_type":"\([a-z]*\)".*/\2 \1 \4 \3/p'
}

# tn_path NAME PEER: "direct", "relay" or "null" (no pair), the path NAME
# uses to reach PEER, or nothing if NAME does not list PEER.
tn_path() {
	tn_peer_json "$1" "$2" | tr -d ' ' |
	    sed -n 's/.*"path":"*\([a-z]*\)"*,.*/\1/p'
}

# tn_wait_path NAME PEER PATH SECONDS: NAME reaches PEER on PATH within
# SECONDS by the clock, so a slow ternctl does not stretch the wait.
tn_wait_path() {
	local end i
	end=$(($(date +%s) + $4))
	for i in $(seq 1 $(($4 * 10))); do
		[ "$(tn_path "$1" "$2")" = "$3" ] && return 0
		[ "$(date +%s)" -lt $end ] || return 1
		sleep 0.1
	done
	return 1
}

# tn_ping NAME PEER SECONDS: one reply from PEER's overlay address.
tn_ping() {
	tn_exec "$1" ping -c 1 -w "$3" "$TN_OVERLAY.$(cat "$TN_DIR/$2/n")" \
	    >/dev/null 2>&1
}

# tn_first_reply NAME PEER WAIT INTERVAL: ms from the first ping from NAME
# to PEER's overlay address until the first reply and the number of the
# ping answered (1: the first), or "lost"; pings go every INTERVAL s
# until one is answered or WAIT s have passed, so a lost first one shows.
tn_first_reply() {
	local out
	out=$(tn_exec "$1" ping -c 1 -w "$3" -i "$4" \
	    "$TN_OVERLAY.$(cat "$TN_DIR/$2/n")" 2>&1) || true
	echo "$out" | awk -v i="$4" '
		/icmp_seq=.*time=/ {
			sub(/.*icmp_seq=/, ""); seq = $1 + 0
			sub(/.*time=/, ""); rtt = $1 + 0
			printf "%.3f:%d\n", (seq - 1) * i * 1000 + rtt, seq
			found = 1; exit
		}
		END { if (!found) print "lost" }'
}

# tn_stats NAME VALUE...: median, p90 (nearest rank), rounds whose first
# ping was answered, and rounds with no reply, of tn_first_reply values.
tn_stats() {
	local name=$1
	shift
	printf '%s\n' "$@" | awk -F: -v name="$name" '
		$1 == "lost" { lost++; next }
		{ v[n++] = $1; if ($2 == 1) first++ }
		END {
			if (n == 0) { printf "%-30s all %d lost\n", name, lost; exit }
			# Insertion sort: the callers bound the rounds.
			for (i = 1; i < n; i++) {
				x = v[i]
				for (j = i - 1; j >= 0 && v[j] > x; j--)
					v[j + 1] = v[j]
				v[j + 1] = x
			}
			med = n % 2 ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
			r = int((9 * n + 9) / 10)
			printf "%-30s median %8.3f ms  p90 %8.3f ms  " \
			    "(first ping answered %d/%d, no reply %d)\n",
			    name, med, v[r - 1], first + 0, n + lost, lost + 0
		}'
}
