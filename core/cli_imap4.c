/* The IMAP4 verbs set-imapsettings and restart-imapservice (get-imapsettings
 * is in cli_imap4_get.c). Every setting comes from settings_table; nothing
 * here names one. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/app.h"
#include "core/cli_internal.h"
#include "core/proc.h"
#include "core/str.h"

struct cli_imap4_progress {
	const char	*identity;
	char		 step[32];
	char		 detail[52];	/* the command, cut to fit a line */
	unsigned	 ticks;
	int		 shown;
	int		 tty;
	int		 told;		/* 1: the first signal, 2: the second */
};

/* Signals that end a restart early; see cli_imap4_signals. */
static const int		 cli_imap4_sigs[] = { SIGTERM, SIGHUP, SIGINT,
				     SIGQUIT };
#define CLI_IMAP4_NSIGS	(sizeof cli_imap4_sigs / sizeof cli_imap4_sigs[0])
static volatile sig_atomic_t	 cli_imap4_signal;	/* the first */
static volatile sig_atomic_t	 cli_imap4_signal2;	/* a second */

static void	 cli_imap4_on_signal(int);
static void	 cli_imap4_signals(int, struct sigaction *);
static char	*cli_imap4_span(long);
static void	 cli_imap4_progress(void *, const char *, const char *);
static void	 cli_imap4_steps(const struct service_result *);
static void	 cli_imap4_running(struct app *, const char *);
static void	 cli_imap4_pending_after(struct app *, const char *);
static void	 cli_imap4_report_state(struct app *, const char *);

static char *
cli_imap4_span(long seconds)
{
	char	*s;

	if ((s = settings_format_timespan(seconds)) == NULL &&
	    asprintf(&s, "%ld", seconds) == -1)
		s = NULL;
	return (s);
}

/* -IfVersion: a whole number, 0 or more; else STORE_ANY with an error. */
static int
cli_imap4_if_version(const char *text, long *out)
{
	char	*end;
	long	 n;

	*out = STORE_ANY;
	if (text == NULL)
		return (0);
	errno = 0;
	n = strtol(text, &end, 10);
	if (*text < '0' || *text > '9' || *end != '\0' || errno != 0 ||
	    n < 0) {
		cli_error("invalid -IfVersion '%s': give the Version that "
		    "get-imapsettings shows, a whole number from 0", text);
		return (-1);
	}
	*out = n;
	return (0);
}

