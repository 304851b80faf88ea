/* The help screen lists, for each keymap table of the screen below, every
 * action with its keys and help text: the same tables that dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/scr_help.h"
#include "tui/theme.h"
#include "tui/widget_page.h"

struct scr_help {
	struct tui		*tui;
	WINDOW			*win;
	PANEL			*panel;
	struct wpage		*page;
	char			*name;
	const struct keymap	*tables[16];
	size_t			 ntables;
	const struct keymap	*current;
};

static void	*scr_help_init(struct tui *, void *);
static void	 scr_help_free(void *);
static void	 scr_help_resize(void *, struct tui *);
static const struct keymap *scr_help_keymap(void *);
static int	 scr_help_key(void *, struct tui *, enum keymap_action, int);
static void	 scr_help_draw(void *, struct tui *);
static PANEL	*scr_help_panel(void *);
static void	 scr_help_build(struct scr_help *);
static int	 scr_help_table(struct scr_help *, WINDOW *, int,
		     const struct keymap *);

static const struct keymap_binding scr_help_bindings[] = {
	{ KEYMAP_ESC, KEYMAP_CLOSE, 1 },
	{ 'q', KEYMAP_CLOSE, 0 },
	{ '?', KEYMAP_CLOSE, 0 },
	{ '\r', KEYMAP_CLOSE, 0 },
	{ '\n', KEYMAP_CLOSE, 0 },
	KEYMAP_KEYS_MOVE,
	KEYMAP_KEYS_VI_MOVE,
	{ 'g', KEYMAP_FIRST, KEYMAP_BAR_NOKEY },
	{ 'G', KEYMAP_LAST, KEYMAP_BAR_NOKEY }
};
static const struct keymap scr_help_keys =
    KEYMAP_TABLE("Help", scr_help_bindings, 0);
static const struct keymap *const scr_help_keymaps[] = {
	&scr_help_keys, NULL
};

const struct screen scr_help = {
	.name = "Help",
	.keymaps = scr_help_keymaps,
	.init = scr_help_init,
	.free = scr_help_free,
	.resize = scr_help_resize,
	.keymap = scr_help_keymap,
	.key = scr_help_key,
	.draw = scr_help_draw,
	.panel = scr_help_panel
};

static void *
scr_help_init(struct tui *t, void *arg)
{
	struct scr_help_arg	*a = arg;
	struct scr_help		*h;
	size_t			 i;

	if ((h = calloc(1, sizeof *h)) == NULL) {
		tui_status(t, TUI_ERROR, "out of memory");
		return (NULL);
	}
	h->tui = t;
	h->name = strdup(a->name ? a->name : "");
	h->current = a->current;
	/* The table in force first, then the screen's others, then global. */
	if (a->current != NULL)
		h->tables[h->ntables++] = a->current;
	for (i = 0; a->keymaps != NULL && a->keymaps[i] != NULL; i++) {
		/* A variant of the table in force (same title) only once. */
		if (a->keymaps[i] != a->current && (a->current == NULL ||
		    strcmp(a->keymaps[i]->title, a->current->title) != 0) &&
		    h->ntables < 14)
			h->tables[h->ntables++] = a->keymaps[i];
	}
	h->tables[h->ntables++] = &keymap_global;
	if ((h->win = tui_new_body(t, &h->panel)) == NULL) {
		scr_help_free(h);
		tui_status(t, TUI_ERROR, "cannot open the help window");
		return (NULL);
	}
	scr_help_build(h);
	return (h);
}

static void
scr_help_free(void *data)
{
	struct scr_help	*h = data;

	wpage_free(h->page);
	tui_free_body(h->win, h->panel);
	free(h->name);
	free(h);
}

static int
scr_help_table(struct scr_help *h, WINDOW *pad, int y, const struct keymap *km)
{
	int	 seen[KEYMAP_COUNT];
	size_t	 i;
	char	 keys[128];

	memset(seen, 0, sizeof seen);
	theme_printf(pad, y++, 1, -1, THEME_TITLE, "%s%s", km->title,
	    km == h->current ? " (now)" : "");
	for (i = 0; i < km->n; i++) {
		enum keymap_action a = km->bindings[i].action;

		if (seen[a])
			continue;
		seen[a] = 1;
		keymap_keys_of(km, a, keys, sizeof keys);
		theme_put(pad, y, 3, 20, THEME_TITLE, keys);
		theme_put_fit(pad, y, 24, -1, THEME_NORMAL,
		    keymap_action_help(a));
		y++;
	}
	if (km->text)
		theme_put(pad, y++, 3, -1, THEME_DIM,
		    "other keys are typed into the field or filter");
	if (km->note != NULL)
		theme_put_fit(pad, y++, 3, -1, THEME_DIM, km->note);
	return (y + 1);
}

static void
scr_help_build(struct scr_help *h)
{
	size_t	i;
	int	y = 0, rows = 4, vh, vw;

	getmaxyx(h->win, vh, vw);
	for (i = 0; i < h->ntables; i++)
		rows += (int)h->tables[i]->n + 4;
	wpage_free(h->page);
	if ((h->page = wpage_new(rows, vw)) == NULL)
		return;
	wpage_clear(h->page);
	for (i = 0; i < h->ntables; i++)
		y = scr_help_table(h, wpage_pad(h->page), y, h->tables[i]);
	wpage_set_used(h->page, y);
	wpage_scroll_to(h->page, 0, vh - 2);
}

static void
scr_help_resize(void *data, struct tui *t)
{
	struct scr_help	*h = data;

	tui_fit_body(t, h->win, h->panel);
	scr_help_build(h);
}

static const struct keymap *
scr_help_keymap(void *data)
{
	return (&scr_help_keys);
}

static int
scr_help_key(void *data, struct tui *t, enum keymap_action a, int key)
{
	struct scr_help	*h = data;
	int		 vh = getmaxy(h->win) - 2;

	if (h->page == NULL)
		return (TUI_CLOSE);
	if (a == KEYMAP_CLOSE)
		return (TUI_HANDLED | TUI_CLOSE);
	if (!wpage_move(h->page, a, vh))
		return (TUI_BEEP);
	return (TUI_HANDLED);
}

static void
scr_help_draw(void *data, struct tui *t)
{
	struct scr_help	*h = data;
	int		 vh, vw;

	getmaxyx(h->win, vh, vw);
	theme_clear_eol(h->win, 0, 0);
	theme_printf(h->win, 0, 1, -1, THEME_TITLE, "Help: keys of %s",
	    h->name);
	wmove(h->win, 1, 0);
	wattrset(h->win, A_NORMAL);
	whline(h->win, ACS_HLINE, vw);
	if (h->page != NULL)
		wpage_copy(h->page, h->win, 2, 0, vh - 2, vw);
}

static PANEL *
scr_help_panel(void *data)
{
	return (((struct scr_help *)data)->panel);
}
