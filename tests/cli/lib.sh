# Helpers for the CLI tests: a temporary database, running the built binary,
# and asserts that say what was expected and what came out.
# Source it, call the expect_* helpers, end with `finish`.

set -u

if [ -z "${IMAPADM_BIN:-}" ] || [ ! -x "$IMAPADM_BIN" ]; then
	echo "IMAPADM_BIN must name the built imapadm (got '${IMAPADM_BIN:-}')" >&2
	exit 2
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/imapadm-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/t.db
# No config file unless a test writes one: the built-in defaults.
export IMAPADM_CONFIG=""
unset IMAPADM_DB
ME=$(id -un)
FAILS=0
CHECKS=0
OUT=
ERR=
RC=

# run ARGS...: imapadm --db $DB ARGS; sets OUT, ERR and RC.
run() {
	"$IMAPADM_BIN" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	LAST="imapadm --db \$DB $*"
}

# run_raw ARGS...: the same without --db (global options under test).
run_raw() {
	"$IMAPADM_BIN" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	LAST="imapadm $*"
}

fail() {
	FAILS=$((FAILS + 1))
	{
		echo "FAIL: $*"
		echo "  command: ${LAST:-}"
		echo "  exit: ${RC:-}"
		echo "  stdout: $(printf '%s' "$OUT" | sed '2,$s/^/          /')"
		echo "  stderr: $(printf '%s' "$ERR" | sed '2,$s/^/          /')"
	} >&2
}

check() {
	CHECKS=$((CHECKS + 1))
}

expect_rc() {	# expect_rc N what
	check
	[ "$RC" = "$1" ] || fail "$2: exit status $RC, expected $1"
}

expect_out() {	# expect_out TEXT what: stdout contains TEXT
	check
	case "$OUT" in *"$1"*) ;; *) fail "$2: stdout lacks '$1'" ;; esac
}

expect_no_out() {	# expect_no_out TEXT what
	check
	case "$OUT" in *"$1"*) fail "$2: stdout has '$1'" ;; *) ;; esac
}

expect_out_is() {	# expect_out_is TEXT what: stdout is exactly TEXT
	check
	[ "$OUT" = "$1" ] || fail "$2: stdout is not '$1'"
}

expect_err() {	# expect_err TEXT what: stderr contains TEXT
	check
	case "$ERR" in *"$1"*) ;; *) fail "$2: stderr lacks '$1'" ;; esac
}

expect_err_empty() {
	check
	[ -z "$ERR" ] || fail "$1: stderr not empty"
}

expect_out_empty() {
	check
	[ -z "$OUT" ] || fail "$1: stdout not empty"
}

# Every error line is "imapadm: ..." (no stray output from libraries).
expect_err_prefixed() {
	check
	if printf '%s\n' "$ERR" | grep -qv '^imapadm: '; then
		fail "$1: stderr line without 'imapadm: '"
	fi
}

# list_value LABEL: the value of "LABEL : value" in the first block of OUT.
list_value() {
	printf '%s\n' "$OUT" | awk -v l="$1" '
		/^$/ { exit }
		{
			i = index($0, " :")
			if (i == 0)
				next
			lab = substr($0, 1, i - 1)
			sub(/ +$/, "", lab)
			if (lab == l) {
				v = substr($0, i + 2)
				sub(/^ /, "", v)
				print v
				exit
			}
		}'
}

expect_field() {	# expect_field LABEL VALUE what
	local got
	check
	got=$(list_value "$1")
	[ "$got" = "$2" ] || fail "$3: $1 is '$got', expected '$2'"
}

# The whole database as SQL text: a refused command must not change it.
snapshot() {
	sqlite3 "$DB" .dump >"$TMP/snapshot"
}

expect_unchanged() {	# expect_unchanged what
	check
	sqlite3 "$DB" .dump >"$TMP/now"
	if ! diff -u "$TMP/snapshot" "$TMP/now" >"$TMP/diff"; then
		fail "$1: database changed: $(head -20 "$TMP/diff")"
	fi
}

# audit_count: rows in the audit log, read through the CLI itself.
audit_count() {
	"$IMAPADM_BIN" --db "$DB" get-auditlog -ResultSize Unlimited \
	    --format json 2>/dev/null |
	    python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

expect_audit() {	# expect_audit N what
	local n
	check
	n=$(audit_count)
	[ "$n" = "$1" ] || fail "$2: audit log has $n rows, expected $1"
}

# json_get EXPR: evaluate a Python expression on the JSON in OUT as `j`.
json_get() {
	printf '%s' "$OUT" | python3 -c "import json, sys; j = json.load(sys.stdin); print($1)"
}

expect_json() {	# expect_json EXPR VALUE what
	local got
	check
	if ! got=$(json_get "$1" 2>&1); then
		fail "$3: JSON did not parse or lacks $1: $got"
		return
	fi
	[ "$got" = "$2" ] || fail "$3: $1 is '$got', expected '$2'"
}

# The demo inventory, made through the CLI: two client access servers and
# a mailbox server.
demo_servers() {
	run new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess
	[ "$RC" = 0 ] || fail "setup: new-server CAS01"
	run new-server CAS02 -Fqdn cas02.contoso.test -Roles ClientAccess
	[ "$RC" = 0 ] || fail "setup: new-server CAS02"
	run new-server MBX01 -Fqdn mbx01.contoso.test -Roles Mailbox
	[ "$RC" = 0 ] || fail "setup: new-server MBX01"
}

# wait_for WHAT LIMIT COMMAND...: poll until COMMAND succeeds, at most
# LIMIT seconds (then fail WHAT and return 1).
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

gone() {	# gone PID: the process has ended
	! kill -0 "$1" 2>/dev/null
}

finish() {
	if [ "$FAILS" -gt 0 ]; then
		echo "$(basename "$0"): $FAILS of $CHECKS checks failed" >&2
		exit 1
	fi
	echo "$(basename "$0"): $CHECKS checks passed"
	exit 0
}
