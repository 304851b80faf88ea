/* get-imapsettings: one server with what its service shows now, or every
 * client access server streamed from one query (files read, no command
 * run). Every setting comes from settings_table; nothing here names one. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/cli_internal.h"
#include "core/imap4_list.h"
#include "core/str.h"
#include "data/store_stream.h"

/* Identity, each setting, Running<each>, RunningSource, Status, Drift,
 * Pushed<each>, then five more. */
#define CLI_IMAP4_NLABELS (1 + 3 * SETTING_COUNT + 3 + 5)

/*
 * One view's fields in list order; the list, the table and JSON all print
 * from it, under the same names (the Exchange shell's, as in format-list and
 * ConvertTo-Json): one convention for every form.
 */
enum cli_imap4_kind { CLI_IMAP4_TEXT, CLI_IMAP4_SECONDS, CLI_IMAP4_BOOL,
    CLI_IMAP4_INT };
struct cli_imap4_field {
	const char		*label;
	enum cli_imap4_kind	 kind;
	int			 known;	/* SECONDS: 0 shows "unknown" / null */
	long			 num;
	const char		*text;	/* TEXT: NULL shows "" / null */
	int			 in_table;
};

/* The output as it goes: rows are printed as the store hands them. */
struct cli_imap4_out {
	enum cli_format		 format;
	size_t			 nrows;
	int			 width;		/* list: the labels' */
	size_t			 idwidth;	/* table: the Identity column's */
	struct cli_out_cols	 cols;
};

static const char *cli_imap4_drift(const struct imap4_view *, char *,
		     size_t);
static size_t	 cli_imap4_fields(const struct imap4_view *,
		     struct cli_imap4_field *);
static const char *cli_imap4_text(const struct cli_imap4_field *, char *,
		     size_t);
static void	 cli_imap4_warn_stored(const struct imap4_view *);
static void	 cli_imap4_header(struct cli_imap4_out *,
		     const struct cli_imap4_field *, size_t);
static int	 cli_imap4_row(void *, const struct imap4_view *);
static void	 cli_imap4_end(struct cli_imap4_out *);
static int	 cli_imap4_keep(const struct store_server *);
static int	 cli_imap4_one(struct app *, const char *,
		     struct cli_imap4_out *);

/*
 * Whether the settings file says what imapadm last pushed: "False", "True
 * (... at MTIME)" when it was changed outside imapadm, or "unknown: why".
 */
static const char *
cli_imap4_drift(const struct imap4_view *v, char *buf, size_t len)
{
	const struct observation *o = &v->obs;
	char		 when[32];
	size_t		 j;

	if (!v->observed || !o->file_read)
		return ("unknown: the settings file was not read");
	for (j = 0; j < SETTING_COUNT; j++) {
		if (!v->has_running[j])
			return ("unknown: imapadm has not pushed this server");
	}
	for (j = 0; j < SETTING_COUNT; j++) {
		if (!o->file.have[j] || o->file.value[j] != v->running[j])
			break;
	}
	if (j == SETTING_COUNT)
		return ("False");
	str_utc(when, sizeof when, o->file_mtime);
	snprintf(buf, len, "True (the settings file was changed outside "
	    "imapadm, at %s)", when);
	return (buf);
}

