/* Attributes and symbols: colour only when the terminal has it and NO_COLOR
 * is not set; every meaning also carried by bold/reverse/underline or text. */
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/theme.h"

struct theme_look {
	attr_t	 mono;		/* without colour */
	attr_t	 colour;	/* added to the pair when colour is on */
	short	 fg;
	short	 bg;
};

static unsigned int	 theme_decode(const char *, size_t *);
static const char	*theme_ascii_for(unsigned int);
static int		 theme_char_width(unsigned int);

static int	theme_is_ascii = 1;
static int	theme_colour;

static const struct theme_look theme_looks[THEME_COUNT] = {
	[THEME_NORMAL] =	{ A_NORMAL, A_NORMAL, -1, -1 },
	[THEME_HEADER] =	{ A_REVERSE | A_BOLD, A_BOLD, COLOR_WHITE,
				    COLOR_BLUE },
	[THEME_KEYBAR] =	{ A_REVERSE, A_NORMAL, COLOR_BLACK, COLOR_CYAN },
	[THEME_KEY] =		{ A_REVERSE | A_BOLD, A_BOLD, COLOR_WHITE,
				    COLOR_CYAN },
	[THEME_KEY_OFF] =	{ A_REVERSE | A_DIM, A_DIM, COLOR_BLUE,
				    COLOR_CYAN },
	[THEME_TITLE] =		{ A_BOLD, A_BOLD, -1, -1 },
	[THEME_SELECTED] =	{ A_REVERSE, A_REVERSE, -1, -1 },
	[THEME_FOCUS] =		{ A_REVERSE | A_BOLD, A_REVERSE | A_BOLD, -1,
				    -1 },
	[THEME_FIELD] =		{ A_UNDERLINE | A_BOLD, A_UNDERLINE | A_BOLD,
				    -1, -1 },
	[THEME_FIELD_RO] =	{ A_UNDERLINE, A_UNDERLINE | A_DIM, -1, -1 },
	[THEME_ERROR] =		{ A_BOLD, A_BOLD, COLOR_RED, -1 },
	[THEME_WARNING] =	{ A_BOLD, A_BOLD, COLOR_YELLOW, -1 },
	[THEME_DIM] =		{ A_DIM, A_DIM, -1, -1 },
	[THEME_LINK] =		{ A_UNDERLINE, A_UNDERLINE, COLOR_CYAN, -1 },
	[THEME_PENDING] =	{ A_BOLD, A_BOLD, COLOR_YELLOW, -1 },
	[THEME_OK] =		{ A_BOLD, A_BOLD, COLOR_GREEN, -1 }
};

static const char *const theme_syms_utf8[SYM_COUNT] = {
	[SYM_PENDING] = "\xe2\x9f\xb3",		/* ⟳ */
	[SYM_ELLIPSIS] = "\xe2\x80\xa6",	/* … */
	[SYM_ARROW] = "\xe2\x86\x92",		/* → */
	[SYM_DASH] = "\xe2\x80\x93",		/* – */
	[SYM_CROSS] = "\xe2\x9c\x97",		/* ✗ */
	[SYM_WARN] = "\xe2\x9a\xa0",		/* ⚠ */
	[SYM_CHECK] = "\xe2\x9c\x93",		/* ✓ */
	[SYM_FOCUS] = "\xe2\x96\xb8",		/* ▸ */
	[SYM_UP] = "\xe2\x86\x91",		/* ↑ */
	[SYM_DOWN] = "\xe2\x86\x93"		/* ↓ */
};

static const char *const theme_syms_ascii[SYM_COUNT] = {
	[SYM_PENDING] = "*",
	[SYM_ELLIPSIS] = "...",
	[SYM_ARROW] = "->",
	[SYM_DASH] = "-",
	[SYM_CROSS] = "x",
	[SYM_WARN] = "!",
	[SYM_CHECK] = "+",
	[SYM_FOCUS] = ">",
	[SYM_UP] = "^",
	[SYM_DOWN] = "v"
};

/* Braille dots read well in a UTF-8 terminal; the bar spinner anywhere. */
static const char *const theme_spin_utf8[] = {
	"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9", "\xe2\xa0\xb8",
	"\xe2\xa0\xbc", "\xe2\xa0\xb4", "\xe2\xa0\xa6", "\xe2\xa0\xa7",
	"\xe2\xa0\x87", "\xe2\xa0\x8f"
};
static const char *const theme_spin_ascii[] = { "|", "/", "-", "\\" };

