#!/usr/bin/env bash
# get-server / new-server / remove-server and get-auditlog: the inventory,
# its validation (nothing added on a bad value) and the audit trail.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/imapadm.conf" <<'EOF'
site = "Paris"
profile cas-nginx {
	type = "command"
	restart = {"true"}
}
profile spare {
	type = "command"
	restart = {"true"}
}
EOF

# A fresh database is empty.
run get-server
expect_rc 0 "get-server on a new database"
expect_out_empty "no servers yet"
run get-server --format json
expect_out_is "[]" "no servers yet, json"

run new-server -Identity CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess
expect_rc 0 "new-server"
expect_out "CAS01: added (ClientAccess, cas01.contoso.test, site Default-First-Site-Name)" \
    "new-server says what it added"
expect_err "warning: CAS01 has no service profile" "no profile warned"
expect_audit 1 "new-server writes one audit row"

# Roles are case-insensitive and stored in a fixed form; site and profile
# come from the config.
IMAPADM_CONFIG=$TMP/imapadm.conf run new-server cas02 -Fqdn cas02.contoso.test \
    -Roles "mailbox, clientaccess" -Profile CAS-NGINX
expect_rc 1 "profile names are exact"
expect_err "invalid -Profile 'CAS-NGINX': no such service profile in $TMP/imapadm.conf (known: cas-nginx, spare)" \
    "unknown profile named with the known ones"
IMAPADM_CONFIG=$TMP/imapadm.conf run new-server cas02 -Fqdn cas02.contoso.test \
    -Roles "mailbox, clientaccess" -Profile cas-nginx
expect_rc 0 "new-server with profile"
expect_err_empty "no warning with a profile"
run new-server MBX01 -Fqdn mbx01.contoso.test -Roles Mailbox -Site Lyon
expect_rc 0 "mailbox server"
expect_err_empty "no profile warning for a mailbox server"
expect_audit 3 "one audit row per added server"

run get-server -Identity CAS02
expect_rc 0 "get-server one, found case-insensitively"
expect_out "cas02  " "identity kept as typed"
run get-server cas02 --format list
expect_field Identity cas02 "list identity"
expect_field Roles ClientAccess,Mailbox "roles in fixed order and case"
expect_field Site Paris "site from the config"
expect_field Profile cas-nginx "profile stored"
run get-server mbx01 --format list
expect_field Site Lyon "explicit site"
expect_field Profile "" "no profile"

run get-server
expect_rc 0 "get-server table"
check
[ "$(printf '%s\n' "$OUT" | head -1)" = "Identity  Fqdn                Roles                 Site                     Profile" ] ||
    fail "table header"
check
[ "$(printf '%s\n' "$OUT" | wc -l)" = 4 ] || fail "header and three rows"
check
printf '%s\n' "$OUT" | grep -q ' $' && fail "table has trailing blanks"
run get-server --format json
expect_json "[s['Identity'] for s in j]" "['CAS01', 'cas02', 'MBX01']" "json identities"
expect_json "j[1]['Roles']" "['ClientAccess', 'Mailbox']" "json roles as a list"
expect_json "j[0]['Profile']" None "json profile null when none"

# JSON escapes what a site may hold: quotes, backslashes, UTF-8.
site=$'Z\xc3\xbcrich "Nord" \\ 2'
run new-server MBX02 -Fqdn mbx02.contoso.test -Roles Mailbox -Site "$site"
expect_rc 0 "site with quotes, backslash and UTF-8"
run get-server MBX02 --format json
check
printf '%s' "$OUT" | python3 -m json.tool >/dev/null 2>&1 || fail "escaped JSON parses"
expect_json "j[0]['Site'] == '''$site'''" True "site survives JSON"
run remove-server MBX02
expect_rc 0 "remove MBX02"
n=$(audit_count)

# Refused additions change nothing.
snapshot
bad() {	# bad what expected-message args...
	local what=$1 msg=$2
	shift 2
	IMAPADM_CONFIG=$TMP/imapadm.conf run new-server "$@"
	expect_rc 1 "$what"
	expect_err "$msg" "$what: message"
	expect_out_empty "$what"
}
bad "duplicate" "a server named CAS01 exists already" \
    CAS01 -Fqdn x.contoso.test -Roles Mailbox
