/* The restart lock and crash record: one apply row per server while a
 * restart runs, each change to it committed before the step it announces. */

#include <stdlib.h>
#include <string.h>

#include "data/store_internal.h"

static void	 store_apply_row(sqlite3_stmt *, struct store_apply *);
static int	 store_apply_changed(struct store *, const char *, char **);

static void
store_apply_row(sqlite3_stmt *stmt, struct store_apply *a)
{
	const void	*blob;

	memset(a, 0, sizeof *a);
	a->server_id = sqlite3_column_int64(stmt, 0);
	a->server = store_column_text(stmt, 1);
	a->profile = store_column_text(stmt, 2);
	a->version = sqlite3_column_int64(stmt, 3);
	a->pushed = store_column_text(stmt, 4);
	a->mode = store_column_text(stmt, 5);
	a->step = store_column_text(stmt, 6);
	a->file = store_column_text(stmt, 7);
	a->had_prev = sqlite3_column_int(stmt, 8) != 0;
	if ((blob = sqlite3_column_blob(stmt, 9)) != NULL) {
		a->prevlen = sqlite3_column_bytes(stmt, 9);
		if ((a->prev = malloc(a->prevlen + 1)) == NULL)
			abort();
		memcpy(a->prev, blob, a->prevlen);
		a->prev[a->prevlen] = '\0';
	}
	a->prev_mtime = sqlite3_column_int64(stmt, 10);
	a->pid = sqlite3_column_int64(stmt, 11);
	a->pid_start = sqlite3_column_int64(stmt, 12);
	a->user = store_column_text(stmt, 13);
	a->started_at = store_column_text(stmt, 14);
}

void
store_apply_free(struct store_apply *a)
{
	if (a == NULL)
		return;
	free(a->server);
	free(a->profile);
	free(a->pushed);
	free(a->mode);
	free(a->step);
	free(a->file);
	free(a->prev);
	free(a->user);
	free(a->started_at);
	memset(a, 0, sizeof *a);
}

void
store_apply_list_free(struct store_apply *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_apply_free(&a[i]);
	free(a);
}

/* An UPDATE or DELETE that matched no row: the lock is someone else's. */
static int
store_apply_changed(struct store *s, const char *server, char **cause)
{
	if (sqlite3_changes(s->db) > 0)
		return (0);
	store_cause(cause, "the restart lock of %s is no longer held by this "
	    "imapadm (taken over as stale?)", server);
	return (STORE_CONFLICT);
}

int
store_apply_begin(struct store *s, struct store_apply *rec,
    struct store_apply *holder, char **cause)
{
	struct store_server	 srv;
	char			 now[32];
	long			 id;
	int			 rc;

	if (holder != NULL)
		memset(holder, 0, sizeof *holder);
	if (store_begin(s, 1, cause) != 0)
		return (-1);
	if ((rc = store_server_find(s, rec->server, &id, &srv, cause)) != 0) {
		store_rollback(s);
		return (rc);
	}
	if (store_query(s, STMT_APPLY_GET, cause, "l", id) == NULL ||
	    (rc = store_step(s, STMT_APPLY_GET, cause)) == -1)
		goto fail;
	if (rc == 1) {
		if (holder != NULL)
			store_apply_row(s->stmt[STMT_APPLY_GET], holder);
		store_reset(s, STMT_APPLY_GET);
		store_rollback(s);
		store_cause(cause, "a restart of %s is running", srv.identity);
		store_server_free(&srv);
		return (STORE_BUSY);
	}
	store_now(now, sizeof now);
	free(rec->started_at);
	rec->started_at = store_strdup(now);
	free(rec->server);
	rec->server = srv.identity;
	srv.identity = NULL;
	rec->server_id = id;
	if (store_exec(s, STMT_APPLY_INSERT, cause, "lsslsssllss", id,
	    rec->server, rec->profile != NULL ? rec->profile : "",
	    rec->version, rec->pushed != NULL ? rec->pushed : "",
	    rec->mode != NULL ? rec->mode : "restart", rec->file, rec->pid,
	    (long)rec->pid_start, rec->user != NULL ? rec->user : "",
	    rec->started_at) != 0)
		goto fail;
	store_server_free(&srv);
	free(rec->step);
	rec->step = store_strdup("locked");
	return (store_commit(s, cause));

fail:
	store_rollback(s);
	store_server_free(&srv);
	return (-1);
}

