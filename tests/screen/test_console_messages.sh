# Nothing is cut at the screen edge without a sign: dialogs wrap long
# lines of command output, the status line and table cells end in "…"
# when cut, and the message log (m) shows the last messages in full.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
LONG="the-backend-refused-the-new-settings-because-the-listener-on-port-143-is-still-held-by-pid-4242-END"
cat >>"$CONF" <<CONF
profile long {
	type = "command"
	restart = {"sh", "-c", "echo $LONG >&2; exit 3"}
	status = {"echo", "running"}
}
profile averyveryverylongprofile {
	type = "command"
	restart = {"true"}
	status = {"echo", "running"}
}
CONF
console_server CAS01 long
console_server CAS02 averyveryverylongprofile
P=missing-profile-with-a-long-name
printf 'profile %s {\n\ttype = "command"\n\trestart = {"true"}\n}\n' "$P" >>"$CONF"
console_server CAS03 "$P"
sed -i "/^profile $P/,/^}/d" "$CONF"

console_run wrap-ellipsis-log <<'VT'
wait Servers > Servers
wait m Messages
row 4   CAS02       ClientAccess             averyveryve…
# A status longer than the line ends in an ellipsis...
key End
send R
wait profile missing-profile-with-a-long-name of CAS03 is not in
row -2 ✗ profile missing-profile-with-a-long-name of CAS03 is not in the config
row -2 …
# ...and the message log has it whole.
send m
wait Messages (newest first, the last 50)
wait imapadm.conf)
key Esc
wait Servers > Servers
# A long line of error output wraps in the dialog rather than being cut.
key Home
send R
wait Restart the IMAP4 service on CAS01 now?
send r
wait IMAP4 restart failed on CAS01
wait Error output (last lines):
wait pid-4242-END
key Enter
gone Error output
send ?
wait Help: keys of Servers > Servers
key End
wait m                    show the last messages in full
key Esc
send q
exit 0
VT
