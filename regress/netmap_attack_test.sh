#! %ATF_SH%
# Attacker tests of the root side: a compromised engine (here: a real
# engine made to send messages with gdb) asks the parent to configure
# WireGuard peers the signal server never signed, signed with another
# key, replayed from an older map, expired, overlapping a static peer,
# or missing the network lock's signature.  Each is refused and logged,
# and the victim's traffic keeps flowing to the right peer.

TN_BUILD=%TOP_BUILDDIR%
. %TOP_SRCDIR%/scripts/netns.sh
NMFORGE=$TN_BUILD/regress/nmforge

common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip wireguard-go wg ping gdb"
	atf_set "timeout" "300"
}
common_cleanup() { tn_cleanup "$(pwd)/tn"; }

# mesh HOST...: tern-signal knows every HOST; each runs ternd.
mesh() {
	local h n=1
	tn_init "$(pwd)/tn"
	for h in "$@"; do
		tn_host "$h" "$n"
		n=$((n + 1))
	done
	tn_signal_host || atf_fail "no server key"
	tn_signal_conf "$@"
	[ -n "${LOCK_PUB:-}" ] && lock_server_conf "$@"
	tn_signal_start || atf_fail "tern-signal did not start"
	for h in "$@"; do
		tn_conf_signal "$h"
		[ -n "${LOCK_PUB:-}" ] &&
		    echo "network-lock \"$LOCK_PUB\"" >> "$TN_DIR/$h/ternd.conf"
		[ -n "${STATIC_PEER:-}" ] && [ "$h" = a ] && static_peer a
		tn_start "$h" || atf_fail "ternd $h did not start: $(tail tn/$h/log)"
	done
	for h in "$@"; do
		[ "$h" = a ] && continue
		tn_wait_connected a "$h" 20 ||
		    atf_fail "a does not see $h: $(tn_ctl a status)"
	done
}

# static_peer HOST: a static peer "gw" owning $TN_OVERLAY.200/29.
static_peer() {
	wg genkey | wg pubkey > "$TN_DIR/gw.pub"
	cat >> "$TN_DIR/$1/ternd.conf" <<-EOT
	peer "gw" {
		public-key "$(cat "$TN_DIR/gw.pub")"
		allowed-ips $TN_OVERLAY.200/29
	}
	EOT
}

# lock_server_conf HOST...: lock-signatures for every peer, lock key set.
lock_server_conf() {
	local p pn sig
	echo "network-lock \"$LOCK_PUB\"" >> "$TN_DIR/sig/tern-signal.conf"
	for p in "$@"; do
		pn=$(cat "$TN_DIR/$p/n")
		sig=$("$TN_TERNCTL" lock sign "$TN_DIR/lock.key" \
		    "$(cat "$TN_DIR/$p/nodepub")" "$(cat "$TN_DIR/$p/wgpub")" \
		    "$TN_OVERLAY.$pn/32") || atf_fail "lock sign $p"
		# Into the peer's block: after its address line.
		sed -i "/address $TN_OVERLAY.$pn\/32/a\\	$sig" \
		    "$TN_DIR/sig/tern-signal.conf"
	done
}

# inject HOST FILE [TYPE]: the engine of HOST sends FILE as an imsg of
# TYPE (IMSG_WG_PEER_SIGNED).
inject() {
	local epid size type=${3:-IMSG_WG_PEER_SIGNED}
	epid=$(tn_engine_pid "$1") || atf_fail "no engine on $1"
	size=$(stat -c %s "$2")
	gdb -p "$epid" -batch -nx \
	    -ex "set \$m = (char *)malloc($size)" \
	    -ex "restore $(pwd)/$2 binary \$m" \
	    -ex "call (int)engine_to_parent($type, 0, \$m, $size)" \
	    -ex "call (void)free(\$m)" > gdb.out 2>&1 ||
	    atf_fail "gdb: $(cat gdb.out)"
	grep -q '= 0$' gdb.out || atf_fail "engine_to_parent failed: $(cat gdb.out)"
}

# wait_log HOST TEXT [N]: N lines (1) with TEXT in HOST's log within 5 s.
wait_log() {
	local i
	for i in $(seq 1 50); do
		[ "$(grep -c -- "$2" "tn/$1/log")" -ge "${3:-1}" ] && return 0
		sleep 0.1
	done
	atf_fail "$1's log lacks \"$2\": $(tail -n 5 "tn/$1/log")"
}

# victim_ok: a still sends b's prefix to b's key, and b answers.
victim_ok() {
	atf_check -o match:"^$(cat "$TN_DIR/b/wgpub" | sed 's/[+/]/\\&/g')	$TN_OVERLAY.2/32\$" \
	    ip netns exec "$(tn_ns a)" wg show "$(tn_if a)" allowed-ips
	atf_check -o not-match:"$ATTACKER_RE" \
	    ip netns exec "$(tn_ns a)" wg show "$(tn_if a)" peers
	atf_check -o ignore ip netns exec "$(tn_ns a)" ping -c 1 -W 3 "$TN_OVERLAY.2"
}

attacker_key() {
	ATTACKER=$(wg genkey | wg pubkey)
	ATTACKER_RE=$(echo "$ATTACKER" | sed 's/[+/]/\\&/g')
}

