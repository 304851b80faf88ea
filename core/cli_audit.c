/* get-auditlog: who changed what and when, newest first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/cli_internal.h"
#include "data/store_stream.h"

#define CLI_AUDIT_DEFAULT_SIZE	1000

static int	 cli_audit_size(const char *, size_t *);
static int	 cli_audit_print(void *, const struct store_audit *);

/* A count from 1 up, or Unlimited (0 to the store) as in Exchange. */
static int
cli_audit_size(const char *text, size_t *out)
{
	unsigned long long	 v;
	char			*end;

	if (text == NULL) {
		*out = CLI_AUDIT_DEFAULT_SIZE;
		return (0);
	}
	if (strcasecmp(text, "unlimited") == 0) {
		*out = 0;
		return (0);
	}
	errno = 0;
	v = strtoull(text, &end, 10);
	if (*text < '0' || *text > '9' || *end != '\0' || errno != 0 ||
	    v == 0 || v > 1000000000ULL) {
		cli_error("invalid -ResultSize '%s': use a whole number from 1 "
		    "to 1000000000, or Unlimited", text);
		return (-1);
	}
	*out = (size_t)v;
	return (0);
}

/* One row's fields in list order; the table and JSON pick from it, JSON
 * under the list's labels, as every verb's JSON does. */
enum { F_ID, F_AT, F_USER, F_SERVER, F_ACTION, F_WHAT, F_OUTCOME, F_COUNT };
static const char *const cli_audit_labels[F_COUNT] = {
	"Id", "At", "User", "Server", "Action", "What", "Outcome"
};
static const size_t cli_audit_table[] = {
	F_AT, F_USER, F_SERVER, F_ACTION, F_OUTCOME, F_WHAT
};
#define CLI_AUDIT_NTABLE (sizeof cli_audit_table / sizeof *cli_audit_table)

/* The output as it goes: rows are printed as the store hands them. */
struct cli_audit_out {
	enum cli_format		 format;
	size_t			 nrows;
	size_t			 width[F_COUNT];	/* by field, table */
	struct cli_out_cols	 cols;
};

/* Stops the walk when stdout fails (a full disk, a closed pipe): cli_main
 * reports it. */
static int
cli_audit_print(void *arg, const struct store_audit *a)
{
	struct cli_audit_out	*out = arg;
	const char		*f[F_COUNT], *row[F_COUNT];
	size_t			 min[F_COUNT], k;
	char			 id[32];

	snprintf(id, sizeof id, "%ld", a->id);
	f[F_ID] = id;
	f[F_AT] = a->at;
	f[F_USER] = a->user;
	f[F_SERVER] = a->server;
	f[F_ACTION] = a->action;
	f[F_WHAT] = a->what;
	f[F_OUTCOME] = a->outcome;
	switch (out->format) {
	case CLI_FORMAT_JSON:
		printf("%s\n  {\"%s\": %s", out->nrows > 0 ? "," : "[",
		    cli_audit_labels[F_ID], id);
		for (k = F_AT; k < F_COUNT; k++) {
			printf(", \"%s\": ", cli_audit_labels[k]);
			cli_out_json_string(stdout, f[k]);
		}
		putchar('}');
		break;
	case CLI_FORMAT_LIST:
		if (out->nrows > 0)
			putchar('\n');
		cli_out_list(stdout, 7, F_COUNT, cli_audit_labels, f);
		break;
	case CLI_FORMAT_TABLE:
		if (out->nrows == 0) {
			for (k = 0; k < CLI_AUDIT_NTABLE; k++) {
				row[k] = cli_audit_labels[cli_audit_table[k]];
				min[k] = out->width[cli_audit_table[k]];
			}
			cli_out_table_begin(stdout, &out->cols,
			    CLI_AUDIT_NTABLE, row, min);
		}
		for (k = 0; k < CLI_AUDIT_NTABLE; k++)
			row[k] = f[cli_audit_table[k]];
		cli_out_table_row(stdout, &out->cols, row);
		break;
	case CLI_FORMAT_CSV:	/* the parser refuses it here */
		break;
	}
	out->nrows++;
	return (ferror(stdout) ? 1 : 0);
}

/* -Verify: walk the hash chain from the first row. */
static int
cli_audit_verify(struct app *app)
{
	char	*cause = NULL;
	size_t	 n, older;
	long	 bad;
	int	 rc;

	rc = store_audit_verify(app->store, &bad, &n, &older, &cause);
	if (rc == -1) {
		cli_error("%s", cause != NULL ? cause : "cannot read the audit "
		    "log");
		free(cause);
		return (CLI_EXIT_FAIL);
	}
	if (rc == 1) {
		cli_error("the audit log is broken at row %ld: its hash does not "
		    "match (that row was changed, or a row before it was "
		    "removed); compare with the copy in syslog (authpriv, "
		    "imapadm)", bad);
		return (CLI_EXIT_FAIL);
	}
	printf("the audit log is intact: %zu row%s chained", n,
	    n == 1 ? "" : "s");
	if (older > 0)
		printf(" (%zu older row%s from before the chain began: not "
		    "covered)", older, older == 1 ? "" : "s");
	printf("\n");
	return (CLI_EXIT_OK);
}

int
cli_audit_get(struct app *app, const struct cli_args *args)
{
	struct cli_audit_out	 out;
	struct store_server	 s;
	const char		*identity = cli_value(args, "Identity");
	char			*cause = NULL;
	size_t			 limit, w[6];
	int			 rc;

	if (cli_value(args, "Verify") != NULL)
		return (cli_audit_verify(app));
	if (cli_audit_size(cli_value(args, "ResultSize"), &limit) != 0)
		return (CLI_EXIT_FAIL);
	memset(&out, 0, sizeof out);
	out.format = args->format;
	cli_out_buffer(stdout);
	/* One query streamed; a table's widths from one more over the same
	 * rows (at, user, server, action, what, outcome), in one snapshot. */
	rc = store_read_begin(app->store, &cause);
	if (rc == 0 && out.format == CLI_FORMAT_TABLE) {
		rc = store_audit_widths(app->store, identity, limit, w, &cause);
		out.width[F_AT] = w[0];
		out.width[F_USER] = w[1];
		out.width[F_SERVER] = w[2];
		out.width[F_ACTION] = w[3];
		out.width[F_WHAT] = w[4];
		out.width[F_OUTCOME] = w[5];
	}
	if (rc == 0)
		rc = store_audit_each(app->store, identity, limit,
		    cli_audit_print, &out, &cause) == -1 ? -1 : 0;
	store_read_end(app->store);
	if (rc == -1) {
		cli_error("%s", cause != NULL ? cause : "cannot read the audit "
		    "log");
		free(cause);
		return (CLI_EXIT_FAIL);
	}
	/* Removed servers keep their entries; only a name never seen fails. */
	if (out.nrows == 0 && identity != NULL) {
		if ((rc = cli_server_find(app, identity, &s)) != 0)
			return (rc);
		store_server_free(&s);
	}
	if (out.format == CLI_FORMAT_JSON)
		fputs(out.nrows > 0 ? "\n]\n" : "[]\n", stdout);
	return (CLI_EXIT_OK);
}
