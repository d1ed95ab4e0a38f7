#! %ATF_SH%
# "ternd -n -f FILE" as a user runs it: exit status, printed configuration,
# and exact diagnostics.

TERND="%TOP_BUILDDIR%/ternd"
SRCDIR="%TOP_SRCDIR%"
EXAMPLES="${SRCDIR}/etc/ternd.conf.example ${SRCDIR}/regress/configs/*.conf"

KEY_A="PxBcPY7QCe8glsQhtPvuE86My7qeIB8pf6VlfQQTePo="
KEY_B="mzKftMNjvGgmSpzkp9LcpIvXgoivdUrU80kEN1XXvZA="

# Expects "ternd -n -f FILE" (bad.conf by default) to fail with the
# messages on stdin.
check_bad()
{
	cat > expected
	echo "ternd: configuration failed" >> expected
	atf_check -s exit:1 -o empty -e file:expected \
	    "${TERND}" -n -f "${1:-bad.conf}"
}

atf_test_case examples
examples_head()
{
	atf_set "descr" "Every example configuration is accepted"
}
examples_body()
{
	for f in ${EXAMPLES}; do
		atf_check -s exit:0 -o not-empty \
		    -e inline:"configuration OK\n" "${TERND}" -n -f "${f}"
	done
}

atf_test_case example_output
example_output_head()
{
	atf_set "descr" "ternd -n prints the canonical form of the example"
}
example_output_body()
{
	cat > expected <<EOF
interface "tern0"
address 10.77.0.1/24
address fd77::1/64
mtu 1420
listen port 51820
peer-port 51821
wireguard userspace "/usr/bin/wireguard-go"
keys "/etc/tern/keys"
tls-ca "/etc/ssl/certs/ca-certificates.crt"
accept 10.77.0.0/24
accept fd77::/64
accept 10.88.0.0/16

peer "beta" {
	public-key "${KEY_A}"
	allowed-ips 10.77.0.2/32, fd77::2/128, 10.88.0.0/16
	endpoint "192.0.2.2:51820"
}

peer "gamma" {
	public-key "${KEY_B}"
	allowed-ips 10.77.0.3/32, fd77::3/128
	persistent-keepalive 25
}
EOF
	atf_check -s exit:0 -o file:expected -e inline:"configuration OK\n" \
	    "${TERND}" -n -f "${SRCDIR}/etc/ternd.conf.example"
}

atf_test_case roundtrip
roundtrip_head()
{
	atf_set "descr" "The printed configuration reads back to the same text"
}
roundtrip_body()
{
	for f in ${EXAMPLES}; do
		atf_check -s exit:0 -o save:printed.conf \
		    -e inline:"configuration OK\n" "${TERND}" -n -f "${f}"
		atf_check -s exit:0 -o file:printed.conf \
		    -e inline:"configuration OK\n" \
		    "${TERND}" -n -f printed.conf
	done
}

atf_test_case defaults
defaults_head()
{
	atf_set "descr" "Unset settings are printed with their defaults"
}
defaults_body()
{
	echo "address 10.77.0.1/24" > minimal.conf
	atf_check -s exit:0 -o save:printed.conf \
	    -e inline:"configuration OK\n" "${TERND}" -n -f minimal.conf
	atf_check -o inline:'interface "tern0"\n' \
	    sed -n 1p printed.conf
	atf_check -o inline:"mtu 1420\nlisten port 51820\npeer-port 51821\n" \
	    sed -n 3,5p printed.conf
	atf_check -o inline:"accept 10.77.0.0/24\n" grep ^accept printed.conf
}

atf_test_case bad_syntax
bad_syntax_head()
{
	atf_set "descr" "Syntax errors name file and line, and all are reported"
}
bad_syntax_body()
{
	printf 'address 10.77.0.1/24\nmtu\nlisten 5\nmtu 1\n' > bad.conf
	check_bad <<EOF
ternd: bad.conf:2: syntax error
ternd: bad.conf:3: syntax error
ternd: bad.conf:4: mtu 1 out of range (1280-9000)
EOF
}

atf_test_case bad_macro
bad_macro_head()
{
	atf_set "descr" "An undefined macro is reported"
}
bad_macro_body()
{
	printf 'net = "10.77.0.0/24"\naddress 10.77.0.1/24\naccept $nte\n' \
	    > bad.conf
	echo 'ternd: bad.conf:3: macro "nte" not defined' | check_bad
}

