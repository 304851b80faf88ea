# Helpers the screen tests source: run vtdrive on a script given on stdin,
# a temporary directory removed on exit, and one way to fail.
#
#	. "$(dirname "$0")/lib.sh"
#	mk_tmp
#	vt_run open-menu --size 80x24 -- "$IMAPADM_BIN" --config "$TEST_TMP/c" <<'VT'
#	wait IMAP4
#	key Down
#	attr "Timeouts" reverse
#	VT
#
# VTDRIVE (and IMAPADM_BIN for the console) come from ctest's environment.

TEST_NAME=$(basename "$0" .sh)
export LC_ALL="${LC_ALL:-C.UTF-8}"
_vt_cleanup=()

# fail MESSAGE...: say what went wrong and end the test.
fail()
{
	printf 'FAIL: %s: %s\n' "$TEST_NAME" "$*" >&2
	exit 1
}

_vt_on_exit()
{
	local cmd

	for cmd in "${_vt_cleanup[@]}"; do
		eval "$cmd" || true
	done
}
trap _vt_on_exit EXIT

# on_exit COMMAND: run COMMAND (a string, eval'd) when the test ends.
on_exit()
{
	_vt_cleanup=("$1" "${_vt_cleanup[@]}")
}

# mk_tmp: make a private directory in $TEST_TMP, removed when the test ends.
mk_tmp()
{
	[ -n "${TEST_TMP:-}" ] && return 0
	TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/$TEST_NAME.XXXXXX") ||
	    fail "cannot make a temporary directory"
	on_exit 'rm -rf "$TEST_TMP"'
}

# need_bin VAR: VAR (such as IMAPADM_BIN) must name an executable.
need_bin()
{
	local path="${!1:-}"

	[ -n "$path" ] || fail "$1 is not set: run through ctest or set it"
	[ -x "$path" ] || fail "$1=$path is not an executable file"
}

# vt_run NAME [vtdrive options] -- command...: run the script on stdin and
# fail the test unless every step of it held. vtdrive's own stderr says
# which line failed and shows the screen; `screen` output goes to stdout.
vt_run()
{
	local name=$1 rc=0

	shift
	printf -- '--- %s\n' "$name"
	"$VTDRIVE" "$@" || rc=$?
	[ "$rc" -eq 0 ] || fail "$name: vtdrive exited with status $rc"
	printf 'ok %s\n' "$name"
}

# vt_fails NAME [vtdrive options] -- command...: the script must FAIL (vtdrive
# exits 1). Its stderr is kept in the file $VT_ERR for the caller to check.
vt_fails()
{
	local name=$1 rc=0

	shift
	mk_tmp
	VT_ERR="$TEST_TMP/$name.err"
	printf -- '--- %s (must fail)\n' "$name"
	"$VTDRIVE" "$@" 2>"$VT_ERR" || rc=$?
	if [ "$rc" -ne 1 ]; then
		cat "$VT_ERR" >&2
		fail "$name: vtdrive exited with status $rc, expected 1"
	fi
	printf 'ok %s\n' "$name"
}

# assert_has FILE TEXT: FILE must contain TEXT (a fixed string).
assert_has()
{
	if ! grep -qF -- "$2" "$1"; then
		printf '%s:\n' "$1" >&2
		cat "$1" >&2
		fail "'$2' is not in $1"
	fi
}

need_bin VTDRIVE
