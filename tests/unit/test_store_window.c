/* Unit tests of the server list's windows (data/store_window.c): keyset
 * reads both ways, the filter on identity and fqdn, counts and ranks, and
 * the state each row carries, on a fresh temporary database. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "data/store.h"
#include "data/store_internal.h"

#define AUTH	"AuthenticatedConnectionTimeout"
#define PREAUTH	"PreAuthenticatedConnectionTimeout"

struct fix {
	char		 dir[64];
	char		 path[128];
	struct store	*store;
};

static int	setup(void **);
static int	teardown(void **);
static void	add(struct store *, const char *, const char *);
static void	expect_window(struct store *, enum store_window_from,
		    const char *, const char *, size_t, const char *);
static int	window_cost(struct store *, enum store_window_from,
		    const char *, const char *, int *);
static void	no_exists(void *, size_t, const char *);

/* SRV00..SRV29 (fqdn srvNN.contoso.test), then web01 (fqdn
 * mail.fabrikam.test): lower case sorts among upper case. */
static int
setup(void **state)
{
	struct fix	*f;
	char		*cause = NULL, id[16];
	int		 i;

	f = calloc(1, sizeof *f);
	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_store_window.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/imapadm.db", f->dir);
	if (store_open(f->path, &f->store, &cause) != 0)
		fail_msg("store_open: %s", cause);
	for (i = 29; i >= 0; i--) {
		snprintf(id, sizeof id, "SRV%02d", i);
		add(f->store, id, NULL);
	}
	add(f->store, "web01", "mail.fabrikam.test");
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fix	*f = *state;
	char		 p[160];

	store_close(f->store);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return (0);
}

static void
add(struct store *s, const char *identity, const char *fqdn)
{
	struct store_server	 srv = { 0 };
	char			 id[32], f[128], *cause = NULL;
	size_t			 i;

	snprintf(id, sizeof id, "%s", identity);
	snprintf(f, sizeof f, "%s", fqdn != NULL ? fqdn : "");
	if (fqdn == NULL)
		snprintf(f, sizeof f, "%s.contoso.test", identity);
	for (i = 0; fqdn == NULL && f[i] != '\0'; i++)
		f[i] = (char)(f[i] >= 'A' && f[i] <= 'Z' ? f[i] + 32 : f[i]);
	srv.identity = id;
	srv.fqdn = f;
	srv.roles = (char *)"ClientAccess";
	srv.site = (char *)"S";
	srv.profile = (char *)"p";
	if (store_server_add(s, &srv, "admin", &cause) != 0)
		fail_msg("store_server_add %s: %s", identity, cause);
}

/* The identities of a window, joined by spaces, are want. */
static void
expect_window(struct store *s, enum store_window_from from, const char *key,
    const char *filter, size_t limit, const char *want)
{
	struct store_window_row	*rows;
	char			 got[512], *cause = NULL;
	size_t			 n, i;

	if (store_window(s, from, key, filter, limit, &rows, &n, &cause) != 0)
		fail_msg("store_window: %s", cause);
	got[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(got, " ");
		strcat(got, rows[i].server.identity);
	}
	store_window_free(rows, n);
	assert_string_equal(got, want);
}

static void
test_directions(void **state)
{
	struct store	*s = ((struct fix *)*state)->store;

	expect_window(s, STORE_WINDOW_FIRST, NULL, NULL, 3, "SRV00 SRV01 SRV02");
	expect_window(s, STORE_WINDOW_LAST, NULL, NULL, 3, "SRV28 SRV29 web01");
	expect_window(s, STORE_WINDOW_AFTER, "SRV10", NULL, 2, "SRV11 SRV12");
	expect_window(s, STORE_WINDOW_BEFORE, "SRV10", NULL, 2, "SRV08 SRV09");
	/* At: the key itself, case-insensitively, or what follows it. */
	expect_window(s, STORE_WINDOW_AT, "srv10", NULL, 2, "SRV10 SRV11");
	expect_window(s, STORE_WINDOW_AT, "SRV1", NULL, 1, "SRV10");
	expect_window(s, STORE_WINDOW_AT, "w", NULL, 5, "web01");
	expect_window(s, STORE_WINDOW_AFTER, "web01", NULL, 5, "");
	expect_window(s, STORE_WINDOW_BEFORE, "SRV00", NULL, 5, "");
	expect_window(s, STORE_WINDOW_BEFORE, "SRV02", NULL, 5, "SRV00 SRV01");
}

