/* Unit tests of theme_put (tui/theme.c): runs of ASCII go into the window
 * as cells, not through waddnstr, and must leave every cell as waddnstr
 * would (characters, attributes, colour pair), around and over two-column
 * characters drawn there before too. */

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "tui/theme.h"
#include "unit_screen.h"

#define W	16

struct fix {
	struct unit_screen u;
	WINDOW	*ours, *ref;
};

static int
setup(void **state)
{
	struct fix	*f;

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		fail_msg("no C.UTF-8 locale");
	f = calloc(1, sizeof *f);
	assert_non_null(f);
	unit_screen_open(&f->u, "xterm-256color");
	theme_init();
	f->ours = newwin(1, W, 0, 0);
	f->ref = newwin(1, W, 1, 0);
	assert_non_null(f->ours);
	assert_non_null(f->ref);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	delwin(f->ours);
	delwin(f->ref);
	unit_screen_close(&f->u);
	free(f);
	return (0);
}

/* Both windows hold before, then text goes at col: theme_put into ours,
 * waddnstr with the same attributes into ref; every cell must match. */
static void
expect_same(struct fix *f, const char *before, int col, const char *text)
{
	cchar_t	 a, b;
	wchar_t	 wa[CCHARW_MAX + 1], wb[CCHARW_MAX + 1];
	attr_t	 aa, ab;
	short	 pa, pb;
	int	 x;

	werase(f->ours);
	werase(f->ref);
	mvwaddnstr(f->ours, 0, 0, before, -1);
	mvwaddnstr(f->ref, 0, 0, before, -1);
	assert_int_equal(theme_put(f->ours, 0, col, W - col, THEME_SELECTED,
	    text), theme_width(text));
	wattrset(f->ref, theme_attr(THEME_SELECTED));
	mvwaddnstr(f->ref, 0, col, text, -1);
	wattrset(f->ref, A_NORMAL);
	for (x = 0; x < W; x++) {
		assert_int_equal(mvwin_wch(f->ours, 0, x, &a), OK);
		assert_int_equal(mvwin_wch(f->ref, 0, x, &b), OK);
		assert_int_equal(getcchar(&a, wa, &aa, &pa, NULL), OK);
		assert_int_equal(getcchar(&b, wb, &ab, &pb, NULL), OK);
		/* attr whole: ncurses marks the right half of a
		 * two-column character in bits getcchar leaves out. */
		if (wcscmp(wa, wb) != 0 || aa != ab || pa != pb ||
		    a.attr != b.attr)
			fail_msg("'%s' at %d over '%s': column %d is U+%04X "
			    "attr %#lx pair %d, waddnstr made U+%04X attr "
			    "%#lx pair %d", text, col, before, x,
			    (unsigned)wa[0], (unsigned long)a.attr, pa,
			    (unsigned)wb[0], (unsigned long)b.attr, pb);
	}
}

static void
test_ascii(void **state)
{
	expect_same(*state, "abcdefgh", 0, "CAS01");
	expect_same(*state, "abcdefgh", 3, "xy");
	expect_same(*state, "", 5, "pending");
	/* Up to the window's edge, and then more text after it. */
	expect_same(*state, "abcdefgh", W - 3, "xyz");
	expect_same(*state, "abcdefgh", W - 4, "xy日");
}

/* 日 fills columns 2 and 3 of "ab日cd". */
static void
test_wide_before(void **state)
{
	/* Over its right half, its left half too: waddnstr blanks it. */
	expect_same(*state, "ab日cd", 3, "XYZ");
	/* Over its left half only. */
	expect_same(*state, "ab日cd", 1, "XY");
	/* Over the whole of it. */
	expect_same(*state, "ab日cd", 1, "XYZW");
	expect_same(*state, "ab日cd日", 2, "XY");
}

static void
test_wide_in_text(void **state)
{
	expect_same(*state, "abcdefgh", 0, "x日y");
	expect_same(*state, "ab日cd", 3, "⟳ restart");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ascii, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wide_before, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wide_in_text, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
