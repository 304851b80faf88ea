/* Server properties: General, IMAP4 and Audit sections on scrolled pages.
 * This file holds the screen itself: opening, keys, switching sections,
 * drawing the frame; each section and saving have their own file. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/scr_audit.h"
#include "tui/scr_server_internal.h"

static void	*scr_server_init(struct tui *, void *);
static void	 scr_server_free(void *);
static void	 scr_server_resize(void *, struct tui *);
static const struct keymap *scr_server_keymap(void *);
static int	 scr_server_key(void *, struct tui *, enum keymap_action, int);
static void	 scr_server_draw(void *, struct tui *);
static int	 scr_server_enabled(void *, enum keymap_action);
static PANEL	*scr_server_panel(void *);
static int	 scr_server_tick(void *, struct tui *);

static int	 scr_server_load(struct scr_server *, int);
static void	 scr_server_pages(struct scr_server *);
static void	 scr_server_render(struct scr_server *);
static int	 scr_server_scroll(struct scr_server *, enum keymap_action);
static int	 scr_server_section(struct scr_server *, int);

static const struct keymap_binding scr_server_page_bindings[] = {
	{ '\t', KEYMAP_NEXT_SECTION, 1 },
	{ KEY_BTAB, KEYMAP_PREV_SECTION, 0 },
	{ '1', KEYMAP_SECTION_1, 0 },
	{ '2', KEYMAP_SECTION_2, 0 },
	{ '3', KEYMAP_SECTION_3, 0 },
	KEYMAP_KEYS_ENTER(KEYMAP_SELECT),
	{ ' ', KEYMAP_SELECT, 0 },
	{ KEY_UP, KEYMAP_PREV_ITEM, 0 },
	{ 'k', KEYMAP_PREV_ITEM, 0 },
	{ KEY_DOWN, KEYMAP_NEXT_ITEM, 0 },
	{ 'j', KEYMAP_NEXT_ITEM, 0 },
	{ KEY_LEFT, KEYMAP_PREV_BUTTON, 0 },
	{ KEY_RIGHT, KEYMAP_NEXT_BUTTON, 0 },
	{ KEY_PPAGE, KEYMAP_PAGE_UP, 0 },
	{ KEY_NPAGE, KEYMAP_PAGE_DOWN, 0 },
	{ KEY_HOME, KEYMAP_FIRST, 0 },
	{ KEY_END, KEYMAP_LAST, 0 },
	{ 'g', KEYMAP_FIRST, KEYMAP_BAR_NOKEY },
	{ 'G', KEYMAP_LAST, KEYMAP_BAR_NOKEY },
	{ KEY_F(2), KEYMAP_APPLY, 0 },
	{ KEY_F(10), KEYMAP_OK, 0 },
	{ 'R', KEYMAP_RESTART, 1 },
	{ 'T', KEYMAP_TEST_CONNECTION, 1 },
	{ 'M', KEYMAP_MEASURE, 1 },
	{ 'L', KEYMAP_AUDIT_LOG, 0 },
	{ KEYMAP_ESC, KEYMAP_CANCEL, 1 },
	{ 'q', KEYMAP_CANCEL, 0 }
};
/* In a field Tab and Shift-Tab go to the next and previous item, as in
 * any form; sections change once the focus is out of the fields. */
static const struct keymap_binding scr_server_field_bindings[] = {
	KEYMAP_KEYS_ENTER(KEYMAP_FIELD_NEXT),
	{ '\t', KEYMAP_FIELD_NEXT, 1 },
	{ KEYMAP_ESC, KEYMAP_ESCAPE, 1 },
	{ KEY_DOWN, KEYMAP_NEXT_ITEM, 0 },
	{ KEY_UP, KEYMAP_PREV_ITEM, 0 },
	{ KEY_BTAB, KEYMAP_PREV_ITEM, 0 },
	{ KEY_F(2), KEYMAP_APPLY, 1 },
	{ KEY_F(10), KEYMAP_OK, 0 },
	{ KEY_LEFT, KEYMAP_FIELD_LEFT, 0 },
	{ KEY_RIGHT, KEYMAP_FIELD_RIGHT, 0 },
	{ KEY_HOME, KEYMAP_FIELD_HOME, 0 },
	{ KEY_END, KEYMAP_FIELD_END, 0 },
	{ KEYMAP_CTRL('a'), KEYMAP_FIELD_HOME, 0 },
	{ KEYMAP_CTRL('e'), KEYMAP_FIELD_END, 0 },
	KEYMAP_KEYS_BACKSPACE(KEYMAP_FIELD_BACKSPACE),
	{ KEY_DC, KEYMAP_FIELD_DELETE, 0 },
	{ KEYMAP_CTRL('u'), KEYMAP_FIELD_CLEAR, 0 },
	{ KEY_PPAGE, KEYMAP_PAGE_UP, 0 },
	{ KEY_NPAGE, KEYMAP_PAGE_DOWN, 0 }
};
static const struct keymap scr_server_page_keys =
    KEYMAP_TABLE("Server properties", scr_server_page_bindings, 0);
