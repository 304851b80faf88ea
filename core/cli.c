/* The command line: global options, the verb table, Exchange-style parameter
 * parsing (-Param value, --param=value, positional -Identity) and help. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/cli.h"
#include "core/cli_internal.h"

#define CLI_NAME_MAX	128

static int	 cli_help(struct app *, const struct cli_args *);
static void	 cli_lines(const char *, const char *);
static int	 cli_distance(const char *, const char *);
static const char *cli_dashes(const char *);
static void	 cli_piece(FILE *, const char *, int, int *);
static void	 cli_synopsis(const struct cli_verb *, FILE *, int);
static void	 cli_wrap(FILE *, int, const char *);
static int	 cli_token(const char *, char *, const char **);
static int	 cli_param_index(const struct cli_verb *, const char *);
static int	 cli_known(const struct cli_verb *, const char *);
static const char *cli_suggest_param(const struct cli_verb *, const char *);
static int	 cli_global(const char *, const char *, const char **,
		     const char **);
static int	 cli_parse(const struct cli_verb *, int, char **,
		     struct cli_args *, const char **, const char **);
static int	 cli_parse_format(const char *, enum cli_format *);

static const struct cli_param cli_params_get_imap4[] = {
	{ "Identity", "<server>", CLI_POSITIONAL,
	  "only this server (default: every client access server)" },
	{ "format", "list|table|json", 0,
	  "output form (default: list)" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_set_imap4[] = {
	{ "Identity", "<server>", CLI_REQUIRED|CLI_POSITIONAL,
	  "the client access server to change" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_restart[] = {
	{ "Identity", "<server>", CLI_REQUIRED|CLI_POSITIONAL,
	  "the client access server whose IMAP4 service to restart" },
	{ "reload", NULL, CLI_SWITCH,
	  "reload gracefully instead: open sessions keep their old time-outs" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_get_server[] = {
	{ "Identity", "<server>", CLI_POSITIONAL,
	  "only this server (default: every server)" },
	{ "format", "list|table|json", 0,
	  "output form (default: table)" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_new_server[] = {
	{ "Identity", "<server>", CLI_REQUIRED|CLI_POSITIONAL,
	  "name of the new server: letters, digits, '-' and '_'" },
	{ "Fqdn", "<host>", CLI_REQUIRED,
	  "its fully qualified host name" },
	{ "Roles", "<roles>", CLI_REQUIRED,
	  "ClientAccess, Mailbox or ClientAccess,Mailbox" },
	{ "Site", "<site>", 0,
	  "its site (default: the config's site, else Default-First-Site-Name)" },
	{ "Profile", "<profile>", 0,
	  "service profile from the config that restarts its IMAP4 service" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_remove_server[] = {
	{ "Identity", "<server>", CLI_REQUIRED|CLI_POSITIONAL,
	  "the server to remove with its IMAP4 settings (the audit log stays)" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_auditlog[] = {
	{ "Identity", "<server>", CLI_POSITIONAL,
	  "only entries about this server" },
	{ "ResultSize", "<count>|Unlimited", 0,
	  "newest entries to show (default: 1000)" },
	{ "format", "list|table|json", 0,
	  "output form (default: table)" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_help[] = {
	{ "Verb", "<verb>", CLI_POSITIONAL, "the verb to describe" },
	{ NULL, NULL, 0, NULL }
};

const struct cli_verb cli_verbs[] = {
	{ .name = "get-imapsettings",
	  .exec = cli_imap4_get,
	  .usage = "show the IMAP4 time-outs, configured and running",
	  .help = "Shows for each client access server the configured "
	      "time-outs, the values its IMAP4 service last loaded "
	      "(unknown until a restart succeeded), whether a restart is "
	      "pending, and who changed the settings last.",
	  .params = cli_params_get_imap4,
	  .format = CLI_FORMAT_LIST },
	{ .name = "set-imapsettings",
	  .exec = cli_imap4_set,
	  .usage = "change the IMAP4 time-outs of a client access server",
	  .help = "Saves new time-outs and marks the server restart-pending; "
	      "they take effect after restart-imapservice. Values are whole "
	      "seconds (1800) or a time span [d.]hh:mm:ss (00:30:00). A bad "
	      "value changes nothing.",
	  .params = cli_params_set_imap4,
	  .flags = CLI_VERB_SETTINGS },
	{ .name = "restart-imapservice",
	  .exec = cli_imap4_restart,
	  .usage = "push the configured time-outs to the IMAP4 service",
	  .help = "Renders the settings through the server's service profile, "
	      "checks them, then restarts (or with --reload reloads) the "
	      "service and asks its status. Prints every step; on failure "
	      "the server stays restart-pending.",
	  .params = cli_params_restart },
	{ .name = "get-server",
	  .exec = cli_server_get,
	  .usage = "list the servers",
	  .help = "Shows each server's name, host name, roles, site and "
	      "service profile.",
	  .params = cli_params_get_server,
	  .format = CLI_FORMAT_TABLE },
	{ .name = "new-server",
	  .exec = cli_server_new,
	  .usage = "add a server",
	  .help = "Adds a server to the inventory. Its IMAP4 settings start "
	      "at the defaults.",
	  .params = cli_params_new_server },
	{ .name = "remove-server",
	  .exec = cli_server_remove,
	  .usage = "remove a server",
	  .help = "Removes a server and its IMAP4 settings from the inventory. "
	      "Its audit log entries are kept.",
	  .params = cli_params_remove_server },
	{ .name = "get-auditlog",
	  .exec = cli_audit_get,
	  .usage = "show who changed what, newest first",
	  .help = "Shows the audit log: every saved change, restart and "
	      "inventory change with its time (UTC), Unix user and outcome.",
	  .params = cli_params_auditlog,
	  .format = CLI_FORMAT_TABLE },
	{ .name = "help",
	  .exec = cli_help,
	  .usage = "describe a verb and its parameters",
	  .help = "Describes one verb and its parameters; without a verb, "
	      "lists every verb.",
	  .params = cli_params_help,
	  .flags = CLI_VERB_NOAPP },
};
const size_t cli_nverbs = sizeof cli_verbs / sizeof cli_verbs[0];

void
cli_error(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	cli_lines("", s != NULL ? s : "out of memory");
	free(s);
}

void
cli_warn(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	cli_lines("warning: ", s != NULL ? s : "out of memory");
	free(s);
}

/* Causes may hold several lines (config errors): prefix each one. Messages
 * quote user input, so control codes are neutralised on the way out. */
