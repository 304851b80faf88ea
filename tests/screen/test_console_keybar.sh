# In a time-out field typing is digits: the key bar offers F1 for help,
# never `?` (which is refused there as any other non-digit); out of the
# fields it offers both again.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01

console_run help-key-in-field <<'VT'
timeout 3
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
wait Esc Close  ?/F1 Help
key PgDn
wait More options…
key Enter
wait ▸ Authenticated time-out (seconds)
wait F2 Apply  F1 Help
expect_not ?/F1
send ?
wait only digits go in Authenticated time-out: '?' refused
key F1
wait Help: keys of Server properties
wait In a time-out field (digits only) (now)
key Esc
wait ▸ Authenticated time-out (seconds)
expect_not ?/F1
key Tab
wait ▸ Unauthenticated time-out (seconds)
expect_not ?/F1
key Tab
wait ▸ [ Apply ]
wait ?/F1 Help
key Esc
wait Servers > Servers
send q
exit 0
VT
