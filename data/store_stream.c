/* Listings as one query each, streamed to a callback; the widths of their
 * columns from one aggregate query. The statements are prepared for each
 * walk: once per listing costs nothing beside its rows. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_internal.h"
#include "data/store_stream.h"

/* Up to this many setting names in one store_imap4_each. */
#define STORE_STREAM_NAMES	16

/* ?1 the server or NULL, ?2 the limit (-1: none). */
static const char store_stream_audit_all[] =
    "SELECT id, at, user, server, action, what, outcome FROM audit"
    " ORDER BY id DESC LIMIT ?2";
/* The audit_server index, walked backwards: no sort, no scan. */
static const char store_stream_audit_one[] =
    "SELECT id, at, user, server, action, what, outcome FROM audit"
    " WHERE server = ?1 COLLATE NOCASE ORDER BY id DESC LIMIT ?2";

static int	 store_stream_prepare(struct store *, const char *,
		     const char *, sqlite3_stmt **, char **);
static int	 store_stream_done(struct store *, sqlite3_stmt *, int,
		     const char *, char **);
static char	*store_stream_text(sqlite3_stmt *, int);
static long	 store_stream_limit(size_t);

static int
store_stream_prepare(struct store *s, const char *sql, const char *what,
    sqlite3_stmt **stmt, char **cause)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL) != SQLITE_OK) {
		store_cause(cause, "cannot %s: %s", what,
		    sqlite3_errmsg(s->db));
		sqlite3_finalize(*stmt);
		*stmt = NULL;
		return (-1);
	}
	return (0);
}

/* End a walk: rc is the last sqlite3_step's (or fn's stop value). */
static int
store_stream_done(struct store *s, sqlite3_stmt *stmt, int rc,
    const char *what, char **cause)
{
	int	 ret;

	if (rc == SQLITE_DONE)
		ret = 0;
	else if (rc == SQLITE_ROW)	/* fn stopped it: not an error */
		ret = 0;
	else {
		store_cause(cause, "cannot %s: %s", what,
		    sqlite3_errmsg(s->db));
		ret = -1;
	}
	sqlite3_finalize(stmt);
	return (ret);
}

/* Borrowed until the next step: the store structs' members are not const
 * because their owning forms free them. */
static char *
store_stream_text(sqlite3_stmt *stmt, int col)
{
	return ((char *)(uintptr_t)sqlite3_column_text(stmt, col));
}

static long
store_stream_limit(size_t limit)
{
	return (limit == 0 || limit > LONG_MAX ? -1 : (long)limit);
}

int
store_read_begin(struct store *s, char **cause)
{
	return (store_begin(s, 0, cause));
}

void
store_read_end(struct store *s)
{
	store_rollback(s);	/* nothing was written: the same as COMMIT */
}

int
store_imap4_each(struct store *s, const char *role, size_t n,
    const char *const names[], store_imap4_fn fn, void *arg, char **cause)
{
	static const char	 what[] = "list imap4 settings";
	struct store_value	 values[STORE_STREAM_NAMES];
	struct store_server	 srv;
	struct store_imap4	 im;
	sqlite3_stmt		*stmt = NULL;
	char			 sql[4096];
	size_t			 i, len;
	int			 rc, col, stop = 0;

	if (n > STORE_STREAM_NAMES) {
		store_cause(cause, "cannot %s: more than %d settings", what,
		    STORE_STREAM_NAMES);
		return (-1);
	}
	/* The SQL holds no value: names and role are bound. */
	len = (size_t)snprintf(sql, sizeof sql, "SELECT s.identity, s.fqdn,"
	    " s.roles, s.site, s.profile, coalesce(i.version, 0),"
	    " i.changed_by, i.changed_at, s.id");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(sql + len, sizeof sql - len,
		    ", v%zu.configured, v%zu.running", i, i);
	len += (size_t)snprintf(sql + len, sizeof sql - len, " FROM server s"
	    " LEFT JOIN imap4 i ON i.server_id = s.id");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(sql + len, sizeof sql - len,
		    " LEFT JOIN imap4_value v%zu ON v%zu.server_id = s.id"
		    " AND v%zu.name = ?%zu", i, i, i, i + 2);
	snprintf(sql + len, sizeof sql - len, "%s ORDER BY s.identity",
	    role != NULL ? " WHERE s.roles LIKE '%' || ?1 || '%'" : "");

	if (store_stream_prepare(s, sql, what, &stmt, cause) != 0)
		return (-1);
	rc = role != NULL ? sqlite3_bind_text(stmt, 1, role, -1,
	    SQLITE_STATIC) : SQLITE_OK;
	for (i = 0; i < n && rc == SQLITE_OK; i++)
		rc = sqlite3_bind_text(stmt, (int)i + 2, names[i], -1,
		    SQLITE_STATIC);
	if (rc != SQLITE_OK)
		return (store_stream_done(s, stmt, rc, what, cause));

	memset(&im, 0, sizeof im);
	im.values = values;
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		srv.identity = store_stream_text(stmt, 0);
		srv.fqdn = store_stream_text(stmt, 1);
		srv.roles = store_stream_text(stmt, 2);
		srv.site = store_stream_text(stmt, 3);
		srv.profile = store_stream_text(stmt, 4);
		im.version = sqlite3_column_int64(stmt, 5);
		im.changed_by = store_stream_text(stmt, 6);
		im.changed_at = store_stream_text(stmt, 7);
		im.server_id = sqlite3_column_int64(stmt, 8);
		im.n = 0;
		for (i = 0, col = 9; i < n; i++, col += 2) {
			if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
				continue;
			values[im.n].name = (char *)(uintptr_t)names[i];
			values[im.n].configured = sqlite3_column_int64(stmt,
			    col);
			values[im.n].has_running = sqlite3_column_type(stmt,
			    col + 1) != SQLITE_NULL;
			values[im.n].running = sqlite3_column_int64(stmt,
			    col + 1);
			im.n++;
		}
		stop = fn(arg, &srv, &im);
	}
	if (stop) {
		sqlite3_finalize(stmt);
		return (stop);
	}
	return (store_stream_done(s, stmt, rc, what, cause));
}

