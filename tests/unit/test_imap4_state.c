/* imap4_state_of: the word a list shows for a server, from what was
 * observed and what the store holds; never "running" for a value only
 * remembered. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/imap4_state.h"

static void	 view(struct imap4_view *);

/* A client access server, configured 1800/60, pushed 1800/60, its file
 * read back with the same values and loaded by nginx. */
static void
view(struct imap4_view *v)
{
	size_t	k;

	memset(v, 0, sizeof *v);
	v->server.identity = "CAS01";
	v->server.roles = "ClientAccess";
	v->has_rows = 1;
	v->observed = 1;
	v->obs.file_read = 1;
	v->obs.at = 1700000000;
	v->obs.file_mtime = 1700000000;
	for (k = 0; k < SETTING_COUNT; k++) {
		v->configured[k] = settings_table[k].def;
		v->has_running[k] = 1;
		v->running[k] = settings_table[k].def;
		v->obs.file.have[k] = 1;
		v->obs.file.value[k] = settings_table[k].def;
		v->obs.has_running[k] = 1;
		v->obs.running[k] = settings_table[k].def;
	}
}

static void
test_states(void **state)
{
	struct imap4_view	v;
	char			buf[160];

	view(&v);
	assert_int_equal(imap4_state_of(&v, "ok: done", NULL, buf,
	    sizeof buf), IMAP4_STATE_RUNNING);
	assert_non_null(strstr(buf, "running 1800/60 seen "));

	/* Changed outside imapadm: the file's values. */
	view(&v);
	v.obs.file.value[0] = 900;
	v.obs.running[0] = 900;
	v.restart_pending = 1;
	assert_int_equal(imap4_state_of(&v, NULL, NULL, buf, sizeof buf),
	    IMAP4_STATE_DRIFT);
	assert_non_null(strstr(buf, "drift: file 900/60"));

	/* The last restart failed and it is still pending: why. */
	view(&v);
	v.restart_pending = 1;
	assert_int_equal(imap4_state_of(&v, "failed after 0.1 s: disk full",
	    NULL, buf, sizeof buf), IMAP4_STATE_FAILED);
	assert_string_equal(buf, "failed: disk full");
	/* Failed once, fine since: not failed. */
	view(&v);
	assert_int_equal(imap4_state_of(&v, "failed after 0.1 s: x", NULL,
	    buf, sizeof buf), IMAP4_STATE_RUNNING);

	view(&v);
	v.obs.has_running[0] = 0;
	v.obs.no_master = 1;
	assert_int_equal(imap4_state_of(&v, NULL, NULL, buf, sizeof buf),
	    IMAP4_STATE_STOPPED);

	view(&v);
	v.configured[0] = 2700;
	v.restart_pending = 1;
	assert_int_equal(imap4_state_of(&v, NULL, NULL, buf, sizeof buf),
	    IMAP4_STATE_PENDING);

	/* Nothing observed: what was pushed, said so, never "running". */
	view(&v);
	v.observed = 0;
	assert_int_equal(imap4_state_of(&v, NULL, "2026-01-02T10:00:00Z", buf,
	    sizeof buf), IMAP4_STATE_UNKNOWN);
	assert_non_null(strstr(buf, "pushed 1800/60 on 2026-01-02"));
	assert_null(strstr(buf, "running"));
	v.has_running[1] = 0;
	assert_int_equal(imap4_state_of(&v, NULL, NULL, buf, sizeof buf),
	    IMAP4_STATE_UNKNOWN);
	assert_string_equal(buf, "unknown: never pushed");

	view(&v);
	v.server.roles = "Mailbox";
	assert_int_equal(imap4_state_of(&v, NULL, NULL, buf, sizeof buf),
	    IMAP4_STATE_NOT_CAS);
}

static void
test_words(void **state)
{
	assert_int_equal(imap4_state_lookup("PENDING"), IMAP4_STATE_PENDING);
	assert_int_equal(imap4_state_lookup("drift"), IMAP4_STATE_DRIFT);
	assert_int_equal(imap4_state_lookup("pend"), -1);
	assert_string_equal(imap4_state_word(IMAP4_STATE_FAILED), "failed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_words),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
