#!/bin/sh
# Builds the libFuzzer targets into OUTDIR and runs each for SECONDS,
# with AddressSanitizer and UndefinedBehaviorSanitizer: the signaling
# JSON parser and signed netmap entries, the frame decoder, the ICE
# payload parser, tern-relay's Binding request handling and TURN
# server, TURN framing on TCP and TLS streams, the engine's STUN (ICE
# checks, answers from relays), the engine's TURN client (answers and
# data from its relay), the parent's checks of engine messages,
# ternctl's output of ternd's answers, and the ternd, tern-signal and
# tern-relay config parsers.
# --long runs each for 600 s unless SECONDS is given; TARGETs limit the
# run to those.  Corpora stay in OUTDIR, so later runs go on from them.
# Exits non-zero if a build fails or a fuzzer finds a crash.
set -eu

LONG_SECONDS=600	# --long: ten minutes a target

usage() {
	echo "usage: $0 outdir seconds [target ...]" >&2
	echo "       $0 --long outdir [seconds [target ...]]" >&2
	exit 2
}

LONG=0
if [ "${1:-}" = --long ]; then
	LONG=1
	shift
fi
[ $# -ge 1 ] || usage
OUT=$1
shift
if [ $# -ge 1 ]; then
	SECONDS_MAX=$1
	shift
elif [ "$LONG" = 1 ]; then
	SECONDS_MAX=$LONG_SECONDS
else
	usage
fi
case $SECONDS_MAX in
''|*[!0-9]*)	usage ;;
esac
TARGETS_ALL="sigmsg_fuzz frame_fuzz icemsg_fuzz relay_fuzz turn_fuzz ice_fuzz
    turnc_fuzz turnframe_fuzz parent_fuzz ctl_fuzz conf_ternd_fuzz
    conf_signal_fuzz conf_relay_fuzz"
TARGETS=${*:-$TARGETS_ALL}
for t in $TARGETS; do
	case " $(echo $TARGETS_ALL) " in
	*" $t "*)	;;
	*)		echo "$0: unknown target $t" >&2; exit 2 ;;
	esac
done

TOP=$(cd "$(dirname "$0")/../.." && pwd)
MAX_LEN=70000		# a little over 64 KiB: room past small caps
CC=${CC:-clang}
YACC=${YACC:-byacc}
GEN=$OUT/gen
PKGS_ENGINE="libmd libbsd-overlay libsodium libevent"

mkdir -p "$OUT/seeds" "$OUT/artifacts" "$OUT/ice-seeds" \
    "$OUT/relay-seeds" "$OUT/turn-seeds" "$OUT/ice_fuzz-seeds" \
    "$OUT/turnc-seeds" \
    "$OUT/parent-seeds" "$OUT/ctl-seeds" "$OUT/conf_ternd-seeds" \
    "$OUT/conf_signal-seeds" "$OUT/conf_relay-seeds" \
    "$GEN/agent" "$GEN/signal" "$GEN/relay"

# wanted NAME: NAME is one of the targets of this run.
wanted() {
	case " $(echo $TARGETS) " in
	*" $1 "*)	return 0 ;;
	*)		return 1 ;;
	esac
}

# fuzz_build NAME PKGS SOURCES...: one target, sanitizers on.
fuzz_build() {
	name=$1 pkgs=$2
	shift 2
	wanted "$name" || return 0
	# pkg-config's flags are meant to split into words.
	# shellcheck disable=SC2046
	"$CC" -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined \
	    -include "$TOP/compat/compat.h" -std=gnu11 -D_GNU_SOURCE \
	    -Wall -Wextra -Wno-unused-parameter \
	    $(pkg-config --cflags $pkgs) -I"$TOP/lib" "$@" \
	    $(pkg-config --libs $pkgs) -o "$OUT/$name"
}

# The three config grammars, generated as the build does (AM_YFLAGS -d).
for g in agent signal relay; do
	"$YACC" -d -o "$GEN/$g/parse.c" "$TOP/$g/parse.y" 2>/dev/null
