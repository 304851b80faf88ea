#!/usr/bin/env bash
# The shared management host: admins run `sudo imapadm`, with real sudo, a
# sudoers drop-in and real Unix users made here (CI runs as root) and removed
# at the end. Root acting for an admin takes the roles, the database and the
# config from /etc/imapadm/imapadm.conf only, and audits the admin, not root.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "test_sudo: needs root to make users and a sudoers drop-in; not run" >&2
	exit 0
fi
command -v sudo >/dev/null || { echo "FAIL: sudo is not installed (scripts/install-deps installs it)" >&2; exit 1; }

VIEWER=imapadm-t-view$$
ADMIN=imapadm-t-adm$$
ETC=/etc/imapadm
SYSCONF=$ETC/imapadm.conf
DROPIN=/etc/sudoers.d/imapadm-test-$$
made_etc=
made_conf=
cleanup() {
	rm -f "$DROPIN"
	[ -n "$made_conf" ] && rm -f "$SYSCONF"
	[ -n "$made_etc" ] && rmdir "$ETC"
	for u in "$VIEWER" "$ADMIN"; do
		id "$u" >/dev/null 2>&1 && userdel -r "$u" >/dev/null 2>&1
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

if [ -e "$SYSCONF" ]; then
	# A real installation's file: never ours to replace.
	echo "test_sudo: $SYSCONF exists on this machine; not run (it is not ours to change)" >&2
	exit 0
fi
[ -d "$ETC" ] || { mkdir -m 755 "$ETC" && made_etc=1; }
for u in "$VIEWER" "$ADMIN"; do
	useradd -m -s /bin/sh "$u" || { echo "FAIL: useradd $u" >&2; exit 1; }
done
chmod 700 "$TMP"
SYSDB=$TMP/sys/imapadm.db
mkdir -m 700 "$TMP/sys"
cat >"$SYSCONF" <<CONF
database = "$SYSDB"
profile cas01 {
	type = "command"
	restart = {"true"}
}
roles {
	organization_management = {"root"}
	server_management = {"$ADMIN"}
	view_only = {"$VIEWER"}
}
CONF
made_conf=1
chmod 644 "$SYSCONF"
# SETENV lets the test hand IMAPADM_CONFIG through sudo: imapadm itself must
# ignore it.
printf '%s,%s ALL=(root) NOPASSWD:SETENV: %s\n' "$VIEWER" "$ADMIN" "$IMAPADM_BIN" >"$DROPIN"
chmod 440 "$DROPIN"
visudo -cf "$DROPIN" >/dev/null || { echo "FAIL: visudo rejects the drop-in" >&2; exit 1; }

# as USER ARGS...: USER runs `sudo imapadm ARGS...` from his own shell.
as() {
	local who=$1
	shift
	runuser -u "$who" -- sudo -n "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	LAST="$who: sudo $*"
}
sysget() {	# the system database, read by root for itself
	run_raw --config "$SYSCONF" get-imapsettings CAS01
}

run_raw --config "$SYSCONF" new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess -Profile cas01
expect_rc 0 "root makes the inventory in the system database"

# The viewer may look, through sudo, at the system database.
as "$VIEWER" "$IMAPADM_BIN" get-imapsettings CAS01
expect_rc 0 "a View-Only admin reads through sudo"
expect_field Identity CAS01 "he sees the system inventory"

# ... and is refused every change, whatever he brings of his own.
as "$VIEWER" "$IMAPADM_BIN" set-imapsettings CAS01 -AuthenticatedConnectionTimeout 2700
expect_rc 1 "View-Only: set-imapsettings refused"
expect_err "View-Only" "the refusal names his role"
home=$(getent passwd "$VIEWER" | cut -d: -f6)
runuser -u "$VIEWER" -- sh -c 'mkdir -p "$HOME/.config/imapadm" && cat >"$HOME/.config/imapadm/imapadm.conf"' <<CONF
roles {
	organization_management = {"$VIEWER"}
}
CONF
as "$VIEWER" "$IMAPADM_BIN" set-imapsettings CAS01 -AuthenticatedConnectionTimeout 2700
expect_rc 1 "his own ~/.config/imapadm/imapadm.conf does not count under sudo"
as "$VIEWER" IMAPADM_CONFIG="$home/.config/imapadm/imapadm.conf" "$IMAPADM_BIN" \
    set-imapsettings CAS01 -AuthenticatedConnectionTimeout 2700
expect_rc 1 "IMAPADM_CONFIG does not count under sudo"
expect_err "IMAPADM_CONFIG ignored" "it is said to be ignored"
as "$VIEWER" "$IMAPADM_BIN" --config "$home/.config/imapadm/imapadm.conf" \
    set-imapsettings CAS01 -AuthenticatedConnectionTimeout 2700
expect_rc 1 "--config refused under sudo"
expect_err "--config is not honoured" "the refusal says why"
as "$VIEWER" "$IMAPADM_BIN" --db "$home/own.db" get-server
expect_rc 1 "--db refused under sudo"
check
[ ! -e "$home/own.db" ] || fail "a refused --db was created"
sysget
expect_field AuthenticatedConnectionTimeout 00:30:00 "no attempt changed the value"

# The Server Management admin may change it; the audit names him, not root.
as "$ADMIN" "$IMAPADM_BIN" set-imapsettings CAS01 -AuthenticatedConnectionTimeout 2700
expect_rc 0 "Server Management: set-imapsettings through sudo"
sysget
expect_field AuthenticatedConnectionTimeout 00:45:00 "his change is saved"
expect_field ChangedBy "$ADMIN" "changed by him"
run_raw --config "$SYSCONF" get-auditlog CAS01 -ResultSize 1 --format json
expect_json "j[0]['User']" "$ADMIN" "the audit row names the admin, not root"

# A config that is not root's is refused outright under sudo.
chown "$VIEWER" "$SYSCONF"
as "$ADMIN" "$IMAPADM_BIN" get-server
expect_rc 1 "a system config not owned by root is refused"
expect_err "is not root's" "the refusal names the file's owner"
chown root "$SYSCONF"
chmod 666 "$SYSCONF"
as "$ADMIN" "$IMAPADM_BIN" get-server
expect_rc 1 "a world-writable system config is refused"
chmod 644 "$SYSCONF"

# Without sudo: roles in a file neither root's nor the database owner's
# are never applied (here they would make root View-Only).
cat >"$TMP/theirs.conf" <<CONF
roles {
	view_only = {"root"}
}
CONF
chown "$VIEWER" "$TMP/theirs.conf"
run --config "$TMP/theirs.conf" new-server CAS09 -Fqdn cas09.contoso.test -Roles ClientAccess
expect_rc 0 "roles from another user's file are not applied"
expect_err "roles in $TMP/theirs.conf ignored: the file is owned by uid" "and that is said"
chown root "$TMP/theirs.conf"
run --config "$TMP/theirs.conf" new-server CAS10 -Fqdn cas10.contoso.test -Roles ClientAccess
expect_rc 1 "root's own file's roles apply (root made View-Only)"

# A database path that is a symlink is never followed; as root, neither is
# one in a directory others may write to.
printf 'precious\n' >"$TMP/target"
ln -s "$TMP/target" "$TMP/link.db"
run_raw --db "$TMP/link.db" get-server
expect_rc 1 "a symlinked database is refused"
expect_err "is a symbolic link" "the refusal says why"
check
[ "$(cat "$TMP/target")" = precious ] || fail "the symlink's target was changed"
mkdir -m 1777 "$TMP/pub"
run_raw --db "$TMP/pub/imapadm.db" get-server
expect_rc 1 "as root, a database in a world-writable directory is refused"
check
[ ! -e "$TMP/pub/imapadm.db" ] || fail "the refused database was created"

finish
