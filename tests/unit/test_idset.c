/* idset: the console's marks. Sorted as the store sorts identities (ASCII
 * case folded), toggled one at a time, merged with a filter's identities
 * without duplicates, and appended to in list order by a scan. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/idset.h"

static char	**ids_of(size_t, ...);

/* A malloc'd array of malloc'd copies, as store_window_ids gives. */
static char **
ids_of(size_t n, ...)
{
	va_list	  ap;
	char	**ids;
	size_t	  i;

	ids = calloc(n, sizeof *ids);
	assert_non_null(ids);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		ids[i] = strdup(va_arg(ap, const char *));
	va_end(ap);
	return (ids);
}

static void
test_toggle(void **state)
{
	struct idset	s = { 0 };

	assert_int_equal(idset_toggle(&s, "CAS02"), 1);
	assert_int_equal(idset_toggle(&s, "cas01"), 1);
	assert_int_equal(idset_toggle(&s, "CAS03"), 1);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.ids[0], "cas01");
	assert_string_equal(s.ids[2], "CAS03");
	/* Identities are case-insensitive, as in the store. */
	assert_true(idset_has(&s, "CAS01"));
	assert_int_equal(idset_toggle(&s, "Cas02"), 0);
	assert_false(idset_has(&s, "CAS02"));
	assert_int_equal(s.n, 2);
	idset_clear(&s);
	assert_int_equal(s.n, 0);
	assert_false(idset_has(&s, "CAS01"));
}

static void
test_merge(void **state)
{
	struct idset	 s = { 0 };
	char		**ids;

	(void)idset_toggle(&s, "CAS02");
	(void)idset_toggle(&s, "MBX01");
	ids = ids_of(3, "CAS01", "cas02", "CAS03");
	idset_merge(&s, ids, 3);
	free(ids);
	/* The marked one stays once; the order holds. */
	assert_int_equal(s.n, 4);
	assert_string_equal(s.ids[0], "CAS01");
	assert_string_equal(s.ids[1], "CAS02");
	assert_string_equal(s.ids[2], "CAS03");
	assert_string_equal(s.ids[3], "MBX01");
	/* Toggling after a merge still finds its place. */
	assert_int_equal(idset_toggle(&s, "CAS025"), 1);
	assert_string_equal(s.ids[2], "CAS025");
	idset_clear(&s);
}

static void
test_append_pos(void **state)
{
	struct idset	s = { 0 };
	char		id[16];
	int		found, i;

	for (i = 0; i < 1000; i += 2) {
		snprintf(id, sizeof id, "CAS%04d", i);
		idset_append(&s, id);
	}
	assert_int_equal(s.n, 500);
	assert_int_equal(idset_pos(&s, "CAS0500", &found), 250);
	assert_true(found);
	/* Not a member: where it would go. */
	assert_int_equal(idset_pos(&s, "CAS0501", &found), 251);
	assert_false(found);
	assert_int_equal(idset_pos(&s, "CAS", &found), 0);
	assert_int_equal(idset_pos(&s, "ZZZ", &found), 500);
	idset_clear(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_toggle),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_append_pos),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
