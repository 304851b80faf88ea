/* Which servers a verb acts on: -Identity (or its alias -Server, as the
 * Exchange shell's Get/Set-ImapSettings call it) with names, lists and
 * wildcards, and -Site. */

#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/cli_internal.h"

void
cli_selection_free(struct cli_selection *sel)
{
	store_server_list_free(sel->servers, sel->n);
	memset(sel, 0, sizeof *sel);
}

int
cli_select_is_bulk(const struct cli_args *args)
{
	const char	*id = cli_value(args, "Identity");

	if (id == NULL)
		id = cli_value(args, "Server");
	return (cli_value(args, "Site") != NULL ||
	    (id != NULL && strpbrk(id, ",*?") != NULL));
}

/*
 * The selection's client access servers, in order. One plain name keeps the
 * single-server answer ("did you mean"); a selection that matches nothing,
 * or an item of it that matches nothing, is an error naming it.
 */
int
cli_select(struct app *app, const struct cli_args *args,
    struct cli_selection *sel)
{
	const char	*id, *server, *site;
	char		*unmatched = NULL, *cause = NULL;
	size_t		 i, j, others = 0;

	memset(sel, 0, sizeof *sel);
	id = cli_value(args, "Identity");
	server = cli_value(args, "Server");
	site = cli_value(args, "Site");
	if (id != NULL && server != NULL) {
		cli_error("-Identity and -Server name the same thing: give one "
		    "of them");
		return (CLI_EXIT_USAGE);
	}
	if (id == NULL)
		id = server;
	if (id == NULL && site == NULL) {
		cli_error("name the servers: -Identity NAME[,NAME...] (wildcards "
		    "* and ?) or -Site SITE");
		return (CLI_EXIT_USAGE);
	}
	if (site != NULL && *site == '\0') {
		cli_error("empty -Site: name a site");
		return (CLI_EXIT_FAIL);
	}
	if (id == NULL)
		id = "*";
	if (!cli_select_is_bulk(args)) {
		if ((sel->servers = calloc(1, sizeof *sel->servers)) == NULL)
			abort();
		if (cli_server_find(app, id, &sel->servers[0]) != 0) {
			free(sel->servers);
			sel->servers = NULL;
			return (CLI_EXIT_FAIL);
		}
		sel->n = 1;
	} else if (store_server_select(app->store, id, site, &sel->servers,
	    &sel->n, &unmatched, &cause) != 0) {
		cli_error("%s", cause != NULL ? cause : "cannot select servers");
		free(cause);
		return (CLI_EXIT_FAIL);
	}
	if (unmatched != NULL) {
		if (site != NULL)
			cli_error("no server in site %s matches %s (list them "
			    "with imapadm get-server)", site, unmatched);
		else if (strpbrk(unmatched, "*?") == NULL)
			cli_server_unknown(app, unmatched);
		else
			cli_error("no server matches %s (list them with "
			    "imapadm get-server)", unmatched);
		free(unmatched);
		cli_selection_free(sel);
		return (CLI_EXIT_FAIL);
	}
	/* IMAP4 runs on client access servers: the others are left out. */
	for (i = j = 0; i < sel->n; i++) {
		if (!cli_server_has_role(&sel->servers[i], "ClientAccess")) {
			if (!cli_select_is_bulk(args)) {
				cli_error("%s is not a client access server "
				    "(roles: %s)", sel->servers[i].identity,
				    sel->servers[i].roles);
				cli_selection_free(sel);
				return (CLI_EXIT_FAIL);
			}
			store_server_free(&sel->servers[i]);
			others++;
			continue;
		}
		sel->servers[j++] = sel->servers[i];
	}
	sel->n = j;
	if (sel->n == 0) {
		cli_error("no client access server matches %s%s%s (%zu other "
		    "server%s)", id, site != NULL ? " in site " : "",
		    site != NULL ? site : "", others, others == 1 ? "" : "s");
		cli_selection_free(sel);
		return (CLI_EXIT_FAIL);
	}
	if (others > 0)
		cli_warn("%zu matching server%s without the ClientAccess role "
		    "left out", others, others == 1 ? "" : "s");
	return (CLI_EXIT_OK);
}
