/* The SQLite store: opening and migrating the file, the prepared statement
 * table and its helpers, servers, IMAP4 settings and the audit log. */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <paths.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <syslog.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "data/ossl_load.h"
#include "data/store_internal.h"
#include "data/store_stream.h"

/* Long enough for other imapadm processes to finish a save or restart. */
#define STORE_BUSY_TIMEOUT	5000	/* milliseconds */
#define STORE_IDENTITY_MAX	63
#define STORE_FQDN_MAX		253
#define STORE_CACHE_KIB		"512"	/* PRAGMA cache_size, in KiB */

static const struct {
	const char	*what;
	const char	*sql;
} store_stmt_table[STMT_COUNT] = {
#define X(id, what, sql) [STMT_##id] = { what, sql },
	STORE_STMTS
#undef X
};

static void	*store_reallocarray(void *, size_t, size_t);
static char	*store_printable(const char *);
static int	 store_use_wal(struct store *, char **);
static void	 store_align_wal_files(const char *);
static int	 store_open_db(struct store *, int, char **);
static sqlite3_stmt *store_vquery(struct store *, enum store_stmt, char **,
		     const char *, va_list);
static char	*store_column_borrow(sqlite3_stmt *, int);
static int	 store_audit_insert(struct store *, const char *,
		     const char *, const char *, const char *, const char *,
		     char **);
static int	 store_imap4_read(struct store *, long, struct store_imap4 *,
		     char **);
static int	 store_check_names(size_t, const char *const [],
		     const long [], char **);

/* Helpers. */

void
store_cause(char **cause, const char *fmt, ...)
{
	va_list	ap;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
	va_end(ap);
}

/* Out of memory is not something a console can recover from: stop here
 * rather than carry NULL through every caller. */
char *
store_strdup(const char *s)
{
	char	*copy;

	if ((copy = strdup(s)) == NULL)
		abort();
	return (copy);
}

static void *
store_reallocarray(void *p, size_t n, size_t size)
{
	if ((p = reallocarray(p, n, size)) == NULL)
		abort();
	return (p);
}

/* A copy of a value from the user that is safe to print on a terminal. */
static char *
store_printable(const char *s)
{
	char	*copy, *cp;

	copy = store_strdup(s);
	for (cp = copy; *cp != '\0'; cp++) {
		if ((unsigned char)*cp < 0x20 || *cp == 0x7f)
			*cp = '?';
	}
	return (copy);
}

void
store_now(char *buf, size_t len)
{
	time_t		t;
	struct tm	tm;

	t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
store_check_identity(const char *identity, char **cause)
{
	const char	*cp;
	char		*shown;
	size_t		 len;

	if (identity == NULL || *identity == '\0') {
		store_cause(cause, "server identity is empty");
		return (-1);
	}
	len = strlen(identity);
	for (cp = identity; *cp != '\0'; cp++) {
		if ((*cp >= 'a' && *cp <= 'z') || (*cp >= 'A' && *cp <= 'Z') ||
		    (*cp >= '0' && *cp <= '9'))
			continue;
		/* %{identity} goes into command arguments: no "-rf". */
		if ((*cp == '-' || *cp == '_') && cp != identity)
			continue;
		shown = store_printable(identity);
		store_cause(cause, "invalid server identity \"%s\": use "
		    "letters, digits, - and _ only, starting with a letter or "
		    "digit", shown);
		free(shown);
		return (-1);
	}
	if (len > STORE_IDENTITY_MAX) {
		store_cause(cause, "server identity %s is too long (%zu "
		    "characters, at most %d)", identity, len,
		    STORE_IDENTITY_MAX);
		return (-1);
	}
	return (0);
}

/* The fqdn ends up in command arguments (ssh %{fqdn}): a leading '-'
 * would be read as an option, so only host name (or address) characters
 * pass. */
int
store_check_fqdn(const char *identity, const char *fqdn, char **cause)
{
	const char	*cp;
	char		*shown;
	size_t		 len;

	if (fqdn == NULL || *fqdn == '\0') {
		store_cause(cause, "server %s has no fqdn", identity);
		return (-1);
	}
	len = strlen(fqdn);
	for (cp = fqdn; *cp != '\0'; cp++) {
		if ((*cp >= 'a' && *cp <= 'z') || (*cp >= 'A' && *cp <= 'Z') ||
		    (*cp >= '0' && *cp <= '9') || strchr("-._:", *cp) != NULL)
			continue;
		break;
	}
	if (*cp != '\0' || *fqdn == '-' || *fqdn == '.' ||
	    len > STORE_FQDN_MAX) {
		shown = store_printable(fqdn);
		store_cause(cause, "invalid fqdn \"%s\" for server %s: use a "
		    "host name or address of letters, digits, -, ., _ and : "
		    "(at most %d characters, not starting with - or .)",
		    shown, identity, STORE_FQDN_MAX);
		free(shown);
		return (-1);
	}
	return (0);
}

/* Statements. */

static sqlite3_stmt *
store_vquery(struct store *s, enum store_stmt id, char **cause,
    const char *fmt, va_list ap)
{
	sqlite3_stmt	*stmt;
	const char	*text;
	int		 i, rc = SQLITE_OK;

	if ((stmt = store_stmt(s, id, cause)) == NULL)
		return (NULL);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	for (i = 0; fmt[i] != '\0' && rc == SQLITE_OK; i++) {
		switch (fmt[i]) {
		case 's':
			text = va_arg(ap, const char *);
			if (text == NULL)
				rc = sqlite3_bind_null(stmt, i + 1);
			else {
				rc = sqlite3_bind_text(stmt, i + 1, text, -1,
				    SQLITE_TRANSIENT);
			}
			break;
		case 'l':
			rc = sqlite3_bind_int64(stmt, i + 1, va_arg(ap, long));
			break;
		case 'i':
			rc = sqlite3_bind_int(stmt, i + 1, va_arg(ap, int));
			break;
		case 'b': {
			const void	*blob = va_arg(ap, const void *);
			size_t		 len = va_arg(ap, size_t);

			rc = blob == NULL ? sqlite3_bind_null(stmt, i + 1) :
			    sqlite3_bind_blob64(stmt, i + 1, blob, len,
			    SQLITE_TRANSIENT);
			break;
		}
		default:
			abort();	/* a bad format is a bug here */
		}
	}
	if (rc != SQLITE_OK) {
		store_cause(cause, "cannot %s: %s", store_stmt_table[id].what,
		    sqlite3_errmsg(s->db));
		return (NULL);
	}
	return (stmt);
}

sqlite3_stmt *
store_query(struct store *s, enum store_stmt id, char **cause,
    const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;

	va_start(ap, fmt);
	stmt = store_vquery(s, id, cause, fmt, ap);
	va_end(ap);
	return (stmt);
}

int
store_step(struct store *s, enum store_stmt id, char **cause)
{
	int	rc;

	if (store_stmt(s, id, cause) == NULL)
		return (-1);
	rc = sqlite3_step(s->stmt[id]);
	if (rc == SQLITE_ROW)
		return (1);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s->stmt[id]);
		return (0);
	}
	store_cause(cause, "cannot %s: %s", store_stmt_table[id].what,
	    sqlite3_errmsg(s->db));
	sqlite3_reset(s->stmt[id]);
	return (-1);
}

