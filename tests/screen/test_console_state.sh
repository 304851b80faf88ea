# The State column of Servers > Servers says what the store knows of each
# server and how: restart pending, what imapadm last pushed and when, or
# that it never restarted it; never a remembered value as a running fact.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01
console_server CAS02 cas01
console_server CAS03 cas01
console_mailbox MBX01
imapadm set-imapsettings CAS02 -PreAuthenticatedConnectionTimeout 90 \
    >/dev/null
imapadm set-imapsettings CAS03 -AuthenticatedConnectionTimeout 45 \
    -PreAuthenticatedConnectionTimeout 31 >/dev/null
imapadm restart-imapservice -Identity CAS03 >/dev/null

console_run state-column <<'VT'
wait Servers > Servers
row 3 > CAS01       ClientAccess             cas01        unknown: never pushed
row 4   CAS02       ClientAccess             cas01        ⟳ restart pending
waitre CAS03 +ClientAccess +cas01 +pushed 45/31 at [0-9][0-9]:[0-9][0-9]
row 6   MBX01       Mailbox                  -            not client access
expect_not configured
send q
exit 0
VT