static void
cli_lines(const char *kind, const char *text)
{
	const char	*nl;

	do {
		nl = strchr(text, '\n');
		fprintf(stderr, "imapadm: %s", kind);
		cli_out_safe(stderr, text, nl != NULL ? (size_t)(nl - text) :
		    strlen(text));
		fputc('\n', stderr);
		text = nl != NULL ? nl + 1 : NULL;
	} while (text != NULL && *text != '\0');
}

const char *
cli_value(const struct cli_args *args, const char *name)
{
	int	 i;

	if ((i = cli_param_index(args->verb, name)) < 0)
		return (NULL);
	return (args->value[i]);
}

int
cli_may_edit(struct app *app, const char *what)
{
	if (perm_can_edit(app->role))
		return (1);
	cli_error("%s (%s) may not %s", app->user, perm_role_name(app->role),
	    what);
	return (0);
}

int
cli_may_view(struct app *app)
{
	if (perm_can_view(app->role))
		return (1);
	cli_error("%s has no imapadm role and may not view servers (roles are "
	    "assigned in %s)", app->user,
	    app->cfg->path != NULL ? app->cfg->path : "the config file");
	return (0);
}

const struct cli_verb *
cli_find_verb(const char *name)
{
	size_t	 i;

	for (i = 0; i < cli_nverbs; i++) {
		if (strcasecmp(cli_verbs[i].name, name) == 0)
			return (&cli_verbs[i]);
	}
	return (NULL);
}

/* Case-insensitive edit distance, for "did you mean" on typos. */
static int
cli_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j;
	int	 row[CLI_NAME_MAX + 1], diag, up, cost;

	if (la > CLI_NAME_MAX || lb > CLI_NAME_MAX)
		return (CLI_NAME_MAX);
	for (j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			cost = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			row[j] = diag + cost;
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return (row[lb]);
}

static int
cli_close_enough(const char *typed, const char *name)
{
	return (cli_distance(typed, name) <= 2 + (int)strlen(name) / 8);
}

