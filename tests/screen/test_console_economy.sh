# Redraw economy on the server properties page, for admins on slow SSH
# links: scrolling the IMAP4 page a line sends a scroll and a line, not the
# page; typing a digit sends the field, and the range verdict, notes and
# buttons only when they change. (Moving in the list: test_console_list.)
# Repainting the page at 80x24 takes about 1200 bytes, Tab to another
# section about 600.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01

console_run page-scroll-and-typing <<'VT'
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
wait lines 1–16 of 25
key Down
wait lines 9–24 of 25
attr More options… reverse
# One line down and up again, the focus staying on the link
# (160 bytes: the line, the scroll and "lines 10–25" in the header).
bytes_reset
key Down
wait lines 10–25 of 25
bytes_max 160
bytes_reset
key Up
wait lines 9–24 of 25
bytes_max 160
key Enter
wait ▸ Authenticated time-out (seconds)
key Up
wait ▸ Fewer options…
bytes_reset
key Up
wait lines 16–31 of 37
bytes_max 150
key Down
wait ▸ Authenticated time-out (seconds)
# The first digit replaces the value: the verdict, the note under the
# field, the buttons and the key bar all change.
bytes_reset
send 2
wait [2     ] … valid: 30–86400
wait [ Apply ]
bytes_max 400
# A digit that leaves the verdict as it was sends little more than itself.
bytes_reset
send 5
wait [25    ] … valid: 30–86400
bytes_max 60
bytes_reset
send 0
wait [250   ] valid: 30–86400
wait ⚠ RFC 3501
wait [ Apply ]
bytes_max 400
bytes_reset
send 0
wait [2500  ] valid: 30–86400
gone ⚠ RFC 3501
bytes_max 200
bytes_reset
send 0
wait [25000 ] valid: 30–86400
bytes_max 60
bytes_reset
key BS
wait [2500  ] valid: 30–86400
bytes_max 60
key Left
bytes_reset
send 1
wait [25010 ] valid: 30–86400
bytes_max 60
key Esc
wait Save changes to CAS01? [s]ave / [d]iscard / keep [e]diting
send d
wait Servers > Servers
send q
exit 0
VT
