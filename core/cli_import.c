/* import-servers: servers from CSV (what get-server --format csv writes),
 * each checked as new-server checks it, added all or none in one
 * transaction. Every bad row is named by FILE:LINE before anything is
 * written. */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/app.h"
#include "core/cli_internal.h"
#include "core/csv.h"
#include "core/str.h"

#define CLI_IMPORT_MAX		(1024UL * 1024 * 1024)	/* bytes of CSV */
#define CLI_IMPORT_SHOWN	5	/* names in a warning */

/* Errors wait to be shown in line order: the store's come last. */
struct cli_import_error {
	unsigned long	 line;
	size_t		 seq;
	char		*text;
};

/* What the servers of one profile adopt from its settings file. */
struct cli_import_adopt {
	struct store_adopt	 a;
	const char		*names[SETTING_COUNT];
	long			 values[SETTING_COUNT];
	char			*note;
	size_t			 nservers;
};

struct cli_import {
	struct app		*app;
	const char		*name;	/* the path, or "standard input" */
	unsigned long		 line;	/* of the record being checked */
	size_t			 nerrors;
	struct cli_import_error	*errors;
	int			 failed;	/* told already, not a row */

	/* The good rows: strings inside the file's buffer. */
	struct store_server	*rows;
	unsigned long		*lines;
	size_t			 nrows;
	size_t			 size;

	/* Identities seen so far, open addressing: hash bits and index + 1
	 * (cli_import_seen), 0 empty. */
	uint64_t		*seen;
	size_t			 nseen;	/* slots, a power of two */
};

static int	 cli_import_read(struct cli_import *, const char *, char **,
		     size_t *);
static void	 cli_import_bad(void *, const char *, const char *,
		     const char *);
