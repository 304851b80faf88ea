/* Who is acting, and which input may count. Run by root for another user
 * (sudo: SUDO_UID and SUDO_USER set), the acting user is that user and only
 * root-controlled input counts: /etc/imapadm/imapadm.conf, root-owned. */
#ifndef IMAPADM_CORE_TRUST_H
#define IMAPADM_CORE_TRUST_H

#include <sys/types.h>

struct trust {
	int	 sudo;		/* root acting on behalf of another user */
	uid_t	 uid;		/* the acting user */
	char	*user;		/* its name ("uid N" without a passwd entry) */
	gid_t	*gids;		/* its groups */
	int	 ngids;
};

/* Fills *t for this process. -1 (cause) when sudo's variables disagree
 * with the user database. */
int	 trust_current(struct trust *t, char **cause);
void	 trust_free(struct trust *);

/*
 * A file whose content decides what root does must be root's: owned by
 * root and not writable by group or others, as its directory. 0, or -1
 * with *cause naming the file and what is wrong.
 */
int	 trust_root_file(const char *path, int fd, char **cause);

#endif
