/* Allocation that cannot fail: a test driver out of memory has nothing
 * better to do than stop. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtdrive.h"

static void
xmalloc_die(void)
{
	fputs("vtdrive: out of memory\n", stderr);
	exit(2);
}

void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = calloc(1, size == 0 ? 1 : size)) == NULL)
		xmalloc_die();
	return (p);
}

void *
xrealloc(void *old, size_t size)
{
	void	*p;

	if ((p = realloc(old, size == 0 ? 1 : size)) == NULL)
		xmalloc_die();
	return (p);
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		xmalloc_die();
	return (p);
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		xmalloc_die();
	return (p);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n == -1)
		xmalloc_die();
	return (p);
}
