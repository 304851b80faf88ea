/* -WhatIf, as in the Exchange shell: what a restart would write and run, per
 * server, with nothing written, run or audited. */

#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/cli_internal.h"
#include "core/proc.h"
#include "core/remote.h"
#include "core/str.h"

/* Longer files are summarised rather than compared line by line. */
#define CLI_WHATIF_MAX_LINES	400

struct cli_whatif_lines {
	char	**line;
	size_t	 n;
};

static void	 cli_whatif_split(const char *, struct cli_whatif_lines *);
static void	 cli_whatif_diff(const struct cli_whatif_lines *,
		     const struct cli_whatif_lines *);
static void	 cli_whatif_file(const struct app *, const struct profile *,
		     const struct store_server *, const char *);
static char	*cli_whatif_remote(const struct app *, const struct profile *,
		     const struct store_server *);
static void	 cli_whatif_command(const char *, const struct profile *,
		     const struct argv_tmpl *, const struct store_server *,
		     const long [SETTING_COUNT]);
static void	 cli_whatif_restart_one(struct app *, const char *, int);

static void
cli_whatif_split(const char *text, struct cli_whatif_lines *l)
{
	const char	*p, *nl;
	size_t		 cap = 0;

	memset(l, 0, sizeof *l);
	for (p = text; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (l->n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((l->line = reallocarray(l->line, cap,
			    sizeof *l->line)) == NULL)
				abort();
		}
		if ((l->line[l->n++] = strndup(p, nl != NULL ?
		    (size_t)(nl - p) : strlen(p))) == NULL)
			abort();
	}
}

static void
cli_whatif_lines_free(struct cli_whatif_lines *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
}

static void
cli_whatif_print(char mark, const char *line)
{
	printf("    %c ", mark);
	cli_out_safe(stdout, line, strlen(line));
	putchar('\n');
}

/* Old against new by their longest common subsequence: "-" what goes,
 * "+" what comes, the rest as it is. Settings files are a few lines. */
static void
cli_whatif_diff(const struct cli_whatif_lines *a,
    const struct cli_whatif_lines *b)
{
	size_t	*t, i, j, w = b->n + 1;

	if ((t = calloc((a->n + 1) * w, sizeof *t)) == NULL)
		abort();
	for (i = a->n; i-- > 0;) {
		for (j = b->n; j-- > 0;) {
			t[i * w + j] = strcmp(a->line[i], b->line[j]) == 0 ?
			    t[(i + 1) * w + j + 1] + 1 :
			    t[(i + 1) * w + j] > t[i * w + j + 1] ?
			    t[(i + 1) * w + j] : t[i * w + j + 1];
		}
	}
	for (i = j = 0; i < a->n || j < b->n;) {
		if (i < a->n && j < b->n &&
		    strcmp(a->line[i], b->line[j]) == 0) {
			cli_whatif_print(' ', a->line[i]);
			i++, j++;
		} else if (i < a->n && (j == b->n ||
		    t[(i + 1) * w + j] >= t[i * w + j + 1]))
			cli_whatif_print('-', a->line[i++]);
		else
			cli_whatif_print('+', b->line[j++]);
	}
	free(t);
}

/* The settings file as it is, against what the restart would write. */
/*
 * The file as it is on the server's own host (reading changes nothing);
 * NULL when it cannot be read, with the reason printed.
 */
static char *
cli_whatif_remote(const struct app *app, const struct profile *prof,
    const struct store_server *srv)
{
	struct remote_file	 f;
	char			*host, *cause = NULL, *text = NULL;

	host = service_host(prof, srv, &cause);
	printf("  settings file %s on %s:\n", prof->settings_file,
	    host != NULL ? host : "its host");
	if (host == NULL || remote_read(prof, host, prof->settings_file,
	    service_timeout(app->cfg, prof), &f, &cause) != 0) {
		printf("    (cannot read it on %s now: ", host != NULL ? host :
		    "its host");
		cli_out_safe(stdout, cause != NULL ? cause : "out of memory",
		    strlen(cause != NULL ? cause : "out of memory"));
		printf(")\n");
	} else if (!f.exists) {
		printf("    (not on %s now: it would be created)\n", host);
		remote_file_free(&f);
	} else {
		text = f.text;
		f.text = NULL;
		remote_file_free(&f);
	}
	free(cause);
	free(host);
	return (text);
}

