/* A page taller than the screen: drawn once into a pad, shown through a
 * viewport that scrolls, copied so that only changed cells reach the terminal. */
#ifndef IMAPADM_TUI_WIDGET_PAGE_H
#define IMAPADM_TUI_WIDGET_PAGE_H

#include <curses.h>

#include "tui/keymap.h"

struct wpage;

/* A page of at most rows lines of cols columns; NULL if out of memory. */
struct wpage	*wpage_new(int rows, int cols);
void		 wpage_free(struct wpage *);
WINDOW		*wpage_pad(struct wpage *);
int		 wpage_cols(struct wpage *);
/* Empty the page; the content is then drawn into wpage_pad. */
void		 wpage_clear(struct wpage *);
/* How many lines the content uses (for scrolling limits). */
void		 wpage_set_used(struct wpage *, int);
int		 wpage_used(struct wpage *);
int		 wpage_top(struct wpage *);
/* Scroll so line top is first, within the content, for a view of h lines. */
void		 wpage_scroll_to(struct wpage *, int top, int h);
void		 wpage_scroll(struct wpage *, int delta, int h);
/* Scroll for a movement action (a line, a page, to either end) in a view
 * of h lines; 1 if the action was one. */
int		 wpage_move(struct wpage *, enum keymap_action, int h);
/* Scroll as little as needed for lines row..row+n-1 to be in view. */
void		 wpage_show(struct wpage *, int row, int n, int h);
int		 wpage_visible(struct wpage *, int row, int h);
/* Copy the view into h lines of w columns of dst at (y, x). */
void		 wpage_copy(struct wpage *, WINDOW *dst, int y, int x, int h,
		     int w);

#endif
