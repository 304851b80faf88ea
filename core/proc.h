/* Run one program directly (never through a shell) with a time-out; on expiry
 * its whole process group is killed. Captures stdout and stderr. */
#ifndef IMAPADM_CORE_PROC_H
#define IMAPADM_CORE_PROC_H

#include <stddef.h>

/* Each of stdout and stderr is capped at this many bytes; the tail is kept. */
#define PROC_OUTPUT_MAX	(64 * 1024)

struct proc_result {
	int	 exited;	/* 1: exited normally, status in exit_status */
	int	 exit_status;
	int	 signal;	/* terminating signal if !exited */
	int	 timed_out;	/* killed by us at the time-out */
	int	 interrupted;	/* killed by us after proc_interrupt(1), or
				 * not started (see not_started) */
	int	 not_started;	/* refused at once: proc_interrupt or
				 * proc_finish was on */
	int	 spawn_errno;	/* exec failed: errno (exit_status 127) */
	double	 seconds;	/* wall time */
	char	*out;		/* captured stdout (NUL-terminated, capped) */
	char	*err;		/* captured stderr (NUL-terminated, capped) */
};

/* Called about every 100 ms while the child runs (progress spinners). */
typedef void (*proc_tick_fn)(void *arg);

/* argv NULL-terminated. Returns 0 when the program ran to an exit status
 * (whatever it was), -1 with *cause otherwise (time-out, spawn failure,
 * signal); *res is filled in both cases. */
int	 proc_run(char *const argv[], int timeout_seconds, proc_tick_fn, void *arg,
	     struct proc_result *res, char **cause);
/* The same with input on its stdin (at most PROC_INPUT_MAX bytes; input
 * NULL: /dev/null). */
#define PROC_INPUT_MAX	(64 * 1024)
int	 proc_run_input(char *const argv[], const char *input, size_t len,
	     int timeout_seconds, proc_tick_fn, void *arg,
	     struct proc_result *res, char **cause);
void	 proc_result_free(struct proc_result *);
/*
 * Async-signal-safe: 1 makes the command running now (its whole process
 * group) stop as at a time-out, and every later proc_run fail at once
 * without starting anything, until proc_interrupt(0). For SIGTERM/SIGHUP
 * handlers: nothing is left running without its time-out.
 */
void	 proc_interrupt(int on);
/*
 * Async-signal-safe: 1 lets the command running now run to its end, but
 * every later proc_run fails at once without starting anything, until
 * proc_finish(0). The first of two signals: finish the step, start no
 * other.
 */
void	 proc_finish(int on);
/* Whether proc_interrupt or proc_finish is on: nothing new may start. */
int	 proc_stopping(void);
/* Monotonic clock in seconds, for durations. */
double	 proc_now(void);
/* Last n lines of text, caller frees. */
char	*proc_tail(const char *text, int nlines);
/* argv joined for display, shell-quoted where needed; caller frees. */
char	*proc_argv_string(char *const argv[]);

#endif