static size_t
cli_imap4_fields(const struct imap4_view *v, struct cli_imap4_field *f)
{
	static char	 running[SETTING_COUNT][64], pushed[SETTING_COUNT][64];
	static char	 drift[160];
	static int	 named;
	const struct observation *o = &v->obs;
	size_t		 j, k = 0;

	/* The labels are the same for every row: made once. */
	for (j = 0; !named && j < SETTING_COUNT; j++) {
		snprintf(running[j], sizeof running[j], "Running%s",
		    settings_table[j].name);
		snprintf(pushed[j], sizeof pushed[j], "Pushed%s",
		    settings_table[j].name);
	}
	named = 1;
	f[k++] = (struct cli_imap4_field){ "Identity", CLI_IMAP4_TEXT, 1, 0,
	    v->server.identity, 1 };
	for (j = 0; j < SETTING_COUNT; j++) {
		f[k++] = (struct cli_imap4_field){ settings_table[j].name,
		    CLI_IMAP4_SECONDS, 1, v->configured[j], NULL, 1 };
	}
	/* Running: what the service shows now, never what was pushed. */
	for (j = 0; j < SETTING_COUNT; j++) {
		f[k++] = (struct cli_imap4_field){ running[j],
		    CLI_IMAP4_SECONDS, v->observed && o->has_running[j],
		    o->running[j], NULL, 1 };
	}
	f[k++] = (struct cli_imap4_field){ "RunningSource", CLI_IMAP4_TEXT, 1,
	    0, v->observed ? o->source : "unknown: not observed", 0 };
	if (v->observed && o->status_asked) {
		f[k++] = (struct cli_imap4_field){ "Status", CLI_IMAP4_TEXT, 1,
		    0, o->status_line, 0 };
	}
	f[k++] = (struct cli_imap4_field){ "Drift", CLI_IMAP4_TEXT, 1, 0,
	    cli_imap4_drift(v, drift, sizeof drift), 0 };
	for (j = 0; j < SETTING_COUNT; j++) {
		f[k++] = (struct cli_imap4_field){ pushed[j],
		    CLI_IMAP4_SECONDS, v->has_running[j], v->running[j], NULL,
		    0 };
	}
	f[k++] = (struct cli_imap4_field){ "RestartPending", CLI_IMAP4_BOOL, 1,
	    v->restart_pending, NULL, 1 };
	f[k++] = (struct cli_imap4_field){ "RestartPendingSource",
	    CLI_IMAP4_TEXT, 1, 0, v->pending_why, 0 };
	f[k++] = (struct cli_imap4_field){ "Version", CLI_IMAP4_INT, 1,
	    v->version, NULL, 0 };
	f[k++] = (struct cli_imap4_field){ "ChangedBy", CLI_IMAP4_TEXT, 1, 0,
	    v->changed_by, 0 };
	f[k++] = (struct cli_imap4_field){ "ChangedAt", CLI_IMAP4_TEXT, 1, 0,
	    v->changed_at, 0 };
	return (k);
}

/* The text of a field for the list and the table, in buf if it is made. */
static const char *
cli_imap4_text(const struct cli_imap4_field *f, char *buf, size_t len)
{
	switch (f->kind) {
	case CLI_IMAP4_SECONDS:
		if (!f->known)
			return ("unknown");
		settings_timespan_buf(f->num, buf, len);
		return (buf);
	case CLI_IMAP4_BOOL:
		return (f->num ? "True" : "False");
	case CLI_IMAP4_INT:
		snprintf(buf, len, "%ld", f->num);
		return (buf);
	case CLI_IMAP4_TEXT:
		break;
	}
	return (f->text != NULL ? f->text : "");
}

/* A value only a hand-edited database can hold is shown as it is, and said
 * to be out of range: what is stored is not hidden, nor silently fixed. */
static void
cli_imap4_warn_stored(const struct imap4_view *v)
{
	char	*cause = NULL;
	size_t	 k;

	for (k = 0; k < SETTING_COUNT; k++) {
		if (settings_check(&settings_table[k], v->configured[k],
		    &cause) == 0)
			continue;
		cli_warn("%s: the database holds %s; set it again with "
		    "set-imapsettings", v->server.identity, cause);
		free(cause);
		cause = NULL;
	}
}

/*
 * The table's header, before its first row. Identity is as wide as the
 * store measured; every other column is as wide as the widest value its
 * kind can hold (a time span of any long, "unknown", "False"), which its
 * header always is: no row has to be read twice.
 */