int
store_imap4_width(struct store *s, const char *role, size_t *width,
    char **cause)
{
	static const char	 what[] = "measure the server names";
	sqlite3_stmt		*stmt;
	int			 rc;

	*width = 0;
	if (store_stream_prepare(s, role != NULL ?
	    "SELECT coalesce(max(length(identity)), 0) FROM server"
	    " WHERE roles LIKE '%' || ?1 || '%'" :
	    "SELECT coalesce(max(length(identity)), 0) FROM server", what,
	    &stmt, cause) != 0)
		return (-1);
	if ((rc = role != NULL ? sqlite3_bind_text(stmt, 1, role, -1,
	    SQLITE_STATIC) : SQLITE_OK) == SQLITE_OK &&
	    (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*width = (size_t)sqlite3_column_int64(stmt, 0);
	return (store_stream_done(s, stmt, rc, what, cause));
}

int
store_server_widths(struct store *s, size_t width[5], char **cause)
{
	static const char	 what[] = "measure the server list";
	sqlite3_stmt		*stmt;
	int			 rc, i;

	memset(width, 0, 5 * sizeof *width);
	if (store_stream_prepare(s, "SELECT"
	    " coalesce(max(length(identity)), 0),"
	    " coalesce(max(length(fqdn)), 0),"
	    " coalesce(max(length(roles)), 0),"
	    " coalesce(max(length(site)), 0),"
	    " coalesce(max(length(profile)), 0) FROM server", what, &stmt,
	    cause) != 0)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (i = 0; i < 5; i++)
			width[i] = (size_t)sqlite3_column_int64(stmt, i);
	}
	return (store_stream_done(s, stmt, rc, what, cause));
}

int
store_audit_each(struct store *s, const char *identity, size_t limit,
    store_audit_fn fn, void *arg, char **cause)
{
	static const char	 what[] = "read the audit log";
	struct store_audit	 a;
	sqlite3_stmt		*stmt;
	int			 rc, stop = 0;

	if (store_stream_prepare(s, identity != NULL ?
	    store_stream_audit_one : store_stream_audit_all, what, &stmt,
	    cause) != 0)
		return (-1);
	rc = identity != NULL ? sqlite3_bind_text(stmt, 1, identity, -1,
	    SQLITE_STATIC) : SQLITE_OK;
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 2, store_stream_limit(limit));
	if (rc != SQLITE_OK)
		return (store_stream_done(s, stmt, rc, what, cause));
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		a.id = sqlite3_column_int64(stmt, 0);
		a.at = store_stream_text(stmt, 1);
		a.user = store_stream_text(stmt, 2);
		a.server = store_stream_text(stmt, 3);
		a.action = store_stream_text(stmt, 4);
		a.what = store_stream_text(stmt, 5);
		a.outcome = store_stream_text(stmt, 6);
		stop = fn(arg, &a);
	}
	if (stop) {
		sqlite3_finalize(stmt);
		return (stop);
	}
	return (store_stream_done(s, stmt, rc, what, cause));
}

int
store_audit_widths(struct store *s, const char *identity, size_t limit,
    size_t width[6], char **cause)
{
	static const char	 what[] = "measure the audit log";
	sqlite3_stmt		*stmt;
	char			 sql[512];
	int			 rc, i;

	memset(width, 0, 6 * sizeof *width);
	/* The same rows as store_audit_each: its query, aggregated. */
	snprintf(sql, sizeof sql, "SELECT coalesce(max(length(at)), 0),"
	    " coalesce(max(length(user)), 0), coalesce(max(length(server)), 0),"
	    " coalesce(max(length(action)), 0), coalesce(max(length(what)), 0),"
	    " coalesce(max(length(outcome)), 0) FROM (%s)", identity != NULL ?
	    store_stream_audit_one : store_stream_audit_all);
	if (store_stream_prepare(s, sql, what, &stmt, cause) != 0)
		return (-1);
	rc = identity != NULL ? sqlite3_bind_text(stmt, 1, identity, -1,
	    SQLITE_STATIC) : SQLITE_OK;
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 2, store_stream_limit(limit));
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (i = 0; i < 6; i++)
			width[i] = (size_t)sqlite3_column_int64(stmt, i);
	}
	return (store_stream_done(s, stmt, rc, what, cause));
}