bad "duplicate in another case" "a server named CAS01 exists already" \
    cas01 -Fqdn x.contoso.test -Roles Mailbox
bad "space in name" "invalid -Identity 'CAS 03'" \
    "CAS 03" -Fqdn x.contoso.test -Roles Mailbox
bad "name starting with -" "invalid -Identity '-x'" \
    -Identity -x -Fqdn x.contoso.test -Roles Mailbox
bad "empty name" "invalid -Identity ''" \
    "" -Fqdn x.contoso.test -Roles Mailbox
bad "long name" "invalid -Identity" \
    "$(printf 'A%.0s' $(seq 65))" -Fqdn x.contoso.test -Roles Mailbox
bad "bad fqdn" "invalid -Fqdn 'cas_03.contoso.test'" \
    CAS03 -Fqdn cas_03.contoso.test -Roles ClientAccess
bad "fqdn with empty label" "invalid -Fqdn 'cas03..test'" \
    CAS03 -Fqdn cas03..test -Roles ClientAccess
bad "fqdn ending in -" "invalid -Fqdn 'cas03-'" \
    CAS03 -Fqdn cas03- -Roles ClientAccess
bad "unknown role" "invalid -Roles 'Hub': use ClientAccess, Mailbox or ClientAccess,Mailbox" \
    CAS03 -Fqdn cas03.contoso.test -Roles Hub
bad "empty role" "invalid -Roles 'ClientAccess,'" \
    CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess,
bad "empty site" "invalid -Site '': name a site, or leave it out for the default" \
    CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess -Site ""
bad "control codes in the site" "invalid -Site 'Paris?[2J'" \
    CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess -Site $'Paris\e[2J'
bad "site not UTF-8" "invalid -Site 'Z?rich'" \
    CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess -Site $'Z\xfcrich'
check
case "$ERR" in *$'\e'*|*$'\xfc'*) fail "raw control codes or bytes in a message" ;; esac
bad "unknown profile" "invalid -Profile 'nope': no such service profile" \
    CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess -Profile nope
run new-server CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess -Profile cas-nginx
expect_rc 1 "profile without a config file"
expect_err "invalid -Profile 'cas-nginx': no config file is loaded" \
    "says no config file is loaded"
expect_unchanged "refused new-server"
expect_audit "$n" "refused additions write no audit row"

# Removal.
run remove-server CAS09
expect_rc 1 "remove unknown"
expect_err "imapadm: no server named CAS09; did you mean CAS01, cas02?" \
    "remove unknown names the known servers"
expect_unchanged "remove unknown"
run remove-server -Identity Mbx01
expect_rc 0 "remove-server"
expect_out_is "MBX01: removed" "remove-server says so"
expect_audit $((n + 1)) "remove writes one audit row"
run get-server MBX01
expect_rc 1 "removed server is gone"

# The audit log: newest first, filtered, sized.
run get-auditlog
expect_rc 0 "get-auditlog"
check
printf '%s\n' "$OUT" | head -1 | grep -q '^At  *User  *Server  *Action  *Outcome  *What$' ||
    fail "audit table header"
check
printf '%s\n' "$OUT" | sed -n 2p | grep -q "$ME  *MBX01  *remove-server" ||
    fail "newest entry first"
run get-auditlog -Identity MBX01 --format json
expect_rc 0 "audit of a removed server"
expect_json "[a['Action'] for a in j]" "['remove-server', 'new-server']" \
    "a removed server keeps its audit rows"
run get-auditlog -ResultSize 2 --format json
expect_json "len(j)" 2 "-ResultSize limits"
run get-auditlog -ResultSize unlimited --format json
expect_json "len(j)" $((n + 1)) "-ResultSize Unlimited"
expect_json "j[0]['User']" "$ME" "audit user"
run get-auditlog CAS01 --format list
expect_field Action new-server "audit list form"
expect_field Server CAS01 "audit list server"
for v in 0 -1 abc 1.5 99999999999999999999; do
	run get-auditlog -ResultSize "$v"
	expect_rc 1 "-ResultSize $v"
	expect_err "invalid -ResultSize '$v'" "-ResultSize $v named"
done
run get-auditlog -Identity NOSUCH
expect_rc 1 "audit of a name never seen"
expect_err "no server named NOSUCH" "audit of a name never seen says so"

finish
