#!/bin/bash
# `make bench` (as root): 50 reloads of a server on another host over real
# OpenSSH (tests/site/remote-start: sshd in its own mount namespace), with
# one reused connection (ControlMaster, imapadm's default) against a new
# connection per command (ControlPath=none first in ssh_options: ssh keeps
# the first value it is given). Prints wall times, ssh logins and the ratio.
set -u
IMAPADM_BIN=$(realpath "${1:?usage: tests/bench/ssh.sh IMAPADM_BIN}")
export IMAPADM_BIN
. "$(dirname "${BASH_SOURCE[0]}")/../site/e2e-lib.sh"

N=${SSH_BENCH_N:-50}
echo "== remote reloads over ssh: $N reloads of one remote server, reused connection vs one per command"
if [ "$(id -u)" != 0 ]; then
	echo "  not run: needs root (mount namespaces and sshd)"
	exit 0
fi
e2e_start >/dev/null
"$SITE_LIB/remote-start" "$SITE" cas03 >/dev/null ||
    e2e_die "the remote host cas03 did not start"
export XDG_RUNTIME_DIR=$SITE/run
mkdir -m 0700 "$XDG_RUNTIME_DIR"
SSHLOG=$SITE/ssh/sshd-cas03.log
# The same profile without connection reuse.
sed 's|ssh_options = {"-F", "\(.*\)"}|ssh_options = {"-o", "ControlPath=none", "-F", "\1"}|' \
    "$CONF" >"$SITE/noreuse.conf"
grep -q "ControlPath=none" "$SITE/noreuse.conf" || e2e_die "cannot make the no-reuse profile"
adm new-server -Identity CAS03 -Fqdn cas03.contoso.test -Roles ClientAccess \
    -Profile cas03 >/dev/null || e2e_die "new-server CAS03 failed"

# measure CONF: N reloads; prints "seconds logins".
measure() {
	local conf=$1 before after s e i
	before=$(grep -c 'Accepted publickey' "$SSHLOG")
	s=$(date +%s%N)
	for ((i = 0; i < N; i++)); do
		"$IMAPADM_BIN" --config "$conf" restart-imapservice -Identity CAS03 \
		    --reload >/dev/null 2>&1 || e2e_die "reload $i failed"
	done
	e=$(date +%s%N)
	after=$(grep -c 'Accepted publickey' "$SSHLOG")
	echo "$(( (e - s) / 1000000 )) $((after - before))"
}
read -r reuse_ms reuse_logins < <(measure "$CONF")
read -r plain_ms plain_logins < <(measure "$SITE/noreuse.conf")
awk -v a="$reuse_ms" -v al="$reuse_logins" -v b="$plain_ms" -v bl="$plain_logins" -v n="$N" 'BEGIN {
	printf "  reused connection: %.1f s (%.2f s a reload), %d new ssh logins\n", a / 1000, a / 1000 / n, al
	printf "  one per command:   %.1f s (%.2f s a reload), %d new ssh logins\n", b / 1000, b / 1000 / n, bl
	printf "  reuse takes %.2fx the time of no reuse\n", a / b
}'
