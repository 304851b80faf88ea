/* Unit tests of the SQLite store, each on a fresh temporary directory;
 * a second raw SQLite connection checks what is really in the file. */

#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <regex.h>
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

#include "data/store.h"

#define AUTH	"AuthenticatedConnectionTimeout"
#define PREAUTH	"PreAuthenticatedConnectionTimeout"

struct fix {
	char	 dir[64];
	char	 path[128];
};

static int	 setup(void **);
static int	 teardown(void **);
static int	 rm_entry(const char *, const struct stat *, int,
		     struct FTW *);
static struct store *open_ok(const char *);
static long	 raw_int(const char *, const char *);
static int	 raw_exec(const char *, const char *, char **);
static void	 add_server(struct store *, const char *, const char *);
static size_t	 count_action(struct store *, const char *, const char *);
static const struct store_value *find_value(const struct store_imap4 *,
		     const char *);

static int
setup(void **state)
{
	struct fix	*f;

	f = calloc(1, sizeof *f);
	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/imapadm.db", f->dir);
	*state = f;
	return (0);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return (remove(path));
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	nftw(f->dir, rm_entry, 8, FTW_DEPTH|FTW_PHYS);
	free(f);
	return (0);
}

static struct store *
open_ok(const char *path)
{
	struct store	*s = NULL;
	char		*cause = NULL;

	if (store_open(path, &s, &cause) != 0)
		fail_msg("store_open %s: %s", path, cause);
	assert_non_null(s);
	return (s);
}

/* The first column of the first row of sql, through a raw connection. */
static long
raw_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt;
	long		 v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return (v);
}

static int
raw_exec(const char *path, const char *sql, char **error)
{
	sqlite3	*db;
	char	*msg = NULL;
	int	 rc;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (error != NULL)
		*error = msg != NULL ? strdup(msg) : NULL;
	sqlite3_free(msg);
	sqlite3_close(db);
	return (rc);
}

static void
add_server(struct store *s, const char *identity, const char *profile)
{
	struct store_server	 srv = { 0 };
	char			 id[64], fqdn[128], prof[64], *cause = NULL;

	snprintf(id, sizeof id, "%s", identity);
	snprintf(fqdn, sizeof fqdn, "%s.contoso.test", identity);
	snprintf(prof, sizeof prof, "%s", profile);
	srv.identity = id;
	srv.fqdn = fqdn;
	srv.roles = (char *)"ClientAccess";
	srv.site = (char *)"Default-First-Site-Name";
	srv.profile = prof;
	if (store_server_add(s, &srv, "admin", &cause) != 0)
		fail_msg("store_server_add %s: %s", identity, cause);
}

static size_t
count_action(struct store *s, const char *identity, const char *action)
{
	struct store_audit	*list;
	char			*cause = NULL;
	size_t			 n, i, count = 0;

	assert_int_equal(store_audit_list(s, identity, 0, &list, &n, &cause),
	    0);
	for (i = 0; i < n; i++) {
		if (strcmp(list[i].action, action) == 0)
			count++;
	}
	store_audit_list_free(list, n);
	return (count);
}

static const struct store_value *
find_value(const struct store_imap4 *im, const char *name)
{
	size_t	i;

	for (i = 0; i < im->n; i++) {
		if (strcmp(im->values[i].name, name) == 0)
			return (&im->values[i]);
	}
	return (NULL);
}

static void
test_create(void **state)
{
	struct fix	*f = *state;
	struct store	*s;
	struct stat	 sb;
	char		 wal[160];
	mode_t		 old;

	/* With no umask, SQLite alone would leave the file 0644. */
	old = umask(0);
	s = open_ok(f->path);
	umask(old);

	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->path,
	    "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);

	/* The write-ahead log holds the same data: same mode. */
	add_server(s, "CAS01", "cas01");
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%STRICT%'"), 8);
	store_close(s);
}

static void
test_reopen(void **state)
{
	struct fix		*f = *state;
	struct store		*s;
	struct store_server	 srv;
	char			*cause = NULL;

	s = open_ok(f->path);
	add_server(s, "CAS01", "cas01");
	store_close(s);

	s = open_ok(f->path);
	assert_int_equal(store_server_get(s, "CAS01", &srv, &cause), 0);
	assert_string_equal(srv.identity, "CAS01");
	assert_string_equal(srv.fqdn, "CAS01.contoso.test");
	assert_string_equal(srv.roles, "ClientAccess");
	assert_string_equal(srv.site, "Default-First-Site-Name");
	assert_string_equal(srv.profile, "cas01");
	store_server_free(&srv);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	store_close(s);
}

