/* Run one program directly with a time-out, capturing its output; on expiry
 * its whole process group is killed so nothing it started outlives it. */

#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/proc.h"

#define PROC_TICK	0.1	/* seconds between ticks */
#define PROC_GRACE	1.0	/* SIGTERM to SIGKILL */
#define PROC_POLL_MS	20	/* child-exit polling when no pidfd */

struct proc_buf {
	char	*data;
	size_t	 len;
	size_t	 size;
};

struct proc_state {
	pid_t		 pid;
	int		 pidfd;
	int		 fd[2];		/* out, err; -1: closed */
	struct proc_buf	 buf[2];
	int		 reaped;
	int		 status;
	int		 wait_errno;	/* SIGCHLD ignored */
	double		 last_tick;
	proc_tick_fn	 tick;
	void		*arg;
};

/* Set from signal handlers through proc_interrupt. */
static volatile sig_atomic_t proc_stop;
static volatile sig_atomic_t proc_done;	/* proc_finish */

static int	 proc_fd_high(int);
static void	 proc_close(int *);
static void	 proc_buf_add(struct proc_buf *, const char *, size_t);
static char	*proc_buf_string(struct proc_buf *);
static void	 proc_drain(struct proc_state *, int);
static void	 proc_reap(struct proc_state *, int);
static void	 proc_wait(struct proc_state *, double);
static void	 proc_tick(struct proc_state *);
static void	 proc_child(char *const [], int, int, int, int)
		     __attribute__((noreturn));
static int	 proc_safe_char(int);
static int	 proc_input_fd(const char *, size_t, char **);

double
proc_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/*
 * Move fd above stdio: if the caller runs with 0, 1 or 2 closed, pipe()
 * could hand those out and the child's dup2 calls would clobber each other.
 */
static int
proc_fd_high(int fd)
{
	int	nfd;

	if (fd < 0 || fd > 2)
		return (fd);
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return (nfd);
}

