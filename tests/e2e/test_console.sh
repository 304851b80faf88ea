#!/bin/bash
# End to end through the console: an admin at an 80x24 terminal sets both
# IMAP4 time-outs of CAS01 to 30 s (Servers > Servers, CAS01, IMAP4, More
# options…, Apply, restart) and the page then shows 30 s configured and
# running. The real nginx mail proxy obeys: a connection that never logs in
# is dropped 30 s after connecting, a logged-in idle one 30 s after its last
# command; CAS02, untouched, keeps its defaults. The audit log names the
# change and the restart, by whoever ran the console.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

[ -n "${VTDRIVE:-}" ] && [ -x "$VTDRIVE" ] ||
    e2e_die "VTDRIVE is not an executable (ctest sets it): ${VTDRIVE:-unset}"
# The screen texts below (…, –, ⚠) are what the console draws in UTF-8.
export LC_ALL=C.UTF-8
ME=$(id -un)

e2e_start
e2e_inventory

master=$(pidfile_pid "$SITE/cas01/nginx.pid") ||
    e2e_die "no nginx pid for CAS01 in $SITE/cas01/nginx.pid"
cp "$SITE/cas02/imap-timeouts.conf" "$SITE/cas02.before"

# The procedure, key by key. Every wait has vtdrive's time limit (10 s; 25 s
# for the restart, whose commands the profile limits to 20 s).
rc=0
"$VTDRIVE" --size 80x24 --timeout 10 -- "$IMAPADM_BIN" --config "$CONF" \
    <<VT || rc=$?
wait user: $ME
wait Servers > Servers
# Observed: the settings file read back, loaded by the running nginx.
waitre ^> CAS01 +ClientAccess +cas01 +running 1800/60 seen [0-9][0-9]:[0-9][0-9]
attr CAS01 reverse
key Enter
wait Server properties: CAS01
send 2
wait Listeners          127.0.0.1:$CAS01_IMAP_PORT (IMAP4, plain)
waitre Status +running \(pid $master\), listening on 127\.0\.0\.1:$CAS01_IMAP_PORT
wait lines 1–16 of
waitre ^ +Authenticated time-out +configured: 1800 s +running: 1800 s
waitre ^ +Unauthenticated time-out +configured: 60 s +running: 60 s
expect_not More options
key PgDn
wait More options…
attr More options… reverse
key Enter
wait Time-out settings
wait ▸ Authenticated time-out (seconds)
wait valid: 30–86400
send 30
wait RFC 3501
key Enter
wait ▸ Unauthenticated time-out (seconds)
wait valid: 30–3600
send 30
wait unsaved changes
expect_not (disabled)
key Enter
wait ▸ [ Apply ]
key Enter
wait Restart the IMAP4 service on CAS01 now? [r]estart / re[l]oad / [n]ot now
wait ⟳ restart pending
send r
timeout 25
wait IMAP4 restarted on CAS01
timeout 10
wait ✓ restart of CAS01 done
wait Now running on CAS01:
wait Authenticated time-out: 30 s
wait Unauthenticated time-out: 30 s
wait listening on 127.0.0.1:$CAS01_IMAP_PORT
key Enter
gone IMAP4 restarted
gone restart pending
waitre Authenticated time-out \(seconds\) +configured: 30 s
waitre valid: 30–86400 +running: 30 s
waitre Unauthenticated time-out \(seconds\) +configured: 30 s
waitre valid: 30–3600 +running: 30 s
# Reopened, the page says the same in its summary.
key Esc
wait Servers > Servers
waitre ^> CAS01 +ClientAccess +cas01 +running 30/30 seen [0-9][0-9]:[0-9][0-9]
key Enter
wait Server properties: CAS01
send 2
wait Listeners
waitre ^ +Authenticated time-out +configured: 30 s +running: 30 s$
waitre ^ +Unauthenticated time-out +configured: 30 s +running: 30 s$
wait by $ME
key Esc
wait Servers > Servers
send q
exit 0
VT
[ "$rc" -eq 0 ] ||
    e2e_die "the console procedure failed (vtdrive exited $rc; screen above)"