static void
test_migrate_v0(void **state)
{
	struct fix		*f = *state;
	struct store		*s;
	struct store_server	*list;
	char			 empty[160], *cause = NULL;
	size_t			 n;
	int			 fd;

	/* A SQLite file at version 0 with something unrelated in it. */
	assert_int_equal(raw_exec(f->path, "CREATE TABLE other (x INTEGER)",
	    NULL), SQLITE_OK);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 0);
	s = open_ok(f->path);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(store_server_list(s, &list, &n, &cause), 0);
	assert_int_equal(n, 0);
	add_server(s, "CAS01", "");
	store_close(s);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM server"), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM other"), 0);

	/* An empty file is a version 0 database too. */
	snprintf(empty, sizeof empty, "%s/empty.db", f->dir);
	fd = open(empty, O_WRONLY|O_CREAT|O_EXCL, 0600);
	assert_true(fd != -1);
	close(fd);
	s = open_ok(empty);
	store_close(s);
	assert_int_equal(raw_int(empty, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
}

/* A database as imapadm 1 left it: schema 1, audit rows without hashes. */
static const char v1_db[] =
    "CREATE TABLE server (id INTEGER PRIMARY KEY,"
    "  identity TEXT NOT NULL UNIQUE COLLATE NOCASE, fqdn TEXT NOT NULL,"
    "  roles TEXT NOT NULL, site TEXT NOT NULL,"
    "  profile TEXT NOT NULL DEFAULT '') STRICT;"
    "CREATE TABLE imap4 (server_id INTEGER PRIMARY KEY"
    "  REFERENCES server (id) ON DELETE CASCADE,"
    "  version INTEGER NOT NULL DEFAULT 0,"
    "  restart_pending INTEGER NOT NULL DEFAULT 0, changed_by TEXT,"
    "  changed_at TEXT) STRICT;"
    "CREATE TABLE imap4_value (server_id INTEGER NOT NULL"
    "  REFERENCES server (id) ON DELETE CASCADE, name TEXT NOT NULL,"
    "  configured INTEGER NOT NULL, running INTEGER,"
    "  PRIMARY KEY (server_id, name)) STRICT;"
    "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
    "  user TEXT NOT NULL, server TEXT NOT NULL, action TEXT NOT NULL,"
    "  what TEXT NOT NULL, outcome TEXT NOT NULL) STRICT;"
    "CREATE INDEX audit_server ON audit (server COLLATE NOCASE);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "INSERT INTO server VALUES (1, 'CAS01', 'cas01.contoso.test',"
    "  'ClientAccess', 'Default-First-Site-Name', '');"
    "INSERT INTO imap4 VALUES (1, 1, 1, 'alice', '2025-01-01T00:00:00Z');"
    "INSERT INTO imap4_value VALUES (1, 'AuthenticatedConnectionTimeout',"
    "  2700, 1800);"
    "INSERT INTO audit VALUES (1, '2025-01-01T00:00:00Z', 'alice', 'CAS01',"
    "  'new-server', 'fqdn cas01.contoso.test', 'saved');"
    "INSERT INTO audit VALUES (2, '2025-01-01T00:01:00Z', 'alice', 'CAS01',"
    "  'set-imapsettings', 'AuthenticatedConnectionTimeout 1800 -> 2700',"
    "  'saved');"
    "PRAGMA user_version = 1;";

/* Migrating a version 1 database keeps its rows; its audit rows stay
 * readable as older than the chain, and new ones are chained after them.
 * Read-only, the same file is refused and left as it was. */
static void
test_migrate_v1(void **state)
{
	struct fix		*f = *state;
	struct store		*s;
	struct store_imap4	 im;
	const struct store_value *v;
	char			*cause = NULL;
	size_t			 n, older;
	long			 bad;

	assert_int_equal(raw_exec(f->path, v1_db, NULL), SQLITE_OK);
	assert_int_equal(store_open_flags(f->path, STORE_READONLY, &s,
	    &cause), -1);
	assert_non_null(strstr(cause, "schema version 1, older than"));
	free(cause);
	cause = NULL;
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 1);

	s = open_ok(f->path);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(store_imap4_get(s, "cas01", &im, &cause), 0);
	assert_int_equal(im.version, 1);
	/* The stored pending flag is gone (schema 5): it is derived. */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM"
	    " pragma_table_info('imap4') WHERE name = 'restart_pending'"), 0);
	v = find_value(&im, "AuthenticatedConnectionTimeout");
	assert_non_null(v);
	assert_int_equal(v->configured, 2700);
	store_imap4_free(&im);
	/* n counts the chained rows, older those from before the chain. */
	assert_int_equal(store_audit_verify(s, &bad, &n, &older, &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(older, 2);
	add_server(s, "CAS02", "");
	assert_int_equal(store_audit_verify(s, &bad, &n, &older, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(older, 2);
	assert_int_equal(count_action(s, "CAS01", "set-imapsettings"), 1);
	/* The append-only triggers survive the migration. */
	assert_int_not_equal(raw_exec(f->path, "DELETE FROM audit WHERE id = 1",
	    NULL), SQLITE_OK);
	store_close(s);
}

/*
 * Migrating a version 3 database (every insert numbered by the server_born
 * trigger's two updates) to 4: the trigger then numbers only rows that
 * bring no born, and a bulk add numbers its batch itself, with the same
 * numbers the trigger would have given, never one twice.
 */
static void
test_migrate_v3(void **state)
{
	struct fix		*f = *state;
	struct store		*s;
	struct store_server	 srv[3];
	char			*cause = NULL, id[3][16], fqdn[3][32];
	size_t			 i;

	/* A version 3 file: today's, with the trigger as version 3 made it. */
	s = open_ok(f->path);
	store_close(s);
	assert_int_equal(raw_exec(f->path, "DROP TABLE restart_last;"
	    "ALTER TABLE imap4 ADD COLUMN restart_pending INTEGER NOT NULL"
	    "  DEFAULT 0;"
	    "DROP TRIGGER server_born;"
	    "CREATE TRIGGER server_born AFTER INSERT ON server BEGIN"
	    "  UPDATE server SET born = (SELECT next FROM server_seq)"
	    "    WHERE id = new.id;"
	    "  UPDATE server_seq SET next = next + 1;"
	    "END;"
	    "INSERT INTO server (identity, fqdn, roles, site)"
	    "  VALUES ('OLD01', 'old01.test', 'ClientAccess', 'S');"
	    "PRAGMA user_version = 3;", NULL), SQLITE_OK);
	assert_int_equal(raw_int(f->path,
	    "SELECT born FROM server WHERE identity = 'OLD01'"), 1);

	s = open_ok(f->path);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema"
	    " WHERE name = 'server_born' AND sql LIKE '%WHEN new.born = 0%'"),
	    1);
	/* One at a time, the trigger numbers it. */
	add_server(s, "CAS01", "");
	assert_int_equal(raw_int(f->path,
	    "SELECT born FROM server WHERE identity = 'CAS01'"), 2);
	/* A batch numbers itself, next after next. */
	for (i = 0; i < 3; i++) {
		snprintf(id[i], sizeof id[i], "NEW%zu", i);
		snprintf(fqdn[i], sizeof fqdn[i], "new%zu.test", i);
		srv[i].identity = id[i];
		srv[i].fqdn = fqdn[i];
		srv[i].roles = (char *)"ClientAccess";
		srv[i].site = (char *)"S";
		srv[i].profile = (char *)"";
	}
	assert_int_equal(store_server_add_many(s, srv, 3, "admin", 0, NULL,
	    NULL, &cause), 0);
	assert_int_equal(raw_int(f->path, "SELECT min(born) * 100 + max(born)"
	    " FROM server WHERE identity LIKE 'NEW%'"), 305);
	assert_int_equal(raw_int(f->path, "SELECT next FROM server_seq"), 6);
	/* And the next one after the batch goes on from there. */
	add_server(s, "CAS02", "");
	assert_int_equal(raw_int(f->path,
	    "SELECT born FROM server WHERE identity = 'CAS02'"), 6);
	assert_int_equal(raw_int(f->path, "SELECT count(DISTINCT born) ="
	    " count(*) FROM server"), 1);
	store_close(s);
}

/* The last restart of ident as the window reads it ("now": a time). */
static void
expect_last(struct store *s, const char *ident, const char *outcome,
    const char *ok_at)
{
	struct store_window_row	*rows;
	char			*cause = NULL;
	size_t			 n;

	assert_int_equal(store_window(s, STORE_WINDOW_AT, ident, NULL, 1,
	    &rows, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].server.identity, ident);
	if (outcome == NULL)
		assert_null(rows[0].last_outcome);
	else
		assert_string_equal(rows[0].last_outcome, outcome);
	if (ok_at == NULL)
		assert_null(rows[0].restarted_at);
	else if (strcmp(ok_at, "now") == 0)
		assert_non_null(rows[0].restarted_at);
	else
		assert_string_equal(rows[0].restarted_at, ok_at);
	store_window_free(rows, n);
}

/*
 * Migrating a version 4 database (the list searched each server's newest
 * audit rows for its last restart) to 5: restart_last is filled from the
 * whole audit, the newest restart's outcome and the newest success's time,
 * names matched without case as the audit's index does; restarts audited
 * after it keep it (a failure keeps the last success's time), and other
 * audit rows leave it alone, however many. A server removed (before or
 * after) leaves no last restart to one added again by its name. The
 * stored pending flag, never read since 3, is gone.
 */
static void
test_migrate_v4(void **state)
{
	struct fix	*f = *state;
	struct store	*s;
	char		*cause = NULL;
	int		 i;

	s = open_ok(f->path);
	add_server(s, "CAS01", "");
	add_server(s, "CAS02", "");
	add_server(s, "CAS03", "");
	store_close(s);
	assert_int_equal(raw_exec(f->path, "DROP TABLE restart_last;"
	    "ALTER TABLE imap4 ADD COLUMN restart_pending INTEGER NOT NULL"
	    "  DEFAULT 0;"
	    "INSERT INTO audit (at, user, server, action, what, outcome)"
	    " VALUES ('2026-01-01T10:00:00Z', 'a', 'CAS01',"
	    "  'restart-imapservice', 'x', 'ok: restarted'),"
	    " ('2026-01-02T10:00:00Z', 'a', 'cas01',"
	    "  'restart-imapservice', 'x', 'failed after 0.1 s: refused'),"
	    " ('2026-01-03T10:00:00Z', 'a', 'CAS01',"
	    "  'set-imapsettings', 'x', 'saved'),"
	    " ('2026-01-04T10:00:00Z', 'a', 'CAS02',"
	    "  'reload-imapservice', 'x', 'ok: reloaded'),"
	    " ('2026-01-05T10:00:00Z', 'a', 'GONE01',"
	    "  'restart-imapservice', 'x', 'ok: restarted');"
	    "PRAGMA user_version = 4;", NULL), SQLITE_OK);

	s = open_ok(f->path);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 5);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM"
	    " pragma_table_info('imap4') WHERE name = 'restart_pending'"), 0);
	expect_last(s, "CAS01", "failed after 0.1 s: refused",
	    "2026-01-01T10:00:00Z");
	expect_last(s, "CAS02", "ok: reloaded", "2026-01-04T10:00:00Z");
	expect_last(s, "CAS03", NULL, NULL);

	/* Kept from here on by the trigger: a success, then a failure. */
	assert_int_equal(store_audit_add(s, "a", "CAS03",
	    "restart-imapservice", "x", "ok: restarted", &cause), 0);
	expect_last(s, "CAS03", "ok: restarted", "now");
	assert_int_equal(store_audit_add(s, "a", "CAS02",
	    "restart-imapservice", "x", "failed after 2.0 s: timeout",
	    &cause), 0);
	expect_last(s, "CAS02", "failed after 2.0 s: timeout",
	    "2026-01-04T10:00:00Z");
	/* The list's search stopped after 20 audit rows; this does not. */
	for (i = 0; i < 30; i++)
		assert_int_equal(store_audit_add(s, "a", "CAS02",
		    "set-imapsettings", "x", "saved", &cause), 0);
	expect_last(s, "CAS02", "failed after 2.0 s: timeout",
	    "2026-01-04T10:00:00Z");
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM restart_last"),
	    3);
	/* Removed, then added again by that name: never restarted. */
	assert_int_equal(store_server_remove(s, "cas02", "a", &cause), 0);
	add_server(s, "CAS02", "");
	expect_last(s, "CAS02", NULL, NULL);
	expect_last(s, "CAS01", "failed after 0.1 s: refused",
	    "2026-01-01T10:00:00Z");
	store_close(s);
}


