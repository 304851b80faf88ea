/* Reading RFC 4180 CSV from a buffer in place: records of fields, each
 * with the line it starts on, quoted fields over several lines. */
#ifndef IMAPADM_CORE_CSV_H
#define IMAPADM_CORE_CSV_H

#include <stddef.h>

struct csv {
	char		*p;		/* next byte to read */
	char		*end;
	unsigned long	 line;		/* line of *p, from 1 */
	char		**field;	/* the current record's fields */
	size_t		 nfields;
	size_t		 size;
};

/*
 * buf holds len bytes followed by one spare byte, set to NUL (fields are
 * unquoted and NUL-terminated in place, the last one at buf[len]). A UTF-8
 * byte order mark is skipped.
 */
void	 csv_init(struct csv *, char *buf, size_t len);
void	 csv_free(struct csv *);
/*
 * The next record, skipping empty lines: 1 with c->field and *line (where
 * it starts), 0 at the end, -1 on a syntax error with *cause and *line;
 * reading goes on at the next line, or stops for an unterminated quote.
 */
int	 csv_next(struct csv *, unsigned long *line, char **cause);

#endif
