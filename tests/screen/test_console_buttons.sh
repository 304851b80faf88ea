# The buttons: Left and Right move the focus between Apply, OK and
# Cancel. Tab on a button changes the section, and never silently leaves
# unsaved changes behind: the IMAP4 tab shows a change marker and the edits
# are still there on coming back. Nothing is saved.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01

console_run left-right <<'VT'
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
key Tab Tab
wait ▸ [ Apply ]
key Right
wait ▸ [ OK ]
key Right
wait ▸ [ Cancel ]
key Right
wait ▸ [ Cancel ]
key Left
wait ▸ [ OK ]
key Left
wait ▸ [ Apply ]
key Left
wait ▸ [ Apply ]
expect_not ▸ Unauthenticated
# Edits, then Tab away from the section: marked, and kept.
key Up
wait ▸ Unauthenticated time-out (seconds)
send 120
wait unsaved changes
key Tab
wait ▸ [ Apply ]
attr " 2 IMAP4* " reverse
key Tab
wait Audit: last changes of CAS01
wait 2 IMAP4*
wait unsaved changes on IMAP4 are kept
attr " 3 Audit" reverse
send 1
wait General
wait 2 IMAP4*
send 2
wait ▸ [ Apply ]
wait [120   ] valid: 30–3600
key Up
wait ▸ Unauthenticated time-out (seconds)
key C-u
send 60
gone unsaved changes
gone IMAP4*
key Tab
wait ▸ [ Apply ]
key Tab
wait Audit: last changes of CAS01
expect_not unsaved changes on IMAP4
send q
wait Servers > Servers
send q
exit 0
VT
