# Marks and the rolling restart screen: Space marks the selected server, *
# every server the filter shows, u clears; R with servers marked opens
# "Rolling restart of N servers" (parallelism, failure budget), whose rows
# go queued -> running -> ok while keys keep working; a failure with budget
# 0 starts no new server, Esc cancels (no new one starts), and the list
# shows the new states afterwards.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup --no-profile
LOG=$TEST_TMP/restarts.log
: >"$TEST_TMP/fail"
echo 0.6 >"$TEST_TMP/delay"
# Each restart takes $(cat delay) seconds and fails for a server named in
# the file fail, saying why on stderr.
cat >>"$CONF" <<EOF2
profile slow {
	type = "command"
	restart = {"/bin/sh", "-c", "echo start %{identity} >>\$0; sleep \$(cat \$2); if grep -qx %{identity} \$1; then echo 'disk full' >&2; exit 4; fi; echo end %{identity} >>\$0", "$LOG", "$TEST_TMP/fail", "$TEST_TMP/delay"}
	status = {"echo", "running"}
}
EOF2
for i in 01 02 03 04 05 06; do
	console_server "CAS$i" slow
done
console_mailbox MBX01
imapadm set-imapsettings CAS03 -AuthenticatedConnectionTimeout 2700 \
    >/dev/null

console_run marks-and-roll <<'VT'
wait Servers > Servers
wait 7 servers
waitre CAS03 +ClientAccess +slow +⟳ restart pending
send *
wait 7 marked  7 servers
waitre ^.\*CAS01
send u
wait marks cleared
expect_not marked
key Space
wait 1 marked  7 servers
waitre ^ \*CAS01
key Space
wait 2 marked
send *
wait 7 marked
send R
wait Rolling restart of 6 servers
wait 1 marked server without the ClientAccess role left out
wait Parallelism (servers at once)
wait default 4
send 0
key Enter
wait Parallelism: 0 is too small
key Backspace
send 2
key Enter
wait restarting 6 servers, at most 2 at once, stopping after 1 failure
waitre CAS01 +running: 
waitre CAS05 +queued
waitre CAS01 +ok \(
wait done 6, failed 0, running 0, left 0
wait done: 6 ok, 0 failed, 0 not started
key Esc
wait Servers > Servers
waitre CAS03 +ClientAccess +slow +pushed 2700/60 at
expect_not restart pending
send q
exit 0
VT
[ "$(grep -c '^end ' "$LOG")" = 6 ] || fail "6 restarts ran: $(cat "$LOG")"
imapadm get-auditlog CAS05 --format json >"$TEST_TMP/audit.json"
grep -q restart-imapservice "$TEST_TMP/audit.json" ||
    fail "CAS05 has its own audit row"

# Budget 0: CAS02 fails, no new server starts after it.
: >"$LOG"
echo CAS02 >"$TEST_TMP/fail"
imapadm set-imapsettings CAS02 -AuthenticatedConnectionTimeout 2400 \
    >/dev/null
imapadm set-imapsettings CAS04 -AuthenticatedConnectionTimeout 2400 \
    >/dev/null
console_run failure-budget <<'VT'
wait Servers > Servers
send *
wait 7 marked
send R
wait Rolling restart of 6 servers
send 1
key Enter
waitre CAS02 +failed: restart failed
wait failure budget spent: no new server
waitre CAS03 +not started
wait done: 1 ok, 1 failed, 4 not started
key Down Enter
wait disk full
key Enter
wait done: 1 ok, 1 failed, 4 not started
key Esc
wait Servers > Servers
waitre CAS02 +ClientAccess +slow +⟳ failed: 
waitre CAS04 +ClientAccess +slow +⟳ restart pending
# The state filter: the states are derived per row, scanned; the prompt
# says how to ask for one.
send u
send /
wait name, FQDN, or state:WORD (F1)
send state:failed
wait 1 of 7 servers  filter: state:failed_
waitre ^> CAS02 +ClientAccess +slow +⟳ failed: 
expect_not CAS04
send <C-u>
send state:pending
wait 1 of 7 servers  filter: state:pending_
waitre ^> CAS04 +ClientAccess +slow +⟳ restart pending
key Tab
send *
wait 1 marked  1 of 7 servers
key Esc
wait 1 marked  7 servers
send /state:bogus x
wait no state 'bogus': running, pending, drift, stopped, failed, unknown, other
key Esc
wait 1 marked  7 servers
send q
exit 0
VT
[ "$(grep -c '^start ' "$LOG")" = 2 ] ||
    fail "only CAS01 and CAS02 started: $(cat "$LOG")"

# Esc while running: the running one finishes, no other starts.
: >"$LOG"
: >"$TEST_TMP/fail"
echo 2 >"$TEST_TMP/delay"
console_run cancel <<'VT'
wait Servers > Servers
send *
send R
wait Rolling restart of 6 servers
send 1
key Enter
waitre CAS01 +running: 
key Esc
wait stopping: no new server is started
wait cancelled: no new server
key Down Down
wait done: 1 ok, 0 failed, 5 not started
key Esc
wait Servers > Servers
send q
exit 0
VT
[ "$(grep -c '^start ' "$LOG")" = 1 ] ||
    fail "only CAS01 started after Esc: $(cat "$LOG")"
