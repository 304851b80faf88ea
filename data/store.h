/* SQLite store: servers, per-server IMAP4 settings with a row version, the
 * values the running service last loaded, and an append-only audit log.
 * Knows nothing of which settings exist: they are (name, value) rows. */
#ifndef IMAPADM_DATA_STORE_H
#define IMAPADM_DATA_STORE_H

#include <stddef.h>

#define STORE_SCHEMA_VERSION 5

struct store;

/* Return codes beyond 0 / -1. */
#define STORE_NOTFOUND	1	/* no such server */
#define STORE_CONFLICT	2	/* row version moved on since it was read */
#define STORE_REPLACED	3	/* the server was removed and added again */
#define STORE_BUSY	4	/* another process holds the server's lock */

/* An expected version or row id that is not checked. */
#define STORE_ANY	(-1)

/*
 * Open (creating with mode 0600 and migrating as needed) the database at
 * path. Refuses, with a clear *cause, a schema newer than STORE_SCHEMA_VERSION.
 */
int	 store_open(const char *path, struct store **out, char **cause);
/*
 * flags STORE_READONLY: open an existing database for reading only; create,
 * migrate and write nothing (a View-Only user's database may be another's).
 */
#define STORE_READONLY	0x1
int	 store_open_flags(const char *path, int flags, struct store **out,
	     char **cause);
void	 store_close(struct store *);
/* Default path: $XDG_DATA_HOME/imapadm/imapadm.db or ~/.local/share/...;
 * caller frees. Creates no directory. */
char	*store_default_path(void);
/* Ensure the parent directory of path exists (mode 0700). */
int	 store_mkdir_parent(const char *path, char **cause);

struct store_server {
	char	*identity;	/* "CAS01" */
	char	*fqdn;		/* "cas01.contoso.test" */
	char	*roles;		/* "ClientAccess", "Mailbox", "ClientAccess,Mailbox" */
	char	*site;		/* "Default-First-Site-Name" */
	char	*profile;	/* service profile name, may be "" */
};
void	 store_server_free(struct store_server *);	/* frees members */
void	 store_server_list_free(struct store_server *, size_t n);

/* All servers ordered by identity. */
int	 store_server_list(struct store *, struct store_server **out, size_t *n,
	     char **cause);
/*
 * All servers ordered by identity, one query streamed: fn sees each row
 * (its strings borrowed until fn returns) and stops the walk by returning
 * non-zero, which store_server_each then returns.
 */
typedef int (*store_server_fn)(void *, const struct store_server *);
int	 store_server_each(struct store *, store_server_fn, void *arg,
	     char **cause);
/* identity is case-insensitive. Returns 0, STORE_NOTFOUND or -1. */
int	 store_server_get(struct store *, const char *identity,
	     struct store_server *out, char **cause);
/*
 * Up to limit identities on each side of identity in the store's
 * case-insensitive order: two range reads of the identity index, as fast
 * at 100,000 servers as at 10. The candidates for "did you mean"; free
 * with store_names_free.
 */
int	 store_server_near(struct store *, const char *identity, size_t limit,
	     char ***out, size_t *n, char **cause);
void	 store_names_free(char **, size_t n);
/* Fails with a cause naming the identity if it exists already. */
/*
 * The servers a bulk change names: list holds identities and wildcards
 * separated by commas (* any run of characters, ? one; case-insensitive),
 * site (if not NULL) narrows them to one site. Each server once, ordered by
 * identity; *unmatched (caller frees) names the first item that matched
 * nothing, else NULL. A prefix such as CAS* reads the identity index.
 */
int	 store_server_select(struct store *, const char *list, const char *site,
	     struct store_server **out, size_t *n, char **unmatched,
	     char **cause);
int	 store_server_add(struct store *, const struct store_server *,
	     const char *user, char **cause);
/* A server that store_server_add_many found stored already: its index
 * and the identity as stored. */
typedef void (*store_exists_fn)(void *, size_t i, const char *stored);
/*
 * All of them or none, in one write transaction: each server with its
 * imap4 row and the audit row new-server writes. Every server that exists
 * already is looked up and passed to exists; then, or with check_only,
 * nothing is added. Returns 0, STORE_CONFLICT (some exist) or -1.
 */
int	 store_server_add_many(struct store *, const struct store_server *,
	     size_t n, const char *user, int check_only, store_exists_fn,
	     void *arg, char **cause);
/*
 * The same, and the servers of each adopt[i].profile start from the
 * time-outs its settings file holds: names[k] = values[k] configured
 * (version 1), and note appended to each one's audit row.
 */
struct store_adopt {
	const char		*profile;
	size_t			 n;
	const char *const	*names;
	const long		*values;
	const char		*note;
};
int	 store_server_add_many_adopt(struct store *, const struct store_server *,
	     size_t n, const struct store_adopt *, size_t nadopt,
	     const char *user, int check_only, store_exists_fn, void *arg,
	     char **cause);
