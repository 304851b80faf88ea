/* Unit tests of the streamed listings (data/store_stream.c) and the bulk
 * add (data/store_import.c), each on a fresh temporary directory. */

#include <sys/stat.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "data/store_internal.h"
#include "data/store_stream.h"

#define AUTH	"AuthenticatedConnectionTimeout"
#define PREAUTH	"PreAuthenticatedConnectionTimeout"

struct fix {
	char		 dir[64];
	char		 path[128];
	struct store	*s;
};

struct seen {
	size_t	 n;
	char	 first[64], last[64];
	long	 auth[4];	/* configured by row, -1: no row */
	long	 version[4];
	char	 outcome[4][32];
};

static int	 setup(void **);
static int	 teardown(void **);
static int	 rm_entry(const char *, const struct stat *, int,
		     struct FTW *);
static void	 add(struct store *, const char *, const char *);
static int	 on_imap4(void *, const struct store_server *,
		     const struct store_imap4 *);
static int	 on_audit(void *, const struct store_audit *);
static int	 on_progress(void *);
static void	 on_exists(void *, size_t, const char *);
static long	 count(struct store *, const char *);
static void	 expect_normal(struct fix *, const char *);

static int
setup(void **state)
{
	struct fix	*f;
	char		*cause = NULL;

	f = calloc(1, sizeof *f);
	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_store_stream.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/imapadm.db", f->dir);
	if (store_open(f->path, &f->s, &cause) != 0)
		fail_msg("store_open: %s", cause);
	*state = f;
	return (0);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return (remove(path));
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	store_close(f->s);
	nftw(f->dir, rm_entry, 8, FTW_DEPTH|FTW_PHYS);
	free(f);
	return (0);
}

static void
add(struct store *s, const char *identity, const char *roles)
{
	struct store_server	 srv;
	char			 fqdn[128], *cause = NULL;

	snprintf(fqdn, sizeof fqdn, "%s.contoso.test", identity);
	srv.identity = (char *)(uintptr_t)identity;
	srv.fqdn = fqdn;
	srv.roles = (char *)(uintptr_t)roles;
	srv.site = (char *)"S";
	srv.profile = (char *)"";
	if (store_server_add(s, &srv, "admin", &cause) != 0)
		fail_msg("store_server_add %s: %s", identity, cause);
}

static int
on_imap4(void *arg, const struct store_server *srv,
    const struct store_imap4 *im)
{
	struct seen	*w = arg;
	size_t		 i;

	if (w->n == 0)
		snprintf(w->first, sizeof w->first, "%s", srv->identity);
	snprintf(w->last, sizeof w->last, "%s", srv->identity);
	if (w->n < 4) {
		w->auth[w->n] = -1;
		w->version[w->n] = im->version;
		for (i = 0; i < im->n; i++) {
			if (strcmp(im->values[i].name, AUTH) == 0)
				w->auth[w->n] = im->values[i].configured;
		}
	}
	w->n++;
	return (0);
}

static int
on_audit(void *arg, const struct store_audit *a)
{
	struct seen	*w = arg;

	if (w->n < 4)
		snprintf(w->outcome[w->n], sizeof w->outcome[w->n], "%s",
		    a->outcome);
	w->n++;
	return (0);
}

static int
on_progress(void *arg)
{
	(*(long *)arg)++;
	return (0);
}

static void
on_exists(void *arg, size_t i, const char *stored)
{
	(void)stored;
	(*(size_t *)arg) += i + 1;
}

static long
count(struct store *s, const char *sql)
{
	sqlite3_stmt	*stmt;
	long		 n;

	assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return (n);
}

/* One row per server in identity order, with its own values, whatever
 * other servers hold; a mailbox server is left out by the role filter. */
