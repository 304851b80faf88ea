#!/bin/bash
# End to end: a client access server on another host, reached with real
# OpenSSH. CAS03's sshd (tests/site/remote-start) runs in its own mount
# namespace, where DIR/cas03 is DIR/remote-cas03: the management side sees
# another file at the same settings path. Checked:
#  (a) the push writes the remote file (and .prev there), not the local one,
#      the remote nginx runs the pushed values (seen there: its workers are
#      newer than the file; measured by an IMAP client), nothing is pending;
#  (b) one ssh login serves every command (ControlMaster);
#  (c) an unreachable host fails fast with ssh's own message, a host that
#      does not answer fails within connect_timeout, both stay pending; a
#      host whose key known_hosts lacks is refused;
#  (d) a Site holding "x;touch FILE" used by a profile command arrives as one
#      word and runs nothing (and the same string joined the old way would);
#  (e) a failed remote check puts the remote previous file back;
#  (f) a restart command that exits 0 but leaves nginx running the old file
#      is not recorded as done (the remote nginx must be seen to load it).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

e2e_start
"$SITE_LIB/remote-start" "$SITE" cas03 >/dev/null ||
    e2e_die "the remote host cas03 did not start"
. "$SITE/site.env"
# Our own control sockets, removed with the site.
export XDG_RUNTIME_DIR=$SITE/run
mkdir -m 0700 "$XDG_RUNTIME_DIR" || e2e_die "cannot make $XDG_RUNTIME_DIR"

REMOTE=$SITE/remote-cas03/imap-timeouts.conf	# cas03's file, seen from here
LOCAL=$SITE/cas03/imap-timeouts.conf		# ours at the same path
SSHLOG=$SITE/ssh/sshd-cas03.log
PWNED=/tmp/imapadm-pwned-$$
PWNED_RAW=/tmp/imapadm-pwned-raw-$$
rm -f "$PWNED" "$PWNED_RAW"
cp "$LOCAL" "$SITE/local.before"
cp "$REMOTE" "$SITE/remote.before"
chmod 0640 "$REMOTE"

run_cmd new adm new-server -Identity CAS03 -Fqdn cas03.contoso.test \
    -Roles ClientAccess -Site "x;touch $PWNED" -Profile cas03
expect_rc "new-server CAS03" 0 || e2e_die "new-server CAS03 failed"
# cas03's file says 90/3600, ours at the same path 60/1800.
expect_out "adopted from cas03" 'adopted from the service: AuthenticatedConnectionTimeout 3600, PreAuthenticatedConnectionTimeout 90' &&
pass "new-server adopts what cas03's own file holds (3600/90), read over ssh"

# --- (a) the file is written on the remote host -------------------------
run_cmd set adm set-imapsettings -Identity CAS03 \
    -AuthenticatedConnectionTimeout 2000 -PreAuthenticatedConnectionTimeout 30
expect_rc "set-imapsettings CAS03" 0 || e2e_die "cannot save CAS03's values"
run_cmd restart adm restart-imapservice -Identity CAS03
expect_rc "restart-imapservice CAS03 (remote)" 0 &&
expect_out "restarted on the remote host" 'nginx cas03 restarted' &&
pass "restart-imapservice on CAS03 ran over ssh"
grep -qx 'timeout 30s;' "$REMOTE" && grep -qx 'proxy_timeout 2000s;' "$REMOTE" &&
    pass "cas03's own file holds timeout 30s and proxy_timeout 2000s" ||
    fail "cas03's file does not hold the pushed values:
$(cat "$REMOTE")"
if cmp -s "$SITE/local.before" "$LOCAL"; then
	pass "the management host's file at the same path is untouched"
else
	fail "imapadm wrote the management host's file:
$(cat "$LOCAL")"
fi
cmp -s "$SITE/remote.before" "$REMOTE.prev" &&
    pass "the remote previous file is kept as .prev on cas03" ||
    fail "no faithful .prev on cas03: $(ls -l "$SITE/remote-cas03")"
[ "$(stat -c %a "$REMOTE")" = 640 ] && [ "$(stat -c %a "$REMOTE.prev")" = 640 ] &&
    pass "the remote file and its .prev keep mode 0640" ||
    fail "modes changed: $(stat -c '%n %a' "$REMOTE" "$REMOTE.prev")"