static void
cli_imap4_header(struct cli_imap4_out *out, const struct cli_imap4_field *f,
    size_t k)
{
	const char	*labels[CLI_IMAP4_NLABELS];
	size_t		 min[CLI_IMAP4_NLABELS], j, c, span;
	char		 buf[SETTINGS_TIMESPAN_MAX];

	span = settings_timespan_buf(LONG_MIN, buf, sizeof buf);
	for (j = c = 0; j < k; j++) {
		if (!f[j].in_table)
			continue;
		labels[c] = f[j].label;
		switch (f[j].kind) {
		case CLI_IMAP4_SECONDS:
			min[c] = span > strlen("unknown") ? span :
			    strlen("unknown");
			break;
		case CLI_IMAP4_BOOL:
			min[c] = strlen("False");
			break;
		case CLI_IMAP4_INT:
			min[c] = 20;	/* LONG_MIN */
			break;
		case CLI_IMAP4_TEXT:
			min[c] = out->idwidth;	/* Identity is the only one */
			break;
		}
		c++;
	}
	cli_out_table_begin(stdout, &out->cols, c, labels, min);
}

/* Print one view in the chosen form. Stops the walk when stdout fails
 * (a full disk, a closed pipe): cli_main reports it. */
static int
cli_imap4_row(void *arg, const struct imap4_view *v)
{
	struct cli_imap4_out	*out = arg;
	struct cli_imap4_field	 f[CLI_IMAP4_NLABELS];
	const char		*labels[CLI_IMAP4_NLABELS];
	const char		*values[CLI_IMAP4_NLABELS];
	char			 buf[CLI_IMAP4_NLABELS][SETTINGS_TIMESPAN_MAX];
	size_t			 j, k, c;

	cli_imap4_warn_stored(v);
	k = cli_imap4_fields(v, f);
	switch (out->format) {
	case CLI_FORMAT_LIST:
		for (j = 0; j < k; j++) {
			labels[j] = f[j].label;
			values[j] = cli_imap4_text(&f[j], buf[j],
			    sizeof buf[j]);
			if ((int)strlen(labels[j]) > out->width)
				out->width = (int)strlen(labels[j]);
		}
		if (out->nrows > 0)
			putchar('\n');
		cli_out_list(stdout, out->width, k, labels, values);
		break;
	case CLI_FORMAT_TABLE:
		if (out->nrows == 0)
			cli_imap4_header(out, f, k);
		for (j = c = 0; j < k; j++) {
			if (f[j].in_table)
				values[c++] = cli_imap4_text(&f[j], buf[j],
				    sizeof buf[j]);
		}
		cli_out_table_row(stdout, &out->cols, values);
		break;
	case CLI_FORMAT_JSON:
		fputs(out->nrows > 0 ? ",\n  {" : "[\n  {", stdout);
		for (j = 0; j < k; j++) {
			if (j > 0)
				fputs(", ", stdout);
			putchar('"');
			fputs(f[j].label, stdout);
			fputs("\": ", stdout);
			if (f[j].kind == CLI_IMAP4_TEXT)
				cli_out_json_string(stdout, f[j].text);
			else if (f[j].kind == CLI_IMAP4_BOOL)
				fputs(f[j].num ? "true" : "false", stdout);
			else if (f[j].known)
				printf("%ld", f[j].num);
			else
				fputs("null", stdout);
		}
		putchar('}');
		break;
	case CLI_FORMAT_CSV:	/* the parser refuses it here */
		break;
	}
	out->nrows++;
	return (ferror(stdout) ? 1 : 0);
}

static void
cli_imap4_end(struct cli_imap4_out *out)
{
	if (out->format == CLI_FORMAT_JSON)
		fputs(out->nrows > 0 ? "\n]\n" : "[]\n", stdout);
}

static int
cli_imap4_keep(const struct store_server *s)
{
	return (cli_server_has_role(s, "ClientAccess"));
}