static void
test_filter(void **state)
{
	struct store	*s = ((struct fix *)*state)->store;
	char		*cause = NULL;
	size_t		 count, rank;

	/* Identity or fqdn, either case; LIKE's % and _ are plain text. */
	expect_window(s, STORE_WINDOW_FIRST, NULL, "v2", 20,
	    "SRV20 SRV21 SRV22 SRV23 SRV24 SRV25 SRV26 SRV27 SRV28 SRV29");
	expect_window(s, STORE_WINDOW_FIRST, NULL, "FABRIKAM", 5, "web01");
	expect_window(s, STORE_WINDOW_FIRST, NULL, "%", 5, "");
	expect_window(s, STORE_WINDOW_FIRST, NULL, "_", 5, "");
	expect_window(s, STORE_WINDOW_AFTER, "SRV25", "v2", 2, "SRV26 SRV27");
	expect_window(s, STORE_WINDOW_LAST, NULL, "v2", 2, "SRV28 SRV29");

	assert_int_equal(store_window_count(s, NULL, NULL, &count, &rank,
	    &cause), 0);
	assert_int_equal(count, 31);
	assert_int_equal(rank, 0);
	assert_int_equal(store_window_count(s, NULL, "srv10", &count, &rank,
	    &cause), 0);
	assert_int_equal(count, 31);
	assert_int_equal(rank, 10);
	assert_int_equal(store_window_count(s, "V2", "SRV25", &count, &rank,
	    &cause), 0);
	assert_int_equal(count, 10);
	assert_int_equal(rank, 5);
	assert_int_equal(store_window_count(s, "contoso", NULL, &count, NULL,
	    &cause), 0);
	assert_int_equal(count, 30);
}

/* Each row carries what the list derives its state from: the values
 * imapadm last pushed (by the restart path's own store calls) and the last
 * successful restart in the audit. */
static void
test_state(void **state)
{
	struct store		*s = ((struct fix *)*state)->store;
	struct store_window_row	*rows;
	const char		*names[2] = { AUTH, PREAUTH };
	const long		 v[2] = { 900, 45 };
	struct store_audit_entry ok = { "admin", "restart-imapservice",
				    "restarted", "ok: restarted" };
	struct store_apply	 rec = { .version = 1, .pid = 1 };
	char			*cause = NULL;
	size_t			 n;

	assert_int_equal(store_imap4_save(s, "SRV01", 0, 2, names, v, "admin",
	    "test", NULL, &cause), 0);
	assert_int_equal(store_imap4_save(s, "SRV02", 0, 2, names, v, "admin",
	    "test", NULL, &cause), 0);
	rec.server = strdup("SRV02");
	assert_int_equal(store_apply_begin(s, &rec, NULL, &cause), 0);
	assert_int_equal(store_apply_end(s, &rec, 2, names, v, &ok, &cause),
	    0);
	store_apply_free(&rec);
	assert_int_equal(store_window(s, STORE_WINDOW_FIRST, NULL, NULL, 3,
	    &rows, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].imap4.n, 0);
	assert_null(rows[0].restarted_at);
	assert_int_equal(rows[1].imap4.n, 2);
	assert_int_equal(rows[1].imap4.values[0].has_running, 0);
	assert_null(rows[1].restarted_at);
	assert_int_equal(rows[2].imap4.n, 2);
	assert_string_equal(rows[2].imap4.values[0].name, AUTH);
	assert_int_equal(rows[2].imap4.values[0].running, 900);
	assert_string_equal(rows[2].imap4.values[1].name, PREAUTH);
	assert_int_equal(rows[2].imap4.values[1].running, 45);
	assert_non_null(rows[2].restarted_at);
	assert_string_equal(rows[2].server.fqdn, "srv02.contoso.test");
	assert_string_equal(rows[2].server.profile, "p");
	store_window_free(rows, n);
}

/* The VM steps of a window of three from key (matching filter, if any),
 * and whether it sorted. */
