#! %ATF_SH%
# Interoperability of a TURN server (RFC 8656) with clients no one here
# wrote: coturn's turnutils_uclient allocates with TURN REST credentials
# (-W) over UDP, TCP and TLS and sends through its relayed address to
# turnutils_peer, which echoes; every message must come back.  The same
# cases run against coturn's turnserver (coturn_*: they prove the
# harness) and tern-relay (tern_*).  Three hosts on one LAN from
# regress/topo.sh: client, relay and peer.

TN_BUILD=%TOP_BUILDDIR%
. %TOP_SRCDIR%/scripts/netns.sh
. %TOP_SRCDIR%/regress/topo.sh

RELAY_N=1		# host numbers on the LAN
CLIENT_N=10
PEER_N=20
TURN_PORT=3478		# RFC 8656 section 4: TURN over UDP and TCP
TLS_PORT=5349		# RFC 8656 section 4: TURN over TLS
PEER_PORT=3480		# turnutils_peer's default
SECRET=interop-secret	# TURN REST shared secret of these tests only
REALM=tern
MSGS=100		# messages per client
CLIENTS=2		# uclient's clients (-m: it runs two for -m 1)
MSG_LEN=120		# bytes a message (-l)
READY=10		# seconds a server may take to listen and answer STUN
UCLIENT_WAIT=60		# seconds uclient may take: it needs about 6
COTURN_CLIENTS="turnutils_uclient turnutils_peer turnutils_stunclient"
# uclient's summary when nothing was lost.
NO_LOSS="Total lost packets 0 \(0\.000000%\), "
NO_LOSS="${NO_LOSS}total send dropped 0 \(0\.000000%\)\$"

common_head() {
	atf_set "require.user" "root"
	atf_set "require.progs" "ip ss openssl $COTURN_CLIENTS $*"
	atf_set "timeout" "120"
}

common_cleanup() {
	topo_term "$(pwd)/tn"
	topo_cleanup "$(pwd)/tn"
}

# lan: the client, relay and peer hosts, a certificate for the relay, and
# turnutils_peer listening on the peer.
lan() {
	local i
	topo_init "$(pwd)/tn"
	topo_host client "$TOPO_PUB" $CLIENT_N
	topo_host relay "$TOPO_PUB" $RELAY_N
	topo_host peer "$TOPO_PUB" $PEER_N
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days 1 -subj /CN=tern-interop \
	    -keyout "$TN_DIR/relay/key.pem" -out "$TN_DIR/relay/cert.pem" \
	    > openssl.log 2>&1 || fail_log openssl.log "openssl failed"
	topo_bg peer turnutils_peer -L "$(topo_ip peer)" -p $PEER_PORT
	for i in $(seq 1 $((READY * 10))); do
		tn_exec peer ss -Huln "sport = :$PEER_PORT" | grep -q . &&
		    return 0
		sleep 0.1
	done
	fail_log "$TN_DIR/peer/log" "turnutils_peer did not start"
}

# coturn_start: turnserver on the relay host with the test's secret, its
# files (log, pid, database) in the relay host's directory.
coturn_start() {
	local ip dir="$TN_DIR/relay"
	ip=$(topo_ip relay)
	topo_bg relay turnserver -n --use-auth-secret \
	    --static-auth-secret=$SECRET --realm=$REALM -L "$ip" -E "$ip" \
	    -p $TURN_PORT --tls-listening-port $TLS_PORT \
	    --cert "$dir/cert.pem" --pkey "$dir/key.pem" --no-dtls --no-cli \
	    --pidfile "$dir/turn.pid" --db "$dir/turndb" \
	    --log-file "$dir/turn.log" --simple-log --no-stdout-log
}

# tern_start: tern-relay on the relay host, permitting peers on the LAN.
tern_start() {
	local ip dir="$TN_DIR/relay"
	ip=$(topo_ip relay)
	cat > "$dir/tern-relay.conf" <<-CONF
	listen on $ip port $TURN_PORT
	listen on $ip port $TLS_PORT tls
	tls-certificate "$dir/cert.pem"
	tls-key "$dir/key.pem"
	realm "$REALM"
	secret "$SECRET"
	relay-address $ip
	allow-peer $(cat "$TN_DIR/lans/$TOPO_PUB/v4").0/24
	CONF
	topo_bg relay "$TN_BUILD/tern-relay" -d -f "$dir/tern-relay.conf"
}

# server_pid: the server's, which topo_bg recorded last.
server_pid() {
	tail -n 1 "$TN_DIR/pids"
}

