#!/usr/bin/env bash
# set-imapsettings over a selection: every server its own saved change and
# audit row (old -> new); -WhatIf shows each server's old -> new and saves
# nothing; -IfVersion is for one server; a bad value saves nothing anywhere;
# -Site narrows, -Server is -Identity's alias.
. "$(dirname "$0")/lib.sh"

AUTH=AuthenticatedConnectionTimeout
for i in 01 02 03 04; do
	site=North
	[ "$i" = 04 ] && site=South
	run new-server "CAS$i" -Fqdn "cas$i.contoso.test" -Roles ClientAccess -Site "$site"
done
run new-server MBX01 -Fqdn mbx01.contoso.test -Roles Mailbox
run set-imapsettings CAS02 -$AUTH 2700
expect_rc 0 "CAS02 starts at 2700"
before=$(snapshot)

run set-imapsettings -Identity 'CAS*' -$AUTH 3600 -WhatIf
expect_rc 0 "-WhatIf"
expect_out "What if: CAS01: $AUTH 00:30:00 -> 01:00:00 (3600 seconds)" "CAS01's old -> new"
expect_out "What if: CAS02: $AUTH 00:45:00 -> 01:00:00 (3600 seconds)" "CAS02's own old value"
expect_out "What if: 4 servers; nothing was changed" "the count"
check
[ "$(snapshot)" = "$before" ] || fail "-WhatIf changed the database"

run set-imapsettings -Identity 'CAS*' -$AUTH 99999
expect_rc 1 "an out-of-range value"
expect_err "99999" "the message names the value"
check
[ "$(snapshot)" = "$before" ] || fail "a bad value changed a server"

run set-imapsettings -Identity 'CAS*' -$AUTH 3600 -IfVersion 1
expect_rc 2 "-IfVersion with several servers"
expect_err "-IfVersion names one server's version, and 4 servers match" "says why"

n=$(audit_count)
run set-imapsettings -Site North -$AUTH 3600
expect_rc 0 "a site's servers"
expect_out "CAS01: $AUTH 00:30:00 -> 01:00:00" "CAS01 changed"
expect_out "CAS02: $AUTH 00:45:00 -> 01:00:00" "CAS02 changed from its own value"
expect_out "3 of 3 servers saved" "the summary"
expect_no_out "CAS04" "South's CAS04 untouched"
expect_audit $((n + 3)) "one audit row per server"
run get-imapsettings CAS03
expect_field $AUTH 01:00:00 "CAS03 saved"
run get-imapsettings CAS04
expect_field $AUTH 00:30:00 "CAS04 kept"

run set-imapsettings -Server 'CAS04,MBX*' -$AUTH 900
expect_rc 0 "the mailbox server matched by a wildcard is left out"
expect_err "1 matching server without the ClientAccess role left out" "and said so"
run get-imapsettings CAS04
expect_field $AUTH 00:15:00 "CAS04 changed through -Server"

run set-imapsettings -Identity 'CAS0*,NOPE*' -$AUTH 900
expect_rc 1 "an item that matches nothing"
expect_err "no server matches NOPE*" "names the item"

finish
