# A monkey at the console: random key streams (a fixed seed, so a failure
# can be replayed) with resizes below 80x24 and back, over two client
# access servers (one reloads, one's restart fails) and a mailbox server,
# on xterm and (every third stream) on a vt100 in the C locale.
# After each stream the console must still run or have left normally
# (status 0 after a q at the list), never crash (under ASan any memory
# error is reported and fails the test), and the database must be intact
# with every stored time-out within its range.
#
#	MONKEY_SEED=7 MONKEY_STREAMS=20 ctest -R monkey	# hunt with other seeds
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup --reload --failing-restart
console_server CAS01 cas01
console_server CAS02 cas02
console_mailbox MBX01

SEED=${MONKEY_SEED:-3501}
STREAMS=${MONKEY_STREAMS:-10}
KEYS=${MONKEY_KEYS:-200}

# Memory errors go to files here, not only to the (driven) terminal.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TEST_TMP/asan"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TEST_TMP/ubsan"
export ASAN_OPTIONS UBSAN_OPTIONS

# The console under a wrapper that keeps its exit status, also when a
# stream ends with the console still running: vtdrive's USR1 to the
# wrapper becomes a SIGHUP to the console, and the script waits for it to
# end (vtdrive itself would allow a second, too short under a loaded ASan
# run). The console is in the wrapper's process group, in the foreground.
WRAP=$TEST_TMP/wrap.py
cat >"$WRAP" <<'EOF'
import signal, subprocess, sys

child = subprocess.Popen(sys.argv[2:])
def hang_up(sig, frame):
    if child.poll() is None:
        child.send_signal(signal.SIGHUP)
signal.signal(signal.SIGUSR1, hang_up)
# The console gets vtdrive's HUP and TERM itself; wait for it to end.
for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
    signal.signal(sig, lambda s, f: None)
rc = child.wait()
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % (rc if rc >= 0 else 128 - rc))
EOF

# The keys a monkey presses, weighted: what reaches the fields and the
# restart question comes often, q (which may end the console) rarely; a
# `save` is a value, F2 and an answer to the restart question in a row.
KEYTAB=(
	'2 save' '12 digit' '10 key Enter' '6 key Down' '3 key Up' '5 key Esc'
	'3 key Tab' '2 key BTab' '2 key Left' '2 key Right' '2 key PgUp'
	'3 key PgDn' '1 key Home' '2 key End' '2 key F1' '3 key F2'
	'2 key F10' '3 key BS' '1 key Del' '1 send <C-u>' '1 send <C-l>'
	'2 send y' '3 send n' '2 send r' '2 send l' '1 send /' '1 send ?'
	'1 send q' '2 send e' '1 send R' '1 send j' '1 send k' '6 print'
)
RESTART_KEYS=rln
SIZES=(60x20 79x24 80x23 20x5 2x2 40x2)
BIG=(80x24 81x25 100x30 200x60)

KEYTOTAL=0
for k in "${KEYTAB[@]}"; do
	KEYTOTAL=$((KEYTOTAL + ${k%% *}))
done

# monkey_key: one random key as a vtdrive command.
monkey_key()
{
	local r=$((RANDOM % KEYTOTAL)) k w cmd

	for k in "${KEYTAB[@]}"; do
		w=${k%% *}
		cmd=${k#* }
		if [ "$r" -lt "$w" ]; then
			case $cmd in
			digit) echo "send $((RANDOM % 10))" ;;
			save)
				echo "send $((RANDOM % 4000))"
				echo 'key F2'
				echo "send ${RESTART_KEYS:RANDOM % 3:1}"
				;;
			print) printf 'send \\x%02x\n' $((32 + RANDOM % 95)) ;;
			*) echo "$cmd" ;;
			esac
			return
		fi
		r=$((r - w))
	done
}

# monkey_start: where a stream begins, so that deep states (a field being
# typed in, the restart question) are reached often: the list, a server's
# page, or one of the time-out fields of CAS01 or CAS02.
monkey_start()
{
	local where=$((RANDOM % 4)) server=$((RANDOM % 3)) i

	echo 'wait Servers > Servers'
	[ "$where" -ne 0 ] || return 0
	for ((i = 0; i < server; i++)); do
		echo 'key Down'
	done
	echo 'key Enter'
	echo 'wait Server properties:'
	[ "$where" -ne 1 ] || return 0
	echo 'send 2'
	# MBX01 has no profile, so no status, and no time-out fields.
	[ "$server" -ne 2 ] || return 0
	echo 'wait Status             running'
	# Down, not PgDn: vt100 has no PgDn.
	echo 'key Down'
	echo 'wait More options'
	echo 'key Enter'
	echo 'wait Authenticated time-out (seconds)'
	[ "$where" -ne 3 ] || echo 'key Down'
}

