#!/usr/bin/env bash
# A large inventory: an unknown -Identity is answered with at most five
# close names read by a bounded query, never by listing every server; an
# import of 100,000 servers is audited row by row; the listings print every
# one of them in order with what each server's service shows, holding none
# of them in memory.
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


# 100,000 servers through import-servers: a tenth mailbox servers; the
# client access servers share two profiles or have none.
DB=$TMP/big.db
N=100000
awk -v n=$N 'BEGIN { print "Identity,Fqdn,Roles,Site,Profile"
    for (i = n - 1; i >= 0; i--)	# not in order: the store sorts
        printf "CAS%06d,cas%06d.contoso.test,%s,Site%d,%s\n", i, i,
            i % 10 == 9 ? "Mailbox" : "ClientAccess", i % 3,
            i % 3 == 0 ? "p1" : i % 3 == 1 ? "p2" : "" }' >"$TMP/big.csv"
# p1's nginx has loaded its file (a master named nginx whose workers
# started after the file was written); p2 names no pid file.
printf 'timeout 45s;\nproxy_timeout 20m;\n' >"$TMP/p1.conf"
printf 'timeout 50s;\nproxy_timeout 25m;\n' >"$TMP/p2.conf"
cp /bin/bash "$TMP/nginx"
"$TMP/nginx" -c 'sleep 600 & sleep 600 & wait' </dev/null >/dev/null 2>&1 &
NGINX=$!
echo $NGINX >"$TMP/nginx.pid"
stop_nginx() {	# only what this test started: the master and its workers
	kill $(cat /proc/$NGINX/task/$NGINX/children 2>/dev/null) $NGINX \
	    2>/dev/null
	rm -rf "$TMP"
}
trap stop_nginx EXIT
cat >"$TMP/big.conf" <<EOF
profile p1 {
	type = "nginx-mail"
	settings_file = "$TMP/p1.conf"
	pid_file = "$TMP/nginx.pid"
	check = {"true"}
	restart = {"true"}
}
profile p2 {
	type = "nginx-mail"
	settings_file = "$TMP/p2.conf"
	check = {"true"}
	restart = {"true"}
}
EOF
export IMAPADM_CONFIG=$TMP/big.conf

run import-servers -Path "$TMP/big.csv"
expect_rc 0 "import of 100,000 servers"
expect_out "imported $N servers from $TMP/big.csv" "import says how many"
run get-auditlog -Verify
expect_out "the audit log is intact: $N rows chained" \
    "every imported server audited, the chain whole"
run get-auditlog CAS050000 --format json
expect_json "[(a['Action'], a['What']) for a in j]" \
    "[('new-server', 'fqdn cas050000.contoso.test, roles ClientAccess, site Site2, profile (none)')]" \
    "one server's audit row, found among 100,000"

# The workers are up (the import took long enough; wait for them anyway).
for ((i = 0; i < 200; i++)); do
	[ -n "$(cat /proc/$NGINX/task/$NGINX/children 2>/dev/null)" ] && break
	read -rt 0.05 <> <(:) || :
done

# Imported servers adopt their profile's file (p1: 20:00/00:45, p2:
# 25:00/00:50); one of p1's is then changed, to differ from what runs.
run set-imapsettings CAS000003 -AuthenticatedConnectionTimeout 1800
expect_rc 0 "one p1 server changed after the import"

# The table: a header and every client access server, in identity order.
ncas=$((N - N / 10))
"$IMAPADM_BIN" --db "$DB" get-imapsettings --format table \
    >"$TMP/table" 2>"$TMP/table.err"
rc=$?
check
[ $rc = 0 ] && [ ! -s "$TMP/table.err" ] ||
	fail "table listing at 100k: exit $rc, $(head -3 "$TMP/table.err")"
check
[ "$(wc -l <"$TMP/table")" = $((ncas + 1)) ] ||
	fail "table listing: $(wc -l <"$TMP/table") lines, expected $((ncas + 1))"
