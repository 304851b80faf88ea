/* Services on other hosts, reached with OpenSSH: the ssh command imapadm
 * builds, each remote argument quoted for the remote shell, and the
 * settings file written and read back on that host. */
#ifndef IMAPADM_CORE_REMOTE_H
#define IMAPADM_CORE_REMOTE_H

#include <stddef.h>
#include <time.h>

#include "core/config.h"

/* Seconds an ssh master connection outlives the last command using it. */
#define REMOTE_CONTROL_PERSIST	30
/* Largest settings file read back or written (fits one pipe buffer). */
#define REMOTE_FILE_MAX		(60 * 1024)

/*
 * arg as one word of a POSIX shell command line, whatever it holds:
 * 'text' with each ' as '\''. Caller frees; NULL when out of memory.
 */
char	*remote_quote(const char *arg);
/* argv as one remote command line: each word that is not plain letters,
 * digits and -_./:@+, is quoted. Caller frees. */
char	*remote_command(char *const argv[]);
/*
 * The private directory for ssh's ControlPath sockets:
 * $XDG_RUNTIME_DIR/imapadm when that is ours, else /tmp/imapadm-UID; made
 * 0700 if missing, refused if it is not a directory of ours that only we
 * may enter. Caller frees; NULL with *cause.
 */
char	*remote_control_dir(char **cause);
/*
 * ssh running argv on host: the profile's ssh_options, then BatchMode,
 * ConnectTimeout and one reused connection per host (ControlMaster), "--",
 * host, and argv quoted. NULL-terminated, free with service_argv_free.
 */
char	**remote_ssh_argv(const struct profile *, const char *host,
	     char *const argv[], char **cause);

/* A settings file as read on its host. */
struct remote_file {
	int	 exists;
	char	*text;		/* NUL-terminated, len bytes */
	size_t	 len;
	char	*mtime;		/* "SECONDS.NANOSECONDS" as stat printed it */
	time_t	 mtime_sec;
};
void	 remote_file_free(struct remote_file *);

/* Read path on host (cat over ssh). 0, or -1 with *cause (ssh's own
 * message when the host cannot be reached). */
int	 remote_read(const struct profile *, const char *host,
	     const char *path, int timeout, struct remote_file *,
	     char **cause);
/*
 * Replace path on host with text, by the rules safefile.h and
 * service_write_atomic keep here: text over ssh's stdin into a temp file
 * beside path, the old mode and owner, the old file kept as path.prev
 * (keep_prev), synced, renamed. mtime, if not NULL, is given to the new
 * file (a restore). A fixed sh script does it; paths are its arguments.
 */
int	 remote_write(const struct profile *, const char *host,
	     const char *path, const char *text, size_t len, int keep_prev,
	     const char *mtime, int timeout, char **cause);
/* Remove path on host (a restore where there was no file before). */
int	 remote_remove(const struct profile *, const char *host,
	     const char *path, int timeout, char **cause);

/*
 * Whether nginx on host has loaded path: its master (pid_file) has a worker
 * that started after path last changed, as core/observe.c judges here.
 * 1 yes, 0 no, -1 unknown; *why (caller frees) unless 1; *master its pid.
 */
int	 remote_nginx_loaded(const struct profile *, const char *host,
	     const char *path, const char *pid_file, int timeout,
	     long *master, char **why);

struct store_server;

/*
 * The write step of service_apply on srv's host: read what is there into
 * *old (a file holding more than imapadm renders is refused, as here),
 * then remote_write with .prev. 0, or -1 with *cause.
 */
int	 remote_push(const struct profile *, const struct store_server *,
	     const char *text, int timeout, struct remote_file *old,
	     char **cause);
/* After a failed check: put old back (or remove what had no file before).
 * Returns the message suffix, as service.c's local restore does. */
char	*remote_restore(const struct profile *, const struct store_server *,
	     const struct remote_file *old, int timeout);
/* Read the file back on its host: 0 when it holds values, else -1 and
 * *cause says what it holds or why it cannot be read. */
int	 remote_confirm(const struct profile *, const struct store_server *,
	     const long *values, int timeout, char **cause);

#endif
