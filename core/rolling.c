/* Rolling restarts: a bounded number of worker processes, each restarting
 * one server through imap4_restart and reporting on a pipe. */

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/app.h"
#include "core/proc.h"
#include "core/rolling.h"
#include "core/str.h"

/* A report line: "step\tNAME", then "ok\tMESSAGE" or "fail\tMESSAGE". */
static void	 rolling_worker(struct app *, const char *, enum service_mode,
		     int) __attribute__((noreturn));
static void	 rolling_send(int, const char *, const char *);
static void	 rolling_on_progress(void *, const char *, const char *);
static void	 rolling_on_term(int);
static void	 rolling_start(struct rolling *, struct rolling_item *);
static void	 rolling_read(struct rolling_item *);
static void	 rolling_line(struct rolling_item *);
static void	 rolling_reap(struct rolling *, struct rolling_item *);
static void	 rolling_finish(struct rolling *, struct rolling_item *,
		     enum rolling_state, char *);

static const char *const rolling_names[] = {
	[ROLLING_QUEUED] = "queued",
	[ROLLING_RUNNING] = "running",
	[ROLLING_OK] = "ok",
	[ROLLING_FAILED] = "failed",
	[ROLLING_SKIPPED] = "not started"
};

const char *
rolling_state_name(enum rolling_state state)
{
	return (rolling_names[state]);
}

void
rolling_init(struct rolling *r, struct app *app, char *const *identities,
    size_t n, int parallel, int max_failures, enum service_mode mode)
{
	size_t	i;

	memset(r, 0, sizeof *r);
	r->app = app;
	r->mode = mode;
	r->parallel = parallel < 1 ? 1 : parallel;
	r->max_failures = max_failures < 0 ? 0 : max_failures;
	r->n = n;
	if ((r->items = calloc(n > 0 ? n : 1, sizeof *r->items)) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if ((r->items[i].identity = strdup(identities[i])) == NULL)
			abort();
		r->items[i].fd = -1;
	}
	r->started = proc_now();
}

void
rolling_free(struct rolling *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++) {
		free(r->items[i].identity);
		free(r->items[i].message);
		if (r->items[i].fd != -1)
			close(r->items[i].fd);
	}
	free(r->items);
	memset(r, 0, sizeof *r);
}

/* The worker's pipe, for the progress callback. */
static void
rolling_send(int fd, const char *kind, const char *text)
{
	char	 buf[480];
	size_t	 i;
	int	 len;

	len = snprintf(buf, sizeof buf - 1, "%s\t%s", kind, text);
	if (len < 0)
		return;
	if ((size_t)len > sizeof buf - 2)
		len = (int)sizeof buf - 2;
	/* One report a line: the text's own tabs and newlines are spaces. */
	for (i = strlen(kind) + 1; i < (size_t)len; i++) {
		if (buf[i] == '\n' || buf[i] == '\t' || buf[i] == '\r')
			buf[i] = ' ';
	}
	buf[len++] = '\n';
	(void)write(fd, buf, (size_t)len);
}

static void
rolling_on_progress(void *arg, const char *step, const char *detail)
{
	/* The first call of a step names it; ticks repeat it with NULL. */
	if (detail != NULL)
		rolling_send(*(int *)arg, "step", step);
}

static void
rolling_on_term(int sig)
{
	(void)sig;
	proc_interrupt(1);
}

/*
 * The worker: its own process group (a Ctrl-C at the terminal reaches the
 * parent only, which decides), its own database connection (SQLite's must
 * not cross a fork: the parent's is left untouched, not even closed).
 */