static const struct keymap scr_server_field_keys =
    KEYMAP_TABLE("In a time-out field (digits only)",
    scr_server_field_bindings, 1);
static const struct keymap *const scr_server_keymaps[] = {
	&scr_server_page_keys, &scr_server_field_keys, NULL
};

const struct screen scr_server = {
	.name = "Server properties",
	.keymaps = scr_server_keymaps,
	.init = scr_server_init,
	.free = scr_server_free,
	.resize = scr_server_resize,
	.idle = scr_server_imap4_idle,
	.tick = scr_server_tick,
	.keymap = scr_server_keymap,
	.key = scr_server_key,
	.draw = scr_server_draw,
	.enabled = scr_server_enabled,
	.cursor = scr_server_imap4_cursor,
	.panel = scr_server_panel
};

static const char *const scr_server_section_names[SECTION_COUNT] = {
	"General", "IMAP4", "Audit"
};


static void *
scr_server_init(struct tui *t, void *arg)
{
	struct scr_server	*s;
	char			*why = NULL;

	if ((s = calloc(1, sizeof *s)) == NULL) {
		tui_status(t, TUI_ERROR, "out of memory");
		return (NULL);
	}
	s->tui = t;
	s->app = tui_app(t);
	s->focus = ITEM_NONE;
	s->link_row = -1;
	s->probe_row = -1;
	s->section = SECTION_GENERAL;
	if ((s->identity = strdup(arg)) == NULL)
		goto fail;
	if (scr_server_load(s, 1) != 0)
		goto fail;
	s->form = wform_new(settings_table, SETTING_COUNT, s->editable, &why);
	if (s->form == NULL ||
	    (s->win = tui_new_body(t, &s->panel)) == NULL) {
		tui_status(t, TUI_ERROR, "cannot open the properties of %s: %s",
		    s->identity, why != NULL ? why : "out of memory");
		free(why);
		goto fail;
	}
	wform_set_saved(s->form, s->view.configured, s->view.obs.has_running,
	    s->view.obs.running, 1);
	scr_server_pages(s);
	return (s);

fail:
	scr_server_free(s);
	return (NULL);
}

/* R on the server list: this page under the restart question of a save,
 * closed again once that is answered. */
int
scr_server_push_restart(struct tui *t, const char *identity)
{
	struct scr_server	*s;
	char			*id;
	int			 rc;

	if ((id = strdup(identity)) == NULL) {
		tui_status(t, TUI_ERROR, "out of memory");
		return (-1);
	}
	rc = tui_push(t, &scr_server, id);
	free(id);
	if (rc != 0)
		return (-1);
	s = tui_top(t);
	s->close_after = 1;
	scr_server_save_ask_restart(s);
	return (0);
}

static void
scr_server_free(void *data)
{
	struct scr_server	*s = data;
	int			 i;

	scr_server_probe_free(s);
	wform_free(s->form);
	for (i = 0; i < SECTION_COUNT; i++)
		wpage_free(s->page[i]);
	tui_free_body(s->win, s->panel);
	imap4_view_free(&s->view);
	free(s->status_text);
	free(s->stale_by);
	free(s->stale_at);
	free(s->identity);
	free(s);
}

/* (Re)read the server and its IMAP4 row; first: failing closes the page. */
static int
scr_server_load(struct scr_server *s, int first)
{
	struct imap4_view	 v;
	char			*cause = NULL;
	const char		*r;

	if (imap4_load(s->app, s->identity, &v, &cause) != 0) {
		tui_status(s->tui, TUI_ERROR, "cannot read %s: %s", s->identity,
		    cause ? cause : "unknown error");
		free(cause);
		return (-1);
	}
	imap4_view_free(&s->view);
	s->view = v;
	r = v.server.roles ? v.server.roles : "";
	s->is_cas = strcasestr(r, "ClientAccess") != NULL;
	s->editable = s->is_cas && perm_can_edit(s->app->role);
	/* "Running" on the page is what the service shows now. */
	if (s->is_cas)
		imap4_observe(s->app, &s->view, OBSERVE_COMMANDS);
	s->profile = v.server.profile && *v.server.profile ?
	    config_profile(s->app->cfg, v.server.profile) : NULL;
	if (first && (v.server.identity != NULL)) {
		free(s->identity);
		s->identity = strdup(v.server.identity);
	}
	return (0);
}

