#!/usr/bin/env bash
# get-imapsettings and set-imapsettings over a selection. get: a list,
# wildcards and a site show just those servers, in order; set: every server its own saved change and
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

# get-imapsettings over the same selections.
run get-imapsettings -Identity 'cas0*' --format json
expect_rc 0 "get over a wildcard"
expect_json "len(j)" 4 "four client access servers, the mailbox server left out"
expect_json "[r['Identity'] for r in j]" "['CAS01', 'CAS02', 'CAS03', 'CAS04']" "in order"
expect_json "j[3]['$AUTH']" 900 "CAS04's own value"
run get-imapsettings -Site South --format table
expect_rc 0 "get over a site"
expect_out "CAS04" "South's server"
expect_no_out "CAS01" "not North's"
run get-imapsettings -Server CAS02,CAS01 --format json
expect_json "[r['Identity'] for r in j]" "['CAS01', 'CAS02']" "a list, in identity order"
run get-imapsettings -Server CAS03
expect_rc 0 "-Server names one server"
expect_field Identity CAS03 "the one asked for"
run get-imapsettings -Identity CAS01,CAS1O
expect_rc 1 "a typo in a list"
expect_err "did you mean" "gets suggestions"

run set-imapsettings -Identity 'CAS0*,NOPE*' -$AUTH 900
expect_rc 1 "an item that matches nothing"
expect_err "no server matches NOPE*" "names the item"

finish
