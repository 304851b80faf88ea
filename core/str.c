/* Small string helpers core shares: formatted allocation and joining,
 * so lists like "CAS01, CAS02" are built one way everywhere. */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>

#include "core/str.h"

char *
str_vprintf(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) == -1)
		return (NULL);
	return (s);
}

char *
str_printf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = str_vprintf(fmt, ap);
	va_end(ap);
	return (s);
}

int
str_append(char **s, const char *sep, const char *fmt, ...)
{
	va_list	 ap;
	char	*item, *joined;

	va_start(ap, fmt);
	item = str_vprintf(fmt, ap);
	va_end(ap);
	if (item == NULL) {
		free(*s);
		*s = NULL;
		return (-1);
	}
	if (*s == NULL) {
		*s = item;
		return (0);
	}
	joined = str_printf("%s%s%s", *s, sep, item);
	free(item);
	free(*s);
	*s = joined;
	return (joined == NULL ? -1 : 0);
}

const char *
str_utc(char *buf, size_t len, time_t t)
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "?");
	return (buf);
}

void
str_count(char *buf, size_t len, size_t n)
{
	char	digits[32];
	size_t	nd, i, used = 0;

	if (len == 0)
		return;
	nd = (size_t)snprintf(digits, sizeof digits, "%zu", n);
	for (i = 0; i < nd && used + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[used++] = ',';
		buf[used++] = digits[i];
	}
	buf[used] = '\0';
}
