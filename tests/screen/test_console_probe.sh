#!/usr/bin/env bash
# Test connection (T) and Measure time-outs (M) on the IMAP4 page, where
# they cannot run: a profile without imap_listeners says what to add, a
# mailbox server says it has no listeners, and elsewhere than IMAP4 the
# status line says where they are. The console stays usable. (Against a
# real site: tests/e2e/test_console_probe.sh.)
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01
console_mailbox MBX01

console_run no-listeners <<'VT'
timeout 5
wait Servers > Servers
key Enter
wait Server properties: CAS01
send T
wait Test connection is on the IMAP4 section: 2 shows it
send 2
wait Status
send T
wait cannot test CAS01: profile 'cas01' lists no imap_listeners: nothing to
expect_not Connection test
send M
wait cannot test CAS01: profile 'cas01' lists no imap_listeners
expect_not Measured time-outs
send m
wait to connect to (add imap_listeners = {"host:143", "host:993/tls"} to
key Esc
wait Server properties: CAS01
key Esc
wait Servers > Servers
key Down Enter
wait Server properties: MBX01
send 2
send T
wait MBX01 is not a client access server: it has no IMAP4 listeners to test
send q
wait Servers > Servers
send q
exit 0
VT
