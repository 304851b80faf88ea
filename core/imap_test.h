/* One test-imapconnectivity run for one server: its profile's listeners,
 * the test account, and with measure the two idle sessions per listener
 * held against the configured time-outs. The CLI and the console both
 * drive it with imap_test_step and read its rows. */
#ifndef IMAPADM_CORE_IMAP_TEST_H
#define IMAPADM_CORE_IMAP_TEST_H

#include <time.h>

#include "core/config.h"
#include "core/imap_probe.h"
#include "core/settings.h"

struct store_server;

/* Seconds an idle session is held past its configured time-out. */
#define IMAP_TEST_GRACE		5
/* A measured close within this many seconds of the value matches it. */
#define IMAP_TEST_TOLERANCE	2

struct imap_test_row {
	char			*spec;		/* as the profile lists it */
	struct imap_listener	 l;
	int			 login;		/* session indexes; -1: none */
	int			 idle[SETTING_COUNT];
};

struct imap_test {
	struct imap_probe	*probe;
	struct imap_test_row	*rows;
	size_t			 nrows;
	int			 measure;
	long			 configured[SETTING_COUNT];
	char			*user;		/* NULL: no test account */
	char			*no_login;	/* why there is none */
	time_t			 started;
	double			 started_mono;
};

/*
 * Set up and start the sessions. configured: the server's values (for
 * measure). -1 and *cause (no listeners, a refused password file, a CA
 * file OpenSSL cannot load): nothing was started.
 */
int	 imap_test_new(const struct profile *, const struct store_server *,
	     int measure, const long configured[SETTING_COUNT],
	     struct imap_test **, char **cause);
/* imap_probe_step: how many sessions are still running. */
size_t	 imap_test_step(struct imap_test *, int timeout_ms);
/* imap_probe_wait: also back early, *ready 1, when fd is readable. */
size_t	 imap_test_wait(struct imap_test *, int timeout_ms, int fd,
	     int *ready);
/* Seconds until the last running session gives up. */
double	 imap_test_left(const struct imap_test *);
const struct imap_session *imap_test_session(const struct imap_test *, int);
/* The row's connectivity worked (greeting, TLS, login if there is an
 * account); *why: the first error. */
int	 imap_test_row_ok(const struct imap_test *, size_t, const char **why);
/*
 * What the idle session of setting k on row showed, in buf: "closed by the
 * server after 30.0 s (configured 30 s)", "not closed within 35 s ...",
 * "not measured: why". Returns 1 when it matches the configured value
 * within IMAP_TEST_TOLERANCE, 0 when it does not, -1 not measured.
 */
int	 imap_test_measured(const struct imap_test *, size_t row,
	     enum setting_id, char *buf, size_t len);
/* Closes what is open (cancel). */
void	 imap_test_free(struct imap_test *);

#endif
