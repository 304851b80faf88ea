# Esc or Cancel with unsaved changes asks "Save changes to CAS01? [s]ave /
# [d]iscard / keep [e]diting": s saves as Apply does, then leaves; d
# discards and leaves; e or Esc goes back to the form with the edits.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01

console_run keep-then-discard <<'VT'
timeout 3
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
key PgDn
wait More options…
key Enter
wait ▸ Authenticated time-out (seconds)
send 900
wait unsaved changes
key Esc
wait Save changes to CAS01? [s]ave / [d]iscard / keep [e]diting
send e
gone Save changes to CAS01?
wait [900   ] valid: 30–86400
wait ▸ Authenticated time-out (seconds)
key Esc
wait Save changes to CAS01?
key Esc
gone Save changes to CAS01?
wait [900   ] valid: 30–86400
# From another section too, and through the Cancel button.
key Tab Tab
wait ▸ [ Apply ]
key Right Right
wait ▸ [ Cancel ]
key Enter
wait Save changes to CAS01? [s]ave / [d]iscard / keep [e]diting
send d
wait Servers > Servers
send q
exit 0
VT
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get.out"
assert_has "$TEST_TMP/get.out" "AuthenticatedConnectionTimeout           : 00:30:00"
assert_has "$TEST_TMP/get.out" "Version                                  : 0"

console_run save-and-leave <<'VT'
timeout 3
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
key PgDn
wait More options…
key Enter
wait ▸ Authenticated time-out (seconds)
send 900
key Tab Tab
wait ▸ [ Apply ]
key Tab
wait Audit: last changes of CAS01
key Esc
wait Save changes to CAS01? [s]ave / [d]iscard / keep [e]diting
send s
wait Restart the IMAP4 service on CAS01 now? [r]estart / [n]ot now
send n
wait Servers > Servers
row 3 > CAS01       ClientAccess             cas01        ⟳ restart pending
send q
exit 0
VT
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get2.out"
assert_has "$TEST_TMP/get2.out" "AuthenticatedConnectionTimeout           : 00:15:00"
assert_has "$TEST_TMP/get2.out" "RestartPending                           : True"
