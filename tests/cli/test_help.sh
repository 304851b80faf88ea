#!/usr/bin/env bash
# --help, --version, help VERB, VERB --help, and the man page: it renders
# without warnings and documents every verb and setting the binary knows.
. "$(dirname "$0")/lib.sh"

VERBS="get-imapsettings set-imapsettings restart-imapservice get-server
new-server remove-server import-servers get-auditlog help"
MAN=${SOURCE_DIR:-$(dirname "$0")/../..}/docs/imapadm.1

for opt in --help -h; do
	run_raw $opt
	expect_rc 0 "$opt"
	expect_out "usage: imapadm [--db PATH] [--config PATH] [VERB [PARAMETERS]]" \
	    "$opt usage line"
	expect_err_empty "$opt"
	for v in $VERBS; do
		check
		printf '%s\n' "$OUT" | grep -q "^  $v\( \|\$\)" ||
		    fail "$opt lists $v"
	done
done
check
printf '%s\n' "$OUT" | awk 'length($0) > 79 { bad = 1 } END { exit !bad }' &&
    fail "--help lines fit 79 columns"
listed=$(printf '%s\n' "$OUT" | awk '/^Verbs:/ { on = 1; next }
	on && /^  [a-z]/ { print $1 }')

run_raw --version
expect_rc 0 "--version"
expect_out_is "imapadm 0.1.0" "--version output"

for v in $VERBS; do
	run_raw help $v
	expect_rc 0 "help $v"
	expect_out "usage: imapadm $v" "help $v usage"
	expect_out "Parameters:" "help $v lists parameters"
	run_raw $v --help
	expect_rc 0 "$v --help"
	expect_out "usage: imapadm $v" "$v --help usage"
done
run_raw HELP Set-ImapSettings
expect_rc 0 "help is case-insensitive"
# Wrapped text: compare with lines joined and blanks squeezed.
OUT=$(printf '%s\n' "$OUT" | tr -s ' \n' '  ')
expect_out "-AuthenticatedConnectionTimeout <time>" "setting parameters from the table"
expect_out "Valid: 30-86400 seconds; default 1800 (00:30:00)." "range and default"
expect_out "Valid: 30-3600 seconds; default 60 (00:01:00)." "range and default"
run_raw get-imapsettings -?
expect_rc 0 "-? asks for help"
expect_out "usage: imapadm get-imapsettings" "-? usage"
run_raw help
expect_rc 0 "help without a verb"
expect_out "Verbs:" "help without a verb lists verbs"

# The man page renders without warnings and documents what the binary has.
check
if [ ! -f "$MAN" ]; then
	fail "man page $MAN missing"
else
	warnings=$(groff -man -Tutf8 -ww -z "$MAN" 2>&1)
	[ -z "$warnings" ] || fail "groff warnings: $warnings"
	OUT=$(MANWIDTH=80 man -l "$MAN" 2>"$TMP/manerr" |
	    tr -s ' \n' '  ')
	ERR=$(cat "$TMP/manerr")
	LAST="man -l $MAN"
	RC=0
	expect_err_empty "man -l renders quietly"
	expect_out "imapadm - set and restart the IMAP4 connection time-outs" "man NAME"
	for v in $listed; do
		expect_out "imapadm $v" "man page documents $v"
	done
	for s in AuthenticatedConnectionTimeout PreAuthenticatedConnectionTimeout; do
		expect_out "$s" "man page documents $s"
	done
	expect_out "EXIT STATUS" "man page has EXIT STATUS"
	expect_out "IMAPADM_CONFIG" "man page has the environment"
fi

finish
