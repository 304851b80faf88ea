# The state filter over 100,000 servers: the state is derived per row (the
# settings file read back), not stored, so the list is scanned a slice at a
# time from the idle hook; the title says how far it got, keys keep
# working meanwhile, Esc stops the scan keeping what it found, and a scan
# to the end finds the pending servers and only them.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup

awk 'BEGIN {
	print "Identity,Fqdn,Roles,Site,Profile"
	for (i = 0; i < 100000; i++)
		printf "CAS%05d,cas%05d.contoso.test,ClientAccess,Site1,cas01\n", i, i
}' >"$TEST_TMP/servers.csv"
imapadm import-servers -Path "$TEST_TMP/servers.csv" >"$TEST_TMP/import.out" ||
    fail "import-servers failed: $(cat "$TEST_TMP/import.out")"
for id in CAS00007 CAS50001 CAS99990; do
	imapadm set-imapsettings "$id" -AuthenticatedConnectionTimeout 1900 \
	    >/dev/null
done

console_run scan-stop --timeout 30 <<'VT'
wait 100,000 servers
send /state:pending
waitre scanning… [0-9,]+ of 100,000, [0-9] found
# Keys work while it scans: the selection moves.
key Down
key Esc
waitre scan stopped after [0-9]+ of 100000: [0-9] found
waitre stopped at [0-9,]+ of 100,000, [0-9] found
row 3 > CAS00007
key Esc
wait 100,000 servers
send q
exit 0
VT

console_run scan-all --timeout 60 <<'VT'
wait 100,000 servers
send /state:pending
key Tab
wait 3 of 100,000 servers  filter: state:pending
row 3 > CAS00007    ClientAccess             cas01        ⟳ restart pending
row 4   CAS50001    ClientAccess             cas01        ⟳ restart pending
row 5   CAS99990    ClientAccess             cas01        ⟳ restart pending
expect_not CAS00008
send *
wait 3 marked  3 of 100,000 servers
send q
exit 0
VT