void
store_reset(struct store *s, enum store_stmt id)
{
	sqlite3_reset(s->stmt[id]);
}

int
store_exec(struct store *s, enum store_stmt id, char **cause,
    const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;

	va_start(ap, fmt);
	stmt = store_vquery(s, id, cause, fmt, ap);
	va_end(ap);
	if (stmt == NULL || store_step(s, id, cause) == -1)
		return (-1);
	store_reset(s, id);
	return (0);
}

char *
store_column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char	*text;

	if ((text = sqlite3_column_text(stmt, col)) == NULL)
		return (NULL);
	return (store_strdup((const char *)text));
}

int
store_begin(struct store *s, int write, char **cause)
{
	return (store_exec(s, write ? STMT_BEGIN_WRITE : STMT_BEGIN_READ, cause,
	    ""));
}

int
store_commit(struct store *s, char **cause)
{
	if (store_exec(s, STMT_COMMIT, cause, "") != 0) {
		store_rollback(s);
		return (-1);
	}
	return (0);
}

/* Some errors (SQLITE_FULL, SQLITE_IOERR) roll back by themselves. */
void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		store_exec(s, STMT_ROLLBACK, NULL, "");
}

/* Opening. */

static int
store_use_wal(struct store *s, char **cause)
{
	sqlite3_stmt		*stmt;
	const unsigned char	*mode = NULL;
	int			 rc;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &stmt,
	    NULL);
	if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
		mode = sqlite3_column_text(stmt, 0);
	if (mode == NULL) {
		store_cause(cause, "cannot set the journal mode of %s: %s",
		    s->path, sqlite3_errmsg(s->db));
		sqlite3_finalize(stmt);
		return (-1);
	}
	if (strcasecmp((const char *)mode, "wal") != 0) {
		store_cause(cause, "cannot use write-ahead logging on %s "
		    "(journal mode stays %s)", s->path, mode);
		sqlite3_finalize(stmt);
		return (-1);
	}
	sqlite3_finalize(stmt);
	return (0);
}

/*
 * Each statement is prepared when it is first used, not at open: a run
 * uses a few of them, and preparing all of them (SQLite's parser, the
 * schema's every table) was a third of the console's first screen.
 */
sqlite3_stmt *
store_stmt(struct store *s, enum store_stmt id, char **cause)
{
	if (s->stmt[id] == NULL && sqlite3_prepare_v3(s->db,
	    store_stmt_table[id].sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->stmt[id], NULL) != SQLITE_OK) {
		store_cause(cause, "cannot prepare the statement to %s in %s: "
		    "%s", store_stmt_table[id].what, s->path,
		    sqlite3_errmsg(s->db));
		sqlite3_finalize(s->stmt[id]);
		s->stmt[id] = NULL;
	}
	return (s->stmt[id]);
}

/*
 * SQLite deletes the -wal and -shm files when the last connection closes,
 * and a reader who may not write beside the database cannot make them
 * again. So writers keep them (small, see journal_size_limit) and keep them
 * as readable as the database: chmod 640 on the database is then all it
 * takes to share it with a group. The modes are set before SQLite opens
 * anything: closing a descriptor of a file drops every POSIX lock this
 * process holds on it, SQLite's included (another process would then take
 * the -shm for unused and truncate it under our mapping).
 */
