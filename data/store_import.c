/* Many servers in one write transaction, as import-servers adds them: all
 * of them or none, each with its imap4 row and its audit row, the audit
 * chain carried along in memory, every statement prepared once, and the
 * syslog copies sent after the commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_internal.h"

static int	 store_import_exist(struct store *, const struct store_server *,
		     size_t, store_exists_fn, void *, size_t *, char **);
static const struct store_adopt *store_import_adopt(const struct
		     store_server *, const struct store_adopt *, size_t);
static char	*store_import_what(const struct store_server *,
		     const struct store_adopt *, size_t);
static int	 store_import_adopted(struct store *, long long,
		     const struct store_adopt *, size_t, const char *,
		     const char *, char **);
static int	 store_import_insert(struct store *,
		     const struct store_server *, size_t,
		     const struct store_adopt *, size_t, const char *,
		     const char *, char (*)[65], char **);
static int	 store_import_bind(struct store *, sqlite3_stmt *, int,
		     const char *, char **);
static int	 store_import_step(struct store *, enum store_stmt, char **);
static void	 store_import_cache(struct store *, int, int *);
static long long store_import_maxid(struct store *);
static long long store_import_born(struct store *);

/* A page cache big enough for a large import while it runs (an upper
 * bound: pages are taken as needed); *saved is the size it had. */
static void
store_import_cache(struct store *s, int big, int *saved)
{
	sqlite3_stmt	*stmt;
	char		 sql[64];

	if (big) {
		*saved = 0;
		if (sqlite3_prepare_v2(s->db, "PRAGMA cache_size", -1, &stmt,
		    NULL) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
			*saved = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
		if (*saved == 0)
			return;
	} else if (*saved == 0)
		return;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", big ? -262144 :
	    *saved);
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

/* ?N as text the caller keeps alive until the step. */
static int
store_import_bind(struct store *s, sqlite3_stmt *stmt, int n,
    const char *text, char **cause)
{
	if (sqlite3_bind_text(stmt, n, text != NULL ? text : "", -1,
	    SQLITE_STATIC) != SQLITE_OK) {
		store_cause(cause, "cannot add a server: %s",
		    sqlite3_errmsg(s->db));
		return (-1);
	}
	return (0);
}

static int
store_import_step(struct store *s, enum store_stmt id, char **cause)
{
	int	rc;

	rc = store_step(s, id, cause);
	sqlite3_reset(s->stmt[id]);
	return (rc == -1 ? -1 : 0);
}

/* Every server stored already goes to exists; *nexist counts them. */
static int
store_import_exist(struct store *s, const struct store_server *srv, size_t n,
    store_exists_fn exists, void *arg, size_t *nexist, char **cause)
{
	sqlite3_stmt	*stmt;
	size_t		 i;
	int		 rc;

	*nexist = 0;
	if ((stmt = store_stmt(s, STMT_SERVER_FIND, cause)) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		sqlite3_reset(stmt);
		if (store_import_bind(s, stmt, 1, srv[i].identity, cause) != 0)
			return (-1);
		if ((rc = store_step(s, STMT_SERVER_FIND, cause)) == -1)
			return (-1);
		if (rc == 1) {
			exists(arg, i, (const char *)sqlite3_column_text(stmt,
			    0));
			(*nexist)++;
		}
	}
	sqlite3_reset(stmt);
	return (0);
}

/* The largest server id so far (0: none). */
static long long
store_import_maxid(struct store *s)
{
	sqlite3_stmt	*stmt;
	long long	 id = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(id), 0) FROM server",
	    -1, &stmt, NULL) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return (id);
}

/* The next row identity server_seq hands out (0: cannot read it). */
static long long
store_import_born(struct store *s)
{
	sqlite3_stmt	*stmt;
	long long	 next = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT next FROM server_seq", -1, &stmt,
	    NULL) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
		next = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return (next);
}

/* Insert them all, hash[i] the audit hash of server i. */
/* The adoption of row's profile, if any. */
static const struct store_adopt *
store_import_adopt(const struct store_server *row,
    const struct store_adopt *adopt, size_t nadopt)
{
	size_t	i;

	for (i = 0; row->profile != NULL && i < nadopt; i++) {
		if (strcmp(adopt[i].profile, row->profile) == 0)
			return (&adopt[i]);
	}
	return (NULL);
}

/* The audit row's "what": as new-server's, and what it adopted. */
static char *
store_import_what(const struct store_server *row,
    const struct store_adopt *adopt, size_t nadopt)
{
	const struct store_adopt *a = store_import_adopt(row, adopt, nadopt);
	char			*what = store_server_describe(row), *both;

	if (a == NULL)
		return (what);
	if (asprintf(&both, "%s; %s", what, a->note) == -1)
		abort();
	free(what);
	return (both);
}

