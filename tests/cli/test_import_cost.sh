#!/usr/bin/env bash
# import-servers costs at most 4 times what sqlite3's own .import of the same
# CSV costs (issue 7's target is 5), counted in instructions (callgrind), so
# that a busy machine cannot make it pass or fail: 10,000 rows, half of them
# of a local nginx-mail profile whose values they adopt, as `make bench`
# imports them. What is cheaper must still be all there: every server with
# its imap4 row, its adopted values and its audit row in a chain that holds.
. "$(dirname "$0")/lib.sh"
LIMIT=4.0

if ! command -v valgrind >/dev/null; then
	echo "test_import_cost: valgrind is missing (scripts/install-deps)" >&2
	exit 1
fi
# Valgrind cannot run a binary built with AddressSanitizer.
if ldd "$IMAPADM_BIN" 2>/dev/null | grep -q libasan; then
	echo "test_import_cost: skipped: an ASan build (counted in build/)"
	exit 77
fi

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

# instructions CMD...: what CMD runs, counted by callgrind, in COUNT; its
# exit status in RC, its output in OUT and ERR.
instructions() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
	    >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	LAST="valgrind $*"
	COUNT=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$TMP/err")
}

instructions "$IMAPADM_BIN" --db "$DB" import-servers -Path "$TMP/10k.csv"
ours=$COUNT
expect_rc 0 "the import under callgrind"
expect_out "imported 10000 servers" "all of them"
expect_out "profile p1: 5000 servers adopted from the service" "adoption told"
instructions sqlite3 "$TMP/raw.db" ".import --csv $TMP/10k.csv t"
expect_rc 0 "sqlite3 .import under callgrind"
theirs=$COUNT
ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')
echo "import-servers, 10,000 rows: ${ours} instructions; sqlite3 .import: ${theirs}: ${ratio}x (at most ${LIMIT}x)"
check
awk -v r="$ratio" -v l="$LIMIT" 'BEGIN { exit !(r <= l) }' ||
    fail "import-servers costs ${ratio}x sqlite3's .import, more than ${LIMIT}x"

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
