#!/bin/bash
# End to end: time-outs set with imapadm and pushed with restart-imapservice
# are what a real nginx mail proxy enforces. An IMAP client that never logs
# in is dropped 30 s after connecting, a logged-in idle one 30 s after its
# last command, one that keeps talking stays; CAS02, not restarted, keeps
# its defaults. Needs nginx with the mail module, Dovecot and python3.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

e2e_start
e2e_inventory

run_cmd get0 adm get-imapsettings -Identity CAS01
expect_rc "get-imapsettings before any change" 0 &&
expect_out "defaults before any change" \
    '^AuthenticatedConnectionTimeout +: 00:30:00$' &&
expect_out "defaults before any change" \
    '^PreAuthenticatedConnectionTimeout +: 00:01:00$' &&
expect_out "running: what the site's nginx loaded, observed" \
    '^RunningAuthenticatedConnectionTimeout +: 00:30:00$' &&
expect_out "running says where it was seen" \
    '^RunningSource +: .*/cas01/imap-timeouts\.conf, loaded by nginx \(pid [0-9]+\), seen 20[0-9-]+T[0-9:]+Z$' &&
expect_out "nothing pushed yet" '^PushedAuthenticatedConnectionTimeout +: unknown$' &&
pass "CAS01 starts at the defaults, running values observed on the site, nothing pushed"

# A session opened under the old values: a full restart must drop it (the
# old proxy_timeout is 1800 s, so a close within seconds is the restart).
probe_bg before --port "$CAS01_IMAP_PORT" --max 20 \
    --ready-file "$SITE/before.ready" login-idle
wait_for 10 test -e "$SITE/before.ready" ||
    e2e_die "could not log in through CAS01 before the change"

run_cmd set adm set-imapsettings -Identity CAS01 \
    -AuthenticatedConnectionTimeout 30 -PreAuthenticatedConnectionTimeout 30
expect_rc "set-imapsettings" 0 &&
expect_out "set-imapsettings says a restart is pending" 'restart pending' &&
expect_out "set-imapsettings warns about RFC 3501" 'RFC 3501' &&
pass "set-imapsettings saved 30/30 with the RFC 3501 warning"

run_cmd pending adm get-imapsettings -Identity CAS01
expect_out "restart pending after set" '^RestartPending +: True$' &&
expect_out "running still what nginx loaded after a save" \
    '^RunningPreAuthenticatedConnectionTimeout +: 00:01:00$' &&
pass "CAS01 is restart-pending, running still the observed 00:01:00"

started=$SECONDS
run_cmd restart adm restart-imapservice -Identity CAS01
expect_rc "restart-imapservice" 0 &&
expect_out "restart step shown" '^ +restart +ok ' &&
expect_out "status step shown" 'running \(pid [0-9]+\), listening on 127\.0\.0\.1:'"$CAS01_IMAP_PORT" &&
pass "restart-imapservice succeeded in $((SECONDS - started)) s"

expect_applied CAS01 30 30

run_cmd json adm get-imapsettings -Identity CAS01 --format json
if python3 -c '
import json, sys
v = json.load(sys.stdin)[0]
want = {"AuthenticatedConnectionTimeout": 30,
        "PreAuthenticatedConnectionTimeout": 30}
sys.exit(0 if all(v[k] == want[k] and v["Running" + k] == want[k] for k in want)
         and v["RestartPending"] is False else 1)' <<<"$OUT"; then
	pass "json: configured == running == 30 s"
else
	fail "json output does not show 30 s running: $OUT"
fi

probe_wait
probe_result before
closed=$(probe_value before closed_after)
if [ "$PROBE_RC" = 0 ] && [ -n "$closed" ] &&
    python3 -c "import sys; sys.exit(0 if float('$closed') < 10 else 1)"; then
	pass "the full restart dropped the session opened before it ($PROBE_OUT)"
else
	fail "session opened before the restart was not dropped by it: $PROBE_OUT"
fi

# The three behaviours at once, plus CAS02 as the control.
e2e_log "measuring idle connections (about 45 s)"
probe_bg preauth --port "$CAS01_IMAP_PORT" --expect 30 --tolerance 2 --max 40 \
    connect-idle
probe_bg auth --port "$CAS01_IMAP_PORT" --expect 30 --tolerance 2 --max 40 \
    login-idle
probe_bg noop --port "$CAS01_IMAP_PORT" login-noop --every 10 --for 45
probe_bg cas02 --port "$CAS02_IMAP_PORT" --max 36 connect-idle
probe_wait

expect_probe preauth 0 \
    "CAS01 closed a connection that never logged in 30 s +/- 2 after connecting"
expect_probe auth 0 \
    "CAS01 closed a logged-in idle connection 30 s +/- 2 after its last command"
expect_probe noop 0 \
    "CAS01 kept a connection sending NOOP every 10 s open for 45 s"
expect_probe cas02 1 \
    "CAS02 (not changed) kept an unauthenticated connection open past 36 s"

run_cmd cas02 adm get-imapsettings -Identity CAS02
expect_out "CAS02 keeps its defaults" '^PreAuthenticatedConnectionTimeout +: 00:01:00$' &&
pass "CAS02 still configured with the defaults"

e2e_finish