# monkey_script: a stream of KEYS keys with a few resizes, started after
# the list is up (keys sent earlier could be lost). Now and then it waits
# for the console to catch up, as a person reading the screen would.
monkey_script()
{
	local i small=0

	echo 'settle 30'
	monkey_start
	for ((i = 0; i < KEYS; i++)); do
		if [ $((RANDOM % 40)) -eq 0 ]; then
			if [ "$small" -eq 0 ]; then
				echo "resize ${SIZES[RANDOM % ${#SIZES[@]}]}"
				small=1
			else
				echo "resize ${BIG[RANDOM % ${#BIG[@]}]}"
				small=0
			fi
		fi
		[ $((RANDOM % 8)) -ne 0 ] || echo 'bytes_reset'
		monkey_key
	done
	[ "$small" -eq 0 ] || echo "resize ${BIG[RANDOM % ${#BIG[@]}]}"
	# Still running? Hang it up and let it end (it fails to send if the
	# console has already quit: see the status check below).
	echo 'bytes_reset'
	echo 'signal USR1'
	echo 'timeout 20'
	echo 'exit'
}

# monkey_check_db STREAM: intact, and every time-out in its range.
monkey_check_db()
{
	local n=$1

	imapadm get-imapsettings --format json >"$TEST_TMP/get.json" ||
	    fail "stream $n: get-imapsettings failed"
	python3 - "$DB" "$TEST_TMP/get.json" <<'EOF' ||
import json, sqlite3, sys

RANGES = {"AuthenticatedConnectionTimeout": (30, 86400),
          "PreAuthenticatedConnectionTimeout": (30, 3600)}
bad = []
db = sqlite3.connect(sys.argv[1])
for (r,) in db.execute("PRAGMA integrity_check"):
    if r != "ok":
        bad.append("integrity_check: " + r)
for r in db.execute("PRAGMA foreign_key_check"):
    bad.append("foreign_key_check: %r" % (r,))
for name, conf, run in db.execute(
        "SELECT name, configured, running FROM imap4_value"):
    lo, hi = RANGES.get(name, (None, None))
    if lo is None:
        bad.append("unknown setting stored: %r" % name)
        continue
    for what, v in (("configured", conf), ("running", run)):
        if v is not None and not lo <= v <= hi:
            bad.append("stored %s %s = %r, not in %d-%d"
                       % (what, name, v, lo, hi))
rows = json.load(open(sys.argv[2]))
if sorted(r["Identity"] for r in rows) != ["CAS01", "CAS02"]:
    bad.append("get-imapsettings lists %r" % [r["Identity"] for r in rows])
for r in rows:
    for what, prefix in (("configured", ""), ("running", "Running")):
        for name in RANGES:
            v = r[prefix + name]
            lo, hi = RANGES[name]
            if (v is not None or what == "configured") and \
                    not (isinstance(v, int) and lo <= v <= hi):
                bad.append("%s %s %s = %r, not in %d-%d"
                           % (r["Identity"], what, name, v, lo, hi))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
	    fail "stream $n: the database is not as it must be (above)"
}

RANDOM=$SEED
for ((n = 1; n <= STREAMS; n++)); do
	script=$TEST_TMP/stream$n.vt
	status=$TEST_TMP/status$n
	# Every third stream on a vt100 in the C locale: keys it does not
	# describe arrive as raw escape sequences, markers are ASCII.
	term=xterm-256color locale=$LC_ALL
	[ $((n % 3)) -ne 0 ] || term=vt100 locale=C
	monkey_script >"$script"
	rc=0
	"$VTDRIVE" --size 80x24 --timeout 10 --term "$term" -- \
	    env LC_ALL="$locale" python3 "$WRAP" "$status" \
	    "$IMAPADM_BIN" --db "$DB" --config "$CONF" <"$script" \
	    >"$TEST_TMP/out$n" 2>"$TEST_TMP/err$n" || rc=$?
	why=''
	if ls "$TEST_TMP"/asan* "$TEST_TMP"/ubsan* >/dev/null 2>&1; then
		cat "$TEST_TMP"/asan* "$TEST_TMP"/ubsan* >&2 2>/dev/null || true
		why='the sanitizer reported an error (above)'
	elif [ ! -s "$status" ]; then
		why='the console did not end within 20 s of SIGHUP'
	else
		st=$(cat "$status")
		case $rc/$st in
		2/*) why='vtdrive refused the script' ;;
		0/0|1/0) ;;		# q at the list, perhaps mid-stream
		0/129) ;;		# alive at the end, then hung up
		*/129) why="vtdrive failed while the console ran" ;;
		*) why="the console exited with status $st" ;;
		esac
	fi
	if [ -n "$why" ]; then
		printf -- '--- stream %d, the script:\n' "$n" >&2
		cat "$script" >&2
		printf -- '--- vtdrive said:\n' >&2
		cat "$TEST_TMP/err$n" >&2
		fail "stream $n ($term) of MONKEY_SEED=$SEED (script above): $why"
	fi
	printf 'ok stream %d (%s): %d keys, console %s\n' "$n" "$term" \
	    "$KEYS" \
	    "$([ "$st" = 0 ] && echo 'quit with q' || echo 'still running')"
	monkey_check_db "$n"
done
