/* The inventory verbs: get-server, new-server, remove-server, and the
 * server lookup every verb uses to name the known servers on a typo. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/cli_internal.h"
#include "core/str.h"

#define CLI_SERVER_DEFAULT_SITE	"Default-First-Site-Name"
#define CLI_SERVER_NAME_MAX	64
#define CLI_SERVER_SITE_MAX	128
#define CLI_SERVER_NEAR		32	/* candidates read on each side */
#define CLI_SERVER_SUGGEST	5	/* at most this many suggested */

const char *const cli_server_columns[CLI_SERVER_NCOLUMNS] = {
	"Identity", "Fqdn", "Roles", "Site", "Profile"
};

struct cli_server_near {
	const char	*name;
	int		 distance;
	int		 extends;	/* starts with what was typed */
};

static int	 cli_server_near_before(const struct cli_server_near *,
		     const struct cli_server_near *);

static char	*cli_server_check_name(struct app *, const char *,
		     const char **);
static char	*cli_server_check_fqdn(struct app *, const char *,
		     const char **);
static char	*cli_server_check_roles(struct app *, const char *,
		     const char **);
static char	*cli_server_check_site(struct app *, const char *,
		     const char **);
static char	*cli_server_check_profile(struct app *, const char *,
		     const char **);
static void	 cli_server_bad_param(void *, const char *, const char *,
		     const char *);
/* One check per column, in cli_server_columns order: NULL if the value
 * is good, else what is allowed; *norm is the value to store. */
static char *(*const cli_server_checks[CLI_SERVER_NCOLUMNS])(struct app *,
    const char *, const char **) = {
	cli_server_check_name, cli_server_check_fqdn, cli_server_check_roles,
	cli_server_check_site, cli_server_check_profile
};

static void	 cli_server_print(const struct store_server *, size_t,
		     enum cli_format);
static void	 cli_server_csv_header(void);
static int	 cli_server_csv_row(void *, const struct store_server *);

/* Closer first; at a tie, a name that goes on from what was typed (S1234
 * -> S12340), then by name. */
static int
cli_server_near_before(const struct cli_server_near *a,
    const struct cli_server_near *b)
{
	if (a->distance != b->distance)
		return (a->distance < b->distance);
	if (a->extends != b->extends)
		return (a->extends);
	return (strcasecmp(a->name, b->name) < 0);
}

/*
 * "no server named CAS09; did you mean CAS01, CAS02?". The candidates are
 * the CLI_SERVER_NEAR names on each side of the typed one in the identity
 * index (two LIMITed range reads), ranked by edit distance: constant time
 * at any inventory size. They catch what is typed wrong near the end of a
 * name (the usual CAS1O for CAS10), not a wrong first letter.
 */
void
cli_server_unknown(struct app *app, const char *identity)
{
	struct cli_server_near	 best[CLI_SERVER_SUGGEST], c;
	char			**names, *cause = NULL, *list = NULL;
	size_t			  n, i, j, nbest = 0, len = strlen(identity);

	if (store_server_near(app->store, identity, CLI_SERVER_NEAR, &names,
	    &n, &cause) != 0) {
		cli_error("no server named %s", identity);
		free(cause);
		return;
	}
	if (n == 0) {
		cli_error("no server named %s (there are no servers yet; add one "
		    "with imapadm new-server)", identity);
		store_names_free(names, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!cli_close_enough(identity, names[i]))
			continue;
		c.name = names[i];
		c.distance = cli_distance(identity, names[i]);
		c.extends = strncasecmp(names[i], identity, len) == 0;
		/* Insertion into the few best kept in order. */
		for (j = nbest; j > 0 && cli_server_near_before(&c,
		    &best[j - 1]); j--) {
			if (j < CLI_SERVER_SUGGEST)
				best[j] = best[j - 1];
		}
		if (j < CLI_SERVER_SUGGEST) {
			best[j] = c;
			if (nbest < CLI_SERVER_SUGGEST)
				nbest++;
		}
	}
	for (i = 0; i < nbest; i++)
		str_append(&list, ", ", "%s", best[i].name);
	if (nbest == 0)
		cli_error("no server named %s (no server has a close name; "
		    "list them with imapadm get-server)", identity);
	else
		cli_error("no server named %s; did you mean %s?", identity,
		    list != NULL ? list : "?");
	free(list);
	store_names_free(names, n);
}

int
cli_server_find(struct app *app, const char *identity,
    struct store_server *out)
{
	char	*cause = NULL;
	int	 rc;

