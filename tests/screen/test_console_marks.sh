# Bulk edit: with servers marked, Enter opens the time-out form for all of
# them: "was: mixed" where their values differ (the field starts empty and
# an empty field keeps each server's own), "was: N s" where they agree, the
# same inline range checks; Enter saves each server with its own audit row.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
for i in 01 02 03; do
	console_server "CAS$i" cas01
done
console_mailbox MBX01
imapadm set-imapsettings CAS02 -AuthenticatedConnectionTimeout 2700 \
    >/dev/null

console_run bulk-all <<'VT'
wait Servers > Servers
send *
wait 4 marked  4 servers
key Enter
wait Edit 3 marked servers: Time-out settings
wait 1 marked server without the ClientAccess role left out
wait was: mixed
wait empty: each keeps its own
wait was: 60 s
send 10
key Enter
wait Authenticated time-out: 10 is too small
key Backspace Backspace
send 2400
key Tab
send 45
key Enter
wait saved 3 servers, 0 unchanged, 0 refused
wait Servers > Servers
wait 4 marked
send q
exit 0
VT
for i in 01 02 03; do
	imapadm get-imapsettings -Identity "CAS$i" >"$TEST_TMP/get$i.out"
	assert_has "$TEST_TMP/get$i.out" "AuthenticatedConnectionTimeout           : 00:40:00"
	assert_has "$TEST_TMP/get$i.out" "PreAuthenticatedConnectionTimeout        : 00:00:45"
	imapadm get-auditlog "CAS$i" --format json >"$TEST_TMP/audit$i.json"
	grep -q '45' "$TEST_TMP/audit$i.json" || fail "CAS$i has its own audit row"
done

# A mixed field left empty keeps each server's value.
imapadm set-imapsettings CAS03 -AuthenticatedConnectionTimeout 3000 \
    >/dev/null
console_run bulk-keep <<'VT'
wait Servers > Servers
key Down
key Space Space
wait 2 marked
key Enter
wait Edit 2 marked servers
wait was: mixed
wait was: 45 s
key Tab
send 40
key Enter
wait saved 2 servers
send q
exit 0
VT
imapadm get-imapsettings -Identity CAS02 >"$TEST_TMP/get02.out"
assert_has "$TEST_TMP/get02.out" "AuthenticatedConnectionTimeout           : 00:40:00"
assert_has "$TEST_TMP/get02.out" "PreAuthenticatedConnectionTimeout        : 00:00:40"
imapadm get-imapsettings -Identity CAS03 >"$TEST_TMP/get03.out"
assert_has "$TEST_TMP/get03.out" "AuthenticatedConnectionTimeout           : 00:50:00"
assert_has "$TEST_TMP/get03.out" "PreAuthenticatedConnectionTimeout        : 00:00:40"
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get01.out"
assert_has "$TEST_TMP/get01.out" "PreAuthenticatedConnectionTimeout        : 00:00:45"
