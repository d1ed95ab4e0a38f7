# Network topologies for NAT tests: LANs, hosts, NAT routers.  Sourced
# after scripts/netns.sh, whose tn_init, naming and tn_cleanup it builds
# on; every namespace it creates is recorded in $TN_DIR/netns, so
# topo_cleanup (tn_cleanup) removes them all, and with them every link,
# address and nftables rule, which live only inside those namespaces.
#
# Addresses: the public LAN is tn_init's bridge, 198.51.100.0/24
# (TEST-NET-2) and 2001:db8:100::/64 (RFC 3849 documentation).  Private
# LANs take a private /24 of the caller's choosing (RFC 1918) and are
# IPv4 only, as behind most home routers; their router is .1.
#
# Names (LANs, hosts, routers) share one namespace prefix: keep them
# unique, at most 8 characters (interface names have 15 at most).

TOPO_PUB=lan			# tn_init's bridge namespace
TOPO_PUB6=2001:db8:100		# the public LAN's IPv6 /64, without "::"
TOPO_GW=1			# a private LAN's router is .1

# topo_init DIR: a fresh topology recorded in DIR, with its public LAN.
topo_init() {
	tn_init "$1"
	mkdir -p "$TN_DIR/lans/$TOPO_PUB"
	echo "$TN_UNDERLAY" > "$TN_DIR/lans/$TOPO_PUB/v4"
	echo "$TOPO_PUB6" > "$TN_DIR/lans/$TOPO_PUB/v6"
}

# topo_lan NAME V4: a bridge in its own namespace for V4.0/24 ("192.168.1").
topo_lan() {
	local name=$1 ns
	ns=$(tn_ns "$name")
	ip netns add "$ns"
	echo "$ns" >> "$TN_DIR/netns"
	ip -n "$ns" link add br0 type bridge
	ip -n "$ns" link set br0 up
	mkdir -p "$TN_DIR/lans/$name"
	echo "$2" > "$TN_DIR/lans/$name/v4"
}

# topo_link NS IFNAME LAN PORT: a veth from NS (as IFNAME) to LAN's bridge.
topo_link() {
	local ns=$1 ifname=$2 lan=$3 port=$4
	ip link add "$ifname" netns "$ns" type veth \
	    peer name "$port" netns "$(tn_ns "$lan")"
	ip -n "$(tn_ns "$lan")" link set "$port" master br0 up
	ip -n "$ns" link set "$ifname" up
}

# topo_addr LAN IFNAME NS N: LAN's addresses number N on IFNAME in NS.
topo_addr() {
	local lan=$1 ifname=$2 ns=$3 n=$4
	ip -n "$ns" addr add "$(cat "$TN_DIR/lans/$lan/v4").$n/24" \
	    dev "$ifname"
	if [ -f "$TN_DIR/lans/$lan/v6" ]; then
		# nodad: the address is usable at once, not after DAD's delay.
		ip -n "$ns" addr add "$(cat "$TN_DIR/lans/$lan/v6")::$n/64" \
		    dev "$ifname" nodad
	fi
}

# topo_host NAME LAN N: a namespace with eth0 on LAN as host N, routed
# through LAN's router if it has one; its files as tn_host makes them.
topo_host() {
	local name=$1 lan=$2 n=$3 ns
	ns=$(tn_ns "$name")
	ip netns add "$ns"
	echo "$ns" >> "$TN_DIR/netns"
	ip -n "$ns" link set lo up
	topo_link "$ns" eth0 "$lan" "p$name"
	topo_addr "$lan" eth0 "$ns" "$n"
	if [ -f "$TN_DIR/lans/$lan/gw" ]; then
		ip -n "$ns" route add default via "$(cat "$TN_DIR/lans/$lan/gw")"
	fi
	mkdir -m 0755 -p "$TN_DIR/$name"
	echo "$n" > "$TN_DIR/$name/n"
	echo "$lan" > "$TN_DIR/$name/lan"
}

# topo_ip NAME [6]: host NAME's address on its LAN (IPv6 with "6").
topo_ip() {
	local lan n
	lan=$(cat "$TN_DIR/$1/lan")
	n=$(cat "$TN_DIR/$1/n")
	if [ "${2:-4}" = 6 ]; then
		echo "$(cat "$TN_DIR/lans/$lan/v6")::$n"
	else
		echo "$(cat "$TN_DIR/lans/$lan/v4").$n"
	fi
}

