/* Usage and help text, generated from the verb table and settings_table
 * so that they cannot drift from what the parser accepts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/cli_internal.h"

static void	 cli_help_piece(FILE *, const char *, int, int *);
static void	 cli_help_synopsis(const struct cli_verb *, FILE *, int);
static void	 cli_help_wrap(FILE *, int, const char *);
static void	 cli_help_line(FILE *, const char *, const char *);

/* Print word at column *col, first breaking the line if it would pass 79. */
static void
cli_help_piece(FILE *f, const char *word, int indent, int *col)
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
cli_help_synopsis(const struct cli_verb *verb, FILE *f, int col)
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
		cli_help_piece(f, piece, indent, &col);
	}
	for (i = 0; (verb->flags & CLI_VERB_SETTINGS) && i < SETTING_COUNT;
	    i++) {
		snprintf(piece, sizeof piece, "[-%s <time>]",
		    settings_table[i].name);
		cli_help_piece(f, piece, indent, &col);
	}
}

/* Words of text wrapped at 79 columns, each line indented. */
static void
cli_help_wrap(FILE *f, int indent, const char *text)
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
cli_help_usage(FILE *f)
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
		cli_help_synopsis(&cli_verbs[i], f, 2);
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
	cli_help_wrap(f, 6, text);
}

int
cli_help_verb(const struct cli_verb *verb, FILE *f)
{
	const struct cli_param	 *p;
	const struct setting_def *def;
	char			 *left, *text, *span;
	size_t			  i;

	fprintf(f, "usage: imapadm ");
	cli_help_synopsis(verb, f, 15);
	fprintf(f, "\n\n");
	cli_help_wrap(f, 0, verb->help);
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
		if (asprintf(&left, "-%s <time>", def->name) == -1) {
			free(span);
			return (CLI_EXIT_FAIL);
		}
		if (asprintf(&text, "%s Valid: %ld-%ld %s; default %ld (%s).",
		    def->help, def->min, def->max, def->unit, def->def,
		    span != NULL ? span : "?") == -1) {
			free(left);
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
			    "name: imapadm %s %s ...\n", cli_dashes(p->name),
			    p->name, verb->name, p->arg);
	}
	return (CLI_EXIT_OK);
}

int
cli_help_exec(struct app *app, const struct cli_args *args)
{
	const struct cli_verb	*verb;
	const char		*name = cli_value(args, "Verb");

	if (name == NULL) {
		cli_help_usage(stdout);
		return (CLI_EXIT_OK);
	}
	if (*name == '\0') {
		cli_error("empty verb: name one (see imapadm --help)");
		return (CLI_EXIT_USAGE);
	}
	if ((verb = cli_find_verb(name)) == NULL) {
		cli_error("no verb named %s (see imapadm --help)", name);
		return (CLI_EXIT_USAGE);
	}
	return (cli_help_verb(verb, stdout));
}
