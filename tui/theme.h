/* Looks of the console: attributes that work in colour, monochrome and
 * NO_COLOR, and symbols with plain ASCII fallbacks for non-UTF-8 locales. */
#ifndef IMAPADM_TUI_THEME_H
#define IMAPADM_TUI_THEME_H

#include <curses.h>
#include <stdarg.h>
#include <stddef.h>

enum theme_attr {
	THEME_NORMAL,
	THEME_HEADER,		/* top line */
	THEME_KEYBAR,		/* bottom line */
	THEME_KEY,		/* key name in the key bar */
	THEME_KEY_OFF,		/* action not usable now */
	THEME_TITLE,		/* screen and section titles */
	THEME_SELECTED,		/* list selection */
	THEME_FOCUS,		/* focused link or button */
	THEME_FIELD,		/* editable field */
	THEME_FIELD_RO,		/* read-only field */
	THEME_ERROR,
	THEME_WARNING,
	THEME_DIM,		/* ranges, help text, disabled buttons */
	THEME_LINK,
	THEME_PENDING,		/* restart pending marker */
	THEME_OK,
	THEME_COUNT
};

enum theme_sym {
	SYM_PENDING,		/* restart pending */
	SYM_ELLIPSIS,
	SYM_ARROW,
	SYM_DASH,		/* en dash in ranges */
	SYM_CROSS,		/* invalid value */
	SYM_WARN,
	SYM_CHECK,
	SYM_FOCUS,		/* marks the focused item */
	SYM_UP,
	SYM_DOWN,
	SYM_COUNT
};

/* After initscr: decide UTF-8 or ASCII, colour or not. */
void		 theme_init(void);
attr_t		 theme_attr(enum theme_attr);
short		 theme_pair(enum theme_attr);
int		 theme_ascii(void);
const char	*theme_sym(enum theme_sym);
/* Spinner frame n (any n). */
const char	*theme_spinner(unsigned int n);

/* Display width of UTF-8 text as theme_put would draw it. */
int		 theme_width(const char *);
/* Bytes of s that fit in width columns, for breaking lines; *space (if not
 * NULL) gets the last space among them, or NULL. */
size_t		 theme_fit(const char *s, int width, const char **space);
/* One line of s broken at a space to fit width columns (cut in a word
 * only if it must); returns its bytes and sets *next past the spaces. */
size_t		 theme_wrap(const char *s, int width, const char **next);
/*
 * Draw UTF-8 text at (y, x) in at most width columns (-1: to the edge),
 * control characters as spaces, and in ASCII mode with non-ASCII characters
 * replaced by plain equivalents. Returns the columns drawn.
 */
int		 theme_put(WINDOW *, int y, int x, int width, enum theme_attr,
		     const char *);
/* The same, ending in an ellipsis when the text is cut. */
int		 theme_put_fit(WINDOW *, int y, int x, int width, enum theme_attr,
		     const char *);
int		 theme_printf(WINDOW *, int y, int x, int width, enum theme_attr,
		     const char *, ...) __attribute__((format(printf, 6, 7)));
/* theme_printf with a va_list; fit: as theme_put_fit. */
int		 theme_vprintf(WINDOW *, int y, int x, int width,
		     enum theme_attr, int fit, const char *, va_list)
		     __attribute__((format(printf, 7, 0)));
/* Clear from (y, x) to the end of the line, in normal attributes. */
void		 theme_clear_eol(WINDOW *, int y, int x);

#endif
