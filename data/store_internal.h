/* Private to data/: the store handle, its table of prepared statements and
 * the small helpers store.c, schema.c and demo.c share. */
#ifndef IMAPADM_DATA_STORE_INTERNAL_H
#define IMAPADM_DATA_STORE_INTERNAL_H

#include <sqlite3.h>

#include "data/store.h"

/* An audit action of this (restart-, reload-imapservice) is a restart:
 * restart_last keeps the newest (store_audit_insert; schema 5 found them
 * by the same test, SQL's instr). */
#define STORE_RESTART_ACTION	"-imapservice"

/*
 * Every statement the store runs, prepared once after migration. One line
 * gives the enum, the SQL and the words used in an error ("cannot WHAT").
 * Bind order is the ?N order.
 */
#define STORE_APPLY_COLS						\
	"server_id, server, profile, version, pushed, mode, step, file,"	\
	" had_prev, prev, prev_mtime, pid, pid_start, user, started_at"

#define STORE_STMTS							\
	X(BEGIN_READ, "begin a transaction", "BEGIN")			\
	X(BEGIN_WRITE, "begin a transaction", "BEGIN IMMEDIATE")	\
	X(COMMIT, "commit", "COMMIT")					\
	X(ROLLBACK, "roll back", "ROLLBACK")				\
	X(SERVER_FIND, "look up a server",				\
	    "SELECT identity, fqdn, roles, site, profile, id"		\
	    " FROM server WHERE identity = ?1")				\
	X(SERVER_LIST, "list servers",					\
	    "SELECT identity, fqdn, roles, site, profile FROM server"	\
	    " ORDER BY identity")					\
	/* Neighbours in the identity index: bounded whatever the size. */ \
	X(SERVER_BEFORE, "look up similar server names",		\
	    "SELECT identity FROM server WHERE identity < ?1"		\
	    " ORDER BY identity DESC LIMIT ?2")				\
	X(SERVER_AFTER, "look up similar server names",			\
	    "SELECT identity FROM server WHERE identity > ?1"		\
	    " ORDER BY identity LIMIT ?2")				\
	X(SERVER_INSERT, "add a server",				\
	    "INSERT INTO server (identity, fqdn, roles, site, profile)"	\
	    " VALUES (?1, ?2, ?3, ?4, ?5)")				\
	X(SERVER_DELETE, "remove a server",				\
	    "DELETE FROM server WHERE id = ?1")				\
	X(IMAP4_INSERT, "add imap4 settings",				\
	    "INSERT INTO imap4 (server_id) VALUES (?1)")		\
	X(IMAP4_GET, "read imap4 settings",				\
	    "SELECT version, changed_by, changed_at"			\
	    " FROM imap4 WHERE server_id = ?1")				\
	X(SERVER_BORN, "read a server's row identity",			\
	    "SELECT born FROM server WHERE id = ?1")			\
	X(IMAP4_VALUES, "read imap4 values",				\
	    "SELECT name, configured, running FROM imap4_value"	\
	    " WHERE server_id = ?1 ORDER BY name")			\
	/* Upserts: a server row without its imap4 row still saves. */	\
	X(IMAP4_BUMP, "record the save",				\
	    "INSERT INTO imap4 (server_id, version, changed_by,"	\
	    " changed_at) VALUES (?1, 1, ?2, ?3)"			\
	    " ON CONFLICT (server_id) DO UPDATE SET"			\
	    " version = version + 1,"					\
	    " changed_by = excluded.changed_by,"			\
	    " changed_at = excluded.changed_at")			\
	X(VALUE_CONFIGURED, "save a configured value",			\
	    "INSERT INTO imap4_value (server_id, name, configured)"	\
	    " VALUES (?1, ?2, ?3) ON CONFLICT (server_id, name)"	\
	    " DO UPDATE SET configured = excluded.configured")		\
	X(APPLY_GET, "read the restart lock",				\
	    "SELECT " STORE_APPLY_COLS " FROM apply WHERE server_id = ?1") \
	X(APPLY_LIST, "read the restart locks",				\
	    "SELECT " STORE_APPLY_COLS " FROM apply ORDER BY server_id") \
	X(APPLY_INSERT, "take the restart lock",			\
	    "INSERT INTO apply (server_id, server, profile, version,"	\
	    " pushed, mode, step, file, pid, pid_start, user, started_at)" \
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'locked', ?7, ?8, ?9, ?10,"	\
	    " ?11)")							\
	X(APPLY_PREV, "record the previous settings file",		\
	    "UPDATE apply SET step = 'writing', had_prev = ?3, prev = ?4," \
	    " prev_mtime = ?5 WHERE server_id = ?1 AND pid = ?2")	\
	X(APPLY_STEP, "record the restart's step",			\
	    "UPDATE apply SET step = ?3 WHERE server_id = ?1 AND pid = ?2") \
	X(APPLY_TAKE, "take over a stale restart lock",			\
	    "UPDATE apply SET pid = ?3, pid_start = ?4"			\
	    " WHERE server_id = ?1 AND pid = ?2 AND pid_start = ?5")	\
	X(APPLY_DELETE, "release the restart lock",			\
	    "DELETE FROM apply WHERE server_id = ?1 AND pid = ?2")	\
	X(VALUE_PUSHED, "record what was pushed",			\
	    "INSERT INTO imap4_value (server_id, name, configured,"	\
	    " running) SELECT ?1, ?2, ?3, ?3"				\
	    " WHERE EXISTS (SELECT 1 FROM server WHERE id = ?1)"	\
	    " ON CONFLICT (server_id, name)"				\
	    " DO UPDATE SET running = excluded.running")		\
	X(AUDIT_INSERT, "write the audit log",				\
	    "INSERT INTO audit (at, user, server, action, what, outcome," \
	    " hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")		\
	X(RESTART_LAST, "record the last restart",			\
	    "INSERT INTO restart_last (server, outcome, ok_at)"		\
	    " VALUES (?1, ?2, CASE WHEN substr(?2, 1, 2) = 'ok'"		\
	    " THEN ?3 END) ON CONFLICT (server) DO UPDATE SET"		\
	    " outcome = excluded.outcome,"				\
	    " ok_at = coalesce(excluded.ok_at, ok_at)")			\
	X(RESTART_FORGET, "forget the last restart",			\
	    "DELETE FROM restart_last WHERE server = ?1")		\
	X(AUDIT_LAST_HASH, "read the audit chain's end",		\
	    "SELECT hash FROM audit ORDER BY id DESC LIMIT 1")		\
	X(AUDIT_CHAIN, "read the audit chain",				\
	    "SELECT id, at, user, server, action, what, outcome, hash,"	\
	    " id < (SELECT coalesce(min(first_id), 1) FROM audit_chain)" \
	    " FROM audit ORDER BY id")

