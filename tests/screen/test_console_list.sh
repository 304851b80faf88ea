# Servers > Servers: moving through a list longer than the screen, the
# filter typed as you go, help from the keymap, a terminal too small and
# back, and that moving the selection sends a few bytes, not a screen.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
for i in $(seq -w 1 30); do
	console_server "CAS$i" cas01
done
console_mailbox MBX01
imapadm set-imapsettings CAS07 -AuthenticatedConnectionTimeout 1900 >/dev/null

console_run navigate <<'VT'
wait 31 servers
row 3 > CAS01
row 9   CAS07       ClientAccess             cas01        ⟳ restart pending
expect_not CAS30
key Down
row 4 > CAS02
send j
row 5 > CAS03
send k
row 4 > CAS02
# A page down moves the view and the selection by a page (19 rows).
key PgDn
wait MBX01
attr CAS14 reverse
expect_not CAS12
key End
row 21 > MBX01       Mailbox                  -            not client access
send g
row 3 > CAS01
send G
attr MBX01 reverse
key Home
attr CAS01 reverse
key PgDn PgUp
attr CAS01 reverse
# Help comes from the same keymap table.
send ?
wait Help: keys of Servers > Servers
wait Server list (now)
wait Enter, e, o          open the properties of the selected server
wait /                    filter the servers by name or FQDN as you type
wait other letters and digits go to the first server at or after what you type
wait Typing a filter
key Esc
wait Servers > Servers
send q
exit 0
VT

console_run filter <<'VT'
wait 31 servers
send /
wait filter: _
wait Esc Clear
send 2
wait 12 of 31 servers  filter: 2_
row 3 > CAS02
row 4   CAS12
gone CAS01
send 7
wait 1 of 31 servers  filter: 27_
row 3 > CAS27
send x
wait 0 of 31 servers  filter: 27x_
wait no server name or FQDN contains "27x" (Esc clears the filter)
key BS BS BS
send mbx
wait 1 of 31 servers  filter: mbx_
row 3 > MBX01
# Esc clears the filter, keeping the selection.
key Esc
wait 31 servers
attr MBX01 reverse
# Tab keeps a filter and gives the list keys back; Enter opens.
send /cas07
key Tab
wait 1 of 31 servers  filter: cas07
wait Enter/e Edit
send e
wait Server properties: CAS07
wait ⟳ restart pending
key Esc
wait 1 of 31 servers  filter: cas07
key Esc
wait 31 servers
send q
exit 0
VT

console_run resize-and-economy <<'VT'
wait 31 servers
# Moving the selection repaints two rows, not the screen.
bytes_reset
key Down
attr CAS02 reverse
bytes_max 400
bytes_reset
key Up
attr CAS01 reverse
bytes_max 400
# Too small says so; keys wait; enlarged, it is all back.
resize 60x20
wait terminal too small (need 80x24, have 60x20)
send q
resize 79x24
wait terminal too small (need 80x24, have 79x24)
# Narrower, the message shortens rather than lose what is needed.
resize 30x2
wait too small, need 80x24
wait enlarge it; Ctrl-C quits
resize 20x5
wait need 80x24
resize 100x30
wait Servers > Servers
wait 31 servers
attr CAS01 reverse
wait CAS25
expect_not CAS26
key Enter
wait Server properties: CAS01
resize 80x23
wait terminal too small (need 80x24, have 80x23)
resize 80x24
wait Server properties: CAS01
wait [ Apply ]    [ OK ]    [ Cancel ]
key Esc
wait Servers > Servers
send q
exit 0
VT