	memset(out, 0, sizeof *out);
	if (*identity == '\0') {
		cli_error("empty -Identity: name a server");
		return (CLI_EXIT_FAIL);
	}
	rc = store_server_get(app->store, identity, out, &cause);
	if (rc == 0)
		return (CLI_EXIT_OK);
	if (rc == STORE_NOTFOUND)
		cli_server_unknown(app, identity);
	else
		cli_error("%s", cause != NULL ? cause : "cannot read servers");
	free(cause);
	return (CLI_EXIT_FAIL);
}

int
cli_server_has_role(const struct store_server *s, const char *role)
{
	const char	*p = s->roles;
	size_t		 len = strlen(role);

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (strncasecmp(p, role, len) == 0 &&
		    (p[len] == '\0' || p[len] == ',' || p[len] == ' '))
			return (1);
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return (0);
}

static void
cli_server_print(const struct store_server *list, size_t n,
    enum cli_format format)
{
	static const char *const labels[] = {
	    "Identity", "Fqdn", "Roles", "Site", "Profile" };
	struct cli_out_table	*t;
	const char		*values[5], *p, *comma;
	char			*role;
	size_t			 i;

	if (format == CLI_FORMAT_JSON) {
		printf("[");
		for (i = 0; i < n; i++) {
			printf("%s\n  {\"Identity\": ", i > 0 ? "," : "");
			cli_out_json_string(stdout, list[i].identity);
			printf(", \"Fqdn\": ");
			cli_out_json_string(stdout, list[i].fqdn);
			printf(", \"Roles\": [");
			for (p = list[i].roles; p != NULL && *p != '\0';
			    p = comma != NULL ? comma + 1 : NULL) {
				comma = strchr(p, ',');
				printf("%s", p != list[i].roles ? ", " : "");
				/* Escaped: the row may not have come from
				 * new-server. */
				role = strndup(p, comma != NULL ?
				    (size_t)(comma - p) : strlen(p));
				cli_out_json_string(stdout, role != NULL ?
				    role : "");
				free(role);
			}
			printf("], \"Site\": ");
			cli_out_json_string(stdout, list[i].site);
			printf(", \"Profile\": ");
			cli_out_json_string(stdout, list[i].profile == NULL ||
			    *list[i].profile == '\0' ? NULL : list[i].profile);
			printf("}");
		}
		printf("%s]\n", n > 0 ? "\n" : "");
		return;
	}
	if (format == CLI_FORMAT_TABLE && n > 0)
		t = cli_out_table_new(5, labels);
	else
		t = NULL;
	for (i = 0; i < n; i++) {
		values[0] = list[i].identity;
		values[1] = list[i].fqdn;
		values[2] = list[i].roles;
		values[3] = list[i].site;
		values[4] = list[i].profile;
		if (t != NULL)
			cli_out_table_add(t, values);
		else {
			if (i > 0)
				putchar('\n');
			cli_out_list(stdout, 8, 5, labels, values);
		}
	}
	if (t != NULL) {
		cli_out_table_print(t, stdout);
		cli_out_table_free(t);
	}
}

/* The five columns in new-server's parameter names: import-servers reads
 * them back. */
static void
cli_server_csv_header(void)
{
	size_t	i;

	for (i = 0; i < CLI_SERVER_NCOLUMNS; i++)
		cli_out_csv_field(stdout, cli_server_columns[i],
		    i + 1 == CLI_SERVER_NCOLUMNS);
}

static int
cli_server_csv_row(void *arg, const struct store_server *s)
{
	(void)arg;
	cli_out_csv_field(stdout, s->identity, 0);
	cli_out_csv_field(stdout, s->fqdn, 0);
	cli_out_csv_field(stdout, s->roles, 0);
	cli_out_csv_field(stdout, s->site, 0);
	cli_out_csv_field(stdout, s->profile, 1);
	return (ferror(stdout) ? -1 : 0);
}

