/* The command line: global options, Exchange-style parameter parsing
 * (-Param value, --param=value, positional -Identity) and dispatch. */
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
#include "core/str.h"

#define CLI_NAME_MAX	128

static void	 cli_lines(const char *, const char *);
static int	 cli_is_help(const char *);
static int	 cli_is_global(const char *);
static int	 cli_token(const char *, char *, const char **);
static int	 cli_param_index(const struct cli_verb *, const char *);
static int	 cli_known(const struct cli_verb *, const char *);
static const char *cli_suggest_param(const struct cli_verb *, const char *);
static int	 cli_global(const char *, const char *, const char **,
		     const char **);
static int	 cli_parse(const struct cli_verb *, int, char **,
		     struct cli_args *, const char **, const char **);
static int	 cli_parse_format(const struct cli_verb *, const char *,
		     enum cli_format *);
static void	 cli_vlines(const char *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

static void
cli_vlines(const char *kind, const char *fmt, va_list ap)
{
	char	*s;

	s = str_vprintf(fmt, ap);
	cli_lines(kind, s != NULL ? s : "out of memory");
	free(s);
}

void
cli_error(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cli_vlines("", fmt, ap);
	va_end(ap);
}

void
cli_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cli_vlines("warning: ", fmt, ap);
	va_end(ap);
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
int
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

int
cli_close_enough(const char *typed, const char *name)
{
	return (cli_distance(typed, name) <= 2 + (int)strlen(name) / 8);
}

/* Exchange parameters are shown -PascalCase, imapadm's own --lowercase. */
const char *
cli_dashes(const char *name)
{
	return (isupper((unsigned char)name[0]) ? "-" : "--");
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

	/* args->value has CLI_MAX_PARAMS slots: a longer table fails loudly
	 * as an unknown parameter rather than writing past it. */
	for (i = 0; i < CLI_MAX_PARAMS && verb->params[i].name != NULL; i++) {
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
cli_parse_format(const struct cli_verb *verb, const char *text,
    enum cli_format *out)
{
	int	 csv = (verb->flags & CLI_VERB_CSV) != 0;

	if (csv && strcasecmp(text, "csv") == 0)
		*out = CLI_FORMAT_CSV;
	else if (strcasecmp(text, "list") == 0)
		*out = CLI_FORMAT_LIST;
	else if (strcasecmp(text, "table") == 0)
		*out = CLI_FORMAT_TABLE;
	else if (strcasecmp(text, "json") == 0)
		*out = CLI_FORMAT_JSON;
	else {
		cli_error("invalid --format: '%s' (valid: list, table, json%s)",
		    text, csv ? ", csv" : "");
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
			for (pos = 0; pos < CLI_MAX_PARAMS &&
			    verb->params[pos].name != NULL; pos++) {
				if (verb->params[pos].flags & CLI_POSITIONAL)
					break;
			}
			if (pos == CLI_MAX_PARAMS ||
			    verb->params[pos].name == NULL ||
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

	for (idx = 0; idx < CLI_MAX_PARAMS && verb->params[idx].name != NULL;
	    idx++) {
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
		return (cli_parse_format(verb, format, &args->format));
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
			cli_help_usage(stdout);
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
		if (*argv[i] == '\0') {
			cli_error("empty verb: name one (see imapadm --help)");
			return (CLI_EXIT_USAGE);
		}
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
		cli_help_usage(stderr);
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
	if (app->cfg->warnings != NULL)
		cli_warn("%s", app->cfg->warnings);
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
