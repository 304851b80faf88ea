#!/usr/bin/env bash
# Errors: usage mistakes exit 2, refusals exit 1, each names what was wrong,
# and none of them changes the database (or even creates one).
. "$(dirname "$0")/lib.sh"

AUTH=AuthenticatedConnectionTimeout

demo_servers
snapshot
n=$(audit_count)

usage() {	# usage what expected-message args...
	local what=$1 msg=$2
	shift 2
	run "$@"
	expect_rc 2 "$what"
	expect_err "$msg" "$what: message"
	expect_err_prefixed "$what"
	expect_out_empty "$what"
}

usage "unknown verb" "imapadm: unknown verb frobnicate (see imapadm --help)" \
    frobnicate
usage "verb typo" "unknown verb get-imapsetting; did you mean get-imapsettings? (see imapadm --help)" \
    get-imapsetting
usage "unknown parameter" \
    "unknown parameter -Host for get-imapsettings (see imapadm help get-imapsettings)" \
    get-imapsettings -Host CAS01
usage "parameter typo" "did you mean -AuthenticatedConnectionTimeout?" \
    set-imapsettings CAS01 -AuthenticatedConectionTimeout 60
usage "setting on a verb that takes none" "unknown parameter --$AUTH for get-imapsettings" \
    get-imapsettings --$AUTH=60
usage "unknown --param=value" "unknown parameter --bogus for get-server" \
    get-server --bogus=1
usage "missing value at the end" "missing value for -$AUTH" \
    set-imapsettings CAS01 -$AUTH
usage "missing value before a parameter" "missing value for -Identity" \
    set-imapsettings -Identity -$AUTH 60
usage "missing required parameter" "new-server needs -Identity" \
    new-server -Fqdn cas01.contoso.test -Roles ClientAccess
usage "no server named" "name the servers: -Identity NAME[,NAME...] (wildcards * and ?) or -Site SITE" \
    set-imapsettings -$AUTH 60
usage "no setting to set" \
    "set-imapsettings needs at least one of -$AUTH, -PreAuthenticatedConnectionTimeout" \
    set-imapsettings CAS01
usage "parameter given twice" "-$AUTH given twice" \
    set-imapsettings CAS01 -$AUTH 60 --authenticatedconnectiontimeout=70
usage "identity twice" "-Identity given twice" \
    set-imapsettings CAS01 -Identity CAS02 -$AUTH 60
usage "extra bare argument" "unexpected argument 'CAS02' for get-imapsettings" \
    get-imapsettings CAS01 CAS02
usage "switch with a value" "--reload takes no value (got 'yes')" \
    restart-imapservice CAS01 --reload=yes
usage "new-server without -Roles" "new-server needs -Roles" \
    new-server CAS05 -Fqdn cas05.contoso.test
usage "unknown global option" "unknown option --verbose (see imapadm --help)" \
    --verbose get-server
usage "global option without value" "missing value for --config" \
    get-server --config
usage "help for an unknown verb" "no verb named nope" help nope
usage "empty verb" "imapadm: empty verb: name one (see imapadm --help)" ""
usage "help for an empty verb" "imapadm: empty verb: name one (see imapadm --help)" \
    help ""

# A bad -Format value is a bad value: exit 1.
run get-imapsettings --format xml
expect_rc 1 "bad --format"
expect_err "invalid --format: 'xml' (valid: list, table, json)" "bad --format named"

# Unknown identities name the known servers, on every verb that takes one.
for verb in get-imapsettings restart-imapservice get-server remove-server; do
	run $verb -Identity CAS09
	expect_rc 1 "$verb unknown identity"
	expect_err "imapadm: no server named CAS09; did you mean CAS01, CAS02?" \
	    "$verb unknown identity message"
done
run set-imapsettings -Identity CAS09 -$AUTH 60
expect_rc 1 "set unknown identity"
expect_err "imapadm: no server named CAS09; did you mean CAS01, CAS02?" \
    "set unknown identity message"
run set-imapsettings -Identity "" -$AUTH 60
expect_rc 1 "empty identity"
expect_err "empty -Identity" "empty identity named"
run restart-imapservice CAS01
expect_rc 1 "restart without a profile"
expect_err "CAS01 has no service profile" "restart without a profile says why"

