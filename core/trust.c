/* Who is acting (the sudo invoker, not root) and whether a file is root's. */
#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/str.h"
#include "core/trust.h"

static int	 trust_groups(struct trust *, const char *, gid_t);
static int	 trust_parse_uid(const char *, uid_t *);

static int
trust_parse_uid(const char *s, uid_t *out)
{
	unsigned long long	 v = 0;

	if (s == NULL || *s == '\0')
		return (-1);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > UINT_MAX / 10)
			return (-1);
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (v > UINT_MAX)
		return (-1);
	*out = (uid_t)v;
	return (0);
}

/* The groups of user name (primary gid) from the group database. */
static int
trust_groups(struct trust *t, const char *name, gid_t gid)
{
	int	 n = 32;

	for (;;) {
		free(t->gids);
		if ((t->gids = calloc((size_t)n, sizeof *t->gids)) == NULL)
			return (-1);
		t->ngids = n;
		if (getgrouplist(name, gid, t->gids, &t->ngids) != -1)
			return (0);
		if (t->ngids <= n)
			n *= 2;
		else
			n = t->ngids;
		if (n > 65536)
			return (-1);
	}
}

int
trust_current(struct trust *t, char **cause)
{
	struct passwd	*pw;
	const char	*sudo_user = getenv("SUDO_USER");
	uid_t		 sudo_uid;
	int		 n;

	memset(t, 0, sizeof *t);
	*cause = NULL;
	t->uid = getuid();
	/*
	 * Only root can be acting for someone else: a user who sets SUDO_UID
	 * himself is still himself. Root for root (sudo from a root shell) is
	 * plain root.
	 */
	if (t->uid == 0 && geteuid() == 0 && sudo_user != NULL &&
	    trust_parse_uid(getenv("SUDO_UID"), &sudo_uid) == 0 &&
	    sudo_uid != 0) {
		if ((pw = getpwnam(sudo_user)) == NULL || pw->pw_uid != sudo_uid) {
			*cause = str_printf("SUDO_USER %s and SUDO_UID %lu do "
			    "not name the same user: refusing to guess who is "
			    "acting", sudo_user, (unsigned long)sudo_uid);
			return (-1);
		}
		t->sudo = 1;
		t->uid = sudo_uid;
		if ((t->user = strdup(pw->pw_name)) == NULL ||
		    trust_groups(t, pw->pw_name, pw->pw_gid) != 0)
			goto nomem;
		return (0);
	}

	if ((pw = getpwuid(t->uid)) != NULL)
		t->user = strdup(pw->pw_name);
	else
		t->user = str_printf("uid %lu", (unsigned long)t->uid);
	if (t->user == NULL)
		goto nomem;
	n = getgroups(0, NULL);
	n = n < 0 ? 0 : n;
	/* Room for the supplementary groups plus the real and effective gid. */
	if ((t->gids = calloc((size_t)n + 2, sizeof *t->gids)) == NULL)
		goto nomem;
	if (n > 0 && (t->ngids = getgroups(n, t->gids)) < 0)
		t->ngids = 0;
	t->gids[t->ngids++] = getegid();
	t->gids[t->ngids++] = getgid();
	return (0);

nomem:
	trust_free(t);
	*cause = str_printf("out of memory");
	return (-1);
}

void
trust_free(struct trust *t)
{
	free(t->user);
	free(t->gids);
	memset(t, 0, sizeof *t);
}

int
trust_root_file(const char *path, int fd, char **cause)
{
	struct stat	 st, dst;
	char		*copy, *dir;
	int		 rc = 0;

	if (fstat(fd, &st) != 0) {
		*cause = str_printf("cannot check %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		*cause = str_printf("%s is not root's (owner uid %lu, mode "
		    "%04o): run as root for another user, imapadm reads only "
		    "a file owned by root and not writable by group or others",
		    path, (unsigned long)st.st_uid,
		    (unsigned)(st.st_mode & 07777));
		return (-1);
	}
	if ((copy = strdup(path)) == NULL) {
		*cause = str_printf("out of memory");
		return (-1);
	}
	dir = dirname(copy);
	if (stat(dir, &dst) != 0 || dst.st_uid != 0 ||
	    (dst.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		*cause = str_printf("%s lies in %s, which is not root's "
		    "(owned by root, not writable by group or others): "
		    "another user could replace it", path, dir);
		rc = -1;
	}
	free(copy);
	return (rc);
}
