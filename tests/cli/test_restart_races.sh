#!/usr/bin/env bash
# The restart path under races and faults, each as a user met it:
#  - a save made while a restart runs stays pending when the restart ends;
#  - a second restart of the same server is refused at once, naming the
#    first (who, when, pid);
#  - pending is configured against what runs, never a leftover flag: a
#    never-saved server whose render fails is not pending, a failed restart
#    where configured already equalled running leaves it not pending, and
#    2700 -> 86400 -> 2700 without a restart is not pending;
#  - concurrent set-imapsettings all succeed (last writer wins, each
#    audited old -> new); -IfVersion refuses a stale change.
. "$(dirname "$0")/lib.sh"

AUTH=AuthenticatedConnectionTimeout
PRE=PreAuthenticatedConnectionTimeout

# gated: the restart command waits for the test's go file, then records
# what it was given; observe reads that back (what "runs").
cat >"$TMP/imapadm.conf" <<CONF
profile gated {
	type = "command"
	timeout = 60
	restart = {"/bin/sh", "-c", "echo \$\$ > '$TMP/pid'; while [ ! -e '$TMP/go' ]; do sleep 0.05; done; echo restart %{$AUTH} %{$PRE} > '$TMP/applied'"}
	observe = {"/bin/sh", "-c", "read w a p < '$TMP/applied' && echo $AUTH \$a && echo $PRE \$p"}
}
profile foreign {
	type = "nginx-mail"
	settings_file = "$TMP/foreign.conf"
	restart = {"true"}
}
profile flaky {
	type = "command"
	restart = {"/bin/sh", "-c", "if [ -e '$TMP/break' ]; then echo 'cannot bind' >&2; exit 1; fi; echo restart %{$AUTH} %{$PRE} > '$TMP/flaky'"}
	observe = {"/bin/sh", "-c", "read w a p < '$TMP/flaky' && echo $AUTH \$a && echo $PRE \$p"}
}
CONF
export IMAPADM_CONFIG=$TMP/imapadm.conf

run new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess -Profile gated
printf 'listen 143;\n' >"$TMP/foreign.conf"
run new-server CAS02 -Fqdn cas02.contoso.test -Roles ClientAccess -Profile foreign
run new-server CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess -Profile flaky
run new-server CAS04 -Fqdn cas04.contoso.test -Roles ClientAccess
echo "restart 1800 60" >"$TMP/applied"

# bg_restart NAME: restart-imapservice NAME in the background; sets bpid.
bg_restart() {
	"$IMAPADM_BIN" --db "$DB" restart-imapservice "$1" >"$TMP/bgout" \
	    2>"$TMP/bgerr" </dev/null &
	bpid=$!
}
bg_end() {
	wait_for "$1: the restart ends" 20 gone "$bpid"
	wait "$bpid"
	RC=$?
	OUT=$(cat "$TMP/bgout")
	ERR=$(cat "$TMP/bgerr")
	LAST="restart-imapservice (in the background): $1"
}

# 1. A save while the restart runs: the restart pushed 2000, 900 is saved.
run set-imapsettings CAS01 -$AUTH 2000
rm -f "$TMP/pid" "$TMP/go"
bg_restart CAS01
wait_for "save during restart: the restart command starts" 10 test -s "$TMP/pid"
run set-imapsettings CAS01 -$AUTH 900
expect_rc 0 "a save while a restart runs is made"
touch "$TMP/go"
bg_end "save during restart"
expect_rc 0 "the first restart succeeds"
check
[ "$(cat "$TMP/applied")" = "restart 2000 60" ] ||
    fail "the first restart pushed what it read (2000): $(cat "$TMP/applied")"
run get-imapsettings CAS01
expect_field $AUTH 00:15:00 "the later save is configured"
expect_field Running$AUTH 00:33:20 "what runs is what the restart pushed"
expect_field RestartPending True "the save made during the restart stays pending"
expect_field Pushed$AUTH 00:33:20 "last pushed is the restart's version"

run get-auditlog CAS01 -ResultSize 3 --format json
expect_json "[r['Outcome'][:3] for r in j]" "['ok:', 'sav', 'sta']" \
    "audit: started (before the command), the save, then ok"

# 2. A second restart while one runs is refused at once, naming the first.
rm -f "$TMP/pid" "$TMP/go"
bg_restart CAS01
wait_for "two restarts: the first one's command starts" 10 test -s "$TMP/pid"
n=$(audit_count)
"$IMAPADM_BIN" --db "$DB" restart-imapservice CAS01 >"$TMP/out" \
    2>"$TMP/err" </dev/null &
spid=$!
LAST="a second restart-imapservice CAS01"
wait_for "the second restart ends at once" 5 gone "$spid"
wait "$spid"
RC=$?
OUT=$(cat "$TMP/out")
ERR=$(cat "$TMP/err")
expect_rc 1 "second restart refused"
expect_err "a restart of CAS01 is already running, started by $ME at 20" \
    "the refusal names who started the first and when"
