#!/usr/bin/env bash
# Every audit row also goes to syslog (facility authpriv, ident imapadm), so
# a copy lives outside the database. The test listens on a socket of its own:
# imapadm runs in a private mount namespace (CI runs as root) whose /dev is a
# copy holding the test's socket as /dev/log; nothing outside changes.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ] || ! unshare --mount true 2>/dev/null; then
	echo "test_audit_syslog: needs root and mount namespaces; not run" >&2
	exit 0
fi

DEV=$TMP/dev
mkdir -m 755 "$DEV"
LOG=$TMP/syslog.received
# The listener: one datagram a line, as syslog(3) sends them.
python3 - "$DEV/log" "$LOG" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2] + ".ready", "w"):
    pass
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536).replace(b"\n", b" ") + b"\n")
PY
LISTENER=$!
trap 'kill "$LISTENER" 2>/dev/null; wait "$LISTENER" 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -e "$LOG.ready" ] && break; sleep 0.05; done
[ -e "$LOG.ready" ] || { echo "FAIL: the syslog listener did not start" >&2; exit 1; }

# in_ns ARGS...: imapadm ARGS in a mount namespace where /dev/log is ours.
in_ns() {
	unshare --mount --propagation private sh -c '
		dev=$1; shift
		for n in null zero random urandom tty; do
			: >"$dev/$n" && mount --bind "/dev/$n" "$dev/$n" || exit 97
		done
		mount --bind "$dev" /dev || exit 97
		exec "$@"' sh "$DEV" "$IMAPADM_BIN" --db "$DB" "$@" \
	    >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	LAST="(namespace) imapadm $*"
}

ID=SYSLOG$$
in_ns new-server "$ID" -Fqdn syslog.contoso.test -Roles ClientAccess
expect_rc 0 "a server is added inside the namespace"
in_ns set-imapsettings "$ID" -AuthenticatedConnectionTimeout 2700
expect_rc 0 "a time-out is changed"

# wait_for TEXT: the listener received a line with TEXT (5 s at most).
wait_for() {
	local i
	for i in $(seq 100); do
		grep -qF -- "$1" "$LOG" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
check
wait_for "server=$ID action=set-imapsettings" ||
    fail "syslog did not receive the set-imapsettings row: $(cat "$LOG" 2>/dev/null)"
line=$(grep -F "server=$ID action=set-imapsettings" "$LOG" | tail -n 1)
check
# <85>: facility authpriv (10) * 8 + severity notice (5).
case $line in
"<85>"*"imapadm["*"]: audit: user=$ME server=$ID action=set-imapsettings"*) ;;
*) fail "the syslog line is not authpriv.notice from imapadm naming $ME: $line" ;;
esac
check
case $line in
*"2700"*) ;;
*) fail "the syslog line does not say what changed: $line" ;;
esac
# The copy carries the row's own hash: it can be matched to the database.
hash=$(sqlite3 "$DB" "SELECT hash FROM audit WHERE server = '$ID' AND action = 'set-imapsettings' ORDER BY id DESC LIMIT 1")
check
[ -n "$hash" ] || fail "the audit row in the database has no hash"
check
case $line in *"hash=$hash"*) ;; *) fail "syslog's hash is not the row's ($hash): $line" ;; esac
check
grep -qF "server=$ID action=new-server" "$LOG" ||
    fail "the new-server row did not reach syslog"

finish
