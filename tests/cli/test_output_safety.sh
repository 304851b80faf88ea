#!/usr/bin/env bash
# Text that imapadm did not write itself (a service command's error output,
# values in a database edited by hand) must not reach the terminal as
# control sequences: ESC, BEL and C1 controls are shown as '?' in every
# output form, and JSON escapes them.
. "$(dirname "$0")/lib.sh"

# The error output sets the window title, colours, and sends a C1 CSI.
cat >"$TMP/imapadm.conf" <<'EOF'
profile noisy {
	type = "command"
	restart = {"/bin/sh", "-c", "printf 'first\\033]0;pwned\\007line\\n' >&2; printf 'bad \\033[31mred\\302\\233x\\n' >&2; exit 1"}
}
EOF
export IMAPADM_CONFIG=$TMP/imapadm.conf

# expect_clean what: neither stdout nor stderr holds ESC, BEL or U+009B.
expect_clean() {
	check
	if LC_ALL=C grep -q "$(printf '\033\|\007\|\302\233')" "$TMP/out" \
	    "$TMP/err"; then
		fail "$1: control sequence in the output: $(od -c "$TMP/out" "$TMP/err" | grep -m3 '033\|007\|302')"
	fi
}

run new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess -Profile noisy
expect_rc 0 "setup"

run restart-imapservice CAS01
expect_rc 1 "the restart fails"
expect_out "first?]0;pwned?line" "the error output is shown, neutralised"
expect_clean "restart-imapservice steps"

for format in table list; do
	run get-auditlog CAS01 --format $format
	expect_rc 0 "get-auditlog --format $format"
	expect_out "(stderr: first?]0;pwned?line|bad ?[31mred?x)" \
	    "audit tail shown, neutralised ($format)"
	expect_clean "get-auditlog --format $format"
done
run get-auditlog CAS01 --format json
expect_clean "get-auditlog --format json"
expect_json "'pwned' in j[0]['Outcome']" True "json keeps the text"

# A database edited by hand: a site with an escape sequence and a role
# with a quote. The list, the table and the JSON stay safe and valid.
sqlite3 "$DB" "UPDATE server SET site = 'S' || char(27) || '[2J' || char(155) || 'x', roles = 'ClientAccess,Mail\"box' WHERE identity = 'CAS01'"
for format in table list; do
	run get-server --format $format
	expect_rc 0 "get-server --format $format"
	expect_out "S?[2J?x" "site shown, neutralised ($format)"
	expect_clean "get-server --format $format"
done
run get-server --format json
expect_rc 0 "get-server --format json"
expect_json "j[0]['Site']" "$(printf 'S\033[2J\302\233x')" "json site escaped"
expect_json "j[0]['Roles']" "['ClientAccess', 'Mail\"box']" "json roles escaped"
expect_clean "get-server --format json"

finish