/* How many statements store_window.c keeps (one per window direction,
 * and two counts). */
#define STORE_WINDOW_STMTS	8

enum store_stmt {
#define X(id, what, sql) STMT_##id,
	STORE_STMTS
#undef X
	STMT_COUNT
};

struct store {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*stmt[STMT_COUNT];
	/* store_window.c's statements, prepared when first used. */
	sqlite3_stmt	*window[STORE_WINDOW_STMTS];
};

/* Set *cause (if cause is not NULL) to a formatted message. */
void		 store_cause(char **cause, const char *fmt, ...)
		     __attribute__((format(printf, 2, 3)));
char		*store_strdup(const char *);

/*
 * Statements. store_query resets the statement and binds its arguments,
 * one per character of fmt: 's' const char * (NULL binds NULL), 'l' long,
 * 'i' int, 'b' a blob as const void * and size_t (NULL binds NULL).
 * store_step returns 1 for a row, 0 when done (and resets), -1
 * on error (cause names the statement and SQLite's message, and resets).
 * store_exec binds and runs a statement that returns no rows.
 */
sqlite3_stmt	*store_stmt(struct store *, enum store_stmt, char **cause);
sqlite3_stmt	*store_query(struct store *, enum store_stmt, char **cause,
		     const char *fmt, ...);
int		 store_step(struct store *, enum store_stmt, char **cause);
void		 store_reset(struct store *, enum store_stmt);
int		 store_exec(struct store *, enum store_stmt, char **cause,
		     const char *fmt, ...);
/* A copy of a text column, NULL for SQL NULL. */
char		*store_column_text(sqlite3_stmt *, int col);

int		 store_begin(struct store *, int write, char **cause);
int		 store_commit(struct store *, char **cause);
void		 store_rollback(struct store *);

/* A server's row id and (if out is not NULL) its row; identity is
 * case-insensitive. Returns 0, STORE_NOTFOUND (with cause) or -1. */
int		 store_server_find(struct store *, const char *identity,
		     long *id, struct store_server *out, char **cause);
/* Inside a transaction: validate and insert a server, its imap4 row and
 * the audit row. */
int		 store_server_insert(struct store *,
		     const struct store_server *, const char *user,
		     char **cause);

/* The audit row of a change, inside the change's transaction. */
int		 store_audit_entry_insert(struct store *, const char *identity,
		     const struct store_audit_entry *, char **cause);
/* "2026-01-01T00:00:00Z", now. */
void		 store_now(char *, size_t);
/* store_window.c: finalize its statements (from store_close). */
void		 store_window_close(struct store *);
/* What new-server's own checks refuse, with a cause naming the value. */
int		 store_check_identity(const char *, char **);
int		 store_check_fqdn(const char *identity, const char *fqdn,
		     char **);
/* "fqdn F, roles R, site S, profile P": the audit row of a server;
 * caller frees. */
char		*store_server_describe(const struct store_server *);
/* The audit chain: the hash of row f (at, user, server, action, what,
 * outcome) after prev (NULL at the start; -1 and *cause when OpenSSL
 * cannot be loaded), and the chain's end (caller frees; NULL when empty). */
int		 store_audit_hash(const char *prev, const char *const f[6],
		     char out[65], char **cause);
int		 store_audit_last(struct store *, char **hash, char **cause);
/* The syslog copy of a committed audit row, if a daemon listens (asked
 * at most once a second). */
int		 store_syslog_listening(void);
void		 store_audit_syslog(const char *const f[6], const char *hash);

/* A row's columns from col 0: identity, fqdn, roles, site, profile; and
 * id, at, user, server, action, what, outcome. */
void		 store_server_row(sqlite3_stmt *, struct store_server *);
void		 store_audit_row(sqlite3_stmt *, struct store_audit *);

/* schema.c: bring the database at s->db to STORE_SCHEMA_VERSION. */
int		 schema_migrate(struct store *, char **cause);
int		 schema_check(struct store *, char **cause);

#endif
