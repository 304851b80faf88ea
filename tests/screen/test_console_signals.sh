# SIGTERM, SIGHUP (a dropped SSH session) and SIGINT (Ctrl-C) end the
# console cleanly: curses ends (the terminal leaves the alternate screen),
# the exit status says which signal, what was saved stays saved and what
# was only typed is lost. A signal during a restart lets its step finish
# and starts no other; one during a status check stops the check.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup --slow-check
# A status command that hangs (as ssh to an unreachable host would).
cat >>"$CONF" <<'EOF'
profile hung {
	type = "command"
	restart = {"true"}
	status = {"sleep", "30"}
	timeout = 60
}
EOF
console_server CAS01 cas01
console_server CAS02 slow
console_server CAS03 hung

# Saved 2400, then typed 2500 without saving, then SIGTERM.
console_run sigterm-keeps-saved <<'VT'
wait Servers > Servers
key Enter
send 2
wait Status             running
key PgDn
key Enter
wait ▸ Authenticated time-out (seconds)
send 2400
key F2
wait Restart the IMAP4 service on CAS01 now?
send n
wait not restarted
send 2500
wait unsaved changes
signal TERM
exit 143
gone Server properties
gone imapadm
VT
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get.out"
assert_has "$TEST_TMP/get.out" "AuthenticatedConnectionTimeout           : 00:40:00"
assert_has "$TEST_TMP/get.out" "RestartPending                           : True"

# A signal while a dialog is open: the restart question is not answered
# (nothing restarts), the discard question neither (nothing more is saved).
console_run sigterm-in-restart-question <<'VT'
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
key PgDn
key Enter
wait ▸ Authenticated time-out (seconds)
send 2600
key F2
wait Restart the IMAP4 service on CAS01 now?
signal TERM
exit 143
VT
console_run sighup-in-discard-question <<'VT'
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
key PgDn
key Enter
wait ▸ Authenticated time-out (seconds)
send 2700
key Esc
wait Save changes to CAS01? [s]ave / [d]iscard / keep [e]diting
signal HUP
exit 129
VT
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get.out"
assert_has "$TEST_TMP/get.out" "AuthenticatedConnectionTimeout           : 00:43:20"
assert_has "$TEST_TMP/get.out" "RestartPending                           : True"
imapadm get-auditlog -Identity CAS01 >"$TEST_TMP/audit1.out"
if grep -q restart-imapservice "$TEST_TMP/audit1.out"; then
	fail "a restart ran after SIGTERM: $(cat "$TEST_TMP/audit1.out")"
fi

console_run sighup <<'VT'
wait Servers > Servers
row 3 > CAS01       ClientAccess             cas01        ⟳ restart pending
signal HUP
exit 129
gone Servers > Servers
VT

console_run ctrl-c <<'VT'
wait Servers > Servers
key Enter
wait Server properties: CAS01
send <C-c>
exit 130
gone Server properties
VT

# SIGTERM while the slow check runs: the check runs to its end, no other
# step starts (no restart after a signal), and the attempt is recorded
# before the console ends.
console_run sigterm-during-restart <<'VT'
wait Servers > Servers
key Down
key Enter
wait Server properties: CAS02
send R
wait Restart the IMAP4 service on CAS02 now?
send r
wait check…
signal TERM
exit 143
gone Restarting
VT
imapadm get-imapsettings -Identity CAS02 >"$TEST_TMP/get2.out"
assert_has "$TEST_TMP/get2.out" "PushedAuthenticatedConnectionTimeout     : unknown"
imapadm get-auditlog -Identity CAS02 >"$TEST_TMP/audit.out"
assert_has "$TEST_TMP/audit.out" "restart-imapservice"
assert_has "$TEST_TMP/audit.out" "not started"

# A status check only looks: a signal while it runs ends the console at
# once instead of after the command (here up to its 60 s time-out).
console_run sighup-during-status-check <<'VT'
wait Servers > Servers
key End
key Enter
wait Server properties: CAS03
send 2
wait Status             checking…
signal HUP
timeout 3
exit 129
VT

# Ctrl-\ (SIGQUIT) ends the console as SIGTERM does: curses ended, the
# terminal as it was (no core dump, no raw terminal left behind).
console_run sigquit <<'VT'
wait Servers > Servers
key Enter
wait Server properties: CAS01
signal QUIT
exit 131
gone Server properties
VT

# Ctrl-Z then fg (SIGTSTP, SIGCONT): the console comes back drawn and
# working, where it was.
console_run sigtstp-then-cont <<'VT'
wait Servers > Servers
key Enter
wait Server properties: CAS01
signal TSTP
settle 200
signal CONT
wait Server properties: CAS01
key Esc
wait Servers > Servers
send q
exit 0
VT
