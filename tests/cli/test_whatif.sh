#!/usr/bin/env bash
# restart-imapservice -WhatIf shows, per server, the settings file's change
# (old -> new lines) and the commands that would run, and changes nothing:
# no file written, no command run, no audit row. -Confirm asks once on a
# terminal for several servers and refuses without one.
. "$(dirname "$0")/lib.sh"

RAN=$TMP/ran
cat >"$TMP/imapadm.conf" <<EOF
profile n {
	type = "nginx-mail"
	settings_file = "$TMP/imap.conf"
	check = {"/bin/sh", "-c", "echo check >>\$0", "$RAN"}
	restart = {"/bin/sh", "-c", "echo restart >>\$0", "$RAN"}
	status = {"echo", "running"}
}
EOF
export IMAPADM_CONFIG=$TMP/imapadm.conf
printf 'proxy_timeout 1800s;\ntimeout 60s;\n' >"$TMP/imap.conf"
for i in 01 02 03; do
	run new-server "CAS$i" -Fqdn "cas$i.contoso.test" -Roles ClientAccess -Profile n
done
run set-imapsettings CAS02 -AuthenticatedConnectionTimeout 2700
expect_rc 0 "CAS02 gets a change"
before_file=$(cat "$TMP/imap.conf")
before_db=$(snapshot)

run restart-imapservice -Identity 'CAS*' -WhatIf
expect_rc 0 "-WhatIf succeeds"
expect_out "What if: restarting the IMAP4 service of CAS02 (profile n)" "CAS02 is named"
expect_out "    - proxy_timeout 1800s;" "the line that goes"
expect_out "    + proxy_timeout 2700s;" "the line that comes"
expect_out "      timeout 60s;" "the line that stays"
expect_out "  check    /bin/sh -c 'echo check >>\$0' $RAN" "the check command"
expect_out "  restart  /bin/sh -c 'echo restart >>\$0' $RAN" "the restart command"
expect_out "What if: 3 servers; nothing was changed" "the count"
check
[ ! -e "$RAN" ] || fail "-WhatIf ran a command: $(cat "$RAN")"
check
[ "$(cat "$TMP/imap.conf")" = "$before_file" ] || fail "-WhatIf wrote the settings file"
check
[ "$(snapshot)" = "$before_db" ] || fail "-WhatIf changed the database (an audit row?)"
run restart-imapservice -Identity 'CAS*' -Site Elsewhere -WhatIf
expect_rc 1 "-WhatIf on a selection that matches nothing"
expect_err "no server in site Elsewhere matches CAS*" "names the site and pattern"

# -Confirm without a terminal: refused, nothing run.
run restart-imapservice -Identity 'CAS*' -Confirm
expect_rc 1 "-Confirm without a terminal"
expect_err "-Confirm asks on a terminal" "says why"
check
[ ! -e "$RAN" ] || fail "a refused -Confirm ran a command"

# On a terminal: "n" changes nothing, "y" restarts all three.
confirm() {	# confirm ANSWER: restart-imapservice -Confirm in a pty
	python3 - "$1" "$IMAPADM_BIN" --db "$DB" restart-imapservice \
	    -Identity 'CAS*' -Confirm >"$TMP/out" 2>"$TMP/err" <<'PY'
import os, pty, sys, select, time
answer, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
seen, end = b"", time.time() + 20
while b"[y/N]" not in seen and time.time() < end:
    if select.select([fd], [], [], 0.5)[0]:
        seen += os.read(fd, 4096)
os.write(fd, answer.encode() + b"\n")
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
PY
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	LAST="restart-imapservice -Identity 'CAS*' -Confirm, answered $1"
}
confirm n
expect_rc 1 "declined"
expect_out "Restart the IMAP4 service on 3 servers? [y/N]" "asked once, with the count"
expect_out "not confirmed: nothing was changed" "declining is said"
check
[ ! -e "$RAN" ] || fail "a declined -Confirm ran a command"
confirm y
expect_rc 0 "confirmed"
expect_out "3 ok, 0 failed, 0 not started, of 3 servers" "all three restarted"
check
[ "$(grep -c restart "$RAN")" = 3 ] || fail "three restarts ran: $(cat "$RAN" 2>/dev/null)"

finish