static void
store_align_wal_files(const char *dbpath)
{
	static const char *const suffix[] = { "-wal", "-shm" };
	struct stat	 db, sb;
	char		*path;
	size_t		 i;
	int		 fd;

	if (stat(dbpath, &db) != 0)
		return;
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		if (asprintf(&path, "%s%s", dbpath, suffix[i]) == -1)
			abort();
		fd = open(path, O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC);
		free(path);
		if (fd == -1)
			continue;
		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_uid == geteuid()) {
			if (sb.st_gid != db.st_gid)
				(void)fchown(fd, (uid_t)-1, db.st_gid);
			if ((sb.st_mode & 07777) != (db.st_mode & 0666))
				(void)fchmod(fd, db.st_mode & 0666);
		}
		close(fd);
	}
}

/*
 * Before SQLite starts:
 * - no bulk page cache: each connection would take 20 pages' worth (87 KB)
 *   at its first read and write every page's header; a page is then taken
 *   when it is read, as the pages past those 20 always were;
 * - no memory statistics (nothing here reads them): each allocation took
 *   a global mutex to count itself, 3% of the console's first screen.
 */
static void
store_sqlite_setup(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int
store_open_db(struct store *s, int flags, char **cause)
{
	static pthread_once_t	 once = PTHREAD_ONCE_INIT;
	int			 rc;

	(void)pthread_once(&once, store_sqlite_setup);
	/* One connection per thread: no mutex around every call. */
	rc = sqlite3_open_v2(s->path, &s->db, ((flags & STORE_READONLY) ?
	    SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX,
	    NULL);
	if (rc != SQLITE_OK) {
		store_cause(cause, "cannot open database %s: %s", s->path,
		    s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory");
		return (-1);
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT);
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL,
	    NULL) != SQLITE_OK) {
		store_cause(cause, "cannot enable foreign keys in %s: %s",
		    s->path, sqlite3_errmsg(s->db));
		return (-1);
	}
	return (0);
}

int
store_open(const char *path, struct store **out, char **cause)
{
	return (store_open_flags(path, 0, out, cause));
}

int
store_open_flags(const char *path, int flags, struct store **out,
    char **cause)
{
	struct store	*s;
	char		*why = NULL;
	int		 fd, one = 1;

	*out = NULL;
	if (path == NULL || *path == '\0') {
		store_cause(cause, "no database path given");
		return (-1);
	}

	if (flags & STORE_READONLY) {
		/* Look, create nothing. */
		if (access(path, R_OK) != 0) {
			store_cause(cause, "cannot read database %s: %s", path,
			    strerror(errno));
			return (-1);
		}
	} else {
		/* Create the file ourselves: SQLite would use 0644. */
		if ((fd = open(path, O_RDWR|O_CREAT|O_CLOEXEC, 0600)) == -1) {
			store_cause(cause, "cannot open database %s: %s", path,
			    strerror(errno));
			return (-1);
		}
		close(fd);
	}

	if (!(flags & STORE_READONLY))
		store_align_wal_files(path);
	if ((s = calloc(1, sizeof *s)) == NULL)
		abort();
	s->path = store_strdup(path);
	if (store_open_db(s, flags, cause) != 0)
		goto fail;
	if (flags & STORE_READONLY) {
		if (schema_check(s, &why) != 0) {
			if ((sqlite3_extended_errcode(s->db) & 0xff) ==
			    SQLITE_READONLY ||
			    (sqlite3_extended_errcode(s->db) & 0xff) ==
			    SQLITE_CANTOPEN) {
				store_cause(cause, "cannot read database %s "
				    "without writing beside it: SQLite needs "
				    "%s-wal and %s-shm, missing or not "
				    "readable for you (its owner's next "
				    "imapadm run makes them as readable as "
				    "the database)", path, path, path);
				free(why);
			} else
				*cause = why;
			goto fail;
		}
		*out = s;
		return (0);
	}
	/*
	 * A small page cache: a count or a filter at 100,000 servers reads
	 * every page once, and a cache holding them all (SQLite's 2 MB)
	 * would only grow the console by that much; the OS caches the file.
	 */
	sqlite3_exec(s->db, "PRAGMA cache_size = -" STORE_CACHE_KIB, NULL, NULL,
	    NULL);

	/* Migrating first also refuses files that are not ours before
	 * their journal mode is touched. */
	if (schema_migrate(s, cause) != 0 || store_use_wal(s, cause) != 0)
		goto fail;
	(void)sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	(void)sqlite3_exec(s->db, "PRAGMA journal_size_limit = 4194304", NULL,
	    NULL, NULL);
	/* Kept for readers who may not create them (store_align_wal_files). */
	sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
	*out = s;
	return (0);

fail:
	store_close(s);
	return (-1);
}

void
store_close(struct store *s)
{
	int	i;

	if (s == NULL)
		return;
	for (i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	store_window_close(s);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

char *
store_default_path(void)
{
	const char	*base;
	struct passwd	*pw;
	char		*path;
	int		 rc;

	/* The XDG spec says to ignore relative values. */
	base = getenv("XDG_DATA_HOME");
	if (base != NULL && *base == '/') {
		rc = asprintf(&path, "%s/imapadm/imapadm.db", base);
		return (rc == -1 ? NULL : path);
	}
	base = getenv("HOME");
	if (base == NULL || *base == '\0') {
		if ((pw = getpwuid(getuid())) == NULL)
			return (NULL);
		base = pw->pw_dir;
	}
	rc = asprintf(&path, "%s/.local/share/imapadm/imapadm.db", base);
	return (rc == -1 ? NULL : path);
}

int
store_mkdir_parent(const char *path, char **cause)
{
	struct stat	 sb;
	char		*dir, *cp, *slash, saved;

	dir = store_strdup(path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir) {
		free(dir);
		return (0);
	}
	*slash = '\0';

	for (cp = dir + 1;; cp++) {
		if (*cp != '/' && *cp != '\0')
			continue;
		saved = *cp;
		*cp = '\0';
		if (stat(dir, &sb) == 0) {
			if (!S_ISDIR(sb.st_mode)) {
				store_cause(cause, "cannot create directory "
				    "%s: a file of that name is in the way",
				    dir);
				free(dir);
				return (-1);
			}
		} else if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			store_cause(cause, "cannot create directory %s: %s",
			    dir, strerror(errno));
			free(dir);
			return (-1);
		}
		if ((*cp = saved) == '\0')
			break;
	}
	free(dir);
	return (0);
}

/* Servers. */

void
store_server_free(struct store_server *srv)
{
	if (srv == NULL)
		return;
	free(srv->identity);
	free(srv->fqdn);
	free(srv->roles);
	free(srv->site);
	free(srv->profile);
	memset(srv, 0, sizeof *srv);
}

void
store_server_list_free(struct store_server *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_server_free(&list[i]);
	free(list);
}

/* Columns identity, fqdn, roles, site, profile from col 0. */
void
store_server_row(sqlite3_stmt *stmt, struct store_server *srv)
{
	srv->identity = store_column_text(stmt, 0);
	srv->fqdn = store_column_text(stmt, 1);
	srv->roles = store_column_text(stmt, 2);
	srv->site = store_column_text(stmt, 3);
	srv->profile = store_column_text(stmt, 4);
}

/* Joined by hand, not by asprintf: an import describes 100,000 servers. */
char *
store_server_describe(const struct store_server *srv)
{
	const char	*part[8];
	char		*what, *p;
	size_t		 i, len[8], total = 1;

	part[0] = "fqdn ";
	part[1] = srv->fqdn;
	part[2] = ", roles ";
	part[3] = srv->roles;
	part[4] = ", site ";
	part[5] = srv->site;
	part[6] = ", profile ";
	part[7] = *srv->profile != '\0' ? srv->profile : "(none)";
	for (i = 0; i < 8; i++)
		total += len[i] = strlen(part[i]);
	if ((what = malloc(total)) == NULL)
		abort();
	for (p = what, i = 0; i < 8; i++) {
		memcpy(p, part[i], len[i]);
		p += len[i];
	}
	*p = '\0';
	return (what);
}

int
store_server_find(struct store *s, const char *identity, long *id,
    struct store_server *out, char **cause)
{
	char	*shown;
	int	 rc;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (identity == NULL)
		identity = "";
	if (store_query(s, STMT_SERVER_FIND, cause, "s", identity) == NULL)
		return (-1);
	if ((rc = store_step(s, STMT_SERVER_FIND, cause)) == -1)
		return (-1);
	if (rc == 0) {
		shown = store_printable(identity);
		store_cause(cause, "no server named %s", shown);
		free(shown);
		return (STORE_NOTFOUND);
	}
	if (id != NULL)
		*id = sqlite3_column_int64(s->stmt[STMT_SERVER_FIND], 5);
	if (out != NULL)
		store_server_row(s->stmt[STMT_SERVER_FIND], out);
	store_reset(s, STMT_SERVER_FIND);
	return (0);
}

int
store_server_get(struct store *s, const char *identity,
    struct store_server *out, char **cause)
{
	return (store_server_find(s, identity, NULL, out, cause));
}

/* The text of a column, valid until the next step: the store_server
 * members are not const because the owning kind frees them. */
static char *
store_column_borrow(sqlite3_stmt *stmt, int col)
{
	return ((char *)(uintptr_t)sqlite3_column_text(stmt, col));
}

int
store_server_each(struct store *s, store_server_fn fn, void *arg,
    char **cause)
{
	sqlite3_stmt		*stmt;
	struct store_server	 row;
	int			 rc;

	if ((stmt = store_query(s, STMT_SERVER_LIST, cause, "")) == NULL)
		return (-1);
	while ((rc = store_step(s, STMT_SERVER_LIST, cause)) == 1) {
		row.identity = store_column_borrow(stmt, 0);
		row.fqdn = store_column_borrow(stmt, 1);
		row.roles = store_column_borrow(stmt, 2);
		row.site = store_column_borrow(stmt, 3);
		row.profile = store_column_borrow(stmt, 4);
		if ((rc = fn(arg, &row)) != 0) {
			store_reset(s, STMT_SERVER_LIST);
			return (rc);
		}
	}
	return (rc);
}

int
store_server_list(struct store *s, struct store_server **out, size_t *n,
    char **cause)
{
	struct store_server	*list = NULL;
	size_t			 len = 0, size = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if (store_query(s, STMT_SERVER_LIST, cause, "") == NULL)
		return (-1);
	while ((rc = store_step(s, STMT_SERVER_LIST, cause)) == 1) {
		if (len == size) {
			size = size == 0 ? 8 : size * 2;
			list = store_reallocarray(list, size, sizeof *list);
		}
		store_server_row(s->stmt[STMT_SERVER_LIST], &list[len++]);
	}
	if (rc == -1) {
		store_server_list_free(list, len);
		return (-1);
	}
	*out = list;
	*n = len;
	return (0);
}

void
store_names_free(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
store_server_near(struct store *s, const char *identity, size_t limit,
    char ***out, size_t *n, char **cause)
{
	static const enum store_stmt	 sides[] = { STMT_SERVER_BEFORE,
					     STMT_SERVER_AFTER };
	char				**names;
	size_t				  len = 0, i;
	long				  max;
	int				  rc = 0;

	*out = NULL;
	*n = 0;
	max = limit > 1000 ? 1000 : (long)limit;
	names = store_reallocarray(NULL, 2 * (size_t)max + 1, sizeof *names);
	for (i = 0; i < 2 && rc == 0; i++) {
		if (store_query(s, sides[i], cause, "sl", identity, max) ==
		    NULL) {
			rc = -1;
			break;
		}
		while ((rc = store_step(s, sides[i], cause)) == 1)
			names[len++] = store_column_text(s->stmt[sides[i]], 0);
	}
	if (rc == -1) {
		store_names_free(names, len);
		return (-1);
	}
	*out = names;
	*n = len;
	return (0);
}

int
store_server_insert(struct store *s, const struct store_server *srv,
    const char *user, char **cause)
{
	struct store_server	 row, old;
	char			*what, *why = NULL;
	long			 id;
	int			 rc;

	if (store_check_identity(srv->identity, cause) != 0 ||
	    store_check_fqdn(srv->identity, srv->fqdn, cause) != 0)
		return (-1);
	row.identity = srv->identity;
	row.fqdn = srv->fqdn;
	row.roles = srv->roles != NULL ? srv->roles : "";
	row.site = srv->site != NULL ? srv->site : "";
	row.profile = srv->profile != NULL ? srv->profile : "";

	rc = store_server_find(s, row.identity, NULL, &old, &why);
	if (rc == -1) {
		if (cause != NULL)
			*cause = why;
		else
			free(why);
		return (-1);
	}
	free(why);
	if (rc == 0) {
		store_cause(cause, "server %s already exists", old.identity);
		store_server_free(&old);
		return (-1);
	}

	if (store_exec(s, STMT_SERVER_INSERT, cause, "sssss", row.identity,
	    row.fqdn, row.roles, row.site, row.profile) != 0)
		return (-1);
	id = sqlite3_last_insert_rowid(s->db);
	if (store_exec(s, STMT_IMAP4_INSERT, cause, "l", id) != 0)
		return (-1);
	what = store_server_describe(&row);
	rc = store_audit_insert(s, user, row.identity, "new-server", what,
	    "saved", cause);
	free(what);
	return (rc);
}

int
store_server_add(struct store *s, const struct store_server *srv,
    const char *user, char **cause)
{
	if (store_begin(s, 1, cause) != 0)
		return (-1);
	if (store_server_insert(s, srv, user, cause) != 0) {
		store_rollback(s);
		return (-1);
	}
	return (store_commit(s, cause));
}

int
store_server_remove(struct store *s, const char *identity, const char *user,
    char **cause)
{
	struct store_server	 old;
	char			*what;
	long			 id;
	int			 rc;

	if (store_begin(s, 1, cause) != 0)
		return (-1);
	if ((rc = store_server_find(s, identity, &id, &old, cause)) != 0) {
		store_rollback(s);
		return (rc);
	}
	/* The audit row keeps what the server was: its rows go with it, its
	 * last restart too (one added again by that name was never
	 * restarted). */
	what = store_server_describe(&old);
	rc = store_exec(s, STMT_SERVER_DELETE, cause, "l", id);
	if (rc == 0)
		rc = store_exec(s, STMT_RESTART_FORGET, cause, "s",
		    old.identity);
	if (rc == 0) {
		rc = store_audit_insert(s, user, old.identity, "remove-server",
		    what, "saved", cause);
	}
	free(what);
	store_server_free(&old);
	if (rc != 0) {
		store_rollback(s);
		return (-1);
	}
	return (store_commit(s, cause));
}

/* IMAP4 settings. */

void
store_imap4_free(struct store_imap4 *im)
{
	size_t	i;

	if (im == NULL)
		return;
	for (i = 0; i < im->n; i++)
		free(im->values[i].name);
	free(im->values);
	free(im->changed_by);
	free(im->changed_at);
	memset(im, 0, sizeof *im);
}

/* Inside a transaction, so version and values agree. */
static int
store_imap4_read(struct store *s, long id, struct store_imap4 *out,
    char **cause)
{
	sqlite3_stmt		*stmt;
	struct store_value	*v;
	size_t			 size = 0;
	int			 rc;

	memset(out, 0, sizeof *out);
	if ((stmt = store_query(s, STMT_SERVER_BORN, cause, "l", id)) == NULL ||
	    (rc = store_step(s, STMT_SERVER_BORN, cause)) == -1)
		return (-1);
	if (rc == 1) {
		out->server_id = sqlite3_column_int64(stmt, 0);
		store_reset(s, STMT_SERVER_BORN);
	}
	if ((stmt = store_query(s, STMT_IMAP4_GET, cause, "l", id)) == NULL ||
	    (rc = store_step(s, STMT_IMAP4_GET, cause)) == -1)
		return (-1);
	if (rc == 1) {
		out->version = sqlite3_column_int64(stmt, 0);
		out->changed_by = store_column_text(stmt, 1);
		out->changed_at = store_column_text(stmt, 2);
		store_reset(s, STMT_IMAP4_GET);
	}

	if ((stmt = store_query(s, STMT_IMAP4_VALUES, cause, "l", id)) == NULL)
		goto fail;
	while ((rc = store_step(s, STMT_IMAP4_VALUES, cause)) == 1) {
		if (out->n == size) {
			size = size == 0 ? 4 : size * 2;
			out->values = store_reallocarray(out->values, size,
			    sizeof *out->values);
		}
		v = &out->values[out->n++];
		v->name = store_column_text(stmt, 0);
		v->configured = sqlite3_column_int64(stmt, 1);
		v->has_running = sqlite3_column_type(stmt, 2) != SQLITE_NULL;
		v->running = v->has_running ? sqlite3_column_int64(stmt, 2) : 0;
	}
	if (rc == 0)
		return (0);

fail:
	store_imap4_free(out);
	return (-1);
}

int
store_imap4_get(struct store *s, const char *identity,
    struct store_imap4 *out, char **cause)
{
	long	id;
	int	rc;

	memset(out, 0, sizeof *out);
	if (store_begin(s, 0, cause) != 0)
		return (-1);
	rc = store_server_find(s, identity, &id, NULL, cause);
	if (rc == 0)
		rc = store_imap4_read(s, id, out, cause);
	if (rc != 0) {
		store_rollback(s);
		return (rc);
	}
	if (store_commit(s, cause) != 0) {
		store_imap4_free(out);
		return (-1);
	}
	return (0);
}

static int
store_check_names(size_t n, const char *const names[], const long values[],
    char **cause)
{
	size_t	i;

	if (n != 0 && (names == NULL || values == NULL)) {
		store_cause(cause, "no setting names or values given");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (names[i] == NULL || *names[i] == '\0') {
			store_cause(cause, "setting %zu has no name", i + 1);
			return (-1);
		}
	}
	return (0);
}

int
store_imap4_save(struct store *s, const char *identity,
    long expected_version, size_t n, const char *const names[],
    const long values[], const char *user, const char *audit_what,
    struct store_imap4 *current, char **cause)
{
	struct store_imap4_change	c;

	memset(&c, 0, sizeof c);
	c.server_id = STORE_ANY;
	c.version = expected_version;
	c.n = n;
	c.names = names;
	c.values = values;
	c.user = user;
	c.what = audit_what;
	return (store_imap4_change(s, identity, &c, current, cause));
}

int
store_imap4_change(struct store *s, const char *identity,
    const struct store_imap4_change *c, struct store_imap4 *current,
    char **cause)
{
	struct store_server	srv;
	struct store_imap4	cur;
	const char		*user = c->user != NULL ? c->user : "";
	char			now[32], *what = NULL;
	long			id;
	size_t			i;
	int			rc;

	if (current != NULL)
		memset(current, 0, sizeof *current);
	if (store_check_names(c->n, c->names, c->values, cause) != 0)
		return (-1);

	/* IMMEDIATE: the version read below cannot move before COMMIT. */
	if (store_begin(s, 1, cause) != 0)
		return (-1);
	if ((rc = store_server_find(s, identity, &id, &srv, cause)) != 0) {
		store_rollback(s);
		return (rc);
	}
	if (store_imap4_read(s, id, &cur, cause) != 0)
		goto fail;
	if (c->server_id != STORE_ANY && c->server_id != cur.server_id) {
		store_rollback(s);
		store_cause(cause, "%s was removed and added again since it "
		    "was read (it is another server now)", srv.identity);
		rc = STORE_REPLACED;
		goto conflict;
	}
	if (c->version != STORE_ANY && cur.version != c->version) {
		store_rollback(s);
		store_cause(cause, "the imap4 settings of %s were changed by "
		    "%s at %s (now version %ld, yours was read at version %ld)",
		    srv.identity,
		    cur.changed_by != NULL ? cur.changed_by : "someone else",
		    cur.changed_at != NULL ? cur.changed_at : "an unknown time",
		    cur.version, c->version);
		rc = STORE_CONFLICT;
		goto conflict;
	}
	if (c->merge != NULL) {
		rc = c->merge(c->arg, &cur, &what);
		if (rc != 0) {
			store_rollback(s);
			if (rc == -1)
				*cause = what;
			else
				free(what);
			store_imap4_free(&cur);
			store_server_free(&srv);
			return (rc == -1 ? -1 : 0);
		}
	}
	store_imap4_free(&cur);

	for (i = 0; i < c->n; i++) {
		if (store_exec(s, STMT_VALUE_CONFIGURED, cause, "lsl", id,
		    c->names[i], c->values[i]) != 0)
			goto fail;
	}
	store_now(now, sizeof now);
	if (store_exec(s, STMT_IMAP4_BUMP, cause, "lss", id, user, now) != 0 ||
	    store_audit_insert(s, user, srv.identity, "set-imapsettings",
	    what != NULL ? what : c->what != NULL ? c->what : "", "saved",
	    cause) != 0)
		goto fail;
	free(what);
	store_server_free(&srv);
	return (store_commit(s, cause));

conflict:
	if (current != NULL)
		*current = cur;
	else
		store_imap4_free(&cur);
	store_server_free(&srv);
	return (rc);

fail:
	free(what);
	store_rollback(s);
	store_server_free(&srv);
	return (-1);
}

/* The audit row of a change, inside the change's transaction. */
int
store_audit_entry_insert(struct store *s, const char *identity,
    const struct store_audit_entry *audit, char **cause)
{
	if (audit == NULL)
		return (0);
	if (audit->action == NULL || *audit->action == '\0') {
		store_cause(cause, "audit row has no action");
		return (-1);
	}
	return (store_audit_insert(s, audit->user, identity, audit->action,
	    audit->what, audit->outcome, cause));
}

/* Audit log. */

/*
 * SHA-256 (hex) of the previous row's hash and this row's fields, each
 * length-prefixed ("LEN:" in decimal) so that no two rows read the same.
 * The input is laid out in one buffer and hashed in one call, with the
 * digest fetched once: an import hashes 100,000 rows. libcrypto is loaded
 * here, by the first row hashed: runs that write none never load it.
 */
int
store_audit_hash(const char *prev, const char *const f[6], char out[65],
    char **cause)
{
	static const char	 hex[] = "0123456789abcdef";
	static EVP_MD		*sha256;	/* fetched once, kept */
	static EVP_MD_CTX	*ctx;
	unsigned char		 md[SHA256_DIGEST_LENGTH];
	char			 small[1024], *buf = small, num[24], *p;
	char			*why;
	size_t			 i, len[7], total = 0, k;
	const char		*v[7];
	int			 ok;

	if (ossl_load(OSSL_LIB_CRYPTO, &why) != 0) {
		store_cause(cause, "cannot hash the audit row: %s",
		    why != NULL ? why : "out of memory");
		free(why);
		return (-1);
	}
	if (sha256 == NULL && (sha256 = sym_EVP_MD_fetch(NULL, "SHA256",
	    NULL)) == NULL) {
		store_cause(cause, "cannot hash the audit row: OpenSSL has "
		    "no SHA-256");
		return (-1);
	}
	if (ctx == NULL && (ctx = sym_EVP_MD_CTX_new()) == NULL) {
		store_cause(cause, "cannot hash the audit row: out of memory");
		return (-1);
	}
	v[0] = prev != NULL ? prev : "";
	for (i = 0; i < 6; i++)
		v[i + 1] = f[i];
	for (i = 0; i < 7; i++) {
		len[i] = strlen(v[i]);
		total += len[i] + sizeof num;
	}
	if (total > sizeof small && (buf = malloc(total)) == NULL) {
		store_cause(cause, "cannot hash the audit row: out of memory");
		return (-1);
	}
	for (p = buf, i = 0; i < 7; i++) {
		/* The length in decimal, written backwards into num. */
		k = sizeof num;
		num[--k] = ':';
		do {
			num[--k] = (char)('0' + len[i] % 10);
		} while ((len[i] /= 10) > 0 && k > 0);
		memcpy(p, num + k, sizeof num - k);
		p += sizeof num - k;
		memcpy(p, v[i], strlen(v[i]));
		p += strlen(v[i]);
	}
	ok = sym_EVP_DigestInit_ex(ctx, sha256, NULL) == 1 &&
	    sym_EVP_DigestUpdate(ctx, buf, (size_t)(p - buf)) == 1 &&
	    sym_EVP_DigestFinal_ex(ctx, md, NULL) == 1;
	if (buf != small)
		free(buf);
	if (!ok) {
		store_cause(cause, "cannot hash the audit row: SHA-256 failed");
		return (-1);
	}
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
	return (0);
}

static int	 store_syslog_open;	/* openlog once: one socket */

/* The hash of the chain's last row, NULL when there is none (caller frees). */
int
store_audit_last(struct store *s, char **hash, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*hash = NULL;
	if ((stmt = store_query(s, STMT_AUDIT_LAST_HASH, cause, "")) == NULL)
		return (-1);
	if ((rc = store_step(s, STMT_AUDIT_LAST_HASH, cause)) == 1)
		*hash = store_column_text(stmt, 0);
	while (rc == 1)
		rc = store_step(s, STMT_AUDIT_LAST_HASH, cause);
	return (rc == -1 ? -1 : 0);
}

static int
store_audit_insert(struct store *s, const char *user, const char *server,
    const char *action, const char *what, const char *outcome, char **cause)
{
	const char	*f[6];
	char		 now[32], hash[65], *prev = NULL;
	int		 own, rc;

	store_now(now, sizeof now);
	f[0] = now;
	f[1] = user != NULL ? user : "";
	f[2] = server != NULL ? server : "";
	f[3] = action;
	f[4] = what != NULL ? what : "";
	f[5] = outcome != NULL ? outcome : "";
	/* The chain's end and the new row in one write transaction: two
	 * writers cannot both link to the same row. */
	own = sqlite3_get_autocommit(s->db);
	if (own && store_begin(s, 1, cause) != 0)
		return (-1);
	if (store_audit_last(s, &prev, cause) != 0 ||
	    store_audit_hash(prev, f, hash, cause) != 0 ||
	    store_exec(s, STMT_AUDIT_INSERT, cause, "sssssss", f[0], f[1],
	    f[2], f[3], f[4], f[5], hash) != 0 ||
	    (strstr(action, STORE_RESTART_ACTION) != NULL &&
	    store_exec(s, STMT_RESTART_LAST, cause, "sss", f[2], f[5],
	    f[0]) != 0)) {
		if (cause != NULL && *cause == NULL)
			store_cause(cause, "cannot hash the audit row");
		free(prev);
		if (own)
			store_rollback(s);
		return (-1);
	}
	free(prev);
	rc = own ? store_commit(s, cause) : 0;
	if (rc == 0)
		store_audit_syslog(f, hash);
	return (rc);
}

/*
 * Whether a syslog daemon listens on /dev/log. Without one, glibc's
 * syslog() opens, fails to connect and closes a socket on every call and
 * drops the line: an import of 100,000 servers paid that 100,000 times.
 * Asked again at most once a second, so a daemon that starts later (under
 * a long console session) is found.
 */
int
store_syslog_listening(void)
{
	static time_t		 asked;
	static int		 listening;
	struct sockaddr_un	 sun;
	time_t			 now = time(NULL);
	int			 fd, type, i;

	if (listening || now == asked)
		return (listening);
	asked = now;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", _PATH_LOG);
	/* glibc tries a datagram socket, then a stream one. */
	for (i = 0; i < 2 && !listening; i++) {
		type = i == 0 ? SOCK_DGRAM : SOCK_STREAM;
		if ((fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0)) == -1)
			continue;
		listening = connect(fd, (struct sockaddr *)&sun,
		    sizeof sun) == 0;
		close(fd);
	}
	return (listening);
}

void
store_audit_syslog(const char *const f[6], const char *hash)
{
	/* A copy outside the database, where rsyslog or journald keep it. */
	if (!store_syslog_listening())
		return;
	if (!store_syslog_open) {
		openlog("imapadm", LOG_PID, LOG_AUTHPRIV);
		store_syslog_open = 1;
	}
	syslog(LOG_NOTICE, "audit: user=%s server=%s action=%s outcome=%s "
	    "what=%s hash=%s", f[1], f[2], f[3], f[5], f[4], hash);
}

int
store_audit_verify(struct store *s, long *bad, size_t *nrows,
    size_t *unchained, char **cause)
{
	sqlite3_stmt	*stmt;
	const char	*f[6], *stored;
	char		 want[65], *prev = NULL;
	size_t		 i;
	int		 rc, chained = 0, broken = 0;

	*bad = 0;
	*nrows = *unchained = 0;
	if ((stmt = store_query(s, STMT_AUDIT_CHAIN, cause, "")) == NULL)
		return (-1);
	while ((rc = store_step(s, STMT_AUDIT_CHAIN, cause)) == 1) {
		if (broken)
			continue;
		stored = (const char *)sqlite3_column_text(stmt, 7);
		/* Only rows from before the chain began may lack a hash. */
		if (stored == NULL && !chained &&
		    sqlite3_column_int(stmt, 8) != 0) {
			(*unchained)++;
			continue;
		}
		for (i = 0; i < 6; i++) {
			f[i] = (const char *)sqlite3_column_text(stmt,
			    (int)i + 1);
			if (f[i] == NULL)
				f[i] = "";
		}
		if (store_audit_hash(chained ? prev : NULL, f, want,
		    cause) != 0) {
			rc = -1;
			break;
		}
		chained = 1;
		(*nrows)++;
		if (stored == NULL || strcmp(stored, want) != 0) {
			*bad = sqlite3_column_int64(stmt, 0);
			broken = 1;
			continue;
		}
		free(prev);
		if ((prev = strdup(stored)) == NULL) {
			store_cause(cause, "out of memory");
			rc = -1;
			break;
		}
	}
	while (rc == 1)
		rc = store_step(s, STMT_AUDIT_CHAIN, cause);
	free(prev);
	if (rc == -1)
		return (-1);
	return (broken ? 1 : 0);
}

int
store_audit_add(struct store *s, const char *user, const char *server,
    const char *action, const char *what, const char *outcome, char **cause)
{
	if (action == NULL || *action == '\0') {
		store_cause(cause, "audit row has no action");
		return (-1);
	}
	return (store_audit_insert(s, user, server, action, what, outcome,
	    cause));
}

void
store_audit_list_free(struct store_audit *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].at);
		free(list[i].user);
		free(list[i].server);
		free(list[i].action);
		free(list[i].what);
		free(list[i].outcome);
	}
	free(list);
}