void
theme_init(void)
{
	const char	*codeset, *nc;
	int		 i, defaults;

	codeset = nl_langinfo(CODESET);
	theme_is_ascii = codeset == NULL || (strcasecmp(codeset, "UTF-8") != 0 &&
	    strcasecmp(codeset, "utf8") != 0);

	nc = getenv("NO_COLOR");
	theme_colour = has_colors() && (nc == NULL || *nc == '\0');
	if (!theme_colour)
		return;
	if (start_color() == ERR || COLOR_PAIRS < THEME_COUNT + 1) {
		theme_colour = 0;
		return;
	}
	defaults = use_default_colors() == OK;
	for (i = 1; i < THEME_COUNT; i++) {
		short fg = theme_looks[i].fg, bg = theme_looks[i].bg;

		if (!defaults) {
			if (fg == -1)
				fg = COLOR_WHITE;
			if (bg == -1)
				bg = COLOR_BLACK;
		}
		init_pair((short)(i + 1), fg, bg);
	}
}

short
theme_pair(enum theme_attr a)
{
	if (!theme_colour || a == THEME_NORMAL)
		return (0);
	if (theme_looks[a].fg == -1 && theme_looks[a].bg == -1)
		return (0);
	return ((short)(a + 1));
}

attr_t
theme_attr(enum theme_attr a)
{
	if (!theme_colour)
		return (theme_looks[a].mono);
	return (theme_looks[a].colour | COLOR_PAIR(theme_pair(a)));
}

int
theme_ascii(void)
{
	return (theme_is_ascii);
}

const char *
theme_sym(enum theme_sym s)
{
	return (theme_is_ascii ? theme_syms_ascii[s] : theme_syms_utf8[s]);
}

const char *
theme_spinner(unsigned int n)
{
	if (theme_is_ascii)
		return (theme_spin_ascii[n % 4]);
	return (theme_spin_utf8[n % 10]);
}

