/* Many servers in one write transaction, as import-servers adds them: all
 * of them or none, each with its imap4 row and its audit row, the audit
 * chain carried along in memory, 64 rows a statement, and the syslog
 * copies sent after the commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_internal.h"

#define STORE_IMPORT_BATCH	64	/* rows one INSERT adds */

/* The audit rows' texts of one batch, bound once it is complete. */
struct store_import_text {
	char	*buf;
	size_t	 len;
	size_t	 size;
};

/* What the import turns off for its transaction, to be put back. */
struct store_import_saved {
	int	cache;		/* PRAGMA cache_size (0: left as it was) */
	int	triggers;
	int	fkeys;
};

static int	 store_import_exist(struct store *, const struct store_server *,
		     size_t, store_exists_fn, void *, size_t *, char **);
static const struct store_adopt *store_import_adopt(const struct
		     store_server *, const struct store_adopt *, size_t);
static size_t	 store_import_what(struct store_import_text *,
		     const struct store_server *, const struct store_adopt *,
		     size_t);
static int	 store_import_valcmp(const void *, const void *);
static sqlite3_stmt *store_import_prepare(struct store *, sqlite3_str *);
static int	 store_import_imap4(struct store *, long long,
		     const struct store_adopt *, size_t, const char *,
		     const char *, char **);
static int	 store_import_insert(struct store *,
		     const struct store_server *, size_t,
		     const struct store_adopt *, size_t, const char *,
		     const char *, char (*)[65], char **);
static int	 store_import_bind(struct store *, sqlite3_stmt *, int,
		     const char *, char **);
static sqlite3_stmt *store_import_batch(struct store *, int, size_t);
static void	 store_import_mode(struct store *, int,
		     struct store_import_saved *);
static int	 store_import_run(struct store *, const struct store_server *,
		     size_t, const struct store_adopt *, size_t, const char *,
		     const char *, int, char (*)[65], char **, char **);
static long long store_import_maxid(struct store *);
static long long store_import_born(struct store *);

/*
 * For the import's transaction, and back (on 0) to what it was:
 * - a page cache big enough for a large import (an upper bound: pages are
 *   taken as needed), so that pages stay in memory until the commit
 *   instead of spilling to the WAL and being written again: a third of
 *   the writes at 100,000;
 * - no triggers: server_born numbers a row only when it brings no born,
 *   and every imported row brings one, but the trigger's program is still
 *   entered for each (8% of an import); the audit log's triggers
 *   refuse updates and deletes, and the import makes neither (a trigger
 *   added later on these tables must be done here by hand, or kept on);
 * - no foreign key checks: every imap4 and imap4_value row the import adds
 *   is selected from the server rows it added, in the same statement (a
 *   check is a cursor opened and closed a row: 5%).
 * Called outside the transaction (PRAGMA foreign_keys would do nothing
 * inside one).
 */
static void
store_import_mode(struct store *s, int on, struct store_import_saved *saved)
{
	sqlite3_stmt	*stmt;
	char		 sql[64];

	if (on) {
		saved->cache = 0;
		if (sqlite3_prepare_v2(s->db, "PRAGMA cache_size", -1, &stmt,
		    NULL) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
			saved->cache = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1,
		    &saved->triggers);
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_FKEY, -1,
		    &saved->fkeys);
	}
	if (saved->cache != 0) {
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", on ?
		    -262144 : saved->cache);
		sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	}
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on ? 0 :
	    saved->triggers, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_FKEY, on ? 0 :
	    saved->fkeys, NULL);
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

/* Append the audit row's "what" to t, with its NUL: as new-server's, and
 * what it adopted. Its offset in t->buf. */
static size_t
store_import_what(struct store_import_text *t, const struct store_server *row,
    const struct store_adopt *adopt, size_t nadopt)
{
	const struct store_adopt *a = store_import_adopt(row, adopt, nadopt);
	char			*what = store_server_describe(row);
	size_t			 at = t->len, len[2], need;

	len[0] = strlen(what);
	len[1] = a != NULL ? strlen(a->note) : 0;
	need = len[0] + (a != NULL ? 2 + len[1] : 0) + 1;
	if (t->size - t->len < need) {
		t->size = (t->size + need) * 2;
		if ((t->buf = realloc(t->buf, t->size)) == NULL)
			abort();
	}
	memcpy(t->buf + t->len, what, len[0]);
	t->len += len[0];
	if (a != NULL) {
		memcpy(t->buf + t->len, "; ", 2);
		memcpy(t->buf + t->len + 2, a->note, len[1]);
		t->len += 2 + len[1];
	}
	t->buf[t->len++] = '\0';
	free(what);
	return (at);
}

