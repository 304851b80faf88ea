#!/usr/bin/env bash
# import-servers: CSV in, validated like new-server, all or nothing in one
# transaction, every bad row named by FILE:LINE; get-server --format csv
# re-imports unchanged; 100,000 rows in seconds.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/imapadm.conf" <<'CONF'
site = "Paris"
profile cas-nginx {
	type = "command"
	restart = {"true"}
}
CONF
export IMAPADM_CONFIG=$TMP/imapadm.conf

# run_stdin FILE ARGS...: like run, with FILE on standard input.
run_stdin() {
	local in=$1
	shift
	"$IMAPADM_BIN" --db "$DB" "$@" <"$in" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	LAST="imapadm --db \$DB $* < $in"
}

# Needs -Path; help names it.
run import-servers
expect_rc 2 "no -Path"
expect_err "import-servers needs -Path" "missing -Path named"
run help import-servers
expect_out "-Path] <file>|-" "help shows -Path"
run help
expect_out "import-servers" "help lists import-servers"

# Column order may vary; Site and Profile are optional and default as
# new-server does (the config's site, no profile). CRLF and a BOM are fine.
printf '\xef\xbb\xbfRoles,fqdn,IDENTITY\r\nClientAccess,cas01.contoso.test,CAS01\r\nmailbox,mbx01.contoso.test,MBX01\r\n' \
    >"$TMP/a.csv"
run import-servers -Path "$TMP/a.csv"
expect_rc 0 "import with columns in another order"
expect_out "imported 2 servers from $TMP/a.csv" "says how many"
expect_err "warning: 1 client access server has no service profile" \
    "profile-less client access servers counted"
run get-server MBX01 --format list
expect_field Site Paris "site defaults to the config's"
expect_field Roles Mailbox "roles in the fixed form"
expect_field Profile "" "no profile"
expect_audit 2 "one audit row per imported server"
run get-auditlog --format json
expect_json "sorted(set(a['Action'] for a in j))" "['new-server']" \
    "audit rows like new-server's"

# --path and -Path - (standard input) read the same way.
printf 'Identity,Fqdn,Roles,Site,Profile\nCAS02,cas02.contoso.test,ClientAccess,Lyon,cas-nginx\n' \
    >"$TMP/b.csv"
run import-servers --path="$TMP/b.csv"
expect_rc 0 "--path=FILE"
printf 'Identity,Fqdn,Roles\nCAS03,cas03.contoso.test,ClientAccess\n' >"$TMP/c.csv"
run_stdin "$TMP/c.csv" import-servers -Path -
expect_rc 0 "-Path - reads stdin"
expect_out "imported 1 server from standard input" "stdin named"
run get-server CAS02 --format list
expect_field Profile cas-nginx "profile imported"
expect_field Site Lyon "site imported"

# Every bad row is reported, with its line, the column, the value and what
# is allowed; nothing is imported, not even the good rows.
snapshot
n=$(audit_count)
cat >"$TMP/bad.csv" <<'CSV'
Identity,Fqdn,Roles,Site,Profile
-bad,bad.contoso.test,ClientAccess,,
CAS10,cas10.contoso.test,Web,,
CAS11,a..b,Mailbox,,
CAS12,cas12.contoso.test,Mailbox,"Multi
Line",
CAS13,cas13.contoso.test,Mailbox,,nope
CAS14,cas14.contoso.test,Mailbox,,
cas14,cas14b.contoso.test,Mailbox,,
cas01,other.contoso.test,Mailbox,,
CAS15,cas15.contoso.test,Mailbox
CAS16,cas16.contoso.test,Mailbox,"x"y,
GOOD1,good1.contoso.test,Mailbox,,
CSV
run import-servers "$TMP/bad.csv"
expect_rc 1 "bad rows refused"
F=$TMP/bad.csv
expect_err "imapadm: $F:2: Identity '-bad': use 1-64 letters, digits, '-' and '_', starting with a letter or digit" "bad identity"
expect_err "imapadm: $F:3: Roles 'Web': use ClientAccess, Mailbox or ClientAccess,Mailbox" "bad roles"
expect_err "imapadm: $F:4: Fqdn 'a..b': use a host name such as cas01.contoso.test" "bad fqdn"
expect_err "imapadm: $F:5: Site 'Multi?Line': use up to 128 bytes of printable UTF-8 text" \
    "a quoted field over two lines: its first line, the value neutralised"
expect_err "imapadm: $F:7: Profile 'nope': no such service profile in $TMP/imapadm.conf (known: cas-nginx)" \
    "unknown profile (line numbers count the quoted newline)"
expect_err "imapadm: $F:9: Identity 'cas14': the same server as line 8" "duplicate in the file"
expect_err "imapadm: $F:10: Identity 'cas01': a server named CAS01 exists already" \
    "duplicate of a stored server"
expect_err "imapadm: $F:11: 3 fields, the header has 5" "short row"
expect_err "imapadm: $F:12: text after the closing quote of field 4 (double a quote inside a quoted field: \"\")" \
    "stray quote"
