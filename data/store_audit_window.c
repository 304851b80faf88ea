/* Windows of the audit log, newest first, for the console's virtual list:
 * keyset reads on the row id (one server's rows through the audit_server
 * index), so the size of the log costs nothing per screen. */

#include <stdlib.h>
#include <string.h>

#include "data/store_internal.h"

#define AW_COLS	"SELECT id, at, user, server, action, what, outcome FROM audit"
#define AW_ONE	" WHERE server = ?1 COLLATE NOCASE"
#define AW_ALL	" WHERE ?1 IS NULL"

/* [all?][from]: FIRST newest, LAST oldest, AFTER older than key, BEFORE
 * newer than key, AT key or the first older. */
static const char *const aw_sql[2][5] = {
	{
		AW_COLS AW_ONE " ORDER BY id DESC LIMIT ?3",
		AW_COLS AW_ONE " ORDER BY id ASC LIMIT ?3",
		AW_COLS AW_ONE " AND id < ?2 ORDER BY id DESC LIMIT ?3",
		AW_COLS AW_ONE " AND id > ?2 ORDER BY id ASC LIMIT ?3",
		AW_COLS AW_ONE " AND id <= ?2 ORDER BY id DESC LIMIT ?3"
	}, {
		AW_COLS AW_ALL " ORDER BY id DESC LIMIT ?3",
		AW_COLS AW_ALL " ORDER BY id ASC LIMIT ?3",
		AW_COLS AW_ALL " AND id < ?2 ORDER BY id DESC LIMIT ?3",
		AW_COLS AW_ALL " AND id > ?2 ORDER BY id ASC LIMIT ?3",
		AW_COLS AW_ALL " AND id <= ?2 ORDER BY id DESC LIMIT ?3"
	}
};
static const int aw_reversed[5] = { 0, 1, 0, 1, 0 };

static int
aw_prepare(struct store *s, const char *sql, const char *server,
    sqlite3_stmt **stmt, char **cause)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL) != SQLITE_OK) {
		store_cause(cause, "cannot read the audit log of %s: %s",
		    s->path, sqlite3_errmsg(s->db));
		return (-1);
	}
	if (server != NULL)
		sqlite3_bind_text(*stmt, 1, server, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(*stmt, 1);
	return (0);
}

int
store_audit_window(struct store *s, const char *server,
    enum store_window_from from, long key, size_t limit,
    struct store_audit **out, size_t *n, char **cause)
{
	sqlite3_stmt		*stmt;
	struct store_audit	*v, tmp;
	size_t			 i;
	int			 rc;

	*out = NULL;
	*n = 0;
	if (aw_prepare(s, aw_sql[server == NULL][from], server, &stmt,
	    cause) != 0)
		return (-1);
	sqlite3_bind_int64(stmt, 2, key);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)limit);
	if ((v = calloc(limit > 0 ? limit : 1, sizeof *v)) == NULL)
		abort();
	while (*n < limit && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		store_audit_row(stmt, &v[(*n)++]);
	if (*n < limit && rc != SQLITE_DONE) {
		store_cause(cause, "cannot read the audit log of %s: %s",
		    s->path, sqlite3_errmsg(s->db));
		sqlite3_finalize(stmt);
		store_audit_list_free(v, *n);
		*n = 0;
		return (-1);
	}
	sqlite3_finalize(stmt);
	/* Read oldest first for LAST and BEFORE: the list wants newest. */
	for (i = 0; aw_reversed[from] && i < *n / 2; i++) {
		tmp = v[i];
		v[i] = v[*n - 1 - i];
		v[*n - 1 - i] = tmp;
	}
	*out = v;
	return (0);
}

int
store_audit_window_count(struct store *s, const char *server, long key,
    size_t *count, size_t *rank, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (aw_prepare(s, server != NULL ?
	    "SELECT count(*), count(CASE WHEN id > ?2 THEN 1 END) FROM audit"
	    AW_ONE :
	    "SELECT count(*), count(CASE WHEN id > ?2 THEN 1 END) FROM audit"
	    AW_ALL, server, &stmt, cause) != 0)
		return (-1);
	sqlite3_bind_int64(stmt, 2, key);
	if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) {
		store_cause(cause, "cannot count the audit log of %s: %s",
		    s->path, sqlite3_errmsg(s->db));
		sqlite3_finalize(stmt);
		return (-1);
	}
	*count = (size_t)sqlite3_column_int64(stmt, 0);
	if (rank != NULL)
		*rank = (size_t)sqlite3_column_int64(stmt, 1);
	sqlite3_finalize(stmt);
	return (0);
}
