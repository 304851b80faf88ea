/* A scrollable one-column list on the ncurses menu library; screens give it
 * text rows and get back the number each row carries. */
#ifndef IMAPADM_TUI_WIDGET_LIST_H
#define IMAPADM_TUI_WIDGET_LIST_H

#include <curses.h>
#include <stddef.h>

#include "tui/keymap.h"

struct wlist;

struct wlist	*wlist_new(void);
void		 wlist_free(struct wlist *);
/*
 * Show n rows (copied) in sub, a window inside win; row i carries data[i].
 * Selects the row carrying keep, else the first. Rows must fit sub's width.
 * Returns 0, or -1 with *cause.
 */
int		 wlist_set(struct wlist *, WINDOW *win, WINDOW *sub,
		     char *const *rows, const long *data, size_t n, long keep,
		     char **cause);
/* Drop the rows and let go of the windows (before they are deleted). */
void		 wlist_clear(struct wlist *);
/* Movement actions; 1 if the action was one. */
int		 wlist_move(struct wlist *, enum keymap_action);
/* Data of the selected row; 0 if the list is empty. */
int		 wlist_selected(struct wlist *, long *data);
size_t		 wlist_count(struct wlist *);
/* Index of the selected row and of the first row shown. */
int		 wlist_index(struct wlist *);
int		 wlist_top(struct wlist *);

#endif