done
# What the config parsers link besides their grammar.
CONF_LIB="$TOP/lib/addr.c $TOP/lib/log.c $TOP/lib/key.c $TOP/lib/hostport.c
    $TOP/lib/conflex.c $TOP/lib/regfile.c $TOP/lib/duration.c
    $TOP/lib/nmsign.c $TOP/lib/monotime.c"
TERND_CONF="$GEN/agent/parse.c $TOP/agent/relaysel.c
    $TOP/agent/parent_lazyconf.c"

fuzz_build sigmsg_fuzz "libbsd-overlay libsodium yajl" \
    "$TOP/regress/fuzz/sigmsg_fuzz.c" "$TOP/lib/sigmsg.c" \
    "$TOP/lib/sigmsg_json.c" "$TOP/lib/key.c" "$TOP/lib/addr.c" \
    "$TOP/lib/log.c" "$TOP/lib/nmsign.c" "$TOP/lib/regfile.c" \
    "$TOP/lib/monotime.c"
fuzz_build frame_fuzz "libbsd-overlay libsodium" \
    "$TOP/regress/fuzz/frame_fuzz.c" "$TOP/lib/frame.c" "$TOP/lib/noise.c"
fuzz_build icemsg_fuzz "libbsd-overlay libsodium yajl" \
    "$TOP/regress/fuzz/icemsg_fuzz.c" "$TOP/lib/icemsg.c" \
    "$TOP/lib/sigmsg_json.c" "$TOP/lib/addr.c" "$TOP/lib/log.c" \
    "$TOP/lib/monotime.c"
fuzz_build relay_fuzz "libbsd-overlay libsodium libmd" -I"$TOP" \
    "$TOP/regress/fuzz/relay_fuzz.c" "$TOP/relay/binding.c" \
    "$TOP/lib/stun.c" "$TOP/lib/hmac_sha1.c"
fuzz_build turn_fuzz "libbsd-overlay libsodium libmd" -I"$TOP" -I"$TOP/privsep" \
    "$TOP/regress/fuzz/turn_fuzz.c" "$TOP/relay/turn.c" \
    "$TOP/relay/turn_auth.c" "$TOP/relay/peer_policy.c" \
    "$TOP/relay/ratelimit.c" "$TOP/lib/stun.c" "$TOP/lib/addr.c" \
    "$TOP/lib/turnframe.c" \
    "$TOP/lib/hmac_sha1.c" "$TOP/lib/turn_cred.c" "$TOP/lib/log.c" \
    "$TOP/lib/tokenbucket.c" "$TOP/lib/monotime.c"
fuzz_build turnframe_fuzz "libbsd-overlay" \
    "$TOP/regress/fuzz/turnframe_fuzz.c" "$TOP/regress/fuzz/fuzz_input.c" \
    "$TOP/lib/turnframe.c"
fuzz_build ice_fuzz "$PKGS_ENGINE" -I"$TOP/agent" -I"$TOP/privsep" \
    "$TOP/regress/fuzz/ice_fuzz.c" "$TOP/regress/fuzz/fuzz_input.c" \
    "$TOP/regress/fuzz/fuzz_stun.c" \
    "$TOP/agent/ice.c" "$TOP/agent/ice_cand.c" "$TOP/agent/ice_check.c" \
    "$TOP/agent/ice_consent.c" "$TOP/agent/ice_ping.c" "$TOP/agent/stunc.c" \
    "$TOP/lib/stun.c" "$TOP/lib/hmac_sha1.c" "$TOP/lib/addr.c" \
    "$TOP/lib/log.c" "$TOP/lib/monotime.c"
