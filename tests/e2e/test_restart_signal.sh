#!/bin/bash
# End to end: SIGTERM to restart-imapservice while the real nginx of CAS01
# is between its stop and its start. One signal: the restart runs to its
# end, nginx serves again with the new values, and imapadm says "nginx on
# CAS01 is running". Two signals: the restart is killed, and imapadm says
# "nginx on CAS01 is stopped" rather than leave that unsaid.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

e2e_start
e2e_inventory
SITE_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")/../site" && pwd)
p=$SITE/cas01

# The cas01 restart, slowed down between stop and start: it stops nginx,
# marks that, waits for this script's go, then starts it as usual.
python3 - "$CONF" "$SITE/slow.conf" "$SITE" "$SITE_LIB" "$p" <<'EOF' ||
import re, sys
src, dst, site, lib, p = sys.argv[1:6]
text = open(src).read()
m = re.search(r"profile cas01 \{.*?\n\}", text, re.S)
b = m.group(0)
script = ("kill -TERM $(cat %s/nginx.pid); touch %s/stopped; "
    "while [ ! -e %s/go ]; do sleep 0.05; done; exec %s/nginx-restart %s"
    % (p, site, site, lib, p))
nb = re.sub(r'restart = \{[^}]*\}', 'restart = {"/bin/sh", "-c", "%s"}' %
    script, b)
open(dst, "w").write(text[:m.start()] + nb + text[m.end():])
EOF
    e2e_die "cannot write the slow-restart config"

gone() { ! kill -0 "$1" 2>/dev/null; }
# wait_until LIMIT COMMAND...
wait_until() {
	local limit=$1 i=0
	shift
	while ! "$@"; do
		i=$((i + 1))
		[ "$i" -le $((limit * 20)) ] || return 1
		sleep 0.05
	done
}

# slow_restart NAME SIGNALS: restart CAS01 in the background, send SIGNALS
# TERMs once nginx is stopped, then let the restart go on; OUT, RC.
slow_restart() {
	local name=$1 n=$2 ipid
	rm -f "$SITE/stopped" "$SITE/go"
	"$IMAPADM_BIN" --config "$SITE/slow.conf" restart-imapservice \
	    -Identity CAS01 >"$SITE/$name.out" 2>&1 </dev/null &
	ipid=$!
	wait_until 20 test -e "$SITE/stopped" ||
	    e2e_die "$name: the restart did not stop nginx"
	kill -TERM "$ipid"
	wait_until 10 grep -q "a second signal kills it" "$SITE/$name.out" ||
	    fail "$name: the first signal was not answered at once"
	[ "$n" -lt 2 ] || kill -TERM "$ipid"
	touch "$SITE/go"
	wait_until 30 gone "$ipid" || e2e_die "$name: imapadm did not end"
	wait "$ipid"
	RC=$?
	OUT=$(cat "$SITE/$name.out")
}

run_cmd set adm set-imapsettings -Identity CAS01 \
    -AuthenticatedConnectionTimeout 40 -PreAuthenticatedConnectionTimeout 35
expect_rc "set-imapsettings" 0 || e2e_die "cannot save new values"

slow_restart one-signal 1
expect_out "the restart step ran on" "the step running then was let finish; none was started" &&
expect_out "the restart step ended well" "^  restart  ok " &&
expect_out "the state is said" "nginx on CAS01 is running" &&
pass "one SIGTERM: the restart finished and imapadm says nginx on CAS01 is running"
if python3 "$SITE_LIB/imapprobe.py" wait-ports --timeout 5 "$CAS01_IMAP_PORT" \
    >/dev/null 2>&1; then
	pass "nginx of CAS01 accepts IMAP connections after the signal"
else
	fail "one SIGTERM left nginx of CAS01 stopped: $OUT"
fi
expect_applied CAS01 35 40

run_cmd set2 adm set-imapsettings -Identity CAS01 -AuthenticatedConnectionTimeout 50
slow_restart two-signals 2
expect_rc "two signals" 1
expect_out "the kill is said" "a second signal killed the step running then" &&
expect_out "the state it left is said" "nginx on CAS01 is stopped" &&
pass "two SIGTERMs: the restart was killed and imapadm says nginx on CAS01 is stopped"
run_cmd get adm get-imapsettings -Identity CAS01
expect_out "still pending" '^RestartPending +: True$' &&
pass "the server stays restart-pending"
# Leave the site as found, for its stop script.
"$SITE_LIB/nginx-restart" "$p" >/dev/null 2>&1 || true

e2e_finish
