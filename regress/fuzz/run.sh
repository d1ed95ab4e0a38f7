#!/bin/sh
# Builds the libFuzzer targets (signaling JSON parser, frame decoder)
# into $1 and runs each for $2 seconds.
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

mkdir -p "$OUT/corpus" "$OUT/seeds" "$OUT/artifacts" "$OUT/frame-corpus"

# pkg-config's flags are meant to split into words.
# shellcheck disable=SC2046
"$CC" -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined \
    -include "$TOP/compat/compat.h" -std=gnu11 -D_GNU_SOURCE \
    -Wall -Wextra -Wno-unused-parameter \
    $(pkg-config --cflags libbsd-overlay libsodium yajl) -I"$TOP/lib" \
    "$TOP/regress/fuzz/sigmsg_fuzz.c" "$TOP/lib/sigmsg.c" "$TOP/lib/key.c" \
    "$TOP/lib/addr.c" "$TOP/lib/log.c" \
    $(pkg-config --libs libbsd-overlay libsodium yajl) \
    -o "$OUT/sigmsg_fuzz"
# shellcheck disable=SC2046
"$CC" -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined \
    -include "$TOP/compat/compat.h" -std=gnu11 -D_GNU_SOURCE \
    -Wall -Wextra -Wno-unused-parameter \
    $(pkg-config --cflags libbsd-overlay libsodium) -I"$TOP/lib" \
    "$TOP/regress/fuzz/frame_fuzz.c" "$TOP/lib/frame.c" "$TOP/lib/noise.c" \
    $(pkg-config --libs libbsd-overlay libsodium) \
    -o "$OUT/frame_fuzz"

K0=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
K1=//////////////////////////////////////////8=
PEER='{"name":"peer-1","node_key":"'$K0'","wg_key":"'$K1'","addresses":["10.77.0.2/32","fd77::2/128"],"allowed_ips":["192.168.1.0/24"],"groups":["ha"],"flags":["lazy-exempt","relay-only"],"version":"0.1"}'
seed() {
	printf '%s' "$2" > "$OUT/seeds/$1"
}
seed hello '{"type":"hello","version":1,"features":["lazy"]}'
seed netmap '{"type":"netmap","self":'"$PEER"',"peers":['"$PEER,$PEER"'],"features":{"lazy_connections":true,"inactivity_threshold":900}}'
seed relays '{"type":"relays","relays":[{"id":"r1","address":"relay.example:3478","username":"1700000000:peer-1","password":"c2VjcmV0","realm":"tern","expires":1700000000},{"id":"r2","address":"[2001:db8::1]:3478"}],"connected":["r1"],"disconnected":["r2"]}'
seed signal '{"type":"signal","from":"'$K1'","to":"'$K0'","box":"3q2+7w=="}'
seed error '{"type":"error","code":"version","message":"unsupported"}'
seed ping '{"type":"ping","seq":1}'
seed pong '{"type":"pong","seq":4294967295}'

# libFuzzer exits non-zero and writes crash-* into artifacts on a find.
"$OUT/sigmsg_fuzz" -max_total_time="$SECONDS_MAX" -max_len="$MAX_LEN" \
    -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 \
    "$OUT/corpus" "$OUT/seeds"
"$OUT/frame_fuzz" -max_total_time="$SECONDS_MAX" -max_len="$MAX_LEN" \
    -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 \
    "$OUT/frame-corpus"