fuzz_build turnc_fuzz "$PKGS_ENGINE" -I"$TOP/agent" -I"$TOP/privsep" \
    "$TOP/regress/fuzz/turnc_fuzz.c" "$TOP/regress/fuzz/fuzz_input.c" \
    "$TOP/regress/fuzz/fuzz_stun.c" \
    "$TOP/agent/turnc.c" "$TOP/lib/stun.c" "$TOP/lib/hmac_sha1.c" \
    "$TOP/lib/addr.c" "$TOP/lib/log.c" "$TOP/lib/monotime.c"
# shellcheck disable=SC2086
fuzz_build parent_fuzz "$PKGS_ENGINE" -I"$TOP/agent" -I"$TOP/privsep" \
    -I"$GEN/agent" "$TOP/regress/fuzz/parent_fuzz.c" \
    "$TOP/regress/fuzz/fuzz_input.c" "$TOP/agent/parent_netmap.c" \
    "$TOP/agent/parent_policy.c" "$TOP/agent/peerport.c" \
    "$TOP/agent/parent_relayconn.c" "$TOP/lib/sigsock.c" \
    "$TOP/lib/tokenbucket.c" "$TOP/privsep/imsgev.c" \
    "$TOP/privsep/imsg.c" $TERND_CONF $CONF_LIB
fuzz_build ctl_fuzz "libbsd-overlay libsodium yajl" -I"$TOP/agent" \
    -I"$TOP/privsep" -I"$TOP/ctl" "$TOP/regress/fuzz/ctl_fuzz.c" \
    "$TOP/regress/fuzz/fuzz_input.c" "$TOP/ctl/output.c" "$TOP/lib/addr.c" \
    "$TOP/lib/key.c" "$TOP/lib/log.c" "$TOP/lib/regfile.c" \
    "$TOP/lib/monotime.c"
# shellcheck disable=SC2086
fuzz_build conf_ternd_fuzz "$PKGS_ENGINE" -I"$TOP/agent" -I"$TOP/privsep" \
    -I"$GEN/agent" '-DCONF_HEADER="ternd.h"' -DCONF_PARSE=parse_config \
    -DCONF_FREE=conf_free "$TOP/regress/fuzz/conf_fuzz.c" $TERND_CONF \
    $CONF_LIB
# shellcheck disable=SC2086
fuzz_build conf_signal_fuzz "$PKGS_ENGINE yajl" -I"$TOP" -I"$GEN" \
    '-DCONF_HEADER="signal/signal.h"' -DCONF_PARSE=signal_parse_config \
    -DCONF_FREE=signal_conf_free "$TOP/regress/fuzz/conf_fuzz.c" \
    "$GEN/signal/parse.c" "$TOP/lib/sigmsg.c" "$TOP/lib/sigmsg_json.c" \
    $CONF_LIB
# shellcheck disable=SC2086
fuzz_build conf_relay_fuzz "$PKGS_ENGINE" -I"$TOP" -I"$GEN" \
    '-DCONF_HEADER="relay/relay.h"' -DCONF_PARSE=relay_parse_config \
    -DCONF_FREE=relay_conf_free "$TOP/regress/fuzz/conf_fuzz.c" \
    "$GEN/relay/parse.c" "$TOP/relay/peer_policy.c" $CONF_LIB

# Seeds that are C structs come from a program of this build's layout.
if wanted parent_fuzz || wanted ctl_fuzz; then
	# shellcheck disable=SC2046
	"$CC" -include "$TOP/compat/compat.h" -std=gnu11 -D_GNU_SOURCE \
	    $(pkg-config --cflags libbsd-overlay libsodium libevent) \
	    -I"$TOP/lib" -I"$TOP/agent" -I"$TOP/privsep" \
	    "$TOP/regress/fuzz/fuzz_seeds.c" "$TOP/agent/peerport.c" \
	    "$TOP/lib/addr.c" "$TOP/lib/log.c" "$TOP/lib/monotime.c" \
	    $(pkg-config --libs libbsd-overlay libsodium libevent) \
	    -o "$GEN/fuzz_seeds"
	"$GEN/fuzz_seeds" "$OUT/parent-seeds" "$OUT/ctl-seeds"