/* One server, with its status and observe commands. */
static int
cli_imap4_one(struct app *app, const char *identity, struct cli_imap4_out *out)
{
	struct store_server	 s;
	struct imap4_view	 v;
	char			*cause = NULL;
	int			 rc;

	if ((rc = cli_server_find(app, identity, &s)) != 0)
		return (rc);
	if (!cli_server_has_role(&s, "ClientAccess")) {
		cli_error("%s is not a client access server (roles: %s)",
		    s.identity, s.roles);
		store_server_free(&s);
		return (CLI_EXIT_FAIL);
	}
	rc = imap4_load(app, s.identity, &v, &cause);
	store_server_free(&s);
	if (rc != 0) {
		cli_error("%s", cause != NULL ? cause : "cannot read it");
		free(cause);
		return (CLI_EXIT_FAIL);
	}
	imap4_observe(app, &v, OBSERVE_STATUS | OBSERVE_COMMANDS);
	out->idwidth = cli_out_width(v.server.identity);
	cli_imap4_row(out, &v);
	imap4_view_free(&v);
	return (CLI_EXIT_OK);
}

/* A selection (list, wildcards, site): observed as a listing is, files
 * only, in identity order. */
static int
cli_imap4_some(struct app *app, const struct cli_args *args,
    struct cli_imap4_out *out)
{
	struct cli_selection	 sel;
	struct imap4_view	 v;
	char			*cause = NULL;
	size_t			 i, w;
	int			 rc;

	if ((rc = cli_select(app, args, &sel)) != CLI_EXIT_OK)
		return (rc);
	for (i = 0; i < sel.n; i++) {
		w = cli_out_width(sel.servers[i].identity);
		if (w > out->idwidth)
			out->idwidth = w;
	}
	for (i = 0; i < sel.n && rc == CLI_EXIT_OK; i++) {
		if (imap4_load(app, sel.servers[i].identity, &v, &cause) != 0) {
			cli_error("%s", cause != NULL ? cause :
			    "cannot read it");
			free(cause);
			rc = CLI_EXIT_FAIL;
			break;
		}
		imap4_observe(app, &v, 0);
		if (cli_imap4_row(out, &v) != 0)
			rc = CLI_EXIT_FAIL;
		imap4_view_free(&v);
	}
	cli_selection_free(&sel);
	return (rc);
}

int
cli_imap4_get(struct app *app, const struct cli_args *args)
{
	struct cli_imap4_out	 out;
	const char		*identity = cli_value(args, "Identity");
	char			*cause = NULL;
	int			 rc;

	memset(&out, 0, sizeof out);
	out.format = args->format;
	cli_out_buffer(stdout);
	if (identity == NULL)
		identity = cli_value(args, "Server");
	if (cli_select_is_bulk(args) || (cli_value(args, "Identity") != NULL &&
	    cli_value(args, "Server") != NULL)) {
		if ((rc = cli_imap4_some(app, args, &out)) != CLI_EXIT_OK)
			return (rc);
		cli_imap4_end(&out);
		return (CLI_EXIT_OK);
	}
	if (identity != NULL) {
		if ((rc = cli_imap4_one(app, identity, &out)) != CLI_EXIT_OK)
			return (rc);
		cli_imap4_end(&out);
		return (CLI_EXIT_OK);
	}
	/* A listing reads files only: a process per server would not end.
	 * The widths and the rows from one snapshot. */
	rc = store_read_begin(app->store, &cause);
	if (rc == 0 && args->format == CLI_FORMAT_TABLE)
		rc = store_imap4_width(app->store, "ClientAccess",
		    &out.idwidth, &cause);
	if (rc == 0)
		rc = imap4_each(app, "ClientAccess", cli_imap4_keep, 0,
		    cli_imap4_row, &out, &cause) == -1 ? -1 : 0;
	store_read_end(app->store);
	if (rc != 0) {
		cli_error("%s", cause != NULL ? cause : "cannot list servers");
		free(cause);
		return (CLI_EXIT_FAIL);
	}
	cli_imap4_end(&out);
	return (CLI_EXIT_OK);
}
