/* Who may do what: the config's role lists ("user", "%group") matched
 * against a Unix user and the groups it is in. */

#include <sys/types.h>

#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/perm.h"
#include "core/trust.h"

static int	 perm_in_group(const char *, const gid_t *, int);
static int	 perm_matches(const struct role_map *, const char *,
		     const gid_t *, int);

/*
 * "%name" matches when the group's gid is among gids. A name no group has
 * but made of digits is taken as a gid, so a group can be named even where
 * it has no entry in the group database.
 */
static int
perm_in_group(const char *name, const gid_t *gids, int ngids)
{
	struct group	*gr;
	const char	*p;
	unsigned long	 v = 0;
	gid_t		 gid;
	int		 i;

	if (*name == '\0')
		return (0);
	if ((gr = getgrnam(name)) != NULL)
		gid = gr->gr_gid;
	else {
		for (p = name; *p != '\0'; p++) {
			if (*p < '0' || *p > '9' || v > UINT_MAX / 10)
				return (0);
			v = v * 10 + (unsigned long)(*p - '0');
		}
		if (v > UINT_MAX)
			return (0);
		gid = (gid_t)v;
	}
	for (i = 0; i < ngids; i++) {
		if (gids[i] == gid)
			return (1);
	}
	return (0);
}

static int
perm_matches(const struct role_map *r, const char *user, const gid_t *gids,
    int ngids)
{
	size_t	i;

	for (i = 0; i < r->n; i++) {
		if (r->who[i][0] == '%') {
			if (perm_in_group(r->who[i] + 1, gids, ngids))
				return (1);
		} else if (user != NULL && strcmp(r->who[i], user) == 0)
			return (1);
	}
	return (0);
}

enum perm_role
perm_resolve(const struct config *conf, const char *user, uid_t uid,
    const gid_t *gids, int ngids, uid_t db_owner)
{
	/* Nothing configured: those who own the data may edit, like Exchange
	 * setup making its installer an organization administrator. */
	if (conf == NULL || !config_has_roles(conf)) {
		if (uid == 0 || uid == db_owner)
			return (PERM_ORG_MGMT);
		return (PERM_VIEW_ONLY);
	}
	if (gids == NULL)
		ngids = 0;
	if (perm_matches(&conf->org_management, user, gids, ngids))
		return (PERM_ORG_MGMT);
	if (perm_matches(&conf->server_management, user, gids, ngids))
		return (PERM_SERVER_MGMT);
	if (perm_matches(&conf->view_only, user, gids, ngids))
		return (PERM_VIEW_ONLY);
	return (PERM_NONE);
}

enum perm_role
perm_current(const struct config *conf, const struct trust *t, uid_t db_owner)
{
	return (perm_resolve(conf, t->user, t->uid, t->gids, t->ngids,
	    db_owner));
}

int
perm_can_edit(enum perm_role role)
{
	return (role == PERM_SERVER_MGMT || role == PERM_ORG_MGMT);
}

int
perm_can_view(enum perm_role role)
{
	return (role >= PERM_VIEW_ONLY && role <= PERM_ORG_MGMT);
}

const char *
perm_role_name(enum perm_role role)
{
	switch (role) {
	case PERM_ORG_MGMT:
		return ("Organization Management");
	case PERM_SERVER_MGMT:
		return ("Server Management");
	case PERM_VIEW_ONLY:
		return ("View-Only Organization Management");
	case PERM_NONE:
		break;
	}
	return ("No role");
}
