# A View-Only Organization Management user sees everything the console
# shows, and the key bar says why nothing can be changed: fields are
# read-only, Apply, OK and restart refuse.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
# The inventory is made before the roles exist (the db owner may edit).
console_server CAS01 cas01
imapadm set-imapsettings CAS01 -AuthenticatedConnectionTimeout 2400 \
    >/dev/null
console_viewer

console_run read-only <<VT
wait user: $ME (View-Only Organization Management)
wait read-only: View-Only Organization Management
wait CAS01
key Enter
wait Server properties: CAS01
wait read-only: View-Only Organization Management may only view
wait read-only: View-Only Organization Management
send 2
wait Status             running
key PgDn
wait More options…
key Enter
# Everything visible ...
wait Time-out settings
wait [2400  ] valid: 30–86400
wait configured: 2400 s
wait [60    ] valid: 30–3600
wait [ Apply ]    [ OK ]    [ Close ]
# ... nothing editable: typing, Apply, OK and restart say why.
send 5
wait read-only: View-Only Organization Management may only view
expect_not [52400
key F2
wait Apply is disabled (read-only: View-Only Organization Management may only view)
key F10
wait OK is disabled
send R
wait read-only: View-Only Organization Management may only view
expect_not Restart the IMAP4
key Esc
wait Servers > Servers
send q
exit 0
VT

imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get.out"
assert_has "$TEST_TMP/get.out" "AuthenticatedConnectionTimeout           : 00:40:00"
assert_has "$TEST_TMP/get.out" "Version                                  : 1"
# The command line refuses the viewer as well.
if imapadm set-imapsettings CAS01 -AuthenticatedConnectionTimeout 900 \
    >"$TEST_TMP/set.out" 2>&1; then
	fail "set-imapsettings succeeded for a viewer"
fi
