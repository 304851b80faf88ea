# The seed procedure in the console, as an admin does it: Servers > Servers,
# CAS01, IMAP4, scroll, More options, set 900 and 120, Apply, restart, see
# the values running, OK; then the shell equivalent and the reopened page
# confirm them.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup --site Default-First-Site-Name --reload \
    --listeners "127.0.0.1:1143 (IMAP4)" \
    --backend "127.0.0.1:10143 (Dovecot)" --failing-restart
console_server CAS01 cas01
console_server CAS02 cas02
console_mailbox MBX01

console_run seed-procedure <<VT
# Header: product, site, who and which role.
wait imapadm
wait site: Default-First-Site-Name
wait user: $ME (Organization Management)
# 1. Servers > Servers, the client access server selected.
wait Servers > Servers
row 3 > CAS01       ClientAccess             cas01        unknown: never pushed
row 5   MBX01       Mailbox
attr CAS01 reverse
wait Enter/e Edit
key Enter
# 2. Its properties; IMAP4 is a page longer than the screen.
wait Server properties: CAS01
wait 1 General
wait cas01.contoso.test
key Tab
wait Listeners          127.0.0.1:1143 (IMAP4)
wait Status             running
wait lines 1–16 of
expect_not More options
# Scroll down to the link and follow it.
key PgDn
wait More options…
attr More options… reverse
key Enter
wait Time-out settings
wait Authenticated time-out (seconds)
wait valid: 30–86400
# 3. The two time-outs, typed over the saved values.
send 900
wait RFC 3501
key Enter
wait Unauthenticated time-out (seconds)
wait valid: 30–3600
send 120
wait unsaved changes
expect_not (disabled)
# 4. Apply: saved, then the restart question.
key Enter
wait ▸ [ Apply ]
key Enter
wait Restart the IMAP4 service on CAS01 now? [r]estart / re[l]oad / [n]ot now
wait ⟳ restart pending
# 5. Restart; the outcome says what runs now.
send r
wait IMAP4 restarted on CAS01
wait Now running on CAS01:
wait Authenticated time-out: 900 s
wait Unauthenticated time-out: 120 s
key Enter
gone IMAP4 restarted
# 6. The page confirms: configured and running, nothing pending.
wait configured: 900 s
wait running: 900 s
wait configured: 120 s
wait running: 120 s
gone restart pending
# Then OK closes the page.
key Down
wait ▸ [ OK ]
key Enter
wait Servers > Servers
waitre ^> CAS01 +ClientAccess +cas01 +pushed [0-9]+/[0-9]+ at [0-9][0-9]:[0-9][0-9]
send q
exit 0
VT

# The shell equivalent shows the same values, configured and running.
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get.out"
assert_has "$TEST_TMP/get.out" "AuthenticatedConnectionTimeout           : 00:15:00"
assert_has "$TEST_TMP/get.out" "PreAuthenticatedConnectionTimeout        : 00:02:00"
assert_has "$TEST_TMP/get.out" "RunningAuthenticatedConnectionTimeout    : 00:15:00"
assert_has "$TEST_TMP/get.out" "RunningPreAuthenticatedConnectionTimeout : 00:02:00"
assert_has "$TEST_TMP/get.out" "RestartPending                           : False"
assert_has "$TEST_TMP/get.out" "ChangedBy                                : $ME"
imapadm get-auditlog -Identity CAS01 >"$TEST_TMP/audit.out"
assert_has "$TEST_TMP/audit.out" "AuthenticatedConnectionTimeout 1800 -> 900"

# Reopening the page shows the same, and the audit section the change.
console_run seed-reopen <<VT
wait Servers > Servers
send e
wait Server properties: CAS01
send 2
wait Status             running
wait Authenticated time-out     configured: 900 s     running: 900 s
wait Unauthenticated time-out   configured: 120 s     running: 120 s
wait Last change
wait by $ME
wait Running seen       observe command of profile cas01, seen
send 3
wait Audit: last changes of CAS01
wait set-imapsettings
wait AuthenticatedConnectionTimeout 1800 -> 900,
wait PreAuthenticatedConnectionTimeout 60 -> 120
wait restart-imapservice
key Esc
wait Servers > Servers
send q
exit 0
VT
