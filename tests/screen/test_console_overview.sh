# The IMAP4 page opens on what an admin checks first: the service status
# and both time-outs, configured and running. The plumbing (profile,
# listeners, backend, settings file, commands) is under "Service details"
# further down, and More options… is still reached by scrolling.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup --reload --listeners "127.0.0.1:1143 (IMAP4)" \
    --backend "127.0.0.1:10143 (Dovecot)"
console_server CAS01 cas01
console_mailbox MBX01

console_run first-screen <<'VT'
timeout 3
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
wait Authenticated time-out     configured: 1800 s    running: unknown
wait Unauthenticated time-out   configured: 60 s      running: unknown
wait Service details
expect_not Check command
expect_not More options
key PgDn
wait Check command      none
wait Restart command    sh -c
wait More options…
key Enter
wait ▸ Authenticated time-out (seconds)
key Esc
wait Servers > Servers
# A mailbox server says so where the time-outs would be.
key Down Enter
wait Server properties: MBX01
send 2
wait MBX01 is not a client access server (roles: Mailbox):
wait Service details
send q
wait Servers > Servers
send q
exit 0
VT
