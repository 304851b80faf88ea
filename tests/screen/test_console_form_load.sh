#!/usr/bin/env bash
# ncurses' form library is loaded by the first form (tui/form_load.c): the
# binary does not link libformw, so the console's list starts without
# loading it and a server page loads it. Without the library (in a private
# mount namespace where it is an empty file; CI runs as root) the list still
# works, and opening a page says which library is missing and why (whole in
# the messages) instead of the page, and the console goes on.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01

if needed=$(readelf -d "$IMAPADM_BIN" | grep -E 'NEEDED.*libformw'); then
	fail "imapadm links libformw, every start pays for loading it: $needed"
fi

# loads NAME: the libraries ld.so loaded in the run of console_run NAME
# (LD_DEBUG=files, to files outside the terminal).
loads()
{
	cat "$TEST_TMP/ld.$1".* 2>/dev/null
}

console_run list-only -- env LD_DEBUG=files \
    LD_DEBUG_OUTPUT="$TEST_TMP/ld.list-only" <<'VT'
wait Servers > Servers
row 3 > CAS01
send q
exit 0
VT
loads list-only | grep -q 'file=libncursesw' ||
    fail "setup: LD_DEBUG=files wrote no list of the libraries loaded"
if loads list-only | grep -q 'file=libformw'; then
	fail "the list alone loaded libformw: $(loads list-only |
	    grep 'file=libformw')"
fi

console_run page -- env LD_DEBUG=files LD_DEBUG_OUTPUT="$TEST_TMP/ld.page" \
    <<'VT'
wait Servers > Servers
key Enter
wait Server properties: CAS01
key Esc
row 3 > CAS01
send q
exit 0
VT
loads page | grep -q 'file=libformw' ||
    fail "the server page's form did not load libformw"

if [ "$(id -u)" != 0 ] || ! unshare --mount true 2>/dev/null; then
	echo "$TEST_NAME: needs root and mount namespaces for the missing" \
	    "library; not run" >&2
	exit 0
fi
so=$(ldconfig -p | awk '$1 == "libformw.so.6" && /x86-64/ { print $NF; exit }')
so=$(readlink -f "${so:-/nonexistent}")
[ -f "$so" ] || fail "setup: libformw.so.6 not found by ldconfig"
: >"$TEST_TMP/empty.so"
console_run without-libformw -- unshare --mount --propagation private \
    sh -c 'mount --bind "$1" "$2" || exit 97; shift 2; exec "$@"' sh \
    "$TEST_TMP/empty.so" "$so" <<'VT'
wait Servers > Servers
row 3 > CAS01
key Enter
wait cannot open the properties of CAS01: cannot load ncurses' form library
expect_not Server properties
send m
wait libformw.so.6 (Debian package libncursesw6): 
wait file too short
key Esc
row 3 > CAS01
key Enter
wait cannot open the properties of CAS01
send q
exit 0
VT
echo "$TEST_NAME: passed"
