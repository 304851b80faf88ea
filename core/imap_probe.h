/* An IMAP4 client that tests a listener as a user's mail program meets it:
 * connect, greeting, TLS (implicit or STARTTLS, OpenSSL), LOGIN and LOGOUT,
 * and idle sessions held until the server closes them. Nonblocking sockets
 * and deadlines; every session of a probe advances in one poll loop, so the
 * console can drive it from its main loop (imap_probe_step). */
#ifndef IMAPADM_CORE_IMAP_PROBE_H
#define IMAPADM_CORE_IMAP_PROBE_H

#include <stddef.h>

#include "core/imap_proto.h"

enum imap_task {
	IMAP_TASK_LOGIN,	/* greeting, [LOGIN], LOGOUT */
	IMAP_TASK_IDLE_PREAUTH,	/* greeting, then silent until closed */
	IMAP_TASK_IDLE_AUTH	/* LOGIN, then silent until closed */
};

struct imap_probe_opts {
	const char	*ca_file;	/* NULL: the system's trust store */
	const char	*user;		/* NULL: no LOGIN */
	const char	*password;	/* borrowed; never put in messages */
	double		 timeout;	/* seconds per step before idling */
};

/* What one session saw. Times are milliseconds from the connect call. */
struct imap_session {
	int		 done;
	int		 ok;		/* every step it was asked for worked */
	double		 connect_ms;	/* TCP connected; -1: not */
	double		 greeting_ms;	/* greeting read; -1: not */
	char		*greeting;	/* "* OK ..." as received */
	char		*tls;		/* protocol, cipher, certificate */
	int		 login;		/* -1 not tried, 0 refused, 1 ok */
	double		 login_ms;	/* LOGIN sent to its answer */
	char		*login_text;	/* the server's answer */
	int		 closed;	/* idle: the server closed it */
	double		 closed_after;	/* seconds idle until closed */
	double		 idle_limit;	/* seconds waited at most */
	char		*bye;		/* "* BYE" text before the close */
	char		*error;		/* what failed; NULL if ok */
};

struct imap_probe;

/* ctx errors (a CA file OpenSSL cannot read): NULL and *cause. */
struct imap_probe *imap_probe_new(const struct imap_probe_opts *,
		     char **cause);
/*
 * A session to l (copied) doing task; an idle session waits at most
 * idle_limit seconds for the close. Returns its index, -1 (out of memory).
 */
int		 imap_probe_add(struct imap_probe *,
		     const struct imap_listener *, enum imap_task,
		     double idle_limit);
/*
 * Wait up to timeout_ms (0: only what is ready) for the sockets, advance
 * every session and return how many are still running.
 */
size_t		 imap_probe_step(struct imap_probe *, int timeout_ms);
/* The same, also returning early, with *ready 1, when fd is readable (the
 * console's terminal: a key waits). */
size_t		 imap_probe_wait(struct imap_probe *, int timeout_ms, int fd,
		     int *ready);
/* Seconds until the longest-waiting running session's deadline. */
double		 imap_probe_left(const struct imap_probe *);
size_t		 imap_probe_count(const struct imap_probe *);
const struct imap_session *imap_probe_session(const struct imap_probe *,
		     size_t);
/* Closes whatever is still open (cancel). */
void		 imap_probe_free(struct imap_probe *);

#endif
