# Two admins at once: the page is open in the console when the shell saves
# other values; the console notices, refuses Apply with who and when, shows
# their values once and reloads the page with them. The console's value is not
# saved over theirs.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup --no-profile
OPENED=$TEST_TMP/opened.fifo
mkfifo "$OPENED"
# The status command, run when the IMAP4 section is first shown (so after
# the page has read the settings), tells this script by writing the fifo;
# it blocks until the script reads, at most the profile's time-out.
cat >>"$CONF" <<EOF
profile cas01 {
	type = "command"
	restart = {"true"}
	status = {"sh", "-c", "echo opened >\"\$0\"; echo running", "$OPENED"}
	timeout = 20
}
EOF
console_server CAS01 cas01

# The other admin: once the page is open, set other values from the shell.
(
	timeout 30 sh -c 'read line <"$1"' sh "$OPENED" &&
	    imapadm set-imapsettings -Identity CAS01 \
	    -AuthenticatedConnectionTimeout 00:20:00 \
	    -PreAuthenticatedConnectionTimeout 90
) >"$TEST_TMP/cli.out" 2>&1 &
CLI_PID=$!
on_exit "kill $CLI_PID 2>/dev/null"

console_run refused-with-who-and-when <<VT
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
# The shell has saved: the page says so before Apply is tried.
wait changed by $ME since read
key PgDn
key Enter
wait ▸ Authenticated time-out (seconds)
send 900
key F2
wait Not saved: changed by someone else
# The same Unix user elsewhere is "you, in another session"; their values
# are listed once, not also inside the message.
wait CAS01 was changed by you, in another session, at
wait since it was opened;
wait nothing saved.
wait Their values:
wait   Authenticated time-out: 1200 s
wait   Unauthenticated time-out: 90 s
expect_not AuthenticatedConnectionTimeout 1200
expect_not saved by $ME
wait The page now shows their values
key Enter
gone Not saved
wait [1200  ] valid: 30–86400
wait configured: 1200 s
key Enter
wait [90    ] valid: 30–3600
wait configured: 90 s
gone changed by $ME since read
gone unsaved changes
key Esc
wait Servers > Servers
send q
exit 0
VT
wait "$CLI_PID" || fail "the concurrent set-imapsettings failed: $(cat "$TEST_TMP/cli.out")"

# Their values stand; the console's 900 was never written.
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get.out"
assert_has "$TEST_TMP/get.out" "AuthenticatedConnectionTimeout           : 00:20:00"
assert_has "$TEST_TMP/get.out" "PreAuthenticatedConnectionTimeout        : 00:01:30"
assert_has "$TEST_TMP/get.out" "Version                                  : 1"
imapadm get-auditlog -Identity CAS01 >"$TEST_TMP/audit.out"
if grep -q -- "-> 900" "$TEST_TMP/audit.out"; then
	fail "the refused value was audited: $(cat "$TEST_TMP/audit.out")"
fi