fi
cp "$TOP/etc/ternd.conf.example" "$TOP/regress/configs/"*.conf \
    "$TOP/regress/configs/"*.inc "$OUT/conf_ternd-seeds/"
cp "$TOP/etc/tern-signal.conf.example" "$TOP/regress/configs/signal/"* \
    "$OUT/conf_signal-seeds/"
cp "$TOP/etc/tern-relay.conf.example" "$OUT/conf_relay-seeds/"

K0=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
K1=//////////////////////////////////////////8=
PEER='{"name":"peer-1","node_key":"'$K0'","wg_key":"'$K1'","addresses":["10.77.0.2/32","fd77::2/128"],"allowed_ips":["192.168.1.0/24"],"groups":["ha"],"flags":["lazy-exempt","relay-only"],"version":"0.1"}'
seed() {
	printf '%s' "$2" > "$OUT/seeds/$1"
}
seed hello '{"type":"hello","version":1,"features":["lazy"],"software":"0.1.0"}'
seed netmap '{"type":"netmap","self":'"$PEER"',"peers":['"$PEER,$PEER"'],"features":{"lazy_connections":true,"inactivity_threshold":900}}'
# Entries as tern-signal signs them, one with a network-lock signature.
SIG=$(printf '%088d' 0 | tr 0 A)
SPEER=${PEER%\}}',"serial":7,"expires":1700003600,"sig":"'$SIG'"}'
LPEER=${SPEER%\}}',"lock_sig":"'$SIG'"}'
seed netmap-signed '{"type":"netmap","self":'"$SPEER"',"peers":['"$SPEER,$LPEER"']}'
seed relays '{"type":"relays","relays":[{"id":"r1","address":"relay.example:3478","username":"1700000000:peer-1","password":"c2VjcmV0","realm":"tern","expires":1700000000},{"id":"r2","address":"[2001:db8::1]:3478"}],"connected":["r1"],"disconnected":["r2"]}'
seed signal '{"type":"signal","from":"'$K1'","to":"'$K0'","box":"3q2+7w=="}'
seed error '{"type":"error","code":"version","message":"unsupported"}'
seed ping '{"type":"ping","seq":1}'
seed pong '{"type":"pong","seq":4294967295}'
CAND='{"foundation":"h1","priority":2130706431,"type":"host","address":"198.51.100.1","port":51820}'
CAND6='{"foundation":"h2","priority":2130706175,"type":"host","address":"2001:db8::1","port":51820}'
printf '%s' '{"type":"offer","ufrag":"abcd","pwd":"abcdefghijklmnopqrstuv","candidates":['"$CAND,$CAND6"'],"tie_breaker":"0123456789abcdef"}' > "$OUT/ice-seeds/offer"
printf '%s' '{"type":"candidate","ufrag":"abcd","candidates":['"$CAND"']}' > "$OUT/ice-seeds/candidate"
printf '%s' '{"type":"go-idle"}' > "$OUT/ice-seeds/go-idle"
# A Binding request with SOFTWARE and FINGERPRINT (RFC 5769 2.1's shape).
printf '\000\001\000\020\041\022\244B\001\002\003\004\005\006\007\010\011\012\013\014\200\042\000\004tern\200\050\000\004\235\271q\302' \
    > "$OUT/relay-seeds/binding"
# An RFC 3489 Binding request as Debian's stun sends it: no cookie,
# a 16-byte id, CHANGE-REQUEST 0.
printf '\000\001\000\010\240\241\242\243\244\245\246\247\250\251\252\253\254\255\256\257\000\003\000\004\000\000\000\000' \
    > "$OUT/relay-seeds/classic"