int	 store_server_remove(struct store *, const char *identity,
	     const char *user, char **cause);

struct store_value {
	char	*name;		/* setting name (Exchange) */
	long	 configured;
	int	 has_running;	/* 0: the service never confirmed a value */
	long	 running;
};

struct store_imap4 {
	long	 server_id;	/* row identity, never reused: a server
				 * removed and added again under its name
				 * has another */
	long	 version;	/* bumps on every save */
	char	*changed_by;	/* Unix user of the last save, or NULL */
	char	*changed_at;	/* ISO 8601 UTC of the last save, or NULL */
	size_t	 n;
	struct store_value *values;	/* only names that have rows */
};
void	 store_imap4_free(struct store_imap4 *);

/* Returns 0, STORE_NOTFOUND or -1. */
int	 store_imap4_get(struct store *, const char *identity,
	     struct store_imap4 *out, char **cause);

/* An audit row written in the same transaction as a change; the server is
 * the identity the change is about. */
struct store_audit_entry {
	const char	*user;
	const char	*action;	/* "restart-imapservice", ... */
	const char	*what;
	const char	*outcome;
};

/*
 * A change of configured values, made in one write transaction (BEGIN
 * IMMEDIATE: other writers are waited for up to the busy time-out, never
 * refused). merge, if not NULL, sees the row as it is inside that
 * transaction and fills the caller's array that values points to (n of
 * them, for names) and *what (the audit text, malloc'd); it returns 1 when
 * nothing differs (nothing is written), 0 to save, -1 to fail (*what then
 * says why).
 */
typedef int (*store_merge_fn)(void *, const struct store_imap4 *,
	     char **what);
struct store_imap4_change {
	long			 server_id;	/* STORE_ANY: not checked */
	long			 version;	/* STORE_ANY: last writer wins */
	size_t			 n;
	const char *const	*names;
	const long		*values;
	store_merge_fn		 merge;
	void			*arg;
	const char		*user;
	const char		*what;		/* audit text without merge */
};
/*
 * Returns 0, STORE_NOTFOUND, STORE_CONFLICT (version moved on),
 * STORE_REPLACED (server_id differs) or -1; on a conflict *current, if
 * not NULL, holds the row as it is.
 */
int	 store_imap4_change(struct store *, const char *identity,
	     const struct store_imap4_change *, struct store_imap4 *current,
	     char **cause);

/*
 * Save configured values in one transaction if the row version is still
 * expected_version: bump version, record user and time,
 * and append one audit row (action "set-imapsettings", what = audit_what,
 * outcome "saved"). Returns 0, STORE_NOTFOUND, STORE_CONFLICT (nothing
 * changed; *current, if not NULL, is filled with the newer row) or -1.
 */
int	 store_imap4_save(struct store *, const char *identity,
	     long expected_version, size_t n, const char *const names[],
	     const long values[], const char *user, const char *audit_what,
	     struct store_imap4 *current, char **cause);


/*
 * The restart lock and crash record: one row per server while a restart
 * runs, committed before anything is touched. Whoever holds it is named by
 * pid, the pid's start time (pids are reused) and user.
 */
struct store_apply {
	long	 server_id;
	char	*server;
	char	*profile;
	long	 version;	/* the row version whose values are pushed */
	char	*pushed;	/* "Name=seconds ..." */
	char	*mode;		/* "restart", "reload" */
	char	*step;		/* "locked", "writing", "restarting" */
	char	*file;		/* settings file, NULL if none */
	int	 had_prev;	/* file existed before: prev holds it */
	char	*prev;
	size_t	 prevlen;
	long long prev_mtime;	/* nanoseconds since the epoch */
	long	 pid;
	long long pid_start;
	char	*user;
	char	*started_at;	/* ISO 8601 UTC */
};
void	 store_apply_free(struct store_apply *);
void	 store_apply_list_free(struct store_apply *, size_t n);
/*
 * Take the lock of rec->server (server_id, server, started_at are filled
 * in). STORE_BUSY: someone holds it, *holder (if not NULL) is their row.
 */
int	 store_apply_begin(struct store *, struct store_apply *rec,
	     struct store_apply *holder, char **cause);
/* The previous file, committed before the new one is written. */
int	 store_apply_prev(struct store *, const struct store_apply *,
	     char **cause);
/* Move to step, with an audit row in the same transaction. */
int	 store_apply_step(struct store *, const struct store_apply *,
	     const char *step, const struct store_audit_entry *,
	     char **cause);
/*
 * Release the lock held by rec (its pid): with n > 0 the values are
 * recorded as what imapadm last pushed; the audit row goes in the same
 * transaction. STORE_CONFLICT: the lock is no longer rec's.
 */
