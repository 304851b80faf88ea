#!/usr/bin/env bash
# The whole audit log of a server in the virtual list (L in the Audit
# section): one entry a line, newest first, the count in the header, End
# reaches the oldest entry, Enter shows an entry in full, Esc goes back.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01
console_server CAS02 cas01
# 150 changes of CAS01 (and one of CAS02, not in CAS01's log).
for ((i = 0; i < 150; i++)); do
	imapadm set-imapsettings CAS01 -AuthenticatedConnectionTimeout $((1800 + i % 2)) \
	    >/dev/null 2>&1
done
imapadm set-imapsettings CAS02 -AuthenticatedConnectionTimeout 2700 >/dev/null 2>&1
n=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE server = 'CAS01'")
[ "$n" -ge 150 ] || fail "expected at least 150 audit rows of CAS01, found $n"
first=$(sqlite3 "$DB" "SELECT action FROM audit WHERE server = 'CAS01' ORDER BY id LIMIT 1")

console_run audit-log <<VT
wait CAS01
key Enter
wait Server properties: CAS01
send 3
wait L shows the whole log
send L
wait Audit log: CAS01
wait $n entries, newest first
wait set-imapsettings
expect_not CAS02
key End
wait $first
key Enter
wait Audit entry
wait Server: CAS01
key Esc
wait Audit log: CAS01
key Home
key Enter
wait What: AuthenticatedConnectionTimeout 18
key Esc
wait Audit log: CAS01
key Esc
wait Server properties: CAS01
key Esc
wait Servers > Servers
send q
exit 0
VT
