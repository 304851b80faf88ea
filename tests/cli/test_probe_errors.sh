#!/usr/bin/env bash
# test-imapconnectivity refusals, each naming what is wrong and what to do,
# without a site: unknown server, a mailbox server, no profile, a profile
# without imap_listeners, a bad listener in the config (FILE:LINE), a
# password file others can read (refused before anything connects), and a
# listener nobody answers on (Failure, exit 1). None changes the database.
. "$(dirname "$0")/lib.sh"

# A port on loopback nobody listens on: bound, never listened, closed.
FREE=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CONF=$TMP/imapadm.conf
cat >"$CONF" <<EOF
profile bare {
	type = "command"
	restart = {"true"}
}
profile closed {
	type = "command"
	restart = {"true"}
	imap_listeners = {"127.0.0.1:$FREE"}
}
profile leaky {
	type = "command"
	restart = {"true"}
	imap_listeners = {"127.0.0.1:$FREE/tls"}
	test_user = "alice"
	test_password_file = "$TMP/pw"
}
EOF
printf 'secret\n' >"$TMP/pw"
chmod 0644 "$TMP/pw"

adm() {
	run --config "$CONF" "$@"
}

adm new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess
adm new-server CAS02 -Fqdn cas02.contoso.test -Roles ClientAccess -Profile bare
adm new-server CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess -Profile closed
adm new-server CAS04 -Fqdn cas04.contoso.test -Roles ClientAccess -Profile leaky
adm new-server MBX01 -Fqdn mbx01.contoso.test -Roles Mailbox
snapshot

adm test-imapconnectivity
expect_rc 2 "no -Identity"
expect_err "test-imapconnectivity needs -Identity" "no -Identity: message"

adm test-imapconnectivity CAS09
expect_rc 1 "unknown server"
expect_err "CAS09" "unknown server: names it"
expect_out_empty "unknown server"

adm test-imapconnectivity MBX01
expect_rc 1 "mailbox server"
expect_err "MBX01 is not a client access server (roles: Mailbox): it has no IMAP4 listeners to test" \
    "mailbox server: message"

adm test-imapconnectivity CAS01
expect_rc 1 "no profile"
expect_err "CAS01 has no service profile in the config: nothing says where its IMAP4 listeners are" \
    "no profile: message"

adm test-imapconnectivity CAS02
expect_rc 1 "profile without imap_listeners"
expect_err "profile 'bare' lists no imap_listeners: nothing to connect to (add imap_listeners = {\"host:143\", \"host:993/tls\"} to it)" \
    "no imap_listeners: message"

adm test-imapconnectivity CAS04
expect_rc 1 "0644 password file"
expect_err "test_password_file $TMP/pw: mode 0644 gives its group and others access to the password; it must be 0600 or 0400 (chmod 600 $TMP/pw)" \
    "0644 password file: message"
expect_out_empty "0644 password file: nothing tested"
check
case "$ERR$OUT" in *secret*) fail "the password shows in a message" ;; esac

adm test-imapconnectivity CAS03 --format table
expect_rc 1 "nobody listening"
expect_out "Failure" "nobody listening: Failure"
adm test-imapconnectivity CAS03
expect_field Error "cannot connect: Connection refused" "nobody listening: error"
expect_field Latency "unknown (not connected)" "nobody listening: latency unknown, not 0"
expect_field Login "skipped: profile 'closed' has no test_user and test_password_file" \
    "nobody listening: no test account"

adm test-imapconnectivity CAS03 -MeasureTimeouts --format json
expect_rc 1 "measure, nobody listening"
check
python3 -c '
import json, sys
r = json.loads(sys.argv[1])[0]
assert r["MeasuredPreAuthenticatedConnectionTimeout"] is None, r
assert r["MeasuredPreAuthenticatedConnectionTimeoutText"] == \
    "not measured: cannot connect: Connection refused", r
assert r["MeasuredAuthenticatedConnectionTimeoutText"] == \
    "not measured: no test account to log in with", r
assert r["PreAuthenticatedConnectionTimeout"] == 60, r
' "$OUT" || fail "measure, nobody listening: json"
expect_err "no test account: the authenticated time-out cannot be measured" \
    "measure without an account: warned"

# A bad listener is a config error with its line, for every verb.
cat >"$TMP/bad.conf" <<EOF
profile p {
	type = "command"
	restart = {"true"}
	imap_listeners = {"127.0.0.1:143", "cas01:993/ssl"}
}
EOF
run --config "$TMP/bad.conf" get-server
expect_rc 1 "bad listener in the config"
expect_err "$TMP/bad.conf:4: profile 'p': imap_listeners: listener 'cas01:993/ssl': unknown security '/ssl' (valid: none, /tls or /starttls)" \
    "bad listener: FILE:LINE message"

expect_unchanged "test-imapconnectivity"
finish
