# On a vt100 (no alternate screen, no Home, End or page keys): quitting
# leaves no console on the screen, and the key bar and help name keys a
# vt100 has for the first and last line.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
for i in 1 2 3; do
	console_server "CAS0$i" cas01
done

console_run vt100-keys --term vt100 <<'VT'
wait Servers > Servers
wait g Top
wait G End
send G
row 5 > CAS03
send g
row 3 > CAS01
# A filter kept on the list: Esc clears it, and the bar says so.
send /2
key Tab
wait 1 of 3 servers  filter: 2
wait Esc Clear
key Esc
wait 3 servers
send g
key Enter
wait Server properties: CAS01
send ?
wait Home, g
wait End, G
wait g Top
send G
wait Home, ^A
wait End, ^E
key Esc
key Esc
wait Servers > Servers
# Enter on a filter opens the server; back on the list the filter stays,
# and so does the way to clear it.
send /3
key Enter
wait Server properties: CAS03
key Esc
wait 1 of 3 servers  filter: 3
wait Esc Clear
send q
exit 0
gone Servers > Servers
gone imapadm
VT

console_run xterm-quit --term xterm <<'VT'
wait Servers > Servers
expect_not g Top
send q
exit 0
gone Servers > Servers
VT