static void
test_newer_refused(void **state)
{
	struct fix	*f = *state;
	struct store	*s = NULL;
	char		*cause = NULL;

	assert_int_equal(raw_exec(f->path, "PRAGMA user_version = 99", NULL),
	    SQLITE_OK);
	assert_int_equal(store_open(f->path, &s, &cause), -1);
	assert_null(s);
	assert_non_null(cause);
	assert_string_equal(cause, "database schema version 99 is newer than "
	    "this imapadm understands (5): upgrade imapadm");
	free(cause);
	/* Refused means untouched. */
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 99);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM sqlite_schema"), 0);
}

static void
test_not_a_database(void **state)
{
	struct fix	*f = *state;
	struct store	*s = NULL;
	struct stat	 sb;
	char		 buf[4096], *cause = NULL, *want;
	FILE		*fp;
	size_t		 i;

	for (i = 0; i < sizeof buf; i++)
		buf[i] = "imap4 settings are not here\n"[i % 28];
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, sizeof buf, fp), sizeof buf);
	fclose(fp);

	assert_int_equal(store_open(f->path, &s, &cause), -1);
	assert_null(s);
	assert_non_null(cause);
	assert_true(asprintf(&want, "%s is not an SQLite database",
	    f->path) != -1);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_size, sizeof buf);

	/* A path that cannot be created names itself too. */
	cause = NULL;
	assert_int_equal(store_open("/nonexistent-dir/x.db", &s, &cause), -1);
	assert_non_null(strstr(cause, "/nonexistent-dir/x.db"));
	free(cause);
}

