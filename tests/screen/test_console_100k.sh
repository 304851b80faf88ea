# Servers > Servers with 100,000 servers (issue 7): the first screen shows
# rows (libmenu could not: "menu error -1" past 32,767), End reaches the
# last server, typing jumps into the middle, the filter finds one server
# out of 100,000 by its FQDN, the header counts with separators, and Esc
# back from a server page keeps the place; End's full redraw goes out in one
# write. Not timed: `make bench` is.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup

# CAS00000..CAS99998, then WEB01 whose FQDN alone says fabrikam.
awk 'BEGIN {
	print "Identity,Fqdn,Roles,Site,Profile"
	for (i = 0; i < 99999; i++)
		printf "CAS%05d,cas%05d.contoso.test,ClientAccess,Site1,cas01\n", i, i
	print "WEB01,owa.fabrikam.example,ClientAccess,Site2,cas01"
}' >"$TEST_TMP/servers.csv"
imapadm import-servers -Path "$TEST_TMP/servers.csv" >"$TEST_TMP/import.out" ||
    fail "import-servers failed: $(cat "$TEST_TMP/import.out")"
grep -q 'imported 100000 servers' "$TEST_TMP/import.out" ||
    fail "import-servers: $(cat "$TEST_TMP/import.out")"
imapadm set-imapsettings CAS50001 -AuthenticatedConnectionTimeout 1900 \
    >/dev/null

console_run first-screen-and-ends --timeout 20 <<'VT'
wait 100,000 servers
row 3 > CAS00000    ClientAccess             cas01        unknown: never pushed
row 21   CAS00018
expect_not menu error
key Down
row 4 > CAS00001
key PgDn
attr CAS00020 reverse
row 3   CAS00019
bytes_reset
key End
row 21 > WEB01       ClientAccess             cas01        unknown: never pushed
row 20   CAS99998
# Every row changed, sent in one piece (over ssh one packet, not one a
# line: ncurses 6.4 flushed at each cursor move until the first endwin).
writes_max 1
key Up
attr CAS99998 reverse
key PgUp
attr CAS99979 reverse
key Home
row 3 > CAS00000
# Typing goes to the first server at or after what was typed.
send CAS5
attr CAS50000 reverse
row 4   CAS50001    ClientAccess             cas01        ⟳ restart pending
key Down
attr CAS50001 reverse
key Enter
wait Server properties: CAS50001
key Esc
wait 100,000 servers
attr CAS50001 reverse
row 4 > CAS50001
row 3   CAS50000
send q
exit 0
VT

# How many servers each filter should find, counted from the file.
matches()
{
	awk -F, -v f="$1" 'NR > 1 && (index(tolower($1), f) ||
	    index(tolower($2), f)) { n++ } END { print n + 0 }' \
	    "$TEST_TMP/servers.csv"
}
n4=$(matches 9999)
n3=$(matches 999)
[ "$n4" -eq 18 ] && [ "$n3" -gt 100 ] && [ "$n3" -lt 1000 ] ||
    fail "unexpected inventory: $n4 and $n3 matches"

console_run filter-one-of-100k --timeout 20 <<VT
wait 100,000 servers
send /fabrikam
wait 1 of 100,000 servers  filter: fabrikam_
row 3 > WEB01       ClientAccess             cas01
gone CAS00000
key Esc
wait 100,000 servers
attr WEB01 reverse
send /9999
wait $n4 of 100,000 servers  filter: 9999_
row 3 > CAS09999
row 11   CAS89999
row 12   CAS99990
gone CAS00000
key End
attr CAS99998 reverse
key BS
wait $n3 of 100,000 servers  filter: 999_
attr CAS99998 reverse
key Tab
key Home
attr CAS00999 reverse
key Esc
wait 100,000 servers
attr CAS00999 reverse
send q
exit 0
VT