int	 store_apply_end(struct store *, const struct store_apply *, size_t n,
	     const char *const names[], const long values[],
	     const struct store_audit_entry *, char **cause);
/* Take over a lock whose holder died: STORE_CONFLICT if someone else did
 * first. stale's pid and start time become pid and start. */
int	 store_apply_take(struct store *, struct store_apply *stale, long pid,
	     long long start, char **cause);
/* Every lock held now. */
int	 store_apply_list(struct store *, struct store_apply **out, size_t *n,
	     char **cause);

/*
 * The audit log is a SHA-256 chain: each row's hash covers the one before
 * and its own fields. Walk it from the first row: 0 when whole (*nrows rows
 * checked, *unchained older rows written before the chain began), 1 when
 * broken at row *bad (changed, or a row before it removed), -1 on error.
 */
int	 store_audit_verify(struct store *, long *bad, size_t *nrows,
	     size_t *unchained, char **cause);

struct store_audit {
	long	 id;
	char	*at;		/* ISO 8601 UTC */
	char	*user;
	char	*server;	/* may be "" */
	char	*action;	/* "set-imapsettings", "restart-imapservice", ... */
	char	*what;		/* "AuthenticatedConnectionTimeout 1800 -> 900" */
	char	*outcome;	/* "saved", "ok", "failed: ..." */
};
void	 store_audit_list_free(struct store_audit *, size_t n);
int	 store_audit_add(struct store *, const char *user, const char *server,
	     const char *action, const char *what, const char *outcome,
	     char **cause);
/* Newest first; identity NULL for all servers; limit 0 for no limit. */
int	 store_audit_list(struct store *, const char *identity, size_t limit,
	     struct store_audit **out, size_t *n, char **cause);

/*
 * Windows of the server list (data/store_window.c), for lists that never
 * load the inventory: keyset reads of the identity index in the store's
 * case-insensitive order, each one query whatever the inventory's size.
 * A filter is a case-insensitive substring of the identity or the fqdn
 * (NULL or "" for none); it scans, but a window stops at its limit.
 */
enum store_window_from {
	STORE_WINDOW_FIRST,	/* the first rows (key unused) */
	STORE_WINDOW_LAST,	/* the last rows (key unused) */
	STORE_WINDOW_AFTER,	/* rows after key */
	STORE_WINDOW_BEFORE,	/* rows before key */
	STORE_WINDOW_AT		/* rows from key on: key itself or after it */
};

/* One server of a window, with the state a list shows, from one query. */
struct store_window_row {
	struct store_server	 server;
	struct store_imap4	 imap4;	/* version 0, no values: no imap4 row */
	/* ISO 8601 UTC of the server's newest successful restart or
	 * reload in the audit, or NULL. */
	char			*restarted_at;
	/* The outcome of its newest restart or reload ("ok: ...",
	 * "failed after ..."), or NULL. */
	char			*last_outcome;
};
void	 store_window_free(struct store_window_row *, size_t n);
void	 store_window_row_free(struct store_window_row *);	/* members */

/*
 * Up to limit servers matching filter from the place given, in list order
 * (also for LAST and BEFORE): *out (free with store_window_free), *n.
 */
int	 store_window(struct store *, enum store_window_from, const char *key,
	     const char *filter, size_t limit, struct store_window_row **out,
	     size_t *n, char **cause);
/*
 * How many servers match filter (*count) and, if key is not NULL, how many
 * of them sort before key (*rank, its position). One query; a filter makes
 * it read every row.
 */
int	 store_window_count(struct store *, const char *filter,
	     const char *key, size_t *count, size_t *rank, char **cause);

/*
 * Every identity matching filter, in list order (*out: n strings, the
 * caller's). One query reading the identity index; for marking them all.
 */
int	 store_window_ids(struct store *, const char *filter, char ***out,
	     size_t *n, char **cause);

/*
 * The audit log newest first, of one server (NULL: all), in windows for a
 * virtual list: from the newest (FIRST), the oldest (LAST), the rows older
 * (AFTER) or newer (BEFORE) than row id key, or key's row (AT). Free with
 * store_audit_list_free.
 */
int	 store_audit_window(struct store *, const char *server,
	     enum store_window_from, long key, size_t limit,
	     struct store_audit **out, size_t *n, char **cause);
/* Rows of that log (*count) and how many are newer than row id key. */
int	 store_audit_window_count(struct store *, const char *server,
	     long key, size_t *count, size_t *rank, char **cause);

/* Add CAS01, CAS02 (ClientAccess, profiles "cas01"/"cas02") and MBX01
 * (Mailbox, no profile) if absent. */
int	 store_demo_fill(struct store *, const char *user, char **cause);

#endif
