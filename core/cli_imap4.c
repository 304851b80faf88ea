/* The IMAP4 verbs set-imapsettings and restart-imapservice (get-imapsettings
 * is in cli_imap4_get.c). Every setting comes from settings_table; nothing
 * here names one. */
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
};

/* Signals that end a restart early; see cli_imap4_signals. */
static const int		 cli_imap4_sigs[] = { SIGTERM, SIGHUP, SIGINT,
				     SIGQUIT };
#define CLI_IMAP4_NSIGS	(sizeof cli_imap4_sigs / sizeof cli_imap4_sigs[0])
static volatile sig_atomic_t	 cli_imap4_signal;

static void	 cli_imap4_on_signal(int);
static void	 cli_imap4_signals(int, struct sigaction *);
static int	 cli_imap4_load(struct app *, const char *,
		     struct imap4_view **, size_t *);
static void	 cli_imap4_views_free(struct imap4_view *, size_t);
static char	*cli_imap4_span(long);
static void	 cli_imap4_progress(void *, const char *, const char *);
static void	 cli_imap4_steps(const struct service_result *);
static void	 cli_imap4_running(struct app *, const char *);

static char *
cli_imap4_span(long seconds)
{
	char	*s;

	if ((s = settings_format_timespan(seconds)) == NULL &&
	    asprintf(&s, "%ld", seconds) == -1)
		s = NULL;
	return (s);
}

static void
cli_imap4_views_free(struct imap4_view *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		imap4_view_free(&v[i]);
	free(v);
}

