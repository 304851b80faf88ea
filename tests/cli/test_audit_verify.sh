#!/usr/bin/env bash
# get-auditlog -Verify: the audit log's SHA-256 chain is whole as imapadm
# wrote it; a row deleted with sqlite3 (triggers dropped) is caught, and the
# first row it breaks is named.
. "$(dirname "$0")/lib.sh"

for i in 1 2 3; do
	run new-server "MBX0$i" -Fqdn "mbx0$i.contoso.test" -Roles Mailbox
done
run get-auditlog -Verify
expect_rc 0 "an untouched log verifies"
expect_out "the audit log is intact: 3 rows chained" "and says how many rows"

sqlite3 "$DB" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2;"
run get-auditlog -Verify
expect_rc 1 "a deleted row breaks the chain"
expect_err "the audit log is broken at row 3" "the first broken row is named"
finish