/* Exchange parameters are shown -PascalCase, imapadm's own --lowercase. */
static const char *
cli_dashes(const char *name)
{
	return (isupper((unsigned char)name[0]) ? "-" : "--");
}

/* Print word at column *col, first breaking the line if it would pass 79. */
static void
cli_piece(FILE *f, const char *word, int indent, int *col)
{
	int	 len = (int)strlen(word);

	if (*col > indent && *col + 1 + len > 79) {
		fprintf(f, "\n%*s", indent, "");
		*col = indent;
	} else if (*col != indent) {
		fputc(' ', f);
		(*col)++;
	}
	fputs(word, f);
	*col += len;
}

/* The verb and its parameters, wrapped under the verb; col is where the
 * verb starts. */
static void
cli_synopsis(const struct cli_verb *verb, FILE *f, int col)
{
	const struct cli_param	*p;
	char			 piece[256];
	size_t			 i;
	int			 indent, req, pos;

	fputs(verb->name, f);
	col += (int)strlen(verb->name);
	indent = col + 1;
	for (p = verb->params; p->name != NULL; p++) {
		req = (p->flags & CLI_REQUIRED) != 0;
		pos = (p->flags & CLI_POSITIONAL) != 0;
		snprintf(piece, sizeof piece, "%s%s%s%s%s%s%s%s", req ? "" : "[",
		    pos ? "[" : "", cli_dashes(p->name), p->name, pos ? "]" : "",
		    p->arg != NULL ? " " : "", p->arg != NULL ? p->arg : "",
		    req ? "" : "]");
		cli_piece(f, piece, indent, &col);
	}
	for (i = 0; (verb->flags & CLI_VERB_SETTINGS) && i < SETTING_COUNT;
	    i++) {
		snprintf(piece, sizeof piece, "[-%s <time>]",
		    settings_table[i].name);
		cli_piece(f, piece, indent, &col);
	}
}

/* Words of text wrapped at 79 columns, each line indented. */
static void
cli_wrap(FILE *f, int indent, const char *text)
{
	char	 word[256];
	size_t	 len;
	int	 col = indent;

	fprintf(f, "%*s", indent, "");
	while (*text != '\0') {
		text += strspn(text, " ");
		if ((len = strcspn(text, " ")) == 0)
			break;
		if (len >= sizeof word)
			len = sizeof word - 1;
		memcpy(word, text, len);
		word[len] = '\0';
		text += strcspn(text, " ");
		if (col > indent && col + 1 + (int)len > 79) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fputs(word, f);
		col += (int)len;
	}
	fputc('\n', f);
}

void
cli_usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: imapadm [--db PATH] [--config PATH] "
	    "[VERB [PARAMETERS]]\n"
	    "       imapadm --help | --version\n\n"
	    "Without a verb imapadm opens the console. Verbs and parameter\n"
	    "names are case-insensitive; -Param value, --param value and\n"
	    "--param=value are the same.\n\nVerbs:\n");
	for (i = 0; i < cli_nverbs; i++) {
		fprintf(f, "  ");
		cli_synopsis(&cli_verbs[i], f, 2);
		fprintf(f, "\n      %s\n", cli_verbs[i].usage);
	}
	fprintf(f, "\nA <time> is whole seconds (1800) or a time span "
	    "[d.]hh:mm:ss (00:30:00).\n"
	    "Run \"imapadm help VERB\" for one verb's parameters; "
	    "see imapadm(1).\n");
}

static void
cli_help_line(FILE *f, const char *left, const char *text)
{
	fprintf(f, "  %s\n", left);
	cli_wrap(f, 6, text);
}

