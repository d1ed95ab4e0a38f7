# Large network maps for tern's scale test and bench/lazy.  Sourced
# after scripts/netns.sh, not run.  Generated peers have real keys from
# bench/signal_load -g but no host: they only fill the netmap.
#
# Overlay: the real hosts keep 10.77.0.N; generated peer I (from 0) is
# 10.77.1.0 + I, so at most TN_SCALE_MAX fit below 10.77.255.255.

TN_LOAD="$TN_BUILD/bench/signal_load"
TN_SCALE_NET=10.77.0.0/16	# the signal network and the accept line
TN_SCALE_BASE=256		# 10.77.1.0: first generated address
TN_SCALE_MAX=65000		# generated peers that fit in the /16
TN_SCALE_WAIT=${TN_SCALE_WAIT:-300}	# seconds for a netmap to apply

# tn_scale_keys N: N generated key pairs in $TN_DIR/scale.N ("node wg").
tn_scale_keys() {
	local n=$1
	[ "$n" -ge 0 ] && [ "$n" -le "$TN_SCALE_MAX" ] || return 1
	[ -s "$TN_DIR/scale.$n" ] && return 0
	: > "$TN_DIR/scale.$n"
	[ "$n" -eq 0 ] && return 0
	rm -f "$TN_DIR/scale.$n.priv"
	"$TN_LOAD" -g "$n" "$TN_DIR/scale.$n.priv" > "$TN_DIR/scale.$n"
	rm -f "$TN_DIR/scale.$n.priv"
	[ "$(wc -l < "$TN_DIR/scale.$n")" -eq "$n" ]
}

# tn_signal_conf_scale N LAZY PEER...: tern-signal.conf with PEER... and
# N generated peers on 10.77.0.0/16; LAZY is yes or no.
tn_signal_conf_scale() {
	local n=$1 lazy=$2
	shift 2
	tn_scale_keys "$n" || return 1
	tn_signal_conf "$@"
	sed -i "s|^network .*|network $TN_SCALE_NET|" \
	    "$TN_DIR/sig/tern-signal.conf"
	{
		echo "lazy-connections $lazy"
		echo "inactivity-threshold 1m"
		cat "$TN_DIR/sig/tern-signal.conf"
		awk -v base="$TN_SCALE_BASE" '{
			a = base + NR - 1
			printf "peer \"g%d\" {\n\tnode-key \"%s\"\n", NR - 1, $1
			printf "\twg-key \"%s\"\n", $2
			printf "\taddress 10.77.%d.%d/32\n}\n", a / 256, a % 256
		}' "$TN_DIR/scale.$n"
	} > "$TN_DIR/sig/tern-signal.conf.new"
	mv "$TN_DIR/sig/tern-signal.conf.new" "$TN_DIR/sig/tern-signal.conf"
}

# tn_conf_signal_scale NAME: tn_conf_signal accepting the whole /16.
tn_conf_signal_scale() {
	tn_conf_signal "$1"
	sed -i "s|^accept .*|accept $TN_SCALE_NET|" "$TN_DIR/$1/ternd.conf"
}

# tn_peer_count NAME: the peer count in NAME's ternctl status -j.
tn_peer_count() {
	tn_ctl "$1" status -j 2>/dev/null | tr -d ' \n' |
	    sed -n 's/.*"peer_count":\([0-9]*\).*/\1/p' || true
}

# tn_wait_peers NAME N: NAME's netmap holds N peers, within
# TN_SCALE_WAIT seconds; prints the seconds it took.
tn_wait_peers() {
	local t0 i c
	t0=$(date +%s.%N)
	for i in $(seq 1 $((TN_SCALE_WAIT * 5))); do
		c=$(tn_peer_count "$1")
		if [ "${c:-0}" -ge "$2" ]; then
			echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f\n", $1 - $2 }'
			return 0
		fi
		sleep 0.2
	done
	echo "peer count on $1: ${c:-none}, want $2" >&2
	return 1
}

# tn_fds PID: open descriptors of PID.
tn_fds() { ls "/proc/$1/fd" | wc -l; }

# tn_rss_kb PID: resident set of PID in kB.
tn_rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status"
}

# tn_cpu_ticks PID: utime + stime of PID in clock ticks.
tn_cpu_ticks() {
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# tn_idle_cpu PID SECONDS: CPU use of PID in percent over SECONDS.
tn_idle_cpu() {
	local t0 t1 hz
	hz=$(getconf CLK_TCK)
	t0=$(tn_cpu_ticks "$1")
	sleep "$2"
	t1=$(tn_cpu_ticks "$1")
	awk -v a="$t0" -v b="$t1" -v s="$2" -v hz="$hz" \
	    'BEGIN { printf "%.3f\n", (b - a) * 100 / hz / s }'
}