/* New pads for the window's width, then draw them. */
static void
scr_server_pages(struct scr_server *s)
{
	int	i, w = getmaxx(s->win), tops[SECTION_COUNT];
	int	rows[SECTION_COUNT] = { 40, 96, 8 + 6 * AUDIT_LIMIT };

	wform_hide(s->form);
	for (i = 0; i < SECTION_COUNT; i++) {
		tops[i] = s->page[i] != NULL ? wpage_top(s->page[i]) : 0;
		wpage_free(s->page[i]);
		s->page[i] = wpage_new(rows[i], w);
	}
	scr_server_render(s);
	for (i = 0; i < SECTION_COUNT; i++) {
		if (s->page[i] != NULL)
			wpage_scroll_to(s->page[i], tops[i],
			    scr_server_view_h(s));
	}
	scr_server_imap4_show_focus(s);
}

static void
scr_server_render(struct scr_server *s)
{
	if (s->page[SECTION_GENERAL] != NULL)
		scr_server_general_render(s);
	if (s->page[SECTION_IMAP4] != NULL)
		scr_server_imap4_render(s);
	if (s->page[SECTION_AUDIT] != NULL)
		scr_server_audit_render(s);
}

/* After a save or a restart: show what is stored and running now. */
void
scr_server_reload(struct scr_server *s, int reset)
{
	if (scr_server_load(s, 0) == 0)
		wform_set_saved(s->form, s->view.configured,
		    s->view.obs.has_running, s->view.obs.running, reset);
	scr_server_render(s);
	scr_server_imap4_show_focus(s);
}

int
scr_server_unsaved(struct scr_server *s)
{
	return (s->editable && wform_modified(s->form));
}

int
scr_server_view_h(struct scr_server *s)
{
	int	h = getmaxy(s->win) - PAGE_Y - 2;

	return (h < 1 ? 1 : h);
}

int
scr_server_kv(WINDOW *pad, int y, const char *key, enum theme_attr a,
    const char *fmt, ...)
{
	va_list	 ap;

	theme_put(pad, y, 3, KV_COL - 4, THEME_NORMAL, key);
	va_start(ap, fmt);
	theme_vprintf(pad, y, KV_COL, getmaxx(pad) - KV_COL, a, 1, fmt, ap);
	va_end(ap);
	return (y + 1);
}

const char *
scr_server_readonly_why(struct scr_server *s, char *buf, size_t len)
{
	if (!perm_can_edit(s->app->role))
		snprintf(buf, len, "read-only: %s may only view",
		    perm_role_name(s->app->role));
	else if (!s->is_cas)
		snprintf(buf, len, "read-only: %s is not a client access "
		    "server", s->identity);
	else
		snprintf(buf, len, "editable");
	return (buf);
}

static void
scr_server_resize(void *data, struct tui *t)
{
	struct scr_server	*s = data;

	tui_fit_body(t, s->win, s->panel);
	werase(s->win);
	scr_server_pages(s);
}

static const struct keymap *
scr_server_keymap(void *data)
{
	struct scr_server	*s = data;

	if (s->section == SECTION_IMAP4 && ITEM_IS_FIELD(s->focus) &&
	    s->editable)
		return (&scr_server_field_keys);
	return (&scr_server_page_keys);
}

/* Page keys: scroll, and keep the focus on something in view. */
static int
scr_server_scroll(struct scr_server *s, enum keymap_action a)
{
	struct wpage	*p = s->page[s->section];
	int		 vh = scr_server_view_h(s);

	if (p == NULL)
		return (TUI_BEEP);
	if (s->section == SECTION_IMAP4 && scr_server_imap4_locked(s))
		return (scr_server_imap4_move(s, 1));
	/* Up and Down scroll the pages without links, fields or buttons. */
	if (a == KEYMAP_PREV_ITEM || a == KEYMAP_NEXT_ITEM) {
		wpage_move(p, a == KEYMAP_PREV_ITEM ? KEYMAP_UP : KEYMAP_DOWN,
		    vh);
		return (TUI_HANDLED);
	}
	if (!wpage_move(p, a, vh))
		return (TUI_BEEP);
	if (s->section == SECTION_IMAP4)
		scr_server_imap4_keep_focus(s);
	return (TUI_HANDLED);
}

