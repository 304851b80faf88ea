#!/usr/bin/env bash
# A View-Only admin looks at a database he cannot write: another admin's,
# mode 0640, shared through a group. He can read it (list, settings, audit),
# is refused every change, and nothing he does creates or changes a file;
# a refused user's command creates no database either. Real Unix users made
# here (CI runs as root) and removed at the end.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "test_viewer_db: needs root to make users; not run" >&2
	exit 0
fi

OWNER=imapadm-t-own$$
VIEWER=imapadm-t-vw$$
GROUP=imapadm-t-g$$
cleanup() {
	for u in "$OWNER" "$VIEWER"; do
		id "$u" >/dev/null 2>&1 && userdel "$u" >/dev/null 2>&1
	done
	getent group "$GROUP" >/dev/null && groupdel "$GROUP"
	rm -rf "$TMP"
}
trap cleanup EXIT
groupadd "$GROUP" || { echo "FAIL: groupadd" >&2; exit 1; }
for u in "$OWNER" "$VIEWER"; do
	useradd -M -N -g "$GROUP" -s /bin/sh "$u" ||
	    { echo "FAIL: useradd $u" >&2; exit 1; }
done

# The owner's directory: his, readable by the group, writable by him only.
chmod 755 "$TMP"
SHARED=$TMP/shared
mkdir -m 750 "$SHARED"
chown "$OWNER:$GROUP" "$SHARED"
SDB=$SHARED/imapadm.db
CONF=$SHARED/imapadm.conf
cat >"$CONF" <<CONF
roles {
	server_management = {"$OWNER"}
	view_only = {"$VIEWER"}
}
CONF
chown "root:$GROUP" "$CONF"	# root's roles count for every database
chmod 640 "$CONF"

as() {	# as USER ARGS...: USER runs imapadm with the shared config and db
	local who=$1
	shift
	(cd "$TMP" && runuser -u "$who" -- "$IMAPADM_BIN" --config "$CONF" \
	    --db "$SDB" "$@") >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	LAST="$who: imapadm $*"
}
snapshot() {	# every file of the shared directory, with size, mtime, mode
	find "$SHARED" -printf '%p %s %T@ %m %u\n' | sort
}

as "$OWNER" new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess
expect_rc 0 "the owner makes his inventory"
as "$OWNER" set-imapsettings CAS01 -AuthenticatedConnectionTimeout 2700
expect_rc 0 "the owner changes a time-out"
# He shares it with his group: the database becomes 0640. imapadm keeps the
# files SQLite keeps beside it (-wal, -shm) as readable as the database.
chmod 640 "$SDB"
as "$OWNER" get-server
expect_rc 0 "the owner still reads his database"
for f in "$SDB" "$SDB-wal" "$SDB-shm"; do
	check
	[ -e "$f" ] || { fail "$f is kept between runs (a reader needs it)"; continue; }
	m=$(stat -c %a "$f")
	[ "$m" = 640 ] || fail "$f has mode $m, not the database's 640"
done

before=$(snapshot)
as "$VIEWER" get-server
expect_rc 0 "the viewer lists a database he cannot write"
expect_out CAS01 "he sees the owner's server"
as "$VIEWER" get-imapsettings CAS01
expect_rc 0 "the viewer reads the IMAP4 settings"
expect_field AuthenticatedConnectionTimeout 00:45:00 "he sees the owner's value"
as "$VIEWER" get-auditlog CAS01
expect_rc 0 "the viewer reads the audit log"
expect_out "$OWNER" "the audit names the owner"
as "$VIEWER" set-imapsettings CAS01 -AuthenticatedConnectionTimeout 900
expect_rc 1 "the viewer's change is refused"
expect_err "View-Only" "the refusal names his role"
as "$VIEWER" new-server CAS02 -Fqdn cas02.contoso.test -Roles ClientAccess
expect_rc 1 "the viewer may not add a server"
# The console, as he would use it: the list, the server's page, its
# IMAP4 settings, on the owner's database, in a pseudo-terminal.
check
(cd "$TMP" && "$VTDRIVE" --size 80x24 -- runuser -u "$VIEWER" -- \
    "$IMAPADM_BIN" --config "$CONF" --db "$SDB") >"$TMP/vt.out" 2>"$TMP/vt.err" <<VT
wait user: $VIEWER (View-Only Organization Management)
wait CAS01
key Enter
wait Server properties: CAS01
send 2
wait Status
key PgDn
wait More options…
key Enter
wait [2700  ] valid: 30–86400
key Esc
key Esc
wait Servers > Servers
send q
exit 0
VT
[ $? -eq 0 ] || { RC=; OUT=; ERR=$(cat "$TMP/vt.err"); fail "the viewer's console did not show the owner's database"; }
after=$(snapshot)
check
[ "$before" = "$after" ] || fail "the viewer's commands changed files:
$(diff <(echo "$before") <(echo "$after"))"
as "$OWNER" get-imapsettings CAS01
expect_field AuthenticatedConnectionTimeout 00:45:00 "the value is the owner's still"

# Someone who may not change anything creates nothing, not even a database.
NEWDB=$TMP/viewer-home/imapadm.db
mkdir -m 700 "$TMP/viewer-home"
chown "$VIEWER:$GROUP" "$TMP/viewer-home"
(cd "$TMP" && runuser -u "$VIEWER" -- "$IMAPADM_BIN" --config "$CONF" \
    --db "$NEWDB" set-imapsettings CAS01 -AuthenticatedConnectionTimeout 900) \
    >"$TMP/out" 2>"$TMP/err" </dev/null
RC=$?
OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err"); LAST="$VIEWER: imapadm --db NEW set-imapsettings"
expect_rc 1 "a View-Only user's change on a missing database is refused"
expect_err "$NEWDB" "the message names the database"
check
[ -z "$(ls -A "$TMP/viewer-home")" ] || fail "files were created: $(ls -A "$TMP/viewer-home")"

finish
