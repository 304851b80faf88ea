/* The virtual list: positions are counted (the source's count and rank),
 * rows are read by key next to the ones held, and only the screen's rows
 * plus two pages either side are held. No libmenu: a menu holds every row. */
#include <stdlib.h>
#include <string.h>

#include "tui/theme.h"
#include "tui/widget_vlist.h"

struct wvlist {
	const struct wvlist_source *src;
	void		*arg;
	WINDOW		*win;
	char		*rows;	/* n rows: positions base .. base + n - 1 */
	size_t		 n;
	size_t		 base;
	size_t		 top;	/* position of the first row on screen */
	size_t		 sel;	/* position of the selection */
	size_t		 total;	/* rows in the list, as last counted */
	int		 counted;	/* total is a count, not "at least" */
	char		*edge[2];	/* read ahead when idle: the first */
	size_t		 nedge[2];	/* [0] and last [1] screen and a row */
};

#define WVLIST_ROW(l, i)	((l)->rows + (i) * (l)->src->size)

/*
 * A jump (first, last, a key) reads the screen and one row more, so that
 * the first screen costs what the screen shows; moving on reads a page
 * ahead (wvlist_fill), so that the next keys need no read.
 */

static size_t	 wvlist_height(struct wvlist *);
static void	 wvlist_drop(struct wvlist *, size_t, size_t);
static void	 wvlist_drop_edges(struct wvlist *);
static void	 wvlist_put(struct wvlist *, char *, size_t, int);
static int	 wvlist_fetch(struct wvlist *, enum wvlist_from, const char *,
		     size_t, int, size_t *, char **);
static int	 wvlist_hold(struct wvlist *, size_t, size_t, char **);
static int	 wvlist_fill(struct wvlist *, char **);
static void	 wvlist_clamp(struct wvlist *);
static size_t	 wvlist_shift(size_t, long long);
static int	 wvlist_edge(struct wvlist *, int, char **);
static int	 wvlist_seek(struct wvlist *, const char *, size_t, char **);
static void	 wvlist_draw_bar(struct wvlist *, size_t, int);

struct wvlist *
wvlist_new(const struct wvlist_source *src, void *arg)
{
	struct wvlist	*l;

	if ((l = calloc(1, sizeof *l)) == NULL)
		return (NULL);
	l->src = src;
	l->arg = arg;
	return (l);
}

void
wvlist_free(struct wvlist *l)
{
	if (l == NULL)
		return;
	wvlist_drop(l, 0, l->n);
	wvlist_drop_edges(l);
	free(l->rows);
	free(l);
}

void
wvlist_set_window(struct wvlist *l, WINDOW *win)
{
	l->win = win;
	wvlist_clamp(l);
}

static size_t
wvlist_height(struct wvlist *l)
{
	int	h = l->win != NULL ? getmaxy(l->win) : 1;

	return (h > 0 ? (size_t)h : 1);
}

/* Release count rows from index i and close the gap. */
static void
wvlist_drop(struct wvlist *l, size_t i, size_t count)
{
	size_t	k, size = l->src->size;

	if (count == 0)
		return;
	for (k = i; k < i + count; k++)
		l->src->release(l->arg, WVLIST_ROW(l, k));
	memmove(WVLIST_ROW(l, i), WVLIST_ROW(l, i + count),
	    (l->n - i - count) * size);
	l->n -= count;
}

/* The rows read ahead for Home and End go (the list is read again). */
static void
wvlist_drop_edges(struct wvlist *l)
{
	size_t	e, k;

	for (e = 0; e < 2; e++) {
		for (k = 0; k < l->nedge[e]; k++)
			l->src->release(l->arg, l->edge[e] + k * l->src->size);
		free(l->edge[e]);
		l->edge[e] = NULL;
		l->nedge[e] = 0;
	}
}

/* Take m fetched rows (and their array) in front of or after those held. */
static void
wvlist_put(struct wvlist *l, char *got, size_t m, int front)
{
	size_t	 size = l->src->size;
	char	*rows;

	if (m == 0) {
		free(got);
		return;
	}
	if ((rows = realloc(l->rows, (l->n + m) * size)) == NULL)
		abort();
	l->rows = rows;
	if (front) {
		memmove(rows + m * size, rows, l->n * size);
		memcpy(rows, got, m * size);
	} else
		memcpy(rows + l->n * size, got, m * size);
	l->n += m;
	free(got);
}

