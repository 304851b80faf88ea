#!/usr/bin/env bash
# restart-imapservice through "command" profiles: the service receives the
# configured values, success clears restart-pending and shows what runs,
# a failing step is shown with its exit status and output and leaves the
# server pending; every attempt writes one audit row.
. "$(dirname "$0")/lib.sh"

AUTH=AuthenticatedConnectionTimeout
PRE=PreAuthenticatedConnectionTimeout

cat >"$TMP/imapadm.conf" <<EOF
profile good {
	type = "command"
	check = {"true"}
	restart = {"/bin/sh", "-c", "echo restart %{$AUTH} %{$PRE} > '$TMP/applied'"}
	reload = {"/bin/sh", "-c", "echo reload %{$AUTH} %{$PRE} > '$TMP/applied'"}
	status = {"echo", "imap4 active on %{identity}"}
	observe = {"/bin/sh", "-c", "read w a p < '$TMP/applied' && echo $AUTH \$a && echo $PRE \$p"}
}
profile badcheck {
	type = "command"
	check = {"/bin/sh", "-c", "echo 'line 7: bad directive' >&2; exit 1"}
	restart = {"/bin/sh", "-c", "echo should-not-run > '$TMP/applied-bad'"}
}
profile badrestart {
	type = "command"
	restart = {"/bin/sh", "-c", "echo 'nginx: [warn] low on fds' >&2; echo 'cannot bind 0.0.0.0:143' >&2; exit 3"}
}
profile norestart {
	type = "command"
	restart = {"true"}
}
EOF
export IMAPADM_CONFIG=$TMP/imapadm.conf

run new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess -Profile good
run new-server CAS02 -Fqdn cas02.contoso.test -Roles ClientAccess -Profile badcheck
run new-server CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess -Profile badrestart
run new-server CAS04 -Fqdn cas04.contoso.test -Roles ClientAccess
run new-server MBX01 -Fqdn mbx01.contoso.test -Roles Mailbox
n=$(audit_count)

run set-imapsettings CAS01 -$AUTH 00:45:00 -$PRE 90
expect_rc 0 "set before restart"
run restart-imapservice CAS01
expect_rc 0 "restart ok"
check
[ "$(cat "$TMP/applied" 2>/dev/null)" = "restart 2700 90" ] ||
    fail "the service received the configured values in seconds"
expect_out "  check    ok" "check step shown"
expect_out "  restart  ok" "restart step shown"
expect_out "imap4 active on CAS01" "status output shown"
expect_out "CAS01: running $AUTH 00:45:00, $PRE 00:01:30" "what now runs"
expect_audit $((n + 3)) "one audit row for the save, one before the restart command, one for its outcome"
run get-imapsettings CAS01
expect_field RestartPending False "restart clears pending"
expect_field Running$AUTH 00:45:00 "running value recorded"
expect_field Running$PRE 00:01:30 "running value recorded"
run get-imapsettings CAS01 --format json
expect_json "j[0]['Running$PRE']" 90 "json running in seconds"
expect_json "j[0]['RestartPending']" False "json not pending"
run get-imapsettings CAS01 --format table
check
printf '%s\n' "$OUT" | grep -Eq '^CAS01 +00:45:00 +00:01:30 +00:45:00 +00:01:30 +False$' ||
    fail "table shows the running values beside the configured ones"
run get-imapsettings CAS01
expect_field Pushed$AUTH 00:45:00 "what imapadm pushed stays visible"
check
case "$OUT" in *"RunningSource"*": observe command of profile good, seen 20"*"Z"*) ;;
*) fail "running names its source and when it was seen" ;; esac
# Changed outside imapadm: "running" is what the service shows now, not
# what imapadm remembers pushing.
echo "restart 100 50" >"$TMP/applied"
run get-imapsettings CAS01
expect_field Running$AUTH 00:01:40 "running is observed, not remembered"
expect_field Running$PRE 00:00:50 "running is observed, not remembered"
expect_field Pushed$AUTH 00:45:00 "last pushed kept apart"
echo "restart 2700 90" >"$TMP/applied"
# A listing runs no process per server: an observe command is not run, and
# that is said rather than a value shown.
run get-imapsettings --format json
expect_json "[s['RunningSource'] for s in j if s['Identity'] == 'CAS01'][0].startswith('unknown: not observed in a listing')" True \
    "a listing says why a command profile's running values are not shown"
expect_json "[s['Running$AUTH'] for s in j if s['Identity'] == 'CAS01'][0]" None "and shows none"

run restart-imapservice -identity cas01 --RELOAD
expect_rc 0 "reload ok"
check
[ "$(cat "$TMP/applied" 2>/dev/null)" = "reload 2700 90" ] || fail "reload command ran"
expect_out "  reload   ok" "reload step shown"
expect_out "sessions already open keep their previous time-outs" "reload is explained"
expect_audit $((n + 5)) "reload audited, before and after"

# A failing check stops before the restart; the server stays pending.
run set-imapsettings CAS02 -$AUTH 3600
run restart-imapservice CAS02
expect_rc 1 "failing check"
expect_out "  check    exit 1" "failing step and its exit status"
expect_out "line 7: bad directive" "the failing command's error output"
expect_no_out "  restart " "no restart after a failed check"
expect_err "CAS02 stays restart-pending" "pending is said"
expect_err_prefixed "failing check"
check
[ ! -e "$TMP/applied-bad" ] || fail "restart ran after a failed check"
run get-imapsettings CAS02
expect_field RestartPending True "still pending after a failed check"
expect_field Running$AUTH unknown "running stays unknown"
expect_audit $((n + 7)) "a failed check is audited too (no restart command ran: no row before)"

run set-imapsettings CAS03 -$PRE 120
run restart-imapservice CAS03
expect_rc 1 "failing restart"
expect_out "  restart  exit 3" "failing restart step"
expect_out "cannot bind 0.0.0.0:143" "failing restart output"
expect_err "cannot bind" "the cause on stderr"
run get-imapsettings CAS03
expect_field RestartPending True "a failed restart leaves the server pending"
# The audit row keeps the duration, the exit status and the error tail.
run get-auditlog CAS03 -ResultSize 1 --format list
expect_out "Outcome : failed after 0." "audit row says how long it ran"
expect_out "exited with status 3" "audit row holds the exit status"
expect_out "(stderr: nginx: [warn] low on fds|cannot bind 0.0.0.0:143)" \
    "audit row holds the last lines of the error output"

# Refused before anything runs: nothing written at all.
snapshot
m=$(audit_count)
run restart-imapservice CAS04
expect_rc 1 "no profile"
expect_err "CAS04 has no service profile" "no profile named"
run restart-imapservice MBX01
expect_rc 1 "mailbox server"
expect_err "MBX01 is not a client access server" "mailbox server refused"
IMAPADM_CONFIG="" run restart-imapservice CAS01
expect_rc 1 "profile missing from the config"
expect_err "profile good of CAS01 is not in the config" "missing profile named"
expect_unchanged "refused restarts"
expect_audit "$m" "refused restarts write no audit row"

# A server never saved: the restart pushes the defaults, and records them
# as pushed (a profile that cannot be observed shows what was pushed).
run new-server CAS05 -Fqdn cas05.contoso.test -Roles ClientAccess -Profile norestart
run restart-imapservice CAS05
expect_rc 0 "restart of a server never saved"
run get-imapsettings CAS05
expect_field Pushed$AUTH 00:30:00 "the defaults it pushed are recorded"
expect_field Pushed$PRE 00:01:00 "both"
expect_field RestartPending False "nothing pending after the push"
finish
