#!/bin/bash
# End to end: failures of the service steps are caught, reported and leave
# the running service alone.
#  (a) a rendered file nginx rejects (the cas01 profile wrongly typed
#      "command", so it writes Name=value lines into nginx's include): the
#      check fails with nginx's [emerg], the previous file is restored, the
#      proxy keeps answering, the server stays restart-pending, the audit
#      log holds the error;
#  (b) a restart command that hangs is killed at the profile's time-out.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

e2e_start
e2e_inventory

# variant NAME PYTHON: a copy of the site config with the cas01 profile block
# edited by the python statement (b is the block text).
variant() {
	python3 - "$CONF" "$SITE/$1.conf" "$2" <<'EOF'
import re, sys
src, dst, stmt = sys.argv[1:4]
text = open(src).read()
m = re.search(r"profile cas01 \{.*?\n\}", text, re.S)
b = m.group(0)
env = {"b": b, "re": re}
exec(stmt, env)
if env["b"] == b:
    sys.exit("variant: the edit changed nothing")
open(dst, "w").write(text[:m.start()] + env["b"] + text[m.end():])
EOF
}

# --- (a) a rendered file nginx rejects ----------------------------------
variant badtype 'b = b.replace("type = \"nginx-mail\"", "type = \"command\"")' ||
    e2e_die "cannot write the misconfigured variant"

cp "$SITE/cas01/imap-timeouts.conf" "$SITE/timeouts.before"
master=$(cat "$SITE/cas01/nginx.pid")

run_cmd set adm set-imapsettings -Identity CAS01 \
    -AuthenticatedConnectionTimeout 1800 -PreAuthenticatedConnectionTimeout 45
expect_rc "set-imapsettings" 0 || e2e_die "cannot save new values"

run_cmd badcheck "$IMAPADM_BIN" --config "$SITE/badtype.conf" \
    restart-imapservice -Identity CAS01
expect_rc "restart with a file nginx rejects" nonzero &&
pass "restart-imapservice exits $RC when nginx rejects the rendered file"
expect_out "nginx's own message is shown" \
    'nginx: \[emerg\] .* in '"$SITE"'/cas01/imap-timeouts.conf:[0-9]+' &&
expect_out "the check step is marked failed" '^ +check +exit 1 ' &&
pass "the output names the failed check and nginx's [emerg] line"
if grep -Eq '^ +restart ' <<<"$OUT"; then
	fail "restart ran after a failed check: $OUT"
else
	pass "nothing was restarted after the failed check"
fi

if cmp -s "$SITE/timeouts.before" "$SITE/cas01/imap-timeouts.conf"; then
	pass "the previous imap-timeouts.conf is back, byte for byte"
else
	fail "imap-timeouts.conf changed after a failed check:
$(cat "$SITE/cas01/imap-timeouts.conf")"
fi

now=$(cat "$SITE/cas01/nginx.pid" 2>/dev/null)
run_cmd login python3 "$SITE_LIB/imapprobe.py" --port "$CAS01_IMAP_PORT" login
if [ "$RC" -eq 0 ] && [ "$now" = "$master" ]; then
	pass "CAS01 still answers IMAP on its port, same nginx (pid $master)"
else
	fail "CAS01 proxy disturbed by the failed check (pid $master -> $now): $OUT"
fi
# The configuration in force is still valid for a later restart.
run_cmd ntest nginx -t -q -p "$SITE/cas01/" -c nginx.conf -e "$SITE/cas01/error.log"
expect_rc "nginx -t after the failed check" 0 &&
pass "nginx -t accepts the configuration left in place"

run_cmd pending adm get-imapsettings -Identity CAS01
expect_out "still restart-pending" '^RestartPending +: True$' &&
expect_out "running is what nginx still runs (the file was restored)" \
    '^RunningPreAuthenticatedConnectionTimeout +: 00:01:00$' &&
pass "CAS01 stays restart-pending; running shows the restored file nginx runs"

run_cmd audit adm get-auditlog -Identity CAS01 -ResultSize 1 --format list
expect_out "audit row for the failed restart" '^Action +: restart-imapservice$' &&
expect_out "audit row holds the failure" '^Outcome +: .*(fail|FAIL)' &&
expect_out "audit row holds nginx's message" '\[emerg\] .*imap-timeouts\.conf' &&
pass "the audit log holds the failed check with nginx's message"

# --- (b) a restart that hangs -------------------------------------------
# A distinctive duration so this test can tell its own sleep apart.
variant hang 'b = re.sub(r"restart = \{[^}]*\}", "restart = {\"sleep\", \"61.25\"}", b); b = b.replace("timeout = 20", "timeout = 2")' ||
    e2e_die "cannot write the hanging variant"

started=$(date +%s.%N)
run_cmd hang "$IMAPADM_BIN" --config "$SITE/hang.conf" \
    restart-imapservice -Identity CAS01
took=$(python3 -c "import time; print('%.1f' % (time.time() - $started))")
expect_rc "hanging restart" nonzero &&
pass "restart-imapservice exits $RC when the restart command hangs"
expect_out "says it timed out" 'timed out' &&
expect_out "names the command" 'sleep 61\.25' &&
pass "the output says the restart command timed out"
if python3 -c "import sys; sys.exit(0 if $took < 10 else 1)"; then
	pass "gave up after $took s (profile time-out 2 s)"
else
	fail "took $took s to give up on a command with a 2 s time-out"
fi
if pgrep -f '^sleep 61\.25$' >/dev/null; then
	fail "the hanging restart command still runs after its time-out"
else
	pass "the hanging command was killed"
fi

run_cmd audit2 adm get-auditlog -Identity CAS01 -ResultSize 1 --format list
expect_out "audit row for the hung restart" '^Action +: restart-imapservice$' &&
expect_out "audit row says timed out" 'timed out' &&
pass "the audit log says the restart timed out"

run_cmd pending2 adm get-imapsettings -Identity CAS01
expect_out "still restart-pending after the time-out" '^RestartPending +: True$' &&
pass "CAS01 stays restart-pending after the timed-out restart"

run_cmd login2 python3 "$SITE_LIB/imapprobe.py" --port "$CAS01_IMAP_PORT" login
expect_rc "CAS01 still answers after the timed-out restart" 0 &&
pass "CAS01 still answers IMAP"

# And with the real profile, the same values go through.
run_cmd good adm restart-imapservice -Identity CAS01
expect_rc "restart with the real profile" 0 &&
grep -qx 'timeout 45s;' "$SITE/cas01/imap-timeouts.conf" &&
pass "the real profile then applies the pending values" ||
fail "the real profile did not apply the pending values: $OUT"

e2e_finish