/* Ask the source for up to max rows and add them at one end. */
static int
wvlist_fetch(struct wvlist *l, enum wvlist_from from, const char *key,
    size_t max, int front, size_t *got, char **cause)
{
	void	*rows = NULL;
	size_t	 m = 0;

	if (l->src->fetch(l->arg, from, key, max, &rows, &m, cause) != 0)
		return (-1);
	wvlist_put(l, rows, m, front);
	*got = m;
	return (0);
}

static void
wvlist_clamp(struct wvlist *l)
{
	size_t	h = wvlist_height(l);

	if (l->total == 0) {
		l->top = l->sel = 0;
		return;
	}
	if (l->sel >= l->total)
		l->sel = l->total - 1;
	if (l->top > l->sel)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	if (l->total > h && l->top > l->total - h)
		l->top = l->total - h;
	if (l->total <= h)
		l->top = 0;
}

/* Position p less d, not below 0. */
static size_t
wvlist_shift(size_t p, long long d)
{
	long long	q = (long long)p - d;

	return (q > 0 ? (size_t)q : 0);
}

/*
 * Hold the rows from ahead rows before the screen to ahead rows after it,
 * reading what is missing (and extra rows more, so that the next moves
 * need no read) after the last row held or before the first; then let go
 * of what is more than two pages away. A short read means the list ends
 * there, or begins there: the positions follow what the store says now.
 */
static int
wvlist_hold(struct wvlist *l, size_t ahead, size_t extra, char **cause)
{
	size_t		 h = wvlist_height(l), lo, hi, need, got, k;
	long long	 d;
	char		*key;
	int		 rc;

	wvlist_clamp(l);
	if (l->total == 0 || l->n == 0)
		return (0);
	lo = l->top > ahead ? l->top - ahead : 0;
	hi = l->top + h + ahead < l->total ? l->top + h + ahead : l->total;
	if (hi > l->base + l->n) {
		need = hi - (l->base + l->n) + extra;
		if ((key = strdup(l->src->key(l->arg,
		    WVLIST_ROW(l, l->n - 1)))) == NULL)
			abort();
		rc = wvlist_fetch(l, WVLIST_AFTER, key, need, 0, &got, cause);
		free(key);
		if (rc != 0)
			return (-1);
		if (got < need) {
			l->total = l->base + l->n;
			wvlist_clamp(l);
		}
	}
	if (lo < l->base) {
		need = l->base - lo + extra;
		if ((key = strdup(l->src->key(l->arg, WVLIST_ROW(l, 0)))) ==
		    NULL)
			abort();
		rc = wvlist_fetch(l, WVLIST_BEFORE, key, need, 1, &got, cause);
		free(key);
		if (rc != 0)
			return (-1);
		if (got < need || got > l->base) {
			/*
			 * The first row held is the list's first, wherever
			 * the count put it: shift every position by what it
			 * was off.
			 */
			d = (long long)l->base - (long long)got;
			l->top = wvlist_shift(l->top, d);
			l->sel = wvlist_shift(l->sel, d);
			l->total = wvlist_shift(l->total, d);
			if (l->total < l->n)
				l->total = l->n;
			l->base = 0;
			wvlist_clamp(l);
		} else
			l->base -= got;
	}
	if (l->top > l->base + 2 * h) {
		k = l->top - 2 * h - l->base;
		wvlist_drop(l, 0, k);
		l->base += k;
	}
	if (l->base + l->n > l->top + 3 * h) {
		k = l->top + 3 * h - l->base;
		wvlist_drop(l, k, l->n - k);
	}
	return (0);
}

/* The rows on screen, for a key: a read only when they are not held. */
static int
wvlist_fill(struct wvlist *l, char **cause)
{
	size_t	h = wvlist_height(l);

	return (wvlist_hold(l, 0, h, cause));
}

/*
 * When idle: a page either side of the screen, then, once a reload, the
 * rows Home and End would show if they are not held: those keys then read
 * nothing, wherever the list is.
 */
