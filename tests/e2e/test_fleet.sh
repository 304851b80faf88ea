#!/bin/bash
# End to end: a fleet of three client access servers on other hosts, each a
# real sshd and nginx on its own loopback address (127.0.1.x) in its own
# mount namespace (tests/site/remote-start). One bulk change and one rolling
# restart reach all three: each host's own file changes, the management
# host's files at the same paths do not, each host's nginx is seen to run
# the new values, and an IMAP client measures the pushed time-out on every
# host at once.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

HOSTS="cas03 cas04 cas05"
e2e_start
# shellcheck disable=SC2086
"$SITE_LIB/remote-start" "$SITE" $HOSTS >/dev/null ||
    e2e_die "the remote hosts did not start"
. "$SITE/site.env"
export XDG_RUNTIME_DIR=$SITE/run
mkdir -m 0700 "$XDG_RUNTIME_DIR" || e2e_die "cannot make $XDG_RUNTIME_DIR"

addrs=
for h in $HOSTS; do
	U=${h^^}
	adm new-server -Identity "$U" -Fqdn "$h.contoso.test" \
	    -Roles ClientAccess -Site Remote -Profile "$h" >/dev/null ||
	    e2e_die "new-server $U failed"
	cp "$SITE/$h/imap-timeouts.conf" "$SITE/$h.local.before"
	a=${U}_ADDR
	addrs="$addrs ${!a}"
done
# Three hosts, three addresses.
[ "$(tr ' ' '\n' <<<"$addrs" | sed '/^$/d' | sort -u | wc -l)" -eq 3 ] &&
    pass "the three hosts have addresses of their own:$addrs" ||
    fail "the hosts share addresses:$addrs"

run_cmd set adm set-imapsettings -Site Remote -PreAuthenticatedConnectionTimeout 30 \
    -AuthenticatedConnectionTimeout 1900
expect_rc "set-imapsettings -Site Remote" 0 &&
expect_out "all three saved" '^3 of 3 servers saved$' &&
pass "one set-imapsettings changed the three servers of the site"

run_cmd whatif adm restart-imapservice -Site Remote -WhatIf
expect_rc "-WhatIf" 0 &&
expect_out "diff against cas04's own file" '^    - timeout 90s;$' &&
expect_out "what it would write" '^    \+ timeout 30s;$' &&
expect_out "three servers" '^What if: 3 servers; nothing was changed$' &&
pass "-WhatIf shows each host's own file against what would be written"

run_cmd rolling adm restart-imapservice -Identity 'CAS*' -Parallel 3
expect_rc "rolling restart of the three" 0 &&
expect_out "summary" '^3 ok, 0 failed, 0 not started, of 3 servers$' &&
pass "a rolling restart reached the three hosts over ssh"

for h in $HOSTS; do
	U=${h^^}
	grep -qx 'timeout 30s;' "$SITE/remote-$h/imap-timeouts.conf" &&
	    grep -qx 'proxy_timeout 1900s;' "$SITE/remote-$h/imap-timeouts.conf" &&
	    pass "$h's own file holds the pushed values" ||
	    fail "$h's file: $(cat "$SITE/remote-$h/imap-timeouts.conf")"
	cmp -s "$SITE/$h.local.before" "$SITE/$h/imap-timeouts.conf" &&
	    pass "the management host's file at $h's path is untouched" ||
	    fail "the management host's file at $h's path changed"
	run_cmd "get$h" adm get-imapsettings -Identity "$U"
	expect_out "$U runs 30 s, seen on its host" \
	    '^RunningPreAuthenticatedConnectionTimeout +: 00:00:30$' &&
	expect_out "$U not pending" '^RestartPending +: False$' &&
	pass "$U runs the pushed values, as observed on $h"
	a=${U}_ADDR
	p=${U}_IMAP_PORT
	probe_bg "$h" --host "${!a}" --port "${!p}" --expect 30 --tolerance 2 \
	    --max 40 connect-idle
done
probe_wait
for h in $HOSTS; do
	expect_probe "$h" 0 "$h's nginx closed an idle connection after 30 s +/- 2"
done

e2e_finish