int
store_apply_prev(struct store *s, const struct store_apply *rec, char **cause)
{
	int	rc;

	if (store_begin(s, 1, cause) != 0)
		return (-1);
	if (store_exec(s, STMT_APPLY_PREV, cause, "llibl", rec->server_id,
	    rec->pid, rec->had_prev, rec->had_prev ? (rec->prev != NULL ?
	    rec->prev : "") : NULL, rec->prevlen, (long)rec->prev_mtime) != 0) {
		store_rollback(s);
		return (-1);
	}
	if ((rc = store_apply_changed(s, rec->server, cause)) != 0) {
		store_rollback(s);
		return (rc);
	}
	return (store_commit(s, cause));
}

int
store_apply_step(struct store *s, const struct store_apply *rec,
    const char *step, const struct store_audit_entry *audit, char **cause)
{
	int	rc;

	if (store_begin(s, 1, cause) != 0)
		return (-1);
	if (store_exec(s, STMT_APPLY_STEP, cause, "lls", rec->server_id,
	    rec->pid, step) != 0)
		goto fail;
	if ((rc = store_apply_changed(s, rec->server, cause)) != 0) {
		store_rollback(s);
		return (rc);
	}
	if (store_audit_entry_insert(s, rec->server, audit, cause) != 0)
		goto fail;
	return (store_commit(s, cause));

fail:
	store_rollback(s);
	return (-1);
}

int
store_apply_end(struct store *s, const struct store_apply *rec, size_t n,
    const char *const names[], const long values[],
    const struct store_audit_entry *audit, char **cause)
{
	size_t	i;
	int	rc;

	if (store_begin(s, 1, cause) != 0)
		return (-1);
	if (store_exec(s, STMT_APPLY_DELETE, cause, "ll", rec->server_id,
	    rec->pid) != 0)
		goto fail;
	if ((rc = store_apply_changed(s, rec->server, cause)) != 0) {
		store_rollback(s);
		return (rc);
	}
	/* A server never saved gets its rows (what was pushed is what is
	 * configured); a server removed since gets none. */
	for (i = 0; i < n; i++) {
		if (store_exec(s, STMT_VALUE_PUSHED, cause, "lsl",
		    rec->server_id, names[i], values[i]) != 0)
			goto fail;
	}
	if (store_audit_entry_insert(s, rec->server, audit, cause) != 0)
		goto fail;
	return (store_commit(s, cause));

fail:
	store_rollback(s);
	return (-1);
}

int
store_apply_take(struct store *s, struct store_apply *stale, long pid,
    long long start, char **cause)
{
	int	rc;

	if (store_begin(s, 1, cause) != 0)
		return (-1);
	if (store_exec(s, STMT_APPLY_TAKE, cause, "lllll", stale->server_id,
	    stale->pid, pid, (long)start, (long)stale->pid_start) != 0) {
		store_rollback(s);
		return (-1);
	}
	if ((rc = store_apply_changed(s, stale->server, cause)) != 0) {
		store_rollback(s);
		return (rc);
	}
	if ((rc = store_commit(s, cause)) == 0) {
		stale->pid = pid;
		stale->pid_start = start;
	}
	return (rc);
}

int
store_apply_list(struct store *s, struct store_apply **out, size_t *n,
    char **cause)
{
	struct store_apply	*list = NULL, *nl;
	size_t			 size = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if (store_query(s, STMT_APPLY_LIST, cause, "") == NULL)
		return (-1);
	while ((rc = store_step(s, STMT_APPLY_LIST, cause)) == 1) {
		if (*n == size) {
			size = size == 0 ? 4 : size * 2;
			if ((nl = reallocarray(list, size, sizeof *list)) ==
			    NULL)
				abort();
			list = nl;
		}
		store_apply_row(s->stmt[STMT_APPLY_LIST], &list[(*n)++]);
	}
	if (rc == -1) {
		store_apply_list_free(list, *n);
		*n = 0;
		return (-1);
	}
	*out = list;
	return (0);
}
