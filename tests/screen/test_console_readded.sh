# The page of CAS01 is open in the console when another admin removes
# CAS01 and adds a new server under the same name: the console notices by
# row identity (the name and even the version are the same), says so
# before Apply, and Apply refuses rather than save onto the new server.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup --no-profile
OPENED=$TEST_TMP/opened.fifo
mkfifo "$OPENED"
# The status command, run when the IMAP4 section is first shown, tells
# this script the page has read the server.
cat >>"$CONF" <<EOF
profile cas01 {
	type = "command"
	restart = {"true"}
	status = {"sh", "-c", "echo opened >\"\$0\"; echo running", "$OPENED"}
	timeout = 20
}
profile other {
	type = "command"
	restart = {"true"}
}
EOF
console_server CAS01 cas01

(
	timeout 30 sh -c 'read line <"$1"' sh "$OPENED" &&
	    imapadm remove-server -Identity CAS01 &&
	    imapadm new-server CAS01 -Fqdn new.contoso.test \
	    -Roles ClientAccess -Profile other
) >"$TEST_TMP/cli.out" 2>&1 &
CLI_PID=$!
on_exit "kill $CLI_PID 2>/dev/null"

console_run readded-refused <<VT
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
wait removed and added again since read
key PgDn
key Enter
wait ▸ Authenticated time-out (seconds)
send 900
key F2
wait Not saved: removed and added again
wait CAS01 was removed and added again since it was opened;
wait nothing saved.
wait Its values now:
wait   Authenticated time-out: 1800 s
wait The page now shows the new server
key Enter
gone Not saved
gone removed and added again since read
key Esc
wait Servers > Servers
send q
exit 0
VT
wait "$CLI_PID" || fail "remove-server / new-server failed: $(cat "$TEST_TMP/cli.out")"

# The new server keeps its own values; the console's 900 was never written.
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get.out"
assert_has "$TEST_TMP/get.out" "AuthenticatedConnectionTimeout           : 00:30:00"
assert_has "$TEST_TMP/get.out" "Version                                  : 0"
imapadm get-auditlog -Identity CAS01 >"$TEST_TMP/audit.out"
if grep -q -- "-> 900" "$TEST_TMP/audit.out"; then
	fail "the refused value was saved onto the new server: $(cat "$TEST_TMP/audit.out")"
fi
