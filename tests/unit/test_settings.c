/* The settings table and its parser: every range boundary, both input forms,
 * each kind of bad input with a message that names setting, value and range,
 * time span formatting and round trips, and arbitrary bytes without crashes. */

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/settings.h"

#define AUTH	(&settings_table[SETTING_AUTH_TIMEOUT])
#define PREAUTH	(&settings_table[SETTING_PREAUTH_TIMEOUT])

static void	 ok(const struct setting_def *, const char *, long);
static char	*bad(const struct setting_def *, const char *);
static void	 bad_says(const struct setting_def *, const char *,
		     const char *, const char *);

/* text parses to want, and leaves no cause behind. */
static void
ok(const struct setting_def *def, const char *text, long want)
{
	char	*cause = NULL;
	long	 v = -12345;

	if (settings_parse(def, text, &v, &cause) != 0)
		fail_msg("'%s' refused: %s", text, cause ? cause : "(none)");
	assert_null(cause);
	assert_int_equal(v, want);
}

/* text is refused, *out untouched, with a message naming the setting and
 * its valid range; returns the message (caller frees). */
static char *
bad(const struct setting_def *def, const char *text)
{
	char	*cause = NULL, range[64];
	long	 v = -12345;

	if (settings_parse(def, text, &v, &cause) != -1)
		fail_msg("'%s' accepted as %ld", text, v);
	assert_int_equal(v, -12345);
	assert_non_null(cause);
	if (strncmp(cause, def->name, strlen(def->name)) != 0 ||
	    cause[strlen(def->name)] != ':')
		fail_msg("message does not start with the setting: %s", cause);
	snprintf(range, sizeof range, "(valid: %ld-%ld seconds", def->min,
	    def->max);
	if (strstr(cause, range) == NULL)
		fail_msg("message lacks the range '%s': %s", range, cause);
	if (strchr(cause, '\n') != NULL)
		fail_msg("message spans lines: %s", cause);
	return (cause);
}

/* Refused with a message holding both fragments (the problem and the value
 * as the user typed it). */
static void
bad_says(const struct setting_def *def, const char *text, const char *what,
    const char *value)
{
	char	*cause = bad(def, text);

	if (strstr(cause, what) == NULL)
		fail_msg("'%s': expected '%s' in: %s", text, what, cause);
	if (value != NULL && strstr(cause, value) == NULL)
		fail_msg("'%s': expected '%s' in: %s", text, value, cause);
	free(cause);
}

static void
test_table(void **state)
{
	(void)state;
	assert_string_equal(AUTH->name, "AuthenticatedConnectionTimeout");
	assert_string_equal(AUTH->label, "Authenticated time-out");
	assert_string_equal(AUTH->unit, "seconds");
	assert_int_equal(AUTH->min, 30);
	assert_int_equal(AUTH->max, 86400);
	assert_int_equal(AUTH->def, 1800);
	assert_int_equal(AUTH->warn_below, 1800);
	assert_non_null(strstr(AUTH->warning, "RFC 3501"));
	assert_string_equal(AUTH->nginx_directive, "proxy_timeout");
	assert_non_null(AUTH->help);

	assert_string_equal(PREAUTH->name, "PreAuthenticatedConnectionTimeout");
	assert_string_equal(PREAUTH->label, "Unauthenticated time-out");
	assert_int_equal(PREAUTH->min, 30);
	assert_int_equal(PREAUTH->max, 3600);
	assert_int_equal(PREAUTH->def, 60);
	assert_int_equal(PREAUTH->warn_below, 0);
	assert_string_equal(PREAUTH->nginx_directive, "timeout");
	assert_non_null(PREAUTH->help);
}

static void
test_find(void **state)
{
	(void)state;
	assert_ptr_equal(settings_find("AuthenticatedConnectionTimeout"), AUTH);
	assert_ptr_equal(settings_find("authenticatedconnectiontimeout"), AUTH);
	assert_ptr_equal(settings_find("PREAUTHENTICATEDCONNECTIONTIMEOUT"),
	    PREAUTH);
	assert_null(settings_find("AuthenticatedConnectionTimeou"));
	assert_null(settings_find("AuthenticatedConnectionTimeoutX"));
	assert_null(settings_find(""));
	assert_null(settings_find(NULL));
	assert_int_equal(settings_id(AUTH), SETTING_AUTH_TIMEOUT);
	assert_int_equal(settings_id(PREAUTH), SETTING_PREAUTH_TIMEOUT);
	assert_int_equal(settings_id(NULL), SETTING_COUNT);
}

