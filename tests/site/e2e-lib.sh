# Helpers for the end-to-end tests (tests/e2e/test_*.sh): a private site in a
# temporary directory that is stopped and removed on exit, the imapadm
# binary bound to its config, probes run in the background, and checks
# that count failures. Source it from a test; then call e2e_start.

SITE_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$SITE_LIB/lib.sh"

E2E_NAME=$(basename "$0" .sh)
E2E_FAILED=0
E2E_PROBES=()
E2E_PROBE_NAMES=()
SITE=

e2e_log() {
	printf '%s: %s\n' "$E2E_NAME" "$*"
}

# Abort the test: something it needs to go on is missing or broken.
e2e_die() {
	printf '%s: FATAL: %s\n' "$E2E_NAME" "$*" >&2
	exit 1
}

fail() {
	printf '%s: FAIL: %s\n' "$E2E_NAME" "$*" >&2
	E2E_FAILED=$((E2E_FAILED + 1))
}

pass() {
	printf '%s: ok: %s\n' "$E2E_NAME" "$*"
}

e2e_cleanup() {
	local pid
	# Probes still running would keep the shell waiting; they are ours.
	for pid in "${E2E_PROBES[@]}"; do
		kill "$pid" 2>/dev/null
	done
	if [ -n "$SITE" ] && [ -d "$SITE" ]; then
		"$SITE_LIB/stop" "$SITE" || echo "$E2E_NAME: site stop failed" >&2
		if [ "${IMAPADM_KEEP_SITE:-0}" = 1 ]; then
			echo "$E2E_NAME: site kept in $SITE" >&2
		else
			rm -rf "$SITE"
		fi
	fi
}

# Start a site and bind adm to it. Sets SITE, CONF and the site.env ports.
e2e_start() {
	[ -n "${IMAPADM_BIN:-}" ] || e2e_die "IMAPADM_BIN is not set (ctest sets it)"
	[ -x "$IMAPADM_BIN" ] || e2e_die "IMAPADM_BIN is not executable: $IMAPADM_BIN"
	trap e2e_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	SITE=$(mktemp -d "${TMPDIR:-/tmp}/imapadm-e2e.XXXXXX") ||
	    e2e_die "mktemp failed"
	"$SITE_LIB/start" "$SITE" || e2e_die "the site did not start"
	. "$SITE/site.env"
	CONF=$SITE/imapadm.conf
}

# imapadm against the site's config.
adm() {
	"$IMAPADM_BIN" --config "$CONF" "$@"
}

# The demo inventory: two client access servers and a mailbox server.
e2e_inventory() {
	adm new-server -Identity CAS01 -Fqdn cas01.contoso.test \
	    -Roles ClientAccess -Site Loopback-Demo-Site -Profile cas01 \
	    >/dev/null || e2e_die "new-server CAS01 failed"
	adm new-server -Identity CAS02 -Fqdn cas02.contoso.test \
	    -Roles ClientAccess -Site Loopback-Demo-Site -Profile cas02 \
	    >/dev/null || e2e_die "new-server CAS02 failed"
	adm new-server -Identity MBX01 -Fqdn mbx01.contoso.test \
	    -Roles Mailbox -Site Loopback-Demo-Site \
	    >/dev/null || e2e_die "new-server MBX01 failed"
}

# run_cmd NAME CMD...: run, keep stdout+stderr in $SITE/NAME.out and the
# status in RC; OUT holds the output.
run_cmd() {
	local name=$1
	shift
	"$@" >"$SITE/$name.out" 2>&1
	RC=$?
	OUT=$(cat "$SITE/$name.out")
}

# expect_rc WHAT WANT: compare $RC ("nonzero" accepts any failure).
expect_rc() {
	if [ "$2" = nonzero ]; then
		[ "$RC" -ne 0 ] && return 0
	elif [ "$RC" -eq "$2" ]; then
		return 0
	fi
	fail "$1: exit status $RC, expected $2; output:
$OUT"
	return 1
}

