#!/usr/bin/env bash
# A large inventory: an unknown -Identity is answered with at most five
# close names read by a bounded query, never by listing every server.
. "$(dirname "$0")/lib.sh"

run new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess
run new-server CAS02 -Fqdn cas02.contoso.test -Roles ClientAccess
run new-server CAS10 -Fqdn cas10.contoso.test -Roles ClientAccess
run new-server MBX01 -Fqdn mbx01.contoso.test -Roles Mailbox

# Small inventory: the close names, closest first, not the mailbox server.
run get-server CASX
expect_rc 1 "unknown identity"
expect_err "imapadm: no server named CASX; did you mean CAS01, CAS02, CAS10?" \
    "close names suggested"
expect_out_empty "unknown identity prints nothing on stdout"
run get-server ZZZZZZZZZZZZ
expect_rc 1 "unknown identity, nothing close"
expect_err "imapadm: no server named ZZZZZZZZZZZZ (no server has a close name; list them with imapadm get-server)" \
    "nothing close said so"

# 100,000 servers, written straight into the store.
sqlite3 "$DB" "
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
INSERT INTO server (identity, fqdn, roles, site, profile)
SELECT printf('S%05d', i), printf('s%05d.contoso.test', i), 'ClientAccess',
    'Default-First-Site-Name', '' FROM n;" || fail "setup: 100k servers"

for verb in get-server get-imapsettings remove-server; do
	start=$(date +%s%N)
	run $verb S1234
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "$verb S1234 at 100k servers: ${ms} ms"
	check
	[ "${#ERR}" -lt 200 ] || fail "$verb: message is ${#ERR} bytes, not a short line"
	ERR=${ERR:0:300}	# a failure report stays readable
	expect_rc 1 "$verb: unknown identity at 100k"
	expect_err "imapadm: no server named S1234; did you mean S12340, S12341, S12342, S12343, S12344?" \
	    "$verb: five close names at 100k"
done
# A typo before the end is still found among the neighbours.
run get-server S9999
ERR=${ERR:0:300}
expect_err "did you mean S99990, S99991, S99992, S99993, S99994?" "neighbours after"
run get-server S99999X
ERR=${ERR:0:300}
expect_err "did you mean S99999, " "closest name first"

finish
