/* Windows of the server list: keyset reads of the identity index (never
 * OFFSET, never the whole table), each joined to the state a list shows. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_internal.h"

/* Statements in s->window: one per direction, then the counts. */
#define WINDOW_COUNT_STMT	5
#define WINDOW_COUNT_ALL_STMT	6
#define WINDOW_IDS_STMT		7

/* The filter: a LIKE pattern in ?3 (NULL: none), escaped by '\'. */
#define WINDOW_MATCH							\
	"(?3 IS NULL OR identity LIKE ?3 ESCAPE '\\'"			\
	" OR fqdn LIKE ?3 ESCAPE '\\')"

/*
 * The servers of the window, read from the key on through the identity
 * index, each joined to its imap4 row, its last restart (restart_last,
 * written with each restart's audit row) and one row per value: a server
 * comes as several consecutive rows. No LIMIT (it would count joined rows,
 * not servers): store_window stops stepping once the window is full. The
 * loops' own order is the ORDER BY, so nothing is sorted and a window
 * reads as many rows at 100,000 servers as at 10 (unit test_bounded).
 */
#define WINDOW_SQL(range, dir)						\
	"SELECT s.id, s.identity, s.fqdn, s.roles, s.site, s.profile,"	\
	" i.version, i.changed_by, i.changed_at,"			\
	" r.ok_at, v.name, v.configured, v.running, r.outcome"		\
	" FROM server s LEFT JOIN imap4 i ON i.server_id = s.id"	\
	" LEFT JOIN restart_last r ON r.server = s.identity"		\
	" LEFT JOIN imap4_value v ON v.server_id = s.id"		\
	" WHERE " range " AND " WINDOW_MATCH				\
	" ORDER BY s.identity " dir ", v.name"

static const struct {
	const char	*sql;
	int		 reverse;	/* read backwards: turn it round */
} window_table[] = {
	[STORE_WINDOW_FIRST] = { WINDOW_SQL("?1 IS NULL", "ASC"), 0 },
	[STORE_WINDOW_LAST] = { WINDOW_SQL("?1 IS NULL", "DESC"), 1 },
	[STORE_WINDOW_AFTER] = { WINDOW_SQL("identity > ?1", "ASC"), 0 },
	[STORE_WINDOW_BEFORE] = { WINDOW_SQL("identity < ?1", "DESC"), 1 },
	[STORE_WINDOW_AT] = { WINDOW_SQL("identity >= ?1", "ASC"), 0 }
};

/* ?1 key (NULL: no rank), ?3 the filter, as above: a scan. */
static const char window_count_sql[] =
    "SELECT count(*), coalesce(sum(identity < ?1), 0) FROM server"
    " WHERE " WINDOW_MATCH;
/* Without a filter both come from the identity index alone. */
static const char window_count_all_sql[] =
    "SELECT (SELECT count(*) FROM server),"
    " (SELECT count(*) FROM server WHERE identity < ?1)";

/* Every identity that matches, in list order: marking them all. */
static const char window_ids_sql[] =
    "SELECT identity FROM server WHERE " WINDOW_MATCH " ORDER BY identity";

static sqlite3_stmt *window_stmt(struct store *, int, char **);
static char	*window_pattern(const char *);
static int	 window_bind(struct store *, sqlite3_stmt *, const char *,
		     const char *, char **);
static int	 window_add_value(struct store_window_row *, sqlite3_stmt *);

void
store_window_close(struct store *s)
{
	int	i;

	for (i = 0; i < STORE_WINDOW_STMTS; i++) {
		sqlite3_finalize(s->window[i]);
		s->window[i] = NULL;
	}
}

static sqlite3_stmt *
window_stmt(struct store *s, int i, char **cause)
{
	const char	*sql;

	if (s->window[i] != NULL) {
		sqlite3_reset(s->window[i]);
		sqlite3_clear_bindings(s->window[i]);
		return (s->window[i]);
	}
	if (i == WINDOW_COUNT_STMT)
		sql = window_count_sql;
	else if (i == WINDOW_COUNT_ALL_STMT)
		sql = window_count_all_sql;
	else if (i == WINDOW_IDS_STMT)
		sql = window_ids_sql;
	else
		sql = window_table[i].sql;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->window[i], NULL) != SQLITE_OK) {
		store_cause(cause, "cannot prepare the server list query in "
		    "%s: %s", s->path, sqlite3_errmsg(s->db));
		s->window[i] = NULL;
		return (NULL);
	}
	return (s->window[i]);
}

/* "%text%" with LIKE's own characters escaped; NULL for no filter. */
static char *
window_pattern(const char *filter)
{
	char	*p, *q;

	if (filter == NULL || *filter == '\0')
		return (NULL);
	if ((p = malloc(strlen(filter) * 2 + 3)) == NULL)
		abort();
	q = p;
	*q++ = '%';
	for (; *filter != '\0'; filter++) {
		if (*filter == '%' || *filter == '_' || *filter == '\\')
			*q++ = '\\';
		*q++ = *filter;
	}
	*q++ = '%';
	*q = '\0';
	return (p);
}

static int
window_bind(struct store *s, sqlite3_stmt *stmt, const char *key,
    const char *filter, char **cause)
{
	char	*pattern = window_pattern(filter);
	int	 rc;

	rc = key != NULL ? sqlite3_bind_text(stmt, 1, key, -1,
	    SQLITE_TRANSIENT) : sqlite3_bind_null(stmt, 1);
	if (rc == SQLITE_OK && pattern != NULL)
		rc = sqlite3_bind_text(stmt, 3, pattern, -1, SQLITE_TRANSIENT);
	free(pattern);
	if (rc != SQLITE_OK) {
		store_cause(cause, "cannot list servers: %s",
		    sqlite3_errmsg(s->db));
		return (-1);
	}
	return (0);
}