# fail_log FILE REASON: FILE on stderr, then fails for REASON.
fail_log() {
	cat "$1" >&2
	atf_fail "$2"
}

# listening PORT: something on the relay host listens on TCP PORT.
listening() {
	tn_exec relay ss -Hltn "sport = :$1" | grep -q .
}

# ready: the server answers STUN and listens on both TCP ports.
ready() {
	local i
	for i in $(seq 1 $((READY * 10))); do
		kill -0 "$(server_pid)" 2>/dev/null ||
		    fail_log "$TN_DIR/relay/log" "the server exited"
		if tn_exec client timeout 1 turnutils_stunclient \
		    -p $TURN_PORT "$(topo_ip relay)" > /dev/null 2>&1 &&
		    listening $TURN_PORT && listening $TLS_PORT; then
			return 0
		fi
		sleep 0.1
	done
	fail_log "$TN_DIR/relay/log" "the server did not answer"
}

# expect REGEX: a line of uclient's output matches REGEX.
expect() {
	grep -Eq -- "$1" uclient.out ||
	    fail_log uclient.out "no \"$1\" in uclient's output"
}

# interop SERVER TRANSPORT: SERVER (SERVER_start) on the relay host and
# uclient through it over TRANSPORT (udp, tcp or tls) to the peer; what
# a user checks: every message sent came back, none lost.
interop() {
	local flags="" port=$TURN_PORT total=$((MSGS * CLIENTS))
	case $2 in
	tcp)	flags="-t" ;;
	tls)	flags="-t -S"
		port=$TLS_PORT ;;
	esac
	lan
	"$1_start"
	ready
	# -u: the username is "expiry:interop", as tern's credentials are.
	# shellcheck disable=SC2086
	ip netns exec "$(tn_ns client)" timeout $UCLIENT_WAIT \
	    turnutils_uclient $flags -p $port -W $SECRET -u interop \
	    -e "$(topo_ip peer)" -r $PEER_PORT -n $MSGS -m $CLIENTS \
	    -l $MSG_LEN "$(topo_ip relay)" > uclient.out 2>&1 ||
	    fail_log uclient.out "uclient failed"
	if [ "$2" = tls ]; then
		expect "tls_connect: client session connected with cipher"
	fi
	expect "start_mclient: tot_send_msgs=$total, tot_recv_msgs=$total\$"
	expect "$NO_LOSS"
	kill -0 "$(server_pid)" 2>/dev/null ||
	    fail_log "$TN_DIR/relay/log" "the server died"
}

atf_test_case coturn_udp cleanup
coturn_udp_head() {
	atf_set "descr" "uclient through coturn's turnserver over UDP"
	common_head turnserver
}
coturn_udp_body() {
	interop coturn udp
}
coturn_udp_cleanup() {
	common_cleanup
}

atf_test_case coturn_tcp cleanup
coturn_tcp_head() {
	atf_set "descr" "uclient through coturn's turnserver over TCP"
	common_head turnserver
}
coturn_tcp_body() {
	interop coturn tcp
}
coturn_tcp_cleanup() {
	common_cleanup
}

atf_test_case coturn_tls cleanup
coturn_tls_head() {
	atf_set "descr" "uclient through coturn's turnserver over TLS"
	common_head turnserver
}
coturn_tls_body() {
	interop coturn tls
}
coturn_tls_cleanup() {
	common_cleanup
}

atf_test_case tern_udp cleanup
tern_udp_head() {
	atf_set "descr" "uclient through tern-relay over UDP"
	common_head
}
tern_udp_body() {
	interop tern udp
}
tern_udp_cleanup() {
	common_cleanup
}

atf_test_case tern_tcp cleanup
tern_tcp_head() {
	atf_set "descr" "uclient through tern-relay over TCP"
	common_head
}
tern_tcp_body() {
	interop tern tcp
}
tern_tcp_cleanup() {
	common_cleanup
}

atf_test_case tern_tls cleanup
tern_tls_head() {
	atf_set "descr" "uclient through tern-relay over TLS"
	common_head
}
tern_tls_body() {
	interop tern tls
}
tern_tls_cleanup() {
	common_cleanup
}

atf_init_test_cases() {
	atf_add_test_case coturn_udp
	atf_add_test_case coturn_tcp
	atf_add_test_case coturn_tls
	atf_add_test_case tern_udp
	atf_add_test_case tern_tcp
	atf_add_test_case tern_tls
}