int
wvlist_prefetch(struct wvlist *l, char **cause)
{
	size_t	h = wvlist_height(l), e;
	void	*rows;

	if (!l->counted)
		return (0);
	if (wvlist_hold(l, h, h, cause) != 0)
		return (-1);
	for (e = 2; e-- > 0;) {
		if (l->nedge[e] != 0 || l->n == 0 ||
		    (e == 1 ? l->base + l->n >= l->total : l->base == 0))
			continue;
		rows = NULL;
		if (l->src->fetch(l->arg, e == 1 ? WVLIST_LAST : WVLIST_FIRST,
		    NULL, h + 1, &rows, &l->nedge[e], cause) != 0)
			return (-1);
		l->edge[e] = rows;
		if (l->nedge[e] == 0) {
			free(rows);
			l->edge[e] = NULL;
		}
	}
	return (0);
}

/* Home (last 0) or End: one read from that end unless it is held. */
static int
wvlist_edge(struct wvlist *l, int last, char **cause)
{
	size_t	h = wvlist_height(l), got;

	if (l->total == 0)
		return (0);
	if (l->n == 0 || (last ? l->base + l->n < l->total : l->base > 0)) {
		wvlist_drop(l, 0, l->n);
		if (l->nedge[last] != 0) {	/* read ahead when idle */
			got = l->nedge[last];
			wvlist_put(l, l->edge[last], got, 0);
			l->edge[last] = NULL;
			l->nedge[last] = 0;
		} else if (wvlist_fetch(l, last ? WVLIST_LAST : WVLIST_FIRST,
		    NULL, h + 1, 0, &got, cause) != 0)
			return (-1);
		if (got < h + 1 && got < l->total)
			l->total = got;
		l->base = last ? l->total - got : 0;
	}
	l->sel = last ? l->total - 1 : 0;
	l->top = last && l->total > h ? l->total - h : 0;
	return (wvlist_fill(l, cause));
}

/*
 * Count, then read from key on and select its row (or the next), shown on
 * screen line line. key NULL: the first row.
 */
static int
wvlist_seek(struct wvlist *l, const char *key, size_t line, char **cause)
{
	size_t	h = wvlist_height(l), total, rank = 0, got;

	wvlist_drop(l, 0, l->n);
	wvlist_drop_edges(l);
	l->base = l->top = l->sel = 0;
	if (key == NULL) {
		/* A short first read is the whole list: no count needed
		 * (with a filter that finds few rows, one scan, not two). */
		if (wvlist_fetch(l, WVLIST_FIRST, NULL, h + 1, 0, &got,
		    cause) != 0)
			return (-1);
		/* A full one: at least that many, counted later
		 * (wvlist_count_now), once the rows are on screen. */
		l->total = got;
		l->counted = got < h + 1;
		return (wvlist_fill(l, cause));
	}
	if (l->src->count(l->arg, key, &total, &rank, cause) != 0)
		return (-1);
	l->total = total;
	l->counted = 1;
	if (total == 0)
		return (0);
	if (rank >= total)
		return (wvlist_edge(l, 1, cause));
	if (wvlist_fetch(l, WVLIST_AT, key, h + 1, 0, &got, cause) != 0)
		return (-1);
	if (got == 0)
		return (wvlist_edge(l, 1, cause));
	l->base = l->sel = rank;
	if (l->base + got > l->total)
		l->total = l->base + got;
	l->top = l->sel > line ? l->sel - line : 0;
	return (wvlist_fill(l, cause));
}

int
wvlist_counted(struct wvlist *l)
{
	return (l->counted);
}

int
wvlist_count_now(struct wvlist *l, char **cause)
{
	size_t	total, rank;

	if (l->counted)
		return (0);
	if (l->src->count(l->arg, NULL, &total, &rank, cause) != 0)
		return (-1);
	l->total = total > l->base + l->n ? total : l->base + l->n;
	l->counted = 1;
	return (wvlist_fill(l, cause));
}

int
wvlist_reload(struct wvlist *l, const char *keep, char **cause)
{
	char	*copy = NULL;
	int	 rc;

	/* keep may be a row's key, and the rows go. */
	if (keep != NULL && (copy = strdup(keep)) == NULL)
		abort();
	rc = wvlist_seek(l, copy, l->sel - l->top, cause);
	free(copy);
	return (rc);
}

int
wvlist_jump(struct wvlist *l, const char *key, char **cause)
{
	return (wvlist_reload(l, key, cause));
}

