# The console on each supported terminal type, in a UTF-8 and in the C
# locale, in colour and with NO_COLOR: markers fall back to ASCII outside
# UTF-8, lines are drawn with the terminal's line-drawing set, and the
# selection and header stand out by reverse video when colour is off.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"
console_setup
console_server CAS01 cas01
console_server CAS02 cas01
imapadm set-imapsettings CAS02 -PreAuthenticatedConnectionTimeout 90 \
    >/dev/null

# run TERM LOCALE NO_COLOR: one pass through list, page and a bad value.
run()
{
	local term=$1 locale=$2 nocolor=$3 pending dots dash cross focus hdr

	if [ "$locale" = C ]; then
		pending='*' dots='...' dash='-' cross='x' focus='>'
	else
		pending='⟳' dots='…' dash='–' cross='✗' focus='▸'
	fi
	# Colour on: the header is coloured and bold; off: reverse video.
	if [ -n "$nocolor" ] || [ "$term" = vt100 ]; then
		hdr='reverse'
	else
		hdr='!reverse'
	fi
	console_run "$term-$locale${nocolor:+-nocolor}" --term "$term" -- \
	    env LC_ALL="$locale" NO_COLOR="$nocolor" <<VT
wait Servers > Servers
attr site: $hdr
attr CAS01 reverse
attr CAS02 !reverse
row 4   CAS02       ClientAccess             cas01        $pending restart pending
key Enter
wait Server properties: CAS01
wait ────────────────
send 2
wait Status             running
key Down
wait More options$dots
attr More options$dots reverse
key Enter
wait $focus Authenticated time-out (seconds)
send 29
wait [29    ] $dots valid: 30${dash}86400
key Enter
wait $cross too small, valid: 30${dash}86400
wait [ Apply ]    [ OK ]    [ Cancel ]
key Esc
wait [1800  ] valid: 30${dash}86400
key Esc
wait Servers > Servers
send q
exit 0
VT
}

for term in xterm-256color screen tmux linux vt100; do
	for locale in C.UTF-8 C; do
		run "$term" "$locale" ""
	done
done
run xterm-256color C.UTF-8 1
# Outside UTF-8, ncurses sends runs of blanks with REP (xterm's rep=), and
# libvterm 0.1.4 wraps a character printed after a REP that stops one cell
# short of the margin, which no real xterm does: NO_COLOR in the C locale
# is checked on screen, which has colour but no rep.
run screen C 1