static void
proc_close(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

/* Keep the tail: the end of a failing command's output says why. */
static void
proc_buf_add(struct proc_buf *b, const char *p, size_t n)
{
	size_t	 drop, want;
	char	*nd;

	if (n >= PROC_OUTPUT_MAX) {
		p += n - PROC_OUTPUT_MAX;
		n = PROC_OUTPUT_MAX;
	}
	if (b->len + n > PROC_OUTPUT_MAX) {
		drop = b->len + n - PROC_OUTPUT_MAX;
		memmove(b->data, b->data + drop, b->len - drop);
		b->len -= drop;
	}
	if (b->len + n + 1 > b->size) {
		want = b->size == 0 ? 4096 : b->size;
		while (want < b->len + n + 1)
			want *= 2;
		if (want > PROC_OUTPUT_MAX + 1)
			want = PROC_OUTPUT_MAX + 1;
		if ((nd = realloc(b->data, want)) == NULL)
			return;	/* drop a chunk, not the run */
		b->data = nd;
		b->size = want;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static char *
proc_buf_string(struct proc_buf *b)
{
	char	*s;

	if (b->data == NULL)
		return (strdup(""));
	b->data[b->len] = '\0';
	s = b->data;
	b->data = NULL;
	b->len = b->size = 0;
	return (s);
}

/* Read what is there without blocking; close at end of file. */
static void
proc_drain(struct proc_state *ps, int i)
{
	char	chunk[8192];
	ssize_t	n;

	while (ps->fd[i] != -1) {
		n = read(ps->fd[i], chunk, sizeof chunk);
		if (n > 0) {
			proc_buf_add(&ps->buf[i], chunk, n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		proc_close(&ps->fd[i]);
	}
}

/* Only our pid: whatever the caller does with SIGCHLD is left alone. */
static void
proc_reap(struct proc_state *ps, int block)
{
	pid_t	r;

	if (ps->reaped)
		return;
	do
		r = waitpid(ps->pid, &ps->status, block ? 0 : WNOHANG);
	while (r == -1 && errno == EINTR);
	if (r == ps->pid)
		ps->reaped = 1;
	else if (r == -1) {
		/* ECHILD: the caller set SIGCHLD to SIG_IGN, status is lost. */
		ps->wait_errno = errno;
		ps->reaped = 1;
	}
}

static void
proc_tick(struct proc_state *ps)
{
	double	t;

	t = proc_now();
	if (t - ps->last_tick >= PROC_TICK) {
		ps->last_tick = t;
		if (ps->tick != NULL)
			ps->tick(ps->arg);
	}
}

/*
 * Sleep until until, the next tick, or something to read or reap, whichever
 * comes first.
 */
static void
proc_wait(struct proc_state *ps, double until)
{
	struct pollfd	pfd[3];
	nfds_t		n = 0;
	double		t, wake;
	int		ms, i, which[3];

	t = proc_now();
	wake = ps->last_tick + PROC_TICK;
	if (until < wake)
		wake = until;
	ms = wake > t ? (int)((wake - t) * 1000) + 1 : 0;
	if (ps->pidfd == -1 && ms > PROC_POLL_MS)
		ms = PROC_POLL_MS;
	for (i = 0; i < 2; i++) {
		if (ps->fd[i] == -1)
			continue;
		pfd[n].fd = ps->fd[i];
		pfd[n].events = POLLIN;
		which[n++] = i;
	}
	if (ps->pidfd != -1 && !ps->reaped) {
		pfd[n].fd = ps->pidfd;
		pfd[n].events = POLLIN;
		which[n++] = -1;
	}
	if (poll(pfd, n, ms) > 0) {
		for (i = 0; i < (int)n; i++) {
			if (which[i] != -1 && pfd[i].revents != 0)
				proc_drain(ps, which[i]);
		}
	}
}

static void
proc_child(char *const argv[], int nullfd, int outfd, int errfd, int execfd)
{
	sigset_t	set;
	int		sig, e;

	setpgid(0, 0);
	/* Ignored signals survive exec; the program gets a clean slate. */
	for (sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	}
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);

	if (dup2(nullfd, 0) == -1 || dup2(outfd, 1) == -1 ||
	    dup2(errfd, 2) == -1)
		goto fail;
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == -1) {
		long	fd, max;

		max = sysconf(_SC_OPEN_MAX);
		if (max < 0 || max > 65536)
			max = 65536;
		for (fd = 3; fd < max; fd++) {
			if (fd != execfd)
				close(fd);
		}
	}
	execvp(argv[0], argv);
fail:
	e = errno;
	while (write(execfd, &e, sizeof e) == -1 && errno == EINTR)
		;
	_exit(127);
}

int
proc_run(char *const argv[], int timeout_seconds, proc_tick_fn tick,
    void *arg, struct proc_result *res, char **cause)
{
	return (proc_run_input(argv, NULL, 0, timeout_seconds, tick, arg, res,
	    cause));
}

/*
 * The input goes into a pipe before the child starts: it must fit the
 * pipe's buffer (PROC_INPUT_MAX), so nothing here waits on a slow reader.
 */
static int
proc_input_fd(const char *input, size_t len, char **cause)
{
	int	p[2], e;
	ssize_t	n;

	if (len > PROC_INPUT_MAX) {
		if (asprintf(cause, "input of %zu bytes is larger than the "
		    "%d bytes a command may be given", len,
		    PROC_INPUT_MAX) == -1)
			*cause = NULL;
		return (-1);
	}
	if (pipe2(p, O_CLOEXEC) == -1)
		goto fail;
	if (len > 0 && fcntl(p[1], F_SETFL, O_NONBLOCK) == -1)
		goto fail_close;
	while (len > 0) {
		n = write(p[1], input, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail_close;
		input += n;
		len -= n;
	}
	close(p[1]);
	return (p[0]);

fail_close:
	e = errno;
	close(p[0]);
	close(p[1]);
	errno = e;
fail:
	e = errno;
	if (asprintf(cause, "cannot pass input to the command: %s",
	    strerror(e)) == -1)
		*cause = NULL;
	return (-1);
}

int
proc_run_input(char *const argv[], const char *input, size_t inlen,
    int timeout_seconds, proc_tick_fn tick, void *arg,
    struct proc_result *res, char **cause)
{
	struct proc_state	 ps;
	int			 outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	int			 execp[2] = { -1, -1 }, nullfd = -1;
	int			 i, e, child_errno = 0, rv = -1;
	ssize_t			 n;
	double			 start, deadline, grace_end;
	char			*cmd;

	memset(res, 0, sizeof *res);
	res->exit_status = -1;
	*cause = NULL;
	memset(&ps, 0, sizeof ps);
	ps.pid = -1;
	ps.pidfd = ps.fd[0] = ps.fd[1] = -1;
	ps.tick = tick;
	ps.arg = arg;

	if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0') {
		*cause = strdup("empty command");
		goto out;
	}
	if (proc_stop || proc_done) {
		res->interrupted = 1;
		res->not_started = 1;
		if (asprintf(cause, "%s not started: interrupted", argv[0]) ==
		    -1)
			*cause = NULL;
		goto out;
	}
	if (timeout_seconds <= 0) {
		if (asprintf(cause, "time-out must be at least 1 second: %d",
		    timeout_seconds) == -1)
			*cause = NULL;
		goto out;
	}

	if (input != NULL && (nullfd = proc_input_fd(input, inlen,
	    cause)) == -1)
		goto out;
	if (pipe2(outp, O_CLOEXEC) == -1 || pipe2(errp, O_CLOEXEC) == -1 ||
	    pipe2(execp, O_CLOEXEC) == -1 || (nullfd == -1 &&
	    (nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)) {
		e = errno;
		if (asprintf(cause, "cannot run '%s': %s", argv[0],
		    strerror(e)) == -1)
			*cause = NULL;
		goto out;
	}
	for (i = 0; i < 2; i++) {
		outp[i] = proc_fd_high(outp[i]);
		errp[i] = proc_fd_high(errp[i]);
		execp[i] = proc_fd_high(execp[i]);
	}
	nullfd = proc_fd_high(nullfd);
	if (outp[0] == -1 || outp[1] == -1 || errp[0] == -1 || errp[1] == -1 ||
	    execp[0] == -1 || execp[1] == -1 || nullfd == -1) {
		e = errno;
		if (asprintf(cause, "cannot run '%s': %s", argv[0],
		    strerror(e)) == -1)
			*cause = NULL;
		goto out;
	}

	start = proc_now();
	ps.last_tick = start;
	ps.pid = fork();
	if (ps.pid == -1) {
		e = errno;
		if (asprintf(cause, "cannot run '%s': fork: %s", argv[0],
		    strerror(e)) == -1)
			*cause = NULL;
		goto out;
	}
	if (ps.pid == 0)
		proc_child(argv, nullfd, outp[1], errp[1], execp[1]);

	/* Both sides set the group so kill(-pid) works whoever runs first. */
	setpgid(ps.pid, ps.pid);
	proc_close(&outp[1]);
	proc_close(&errp[1]);
	proc_close(&execp[1]);
	proc_close(&nullfd);

	/* The exec pipe closes on a successful exec or carries errno. */
	do
		n = read(execp[0], &child_errno, sizeof child_errno);
	while (n == -1 && errno == EINTR);
	proc_close(&execp[0]);
	if (n == sizeof child_errno) {
		proc_reap(&ps, 1);
		res->exited = 1;
		res->exit_status = 127;
		res->spawn_errno = child_errno;
		res->seconds = proc_now() - start;
		if (asprintf(cause, "cannot run '%s': %s", argv[0],
		    strerror(child_errno)) == -1)
			*cause = NULL;
		goto out;
	}

	ps.fd[0] = outp[0];
	ps.fd[1] = errp[0];
	outp[0] = errp[0] = -1;
	for (i = 0; i < 2; i++)
		fcntl(ps.fd[i], F_SETFL, fcntl(ps.fd[i], F_GETFL) | O_NONBLOCK);
#ifdef SYS_pidfd_open
	ps.pidfd = (int)syscall(SYS_pidfd_open, ps.pid, 0);
	if (ps.pidfd != -1)
		ps.pidfd = proc_fd_high(ps.pidfd);
#endif

	deadline = start + timeout_seconds;
	for (;;) {
		proc_reap(&ps, 0);
		if (ps.reaped)
			break;
		if (proc_now() >= deadline) {
			res->timed_out = 1;
			break;
		}
		if (proc_stop) {
			res->interrupted = 1;
			break;
		}
		proc_wait(&ps, deadline);
		proc_tick(&ps);
	}

	if (res->timed_out || res->interrupted) {
		/*
		 * Stop reading first: a grandchild holding the pipes must not
		 * keep us here. Then TERM the group, give it a moment, KILL.
		 */
		for (i = 0; i < 2; i++) {
			proc_drain(&ps, i);
			proc_close(&ps.fd[i]);
		}
		if (kill(-ps.pid, SIGTERM) == -1)
			kill(ps.pid, SIGTERM);
		grace_end = proc_now() + PROC_GRACE;
		for (;;) {
			proc_reap(&ps, 0);
			/* Reaped and the group is empty: nothing to kill. */
			if (ps.reaped && kill(-ps.pid, 0) == -1 &&
			    errno == ESRCH)
				break;
			if (proc_now() >= grace_end) {
				kill(-ps.pid, SIGKILL);
				if (!ps.reaped)
					kill(ps.pid, SIGKILL);
				proc_reap(&ps, 1);
				break;
			}
			proc_wait(&ps, grace_end);
			proc_tick(&ps);
		}
	} else {
		/* What the child wrote before exiting is in the pipes now. */
		for (i = 0; i < 2; i++)
			proc_drain(&ps, i);
	}
	res->seconds = proc_now() - start;

	if (ps.wait_errno == 0) {
		if (WIFEXITED(ps.status)) {
			res->exited = 1;
			res->exit_status = WEXITSTATUS(ps.status);
		} else if (WIFSIGNALED(ps.status))
			res->signal = WTERMSIG(ps.status);
	}

	cmd = proc_argv_string(argv);
	if (res->timed_out) {
		if (asprintf(cause, "timed out after %d s: %s (process group "
		    "killed)", timeout_seconds, cmd != NULL ? cmd :
		    argv[0]) == -1)
			*cause = NULL;
	} else if (res->interrupted) {
		if (asprintf(cause, "interrupted after %.1f s: %s (process "
		    "group killed)", res->seconds, cmd != NULL ? cmd :
		    argv[0]) == -1)
			*cause = NULL;
	} else if (ps.wait_errno != 0) {
		if (asprintf(cause, "cannot get the exit status of %s: %s",
		    cmd != NULL ? cmd : argv[0], strerror(ps.wait_errno)) == -1)
			*cause = NULL;
	} else if (!res->exited) {
		if (asprintf(cause, "%s: killed by signal %d",
		    cmd != NULL ? cmd : argv[0], res->signal) == -1)
			*cause = NULL;
	} else
		rv = 0;
	free(cmd);

out:
	proc_close(&outp[0]);
	proc_close(&outp[1]);
	proc_close(&errp[0]);
	proc_close(&errp[1]);
	proc_close(&execp[0]);
	proc_close(&execp[1]);
	proc_close(&nullfd);
	proc_close(&ps.fd[0]);
	proc_close(&ps.fd[1]);
	proc_close(&ps.pidfd);
	res->out = proc_buf_string(&ps.buf[0]);
	res->err = proc_buf_string(&ps.buf[1]);
	if (rv == -1 && *cause == NULL)
		*cause = strdup("out of memory");
	return (rv);
}

void
proc_interrupt(int on)
{
	proc_stop = on != 0;
}

void
proc_finish(int on)
{
	proc_done = on != 0;
}

int
proc_stopping(void)
{
	return (proc_stop || proc_done);
}

void
proc_result_free(struct proc_result *res)
{
	if (res == NULL)
		return;
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}

char *
proc_tail(const char *text, int nlines)
{
	const char	*end, *p;
	int		 n = 0;

	if (text == NULL || nlines <= 0)
		return (strdup(""));
	end = text + strlen(text);
	/* A trailing newline ends the last line, it does not start one. */
	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	p = end;
	while (p > text) {
		if (p[-1] == '\n' && ++n == nlines)
			break;
		p--;
	}
	return (strndup(p, end - p));
}

static int
proc_safe_char(int c)
{
	return (isalnum(c) || strchr("-_./:=@%+,", c) != NULL);
}

char *
proc_argv_string(char *const argv[])
{
	size_t		 len = 1, i;
	const char	*a;
	char		*s, *p;
	int		 quote;

	if (argv == NULL)
		return (strdup(""));
	for (i = 0; argv[i] != NULL; i++)
		len += 3 + 4 * strlen(argv[i]);	/* worst case: all ' */
	if ((s = malloc(len)) == NULL)
		return (NULL);
	p = s;
	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			*p++ = ' ';
		quote = argv[i][0] == '\0';
		for (a = argv[i]; *a != '\0'; a++) {
			if (!proc_safe_char((unsigned char)*a))
				quote = 1;
		}
		if (!quote) {
			p = stpcpy(p, argv[i]);
			continue;
		}
		*p++ = '\'';
		for (a = argv[i]; *a != '\0'; a++) {
			if (*a == '\'')
				p = stpcpy(p, "'\\''");
			else
				*p++ = *a;
		}
		*p++ = '\'';
	}
	*p = '\0';
	return (s);
}
