# vtdrive itself, against ordinary programs (bash, tput, less, od): keys go
# in as xterm sends them, the screen comes out as a person would see it,
# and a script that does not hold fails loudly.
set -eu
. "$(dirname "$0")/lib.sh"
mk_tmp

# An interactive shell with a known prompt and no history file.
SHELL_CMD=(env HISTFILE= PS1='vt$ ' bash --norc --noprofile -i)

vt_run shell-echo-resize-exit -- "${SHELL_CMD[@]}" <<'VT'
row 0 vt$
sendline echo hel""lo
# the typed line says hel""lo, so "hello" can only be the output
row 1 hello
row 2 vt$
resize 100x30
sendline tput cols; tput lines
waitre ^100$
waitre ^30$
row 5 vt$
# history recall with the Up key, then a command line edited with keys
key Up
row 5 tput cols; tput lines
send <C-u>echo wor<Left><Left>ab<End>ld<Enter>
waitre ^waborld$
gone nothing-here
sendline clear
gone hello
row 0 vt$
sendline exit 3
exit 3
VT

vt_run attributes-utf8-acs -- "${SHELL_CMD[@]}" <<'VT'
row 0 vt$
sendline tput smso; echo STAND""OUT; tput rmso; tput bold; echo BO""LD; tput sgr0
attr STANDOUT reverse
attr STANDOUT !bold
attr BOLD bold
attr BOLD !reverse
attr vt$ !reverse
row 3 vt$
sendline printf '\\303\\251t\\303\\251 \\344\\275\\240\\345\\245\\275 |\\n'; tput smacs; echo lqqk; echo mqqj; tput rmacs
# a wide character takes two cells; text after it is still found
waitre ^été 你好 \|$
wait ┌──┐\n└──┘
sendline exit
exit 0
VT

# Keys are encoded by the terminal's current mode, as xterm does: cursor
# keys are CSI A normally, SS3 A once the program sets DECCKM (keypad()).
KEYS_CMD='stty raw -echo
printf "ready\r\n"; dd bs=1 count=3 2>/dev/null | od -An -tx1
printf "\033[?1happ\r\n"; dd bs=1 count=3 2>/dev/null | od -An -tx1
printf "more\r\n"; dd bs=1 count=16 2>/dev/null | od -An -tx1'
vt_run key-encoding -- sh -c "$KEYS_CMD" <<'VT'
wait ready
key Up
wait 1b 5b 41
wait app
key <Up>
wait 1b 4f 41
wait more
send <F5><C-c><BTab><M-x>a\x41\t<Home>
wait 1b 5b 31 35 7e 03 1b 5b 5a 1b 78 61 41 09 1b 4f
exit 0
VT

# A full-screen program: paging, reverse video in its prompt, SIGWINCH on
# resize, and how many bytes a one-line scroll costs.
seq -f 'line %g' 1 100 >"$TEST_TMP/lines"
vt_run less-pager --dump "$TEST_TMP/less.screen" --trace "$TEST_TMP/less.trace" \
    -- less "$TEST_TMP/lines" <<'VT'
row 0 line 1
row 22 line 23
expect_not line 24
key End
attr (END) reverse
row -2 line 100
resize 60x10
row -1 :
row 8 line 86
key Home
row 0 line 1
bytes_reset
key Down
row 0 line 2
bytes_max 400
expect_not (END)
screen
key q
exit 0
VT
assert_has "$TEST_TMP/less.trace" "line 100"
# less drew on the alternate screen; once it quits the shell's screen is back
! grep -q 'line' "$TEST_TMP/less.screen" ||
    fail "less's alternate screen is still shown after it quit"

# An ncurses program like the console: a boxed menu whose selected row is
# in reverse video, keypad keys, KEY_RESIZE, and small repaints.
cat >"$TEST_TMP/menu.py" <<'PY'
import curses, os, sys
os.environ.setdefault("ESCDELAY", "25")
items = ["alpha", "bravo", "charlie"]

def main(scr):
    curses.curs_set(0)
    scr.keypad(True)
    sel, note = 0, ""
    while True:
        scr.erase()
        scr.box()
        h, w = scr.getmaxyx()
        for i, name in enumerate(items):
            scr.addstr(2 + i, 4, name, curses.A_REVERSE if i == sel else 0)
        scr.addstr(h - 2, 2, "size %dx%d %s" % (w, h, note))
        scr.refresh()
        k = scr.getch()
        if k == curses.KEY_DOWN:
            sel = min(sel + 1, len(items) - 1)
        elif k == curses.KEY_UP:
            sel = max(sel - 1, 0)
        elif k == curses.KEY_F2:
            note = "F2 pressed"
        elif k in (10, 13, curses.KEY_ENTER):
            return sel
        elif k == 27:
            return 9

sys.exit(curses.wrapper(main))
PY
vt_run curses-menu -- python3 "$TEST_TMP/menu.py" <<'VT'
attr alpha reverse
attr bravo !reverse
waitre ^┌─{78}┐$
row 22 size 80x24
bytes_reset
key Down
attr bravo reverse
attr alpha !reverse
# moving the selection repaints two rows, not the 80x24 screen
bytes_max 200
resize 100x30
wait size 100x30
waitre ^└─{98}┘$
attr bravo reverse
key F2
wait F2 pressed
key Enter
exit 1
VT

