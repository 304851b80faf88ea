#!/usr/bin/env bash
# OpenSSL is loaded only by what uses it (data/ossl_load.c): the binary does
# not link libcrypto or libssl, so the console and every read-only verb start
# without loading them; an audited write loads libcrypto, test-imapconnectivity
# libssl. Without the library (in a private mount namespace where it is an
# empty file; CI runs as root) the write is refused naming the library and
# dlerror()'s reason, and nothing is written.
. "$(dirname "$0")/lib.sh"

check
if needed=$(readelf -d "$IMAPADM_BIN" | grep -E 'NEEDED.*lib(crypto|ssl)\.'); then
	fail "imapadm links OpenSSL, every run pays for loading it: $needed"
fi

# loaded LIB ARGS...: imapadm ARGS; whether ld.so loaded LIB on the way.
loaded() {
	local lib=$1
	shift
	LD_DEBUG=files "$IMAPADM_BIN" --db "$DB" "$@" >"$TMP/out" \
	    2>"$TMP/ld" </dev/null
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(grep -v '^ *[0-9]*:' "$TMP/ld")
	LAST="LD_DEBUG=files imapadm --db \$DB $*"
	grep -q "file=$lib " "$TMP/ld"
}

if loaded libcrypto.so.3 new-server CAS01 -Fqdn cas01.contoso.test \
    -Roles ClientAccess; then
	:
else
	fail "new-server did not load libcrypto for its audit row"
fi
check
expect_rc 0 "new-server (an audited write)"
for verb in get-server get-imapsettings get-auditlog; do
	check
	if loaded libcrypto.so.3 $verb; then
		fail "$verb loaded libcrypto: a read-only verb needs no OpenSSL"
	fi
	expect_rc 0 "$verb"
done
check
if loaded libssl.so.3 set-imapsettings CAS01 \
    -AuthenticatedConnectionTimeout 2700; then
	fail "set-imapsettings loaded libssl: only a probe needs TLS"
fi
expect_rc 0 "set-imapsettings"
run get-auditlog -Verify
expect_rc 0 "the hash chain of the rows written"
expect_out "the audit log is intact: 2 rows chained" "verified: 2 rows"

if [ "$(id -u)" != 0 ] || ! unshare --mount true 2>/dev/null; then
	echo "test_ossl_load: needs root and mount namespaces for the missing" \
	    "library; not run" >&2
	finish
fi

# without LIB ARGS...: imapadm ARGS where LIB (its soname) is an empty file.
without() {
	local so
	so=$(ldconfig -p | awk -v l="$1" '$1 == l && /x86-64/ { print $NF; exit }')
	so=$(readlink -f "${so:-/nonexistent}")
	[ -f "$so" ] || { fail "setup: $1 not found by ldconfig"; return; }
	shift
	: >"$TMP/empty.so"
	unshare --mount --propagation private sh -c '
		mount --bind "$1" "$2" || exit 97
		shift 2
		exec "$@"' sh "$TMP/empty.so" "$so" "$IMAPADM_BIN" --db "$DB" \
	    "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	LAST="(no ${so##*/}) imapadm $*"
}

snapshot
without libcrypto.so.3 get-imapsettings CAS01
expect_rc 0 "a read-only verb without libcrypto"
expect_field AuthenticatedConnectionTimeout 00:45:00 "without libcrypto: the values read"
without libcrypto.so.3 new-server CAS02 -Fqdn cas02.contoso.test \
    -Roles ClientAccess
expect_rc 1 "new-server without libcrypto"
expect_err "imapadm: cannot hash the audit row: cannot load OpenSSL's libcrypto.so.3 (Debian package libssl3): " \
    "without libcrypto: the message names the library"
expect_err "file too short" "without libcrypto: dlerror's reason"
without libcrypto.so.3 set-imapsettings CAS01 \
    -PreAuthenticatedConnectionTimeout 90
expect_rc 1 "set-imapsettings without libcrypto"
expect_err "cannot load OpenSSL's libcrypto.so.3" "set-imapsettings: names the library"
without libcrypto.so.3 get-auditlog -Verify
expect_rc 1 "get-auditlog -Verify without libcrypto"
expect_err "cannot load OpenSSL's libcrypto.so.3" "-Verify: names the library"
expect_no_out "intact" "-Verify: no verdict it could not reach"
expect_unchanged "writes refused without libcrypto"
run get-server CAS02
expect_rc 1 "the refused server"
expect_audit 2 "no audit row for the refused writes"

# A probe without libssl: its listener is never connected to.
FREE=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$TMP/imapadm.conf" <<EOF
profile closed {
	type = "command"
	restart = {"true"}
	imap_listeners = {"127.0.0.1:$FREE/tls"}
}
EOF
run --config "$TMP/imapadm.conf" new-server CAS03 -Fqdn cas03.contoso.test \
    -Roles ClientAccess -Profile closed
expect_rc 0 "setup: a server with a TLS listener"
without libssl.so.3 --config "$TMP/imapadm.conf" test-imapconnectivity CAS03
expect_rc 1 "test-imapconnectivity without libssl"
expect_err "cannot set up TLS: cannot load OpenSSL's libssl.so.3 (Debian package libssl3): " \
    "without libssl: the message names the library"
expect_err "file too short" "without libssl: dlerror's reason"
run --config "$TMP/imapadm.conf" test-imapconnectivity CAS03
expect_rc 1 "test-imapconnectivity with libssl"
expect_field Error "cannot connect: Connection refused" \
    "with libssl: the probe runs (nobody listens)"

finish
