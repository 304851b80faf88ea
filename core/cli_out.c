/* The command line's three output forms: format-list blocks, a table with a
 * header row, and JSON strings that are always valid (escaped, UTF-8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli_internal.h"

struct cli_out_table {
	size_t		 ncols;
	size_t		 ncells;	/* allocated; row 0 is the header */
	char		**cells;
	int		 failed;	/* out of memory: print nothing wrong */
};

static size_t	 cli_out_utf8_len(const unsigned char *, size_t);

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
static size_t
cli_out_utf8_len(const unsigned char *s, size_t left)
{
	size_t		 n, i;
	unsigned long	 cp;

	if (s[0] < 0x80)
		return (1);
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return (0);
	if (n > left)
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return (0);
	return (n);
}

/* Write len bytes of s with control codes and bytes that are not UTF-8
 * shown as '?': user input quoted in a message must not drive the terminal. */
void
cli_out_safe(FILE *f, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	while (len > 0) {
		n = cli_out_utf8_len(p, len);
		if (n == 0 || *p < 0x20 || *p == 0x7f ||
		    (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
			fputc('?', f);
			n = n == 0 ? 1 : n;
		} else
			fwrite(p, 1, n, f);
		p += n;
		len -= n;
	}
}

/* Text safe to show on a terminal and in JSON: UTF-8, no control codes. */
int
cli_out_printable(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 left = strlen(s), n;

	while (left > 0) {
		if (*p < 0x20 || *p == 0x7f ||
		    (n = cli_out_utf8_len(p, left)) == 0)
			return (0);
		/* C1 controls are U+0080-U+009F: 0xc2 0x80-0x9f. */
		if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
			return (0);
		p += n;
		left -= n;
	}
	return (1);
}

void
cli_out_csv_field(FILE *f, const char *s, int last)
{
	const char	*q;

	if (s == NULL)
		s = "";
	if (s[strcspn(s, ",\"")] == '\0')
		cli_out_safe(f, s, strlen(s));
	else {
		/* CR and LF come out as '?': only commas and quotes remain
		 * to quote. */
		fputc('"', f);
		while ((q = strchr(s, '"')) != NULL) {
			cli_out_safe(f, s, (size_t)(q - s));
			fputs("\"\"", f);
			s = q + 1;
		}
		cli_out_safe(f, s, strlen(s));
		fputc('"', f);
	}
	fputc(last ? '\n' : ',', f);
}

size_t
cli_out_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 left = strlen(s), n, w = 0;

	while (left > 0) {
		if ((n = cli_out_utf8_len(p, left)) == 0)
			n = 1;
		p += n;
		left -= n;
		w++;
	}
	return (w);
}

void
cli_out_json_string(FILE *f, const char *s)
{
	const unsigned char	*p;
	size_t			 left, n;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	p = (const unsigned char *)s;
	left = strlen(s);
	fputc('"', f);
	while (left > 0) {
		n = 1;
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if ((n = cli_out_utf8_len(p, left)) == 0) {
			/* Bytes that are not UTF-8 would make the JSON invalid. */
			fputs("\\ufffd", f);
			n = 1;
		} else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			/* C1 controls (U+0080-U+009F; U+009B is CSI) are valid
			 * JSON but drive a terminal the JSON is shown on. */
			fprintf(f, "\\u%04x", p[1]);
		} else
			fwrite(p, 1, n, f);
		p += n;
		left -= n;
	}
	fputc('"', f);
}

void
cli_out_list(FILE *f, int width, size_t n, const char *const *labels,
    const char *const *values)
{
	size_t	 i;

	/* Values come from the database and from service commands. */
	for (i = 0; i < n; i++) {
		if (values[i] == NULL || *values[i] == '\0')
			fprintf(f, "%-*s :\n", width, labels[i]);
		else {
			fprintf(f, "%-*s : ", width, labels[i]);
			cli_out_safe(f, values[i], strlen(values[i]));
			fputc('\n', f);
		}
	}
}

struct cli_out_table *
cli_out_table_new(size_t ncols, const char *const *headers)
{
	struct cli_out_table	*t;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return (NULL);
	t->ncols = ncols;
	cli_out_table_add(t, headers);
	return (t);
}

void
cli_out_table_add(struct cli_out_table *t, const char *const *cells)
{
	char	**grown;
	size_t	  i;

	if (t == NULL || t->failed)
		return;
	grown = realloc(t->cells, (t->ncells + t->ncols) * sizeof *grown);
	if (grown == NULL) {
		t->failed = 1;
		return;
	}
	t->cells = grown;
	for (i = 0; i < t->ncols; i++) {
		t->cells[t->ncells] = strdup(cells[i] != NULL ? cells[i] : "");
		if (t->cells[t->ncells++] == NULL)
			t->failed = 1;
	}
}

void
cli_out_table_print(struct cli_out_table *t, FILE *f)
{
	size_t	*width, i, c, w, last;
	char	*cell;

	if (t == NULL || t->failed ||
	    (width = calloc(t->ncols, sizeof *width)) == NULL) {
		cli_error("out of memory");
		return;
	}
	for (i = 0; i < t->ncells; i++) {
		w = cli_out_width(t->cells[i]);
		if (w > width[i % t->ncols])
			width[i % t->ncols] = w;
	}
	for (i = 0; i < t->ncells; i++) {
		c = i % t->ncols;
		cell = t->cells[i];
		/* One '?' per byte cli_out_width counts as a column. */
		cli_out_safe(f, cell, strlen(cell));
		/* Pad only up to the last non-empty cell: no trailing blanks. */
		for (last = t->ncols; last > c + 1; last--) {
			if (*t->cells[i - c + last - 1] != '\0')
				break;
		}
		if (c + 1 < last)
			fprintf(f, "%*s", (int)(width[c] - cli_out_width(cell) +
			    2), "");
		if (c + 1 == t->ncols)
			fputc('\n', f);
	}
	free(width);
}

void
cli_out_table_free(struct cli_out_table *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