/* The value on this result row, if the server has one. */
static int
window_add_value(struct store_window_row *r, sqlite3_stmt *stmt)
{
	struct store_value	*v;

	if (sqlite3_column_type(stmt, 10) == SQLITE_NULL)
		return (0);
	v = realloc(r->imap4.values, (r->imap4.n + 1) * sizeof *v);
	if (v == NULL)
		return (-1);
	r->imap4.values = v;
	v += r->imap4.n++;
	v->name = store_column_text(stmt, 10);
	v->configured = (long)sqlite3_column_int64(stmt, 11);
	v->has_running = sqlite3_column_type(stmt, 12) != SQLITE_NULL;
	v->running = v->has_running ? (long)sqlite3_column_int64(stmt, 12) : 0;
	return (0);
}

int
store_window(struct store *s, enum store_window_from from, const char *key,
    const char *filter, size_t limit, struct store_window_row **out,
    size_t *n, char **cause)
{
	struct store_window_row	*rows, *r = NULL, tmp;
	sqlite3_stmt		*stmt;
	sqlite3_int64		 id, last = -1;
	size_t			 m = 0, i;
	int			 rc, ranged;

	*out = NULL;
	*n = 0;
	if (limit == 0)
		return (0);
	ranged = from != STORE_WINDOW_FIRST && from != STORE_WINDOW_LAST;
	if (ranged && key == NULL) {
		store_cause(cause, "cannot list servers: no key to start from");
		return (-1);
	}
	if ((stmt = window_stmt(s, (int)from, cause)) == NULL ||
	    window_bind(s, stmt, ranged ? key : NULL, filter, cause) != 0)
		return (-1);
	if ((rows = calloc(limit, sizeof *rows)) == NULL)
		abort();
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		id = sqlite3_column_int64(stmt, 0);
		if (id != last) {
			if (m == limit)
				break;	/* full: the next server is not read */
			r = &rows[m++];
			last = id;
			r->server.identity = store_column_text(stmt, 1);
			r->server.fqdn = store_column_text(stmt, 2);
			r->server.roles = store_column_text(stmt, 3);
			r->server.site = store_column_text(stmt, 4);
			r->server.profile = store_column_text(stmt, 5);
			r->imap4.version = (long)sqlite3_column_int64(stmt, 6);
			r->imap4.changed_by = store_column_text(stmt, 7);
			r->imap4.changed_at = store_column_text(stmt, 8);
			r->restarted_at = store_column_text(stmt, 9);
			r->last_outcome = store_column_text(stmt, 13);
		}
		if (window_add_value(r, stmt) != 0)
			abort();
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(cause, "cannot list servers: %s",
		    sqlite3_errmsg(s->db));
		sqlite3_reset(stmt);
		store_window_free(rows, m);
		return (-1);
	}
	sqlite3_reset(stmt);
	if (window_table[from].reverse) {
		for (i = 0; i < m / 2; i++) {
			tmp = rows[i];
			rows[i] = rows[m - 1 - i];
			rows[m - 1 - i] = tmp;
		}
	}
	*out = rows;
	*n = m;
	return (0);
}

void
store_window_free(struct store_window_row *rows, size_t n)
{
	size_t	i;

	if (rows == NULL)
		return;
	for (i = 0; i < n; i++)
		store_window_row_free(&rows[i]);
	free(rows);
}

void
store_window_row_free(struct store_window_row *r)
{
	store_server_free(&r->server);
	store_imap4_free(&r->imap4);
	free(r->restarted_at);
	free(r->last_outcome);
	r->restarted_at = NULL;
	r->last_outcome = NULL;
}

int
store_window_count(struct store *s, const char *filter, const char *key,
    size_t *count, size_t *rank, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc, all;

	*count = 0;
	if (rank != NULL)
		*rank = 0;
	all = filter == NULL || *filter == '\0';
	if ((stmt = window_stmt(s, all ? WINDOW_COUNT_ALL_STMT :
	    WINDOW_COUNT_STMT, cause)) == NULL ||
	    window_bind(s, stmt, key, all ? NULL : filter, cause) != 0)
		return (-1);
	if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) {
		store_cause(cause, "cannot count servers: %s",
		    sqlite3_errmsg(s->db));
		sqlite3_reset(stmt);
		return (-1);
	}
	*count = (size_t)sqlite3_column_int64(stmt, 0);
	if (rank != NULL)
		*rank = (size_t)sqlite3_column_int64(stmt, 1);
	sqlite3_reset(stmt);
	return (0);
}

int
store_window_ids(struct store *s, const char *filter, char ***out, size_t *n,
    char **cause)
{
	sqlite3_stmt	*stmt;
	char		**ids = NULL, **grown;
	size_t		 m = 0, cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((stmt = window_stmt(s, WINDOW_IDS_STMT, cause)) == NULL ||
	    window_bind(s, stmt, NULL, filter, cause) != 0)
		return (-1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (m == cap) {
			cap = cap ? cap * 2 : 256;
			if ((grown = reallocarray(ids, cap,
			    sizeof *ids)) == NULL)
				abort();
			ids = grown;
		}
		ids[m++] = store_column_text(stmt, 0);
	}
	if (rc != SQLITE_DONE) {
		store_cause(cause, "cannot list servers: %s",
		    sqlite3_errmsg(s->db));
		sqlite3_reset(stmt);
		while (m > 0)
			free(ids[--m]);
		free(ids);
		return (-1);
	}
	sqlite3_reset(stmt);
	*out = ids;
	*n = m;
	return (0);
}
