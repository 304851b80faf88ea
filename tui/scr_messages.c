/* The message log screen: the status line cuts a long message at the
 * edge; here each of the last TUI_LOG_MAX is wrapped whole, newest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/scr_messages.h"
#include "tui/theme.h"
#include "tui/widget_page.h"

#define SCR_MESSAGES_TEXT_X	12	/* after "HH:MM:SS x " */

struct scr_messages {
	struct tui	*tui;
	WINDOW		*win;
	PANEL		*panel;
	struct wpage	*page;
};

static void	*scr_messages_init(struct tui *, void *);
static void	 scr_messages_free(void *);
static void	 scr_messages_resize(void *, struct tui *);
static const struct keymap *scr_messages_keymap(void *);
static int	 scr_messages_key(void *, struct tui *, enum keymap_action,
		     int);
static void	 scr_messages_draw(void *, struct tui *);
static PANEL	*scr_messages_panel(void *);
static void	 scr_messages_build(struct scr_messages *);

static const struct keymap_binding scr_messages_bindings[] = {
	{ KEYMAP_ESC, KEYMAP_CLOSE, 1 },
	{ 'q', KEYMAP_CLOSE, 0 },
	{ 'm', KEYMAP_CLOSE, 0 },
	KEYMAP_KEYS_ENTER(KEYMAP_CLOSE),
	KEYMAP_KEYS_MOVE,
	KEYMAP_KEYS_VI_MOVE,
	{ 'g', KEYMAP_FIRST, KEYMAP_BAR_NOKEY },
	{ 'G', KEYMAP_LAST, KEYMAP_BAR_NOKEY }
};
static const struct keymap scr_messages_keys =
    KEYMAP_TABLE("Messages", scr_messages_bindings, 0);
static const struct keymap *const scr_messages_keymaps[] = {
	&scr_messages_keys, NULL
};

/* The level's marker and look, by enum tui_level. */
static const struct {
	enum theme_sym	 sym;
	enum theme_attr	 attr;
} scr_messages_levels[] = {
	[TUI_INFO] = { SYM_COUNT, THEME_NORMAL },
	[TUI_WARN] = { SYM_WARN, THEME_WARNING },
	[TUI_ERROR] = { SYM_CROSS, THEME_ERROR }
};

const struct screen scr_messages = {
	.name = "Messages",
	.keymaps = scr_messages_keymaps,
	.init = scr_messages_init,
	.free = scr_messages_free,
	.resize = scr_messages_resize,
	.keymap = scr_messages_keymap,
	.key = scr_messages_key,
	.draw = scr_messages_draw,
	.panel = scr_messages_panel
};

static void *
scr_messages_init(struct tui *t, void *arg)
{
	struct scr_messages	*m;

	if ((m = calloc(1, sizeof *m)) == NULL) {
		tui_status(t, TUI_ERROR, "out of memory");
		return (NULL);
	}
	m->tui = t;
	if ((m->win = tui_new_body(t, &m->panel)) == NULL) {
		scr_messages_free(m);
		tui_status(t, TUI_ERROR, "cannot open the message log");
		return (NULL);
	}
	scr_messages_build(m);
	return (m);
}

static void
scr_messages_free(void *data)
{
	struct scr_messages	*m = data;

	wpage_free(m->page);
	tui_free_body(m->win, m->panel);
	free(m);
}

static void
scr_messages_build(struct scr_messages *m)
{
	const struct tui_msg	*msg;
	const char		*s, *next;
	WINDOW			*pad;
	char			 when[16], line[1024];
	size_t			 i, n = tui_log_count(m->tui), len;
	int			 y = 0, rows = 2, vh, vw, tw;

	getmaxyx(m->win, vh, vw);
	tw = vw - SCR_MESSAGES_TEXT_X - 1;
	if (tw < 10)
		tw = 10;
	for (i = 0; i < n; i++)
		rows += theme_width(tui_log_get(m->tui, i)->text) / tw + 2;
	wpage_free(m->page);
	if ((m->page = wpage_new(rows, vw)) == NULL)
		return;
	wpage_clear(m->page);
	pad = wpage_pad(m->page);
	if (n == 0)
		theme_put(pad, y++, 1, -1, THEME_DIM, "no messages yet");
	for (i = 0; i < n; i++) {
		msg = tui_log_get(m->tui, i);
		strftime(when, sizeof when, "%H:%M:%S", localtime(&msg->at));
		theme_put(pad, y, 1, -1, THEME_DIM, when);
		if (scr_messages_levels[msg->level].sym != SYM_COUNT)
			theme_put(pad, y, SCR_MESSAGES_TEXT_X - 2, 1,
			    scr_messages_levels[msg->level].attr,
			    theme_sym(scr_messages_levels[msg->level].sym));
		for (s = msg->text; *s != '\0' && y < rows; s = next, y++) {
			len = theme_wrap(s, tw, &next);
			if (len >= sizeof line)
				len = sizeof line - 1;
			memcpy(line, s, len);
			line[len] = '\0';
			theme_put(pad, y, SCR_MESSAGES_TEXT_X, tw,
			    scr_messages_levels[msg->level].attr, line);
		}
	}
	wpage_set_used(m->page, y);
	wpage_scroll_to(m->page, 0, vh - 2);
}

static void
scr_messages_resize(void *data, struct tui *t)
{
	struct scr_messages	*m = data;

	tui_fit_body(t, m->win, m->panel);
	scr_messages_build(m);
}

static const struct keymap *
scr_messages_keymap(void *data)
{
	return (&scr_messages_keys);
}

static int
scr_messages_key(void *data, struct tui *t, enum keymap_action a, int key)
{
	struct scr_messages	*m = data;

	if (a == KEYMAP_CLOSE || m->page == NULL)
		return (TUI_HANDLED | TUI_CLOSE);
	if (!wpage_move(m->page, a, getmaxy(m->win) - 2))
		return (TUI_BEEP);
	return (TUI_HANDLED);
}

static void
scr_messages_draw(void *data, struct tui *t)
{
	struct scr_messages	*m = data;
	int			 vh, vw;

	getmaxyx(m->win, vh, vw);
	theme_clear_eol(m->win, 0, 0);
	theme_printf(m->win, 0, 1, -1, THEME_TITLE, "Messages (newest first, "
	    "the last %d)", TUI_LOG_MAX);
	wmove(m->win, 1, 0);
	wattrset(m->win, A_NORMAL);
	whline(m->win, ACS_HLINE, vw);
	if (m->page != NULL)
		wpage_copy(m->page, m->win, 2, 0, vh - 2, vw);
}

static PANEL *
scr_messages_panel(void *data)
{
	return (((struct scr_messages *)data)->panel);
}