atf_test_case bad_peers
bad_peers_head()
{
	atf_set "descr" "Peer errors name the peer"
}
bad_peers_body()
{
	cat > bad.conf <<EOF
address 10.77.0.1/24
peer "a" {
	public-key "${KEY_A}"
	allowed-ips 10.77.0.2/24
	endpoint "192.0.2.2:51820"
}
peer "b" {
	public-key "${KEY_A}"
	allowed-ips 10.9.0.0/16
	endpoint "192.0.2.2:51820"
}
peer "c" {
	endpoint "vpn.example:51820"
}
EOF
	check_bad <<'EOF'
ternd: bad.conf:4: peer "a": allowed-ips 10.77.0.2/24 has host bits set (network is 10.77.0.0/24)
ternd: bad.conf:8: peer "b": public-key already used by peer "a"
ternd: bad.conf:10: peer "b": endpoint 192.0.2.2:51820 already used by peer "a"
ternd: bad.conf:13: peer "c": endpoint "vpn.example:51820": host must be an IP address
ternd: bad.conf:12: peer "c": no public-key
ternd: bad.conf:7: peer "b": allowed-ips 10.9.0.0/16 is outside every accept prefix
EOF
}

atf_test_case no_address
no_address_head()
{
	atf_set "descr" "A configuration without an address is refused"
}
no_address_body()
{
	echo "mtu 1420" > bad.conf
	echo "ternd: bad.conf: no interface address configured" | check_bad
}

atf_test_case include
include_head()
{
	atf_set "descr" "Relative includes are read next to the including file"
}
include_body()
{
	mkdir sub
	printf 'address 10.77.0.1/24\ninclude "peers.inc"\n' > sub/main.conf
	printf 'peer "a" {\n\tpublic-key "%s"\n}\n' "${KEY_A}" > sub/peers.inc
	atf_check -s exit:0 -o match:'^peer "a" \{$' \
	    -e inline:"configuration OK\n" "${TERND}" -n -f sub/main.conf
	# bad.conf, in the work directory, has no peers.inc next to it.
	cp sub/main.conf bad.conf
	echo 'ternd: bad.conf:2: include "peers.inc": No such file or' \
	    'directory' | check_bad
	printf 'peer "b" {\n\tpersistent-keepalive 0\n}\n' > sub/peers.inc
	check_bad sub/main.conf <<'EOF'
ternd: sub/peers.inc:2: peer "b": persistent-keepalive 0 out of range (1-65535)
ternd: sub/peers.inc:1: peer "b": no public-key
EOF
}

atf_test_case missing_file
missing_file_head()
{
	atf_set "descr" "A missing configuration file is reported"
}
missing_file_body()
{
	echo "ternd: missing.conf: No such file or directory" |
	    check_bad missing.conf
}

atf_test_case lazy_env
lazy_env_head()
{
	atf_set "descr" "A bad TERN_LAZY_CONN or TERN_LAZY_INACTIVITY stops" \
	    "ternd; an empty one is no choice"
}
lazy_env_body()
{
	conf="${SRCDIR}/regress/configs/minimal.conf"
	atf_check -s exit:1 -o empty -e inline:'ternd: TERN_LAZY_CONN "banana": expected on, off, 1, 0, true or false\n' \
	    env TERN_LAZY_CONN=banana "${TERND}" -n -f "${conf}"
	atf_check -s exit:1 -o empty -e inline:'ternd: TERN_LAZY_INACTIVITY "30s": below the minimum of 1m\n' \
	    env TERN_LAZY_INACTIVITY=30s "${TERND}" -n -f "${conf}"
	atf_check -s exit:0 -o not-empty -e inline:"configuration OK\n" \
	    env TERN_LAZY_CONN= TERN_LAZY_INACTIVITY= "${TERND}" -n -f "${conf}"
	atf_check -s exit:0 -o not-empty -e inline:"configuration OK\n" \
	    env TERN_LAZY_CONN=on TERN_LAZY_INACTIVITY=90s "${TERND}" -n \
	    -f "${conf}"
}

atf_test_case lazy_flags
lazy_flags_head()
{
	atf_set "descr" "--lazy and --no-lazy exclude each other; --inactivity" \
	    "is checked like the configuration"
}
lazy_flags_body()
{
	conf="${SRCDIR}/regress/configs/minimal.conf"
	cat > expected <<'EOF'
ternd: --lazy and --no-lazy exclude each other
usage: ternd [-dnv] [-c chroot] [-f file] [-k keydir] [-r rsocket]
	[-S statedir] [-s socket] [--lazy | --no-lazy] [--inactivity duration]
	[--relay host:port,...]
EOF
	atf_check -s exit:1 -o empty -e file:expected \
	    "${TERND}" --lazy --no-lazy -n -f "${conf}"
	atf_check -s exit:1 -o empty -e inline:'ternd: --inactivity "30s": below the minimum of 1m\n' \
	    "${TERND}" --inactivity 30s -n -f "${conf}"
	atf_check -s exit:0 -o not-empty -e inline:"configuration OK\n" \
	    "${TERND}" --no-lazy --inactivity 15 -n -f "${conf}"
}

