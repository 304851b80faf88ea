/* Safe paths for settings files: no directory on the way that someone else
 * may write to, no symlink someone else planted. */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/safefile.h"
#include "core/str.h"

#define SAFEFILE_MAX_LINKS	8

static int	 safefile_trusted(uid_t, uid_t);
static int	 safefile_dir(const char *, const char *, uid_t, int *,
		     char **);
static int	 safefile_walk(const char *, uid_t, int *, char **);

/* Root, whoever runs imapadm, and the owner of the file it replaces. */
static int
safefile_trusted(uid_t uid, uid_t owner)
{
	return (uid == 0 || uid == geteuid() || uid == owner);
}

/*
 * A directory on the way (followed if a symlink): owned by someone trusted,
 * writable by no one else unless sticky. *open: sticky and others may write,
 * so what it holds must be checked too.
 */
static int
safefile_dir(const char *path, const char *dir, uid_t owner, int *open,
    char **cause)
{
	struct stat	 st;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*cause = str_printf("cannot write %s: %s is not a directory",
		    path, dir);
		return (-1);
	}
	if (!safefile_trusted(st.st_uid, owner)) {
		*cause = str_printf("cannot write %s safely: directory %s "
		    "belongs to uid %lu", path, dir, (unsigned long)st.st_uid);
		return (-1);
	}
	*open = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
	if (*open && (st.st_mode & S_ISVTX) == 0) {
		*cause = str_printf("cannot write %s safely: directory %s may "
		    "be written by others (mode %04o)", path, dir,
		    (unsigned)(st.st_mode & 07777));
		return (-1);
	}
	return (0);
}

/*
 * Each directory of path from /, then path itself. *islink: path is a
 * symlink this walk approved (to follow). 0, or -1 with *cause.
 */
static int
safefile_walk(const char *path, uid_t owner, int *islink, char **cause)
{
	struct stat	 st;
	char		 buf[PATH_MAX], parent[PATH_MAX], saved;
	size_t		 i;
	int		 open;

	*islink = 0;
	if (strlen(path) >= sizeof buf || path[0] != '/') {
		*cause = str_printf("cannot write %s: not an absolute path",
		    path);
		return (-1);
	}
	strcpy(buf, path);
	strcpy(parent, "/");
	if (safefile_dir(path, "/", owner, &open, cause) != 0)
		return (-1);
	for (i = 1;; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		saved = buf[i];
		buf[i] = '\0';
		if (lstat(buf, &st) != 0) {
			if (errno != ENOENT || saved != '\0') {
				*cause = str_printf("cannot write %s: %s: %s",
				    path, buf, strerror(errno));
				return (-1);
			}
			if (open) {
				*cause = str_printf("cannot write %s safely: "
				    "%s may be written by others and the file "
				    "is not there yet (anyone could make it "
				    "first)", path, parent);
				return (-1);
			}
			return (0);
		}
		/* In a sticky directory others write to, only what is ours
		 * (or root's) cannot be swapped under us. */
		if ((open || S_ISLNK(st.st_mode)) &&
		    !safefile_trusted(st.st_uid, owner)) {
			*cause = str_printf("cannot write %s safely: %s belongs "
			    "to uid %lu%s%s", path, buf,
			    (unsigned long)st.st_uid, open ? " and lies in " :
			    " (a symbolic link)", open ? parent : "");
			return (-1);
		}
		if (saved == '\0')
			break;
		if (safefile_dir(path, buf, owner, &open, cause) != 0)
			return (-1);
		strcpy(parent, buf);
		buf[i] = saved;
	}
	if (S_ISLNK(st.st_mode))
		*islink = 1;
	else if (!S_ISREG(st.st_mode)) {
		*cause = str_printf("cannot write %s: not a regular file",
		    path);
		return (-1);
	}
	return (0);
}

char *
safefile_target(const char *path, struct stat *old, int *exists,
    char **cause)
{
	struct stat	 st;
	char		*cur, *real;
	uid_t		 owner;
	int		 islink, hops;

	*exists = 0;
	if ((cur = strdup(path)) == NULL) {
		*cause = strdup("out of memory");
		return (NULL);
	}
	for (hops = 0; hops <= SAFEFILE_MAX_LINKS; hops++) {
		/* The owner of what is there now may own its directories. */
		owner = stat(cur, &st) == 0 ? st.st_uid : geteuid();
		if (safefile_walk(cur, owner, &islink, cause) != 0) {
			free(cur);
			return (NULL);
		}
		if (!islink) {
			if (lstat(cur, old) == 0)
				*exists = 1;
			return (cur);
		}
		/* The link was vetted: write where it points, vetted too. */
		if ((real = realpath(cur, NULL)) == NULL) {
			*cause = str_printf("cannot follow symbolic link %s: %s",
			    cur, strerror(errno));
			free(cur);
			return (NULL);
		}
		free(cur);
		cur = real;
	}
	*cause = str_printf("cannot write %s: too many symbolic links", path);
	free(cur);
	return (NULL);
}