int
cli_server_get(struct app *app, const struct cli_args *args)
{
	struct store_server	 one, *list;
	const char		*identity = cli_value(args, "Identity");
	char			*cause = NULL;
	size_t			 n;
	int			 rc;

	if (identity != NULL) {
		if ((rc = cli_server_find(app, identity, &one)) != 0)
			return (rc);
		if (args->format == CLI_FORMAT_CSV) {
			cli_server_csv_header();
			cli_server_csv_row(NULL, &one);
		} else
			cli_server_print(&one, 1, args->format);
		store_server_free(&one);
		return (CLI_EXIT_OK);
	}
	if (args->format == CLI_FORMAT_CSV) {
		/* Streamed: nothing of the inventory is held. A write error
		 * stops the walk; cli_main reports it. */
		cli_server_csv_header();
		rc = store_server_each(app->store, cli_server_csv_row, NULL,
		    &cause);
		if (rc == -1 && cause != NULL) {
			cli_error("%s", cause);
			free(cause);
			return (CLI_EXIT_FAIL);
		}
		return (CLI_EXIT_OK);
	}
	if (store_server_list(app->store, &list, &n, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return (CLI_EXIT_FAIL);
	}
	cli_server_print(list, n, args->format);
	store_server_list_free(list, n);
	return (CLI_EXIT_OK);
}

/* Names end up in file names, logs and placeholders: keep them plain. */
static char *
cli_server_check_name(struct app *app, const char *name, const char **norm)
{
	size_t	 i, len = strlen(name);

	(void)app;
	*norm = name;
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)name[i]) &&
		    (i == 0 || (name[i] != '-' && name[i] != '_')))
			break;
	}
	if (len == 0 || len > CLI_SERVER_NAME_MAX || i < len)
		return (str_printf("use 1-%d letters, digits, '-' and '_', "
		    "starting with a letter or digit", CLI_SERVER_NAME_MAX));
	return (NULL);
}

static char *
cli_server_check_fqdn(struct app *app, const char *fqdn, const char **norm)
{
	const char	*p = fqdn;
	size_t		 label = 0;
	int		 ok = *p != '\0' && strlen(fqdn) <= 253;

	(void)app;
	*norm = fqdn;
	for (; ok && *p != '\0'; p++) {
		if (*p == '.') {
			ok = label > 0 && p[-1] != '-';
			label = 0;
		} else if (isalnum((unsigned char)*p) || *p == '-') {
			ok = ++label <= 63 && (label > 1 || *p != '-');
		} else
			ok = 0;
	}
	if (ok)
		ok = label > 0 && p[-1] != '-';
	if (!ok)
		return (str_printf("use a host name such as cas01.contoso.test "
		    "(letters, digits and '-' in dot-separated labels)"));
	return (NULL);
}

/* "mailbox, clientaccess" -> "ClientAccess,Mailbox". */
static char *
cli_server_check_roles(struct app *app, const char *text, const char **norm)
{
	static const char *const known[] = { "ClientAccess", "Mailbox" };
	static const char *const forms[] = { "", "ClientAccess", "Mailbox",
	    "ClientAccess,Mailbox" };
	int		 seen = 0;
	const char	*p = text, *end;
	size_t		 i, n;

	(void)app;
	for (;;) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, ",");
		n = (size_t)(end - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		for (i = 0; i < 2; i++) {
			if (n == strlen(known[i]) &&
			    strncasecmp(p, known[i], n) == 0)
				break;
		}
		if (i == 2)
			return (str_printf("use ClientAccess, Mailbox or "
			    "ClientAccess,Mailbox"));
		seen |= 1 << i;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	*norm = forms[seen];
	return (NULL);
}

/* The console shows the site: no terminal control codes. */
static char *
cli_server_check_site(struct app *app, const char *site, const char **norm)
{
	(void)app;
	*norm = site;
	if (*site == '\0')
		return (str_printf("name a site, or leave it out for the "
		    "default"));
	if (!cli_out_printable(site) || strlen(site) > CLI_SERVER_SITE_MAX)
		return (str_printf("use up to %d bytes of printable UTF-8 "
		    "text", CLI_SERVER_SITE_MAX));
	return (NULL);
}

static char *
cli_server_check_profile(struct app *app, const char *name, const char **norm)
{
	const struct config	*cfg = app->cfg;
	char			*known = NULL, *why;
	size_t			 i;

	*norm = name;
	if (*name == '\0' || config_profile(cfg, name) != NULL)
		return (NULL);
	if (cfg->path == NULL)
		return (str_printf("no config file is loaded (use --config or "
		    "IMAPADM_CONFIG)"));
	if (cfg->nprofiles == 0)
		return (str_printf("no such service profile: %s defines none",
		    cfg->path));
	for (i = 0; i < cfg->nprofiles; i++)
		str_append(&known, ", ", "%s", cfg->profiles[i].name);
	why = str_printf("no such service profile in %s (known: %s)",
	    cfg->path, known != NULL ? known : "?");
	free(known);
	return (why);
}

size_t
cli_server_validate(struct app *app, const char *const in[],
    struct store_server *out, cli_server_bad_fn bad, void *arg)
{
	const char	*value[CLI_SERVER_NCOLUMNS], *norm;
	char		*why, *shown, *cp;
	size_t		 i, nbad = 0;