run_cmd get adm get-imapsettings -Identity CAS03
expect_out "not pending" '^RestartPending +: False$' &&
expect_out "running pre-auth" '^RunningPreAuthenticatedConnectionTimeout +: 00:00:30$' &&
expect_out "running auth" '^RunningAuthenticatedConnectionTimeout +: 00:33:20$' &&
expect_out "read back over ssh" \
    '^RunningSource +: .*imap-timeouts.conf on cas03.contoso.test \(read over ssh\), loaded by nginx \(pid [0-9]+\), seen ' &&
pass "CAS03 runs 30/2000 s, not pending, seen on cas03 (file read, its nginx loaded it)"

# -WhatIf compares with the file on cas03 (ours here still says 60/1800).
cp "$REMOTE" "$SITE/remote.pushed"
run_cmd whatif adm restart-imapservice -Identity CAS03 -WhatIf
expect_rc "restart-imapservice -WhatIf" 0 &&
expect_out "the remote file" "^  settings file $LOCAL on cas03.contoso.test:\$" &&
expect_out "compared there" 'unchanged: it already holds these values' &&
expect_out "the ssh command" "^  restart +ssh .* -- cas03.contoso.test " &&
pass "-WhatIf reads the file on cas03 (unchanged there) and shows the ssh commands"
cmp -s "$SITE/remote.pushed" "$REMOTE" ||
    fail "-WhatIf changed cas03's file"

# The remote nginx runs it: measured while the other checks go on (none of
# them restarts cas03's nginx).
probe_bg preauth --host "$CAS03_ADDR" --port "$CAS03_IMAP_PORT" --expect 30 --tolerance 2 \
    --max 40 connect-idle

# --- (b) one connection for all of it -----------------------------------
logins=$(grep -c 'Accepted publickey for root' "$SSHLOG")
sessions=$(grep -c 'Starting session: command' "$SSHLOG")
if [ "$logins" -eq 1 ] && [ "$sessions" -ge 7 ]; then
	pass "one ssh login served $sessions remote commands (ControlMaster)"
else
	fail "$logins ssh logins for $sessions remote commands (want 1 for all)"
fi
run_cmd mux ssh -F "$SITE/ssh/ssh_config" \
    -o "ControlPath=$XDG_RUNTIME_DIR/imapadm/%C" -O check cas03.contoso.test
expect_out "master connection" 'Master running' &&
pass "the master connection lives in $XDG_RUNTIME_DIR/imapadm"
[ "$(stat -c %a "$XDG_RUNTIME_DIR/imapadm")" = 700 ] &&
    pass "the control directory is 0700" ||
    fail "control directory mode $(stat -c %a "$XDG_RUNTIME_DIR/imapadm")"

# A listing reads no file over ssh: one process per server would not scale.
before=$(grep -c 'Starting session: command' "$SSHLOG")
run_cmd listing adm get-imapsettings
expect_out "listing" '^RunningSource +: unknown: not observed in a listing \(CAS03 is on another host' &&
[ "$(grep -c 'Starting session: command' "$SSHLOG")" -eq "$before" ] &&
pass "get-imapsettings without -Identity runs no ssh and says why CAS03 is unknown"

# --- (c) hosts that cannot be reached ------------------------------------
adm new-server -Identity CAS09 -Fqdn unreachable.contoso.test \
    -Roles ClientAccess -Profile cas03 >/dev/null ||
    e2e_die "new-server CAS09 failed"
adm set-imapsettings -Identity CAS09 -AuthenticatedConnectionTimeout 2000 \
    >/dev/null || e2e_die "set-imapsettings CAS09 failed"
t0=$SECONDS
run_cmd unreach adm restart-imapservice -Identity CAS09
expect_rc "restart of an unreachable host" nonzero &&
expect_out "ssh's own message" \
    'ssh: connect to host 127\.0\.1\.9 port [0-9]+: Connection refused' &&
[ $((SECONDS - t0)) -le 3 ] &&
pass "an unreachable host fails in $((SECONDS - t0)) s with ssh's message"
run_cmd get9 adm get-imapsettings -Identity CAS09
expect_out "unreachable stays pending" '^RestartPending +: True$' &&
pass "the unreachable host stays restart-pending"

