/* Who may do what: the seed's role groups mapped to Unix users and groups. */
#ifndef IMAPADM_CORE_PERM_H
#define IMAPADM_CORE_PERM_H

#include <sys/types.h>

struct config;
struct trust;

enum perm_role {
	PERM_NONE,		/* may not even read */
	PERM_VIEW_ONLY,		/* View-Only Organization Management */
	PERM_SERVER_MGMT,	/* Server Management */
	PERM_ORG_MGMT		/* Organization Management */
};

/*
 * Role of Unix user `user` (uid, in groups gids[ngids]). Highest role that
 * names the user or one of the groups wins. When the config assigns no roles
 * at all: root and db_owner get PERM_ORG_MGMT, everyone else PERM_VIEW_ONLY.
 */
enum perm_role	 perm_resolve(const struct config *, const char *user, uid_t uid,
		     const gid_t *gids, int ngids, uid_t db_owner);
/* Same for the acting user (under sudo, the one who ran sudo). */
enum perm_role	 perm_current(const struct config *, const struct trust *,
		     uid_t db_owner);
int		 perm_can_edit(enum perm_role);
int		 perm_can_view(enum perm_role);
const char	*perm_role_name(enum perm_role);	/* "Organization Management" */

#endif
