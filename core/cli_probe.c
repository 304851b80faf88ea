/* test-imapconnectivity: connect to each IMAP4 listener of a server, read
 * the greeting, log in and out with the test account, and with
 * -MeasureTimeouts see when the server closes idle sessions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/app.h"
#include "core/cli_internal.h"
#include "core/imap_test.h"
#include "core/proc.h"
#include "core/str.h"

#define CLI_PROBE_NFIELDS	(10 + SETTING_COUNT)

struct cli_probe_field {
	const char	*label;
	const char	*text;		/* NULL: "" / null */
	int		 number;	/* JSON: num, not text */
	double		 num;
	int		 known;		/* number: 0 is null */
	int		 in_table;
};

static size_t	 cli_probe_fields(const struct imap_test *, size_t,
		     const char *, struct cli_probe_field *, char (*)[512]);
static void	 cli_probe_print(const struct imap_test *, const char *,
		     enum cli_format);
static void	 cli_probe_wait(struct imap_test *, const char *);

/* One row's fields; text kept in buf (one per field). */
static size_t
cli_probe_fields(const struct imap_test *t, size_t row, const char *identity,
    struct cli_probe_field *f, char (*buf)[512])
{
	static char		 names[SETTING_COUNT][64];
	const struct imap_test_row *r = &t->rows[row];
	const struct imap_session *s = imap_test_session(t, r->login);
	const char		*why;
	size_t			 k = 0, j;
	int			 ok;

	ok = imap_test_row_ok(t, row, &why);
	f[k++] = (struct cli_probe_field){ "ClientAccessServer", identity,
	    0, 0, 1, 1 };
	f[k++] = (struct cli_probe_field){ "Listener", r->spec, 0, 0, 1, 1 };
	f[k++] = (struct cli_probe_field){ "Security",
	    imap_proto_tls_name(r->l.tls), 0, 0, 1, 1 };
	f[k++] = (struct cli_probe_field){ "Result", ok ? "Success" :
	    "Failure", 0, 0, 1, 1 };
	if (s->greeting_ms >= 0)
		snprintf(buf[k], sizeof buf[k], "%.0f ms", s->greeting_ms);
	else
		snprintf(buf[k], sizeof buf[k], "unknown (%s)",
		    s->connect_ms < 0 ? "not connected" : "no greeting");
	f[k] = (struct cli_probe_field){ "Latency", buf[k], 1,
	    s->greeting_ms, s->greeting_ms >= 0, 1 };
	k++;
	f[k++] = (struct cli_probe_field){ "Greeting", s->greeting, 0, 0, 1,
	    0 };
	f[k++] = (struct cli_probe_field){ "Tls", s->tls != NULL ? s->tls :
	    r->l.tls == IMAP_TLS_NONE ? "none (plain listener)" :
	    "not established", 0, 0, 1, 0 };
	if (t->user == NULL)
		snprintf(buf[k], sizeof buf[k], "%s", t->no_login);
	else if (s->login == 1)
		snprintf(buf[k], sizeof buf[k], "ok as %s in %.0f ms, logged "
		    "out", t->user, s->login_ms);
	else if (s->login == 0 && s->login_text != NULL)
		snprintf(buf[k], sizeof buf[k], "refused as %s: %s", t->user,
		    s->login_text);
	else if (s->login == 0)
		snprintf(buf[k], sizeof buf[k], "failed as %s: %s", t->user,
		    why != NULL ? why : "?");
	else
		snprintf(buf[k], sizeof buf[k], "not tried: %s",
		    why != NULL ? why : "?");
	f[k] = (struct cli_probe_field){ "Login", buf[k], 0, 0, 1, 1 };
	k++;
	f[k++] = (struct cli_probe_field){ "Error", why, 0, 0, 1, 0 };
	for (j = 0; t->measure && j < SETTING_COUNT; j++) {
		const struct imap_session *is = imap_test_session(t,
		    r->idle[j]);

		snprintf(names[j], sizeof names[j], "Measured%s",
		    settings_table[j].name);
		imap_test_measured(t, row, (enum setting_id)j, buf[k],
		    sizeof buf[k]);
		f[k] = (struct cli_probe_field){ names[j], buf[k], 1,
		    is != NULL && is->closed ? is->closed_after : 0,
		    is != NULL && is->closed, 1 };
		k++;
	}
	str_utc(buf[k], sizeof buf[k], t->started);
	f[k] = (struct cli_probe_field){ "TestedAt", buf[k], 0, 0, 1, 0 };
	k++;
	return (k);
}

static void
cli_probe_print(const struct imap_test *t, const char *identity,
    enum cli_format format)
{
	struct cli_probe_field	 f[CLI_PROBE_NFIELDS];
	struct cli_out_table	*tab = NULL;
	const char		*labels[CLI_PROBE_NFIELDS];
	const char		*values[CLI_PROBE_NFIELDS];
	char			 buf[CLI_PROBE_NFIELDS][512];
	size_t			 i, j, k, c;
	int			 width = 0;

