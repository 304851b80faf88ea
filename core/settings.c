/* The IMAP4 settings table and the one parser every front end uses for it:
 * whole seconds or Exchange time spans, range-checked, with messages that
 * name the setting, the value and what is allowed. */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/settings.h"

/* Longest piece of a rejected value quoted back in a message. */
#define SETTINGS_QUOTE_MAX	40

static int	 settings_fail(const struct setting_def *, char **, int,
		     const char *, ...) __attribute__((format(printf, 4, 5)));
static void	 settings_quote(const char *, size_t, char *, size_t);
static int	 settings_digits(const char *, size_t, long long, long long *,
		     int *);
static int	 settings_is_fraction(const char *, size_t);
static int	 settings_parse_seconds(const struct setting_def *,
		     const char *, size_t, long long *, char **);
static int	 settings_parse_timespan(const struct setting_def *,
		     const char *, size_t, long long *, char **);
static int	 settings_range(const struct setting_def *, long long, int,
		     const char *, char **);

const struct setting_def settings_table[SETTING_COUNT] = {
	[SETTING_AUTH_TIMEOUT] = {
		.name = "AuthenticatedConnectionTimeout",
		.label = "Authenticated time-out",
		.unit = "seconds",
		.min = 30,
		.max = 86400,
		.def = 1800,
		.warn_below = 1800,
		.warning = "RFC 3501 \xc2\xa7" "5.4 asks for at least 30 "
		    "minutes (1800 s) on an authenticated session",
		.help = "Idle time before an authenticated connection is "
		    "closed.",
		.nginx_directive = "proxy_timeout"
	},
	[SETTING_PREAUTH_TIMEOUT] = {
		.name = "PreAuthenticatedConnectionTimeout",
		.label = "Unauthenticated time-out",
		.unit = "seconds",
		.min = 30,
		.max = 3600,
		.def = 60,
		.warn_below = 0,
		.warning = NULL,
		.help = "Idle time before a connection that has not "
		    "authenticated is closed.",
		.nginx_directive = "timeout"
	}
};

const struct setting_def *
settings_find(const char *name)
{
	size_t	i;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < SETTING_COUNT; i++) {
		if (strcasecmp(settings_table[i].name, name) == 0)
			return (&settings_table[i]);
	}
	return (NULL);
}

/* SETTING_COUNT for a pointer that is not a row of settings_table. */
enum setting_id
settings_id(const struct setting_def *def)
{
	size_t	i;

	for (i = 0; i < SETTING_COUNT; i++) {
		if (def == &settings_table[i])
			return ((enum setting_id)i);
	}
	return (SETTING_COUNT);
}

/*
 * Build "Name: <problem> (valid: MIN-MAX seconds[, or a time span like X])".
 * The time span hint goes with syntax errors, where the user may not know the
 * second accepted form; range errors only need the numbers.
 */
static int
settings_fail(const struct setting_def *def, char **cause, int hint,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 problem[256], *example;
	int	 n;

	if (cause == NULL)
		return (-1);
	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);

	example = hint ? settings_format_timespan(def->def) : NULL;
	if (example != NULL) {
		n = asprintf(cause, "%s: %s (valid: %ld-%ld %s, or a time span "
		    "like %s)", def->name, problem, def->min, def->max,
		    def->unit, example);
	} else {
		n = asprintf(cause, "%s: %s (valid: %ld-%ld %s)", def->name,
		    problem, def->min, def->max, def->unit);
	}
	free(example);
	if (n == -1)
		*cause = NULL;
	return (-1);
}

/*
 * Copy text[0..len) into buf for quoting in a message: control characters
 * become '?' (the message may reach a terminal) and long input is cut at a
 * UTF-8 boundary with "...".
 */
static void
settings_quote(const char *text, size_t len, char *buf, size_t size)
{
	size_t		i, n, cut;
	unsigned char	c;

	cut = len > SETTINGS_QUOTE_MAX;
	n = cut ? SETTINGS_QUOTE_MAX : len;
	if (n > size - 4)
		n = size - 4;
	if (cut) {
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)text[i];
		buf[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (cut) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
}

/*
 * Read the decimal digits text[0..len) (len >= 1, all digits). Values above
 * cap set *over instead of overflowing; the digits are still all read so the
 * caller sees the whole token.
 */
static int
settings_digits(const char *text, size_t len, long long cap, long long *out,
    int *over)
{
	long long	v = 0;
	size_t		i;
	int		d;

	*over = 0;
	if (len == 0)
		return (-1);
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return (-1);
		d = text[i] - '0';
		if (*over)
			continue;
		if (v > (cap - d) / 10)
			*over = 1;
		else
			v = v * 10 + d;
	}
	*out = v;
	return (0);
}

