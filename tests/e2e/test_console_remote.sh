#!/bin/bash
# End to end through the console, for a server on another host: CAS03's
# sshd and nginx run in their own mount namespace (tests/site/remote-start),
# where its settings file says 90/3600 while the management host's file at
# the same path says 60/1800. The IMAP4 page shows what cas03 runs (read
# over ssh, loaded by its nginx); setting the unauthenticated time-out to
# 45 s and restarting from the console writes cas03's file, not ours, and
# the page then shows 45 s running.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

[ -n "${VTDRIVE:-}" ] && [ -x "$VTDRIVE" ] ||
    e2e_die "VTDRIVE is not an executable (ctest sets it): ${VTDRIVE:-unset}"
export LC_ALL=C.UTF-8

e2e_start
"$SITE_LIB/remote-start" "$SITE" cas03 >/dev/null ||
    e2e_die "the remote host cas03 did not start"
. "$SITE/site.env"
export XDG_RUNTIME_DIR=$SITE/run
mkdir -m 0700 "$XDG_RUNTIME_DIR" || e2e_die "cannot make $XDG_RUNTIME_DIR"
REMOTE=$SITE/remote-cas03/imap-timeouts.conf
LOCAL=$SITE/cas03/imap-timeouts.conf
cp "$LOCAL" "$SITE/local.before"
adm new-server -Identity CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess \
    -Profile cas03 >/dev/null || e2e_die "new-server CAS03 failed"

rc=0
"$VTDRIVE" --size 80x24 --timeout 10 -- "$IMAPADM_BIN" --config "$CONF" \
    <<VT || rc=$?
wait Servers > Servers
waitre ^> CAS03 +ClientAccess +cas03
key Enter
wait Server properties: CAS03
send 2
waitre ^ +Authenticated time-out +configured: 3600 s +running: 3600 s
waitre ^ +Unauthenticated time-out +configured: 90 s +running: 90 s
key PgDn
wait Runs on            over ssh: cas03.contoso.test (ssh_host %{fqdn})
wait More options…
key Enter
wait ▸ Authenticated time-out (seconds)
key Enter
wait ▸ Unauthenticated time-out (seconds)
send 45
wait unsaved changes
key Enter
wait ▸ [ Apply ]
key Enter
wait Restart the IMAP4 service on CAS03 now?
send r
timeout 25
wait ✓ restart of CAS03 done
timeout 10
wait Now running on CAS03:
wait Unauthenticated time-out: 45 s
key Enter
waitre Unauthenticated time-out \(seconds\) +configured: 45 s
waitre valid: 30–3600 +running: 45 s
key Esc
wait Servers > Servers
send q
exit 0
VT
[ "$rc" -eq 0 ] ||
    e2e_die "the console procedure failed (vtdrive exited $rc; screen above)"
pass "console: CAS03's page showed cas03's 3600/90 running, set to 45 s," \
    "restarted over ssh, shows 45 s running"

grep -qx 'timeout 45s;' "$REMOTE" &&
    pass "cas03's own file holds timeout 45s" ||
    fail "cas03's file does not hold timeout 45s:
$(cat "$REMOTE")"
cmp -s "$SITE/local.before" "$LOCAL" &&
    pass "the management host's file at the same path is untouched" ||
    fail "the console wrote the management host's file:
$(cat "$LOCAL")"

e2e_finish