static void	 cli_import_error(struct cli_import *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
static int	 cli_import_header(struct cli_import *, struct csv *,
		     int []);
static uint64_t	 cli_import_hash(const char *);
static size_t	 cli_import_seen(struct cli_import *, size_t);
static void	 cli_import_row(struct cli_import *, struct csv *,
		     const int [], size_t);
static void	 cli_import_report(struct cli_import *);
static size_t	 cli_import_adoptions(struct cli_import *,
		     struct cli_import_adopt **);
static void	 cli_import_said(const struct cli_import_adopt *, size_t);
static void	 cli_import_exists(void *, size_t, const char *);
static int	 cli_import_cmp(const void *, const void *);
static void	 cli_import_flush(struct cli_import *);

static void
cli_import_error(struct cli_import *im, const char *fmt, ...)
{
	struct cli_import_error	*grown;
	va_list			 ap;
	char			*s;

	va_start(ap, fmt);
	s = str_vprintf(fmt, ap);
	va_end(ap);
	grown = reallocarray(im->errors, im->nerrors + 1, sizeof *grown);
	if (grown == NULL || s == NULL)
		abort();
	im->errors = grown;
	grown[im->nerrors].line = im->line;
	grown[im->nerrors].seq = im->nerrors;
	grown[im->nerrors].text = s;
	im->nerrors++;
}

static int
cli_import_cmp(const void *a, const void *b)
{
	const struct cli_import_error	*x = a, *y = b;

	if (x->line != y->line)
		return (x->line < y->line ? -1 : 1);
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static void
cli_import_flush(struct cli_import *im)
{
	size_t	i;

	if (im->nerrors > 1)	/* qsort may not be given NULL */
		qsort(im->errors, im->nerrors, sizeof *im->errors,
		    cli_import_cmp);
	for (i = 0; i < im->nerrors; i++) {
		cli_error("%s:%lu: %s", im->name, im->errors[i].line,
		    im->errors[i].text);
		free(im->errors[i].text);
	}
	free(im->errors);
}

static void
cli_import_exists(void *arg, size_t i, const char *stored)
{
	struct cli_import	*im = arg;

	im->line = im->lines[i];
	cli_import_error(im, "Identity '%s': a server named %s exists "
	    "already", im->rows[i].identity, stored);
}

static void
cli_import_bad(void *arg, const char *column, const char *value,
    const char *allowed)
{
	struct cli_import	*im = arg;

	cli_import_error(im, "%s '%s': %s", column, value, allowed);
}

/*
 * The whole file, with one spare byte for the CSV reader. Under sudo a
 * path is read as root and its lines are quoted in messages: it must be
 * the invoking user's or readable by all (stdin is whatever he can open).
 */
static int
cli_import_read(struct cli_import *im, const char *path, char **out,
    size_t *outlen)
{
	struct stat	 st;
	const char	*sudo_uid = getenv("SUDO_UID");
	char		*buf = NULL, *grown, *nul;
	size_t		 len = 0, size = 0;
	ssize_t		 n;
	int		 fd;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY|O_CLOEXEC|O_NOCTTY)) == -1) {
		cli_error("cannot read %s: %s", path, strerror(errno));
		return (-1);
	}
	if (fd != STDIN_FILENO && geteuid() == 0 && sudo_uid != NULL &&
	    fstat(fd, &st) == 0 && (uintmax_t)st.st_uid !=
	    strtoumax(sudo_uid, NULL, 10) && !(st.st_mode & S_IROTH)) {
		cli_error("cannot read %s under sudo: it would be read as root "
		    "and its lines quoted in messages, so it must belong to %s "
		    "or be readable by all (or give it on standard input: "
		    "-Path - < %s)", path, im->app->user, path);
		close(fd);
		return (-1);
	}
	for (;;) {
		if (size - len < 65536) {
			size = size == 0 ? 1 << 20 : size * 2;
			if (size > CLI_IMPORT_MAX + 1 ||
			    (grown = realloc(buf, size)) == NULL) {
				cli_error("cannot read %s: larger than %lu "
				    "bytes", im->name, CLI_IMPORT_MAX);
				goto fail;
			}
			buf = grown;
		}
		n = read(fd, buf + len, size - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			cli_error("cannot read %s: %s", im->name,
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	/* A NUL would end a field early without a word: refuse the file. */
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		for (im->line = 1; nul > buf; nul--)
			im->line += nul[-1] == '\n';
		cli_import_error(im, "NUL byte: not a text file");
		free(buf);
		return (-1);
	}
	*out = buf;
	*outlen = len;
	return (0);

fail:
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	return (-1);
}

/* Map the header's columns (any order, any case) to cli_server_columns:
 * col[i] is the header index of column i, -1 if absent. */
static int
cli_import_header(struct cli_import *im, struct csv *c, int col[])
{
	char		*name, *cause = NULL, *missing;
	size_t		 i, j, len;
	unsigned long	 line;
	int		 rc;

	for (i = 0; i < CLI_SERVER_NCOLUMNS; i++)
		col[i] = -1;
	if ((rc = csv_next(c, &line, &cause)) == 0) {
		cli_error("%s: empty: the first line must name the columns, "
		    "such as Identity,Fqdn,Roles,Site,Profile", im->name);
		im->failed = 1;
		return (-1);
	}
	im->line = line;
	if (rc == -1) {
		cli_import_error(im, "%s", cause);
		free(cause);
		return (-1);
	}
	for (j = 0; j < c->nfields; j++) {
		name = c->field[j];
		while (*name == ' ')
			name++;
		len = strlen(name);
		while (len > 0 && name[len - 1] == ' ')
			name[--len] = '\0';
		for (i = 0; i < CLI_SERVER_NCOLUMNS; i++) {
			if (strcasecmp(name, cli_server_columns[i]) == 0)
				break;
		}
		if (i == CLI_SERVER_NCOLUMNS)
			cli_import_error(im, "unknown column '%s' (known: "
			    "Identity, Fqdn, Roles, Site, Profile)", name);
		else if (col[i] != -1)
			cli_import_error(im, "column %s given twice",
			    cli_server_columns[i]);
		else
			col[i] = (int)j;
	}
	for (i = 0; i <= CLI_SERVER_ROLES; i++) {
		if (col[i] != -1)
			continue;
		missing = str_printf("no %s column (needed: Identity, Fqdn, "
		    "Roles; optional: Site, Profile)", cli_server_columns[i]);
		cli_import_error(im, "%s", missing != NULL ? missing : "");
		free(missing);
	}
	return (im->nerrors > 0 ? -1 : 0);
}

/*
 * Identities are ASCII (checked before they get here): fold by hand. The
 * last step spreads names that differ in their last characters (CAS00001,
 * CAS00002, ...) over the table: left as they were they made runs of
 * neighbouring slots, 38 comparisons a row at 100,000.
 */
static uint64_t
cli_import_hash(const char *s)
{
	uint64_t	h = 5381;
	unsigned char	c;

	for (; (c = (unsigned char)*s) != '\0'; s++)
		h = h * 33 + (c >= 'A' && c <= 'Z' ? c + 32U : c);
	/* MurmurHash3's finalizer. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (h);
}

/*
 * Remember row i's identity; return the earlier row with the same one
 * (its index + 1), or 0. A slot holds 32 bits of the name's hash above the
 * row's index + 1: the slot is found from them, even when the table grows,
 * and a row is read only when they match (at 100,000 rows, reading every
 * row met on the way was a cache miss each, 7% of an import's time).
 * An index + 1 fits in 32 bits: a row takes at least 6 of the file's at
 * most CLI_IMPORT_MAX bytes.
 */
static size_t
cli_import_seen(struct cli_import *im, size_t i)
{
	uint64_t	*old = im->seen, tag;
	size_t		 nold = im->nseen, k, slot, mask;

	if (2 * (im->nrows + 1) > im->nseen) {
		im->nseen = im->nseen == 0 ? 1024 : im->nseen * 2;
		if ((im->seen = calloc(im->nseen, sizeof *im->seen)) == NULL)
			abort();
		mask = im->nseen - 1;
		for (k = 0; k < nold; k++) {
			if (old[k] == 0)
				continue;
			slot = (size_t)(old[k] >> 32) & mask;
			while (im->seen[slot] != 0)
				slot = (slot + 1) & mask;
			im->seen[slot] = old[k];
		}
		free(old);
	}
	mask = im->nseen - 1;
	tag = cli_import_hash(im->rows[i].identity) >> 32;
	slot = (size_t)tag & mask;
	for (; im->seen[slot] != 0; slot = (slot + 1) & mask) {
		k = (size_t)(im->seen[slot] & 0xffffffffU);
		if (im->seen[slot] >> 32 == tag &&
		    strcasecmp(im->rows[k - 1].identity,
		    im->rows[i].identity) == 0)
			return (k);
	}
	im->seen[slot] = tag << 32 | (uint64_t)(i + 1);
	return (0);
}

/* Check one record; keep it if it is good. */
static void
cli_import_row(struct cli_import *im, struct csv *c, const int col[],
    size_t ncols)
{
	struct store_server	*r, *grown;
	unsigned long		*lines;
	const char		*in[CLI_SERVER_NCOLUMNS];
	size_t			 i, before = im->nerrors, dup;

	if (c->nfields != ncols) {
		cli_import_error(im, "%zu field%s, the header has %zu",
		    c->nfields, c->nfields == 1 ? "" : "s", ncols);
		return;
	}
	for (i = 0; i < CLI_SERVER_NCOLUMNS; i++) {
		in[i] = col[i] != -1 ? c->field[col[i]] : NULL;
		/* An empty optional cell is a value left out. */
		if (i > CLI_SERVER_ROLES && in[i] != NULL && *in[i] == '\0')
			in[i] = NULL;
	}
	if (im->nrows == im->size) {
		im->size = im->size == 0 ? 1024 : im->size * 2;
		grown = reallocarray(im->rows, im->size, sizeof *grown);
		lines = reallocarray(im->lines, im->size, sizeof *lines);
		if (grown == NULL || lines == NULL)
			abort();
		im->rows = grown;
		im->lines = lines;
	}
	r = &im->rows[im->nrows];
	im->lines[im->nrows] = im->line;
	cli_server_validate(im->app, in, r, cli_import_bad, im);
	if (im->nerrors > before)
		return;
	if ((dup = cli_import_seen(im, im->nrows)) != 0) {
		cli_import_error(im, "Identity '%s': the same server as line "
		    "%lu", r->identity, im->lines[dup - 1]);
		return;
	}
	im->nrows++;
}

/* Client access servers without a profile: counted, a few named. */
static void
cli_import_report(struct cli_import *im)
{
	char	*names = NULL;
	size_t	 i, n = 0;

	printf("imported %zu server%s from %s\n", im->nrows,
	    im->nrows == 1 ? "" : "s", im->name);
	for (i = 0; i < im->nrows; i++) {
		if (*im->rows[i].profile != '\0' ||
		    !cli_server_has_role(&im->rows[i], "ClientAccess"))
			continue;
		if (n++ < CLI_IMPORT_SHOWN)
			str_append(&names, ", ", "%s",
			    im->rows[i].identity);
	}
	if (n > 0)
		cli_warn("%zu client access server%s no service profile: "
		    "restart-imapservice cannot reach %s IMAP4 service (%s%s)",
		    n, n == 1 ? " has" : "s have", n == 1 ? "its" : "their",
		    names != NULL ? names : "", n > CLI_IMPORT_SHOWN ?
		    ", ..." : "");
	free(names);
}

/*
 * New servers start from what their service holds, as new-server's do: the
 * settings file of each profile among the rows is read once (local
 * nginx-mail profiles; a remote one's file is on each host, which only
 * new-server reads). cli_import_said tells, once the import is in.
 */
static size_t
cli_import_adoptions(struct cli_import *im, struct cli_import_adopt **out)
{
	struct cli_import_adopt	*v = NULL, *a;
	const struct profile	*prof;
	struct observation	 o;
	size_t			 i, j, n = 0;

	*out = NULL;
	for (i = 0; i < im->nrows; i++) {
		if (*im->rows[i].profile == '\0')
			continue;
		for (j = 0; j < n; j++) {
			if (strcmp(v[j].a.profile, im->rows[i].profile) == 0)
				break;
		}
		if (j < n) {
			v[j].nservers++;
			continue;
		}
		if ((v = reallocarray(v, n + 1, sizeof *v)) == NULL)
			abort();
		a = &v[n++];
		memset(a, 0, sizeof *a);
		a->a.profile = im->rows[i].profile;
		a->nservers = 1;
		prof = config_profile(im->app->cfg, a->a.profile);
		if (prof == NULL || prof->type != PROFILE_NGINX_MAIL)
			continue;
		if (prof->remote == PROFILE_SSH) {
			a->note = str_printf("starts from the defaults: profile "
			    "%s's settings file is on each server's own host "
			    "(new-server reads it there)", prof->name);
			continue;
		}
		observe_server(im->app->cfg, prof, &im->rows[i], 0, &o);
		/* a->a's pointers are set once v stops moving. */
		if (imap4_adoption(&o, prof, a->values, &a->note)) {
			app_names(a->names);
			a->a.n = SETTING_COUNT;
		}
		observe_free(&o);
	}
	*out = v;
	return (n);
}

/* Once per profile, not per server: what its servers start from. */
static void
cli_import_said(const struct cli_import_adopt *v, size_t n)
{
	const char	*note;
	size_t		 j;

	for (j = 0; j < n; j++) {
		if ((note = v[j].note) == NULL)
			continue;
		/* "starts from the defaults" for one, "start" for more. */
		if (v[j].nservers != 1 && strncmp(note, "starts ", 7) == 0)
			printf("profile %s: %zu servers start %s\n",
			    v[j].a.profile, v[j].nservers, note + 7);
		else
			printf("profile %s: %zu server%s %s\n",
			    v[j].a.profile, v[j].nservers,
			    v[j].nservers == 1 ? "" : "s", note);
	}
}

int
cli_import_servers(struct app *app, const struct cli_args *args)
{
	struct cli_import	 im;
	struct csv		 c;
	const char		*path = cli_value(args, "Path");
	struct cli_import_adopt	*adopt = NULL;
	struct store_adopt	*stores;
	char			*buf, *cause = NULL;
	size_t			 len, ncols, nadopt, i, n;
	int			 col[CLI_SERVER_NCOLUMNS], rc;

	if (!cli_may_edit(app, "add or remove servers"))
		return (CLI_EXIT_FAIL);
	if (*path == '\0') {
		cli_error("empty -Path: name a CSV file, or - for standard "
		    "input");
		return (CLI_EXIT_FAIL);
	}
	memset(&im, 0, sizeof im);
	im.app = app;
	im.name = strcmp(path, "-") == 0 ? "standard input" : path;
	if (cli_import_read(&im, path, &buf, &len) != 0) {
		cli_import_flush(&im);
		return (CLI_EXIT_FAIL);
	}

	csv_init(&c, buf, len);
	if (cli_import_header(&im, &c, col) == 0) {
		ncols = c.nfields;
		while ((rc = csv_next(&c, &im.line, &cause)) != 0) {
			if (rc == -1) {
				cli_import_error(&im, "%s", cause);
				free(cause);
				continue;
			}
			cli_import_row(&im, &c, col, ncols);
		}
	}
	/* The store's duplicates are looked for even when other rows are
	 * bad: every error is told at once. */
	nadopt = im.nerrors > 0 || im.failed ? 0 :
	    cli_import_adoptions(&im, &adopt);
	/* Only the profiles that adopt: the others start from the defaults. */
	if ((stores = calloc(nadopt + 1, sizeof *stores)) == NULL)
		abort();
	for (i = n = 0; i < nadopt; i++) {
		if (adopt[i].a.n == 0)
			continue;
		adopt[i].a.names = adopt[i].names;
		adopt[i].a.values = adopt[i].values;
		adopt[i].a.note = adopt[i].note;
		stores[n++] = adopt[i].a;
	}
	rc = store_server_add_many_adopt(app->store, im.rows, im.nrows, stores,
	    n, app->user, im.nerrors > 0 || im.failed, cli_import_exists, &im,
	    &cause);
	free(stores);
	cli_import_flush(&im);
	if (rc == -1) {
		cli_error("nothing imported: %s", cause != NULL ? cause :
		    "cannot add the servers");
		free(cause);
		rc = CLI_EXIT_FAIL;
	} else if (im.nerrors > 0) {
		cli_error("nothing imported: %zu error%s in %s", im.nerrors,
		    im.nerrors == 1 ? "" : "s", im.name);
		rc = CLI_EXIT_FAIL;
	} else if (im.failed)
		rc = CLI_EXIT_FAIL;
	else {
		cli_import_report(&im);
		cli_import_said(adopt, nadopt);
		rc = CLI_EXIT_OK;
	}
	for (i = 0; i < nadopt; i++)
		free(adopt[i].note);
	free(adopt);
	csv_free(&c);
	free(im.rows);
	free(im.lines);
	free(im.seen);
	free(buf);
	return (rc);
}
