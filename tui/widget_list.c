/* The list widget: one ncurses MENU whose items point back at the caller's
 * data, rebuilt when the rows change (filtering, reloading, resizing). */
#include <menu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/theme.h"
#include "tui/widget_list.h"

struct wlist {
	MENU	*menu;
	ITEM	**items;
	char	**names;	/* libmenu keeps pointers to them */
	long	*data;
	size_t	 n;
};

static void	wlist_release(struct wlist *);

struct wlist *
wlist_new(void)
{
	return (calloc(1, sizeof (struct wlist)));
}

static void
wlist_release(struct wlist *l)
{
	size_t	i;

	if (l->menu != NULL) {
		unpost_menu(l->menu);
		free_menu(l->menu);
		l->menu = NULL;
	}
	for (i = 0; i < l->n; i++) {
		if (l->items != NULL && l->items[i] != NULL)
			free_item(l->items[i]);
		if (l->names != NULL)
			free(l->names[i]);
	}
	free(l->items);
	free(l->names);
	free(l->data);
	l->items = NULL;
	l->names = NULL;
	l->data = NULL;
	l->n = 0;
}

void
wlist_clear(struct wlist *l)
{
	if (l != NULL)
		wlist_release(l);
}

void
wlist_free(struct wlist *l)
{
	if (l == NULL)
		return;
	wlist_release(l);
	free(l);
}

int
wlist_set(struct wlist *l, WINDOW *win, WINDOW *sub, char *const *rows,
    const long *data, size_t n, long keep, char **cause)
{
	size_t	i, sel = 0;
	int	h, rc;
	char	buf[128];

	wlist_release(l);
	werase(sub);
	if (n == 0)
		return (0);
	l->items = calloc(n + 1, sizeof *l->items);
	l->names = calloc(n, sizeof *l->names);
	l->data = calloc(n, sizeof *l->data);
	if (l->items == NULL || l->names == NULL || l->data == NULL)
		goto nomem;
	l->n = n;
	for (i = 0; i < n; i++) {
		/* libmenu refuses empty names. */
		if ((l->names[i] = strdup(rows[i][0] != '\0' ? rows[i] : " ")) ==
		    NULL)
			goto nomem;
		l->data[i] = data[i];
		if ((l->items[i] = new_item(l->names[i], NULL)) == NULL) {
			*cause = strdup("cannot show a list row: not printable");
			wlist_release(l);
			return (-1);
		}
		set_item_userptr(l->items[i], &l->data[i]);
		if (data[i] == keep)
			sel = i;
	}
	if ((l->menu = new_menu(l->items)) == NULL)
		goto nomem;
	menu_opts_off(l->menu, O_SHOWDESC | O_SHOWMATCH);
	menu_opts_on(l->menu, O_NONCYCLIC | O_ONEVALUE);
	/* libmenu pads the other rows by the mark's bytes, not columns. */
	set_menu_mark(l->menu, ">");
	set_menu_fore(l->menu, theme_attr(THEME_SELECTED));
	set_menu_back(l->menu, theme_attr(THEME_NORMAL));
	set_menu_win(l->menu, win);
	set_menu_sub(l->menu, sub);
	h = getmaxy(sub);
	set_menu_format(l->menu, h > 0 ? h : 1, 1);
	if ((rc = post_menu(l->menu)) != E_OK) {
		snprintf(buf, sizeof buf, "cannot show the list (menu error "
		    "%d%s)", rc, rc == E_NO_ROOM ? ": no room" : "");
		*cause = strdup(buf);
		wlist_release(l);
		return (-1);
	}
	set_current_item(l->menu, l->items[sel]);
	return (0);

nomem:
	*cause = strdup("out of memory");
	wlist_release(l);
	return (-1);
}

int
wlist_move(struct wlist *l, enum keymap_action a)
{
	int	req;

	switch (a) {
	case KEYMAP_UP:
		req = REQ_UP_ITEM;
		break;
	case KEYMAP_DOWN:
		req = REQ_DOWN_ITEM;
		break;
	case KEYMAP_PAGE_UP:
		req = REQ_SCR_UPAGE;
		break;
	case KEYMAP_PAGE_DOWN:
		req = REQ_SCR_DPAGE;
		break;
	case KEYMAP_FIRST:
		req = REQ_FIRST_ITEM;
		break;
	case KEYMAP_LAST:
		req = REQ_LAST_ITEM;
		break;
	default:
		return (0);
	}
	if (l->menu == NULL)
		return (1);
	/* On the last (first) page, a page key goes to the last (first) row. */
	if (menu_driver(l->menu, req) == E_REQUEST_DENIED) {
		if (req == REQ_SCR_DPAGE)
			menu_driver(l->menu, REQ_LAST_ITEM);
		else if (req == REQ_SCR_UPAGE)
			menu_driver(l->menu, REQ_FIRST_ITEM);
	}
	return (1);
}

int
wlist_selected(struct wlist *l, long *data)
{
	ITEM	*it;

	if (l->menu == NULL || (it = current_item(l->menu)) == NULL)
		return (0);
	*data = *(long *)item_userptr(it);
	return (1);
}

size_t
wlist_count(struct wlist *l)
{
	return (l->n);
}

int
wlist_index(struct wlist *l)
{
	ITEM	*it;

	if (l->menu == NULL || (it = current_item(l->menu)) == NULL)
		return (-1);
	return (item_index(it));
}

int
wlist_top(struct wlist *l)
{
	return (l->menu != NULL ? top_row(l->menu) : 0);
}