/* Edits stay in the form while another section is shown; the IMAP4 tab
 * is marked and the status line says so, as Tab should not hide them. */
static int
scr_server_section(struct scr_server *s, int section)
{
	if (scr_server_imap4_locked(s))
		return (scr_server_imap4_refuse(s));
	section = (section + SECTION_COUNT) % SECTION_COUNT;
	if (s->section == SECTION_IMAP4 && section != SECTION_IMAP4 &&
	    scr_server_unsaved(s))
		tui_status(s->tui, TUI_INFO, "unsaved changes on IMAP4 are "
		    "kept: 2 goes back to them");
	s->section = section;
	if (s->section == SECTION_AUDIT && s->page[SECTION_AUDIT] != NULL)
		scr_server_audit_render(s);
	return (TUI_HANDLED);
}

static int
scr_server_key(void *data, struct tui *t, enum keymap_action a, int key)
{
	struct scr_server	*s = data;
	char			 msg[256];
	enum wform_edit		 e;

	if (s->section == SECTION_IMAP4 && ITEM_IS_FIELD(s->focus) &&
	    s->editable) {
		msg[0] = '\0';
		e = wform_edit(s->form, a, key, msg, sizeof msg);
		if (e == WFORM_REFUSED) {
			tui_status(t, TUI_ERROR, "%s", msg);
			return (TUI_HANDLED | TUI_BEEP);
		}
		if (e != WFORM_UNUSED)
			return (TUI_HANDLED);
	}

	switch (a) {
	case KEYMAP_NEXT_SECTION:
		return (scr_server_section(s, s->section + 1));
	case KEYMAP_PREV_SECTION:
		return (scr_server_section(s, s->section - 1));
	case KEYMAP_SECTION_1:
		return (scr_server_section(s, SECTION_GENERAL));
	case KEYMAP_SECTION_2:
		return (scr_server_section(s, SECTION_IMAP4));
	case KEYMAP_SECTION_3:
		return (scr_server_section(s, SECTION_AUDIT));
	case KEYMAP_AUDIT_LOG:
		if (tui_push(t, &scr_audit, s->identity) != 0)
			return (TUI_BEEP);
		return (TUI_HANDLED);
	case KEYMAP_PREV_ITEM:
	case KEYMAP_NEXT_ITEM:
		if (s->section != SECTION_IMAP4)
			return (scr_server_scroll(s, a));
		return (scr_server_imap4_move(s,
		    a == KEYMAP_NEXT_ITEM ? 1 : -1));
	case KEYMAP_PREV_BUTTON:
	case KEYMAP_NEXT_BUTTON:
		if (s->section != SECTION_IMAP4)
			return (TUI_BEEP);
		return (scr_server_imap4_button(s,
		    a == KEYMAP_NEXT_BUTTON ? 1 : -1));
	case KEYMAP_FIELD_NEXT:
		return (scr_server_imap4_move(s, 1));
	case KEYMAP_PAGE_UP:
	case KEYMAP_PAGE_DOWN:
	case KEYMAP_FIRST:
	case KEYMAP_LAST:
		return (scr_server_scroll(s, a));
	case KEYMAP_SELECT:
		if (s->section != SECTION_IMAP4)
			return (scr_server_section(s, SECTION_IMAP4));
		return (scr_server_imap4_select(s));
	case KEYMAP_APPLY:
		return (scr_server_save_apply(s, 0));
	case KEYMAP_OK:
		return (scr_server_save_apply(s, 1));
	case KEYMAP_RESTART:
		if (!s->editable) {
			tui_status(t, TUI_ERROR, "%s",
			    scr_server_readonly_why(s, msg, sizeof msg));
			return (TUI_HANDLED | TUI_BEEP);
		}
		s->close_after = 0;
		return (scr_server_save_ask_restart(s));
	case KEYMAP_ESCAPE:
		if (scr_server_imap4_locked(s)) {
			size_t i = (size_t)(s->focus - ITEM_FIELD(0));

			wform_restore(s->form, i);
			tui_status(t, TUI_INFO, "restored the saved value of "
			    "%s", settings_table[i].label);
			return (TUI_HANDLED);
		}
		if (scr_server_probe_cancel(s))
			return (TUI_HANDLED);
		return (scr_server_save_cancel(s));
	case KEYMAP_CANCEL:
		/* Esc stops a test running in the background first. */
		if (key == KEYMAP_ESC && scr_server_probe_cancel(s))
			return (TUI_HANDLED);
		return (scr_server_save_cancel(s));
	case KEYMAP_TEST_CONNECTION:
		return (scr_server_probe_start(s, 0));
	case KEYMAP_MEASURE:
		return (scr_server_probe_start(s, 1));
	default:
		if (!s->editable && a == KEYMAP_NONE && key >= 0x20 &&
		    key < 0x7f) {
			tui_status(t, TUI_ERROR, "%s",
			    scr_server_readonly_why(s, msg, sizeof msg));
			return (TUI_HANDLED | TUI_BEEP);
		}
		return (TUI_BEEP);
	}
}