# A host that accepts TCP and never speaks SSH: connect_timeout (2 s here).
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1], "w").write("%d\n" % s.getsockname()[1])
time.sleep(30)
' "$SITE/silent.port" &
SILENT_PID=$!
wait_for 10 test -s "$SITE/silent.port" || e2e_die "no silent listener"
printf 'Host silent.contoso.test\n  HostName 127.0.0.1\n  Port %s\n' \
    "$(cat "$SITE/silent.port")" >>"$SITE/ssh/ssh_config"
sed 's/connect_timeout = 5/connect_timeout = 2/' "$CONF" >"$SITE/silent.conf"
"$IMAPADM_BIN" --config "$SITE/silent.conf" new-server -Identity CAS08 \
    -Fqdn silent.contoso.test -Roles ClientAccess -Profile cas03 \
    >/dev/null 2>&1
# Something to push: a server with nothing saved is not pending.
"$IMAPADM_BIN" --config "$SITE/silent.conf" set-imapsettings -Identity CAS08 \
    -AuthenticatedConnectionTimeout 2000 >/dev/null 2>&1 ||
    e2e_die "set-imapsettings CAS08 failed"
t0=$SECONDS
run_cmd silent "$IMAPADM_BIN" --config "$SITE/silent.conf" \
    restart-imapservice -Identity CAS08
took=$((SECONDS - t0))
expect_rc "restart of a host that does not answer" nonzero &&
expect_out "ssh's time-out message" 'timed out' &&
[ "$took" -le 6 ] &&
pass "a host that does not answer fails in $took s (connect_timeout 2, per ssh command)"
kill "$SILENT_PID" 2>/dev/null
run_cmd get8 adm get-imapsettings -Identity CAS08
expect_out "silent stays pending" '^RestartPending +: True$' &&
pass "the host that does not answer stays restart-pending"

# --- (d) no placeholder injects on the remote side ----------------------
# Control: the same Site joined into one string, as the old prefix did, runs
# touch on the remote host; so the check below can see an injection.
ssh -F "$SITE/ssh/ssh_config" cas03.contoso.test printf '%s\n' \
    "x;touch $PWNED_RAW" >/dev/null 2>&1
if [ -e "$PWNED_RAW" ]; then
	pass "control: ssh's joined command line runs the Site's touch"
	rm -f "$PWNED_RAW"
else
	fail "control: the joined command did not run touch (test proves nothing)"
fi

probe_wait
expect_probe preauth 0 \
    "cas03's nginx closed a connection that never logged in 30 s +/- 2 after connecting"

# known_hosts decides: cas03's sshd under a name whose key is not known is
# refused, never accepted on first sight. (Another user, so that no master
# connection to the same address, port and user serves it: ControlPath's
# %C is their hash.) First in the file: ssh takes the first value it finds.
{
	printf 'Host stranger.contoso.test\n  HostName %s\n  Port %s\n' \
	    "$CAS03_ADDR" "$CAS03_SSH_PORT"
	printf '  HostKeyAlias stranger.contoso.test\n  User nobody\n'
	cat "$SITE/ssh/ssh_config"
} >"$SITE/ssh/ssh_config.new" && mv "$SITE/ssh/ssh_config.new" "$SITE/ssh/ssh_config"
adm new-server -Identity CAS07 -Fqdn stranger.contoso.test \
    -Roles ClientAccess -Profile cas03 >/dev/null 2>&1
run_cmd stranger adm restart-imapservice -Identity CAS07
expect_rc "restart on a host whose key is not known" nonzero &&
expect_out "host key refused" 'Host key verification failed' &&
pass "an unknown host key is refused (ssh: Host key verification failed)"
if grep -q stranger "$SITE/ssh/known_hosts"; then
	fail "the stranger's key was added to known_hosts"
fi

