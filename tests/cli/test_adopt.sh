#!/usr/bin/env bash
# new-server adopts what its service holds: the nginx-mail settings file read
# back (nginx units), saved as configured and audited; only a server with
# nothing usable to read starts from the defaults, and says why.
# import-servers does the same for every server, one file read per profile.
. "$(dirname "$0")/lib.sh"
AUTH=AuthenticatedConnectionTimeout
PRE=PreAuthenticatedConnectionTimeout

for n in 1 2 3; do
	cat >>"$TMP/imapadm.conf" <<EOF
profile p$n {
	type = "nginx-mail"
	settings_file = "$TMP/f$n.conf"
	check = {"true"}
	restart = {"true"}
}
EOF
done
export IMAPADM_CONFIG=$TMP/imapadm.conf
printf '# by hand\ntimeout 1m;\nproxy_timeout 30000ms;\n' >"$TMP/f1.conf"
printf 'timeout 60s;\nproxy_timeout 5s;\n' >"$TMP/f3.conf"

run new-server CAS01 -Fqdn cas01.contoso.test -Roles ClientAccess -Profile p1
expect_rc 0 "new-server with a readable settings file"
expect_out "CAS01: adopted from the service: $AUTH 30, $PRE 60 ($TMP/f1.conf)" "says what it adopted, from where"
run get-imapsettings CAS01
expect_field $AUTH 00:00:30 "configured from the file (30000ms)"
expect_field $PRE 00:01:00 "configured from the file (1m)"
# No pid_file: whether nginx loaded the file cannot be seen, so pending.
expect_field RestartPending True "pending while nothing shows nginx loaded it"
run get-auditlog CAS01 -ResultSize 1 --format json
expect_json "j[0]['What'].startswith('adopted from the service: $AUTH 30, $PRE 60')" True "adoption audited"

run new-server CAS02 -Fqdn cas02.contoso.test -Roles ClientAccess -Profile p2
expect_rc 0 "new-server with no settings file"
expect_out "CAS02: starts from the defaults (1800/60 s): unknown: cannot read $TMP/f2.conf: No such file or directory" \
    "defaults, and why"
run get-imapsettings CAS02
expect_field $AUTH 00:30:00 "defaults"

run new-server CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess -Profile p3
expect_rc 0 "new-server with an out-of-range file"
expect_out "CAS03: starts from the defaults (1800/60 s): $AUTH: value is too small: 5" "the value that cannot be adopted is named"
run get-imapsettings CAS03
expect_field $AUTH 00:30:00 "an out-of-range value is not adopted"

# import-servers: the same, per profile.
{
	echo "Identity,Fqdn,Roles,Profile"
	for i in 1 2 3 4; do echo "IMP1$i,imp1$i.contoso.test,ClientAccess,p1"; done
	echo "IMP21,imp21.contoso.test,ClientAccess,p2"
	echo "IMP31,imp31.contoso.test,ClientAccess,p3"
} >"$TMP/import.csv"
n=$(audit_count)
run import-servers -Path "$TMP/import.csv"
expect_rc 0 "import-servers"
expect_out "imported 6 servers" "all imported"
expect_out "profile p1: 4 servers adopted from the service: $AUTH 30, $PRE 60 ($TMP/f1.conf)" \
    "p1's file read and adopted, said once"
expect_out "profile p2: 1 server starts from the defaults (1800/60 s): unknown: cannot read $TMP/f2.conf" \
    "p2 starts from the defaults, and why"
expect_out "profile p3: 1 server starts from the defaults (1800/60 s): $AUTH: value is too small: 5" \
    "p3's value that cannot be adopted is named"
expect_audit $((n + 6)) "one audit row per server, adoption included"
run get-imapsettings IMP13
expect_field $AUTH 00:00:30 "an imported server configured from its profile's file"
expect_field $PRE 00:01:00 "both values"
expect_field Version 1 "adopted is a saved change"
run get-auditlog IMP13 -ResultSize 1 --format json
expect_json "'; adopted from the service: $AUTH 30, $PRE 60' in j[0]['What']" True "the import's audit row says what it adopted"
run get-imapsettings IMP21
expect_field $AUTH 00:30:00 "no file: the defaults"
expect_field Version 0 "nothing saved"
run get-auditlog -Verify
expect_rc 0 "the audit chain holds with the adoption in the import's rows"
finish