int
wvlist_move(struct wvlist *l, enum keymap_action a, char **cause)
{
	size_t	h = wvlist_height(l), top = l->top, sel = l->sel, step;
	size_t	maxtop;

	switch (a) {
	case KEYMAP_UP:
	case KEYMAP_DOWN:
	case KEYMAP_PAGE_UP:
	case KEYMAP_PAGE_DOWN:
	case KEYMAP_FIRST:
	case KEYMAP_LAST:
		break;
	default:
		return (0);
	}
	/* Moving needs the count (End, the last page). */
	if (wvlist_count_now(l, cause) != 0)
		return (1);
	maxtop = l->total > h ? l->total - h : 0;
	switch (a) {
	case KEYMAP_UP:
		if (l->sel > 0)
			l->sel--;
		break;
	case KEYMAP_DOWN:
		if (l->sel + 1 < l->total)
			l->sel++;
		break;
	case KEYMAP_PAGE_DOWN:
		/* View and selection move by a page; on the last page the
		 * selection goes to the last row. */
		step = maxtop - l->top < h ? maxtop - l->top : h;
		if (step == 0) {
			(void)wvlist_edge(l, 1, cause);
			return (1);
		}
		l->top += step;
		l->sel += step;
		break;
	case KEYMAP_PAGE_UP:
		step = l->top < h ? l->top : h;
		if (step == 0) {
			(void)wvlist_edge(l, 0, cause);
			return (1);
		}
		l->top -= step;
		l->sel -= step;
		break;
	case KEYMAP_FIRST:
	case KEYMAP_LAST:
		(void)wvlist_edge(l, a == KEYMAP_LAST, cause);
		return (1);
	default:
		return (0);
	}
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	if (wvlist_fill(l, cause) != 0) {
		l->top = top;
		l->sel = sel;
	}
	return (1);
}

void
wvlist_draw(struct wvlist *l)
{
	size_t	h, i, pos;
	int	w, selected;

	if (l->win == NULL)
		return;
	h = wvlist_height(l);
	w = getmaxx(l->win);
	for (i = 0; i < h; i++) {
		pos = l->top + i;
		if (pos >= l->total || pos < l->base || pos >= l->base + l->n) {
			theme_clear_eol(l->win, (int)i, 0);
			continue;
		}
		selected = pos == l->sel;
		/* The mark and the row's width in the row's attribute. */
		wattrset(l->win, theme_attr(selected ? THEME_SELECTED :
		    THEME_NORMAL));
		mvwaddch(l->win, (int)i, 0, selected ? '>' : ' ');
		whline(l->win, ' ', w - 2);
		l->src->draw(l->arg, l->win, (int)i, 1, w - 2,
		    WVLIST_ROW(l, pos - l->base), selected);
		theme_clear_eol(l->win, (int)i, w - 1);
	}
	if (l->counted && l->total > h && w >= 2)
		wvlist_draw_bar(l, h, w);
	/* A derived window's changes reach its parent (the panel's) only so. */
	wsyncup(l->win);
}

/* The scroll bar in the last column: where the screen is in all. */
static void
wvlist_draw_bar(struct wvlist *l, size_t h, int w)
{
	size_t	i, thumb, at;

	thumb = h * h / l->total;
	if (thumb < 1)
		thumb = 1;
	at = (size_t)((double)l->top * (double)(h - thumb) /
	    (double)(l->total - h) + 0.5);
	for (i = 0; i < h; i++) {
		/* The thumb alone: a blank track lets curses clear the
		 * rows' ends rather than send them. */
		if (i >= at && i < at + thumb) {
			wattrset(l->win, theme_attr(THEME_SELECTED));
			mvwaddch(l->win, (int)i, w - 1, ' ');
		}
	}
	wattrset(l->win, A_NORMAL);
}

const void *
wvlist_selected(struct wvlist *l)
{
	if (l->total == 0 || l->sel < l->base || l->sel >= l->base + l->n)
		return (NULL);
	return (WVLIST_ROW(l, l->sel - l->base));
}

size_t
wvlist_count(struct wvlist *l)
{
	return (l->total);
}

size_t
wvlist_index(struct wvlist *l)
{
	return (l->sel);
}

size_t
wvlist_top(struct wvlist *l)
{
	return (l->top);
}

size_t
wvlist_held(struct wvlist *l)
{
	return (l->n);
}