atf_test_case relay_flag
relay_flag_head()
{
	atf_set "descr" "--relay replaces the file's relay lines, checked the" \
	    "same way"
}
relay_flag_body()
{
	cat "${SRCDIR}/regress/configs/minimal.conf" > relay.conf
	echo 'relay "file.example:3478"' >> relay.conf
	atf_check -s exit:0 -o match:'^relay "file.example:3478"$' \
	    -e inline:"configuration OK\n" "${TERND}" -n -f relay.conf
	atf_check -s exit:0 -o save:out -e inline:"configuration OK\n" \
	    "${TERND}" --relay 'a.example:3478,[2001:db8::1]:3478' -n \
	    -f relay.conf
	printf 'relay "a.example:3478"\nrelay "[2001:db8::1]:3478"\n' > want
	atf_check -o file:want grep '^relay ' out
	atf_check -s exit:1 -o empty \
	    -e inline:'ternd: --relay "b.example": missing port\n' \
	    "${TERND}" --relay a.example:1,b.example -n -f relay.conf
	atf_check -s exit:1 -o empty \
	    -e inline:'ternd: --relay "a:1,,b:1": empty entry\n' \
	    "${TERND}" --relay a:1,,b:1 -n -f relay.conf
}

atf_test_case relay_creds
relay_creds_head()
{
	atf_set "descr" "ternd -n prints a relay's TURN credentials with the" \
	    "password and secret masked, or the file they came from"
}
relay_creds_body()
{
	cat "${SRCDIR}/regress/configs/minimal.conf" > creds.conf
	cat >> creds.conf <<'EOF'
relay "a.example:3478" secret "Rest-S3cret" realm "example.net"
relay "b.example:3478" username "alice" password "LongTerm-Pw"
EOF
	atf_check -s exit:0 -o save:out -e inline:"configuration OK\n" \
	    "${TERND}" -n -f creds.conf
	cat > want <<'EOF'
relay "a.example:3478" secret "********" realm "example.net"
relay "b.example:3478" username "alice" password "********"
EOF
	atf_check -o file:want grep '^relay ' out
	atf_check -s exit:1 -o empty grep -e Rest-S3cret -e LongTerm-Pw out

	printf 'From-A-File\n' > turn.secret
	chmod 600 turn.secret
	cat "${SRCDIR}/regress/configs/minimal.conf" > file.conf
	echo "relay \"c.example:3478\" secret-file \"$(pwd)/turn.secret\"" \
	    >> file.conf
	atf_check -s exit:0 -o save:out -e inline:"configuration OK\n" \
	    "${TERND}" -n -f file.conf
	echo "relay \"c.example:3478\" secret-file \"$(pwd)/turn.secret\"" \
	    > want
	atf_check -o file:want grep '^relay ' out
	atf_check -s exit:1 -o empty grep From-A-File out

	# --relay stays address-only: the file's credentials go with its lines.
	atf_check -s exit:0 -o save:out -e inline:"configuration OK\n" \
	    "${TERND}" --relay a.example:3478 -n -f creds.conf
	atf_check -o inline:'relay "a.example:3478"\n' grep '^relay ' out

	chmod 644 turn.secret
	check_bad file.conf <<EOF
ternd: file.conf:4: relay "c.example:3478": secret-file "$(pwd)/turn.secret": mode 0644 is too open, want 0600
EOF
	echo 'relay "d.example:3478" username "bob"' >> creds.conf
	check_bad creds.conf <<'EOF'
ternd: creds.conf:6: relay "d.example:3478": username without password
EOF
}

atf_init_test_cases()
{
	atf_add_test_case examples
	atf_add_test_case example_output
	atf_add_test_case roundtrip
	atf_add_test_case defaults
	atf_add_test_case bad_syntax
	atf_add_test_case bad_macro
	atf_add_test_case bad_peers
	atf_add_test_case no_address
	atf_add_test_case include
	atf_add_test_case missing_file
	atf_add_test_case lazy_env
	atf_add_test_case lazy_flags
	atf_add_test_case relay_flag
	atf_add_test_case relay_creds
}
