/* nginx_settings: nginx's time units and the settings file read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/nginx_settings.h"

static void
test_times(void **state)
{
	static const struct {
		const char	*text;
		long		 want;
	} good[] = {
		{ "60", 60 }, { "60s", 60 }, { "1m", 60 }, { "1h", 3600 },
		{ "30000ms", 30 }, { "1h30m", 5400 }, { "1h 30m", 5400 },
		{ "1d", 86400 }, { "1w", 604800 }, { "2m30s", 150 },
		{ "1M", 2592000 }, { "1y", 31536000 },
	};
	static const char *const bad[] = {
		"", "s", "60x", "1.5m", "-5", "1500ms", "60 s", "1m 60x",
		"99999999999999999999",
	};
	char	*cause = NULL;
	long	 v;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (nginx_settings_time(good[i].text, &v, &cause) != 0)
			fail_msg("'%s': %s", good[i].text, cause);
		assert_int_equal(v, good[i].want);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		if (nginx_settings_time(bad[i], &v, &cause) == 0)
			fail_msg("'%s' read as %ld", bad[i], v);
		assert_non_null(cause);
		free(cause);
	}
}

static void
test_parse(void **state)
{
	struct nginx_settings	 ns;
	char			*cause = NULL;

	(void)state;
	assert_int_equal(nginx_settings_parse("# IMAP4 time-outs\n"
	    "timeout 60s;\nproxy_timeout 1h; # an hour\n", &ns, &cause), 0);
	assert_true(ns.have[SETTING_PREAUTH_TIMEOUT]);
	assert_int_equal(ns.value[SETTING_PREAUTH_TIMEOUT], 60);
	assert_true(ns.have[SETTING_AUTH_TIMEOUT]);
	assert_int_equal(ns.value[SETTING_AUTH_TIMEOUT], 3600);
	assert_null(ns.foreign);
	nginx_settings_free(&ns);

	/* One directive only; the other stays unknown. */
	assert_int_equal(nginx_settings_parse("proxy_timeout 30000ms;", &ns,
	    &cause), 0);
	assert_false(ns.have[SETTING_PREAUTH_TIMEOUT]);
	assert_int_equal(ns.value[SETTING_AUTH_TIMEOUT], 30);
	nginx_settings_free(&ns);

	/* Anything else in the file is named: it is not imapadm's to write. */
	assert_int_equal(nginx_settings_parse("timeout 60;\nlisten 143;\n",
	    &ns, &cause), 0);
	assert_string_equal(ns.foreign, "listen");
	nginx_settings_free(&ns);

	assert_int_equal(nginx_settings_parse("timeout 60;\n\ntimeout 1m;\n",
	    &ns, &cause), -1);
	assert_string_equal(cause, "line 3: timeout is given twice");
	free(cause);
	assert_int_equal(nginx_settings_parse("\ntimeout 1.5m;\n", &ns,
	    &cause), -1);
	assert_non_null(strstr(cause, "line 2: timeout: '1.5m' is not an "
	    "nginx time"));
	free(cause);
	assert_int_equal(nginx_settings_parse("server { listen 1; }", &ns,
	    &cause), -1);
	assert_non_null(strstr(cause, "line 1: a statement that does not end"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_parse),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
