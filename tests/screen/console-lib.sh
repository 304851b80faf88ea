# The set-up the console screen tests share, sourced after lib.sh: a
# temporary database and config file, the inventory made through the
# command line, and the console run on them under vtdrive.
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/console-lib.sh"
#	console_setup --reload --failing-restart
#	console_server CAS01 cas01
#	console_run open-page <<'VT'
#	wait Servers > Servers
#	VT
#	imapadm get-imapsettings -Identity CAS01 >"$TEST_TMP/get.out"
#
# Sets DB, CONF (in $TEST_TMP) and ME (the Unix user running the test).

# console_setup [options]: a fresh database and a config file with profile
# cas01, a command profile whose restart succeeds and whose status says
# "running". Options add to the config:
#	--site NAME		the site shown in the header
#	--reload		cas01 can also reload
#	--listeners TEXT	cas01 describes its listeners
#	--backend TEXT		cas01 describes its backend
#	--failing-restart	profile cas02: its restart prints "starting",
#				then "boom" on stderr, and exits 3
#	--slow-check		profile slow: its check takes 2 seconds
#	--no-profile		no cas01: the test writes its own profiles
console_setup()
{
	local site='' reload='' listeners='' backend='' failing='' slow=''
	local cas01=1

	while [ $# -gt 0 ]; do
		case $1 in
		--site) site=$2; shift ;;
		--reload) reload=1 ;;
		--listeners) listeners=$2; shift ;;
		--backend) backend=$2; shift ;;
		--failing-restart) failing=1 ;;
		--slow-check) slow=1 ;;
		--no-profile) cas01='' ;;
		*) fail "console_setup: unknown option $1" ;;
		esac
		shift
	done

	need_bin IMAPADM_BIN
	mk_tmp
	DB=$TEST_TMP/imapadm.db
	CONF=$TEST_TMP/imapadm.conf
	ME=$(id -un)
	: >"$CONF"
	[ -z "$site" ] || printf 'site = "%s"\n' "$site" >>"$CONF"
	if [ -n "$cas01" ]; then
		{
			printf 'profile cas01 {\n'
			printf '\ttype = "command"\n'
			# What the restart pushes, the observe command reads
			# back: "running" is observed, never remembered.
			printf '\trestart = {"sh", "-c", "echo %%{AuthenticatedConnectionTimeout} %%{PreAuthenticatedConnectionTimeout} >%s", "%s/cas01.running"}\n' '$0' "$TEST_TMP"
			[ -z "$reload" ] || printf '\treload = {"sh", "-c", "echo %%{AuthenticatedConnectionTimeout} %%{PreAuthenticatedConnectionTimeout} >%s", "%s/cas01.running"}\n' '$0' "$TEST_TMP"
			printf '\tobserve = {"sh", "-c", "read a p <%s && echo AuthenticatedConnectionTimeout $a && echo PreAuthenticatedConnectionTimeout $p", "%s/cas01.running"}\n' '$0' "$TEST_TMP"
			printf '\tstatus = {"echo", "running"}\n'
			[ -z "$listeners" ] ||
			    printf '\tlisteners = "%s"\n' "$listeners"
			[ -z "$backend" ] || printf '\tbackend = "%s"\n' "$backend"
			printf '}\n'
		} >>"$CONF"
	fi
	if [ -n "$failing" ]; then
		cat >>"$CONF" <<'EOF'
profile cas02 {
	type = "command"
	restart = {"sh", "-c", "echo starting; echo boom >&2; exit 3"}
	status = {"echo", "running"}
}
EOF
	fi
	if [ -n "$slow" ]; then
		cat >>"$CONF" <<EOF
profile slow {
	type = "command"
	check = {"sleep", "2"}
	restart = {"sh", "-c", "echo %{AuthenticatedConnectionTimeout} %{PreAuthenticatedConnectionTimeout} >\$0", "$TEST_TMP/slow.running"}
	observe = {"sh", "-c", "read a p <\$0 && echo AuthenticatedConnectionTimeout \$a && echo PreAuthenticatedConnectionTimeout \$p", "$TEST_TMP/slow.running"}
	status = {"echo", "running"}
}
EOF
	fi
	return 0
}

# imapadm ARGS...: the command line on the test's database and config.
imapadm()
{
	"$IMAPADM_BIN" --db "$DB" --config "$CONF" "$@"
}

# console_server IDENTITY PROFILE: a client access server, its FQDN the
# identity in lower case under contoso.test.
console_server()
{
	imapadm new-server "$1" -Fqdn "${1,,}.contoso.test" \
	    -Roles ClientAccess -Profile "$2" >/dev/null
}

# console_mailbox IDENTITY: a mailbox server, with no IMAP4 profile.
console_mailbox()
{
	imapadm new-server "$1" -Fqdn "${1,,}.contoso.test" -Roles Mailbox \
	    >/dev/null
}

# console_viewer: from now on the test's user is View-Only Organization
# Management (and someone else the only organisation manager). Make the
# inventory first: a viewer may not.
console_viewer()
{
	cat >>"$CONF" <<EOF
roles {
	organization_management = {"nobody-else-$$"}
	view_only = {"$ME"}
}
EOF
}

# console_run NAME [vtdrive options] [-- prefix...]: the console on the
# test's database and config, driven by the script on stdin (as vt_run);
# a prefix such as `env NO_COLOR=1` goes before the binary.
console_run()
{
	local name=$1
	local -a opts=() prefix=()

	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ $# -eq 0 ] || shift
	prefix=("$@")
	vt_run "$name" "${opts[@]}" -- "${prefix[@]}" "$IMAPADM_BIN" \
	    --db "$DB" --config "$CONF"
}