/* True when text[0..len) is digits '.' digits: a decimal fraction. */
static int
settings_is_fraction(const char *text, size_t len)
{
	size_t	i, dot = len;

	for (i = 0; i < len; i++) {
		if (text[i] == '.') {
			if (dot != len)
				return (0);
			dot = i;
		} else if (text[i] < '0' || text[i] > '9')
			return (0);
	}
	return (dot != len && dot > 0 && dot + 1 < len);
}

static int
settings_parse_seconds(const struct setting_def *def, const char *text,
    size_t len, long long *out, char **cause)
{
	char		q[SETTINGS_QUOTE_MAX + 8];
	size_t		i;
	long long	v;
	int		over;

	settings_quote(text, len, q, sizeof q);
	if (text[0] == '-' && len > 1 &&
	    settings_digits(text + 1, len - 1, LLONG_MAX, &v, &over) == 0) {
		return (settings_fail(def, cause, 0, "value is too small: %s",
		    q));
	}
	if (settings_is_fraction(text, len)) {
		return (settings_fail(def, cause, 1,
		    "not a whole number of seconds: '%s'", q));
	}
	for (i = 0; i < len && text[i] >= '0' && text[i] <= '9'; i++)
		/* nothing */;
	if (i == 0)
		return (settings_fail(def, cause, 1, "not a number: '%s'", q));
	if (i != len) {
		return (settings_fail(def, cause, 1,
		    "unexpected text after the number: '%s'", q));
	}
	if (settings_digits(text, len, LONG_MAX, &v, &over) != 0)
		return (settings_fail(def, cause, 1, "not a number: '%s'", q));
	if (over) {
		return (settings_fail(def, cause, 0, "value is too large: %s",
		    q));
	}
	*out = v;
	return (0);
}

/* "[d.]hh:mm:ss": days any length, hours 1-2 digits 0-23, mm and ss two. */
static int
settings_parse_timespan(const struct setting_def *def, const char *text,
    size_t len, long long *out, char **cause)
{
	char		 q[SETTINGS_QUOTE_MAX + 8];
	const char	*p, *end = text + len, *c1, *c2, *dot;
	long long	 days = 0, h, m, s;
	int		 over;

	settings_quote(text, len, q, sizeof q);
	c1 = memchr(text, ':', len);
	c2 = c1 != NULL ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
	if (c1 == NULL || c2 == NULL ||
	    memchr(c2 + 1, ':', (size_t)(end - c2 - 1)) != NULL) {
		return (settings_fail(def, cause, 1, "not a valid time span: "
		    "'%s', expected [d.]hh:mm:ss", q));
	}

	if (*text == '-') {
		/* Like "-5": a negative duration is below any minimum. */
		return (settings_fail(def, cause, 0, "value is too small: %s",
		    q));
	}
	p = text;
	dot = memchr(text, '.', (size_t)(c1 - text));
	if (dot != NULL) {
		if (settings_digits(p, (size_t)(dot - p), LLONG_MAX, &days,
		    &over) != 0) {
			return (settings_fail(def, cause, 1, "not a valid time "
			    "span: '%s', days must be digits", q));
		}
		if (over || days > LONG_MAX / 86400) {
			return (settings_fail(def, cause, 0,
			    "value is too large: %s", q));
		}
		p = dot + 1;
	}
	if (c1 - p < 1 || c1 - p > 2 ||
	    settings_digits(p, (size_t)(c1 - p), 99, &h, &over) != 0) {
		return (settings_fail(def, cause, 1, "not a valid time span: "
		    "'%s', hours must be 1 or 2 digits", q));
	}
	if (c2 - c1 - 1 != 2 ||
	    settings_digits(c1 + 1, 2, 99, &m, &over) != 0) {
		return (settings_fail(def, cause, 1, "not a valid time span: "
		    "'%s', minutes must be 2 digits", q));
	}
	if (end - c2 - 1 != 2 ||
	    settings_digits(c2 + 1, 2, 99, &s, &over) != 0) {
		return (settings_fail(def, cause, 1, "not a valid time span: "
		    "'%s', seconds must be 2 digits", q));
	}
	/* Strict like Exchange: a day is written 1.00:00:00, not 24:00:00. */
	if (h > 23) {
		return (settings_fail(def, cause, 1, "not a valid time span: "
		    "'%s', hours must be 00-23 and a day is written 1.00:00:00",
		    q));
	}
	if (m > 59) {
		return (settings_fail(def, cause, 1, "not a valid time span: "
		    "'%s', minutes must be 00-59", q));
	}
	if (s > 59) {
		return (settings_fail(def, cause, 1, "not a valid time span: "
		    "'%s', seconds must be 00-59", q));
	}
	if (days > (LONG_MAX - (h * 3600 + m * 60 + s)) / 86400) {
		return (settings_fail(def, cause, 0, "value is too large: %s",
		    q));
	}
	*out = days * 86400 + h * 3600 + m * 60 + s;
	return (0);
}