pass "console: CAS01 set to 30/30 with the RFC 3501 warning, restarted," \
    "page shows 30 s configured and running"

# The running proxy, measured while the rest is checked; CAS02 is the
# control (its default 60 s must keep a silent connection past 34 s).
e2e_log "measuring idle connections (about 35 s)"
probe_bg preauth --port "$CAS01_IMAP_PORT" --expect 30 --tolerance 2 --max 40 \
    connect-idle
probe_bg auth --port "$CAS01_IMAP_PORT" --expect 30 --tolerance 2 --max 40 \
    login-idle
probe_bg cas02 --port "$CAS02_IMAP_PORT" --max 34 connect-idle

now=$(pidfile_pid "$SITE/cas01/nginx.pid")
if [ -n "$now" ] && [ "$now" != "$master" ] && proc_is "$now" nginx; then
	pass "the console restarted CAS01's nginx (master $master -> $now)"
else
	fail "CAS01's nginx master was not replaced: before $master, now '${now}'"
fi

expect_applied CAS01 30 30
expect_out "changed by the console user" "^ChangedBy +: $ME\$" &&
pass "CAS01 last changed by $ME"

if cmp -s "$SITE/cas02.before" "$SITE/cas02/imap-timeouts.conf" &&
    grep -qx 'timeout 60s;' "$SITE/cas02/imap-timeouts.conf" &&
    grep -qx 'proxy_timeout 1800s;' "$SITE/cas02/imap-timeouts.conf"; then
	pass "cas02/imap-timeouts.conf untouched: timeout 60s, proxy_timeout 1800s"
else
	fail "cas02/imap-timeouts.conf changed:
$(cat "$SITE/cas02/imap-timeouts.conf")"
fi

run_cmd cas02 adm get-imapsettings -Identity CAS02
expect_rc "get-imapsettings -Identity CAS02" 0 &&
expect_out "CAS02 defaults" '^AuthenticatedConnectionTimeout +: 00:30:00$' &&
expect_out "CAS02 defaults" '^PreAuthenticatedConnectionTimeout +: 00:01:00$' &&
expect_out "CAS02 not pending" '^RestartPending +: False$' &&
pass "get-imapsettings -Identity CAS02: still 00:30:00 and 00:01:00"

run_cmd audit adm get-auditlog -Identity CAS01 --format json
expect_rc "get-auditlog -Identity CAS01" 0
if python3 -c '
import json, sys
me = sys.argv[1]
rows = json.load(sys.stdin)
def find(action):
    return [r for r in rows if r["Action"] == action and r["Server"] == "CAS01"]
sets = [r for r in find("set-imapsettings") if r["User"] == me
        and "AuthenticatedConnectionTimeout 1800 -> 30" in r["What"]
        and "PreAuthenticatedConnectionTimeout 60 -> 30" in r["What"]]
restarts = [r for r in find("restart-imapservice") if r["User"] == me
            and r["Outcome"].startswith("ok")
            and "AuthenticatedConnectionTimeout=30" in r["What"]
            and "PreAuthenticatedConnectionTimeout=30" in r["What"]]
sys.exit(0 if len(sets) == 1 and len(restarts) == 1
         and restarts[0]["Id"] > sets[0]["Id"] else 1)' "$ME" <<<"$OUT"; then
	pass "audit log: set-imapsettings 1800 -> 30, 60 -> 30, then" \
	    "restart-imapservice ok, both by $ME"
else
	fail "audit log lacks the change and the successful restart by $ME:
$OUT"
fi

probe_wait
expect_probe preauth 0 \
    "CAS01 closed a connection that never logged in 30 s +/- 2 after connecting"
expect_probe auth 0 \
    "CAS01 closed a logged-in idle connection 30 s +/- 2 after its last command"
expect_probe cas02 1 \
    "CAS02 (not changed) kept an unauthenticated connection open past 34 s"

e2e_finish