/* One code point from UTF-8; *len bytes used; 0xfffd for a bad sequence. */
static unsigned int
theme_decode(const char *s, size_t *len)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned int		 cp;
	size_t			 n, i;

	if (u[0] < 0x80) {
		*len = 1;
		return (u[0]);
	}
	if ((u[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = u[0] & 0x1f;
	} else if ((u[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = u[0] & 0x0f;
	} else if ((u[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = u[0] & 0x07;
	} else {
		*len = 1;
		return (0xfffd);
	}
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*len = i;
			return (0xfffd);
		}
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	*len = n;
	return (cp);
}

static const char *
theme_ascii_for(unsigned int cp)
{
	switch (cp) {
	case 0x00a0:
		return (" ");
	case 0x00a7:
		return ("S");
	case 0x2013:
	case 0x2212:
		return ("-");
	case 0x2014:
		return ("--");
	case 0x2018:
	case 0x2019:
		return ("'");
	case 0x201c:
	case 0x201d:
		return ("\"");
	case 0x2026:
		return ("...");
	case 0x2190:
		return ("<-");
	case 0x2192:
		return ("->");
	case 0x2191:
		return ("^");
	case 0x2193:
		return ("v");
	case 0x27f3:
		return ("*");
	case 0x2717:
		return ("x");
	case 0x2713:
		return ("+");
	case 0x26a0:
		return ("!");
	case 0x25b8:
		return (">");
	}
	return ("?");
}

static int
theme_char_width(unsigned int cp)
{
	int	w;

	if (cp < 0x20 || cp == 0x7f)
		return (1);
	if (theme_is_ascii)
		return (cp < 0x80 ? 1 : (int)strlen(theme_ascii_for(cp)));
	if ((w = wcwidth((wchar_t)cp)) < 0)
		return (1);
	return (w);
}

int
theme_width(const char *s)
{
	size_t	len;
	int	w = 0;

	while (s != NULL && *s != '\0') {
		w += theme_char_width(theme_decode(s, &len));
		s += len;
	}
	return (w);
}

size_t
theme_fit(const char *s, int width, const char **space)
{
	const char	*q;
	char		 one[8];
	int		 w = 0, cw;
	size_t		 n;

	if (space != NULL)
		*space = NULL;
	/* A character at a time, as theme_width measures it. */
	for (q = s; *q != '\0'; q += n) {
		n = 1;
		while ((q[n] & 0xc0) == 0x80)
			n++;
		if (n >= sizeof one)
			n = 1;
		memcpy(one, q, n);
		one[n] = '\0';
		cw = theme_width(one);
		if (w + cw > width)
			break;
		w += cw;
		if (*q == ' ' && space != NULL)
			*space = q;
	}
	return ((size_t)(q - s));
}

size_t
theme_wrap(const char *s, int width, const char **next)
{
	const char	*brk, *q, *end;

	q = s + theme_fit(s, width, &brk);
	if (*q == '\0')
		end = q;
	else if (*q == ' ')
		end = q;	/* the break falls just after the line */
	else if (brk == NULL || brk == s) {
		/* One long word: cut it, after one character at least. */
		end = q;
		if (end == s)
			while ((*++end & 0xc0) == 0x80)
				;
	}
	else
		end = brk;
	for (*next = end; **next == ' '; (*next)++)
		;
	return ((size_t)(end - s));
}

/*
 * A run of n printable ASCII bytes at y, col, as cells (the same cells
 * waddnstr would make: tests/unit/test_theme_put.c): waddnstr takes each
 * byte through the multibyte machinery, three quarters of a list row's
 * cost. -1 if it would not fit, and the caller adds the run as text.
 */
static int
theme_put_cells(WINDOW *win, int y, int col, const char *s, size_t n,
    chtype attr)
{
	chtype	 cells[256];
	size_t	 i;

	if (n > sizeof cells / sizeof cells[0] ||
	    (int)n > getmaxx(win) - col)
		return (-1);
	for (i = 0; i < n; i++)
		cells[i] = (chtype)(unsigned char)s[i] | attr;
	if (wmove(win, y, col) == ERR ||
	    waddchnstr(win, cells, (int)n) == ERR)
		return (-1);
	/* The cursor after the run (at the right edge: on its last cell). */
	(void)wmove(win, y, col + (int)n < getmaxx(win) ? col + (int)n :
	    col + (int)n - 1);
	return (0);
}

int
theme_put(WINDOW *win, int y, int x, int width, enum theme_attr a,
    const char *s)
{
	unsigned int	 cp;
	size_t		 len;
	int		 used = 0, w;
	const char	*rep;

	if (width < 0)
		width = getmaxx(win) - x;
	if (width <= 0 || wmove(win, y, x) == ERR)
		return (0);
	wattrset(win, theme_attr(a));
	while (s != NULL && *s != '\0') {
		/* A run of printable ASCII (most of a list row) in one call:
		 * a column each. */
		for (len = 0; used + (int)len < width &&
		    (unsigned char)s[len] >= 0x20 && (unsigned char)s[len] < 0x7f;
		    len++)
			;
		if (len > 0) {
			if (theme_put_cells(win, y, x + used, s, len,
			    theme_attr(a)) != 0) {
				(void)wmove(win, y, x + used);
				waddnstr(win, s, (int)len);
			}
			used += (int)len;
			s += len;
			continue;
		}
		cp = theme_decode(s, &len);
		w = theme_char_width(cp);
		if (used + w > width)
			break;
		if (cp < 0x20 || cp == 0x7f)
			waddch(win, ' ');
		else if (cp < 0x80)
			waddch(win, (chtype)cp);
		else if (theme_is_ascii) {
			rep = theme_ascii_for(cp);
			waddnstr(win, rep, (int)strlen(rep));
		} else if (cp == 0xfffd || wcwidth((wchar_t)cp) < 0)
			waddch(win, '?');
		else
			waddnstr(win, s, (int)len);
		used += w;
		s += len;
	}
	wattrset(win, A_NORMAL);
	return (used);
}

int
theme_put_fit(WINDOW *win, int y, int x, int width, enum theme_attr a,
    const char *s)
{
	const char	*dots = theme_sym(SYM_ELLIPSIS);
	int		 dw = theme_width(dots), used;

	if (width < 0)
		width = getmaxx(win) - x;
	if (theme_width(s) <= width || width <= dw)
		return (theme_put(win, y, x, width, a, s));
	used = theme_put(win, y, x, width - dw, a, s);
	return (used + theme_put(win, y, x + used, dw, a, dots));
}

int
theme_printf(WINDOW *win, int y, int x, int width, enum theme_attr a,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 used;

	va_start(ap, fmt);
	used = theme_vprintf(win, y, x, width, a, 0, fmt, ap);
	va_end(ap);
	return (used);
}

int
theme_vprintf(WINDOW *win, int y, int x, int width, enum theme_attr a,
    int fit, const char *fmt, va_list ap)
{
	char	 buf[1024];

	vsnprintf(buf, sizeof buf, fmt, ap);
	if (fit)
		return (theme_put_fit(win, y, x, width, a, buf));
	return (theme_put(win, y, x, width, a, buf));
}

void
theme_clear_eol(WINDOW *win, int y, int x)
{
	if (wmove(win, y, x) == ERR)
		return;
	wattrset(win, A_NORMAL);
	wclrtoeol(win);
}
