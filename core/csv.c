/* RFC 4180 CSV records read in place: the import file is read once into
 * memory and every field is a string inside it, nothing copied. */
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/str.h"

static void	 csv_push(struct csv *, char *);
static void	 csv_skip_line(struct csv *);

void
csv_init(struct csv *c, char *buf, size_t len)
{
	memset(c, 0, sizeof *c);
	c->p = buf;
	c->end = buf + len;
	c->line = 1;
	*c->end = '\0';
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		c->p += 3;
}

void
csv_free(struct csv *c)
{
	free(c->field);
	c->field = NULL;
	c->nfields = c->size = 0;
}

static void
csv_push(struct csv *c, char *field)
{
	char	**grown;

	if (c->nfields == c->size) {
		c->size = c->size == 0 ? 8 : c->size * 2;
		grown = reallocarray(c->field, c->size, sizeof *grown);
		if (grown == NULL)
			abort();
		c->field = grown;
	}
	c->field[c->nfields++] = field;
}

/* After an error: go on at the next line. */
static void
csv_skip_line(struct csv *c)
{
	char	*nl;

	if ((nl = memchr(c->p, '\n', (size_t)(c->end - c->p))) == NULL)
		c->p = c->end;
	else {
		c->p = nl + 1;
		c->line++;
	}
}

int
csv_next(struct csv *c, unsigned long *line, char **cause)
{
	char		*w, *start;
	unsigned long	 opened;
	int		 quoted;

	*cause = NULL;
	for (;;) {
		if (c->p >= c->end)
			return (0);
		/* Empty lines (a trailing one above all) hold no record. */
		if (*c->p == '\n' || (*c->p == '\r' && c->p + 1 < c->end &&
		    c->p[1] == '\n')) {
			c->p += *c->p == '\r' ? 2 : 1;
			c->line++;
			continue;
		}
		break;
	}
	*line = c->line;
	c->nfields = 0;
	for (;;) {
		start = w = c->p;
		quoted = c->p < c->end && *c->p == '"';
		if (quoted) {
			opened = c->line;
			for (c->p++;; c->p++) {
				if (c->p >= c->end) {
					*cause = str_printf("unterminated "
					    "quoted field (opened on line %lu)",
					    opened);
					*line = opened;
					return (-1);
				}
				if (*c->p == '"') {
					if (c->p + 1 < c->end &&
					    c->p[1] == '"')
						c->p++;
					else
						break;
				} else if (*c->p == '\n')
					c->line++;
				*w++ = *c->p;
			}
			c->p++;
		} else {
			/* To the next byte that may end the field (the spare
			 * NUL stops it at the end). */
			for (;; c->p++) {
				c->p += strcspn(c->p, "\",\n\r");
				if (c->p >= c->end || *c->p == ',' ||
				    *c->p == '\n' || (*c->p == '\r' &&
				    c->p + 1 < c->end && c->p[1] == '\n'))
					break;
				if (*c->p == '"') {
					*cause = str_printf("quote inside "
					    "unquoted field %zu (quote the "
					    "whole field: \"...\")",
					    c->nfields + 1);
					csv_skip_line(c);
					return (-1);
				}
				/* A CR alone, or a NUL inside: field text. */
			}
			w = c->p;
		}
		if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
		    !(*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')) {
			*cause = str_printf("text after the closing quote of "
			    "field %zu (double a quote inside a quoted field: "
			    "\"\")", c->nfields + 1);
			csv_skip_line(c);
			return (-1);
		}
		/* The delimiter is read before its byte is overwritten. */
		if (c->p >= c->end) {
			*w = '\0';
			csv_push(c, start);
			return (1);
		}
		if (*c->p == ',') {
			c->p++;
			*w = '\0';
			csv_push(c, start);
			continue;
		}
		c->p += *c->p == '\r' ? 2 : 1;
		c->line++;
		*w = '\0';
		csv_push(c, start);
		return (1);
	}
}
