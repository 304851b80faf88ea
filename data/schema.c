/* Schema migrations: step N takes a database from PRAGMA user_version N to
 * N + 1. Each step is fixed SQL and sets its own user_version. */

#include <stdio.h>

#include "data/store_internal.h"

static int	schema_version(struct store *, int *, char **);

static const char *const schema_steps[STORE_SCHEMA_VERSION] = {
	/* 0 -> 1: servers, their IMAP4 settings and the audit log. */
	"CREATE TABLE server ("
	"  id INTEGER PRIMARY KEY,"
	"  identity TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  fqdn TEXT NOT NULL,"
	"  roles TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  profile TEXT NOT NULL DEFAULT ''"
	") STRICT;"
	"CREATE TABLE imap4 ("
	"  server_id INTEGER PRIMARY KEY"
	"    REFERENCES server (id) ON DELETE CASCADE,"
	"  version INTEGER NOT NULL DEFAULT 0,"
	/* Not read since schema 3 (pending is derived, core/app.c),
	 * dropped at 5. */
	"  restart_pending INTEGER NOT NULL DEFAULT 0,"
	"  changed_by TEXT,"
	"  changed_at TEXT"
	") STRICT;"
	"CREATE TABLE imap4_value ("
	"  server_id INTEGER NOT NULL"
	"    REFERENCES server (id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  configured INTEGER NOT NULL,"
	"  running INTEGER,"
	"  PRIMARY KEY (server_id, name)"
	") STRICT;"
	/* Server is text, not a reference: the log outlives the server. */
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  user TEXT NOT NULL,"
	"  server TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  what TEXT NOT NULL,"
	"  outcome TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX audit_server ON audit (server COLLATE NOCASE);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"PRAGMA user_version = 1;",
	/* 1 -> 2: the audit log's hash chain. Rows older than the chain have
	 * no hash; audit_chain says where it begins, so that a row with its
	 * hash removed later does not pass for one of them. */
	"ALTER TABLE audit ADD COLUMN hash TEXT;"
	"CREATE TABLE audit_chain (first_id INTEGER NOT NULL) STRICT;"
	"INSERT INTO audit_chain SELECT coalesce(max(id), 0) + 1 FROM audit;"
	"PRAGMA user_version = 2;",
	/* 2 -> 3: the restart lock and crash record, one row per server while
	 * a restart runs. No reference to server: a crashed restart of a
	 * server removed since must still be found and finished. */
	"CREATE TABLE apply ("
	"  server_id INTEGER PRIMARY KEY,"
	"  server TEXT NOT NULL,"
	"  profile TEXT NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  pushed TEXT NOT NULL,"
	"  mode TEXT NOT NULL,"
	"  step TEXT NOT NULL,"
	"  file TEXT,"
	"  had_prev INTEGER NOT NULL DEFAULT 0,"
	"  prev BLOB,"
	"  prev_mtime INTEGER,"
	"  pid INTEGER NOT NULL,"
	"  pid_start INTEGER NOT NULL,"
	"  user TEXT NOT NULL,"
	"  started_at TEXT NOT NULL"
	") STRICT;"
	/* Row identity that is never reused: SQLite hands a removed server's
	 * id to the next one added, so a page open on the old one would save
	 * onto the new one. */
	"ALTER TABLE server ADD COLUMN born INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE server_seq (next INTEGER NOT NULL) STRICT;"
	"INSERT INTO server_seq SELECT coalesce(max(id), 0) + 1 FROM server;"
	"UPDATE server SET born = id;"
	"CREATE TRIGGER server_born AFTER INSERT ON server BEGIN"
	"  UPDATE server SET born = (SELECT next FROM server_seq)"
	"    WHERE id = new.id;"
	"  UPDATE server_seq SET next = next + 1;"
	"END;"
	"PRAGMA user_version = 3;",
	/* 3 -> 4: a row that brings its own born (import-servers numbers a
	 * batch from server_seq and moves it on once) skips the trigger's two
	 * updates per row, 40% of an import's work. */
	"DROP TRIGGER server_born;"
	"CREATE TRIGGER server_born AFTER INSERT ON server WHEN new.born = 0"
	"  BEGIN"
	"  UPDATE server SET born = (SELECT next FROM server_seq)"
	"    WHERE id = new.id;"
	"  UPDATE server_seq SET next = next + 1;"
	"END;"
	"PRAGMA user_version = 4;",
	/* 4 -> 5: each server's last restart or reload, kept with its audit
	 * row in the same transaction (store_audit_insert; not by a trigger,
	 * which every run would parse with the schema). The server list
	 * shows it on every row, and searching the audit for it there was
	 * half the cost of the console's first screen. Keyed by name, as
	 * the audit is. And imap4.restart_pending goes: set by every save
	 * and never cleared, it said nothing (pending is derived). */
	"CREATE TABLE restart_last ("
	"  server TEXT PRIMARY KEY COLLATE NOCASE,"
	"  outcome TEXT NOT NULL,"
	"  ok_at TEXT"
	") STRICT, WITHOUT ROWID;"
	"INSERT INTO restart_last (server, outcome, ok_at)"
	"  SELECT a.server,"
	"  (SELECT b.outcome FROM audit b"
	"    WHERE b.server = a.server COLLATE NOCASE"
	"    AND instr(b.action, '-imapservice') > 0"
	"    ORDER BY b.id DESC LIMIT 1),"
	"  (SELECT b.at FROM audit b"
	"    WHERE b.server = a.server COLLATE NOCASE"
	"    AND instr(b.action, '-imapservice') > 0"
	"    AND substr(b.outcome, 1, 2) = 'ok'"
	"    ORDER BY b.id DESC LIMIT 1)"
	"  FROM audit a WHERE instr(a.action, '-imapservice') > 0"
	"  AND EXISTS (SELECT 1 FROM server WHERE identity = a.server)"
	"  GROUP BY a.server COLLATE NOCASE;"
	"ALTER TABLE imap4 DROP COLUMN restart_pending;"
	"PRAGMA user_version = 5;"
};

