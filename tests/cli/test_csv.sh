#!/usr/bin/env bash
# get-server --format csv: a header, one line per server, RFC 4180 quoting
# where a field needs it, read back by Python's csv module unchanged.
. "$(dirname "$0")/lib.sh"

HEADER="Identity,Fqdn,Roles,Site,Profile"

run get-server --format csv
expect_rc 0 "csv on an empty inventory"
expect_out_is "$HEADER" "only the header"

run new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess
run new-server cas02 -Fqdn cas02.contoso.test -Roles mailbox,clientaccess \
    -Site "Paris, Nord"
site=$'Z\xc3\xbcrich "Nord"'
run new-server MBX01 -Fqdn mbx01.contoso.test -Roles Mailbox -Site "$site"

run get-server --format csv
expect_rc 0 "get-server --format csv"
expect_err_empty "csv: no warnings"
expect_out_is "$HEADER
CAS01,cas01.contoso.test,ClientAccess,Default-First-Site-Name,
cas02,cas02.contoso.test,\"ClientAccess,Mailbox\",\"Paris, Nord\",
MBX01,mbx01.contoso.test,Mailbox,\"Z$(printf '\xc3\xbc')rich \"\"Nord\"\"\"," \
    "csv rows, quoted only where needed"
check
printf '%s\n' "$OUT" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert [r["Identity"] for r in rows] == ["CAS01", "cas02", "MBX01"], rows
assert rows[1]["Roles"] == "ClientAccess,Mailbox", rows[1]
assert rows[1]["Site"] == "Paris, Nord", rows[1]
assert rows[2]["Site"] == "Z\u00fcrich \"Nord\"", rows[2]
assert rows[0]["Profile"] == "", rows[0]
' || fail "python csv reads the values back"

run get-server CAS02 --format csv
expect_rc 0 "one server as csv"
expect_out_is "$HEADER
cas02,cas02.contoso.test,\"ClientAccess,Mailbox\",\"Paris, Nord\"," "one row"
run get-server --format=CSV
expect_rc 0 "format is case-insensitive"

# Only get-server writes CSV: the others say what they take.
run get-imapsettings --format csv
expect_rc 1 "get-imapsettings has no csv"
expect_err "invalid --format: 'csv' (valid: list, table, json)" "csv refused elsewhere"
run get-server --format xml
expect_rc 1 "bad format"
expect_err "invalid --format: 'xml' (valid: list, table, json, csv)" "get-server lists csv"
run help get-server
expect_out "list|table|json|csv" "help names csv"

# A row that did not come from new-server (control codes) is neutralised
# like every other output form: no raw escape reaches a terminal.
sqlite3 "$DB" "INSERT INTO server (identity, fqdn, roles, site) VALUES
    ('ESC1', 'esc1.contoso.test', 'Mailbox', 'S' || char(27) || '[2J' || char(10) || 'x')"
run get-server ESC1 --format csv
expect_rc 0 "csv of a raw row"
expect_out "ESC1,esc1.contoso.test,Mailbox,S?[2J?x," "control codes shown as ?"

finish