int
cli_help_verb(const struct cli_verb *verb, FILE *f)
{
	const struct cli_param	 *p;
	const struct setting_def *def;
	char			 *left, *text, *span;
	size_t			  i;

	fprintf(f, "usage: imapadm ");
	cli_synopsis(verb, f, 15);
	fprintf(f, "\n\n");
	cli_wrap(f, 0, verb->help);
	fprintf(f, "\nParameters:\n");
	for (p = verb->params; p->name != NULL; p++) {
		if (asprintf(&left, "%s%s%s%s", cli_dashes(p->name), p->name,
		    p->arg != NULL ? " " : "", p->arg != NULL ? p->arg : "") ==
		    -1)
			return (CLI_EXIT_FAIL);
		cli_help_line(f, left, p->help);
		free(left);
	}
	for (i = 0; (verb->flags & CLI_VERB_SETTINGS) && i < SETTING_COUNT;
	    i++) {
		def = &settings_table[i];
		span = settings_format_timespan(def->def);
		if (asprintf(&left, "-%s <time>", def->name) == -1 ||
		    asprintf(&text, "%s Valid: %ld-%ld %s; default %ld (%s).",
		    def->help, def->min, def->max, def->unit, def->def,
		    span != NULL ? span : "?") == -1) {
			free(span);
			return (CLI_EXIT_FAIL);
		}
		cli_help_line(f, left, text);
		free(left);
		free(text);
		free(span);
	}
	if (verb->flags & CLI_VERB_SETTINGS)
		fprintf(f, "\nA <time> is whole seconds (1800) or a time span "
		    "[d.]hh:mm:ss (00:30:00).\n");
	for (p = verb->params; p->name != NULL; p++) {
		if (p->flags & CLI_POSITIONAL)
			fprintf(f, "\n%s%s may be given first without its "
			    "name: imapadm %s %s\n", cli_dashes(p->name),
			    p->name, verb->name, strcmp(p->name, "Identity") ==
			    0 ? "CAS01" : "get-server");
	}
	return (CLI_EXIT_OK);
}

static int
cli_help(struct app *app, const struct cli_args *args)
{
	const struct cli_verb	*verb;
	const char		*name = cli_value(args, "Verb");

	if (name == NULL) {
		cli_usage(stdout);
		return (CLI_EXIT_OK);
	}
	if ((verb = cli_find_verb(name)) == NULL) {
		cli_error("no verb named %s (see imapadm --help)", name);
		return (CLI_EXIT_USAGE);
	}
	return (cli_help_verb(verb, stdout));
}

/*
 * Split "-Name", "--name", "-Name=value", "--name:value" (PowerShell) into
 * the name and the inline value. Returns 0 if arg is not a parameter: it
 * must start with a letter or '?' after its dashes, so "-5" is a value.
 */
static int
cli_token(const char *arg, char *name, const char **inline_value)
{
	const char	*p = arg;
	size_t		 len;

	*inline_value = NULL;
	if (*p != '-')
		return (0);
	p++;
	if (*p == '-')
		p++;
	if (!isalpha((unsigned char)*p) && *p != '?')
		return (0);
	len = strcspn(p, "=:");
	if (p[len] != '\0')
		*inline_value = p + len + 1;
	if (len >= CLI_NAME_MAX)
		len = CLI_NAME_MAX - 1;
	memcpy(name, p, len);
	name[len] = '\0';
	return (1);
}

static int
cli_param_index(const struct cli_verb *verb, const char *name)
{
	int	 i;

	for (i = 0; verb->params[i].name != NULL; i++) {
		if (strcasecmp(verb->params[i].name, name) == 0)
			return (i);
	}
	return (-1);
}

static int
cli_is_help(const char *name)
{
	return (strcasecmp(name, "help") == 0 || strcasecmp(name, "h") == 0 ||
	    strcmp(name, "?") == 0);
}

static int
cli_is_global(const char *name)
{
	return (strcasecmp(name, "db") == 0 || strcasecmp(name, "config") == 0);
}

/* Is name something this verb accepts (so it cannot be a missing value)? */
static int
cli_known(const struct cli_verb *verb, const char *name)
{
	if (cli_param_index(verb, name) >= 0 || cli_is_global(name) ||
	    cli_is_help(name))
		return (1);
	return ((verb->flags & CLI_VERB_SETTINGS) && settings_find(name) != NULL);
}

static const char *
cli_suggest_param(const struct cli_verb *verb, const char *typed)
{
	const struct cli_param	*p;
	size_t			 i;

	for (p = verb->params; p->name != NULL; p++) {
		if (cli_close_enough(typed, p->name))
			return (p->name);
	}
	for (i = 0; (verb->flags & CLI_VERB_SETTINGS) && i < SETTING_COUNT;
	    i++) {
		if (cli_close_enough(typed, settings_table[i].name))
			return (settings_table[i].name);
	}
	return (NULL);
}

