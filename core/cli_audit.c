/* get-auditlog: who changed what and when, newest first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/cli_internal.h"

#define CLI_AUDIT_DEFAULT_SIZE	1000

static int	 cli_audit_size(const char *, size_t *);
static void	 cli_audit_print(const struct store_audit *, size_t,
		     enum cli_format);

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

static void
cli_audit_print(const struct store_audit *a, size_t n, enum cli_format format)
{
	/* One row's fields in list order; the table and JSON pick from it,
	 * JSON under the list's labels, as every verb's JSON does. */
	enum { F_ID, F_AT, F_USER, F_SERVER, F_ACTION, F_WHAT, F_OUTCOME,
	    F_COUNT };
	static const char *const labels[F_COUNT] = {
	    "Id", "At", "User", "Server", "Action", "What", "Outcome" };
	static const size_t table_cols[] = {
	    F_AT, F_USER, F_SERVER, F_ACTION, F_OUTCOME, F_WHAT };
	const size_t		 ncols = sizeof table_cols / sizeof *table_cols;
	struct cli_out_table	*t = NULL;
	const char		*f[F_COUNT], *table_labels[F_COUNT], *row[F_COUNT];
	char			 id[32];
	size_t			 i, k;

	for (k = 0; k < ncols; k++)
		table_labels[k] = labels[table_cols[k]];
	if (format == CLI_FORMAT_TABLE && n > 0)
		t = cli_out_table_new(ncols, table_labels);
	if (format == CLI_FORMAT_JSON)
		printf("[");
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%ld", a[i].id);
		f[F_ID] = id;
		f[F_AT] = a[i].at;
		f[F_USER] = a[i].user;
		f[F_SERVER] = a[i].server;
		f[F_ACTION] = a[i].action;
		f[F_WHAT] = a[i].what;
		f[F_OUTCOME] = a[i].outcome;
		switch (format) {
		case CLI_FORMAT_JSON:
			printf("%s\n  {\"%s\": %s", i > 0 ? "," : "",
			    labels[F_ID], id);
			for (k = F_AT; k < F_COUNT; k++) {
				printf(", \"%s\": ", labels[k]);
				cli_out_json_string(stdout, f[k]);
			}
			printf("}");
			break;
		case CLI_FORMAT_LIST:
			if (i > 0)
				putchar('\n');
			cli_out_list(stdout, 7, F_COUNT, labels, f);
			break;
		case CLI_FORMAT_TABLE:
			for (k = 0; k < ncols; k++)
				row[k] = f[table_cols[k]];
			cli_out_table_add(t, row);
			break;
		case CLI_FORMAT_CSV:	/* the parser refuses it here */
			break;
		}
	}
	if (format == CLI_FORMAT_JSON)
		printf("%s]\n", n > 0 ? "\n" : "");
	if (t != NULL) {
		cli_out_table_print(t, stdout);
		cli_out_table_free(t);
	}
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
	struct store_server	 s;
	struct store_audit	*a;
	const char		*identity = cli_value(args, "Identity");
	char			*cause = NULL;
	size_t			 limit, n;
	int			 rc;

	if (cli_value(args, "Verify") != NULL)
		return (cli_audit_verify(app));
	if (cli_audit_size(cli_value(args, "ResultSize"), &limit) != 0)
		return (CLI_EXIT_FAIL);
	if (store_audit_list(app->store, identity, limit, &a, &n,
	    &cause) != 0) {
		cli_error("%s", cause != NULL ? cause : "cannot read the audit "
		    "log");
		free(cause);
		return (CLI_EXIT_FAIL);
	}
	/* Removed servers keep their entries; only a name never seen fails. */
	if (n == 0 && identity != NULL) {
		if ((rc = cli_server_find(app, identity, &s)) != 0) {
			store_audit_list_free(a, n);
			return (rc);
		}
		store_server_free(&s);
	}
	cli_audit_print(a, n, args->format);
	store_audit_list_free(a, n);
	return (CLI_EXIT_OK);
}
