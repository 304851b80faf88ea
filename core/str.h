/* Small string helpers core shares: formatted allocation and joining. */
#ifndef IMAPADM_CORE_STR_H
#define IMAPADM_CORE_STR_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

/* Allocated formatted string, NULL when out of memory; caller frees. */
char	*str_printf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*str_vprintf(const char *, va_list)
	    __attribute__((format(printf, 1, 0)));
/*
 * Append formatted text to *s (NULL starts a new string), with sep before it
 * unless *s is NULL. Out of memory frees *s, leaves it NULL, returns -1.
 */
int	 str_append(char **s, const char *sep, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/* n in decimal with a comma every three digits ("100,000") in buf. */
void	 str_count(char *buf, size_t len, size_t n);

/* t as ISO 8601 UTC ("2026-12-01T20:31:43Z") in buf (at least 21 bytes). */
const char *str_utc(char *buf, size_t len, time_t t);

#endif
