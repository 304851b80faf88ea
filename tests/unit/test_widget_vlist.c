/* Unit tests of the virtual list (tui/widget_vlist.c) on a made-up source
 * of sorted keys: moves land where a person expects, only a few pages of
 * rows are ever held, a move reads at most once, and a list that changes
 * behind its back (servers removed by someone else) keeps positions right. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/widget_vlist.h"
#include "unit_screen.h"

#define N	1000
#define H	5	/* rows on screen */

struct row {
	char	key[8];
};

struct src {
	int	alive[N];	/* 0: removed */
	size_t	fetches;
	size_t	counts;
};

static int
src_fetch(void *arg, enum wvlist_from from, const char *key, size_t max,
    void **rows, size_t *n, char **cause)
{
	struct src	*s = arg;
	struct row	*r;
	int		 i, k, step, start;
	char		 name[8];

	s->fetches++;
	r = calloc(max, sizeof *r);
	assert_non_null(r);
	*n = 0;
	step = from == WVLIST_LAST || from == WVLIST_BEFORE ? -1 : 1;
	start = step > 0 ? 0 : N - 1;
	for (i = start; i >= 0 && i < N && *n < max; i += step) {
		snprintf(name, sizeof name, "K%04d", i);
		if (!s->alive[i] ||
		    (from == WVLIST_AFTER && strcmp(name, key) <= 0) ||
		    (from == WVLIST_AT && strcmp(name, key) < 0) ||
		    (from == WVLIST_BEFORE && strcmp(name, key) >= 0))
			continue;
		memcpy(r[(*n)++].key, name, sizeof name);
	}
	if (step < 0) {	/* list order */
		for (k = 0; k < (int)*n / 2; k++) {
			struct row t = r[k];

			r[k] = r[*n - 1 - k];
			r[*n - 1 - k] = t;
		}
	}
	*rows = r;
	return (0);
}

static int
src_count(void *arg, const char *key, size_t *n, size_t *rank, char **cause)
{
	struct src	*s = arg;
	char		 name[8];
	int		 i;

	s->counts++;
	*n = *rank = 0;
	for (i = 0; i < N; i++) {
		if (!s->alive[i])
			continue;
		(*n)++;
		snprintf(name, sizeof name, "K%04d", i);
		if (key != NULL && strcmp(name, key) < 0)
			(*rank)++;
	}
	return (0);
}

static const char *
src_key(void *arg, const void *row)
{
	return (((const struct row *)row)->key);
}

static void
src_draw(void *arg, WINDOW *w, int y, int x, int width, const void *row,
    int selected)
{
}

static void
src_release(void *arg, void *row)
{
	memset(row, 0, sizeof (struct row));
}

static const struct wvlist_source src_ops = {
	.size = sizeof (struct row),
	.fetch = src_fetch,
	.count = src_count,
	.key = src_key,
	.draw = src_draw,
	.release = src_release
};

struct fix {
	struct unit_screen u;
	WINDOW		*win;
	struct src	 src;
	struct wvlist	*l;
};

static int
setup(void **state)
{
	struct fix	*f;
	int		 i;

	f = calloc(1, sizeof *f);
	assert_non_null(f);
	unit_screen_open(&f->u, "vt100");
	f->win = newwin(H, 40, 0, 0);
	assert_non_null(f->win);
	for (i = 0; i < N; i++)
		f->src.alive[i] = 1;
	f->l = wvlist_new(&src_ops, &f->src);
	assert_non_null(f->l);
	wvlist_set_window(f->l, f->win);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	wvlist_free(f->l);
	delwin(f->win);
	unit_screen_close(&f->u);
	free(f);
	return (0);
}

static const char *
selected(struct wvlist *l)
{
	const struct row	*r = wvlist_selected(l);

	return (r != NULL ? r->key : "(none)");
}

static void
step(struct wvlist *l, enum keymap_action a)
{
	char	*cause = NULL;

	assert_int_equal(wvlist_move(l, a, &cause), 1);
	assert_null(cause);
}