static void
test_servers(void **state)
{
	struct fix		*f = *state;
	struct store		*s;
	struct store_server	 srv = { 0 }, got, *list;
	struct store_audit	*audit;
	char			*cause = NULL, long_id[70];
	size_t			 n;

	s = open_ok(f->path);
	add_server(s, "CAS02", "cas02");
	add_server(s, "CAS01", "cas01");

	assert_int_equal(store_server_list(s, &list, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].identity, "CAS01");
	assert_string_equal(list[1].identity, "CAS02");
	store_server_list_free(list, n);

	assert_int_equal(store_server_get(s, "cas01", &got, &cause), 0);
	assert_string_equal(got.identity, "CAS01");
	assert_string_equal(got.profile, "cas01");
	store_server_free(&got);

	assert_int_equal(store_server_get(s, "CAS09", &got, &cause),
	    STORE_NOTFOUND);
	assert_string_equal(cause, "no server named CAS09");
	free(cause);
	cause = NULL;

	/* Duplicates, in any case, name the one that exists. */
	srv.identity = (char *)"cas01";
	srv.fqdn = (char *)"other.contoso.test";
	srv.roles = (char *)"ClientAccess";
	srv.site = (char *)"Default-First-Site-Name";
	assert_int_equal(store_server_add(s, &srv, "admin", &cause), -1);
	assert_string_equal(cause, "server CAS01 already exists");
	free(cause);
	cause = NULL;

	srv.identity = (char *)"";
	assert_int_equal(store_server_add(s, &srv, "admin", &cause), -1);
	assert_string_equal(cause, "server identity is empty");
	free(cause);
	cause = NULL;

	srv.identity = (char *)"CAS 03;rm";
	assert_int_equal(store_server_add(s, &srv, "admin", &cause), -1);
	assert_string_equal(cause, "invalid server identity \"CAS 03;rm\": "
	    "use letters, digits, - and _ only, starting with a letter or "
	    "digit");
	free(cause);
	cause = NULL;

	memset(long_id, 'A', 64);
	long_id[64] = '\0';
	srv.identity = long_id;
	assert_int_equal(store_server_add(s, &srv, "admin", &cause), -1);
	assert_non_null(strstr(cause, "is too long (64 characters, at most "
	    "63)"));
	free(cause);
	cause = NULL;
	long_id[63] = '\0';
	assert_int_equal(store_server_add(s, &srv, "admin", &cause), 0);

	/* An fqdn must not pass for an option of ssh. */
	srv.identity = (char *)"CAS03";
	srv.fqdn = (char *)"-oProxyCommand=touch x";
	assert_int_equal(store_server_add(s, &srv, "admin", &cause), -1);
	assert_non_null(strstr(cause, "invalid fqdn"));
	assert_non_null(strstr(cause, "CAS03"));
	free(cause);
	cause = NULL;

	/* Nor an identity, which %{identity} puts in command arguments. */
	srv.fqdn = (char *)"cas03.contoso.test";
	srv.identity = (char *)"-rf";
	assert_int_equal(store_server_add(s, &srv, "admin", &cause), -1);
	assert_string_equal(cause, "invalid server identity \"-rf\": "
	    "use letters, digits, - and _ only, starting with a letter or "
	    "digit");
	free(cause);
	cause = NULL;
	srv.identity = (char *)"_x";
	assert_int_equal(store_server_add(s, &srv, "admin", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM server"), 3);

	/* Remove takes the imap4 rows along and is audited. */
	assert_int_equal(store_imap4_save(s, "CAS02", 0, 1,
	    (const char *const []){ AUTH }, (const long []){ 900 }, "admin",
	    "x", NULL, &cause), 0);
	assert_int_equal(store_server_remove(s, "cas02", "admin", &cause), 0);
	assert_int_equal(store_server_get(s, "CAS02", &got, &cause),
	    STORE_NOTFOUND);
	free(cause);
	cause = NULL;
	assert_int_equal(store_server_remove(s, "CAS02", "admin", &cause),
	    STORE_NOTFOUND);
	assert_string_equal(cause, "no server named CAS02");
	free(cause);
	cause = NULL;
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM imap4"), 2);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM imap4_value"),
	    0);

	assert_int_equal(store_audit_list(s, "CAS02", 0, &audit, &n, &cause),
	    0);
	assert_int_equal(n, 3);
	assert_string_equal(audit[0].action, "remove-server");
	assert_string_equal(audit[0].server, "CAS02");
	assert_string_equal(audit[0].user, "admin");
	assert_non_null(strstr(audit[0].what, "CAS02.contoso.test"));
	assert_string_equal(audit[2].action, "new-server");
	store_audit_list_free(audit, n);
	store_close(s);
}

