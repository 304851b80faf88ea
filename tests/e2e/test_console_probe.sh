#!/bin/bash
# End to end through the console: on CAS01's IMAP4 page, T (Test connection)
# shows each listener's result in a dialog: greeting, latency, login, the
# TLS certificate verified against the site's CA. M (Measure time-outs)
# runs in the background with a live countdown while keys keep working; Esc
# cancels it; run again to its end it shows both time-outs closed by nginx
# at 30 s (set with the command line and restarted first), on plain and TLS.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

[ -n "${VTDRIVE:-}" ] && [ -x "$VTDRIVE" ] ||
    e2e_die "VTDRIVE is not an executable (ctest sets it): ${VTDRIVE:-unset}"
export LC_ALL=C.UTF-8

e2e_start
e2e_inventory

run_cmd set adm set-imapsettings -Identity CAS01 \
    -AuthenticatedConnectionTimeout 30 -PreAuthenticatedConnectionTimeout 30
expect_rc "set-imapsettings 30/30" 0
run_cmd restart adm restart-imapservice -Identity CAS01
expect_rc "restart-imapservice" 0 || e2e_die "CAS01 did not restart"

rc=0
"$VTDRIVE" --size 80x24 --timeout 10 -- "$IMAPADM_BIN" --config "$CONF" \
    <<VT || rc=$?
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status
wait T Test
send T
wait ─ Test connection ─
wait CAS01, 2 listeners, tested 20
wait 127.0.0.1:$CAS01_IMAP_PORT (plain)
wait 127.0.0.1:$CAS01_IMAPS_PORT/tls (tls)
waitre Success: greeting in [0-9]+ ms, login as alice ok in [0-9]+ ms +│
waitre Success: greeting in [0-9]+ ms, login as alice ok in [0-9]+ ms, TLS verified
wait greeting: * OK IMAP4 ready
wait /CN=cas.contoso.test verified against
wait connection test of CAS01: 2 of 2 listeners ok
key Enter
wait Connection test
waitre plain +127\.0\.0\.1:$CAS01_IMAP_PORT ok: greeting [0-9]+ ms, login ok
waitre tls +127\.0\.0\.1:$CAS01_IMAPS_PORT/tls ok: greeting [0-9]+ ms, login ok
send M
wait Measured time-outs
wait of at most 35 s
wait authenticated    measuring:
# Keys keep working while it runs: other sections and back.
send 1
wait FQDN               cas01.contoso.test
send 2
wait Measured time-outs
wait 2 s of at most 35 s
wait 3 s of at most 35 s
key Esc
wait time-out measurement on CAS01 cancelled after
expect_not Measured time-outs
wait Server properties: CAS01
send M
wait Measured time-outs
timeout 45
waitre ^ +authenticated +closed by the server after (29|30|31)\.[0-9] s \(configured 30 s\)
waitre ^ +unauthenticated +closed by the server after (29|30|31)\.[0-9] s \(configured 30 s\)
# All four (two per listener) within 2 s of 30.
wait CAS01: 2 of 2 listeners answered, 0 time-outs off their configured value
timeout 10
screen
expect_not not closed within
send q
wait Servers > Servers
send q
exit 0
VT
if [ "$rc" = 0 ]; then
	pass "console: Test connection dialog, Measure countdown with keys working, Esc cancels, 30 s measured"
else
	fail "the console script failed (vtdrive exit $rc)"
fi

e2e_finish