/*
 * The imported servers of each adopting profile (ids past maxid) start
 * from what its settings file holds: their configured values, saved by
 * user at now (version 1), as new-server's adoption saves them.
 */
static int
store_import_adopted(struct store *s, long long maxid,
    const struct store_adopt *adopt, size_t nadopt, const char *user,
    const char *now, char **cause)
{
	sqlite3_stmt	*val = NULL, *ver = NULL;
	size_t		 i, k;
	int		 rc = 0;

	if (nadopt == 0)
		return (0);
	if (sqlite3_prepare_v2(s->db, "INSERT INTO imap4_value (server_id,"
	    " name, configured) SELECT id, ?1, ?2 FROM server WHERE id > ?3"
	    " AND profile = ?4", -1, &val, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "UPDATE imap4 SET version = 1,"
	    " changed_by = ?1, changed_at = ?2 WHERE server_id IN (SELECT id"
	    " FROM server WHERE id > ?3 AND profile = ?4)", -1, &ver,
	    NULL) != SQLITE_OK)
		rc = -1;
	for (i = 0; rc == 0 && i < nadopt; i++) {
		for (k = 0; rc == 0 && k < adopt[i].n; k++) {
			sqlite3_reset(val);
			sqlite3_bind_text(val, 1, adopt[i].names[k], -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(val, 2, adopt[i].values[k]);
			sqlite3_bind_int64(val, 3, maxid);
			sqlite3_bind_text(val, 4, adopt[i].profile, -1,
			    SQLITE_STATIC);
			if (sqlite3_step(val) != SQLITE_DONE)
				rc = -1;
		}
		sqlite3_reset(ver);
		sqlite3_bind_text(ver, 1, user, -1, SQLITE_STATIC);
		sqlite3_bind_text(ver, 2, now, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ver, 3, maxid);
		sqlite3_bind_text(ver, 4, adopt[i].profile, -1, SQLITE_STATIC);
		if (rc == 0 && sqlite3_step(ver) != SQLITE_DONE)
			rc = -1;
	}
	if (rc != 0)
		store_cause(cause, "cannot save the adopted time-outs: %s",
		    sqlite3_errmsg(s->db));
	sqlite3_finalize(val);
	sqlite3_finalize(ver);
	return (rc);
}

static int
store_import_insert(struct store *s, const struct store_server *srv,
    size_t n, const struct store_adopt *adopt, size_t nadopt,
    const char *user, const char *now, char (*hash)[65], char **cause)
{
	sqlite3_stmt	*server = NULL;
	sqlite3_stmt	*audit;
	struct store_server row;
	const char	*f[6], *prev;
	char		*last = NULL, *what, sql[128], seq[96];
	long long	 born, maxid;
	size_t		 i;
	int		 rc = 0, k;

	/* The chain's end is read once; then each row links to the one
	 * before it, in memory. */
	if ((audit = store_stmt(s, STMT_AUDIT_INSERT, cause)) == NULL ||
	    store_audit_last(s, &last, cause) != 0)
		return (-1);
	maxid = store_import_maxid(s);
	snprintf(sql, sizeof sql, "INSERT INTO imap4 (server_id) SELECT id"
	    " FROM server WHERE id > %lld", maxid);
	/* Each row brings its born, numbered from server_seq, which moves on
	 * once at the end: the server_born trigger's two updates a row are
	 * skipped, with the same numbers. */
	if ((born = store_import_born(s)) <= 0 ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO server (identity, fqdn,"
	    " roles, site, profile, born) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1,
	    &server, NULL) != SQLITE_OK) {
		store_cause(cause, "cannot add a server: %s",
		    sqlite3_errmsg(s->db));
		sqlite3_finalize(server);
		free(last);
		return (-1);
	}
	prev = last;
	f[0] = now;
	f[1] = user;
	f[3] = "new-server";
	f[5] = "saved";
	for (i = 0; i < n && rc == 0; i++) {
		if (store_check_identity(srv[i].identity, cause) != 0 ||
		    store_check_fqdn(srv[i].identity, srv[i].fqdn,
		    cause) != 0) {
			rc = -1;
			break;
		}
		row = srv[i];
		row.roles = row.roles != NULL ? row.roles : "";
		row.site = row.site != NULL ? row.site : "";
		row.profile = row.profile != NULL ? row.profile : "";
		if (store_import_bind(s, server, 1, row.identity, cause) != 0 ||
		    store_import_bind(s, server, 2, row.fqdn, cause) != 0 ||
		    store_import_bind(s, server, 3, row.roles, cause) != 0 ||
		    store_import_bind(s, server, 4, row.site, cause) != 0 ||
		    store_import_bind(s, server, 5, row.profile, cause) != 0 ||
		    sqlite3_bind_int64(server, 6, born + (long long)i) !=
		    SQLITE_OK || sqlite3_step(server) != SQLITE_DONE) {
			store_cause(cause, "cannot add server %s: %s",
			    row.identity, sqlite3_errmsg(s->db));
			rc = -1;
			break;
		}
		sqlite3_reset(server);
		what = store_import_what(&row, adopt, nadopt);
		f[2] = row.identity;
		f[4] = what;
		if (store_audit_hash(prev, f, hash[i], cause) != 0)
			rc = -1;
		for (k = 0; rc == 0 && k < 6; k++)
			rc = store_import_bind(s, audit, k + 1, f[k], cause);
		if (rc == 0 && (store_import_bind(s, audit, 7, hash[i],
		    cause) != 0 ||
		    store_import_step(s, STMT_AUDIT_INSERT, cause) != 0))
			rc = -1;
		free(what);
		prev = hash[i];
	}
	sqlite3_finalize(server);
	sqlite3_clear_bindings(audit);
	free(last);
	if (rc == 0) {
		snprintf(seq, sizeof seq, "UPDATE server_seq SET next = next +"
		    " %zu", n);
		if (sqlite3_exec(s->db, seq, NULL, NULL, NULL) != SQLITE_OK) {
			store_cause(cause, "cannot number the servers: %s",
			    sqlite3_errmsg(s->db));
			rc = -1;
		}
	}
	/* The servers' imap4 rows in one statement: the new servers are
	 * those past the largest id before, under this write lock. */
	if (rc == 0 && sqlite3_exec(s->db, sql, NULL, NULL, NULL) !=
	    SQLITE_OK) {
		store_cause(cause, "cannot add imap4 settings: %s",
		    sqlite3_errmsg(s->db));
		rc = -1;
	}
	if (rc == 0)
		rc = store_import_adopted(s, maxid, adopt, nadopt, user, now,
		    cause);
	return (rc);
}

int
store_server_add_many(struct store *s, const struct store_server *srv,
    size_t n, const char *user, int check_only, store_exists_fn exists,
    void *arg, char **cause)
{
	return (store_server_add_many_adopt(s, srv, n, NULL, 0, user,
	    check_only, exists, arg, cause));
}

int
store_server_add_many_adopt(struct store *s, const struct store_server *srv,
    size_t n, const struct store_adopt *adopt, size_t nadopt,
    const char *user, int check_only, store_exists_fn exists, void *arg,
    char **cause)
{
	struct store_server row;
	const char	*f[6];
	char		 now[32], (*hash)[65], *what, *why = NULL;
	size_t		 i, nexist;
	int		 rc, cache;

	if (user == NULL)
		user = "";
	if ((hash = calloc(n + 1, sizeof *hash)) == NULL)
		abort();
	/* One time for one transaction: the rows are one change. */
	store_now(now, sizeof now);
	/* Pages stay in memory until the commit instead of spilling to the
	 * WAL and being written again: a third of the writes at 100,000. */
	store_import_cache(s, 1, &cache);
	if (store_begin(s, 1, cause) != 0) {
		store_import_cache(s, 0, &cache);
		free(hash);
		return (-1);
	}
	/*
	 * Added straight away: a server stored already fails its insert on
	 * the identity index, and only then is every row looked up, so that
	 * all of them are told. An import with none stored reads nothing.
	 */
	rc = check_only ? STORE_CONFLICT : store_import_insert(s, srv, n,
	    adopt, nadopt, user, now, hash, &why);
	if (rc == 0)
		rc = store_commit(s, cause) != 0 ? -1 : 0;
	store_import_cache(s, 0, &cache);
	if (rc == -1 && why == NULL)
		return (-1);		/* the commit failed: cause says why */
	if (rc != 0) {
		store_rollback(s);
		if (store_begin(s, 0, cause) != 0 ||
		    store_import_exist(s, srv, n, exists, arg, &nexist,
		    cause) != 0) {
			store_rollback(s);
			free(why);
			free(hash);
			return (-1);
		}
		store_rollback(s);
		free(hash);
		if (nexist > 0 || check_only) {
			free(why);
			return (nexist > 0 ? STORE_CONFLICT : 0);
		}
		if (cause != NULL)
			*cause = why;
		else
			free(why);
		return (-1);
	}
	/* The syslog copies only once the rows are there (and someone
	 * listens). */
	f[0] = now;
	f[1] = user;
	f[3] = "new-server";
	f[5] = "saved";
	for (i = 0; i < n && store_syslog_listening(); i++) {
		row = srv[i];
		row.roles = row.roles != NULL ? row.roles : "";
		row.site = row.site != NULL ? row.site : "";
		row.profile = row.profile != NULL ? row.profile : "";
		what = store_import_what(&row, adopt, nadopt);
		f[2] = row.identity;
		f[4] = what;
		store_audit_syslog(f, hash[i]);
		free(what);
	}
	free(hash);
	return (0);
}
