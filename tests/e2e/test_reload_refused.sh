#!/bin/bash
# End to end: the reload helper the docs give admins (scripts/nginx-reload-
# checked, which the site's reload command runs) fails when nginx refuses the
# new configuration and says so; plain "nginx -s reload" exits 0 in the same
# state, which is why the example profile does not use it. nginx keeps
# serving with its old workers either way.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

e2e_start
p=$SITE/cas01
master=$(cat "$p/nginx.pid")
workers=$(pgrep -P "$master" | sort | tr '\n' ' ')

# A good reload first: the helper waits for a new worker and says so.
if out=$("$SITE_LIB/nginx-reload" "$p" 2>&1); then
	grep -q 'reloaded (new worker pid [0-9]*' <<<"$out" &&
	pass "a good configuration reloads: $out" ||
	fail "reload succeeded without saying so: $out"
else
	fail "a good configuration did not reload: $out"
fi
workers=$(pgrep -P "$master" | sort | tr '\n' ' ')

# The settings file nginx includes, broken by hand outside imapadm.
file=$(grep -o 'settings_file = "[^"]*"' "$SITE/imapadm.conf" | head -n 1 | cut -d'"' -f2)
[ -f "$file" ] || e2e_die "no settings file in the site's config ($file)"
cp "$file" "$SITE/settings.good"
echo 'proxy_timeout' >>"$file"

if out=$("$SITE_LIB/nginx-reload" "$p" 2>&1); then
	fail "the helper exited 0 on a configuration nginx refuses: $out"
else
	grep -q '\[emerg\]' <<<"$out" && grep -q 'refused the new configuration' <<<"$out" &&
	pass "the helper fails with nginx's own message: $(head -n 1 <<<"$out")" ||
	fail "the helper failed without saying why: $out"
fi
now=$(pgrep -P "$master" | sort | tr '\n' ' ')
[ "$(cat "$p/nginx.pid")" = "$master" ] && [ "$now" = "$workers" ] &&
pass "nginx kept running its old workers" ||
fail "nginx changed after a refused reload: master $(cat "$p/nginx.pid") (was $master), workers $now (were $workers)"

# What only the master finds (nginx -t does not bind): a mail server on a port in
# use. Plain "nginx -s reload" exits 0 here; the helper must not.
cp "$SITE/settings.good" "$file"
printf 'server { listen 127.0.0.1:%s; protocol imap; }\n' "$DOVECOT_PORT" >>"$file"
nginx -t -q -p "$p/" -c nginx.conf -e "$p/error.log" >/dev/null 2>&1 ||
    e2e_die "nginx -t refused a listen on a busy port: the case cannot be shown"
if out=$("$SITE_LIB/nginx-reload" "$p" 2>&1); then
	fail "the helper exited 0 when the master kept its old configuration: $out"
else
	grep -q 'bind() to 127.0.0.1:'"$DOVECOT_PORT" <<<"$out" &&
	grep -q 'kept its old configuration' <<<"$out" &&
	pass "the helper reports the master's refusal: $(head -n 1 <<<"$out")" ||
	fail "the helper failed without the master's reason: $out"
fi
if nginx -s reload -p "$p/" -c nginx.conf -e "$p/error.log" >/dev/null 2>&1; then
	pass "plain nginx -s reload exits 0 in the same state (why the example does not use it)"
else
	fail "plain nginx -s reload failed: the docs' reason for the helper is wrong on this nginx"
fi
cp "$SITE/settings.good" "$file"
e2e_finish