/* Columns id, at, user, server, action, what, outcome from col 0. */
void
store_audit_row(sqlite3_stmt *stmt, struct store_audit *a)
{
	a->id = sqlite3_column_int64(stmt, 0);
	a->at = store_column_text(stmt, 1);
	a->user = store_column_text(stmt, 2);
	a->server = store_column_text(stmt, 3);
	a->action = store_column_text(stmt, 4);
	a->what = store_column_text(stmt, 5);
	a->outcome = store_column_text(stmt, 6);
}

struct store_audit_collect {
	struct store_audit	*list;
	size_t			 len, size;
};

static int
store_audit_collect(void *arg, const struct store_audit *row)
{
	struct store_audit_collect	*c = arg;
	struct store_audit		*a;

	if (c->len == c->size) {
		c->size = c->size == 0 ? 16 : c->size * 2;
		c->list = store_reallocarray(c->list, c->size, sizeof *c->list);
	}
	a = &c->list[c->len++];
	a->id = row->id;
	a->at = row->at != NULL ? store_strdup(row->at) : NULL;
	a->user = row->user != NULL ? store_strdup(row->user) : NULL;
	a->server = row->server != NULL ? store_strdup(row->server) : NULL;
	a->action = row->action != NULL ? store_strdup(row->action) : NULL;
	a->what = row->what != NULL ? store_strdup(row->what) : NULL;
	a->outcome = row->outcome != NULL ? store_strdup(row->outcome) : NULL;
	return (0);
}

/* The rows of store_audit_each (its query, the server index), kept. */
int
store_audit_list(struct store *s, const char *identity, size_t limit,
    struct store_audit **out, size_t *n, char **cause)
{
	struct store_audit_collect	 c;

	*out = NULL;
	*n = 0;
	memset(&c, 0, sizeof c);
	if (store_audit_each(s, identity, limit, store_audit_collect, &c,
	    cause) != 0) {
		store_audit_list_free(c.list, c.len);
		return (-1);
	}
	*out = c.list;
	*n = c.len;
	return (0);
}