# expect_out WHAT PATTERN: $OUT has a line matching the grep -E PATTERN.
expect_out() {
	if grep -Eq -- "$2" <<<"$OUT"; then
		return 0
	fi
	fail "$1: output lacks /$2/; output:
$OUT"
	return 1
}

# expect_applied SERVER PRE AUTH: the server's rendered include holds
# "timeout PREs;" and "proxy_timeout AUTHs;", and get-imapsettings shows both
# values (seconds, under a minute) configured and running, nothing pending.
# OUT keeps the get-imapsettings output for further checks.
expect_applied() {
	local id=$1 pre=$2 auth=$3 file
	file=$SITE/$(tr '[:upper:]' '[:lower:]' <<<"$id")/imap-timeouts.conf
	grep -qx "timeout ${pre}s;" "$file" &&
	grep -qx "proxy_timeout ${auth}s;" "$file" &&
	pass "rendered $file holds timeout ${pre}s and proxy_timeout ${auth}s" ||
	fail "$file does not hold the new values:
$(cat "$file")"

	run_cmd "get-$id" adm get-imapsettings -Identity "$id"
	expect_out "configured auth" "^AuthenticatedConnectionTimeout +: 00:00:$auth\$" &&
	expect_out "configured pre-auth" "^PreAuthenticatedConnectionTimeout +: 00:00:$pre\$" &&
	expect_out "running auth" "^RunningAuthenticatedConnectionTimeout +: 00:00:$auth\$" &&
	expect_out "running pre-auth" "^RunningPreAuthenticatedConnectionTimeout +: 00:00:$pre\$" &&
	expect_out "nothing pending" '^RestartPending +: False$' &&
	pass "get-imapsettings -Identity $id: $pre/$auth s configured and running"
}

# probe_bg NAME ARGS...: imapprobe.py ARGS in the background; its line of
# results goes to $SITE/probe.NAME.out, its status (after probe_wait) to
# probe.NAME.rc.
probe_bg() {
	local name=$1
	shift
	python3 "$SITE_LIB/imapprobe.py" "$@" >"$SITE/probe.$name.out" \
	    2>"$SITE/probe.$name.err" &
	E2E_PROBES+=($!)
	E2E_PROBE_NAMES+=("$name")
}

# probe_wait: wait for every background probe and record its status.
probe_wait() {
	local i
	for i in "${!E2E_PROBES[@]}"; do
		wait "${E2E_PROBES[$i]}"
		echo $? >"$SITE/probe.${E2E_PROBE_NAMES[$i]}.rc"
	done
	E2E_PROBES=()
	E2E_PROBE_NAMES=()
}

# probe_result NAME: sets PROBE_RC and PROBE_OUT.
probe_result() {
	PROBE_RC=$(cat "$SITE/probe.$1.rc" 2>/dev/null || echo missing)
	PROBE_OUT="$(cat "$SITE/probe.$1.out" 2>/dev/null)$(sed 's/^/ /' \
	    "$SITE/probe.$1.err" 2>/dev/null)"
}

# expect_probe NAME WANT_RC WHAT: the probe ended with WANT_RC.
expect_probe() {
	probe_result "$1"
	if [ "$PROBE_RC" = "$2" ]; then
		pass "$3 ($PROBE_OUT)"
		return 0
	fi
	fail "$3: probe $1 exited $PROBE_RC, expected $2: $PROBE_OUT"
	return 1
}

# probe_value NAME KEY: the value of KEY=... in the probe's output line.
probe_value() {
	sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" "$SITE/probe.$1.out" 2>/dev/null |
	    head -n 1
}

# wait_for SECONDS CMD...: poll CMD until it succeeds or time runs out.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.05
	done
}

e2e_finish() {
	if [ "$E2E_FAILED" -ne 0 ]; then
		e2e_log "$E2E_FAILED check(s) failed"
		exit 1
	fi
	e2e_log "all checks passed"
	exit 0
}
