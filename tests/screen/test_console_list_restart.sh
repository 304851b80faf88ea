# R on Servers > Servers restarts the selected server with the restart
# question and progress of the IMAP4 page, or says why it cannot: no
# server selected, no profile, a profile missing from the config, or a
# user who may only view.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup --reload
console_server CAS01 cas01
# A profile that leaves the config once the server uses it.
printf 'profile gone {\n\ttype = "command"\n\trestart = {"true"}\n}\n' >>"$CONF"
console_server CAS02 gone
sed -i '/^profile gone/,/^}/d' "$CONF"
console_mailbox MBX01
imapadm set-imapsettings CAS01 -AuthenticatedConnectionTimeout 2400 \
    >/dev/null

console_run restart-from-list <<'VT'
wait Servers > Servers
wait R Restart
row 3 > CAS01       ClientAccess             cas01        ⟳ restart pending
send R
wait Restart the IMAP4 service on CAS01 now? [r]estart / re[l]oad / [n]ot now
send r
wait IMAP4 restarted on CAS01
wait Authenticated time-out: 2400 s
key Enter
wait Servers > Servers
wait CAS01: IMAP4 restart done
waitre CAS01 +ClientAccess +cas01 +pushed 2400/60 at
# Not now leaves it as it was.
send R
wait Restart the IMAP4 service on CAS01 now?
send n
wait Servers > Servers
waitre CAS01 +ClientAccess +cas01 +pushed 2400/60 at
key Down
send R
wait profile gone of CAS02 is not in the config
key Down
send R
wait MBX01 is not a client access server: it has no IMAP4 service to restart
send /zzz
key Tab
wait 0 of 3 servers  filter: zzz
send R
wait no server selected
send q
exit 0
VT
imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get.out"
assert_has "$TEST_TMP/get.out" "RestartPending                           : False"

console_viewer
console_run viewer-may-not <<'VT'
wait Servers > Servers
send R
wait may not restart the IMAP4 service
expect_not Restart the IMAP4 service on CAS01 now?
send q
exit 0
VT
