#!/bin/sh
# Builds the libFuzzer targets (signaling JSON parser, frame decoder,
# ICE payload parser, tern-relay's Binding request handling and TURN
# server) into $1 and runs each for $2 seconds.
# Exits non-zero if a build fails or a fuzzer finds a crash.
set -eu

usage() {
	echo "usage: $0 outdir seconds" >&2
	exit 2
}

[ $# -eq 2 ] || usage
case $2 in
''|*[!0-9]*)	usage ;;
esac

TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$1
SECONDS_MAX=$2
MAX_LEN=70000		# a little over 64 KiB: room past small caps
CC=${CC:-clang}

mkdir -p "$OUT/corpus" "$OUT/seeds" "$OUT/artifacts" "$OUT/frame-corpus" \
    "$OUT/ice-corpus" "$OUT/ice-seeds" "$OUT/relay-corpus" "$OUT/relay-seeds" \
    "$OUT/turn-corpus" "$OUT/turn-seeds"

# fuzz_build NAME PKGS SOURCES...: one target, sanitizers on.
fuzz_build() {
	name=$1 pkgs=$2
	shift 2
	# pkg-config's flags are meant to split into words.
	# shellcheck disable=SC2046
	"$CC" -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined \
	    -include "$TOP/compat/compat.h" -std=gnu11 -D_GNU_SOURCE \
	    -Wall -Wextra -Wno-unused-parameter \
	    $(pkg-config --cflags $pkgs) -I"$TOP/lib" "$@" \
	    $(pkg-config --libs $pkgs) -o "$OUT/$name"
}
fuzz_build sigmsg_fuzz "libbsd-overlay libsodium yajl" \
    "$TOP/regress/fuzz/sigmsg_fuzz.c" "$TOP/lib/sigmsg.c" "$TOP/lib/key.c" \
    "$TOP/lib/addr.c" "$TOP/lib/log.c"
fuzz_build frame_fuzz "libbsd-overlay libsodium" \
    "$TOP/regress/fuzz/frame_fuzz.c" "$TOP/lib/frame.c" "$TOP/lib/noise.c"
fuzz_build icemsg_fuzz "libbsd-overlay libsodium yajl" \
    "$TOP/regress/fuzz/icemsg_fuzz.c" "$TOP/lib/icemsg.c" \
    "$TOP/lib/sigmsg.c" "$TOP/lib/key.c" "$TOP/lib/addr.c" "$TOP/lib/log.c"
fuzz_build relay_fuzz "libbsd-overlay libsodium libmd" -I"$TOP" \
    "$TOP/regress/fuzz/relay_fuzz.c" "$TOP/relay/binding.c" \
    "$TOP/lib/stun.c" "$TOP/lib/hmac_sha1.c"
fuzz_build turn_fuzz "libbsd-overlay libsodium libmd" -I"$TOP" \
    "$TOP/regress/fuzz/turn_fuzz.c" "$TOP/relay/turn.c" \
    "$TOP/relay/turn_auth.c" "$TOP/relay/peer_policy.c" \
    "$TOP/relay/ratelimit.c" "$TOP/lib/stun.c" "$TOP/lib/addr.c" \
    "$TOP/lib/hmac_sha1.c" "$TOP/lib/turn_cred.c" "$TOP/lib/log.c"

K0=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
K1=//////////////////////////////////////////8=
PEER='{"name":"peer-1","node_key":"'$K0'","wg_key":"'$K1'","addresses":["10.77.0.2/32","fd77::2/128"],"allowed_ips":["192.168.1.0/24"],"groups":["ha"],"flags":["lazy-exempt","relay-only"],"version":"0.1"}'
seed() {
	printf '%s' "$2" > "$OUT/seeds/$1"
}
seed hello '{"type":"hello","version":1,"features":["lazy"],"software":"0.1.0"}'
seed netmap '{"type":"netmap","self":'"$PEER"',"peers":['"$PEER,$PEER"'],"features":{"lazy_connections":true,"inactivity_threshold":900}}'
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

# libFuzzer exits non-zero and writes crash-* into artifacts on a find.
"$OUT/sigmsg_fuzz" -max_total_time="$SECONDS_MAX" -max_len="$MAX_LEN" \
    -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 \
    "$OUT/corpus" "$OUT/seeds"
"$OUT/frame_fuzz" -max_total_time="$SECONDS_MAX" -max_len="$MAX_LEN" \
    -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 \
    "$OUT/frame-corpus"
"$OUT/icemsg_fuzz" -max_total_time="$SECONDS_MAX" -max_len="$MAX_LEN" \
    -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 \
    "$OUT/ice-corpus" "$OUT/ice-seeds"
"$OUT/relay_fuzz" -max_total_time="$SECONDS_MAX" -max_len="$MAX_LEN" \
    -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 \
    "$OUT/relay-corpus" "$OUT/relay-seeds"
# The TURN target logs refusals to stderr: closed, libFuzzer keeps its own.
"$OUT/turn_fuzz" -max_total_time="$SECONDS_MAX" -max_len="$MAX_LEN" \
    -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 \
    -close_fd_mask=2 "$OUT/turn-corpus" "$OUT/turn-seeds"