/* One adopted value, as the VALUES list of store_import_imap4 binds it. */
struct store_import_val {
	const char	*profile;
	const char	*name;
	long		 value;
};

/* By profile, then by name: a server's values in index order. */
static int
store_import_valcmp(const void *a, const void *b)
{
	const struct store_import_val	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->profile, y->profile)) != 0)
		return (c);
	return (strcmp(x->name, y->name));
}

/* The statement's text: placeholders only, never a value. */
static sqlite3_stmt *
store_import_prepare(struct store *s, sqlite3_str *sql)
{
	sqlite3_stmt	*stmt = NULL;
	char		*text;

	if ((text = sqlite3_str_finish(sql)) == NULL)
		return (NULL);
	if (sqlite3_prepare_v2(s->db, text, -1, &stmt, NULL) != SQLITE_OK)
		stmt = NULL;
	sqlite3_free(text);
	return (stmt);
}

/*
 * The imported servers' imap4 rows (ids past maxid), then the values of
 * those whose profile adopts, each in one statement and in key order:
 * every row lands at the end of its table and index. The servers of an
 * adopting profile start from what its settings file holds, saved by user
 * at now (version 1), as new-server's adoption saves them. (Written in
 * two passes, the versions updated afterwards, the rows split pages all
 * over: a fifth of an import.)
 */