static void
cli_whatif_file(const struct app *app, const struct profile *prof,
    const struct store_server *srv, const char *text)
{
	struct cli_whatif_lines	 old, new;
	FILE			*f;
	char			*cur = NULL;
	size_t			 len = 0;

	if (text == NULL) {
		printf("  no settings file: profile %s passes the values to "
		    "its commands\n", prof->name);
		return;
	}
	if (prof->remote == PROFILE_SSH)
		cur = cli_whatif_remote(app, prof, srv);
	else {
		printf("  settings file %s:\n", prof->settings_file);
		if ((f = fopen(prof->settings_file, "re")) == NULL)
			printf("    (cannot read it now: it would be "
			    "created)\n");
		else {
			if (getdelim(&cur, &len, '\0', f) == -1) {
				free(cur);
				cur = NULL;
			}
			fclose(f);
		}
	}
	cli_whatif_split(cur, &old);
	cli_whatif_split(text, &new);
	if (old.n > CLI_WHATIF_MAX_LINES || new.n > CLI_WHATIF_MAX_LINES)
		printf("    (%zu lines now, %zu after: too long to compare)\n",
		    old.n, new.n);
	else if (cur != NULL && strcmp(cur, text) == 0)
		printf("    (unchanged: it already holds these values)\n");
	else
		cli_whatif_diff(&old, &new);
	cli_whatif_lines_free(&old);
	cli_whatif_lines_free(&new);
	free(cur);
}

static void
cli_whatif_command(const char *name, const struct profile *prof,
    const struct argv_tmpl *tmpl, const struct store_server *srv,
    const long values[SETTING_COUNT])
{
	char	**argv, *cause = NULL, *text;

	if (tmpl->argc == 0)
		return;
	printf("  %-8s ", name);
	if ((argv = service_expand(prof, tmpl, srv, values, &cause)) == NULL) {
		printf("would fail: ");
		cli_out_safe(stdout, cause != NULL ? cause : "cannot expand",
		    strlen(cause != NULL ? cause : "cannot expand"));
		putchar('\n');
		free(cause);
		return;
	}
	text = proc_argv_string(argv);
	cli_out_safe(stdout, text != NULL ? text : "?",
	    strlen(text != NULL ? text : "?"));
	putchar('\n');
	free(text);
	service_argv_free(argv);
}

static void
cli_whatif_restart_one(struct app *app, const char *identity, int reload)
{
	const struct profile	*prof = NULL;
	struct imap4_view	 v;
	char			*cause = NULL, *text;

	if (imap4_load(app, identity, &v, &cause) != 0) {
		printf("What if: %s: ", identity);
		cli_out_safe(stdout, cause != NULL ? cause : "cannot read it",
		    strlen(cause != NULL ? cause : "cannot read it"));
		putchar('\n');
		free(cause);
		return;
	}
	if (v.server.profile != NULL && *v.server.profile != '\0')
		prof = config_profile(app->cfg, v.server.profile);
	if (prof == NULL) {
		printf("What if: %s: the restart would fail: %s\n",
		    v.server.identity, v.server.profile == NULL ||
		    *v.server.profile == '\0' ? "it has no service profile" :
		    "its profile is not in the config");
		imap4_view_free(&v);
		return;
	}
	printf("What if: %s the IMAP4 service of %s (profile %s)%s\n",
	    reload ? "reloading" : "restarting", v.server.identity,
	    prof->name, v.restart_pending ? "" : "; not restart-pending");
	text = service_render(prof, v.configured);
	cli_whatif_file(app, prof, &v.server, text);
	free(text);
	cli_whatif_command("check", prof, &prof->check, &v.server,
	    v.configured);
	cli_whatif_command(reload ? "reload" : "restart", prof,
	    reload ? &prof->reload : &prof->restart, &v.server, v.configured);
	cli_whatif_command("status", prof, &prof->status, &v.server,
	    v.configured);
	imap4_view_free(&v);
}

/* restart-imapservice ... -WhatIf: nothing is written, run or audited. */
int
cli_whatif_restart(struct app *app, const struct cli_args *args)
{
	struct cli_selection	sel;
	size_t			i;
	int			rc;

	if ((rc = cli_select(app, args, &sel)) != CLI_EXIT_OK)
		return (rc);
	for (i = 0; i < sel.n; i++)
		cli_whatif_restart_one(app, sel.servers[i].identity,
		    cli_value(args, "reload") != NULL);
	printf("What if: %zu server%s; nothing was changed\n", sel.n,
	    sel.n == 1 ? "" : "s");
	cli_selection_free(&sel);
	return (CLI_EXIT_OK);
}

/*
 * -Confirm: ask once, on the terminal, before acting on n servers (only
 * when there are several). Returns 1 to go on, 0 when declined or when
 * there is no terminal to ask on (said on stderr).
 */
int
cli_confirm(const struct cli_args *args, const char *what, size_t n)
{
	char	 answer[16];

	if (cli_value(args, "Confirm") == NULL || n < 2)
		return (1);
	if (!isatty(STDIN_FILENO)) {
		cli_error("-Confirm asks on a terminal, and standard input is "
		    "not one: nothing was changed (leave -Confirm out in "
		    "scripts)");
		return (0);
	}
	fprintf(stderr, "%s on %zu servers? [y/N] ", what, n);
	fflush(stderr);
	if (fgets(answer, sizeof answer, stdin) == NULL ||
	    (answer[0] != 'y' && answer[0] != 'Y')) {
		fprintf(stderr, "imapadm: not confirmed: nothing was changed\n");
		return (0);
	}
	return (1);
}