vt_run curses-escape -- python3 "$TEST_TMP/menu.py" <<'VT'
attr alpha reverse
key Esc
exit 9
VT

# The same scroll with a tight budget must fail and say how many bytes came.
vt_fails bytes-over-budget -- less "$TEST_TMP/lines" <<'VT'
row 0 line 1
bytes_reset
key Down
row 0 line 2
bytes_max 3
VT
assert_has "$VT_ERR" "line 5: "
assert_has "$VT_ERR" "bytes came since bytes_reset, at most 3 allowed"

# Write system calls since bytes_reset: five writes pass a budget of
# five and fail a budget of one, counted, whatever the bytes.
cat >"$TEST_TMP/pieces.py" <<'PY'
import os
os.write(1, b"ready\r\n")
os.read(0, 16)
for i in range(5):
    os.write(1, b"piece %d\r\n" % i)
os.read(0, 16)
PY
vt_run writes-in-budget -- python3 "$TEST_TMP/pieces.py" \
    >"$TEST_TMP/writes.out" <<'VT'
wait ready
bytes_reset
sendline x
wait piece 4
writes_max 5
writes pieces
sendline y
exit 0
VT
assert_has "$TEST_TMP/writes.out" "writes pieces 5"
vt_fails writes-over-budget -- python3 "$TEST_TMP/pieces.py" <<'VT'
wait ready
bytes_reset
sendline x
wait piece 4
writes_max 1
VT
assert_has "$VT_ERR" "line 5: "
assert_has "$VT_ERR" "5 writes came since bytes_reset, at most 1 allowed"

# A wait that never comes: exit 1 soon after the time limit, naming the
# line and text, with the screen on stderr; --dump still writes the screen.
start=$SECONDS
vt_fails wait-times-out --timeout 0.5 --dump "$TEST_TMP/fail.screen" \
    -- sh -c 'echo visible; exec sleep 30' <<'VT'
wait visible
# a comment, and a blank line

wait never-shown
VT
[ $((SECONDS - start)) -lt 5 ] || fail "a 0.5s wait took $((SECONDS - start))s"
assert_has "$VT_ERR" "vtdrive: line 4: timed out after 0.5s waiting for 'never-shown'"
assert_has "$VT_ERR" "visible"
assert_has "$TEST_TMP/fail.screen" "visible"

vt_fails expect-not-present -- sh -c 'echo present; exec sleep 30' <<'VT'
wait present
expect_not present
VT
assert_has "$VT_ERR" "line 2: 'present' is on the screen"

vt_fails attr-not-there --timeout 0.3 -- sh -c 'echo plain; exec sleep 30' <<'VT'
attr plain reverse
VT
assert_has "$VT_ERR" "timed out after 0.3s waiting for 'plain' in reverse"

vt_fails wrong-exit-status -- sh -c 'exit 3' <<'VT'
exit 4
VT
assert_has "$VT_ERR" "line 1: the program exited with status 3, expected status 4"

vt_fails program-gone-before-text -- sh -c 'echo bye' <<'VT'
wait bye
wait hello
VT
assert_has "$VT_ERR" "line 2: the program closed the terminal while waiting for 'hello'"

vt_run signal-and-exit -- sleep 30 <<'VT'
signal TERM
exit SIGTERM
VT

# Bad scripts are refused before anything runs: exit 2, every bad line named.
rc=0
"$VTDRIVE" -- sh -c 'touch "$1"' sh "$TEST_TMP/ran" 2>"$TEST_TMP/syntax.err" <<'VT' || rc=$?
wait ok
frobnicate
send <Nope>
row x text
attr text purple
exit 300
VT
[ "$rc" -eq 2 ] || fail "a bad script gave status $rc, expected 2"
[ ! -e "$TEST_TMP/ran" ] || fail "the program ran despite a bad script"
assert_has "$TEST_TMP/syntax.err" "line 2: unknown command 'frobnicate'"
assert_has "$TEST_TMP/syntax.err" "line 3: unknown key <Nope>"
assert_has "$TEST_TMP/syntax.err" "line 4: row needs a row number and text"
assert_has "$TEST_TMP/syntax.err" "line 5: unknown attribute 'purple'"
assert_has "$TEST_TMP/syntax.err" "line 6: invalid exit status '300'"

rc=0
"$VTDRIVE" --size 80 -- true </dev/null 2>"$TEST_TMP/size.err" || rc=$?
[ "$rc" -eq 2 ] || fail "--size 80 gave status $rc, expected 2"
assert_has "$TEST_TMP/size.err" "invalid size '80': expected COLSxROWS"

rc=0
"$VTDRIVE" -- /nonexistent/program </dev/null 2>"$TEST_TMP/run.err" || rc=$?
[ "$rc" -eq 2 ] || fail "a missing program gave status $rc, expected 2"
assert_has "$TEST_TMP/run.err" "cannot run '/nonexistent/program'"

echo "all vtdrive checks passed"
