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
	static const char *const list_labels[] = {
	    "Id", "At", "User", "Server", "Action", "What", "Outcome" };
	static const char *const table_labels[] = {
	    "At", "User", "Server", "Action", "Outcome", "What" };
	struct cli_out_table	*t;
	const char		*values[7];
	char			 id[32];
	size_t			 i;

	if (format == CLI_FORMAT_JSON) {
		printf("[");
		for (i = 0; i < n; i++) {
			printf("%s\n  {\"id\": %ld, \"at\": ", i > 0 ? "," : "",
			    a[i].id);
			cli_out_json_string(stdout, a[i].at);
			printf(", \"user\": ");
			cli_out_json_string(stdout, a[i].user);
			printf(", \"server\": ");
			cli_out_json_string(stdout, a[i].server);
			printf(", \"action\": ");
			cli_out_json_string(stdout, a[i].action);
			printf(", \"what\": ");
			cli_out_json_string(stdout, a[i].what);
			printf(", \"outcome\": ");
			cli_out_json_string(stdout, a[i].outcome);
			printf("}");
		}
		printf("%s]\n", n > 0 ? "\n" : "");
		return;
	}
	if (format == CLI_FORMAT_LIST) {
		for (i = 0; i < n; i++) {
			snprintf(id, sizeof id, "%ld", a[i].id);
			values[0] = id;
			values[1] = a[i].at;
			values[2] = a[i].user;
			values[3] = a[i].server;
			values[4] = a[i].action;
			values[5] = a[i].what;
			values[6] = a[i].outcome;
			if (i > 0)
				putchar('\n');
			cli_out_list(stdout, 7, 7, list_labels, values);
		}
		return;
	}
	if (n == 0)
		return;
	t = cli_out_table_new(6, table_labels);
	for (i = 0; i < n; i++) {
		values[0] = a[i].at;
		values[1] = a[i].user;
		values[2] = a[i].server;
		values[3] = a[i].action;
		values[4] = a[i].outcome;
		values[5] = a[i].what;
		cli_out_table_add(t, values);
	}
	cli_out_table_print(t, stdout);
	cli_out_table_free(t);
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