# topo_nat NAME PRIVLAN N TYPE: a router, host N on the public LAN (eth0)
# and .1 on PRIVLAN (eth1), translating PRIVLAN's IPv4 to its public
# address.  TYPE "eim": endpoint-independent mapping (masquerade keeps
# the source port when it can, persistent keeps the address), RFC 4787
# REQ-1; "symmetric": a random port for every destination (fully-random);
# "masq": as eim, but unsolicited UDP to the router's own address is
# taken (no input filter, as many Linux gateways), leaving a conntrack
# entry that can clash with the mapping of a later datagram of ours.
# All filter forwarded traffic by address and port: from outside only
# answers come in.
topo_nat() {
	local name=$1 priv=$2 n=$3 type=$4 ns flags
	case "$type" in
	eim|masq) flags=persistent ;;
	symmetric) flags=fully-random ;;
	*) echo "topo_nat: unknown NAT type $type" >&2; return 1 ;;
	esac
	ns=$(tn_ns "$name")
	ip netns add "$ns"
	echo "$ns" >> "$TN_DIR/netns"
	ip -n "$ns" link set lo up
	topo_link "$ns" eth0 "$TOPO_PUB" "p$name"
	topo_addr "$TOPO_PUB" eth0 "$ns" "$n"
	topo_link "$ns" eth1 "$priv" "p$name"
	topo_addr "$priv" eth1 "$ns" "$TOPO_GW"
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$ns" nft -f - <<-NFT
	table ip topo {
		chain postrouting {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "eth0" masquerade $flags
		}
		chain forward {
			type filter hook forward priority filter; policy accept;
			iifname "eth0" ct state new drop
		}
		# Dropped before conntrack confirms it, an unsolicited
		# datagram leaves no entry that would clash with the
		# mapping of our own later datagram to its sender.
		chain input {
			type filter hook input priority filter; policy accept;
			iifname "eth0" ct state new drop
		}
	}
	NFT
	# masq: a plain masquerading gateway that takes unsolicited UDP to
	# its own address; the entry it leaves can clash with our mapping.
	[ "$type" != masq ] ||
	    ip netns exec "$ns" nft delete chain ip topo input
	echo "$(cat "$TN_DIR/lans/$priv/v4").$TOPO_GW" > "$TN_DIR/lans/$priv/gw"
	mkdir -m 0755 -p "$TN_DIR/$name"
	echo "$n" > "$TN_DIR/$name/n"
	echo "$TOPO_PUB" > "$TN_DIR/$name/lan"
	echo "$type" > "$TN_DIR/$name/nat"
}

# topo_bg NAME CMD...: CMD in NAME's namespace in the background, recorded.
topo_bg() {
	local name=$1
	shift
	ip netns exec "$(tn_ns "$name")" "$@" >> "$TN_DIR/$name/log" 2>&1 &
	echo $! >> "$TN_DIR/pids"
}

# topo_left DIR: the recorded namespaces that still exist.
topo_left() {
	local ns
	[ -f "$1/netns" ] || return 0
	for ns in $(cat "$1/netns"); do
		ip netns list | awk '{ print $1 }' | grep -qx "$ns" && echo "$ns"
	done
	return 0
}

# topo_cleanup DIR: stops what is left, removes every namespace, and
# fails if one could not be removed.
topo_cleanup() {
	tn_cleanup "$1"
	[ -z "$(topo_left "$1")" ]
}

TOPO_STUN_PORT=3478		# RFC 8489's default STUN port
TOPO_SECRET=topo-secret		# TURN REST shared secret of these tests only
TOPO_STUN_WAIT=5		# seconds a STUN server may take to answer

# topo_signal_host: tern-signal's host on the public LAN as tn_signal_host
# makes it, so tn_conf_signal and tn_signal_start find it.
topo_signal_host() {
	topo_host sig "$TOPO_PUB" "$TN_SIGNAL_N"
	"$TN_SIGNAL" -G "$TN_DIR/sig/signal.key" > "$TN_DIR/sig/signal.pub"
	[ -s "$TN_DIR/sig/signal.pub" ]
}

# topo_stun_wait NAME ADDR: up to TOPO_STUN_WAIT s for a Binding answer
# from ADDR port TOPO_STUN_PORT, asked from host NAME.
topo_stun_wait() {
	local i
	for i in $(seq 1 $((TOPO_STUN_WAIT * 10))); do
		tn_exec "$1" "$TN_BUILD/bench/stun_load" -n 1 -w 100 "$2" \
		    "$TOPO_STUN_PORT" 2>/dev/null | grep -q "answered 1 " &&
		    return 0
		sleep 0.1
	done
	echo "no STUN answer from $2 port $TOPO_STUN_PORT" >&2
	return 1
}

# topo_relay NAME N: a public host N running tern-relay on its IPv4 and
# IPv6 addresses, TURN with TURN REST credentials of TOPO_SECRET, once
# it answers STUN.
topo_relay() {
	local name=$1
	topo_host "$name" "$TOPO_PUB" "$2"
	tn_relay_conf "$name" "$TOPO_SECRET" "$(topo_ip "$name")" \
	    "$(topo_ip "$name" 6)"
	tn_relay_start "$name" &&
	    topo_stun_wait "$name" "$(topo_ip "$name")"
}

# topo_coturn NAME N [SECRET]: a public host N running coturn's
# turnserver over UDP, once it answers STUN: a STUN server only (-S), or
# with SECRET a TURN server too, with TURN REST credentials of SECRET
# (use-auth-secret), as tern-signal hands them out.
topo_coturn() {
	local name=$1 ip dir="$TN_DIR/$1"
	topo_host "$name" "$TOPO_PUB" "$2"
	ip=$(topo_ip "$name")
	if [ $# -ge 3 ]; then
		set -- --use-auth-secret --static-auth-secret="$3" \
		    --realm="$TN_RELAY_REALM" -E "$ip"
	else
		set -- -S -z
	fi
	topo_bg "$name" turnserver -n "$@" --no-cli --no-tcp --no-tls \
	    --no-dtls -m 1 -L "$ip" -p "$TOPO_STUN_PORT" \
	    --pidfile "$dir/turn.pid" --db "$dir/turndb" \
	    --log-file "$dir/turn.log" --simple-log --no-stdout-log
	topo_stun_wait "$name" "$ip"
}

# topo_v6only NAME: host NAME keeps its IPv6 address on eth0 only.
topo_v6only() {
	tn_exec "$1" ip -4 addr flush dev eth0
}

# topo_term DIR: SIGTERM to every recorded process at once, so they shut
# down side by side before topo_cleanup waits for each in turn.
topo_term() {
	local pid
	[ -f "$1/pids" ] || return 0
	for pid in $(cat "$1/pids"); do
		kill -TERM "$pid" 2>/dev/null || true
	done
}
