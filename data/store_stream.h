/* Listings as one query each, streamed: every row goes to a callback with
 * its strings borrowed until it returns, so nothing of the inventory is
 * held; and the column widths a table needs, from one aggregate query. */
#ifndef IMAPADM_DATA_STORE_STREAM_H
#define IMAPADM_DATA_STORE_STREAM_H

#include <stddef.h>

#include "data/store.h"

/*
 * fn's return value: 0 goes on, anything else stops the walk and is what
 * the walk returns. The walks return 0 when done, -1 on error (cause).
 */
/*
 * One read snapshot around several walks, such as a table's widths and
 * then its rows: what another imapadm commits meanwhile is seen by none of
 * them (WAL: writers are not held up). store_read_end ends it either way.
 */
int	 store_read_begin(struct store *, char **cause);
void	 store_read_end(struct store *);

typedef int (*store_imap4_fn)(void *, const struct store_server *,
    const struct store_imap4 *);
typedef int (*store_audit_fn)(void *, const struct store_audit *);

/*
 * Servers ordered by identity, each with its imap4 row and its values of
 * the n setting names (exact names; im->values lists only those that have
 * a row, im->values[i].name borrowed from names): one query, one LEFT JOIN
 * per name, one result row per server. role (a plain word: no '%' or '_'),
 * if not NULL, keeps only the servers whose roles contain it, ignoring
 * ASCII case (LIKE): a cheap pre-filter, the caller checks the role
 * exactly.
 */
int	 store_imap4_each(struct store *, const char *role, size_t n,
	     const char *const names[], store_imap4_fn, void *arg,
	     char **cause);
/* The longest identity, in characters, of the servers store_imap4_each
 * would hand out for role. */
int	 store_imap4_width(struct store *, const char *role, size_t *width,
	     char **cause);

/* The longest identity, fqdn, roles, site and profile of all servers, in
 * characters (SQLite's length()). */
int	 store_server_widths(struct store *, size_t width[5], char **cause);

/*
 * The audit log newest first, identity NULL for every server (else through
 * the server index: as fast at a million rows as at ten), limit 0 for no
 * limit.
 */
int	 store_audit_each(struct store *, const char *identity, size_t limit,
	     store_audit_fn, void *arg, char **cause);
/* The longest at, user, server, action, what and outcome over the rows
 * store_audit_each would hand out. */
int	 store_audit_widths(struct store *, const char *identity, size_t limit,
	     size_t width[6], char **cause);

#endif
