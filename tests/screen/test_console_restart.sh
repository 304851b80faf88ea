# Restarting the IMAP4 service from the console: a failing restart shows
# the command, its exit status and its error output and leaves the server
# restart pending (page, list, shell); a slow one shows its progress; a
# reload says what it does; R restarts with the saved values later.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup --reload --failing-restart --slow-check
console_server CAS01 cas01
console_server CAS02 cas02
console_server CAS03 slow

console_run restart-fails <<'VT'
wait Servers > Servers
key Down
key Enter
wait Server properties: CAS02
send 2
wait Status             running
key PgDn
key Enter
wait ▸ Authenticated time-out (seconds)
key Down
send 45
key F2
wait Restart the IMAP4 service on CAS02 now? [r]estart / [n]ot now
send r
wait IMAP4 restart failed on CAS02
wait Step: restart
wait Command: sh -c 'echo starting; echo boom >&2; exit 3'
wait Exit status: 3
wait Error output (last lines):
wait   boom
wait ⟳ CAS02 stays restart pending: the saved time-outs are not running.
key Enter
gone Exit status: 3
wait CAS02: IMAP4 restart failed; it stays restart pending
wait ⟳ restart pending
wait configured: 45 s
wait running: unknown
key Esc
wait Servers > Servers
# The list says why it is pending: its last restart failed.
row 4 > CAS02       ClientAccess             cas02        ⟳ failed: restart failed:
send q
exit 0
VT
imapadm get-imapsettings -Identity CAS02 >"$TEST_TMP/get.out"
assert_has "$TEST_TMP/get.out" "PreAuthenticatedConnectionTimeout        : 00:00:45"
assert_has "$TEST_TMP/get.out" "RunningPreAuthenticatedConnectionTimeout : unknown"
assert_has "$TEST_TMP/get.out" "RestartPending                           : True"
imapadm get-auditlog -Identity CAS02 >"$TEST_TMP/audit.out"
assert_has "$TEST_TMP/audit.out" "failed"

console_run progress-then-later-restart <<'VT'
wait Servers > Servers
key End
send e
wait Server properties: CAS03
send 2
wait Status             running
key PgDn
key Enter
wait ▸ Authenticated time-out (seconds)
send 3600
key F2
wait Restart the IMAP4 service on CAS03 now? [r]estart / [n]ot now
send n
wait not restarted: CAS03 stays restart-pending
wait ⟳ restart pending
key Esc
wait Servers > Servers
row 5 > CAS03       ClientAccess             slow         ⟳ restart pending
# Later, R on the page restarts with what is saved; the slow check shows
# the progress box with its step.
key Enter
wait Server properties: CAS03
send R
wait Restart the IMAP4 service on CAS03 now?
send r
wait Restarting IMAP4 on CAS03
wait check…
wait sleep 2
wait working: keys wait until this is done
wait IMAP4 restarted on CAS03
wait Authenticated time-out: 3600 s
key Enter
gone restart pending
send 2
wait configured: 3600 s
wait running: 3600 s
key Esc
wait Servers > Servers
waitre ^> CAS03 +ClientAccess +slow +pushed 3600/60 at [0-9][0-9]:[0-9][0-9]
send q
exit 0
VT

console_run reload <<'VT'
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
key PgDn
key Enter
wait ▸ Authenticated time-out (seconds)
send 7200
key F10
wait Restart the IMAP4 service on CAS01 now? [r]estart / re[l]oad / [n]ot now
send l
wait IMAP4 reloaded on CAS01
wait Authenticated time-out: 7200 s
wait Sessions already open keep the old time-outs
key Enter
# OK: the page closes once it is done.
wait Servers > Servers
waitre ^> CAS01 +ClientAccess +cas01 +pushed 7200/[0-9]+ at [0-9][0-9]:[0-9][0-9]
send q
exit 0
VT
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get1.out"
assert_has "$TEST_TMP/get1.out" "RunningAuthenticatedConnectionTimeout    : 02:00:00"

# The terminal changes size while a restart runs: once it is done the
# console fits the new size, also when it became too small (the keys typed
# meanwhile are dropped, the change of size is not).
console_run resize-during-restart <<'VT'
wait Servers > Servers
key End
send e
wait Server properties: CAS03
send R
wait Restart the IMAP4 service on CAS03 now?
send r
wait check…
resize 100x30
wait IMAP4 restarted on CAS03
row -1 Enter Close
key Enter
gone IMAP4 restarted
row -1 Tab Section
row -2 CAS03: IMAP4 restart done
send R
wait Restart the IMAP4 service on CAS03 now?
send r
wait check…
resize 70x20
wait terminal too small (need 80x24, have 70x20)
resize 80x24
wait IMAP4 restarted on CAS03
row -1 Enter Close
key Enter
gone IMAP4 restarted
row -1 Tab Section
key Esc
wait Servers > Servers
send q
exit 0
VT
