#!/usr/bin/env bash
# One SIGTERM, SIGHUP or SIGINT while the restart command runs (a restart
# is "stop, then start": killed half way it leaves the service stopped):
# the command runs to its end, nothing is started after it, and imapadm
# says the state the service is in. A second signal kills the command,
# and the state it left (stopped) is said the same way.
. "$(dirname "$0")/lib.sh"

AUTH=AuthenticatedConnectionTimeout

# The restart stops the service, waits for the test's go, starts it.
cat >"$TMP/imapadm.conf" <<CONF
profile halfway {
	type = "command"
	timeout = 60
	restart = {"/bin/sh", "-c", "echo stopped > '$TMP/state'; echo \$\$ > '$TMP/pid'; while [ ! -e '$TMP/go' ]; do sleep 0.05; done; echo running > '$TMP/state'"}
	status = {"/bin/sh", "-c", "read s < '$TMP/state'; echo \$s; [ \$s = running ] || exit 3"}
}
CONF
export IMAPADM_CONFIG=$TMP/imapadm.conf


run new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess -Profile halfway
run set-imapsettings CAS01 -$AUTH 3600
expect_rc 0 "setup"

# start_restart: restart-imapservice in the background until the restart
# command runs; sets ipid.
start_restart() {
	rm -f "$TMP/pid" "$TMP/go"
	echo running >"$TMP/state"
	# A background job starts with SIGINT ignored; a shell user's has not.
	env --default-signal=INT "$IMAPADM_BIN" --db "$DB" restart-imapservice CAS01 >"$TMP/out" \
	    2>"$TMP/err" </dev/null &
	ipid=$!
	wait_for "$1: the restart command starts" 10 test -s "$TMP/pid"
}

end_restart() {
	wait_for "$1: imapadm ends" 20 gone "$ipid"
	wait "$ipid"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

for sig in TERM HUP INT; do
	start_restart "SIG$sig" || { kill -9 "$ipid"; continue; }
	kill -$sig "$ipid"
	LAST="restart-imapservice CAS01, then one SIG$sig"
	wait_for "SIG$sig: the signal is answered at once" 10 \
	    grep -q "letting the restart step finish" "$TMP/err"
	touch "$TMP/go"
	end_restart "SIG$sig"
	check
	[ "$(cat "$TMP/state")" = running ] ||
	    fail "SIG$sig: the restart command was cut half way (service left $(cat "$TMP/state"))"
	expect_err "starting no other; a second signal kills it" "SIG$sig: what happens is said"
	expect_err "the step running then was let finish" "SIG$sig: the outcome is said"
	expect_err "the IMAP4 service (profile halfway) on CAS01 is running" \
	    "SIG$sig: the service's state is said"
	expect_out "  restart  ok" "SIG$sig: the restart step completed"
	expect_err_prefixed "SIG$sig"
	run get-imapsettings CAS01
	expect_field Pushed$AUTH 01:00:00 "SIG$sig: the finished restart is recorded"
done

# Two signals: the second kills the command, and the state it left is said.
start_restart "two signals"
kill -TERM "$ipid"
wait_for "two signals: the first is answered" 10 \
    grep -q "letting the restart step finish" "$TMP/err"
kill -TERM "$ipid"
end_restart "two signals"
LAST="restart-imapservice CAS01, then SIGTERM twice"
expect_rc 1 "two signals: exit status"
expect_err "a second signal killed the step running then" "two signals: the kill is said"
expect_err "the IMAP4 service (profile halfway) on CAS01 is stopped" \
    "two signals: the state it left is said"
check
child=$(cat "$TMP/pid")
wait_for "two signals: the restart command is killed" 5 gone "$child" ||
    kill -9 "$child" 2>/dev/null

finish