	if (format == CLI_FORMAT_JSON)
		printf("[");
	for (i = 0; i < t->nrows; i++) {
		k = cli_probe_fields(t, i, identity, f, buf);
		switch (format) {
		case CLI_FORMAT_LIST:
			for (j = 0; j < k; j++) {
				labels[j] = f[j].label;
				values[j] = f[j].text;
				if ((int)strlen(labels[j]) > width)
					width = (int)strlen(labels[j]);
			}
			if (i > 0)
				putchar('\n');
			cli_out_list(stdout, width, k, labels, values);
			break;
		case CLI_FORMAT_TABLE:
			for (j = c = 0; j < k; j++) {
				if (f[j].in_table) {
					labels[c] = f[j].label;
					values[c++] = f[j].text;
				}
			}
			if (tab == NULL)
				tab = cli_out_table_new(c, labels);
			cli_out_table_add(tab, values);
			break;
		case CLI_FORMAT_JSON:
			printf("%s\n  {", i > 0 ? "," : "");
			for (j = 0; j < k; j++) {
				printf("%s\"%s\": ", j > 0 ? ", " : "",
				    f[j].label);
				if (!f[j].number)
					cli_out_json_string(stdout, f[j].text);
				else if (f[j].known)
					printf("%.1f", f[j].num);
				else
					printf("null");
				if (f[j].number) {
					printf(", \"%sText\": ", f[j].label);
					cli_out_json_string(stdout, f[j].text);
				}
			}
			for (j = 0; t->measure && j < SETTING_COUNT; j++)
				printf(", \"%s\": %ld", settings_table[j].name,
				    t->configured[j]);
			printf("}");
			break;
		case CLI_FORMAT_CSV:
			break;
		}
	}
	if (format == CLI_FORMAT_JSON)
		printf("%s]\n", t->nrows > 0 ? "\n" : "");
	if (tab != NULL)
		cli_out_table_print(tab, stdout);
	cli_out_table_free(tab);
}

/* Run the sessions to their end; with a terminal on stderr, a countdown. */
static void
cli_probe_wait(struct imap_test *t, const char *identity)
{
	int	 tty = isatty(STDERR_FILENO), shown = 0;
	double	 left;
	long	 most = 0;
	size_t	 k;

	for (k = 0; k < SETTING_COUNT; k++) {
		if (t->configured[k] > most)
			most = t->configured[k];
	}
	if (t->measure) {
		fprintf(stderr, "test-imapconnectivity: holding idle sessions "
		    "to %s until the server closes them, at most %ld s "
		    "(Ctrl-C stops)\n", identity, most + IMAP_TEST_GRACE);
	}
	while (imap_test_step(t, 1000) > 0) {
		if (t->measure && tty) {
			left = imap_test_left(t);
			fprintf(stderr, "\r  %.0f s elapsed, at most %.0f s "
			    "left ", proc_now() - t->started_mono, left);
			shown = 1;
		}
	}
	if (shown)
		fputc('\n', stderr);
}

int
cli_probe_test(struct app *app, const struct cli_args *args)
{
	const struct profile	*prof;
	struct imap4_view	 v;
	struct imap_test	*t = NULL;
	const char		*why;
	char			*cause = NULL, buf[512];
	size_t			 i, k;
	int			 rc, measure, bad = 0;

	memset(&v, 0, sizeof v);
	rc = imap4_load(app, cli_value(args, "Identity"), &v, &cause);
	if (rc != 0) {
		if (rc == STORE_NOTFOUND) {
			struct store_server one;

			free(cause);
			return (cli_server_find(app, cli_value(args,
			    "Identity"), &one));
		}
		cli_error("%s", cause != NULL ? cause : "cannot read servers");
		free(cause);
		return (CLI_EXIT_FAIL);
	}
	if (!cli_server_has_role(&v.server, "ClientAccess")) {
		cli_error("%s is not a client access server (roles: %s): it "
		    "has no IMAP4 listeners to test", v.server.identity,
		    v.server.roles);
		imap4_view_free(&v);
		return (CLI_EXIT_FAIL);
	}
	measure = cli_value(args, "MeasureTimeouts") != NULL;
	prof = v.server.profile != NULL && *v.server.profile != '\0' ?
	    config_profile(app->cfg, v.server.profile) : NULL;
	if (prof == NULL && v.server.profile != NULL &&
	    *v.server.profile != '\0') {
		cli_error("%s: profile '%s' is not in the config file %s",
		    v.server.identity, v.server.profile,
		    app->cfg->path != NULL ? app->cfg->path : "(none read)");
		imap4_view_free(&v);
		return (CLI_EXIT_FAIL);
	}
	if (imap_test_new(prof, &v.server, measure, v.configured, &t,
	    &cause) != 0) {
		cli_error("%s", cause != NULL ? cause : "out of memory");
		free(cause);
		imap4_view_free(&v);
		return (CLI_EXIT_FAIL);
	}
	if (measure && t->user == NULL)
		cli_warn("%s: no test account: the authenticated time-out "
		    "cannot be measured", t->no_login);
	cli_probe_wait(t, v.server.identity);
	cli_probe_print(t, v.server.identity, args->format);

	for (i = 0; i < t->nrows; i++) {
		if (!imap_test_row_ok(t, i, &why))
			bad = 1;
		for (k = 0; measure && k < SETTING_COUNT; k++) {
			if (imap_test_measured(t, i, (enum setting_id)k, buf,
			    sizeof buf) == 0) {
				cli_warn("%s %s: %s: %s", v.server.identity,
				    t->rows[i].spec, settings_table[k].name,
				    buf);
				bad = 1;
			}
		}
	}
	imap_test_free(t);
	imap4_view_free(&v);
	return (bad ? CLI_EXIT_FAIL : CLI_EXIT_OK);
}
