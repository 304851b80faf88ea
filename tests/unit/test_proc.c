/* proc_run: exit status and output captured, clear spawn errors, a time-out
 * or an interrupt that kills the whole process group, ticks, the output cap. */

#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/proc.h"

static int	 alive(pid_t);
static int	 wait_dead(pid_t, double);

/* A zombie nobody reaps (pid 1 in a container may not) counts as dead. */
static int
alive(pid_t pid)
{
	char	 path[64], buf[512], *p;
	FILE	*f;
	size_t	 n;

	if (kill(pid, 0) == -1)
		return (errno != ESRCH);
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (0);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || p[1] == '\0')
		return (1);
	return (p[2] != 'Z' && p[2] != 'X');
}

/* Death after a signal is asynchronous: wait for it with a limit. */
static int
wait_dead(pid_t pid, double limit)
{
	struct timespec	ts = { 0, 10 * 1000 * 1000 };
	double		waited = 0;

	while (alive(pid)) {
		if (waited >= limit)
			return (0);
		nanosleep(&ts, NULL);
		waited += 0.01;
	}
	return (1);
}

static void
test_exit_status_and_stdout(void **state)
{
	char *const		 argv[] = { "sh", "-c", "echo hello; exit 3", NULL };
	struct proc_result	 r;
	char			*cause;

	assert_int_equal(proc_run(argv, 10, NULL, NULL, &r, &cause), 0);
	assert_null(cause);
	assert_int_equal(r.exited, 1);
	assert_int_equal(r.exit_status, 3);
	assert_int_equal(r.timed_out, 0);
	assert_string_equal(r.out, "hello\n");
	assert_string_equal(r.err, "");
	assert_true(r.seconds >= 0 && r.seconds < 5);
	proc_result_free(&r);
}

static void
test_stderr_captured(void **state)
{
	char *const		 argv[] = { "sh", "-c",
	    "echo out; echo 'nginx: [emerg] bad' >&2; exit 1", NULL };
	struct proc_result	 r;
	char			*cause;

	assert_int_equal(proc_run(argv, 10, NULL, NULL, &r, &cause), 0);
	assert_int_equal(r.exit_status, 1);
	assert_string_equal(r.out, "out\n");
	assert_string_equal(r.err, "nginx: [emerg] bad\n");
	proc_result_free(&r);
}

static void
test_missing_program(void **state)
{
	char *const		 argv[] = { "imapadm-no-such-program", "-t", NULL };
	struct proc_result	 r;
	char			*cause;

	assert_int_equal(proc_run(argv, 10, NULL, NULL, &r, &cause), -1);
	assert_string_equal(cause, "cannot run 'imapadm-no-such-program': "
	    "No such file or directory");
	assert_int_equal(r.spawn_errno, ENOENT);
	assert_int_equal(r.exit_status, 127);
	assert_int_equal(r.timed_out, 0);
	free(cause);
	proc_result_free(&r);
}

static void
test_not_executable(void **state)
{
	char *const		 argv[] = { "/etc/passwd", NULL };
	struct proc_result	 r;
	char			*cause;

	assert_int_equal(proc_run(argv, 10, NULL, NULL, &r, &cause), -1);
	assert_string_equal(cause,
	    "cannot run '/etc/passwd': Permission denied");
	free(cause);
	proc_result_free(&r);
}

static void
test_no_shell_involved(void **state)
{
	/* Metacharacters in an argument reach the program untouched. */
	char *const		 argv[] = { "printf", "%s|", "a b; touch /tmp/x",
	    "$(id)", NULL };
	struct proc_result	 r;
	char			*cause;

	assert_int_equal(proc_run(argv, 10, NULL, NULL, &r, &cause), 0);
	assert_string_equal(r.out, "a b; touch /tmp/x|$(id)|");
	proc_result_free(&r);
}

