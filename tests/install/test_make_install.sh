#!/usr/bin/env bash
# make install's layout, into a DESTDIR: the binary runs, the man page, the
# reload helper, the docs, a config under /etc that parses and grants no
# role, never written over once there, and a root-only /var/lib/imapadm.
set -u
BUILD_DIR=$(dirname "${IMAPADM_BIN:?}")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/imapadm-install.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
D=$TMP/root
FAILS=0
CHECKS=0
expect() { CHECKS=$((CHECKS + 1)); eval "$1" || { FAILS=$((FAILS + 1)); echo "FAIL: $2" >&2; }; }

# What make install runs (Makefile: DESTDIR=... cmake --install BUILD --prefix PREFIX).
grep -q 'cmake --install $(BUILD) --prefix $(PREFIX)' "${SOURCE_DIR:?}/Makefile" ||
    { echo "FAIL: make install does not run cmake --install" >&2; exit 1; }
inst() { DESTDIR=$D cmake --install "$BUILD_DIR" --prefix /usr/local >"$TMP/log" 2>&1; RC=$?; }

inst
expect '[ $RC = 0 ]' "cmake --install failed: $(cat "$TMP/log")"
expect '[ -x $D/usr/local/bin/imapadm ]' "no executable bin/imapadm"
expect '"$D/usr/local/bin/imapadm" --version | grep -q "^imapadm "' "the installed binary does not run"
expect '[ -f $D/usr/local/share/man/man1/imapadm.1 ]' "no man page"
expect 'man -l "$D/usr/local/share/man/man1/imapadm.1" 2>/dev/null | grep -q "sudo"' "the man page does not render (or lacks the sudo section)"
expect '[ -x $D/usr/local/lib/imapadm/nginx-reload-checked ]' "no reload helper where the example config names it"
expect 'grep -q "/usr/local/lib/imapadm/nginx-reload-checked" "$D/usr/local/share/doc/imapadm/imapadm.conf.example"' \
    "the installed example does not name the installed helper"
expect '[ -f $D/usr/local/share/doc/imapadm/existing-nginx.md ]' "no existing-nginx guide"
expect '[ "$(stat -c %a "$D/var/lib/imapadm")" = 700 ]' "/var/lib/imapadm is not 0700: $(stat -c %a "$D/var/lib/imapadm" 2>&1)"

conf=$D/etc/imapadm/imapadm.conf
expect '[ -f "$conf" ]' "no /etc/imapadm/imapadm.conf"
mkdir -m 700 "$TMP/db"
"$IMAPADM_BIN" --config "$conf" --db "$TMP/db/t.db" get-server >"$TMP/out" 2>&1
RC=$?
expect '[ $RC = 0 ]' "the installed config does not load: $(cat "$TMP/out")"
expect '! grep -Eq "^[^#]" "$conf"' "the installed config sets something (every line should be commented)"
expect 'grep -q "^#organization_management\|^#	organization_management" "$conf"' "the installed config lost the example's roles (commented)"

# An admin's config is never replaced.
printf 'site = "Mine"\n' >"$conf"
inst
expect '[ "$(cat "$conf")" = "site = \"Mine\"" ]' "a second install replaced the admin's config"
expect 'grep -q "Kept existing" "$TMP/log"' "the install does not say it kept the config"

echo "test_make_install: $CHECKS checks, $FAILS failed"
[ "$FAILS" = 0 ]