static int
schema_version(struct store *s, int *version, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			*version = sqlite3_column_int(stmt, 0);
	}
	if (rc == SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return (0);
	}
	if ((rc & 0xff) == SQLITE_NOTADB)
		store_cause(cause, "%s is not an SQLite database", s->path);
	else {
		store_cause(cause, "cannot read the schema version of %s: %s",
		    s->path, sqlite3_errmsg(s->db));
	}
	sqlite3_finalize(stmt);
	return (-1);
}

int
schema_migrate(struct store *s, char **cause)
{
	char	*error = NULL;
	int	 version;

	for (;;) {
		if (schema_version(s, &version, cause) != 0)
			return (-1);
		if (version > STORE_SCHEMA_VERSION) {
			store_cause(cause, "database schema version %d is "
			    "newer than this imapadm understands (%d): "
			    "upgrade imapadm", version, STORE_SCHEMA_VERSION);
			return (-1);
		}
		if (version == STORE_SCHEMA_VERSION)
			return (0);

		/* Take the write lock, then look again: another imapadm
		 * may have migrated while we waited for it. */
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL,
		    &error) != SQLITE_OK)
			break;
		if (schema_version(s, &version, cause) != 0) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return (-1);
		}
		if (version >= STORE_SCHEMA_VERSION) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			continue;
		}
		if (sqlite3_exec(s->db, schema_steps[version], NULL, NULL,
		    &error) != SQLITE_OK ||
		    sqlite3_exec(s->db, "COMMIT", NULL, NULL, &error) !=
		    SQLITE_OK) {
			if (!sqlite3_get_autocommit(s->db)) {
				sqlite3_exec(s->db, "ROLLBACK", NULL, NULL,
				    NULL);
			}
			break;
		}
	}

	store_cause(cause, "cannot migrate %s to schema version %d: %s",
	    s->path, version + 1, error != NULL ? error : "unknown error");
	sqlite3_free(error);
	return (-1);
}

/*
 * A database opened read-only cannot be migrated: it must already be at
 * this imapadm's version, else the cause says who can bring it there.
 */
int
schema_check(struct store *s, char **cause)
{
	int	version;

	if (schema_version(s, &version, cause) != 0)
		return (-1);
	if (version == STORE_SCHEMA_VERSION)
		return (0);
	if (version > STORE_SCHEMA_VERSION) {
		store_cause(cause, "database schema version %d is newer than "
		    "this imapadm understands (%d): upgrade imapadm", version,
		    STORE_SCHEMA_VERSION);
	} else {
		store_cause(cause, "database %s has schema version %d, older "
		    "than this imapadm's %d, and you may only read it: its "
		    "owner upgrades it by running imapadm once", s->path,
		    version, STORE_SCHEMA_VERSION);
	}
	return (-1);
}
