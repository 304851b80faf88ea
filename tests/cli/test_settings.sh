#!/usr/bin/env bash
# get-imapsettings / set-imapsettings: defaults, both value forms, every
# range boundary, every class of bad value (refused, database untouched),
# the three output forms and one audit row per saved change.
. "$(dirname "$0")/lib.sh"

AUTH=AuthenticatedConnectionTimeout
PRE=PreAuthenticatedConnectionTimeout

demo_servers

# Defaults, as format-list.
run get-imapsettings -Identity CAS01
expect_rc 0 "get defaults"
expect_field Identity CAS01 "get defaults"
expect_field $AUTH 00:30:00 "default authenticated time-out"
expect_field $PRE 00:01:00 "default unauthenticated time-out"
expect_field Running$AUTH unknown "running unknown before a restart"
expect_field Running$PRE unknown "running unknown before a restart"
expect_field RestartPending False "nothing pending at first"
expect_err_empty "get defaults"
check
printf '%s\n' "$OUT" | grep -q "^$AUTH  *: 00:30:00\$" ||
    fail "list lines read 'Name : value'"

# Without -Identity: every client access server, not the mailbox server.
run get-imapsettings
expect_rc 0 "get all"
expect_out "Identity                                 : CAS01" "get all lists CAS01"
expect_out ": CAS02" "get all lists CAS02"
expect_no_out "MBX01" "get all skips the mailbox server"
check
[ "$(printf '%s\n' "$OUT" | grep -c '^$')" = 1 ] ||
    fail "two blocks are separated by one blank line"

# Set by seconds; the short authenticated value warns but is saved.
n=$(audit_count)
run set-imapsettings -Identity CAS01 -$AUTH 900
expect_rc 0 "set by seconds"
expect_out "CAS01: saved; restart pending (run: imapadm restart-imapservice -Identity CAS01)" \
    "set says restart pending"
expect_out "CAS01: $AUTH 00:30:00 -> 00:15:00 (900 seconds)" "set shows the change"
expect_err "imapadm: warning: $AUTH 00:15:00: RFC 3501" "RFC 3501 warning on stderr"
expect_audit $((n + 1)) "one audit row per saved change"
run get-imapsettings CAS01
expect_field $AUTH 00:15:00 "read back seconds"
expect_field $PRE 00:01:00 "other setting unchanged"
expect_field RestartPending True "pending after a save"
expect_field ChangedBy "$ME" "changed by the Unix user"

# Set by time span, both at once.
run set-imapsettings CAS01 -$AUTH 1.00:00:00 -$PRE 00:02:30
expect_rc 0 "set by time span"
expect_err_empty "no warning at one day"
expect_audit $((n + 2)) "one audit row for two values"
run get-imapsettings CAS01
expect_field $AUTH 1.00:00:00 "read back one day"
expect_field $PRE 00:02:30 "read back 150 s"
run get-imapsettings CAS01 --format json
expect_json "j[0]['$AUTH']" 86400 "json in seconds"
expect_json "j[0]['$PRE']" 150 "json in seconds"

# Every boundary: the last valid value is saved, one past it is refused.
for v in 30 86400; do
	run set-imapsettings CAS02 -$AUTH $v
	expect_rc 0 "$AUTH $v accepted"
	run get-imapsettings CAS02 --format json
	expect_json "j[0]['$AUTH']" $v "$AUTH $v saved"
done
for v in 30 3600; do
	run set-imapsettings CAS02 -$PRE $v
	expect_rc 0 "$PRE $v accepted"
	run get-imapsettings CAS02 --format json
	expect_json "j[0]['$PRE']" $v "$PRE $v saved"
done
snapshot
for v in 29 86401; do
	run set-imapsettings CAS02 -$AUTH $v
	expect_rc 1 "$AUTH $v refused"
	expect_err "$AUTH" "$AUTH $v: message names the parameter"
	expect_err "$v" "$AUTH $v: message names the value"
	expect_err "30-86400" "$AUTH $v: message gives the range"
	expect_out_empty "$AUTH $v refused"
done
for v in 29 3601; do
	run set-imapsettings CAS02 -$PRE $v
	expect_rc 1 "$PRE $v refused"
	expect_err "$PRE" "$PRE $v: message names the parameter"
	expect_err "$v" "$PRE $v: message names the value"
	expect_err "30-3600" "$PRE $v: message gives the range"
done
expect_unchanged "out-of-range values"

# Every class of bad value: exit 1, message, nothing written.
n=$(audit_count)
snapshot
for v in "" abc -5 1.5 99999999999999999999 12abc 00:60:00 0x3c \
    1e3 "60 s" 00:00:60 -00:30:00 +60 1800.0 ":" 1.2.3; do
	run set-imapsettings CAS01 -$AUTH "$v"
	expect_rc 1 "bad value '$v'"
	expect_err "imapadm: $AUTH: " "bad value '$v': message names the parameter"
	expect_err "30-86400" "bad value '$v': message gives the range"
	expect_err_prefixed "bad value '$v'"
	if [ -n "$v" ]; then
		expect_err "$v" "bad value '$v': message quotes the value"
	fi
	expect_out_empty "bad value '$v'"
