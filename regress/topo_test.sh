#! %ATF_SH%
# Tests of the topology library (regress/topo.sh): hosts behind an
# endpoint-independent NAT and a symmetric one, and a public IPv6 LAN,
# checked with udpmap, a UDP reflector that tells each sender its address.

TN_BUILD=%TOP_BUILDDIR%
. %TOP_SRCDIR%/scripts/netns.sh
. %TOP_SRCDIR%/regress/topo.sh
UDPMAP=%TOP_BUILDDIR%/regress/udpmap
TRIES=5		# symmetric: 5 tries of a 1 in 64511 chance of equal ports
SERVE=120	# seconds the reflectors run at most

atf_test_case nat_types cleanup
nat_types_head() {
	atf_set "descr" "an endpoint-independent NAT keeps a flow's public" \
	    "port towards two servers, a fully-random one does not"
	atf_set "require.user" "root"
	atf_set "require.progs" "ip nft"
	atf_set "timeout" "120"
}

# mapped HOST LPORT: what the two reflectors on pub saw of one socket.
mapped() {
	tn_exec "$1" "$UDPMAP" probe "0.0.0.0:$2" \
	    "$(topo_ip pub):3478" "$(topo_ip pub):3479"
}

# serving: the reflectors answer (they started in the background).
serving() {
	local i
	for i in $(seq 1 50); do
		if tn_exec pub2 "$UDPMAP" probe 0.0.0.0:39999 \
		    "$(topo_ip pub):3478" "$(topo_ip pub):3479" >/dev/null \
		    2>&1; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

nat_types_body() {
	local out a b i

	topo_init "$(pwd)/tn"
	topo_host pub "$TOPO_PUB" 10
	topo_host pub2 "$TOPO_PUB" 11
	topo_lan home1 192.168.1
	topo_nat nat1 home1 1 eim
	topo_host h1 home1 10
	topo_lan home2 10.0.2
	topo_nat nat2 home2 2 symmetric
	topo_host h2 home2 10
	topo_bg pub "$UDPMAP" serve "0.0.0.0:3478" $SERVE
	topo_bg pub "$UDPMAP" serve "0.0.0.0:3479" $SERVE
	topo_bg pub "$UDPMAP" serve "[::]:3478" $SERVE
	serving || atf_fail "the reflectors do not answer"

	# A public host is seen as itself.
	out=$(tn_exec pub2 "$UDPMAP" probe 0.0.0.0:40000 \
	    "$(topo_ip pub):3478") || atf_fail "pub2: no answer"
	[ "$out" = "$(topo_ip pub2):40000" ] || atf_fail "pub2 seen as $out"

	# Endpoint-independent: one public address and port, the socket's.
	out=$(mapped h1 40000) || atf_fail "h1: no answer: $out"
	a=$(echo "$out" | sed -n 1p)
	b=$(echo "$out" | sed -n 2p)
	[ "$a" = "$(topo_ip nat1):40000" ] || atf_fail "h1 seen as $a"
	[ "$b" = "$a" ] || atf_fail "h1 seen as $a, then $b"

	# Symmetric: the same public address, a new port per server.
	for i in $(seq 1 $TRIES); do
		out=$(mapped h2 $((40000 + i))) || atf_fail "h2: no answer"
		a=$(echo "$out" | sed -n 1p)
		b=$(echo "$out" | sed -n 2p)
		[ "${a%:*}" = "$(topo_ip nat2)" ] || atf_fail "h2 seen as $a"
		[ "${b%:*}" = "$(topo_ip nat2)" ] || atf_fail "h2 seen as $b"
		[ "$a" != "$b" ] && break
	done
	[ "$a" != "$b" ] || atf_fail "h2 kept $a in $TRIES tries"

	# From outside, only answers come in: a new flow to h1 is dropped.
	ip -n "$(tn_ns pub)" route add 192.168.1.0/24 via "$(topo_ip nat1)"
	tn_exec pub "$UDPMAP" probe 0.0.0.0:40100 192.168.1.10:3478 \
	    >/dev/null 2>&1 && atf_fail "pub reached h1 unasked"

	# The public LAN carries IPv6.
	out=$(tn_exec pub2 "$UDPMAP" probe "[::]:40000" \
	    "[$(topo_ip pub 6)]:3478") || atf_fail "pub2: no IPv6 answer"
	[ "$out" = "[$(topo_ip pub2 6)]:40000" ] ||
	    atf_fail "pub2 seen over IPv6 as $out"

	topo_cleanup "$(pwd)/tn" || atf_fail "left: $(topo_left "$(pwd)/tn")"
	[ -z "$(ip netns list | grep "^tn$TN_ID-")" ] ||
	    atf_fail "namespaces left: $(ip netns list | grep "^tn$TN_ID-")"
}

nat_types_cleanup() {
	topo_cleanup "$(pwd)/tn"
}

atf_init_test_cases() {
	atf_add_test_case nat_types
}
