#!/usr/bin/env bash
# restart-imapservice stopped by two SIGTERMs or SIGHUPs (a dropped SSH
# session) while a service command runs: the first lets it run on and says
# so, the second kills the command's whole process group rather than leave
# it running without its time-out; the attempt is audited as interrupted,
# the server stays restart-pending, and imapadm exits 1 saying so. Nothing
# is started after the signal. (One signal alone: test_restart_signals.sh.)
. "$(dirname "$0")/lib.sh"

AUTH=AuthenticatedConnectionTimeout

cat >"$TMP/imapadm.conf" <<EOF
profile slow {
	type = "command"
	timeout = 120
	check = {"/bin/sh", "-c", "echo \$\$ > '$TMP/pid'; exec sleep 120"}
	restart = {"/bin/sh", "-c", "echo restarted > '$TMP/restarted'"}
}
EOF
export IMAPADM_CONFIG=$TMP/imapadm.conf

# wait_for what limit command...: poll until command succeeds.
wait_for() {
	local what=$1 limit=$2 i=0
	shift 2
	while ! "$@"; do
		i=$((i + 1))
		if [ "$i" -gt $((limit * 20)) ]; then
			fail "$what: not within $limit s"
			return 1
		fi
		sleep 0.05
	done
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

run new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess -Profile slow
run set-imapsettings CAS01 -$AUTH 3600
expect_rc 0 "setup"

for sig in TERM HUP; do
	rm -f "$TMP/pid"
	n=$(audit_count)
	"$IMAPADM_BIN" --db "$DB" restart-imapservice CAS01 >"$TMP/out" \
	    2>"$TMP/err" </dev/null &
	ipid=$!
	wait_for "SIG$sig: the check command starts" 10 test -s "$TMP/pid" ||
	    { kill "$ipid"; continue; }
	child=$(cat "$TMP/pid")
	kill -$sig "$ipid"
	wait_for "SIG$sig: the first signal is answered" 10 \
	    grep -q "a second signal kills it" "$TMP/err"
	check
	kill -0 "$child" 2>/dev/null || fail "SIG$sig: one signal killed the check"
	kill -$sig "$ipid"
	LAST="restart-imapservice CAS01, then SIG$sig twice"
	wait_for "SIG$sig: imapadm ends" 10 gone "$ipid"
	wait "$ipid"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	expect_rc 1 "SIG$sig: exit status"
	expect_err "imapadm: restart-imapservice interrupted by signal" \
	    "SIG$sig: the interruption is said"
	expect_err "CAS01 stays restart-pending" "SIG$sig: pending is said"
	expect_err "a second signal killed the step running then" \
	    "SIG$sig: the kill is said"
	expect_err "the IMAP4 service (profile slow) on CAS01 runs is unknown (unknown: profile slow has no status command)" \
	    "SIG$sig: the service's state is said"
	expect_err_prefixed "SIG$sig"
	check
	wait_for "SIG$sig: the running command is killed" 5 gone "$child" ||
	    kill -9 "$child" 2>/dev/null
	check
	[ ! -e "$TMP/restarted" ] || fail "SIG$sig: the restart ran after the signal"
	run get-imapsettings CAS01
	expect_field RestartPending True "SIG$sig: still pending"
	expect_audit $((n + 1)) "SIG$sig: the attempt is audited"
	run get-auditlog CAS01 -ResultSize 1 --format list
	expect_out "Action  : restart-imapservice" "SIG$sig: audit row"
	expect_out "interrupted" "SIG$sig: audit row says interrupted"
done

finish