/* Range check; a time span is echoed with its value in seconds. */
static int
settings_range(const struct setting_def *def, long long v, int span,
    const char *text, char **cause)
{
	const char	*what;

	if (v >= def->min && v <= def->max)
		return (0);
	what = v < def->min ? "too small" : "too large";
	if (span) {
		return (settings_fail(def, cause, 0, "value is %s: %s is %lld "
		    "%s", what, text, v, def->unit));
	}
	return (settings_fail(def, cause, 0, "value is %s: %lld", what, v));
}

int
settings_parse(const struct setting_def *def, const char *text, long *out,
    char **cause)
{
	char		 q[SETTINGS_QUOTE_MAX + 8];
	const char	*start, *end;
	size_t		 len, i;
	long long	 v = 0;
	int		 span;

	if (text == NULL)
		text = "";
	/* Surrounding blanks come from copy and paste; inner ones are typos. */
	start = text;
	while (*start == ' ' || *start == '\t' || *start == '\n' ||
	    *start == '\r')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	len = (size_t)(end - start);
	if (len == 0)
		return (settings_fail(def, cause, 1, "value is empty"));

	for (i = 0; i < len; i++) {
		if (start[i] == ' ' || start[i] == '\t') {
			settings_quote(start, len, q, sizeof q);
			return (settings_fail(def, cause, 1,
			    "value contains a space: '%s'", q));
		}
	}

	span = memchr(start, ':', len) != NULL;
	if (span) {
		if (settings_parse_timespan(def, start, len, &v, cause) != 0)
			return (-1);
	} else {
		if (settings_parse_seconds(def, start, len, &v, cause) != 0)
			return (-1);
	}
	settings_quote(start, len, q, sizeof q);
	if (settings_range(def, v, span, q, cause) != 0)
		return (-1);
	*out = (long)v;
	return (0);
}

int
settings_check(const struct setting_def *def, long value, char **cause)
{
	return (settings_range(def, value, 0, NULL, cause));
}

const char *
settings_warning(const struct setting_def *def, long value)
{
	if (def->warn_below == 0 || value < def->min || value > def->max)
		return (NULL);
	if (value < def->warn_below)
		return (def->warning);
	return (NULL);
}

char *
settings_format_timespan(long seconds)
{
	char	buf[SETTINGS_TIMESPAN_MAX];

	settings_timespan_buf(seconds, buf, sizeof buf);
	return (strdup(buf));
}

/* Digits by hand: a listing formats 200,000 of these, and snprintf was a
 * quarter of its time. */
size_t
settings_timespan_buf(long seconds, char *buf, size_t len)
{
	char		 tmp[SETTINGS_TIMESPAN_MAX], *p = tmp + sizeof tmp;
	unsigned long	 u, days, rest;
	size_t		 n;
	int		 i;

	/* Unsigned negation keeps LONG_MIN defined. */
	u = seconds < 0 ? 0UL - (unsigned long)seconds : (unsigned long)seconds;
	days = u / 86400;
	rest = u % 86400;
	/* hh:mm:ss from the right: ss, mm, hh, two digits each. */
	for (i = 0; i < 3; i++) {
		*--p = (char)('0' + rest % (i == 2 ? 24 : 60) % 10);
		*--p = (char)('0' + rest % (i == 2 ? 24 : 60) / 10);
		if (i < 2)
			*--p = ':';
		rest /= 60;
	}
	if (days != 0) {
		*--p = '.';
		do {
			*--p = (char)('0' + days % 10);
		} while ((days /= 10) > 0);
	}
	if (seconds < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof tmp - p);
	if (len > 0) {
		memcpy(buf, p, n < len ? n : len - 1);
		buf[n < len ? n : len - 1] = '\0';
	}
	return (n);
}

void
settings_range_text(const struct setting_def *def, char *buf, size_t len,
    int ascii)
{
	if (len == 0)
		return;
	snprintf(buf, len, "valid: %ld%s%ld", def->min,
	    ascii ? "-" : "\xe2\x80\x93", def->max);
}