done
run set-imapsettings CAS01 "--$PRE="
expect_rc 1 "empty --param= value"
expect_err "$PRE" "empty value names the parameter"
expect_unchanged "bad values"
expect_audit "$n" "refused values write no audit row"

# One good and one bad value: nothing is saved, both are checked.
run set-imapsettings CAS01 -$AUTH 3600 -$PRE 99999
expect_rc 1 "one bad value of two"
expect_err "$PRE: " "the bad one is named"
run set-imapsettings CAS01 -$AUTH abc -$PRE 99999
expect_rc 1 "two bad values"
expect_err "$AUTH: " "first bad value reported"
expect_err "$PRE: " "second bad value reported too"
expect_unchanged "partly bad set"

# Mailbox-only servers have no IMAP4 front end to configure.
run set-imapsettings MBX01 -$AUTH 1800
expect_rc 1 "set on a mailbox server"
expect_err "imapadm: MBX01 is not a client access server" "mailbox server refused"
run get-imapsettings MBX01
expect_rc 1 "get on a mailbox server"
expect_err "MBX01 is not a client access server" "get on a mailbox server says why"
expect_unchanged "mailbox server"

# Setting what is already configured: success, no audit row, no new version.
run get-imapsettings CAS01 --format json
version=$(json_get "j[0]['Version']")
run set-imapsettings CAS01 -$AUTH 86400
expect_rc 0 "unchanged value"
expect_out "CAS01: no change" "unchanged value says so"
expect_unchanged "unchanged value"
run get-imapsettings CAS01 --format json
expect_json "j[0]['Version']" "$version" "version kept when nothing changed"

# Case-insensitive verbs and parameters, every parameter syntax.
run SET-IMAPSETTINGS -identity cas01 -authenticatedconnectiontimeout 1200
expect_rc 0 "upper-case verb, lower-case parameters"
expect_out "CAS01: saved" "the stored name is printed"
run Set-ImapSettings --Identity=CAS01 --preauthenticatedconnectiontimeout=45
expect_rc 0 "--param=value"
run set-imapsettings -Identity:CAS01 -PreAuthenticatedConnectionTimeout:00:00:50
expect_rc 0 "PowerShell -Param:value"
run get-imapsettings --identity cas01
expect_field $AUTH 00:20:00 "lower-case set read back"
expect_field $PRE 00:00:50 "-Param:value read back"
run get-imapsettings CAS01 -FORMAT JSON
expect_rc 0 "format name case-insensitive"
expect_json "j[0]['Identity']" CAS01 "json identity"

# The three output forms.
run get-imapsettings --format json
expect_rc 0 "json"
check
printf '%s' "$OUT" | python3 -m json.tool >/dev/null 2>&1 || fail "json parses"
expect_json "len(j)" 2 "json lists both client access servers"
expect_json "j[1]['Running$AUTH']" None "running is null before a restart"
expect_json "j[0]['RestartPending']" True "restart_pending is a JSON boolean"
expect_json "j[1]['ChangedBy']" "$ME" "changed_by"
expect_json "list(j[0].keys())" \
    "['Identity', '$AUTH', '$PRE', 'Running$AUTH', 'Running$PRE', 'RunningSource', 'Drift', 'Pushed$AUTH', 'Pushed$PRE', 'RestartPending', 'RestartPendingSource', 'Version', 'ChangedBy', 'ChangedAt']" \
    "json keys are the list form's labels, in its order"
run get-imapsettings --format table
expect_rc 0 "table"
check
[ "$(printf '%s\n' "$OUT" | wc -l)" = 3 ] || fail "table: header and two rows"
check
printf '%s\n' "$OUT" | head -1 | grep -q "^Identity  *$AUTH  *$PRE  *Running$AUTH  *Running$PRE  *RestartPending\$" ||
    fail "table header names the configured and running columns"
check
printf '%s\n' "$OUT" | grep -q "^CAS02  *1.00:00:00  *01:00:00  *unknown  *unknown  *True\$" ||
    fail "table row for CAS02"
check
printf '%s\n' "$OUT" | grep -q ' $' && fail "table has trailing blanks"

# A value only a hand-edited database can hold is shown as stored, with a
# warning that names it and its range; it is not silently fixed.
run new-server CAS09 -Fqdn cas09.contoso.test -Roles ClientAccess
sqlite3 "$DB" "INSERT INTO imap4_value (server_id, name, configured)
    SELECT id, 'PreAuthenticatedConnectionTimeout', 29 FROM server
    WHERE identity = 'CAS09'" || fail "cannot edit the database by hand"
run get-imapsettings CAS09
expect_rc 0 "out-of-range stored value still listed"
expect_field PreAuthenticatedConnectionTimeout 00:00:29 "stored value shown as is"
expect_err "CAS09: the database holds PreAuthenticatedConnectionTimeout: value is too small: 29 (valid: 30-3600" \
    "stored out-of-range value named with its range"

# An empty inventory is not an error: nothing to list.
rm -f "$DB"
run get-imapsettings
expect_rc 0 "no servers"
expect_out_empty "no servers, list"
run get-imapsettings --format json
expect_out_is "[]" "no servers, json"

finish
