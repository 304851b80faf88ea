#!/usr/bin/env bash
# `make bench`: the rolling restart through the console's screen, as the
# command line's scheduler is measured in scripts/bench: 1,000 servers
# whose restart is a 100 ms command, 16 at once, in a pty at 80x24 through
# vtdrive (mark all, R, parallelism 16, run to the end), against the ideal
# schedule N*t/P with t measured here. Median of RUNS runs.
#
#	tests/bench/console_rolling.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
runs=${RUNS:-3}
n=1000
par=16
bin=$build/imapadm
vt=$build/tests/vtdrive
for f in "$bin" "$vt"; do
	[ -x "$f" ] || { echo "console_rolling.sh: $f is not built" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export IMAPADM_CONFIG= LC_ALL=C.UTF-8 SUDO_USER= SUDO_UID=
conf=$tmp/imapadm.conf
printf 'profile p {\n\ttype = "command"\n\trestart = {"sleep", "0.1"}\n\tstatus = {"true"}\n}\n' >"$conf"
awk -v n="$n" 'BEGIN {
	print "Identity,Fqdn,Roles,Site,Profile"
	for (i = 0; i < n; i++)
		printf "CAS%04d,cas%04d.contoso.test,ClientAccess,S,p\n", i, i
}' >"$tmp/servers.csv"
"$bin" --db "$tmp/r.db" --config "$conf" import-servers -Path "$tmp/servers.csv" >/dev/null
count=$(echo "$n" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')

echo "== console rolling restart: $n servers, restart = sleep 0.1, parallelism $par (median of $runs)"
walls=()
ts=()
for ((r = 0; r < runs; r++)); do
	s=$(date +%s%N)
	sleep 0.1
	e=$(date +%s%N)
	ts+=($(( (e - s) / 1000 )))
	out=$("$vt" --size 80x24 --timeout 120 -- "$bin" --db "$tmp/r.db" \
	    --config "$conf" <<VT
wait $count servers
send *
wait $count marked
send R
wait Rolling restart of $count servers
wait Parallelism (servers at once)
send $par
key Enter
mark -
wait done $n, failed 0, running 0, left 0
mark rolling
key Esc
wait Servers > Servers
send q
exit 0
VT
)
	walls+=($(sed -n 's/^mark rolling \([0-9]*\)$/\1/p' <<<"$out"))
done
wall=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
t=$(printf '%s\n' "${ts[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
awk -v w="$wall" -v t="$t" -v n="$n" -v p="$par" 'BEGIN {
	ideal = n * t / p
	printf "  wall %.2f s from Start to the last server done, ideal N*t/P %.2f s (t = %.3f s): %.2fx ideal (target <= 1.25x)\n",
	    w / 1e6, ideal / 1e6, t / 1e6, w / ideal
}'