static int
store_import_imap4(struct store *s, long long maxid,
    const struct store_adopt *adopt, size_t nadopt, const char *user,
    const char *now, char **cause)
{
	sqlite3_str	*sql;
	sqlite3_stmt	*row = NULL, *val = NULL;
	struct store_import_val *v = NULL;
	size_t		 i, j, k, nval = 0;
	int		 rc = -1;

	sql = sqlite3_str_new(s->db);
	sqlite3_str_appendall(sql, "INSERT INTO imap4 (server_id, version,"
	    " changed_by, changed_at) SELECT id, a, CASE WHEN a THEN ?1 END,"
	    " CASE WHEN a THEN ?2 END FROM (SELECT id, profile IN (");
	for (i = 0; i < nadopt; i++)
		sqlite3_str_appendf(sql, "%s?%d", i > 0 ? ", " : "",
		    (int)i + 4);
	sqlite3_str_appendall(sql, ") AS a FROM server WHERE id > ?3)");
	if ((row = store_import_prepare(s, sql)) == NULL)
		goto out;
	sqlite3_bind_text(row, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(row, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(row, 3, maxid);
	for (i = 0; i < nadopt; i++)
		sqlite3_bind_text(row, (int)i + 4, adopt[i].profile, -1,
		    SQLITE_STATIC);
	if (sqlite3_step(row) != SQLITE_DONE)
		goto out;
	for (i = 0; i < nadopt; i++)
		nval += adopt[i].n;
	if (nval == 0) {
		rc = 0;
		goto out;
	}

	/* Each server (the outer loop, CROSS JOIN) with its profile's
	 * values, by name: (server_id, name) in index order. */
	sql = sqlite3_str_new(s->db);
	sqlite3_str_appendall(sql, "INSERT INTO imap4_value (server_id, name,"
	    " configured) SELECT s.id, v.column2, v.column3 FROM server AS s"
	    " CROSS JOIN (VALUES ");
	for (j = 0; j < nval; j++)
		sqlite3_str_appendf(sql, "%s(?%d, ?%d, ?%d)",
		    j > 0 ? ", " : "", (int)(3 * j + 2), (int)(3 * j + 3),
		    (int)(3 * j + 4));
	sqlite3_str_appendall(sql, ") AS v WHERE s.id > ?1 AND"
	    " v.column1 = s.profile");
	if ((val = store_import_prepare(s, sql)) == NULL)
		goto out;
	if ((v = calloc(nval, sizeof *v)) == NULL)
		abort();
	for (i = j = 0; i < nadopt; i++) {
		for (k = 0; k < adopt[i].n; k++, j++) {
			v[j].profile = adopt[i].profile;
			v[j].name = adopt[i].names[k];
			v[j].value = adopt[i].values[k];
		}
	}
	qsort(v, nval, sizeof *v, store_import_valcmp);
	sqlite3_bind_int64(val, 1, maxid);
	for (j = 0; j < nval; j++) {
		sqlite3_bind_text(val, (int)(3 * j + 2), v[j].profile, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(val, (int)(3 * j + 3), v[j].name, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(val, (int)(3 * j + 4), v[j].value);
	}
	if (sqlite3_step(val) == SQLITE_DONE)
		rc = 0;
out:
	if (rc != 0)
		store_cause(cause, "cannot add imap4 settings: %s",
		    sqlite3_errmsg(s->db));
	sqlite3_finalize(row);
	sqlite3_finalize(val);
	free(v);
	return (rc);
}

/*
 * One INSERT of rows rows into server (audit 0) or audit (1): a statement
 * costs about as much again as the row it adds (cursors opened and closed,
 * registers freed at its end), 64 rows share one. OR FAIL needs no
 * statement journal: on any failure the whole transaction is rolled back.
 * server: ?6r+1 .. ?6r+6 identity, fqdn, roles, site, profile, born.
 * audit: ?1 at, ?2 user, ?3 action, ?4 outcome, the same for every row;
 * ?3r+5 server, ?3r+6 what, ?3r+7 hash.
 */
static sqlite3_stmt *
store_import_batch(struct store *s, int audit, size_t rows)
{
	sqlite3_str	*sql = sqlite3_str_new(s->db);
	size_t		 r;
	int		 b;

	sqlite3_str_appendall(sql, audit ? "INSERT OR FAIL INTO audit (at,"
	    " user, server, action, what, outcome, hash) VALUES " :
	    "INSERT OR FAIL INTO server (identity, fqdn, roles, site,"
	    " profile, born) VALUES ");
	for (r = 0; r < rows; r++) {
		if (audit) {
			b = 3 * (int)r + 5;
			sqlite3_str_appendf(sql, "%s(?1, ?2, ?%d, ?3, ?%d, ?4,"
			    " ?%d)", r > 0 ? ", " : "", b, b + 1, b + 2);
		} else {
			b = 6 * (int)r + 1;
			sqlite3_str_appendf(sql, "%s(?%d, ?%d, ?%d, ?%d, ?%d,"
			    " ?%d)", r > 0 ? ", " : "", b, b + 1, b + 2, b + 3,
			    b + 4, b + 5);
		}
	}
	return (store_import_prepare(s, sql));
}

/* Insert them all, hash[i] the audit hash of server i. */
static int
store_import_insert(struct store *s, const struct store_server *srv,
    size_t n, const struct store_adopt *adopt, size_t nadopt,
    const char *user, const char *now, char (*hash)[65], char **cause)
{
	struct store_import_text t = { NULL, 0, 0 };
	struct store_server	 row;
	sqlite3_stmt		*stmt[2][2] = { { NULL, NULL }, { NULL, NULL } };
	sqlite3_stmt		*server, *audit;
	const char		*f[6], *prev;
	char			*last = NULL, seq[96];
	size_t			 i, r, rows, at[STORE_IMPORT_BATCH];
	long long		 born, maxid;
	int			 rc = 0, tail, b;

	/* The chain's end is read once; then each row links to the one
	 * before it, in memory. */
	if (store_audit_last(s, &last, cause) != 0)
		return (-1);
	maxid = store_import_maxid(s);
	/* Each row brings its born, numbered from server_seq, which moves on
	 * once at the end: the server_born trigger's two updates a row are
	 * skipped, with the same numbers. */
	if ((born = store_import_born(s)) <= 0) {
		store_cause(cause, "cannot add a server: cannot read the next"
		    " row identity: %s", sqlite3_errmsg(s->db));
		free(last);
		return (-1);
	}
	prev = last;
	f[0] = now;
	f[1] = user;
	f[3] = "new-server";
	f[5] = "saved";
	for (i = 0; i < n && rc == 0; i += rows) {
		/* Full batches, then one statement for the rest. */
		rows = n - i < STORE_IMPORT_BATCH ? n - i : STORE_IMPORT_BATCH;
		tail = rows < STORE_IMPORT_BATCH;
		if (stmt[tail][0] == NULL &&
		    ((stmt[tail][0] = store_import_batch(s, 0, rows)) == NULL ||
		    (stmt[tail][1] = store_import_batch(s, 1, rows)) == NULL)) {
			store_cause(cause, "cannot add the servers: %s",
			    sqlite3_errmsg(s->db));
			rc = -1;
			break;
		}
		server = stmt[tail][0];
		audit = stmt[tail][1];
		if (i == 0 || tail) {	/* a statement's first batch */
			sqlite3_bind_text(audit, 1, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(audit, 2, user, -1, SQLITE_STATIC);
			sqlite3_bind_text(audit, 3, f[3], -1, SQLITE_STATIC);
			sqlite3_bind_text(audit, 4, f[5], -1, SQLITE_STATIC);
		}
		t.len = 0;
		for (r = 0; r < rows; r++) {
			if (store_check_identity(srv[i + r].identity,
			    cause) != 0 || store_check_fqdn(srv[i + r].identity,
			    srv[i + r].fqdn, cause) != 0) {
				rc = -1;
				break;
			}
			row = srv[i + r];
			row.roles = row.roles != NULL ? row.roles : "";
			row.site = row.site != NULL ? row.site : "";
			row.profile = row.profile != NULL ? row.profile : "";
			b = 6 * (int)r + 1;
			sqlite3_bind_text(server, b, row.identity, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(server, b + 1, row.fqdn, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(server, b + 2, row.roles, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(server, b + 3, row.site, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(server, b + 4, row.profile, -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(server, b + 5,
			    born + (long long)(i + r));
			at[r] = store_import_what(&t, &row, adopt, nadopt);
			f[2] = row.identity;
			f[4] = t.buf + at[r];
			if (store_audit_hash(prev, f, hash[i + r],
			    cause) != 0) {
				rc = -1;
				break;
			}
			prev = hash[i + r];
		}
		if (rc != 0)
			break;
		/* The texts stay where they are until the next batch. */
		for (r = 0; r < rows; r++) {
			b = 3 * (int)r + 5;
			sqlite3_bind_text(audit, b, srv[i + r].identity, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(audit, b + 1, t.buf + at[r], -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(audit, b + 2, hash[i + r], 64,
			    SQLITE_STATIC);
		}
		if (sqlite3_step(server) != SQLITE_DONE) {
			if (rows == 1)
				store_cause(cause, "cannot add server %s: %s",
				    srv[i].identity, sqlite3_errmsg(s->db));
			else
				store_cause(cause, "cannot add servers %s to "
				    "%s: %s", srv[i].identity,
				    srv[i + rows - 1].identity,
				    sqlite3_errmsg(s->db));
			rc = -1;
		} else if (sqlite3_step(audit) != SQLITE_DONE) {
			store_cause(cause, "cannot write the audit log: %s",
			    sqlite3_errmsg(s->db));
			rc = -1;
		}
		sqlite3_reset(server);
		sqlite3_reset(audit);
	}
	for (i = 0; i < 4; i++)
		sqlite3_finalize(stmt[i / 2][i % 2]);
	free(t.buf);
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
	/* The new servers are those past the largest id before, under this
	 * write lock. */
	if (rc == 0)
		rc = store_import_imap4(s, maxid, adopt, nadopt, user, now,
		    cause);
	return (rc);
}

/*
 * The transaction: 0 when committed, STORE_CONFLICT for check_only, else
 * -1 with *why set when an insert failed (a server stored already, maybe:
 * the caller looks) or *cause when the transaction could not be had.
 */
static int
store_import_run(struct store *s, const struct store_server *srv, size_t n,
    const struct store_adopt *adopt, size_t nadopt, const char *user,
    const char *now, int check_only, char (*hash)[65], char **why,
    char **cause)
{
	int	rc;

	if (store_begin(s, 1, cause) != 0)
		return (-1);
	/*
	 * Added straight away: a server stored already fails its insert on
	 * the identity index, and only then is every row looked up, so that
	 * all of them are told. An import with none stored reads nothing.
	 */
	rc = check_only ? STORE_CONFLICT : store_import_insert(s, srv, n,
	    adopt, nadopt, user, now, hash, why);
	if (rc == 0)
		return (store_commit(s, cause) != 0 ? -1 : 0);
	store_rollback(s);
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
	struct store_import_saved saved;
	struct store_import_text t = { NULL, 0, 0 };
	struct store_server	 row;
	const char		*f[6];
	char			 now[32], (*hash)[65], *why = NULL;
	size_t			 i, at, nexist;
	int			 rc;

	if (user == NULL)
		user = "";
	if ((hash = calloc(n + 1, sizeof *hash)) == NULL)
		abort();
	/* One time for one transaction: the rows are one change. */
	store_now(now, sizeof now);
	store_import_mode(s, 1, &saved);
	rc = store_import_run(s, srv, n, adopt, nadopt, user, now, check_only,
	    hash, &why, cause);
	store_import_mode(s, 0, &saved);
	if (rc == -1 && why == NULL) {
		free(hash);
		return (-1);		/* cause says why */
	}
	if (rc != 0) {
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
		t.len = 0;
		at = store_import_what(&t, &row, adopt, nadopt);
		f[2] = row.identity;
		f[4] = t.buf + at;
		store_audit_syslog(f, hash[i]);
	}
	free(t.buf);
	free(hash);
	return (0);
}