/* --db / --config, before or after the verb. Returns 1 if name is one. */
static int
cli_global(const char *name, const char *value, const char **db,
    const char **config)
{
	if (strcasecmp(name, "db") == 0)
		*db = value;
	else if (strcasecmp(name, "config") == 0)
		*config = value;
	else
		return (0);
	return (1);
}

static int
cli_parse_format(const char *text, enum cli_format *out)
{
	if (strcasecmp(text, "list") == 0)
		*out = CLI_FORMAT_LIST;
	else if (strcasecmp(text, "table") == 0)
		*out = CLI_FORMAT_TABLE;
	else if (strcasecmp(text, "json") == 0)
		*out = CLI_FORMAT_JSON;
	else {
		cli_error("invalid --format: '%s' (valid: list, table, json)",
		    text);
		return (CLI_EXIT_FAIL);
	}
	return (CLI_EXIT_OK);
}

/*
 * Parameters after the verb. Returns CLI_EXIT_OK, an exit status, or -1
 * when help was asked for and printed.
 */
static int
cli_parse(const struct cli_verb *verb, int argc, char **argv,
    struct cli_args *args, const char **db, const char **config)
{
	const struct setting_def *def;
	const struct cli_param	*p;
	char			 name[CLI_NAME_MAX], next[CLI_NAME_MAX];
	const char		*arg, *value, *nv, *suggest, *format;
	const char		**slot;
	int			 i, idx, bare_only = 0, pos;
	size_t			 j, n;

	memset(args, 0, sizeof *args);
	args->verb = verb;
	args->format = verb->format;
	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (!bare_only && strcmp(arg, "--") == 0) {
			bare_only = 1;
			continue;
		}
		if (bare_only || !cli_token(arg, name, &value)) {
			/* A bare argument fills the positional parameter. */
			for (pos = 0; verb->params[pos].name != NULL; pos++) {
				if (verb->params[pos].flags & CLI_POSITIONAL)
					break;
			}
			if (verb->params[pos].name == NULL ||
			    args->value[pos] != NULL) {
				cli_error("unexpected argument '%s' for %s "
				    "(see imapadm help %s)", arg, verb->name,
				    verb->name);
				return (CLI_EXIT_USAGE);
			}
			args->value[pos] = arg;
			continue;
		}
		if (cli_is_help(name)) {
			cli_help_verb(verb, stdout);
			return (-1);
		}

		idx = cli_param_index(verb, name);
		def = NULL;
		if (idx < 0 && (verb->flags & CLI_VERB_SETTINGS))
			def = settings_find(name);
		if (idx < 0 && def == NULL && !cli_is_global(name)) {
			suggest = cli_suggest_param(verb, name);
			cli_error("unknown parameter %.*s for %s%s%s%s%s "
			    "(see imapadm help %s)",
			    (int)strcspn(arg, "=:"), arg, verb->name,
			    suggest != NULL ? "; did you mean " : "",
			    suggest != NULL ? cli_dashes(suggest) : "",
			    suggest != NULL ? suggest : "",
			    suggest != NULL ? "?" : "", verb->name);
			return (CLI_EXIT_USAGE);
		}
		p = idx >= 0 ? &verb->params[idx] : NULL;
		if (p != NULL && (p->flags & CLI_SWITCH)) {
			if (value != NULL) {
				cli_error("%s%s takes no value (got '%s')",
				    cli_dashes(p->name), p->name, value);
				return (CLI_EXIT_USAGE);
			}
			value = "";
		} else if (value == NULL) {
			nv = i + 1 < argc ? argv[i + 1] : NULL;
			if (nv == NULL || (cli_token(nv, next, &format) &&
			    cli_known(verb, next))) {
				cli_error("missing value for %.*s (see imapadm "
				    "help %s)", (int)strcspn(arg, "=:"), arg,
				    verb->name);
				return (CLI_EXIT_USAGE);
			}
			value = argv[++i];
		}