expect_err "imapadm: nothing imported: 9 errors in $F" "summary last"
check
[ "$(printf '%s\n' "$ERR" | wc -l)" = 10 ] || fail "one line per error and the summary"
expect_err_prefixed "bad rows"
expect_out_empty "nothing said on stdout"
expect_unchanged "nothing imported"
expect_audit "$n" "no audit rows"

# Header problems.
bad_file() {	# bad_file what expected-message content
	printf '%b' "$3" >"$TMP/h.csv"
	run import-servers -Path "$TMP/h.csv"
	expect_rc 1 "$1"
	expect_err "$2" "$1: message"
	expect_unchanged "$1"
}
bad_file "empty file" "$TMP/h.csv: empty: the first line must name the columns, such as Identity,Fqdn,Roles,Site,Profile" ""
bad_file "missing column" "$TMP/h.csv:1: no Fqdn column (needed: Identity, Fqdn, Roles; optional: Site, Profile)" \
    "Identity,Roles\nCAS20,Mailbox\n"
bad_file "unknown column" "$TMP/h.csv:1: unknown column 'Owner' (known: Identity, Fqdn, Roles, Site, Profile)" \
    "Identity,Fqdn,Roles,Owner\nCAS20,cas20.contoso.test,Mailbox,me\n"
bad_file "column twice" "$TMP/h.csv:1: column Roles given twice" \
    "Identity,Fqdn,Roles,roles\n"
bad_file "unterminated quote" "$TMP/h.csv:3: unterminated quoted field" \
    "Identity,Fqdn,Roles\nCAS20,cas20.contoso.test,Mailbox\nCAS21,\"cas21\n"
bad_file "NUL byte" "$TMP/h.csv:2: NUL byte: not a text file" \
    "Identity,Fqdn,Roles\nCAS20\0,cas20.contoso.test,Mailbox\n"
run import-servers -Path "$TMP/none.csv"
expect_rc 1 "missing file"
expect_err "cannot read $TMP/none.csv: No such file or directory" "missing file named"
run import-servers -Path "$TMP"
expect_rc 1 "a directory"
expect_err "cannot read $TMP:" "directory refused"
# A value that looks like a command stays a value: it is refused as a name.
printf 'Identity,Fqdn,Roles\n"$(touch %s/pwned)",x.contoso.test,Mailbox\n' "$TMP" >"$TMP/sh.csv"
run import-servers "$TMP/sh.csv"
expect_rc 1 "shell text refused"
check
[ ! -e "$TMP/pwned" ] || fail "a value reached a shell"
expect_unchanged "shell text"

# Round trip: an export re-imports unchanged into an empty database.
run new-server MBX02 -Fqdn mbx02.contoso.test -Roles Mailbox -Site 'Z\u00fcrich "Nord", 2'
run new-server MBX03 -Fqdn mbx03.contoso.test -Roles Mailbox,ClientAccess -Profile cas-nginx \
    -Site "$(printf 'Z\xc3\xbcrich')"
run get-server --format csv
expect_rc 0 "export"
printf '%s\n' "$OUT" >"$TMP/export.csv"
DB0=$DB
DB=$TMP/empty.db
run import-servers -Path "$TMP/export.csv"
expect_rc 0 "re-import into an empty database"
expect_out "imported 6 servers" "every server re-imported"
run get-server --format csv
check
[ "$OUT" = "$(cat "$TMP/export.csv")" ] || fail "round trip changed the CSV: $(diff "$TMP/export.csv" - <<<"$OUT")"
run import-servers -Path "$TMP/export.csv"
expect_rc 1 "a second import refuses the duplicates"
expect_err "nothing imported: 6 errors" "all six duplicates"
DB=$DB0

# 100,000 rows: one transaction, 64 rows a statement, seconds; side by
# side with sqlite3's own .import of the same file into a bare table.
python3 - "$TMP/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("Identity,Fqdn,Roles,Site,Profile\n")
    for i in range(100000):
        f.write("B%06d,b%06d.contoso.test,ClientAccess,Paris,cas-nginx\n" % (i, i))
PY
DB=$TMP/big.db
start=$(date +%s%N)
run import-servers -Path "$TMP/big.csv"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc 0 "100,000 rows"
expect_out "imported 100000 servers" "all of them"
start=$(date +%s%N)
sqlite3 "$TMP/raw.db" ".import --csv $TMP/big.csv raw" || fail "sqlite3 .import"
raw=$(( ($(date +%s%N) - start) / 1000000 ))
echo "import-servers 100000 rows: ${ms} ms; sqlite3 .import of the same file: ${raw} ms"
check
[ "$ms" -lt 20000 ] || fail "100,000 rows took ${ms} ms"
check
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM server; SELECT count(*) FROM imap4; SELECT count(*) FROM audit')" = "100000
100000
100000" ] || fail "servers, imap4 rows and audit rows"

finish
