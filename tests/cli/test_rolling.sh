#!/usr/bin/env bash
# Rolling restarts: restart-imapservice over a selection (lists, wildcards,
# a site) restarts at most -Parallel servers at once, starts no new one once
# more than -MaxFailures have failed, and on a first Ctrl-C lets the running
# ones finish and starts no other. Each server gets its own audit row; the
# exit status says whether all of them succeeded.
. "$(dirname "$0")/lib.sh"

LOG=$TMP/restarts.log
# Each restart notes when it starts and ends (nanoseconds) and takes 0.4 s;
# the one of a server named in $TMP/fail fails.
cat >"$TMP/imapadm.conf" <<EOF
profile slow {
	type = "command"
	restart = {"/bin/sh", "-c", "echo start %{identity} \$(date +%s%N) >>\$0; sleep 0.4; echo end %{identity} \$(date +%s%N) >>\$0; ! grep -qx %{identity} \$1", "$LOG", "$TMP/fail"}
	status = {"echo", "running"}
}
EOF
export IMAPADM_CONFIG=$TMP/imapadm.conf
: >"$TMP/fail"
for i in 01 02 03 04 05 06 07 08; do
	site=North
	[ "$i" -gt 06 ] && site=South
	run new-server "CAS$i" -Fqdn "cas$i.contoso.test" -Roles ClientAccess \
	    -Site "$site" -Profile slow
done
run new-server CASMBX -Fqdn casmbx.contoso.test -Roles Mailbox

# max_parallel: the most restarts the log shows running at one time.
max_parallel() {
	sort -k3,3n "$LOG" | awk '$1 == "start" { n++; if (n > m) m = n }
	    $1 == "end" { n-- } END { print m + 0 }'
}

run restart-imapservice -Identity 'CAS*' -Parallel 3
expect_rc 0 "a rolling restart of eight servers succeeds"
expect_out "restarting 8 servers, at most 3 at once" "it says what it will do"
expect_err "1 matching server without the ClientAccess role left out" \
    "the mailbox server is left out, and said so"
for i in 01 02 03 04 05 06 07 08; do
	expect_out "CAS$i: ok" "CAS$i restarted"
done
expect_out "8 ok, 0 failed, 0 not started, of 8 servers" "the summary counts"
check
[ "$(grep -c '^end ' "$LOG")" = 8 ] || fail "8 restarts ran: $(cat "$LOG")"
check
m=$(max_parallel)
[ "$m" -le 3 ] || fail "$m restarts ran at once with -Parallel 3"
check
[ "$m" -ge 2 ] || fail "restarts ran one at a time ($m) with -Parallel 3"
run get-auditlog CAS05 --format json
expect_json "j[0]['Action']" restart-imapservice "CAS05 has its own audit row"

# A list and a site.
: >"$LOG"
run restart-imapservice -Identity CAS02,CAS01,cas02
expect_rc 0 "a list, with a name twice"
check
[ "$(grep -c '^end ' "$LOG")" = 2 ] || fail "each listed server once: $(cat "$LOG")"
: >"$LOG"
run restart-imapservice -Site South
expect_rc 0 "a site"
expect_out "CAS07: ok" "South's CAS07"
expect_out "CAS08: ok" "South's CAS08"
expect_no_out "CAS01" "North is not restarted"

# The failure budget: -MaxFailures 0 stops at the first failure.
: >"$LOG"
echo CAS02 >"$TMP/fail"
run set-imapsettings CAS03 -AuthenticatedConnectionTimeout 2700
expect_rc 0 "CAS03 gets a change to push"
run restart-imapservice -Identity 'CAS0[1-6]*' -Parallel 1
expect_rc 1 "a pattern that matches nothing fails"
expect_err "no server matches CAS0[1-6]*" "the message names the pattern"
run restart-imapservice -Identity 'CAS0*' -Site North -Parallel 1
expect_rc 1 "a failed server makes the run fail"
expect_out "CAS02: failed" "CAS02 failed"
expect_out "CAS03     not started" "no new server after the budget"
expect_out "1 ok, 1 failed, 4 not started, of 6 servers" "the summary"
check
[ "$(grep -c '^start ' "$LOG")" = 2 ] || fail "only CAS01 and CAS02 ran: $(cat "$LOG")"
run get-imapsettings CAS03
expect_field RestartPending True "a server not started stays pending"
: >"$LOG"
run restart-imapservice -Identity 'CAS0*' -Site North -Parallel 1 -MaxFailures 1
expect_out "5 ok, 1 failed, 0 not started, of 6 servers" \
    "-MaxFailures 1 tolerates one failure"
: >"$TMP/fail"

# Bad values are named, and what is allowed.
run restart-imapservice -Identity 'CAS*' -Parallel 0
expect_rc 2 "-Parallel 0"
expect_err "invalid -Parallel '0': use a whole number from 1 to 256" "the message"
run restart-imapservice -Identity CAS01,CAS1O
expect_rc 1 "a typo in a list"
expect_err "did you mean" "a typo gets suggestions"
run restart-imapservice -Server CAS01
expect_rc 0 "-Server is -Identity's alias"
run restart-imapservice
expect_rc 2 "naming no server is a usage error"

# Ctrl-C: the two running finish, no other starts. (A background job of a
# script starts with SIGINT ignored; a terminal's Ctrl-C would reach it.)
: >"$LOG"
python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$IMAPADM_BIN" --db "$DB" restart-imapservice -Identity 'CAS*' -Parallel 2 \
    >"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
for _ in $(seq 100); do
	[ "$(grep -c '^start ' "$LOG" 2>/dev/null)" -ge 2 ] && break
	sleep 0.05
done
kill -INT "$pid"
wait "$pid"
RC=$?
OUT=$(cat "$TMP/out")
ERR=$(cat "$TMP/err")
LAST="restart-imapservice -Identity 'CAS*' -Parallel 2, then SIGINT"
expect_rc 1 "an interrupted run fails"
expect_err "interrupted: no new server is started" "the interruption is said"
expect_out "2 ok, 0 failed, 6 not started, of 8 servers" \
    "the running two finished, no other started"
check
[ "$(grep -c '^end ' "$LOG")" = 2 ] || fail "the two running restarts ran to their end: $(cat "$LOG")"

finish
