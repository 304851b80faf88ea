# Shell functions shared by the site scripts and the end-to-end tests.
# Source it; it sets no options of its own.

# nginx and dovecot live in /usr/sbin, which an ordinary user's PATH lacks.
case :$PATH: in
*:/usr/sbin:*) ;;
*) PATH=$PATH:/usr/sbin:/sbin ;;
esac

# proc_alive PID: PID exists and is not a zombie (a daemon's exit is only
# reaped when init gets to it, and kill -0 succeeds on zombies).
proc_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# proc_is PID NAME: PID is alive and runs NAME (pid files outlive crashes
# and pids get reused).
proc_is() {
	proc_alive "$1" && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

# pidfile_pid FILE: the number in FILE, or fail.
pidfile_pid() {
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 1
	case $pid in ''|*[!0-9]*) return 1 ;; esac
	echo "$pid"
}

# wait_gone SECONDS PID...: poll until none of the pids is alive; on time-out
# print the survivors and fail.
wait_gone() {
	local limit=$1 pid end alive
	shift
	end=$((SECONDS + limit))
	while :; do
		alive=
		for pid in "$@"; do
			proc_alive "$pid" && alive="$alive $pid"
		done
		[ -z "$alive" ] && return 0
		if [ $SECONDS -ge $end ]; then
			echo "$alive"
			return 1
		fi
		sleep 0.05
	done
}

# descendants PID: the pids of PID's children, grandchildren, ...
descendants() {
	local child
	for child in $(pgrep -P "$1"); do
		echo "$child"
		descendants "$child"
	done
}