# TURN seeds are records: a kind (low 3 bits: 0 a datagram from the
# client with the allocation, 1 from another, 2 stream bytes, 3 to 5
# requests the target signs, 6 a peer's datagram, 7 a frame), a 2-byte
# length and the bytes; regress/fuzz/turn_fuzz.c has the details.
# tseed NAME CHUNK...: a seed made of octal-escaped chunks.
tseed() {
	name=$1
	shift
	: > "$OUT/turn-seeds/$name"
	for c in "$@"; do
		# The chunks are formats of escapes and nothing else.
		# shellcheck disable=SC2059
		printf "$c" >> "$OUT/turn-seeds/$name"
	done
}
# An Allocate from another client, signed by the target.
tseed allocate \
    '\004\000\012\000\003\000\031\000\004\021\000\000\000'
# ChannelData on the ready channel; a datagram from its peer.
tseed channeldata \
    '\000\000\010\100\000\000\004\144\141\164\141' \
    '\006\000\006\000\000\160\157\156\147'
# A Send indication to a relayed port; a datagram from that address.
tseed send \
    '\000\000\050\000\026\000\024\041\022\244\102\001\001\001\001\001' \
    '\001\001\001\001\001\001\001\000\022\000\010\000\001\317\133\136' \
    '\137\244\103\000\023\000\004\160\151\156\147' \
    '\006\000\006\000\001\160\157\156\147'
# Over TCP: Allocate, ChannelBind, then ChannelData and a request in one read.
tseed stream \
    '\005\000\012\000\003\000\031\000\004\021\000\000\000' \
    '\005\000\026\000\011\000\014\000\004\100\001\000\000\000\022\000' \
    '\010\000\001\317\133\136\137\244\103' \
    '\002\000\040\100\001\000\005\150\145\154\154\157\000\000\000\000' \
    '\004\000\000\041\022\244\102\001\001\001\001\001\001\001\001\001' \
    '\001\001\001'
# Refresh to 0, then a Refresh of nothing: 437.
tseed refresh \
    '\003\000\012\000\004\000\015\000\004\000\000\000\000' \
    '\003\000\002\000\004'
# CreatePermission for two ports of one address; a datagram 300 s on.
tseed permission \
    '\003\000\032\000\010\000\022\000\010\000\001\317\133\136\137\244' \
    '\103\000\022\000\010\000\001\317\130\136\137\244\103' \
    '\126\000\006\000\001\154\141\164\145'
# Allocations up to the limit, the last with EVEN-PORT R: two places.
tseed reserve \
    '\004\000\012\000\003\000\031\000\004\021\000\000\000' \
    '\005\000\022\000\003\000\031\000\004\021\000\000\000\000\030\000' \
    '\001\200\000\000\000'
# A padded ChannelData frame.
tseed frame \
    '\007\000\014\100\000\000\005\150\145\154\154\157\000\000\000'

# ICE records (regress/fuzz/ice_fuzz.c): a keyed check with priority,
# ICE-CONTROLLING and USE-CANDIDATE; time on; an answer to our first
# check; an answer from the relay; a raw datagram.
# iseed NAME CHUNK...: a seed made of octal-escaped chunks.
iseed() {
	name=$1
	shift
	: > "$OUT/ice_fuzz-seeds/$name"
	for c in "$@"; do
		# The chunks are formats of escapes and nothing else.
		# shellcheck disable=SC2059
		printf "$c" >> "$OUT/ice_fuzz-seeds/$name"
	done
}
iseed check \
    '\001\001\002\003\004\005\006\007\010\011\012\013\014\026' \
    '\156\000\377\377\000\000\000\000\000\000\000\011\000\000'
iseed answer '\004\000\050' \
    '\002\000\002\000\313\000\161\007\317\154\000\000'
iseed relay '\003\002\000\313\000\161\007\240\000\000\002'
# The pair selected from the v6 candidate, then a ping and its answer.
iseed ping '\004\000\050' \
    '\002\000\002\000\313\000\161\007\317\154\000\001' '\005\000' \
    '\002\001\000\000\001'
iseed raw '\000\000\024\001\001\000\000\041\022\244\102\001\002' \
    '\003\004\005\006\007\010\011\012\013\014\000'
