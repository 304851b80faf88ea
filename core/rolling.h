/* Rolling restarts: the IMAP4 service of many servers restarted at most N at
 * a time, no new one started once the failure budget is spent. Each server's
 * restart runs in a worker process of its own (fork, its own database
 * connection, its own process group) and commits its result as it ends; the
 * caller drives everything from its own loop with rolling_poll, so neither
 * the command line nor the console ever blocks on a child. */
#ifndef IMAPADM_CORE_ROLLING_H
#define IMAPADM_CORE_ROLLING_H

#include <sys/types.h>

#include <stddef.h>

#include "core/service.h"

struct app;

enum rolling_state {
	ROLLING_QUEUED,
	ROLLING_RUNNING,
	ROLLING_OK,
	ROLLING_FAILED,
	ROLLING_SKIPPED		/* never started: cancelled or budget spent */
};

struct rolling_item {
	char		*identity;
	enum rolling_state state;
	pid_t		 pid;		/* worker, while running */
	int		 fd;		/* its report pipe, -1 once at EOF */
	char		 step[32];	/* the step running now */
	char		*message;	/* outcome, or why it failed */
	double		 started;
	double		 seconds;
	char		 line[512];	/* a report line being read */
	size_t		 len;
};

struct rolling {
	struct app	*app;
	enum service_mode mode;
	int		 parallel;	/* at most this many at once */
	int		 max_failures;	/* failures tolerated before stopping */
	struct rolling_item *items;
	size_t		 n;
	size_t		 next;		/* first item not started yet */
	size_t		 running, ok, failed, skipped;
	int		 cancelled;	/* start no new one */
	int		 killed;	/* the running ones were told to stop */
	double		 started;
};

/* A run over identities[0..n-1] (copied). parallel >= 1, max_failures >= 0. */
void	 rolling_init(struct rolling *, struct app *, char *const *identities,
	     size_t n, int parallel, int max_failures, enum service_mode);
/*
 * Start what may start, read the workers' reports, reap those that ended;
 * waits at most timeout_ms for something to happen. Returns 1 while work
 * remains, 0 when every server is done, failed or skipped.
 */
int	 rolling_poll(struct rolling *, int timeout_ms);
/* Start no new server; the running ones finish their restart. */
void	 rolling_cancel(struct rolling *);
/* Also ask the running ones to stop now (their current step is stopped
 * as at a time-out; the server stays restart-pending). */
void	 rolling_kill(struct rolling *);
/* Seconds since rolling_init; estimate of the seconds left, -1 unknown. */
double	 rolling_elapsed(const struct rolling *);
double	 rolling_eta(const struct rolling *);
const char *rolling_state_name(enum rolling_state);
void	 rolling_free(struct rolling *);

#endif