awk 'NR > 1 { print $1 }' "$TMP/table" >"$TMP/ids"
check
sort -c "$TMP/ids" 2>/dev/null || fail "table listing: not in identity order"
check
! grep -q CAS000009 "$TMP/ids" || fail "table listing shows a mailbox server"
check
[ "$(tail -1 "$TMP/ids")" = CAS099998 ] || fail "last row is $(tail -1 "$TMP/ids")"
# Running is what each profile's service shows: p1's file as nginx loaded
# it (what was adopted, so nothing pending, but for the server changed
# since); unknown for p2 (no pid file: its adopted values were never pushed,
# so pending) and for no profile.
check
grep -qE '^CAS000000 +00:20:00 +00:00:45 +00:20:00 +00:00:45 +False$' "$TMP/table" ||
	fail "p1 row: $(grep '^CAS000000 ' "$TMP/table")"
check
grep -qE '^CAS000003 +00:30:00 +00:00:45 +00:20:00 +00:00:45 +True$' "$TMP/table" ||
	fail "changed p1 row: $(grep '^CAS000003 ' "$TMP/table")"
check
grep -qE '^CAS099997 +00:25:00 +00:00:50 +unknown +unknown +True$' "$TMP/table" ||
	fail "p2 row: $(grep '^CAS099997 ' "$TMP/table")"
check
grep -qE '^CAS099998 +00:30:00 +00:01:00 +unknown +unknown +False$' "$TMP/table" ||
	fail "no-profile row: $(grep '^CAS099998 ' "$TMP/table")"

# JSON: the same rows, each saying where its running values come from.
"$IMAPADM_BIN" --db "$DB" get-imapsettings --format json >"$TMP/json"
check
python3 - "$TMP/json" "$TMP/ids" "$TMP/p1.conf" $NGINX <<'PY' || fail "json listing at 100k"
import json, sys
j = json.load(open(sys.argv[1]))
ids = open(sys.argv[2]).read().split()
assert [s["Identity"] for s in j] == ids, "not the table's rows"
by = {s["Identity"]: s for s in j}
p1, p2, none = by["CAS000000"], by["CAS000001"], by["CAS000002"]
p1c = by["CAS000003"]
assert p1["AuthenticatedConnectionTimeout"] == 1200, p1
assert p1["RunningAuthenticatedConnectionTimeout"] == 1200, p1
assert p1["RunningPreAuthenticatedConnectionTimeout"] == 45, p1
assert p1["RunningSource"].startswith(
    "%s, loaded by nginx (pid %s), seen 20" % (sys.argv[3], sys.argv[4])), p1
assert p1["RestartPending"] is False, p1
assert p1["RestartPendingSource"].startswith(
    "configured equals running, as observed (%s, loaded by nginx" % sys.argv[3]), p1
assert p1c["RestartPending"] is True, p1c
assert p1c["RestartPendingSource"].startswith(
    "configured differs from running, as observed (%s, loaded by nginx" % sys.argv[3]), p1c
assert p2["RunningAuthenticatedConnectionTimeout"] is None, p2
assert p2["AuthenticatedConnectionTimeout"] == 1500, p2
assert p2["RestartPending"] is True, p2
assert p2["RunningSource"].startswith("unknown: the profile names no pid_file"), p2
assert none["RunningSource"] == "unknown: CAS000002 has no service profile", none
PY

# Streamed: a listing of 100,000 holds no more in memory than one of ten
# (it held every server: 8 to 13 times as much).
maxrss() {	# maxrss DB ARGS...: peak resident KiB of imapadm --db DB ARGS
	local db=$1
	shift
	# Under AddressSanitizer freed memory waits in a quarantine first:
	# without one, what is measured is what the program holds.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
	    "${MAXRSS:?the built tests/cli/maxrss}" "$IMAPADM_BIN" --db "$db" "$@"
}
head -11 "$TMP/big.csv" >"$TMP/small.csv"
"$IMAPADM_BIN" --db "$TMP/small.db" import-servers -Path "$TMP/small.csv" \
    >/dev/null 2>&1
for args in "get-imapsettings --format list" "get-server --format table" \
    "get-auditlog -ResultSize Unlimited --format table"; do
	small=$(maxrss "$TMP/small.db" $args)
	big=$(maxrss "$DB" $args)
	echo "$args: peak RSS $small KiB at 10 servers, $big KiB at 100,000"
	check
	[ "$big" -le $((small * 2)) ] ||
		fail "$args: peak RSS $big KiB at 100,000 servers, more than twice $small KiB at 10"
done

finish
