# A profile that writes a settings file but has no check is said to be
# risky where the admin looks: on the status line (and in the message log)
# when the console starts, and on the IMAP4 page's details.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup --no-profile
cat >>"$CONF" <<EOF
profile bare {
	type = "nginx-mail"
	settings_file = "$TEST_TMP/imap-timeouts.conf"
	restart = {"true"}
}
EOF
console_server CAS01 bare

console_run warned <<'VT'
wait Servers > Servers
wait profile 'bare' has no check
send m
wait a broken settings file goes live at the next restart
key Esc
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Running seen       unknown: cannot read
key PgDn
wait Check command      none: no check, a broken file goes live
VT