static void
test_imap4_each(void **state)
{
	struct fix		*f = *state;
	const char		*names[] = { AUTH, PREAUTH };
	const char		*one[] = { AUTH };
	long			 v[] = { 900 };
	struct seen		 w;
	char			*cause = NULL;
	size_t			 width;

	add(f->s, "CAS02", "ClientAccess");
	add(f->s, "CAS01", "ClientAccess");
	add(f->s, "MBX01LONGERNAME", "Mailbox");
	add(f->s, "cas03", "Mailbox,ClientAccess");
	assert_int_equal(store_imap4_save(f->s, "CAS02", 0, 1, one, v,
	    "admin", "test", NULL, &cause), 0);

	memset(&w, 0, sizeof w);
	assert_int_equal(store_imap4_each(f->s, "ClientAccess", 2, names,
	    on_imap4, &w, &cause), 0);
	assert_int_equal(w.n, 3);
	assert_string_equal(w.first, "CAS01");
	assert_string_equal(w.last, "cas03");	/* NOCASE order */
	assert_int_equal(w.auth[0], -1);	/* no row: the caller's default */
	assert_int_equal(w.auth[1], 900);
	assert_int_equal(w.version[1], 1);	/* saved once */
	assert_int_equal(w.auth[2], -1);

	assert_int_equal(store_imap4_width(f->s, "ClientAccess", &width,
	    &cause), 0);
	assert_int_equal(width, 5);		/* not MBX01LONGERNAME */
	memset(&w, 0, sizeof w);
	assert_int_equal(store_imap4_each(f->s, NULL, 2, names, on_imap4, &w,
	    &cause), 0);
	assert_int_equal(w.n, 4);
}

/*
 * get-auditlog -Identity and the console's Audit section: a server's few
 * rows among 200,000 of other servers are read through the server index,
 * not by walking the log (the query once said "?1 IS NULL OR server = ?1",
 * which no index serves). Counted in SQLite VM steps, not in time.
 */
