/* One word for a server's IMAP4 state in a list, derived from what was
 * observed (files only, no process per row) and what the store holds, and
 * the words the list's filter accepts for it. */
#ifndef IMAPADM_CORE_IMAP4_STATE_H
#define IMAPADM_CORE_IMAP4_STATE_H

#include <stddef.h>

#include "core/app.h"

/* X(enum suffix, filter word, what it means) */
#define IMAP4_STATES							\
	X(NOT_CAS, "other", "not a client access server")		\
	X(FAILED, "failed", "the last restart failed; still pending")	\
	X(DRIFT, "drift", "the settings file was changed outside imapadm") \
	X(STOPPED, "stopped", "no nginx master runs (its pid file says so)") \
	X(PENDING, "pending", "configured differs from what runs")	\
	X(RUNNING, "running", "the configured values run, as observed")	\
	X(UNKNOWN, "unknown", "what runs cannot be seen from a list")

enum imap4_state {
#define X(e, word, help) IMAP4_STATE_##e,
	IMAP4_STATES
#undef X
	IMAP4_STATE_COUNT
};

const char	*imap4_state_word(enum imap4_state);
const char	*imap4_state_help(enum imap4_state);
/* The state named by word (case folded), or -1. */
int		 imap4_state_lookup(const char *word);
/*
 * The state of a server whose view was observed (imap4_observe), with the
 * outcome of its newest restart (NULL: none), and one line saying it with
 * the values and where they come from ("running 1800/60 (file, 14:05)",
 * "pushed 1800/60 at 14:05, running unknown"), in buf.
 */
enum imap4_state imap4_state_of(const struct imap4_view *,
		     const char *last_outcome, const char *restarted_at,
		     char *buf, size_t len);

#endif