p=$SITE/cas03
# The status command hands %{site} to a fixed script that records it.
python3 - "$CONF" "$SITE/site.conf" "$p" <<'EOF'
import sys
src, dst, p = sys.argv[1:4]
text = open(src).read()
j = text.index("  status = {", text.index("profile cas03 {"))
k = text.index("\n", j) + 1
prog = text[j:k].split('"')[1]
line = ('  status = {"sh", "-c", \'printf "%s" "$1" >"$2" && exec "$3" "$4"\', '
        '"sh", "%{site}", "' + p + '/site.seen", "' + prog + '", "' + p + '"}\n')
open(dst, "w").write(text[:j] + line + text[k:])
EOF
run_cmd inject "$IMAPADM_BIN" --config "$SITE/site.conf" \
    restart-imapservice -Identity CAS03
expect_rc "restart with %{site} in the status command" 0
if [ -e "$PWNED" ]; then
	fail "the Site's touch ran: $PWNED exists"
	rm -f "$PWNED"
else
	pass "a Site of 'x;touch $PWNED' in %{site} ran nothing"
fi
seen=$(cat "$SITE/remote-cas03/site.seen" 2>/dev/null)
[ "$seen" = "x;touch $PWNED" ] &&
    pass "the remote command got the Site as one word: '$seen'" ||
    fail "the remote command got '$seen', not the Site"

# --- (e) a failed remote check keeps the remote previous file ----------
cp "$REMOTE" "$SITE/remote.good"
sed '/^profile cas03 {/,/^}/s/type = "nginx-mail"/type = "command"/' "$CONF" \
    >"$SITE/badtype.conf"
adm set-imapsettings -Identity CAS03 -PreAuthenticatedConnectionTimeout 50 \
    >/dev/null || e2e_die "set-imapsettings CAS03 failed"
run_cmd badcheck "$IMAPADM_BIN" --config "$SITE/badtype.conf" \
    restart-imapservice -Identity CAS03
expect_rc "restart with a file cas03's nginx rejects" nonzero &&
expect_out "nginx's message from cas03" \
    'nginx: \[emerg\] .* in '"$p"'/imap-timeouts.conf:[0-9]+' &&
expect_out "restored on cas03" 'previous settings restored on cas03.contoso.test' &&
pass "the remote check failed with nginx's [emerg] and imapadm says it restored"
cmp -s "$SITE/remote.good" "$REMOTE" &&
    pass "cas03's previous file is back, byte for byte" ||
    fail "cas03's file after the failed check:
$(cat "$REMOTE")"
cmp -s "$SITE/local.before" "$LOCAL" &&
    pass "the management host's file is still untouched" ||
    fail "the management host's file changed"
run_cmd get3 adm get-imapsettings -Identity CAS03
expect_out "failed check stays pending" '^RestartPending +: True$' &&
pass "CAS03 stays restart-pending after the failed check"

# --- (f) a restart that did not restart is not taken as done -----------
# The first report: imapadm recorded values as running that the remote
# nginx never saw. A restart command that exits 0 and does nothing:
sed '/^profile cas03 {/,/^}/s|^  restart = .*|  restart = {"true"}|' "$CONF" \
    >"$SITE/norestart.conf"
run_cmd norestart "$IMAPADM_BIN" --config "$SITE/norestart.conf" \
    restart-imapservice -Identity CAS03
expect_rc "a restart that restarts nothing" nonzero &&
expect_out "not confirmed" 'restarted but not confirmed: .* holds the values, but the file changed .* nginx has not loaded it' &&
pass "a remote restart nginx did not see fails: 'not confirmed' (nginx has not loaded it)"
grep -qx 'timeout 50s;' "$REMOTE" ||
    fail "the norestart variant did not write cas03's file: $(cat "$REMOTE")"
run_cmd get5 adm get-imapsettings -Identity CAS03
expect_out "unconfirmed stays pending" '^RestartPending +: True$' &&
pass "CAS03 stays restart-pending when its nginx has not loaded the file"

# A file changed on the host after nginx started is not what runs.
touch "$REMOTE"
run_cmd get4 adm get-imapsettings -Identity CAS03
expect_out "edited, not loaded" '^RunningSource +: unknown: .*nginx has not loaded it' &&
expect_out "running unknown" '^RunningPreAuthenticatedConnectionTimeout +: unknown$' &&
pass "a remote file newer than its nginx's workers is not taken as running"

e2e_finish