static void
test_audit_index(void **state)
{
	struct fix		*f = *state;
	struct store_audit	*list;
	struct seen		 w;
	char			*cause = NULL;
	size_t			 n;
	long			 ticks = 0;

	add(f->s, "CAS01", "ClientAccess");
	assert_int_equal(sqlite3_exec(f->s->db, "WITH RECURSIVE k(i) AS"
	    " (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 200000)"
	    " INSERT INTO audit (at, user, server, action, what, outcome)"
	    " SELECT '2026-01-01T00:00:00Z', 'u', 'OTHER' || (i % 50), 'x',"
	    " '', 'ok' FROM k", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_audit_add(f->s, "admin", "CAS01", "restart",
	    "", "newest", &cause), 0);

	sqlite3_progress_handler(f->s->db, 1000, on_progress, &ticks);
	memset(&w, 0, sizeof w);
	assert_int_equal(store_audit_each(f->s, "cas01", 0, on_audit, &w,
	    &cause), 0);
	assert_int_equal(w.n, 2);		/* new-server, restart */
	assert_string_equal(w.outcome[0], "newest");
	assert_int_equal(store_audit_list(f->s, "CAS01", 1, &list, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].outcome, "newest");
	store_audit_list_free(list, n);
	/* A walk of the log would be millions of steps: thousands of ticks. */
	if (ticks > 20)
		fail_msg("reading 2 rows of a 200,000-row audit log took %ld000 "
		    "SQLite steps: the server index is not used", ticks);
	sqlite3_progress_handler(f->s->db, 0, NULL, NULL);

	memset(&w, 0, sizeof w);
	assert_int_equal(store_audit_each(f->s, NULL, 3, on_audit, &w,
	    &cause), 0);
	assert_int_equal(w.n, 3);
	assert_string_equal(w.outcome[0], "newest");
}

/* All or nothing: a server stored already is told by its index, and
 * nothing of the others is added; else each is added and audited. */
static void
test_add_many(void **state)
{
	struct fix		*f = *state;
	struct store_server	 srv[3];
	char			*cause = NULL, fqdn[3][32];
	const char		*ids[] = { "NEW1", "CAS01", "NEW2" };
	size_t			 i, told = 0, verified, older;
	long			 bad;
	struct seen		 w;

	add(f->s, "CAS01", "ClientAccess");
	for (i = 0; i < 3; i++) {
		snprintf(fqdn[i], sizeof fqdn[i], "%s.test", ids[i]);
		srv[i].identity = (char *)(uintptr_t)ids[i];
		srv[i].fqdn = fqdn[i];
		srv[i].roles = (char *)"ClientAccess";
		srv[i].site = (char *)"S";
		srv[i].profile = NULL;
	}
	assert_int_equal(store_server_add_many(f->s, srv, 3, "admin", 0,
	    on_exists, &told, &cause), STORE_CONFLICT);
	assert_int_equal(told, 2);		/* index 1, only */
	memset(&w, 0, sizeof w);
	assert_int_equal(store_audit_each(f->s, NULL, 0, on_audit, &w,
	    &cause), 0);
	assert_int_equal(w.n, 1);		/* CAS01's new-server only */
	assert_int_equal(count(f->s, "SELECT count(*) FROM server"), 1);

	srv[1].identity = (char *)"NEW3";
	assert_int_equal(store_server_add_many(f->s, srv, 3, "admin", 0,
	    on_exists, &told, &cause), 0);
	memset(&w, 0, sizeof w);
	assert_int_equal(store_audit_each(f->s, NULL, 0, on_audit, &w,
	    &cause), 0);
	assert_int_equal(w.n, 4);
	/* Each has its imap4 row, and the chain holds across the batch. */
	assert_int_equal(store_audit_verify(f->s, &bad, &verified, &older,
	    &cause), 0);
	assert_int_equal(verified, 4);
	assert_int_equal(count(f->s, "SELECT count(*) FROM imap4"), 4);
	assert_int_equal(count(f->s, "SELECT count(*) FROM server"), 4);
}

/* The connection is itself again after an import, committed or not:
 * foreign keys (a removed server takes its rows), triggers (an audit row
 * cannot be changed; a server added without a born gets one). */
static void
expect_normal(struct fix *f, const char *gone)
{
	char	*cause = NULL, sql[128];
	long	 next;

	assert_int_equal(count(f->s, "PRAGMA foreign_keys"), 1);
	assert_int_not_equal(sqlite3_exec(f->s->db, "UPDATE audit SET what ="
	    " 'changed'", NULL, NULL, NULL), SQLITE_OK);
	next = count(f->s, "SELECT next FROM server_seq");
	assert_int_equal(sqlite3_exec(f->s->db, "INSERT INTO server (identity,"
	    " fqdn, roles, site) VALUES ('RAW', 'raw.test', 'Mailbox', 'S')",
	    NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "SELECT born = %ld FROM server WHERE identity"
	    " = 'RAW'", next);
	assert_int_equal(count(f->s, sql), 1);
	if (store_server_remove(f->s, "RAW", "admin", &cause) != 0)
		fail_msg("remove RAW: %s", cause);
	if (gone == NULL)
		return;
	if (store_server_remove(f->s, gone, "admin", &cause) != 0)
		fail_msg("remove %s: %s", gone, cause);
	assert_int_equal(count(f->s, "SELECT count(*) FROM imap4 WHERE"
	    " server_id NOT IN (SELECT id FROM server)"), 0);
	assert_int_equal(count(f->s, "SELECT count(*) FROM imap4_value WHERE"
	    " server_id NOT IN (SELECT id FROM server)"), 0);
}

/*
 * 200 rows: three statements of 64 and one of 8. A server stored already
 * in the third is told (only it), nothing is added; without it all are,
 * each with its born, imap4 row, adopted values and a chained audit row.
 */
static void
test_add_many_batches(void **state)
{
	struct fix		*f = *state;
	struct store_server	 srv[200];
	const char		*names[] = { PREAUTH, AUTH };
	const long		 values[] = { 45, 900 };
	struct store_adopt	 a = { "p1", 2, names, values, "adopted" };
	char			*cause = NULL, id[200][16], fqdn[200][32];
	size_t			 i, told = 0, verified, older;
	long			 bad;

	/* The import runs without triggers (store_import_mode): these are
	 * the ones it knows it may skip. A new one must be looked at there. */
	assert_int_equal(count(f->s, "SELECT group_concat(name, ',') ="
	    " 'audit_no_delete,audit_no_update,server_born' FROM (SELECT name"
	    " FROM sqlite_schema WHERE type = 'trigger' ORDER BY name)"), 1);
	add(f->s, "CAS0150", "ClientAccess");
	for (i = 0; i < 200; i++) {
		snprintf(id[i], sizeof id[i], "%s%04zu", i == 150 ? "cas" :
		    "NEW", i);
		snprintf(fqdn[i], sizeof fqdn[i], "%s.test", id[i]);
		srv[i].identity = id[i];
		srv[i].fqdn = fqdn[i];
		srv[i].roles = (char *)"ClientAccess";
		srv[i].site = (char *)"S";
		srv[i].profile = (char *)(i % 2 ? "p1" : "");
	}
	assert_int_equal(store_server_add_many_adopt(f->s, srv, 200, &a, 1,
	    "admin", 0, on_exists, &told, &cause), STORE_CONFLICT);
	assert_int_equal(told, 151);		/* index 150, only */
	assert_int_equal(count(f->s, "SELECT count(*) FROM server"), 1);
	assert_int_equal(count(f->s, "SELECT count(*) FROM audit"), 1);
	expect_normal(f, NULL);

	memcpy(id[150], "NEW", 3);
	assert_int_equal(store_server_add_many_adopt(f->s, srv, 200, &a, 1,
	    "admin", 0, on_exists, &told, &cause), 0);
	assert_int_equal(count(f->s, "SELECT count(*) FROM server"), 201);
	assert_int_equal(count(f->s, "SELECT count(DISTINCT born) FROM"
	    " server"), 201);
	assert_int_equal(count(f->s, "SELECT count(*) FROM imap4"), 201);
	/* The adopting half: version 1 and both values, in index order. */
	assert_int_equal(count(f->s, "SELECT count(*) FROM imap4 i JOIN server"
	    " s ON s.id = i.server_id WHERE s.profile = 'p1' AND i.version = 1"
	    " AND i.changed_by = 'admin'"), 100);
	assert_int_equal(count(f->s, "SELECT count(*) FROM imap4 WHERE"
	    " version = 0 AND changed_by IS NULL"), 101);
	assert_int_equal(count(f->s, "SELECT count(*) FROM imap4_value v JOIN"
	    " server s ON s.id = v.server_id WHERE s.profile = 'p1' AND"
	    " ((v.name = '" AUTH "' AND v.configured = 900) OR (v.name = '"
	    PREAUTH "' AND v.configured = 45))"), 200);
	assert_int_equal(count(f->s, "SELECT count(*) FROM imap4_value"), 200);
	assert_int_equal(count(f->s, "SELECT count(*) FROM audit WHERE"
	    " server = 'NEW0199' AND what = 'fqdn NEW0199.test, roles"
	    " ClientAccess, site S, profile p1; adopted'"), 1);
	assert_int_equal(count(f->s, "SELECT count(*) FROM audit WHERE"
	    " server = 'NEW0198' AND what = 'fqdn NEW0198.test, roles"
	    " ClientAccess, site S, profile (none)'"), 1);
	assert_int_equal(store_audit_verify(f->s, &bad, &verified, &older,
	    &cause), 0);
	assert_int_equal(verified, 202);	/* and RAW's remove-server */
	expect_normal(f, "NEW0199");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_imap4_each, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_audit_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_add_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_many_batches, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