expect_err "(imapadm pid $bpid); nothing done" "and which process"
expect_audit "$n" "the refused restart ran nothing and wrote no audit row"
touch "$TMP/go"
bg_end "two restarts"
expect_rc 0 "the first of two restarts succeeds"

# 2c. A lock left by an imapadm that is gone (its pid ended) is taken
# over, reported and the restart runs.
sh -c 'exit 0' &
dead=$!
wait "$dead"
sqlite3 "$DB" "INSERT INTO apply (server_id, server, profile, version, pushed,
    mode, step, pid, pid_start, user, started_at) SELECT id, identity, 'gated',
    0, '$AUTH=900 $PRE=60', 'restart', 'locked', $dead, 1, 'mallory',
    '2026-01-02T03:04:05Z' FROM server WHERE identity = 'CAS01'"
touch "$TMP/go"
run restart-imapservice CAS01
expect_rc 0 "a stale lock does not block a restart"
expect_err "an unfinished restart of CAS01 was found (started by mallory at 2026-01-02T03:04:05Z, imapadm pid $dead is gone) at step locked; nothing had been changed" \
    "the stale lock is reported with who and when"
run get-auditlog CAS01 -ResultSize 3 --format json
expect_json "[r['Outcome'][:8] for r in j]" "['ok: rest', 'started', 'an unfin']" \
    "the take-over is audited before the new restart"

# 5a. A never-saved server whose push fails before anything ran (its
# settings file is an admin's) is not made pending.
run restart-imapservice CAS02
expect_rc 1 "push refused"
expect_err "foreign.conf is not imapadm's to overwrite" "the refusal is said"
run get-imapsettings CAS02
expect_field RestartPending False "a never-saved server is not pending after a render failure"

# 5b. Configured equals running, then a restart fails: still not pending.
run set-imapsettings CAS03 -$AUTH 2700
run restart-imapservice CAS03
expect_rc 0 "flaky: first restart"
touch "$TMP/break"
run restart-imapservice CAS03
expect_rc 1 "flaky: failing restart"
expect_err "CAS03 is not restart-pending: configured equals running" \
    "after the failure, pending is what is seen"
run get-imapsettings CAS03
expect_field RestartPending False "a failed restart does not make equal values pending"
rm -f "$TMP/break"

# 5c. 2700 -> 86400 -> 2700 without a restart: back to what runs.
run set-imapsettings CAS03 -$AUTH 86400
run get-imapsettings CAS03
expect_field RestartPending True "86400 is not running"
run set-imapsettings CAS03 -$AUTH 2700
expect_out "not restart pending" "the save says it is back to what runs"
run get-imapsettings CAS03
expect_field RestartPending False "2700 again is what runs"
# Where nothing is observable the last push decides, and that is said.
run set-imapsettings CAS04 -$AUTH 2700
run get-imapsettings CAS04
expect_field RestartPending True "never pushed: pending"
expect_out "RestartPendingSource" "pending names its basis"
expect_out "imapadm never pushed the configured values" "and says it"

# 7. Ten concurrent set-imapsettings on one server all succeed.
n=$(audit_count)
pids=
for i in 0 1 2 3 4 5 6 7 8 9; do
	"$IMAPADM_BIN" --db "$DB" set-imapsettings CAS04 -$AUTH $((1000 + i)) \
	    >"$TMP/set$i.out" 2>"$TMP/set$i.err" </dev/null &
	pids="$pids $!"
done
ok=0
for p in $pids; do
	wait "$p" && ok=$((ok + 1))
done
check
[ "$ok" = 10 ] || fail "concurrent saves: $ok of 10 succeeded: $(cat "$TMP"/set*.err)"
expect_audit $((n + 10)) "each concurrent save audited"
run get-auditlog CAS04 -ResultSize 10 --format json
expect_json "len(set(r['What'].split(' -> ')[0] for r in j))" 10 \
    "each save audited against the value it replaced"
run get-imapsettings CAS04 --format json
expect_json "1000 <= j[0]['$AUTH'] <= 1009" True "the last writer's value is configured"
v=$(json_get "j[0]['Version']")

# -IfVersion: a stale version is refused and changes nothing.
snapshot
run set-imapsettings CAS04 -$AUTH 1500 -IfVersion $((v - 1))
expect_rc 1 "stale -IfVersion"
expect_err "CAS04 is at version $v, not $((v - 1)) (-IfVersion): changed by $ME at 20" \
    "the refusal gives the current version and who changed it"
expect_unchanged "a stale -IfVersion"
run set-imapsettings CAS04 -$AUTH 1500 -IfVersion x
expect_rc 1 "bad -IfVersion"
expect_err "invalid -IfVersion 'x': give the Version that get-imapsettings shows" \
    "a bad -IfVersion is named"
expect_unchanged "a bad -IfVersion"
run set-imapsettings CAS04 -$AUTH 1500 -IfVersion $v
expect_rc 0 "current -IfVersion"
expect_out "Version $((v + 1))" "the new version is said"

finish
