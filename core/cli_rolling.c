/* restart-imapservice over many servers: the rolling run on the command
 * line, with a live progress line on a terminal, plain lines otherwise, and
 * a summary table at the end. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/app.h"
#include "core/cli_internal.h"
#include "core/rolling.h"
#include "core/str.h"

static const int	 cli_rolling_sigs[] = { SIGINT, SIGTERM, SIGHUP };
#define CLI_ROLLING_NSIGS (sizeof cli_rolling_sigs / sizeof cli_rolling_sigs[0])
static volatile sig_atomic_t cli_rolling_signals;

static void	 cli_rolling_on_signal(int);
static void	 cli_rolling_span(char *, size_t, double);
static void	 cli_rolling_line(const struct rolling *);
static void	 cli_rolling_events(const struct rolling *, enum rolling_state *,
		     int);
static void	 cli_rolling_summary(const struct rolling *);

static void
cli_rolling_on_signal(int sig)
{
	(void)sig;
	cli_rolling_signals++;
}

static void
cli_rolling_span(char *buf, size_t len, double seconds)
{
	long	s;

	/* A run longer than a year is not something to format. */
	s = seconds < 0 ? 0 : seconds > 3e7 ? 30000000 : (long)(seconds + 0.5);

	if (s >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60,
		    s % 60);
	else
		snprintf(buf, len, "%ld:%02ld", s / 60, s % 60);
}

/* One line, redrawn in place: done, failed, running, left, elapsed, ETA. */
static void
cli_rolling_line(const struct rolling *r)
{
	char	el[32], eta[32];
	double	left = rolling_eta(r);

	cli_rolling_span(el, sizeof el, rolling_elapsed(r));
	if (left < 0)
		snprintf(eta, sizeof eta, "?");
	else
		cli_rolling_span(eta, sizeof eta, left);
	fprintf(stderr, "\r\033[Kdone %zu, failed %zu, running %zu, left %zu"
	    "  elapsed %s  ETA %s%s", r->ok, r->failed, r->running,
	    r->n - r->ok - r->failed - r->skipped - r->running, el, eta,
	    r->cancelled ? "  (stopping: no new server)" : "");
	fflush(stderr);
}

/* Without a terminal: one plain line per server as it starts and ends. */
static void
cli_rolling_events(const struct rolling *r, enum rolling_state *seen,
    int tty)
{
	const struct rolling_item *it;
	size_t			 i;

	for (i = 0; i < r->n; i++) {
		it = &r->items[i];
		if (seen[i] == it->state)
			continue;
		seen[i] = it->state;
		if (it->state == ROLLING_SKIPPED)
			continue;
		if (tty && it->state == ROLLING_RUNNING)
			continue;
		if (tty)
			fprintf(stderr, "\r\033[K");
		printf("%s: %s", it->identity, rolling_state_name(it->state));
		if (it->state != ROLLING_RUNNING)
			printf(" (%.1fs)", it->seconds);
		if (it->message != NULL && it->state != ROLLING_RUNNING) {
			fputs(": ", stdout);
			cli_out_safe(stdout, it->message, strlen(it->message));
		}
		putchar('\n');
		fflush(stdout);
	}
}

static void
cli_rolling_summary(const struct rolling *r)
{
	static const char *const head[] = { "Identity", "Result", "Seconds",
	    "Message" };
	struct cli_out_table	*t;
	const struct rolling_item *it;
	const char		*cells[4];
	char			 secs[32];
	size_t			 i;

	t = cli_out_table_new(4, head);
	for (i = 0; i < r->n; i++) {
		it = &r->items[i];
		snprintf(secs, sizeof secs, "%.1f", it->seconds);
		cells[0] = it->identity;
		cells[1] = rolling_state_name(it->state);
		cells[2] = it->state == ROLLING_SKIPPED ? "" : secs;
		cells[3] = it->message != NULL ? it->message : "";
		cli_out_table_add(t, cells);
	}
	putchar('\n');
	cli_out_table_print(t, stdout);
	cli_out_table_free(t);
	printf("%zu ok, %zu failed, %zu not started, of %zu servers\n", r->ok,
	    r->failed, r->skipped, r->n);
}

/*
 * First Ctrl-C (or TERM, HUP): start no new server, let the running ones
 * finish, report. A second: the running ones are stopped too, and stay
 * restart-pending.
 */
