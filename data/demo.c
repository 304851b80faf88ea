/* The demo inventory: two client access servers with service profiles and
 * a mailbox server, as in the Exchange help page the console follows. */

#include <stdlib.h>

#include "data/store_internal.h"

static const struct store_server demo_servers[] = {
	{ "CAS01", "cas01.contoso.test", "ClientAccess",
	    "Default-First-Site-Name", "cas01" },
	{ "CAS02", "cas02.contoso.test", "ClientAccess",
	    "Default-First-Site-Name", "cas02" },
	{ "MBX01", "mbx01.contoso.test", "Mailbox",
	    "Default-First-Site-Name", "" },
};

int
store_demo_fill(struct store *s, const char *user, char **cause)
{
	char	*why;
	size_t	 i;
	int	 rc;

	if (store_begin(s, 1, cause) != 0)
		return (-1);
	for (i = 0; i < sizeof demo_servers / sizeof demo_servers[0]; i++) {
		why = NULL;
		rc = store_server_find(s, demo_servers[i].identity, NULL, NULL,
		    &why);
		if (rc == STORE_NOTFOUND) {
			free(why);
			rc = store_server_insert(s, &demo_servers[i], user,
			    cause);
		} else if (rc == -1) {
			if (cause != NULL)
				*cause = why;
			else
				free(why);
		}
		if (rc == -1) {
			store_rollback(s);
			return (-1);
		}
	}
	return (store_commit(s, cause));
}