static int
window_cost(struct store *s, enum store_window_from from, const char *key,
    const char *filter, int *sorted)
{
	struct store_window_row	*rows;
	char			*cause = NULL;
	size_t			 n;

	/* Prepared by its first use, its counters kept until reset here. */
	if (s->window[from] != NULL) {
		sqlite3_stmt_status(s->window[from], SQLITE_STMTSTATUS_VM_STEP,
		    1);
		sqlite3_stmt_status(s->window[from], SQLITE_STMTSTATUS_SORT, 1);
	}
	if (store_window(s, from, key, filter, 3, &rows, &n, &cause) != 0)
		fail_msg("store_window: %s", cause);
	assert_int_equal(n, 3);
	store_window_free(rows, n);
	*sorted = sqlite3_stmt_status(s->window[from], SQLITE_STMTSTATUS_SORT,
	    0);
	return (sqlite3_stmt_status(s->window[from], SQLITE_STMTSTATUS_VM_STEP,
	    0));
}

static void
no_exists(void *arg, size_t i, const char *stored)
{
	fail_msg("setup: %s exists already", stored);
}

/*
 * A window costs the same however many servers the inventory holds: it
 * reads through the identity index from its key and stops when full, in
 * the order of its loops (nothing sorted: without a LIMIT, a sort would
 * read every server). Here 2,000 more servers change no window's cost, and
 * windows read backwards still give each server's values in name order.
 */
static void
test_bounded(void **state)
{
	static const struct {
		enum store_window_from	 from;
		const char		*key;
	} w[] = {
		{ STORE_WINDOW_FIRST, NULL }, { STORE_WINDOW_LAST, NULL },
		{ STORE_WINDOW_AFTER, "SRV10" }, { STORE_WINDOW_BEFORE, "SRV20" },
		{ STORE_WINDOW_AT, "SRV10" }
	};
	struct store		*s = ((struct fix *)*state)->store;
	struct store_server	*more;
	struct store_window_row	*rows;
	const char		*names[2] = { PREAUTH, AUTH };
	const long		 v[2] = { 45, 900 };
	char			*cause = NULL, (*ids)[16];
	int			 cost[5], sorted;
	size_t			 i, n, extra = 2000;

	for (i = 0; i < 5; i++) {
		cost[i] = window_cost(s, w[i].from, w[i].key, NULL, &sorted);
		assert_int_equal(sorted, 0);
		assert_true(cost[i] > 0);
		/* Filtered: more rows read, still in the loops' order. */
		(void)window_cost(s, w[i].from, w[i].key, "1", &sorted);
		assert_int_equal(sorted, 0);
	}
	/* SRVB0000...: after SRV29, before web01. */
	more = calloc(extra, sizeof *more);
	ids = calloc(extra, sizeof *ids);
	assert_non_null(more);
	assert_non_null(ids);
	for (i = 0; i < extra; i++) {
		snprintf(ids[i], sizeof ids[i], "SRVB%04zu", i);
		more[i].identity = ids[i];
		more[i].fqdn = (char *)"b.contoso.test";
		more[i].roles = (char *)"ClientAccess";
		more[i].site = (char *)"S";
		more[i].profile = (char *)"p";
	}
	if (store_server_add_many(s, more, extra, "admin", 0, no_exists, NULL,
	    &cause) != 0)
		fail_msg("store_server_add_many: %s", cause);
	free(more);
	free(ids);
	for (i = 0; i < 5; i++) {
		assert_int_equal(window_cost(s, w[i].from, w[i].key, NULL,
		    &sorted), cost[i]);
		assert_int_equal(sorted, 0);
	}

	assert_int_equal(store_imap4_save(s, "SRV02", 0, 2, names, v, "admin",
	    "test", NULL, &cause), 0);
	assert_int_equal(store_window(s, STORE_WINDOW_BEFORE, "SRV03", NULL, 2,
	    &rows, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[1].server.identity, "SRV02");
	assert_int_equal(rows[1].imap4.n, 2);
	assert_string_equal(rows[1].imap4.values[0].name, AUTH);
	assert_string_equal(rows[1].imap4.values[1].name, PREAUTH);
	store_window_free(rows, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_directions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