static void
test_moves(void **state)
{
	struct fix	*f = *state;
	char		*cause = NULL;
	int		 i;

	assert_int_equal(wvlist_reload(f->l, NULL, &cause), 0);
	/* The first screen is read, not counted; counting comes next. */
	assert_int_equal(wvlist_counted(f->l), 0);
	assert_int_equal(f->src.counts, 0);
	assert_int_equal(wvlist_count_now(f->l, &cause), 0);
	assert_int_equal(wvlist_count(f->l), N);
	assert_string_equal(selected(f->l), "K0000");
	for (i = 0; i < 7; i++)
		step(f->l, KEYMAP_DOWN);
	assert_string_equal(selected(f->l), "K0007");
	assert_int_equal(wvlist_top(f->l), 3);
	step(f->l, KEYMAP_PAGE_DOWN);
	assert_string_equal(selected(f->l), "K0012");
	assert_int_equal(wvlist_top(f->l), 8);
	step(f->l, KEYMAP_LAST);
	assert_string_equal(selected(f->l), "K0999");
	assert_int_equal(wvlist_index(f->l), 999);
	assert_int_equal(wvlist_top(f->l), 995);
	step(f->l, KEYMAP_PAGE_DOWN);
	assert_string_equal(selected(f->l), "K0999");
	for (i = 0; i < 10; i++)
		step(f->l, KEYMAP_UP);
	assert_string_equal(selected(f->l), "K0989");
	step(f->l, KEYMAP_PAGE_UP);
	assert_string_equal(selected(f->l), "K0984");
	step(f->l, KEYMAP_FIRST);
	assert_string_equal(selected(f->l), "K0000");
	step(f->l, KEYMAP_PAGE_UP);
	assert_string_equal(selected(f->l), "K0000");
	assert_int_equal(wvlist_jump(f->l, "K05", &cause), 0);
	assert_string_equal(selected(f->l), "K0500");
	assert_int_equal(wvlist_index(f->l), 500);
	assert_int_equal(wvlist_jump(f->l, "Z", &cause), 0);
	assert_string_equal(selected(f->l), "K0999");
}

/* A thousand Downs read about once a page and never hold the list. */
static void
test_economy(void **state)
{
	struct fix	*f = *state;
	char		*cause = NULL;
	size_t		 before;
	int		 i;

	assert_int_equal(wvlist_reload(f->l, NULL, &cause), 0);
	assert_int_equal(wvlist_count_now(f->l, &cause), 0);
	before = f->src.fetches;
	for (i = 0; i < N - 1; i++) {
		step(f->l, KEYMAP_DOWN);
		assert_true(wvlist_held(f->l) <= 4 * H);
	}
	assert_string_equal(selected(f->l), "K0999");
	assert_true(f->src.fetches - before <= N / H + 1);
	before = f->src.fetches;
	for (i = 0; i < N / H; i++)
		step(f->l, KEYMAP_PAGE_UP);
	assert_string_equal(selected(f->l), "K0000");
	assert_true(f->src.fetches - before <= N / H + 1);
	assert_true(wvlist_held(f->l) <= 4 * H);
}

/* With the idle read-ahead between keys, Down, PgDn and PgUp read nothing
 * themselves, and what is held stays a few pages. */
static void
test_prefetch(void **state)
{
	struct fix	*f = *state;
	char		*cause = NULL;
	size_t		 before, idle = 0;
	int		 i;

	assert_int_equal(wvlist_reload(f->l, NULL, &cause), 0);
	assert_int_equal(wvlist_count_now(f->l, &cause), 0);
	for (i = 0; i < 300; i++) {
		before = f->src.fetches;
		assert_int_equal(wvlist_prefetch(f->l, &cause), 0);
		idle += f->src.fetches - before;
		before = f->src.fetches;
		step(f->l, i < 100 ? KEYMAP_DOWN : i < 200 ?
		    KEYMAP_PAGE_DOWN : KEYMAP_PAGE_UP);
		assert_int_equal(f->src.fetches, before);
		assert_true(wvlist_held(f->l) <= 6 * H);
	}
	assert_string_equal(selected(f->l), "K0100");
	/* About one read a page, in the idle moments. */
	assert_true(idle <= 100 / H + 200 + 2);
}