static void
scr_server_draw(void *data, struct tui *t)
{
	struct scr_server	*s = data;
	struct wpage		*p = s->page[s->section];
	int			 h, w, x, i, vh = scr_server_view_h(s), used;
	int			 stale;
	char			 right[128];

	getmaxyx(s->win, h, w);
	if (s->section == SECTION_IMAP4) {
		wform_update(s->form);
		scr_server_imap4_draw_link(s);
	}

	theme_clear_eol(s->win, 0, 0);
	theme_printf(s->win, 0, 1, -1, THEME_TITLE, "Server properties: %s",
	    s->identity);
	stale = (s->stale_id != 0 && s->stale_id != s->view.server_id) ||
	    (s->stale_version != 0 && s->stale_version != s->view.version);
	if (s->stale_id != 0 && s->stale_id != s->view.server_id)
		snprintf(right, sizeof right, "%s removed and added again since "
		    "read", theme_sym(SYM_WARN));
	else if (stale)
		snprintf(right, sizeof right, "%s changed by %s since read",
		    theme_sym(SYM_WARN), s->stale_by ? s->stale_by : "?");
	else if (!s->is_cas)
		snprintf(right, sizeof right, "not a client access server");
	else if (s->view.restart_pending)
		snprintf(right, sizeof right, "%s restart pending",
		    theme_sym(SYM_PENDING));
	else
		snprintf(right, sizeof right, "configured");
	theme_put(s->win, 0, w - theme_width(right) - 1, -1, stale ?
	    THEME_WARNING : s->view.restart_pending ? THEME_PENDING :
	    THEME_NORMAL, right);

	theme_clear_eol(s->win, 1, 0);
	x = 1;
	for (i = 0; i < SECTION_COUNT; i++) {
		x += theme_printf(s->win, 1, x, -1, i == s->section ?
		    THEME_SELECTED : THEME_NORMAL, " %d %s%s ", i + 1,
		    scr_server_section_names[i], i == SECTION_IMAP4 &&
		    scr_server_unsaved(s) ? "*" : "") + 1;
	}
	if (p != NULL && (used = wpage_used(p)) > vh) {
		snprintf(right, sizeof right, "lines %d%s%d of %d",
		    wpage_top(p) + 1, theme_sym(SYM_DASH),
		    wpage_top(p) + vh < used ? wpage_top(p) + vh : used, used);
		theme_put(s->win, 1, w - theme_width(right) - 1, -1, THEME_DIM,
		    right);
	}
	wmove(s->win, 2, 0);
	wattrset(s->win, A_NORMAL);
	whline(s->win, ACS_HLINE, w);
	if (p != NULL)
		wpage_copy(p, s->win, PAGE_Y, 0, vh, w);
	wmove(s->win, h - 2, 0);
	whline(s->win, ACS_HLINE, w);
	scr_server_save_draw_buttons(s, h - 1);
}

static int
scr_server_enabled(void *data, enum keymap_action a)
{
	struct scr_server	*s = data;

	switch (a) {
	case KEYMAP_RESTART:
		return (s->editable);
	case KEYMAP_TEST_CONNECTION:
	case KEYMAP_MEASURE:
		return (s->section == SECTION_IMAP4 && s->is_cas &&
		    s->profile != NULL && s->profile->nimap_listeners > 0 &&
		    !s->probe_running);
	case KEYMAP_APPLY:
	case KEYMAP_OK:
		return (scr_server_save_allowed(s));
	case KEYMAP_SELECT:
		if (s->section != SECTION_IMAP4)
			return (1);
		if (s->focus == ITEM_APPLY || s->focus == ITEM_OK)
			return (scr_server_save_allowed(s));
		return (s->focus != ITEM_NONE);
	default:
		return (1);
	}
}

/* Saves made elsewhere, and the test running in the background. */
static int
scr_server_tick(void *data, struct tui *t)
{
	struct scr_server	*s = data;

	return (scr_server_save_tick(data, t) | scr_server_probe_tick(s));
}

static PANEL *
scr_server_panel(void *data)
{
	return (((struct scr_server *)data)->panel);
}
