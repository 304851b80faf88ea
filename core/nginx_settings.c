/* Reading nginx's time syntax and the two directives back from the file. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/nginx_settings.h"
#include "core/str.h"

/* nginx's units (ngx_parse_time), in milliseconds. */
static const struct {
	const char	*unit;
	long long	 ms;
} nginx_units[] = {
	{ "ms", 1 }, { "s", 1000 }, { "m", 60LL * 1000 },
	{ "h", 3600LL * 1000 }, { "d", 86400LL * 1000 },
	{ "w", 7 * 86400LL * 1000 }, { "M", 30 * 86400LL * 1000 },
	{ "y", 365 * 86400LL * 1000 },
};
#define NGINX_NUNITS	(sizeof nginx_units / sizeof nginx_units[0])

int
nginx_settings_time(const char *text, long *out, char **cause)
{
	const char	*p = text;
	long long	 total = 0, n;
	size_t		 i, len, best;
	int		 any = 0;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (!isdigit((unsigned char)*p))
			goto bad;
		for (n = 0; isdigit((unsigned char)*p); p++) {
			n = n * 10 + (*p - '0');
			if (n > LLONG_MAX / (365 * 86400LL * 1000 * 10))
				goto bad;
		}
		/* The longest unit that matches ("ms" before "m"). */
		best = NGINX_NUNITS;
		len = 0;
		for (i = 0; i < NGINX_NUNITS; i++) {
			size_t l = strlen(nginx_units[i].unit);

			if (strncmp(p, nginx_units[i].unit, l) == 0 && l > len) {
				best = i;
				len = l;
			}
		}
		if (best == NGINX_NUNITS) {
			/* No unit: seconds, and only at the end. */
			if (*p != '\0' && *p != ' ')
				goto bad;
			total += n * 1000;
		} else {
			total += n * nginx_units[best].ms;
			p += len;
		}
		any = 1;
	}
	if (!any)
		goto bad;
	if (total % 1000 != 0) {
		*cause = str_printf("'%s' is not a whole number of seconds",
		    text);
		return (-1);
	}
	if (total / 1000 > LONG_MAX)
		goto bad;
	*out = (long)(total / 1000);
	return (0);

bad:
	*cause = str_printf("'%s' is not an nginx time (such as 60, 60s, 1m, "
	    "1h30m, 30000ms)", text);
	return (-1);
}

int
nginx_settings_parse(const char *text, struct nginx_settings *out,
    char **cause)
{
	const char	*p = text, *start;
	char		*stmt, *name, *value, *why = NULL;
	size_t		 k;
	int		 line = 1, sline;

	memset(out, 0, sizeof *out);
	for (;;) {
		/* Blanks and comments up to the next statement. */
		while (*p != '\0' && (isspace((unsigned char)*p) || *p == '#')) {
			if (*p == '#')
				p += strcspn(p, "\n");
			else
				line += *p++ == '\n';
		}
		if (*p == '\0')
			return (0);
		sline = line;
		start = p;
		while (*p != '\0' && *p != ';' && *p != '#' && *p != '{' &&
		    *p != '}') {
			line += *p == '\n';
			p++;
		}
		if (*p != ';') {
			*cause = str_printf("line %d: a statement that does not "
			    "end in ';' (imapadm writes only \"directive "
			    "value;\" lines)", sline);
			nginx_settings_free(out);
			return (-1);
		}
		if ((stmt = strndup(start, (size_t)(p - start))) == NULL)
			goto nomem;
		p++;
		name = stmt + strspn(stmt, " \t\r\n");
		value = name + strcspn(name, " \t\r\n");
		if (*value != '\0')
			*value++ = '\0';
		value += strspn(value, " \t\r\n");
		value[strcspn(value, "\t\r\n")] = '\0';
		while (*value != '\0' && value[strlen(value) - 1] == ' ')
			value[strlen(value) - 1] = '\0';
		for (k = 0; k < SETTING_COUNT; k++) {
			if (settings_table[k].nginx_directive != NULL &&
			    strcmp(name, settings_table[k].nginx_directive) == 0)
				break;
		}
		if (k == SETTING_COUNT) {
			if (out->foreign == NULL &&
			    (out->foreign = strdup(name)) == NULL) {
				free(stmt);
				goto nomem;
			}
		} else if (out->have[k]) {
			*cause = str_printf("line %d: %s is given twice", sline,
			    name);
			free(stmt);
			nginx_settings_free(out);
			return (-1);
		} else if (nginx_settings_time(value, &out->value[k],
		    &why) != 0) {
			*cause = str_printf("line %d: %s: %s", sline, name,
			    why != NULL ? why : "out of memory");
			free(why);
			free(stmt);
			nginx_settings_free(out);
			return (-1);
		} else
			out->have[k] = 1;
		free(stmt);
	}

nomem:
	nginx_settings_free(out);
	*cause = str_printf("out of memory");
	return (-1);
}

void
nginx_settings_free(struct nginx_settings *ns)
{
	free(ns->foreign);
	ns->foreign = NULL;
}