/* idle: the idle hook called until it reads nothing more. */
static void
idle(struct fix *f)
{
	char	*cause = NULL;
	size_t	 before;
	int	 i;

	for (i = 0; i < 20; i++) {
		before = f->src.fetches;
		assert_int_equal(wvlist_prefetch(f->l, &cause), 0);
		if (f->src.fetches == before)
			return;
	}
	fail_msg("the idle read-ahead never settles");
}

/* After idle moments, End and Home read nothing themselves, from anywhere;
 * a reload forgets what was read ahead. */
static void
test_edges(void **state)
{
	struct fix	*f = *state;
	char		*cause = NULL;
	size_t		 before;
	int		 i;

	assert_int_equal(wvlist_reload(f->l, NULL, &cause), 0);
	assert_int_equal(wvlist_count_now(f->l, &cause), 0);
	idle(f);
	before = f->src.fetches;
	step(f->l, KEYMAP_LAST);
	assert_int_equal(f->src.fetches, before);
	assert_string_equal(selected(f->l), "K0999");
	assert_int_equal(wvlist_top(f->l), N - H);
	for (i = 0; i < 3; i++)
		step(f->l, KEYMAP_UP);
	assert_string_equal(selected(f->l), "K0996");
	idle(f);
	before = f->src.fetches;
	step(f->l, KEYMAP_FIRST);
	assert_int_equal(f->src.fetches, before);
	assert_string_equal(selected(f->l), "K0000");
	assert_int_equal(wvlist_jump(f->l, "K05", &cause), 0);
	idle(f);
	before = f->src.fetches;
	step(f->l, KEYMAP_LAST);
	step(f->l, KEYMAP_FIRST);
	assert_int_equal(f->src.fetches, before);
	/* Rows removed, then a reload: End reads the list as it is now. */
	f->src.alive[N - 1] = 0;
	assert_int_equal(wvlist_reload(f->l, NULL, &cause), 0);
	assert_int_equal(wvlist_count_now(f->l, &cause), 0);
	step(f->l, KEYMAP_LAST);
	assert_string_equal(selected(f->l), "K0998");
	assert_true(wvlist_held(f->l) <= 6 * H);
}

/* Someone removes the first 100 rows while the list shows row 500. */
static void
test_changed_behind(void **state)
{
	struct fix	*f = *state;
	char		*cause = NULL;
	int		 i;

	assert_int_equal(wvlist_jump(f->l, "K0120", &cause), 0);
	assert_int_equal(wvlist_index(f->l), 120);
	for (i = 0; i < 100; i++)
		f->src.alive[i] = 0;
	/* Up row by row reaches the new first row as the first. */
	for (i = 0; i < 30; i++)
		step(f->l, KEYMAP_UP);
	assert_string_equal(selected(f->l), "K0100");
	assert_int_equal(wvlist_index(f->l), 0);
	assert_int_equal(wvlist_top(f->l), 0);
	step(f->l, KEYMAP_DOWN);
	assert_string_equal(selected(f->l), "K0101");
	step(f->l, KEYMAP_FIRST);
	assert_string_equal(selected(f->l), "K0100");
	assert_int_equal(wvlist_index(f->l), 0);
	/* Back from a page: the count and the place are the store's. */
	assert_int_equal(wvlist_reload(f->l, "K0500", &cause), 0);
	assert_int_equal(wvlist_count(f->l), N - 100);
	assert_int_equal(wvlist_index(f->l), 400);
	for (i = 900; i < N; i++)
		f->src.alive[i] = 0;
	step(f->l, KEYMAP_LAST);
	assert_string_equal(selected(f->l), "K0899");
	assert_int_equal(wvlist_index(f->l), wvlist_count(f->l) - 1);
	/* Going up row by row from there passes through the rows held. */
	for (i = 0; i < 3 * H; i++)
		step(f->l, KEYMAP_UP);
	assert_string_equal(selected(f->l), "K0884");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_economy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefetch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_behind, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