static void
test_imap4_save(void **state)
{
	struct fix		*f = *state;
	struct store		*s;
	struct store_imap4	 im;
	struct store_audit	*audit;
	const struct store_value *v;
	const char *const	 names[] = { AUTH, PREAUTH };
	const long		 values[] = { 900, 120 };
	regex_t			 re;
	char			*cause = NULL;
	size_t			 n;

	s = open_ok(f->path);
	add_server(s, "CAS01", "cas01");

	assert_int_equal(store_imap4_get(s, "cas01", &im, &cause), 0);
	assert_int_equal(im.version, 0);
	assert_int_equal(im.n, 0);
	assert_null(im.changed_by);
	assert_null(im.changed_at);
	store_imap4_free(&im);

	assert_int_equal(store_imap4_save(s, "cas01", 0, 2, names, values,
	    "alice", AUTH " 1800 -> 900, " PREAUTH " 60 -> 120", NULL, &cause),
	    0);
	assert_int_equal(store_imap4_get(s, "CAS01", &im, &cause), 0);
	assert_int_equal(im.version, 1);
	assert_string_equal(im.changed_by, "alice");
	assert_int_equal(regcomp(&re,
	    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
	    REG_EXTENDED|REG_NOSUB), 0);
	assert_int_equal(regexec(&re, im.changed_at, 0, NULL, 0), 0);
	regfree(&re);
	assert_int_equal(im.n, 2);
	assert_non_null(v = find_value(&im, AUTH));
	assert_int_equal(v->configured, 900);
	assert_int_equal(v->has_running, 0);
	assert_non_null(v = find_value(&im, PREAUTH));
	assert_int_equal(v->configured, 120);
	store_imap4_free(&im);

	/* Exactly one audit row for the save, newest first. */
	assert_int_equal(store_audit_list(s, NULL, 0, &audit, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(audit[0].action, "set-imapsettings");
	assert_string_equal(audit[0].user, "alice");
	assert_string_equal(audit[0].server, "CAS01");
	assert_string_equal(audit[0].outcome, "saved");
	assert_string_equal(audit[0].what,
	    AUTH " 1800 -> 900, " PREAUTH " 60 -> 120");
	assert_true(audit[0].id > audit[1].id);
	store_audit_list_free(audit, n);

	/* A second save updates in place, keeps other names. */
	assert_int_equal(store_imap4_save(s, "CAS01", 1, 1, names,
	    (const long []){ 3600 }, "alice", "x", NULL, &cause), 0);
	assert_int_equal(store_imap4_get(s, "CAS01", &im, &cause), 0);
	assert_int_equal(im.version, 2);
	assert_int_equal(im.n, 2);
	assert_int_equal(find_value(&im, AUTH)->configured, 3600);
	assert_int_equal(find_value(&im, PREAUTH)->configured, 120);
	store_imap4_free(&im);

	assert_int_equal(store_imap4_save(s, "CAS09", 0, 2, names, values,
	    "alice", "x", NULL, &cause), STORE_NOTFOUND);
	assert_string_equal(cause, "no server named CAS09");
	free(cause);
	store_close(s);
}

static void
test_imap4_rollback(void **state)
{
	struct fix		*f = *state;
	struct store		*s;
	struct store_imap4	 im;
	const char *const	 names[] = { AUTH, "Broken" };
	const long		 values[] = { 900, 1 };
	char			*cause = NULL;

	s = open_ok(f->path);
	add_server(s, "CAS01", "cas01");
	/* Make the second value row fail half-way through the save. */
	assert_int_equal(raw_exec(f->path, "CREATE TRIGGER broken BEFORE "
	    "INSERT ON imap4_value WHEN NEW.name = 'Broken' BEGIN "
	    "SELECT RAISE(ABORT, 'disk on fire'); END", NULL), SQLITE_OK);

	assert_int_equal(store_imap4_save(s, "CAS01", 0, 2, names, values,
	    "alice", "x", NULL, &cause), -1);
	assert_non_null(strstr(cause, "disk on fire"));
	free(cause);
	cause = NULL;

	assert_int_equal(store_imap4_get(s, "CAS01", &im, &cause), 0);
	assert_int_equal(im.version, 0);
	assert_int_equal(im.n, 0);
	store_imap4_free(&im);
	assert_int_equal(count_action(s, NULL, "set-imapsettings"), 0);
	store_close(s);
}

static void
test_conflict(void **state)
{
	struct fix		*f = *state;
	struct store		*a, *b;
	struct store_imap4	 ia, ib, cur;
	const char *const	 names[] = { AUTH };
	char			*cause = NULL;

	a = open_ok(f->path);
	b = open_ok(f->path);
	add_server(a, "CAS01", "cas01");

	assert_int_equal(store_imap4_get(a, "CAS01", &ia, &cause), 0);
	assert_int_equal(store_imap4_get(b, "CAS01", &ib, &cause), 0);
	assert_int_equal(ia.version, 0);
	assert_int_equal(ib.version, 0);

	assert_int_equal(store_imap4_save(a, "CAS01", ia.version, 1, names,
	    (const long []){ 900 }, "alice", "a", NULL, &cause), 0);
	assert_int_equal(store_imap4_save(b, "CAS01", ib.version, 1, names,
	    (const long []){ 1200 }, "bob", "b", &cur, &cause),
	    STORE_CONFLICT);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "alice"));
	assert_non_null(strstr(cause, cur.changed_at));
	free(cause);
	cause = NULL;
	assert_int_equal(cur.version, 1);
	assert_string_equal(cur.changed_by, "alice");
	assert_non_null(cur.changed_at);
	assert_int_equal(find_value(&cur, AUTH)->configured, 900);
	store_imap4_free(&cur);
	store_imap4_free(&ia);
	store_imap4_free(&ib);

	/* Bob's value was not stored, nor audited. */
	assert_int_equal(store_imap4_get(a, "CAS01", &ia, &cause), 0);
	assert_int_equal(ia.version, 1);
	assert_int_equal(find_value(&ia, AUTH)->configured, 900);
	store_imap4_free(&ia);
	assert_int_equal(count_action(a, NULL, "set-imapsettings"), 1);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM audit WHERE user = 'bob'"), 0);

	/* Built on the new version, bob's save goes through. */
	assert_int_equal(store_imap4_save(b, "CAS01", 1, 1, names,
	    (const long []){ 1200 }, "bob", "b", &cur, &cause), 0);
	assert_int_equal(store_imap4_get(a, "CAS01", &ia, &cause), 0);
	assert_int_equal(ia.version, 2);
	assert_string_equal(ia.changed_by, "bob");
	assert_int_equal(find_value(&ia, AUTH)->configured, 1200);
	store_imap4_free(&ia);

	store_close(b);
	store_close(a);
}

