/* Scrolled page: a pad as backing store and copywin into the screen's
 * window, which marks only the lines whose cells changed. */
#include <stdlib.h>

#include "tui/widget_page.h"

struct wpage {
	WINDOW	*pad;
	int	 rows;
	int	 cols;
	int	 used;
	int	 top;
};

struct wpage *
wpage_new(int rows, int cols)
{
	struct wpage	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return (NULL);
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if ((p->pad = newpad(rows, cols)) == NULL) {
		free(p);
		return (NULL);
	}
	p->rows = rows;
	p->cols = cols;
	return (p);
}

void
wpage_free(struct wpage *p)
{
	if (p == NULL)
		return;
	delwin(p->pad);
	free(p);
}

WINDOW *
wpage_pad(struct wpage *p)
{
	return (p->pad);
}

int
wpage_cols(struct wpage *p)
{
	return (p->cols);
}

void
wpage_clear(struct wpage *p)
{
	werase(p->pad);
	p->used = 0;
}

void
wpage_set_used(struct wpage *p, int used)
{
	p->used = used > p->rows ? p->rows : used;
}

int
wpage_used(struct wpage *p)
{
	return (p->used);
}

int
wpage_top(struct wpage *p)
{
	return (p->top);
}

void
wpage_scroll_to(struct wpage *p, int top, int h)
{
	if (top > p->used - h)
		top = p->used - h;
	if (top < 0)
		top = 0;
	p->top = top;
}

void
wpage_scroll(struct wpage *p, int delta, int h)
{
	wpage_scroll_to(p, p->top + delta, h);
}

int
wpage_move(struct wpage *p, enum keymap_action a, int h)
{
	switch (a) {
	case KEYMAP_UP:
		wpage_scroll(p, -1, h);
		break;
	case KEYMAP_DOWN:
		wpage_scroll(p, 1, h);
		break;
	case KEYMAP_PAGE_UP:
		wpage_scroll(p, -(h - 1), h);
		break;
	case KEYMAP_PAGE_DOWN:
		wpage_scroll(p, h - 1, h);
		break;
	case KEYMAP_FIRST:
		wpage_scroll_to(p, 0, h);
		break;
	case KEYMAP_LAST:
		wpage_scroll_to(p, p->used, h);
		break;
	default:
		return (0);
	}
	return (1);
}

void
wpage_show(struct wpage *p, int row, int n, int h)
{
	if (n > h)
		n = h;
	if (row < p->top)
		p->top = row;
	else if (row + n > p->top + h)
		p->top = row + n - h;
	wpage_scroll_to(p, p->top, h);
}

int
wpage_visible(struct wpage *p, int row, int h)
{
	return (row >= p->top && row < p->top + h);
}

void
wpage_copy(struct wpage *p, WINDOW *dst, int y, int x, int h, int w)
{
	int	n, i;

	if (w > p->cols)
		w = p->cols;
	n = p->rows - p->top;
	if (n > h)
		n = h;
	if (n > 0 && w > 0)
		copywin(p->pad, dst, p->top, 0, y, x, y + n - 1, x + w - 1,
		    FALSE);
	for (i = n < 0 ? 0 : n; i < h; i++) {
		wmove(dst, y + i, x);
		wclrtoeol(dst);
	}
}
