/* SQLite store: servers, per-server IMAP4 settings with a row version, the
 * values the running service last loaded, and an append-only audit log.
 * Knows nothing of which settings exist: they are (name, value) rows. */
#ifndef IMAPADM_DATA_STORE_H
#define IMAPADM_DATA_STORE_H

#include <stddef.h>

#define STORE_SCHEMA_VERSION 2

struct store;

/* Return codes beyond 0 / -1. */
#define STORE_NOTFOUND	1	/* no such server */
#define STORE_CONFLICT	2	/* row version moved on since it was read */

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
int	 store_server_remove(struct store *, const char *identity,
	     const char *user, char **cause);

struct store_value {
	char	*name;		/* setting name (Exchange) */
	long	 configured;
	int	 has_running;	/* 0: the service never confirmed a value */
	long	 running;
};

struct store_imap4 {
	long	 version;	/* bumps on every save */
	int	 restart_pending;
	char	*changed_by;	/* Unix user of the last save, or NULL */
	char	*changed_at;	/* ISO 8601 UTC of the last save, or NULL */
	size_t	 n;
	struct store_value *values;	/* only names that have rows */
};
void	 store_imap4_free(struct store_imap4 *);

/* Returns 0, STORE_NOTFOUND or -1. */
int	 store_imap4_get(struct store *, const char *identity,
	     struct store_imap4 *out, char **cause);

/*
 * Save configured values in one transaction if the row version is still
 * expected_version: bump version, set restart_pending, record user and time,
 * and append one audit row (action "set-imapsettings", what = audit_what,
 * outcome "saved"). Returns 0, STORE_NOTFOUND, STORE_CONFLICT (nothing
 * changed; *current, if not NULL, is filled with the newer row) or -1.
 */
int	 store_imap4_save(struct store *, const char *identity,
	     long expected_version, size_t n, const char *const names[],
	     const long values[], const char *user, const char *audit_what,
	     struct store_imap4 *current, char **cause);

/* An audit row written in the same transaction as a change; the server is
 * the identity the change is about. */
struct store_audit_entry {
	const char	*user;
	const char	*action;	/* "restart-imapservice", ... */
	const char	*what;
	const char	*outcome;
};

/* The service confirmed it runs these values: record them and clear
 * restart_pending, with the audit row if audit is not NULL. */
int	 store_imap4_set_running(struct store *, const char *identity,
	     size_t n, const char *const names[], const long values[],
	     const struct store_audit_entry *audit, char **cause);
/* Set or clear restart_pending, with the audit row if audit is not NULL. */
int	 store_imap4_set_pending(struct store *, const char *identity,
	     int pending, const struct store_audit_entry *audit, char **cause);

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

/* Add CAS01, CAS02 (ClientAccess, profiles "cas01"/"cas02") and MBX01
 * (Mailbox, no profile) if absent. */
int	 store_demo_fill(struct store *, const char *user, char **cause);

#endif