static void
test_timeout_kills_group(void **state)
{
	/* The background sleep is a grandchild holding the pipes. */
	char *const		 argv[] = { "sh", "-c",
	    "sleep 100 & echo $!; sleep 100", NULL };
	struct proc_result	 r;
	char			*cause;
	struct timespec		 t0, t1;
	double			 took;
	long			 gpid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(proc_run(argv, 1, NULL, NULL, &r, &cause), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(took >= 0.9);
	assert_true(took < 3.0);
	assert_int_equal(r.timed_out, 1);
	assert_int_equal(r.exited, 0);
	assert_string_equal(cause, "timed out after 1 s: sh -c "
	    "'sleep 100 & echo $!; sleep 100' (process group killed)");
	gpid = strtol(r.out, NULL, 10);
	assert_true(gpid > 1);
	assert_true(wait_dead((pid_t)gpid, 2.0));
	free(cause);
	proc_result_free(&r);
}

static void
test_term_ignored_gets_kill(void **state)
{
	char *const		 argv[] = { "sh", "-c",
	    "trap '' TERM; echo $$; while :; do sleep 1; done", NULL };
	struct proc_result	 r;
	char			*cause;
	long			 pid;

	assert_int_equal(proc_run(argv, 1, NULL, NULL, &r, &cause), -1);
	assert_int_equal(r.timed_out, 1);
	assert_int_equal(r.signal, SIGKILL);
	assert_true(r.seconds < 3.5);
	pid = strtol(r.out, NULL, 10);
	assert_true(pid > 1);
	assert_true(wait_dead((pid_t)pid, 2.0));
	free(cause);
	proc_result_free(&r);
}

static void
test_grandchild_does_not_hold_us(void **state)
{
	/* A daemon started by a restart command may keep our pipes open. */
	char *const		 argv[] = { "sh", "-c",
	    "sleep 30 & echo $!", NULL };
	struct proc_result	 r;
	char			*cause;
	long			 gpid;

	assert_int_equal(proc_run(argv, 10, NULL, NULL, &r, &cause), 0);
	assert_int_equal(r.exit_status, 0);
	assert_true(r.seconds < 2.0);
	gpid = strtol(r.out, NULL, 10);
	assert_true(gpid > 1);
	/* It is not ours to kill on a normal exit; clean up after the test. */
	assert_true(alive((pid_t)gpid));
	kill((pid_t)gpid, SIGKILL);
	proc_result_free(&r);
}

static void
on_alarm(int sig)
{
	(void)sig;
	proc_interrupt(1);
}

/*
 * A signal handler (here SIGALRM after 0.3 s) stops the command and its
 * group at once, as a time-out would, and nothing starts until cleared.
 */
static void
test_interrupt_kills_group(void **state)
{
	char *const		 argv[] = { "sh", "-c",
	    "sleep 100 & echo $!; sleep 100", NULL };
	char *const		 next[] = { "true", NULL };
	struct sigaction	 sa, old;
	struct itimerval	 it;
	struct proc_result	 r;
	char			*cause;
	long			 gpid;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 300 * 1000;
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);

	assert_int_equal(proc_run(argv, 60, NULL, NULL, &r, &cause), -1);
	assert_int_equal(r.interrupted, 1);
	assert_int_equal(r.timed_out, 0);
	assert_true(r.seconds >= 0.25);
	assert_true(r.seconds < 3.0);
	assert_non_null(strstr(cause, "interrupted after "));
	assert_non_null(strstr(cause, "(process group killed)"));
	gpid = strtol(r.out, NULL, 10);
	assert_true(gpid > 1);
	assert_true(wait_dead((pid_t)gpid, 2.0));
	free(cause);
	proc_result_free(&r);

	/* Still interrupted: the next command is not even started. */
	assert_int_equal(proc_run(next, 10, NULL, NULL, &r, &cause), -1);
	assert_int_equal(r.interrupted, 1);
	assert_string_equal(cause, "true not started: interrupted");
	free(cause);
	proc_result_free(&r);

	proc_interrupt(0);
	assert_int_equal(proc_run(next, 10, NULL, NULL, &r, &cause), 0);
	proc_result_free(&r);
	sigaction(SIGALRM, &old, NULL);
}

static void
test_killed_by_signal(void **state)
{
	char *const		 argv[] = { "sh", "-c", "kill -9 $$", NULL };
	struct proc_result	 r;
	char			*cause;

	assert_int_equal(proc_run(argv, 10, NULL, NULL, &r, &cause), -1);
	assert_int_equal(r.exited, 0);
	assert_int_equal(r.signal, 9);
	assert_int_equal(r.timed_out, 0);
	assert_string_equal(cause, "sh -c 'kill -9 $$': killed by signal 9");
	free(cause);
	proc_result_free(&r);
}

static void
count_tick(void *arg)
{
	(*(int *)arg)++;
}

static void
test_tick_called(void **state)
{
	char *const		 argv[] = { "sleep", "0.6", NULL };
	struct proc_result	 r;
	char			*cause;
	int			 ticks = 0;

	assert_int_equal(proc_run(argv, 10, count_tick, &ticks, &r, &cause),
	    0);
	assert_int_equal(r.exit_status, 0);
	assert_true(ticks >= 3);
	assert_true(ticks <= 8);
	proc_result_free(&r);
}