static void
rolling_worker(struct app *app, const char *identity, enum service_mode mode,
    int fd)
{
	struct sigaction	 sa;
	struct service_result	 res;
	struct store		*store;
	char			*cause = NULL;
	int			 rc;

	(void)setpgid(0, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = rolling_on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	proc_interrupt(0);

	if (store_open(app->db_path, &store, &cause) != 0) {
		rolling_send(fd, "fail", cause != NULL ? cause :
		    "cannot open the database");
		_exit(1);
	}
	app->store = store;
	memset(&res, 0, sizeof res);
	rc = imap4_restart(app, identity, mode, rolling_on_progress, &fd, &res,
	    &cause);
	if (rc == 0)
		rolling_send(fd, "ok", res.message != NULL ? res.message :
		    mode == SERVICE_RELOAD ? "reloaded" : "restarted");
	else
		rolling_send(fd, "fail", cause != NULL ? cause :
		    "restart failed");
	_exit(rc == 0 ? 0 : 1);
}

static void
rolling_start(struct rolling *r, struct rolling_item *it)
{
	int	pfd[2];
	pid_t	pid;

	it->started = proc_now();
	snprintf(it->step, sizeof it->step, "starting");
	if (pipe2(pfd, O_CLOEXEC) == -1) {
		rolling_finish(r, it, ROLLING_FAILED, str_printf("cannot start "
		    "a worker for %s: %s", it->identity, strerror(errno)));
		return;
	}
	/* Nothing buffered may be written twice, by parent and worker. */
	fflush(NULL);
	if ((pid = fork()) == -1) {
		rolling_finish(r, it, ROLLING_FAILED, str_printf("cannot start "
		    "a worker for %s: %s", it->identity, strerror(errno)));
		close(pfd[0]);
		close(pfd[1]);
		return;
	}
	if (pid == 0) {
		close(pfd[0]);
		rolling_worker(r->app, it->identity, r->mode, pfd[1]);
	}
	/* Either side may win the race to set the group. */
	(void)setpgid(pid, pid);
	close(pfd[1]);
	(void)fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	it->pid = pid;
	it->fd = pfd[0];
	it->state = ROLLING_RUNNING;
	r->running++;
}

static void
rolling_finish(struct rolling *r, struct rolling_item *it,
    enum rolling_state state, char *message)
{
	if (it->state == ROLLING_RUNNING)
		r->running--;
	it->state = state;
	free(it->message);
	it->message = message;
	it->seconds = it->started > 0 ? proc_now() - it->started : 0;
	if (state == ROLLING_OK)
		r->ok++;
	else if (state == ROLLING_FAILED)
		r->failed++;
	else if (state == ROLLING_SKIPPED)
		r->skipped++;
}

static void
rolling_line(struct rolling_item *it)
{
	char	*tab;

	it->line[it->len] = '\0';
	it->len = 0;
	if ((tab = strchr(it->line, '\t')) == NULL)
		return;
	*tab++ = '\0';
	if (strcmp(it->line, "step") == 0)
		snprintf(it->step, sizeof it->step, "%s", tab);
	else if (strcmp(it->line, "ok") == 0 || strcmp(it->line, "fail") == 0) {
		free(it->message);
		it->message = str_printf("%s%s", it->line[0] == 'o' ? "+" :
		    "-", tab);
	}
}

static void
rolling_read(struct rolling_item *it)
{
	char	 buf[512];
	ssize_t	 got, i;

	while ((got = read(it->fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < got; i++) {
			if (buf[i] == '\n' || it->len == sizeof it->line - 1)
				rolling_line(it);
			if (buf[i] != '\n')
				it->line[it->len++] = buf[i];
		}
	}
	if (got == 0 || (got == -1 && errno != EAGAIN && errno != EINTR)) {
		close(it->fd);
		it->fd = -1;
	}
}

/* The worker's report says how it went; its exit says whether it got to
 * report at all. */
static void
rolling_reap(struct rolling *r, struct rolling_item *it)
{
	char	*report = it->message;
	int	 status;
	pid_t	 got;

	if ((got = waitpid(it->pid, &status, WNOHANG)) == 0)
		return;
	it->message = NULL;
	if (got == -1) {
		rolling_finish(r, it, ROLLING_FAILED, str_printf("the worker "
		    "for %s was lost: %s", it->identity, strerror(errno)));
	} else if (report != NULL && report[0] == '+' && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		rolling_finish(r, it, ROLLING_OK, strdup(report + 1));
	else if (report != NULL && report[0] == '-')
		rolling_finish(r, it, ROLLING_FAILED, strdup(report + 1));
	else if (WIFSIGNALED(status)) {
		rolling_finish(r, it, ROLLING_FAILED, str_printf("the worker "
		    "for %s was killed by signal %d (%s) during %s; see "
		    "get-auditlog -Identity %s", it->identity,
		    WTERMSIG(status), strsignal(WTERMSIG(status)), it->step,
		    it->identity));
	} else {
		rolling_finish(r, it, ROLLING_FAILED, str_printf("the worker "
		    "for %s exited %d without a report during %s",
		    it->identity, WEXITSTATUS(status), it->step));
	}
	free(report);
	it->pid = 0;
}

int
rolling_poll(struct rolling *r, int timeout_ms)
{
	struct pollfd	*pfd;
	size_t		 i, np = 0, *which;
	int		 reaping = 0, wait_ms;

	/* Start what the limits allow, in order. */
	while (!r->cancelled && r->next < r->n &&
	    r->running < (size_t)r->parallel) {
		if (r->failed > (size_t)r->max_failures) {
			r->cancelled = 1;
			break;
		}
		rolling_start(r, &r->items[r->next++]);
	}
	if (r->cancelled || r->failed > (size_t)r->max_failures) {
		while (r->next < r->n) {
			rolling_finish(r, &r->items[r->next], ROLLING_SKIPPED,
			    NULL);
			r->next++;
		}
	}
	if (r->running == 0)
		return (r->next < r->n);

	if ((pfd = calloc(r->running, sizeof *pfd)) == NULL ||
	    (which = calloc(r->running, sizeof *which)) == NULL)
		abort();
	for (i = 0; i < r->n; i++) {
		if (r->items[i].state != ROLLING_RUNNING)
			continue;
		if (r->items[i].fd == -1) {
			reaping = 1;
			continue;
		}
		pfd[np].fd = r->items[i].fd;
		pfd[np].events = POLLIN;
		which[np++] = i;
	}
	/* A worker past its report exits in a moment: look again soon. */
	wait_ms = reaping && (timeout_ms < 0 || timeout_ms > 1) ? 1 :
	    timeout_ms;
	if (np > 0 && poll(pfd, np, wait_ms) > 0) {
		for (i = 0; i < np; i++) {
			if (pfd[i].revents != 0)
				rolling_read(&r->items[which[i]]);
		}
	} else if (np == 0 && wait_ms > 0)
		(void)poll(NULL, 0, wait_ms);
	free(pfd);
	free(which);
	for (i = 0; i < r->n; i++) {
		if (r->items[i].state == ROLLING_RUNNING &&
		    r->items[i].fd == -1)
			rolling_reap(r, &r->items[i]);
	}
	return (r->running > 0 || r->next < r->n);
}

void
rolling_cancel(struct rolling *r)
{
	r->cancelled = 1;
}

void
rolling_kill(struct rolling *r)
{
	size_t	i;

	r->cancelled = 1;
	r->killed = 1;
	for (i = 0; i < r->n; i++) {
		if (r->items[i].state == ROLLING_RUNNING &&
		    r->items[i].pid > 0)
			(void)kill(r->items[i].pid, SIGTERM);
	}
}

double
rolling_elapsed(const struct rolling *r)
{
	return (proc_now() - r->started);
}

double
rolling_eta(const struct rolling *r)
{
	size_t	finished = r->ok + r->failed, left;
	double	per;

	if (finished == 0)
		return (-1);
	left = r->n - finished - r->skipped;
	/* Servers finish about parallel at a time. */
	per = rolling_elapsed(r) / (double)finished;
	return (per * (double)left);
}