static void
test_audit(void **state)
{
	struct fix		*f = *state;
	struct store		*s;
	struct store_audit	*audit;
	char			*cause = NULL, *error = NULL;
	size_t			 n;

	s = open_ok(f->path);
	assert_int_equal(store_audit_add(s, "alice", "CAS01",
	    "restart-imapservice", "restart", "ok", &cause), 0);
	assert_int_equal(store_audit_add(s, "bob", "CAS02",
	    "restart-imapservice", "reload", "failed: exit 1", &cause), 0);
	assert_int_equal(store_audit_add(s, "alice", "", "new-server", "",
	    "saved", &cause), 0);
	assert_int_equal(store_audit_add(s, "alice", "CAS01",
	    "restart-imapservice", "restart", "ok", &cause), 0);

	assert_int_equal(store_audit_list(s, NULL, 0, &audit, &n, &cause), 0);
	assert_int_equal(n, 4);
	assert_true(audit[0].id > audit[1].id && audit[1].id > audit[2].id);
	assert_string_equal(audit[2].outcome, "failed: exit 1");
	store_audit_list_free(audit, n);

	assert_int_equal(store_audit_list(s, "cas01", 0, &audit, &n, &cause),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(audit[0].server, "CAS01");
	store_audit_list_free(audit, n);

	assert_int_equal(store_audit_list(s, NULL, 2, &audit, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(audit[1].action, "new-server");
	store_audit_list_free(audit, n);

	/* Append-only, even for someone going around the store. */
	assert_int_not_equal(raw_exec(f->path,
	    "UPDATE audit SET outcome = 'ok'", &error), SQLITE_OK);
	assert_non_null(strstr(error, "append-only"));
	free(error);
	assert_int_not_equal(raw_exec(f->path, "DELETE FROM audit", &error),
	    SQLITE_OK);
	assert_non_null(strstr(error, "append-only"));
	free(error);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit"), 4);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM audit WHERE outcome = 'ok'"), 2);
	store_close(s);
}

static void
test_demo(void **state)
{
	struct fix		*f = *state;
	struct store		*s;
	struct store_server	*list;
	char			*cause = NULL;
	size_t			 n;

	s = open_ok(f->path);
	assert_int_equal(store_demo_fill(s, "demo", &cause), 0);
	assert_int_equal(store_demo_fill(s, "demo", &cause), 0);
	assert_int_equal(store_server_list(s, &list, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].identity, "CAS01");
	assert_string_equal(list[0].fqdn, "cas01.contoso.test");
	assert_string_equal(list[0].roles, "ClientAccess");
	assert_string_equal(list[0].site, "Default-First-Site-Name");
	assert_string_equal(list[0].profile, "cas01");
	assert_string_equal(list[1].identity, "CAS02");
	assert_string_equal(list[1].profile, "cas02");
	assert_string_equal(list[2].identity, "MBX01");
	assert_string_equal(list[2].roles, "Mailbox");
	assert_string_equal(list[2].profile, "");
	store_server_list_free(list, n);
	assert_int_equal(count_action(s, NULL, "new-server"), 3);

	/* Only what is missing comes back. */
	assert_int_equal(store_server_remove(s, "MBX01", "demo", &cause), 0);
	assert_int_equal(store_demo_fill(s, "demo", &cause), 0);
	assert_int_equal(count_action(s, NULL, "new-server"), 4);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM server"), 3);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM imap4"), 3);
	store_close(s);
}