	for (i = 0; i < CLI_SERVER_NCOLUMNS; i++)
		value[i] = in[i] != NULL ? in[i] : "";
	if (in[CLI_SERVER_SITE] == NULL)
		value[CLI_SERVER_SITE] = app->cfg->site != NULL ?
		    app->cfg->site : CLI_SERVER_DEFAULT_SITE;
	for (i = 0; i < CLI_SERVER_NCOLUMNS; i++) {
		norm = value[i];
		if ((why = cli_server_checks[i](app, value[i], &norm)) !=
		    NULL) {
			/* Messages split at newlines: keep the value on
			 * its line (other control codes go at output). */
			if ((shown = strdup(value[i])) == NULL)
				abort();
			for (cp = shown; *cp != '\0'; cp++) {
				if (*cp == '\n' || *cp == '\r')
					*cp = '?';
			}
			bad(arg, cli_server_columns[i], shown, why);
			free(shown);
			free(why);
			nbad++;
		}
		value[i] = norm;
	}
	/* The store takes the struct const; its members are only read. */
	out->identity = (char *)(uintptr_t)value[CLI_SERVER_IDENTITY];
	out->fqdn = (char *)(uintptr_t)value[CLI_SERVER_FQDN];
	out->roles = (char *)(uintptr_t)value[CLI_SERVER_ROLES];
	out->site = (char *)(uintptr_t)value[CLI_SERVER_SITE];
	out->profile = (char *)(uintptr_t)value[CLI_SERVER_PROFILE];
	return (nbad);
}

static void
cli_server_bad_param(void *arg, const char *column, const char *value,
    const char *allowed)
{
	(void)arg;
	cli_error("invalid -%s '%s': %s", column, value, allowed);
}

int
cli_server_new(struct app *app, const struct cli_args *args)
{
	struct store_server	 s, old;
	const char		*in[CLI_SERVER_NCOLUMNS];
	char			*cause = NULL, *note = NULL;
	size_t			 i;
	int			 rc;

	if (!cli_may_edit(app, "add or remove servers"))
		return (CLI_EXIT_FAIL);
	for (i = 0; i < CLI_SERVER_NCOLUMNS; i++)
		in[i] = cli_value(args, cli_server_columns[i]);
	if (cli_server_validate(app, in, &s, cli_server_bad_param, NULL) > 0)
		return (CLI_EXIT_FAIL);

	rc = store_server_get(app->store, s.identity, &old, &cause);
	if (rc == 0) {
		cli_error("a server named %s exists already", old.identity);
		store_server_free(&old);
		return (CLI_EXIT_FAIL);
	}
	free(cause);
	cause = NULL;
	if (store_server_add(app->store, &s, app->user, &cause) != 0) {
		cli_error("%s", cause != NULL ? cause : "not added");
		free(cause);
		return (CLI_EXIT_FAIL);
	}
	printf("%s: added (%s, %s, site %s%s%s)\n", s.identity, s.roles,
	    s.fqdn, s.site, *s.profile != '\0' ? ", profile " : "",
	    s.profile);
	if (*s.profile == '\0' && cli_server_has_role(&s, "ClientAccess"))
		cli_warn("%s has no service profile: restart-imapservice "
		    "cannot reach its IMAP4 service", s.identity);
	else if (cli_server_has_role(&s, "ClientAccess")) {
		if (imap4_adopt(app, s.identity, &note, &cause) != 0) {
			cli_error("%s: added, but its service's values were "
			    "not adopted: %s", s.identity, cause != NULL ?
			    cause : "unknown error");
			free(cause);
			free(note);
			return (CLI_EXIT_FAIL);
		}
		printf("%s: %s\n", s.identity, note != NULL ? note : "?");
		free(note);
	}
	return (CLI_EXIT_OK);
}

int
cli_server_remove(struct app *app, const struct cli_args *args)
{
	struct store_server	 s;
	char			*cause = NULL;
	int			 rc;

	if (!cli_may_edit(app, "add or remove servers"))
		return (CLI_EXIT_FAIL);
	if ((rc = cli_server_find(app, cli_value(args, "Identity"), &s)) != 0)
		return (rc);
	if (store_server_remove(app->store, s.identity, app->user,
	    &cause) != 0) {
		cli_error("%s", cause != NULL ? cause : "not removed");
		free(cause);
		store_server_free(&s);
		return (CLI_EXIT_FAIL);
	}
	printf("%s: removed\n", s.identity);
	store_server_free(&s);
	return (CLI_EXIT_OK);
}
