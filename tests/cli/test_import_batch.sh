#!/usr/bin/env bash
# import-servers writes 64 rows a statement with triggers and foreign key
# checks off for its transaction (data/store_import.c): 10,000 rows, half of
# them of a local nginx-mail profile whose values they adopt, as `make bench`
# imports them (where its cost is measured against sqlite3's .import). What
# the batches write must all be there: every server with its imap4 row, its
# adopted values and its audit row in a chain that holds; and the triggers
# and keys work again afterwards.
. "$(dirname "$0")/lib.sh"

awk 'BEGIN { print "Identity,Fqdn,Roles,Site,Profile"
    for (i = 0; i < 10000; i++)
        printf "CAS%06d,cas%06d.contoso.test,ClientAccess,Site%d,%s\n", i, i,
            i % 7, i % 2 ? "p1" : "" }' >"$TMP/10k.csv"
printf 'timeout 60s;\nproxy_timeout 30m;\n' >"$TMP/p1.conf"
cat >"$TMP/imapadm.conf" <<CONF
profile p1 {
	type = "nginx-mail"
	settings_file = "$TMP/p1.conf"
	check = {"true"}
	restart = {"true"}
}
CONF
export IMAPADM_CONFIG=$TMP/imapadm.conf

run import-servers -Path "$TMP/10k.csv"
expect_rc 0 "the import"
expect_out "imported 10000 servers" "all of them"
expect_out "profile p1: 5000 servers adopted from the service" "adoption told"

# Nothing left out to get there.
check
[ "$(sqlite3 "$DB" "SELECT count(*) FROM server;
    SELECT count(*) FROM imap4;
    SELECT count(*) FROM imap4 i JOIN server s ON s.id = i.server_id
        WHERE (s.profile = 'p1') = (i.version = 1 AND i.changed_at IS NOT NULL);
    SELECT count(*) FROM imap4_value;
    SELECT count(DISTINCT born) FROM server;
    SELECT count(*) FROM audit WHERE action = 'new-server' AND hash IS NOT NULL")" = "10000
10000
10000
10000
10000
10000" ] || fail "servers, imap4 rows (version 1 where adopted), values, born, audit rows"
run get-imapsettings CAS000001
expect_field AuthenticatedConnectionTimeout 00:30:00 "an adopted value"
expect_field Version 1 "adopted is a saved change"
run get-auditlog CAS000001 --format json
expect_json "j[0]['What'].endswith('; adopted from the service: AuthenticatedConnectionTimeout 1800, PreAuthenticatedConnectionTimeout 60 ($TMP/p1.conf)')" \
    True "the audit row says what it adopted"
run get-auditlog -Verify
expect_rc 0 "the audit chain holds over the 10,000 rows"
# The numbering went on past the batch, and a removed server's rows go with
# it (the import's own connection: tests/unit/test_store_stream.c).
run new-server LATE01 -Fqdn late01.contoso.test -Roles Mailbox
expect_rc 0 "new-server after the import"
run remove-server CAS000001
expect_rc 0 "remove-server after the import"
check
[ "$(sqlite3 "$DB" "SELECT born FROM server WHERE identity = 'LATE01';
    SELECT count(*) FROM imap4_value WHERE server_id NOT IN (SELECT id FROM server)")" = "10001
0" ] || fail "born numbered by the trigger, the removed server's values gone"
finish
