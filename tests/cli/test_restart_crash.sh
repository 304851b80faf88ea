#!/usr/bin/env bash
# imapadm killed with SIGKILL half way through a restart: the crash record
# (committed before the settings file is touched) lets the next imapadm
# run finish it. Killed during a failing check: the rejected file is taken
# back out. Killed during the restart command: the outcome is audited and
# what runs is seen. Temp files imapadm left beside the settings file are
# removed; an admin's files there are not.
. "$(dirname "$0")/lib.sh"

AUTH=AuthenticatedConnectionTimeout
PRE=PreAuthenticatedConnectionTimeout

# The check and the restart wait for the test's go file; the check then
# fails. The restart records what it was given; observe reads that back.
cat >"$TMP/imapadm.conf" <<CONF
profile badcheck {
	type = "nginx-mail"
	settings_file = "$TMP/a/imap.conf"
	check = {"/bin/sh", "-c", "echo \$\$ > '$TMP/pid'; while [ ! -e '$TMP/go' ]; do sleep 0.05; done; echo 'emerg: rejected' >&2; exit 1"}
	restart = {"true"}
	status = {"echo", "active"}
}
profile slow {
	type = "command"
	timeout = 60
	restart = {"/bin/sh", "-c", "echo \$\$ > '$TMP/pid'; while [ ! -e '$TMP/go' ]; do sleep 0.05; done; echo restart %{$AUTH} %{$PRE} > '$TMP/applied'"}
	status = {"echo", "active"}
	observe = {"/bin/sh", "-c", "read w a p < '$TMP/applied' && echo $AUTH \$a && echo $PRE \$p"}
}
CONF
export IMAPADM_CONFIG=$TMP/imapadm.conf
mkdir "$TMP/a"
printf 'proxy_timeout 1800s;\ntimeout 60s;\n' >"$TMP/a/imap.conf"
cp "$TMP/a/imap.conf" "$TMP/before.conf"
echo "restart 1800 60" >"$TMP/applied"

run new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess -Profile badcheck
run new-server CAS02 -Fqdn cas02.contoso.test -Roles ClientAccess -Profile slow
run set-imapsettings CAS01 -$AUTH 3600
run set-imapsettings CAS02 -$AUTH 2700
expect_rc 0 "setup"

# crash NAME: restart NAME in the background, SIGKILL it once its command
# (check or restart) runs.
crash() {
	rm -f "$TMP/pid" "$TMP/go"
	"$IMAPADM_BIN" --db "$DB" restart-imapservice "$1" >/dev/null \
	    2>&1 </dev/null &
	ipid=$!
	wait_for "$1: the command starts" 10 test -s "$TMP/pid" || return 1
	kill -KILL "$ipid"
	wait "$ipid" 2>/dev/null
	child=$(cat "$TMP/pid")
}

# 1. Killed while the check that will reject the new file runs.
n=$(audit_count)
crash CAS01
check
grep -q 'proxy_timeout 3600s' "$TMP/a/imap.conf" ||
    fail "setup: the new file is live while the check runs"
touch "$TMP/go"
wait_for "the orphaned check ends" 10 gone "$child"
# A temp file a crash left between creating and renaming, and an admin's.
echo half >"$TMP/a/imap.conf.imapadm-tmp-Ab12Cd"
echo keep >"$TMP/a/imap.conf.backup"
run get-imapsettings CAS01
expect_rc 0 "the next run works"
expect_err "an unfinished restart of CAS01 was found (started by $ME at 20" \
    "the next run reports the unfinished restart"
expect_err "at step writing; the new settings were never checked: the previous file was put back" \
    "and says the rejected file was taken back out"
expect_err "stray temp files removed: $TMP/a/imap.conf.imapadm-tmp-Ab12Cd" \
    "and names the temp files it removed"
check
cmp -s "$TMP/a/imap.conf" "$TMP/before.conf" ||
    fail "the settings file a check never passed is still live: $(cat "$TMP/a/imap.conf")"
check
[ ! -e "$TMP/a/imap.conf.imapadm-tmp-Ab12Cd" ] || fail "the stray temp file stays"
check
[ -e "$TMP/a/imap.conf.backup" ] || fail "an admin's file was removed"
expect_audit $((n + 1)) "the recovery is audited"
run get-auditlog CAS01 -ResultSize 1 --format list
expect_out "Action  : restart-imapservice" "audit row of the recovery"
expect_out "the previous file was put back" "the audit row says what was done"
run get-imapsettings CAS01
expect_err_empty "reported once, not at every run"
expect_field RestartPending True "3600 is still not running"
run restart-imapservice CAS01
expect_err "emerg: rejected (previous settings restored)" \
    "the lock was released: a new restart runs (and its check fails again)"

# 2. Killed while the restart command runs; the command finishes alone.
n=$(audit_count)
crash CAS02
touch "$TMP/go"
wait_for "the orphaned restart ends" 10 gone "$child"
run get-imapsettings CAS02
expect_err "an unfinished restart of CAS02 was found" "reported"
expect_err "at step restarting; the new settings had passed the check and were kept" \
    "the checked file is kept"
expect_err "status now: running" "the status is read again"
expect_err "the pushed values are seen running" "what runs is observed"
expect_field RestartPending False "what the restart pushed runs: not pending"
expect_field Running$AUTH 00:45:00 "running is observed"
expect_field Pushed$AUTH 00:45:00 "the pushed values are recorded, once seen"
expect_audit $((n + 2)) "the row before the command, and the outcome"
run get-auditlog CAS02 -ResultSize 2 --format json
expect_json "[r['Outcome'][:7] for r in j]" "['an unfi', 'started']" \
    "an audit row was written before the restart command ran"

finish