static void
test_output_cap_keeps_tail(void **state)
{
	char *const		 argv[] = { "sh", "-c",
	    "i=0; while [ $i -lt 3000 ]; do "
	    "echo \"line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"; "
	    "i=$((i+1)); done; echo END", NULL };
	struct proc_result	 r;
	char			*cause;
	size_t			 len;

	assert_int_equal(proc_run(argv, 30, NULL, NULL, &r, &cause), 0);
	len = strlen(r.out);
	assert_true(len > PROC_OUTPUT_MAX - 100);
	assert_true(len <= PROC_OUTPUT_MAX);
	assert_string_equal(r.out + len - 4, "END\n");
	assert_null(strstr(r.out, "line 0 "));
	assert_non_null(strstr(r.out, "line 2999 "));
	proc_result_free(&r);
}

static void
test_stdin_is_null_and_fds_closed(void **state)
{
	char			 script[128];
	char *const		 argv1[] = { "cat", NULL };
	char			*argv2[] = { "sh", "-c", script, NULL };
	struct proc_result	 r;
	char			*cause;
	int			 fd;

	/* cat would hang on a terminal or a pipe; /dev/null ends it. */
	assert_int_equal(proc_run(argv1, 5, NULL, NULL, &r, &cause), 0);
	assert_string_equal(r.out, "");
	proc_result_free(&r);

	fd = open("/dev/null", O_RDONLY);	/* deliberately not CLOEXEC */
	assert_true(fd > 2);
	snprintf(script, sizeof script,
	    "if [ -e /proc/self/fd/%d ]; then echo open; else echo closed; fi",
	    fd);
	assert_int_equal(proc_run(argv2, 5, NULL, NULL, &r, &cause), 0);
	assert_string_equal(r.out, "closed\n");
	proc_result_free(&r);
	close(fd);
}

static void
test_bad_arguments(void **state)
{
	char *const		 empty[] = { NULL };
	char *const		 argv[] = { "true", NULL };
	struct proc_result	 r;
	char			*cause;

	assert_int_equal(proc_run(empty, 5, NULL, NULL, &r, &cause), -1);
	assert_string_equal(cause, "empty command");
	free(cause);
	proc_result_free(&r);
	assert_int_equal(proc_run(argv, 0, NULL, NULL, &r, &cause), -1);
	assert_string_equal(cause, "time-out must be at least 1 second: 0");
	free(cause);
	proc_result_free(&r);
}

static void
test_sigchld_handler_untouched(void **state)
{
	struct sigaction	 sa, old;
	char *const		 argv[] = { "true", NULL };
	struct proc_result	 r;
	char			*cause;

	/* A caller's SIGCHLD disposition survives, and does not break us. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, &old);
	assert_int_equal(proc_run(argv, 5, NULL, NULL, &r, &cause), 0);
	proc_result_free(&r);
	sigaction(SIGCHLD, NULL, &sa);
	assert_true(sa.sa_handler == SIG_DFL);
	assert_true(sa.sa_flags & SA_NOCLDSTOP);
	sigaction(SIGCHLD, &old, NULL);
}

static void
test_tail(void **state)
{
	char	*s;

	s = proc_tail("a\nb\nc\n", 2);
	assert_string_equal(s, "b\nc");
	free(s);
	s = proc_tail("a\nb\nc", 5);
	assert_string_equal(s, "a\nb\nc");
	free(s);
	s = proc_tail("only\n\n", 1);
	assert_string_equal(s, "only");
	free(s);
	s = proc_tail("", 3);
	assert_string_equal(s, "");
	free(s);
	s = proc_tail(NULL, 3);
	assert_string_equal(s, "");
	free(s);
}

static void
test_argv_string(void **state)
{
	char *const	 argv[] = { "nginx", "-t", "-p", "/x y/", "it's", "",
	    "a=b", NULL };
	char		*s;

	s = proc_argv_string(argv);
	assert_string_equal(s, "nginx -t -p '/x y/' 'it'\\''s' '' a=b");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_status_and_stdout),
		cmocka_unit_test(test_stderr_captured),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_not_executable),
		cmocka_unit_test(test_no_shell_involved),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_term_ignored_gets_kill),
		cmocka_unit_test(test_grandchild_does_not_hold_us),
		cmocka_unit_test(test_interrupt_kills_group),
		cmocka_unit_test(test_killed_by_signal),
		cmocka_unit_test(test_tick_called),
		cmocka_unit_test(test_output_cap_keeps_tail),
		cmocka_unit_test(test_stdin_is_null_and_fds_closed),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_sigchld_handler_untouched),
		cmocka_unit_test(test_tail),
		cmocka_unit_test(test_argv_string),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
