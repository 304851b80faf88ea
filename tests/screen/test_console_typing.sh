# Inline checking that does not shout while you type: a value that more
# digits can still make valid gets a neutral hint with the range; one that
# cannot (too large, too many digits), or that Enter or Tab tries to leave
# out of range, gets the ✗ at once. Disabled Apply and OK keep their place
# and label (drawn dimmed). Nothing is saved.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01

console_run typing <<'VT'
timeout 3
wait Servers > Servers
key Enter
wait Server properties: CAS01
send 2
wait Status             running
key PgDn
wait More options…
key Enter
wait ▸ Authenticated time-out (seconds)
wait [1800  ] valid: 30–86400
# On the way to 2700: a hint, no cross; the buttons stay where they are.
send 2
wait [2     ] … valid: 30–86400
expect_not ✗
wait [ Apply ]    [ OK ]    [ Cancel ]    unsaved changes
expect_not (disabled)
key F2
wait Apply is disabled: Authenticated time-out: 2 is too small
send 7
wait [27    ] … valid: 30–86400
expect_not ✗
send 00
wait [2700  ] valid: 30–86400
# Too large cannot get better by typing: the cross at once.
key C-u
wait [      ] … valid: 30–86400
expect_not ✗
send 9
wait [9     ] … valid: 30–86400
send 0000
wait [90000 ] ✗ too large, valid: 30–86400
wait [ Apply ]    [ OK ]    [ Cancel ]
# Too many digits: 00001 can only become 000010 to 000019.
key C-u
send 0000
wait [0000  ] … valid: 30–86400
send 1
wait [00001 ] ✗ too small, valid: 30–86400
# Left with Enter while out of range: the cross, and the focus stays.
key C-u
send 2
wait [2     ] … valid: 30–86400
key Enter
wait [2     ] ✗ too small, valid: 30–86400
wait Authenticated time-out: 2 is too small; fix it or Esc restores 1800
wait ▸ Authenticated time-out (seconds)
# Typing on is quiet again.
send 9
wait [29    ] … valid: 30–86400
send 0
wait [290   ] valid: 30–86400
# The second field: Tab out of range shouts too, empty as well.
key Enter
wait ▸ Unauthenticated time-out (seconds)
send 4
wait [4     ] … valid: 30–3600
key Tab
wait [4     ] ✗ too small, valid: 30–3600
key BS
wait [      ] … valid: 30–3600
key Down
wait [      ] ✗ required, valid: 30–3600
send 4000
wait [4000  ] ✗ too large, valid: 30–3600
key Esc
wait restored the saved value of Unauthenticated time-out
wait [60    ] valid: 30–3600
key Up
wait ▸ Authenticated time-out (seconds)
key C-u
send 1800
gone unsaved changes
key Esc
wait Servers > Servers
send q
exit 0
VT