static void
test_boundaries(void **state)
{
	char	*cause;

	(void)state;
	ok(AUTH, "30", 30);
	ok(AUTH, "86400", 86400);
	ok(AUTH, "1800", 1800);
	ok(PREAUTH, "30", 30);
	ok(PREAUTH, "3600", 3600);
	ok(PREAUTH, "60", 60);

	cause = bad(AUTH, "29");
	assert_string_equal(cause, "AuthenticatedConnectionTimeout: value is "
	    "too small: 29 (valid: 30-86400 seconds)");
	free(cause);
	cause = bad(AUTH, "86401");
	assert_string_equal(cause, "AuthenticatedConnectionTimeout: value is "
	    "too large: 86401 (valid: 30-86400 seconds)");
	free(cause);
	cause = bad(PREAUTH, "3601");
	assert_string_equal(cause, "PreAuthenticatedConnectionTimeout: value "
	    "is too large: 3601 (valid: 30-3600 seconds)");
	free(cause);
	bad_says(PREAUTH, "29", "value is too small", "29");
	bad_says(AUTH, "0", "value is too small", "0");
	/* The authenticated maximum is not valid unauthenticated. */
	bad_says(PREAUTH, "86400", "value is too large", "86400");
}

static void
test_check(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_int_equal(settings_check(AUTH, 30, &cause), 0);
	assert_null(cause);
	assert_int_equal(settings_check(AUTH, 86400, &cause), 0);
	assert_int_equal(settings_check(PREAUTH, 3600, &cause), 0);
	assert_int_equal(settings_check(AUTH, 86401, &cause), -1);
	assert_string_equal(cause, "AuthenticatedConnectionTimeout: value is "
	    "too large: 86401 (valid: 30-86400 seconds)");
	free(cause);
	cause = NULL;
	assert_int_equal(settings_check(PREAUTH, 29, &cause), -1);
	assert_string_equal(cause, "PreAuthenticatedConnectionTimeout: value "
	    "is too small: 29 (valid: 30-3600 seconds)");
	free(cause);
	cause = NULL;
	assert_int_equal(settings_check(PREAUTH, LONG_MIN, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(settings_check(PREAUTH, LONG_MAX, &cause), -1);
	free(cause);
}

static void
test_warning(void **state)
{
	(void)state;
	assert_ptr_equal(settings_warning(AUTH, 1799), AUTH->warning);
	assert_ptr_equal(settings_warning(AUTH, 30), AUTH->warning);
	assert_null(settings_warning(AUTH, 1800));
	assert_null(settings_warning(AUTH, 86400));
	/* Out of range is an error, not a warning. */
	assert_null(settings_warning(AUTH, 29));
	assert_null(settings_warning(PREAUTH, 30));
	assert_null(settings_warning(PREAUTH, 3600));
	assert_string_equal(AUTH->warning, "RFC 3501 \xc2\xa7" "5.4 asks for "
	    "at least 30 minutes (1800 s) on an authenticated session");
}

static void
test_timespans(void **state)
{
	char	*cause;

	(void)state;
	ok(AUTH, "00:30:00", 1800);
	ok(AUTH, "1.00:00:00", 86400);
	ok(AUTH, "00:00:30", 30);
	ok(AUTH, "0:00:30", 30);
	ok(AUTH, "23:59:59", 86399);
	ok(AUTH, "0.00:00:30", 30);
	ok(AUTH, "0.23:59:59", 86399);
	ok(AUTH, "01:01:01", 3661);
	ok(PREAUTH, "01:00:00", 3600);
	ok(PREAUTH, "00:01:00", 60);

	cause = bad(AUTH, "1.00:00:01");
	assert_string_equal(cause, "AuthenticatedConnectionTimeout: value is "
	    "too large: 1.00:00:01 is 86401 seconds (valid: 30-86400 seconds)");
	free(cause);
	bad_says(PREAUTH, "01:00:01", "value is too large", "3601");
	bad_says(AUTH, "00:00:29", "value is too small", "00:00:29");
	bad_says(AUTH, "00:00:00", "value is too small", "00:00:00");
}

static void
test_reject_classes(void **state)
{
	char	*cause;

	(void)state;
	cause = bad(AUTH, "");
	assert_string_equal(cause, "AuthenticatedConnectionTimeout: value is "
	    "empty (valid: 30-86400 seconds, or a time span like 00:30:00)");
	free(cause);
	bad_says(AUTH, "   ", "value is empty", NULL);
	bad_says(AUTH, NULL, "value is empty", NULL);

	cause = bad(PREAUTH, "abc");
	assert_string_equal(cause, "PreAuthenticatedConnectionTimeout: not a "
	    "number: 'abc' (valid: 30-3600 seconds, or a time span like "
	    "00:01:00)");
	free(cause);

	bad_says(AUTH, "-5", "too small", "-5");
	bad_says(AUTH, "-1800", "too small", "-1800");
	bad_says(AUTH, "-00:30:00", "value is too small", "-00:30:00");
	bad_says(PREAUTH, "-1.00:00:00", "value is too small", "-1.00:00:00");
	bad_says(AUTH, "+1800", "not a number", "'+1800'");
	bad_says(AUTH, "30.5", "not a whole number", "'30.5'");
	bad_says(AUTH, "1800.0", "not a whole number", "'1800.0'");
	bad_says(AUTH, "1800s", "after the number", "'1800s'");
	bad_says(AUTH, "18 00", "contains a space", "'18 00'");
	bad_says(AUTH, "1800\t1", "contains a space", NULL);
	bad_says(AUTH, "0x708", "after the number", "'0x708'");
	bad_says(AUTH, "1e3", "after the number", "'1e3'");
	bad_says(AUTH, ".5", "not a number", "'.5'");
	bad_says(AUTH, "-", "not a number", "'-'");

	cause = bad(AUTH, "99999999999999999999");
	assert_string_equal(cause, "AuthenticatedConnectionTimeout: value is "
	    "too large: 99999999999999999999 (valid: 30-86400 seconds)");
	free(cause);
	bad_says(AUTH, "9223372036854775807", "too large", NULL);
	bad_says(AUTH, "9223372036854775808", "too large", NULL);
	bad_says(AUTH, "-9223372036854775809", "too small", NULL);
	bad_says(AUTH, "99999999999999999999.00:00:00", "too large", NULL);
	bad_says(AUTH, "106751991167300.00:00:00", "too large", NULL);

	bad_says(AUTH, "00:60:00", "minutes must be 00-59", "'00:60:00'");
	bad_says(AUTH, "00:00:60", "seconds must be 00-59", "'00:00:60'");
	bad_says(AUTH, "24:00:00", "hours must be 00-23", "'24:00:00'");
	bad_says(AUTH, "1.24:00:00", "hours must be 00-23", "'1.24:00:00'");
	bad_says(AUTH, "1:2", "not a valid time span", "'1:2'");
	bad_says(AUTH, "00:30", "not a valid time span", "'00:30'");
	bad_says(AUTH, "::", "not a valid time span", "'::'");
	bad_says(AUTH, ":::", "not a valid time span", NULL);
	bad_says(AUTH, "1:2:3", "minutes must be 2 digits", "'1:2:3'");
	bad_says(AUTH, "000:30:00", "hours must be 1 or 2 digits", NULL);
	bad_says(AUTH, "00:30:00.5", "seconds must be 2 digits", NULL);
	bad_says(AUTH, "1..00:00:00", "not a valid time span", NULL);
	bad_says(AUTH, ".00:30:00", "days must be digits", NULL);
	bad_says(AUTH, "a.00:30:00", "days must be digits", NULL);
	bad_says(AUTH, "00:3a:00", "not a valid time span", NULL);
	/* Both forms are hinted at when the syntax is wrong. */
	bad_says(AUTH, "1:2", "or a time span like 00:30:00", NULL);
}

static void
test_trim(void **state)
{
	(void)state;
	ok(AUTH, " 1800", 1800);
	ok(AUTH, "1800 ", 1800);
	ok(AUTH, "\t 00:30:00 \n", 1800);
	ok(AUTH, "0001800", 1800);
}

/* Control characters are not echoed to the terminal, and a long value is
 * cut short in the message. */
static void
test_message_hygiene(void **state)
{
	char	*cause, big[4096];

	(void)state;
	cause = bad(AUTH, "ab\033[2Jc");
	assert_null(strchr(cause, '\033'));
	assert_non_null(strstr(cause, "'ab?[2Jc'"));
	free(cause);

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cause = bad(AUTH, big);
	assert_true(strlen(cause) < 200);
	assert_non_null(strstr(cause, "xxx..."));
	free(cause);
}

static void
test_format(void **state)
{
	static const struct {
		long		 s;
		const char	*text;
	} cases[] = {
		{ 1800, "00:30:00" }, { 86400, "1.00:00:00" },
		{ 90061, "1.01:01:01" }, { 30, "00:00:30" }, { 0, "00:00:00" },
		{ 60, "00:01:00" }, { 3600, "01:00:00" }, { 86399, "23:59:59" },
		{ 864000, "10.00:00:00" }, { -30, "-00:00:30" },
	};
	char	*s;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = settings_format_timespan(cases[i].s);
		assert_non_null(s);
		assert_string_equal(s, cases[i].text);
		free(s);
	}
	s = settings_format_timespan(LONG_MIN);
	assert_non_null(s);
	assert_int_equal(s[0], '-');
	free(s);
	s = settings_format_timespan(LONG_MAX);
	assert_non_null(s);
	free(s);
}

/* Every valid value of both settings survives format -> parse, and the
 * seconds form of each parses to itself. */
static void
test_round_trip(void **state)
{
	const struct setting_def	*def;
	char				*s, num[32], *cause = NULL;
	long				 v, n;
	size_t				 i;

	(void)state;
	for (i = 0; i < SETTING_COUNT; i++) {
		def = &settings_table[i];
		for (n = def->min; n <= def->max; n += (n < 4000 ? 1 : 7)) {
			s = settings_format_timespan(n);
			assert_non_null(s);
			v = -1;
			if (settings_parse(def, s, &v, &cause) != 0)
				fail_msg("%s (%ld) refused: %s", s, n, cause);
			assert_int_equal(v, n);
			free(s);
			snprintf(num, sizeof num, "%ld", n);
			assert_int_equal(settings_parse(def, num, &v, &cause),
			    0);
			assert_int_equal(v, n);
		}
		s = settings_format_timespan(def->max);
		assert_int_equal(settings_parse(def, s, &v, &cause), 0);
		assert_int_equal(v, def->max);
		free(s);
	}
}

static void
test_range_text(void **state)
{
	char	buf[64];

	(void)state;
	settings_range_text(PREAUTH, buf, sizeof buf, 0);
	assert_string_equal(buf, "valid: 30\xe2\x80\x93" "3600");
	settings_range_text(PREAUTH, buf, sizeof buf, 1);
	assert_string_equal(buf, "valid: 30-3600");
	settings_range_text(AUTH, buf, sizeof buf, 1);
	assert_string_equal(buf, "valid: 30-86400");
	settings_range_text(AUTH, buf, 8, 1);
	assert_string_equal(buf, "valid: ");
	buf[0] = 'z';
	settings_range_text(AUTH, buf, 0, 1);
	assert_int_equal(buf[0], 'z');
}

/*
 * Random and mutated inputs: no crash (the suite also runs under ASan and
 * UBSan), and every answer is consistent: a value in range, or a message.
 */
static void
test_fuzz(void **state)
{
	static const char alphabet[] = "0123456789:.- \t+xe\377\001";
	static const char *seeds[] = {
		"00:30:00", "1.00:00:00", "1800", "86400", "23:59:59",
		"99999999999999999999", "1.2:3:4"
	};
	const struct setting_def	*def;
	char				 buf[48], *cause;
	unsigned int			 seed = 12345;
	size_t				 i, len, j, k;
	long				 v;
	int				 rc;

	(void)state;
	for (i = 0; i < 200000; i++) {
		seed = seed * 1103515245 + 12345;
		if (i % 2 == 0) {
			len = (seed >> 16) % (sizeof buf - 1);
			for (j = 0; j < len; j++) {
				seed = seed * 1103515245 + 12345;
				buf[j] = alphabet[(seed >> 16) %
				    (sizeof alphabet - 1)];
			}
			buf[len] = '\0';
		} else {
			k = (seed >> 16) % (sizeof seeds / sizeof *seeds);
			snprintf(buf, sizeof buf, "%s", seeds[k]);
			len = strlen(buf);
			seed = seed * 1103515245 + 12345;
			k = (seed >> 16) % (len + 1);
			seed = seed * 1103515245 + 12345;
			if (k < len)
				buf[k] = alphabet[(seed >> 16) %
				    (sizeof alphabet - 1)];
		}
		cause = NULL;
		v = -1;
		def = &settings_table[i % SETTING_COUNT];
		rc = settings_parse(def, buf, &v, &cause);
		if (rc == 0) {
			assert_null(cause);
			assert_in_range(v, def->min, def->max);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(cause);
			free(cause);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_warning),
		cmocka_unit_test(test_timespans),
		cmocka_unit_test(test_reject_classes),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_message_hygiene),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_range_text),
		cmocka_unit_test(test_fuzz),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