		if (cli_global(name, value, db, config))
			continue;
		if (p != NULL)
			slot = &args->value[idx];
		else
			slot = &args->setting[settings_id(def)];
		if (*slot != NULL) {
			cli_error("%s%s given twice", p != NULL ?
			    cli_dashes(p->name) : "-", p != NULL ? p->name :
			    def->name);
			return (CLI_EXIT_USAGE);
		}
		*slot = value;
	}

	for (idx = 0; verb->params[idx].name != NULL; idx++) {
		p = &verb->params[idx];
		if ((p->flags & CLI_REQUIRED) && args->value[idx] == NULL) {
			cli_error("%s needs %s%s (see imapadm help %s)",
			    verb->name, cli_dashes(p->name), p->name,
			    verb->name);
			return (CLI_EXIT_USAGE);
		}
	}
	if (verb->flags & CLI_VERB_SETTINGS) {
		for (j = n = 0; j < SETTING_COUNT; j++)
			n += args->setting[j] != NULL;
		if (n == 0) {
			fprintf(stderr, "imapadm: %s needs at least one of",
			    verb->name);
			for (j = 0; j < SETTING_COUNT; j++)
				fprintf(stderr, "%s -%s", j > 0 ? "," : "",
				    settings_table[j].name);
			fprintf(stderr, " (see imapadm help %s)\n", verb->name);
			return (CLI_EXIT_USAGE);
		}
	}
	if ((format = cli_value(args, "format")) != NULL)
		return (cli_parse_format(format, &args->format));
	return (CLI_EXIT_OK);
}

int
cli_main(int argc, char **argv, cli_console_fn console)
{
	const struct cli_verb	*verb = NULL;
	struct cli_args		 args;
	struct app		*app = NULL;
	const char		*db = NULL, *config = NULL, *value, *suggest;
	char			 name[CLI_NAME_MAX], *cause = NULL;
	int			 i, rc;
	size_t			 j;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (!cli_token(argv[i], name, &value))
			break;
		if (cli_is_help(name)) {
			cli_usage(stdout);
			return (CLI_EXIT_OK);
		}
		if (strcasecmp(name, "version") == 0) {
			printf("imapadm %s\n", IMAPADM_VERSION);
			return (CLI_EXIT_OK);
		}
		if (!cli_is_global(name)) {
			cli_error("unknown option %.*s (see imapadm --help)",
			    (int)strcspn(argv[i], "=:"), argv[i]);
			return (CLI_EXIT_USAGE);
		}
		if (value == NULL) {
			if (i + 1 >= argc) {
				cli_error("missing value for %s (see imapadm "
				    "--help)", argv[i]);
				return (CLI_EXIT_USAGE);
			}
			value = argv[++i];
		}
		cli_global(name, value, &db, &config);
	}

	if (i < argc) {
		if ((verb = cli_find_verb(argv[i])) == NULL) {
			suggest = NULL;
			for (j = 0; j < cli_nverbs && suggest == NULL; j++) {
				if (cli_close_enough(argv[i], cli_verbs[j].name))
					suggest = cli_verbs[j].name;
			}
			cli_error("unknown verb %s%s%s%s (see imapadm --help)",
			    argv[i], suggest != NULL ? "; did you mean " : "",
			    suggest != NULL ? suggest : "",
			    suggest != NULL ? "?" : "");
			return (CLI_EXIT_USAGE);
		}
		rc = cli_parse(verb, argc - i - 1, argv + i + 1, &args, &db,
		    &config);
		if (rc != CLI_EXIT_OK)
			return (rc == -1 ? CLI_EXIT_OK : rc);
		if (verb->flags & CLI_VERB_NOAPP)
			return (verb->exec(NULL, &args));
	} else if (console == NULL) {
		cli_usage(stderr);
		return (CLI_EXIT_USAGE);
	}

	/* app_open reads "" as "not given": refuse it rather than open the
	 * default database behind the user's back. */
	if (db != NULL && *db == '\0') {
		cli_error("empty --db: name a database file");
		return (CLI_EXIT_FAIL);
	}
	if (app_open(db, config, &app, &cause) != 0) {
		cli_error("%s", cause != NULL ? cause : "cannot open");
		free(cause);
		return (CLI_EXIT_FAIL);
	}
	if (verb == NULL)
		rc = console(app);
	else if (!cli_may_view(app))
		rc = CLI_EXIT_FAIL;
	else
		rc = verb->exec(app, &args);
	app_close(app);
	/* A full disk or closed pipe must not pass for success. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write the output: %s", strerror(errno));
		if (rc == CLI_EXIT_OK)
			rc = CLI_EXIT_FAIL;
	}
	return (rc);
}
