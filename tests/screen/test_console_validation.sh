# Inline range checking on the IMAP4 page: every boundary just outside its
# range is flagged beside the field with the range (below the minimum once
# the field is left), letters are refused on
# the spot, empty is invalid, Apply and OK are disabled and refuse, focus
# stays until the value is fixed or Esc restores it; the RFC 3501 warning
# does not block; Tab moves between fields and buttons; leaving with
# unsaved changes asks first. Nothing is saved.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01

console_run range-checks <<'VT'
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
key PgDn
wait More options…
key Enter
wait ▸ Authenticated time-out (seconds)
wait [1800  ] valid: 30–86400
wait [ Apply ]
# One below the minimum: a digit more could mend it, so no cross yet.
send 29
wait [29    ] … valid: 30–86400
expect_not ✗
# Focus may not leave, and says how to get out; now the cross shows.
key Enter
wait Authenticated time-out: 29 is too small; fix it or Esc restores 1800
wait [29    ] ✗ too small, valid: 30–86400
# Apply and OK are disabled: dimmed where they always are.
wait [ Apply ]    [ OK ]    [ Cancel ]
wait ▸ Authenticated time-out (seconds)
key Tab
wait Authenticated time-out: 29 is too small; fix it or Esc restores 1800
wait ▸ Authenticated time-out (seconds)
# Apply and OK refuse too (F2 / F10 are their keys).
key F2
wait Apply is disabled: Authenticated time-out: 29 is too small
wait Server properties: CAS01
# Esc restores the saved value.
key Esc
wait restored the saved value of Authenticated time-out
wait [1800  ] valid: 30–86400
wait [ Apply ]    [ OK ]    [ Cancel ]
# Letters are refused on the spot, the value stays.
send x
wait only digits go in Authenticated time-out: 'x' refused
wait [1800  ]
# Empty is invalid.
key BS BS BS BS
wait [      ] … valid: 30–86400
key Down
wait Authenticated time-out is empty; fix it or Esc restores 1800
wait [      ] ✗ required, valid: 30–86400
# One above the maximum.
send 86401
wait [86401 ] ✗ too large, valid: 30–86400
key BS
send 0
wait [86400 ] valid: 30–86400
wait [ Apply ]
# Under 1800 is valid but warned (RFC 3501), and Apply stays on.
key BS BS BS BS BS
send 1799
wait [1799  ] valid: 30–86400
wait ⚠ RFC 3501 §5.4 asks for at least 30 minutes (1800 s)
wait [ Apply ]    [ OK ]
# The unauthenticated time-out: 29 and 3601 flagged with its own range.
key Enter
wait ▸ Unauthenticated time-out (seconds)
send 3601
wait [3601  ] ✗ too large, valid: 30–3600
key Up
wait Unauthenticated time-out: 3601 is too large; fix it or Esc restores 60
key F10
wait OK is disabled
key BS BS BS BS
send 29
wait [29    ] … valid: 30–3600
key BS BS
send 3600
wait [3600  ] valid: 30–3600
expect_not ✗
# Leaving with unsaved changes asks; e keeps editing, d discards.
key Esc
wait Save changes to CAS01? [s]ave / [d]iscard / keep [e]diting
send e
gone Save changes to CAS01?
wait changes kept
wait [3600  ]
key Esc
wait Save changes to CAS01? [s]ave / [d]iscard / keep [e]diting
send d
wait Servers > Servers
send q
exit 0
VT

# Tab and Shift-Tab go from control to control as in any form: in a field
# they move to the next and previous item (not another section), and an
# invalid value holds them as it holds Down and Enter. Out of the fields,
# on a button, Tab changes the section again.
console_run tab-in-fields <<'VT'
wait Servers > Servers
key Enter
wait Server properties: CAS01
key Tab
wait Status             running
key PgDn
key Enter
wait ▸ Authenticated time-out (seconds)
wait Enter/Tab Next  Esc Restore/Close  F2 Apply
expect_not Tab Section
key Tab
wait ▸ Unauthenticated time-out (seconds)
attr " 2 IMAP4 " reverse
key Tab
wait ▸ [ Apply ]
wait Tab Section
key Up
wait ▸ Unauthenticated time-out (seconds)
key BTab
wait ▸ Authenticated time-out (seconds)
attr " 2 IMAP4 " reverse
send 29
key Tab
wait Authenticated time-out: 29 is too small; fix it or Esc restores 1800
wait ▸ Authenticated time-out (seconds)
key BTab
wait Authenticated time-out: 29 is too small; fix it or Esc restores 1800
wait ▸ Authenticated time-out (seconds)
attr " 2 IMAP4* " reverse
send 0
key Tab
wait ▸ Unauthenticated time-out (seconds)
key Tab
wait ▸ [ Apply ]
key Tab
wait Audit: last changes of CAS01
attr " 3 Audit" reverse
wait unsaved changes on IMAP4 are kept
key BTab
wait ▸ [ Apply ]
attr " 2 IMAP4* " reverse
key Esc
wait Save changes to CAS01? [s]ave / [d]iscard / keep [e]diting
send d
wait Servers > Servers
send q
exit 0
VT

# Nothing was saved.
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get.out"
assert_has "$TEST_TMP/get.out" "AuthenticatedConnectionTimeout           : 00:30:00"
assert_has "$TEST_TMP/get.out" "PreAuthenticatedConnectionTimeout        : 00:01:00"
assert_has "$TEST_TMP/get.out" "Version                                  : 0"

# Cancel (the button) asks the same; a restart declined leaves the server
# restart pending on the page, in the list and for the shell.
console_run cancel-and-decline <<'VT'
wait Servers > Servers
key Enter
send 2
wait Status             running
key PgDn
key Enter
wait ▸ Authenticated time-out (seconds)
send 2400
key Enter Enter Down Down
wait ▸ [ Cancel ]
key Enter
wait Save changes to CAS01? [s]ave / [d]iscard / keep [e]diting
key Esc
gone Save changes to CAS01?
key Up Up
wait ▸ [ Apply ]
key Enter
wait Restart the IMAP4 service on CAS01 now? [r]estart / [n]ot now
send n
wait not restarted: CAS01 stays restart-pending
wait configured: 2400 s
wait running: unknown
key PgUp
wait ⟳ restart pending: the saved values are not running yet
key Esc
wait Servers > Servers
row 3 > CAS01       ClientAccess             cas01        ⟳ restart pending
send q
exit 0
VT
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get2.out"
assert_has "$TEST_TMP/get2.out" "AuthenticatedConnectionTimeout           : 00:40:00"
assert_has "$TEST_TMP/get2.out" "RestartPending                           : True"
