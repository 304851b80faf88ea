/* Every client access server's IMAP4 view from one streamed query, for
 * the listing verbs: what imap4_load and imap4_observe give one server. */
#ifndef IMAPADM_CORE_IMAP4_LIST_H
#define IMAPADM_CORE_IMAP4_LIST_H

#include "core/app.h"

/* Whether to hand out a server the store's role pre-filter let through. */
typedef int (*imap4_keep_fn)(const struct store_server *);
/* A view borrowed until fn returns (never imap4_view_free it); non-zero
 * stops the walk, and imap4_each returns it. */
typedef int (*imap4_each_fn)(void *, const struct imap4_view *);

/*
 * Servers whose roles mention role (keep, if not NULL, decides exactly),
 * ordered by identity, each merged with the settings table like imap4_load
 * and observed like imap4_observe with flags OBSERVE_*. A profile whose
 * observation names no server is observed once for the whole walk: its
 * settings file is read once, and every row says when it was seen.
 * Returns 0, fn's stop value, or -1 (cause).
 */
int	 imap4_each(struct app *, const char *role, imap4_keep_fn keep,
	     int flags, imap4_each_fn fn, void *arg, char **cause);

#endif
