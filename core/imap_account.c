/* The test account's password file: checked like ssh checks a private key
 * (owner only), read without following a symlink, never echoed. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/imap_account.h"
#include "core/str.h"

#define IMAP_ACCOUNT_MAX	1024	/* bytes of a password file read */

int
imap_account_password(const char *path, char **password, char **cause)
{
	struct stat	 st;
	struct passwd	*pw;
	char		 buf[IMAP_ACCOUNT_MAX + 1], owner[64];
	ssize_t		 n;
	size_t		 len;
	int		 fd;

	*password = NULL;
	*cause = NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		*cause = str_printf("test_password_file %s: cannot open it: %s",
		    path, errno == ELOOP ? "it is a symbolic link (name the "
		    "file itself)" : strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		*cause = str_printf("test_password_file %s: not a regular "
		    "file", path);
		return (-1);
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		close(fd);
		if ((pw = getpwuid(st.st_uid)) != NULL)
			snprintf(owner, sizeof owner, "%s", pw->pw_name);
		else
			snprintf(owner, sizeof owner, "uid %u",
			    (unsigned)st.st_uid);
		/* Under sudo only root's files count, as for the config. */
		if (geteuid() == 0)
			*cause = str_printf("test_password_file %s: owned by "
			    "%s; run as root it must be root's (chown root %s)",
			    path, owner, path);
		else
			*cause = str_printf("test_password_file %s: owned by "
			    "%s; it must be yours (uid %u) or root's", path,
			    owner, (unsigned)geteuid());
		return (-1);
	}
	if ((st.st_mode & 077) != 0) {
		close(fd);
		*cause = str_printf("test_password_file %s: mode %04o gives "
		    "%s access to the password; it must be 0600 or 0400 "
		    "(chmod 600 %s)", path, (unsigned)(st.st_mode & 07777),
		    (st.st_mode & 070) && (st.st_mode & 07) ? "its group and "
		    "others" : (st.st_mode & 070) ? "its group" : "others",
		    path);
		return (-1);
	}
	n = read(fd, buf, IMAP_ACCOUNT_MAX);
	close(fd);
	if (n < 0) {
		*cause = str_printf("test_password_file %s: cannot read it: %s",
		    path, strerror(errno));
		return (-1);
	}
	buf[n] = '\0';
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	if (len == 0) {
		explicit_bzero(buf, sizeof buf);
		*cause = str_printf("test_password_file %s: the first line is "
		    "empty (it holds the password)", path);
		return (-1);
	}
	*password = strdup(buf);
	explicit_bzero(buf, sizeof buf);
	if (*password == NULL) {
		*cause = strdup("out of memory");
		return (-1);
	}
	return (0);
}

void
imap_account_wipe(char *password)
{
	if (password == NULL)
		return;
	explicit_bzero(password, strlen(password));
	free(password);
}
