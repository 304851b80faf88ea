#!/usr/bin/env bash
# scripts/install-deps with stub dpkg-query and apt-get on PATH: the exit status, the
# apt calls it makes and the policy-rc.d it leaves, for each state a machine can be in.
set -u
SCRIPT=${SOURCE_DIR:?}/scripts/install-deps
TMP=$(mktemp -d "${TMPDIR:-/tmp}/imapadm-install.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CHECKS=0

mkdir -p "$TMP/bin"
# dpkg-query -W -f=... PKG: installed unless PKG is listed in $TMP/missing.
cat >"$TMP/bin/dpkg-query" <<'STUB'
#!/bin/sh
for p; do :; done
grep -qx "$p" "$STUB_DIR/missing" 2>/dev/null && exit 1
printf 'install ok installed'
STUB
# apt-get: logs its arguments and what policy-rc.d says while it runs; an install
# fails while $TMP/needs-update exists, and `update` removes it.
cat >"$TMP/bin/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $* [policy: $(cat "$IMAPADM_POLICY_RC_D" 2>/dev/null | tail -n 1)]" >>"$STUB_DIR/calls"
case "$1" in
update) rm -f "$STUB_DIR/needs-update"; exit 0 ;;
install) [ -e "$STUB_DIR/needs-update" ] && exit 100; exit 0 ;;
esac
exit 0
STUB
chmod +x "$TMP/bin/dpkg-query" "$TMP/bin/apt-get"

fail() { FAILS=$((FAILS + 1)); echo "FAIL [$CASE]: $*" >&2; echo "  output: $(cat "$TMP/out")" >&2; echo "  calls: $(cat "$TMP/calls" 2>/dev/null)" >&2; }
expect() { CHECKS=$((CHECKS + 1)); eval "$1" || fail "$2"; }

# run CASE MISSING POLICY NEEDS_UPDATE: POLICY is 'none' or the text of an existing one.
run() {
	CASE=$1
	rm -f "$TMP/calls" "$TMP/needs-update" "$TMP/policy-rc.d"
	printf '%s\n' $2 >"$TMP/missing"
	[ "$3" = none ] || printf '%s\n' "$3" >"$TMP/policy-rc.d"
	[ "$4" = yes ] && : >"$TMP/needs-update"
	STUB_DIR=$TMP IMAPADM_POLICY_RC_D=$TMP/policy-rc.d PATH="$TMP/bin:$PATH" \
		sh "$SCRIPT" >"$TMP/out" 2>&1
	RC=$?
}

run "nothing missing" "" none no
expect '[ $RC = 0 ]' "exit status $RC, expected 0"
expect '[ ! -e "$TMP/calls" ]' "apt-get was called with nothing missing"
expect '[ ! -e "$TMP/policy-rc.d" ]' "a policy-rc.d was left behind"

run "one missing, no policy-rc.d" "tmux" none no
expect '[ $RC = 0 ]' "exit status $RC, expected 0"
expect 'grep -q "^apt-get install -y --no-install-recommends tmux \[policy: exit 101\]" "$TMP/calls"' \
	"apt-get install tmux did not run under a policy that forbids starting services"
expect '[ $(wc -l <"$TMP/calls") = 1 ]' "apt-get ran more than once"
expect '[ ! -e "$TMP/policy-rc.d" ]' "the temporary policy-rc.d was not removed"
expect 'grep -q "installed: tmux" "$TMP/out"' "it does not say what it installed"

run "one missing, existing policy-rc.d" "tmux" "exit 0" no
expect '[ $RC = 0 ]' "exit status $RC, expected 0 (the EXIT trap's status leaked)"
expect 'grep -q "\[policy: exit 0\]" "$TMP/calls"' "the machine's own policy-rc.d was replaced during the install"
expect '[ "$(cat "$TMP/policy-rc.d")" = "exit 0" ]' "the machine's own policy-rc.d was changed or removed"

run "first install fails until apt-get update" "tmux sqlite3" none yes
expect '[ $RC = 0 ]' "exit status $RC, expected 0"
expect '[ "$(cut -d" " -f2 "$TMP/calls" | tr "\n" " ")" = "install update install " ]' \
	"apt calls were not install, update, install"
expect 'grep -q "install -y --no-install-recommends tmux sqlite3" "$TMP/calls"' "not both missing packages were asked for"
expect '[ ! -e "$TMP/policy-rc.d" ]' "the temporary policy-rc.d was not removed"

# A failure that update does not mend is reported and leaves the policy as found.
cat >"$TMP/bin/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $*" >>"$STUB_DIR/calls"
[ "$1" = update ] && exit 0
exit 100
STUB
run "install fails for good, existing policy-rc.d" "tmux" "exit 0" no
expect '[ $RC != 0 ]' "exit status 0 after apt-get failed"
expect '[ "$(cat "$TMP/policy-rc.d")" = "exit 0" ]' "the machine's own policy-rc.d was changed or removed"
run "install fails for good, no policy-rc.d" "tmux" none no
expect '[ $RC != 0 ]' "exit status 0 after apt-get failed"
expect '[ ! -e "$TMP/policy-rc.d" ]' "the temporary policy-rc.d was not removed after a failure"

echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" = 0 ]