atf_test_case forged_entries cleanup
forged_entries_head() {
	atf_set "descr" "unsigned, wrongly signed, replayed and expired" \
	    "entries from the engine are refused; b's traffic stays with b"
	common_head
}
forged_entries_body() {
	mesh a b
	attacker_key
	bnode=$(cat "$TN_DIR/b/nodepub")
	"$TN_SIGNAL" -G "$TN_DIR/other.key" > /dev/null
	victim_ok

	# The review's attack: a plain peer message, as static peers use.
	"$NMFORGE" -P -n "$bnode" -w "$ATTACKER" -a "$TN_OVERLAY.2/32" > e0 ||
	    atf_fail nmforge
	inject a e0 IMSG_WG_PEER_SET
	wait_log a "refused peer $ATTACKER from the engine: not a static peer"
	victim_ok

	# b's address for the attacker's key, no signature at all.
	"$NMFORGE" -n "$bnode" -w "$ATTACKER" -a "$TN_OVERLAY.2/32" > e1 ||
	    atf_fail nmforge
	inject a e1
	wait_log a "refused netmap peer $ATTACKER from the engine: not signed"
	victim_ok

	# Signed by a server with another key.
	"$NMFORGE" -k "$TN_DIR/other.key" -n "$bnode" -w "$ATTACKER" \
	    -a "$TN_OVERLAY.2/32" > e2
	inject a e2
	wait_log a "refused netmap peer $ATTACKER from the engine: not signed" 2
	victim_ok

	# The real key, but an old map's serial: a replayed assignment.
	"$NMFORGE" -k "$TN_DIR/sig/signal.key" -s 1 -n "$bnode" \
	    -w "$ATTACKER" -a "$TN_OVERLAY.2/32" > e3
	inject a e3
	wait_log a "refused netmap peer $ATTACKER from the engine: serial 1 is older than"
	victim_ok

	# The real key, expired.
	"$NMFORGE" -k "$TN_DIR/sig/signal.key" -e -10 -n "$bnode" \
	    -w "$ATTACKER" -a "$TN_OVERLAY.2/32" > e4
	inject a e4
	wait_log a "refused netmap peer $ATTACKER from the engine: signature expired"
	victim_ok

	# The control: a fresh entry signed by the real key does apply, so
	# the refusals above come from the checks, not from the injection.
	good=$(wg genkey | wg pubkey)
	"$NMFORGE" -k "$TN_DIR/sig/signal.key" -n "$good" -w "$good" \
	    -a "$TN_OVERLAY.99/32" > e5
	inject a e5
	for i in $(seq 1 50); do
		ip netns exec "$(tn_ns a)" wg show "$(tn_if a)" allowed-ips |
		    grep -q "$TN_OVERLAY.99/32" && break
		sleep 0.1
	done
	atf_check -o match:"$TN_OVERLAY.99/32" \
	    ip netns exec "$(tn_ns a)" wg show "$(tn_if a)" allowed-ips
}
forged_entries_cleanup() { common_cleanup; }

atf_test_case static_prefix cleanup
static_prefix_head() {
	atf_set "descr" "even a validly signed entry cannot take a static" \
	    "peer's prefix or key"
	common_head
}
static_prefix_body() {
	STATIC_PEER=1 mesh a b
	attacker_key
	"$NMFORGE" -k "$TN_DIR/sig/signal.key" -n "$ATTACKER" -w "$ATTACKER" \
	    -a "$TN_OVERLAY.201/32" > e1
	inject a e1
	wait_log a "refused netmap peer $ATTACKER from the engine: $TN_OVERLAY.201/32 overlaps static peer gw"
	"$NMFORGE" -k "$TN_DIR/sig/signal.key" -n "$ATTACKER" \
	    -w "$(cat "$TN_DIR/gw.pub")" -a "$TN_OVERLAY.98/32" > e2
	inject a e2
	wait_log a "WireGuard key of static peer gw"
	atf_check -o match:"$TN_OVERLAY.200/29" \
	    ip netns exec "$(tn_ns a)" wg show "$(tn_if a)" allowed-ips
	victim_ok
}
static_prefix_cleanup() { common_cleanup; }

atf_test_case network_lock cleanup
network_lock_head() {
	atf_set "descr" "with the network lock, a server-signed entry" \
	    "without the lock's signature is refused; lock-signed peers work"
	common_head
}
network_lock_body() {
	mkdir -p tn
	LOCK_PUB=$("$TN_TERNCTL" lock keygen "$(pwd)/tn/lock.key" |
	    sed -n 's/^network-lock "\(.*\)"$/\1/p')
	[ -n "$LOCK_PUB" ] || atf_fail "lock keygen"
	LOCK_PUB=$LOCK_PUB mesh a b
	attacker_key
	# What a compromised tern-signal could sign: a new peer.
	"$NMFORGE" -k "$TN_DIR/sig/signal.key" -n "$ATTACKER" -w "$ATTACKER" \
	    -a "$TN_OVERLAY.97/32" > e1
	inject a e1
	wait_log a "refused netmap peer $ATTACKER from the engine: no network-lock signature"
	# Lock-signed by another key.
	"$TN_TERNCTL" lock keygen "$(pwd)/other-lock.key" > /dev/null
	"$NMFORGE" -k "$TN_DIR/sig/signal.key" -l other-lock.key \
	    -n "$ATTACKER" -w "$ATTACKER" -a "$TN_OVERLAY.97/32" > e2
	inject a e2
	wait_log a "network-lock signature does not verify"
	victim_ok
}
network_lock_cleanup() { common_cleanup; }

atf_init_test_cases() {
	atf_add_test_case forged_entries
	atf_add_test_case static_prefix
	atf_add_test_case network_lock
}
