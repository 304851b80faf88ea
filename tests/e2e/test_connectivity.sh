#!/bin/bash
# End to end: test-imapconnectivity against the real site. Greeting and
# latency on the plain and the TLS listener (certificate checked against the
# site's CA), LOGIN as alice (and as carol, whose UTF-8 password goes as a
# literal), a wrong password and a CA that did not sign the
# certificate fail clearly, STARTTLS works, a 0644 password file is refused
# before anything connects; and -MeasureTimeouts, after 30/30 are set and
# restarted, measures 30 s +/- 2 for both time-outs over plain and TLS (in
# the background while the other checks run: about 35 s in all).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

e2e_start
e2e_inventory

# A config like the site's with one substitution; adm_conf NAME uses it.
conf_with() {
	local name=$1 from=$2 to=$3
	sed -e "s|$from|$to|" "$CONF" >"$SITE/$name.conf" ||
	    e2e_die "cannot write $SITE/$name.conf"
	grep -qF -- "$to" "$SITE/$name.conf" ||
	    e2e_die "$name.conf: '$from' was not in $CONF"
}
adm_conf() {
	local name=$1
	shift
	"$IMAPADM_BIN" --config "$SITE/$name.conf" "$@"
}

PLAIN="127.0.0.1:$CAS01_IMAP_PORT"
TLS="127.0.0.1:$CAS01_IMAPS_PORT/tls"

# --- time-outs to 30/30, restarted, then the long measurement in the
# background -------------------------------------------------------------
run_cmd set adm set-imapsettings -Identity CAS01 \
    -AuthenticatedConnectionTimeout 30 -PreAuthenticatedConnectionTimeout 30
expect_rc "set-imapsettings 30/30" 0
run_cmd restart adm restart-imapservice -Identity CAS01
expect_rc "restart-imapservice" 0 && pass "CAS01 runs 30/30"

started=$SECONDS
adm test-imapconnectivity -Identity CAS01 -MeasureTimeouts --format json \
    >"$SITE/measure.out" 2>"$SITE/measure.err" &
measure_pid=$!
E2E_PROBES+=("$measure_pid")

# --- greeting, latency, TLS, login ---------------------------------------
run_cmd plain adm test-imapconnectivity -Identity CAS01
expect_rc "test-imapconnectivity CAS01" 0 &&
expect_out "plain listener listed" "^Listener +: $PLAIN\$" &&
expect_out "TLS listener listed" "^Listener +: $TLS\$" &&
expect_out "greeting shown" '^Greeting +: \* OK IMAP4 ready$' &&
expect_out "latency in ms" '^Latency +: [0-9]+ ms$' &&
expect_out "TLS verified against the site CA" \
    "^Tls +: TLSv1\\.[23] [^ ]+, certificate /CN=cas\\.contoso\\.test verified against $SITE_CA_FILE\$" &&
expect_out "login ok" '^Login +: ok as alice in [0-9]+ ms, logged out$' &&
pass "greeting, latency and login on $PLAIN and $TLS"
n=$(grep -c '^Result  *: Success$' <<<"$OUT")
[ "$n" = 2 ] && pass "both listeners: Success" ||
    fail "expected 2 Success results, got $n: $OUT"

# --- a wrong password ----------------------------------------------------
( umask 077 && printf 'not-the-password\n' >"$SITE/wrong.password" )
conf_with wrongpw "$SITE_TEST_PASSWORD_FILE" "$SITE/wrong.password"
run_cmd wrongpw adm_conf wrongpw test-imapconnectivity -Identity CAS01
expect_rc "wrong password fails" 1 &&
expect_out "wrong password: server's answer" \
    '^Login +: refused as alice: NO \[AUTHENTICATIONFAILED\] Authentication failed\.$' &&
expect_out "wrong password: Failure" '^Result +: Failure$' &&
pass "a wrong password: exit 1, 'refused as alice: NO [AUTHENTICATIONFAILED]'"
grep -q 'not-the-password' "$SITE/wrongpw.out" &&
    fail "the password appears in the output"