/* One server's change, in its own transaction and audit row. */
static int
cli_imap4_set_one(struct app *app, const char *identity,
    const int given[SETTING_COUNT], const long values[SETTING_COUNT],
    long if_version)
{
	const struct setting_def *def;
	struct imap4_view	  after;
	struct imap4_change	  ch;
	const char		 *warning;
	char			 *cause = NULL, *from, *to;
	size_t			  i;
	int			  rc;

	/* One transaction on what the server holds then: last writer wins. */
	rc = imap4_set(app, identity, given, values, if_version, &ch, &cause);
	if (rc != 0) {
		/* STORE_NOTFOUND and STORE_CONFLICT carry their message too. */
		cli_error("%s", cause != NULL ? cause : "not saved");
		free(cause);
		imap4_change_free(&ch);
		return (CLI_EXIT_FAIL);
	}
	if (imap4_load(app, ch.identity, &after, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		imap4_change_free(&ch);
		return (CLI_EXIT_FAIL);
	}
	imap4_observe(app, &after, OBSERVE_COMMANDS);
	if (!ch.changed)
		printf("%s: no change (the values given are already "
		    "configured)", ch.identity);
	for (i = 0; ch.changed && i < SETTING_COUNT; i++) {
		if (ch.new[i] == ch.old[i])
			continue;
		def = &settings_table[i];
		from = cli_imap4_span(ch.old[i]);
		to = cli_imap4_span(ch.new[i]);
		printf("%s: %s %s -> %s (%ld %s)\n", ch.identity, def->name,
		    from, to, ch.new[i], def->unit);
		if ((warning = settings_warning(def, ch.new[i])) != NULL)
			cli_warn("%s %s: %s", def->name, to, warning);
		free(from);
		free(to);
	}
	if (ch.changed)
		printf("%s: saved", ch.identity);
	if (after.restart_pending)
		printf("; restart pending (run: imapadm restart-imapservice "
		    "-Identity %s)", ch.identity);
	else
		printf("; not restart pending: %s", after.pending_why != NULL ?
		    after.pending_why : "configured equals running");
	printf("; Version %ld\n", ch.version);
	imap4_view_free(&after);
	imap4_change_free(&ch);
	return (CLI_EXIT_OK);
}

/* -WhatIf: each server's old -> new, nothing saved. */
static void
cli_imap4_set_whatif(struct app *app, const char *identity,
    const int given[SETTING_COUNT], const long values[SETTING_COUNT])
{
	struct imap4_view	 v;
	char			*cause = NULL, *from, *to;
	size_t			 i;
	int			 changed = 0;

	if (imap4_load(app, identity, &v, &cause) != 0) {
		printf("What if: %s: %s\n", identity, cause != NULL ? cause :
		    "cannot read it");
		free(cause);
		return;
	}
	for (i = 0; i < SETTING_COUNT; i++) {
		if (!given[i] || values[i] == v.configured[i])
			continue;
		from = cli_imap4_span(v.configured[i]);
		to = cli_imap4_span(values[i]);
		printf("What if: %s: %s %s -> %s (%ld %s)\n",
		    v.server.identity, settings_table[i].name, from, to,
		    values[i], settings_table[i].unit);
		free(from);
		free(to);
		changed = 1;
	}
	if (!changed)
		printf("What if: %s: no change (the values given are already "
		    "configured)\n", v.server.identity);
	imap4_view_free(&v);
}

int
cli_imap4_set(struct app *app, const struct cli_args *args)
{
	const struct setting_def *def;
	struct cli_selection	  sel;
	long			  values[SETTING_COUNT], if_version;
	int			  given[SETTING_COUNT];
	char			 *cause = NULL;
	size_t			  i, failed = 0;
	int			  rc, bad = 0;

	if (!cli_may_edit(app, "change IMAP4 settings"))
		return (CLI_EXIT_FAIL);
	/* Check every value before saving any: one bad value saves nothing. */
	if (cli_imap4_if_version(cli_value(args, "IfVersion"),
	    &if_version) != 0)
		bad = 1;
	for (i = 0; i < SETTING_COUNT; i++) {
		given[i] = args->setting[i] != NULL;
		values[i] = 0;
		if (!given[i])
			continue;
		def = &settings_table[i];
		if (settings_parse(def, args->setting[i], &values[i],
		    &cause) != 0) {
			cli_error("%s", cause);
			free(cause);
			cause = NULL;
			bad = 1;
		}
	}
	if (bad)
		return (CLI_EXIT_FAIL);
	if ((rc = cli_select(app, args, &sel)) != CLI_EXIT_OK)
		return (rc);
	if (cli_value(args, "IfVersion") != NULL && sel.n > 1) {
		cli_error("-IfVersion names one server's version, and %zu "
		    "servers match: give one -Identity", sel.n);
		cli_selection_free(&sel);
		return (CLI_EXIT_USAGE);
	}
	if (cli_value(args, "WhatIf") != NULL) {
		for (i = 0; i < sel.n; i++)
			cli_imap4_set_whatif(app, sel.servers[i].identity,
			    given, values);
		printf("What if: %zu server%s; nothing was changed\n", sel.n,
		    sel.n == 1 ? "" : "s");
		cli_selection_free(&sel);
		return (CLI_EXIT_OK);
	}
	if (!cli_confirm(args, "Change the IMAP4 settings", sel.n)) {
		cli_selection_free(&sel);
		return (CLI_EXIT_FAIL);
	}
	/* Each server on its own: one refused does not stop the others. */
	for (i = 0; i < sel.n; i++) {
		if (cli_imap4_set_one(app, sel.servers[i].identity, given,
		    values, if_version) != CLI_EXIT_OK)
			failed++;
	}
	if (sel.n > 1)
		printf("%zu of %zu servers saved%s\n", sel.n - failed, sel.n,
		    failed > 0 ? "; see the errors above" : "");
	cli_selection_free(&sel);
	return (failed > 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK);
}

/* On a terminal, show which step runs and that it is alive; everywhere,
 * say at once what a signal does (from here, not the handler). */
static void
cli_imap4_progress(void *arg, const char *step, const char *detail)
{
	struct cli_imap4_progress *p = arg;
	static const char	 spin[] = "|/-\\";

	if (detail != NULL || strcmp(step, p->step) != 0) {
		snprintf(p->step, sizeof p->step, "%s", step);
		snprintf(p->detail, sizeof p->detail, "%s",
		    detail != NULL ? detail : "");
		p->ticks = 0;
	} else
		p->ticks++;
	if (cli_imap4_signal != 0 && !p->told) {
		p->told = 1;
		if (p->shown)
			fprintf(stderr, "\r\033[K");
		cli_error("signal %d (%s): letting the %s step finish, starting "
		    "no other; a second signal kills it", (int)cli_imap4_signal,
		    strsignal(cli_imap4_signal), p->step);
	}
	if (cli_imap4_signal2 != 0 && p->told == 1) {
		p->told = 2;
		if (p->shown)
			fprintf(stderr, "\r\033[K");
		cli_error("second signal %d (%s): killing the %s step",
		    (int)cli_imap4_signal2, strsignal(cli_imap4_signal2),
		    p->step);
	}
	if (!p->tty)
		return;
	fprintf(stderr, "\r\033[K%s: %s %c ", p->identity, p->step,
	    spin[p->ticks % 4]);
	cli_out_safe(stderr, p->detail, strlen(p->detail));
	fflush(stderr);
	p->shown = 1;
}

/*
 * After a signal: the service's state as its status command says it now,
 * in the words an admin needs ("nginx on CAS01 is stopped").
 */
static void
cli_imap4_report_state(struct app *app, const char *identity)
{
	struct imap4_view	 v;
	const struct profile	*prof;
	char			*cause = NULL, *svc;

	if (imap4_load(app, identity, &v, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return;
	}
	prof = v.server.profile != NULL ? config_profile(app->cfg,
	    v.server.profile) : NULL;
	svc = prof != NULL && prof->type == PROFILE_NGINX_MAIL ?
	    strdup("nginx") : str_printf("the IMAP4 service (profile %s)",
	    v.server.profile != NULL ? v.server.profile : "none");
	imap4_observe(app, &v, OBSERVE_STATUS);
	switch (v.obs.state) {
	case SERVICE_RUNNING:
	case SERVICE_STOPPED:
		cli_error("%s on %s is %s (its status command, %s)", svc,
		    v.server.identity, v.obs.state == SERVICE_RUNNING ?
		    "running" : "stopped", v.obs.status_line != NULL ?
		    v.obs.status_line : "");
		break;
	default:
		cli_error("whether %s on %s runs is unknown (%s)", svc,
		    v.server.identity, v.obs.status_line != NULL ?
		    v.obs.status_line : "no status command");
		break;
	}
	free(svc);
	imap4_view_free(&v);
}

static void
cli_imap4_steps(const struct service_result *res)
{
	const struct service_step *s;
	const char		*line, *nl;
	char			 result[32];
	size_t			 i;

	for (i = 0; i < res->nsteps; i++) {
		s = &res->steps[i];
		if (s->ok)
			snprintf(result, sizeof result, "ok");
		else if (s->timed_out)
			snprintf(result, sizeof result, "timed out");
		else if (s->command != NULL && s->exit_status >= 0)
			snprintf(result, sizeof result, "exit %d",
			    s->exit_status);
		else
			snprintf(result, sizeof result, "failed");
		printf("  %-8s %-9s %6.2fs", s->name, result, s->seconds);
		if (s->command != NULL) {
			fputs("  ", stdout);
			cli_out_safe(stdout, s->command, strlen(s->command));
		}
		putchar('\n');
		/* The command's own output: it must not drive the terminal. */
		for (line = s->detail; line != NULL && *line != '\0';
		    line = nl != NULL ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			fputs("      ", stdout);
			cli_out_safe(stdout, line, nl != NULL ?
			    (size_t)(nl - line) : strlen(line));
			putchar('\n');
		}
	}
}

/* First signal: finish the step, start no other. Second: kill the step. */
static void
cli_imap4_on_signal(int sig)
{
	if (cli_imap4_signal == 0) {
		cli_imap4_signal = sig;
		proc_finish(1);
	} else {
		cli_imap4_signal2 = sig;
		proc_interrupt(1);
	}
}

/*
 * While a restart runs, a first SIGTERM, SIGHUP (a dropped SSH session) or
 * SIGINT lets the step running now finish (killing "nginx stop; start"
 * half way leaves nginx stopped) and starts no other; a second kills the
 * step's process group. Either way imapadm then says what state the
 * service is in, and audits the attempt. Signals ignored at start (nohup)
 * stay ignored.
 */
static void
cli_imap4_signals(int install, struct sigaction *old)
{
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_imap4_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < CLI_IMAP4_NSIGS; i++) {
		if (install) {
			if (sigaction(cli_imap4_sigs[i], NULL, &old[i]) == 0 &&
			    old[i].sa_handler != SIG_IGN)
				sigaction(cli_imap4_sigs[i], &sa, NULL);
		} else
			sigaction(cli_imap4_sigs[i], &old[i], NULL);
	}
	if (!install) {
		proc_interrupt(0);
		proc_finish(0);
	}
}

/* After a failed restart: pending as it is now seen, not assumed. */
static void
cli_imap4_pending_after(struct app *app, const char *identity)
{
	struct imap4_view	 v;
	char			*cause = NULL;

	if (imap4_load(app, identity, &v, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return;
	}
	imap4_observe(app, &v, OBSERVE_COMMANDS);
	if (v.restart_pending)
		cli_error("%s stays restart-pending; fix the cause and run "
		    "restart-imapservice again", v.server.identity);
	else
		cli_error("%s is not restart-pending: %s", v.server.identity,
		    v.pending_why != NULL ? v.pending_why : "?");
	imap4_view_free(&v);
}

/* What the service now runs, read back from the store. */
static void
cli_imap4_running(struct app *app, const char *identity)
{
	struct imap4_view	 v;
	char			*cause = NULL, *span;
	size_t			 i;

	if (imap4_load(app, identity, &v, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return;
	}
	/* Observed after the restart, not taken from what was pushed. */
	imap4_observe(app, &v, OBSERVE_COMMANDS);
	printf("%s: running", v.server.identity);
	for (i = 0; i < SETTING_COUNT; i++) {
		span = v.obs.has_running[i] ? cli_imap4_span(v.obs.running[i]) :
		    NULL;
		printf("%s %s %s", i > 0 ? "," : "", settings_table[i].name,
		    span != NULL ? span : "unknown");
		free(span);
	}
	printf(" (%s)\n", v.obs.source != NULL ? v.obs.source : "?");
	imap4_view_free(&v);
}

int
cli_imap4_restart(struct app *app, const struct cli_args *args)
{
	struct cli_imap4_progress progress;
	struct sigaction	 old[CLI_IMAP4_NSIGS];
	struct service_result	 res;
	struct cli_selection	 sel;
	const struct store_server *v;
	enum service_mode	 mode;
	char			*cause = NULL;
	int			 rc, killed;

	if (!cli_may_edit(app, "restart the IMAP4 service"))
		return (CLI_EXIT_FAIL);
	if (cli_value(args, "WhatIf") != NULL)
		return (cli_whatif_restart(app, args));
	/* Many servers, or the knobs of a rolling run: cli_rolling.c. */
	if (cli_select_is_bulk(args) || cli_value(args, "Parallel") != NULL ||
	    cli_value(args, "MaxFailures") != NULL)
		return (cli_rolling_verb(app, args));
	/* One server: named as -Identity or -Server, else said what to name. */
	if ((rc = cli_select(app, args, &sel)) != CLI_EXIT_OK)
		return (rc);
	v = &sel.servers[0];
	mode = cli_value(args, "reload") != NULL ? SERVICE_RELOAD :
	    SERVICE_RESTART;

	memset(&progress, 0, sizeof progress);
	progress.identity = v->identity;
	progress.tty = isatty(STDERR_FILENO);
	cli_imap4_signal = cli_imap4_signal2 = 0;
	cli_imap4_signals(1, old);
	rc = imap4_restart(app, v->identity, mode, cli_imap4_progress,
	    &progress, &res, &cause);
	if (progress.shown) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	cli_imap4_steps(&res);
	if (rc != 0) {
		cli_error("%s", cause != NULL ? cause : "restart failed");
	} else {
		/* The service's summary names the server itself. */
		if (res.message != NULL)
			printf("%s\n", res.message);
		else
			printf("%s: %s\n", v->identity,
			    mode == SERVICE_RELOAD ? "reloaded" : "restarted");
	}
	if (cli_imap4_signal != 0) {
		/* Asking the state is a new command: allowed again, and a
		 * further signal kills it. */
		killed = cli_imap4_signal2 != 0;
		proc_finish(0);
		proc_interrupt(0);
		cli_error("restart-imapservice interrupted by signal %d (%s): "
		    "%s", (int)cli_imap4_signal, strsignal(cli_imap4_signal),
		    killed ? "a second signal killed the step "
		    "running then" : "the step running then was let finish; "
		    "none was started after it");
		cli_imap4_report_state(app, v->identity);
	}
	cli_imap4_signals(0, old);
	if (rc != 0) {
		if (res.nsteps > 0)
			cli_imap4_pending_after(app, v->identity);
		rc = CLI_EXIT_FAIL;
	} else {
		cli_imap4_running(app, v->identity);
		if (mode == SERVICE_RELOAD)
			printf("%s: note: a reload is graceful; sessions "
			    "already open keep their previous time-outs\n",
			    v->identity);
		if (cli_imap4_signal != 0)
			rc = CLI_EXIT_FAIL;
	}
	free(cause);
	service_result_free(&res);
	cli_selection_free(&sel);
	return (rc);
}