/* One named client access server, or every one. Returns an exit status. */
static int
cli_imap4_load(struct app *app, const char *identity, struct imap4_view **out,
    size_t *nout)
{
	struct store_server	 one, *list = NULL;
	struct imap4_view	*v;
	char			*cause = NULL;
	size_t			 n = 0, i, nv = 0;
	int			 rc = CLI_EXIT_OK;

	*out = NULL;
	*nout = 0;
	if (identity != NULL) {
		if ((rc = cli_server_find(app, identity, &one)) != 0)
			return (rc);
		if (!cli_server_has_role(&one, "ClientAccess")) {
			cli_error("%s is not a client access server (roles: %s)",
			    one.identity, one.roles);
			store_server_free(&one);
			return (CLI_EXIT_FAIL);
		}
		list = &one;
		n = 1;
	} else if (store_server_list(app->store, &list, &n, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return (CLI_EXIT_FAIL);
	}

	if ((v = calloc(n + 1, sizeof *v)) == NULL) {
		cli_error("out of memory");
		rc = CLI_EXIT_FAIL;
	}
	for (i = 0; rc == CLI_EXIT_OK && i < n; i++) {
		if (!cli_server_has_role(&list[i], "ClientAccess"))
			continue;
		if (imap4_load(app, list[i].identity, &v[nv], &cause) != 0) {
			cli_error("%s", cause);
			free(cause);
			rc = CLI_EXIT_FAIL;
			break;
		}
		nv++;
	}
	if (identity != NULL)
		store_server_free(&one);
	else
		store_server_list_free(list, n);
	if (rc != CLI_EXIT_OK) {
		cli_imap4_views_free(v, nv);
		return (rc);
	}
	*out = v;
	*nout = nv;
	return (CLI_EXIT_OK);
}


int
cli_imap4_set(struct app *app, const struct cli_args *args)
{
	const struct setting_def *def;
	struct imap4_view	 *v;
	long			  values[SETTING_COUNT];
	const char		 *warning;
	char			 *cause = NULL, *from, *to;
	size_t			  n, i;
	int			  rc, bad = 0, changed = 0;

	if (!cli_may_edit(app, "change IMAP4 settings"))
		return (CLI_EXIT_FAIL);
	rc = cli_imap4_load(app, cli_value(args, "Identity"), &v, &n);
	if (rc != CLI_EXIT_OK)
		return (rc);

	/* Check every value before saving any: one bad value saves nothing. */
	memcpy(values, v->configured, sizeof values);
	for (i = 0; i < SETTING_COUNT; i++) {
		if (args->setting[i] == NULL)
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
	if (bad) {
		cli_imap4_views_free(v, n);
		return (CLI_EXIT_FAIL);
	}
	for (i = 0; i < SETTING_COUNT; i++)
		changed |= values[i] != v->configured[i];
	if (!changed) {
		printf("%s: no change (the values given are already "
		    "configured)", v->server.identity);
		if (v->restart_pending)
			printf("; restart pending (run: imapadm "
			    "restart-imapservice -Identity %s)",
			    v->server.identity);
		printf("\n");
		cli_imap4_views_free(v, n);
		return (CLI_EXIT_OK);
	}

	rc = imap4_save(app, v->server.identity, v->version, values, NULL,
	    &cause);
	if (rc != 0) {
		/* STORE_NOTFOUND and STORE_CONFLICT carry their message too. */
		cli_error("%s", cause != NULL ? cause : "not saved");
		free(cause);
		cli_imap4_views_free(v, n);
		return (CLI_EXIT_FAIL);
	}
	for (i = 0; i < SETTING_COUNT; i++) {
		if (values[i] == v->configured[i])
			continue;
		def = &settings_table[i];
		from = cli_imap4_span(v->configured[i]);
		to = cli_imap4_span(values[i]);
		printf("%s: %s %s -> %s (%ld %s)\n", v->server.identity,
		    def->name, from, to, values[i], def->unit);
		if ((warning = settings_warning(def, values[i])) != NULL)
			cli_warn("%s %s: %s", def->name, to, warning);
		free(from);
		free(to);
	}
	printf("%s: saved; restart pending (run: imapadm restart-imapservice "
	    "-Identity %s)\n", v->server.identity, v->server.identity);
	cli_imap4_views_free(v, n);
	return (CLI_EXIT_OK);
}

/* On a terminal, show which step runs and that it is alive. */
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
	fprintf(stderr, "\r\033[K%s: %s %c ", p->identity, p->step,
	    spin[p->ticks % 4]);
	cli_out_safe(stderr, p->detail, strlen(p->detail));
	fflush(stderr);
	p->shown = 1;
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

static void
cli_imap4_on_signal(int sig)
{
	cli_imap4_signal = sig;
	proc_interrupt(1);
}

/*
 * While a restart runs, SIGTERM, SIGHUP (a dropped SSH session) and SIGINT
 * stop the service command's process group instead of killing imapadm and
 * leaving the command running without its time-out: the attempt ends, is
 * audited and the server stays restart-pending. Signals ignored at start
 * (nohup) stay ignored.
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
	if (!install)
		proc_interrupt(0);
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
	struct imap4_view	*v;
	enum service_mode	 mode;
	char			*cause = NULL;
	size_t			 n;
	int			 rc, tty;

	if (!cli_may_edit(app, "restart the IMAP4 service"))
		return (CLI_EXIT_FAIL);
	if (cli_value(args, "WhatIf") != NULL)
		return (cli_whatif_restart(app, args));
	/* Many servers, or the knobs of a rolling run: cli_rolling.c. */
	if (cli_select_is_bulk(args) || cli_value(args, "Parallel") != NULL ||
	    cli_value(args, "MaxFailures") != NULL)
		return (cli_rolling_verb(app, args));
	if (cli_value(args, "Identity") == NULL &&
	    cli_value(args, "Server") == NULL)
		return (cli_rolling_verb(app, args));	/* says what to name */
	rc = cli_imap4_load(app, cli_value(args, "Identity") != NULL ?
	    cli_value(args, "Identity") : cli_value(args, "Server"), &v, &n);
	if (rc != CLI_EXIT_OK)
		return (rc);
	mode = cli_value(args, "reload") != NULL ? SERVICE_RELOAD :
	    SERVICE_RESTART;

	memset(&progress, 0, sizeof progress);
	progress.identity = v->server.identity;
	tty = isatty(STDERR_FILENO);
	cli_imap4_signal = 0;
	cli_imap4_signals(1, old);
	rc = imap4_restart(app, v->server.identity, mode,
	    tty ? cli_imap4_progress : NULL, &progress, &res, &cause);
	cli_imap4_signals(0, old);
	if (progress.shown) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	cli_imap4_steps(&res);
	if (rc != 0) {
		/* A signal after a success came too late to stop anything. */
		if (cli_imap4_signal != 0)
			cli_error("restart-imapservice interrupted by signal "
			    "%d (%s)", (int)cli_imap4_signal,
			    strsignal(cli_imap4_signal));
		cli_error("%s", cause != NULL ? cause : "restart failed");
		if (res.nsteps > 0)
			cli_error("%s stays restart-pending; fix the cause and "
			    "run restart-imapservice again",
			    v->server.identity);
		rc = CLI_EXIT_FAIL;
	} else {
		/* The service's summary names the server itself. */
		if (res.message != NULL)
			printf("%s\n", res.message);
		else
			printf("%s: %s\n", v->server.identity,
			    mode == SERVICE_RELOAD ? "reloaded" : "restarted");
		cli_imap4_running(app, v->server.identity);
		if (mode == SERVICE_RELOAD)
			printf("%s: note: a reload is graceful; sessions "
			    "already open keep their previous time-outs\n",
			    v->server.identity);
	}
	free(cause);
	service_result_free(&res);
	cli_imap4_views_free(v, n);
	return (rc);
}