# --- a UTF-8 password: no quoted string carries it, a literal does --------
# carol (password café!) is one of the site's users from its start: an
# entry appended while Dovecot runs was not always seen under load.
( umask 077 && printf 'caf\xc3\xa9!\n' >"$SITE/carol.password" )
conf_with carol "$SITE_TEST_PASSWORD_FILE" "$SITE/carol.password"
sed -i 's|test_user = "alice"|test_user = "carol"|' "$SITE/carol.conf"
run_cmd carol adm_conf carol test-imapconnectivity -Identity CAS01
expect_rc "UTF-8 password" 0 &&
expect_out "UTF-8 password: logged in" '^Login +: ok as carol in [0-9]+ ms, logged out$' &&
pass "a UTF-8 password logs in (sent as an IMAP literal)"

# --- a password file others can read -------------------------------------
chmod 0644 "$SITE/wrong.password"
run_cmd mode adm_conf wrongpw test-imapconnectivity -Identity CAS01
expect_rc "0644 password file refused" 1 &&
expect_out "0644: says the mode and the fix" \
    "test_password_file $SITE/wrong.password: mode 0644 gives its group and others access to the password; it must be 0600 or 0400" &&
pass "a 0644 password file is refused, naming mode and fix"
grep -q '^Listener' "$SITE/mode.out" &&
    fail "a refused password file still connected: $OUT"

# --- a CA that did not sign the site's certificate -----------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$SITE/other.key" -out "$SITE/other-ca.pem" -days 1 \
    -subj "/CN=some other CA" >/dev/null 2>&1 ||
    e2e_die "openssl could not make a second CA"
conf_with otherca "$SITE_CA_FILE" "$SITE/other-ca.pem"
run_cmd otherca adm_conf otherca test-imapconnectivity -Identity CAS01
expect_rc "CA mismatch fails" 1 &&
expect_out "CA mismatch: OpenSSL's reason" \
    "^Error +: TLS certificate verify failed: unable to get local issuer certificate \\(checked against $SITE/other-ca.pem\\)\$" &&
pass "a CA mismatch fails with OpenSSL's verification reason"

# --- STARTTLS on the plain port --------------------------------------------
conf_with starttls "\"$PLAIN\"" "\"$PLAIN/starttls\""
run_cmd starttls adm_conf starttls test-imapconnectivity -Identity CAS01 \
    --format table
expect_rc "STARTTLS" 0 &&
expect_out "STARTTLS row" "^CAS01 +$PLAIN/starttls +starttls +Success +[0-9]+ ms +ok as alice" &&
pass "STARTTLS on $PLAIN: upgraded, verified, logged in"

# --- the measurement -----------------------------------------------------
wait "$measure_pid"
measure_rc=$?
E2E_PROBES=()
OUT="$(cat "$SITE/measure.out") $(cat "$SITE/measure.err")"
if [ "$measure_rc" = 0 ] && python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 2, rows
for r in rows:
    for k in ("AuthenticatedConnectionTimeout",
              "PreAuthenticatedConnectionTimeout"):
        m = r["Measured" + k]
        assert r[k] == 30, (k, r[k])
        assert m is not None and abs(m - 30) <= 2, (r["Listener"], k, m)
        assert r["Measured" + k + "Text"].startswith(
            "closed by the server after"), r
' "$SITE/measure.out"; then
	pass "-MeasureTimeouts: both time-outs closed at 30 s +/- 2 on plain and TLS ($((SECONDS - started)) s)"
else
	fail "-MeasureTimeouts (exit $measure_rc) did not measure 30 +/- 2 s: $OUT"
fi
grep -q 'holding idle sessions to CAS01 .* at most 35 s' "$SITE/measure.err" ||
    fail "-MeasureTimeouts did not say how long it waits: $(cat "$SITE/measure.err")"

e2e_finish