expect_unchanged "usage errors and refusals"
expect_audit "$n" "no audit row for errors"

# Usage errors stop before the database is opened: none is created.
"$IMAPADM_BIN" --db "$TMP/never.db" get-imapsettings -Bogus 1 2>/dev/null
RC=$?
expect_rc 2 "usage error with a new --db"
check
[ ! -e "$TMP/never.db" ] || fail "a usage error created the database"

# An empty --db is refused, not read as "the default database".
run_raw --db "" get-server
expect_rc 1 "empty --db"
expect_err "empty --db" "empty --db named"
# A database that cannot be opened is named.
run_raw --db /proc/no-such-dir/t.db get-server
expect_rc 1 "unopenable database"
expect_err "/proc/no-such-dir" "unopenable database named"
# Output that cannot be written is an error, not a silent success.
"$IMAPADM_BIN" --db "$DB" get-server >/dev/full 2>"$TMP/err"
RC=$?
ERR=$(cat "$TMP/err")
expect_rc 1 "output to a full disk"
expect_err "cannot write the output" "full disk reported"

# Config problems: named with file and line, exit 1.
run_raw --db "$DB" --config "$TMP/missing.conf" get-server
expect_rc 1 "missing --config file"
expect_err "$TMP/missing.conf" "missing config named"
printf 'site = "Lab"\nbogus_option = 1\n' >"$TMP/broken.conf"
run_raw --db "$DB" --config "$TMP/broken.conf" get-server
expect_rc 1 "broken config"
expect_err "$TMP/broken.conf:2" "broken config names file and line"
expect_err_prefixed "broken config"
IMAPADM_CONFIG=$TMP/broken.conf run get-server
expect_rc 1 "broken config from IMAPADM_CONFIG"

# --db and --config after the verb work too; IMAPADM_DB as well.
IMAPADM_DB=$DB run_raw get-server --format json
expect_rc 0 "IMAPADM_DB"
expect_json "len(j)" 3 "IMAPADM_DB reads the same database"
run_raw get-server --db "$DB" --format=json
expect_rc 0 "--db after the verb"
expect_json "len(j)" 3 "--db after the verb reads the database"

# A viewer: the current user only in view_only.
cat >"$TMP/viewer.conf" <<EOF
roles {
	view_only = {"$ME"}
}
EOF
export IMAPADM_CONFIG=$TMP/viewer.conf
snapshot
run get-imapsettings CAS01
expect_rc 0 "a viewer may view"
expect_field Identity CAS01 "viewer sees the settings"
run set-imapsettings CAS01 -$AUTH 3600
expect_rc 1 "viewer set refused"
expect_err "imapadm: $ME (View-Only Organization Management) may not change IMAP4 settings" \
    "viewer set message"
expect_out_empty "viewer set"
run set-imapsettings CAS01 -$AUTH abc
expect_rc 1 "viewer refused before the value is looked at"
expect_err "may not change IMAP4 settings" "viewer refused first"
run restart-imapservice CAS01
expect_rc 1 "viewer restart refused"
expect_err "imapadm: $ME (View-Only Organization Management) may not restart the IMAP4 service" \
    "viewer restart message"
run new-server CAS07 -Fqdn cas07.contoso.test -Roles ClientAccess
expect_rc 1 "viewer new-server refused"
expect_err "may not add or remove servers" "viewer new-server message"
run remove-server CAS02
expect_rc 1 "viewer remove-server refused"
expect_err "may not add or remove servers" "viewer remove-server message"
expect_unchanged "viewer refused"
expect_audit "$n" "viewer refusals write no audit row"

# Someone with no role at all may not even look.
cat >"$TMP/norole.conf" <<EOF
roles {
	organization_management = {"nobody-but-root-$$"}
}
EOF
IMAPADM_CONFIG=$TMP/norole.conf run get-imapsettings
expect_rc 1 "no role refused"
expect_err "$ME has no imapadm role and may not view servers" "no role message"
expect_out_empty "no role sees nothing"

finish