static void
test_paths(void **state)
{
	struct fix	*f = *state;
	struct stat	 sb;
	char		 deep[200], dir[200], blocked[200];
	char		*path, *cause = NULL;
	struct store	*s;

	setenv("XDG_DATA_HOME", "/srv/xdg", 1);
	setenv("HOME", "/home/admin", 1);
	path = store_default_path();
	assert_string_equal(path, "/srv/xdg/imapadm/imapadm.db");
	free(path);
	setenv("XDG_DATA_HOME", "relative", 1);
	path = store_default_path();
	assert_string_equal(path,
	    "/home/admin/.local/share/imapadm/imapadm.db");
	free(path);
	unsetenv("XDG_DATA_HOME");
	path = store_default_path();
	assert_string_equal(path,
	    "/home/admin/.local/share/imapadm/imapadm.db");
	free(path);

	snprintf(deep, sizeof deep, "%s/a/b/imapadm.db", f->dir);
	assert_int_equal(store_mkdir_parent(deep, &cause), 0);
	snprintf(dir, sizeof dir, "%s/a/b", f->dir);
	assert_int_equal(stat(dir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0700);
	assert_int_equal(store_mkdir_parent(deep, &cause), 0);
	s = open_ok(deep);
	store_close(s);

	snprintf(blocked, sizeof blocked, "%s/imapadm.db/x/y.db", f->dir);
	s = open_ok(f->path);
	store_close(s);
	assert_int_equal(store_mkdir_parent(blocked, &cause), -1);
	assert_non_null(strstr(cause, f->path));
	free(cause);
}

/*
 * The audit log is a hash chain: whole as written; a changed row, a removed
 * one, or a hash taken off are each named by the first row they break.
 */
static void
test_audit_chain(void **state)
{
	struct fix	*f = *state;
	struct store	*s;
	char		*cause = NULL;
	size_t		 n, older;
	long		 bad;

	s = open_ok(f->path);
	add_server(s, "CAS01", "cas01");
	add_server(s, "CAS02", "cas01");
	add_server(s, "CAS03", "cas01");
	assert_int_equal(store_audit_verify(s, &bad, &n, &older, &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(older, 0);
	assert_int_equal(raw_exec(f->path, "DROP TRIGGER audit_no_update;"
	    "DROP TRIGGER audit_no_delete;"
	    "UPDATE audit SET what = 'nothing' WHERE id = 2", NULL), SQLITE_OK);
	assert_int_equal(store_audit_verify(s, &bad, &n, &older, &cause), 1);
	assert_int_equal(bad, 2);
	assert_int_equal(raw_exec(f->path, "DELETE FROM audit WHERE id = 2",
	    NULL), SQLITE_OK);
	assert_int_equal(store_audit_verify(s, &bad, &n, &older, &cause), 1);
	assert_int_equal(bad, 3);
	/* A hash removed does not pass for a row older than the chain. */
	assert_int_equal(raw_exec(f->path, "UPDATE audit SET hash = NULL",
	    NULL), SQLITE_OK);
	assert_int_equal(store_audit_verify(s, &bad, &n, &older, &cause), 1);
	assert_int_equal(bad, 1);
	store_close(s);
}


/* The restart lock: one holder per server, named to whoever else asks;
 * a stale holder is taken over once; the release records what was pushed
 * without touching configured values saved meanwhile. */
static void
test_apply_lock(void **state)
{
	struct fix		*f = *state;
	struct store		*a, *b;
	struct store_apply	 ra, rb, holder, stale, *list;
	struct store_imap4	 im;
	struct store_audit_entry audit = { "alice", "restart-imapservice",
				     "AuthenticatedConnectionTimeout=2000",
				     "started" };
	const char *const	 names[] = { AUTH };
	char			*cause = NULL;
	size_t			 n;

	a = open_ok(f->path);
	b = open_ok(f->path);
	add_server(a, "CAS01", "cas01");
	assert_int_equal(store_imap4_save(a, "CAS01", 0, 1, names,
	    (const long []){ 2000 }, "alice", "a", NULL, &cause), 0);

	memset(&ra, 0, sizeof ra);
	ra.server = strdup("cas01");
	ra.profile = strdup("cas01");
	ra.pushed = strdup("AuthenticatedConnectionTimeout=2000");
	ra.mode = strdup("restart");
	ra.user = strdup("alice");
	ra.pid = 4242;
	ra.pid_start = 77;
	ra.version = 1;
	assert_int_equal(store_apply_begin(a, &ra, NULL, &cause), 0);
	assert_string_equal(ra.server, "CAS01");
	assert_non_null(ra.started_at);

	/* A second one is refused with who holds it and since when. */
	memset(&rb, 0, sizeof rb);
	rb.server = strdup("CAS01");
	rb.user = strdup("bob");
	rb.pid = 5151;
	assert_int_equal(store_apply_begin(b, &rb, &holder, &cause),
	    STORE_BUSY);
	free(cause);
	cause = NULL;
	assert_int_equal(holder.pid, 4242);
	assert_int_equal(holder.pid_start, 77);
	assert_string_equal(holder.user, "alice");
	assert_string_equal(holder.started_at, ra.started_at);
	assert_string_equal(holder.step, "locked");

	/* The previous file is in the record before the new one is written. */
	ra.had_prev = 1;
	ra.prev = strdup("timeout 60s;\n");
	ra.prevlen = strlen(ra.prev);
	ra.prev_mtime = 1234567890123456789LL;
	assert_int_equal(store_apply_prev(a, &ra, &cause), 0);
	assert_int_equal(store_apply_step(a, &ra, "restarting", &audit,
	    &cause), 0);
	assert_int_equal(store_apply_list(b, &list, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].step, "restarting");
	assert_int_equal(list[0].had_prev, 1);
	assert_int_equal(list[0].prevlen, ra.prevlen);
	assert_memory_equal(list[0].prev, ra.prev, ra.prevlen);
	assert_true(list[0].prev_mtime == 1234567890123456789LL);
	store_apply_list_free(list, n);

	/* Taken over (its holder died): only once, and the old holder's
	 * release then fails rather than undo the new one's work. */
	stale = holder;	/* shares its strings: not freed */
	assert_int_equal(store_apply_take(b, &holder, 5151, 88, &cause), 0);
	assert_int_equal(holder.pid, 5151);
	assert_int_equal(store_apply_take(a, &stale, 6161, 99, &cause),
	    STORE_CONFLICT);
	free(cause);
	cause = NULL;
	assert_int_equal(store_apply_step(a, &ra, "restarting", NULL,
	    &cause), STORE_CONFLICT);
	free(cause);
	cause = NULL;

	/* A save meanwhile; the release records only what was pushed. */
	assert_int_equal(store_imap4_save(a, "CAS01", 1, 1, names,
	    (const long []){ 900 }, "carol", "c", NULL, &cause), 0);
	assert_int_equal(store_apply_end(b, &holder, 1, names,
	    (const long []){ 2000 }, &audit, &cause), 0);
	assert_int_equal(store_imap4_get(a, "CAS01", &im, &cause), 0);
	assert_int_equal(find_value(&im, AUTH)->configured, 900);
	assert_int_equal(find_value(&im, AUTH)->running, 2000);
	store_imap4_free(&im);
	assert_int_equal(store_apply_list(a, &list, &n, &cause), 0);
	assert_int_equal(n, 0);
	free(list);
	assert_int_equal(count_action(a, "CAS01", "restart-imapservice"), 2);

	store_apply_free(&holder);
	store_apply_free(&ra);
	store_apply_free(&rb);
	store_close(b);
	store_close(a);
}

struct merge_arg {
	long	values[1];
	long	seen;
};

static int
merge_add(void *arg, const struct store_imap4 *cur, char **what)
{
	struct merge_arg	*m = arg;

	m->seen = cur->n > 0 ? cur->values[0].configured : -1;
	if (m->seen == m->values[0])
		return (1);
	if (asprintf(what, "%s %ld -> %ld", AUTH, m->seen, m->values[0]) ==
	    -1)
		*what = NULL;
	return (0);
}

/* A change on whatever the row holds, inside its transaction; a row
 * identity that is not the server's any more is refused. */
static void
test_imap4_change(void **state)
{
	struct fix		*f = *state;
	struct store		*s;
	struct store_imap4	 im, cur;
	struct store_imap4_change c;
	struct merge_arg	 m = { { 1200 }, 0 };
	const char *const	 names[] = { AUTH };
	char			*cause = NULL;
	long			 born;

	s = open_ok(f->path);
	add_server(s, "CAS01", "cas01");
	assert_int_equal(store_imap4_save(s, "CAS01", 0, 1, names,
	    (const long []){ 900 }, "alice", "a", NULL, &cause), 0);
	assert_int_equal(store_imap4_get(s, "CAS01", &im, &cause), 0);
	born = im.server_id;
	store_imap4_free(&im);

	memset(&c, 0, sizeof c);
	c.server_id = STORE_ANY;
	c.version = STORE_ANY;	/* read at version 0: still saved */
	c.n = 1;
	c.names = names;
	c.values = m.values;
	c.merge = merge_add;
	c.arg = &m;
	c.user = "bob";
	assert_int_equal(store_imap4_change(s, "CAS01", &c, NULL, &cause), 0);
	assert_int_equal(m.seen, 900);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE "
	    "what = '" AUTH " 900 -> 1200' AND user = 'bob'"), 1);
	/* Nothing differs: nothing written, nothing audited. */
	assert_int_equal(store_imap4_change(s, "CAS01", &c, NULL, &cause), 0);
	assert_int_equal(count_action(s, "CAS01", "set-imapsettings"), 2);

	/* Removed and added again: the same id, another row identity. */
	assert_int_equal(store_server_remove(s, "CAS01", "alice", &cause), 0);
	add_server(s, "CAS01", "cas01");
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM server WHERE id = 1"), 1);
	c.server_id = born;
	c.version = 0;
	assert_int_equal(store_imap4_change(s, "CAS01", &c, &cur, &cause),
	    STORE_REPLACED);
	assert_non_null(strstr(cause, "removed and added again"));
	free(cause);
	cause = NULL;
	assert_true(cur.server_id != born);
	assert_int_equal(cur.version, 0);
	store_imap4_free(&cur);
	assert_int_equal(count_action(s, "CAS01", "set-imapsettings"), 2);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_audit_chain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_v0, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_v1, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_v4, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_v3, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_newer_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_servers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imap4_save, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_imap4_rollback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_lock, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_imap4_change, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