int
cli_rolling_restart(struct app *app, char *const *identities, size_t n,
    int parallel, int max_failures, int reload)
{
	enum service_mode	 mode = reload ? SERVICE_RELOAD : SERVICE_RESTART;
	struct sigaction	 sa, old[CLI_ROLLING_NSIGS];
	struct rolling		 r;
	enum rolling_state	*seen;
	double			 drawn = 0;
	size_t			 i;
	int			 tty, more, handled = 0, rc;

	tty = isatty(STDERR_FILENO);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_rolling_on_signal;
	sigemptyset(&sa.sa_mask);
	cli_rolling_signals = 0;
	for (i = 0; i < CLI_ROLLING_NSIGS; i++) {
		if (sigaction(cli_rolling_sigs[i], NULL, &old[i]) == 0 &&
		    old[i].sa_handler != SIG_IGN)
			sigaction(cli_rolling_sigs[i], &sa, NULL);
	}
	if ((seen = calloc(n > 0 ? n : 1, sizeof *seen)) == NULL)
		abort();
	printf("restarting %zu servers, at most %d at once, stopping after "
	    "%d failure%s\n", n, parallel, max_failures + 1,
	    max_failures == 0 ? "" : "s");
	fflush(stdout);
	rolling_init(&r, app, identities, n, parallel, max_failures, mode);
	do {
		more = rolling_poll(&r, 100);
		if (cli_rolling_signals > handled) {
			handled = cli_rolling_signals;
			if (handled == 1) {
				rolling_cancel(&r);
				if (tty)
					fprintf(stderr, "\r\033[K");
				fprintf(stderr, "imapadm: interrupted: no new "
				    "server is started; waiting for the %zu "
				    "running (interrupt again to stop them)\n",
				    r.running);
			} else if (!r.killed) {
				rolling_kill(&r);
				if (tty)
					fprintf(stderr, "\r\033[K");
				fprintf(stderr, "imapadm: interrupted again: "
				    "stopping the %zu running restarts; they "
				    "stay restart-pending\n", r.running);
			}
		}
		cli_rolling_events(&r, seen, tty);
		if (tty && (rolling_elapsed(&r) - drawn >= 0.2 || !more)) {
			cli_rolling_line(&r);
			drawn = rolling_elapsed(&r);
		}
	} while (more);
	if (tty)
		fprintf(stderr, "\r\033[K");
	cli_rolling_events(&r, seen, tty);
	cli_rolling_summary(&r);
	for (i = 0; i < CLI_ROLLING_NSIGS; i++)
		sigaction(cli_rolling_sigs[i], &old[i], NULL);
	rc = r.failed > 0 || r.skipped > 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	rolling_free(&r);
	free(seen);
	return (rc);
}

/* A whole number in [lo, hi] for -Name, the default when not given. */
int
cli_number(const struct cli_args *args, const char *name, long lo, long hi,
    long def, long *out)
{
	const char	*text = cli_value(args, name);
	char		*end;
	long		 v;

	*out = def;
	if (text == NULL)
		return (0);
	errno = 0;
	v = strtol(text, &end, 10);
	if (*text < '0' || *text > '9' || *end != '\0' || errno != 0 ||
	    v < lo || v > hi) {
		cli_error("invalid -%s '%s': use a whole number from %ld to %ld",
		    name, text, lo, hi);
		return (-1);
	}
	*out = v;
	return (0);
}

/* restart-imapservice -Identity 'CAS*' | -Site S [-Parallel N]
 * [-MaxFailures K] [--reload]. */
int
cli_rolling_verb(struct app *app, const struct cli_args *args)
{
	struct cli_selection	 sel;
	char			**ids;
	long			 parallel, max_failures;
	size_t			 i;
	int			 rc;

	if (cli_number(args, "Parallel", 1, CLI_ROLLING_MAX_PARALLEL,
	    CLI_ROLLING_PARALLEL, &parallel) != 0 ||
	    cli_number(args, "MaxFailures", 0, 1000000, 0, &max_failures) != 0)
		return (CLI_EXIT_USAGE);
	if ((rc = cli_select(app, args, &sel)) != CLI_EXIT_OK)
		return (rc);
	if (!cli_confirm(args, cli_value(args, "reload") != NULL ?
	    "Reload the IMAP4 service" : "Restart the IMAP4 service", sel.n)) {
		cli_selection_free(&sel);
		return (CLI_EXIT_FAIL);
	}
	if ((ids = calloc(sel.n, sizeof *ids)) == NULL)
		abort();
	for (i = 0; i < sel.n; i++)
		ids[i] = sel.servers[i].identity;
	rc = cli_rolling_restart(app, ids, sel.n, (int)parallel,
	    (int)max_failures, cli_value(args, "reload") != NULL);
	free(ids);
	cli_selection_free(&sel);
	return (rc);
}
