/* The command line's output forms: format-list blocks, a table with a
 * header row streamed with widths known beforehand, CSV fields, and JSON
 * strings that are always valid (escaped, UTF-8). Each writes runs of
 * bytes, never one call per character: listings print 100,000 rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli_internal.h"

static size_t	 cli_out_utf8_len(const unsigned char *, size_t);
static void	 cli_out_pad(FILE *, size_t);

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

/* The character at p (*n bytes): 1 if it may be shown as it is, 0 if it
 * is shown as one '?' (a control code, or bytes that are not UTF-8). */
static int
cli_out_shown(const unsigned char *p, size_t left, size_t *n)
{
	size_t	k = cli_out_utf8_len(p, left);

	if (k == 0 || *p < 0x20 || *p == 0x7f ||
	    (k == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
		*n = k == 0 ? 1 : k;
		return (0);
	}
	*n = k;
	return (1);
}

/* Write len bytes of s with control codes and bytes that are not UTF-8
 * shown as '?': user input quoted in a message must not drive the terminal.
 * Runs of plain ASCII go out in one fwrite. Returns the columns written
 * (each '?' and each character counts one, as cli_out_width does). */
size_t
cli_out_safe(FILE *f, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s, *run;
	size_t			 n, cols = 0;

	while (len > 0) {
		for (run = p; len > 0 && *p >= 0x20 && *p < 0x7f; p++, len--)
			;
		if (p > run) {
			fwrite(run, 1, (size_t)(p - run), f);
			cols += (size_t)(p - run);
		}
		if (len == 0)
			break;
		if (cli_out_shown(p, len, &n))
			fwrite(p, 1, n, f);
		else
			putc('?', f);
		cols++;
		p += n;
		len -= n;
	}
	return (cols);
}

/* The same into dst, which has room for len bytes (what is shown is never
 * longer than what it shows); *cols as cli_out_safe returns. */
static size_t
cli_out_safe_mem(char *dst, const char *s, size_t len, size_t *cols)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			*d = dst;
	size_t			 n;

	*cols = 0;
	while (len > 0) {
		if (*p >= 0x20 && *p < 0x7f)
			*d++ = (char)*p, n = 1;
		else if (cli_out_shown(p, len, &n)) {
			memcpy(d, p, n);
			d += n;
		} else
			*d++ = '?';
		(*cols)++;
		p += n;
		len -= n;
	}
	return ((size_t)(d - dst));
}

void
cli_out_buffer(FILE *f)
{
	/* glibc ignores the size unless given the buffer (it would take
	 * st_blksize, 4 KiB); static, it outlives the stream's last flush
	 * at exit. */
	static char	 buf[CLI_OUT_BUFSIZE];

	setvbuf(f, buf, _IOFBF, sizeof buf);
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
	if (s == NULL)
		fputs("null", f);
	else
		cli_out_json_range(f, s, strlen(s));
}

void
cli_out_json_range(FILE *f, const char *s, size_t len)
{
	const unsigned char	*p, *run;
	size_t			 left, n;

	p = (const unsigned char *)s;
	left = len;
	putc('"', f);
	while (left > 0) {
		/* Plain ASCII needs no escape: one fwrite per run. */
		for (run = p; left > 0 && *p >= 0x20 && *p < 0x7f &&
		    *p != '"' && *p != '\\'; p++, left--)
			;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), f);
		if (left == 0)
			break;
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
	putc('"', f);
}

/* n spaces. */
static void
cli_out_pad(FILE *f, size_t n)
{
	static const char	 blanks[] = "                                "
				     "                                ";
	size_t			 k;

	for (; n > 0; n -= k) {
		k = n < sizeof blanks - 1 ? n : sizeof blanks - 1;
		fwrite(blanks, 1, k, f);
	}
}

void
cli_out_list(FILE *f, int width, size_t n, const char *const *labels,
    const char *const *values)
{
	size_t	 i, len;

	/* Values come from the database and from service commands. */
	for (i = 0; i < n; i++) {
		len = strlen(labels[i]);
		fwrite(labels[i], 1, len, f);
		if ((size_t)width > len)
			cli_out_pad(f, (size_t)width - len);
		if (values[i] == NULL || *values[i] == '\0')
			fwrite(" :\n", 1, 3, f);
		else {
			fwrite(" : ", 1, 3, f);
			cli_out_safe(f, values[i], strlen(values[i]));
			putc('\n', f);
		}
	}
}

void
cli_out_table_begin(FILE *f, struct cli_out_cols *t, size_t n,
    const char *const *headers, const size_t *min)
{
	size_t	 i, w;

	if (n > CLI_OUT_MAXCOLS)
		abort();	/* a verb's table is fixed at build time */
	t->n = n;
	for (i = 0; i < n; i++) {
		w = cli_out_width(headers[i]);
		t->width[i] = min != NULL && min[i] > w ? min[i] : w;
	}
	cli_out_table_row(f, t, headers);
}

/* The row is laid out in memory and written in one fwrite. */
void
cli_out_table_row(FILE *f, const struct cli_out_cols *t,
    const char *const *cells)
{
	const char	*cell[CLI_OUT_MAXCOLS];
	char		 small[1024], *line = small, *p;
	size_t		 c, w, last, len[CLI_OUT_MAXCOLS], need = 1, pad;

	for (c = 0; c < t->n; c++) {
		cell[c] = cells[c] != NULL ? cells[c] : "";
		len[c] = strlen(cell[c]);
		need += len[c] + t->width[c] + 2;
	}
	if (need > sizeof small && (line = malloc(need)) == NULL) {
		cli_error("out of memory");
		return;
	}
	/* Pad only up to the last non-empty cell: no trailing blanks. */
	for (last = t->n; last > 1 && *cell[last - 1] == '\0'; last--)
		;
	for (p = line, c = 0; c < t->n; c++) {
		/* One '?' per byte cli_out_width counts as a column. */
		p += cli_out_safe_mem(p, cell[c], len[c], &w);
		/* A cell wider than foreseen (bytes that are not UTF-8 in
		 * a hand-edited row) still keeps two blanks before the next. */
		if (c + 1 < last) {
			pad = (t->width[c] > w ? t->width[c] - w : 0) + 2;
			memset(p, ' ', pad);
			p += pad;
		}
	}
	*p++ = '\n';
	fwrite(line, 1, (size_t)(p - line), f);
	if (line != small)
		free(line);
}

/* A short table kept whole (a summary of a few rows): its widths are
 * measured when it is printed; the rows go out as cli_out_table_row's. */
struct cli_out_table {
	size_t		 ncols;
	size_t		 ncells;	/* row 0 is the header */
	char		**cells;
	int		 failed;	/* out of memory: print nothing wrong */
};

struct cli_out_table *
cli_out_table_new(size_t ncols, const char *const *headers)
{
	struct cli_out_table	*t;

	if (ncols > CLI_OUT_MAXCOLS || (t = calloc(1, sizeof *t)) == NULL)
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
	struct cli_out_cols	 cols;
	size_t			 i, w;

	if (t == NULL || t->failed) {
		cli_error("out of memory");
		return;
	}
	cols.n = t->ncols;
	memset(cols.width, 0, sizeof cols.width);
	for (i = 0; i < t->ncells; i++) {
		w = cli_out_width(t->cells[i]);
		if (w > cols.width[i % t->ncols])
			cols.width[i % t->ncols] = w;
	}
	for (i = 0; i < t->ncells; i += t->ncols)
		cli_out_table_row(f, &cols, (const char *const *)&t->cells[i]);
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