iseed mixed '\004\000\050' \
    '\001\001\002\003\004\005\006\007\010\011\012\013\014\006' \
    '\156\000\377\377\000\000\000\000\000\000\000\011\000\001' \
    '\002\000\002\001\040\001\015\270\000\000\000\000\000\000' \
    '\000\000\000\000\000\002\317\154\000\001' \
    '\003\001\001\344\000\002' '\004\023\210'

# TURN client records (regress/fuzz/turnc_fuzz.c), after a mode byte
# (1 READY, 0 ALLOCATING, 2 ALLOCATING with the key): the 401 and the
# success of the keyed Allocate; an answer to the keyed Allocate;
# ChannelData on 0x4000 raw and built; a Data indication; a 438 to a
# CreatePermission, then its success; turnc_send on and off the channel;
# 300 s on, still used, and a 437 to the Refresh.
# cseed NAME CHUNK...: a seed made of octal-escaped chunks.
cseed() {
	name=$1
	shift
	: > "$OUT/turnc-seeds/$name"
	for c in "$@"; do
		# The chunks are formats of escapes and nothing else.
		# shellcheck disable=SC2059
		printf "$c" >> "$OUT/turnc-seeds/$name"
	done
}
cseed allocate '\000' '\001\000\231\000\000' \
    '\001\001\106\000\313\000\161\011\303\120\000\000\002\130\000'
cseed keyed '\002' \
    '\001\001\106\000\313\000\161\011\303\120\000\000\002\130\000'
cseed chandata '\001' '\000\000\010\100\000\000\004ping' \
    '\002\000\000\000\004\000\004ping'
cseed data '\001' '\003\001\001\001\001\001\001\001\001\001\001\001\001' \
    '\000\306\063\144\001\312\154\000\004pong\000'
cseed stale '\001' '\005\001\001' '\001\004\221\001\000' '\001\005\100\000'
cseed send '\001' '\005\003\000\000\004data' '\005\003\001\000\004data'
cseed refresh '\001' '\004\003\001\054' '\001\004\101\002\000'

# fuzz_run NAME [OPTION...] -- DIR...: the target, its corpus first.
# libFuzzer exits non-zero and writes crash-* into artifacts on a find.
fuzz_run() {
	name=$1
	shift
	wanted "$name" || return 0
	mkdir -p "$OUT/$name-corpus"
	opts=
	while [ "$1" != -- ]; do
		opts="$opts $1"
		shift
	done
	shift
	echo "== $name"
	# The options are single words.
	# shellcheck disable=SC2086
	"$OUT/$name" -max_total_time="$SECONDS_MAX" -max_len="$MAX_LEN" \
	    -artifact_prefix="$OUT/artifacts/$name-" -print_final_stats=1 \
	    $opts "$OUT/$name-corpus" "$@"
}


fuzz_run sigmsg_fuzz -- "$OUT/seeds"
fuzz_run frame_fuzz --
fuzz_run icemsg_fuzz -- "$OUT/ice-seeds"
fuzz_run relay_fuzz -- "$OUT/relay-seeds"
# These log refusals to stderr: closed, libFuzzer keeps its own.
fuzz_run turn_fuzz -close_fd_mask=2 -- "$OUT/turn-seeds"
fuzz_run ice_fuzz -close_fd_mask=2 -- "$OUT/ice_fuzz-seeds"
fuzz_run turnc_fuzz -close_fd_mask=2 -- "$OUT/turnc-seeds"
fuzz_run turnframe_fuzz --
fuzz_run parent_fuzz -close_fd_mask=2 -- "$OUT/parent-seeds"
fuzz_run ctl_fuzz -- "$OUT/ctl-seeds"
# A tmpfs makes rewriting the config parsers' file cheap.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
for g in ternd signal relay; do
	fuzz_run "conf_${g}_fuzz" -close_fd_mask=2 -- "$OUT/conf_$g-seeds"
done
