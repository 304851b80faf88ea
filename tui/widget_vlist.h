/* A virtual list: draws only the rows on screen and holds only a window of
 * rows around them, asked of a data source by key (keyset), so that a list
 * of 100,000 rows costs what a list of 10 does. */
#ifndef IMAPADM_TUI_WIDGET_VLIST_H
#define IMAPADM_TUI_WIDGET_VLIST_H

#include <curses.h>
#include <stddef.h>

#include "tui/keymap.h"

enum wvlist_from {
	WVLIST_FIRST,		/* the first rows */
	WVLIST_LAST,		/* the last rows */
	WVLIST_AFTER,		/* the rows after key */
	WVLIST_BEFORE,		/* the rows before key */
	WVLIST_AT		/* key's row, or the rows after where it would be */
};

/*
 * The data source. Rows are structs of size bytes that the source fills
 * and the list moves around and gives back to release; keys are the
 * source's text (a sort key: an identity, an audit id).
 */
struct wvlist_source {
	size_t	 size;
	/* Up to max rows from the place given, in list order (also for
	 * LAST and BEFORE): *rows is a malloc'd array of *n rows, or NULL.
	 * 0, or -1 with *cause. */
	int	 (*fetch)(void *arg, enum wvlist_from, const char *key,
		     size_t max, void **rows, size_t *n, char **cause);
	/* Rows in the list, and (key not NULL) how many sort before key. */
	int	 (*count)(void *arg, const char *key, size_t *n, size_t *rank,
		     char **cause);
	/* The row's key, borrowed from the row. */
	const char *(*key)(void *arg, const void *row);
	/* Draw the row at (y, x) in width columns; selected: the whole
	 * line is in the selection's attribute already. */
	void	 (*draw)(void *arg, WINDOW *, int y, int x, int width,
		     const void *row, int selected);
	/* Free what the row holds (not the row itself). */
	void	 (*release)(void *arg, void *row);
};

struct wvlist;

struct wvlist	*wvlist_new(const struct wvlist_source *, void *arg);
void		 wvlist_free(struct wvlist *);
/* The window the rows go in (NULL: none); the list does not own it. */
void		 wvlist_set_window(struct wvlist *, WINDOW *);
/*
 * Count again and read the window around keep (NULL: the first row),
 * selecting keep's row or the one after where it was, on the same screen
 * line as the selection was. 0, or -1 with *cause (the list is empty).
 */
int		 wvlist_reload(struct wvlist *, const char *keep, char **cause);
/*
 * After a reload from the first row that filled the window, the count is
 * "at least": the list asks for it here, once the rows are on screen (an
 * idle callback), or before the first move.
 */
int		 wvlist_counted(struct wvlist *);
int		 wvlist_count_now(struct wvlist *, char **cause);
/*
 * In an idle moment (the rows are on screen): read a page ahead and behind
 * the screen if it is not held, so that the next Down or PgDn reads nothing.
 */
int		 wvlist_prefetch(struct wvlist *, char **cause);
/* Select the row of key or the first after it: typing to jump. */
int		 wvlist_jump(struct wvlist *, const char *key, char **cause);
/*
 * Movement actions (Up, Down, PgUp, PgDn, first, last): 1 if the action was
 * one; *cause is set if the source failed (the list stays as it was).
 */
int		 wvlist_move(struct wvlist *, enum keymap_action, char **cause);
/* Draw the rows on screen and the scroll bar. */
void		 wvlist_draw(struct wvlist *);
/* The selected row (borrowed until the list moves), NULL if empty. */
const void	*wvlist_selected(struct wvlist *);
/* Rows in the list (or at least, before counted); position of the selection and of the first row shown. */
size_t		 wvlist_count(struct wvlist *);
size_t		 wvlist_index(struct wvlist *);
size_t		 wvlist_top(struct wvlist *);
/* Rows held now: what the list costs in memory. */
size_t		 wvlist_held(struct wvlist *);

#endif
