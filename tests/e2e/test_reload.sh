#!/bin/bash
# End to end: restart-imapservice --reload is graceful. The nginx master
# stays, sessions opened before the reload keep the old time-outs (30 s),
# connections opened after it get the new ones (pre-auth 40 s, auth 35 s).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

e2e_start
e2e_inventory

# Baseline: 30/30 running everywhere after a full restart.
run_cmd set1 adm set-imapsettings -Identity CAS01 \
    -AuthenticatedConnectionTimeout 30 -PreAuthenticatedConnectionTimeout 30
expect_rc "set-imapsettings 30/30" 0 || e2e_die "cannot set the baseline"
run_cmd restart1 adm restart-imapservice -Identity CAS01
expect_rc "restart-imapservice" 0 || e2e_die "cannot restart for the baseline"

master=$(cat "$SITE/cas01/nginx.pid")

# Sessions under the old values, opened before the reload.
probe_bg old_preauth --port "$CAS01_IMAP_PORT" --expect 30 --tolerance 2 \
    --max 45 --ready-file "$SITE/old_preauth.ready" connect-idle
probe_bg old_auth --port "$CAS01_IMAP_PORT" --expect 30 --tolerance 2 \
    --max 45 --ready-file "$SITE/old_auth.ready" login-idle
wait_for 10 test -e "$SITE/old_preauth.ready" -a -e "$SITE/old_auth.ready" ||
    e2e_die "could not open sessions through CAS01 before the reload"

run_cmd set2 adm set-imapsettings -Identity CAS01 \
    -AuthenticatedConnectionTimeout 00:00:35 -PreAuthenticatedConnectionTimeout 40
expect_rc "set-imapsettings 35/40 (time span and seconds)" 0

run_cmd reload adm restart-imapservice -Identity CAS01 --reload
expect_rc "restart-imapservice --reload" 0 &&
expect_out "reload step shown" '^ +reload +ok ' &&
expect_out "reload waited for the new worker" \
    'reloaded \(new worker pid [0-9]+; 1 old worker\(s\) finishing open sessions\)' &&
pass "restart-imapservice --reload succeeded, the old worker keeps the open sessions"
if ! grep -Eq '^ +restart ' <<<"$OUT"; then
	pass "--reload did not run the restart command"
else
	fail "--reload ran the restart command: $OUT"
fi

now=$(cat "$SITE/cas01/nginx.pid")
[ "$now" = "$master" ] &&
pass "same nginx master (pid $master) before and after the reload" ||
fail "the nginx master changed from $master to $now: not a reload"

expect_applied CAS01 40 35

run_cmd audit adm get-auditlog -Identity CAS01 -ResultSize 1 --format list
expect_out "audit row for the reload" '^Action +: reload-imapservice$' &&
expect_out "audit row names the values" 'AuthenticatedConnectionTimeout=35' &&
expect_out "audit row says it succeeded" '^Outcome +: ok: reload of CAS01' &&
pass "audit log records the reload"

# New connections, after the reload.
e2e_log "measuring old and new sessions (about 40 s)"
probe_bg new_preauth --port "$CAS01_IMAP_PORT" --expect 40 --tolerance 2 \
    --max 50 connect-idle
probe_bg new_auth --port "$CAS01_IMAP_PORT" --expect 35 --tolerance 2 \
    --max 50 login-idle
probe_wait

expect_probe old_preauth 0 \
    "unauthenticated connection opened before the reload closed at the old 30 s"
expect_probe old_auth 0 \
    "logged-in session opened before the reload closed at the old 30 s"
expect_probe new_preauth 0 \
    "unauthenticated connection opened after the reload closed at the new 40 s"
expect_probe new_auth 0 \
    "logged-in session opened after the reload closed at the new 35 s"

e2e_finish
