/* Server properties: General, IMAP4 and Audit sections on scrolled pages.
 * The IMAP4 page hides the time-out fields behind "More options…"; saving,
 * checking and restarting all go through core (imap4_save, imap4_restart). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/proc.h"
#include "tui/scr_server.h"
#include "tui/theme.h"
#include "tui/widget_dialog.h"
#include "tui/widget_form.h"
#include "tui/widget_page.h"

enum scr_server_section {
	SECTION_GENERAL,
	SECTION_IMAP4,
	SECTION_AUDIT,
	SECTION_COUNT
};

/* What can have focus on the IMAP4 section, in the order Down visits. */
#define ITEM_NONE	(-1)
#define ITEM_LINK	0
#define ITEM_FIELD(i)	(1 + (i))
#define ITEM_APPLY	(1 + SETTING_COUNT)
#define ITEM_OK		(2 + SETTING_COUNT)
#define ITEM_CANCEL	(3 + SETTING_COUNT)
#define ITEM_IS_FIELD(i) ((i) >= ITEM_FIELD(0) && (i) < ITEM_APPLY)
#define ITEM_IS_BUTTON(i) ((i) >= ITEM_APPLY)

#define PAGE_Y		3	/* first line of the page in the window */
#define AUDIT_LIMIT	50
#define KV_COL		22

enum status_state {
	STATUS_NOT_ASKED,
	STATUS_ASKING,
	STATUS_DONE
};

struct scr_server {
	struct tui		*tui;
	struct app		*app;
	char			*identity;
	WINDOW			*win;
	PANEL			*panel;
	struct imap4_view	 view;
	const struct profile	*profile;
	int			 is_cas;
	int			 editable;
	int			 section;
	struct wpage		*page[SECTION_COUNT];
	struct wform		*form;
	int			 more;		/* time-out fields shown */
	int			 focus;
	int			 link_row;
	enum status_state	 status_state;
	char			*status_text;
	enum theme_attr		 status_attr;
	int			 close_after;	/* OK: close once saved */
	unsigned int		 ticks;
	char			 outcome[256];	/* status once a dialog closes */
	enum tui_level		 outcome_level;
	long			 stale_version;	/* saved by someone else */
	char			*stale_by;
	char			*stale_at;
};

static void	*scr_server_init(struct tui *, void *);
static void	 scr_server_free(void *);
static void	 scr_server_resize(void *, struct tui *);
static int	 scr_server_idle(void *, struct tui *);
static int	 scr_server_tick(void *, struct tui *);
static const struct keymap *scr_server_keymap(void *);
static int	 scr_server_key(void *, struct tui *, enum keymap_action, int);
static void	 scr_server_draw(void *, struct tui *);
static int	 scr_server_enabled(void *, enum keymap_action);
static int	 scr_server_cursor(void *, WINDOW **, int *, int *);
static PANEL	*scr_server_panel(void *);

static int	 scr_server_load(struct scr_server *, int);
static void	 scr_server_pages(struct scr_server *);
static void	 scr_server_render(struct scr_server *);
static void	 scr_server_render_general(struct scr_server *);
static void	 scr_server_render_imap4(struct scr_server *);
static void	 scr_server_render_audit(struct scr_server *);
static int	 scr_server_wrap_list(WINDOW *, int, int, const char *);
static void	 scr_server_draw_link(struct scr_server *);
static void	 scr_server_draw_buttons(struct scr_server *, int);
static int	 scr_server_kv(WINDOW *, int, const char *, enum theme_attr,
		     const char *, ...) __attribute__((format(printf, 5, 6)));
static char	*scr_server_cmd(const struct argv_tmpl *);
static int	 scr_server_view_h(struct scr_server *);
static int	 scr_server_can_focus(struct scr_server *, int);
static int	 scr_server_item_row(struct scr_server *, int);
static int	 scr_server_set_focus(struct scr_server *, int);
static void	 scr_server_show_focus(struct scr_server *);
static int	 scr_server_move(struct scr_server *, int);
static int	 scr_server_scroll(struct scr_server *, enum keymap_action);
static int	 scr_server_locked(struct scr_server *);
static int	 scr_server_section(struct scr_server *, int);
static int	 scr_server_select(struct scr_server *);
static int	 scr_server_apply(struct scr_server *, int);
static int	 scr_server_cancel(struct scr_server *);
static int	 scr_server_ask_restart(struct scr_server *);
static void	 scr_server_restart_answer(void *, struct tui *,
		     enum keymap_action);
static void	 scr_server_restart(struct scr_server *, enum service_mode);
static void	 scr_server_progress(void *, const char *, const char *);
static void	 scr_server_after_dialog(void *, struct tui *,
		     enum keymap_action);
static void	 scr_server_discard_answer(void *, struct tui *,
		     enum keymap_action);
static int	 scr_server_apply_ok(struct scr_server *);
static const char *scr_server_readonly_why(struct scr_server *, char *,
		     size_t);

static const struct keymap_binding scr_server_page_bindings[] = {
	{ '\t', KEYMAP_NEXT_SECTION, 1 },
	{ KEY_BTAB, KEYMAP_PREV_SECTION, 0 },
	{ '1', KEYMAP_SECTION_1, 0 },
	{ '2', KEYMAP_SECTION_2, 0 },
	{ '3', KEYMAP_SECTION_3, 0 },
	{ '\r', KEYMAP_SELECT, 1 },
	{ '\n', KEYMAP_SELECT, 0 },
	{ KEY_ENTER, KEYMAP_SELECT, 0 },
	{ ' ', KEYMAP_SELECT, 0 },
	{ KEY_UP, KEYMAP_PREV_ITEM, 0 },
	{ 'k', KEYMAP_PREV_ITEM, 0 },
	{ KEY_DOWN, KEYMAP_NEXT_ITEM, 0 },
	{ 'j', KEYMAP_NEXT_ITEM, 0 },
	{ KEY_PPAGE, KEYMAP_PAGE_UP, 0 },
	{ KEY_NPAGE, KEYMAP_PAGE_DOWN, 0 },
	{ KEY_HOME, KEYMAP_FIRST, 0 },
	{ KEY_END, KEYMAP_LAST, 0 },
	{ KEY_F(2), KEYMAP_APPLY, 0 },
	{ KEY_F(10), KEYMAP_OK, 0 },
	{ 'R', KEYMAP_RESTART, 1 },
	{ KEYMAP_ESC, KEYMAP_CANCEL, 1 },
	{ 'q', KEYMAP_CANCEL, 0 }
};
static const struct keymap_binding scr_server_field_bindings[] = {
	{ '\r', KEYMAP_FIELD_NEXT, 1 },
	{ '\n', KEYMAP_FIELD_NEXT, 0 },
	{ KEY_ENTER, KEYMAP_FIELD_NEXT, 0 },
	{ KEYMAP_ESC, KEYMAP_ESCAPE, 1 },
	{ KEY_DOWN, KEYMAP_NEXT_ITEM, 0 },
	{ KEY_UP, KEYMAP_PREV_ITEM, 0 },
	{ '\t', KEYMAP_NEXT_SECTION, 1 },
	{ KEY_BTAB, KEYMAP_PREV_SECTION, 0 },
	{ KEY_F(2), KEYMAP_APPLY, 1 },
	{ KEY_F(10), KEYMAP_OK, 0 },
	{ KEY_LEFT, KEYMAP_FIELD_LEFT, 0 },
	{ KEY_RIGHT, KEYMAP_FIELD_RIGHT, 0 },
	{ KEY_HOME, KEYMAP_FIELD_HOME, 0 },
	{ KEY_END, KEYMAP_FIELD_END, 0 },
	{ KEY_BACKSPACE, KEYMAP_FIELD_BACKSPACE, 0 },
	{ 0x7f, KEYMAP_FIELD_BACKSPACE, 0 },
	{ KEYMAP_CTRL('h'), KEYMAP_FIELD_BACKSPACE, 0 },
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
	.idle = scr_server_idle,
	.tick = scr_server_tick,
	.keymap = scr_server_keymap,
	.key = scr_server_key,
	.draw = scr_server_draw,
	.enabled = scr_server_enabled,
	.cursor = scr_server_cursor,
	.panel = scr_server_panel
};

static const char *const scr_server_section_names[SECTION_COUNT] = {
	"General", "IMAP4", "Audit"
};

static void *
scr_server_init(struct tui *t, void *arg)
{
	struct scr_server	*s;

	if ((s = calloc(1, sizeof *s)) == NULL) {
		tui_status(t, TUI_ERROR, "out of memory");
		return (NULL);
	}
	s->tui = t;
	s->app = tui_app(t);
	s->focus = ITEM_NONE;
	s->link_row = -1;
	s->section = SECTION_GENERAL;
	if ((s->identity = strdup(arg)) == NULL)
		goto fail;
	if (scr_server_load(s, 1) != 0)
		goto fail;
	s->form = wform_new(settings_table, SETTING_COUNT, s->editable);
	if (s->form == NULL ||
	    (s->win = tui_new_body(t, &s->panel)) == NULL) {
		tui_status(t, TUI_ERROR, "cannot open the properties of %s",
		    s->identity);
		goto fail;
	}
	wform_set_saved(s->form, s->view.configured, s->view.has_running,
	    s->view.running, 1);
	scr_server_pages(s);
	return (s);

fail:
	scr_server_free(s);
	return (NULL);
}

static void
scr_server_free(void *data)
{
	struct scr_server	*s = data;
	int			 i;

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
	scr_server_show_focus(s);
}

static void
scr_server_render(struct scr_server *s)
{
	if (s->page[SECTION_GENERAL] != NULL)
		scr_server_render_general(s);
	if (s->page[SECTION_IMAP4] != NULL)
		scr_server_render_imap4(s);
	if (s->page[SECTION_AUDIT] != NULL)
		scr_server_render_audit(s);
}

static int
scr_server_view_h(struct scr_server *s)
{
	int	h = getmaxy(s->win) - PAGE_Y - 2;

	return (h < 1 ? 1 : h);
}

static int
scr_server_kv(WINDOW *pad, int y, const char *key, enum theme_attr a,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	theme_put(pad, y, 3, KV_COL - 4, THEME_NORMAL, key);
	theme_put_fit(pad, y, KV_COL, getmaxx(pad) - KV_COL, a, buf);
	return (y + 1);
}

/* A command template as the profile has it, or NULL when empty. */
static char *
scr_server_cmd(const struct argv_tmpl *t)
{
	if (t == NULL || t->argc == 0 || t->argv == NULL)
		return (NULL);
	return (proc_argv_string(t->argv));
}

static const char *
scr_server_readonly_why(struct scr_server *s, char *buf, size_t len)
{
	if (!perm_can_edit(s->app->role))
		snprintf(buf, len, "read-only: %s may only view",
		    perm_role_name(s->app->role));
	else if (!s->is_cas)
		snprintf(buf, len, "read-only: %s is not a client access server",
		    s->identity);
	else
		snprintf(buf, len, "editable");
	return (buf);
}

static void
scr_server_render_general(struct scr_server *s)
{
	struct wpage		*p = s->page[SECTION_GENERAL];
	WINDOW			*pad = wpage_pad(p);
	struct store_server	*sv = &s->view.server;
	int			 y = 0;
	char			 why[256];

	wpage_clear(p);
	theme_put(pad, y++, 1, -1, THEME_TITLE, "General");
	y++;
	y = scr_server_kv(pad, y, "Name", THEME_NORMAL, "%s", sv->identity);
	y = scr_server_kv(pad, y, "FQDN", THEME_NORMAL, "%s",
	    sv->fqdn && *sv->fqdn ? sv->fqdn : "-");
	y = scr_server_kv(pad, y, "Roles", THEME_NORMAL, "%s",
	    sv->roles && *sv->roles ? sv->roles : "-");
	y = scr_server_kv(pad, y, "Site", THEME_NORMAL, "%s",
	    sv->site && *sv->site ? sv->site : "-");
	if (sv->profile == NULL || *sv->profile == '\0')
		y = scr_server_kv(pad, y, "Service profile", THEME_NORMAL,
		    "none");
	else if (s->profile == NULL)
		y = scr_server_kv(pad, y, "Service profile", THEME_ERROR,
		    "%s (not in the config file %s)", sv->profile,
		    s->app->cfg->path ? s->app->cfg->path : "(none loaded)");
	else
		y = scr_server_kv(pad, y, "Service profile", THEME_NORMAL,
		    "%s (%s)", sv->profile, s->profile->type ==
		    PROFILE_NGINX_MAIL ? "nginx mail proxy" : "commands");
	if (!s->is_cas)
		y = scr_server_kv(pad, y, "IMAP4 state", THEME_NORMAL,
		    "- (not a client access server)");
	else if (s->view.restart_pending)
		y = scr_server_kv(pad, y, "IMAP4 state", THEME_PENDING,
		    "%s restart pending", theme_sym(SYM_PENDING));
	else
		y = scr_server_kv(pad, y, "IMAP4 state", THEME_NORMAL,
		    "configured");
	y++;
	y = scr_server_kv(pad, y, "You", THEME_NORMAL, "%s (%s)",
	    s->app->user ? s->app->user : "?", perm_role_name(s->app->role));
	y = scr_server_kv(pad, y, "", s->editable ? THEME_NORMAL : THEME_DIM,
	    "%s", s->editable ? "may change the IMAP4 settings and restart" :
	    scr_server_readonly_why(s, why, sizeof why));
	y++;
	theme_put(pad, y++, 3, -1, THEME_DIM, "Tab or 2 shows the IMAP4 "
	    "section, 3 the audit log of this server.");
	wpage_set_used(p, y);
}

static void
scr_server_render_imap4(struct scr_server *s)
{
	struct wpage		*p = s->page[SECTION_IMAP4];
	WINDOW			*pad = wpage_pad(p);
	const struct profile	*prof = s->profile;
	struct store_server	*sv = &s->view.server;
	int			 y = 0, n;
	size_t			 i;
	char			*cmd, run[64];
	const char		*line, *nl;

	wform_hide(s->form);
	wpage_clear(p);
	theme_put(pad, y++, 1, -1, THEME_TITLE, "IMAP4");
	y++;
	theme_put(pad, y++, 1, -1, THEME_TITLE, "Service");

	switch (s->status_state) {
	case STATUS_NOT_ASKED:
	case STATUS_ASKING:
		y = scr_server_kv(pad, y, "Status", THEME_DIM, "checking%s",
		    theme_sym(SYM_ELLIPSIS));
		break;
	case STATUS_DONE:
		/* The first lines of what the status command said. */
		line = s->status_text ? s->status_text : "unknown";
		for (n = 0; n < 3 && *line != '\0'; n++) {
			nl = strchr(line, '\n');
			y = scr_server_kv(pad, y, n == 0 ? "Status" : "",
			    s->status_attr, "%.*s", nl ? (int)(nl - line) :
			    (int)strlen(line), line);
			if (nl == NULL)
				break;
			line = nl + 1;
		}
		break;
	}
	if (prof == NULL) {
		y = scr_server_kv(pad, y, "Profile", THEME_NORMAL, "%s",
		    sv->profile && *sv->profile ? "not in the config file" :
		    "none: this server has no IMAP4 service profile");
	} else {
		y = scr_server_kv(pad, y, "Profile", THEME_NORMAL, "%s (%s)",
		    prof->name, prof->type == PROFILE_NGINX_MAIL ?
		    "nginx mail proxy" : "commands");
		y = scr_server_kv(pad, y, "Listeners", THEME_NORMAL, "%s",
		    prof->listeners ? prof->listeners : "not described");
		y = scr_server_kv(pad, y, "Backend", THEME_NORMAL, "%s",
		    prof->backend ? prof->backend : "not described");
		y = scr_server_kv(pad, y, "Settings file", THEME_NORMAL, "%s",
		    prof->settings_file ? prof->settings_file :
		    "none (values go to the commands)");
		cmd = scr_server_cmd(&prof->check);
		y = scr_server_kv(pad, y, "Check command", THEME_NORMAL, "%s",
		    cmd ? cmd : "none");
		free(cmd);
		cmd = scr_server_cmd(&prof->restart);
		y = scr_server_kv(pad, y, "Restart command", THEME_NORMAL,
		    "%s", cmd ? cmd : "none");
		free(cmd);
		cmd = scr_server_cmd(&prof->reload);
		y = scr_server_kv(pad, y, "Reload command", THEME_NORMAL, "%s",
		    cmd ? cmd : "none (reload not offered)");
		free(cmd);
		cmd = scr_server_cmd(&prof->status);
		y = scr_server_kv(pad, y, "Status command", THEME_NORMAL, "%s",
		    cmd ? cmd : "none");
		free(cmd);
		cmd = scr_server_cmd(&prof->prefix);
		y = scr_server_kv(pad, y, "Runs", THEME_NORMAL, "%s%s",
		    cmd ? "through: " : "on this host", cmd ? cmd : "");
		free(cmd);
		y = scr_server_kv(pad, y, "Command time-out", THEME_NORMAL,
		    "%d s", prof->timeout > 0 ? prof->timeout :
		    s->app->cfg->command_timeout);
	}
	y++;

	if (!s->is_cas) {
		theme_printf(pad, y++, 3, -1, THEME_NORMAL, "%s is not a client "
		    "access server (roles: %s):", sv->identity, sv->roles);
		theme_put(pad, y++, 3, -1, THEME_NORMAL, "its IMAP4 time-outs "
		    "are not managed here.");
		s->link_row = -1;
		wpage_set_used(p, y);
		return;
	}

	theme_put(pad, y++, 1, -1, THEME_TITLE, "Time-outs");
	if (s->view.restart_pending)
		y = scr_server_kv(pad, y, "State", THEME_PENDING,
		    "%s restart pending: the saved values are not running yet",
		    theme_sym(SYM_PENDING));
	else
		y = scr_server_kv(pad, y, "State", THEME_NORMAL, "configured");
	if (s->view.changed_at != NULL)
		y = scr_server_kv(pad, y, "Last change", THEME_NORMAL,
		    "%s by %s", s->view.changed_at,
		    s->view.changed_by ? s->view.changed_by : "?");
	else
		y = scr_server_kv(pad, y, "Last change", THEME_NORMAL,
		    "never (defaults)");
	for (i = 0; i < SETTING_COUNT; i++) {
		if (s->view.has_running[i])
			snprintf(run, sizeof run, "running: %ld s",
			    s->view.running[i]);
		else
			snprintf(run, sizeof run, "running: unknown");
		theme_put(pad, y, 3, KV_COL + 10, THEME_NORMAL,
		    settings_table[i].label);
		theme_printf(pad, y, 30, -1, THEME_NORMAL,
		    "configured: %ld s", s->view.configured[i]);
		theme_put(pad, y, 52, -1, s->view.has_running[i] &&
		    s->view.running[i] == s->view.configured[i] ? THEME_OK :
		    THEME_PENDING, run);
		y++;
	}
	y++;
	s->link_row = y;
	scr_server_draw_link(s);
	y += 2;
	if (s->more) {
		theme_put(pad, y++, 1, -1, THEME_TITLE, "Time-out settings");
		y++;
		y += wform_render(s->form, pad, y, wpage_cols(p));
	}
	wpage_set_used(p, y);
}

static void
scr_server_draw_link(struct scr_server *s)
{
	WINDOW	*pad;
	char	 text[64];

	if (s->link_row < 0 || s->page[SECTION_IMAP4] == NULL)
		return;
	pad = wpage_pad(s->page[SECTION_IMAP4]);
	snprintf(text, sizeof text, "%s options%s", s->more ? "Fewer" : "More",
	    theme_sym(SYM_ELLIPSIS));
	theme_clear_eol(pad, s->link_row, 0);
	theme_put(pad, s->link_row, 1, 1, THEME_TITLE,
	    s->focus == ITEM_LINK ? theme_sym(SYM_FOCUS) : " ");
	theme_put(pad, s->link_row, 3, -1,
	    s->focus == ITEM_LINK ? THEME_FOCUS : THEME_LINK, text);
}

/* "A 1 -> 2, B 3 -> 4" on as many lines as it needs, broken after commas;
 * returns the next line. */
static int
scr_server_wrap_list(WINDOW *pad, int y, int x, const char *text)
{
	int		 width = getmaxx(pad) - x - 1, n = 0;
	const char	*p = text, *q, *end;
	char		*line;

	while (*p != '\0' && n++ < 4) {
		end = p + strlen(p);
		if (theme_width(p) > width) {
			/* The last ", " that keeps the line within width. */
			for (q = strstr(p, ", "); q != NULL; q = strstr(q + 2,
			    ", ")) {
				if ((line = strndup(p, (size_t)(q + 1 - p))) == NULL)
					break;
				if (theme_width(line) > width) {
					free(line);
					break;
				}
				free(line);
				end = q + 1;
			}
		}
		if ((line = strndup(p, (size_t)(end - p))) != NULL)
			theme_put(pad, y, x + (p == text ? 0 : 2), width, THEME_NORMAL,
			    line);
		free(line);
		y++;
		for (p = end; *p == ' '; p++)
			;
	}
	return (y);
}

static void
scr_server_render_audit(struct scr_server *s)
{
	struct wpage		*p = s->page[SECTION_AUDIT];
	WINDOW			*pad = wpage_pad(p);
	struct store_audit	*a = NULL;
	size_t			 n = 0, i;
	char			*cause = NULL, at[64], *q;
	int			 y = 0;

	wpage_clear(p);
	theme_printf(pad, y++, 1, -1, THEME_TITLE, "Audit: last changes of "
	    "%s, newest first", s->identity);
	y++;
	if (store_audit_list(s->app->store, s->identity, AUDIT_LIMIT, &a, &n,
	    &cause) != 0) {
		theme_printf(pad, y++, 3, -1, THEME_ERROR, "cannot read the "
		    "audit log: %s", cause ? cause : "unknown error");
		free(cause);
		wpage_set_used(p, y);
		return;
	}
	if (n == 0)
		theme_put(pad, y++, 3, -1, THEME_NORMAL, "nothing recorded yet");
	for (i = 0; i < n; i++) {
		snprintf(at, sizeof at, "%s", a[i].at ? a[i].at : "?");
		if ((q = strchr(at, 'T')) != NULL)
			*q = ' ';
		theme_printf(pad, y, 3, -1, THEME_TITLE, "%s  %s  %s", at,
		    a[i].user ? a[i].user : "?", a[i].action ? a[i].action : "");
		y++;
		if (a[i].what != NULL && *a[i].what != '\0')
			y = scr_server_wrap_list(pad, y, 5, a[i].what);
		if (a[i].outcome != NULL && *a[i].outcome != '\0')
			theme_put(pad, y++, 5, -1,
			    strncmp(a[i].outcome, "failed", 6) == 0 ?
			    THEME_ERROR : THEME_DIM, a[i].outcome);
	}
	store_audit_list_free(a, n);
	wpage_set_used(p, y);
}

static void
scr_server_resize(void *data, struct tui *t)
{
	struct scr_server	*s = data;

	tui_fit_body(t, s->win, s->panel);
	werase(s->win);
	scr_server_pages(s);
}

/* Ask the profile's status command once the IMAP4 page is on screen
 * showing "checking…": it runs a command that may take a while. */
static int
scr_server_idle(void *data, struct tui *t)
{
	struct scr_server	*s = data;
	char			*text = NULL, *cause = NULL;

	if (s->section != SECTION_IMAP4 || s->status_state == STATUS_DONE)
		return (0);
	if (s->status_state == STATUS_NOT_ASKED) {
		s->status_state = STATUS_ASKING;
		return (TUI_HANDLED);
	}
	free(s->status_text);
	s->status_text = NULL;
	s->status_attr = THEME_NORMAL;
	if (s->profile == NULL)
		s->status_text = strdup("unknown: no service profile");
	else if (s->profile->status.argc == 0)
		s->status_text = strdup("unknown: the profile has no status "
		    "command");
	else if (service_status(s->app->cfg, s->profile, &s->view.server,
	    &text, &cause) != 0) {
		if (asprintf(&s->status_text, "unknown: %s",
		    cause ? cause : "status command failed") == -1)
			s->status_text = NULL;
		s->status_attr = THEME_ERROR;
	} else {
		s->status_text = text && *text ? text : strdup("(no output)");
		if (s->status_text != text)
			free(text);
		text = NULL;
	}
	free(text);
	free(cause);
	s->status_state = STATUS_DONE;
	scr_server_render_imap4(s);
	scr_server_show_focus(s);
	return (TUI_HANDLED);
}

/* About once a second: has someone else saved this server since the page
 * was read? Say so at once rather than only when Apply is refused. */
static int
scr_server_tick(void *data, struct tui *t)
{
	struct scr_server	*s = data;
	struct imap4_view	 v;
	char			*cause = NULL;
	int			 news;

	if (++s->ticks % 4 != 0)
		return (0);
	if (imap4_load(s->app, s->identity, &v, &cause) != 0) {
		free(cause);
		return (0);
	}
	news = v.version != s->view.version && v.version != s->stale_version;
	if (news) {
		s->stale_version = v.version;
		free(s->stale_by);
		free(s->stale_at);
		s->stale_by = strdup(v.changed_by ? v.changed_by : "someone");
		s->stale_at = strdup(v.changed_at ? v.changed_at : "?");
		tui_status(t, TUI_WARN, "%s was changed by %s at %s since this "
		    "page was read: saving here will be refused", s->identity,
		    s->stale_by ? s->stale_by : "?",
		    s->stale_at ? s->stale_at : "?");
	}
	imap4_view_free(&v);
	return (news ? TUI_HANDLED : 0);
}

static int
scr_server_locked(struct scr_server *s)
{
	return (ITEM_IS_FIELD(s->focus) &&
	    !wform_valid(s->form, (size_t)(s->focus - ITEM_FIELD(0))));
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

static int
scr_server_apply_ok(struct scr_server *s)
{
	return (s->editable && wform_all_valid(s->form));
}

static int
scr_server_can_focus(struct scr_server *s, int item)
{
	if (item == ITEM_LINK)
		return (s->link_row >= 0);
	if (ITEM_IS_FIELD(item))
		return (s->more && s->editable);
	if (item == ITEM_APPLY || item == ITEM_OK)
		return (s->editable);
	return (item == ITEM_CANCEL);
}

/* Line of a page item, -1 for buttons (always in view) and hidden ones. */
static int
scr_server_item_row(struct scr_server *s, int item)
{
	if (item == ITEM_LINK)
		return (s->link_row);
	if (ITEM_IS_FIELD(item) && s->more)
		return (wform_row(s->form, (size_t)(item - ITEM_FIELD(0))));
	return (-1);
}

/* Move focus; refused (status says why) while a field holds an invalid
 * value. */
static int
scr_server_set_focus(struct scr_server *s, int item)
{
	char	msg[256];
	int	old = s->focus;

	if (item == old)
		return (0);
	if (wform_focus(s->form, ITEM_IS_FIELD(item) ?
	    item - ITEM_FIELD(0) : -1, msg, sizeof msg) != 0) {
		tui_status(s->tui, TUI_ERROR, "%s", msg);
		return (-1);
	}
	s->focus = item;
	if (old == ITEM_LINK || item == ITEM_LINK)
		scr_server_draw_link(s);
	scr_server_show_focus(s);
	return (0);
}

/* Scroll so the focused item is in view. */
static void
scr_server_show_focus(struct scr_server *s)
{
	int	row = scr_server_item_row(s, s->focus);

	if (row < 0 || s->page[SECTION_IMAP4] == NULL)
		return;
	wpage_show(s->page[SECTION_IMAP4], row, ITEM_IS_FIELD(s->focus) ?
	    WFORM_ROWS_PER_FIELD : 1, scr_server_view_h(s));
}

/* Down (dir 1) or Up (-1): the next item if it is near, else scroll a
 * line; past the end of the page, the buttons. */
static int
scr_server_move(struct scr_server *s, int dir)
{
	struct wpage	*p = s->page[SECTION_IMAP4];
	int		 vh = scr_server_view_h(s), top, item, row;

	if (scr_server_locked(s)) {
		char msg[256];

		wform_problem(s->form, (size_t)(s->focus - ITEM_FIELD(0)), msg,
		    sizeof msg);
		tui_status(s->tui, TUI_ERROR, "%s", msg);
		return (TUI_BEEP);
	}
	if (p == NULL)
		return (TUI_BEEP);
	top = wpage_top(p);

	if (ITEM_IS_BUTTON(s->focus)) {
		for (item = s->focus + dir; item >= ITEM_APPLY &&
		    item <= ITEM_CANCEL; item += dir) {
			if (scr_server_can_focus(s, item)) {
				scr_server_set_focus(s, item);
				return (TUI_HANDLED);
			}
		}
		if (dir > 0)
			return (TUI_HANDLED);
		/* Up from the first button: back into the page. */
		for (item = ITEM_APPLY - 1; item >= ITEM_LINK; item--) {
			if (scr_server_can_focus(s, item)) {
				scr_server_set_focus(s, item);
				return (TUI_HANDLED);
			}
		}
		scr_server_set_focus(s, ITEM_NONE);
		return (TUI_HANDLED);
	}

	/* The next page item in direction dir. */
	item = s->focus == ITEM_NONE ? (dir > 0 ? ITEM_LINK : ITEM_APPLY - 1) :
	    s->focus + dir;
	for (; item >= ITEM_LINK && item < ITEM_APPLY; item += dir) {
		if (!scr_server_can_focus(s, item))
			continue;
		row = scr_server_item_row(s, item);
		if (s->focus == ITEM_NONE && dir > 0 && row < top)
			continue;
		if (s->focus == ITEM_NONE && dir < 0 && row >= top + vh)
			continue;
		break;
	}
	/* Within a screen of the view: go there, scrolling as needed. */
	if (item >= ITEM_LINK && item < ITEM_APPLY) {
		row = scr_server_item_row(s, item);
		if (row >= top - vh && row < top + 2 * vh) {
			scr_server_set_focus(s, item);
			return (TUI_HANDLED);
		}
	}
	/* Nothing in view that way: scroll. */
	if ((dir > 0 && top + vh < wpage_used(p)) || (dir < 0 && top > 0)) {
		wpage_scroll(p, dir, vh);
		row = scr_server_item_row(s, s->focus);
		if (row >= 0 && !wpage_visible(p, row, vh))
			scr_server_set_focus(s, ITEM_NONE);
		return (TUI_HANDLED);
	}
	if (dir > 0) {
		for (item = ITEM_APPLY; item <= ITEM_CANCEL; item++) {
			if (scr_server_can_focus(s, item)) {
				scr_server_set_focus(s, item);
				return (TUI_HANDLED);
			}
		}
	}
	return (TUI_HANDLED);
}

/* Page keys: scroll, and keep the focus on something in view. */
static int
scr_server_scroll(struct scr_server *s, enum keymap_action a)
{
	struct wpage	*p = s->page[s->section];
	int		 vh = scr_server_view_h(s), row, item;

	if (p == NULL)
		return (TUI_BEEP);
	if (s->section == SECTION_IMAP4 && scr_server_locked(s))
		return (scr_server_move(s, 1));
	switch (a) {
	case KEYMAP_PAGE_UP:
		wpage_scroll(p, -(vh - 1), vh);
		break;
	case KEYMAP_PAGE_DOWN:
		wpage_scroll(p, vh - 1, vh);
		break;
	case KEYMAP_FIRST:
		wpage_scroll_to(p, 0, vh);
		break;
	case KEYMAP_LAST:
		wpage_scroll_to(p, wpage_used(p), vh);
		break;
	case KEYMAP_PREV_ITEM:
		wpage_scroll(p, -1, vh);
		return (TUI_HANDLED);
	case KEYMAP_NEXT_ITEM:
		wpage_scroll(p, 1, vh);
		return (TUI_HANDLED);
	default:
		return (TUI_BEEP);
	}
	if (s->section != SECTION_IMAP4 || ITEM_IS_BUTTON(s->focus))
		return (TUI_HANDLED);
	row = scr_server_item_row(s, s->focus);
	if (row >= 0 && wpage_visible(p, row, vh))
		return (TUI_HANDLED);
	/* The focus scrolled away: take the first item in view. */
	for (item = ITEM_LINK; item < ITEM_APPLY; item++) {
		if (!scr_server_can_focus(s, item))
			continue;
		row = scr_server_item_row(s, item);
		if (row >= 0 && wpage_visible(p, row, vh)) {
			scr_server_set_focus(s, item);
			return (TUI_HANDLED);
		}
	}
	scr_server_set_focus(s, ITEM_NONE);
	return (TUI_HANDLED);
}

static int
scr_server_section(struct scr_server *s, int section)
{
	char	msg[256];

	if (scr_server_locked(s)) {
		wform_problem(s->form, (size_t)(s->focus - ITEM_FIELD(0)), msg,
		    sizeof msg);
		tui_status(s->tui, TUI_ERROR, "%s", msg);
		return (TUI_BEEP);
	}
	s->section = (section + SECTION_COUNT) % SECTION_COUNT;
	if (s->section == SECTION_AUDIT && s->page[SECTION_AUDIT] != NULL)
		scr_server_render_audit(s);
	return (TUI_HANDLED);
}

static int
scr_server_select(struct scr_server *s)
{
	switch (s->focus) {
	case ITEM_LINK:
		if (s->more && scr_server_locked(s))
			return (scr_server_move(s, 1));
		s->more = !s->more;
		scr_server_render_imap4(s);
		if (s->more && s->editable) {
			scr_server_set_focus(s, ITEM_FIELD(0));
			/* Show the heading too when there is room. */
			wpage_show(s->page[SECTION_IMAP4], s->link_row,
			    wform_row(s->form, 0) - s->link_row +
			    WFORM_ROWS_PER_FIELD, scr_server_view_h(s));
		} else if (s->more)
			wpage_show(s->page[SECTION_IMAP4], s->link_row,
			    scr_server_view_h(s), scr_server_view_h(s));
		return (TUI_HANDLED);
	case ITEM_APPLY:
		return (scr_server_apply(s, 0));
	case ITEM_OK:
		return (scr_server_apply(s, 1));
	case ITEM_CANCEL:
		return (scr_server_cancel(s));
	case ITEM_NONE:
		tui_status(s->tui, TUI_INFO, "nothing selected: Down moves to "
		    "the next link, field or button");
		return (TUI_HANDLED);
	default:
		return (scr_server_move(s, 1));
	}
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
	case KEYMAP_PREV_ITEM:
	case KEYMAP_NEXT_ITEM:
		if (s->section != SECTION_IMAP4)
			return (scr_server_scroll(s, a));
		return (scr_server_move(s, a == KEYMAP_NEXT_ITEM ? 1 : -1));
	case KEYMAP_FIELD_NEXT:
		return (scr_server_move(s, 1));
	case KEYMAP_PAGE_UP:
	case KEYMAP_PAGE_DOWN:
	case KEYMAP_FIRST:
	case KEYMAP_LAST:
		return (scr_server_scroll(s, a));
	case KEYMAP_SELECT:
		if (s->section != SECTION_IMAP4)
			return (scr_server_section(s, SECTION_IMAP4));
		return (scr_server_select(s));
	case KEYMAP_APPLY:
		return (scr_server_apply(s, 0));
	case KEYMAP_OK:
		return (scr_server_apply(s, 1));
	case KEYMAP_RESTART:
		if (!s->editable) {
			tui_status(t, TUI_ERROR, "%s",
			    scr_server_readonly_why(s, msg, sizeof msg));
			return (TUI_HANDLED | TUI_BEEP);
		}
		s->close_after = 0;
		return (scr_server_ask_restart(s));
	case KEYMAP_ESCAPE:
		if (scr_server_locked(s)) {
			size_t i = (size_t)(s->focus - ITEM_FIELD(0));

			wform_restore(s->form, i);
			tui_status(t, TUI_INFO, "restored the saved value of %s",
			    settings_table[i].label);
			return (TUI_HANDLED);
		}
		return (scr_server_cancel(s));
	case KEYMAP_CANCEL:
		return (scr_server_cancel(s));
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

static int
scr_server_cancel(struct scr_server *s)
{
	struct dialog	*d;

	if (!s->editable || !wform_modified(s->form))
		return (TUI_HANDLED | TUI_CLOSE);
	d = dialog_new(DIALOG_CONFIRM, "Unsaved changes");
	dialog_add(d, THEME_NORMAL, "The time-outs of %s were changed and not "
	    "saved.", s->identity);
	dialog_add(d, THEME_NORMAL, "%s", "");
	dialog_add(d, THEME_TITLE, "Discard unsaved changes? (y/n)");
	dialog_push(s->tui, d, scr_server_discard_answer, s);
	return (TUI_HANDLED);
}

static void
scr_server_discard_answer(void *arg, struct tui *t, enum keymap_action a)
{
	struct scr_server	*s = arg;

	if (a == KEYMAP_YES)
		tui_close(t, s);
	else
		tui_status(t, TUI_INFO, "changes kept: Apply or OK saves them");
}

static int
scr_server_apply(struct scr_server *s, int close_after)
{
	long			 values[SETTING_COUNT];
	struct imap4_view	 cur;
	struct dialog		*d;
	char			*cause = NULL, msg[256];
	size_t			 i;
	int			 rc;

	if (!s->editable) {
		tui_status(s->tui, TUI_ERROR, "%s is disabled (%s)",
		    close_after ? "OK" : "Apply",
		    scr_server_readonly_why(s, msg, sizeof msg));
		return (TUI_HANDLED | TUI_BEEP);
	}
	if (wform_values(s->form, values) != 0) {
		for (i = 0; i < SETTING_COUNT; i++) {
			if (!wform_valid(s->form, i))
				break;
		}
		wform_problem(s->form, i < SETTING_COUNT ? i : 0, msg,
		    sizeof msg);
		tui_status(s->tui, TUI_ERROR, "%s is disabled: %s",
		    close_after ? "OK" : "Apply", msg);
		return (TUI_HANDLED | TUI_BEEP);
	}
	if (!wform_modified(s->form)) {
		if (close_after)
			return (TUI_HANDLED | TUI_CLOSE);
		if (s->view.restart_pending) {
			s->close_after = 0;
			return (scr_server_ask_restart(s));
		}
		tui_status(s->tui, TUI_INFO, "nothing to save: the values are "
		    "unchanged");
		return (TUI_HANDLED);
	}

	rc = imap4_save(s->app, s->identity, s->view.version, values, &cur,
	    &cause);
	if (rc == 0) {
		free(cause);
		if (scr_server_load(s, 0) == 0)
			wform_set_saved(s->form, s->view.configured,
			    s->view.has_running, s->view.running, 1);
		scr_server_render(s);
		scr_server_show_focus(s);
		tui_status(s->tui, TUI_INFO, "saved the IMAP4 time-outs of %s",
		    s->identity);
		s->close_after = close_after;
		return (scr_server_ask_restart(s));
	}

	if (rc == STORE_CONFLICT) {
		/* Someone saved first: show who, then their values. */
		d = dialog_new(DIALOG_MESSAGE, "Not saved: changed by someone "
		    "else");
		dialog_add(d, THEME_ERROR, "%s", cause ? cause :
		    "the settings changed since the page was opened");
		dialog_add(d, THEME_NORMAL, "%s", "");
		if (cur.server.identity != NULL) {
			dialog_add(d, THEME_NORMAL, "Their values, saved by %s "
			    "at %s:", cur.changed_by ? cur.changed_by : "?",
			    cur.changed_at ? cur.changed_at : "?");
			for (i = 0; i < SETTING_COUNT; i++)
				dialog_add(d, THEME_TITLE, "  %s: %ld s",
				    settings_table[i].label, cur.configured[i]);
			dialog_add(d, THEME_NORMAL, "%s", "");
		}
		dialog_add(d, THEME_NORMAL, "The page now shows their values; "
		    "make your change again if it is still needed.");
		imap4_view_free(&cur);
		free(cause);
		if (scr_server_load(s, 0) == 0)
			wform_set_saved(s->form, s->view.configured,
			    s->view.has_running, s->view.running, 1);
		scr_server_render(s);
		scr_server_show_focus(s);
		s->close_after = 0;
		dialog_push(s->tui, d, NULL, NULL);
		return (TUI_HANDLED);
	}

	d = dialog_new(DIALOG_MESSAGE, "Not saved");
	dialog_add(d, THEME_ERROR, "%s", cause ? cause : "the save failed");
	if (rc == STORE_NOTFOUND)
		dialog_add(d, THEME_NORMAL, "%s was removed from the inventory.",
		    s->identity);
	imap4_view_free(&cur);
	free(cause);
	s->close_after = rc == STORE_NOTFOUND;
	dialog_push(s->tui, d, scr_server_after_dialog, s);
	return (TUI_HANDLED);
}

static int
scr_server_ask_restart(struct scr_server *s)
{
	struct dialog	*d;
	int		 reload = s->profile != NULL && s->profile->reload.argc > 0;

	d = dialog_new(reload ? DIALOG_RESTART : DIALOG_RESTART_ONLY,
	    "Restart IMAP4");
	if (s->view.restart_pending)
		dialog_add(d, THEME_NORMAL, "The saved time-outs of %s take "
		    "effect when its IMAP4 service restarts.", s->identity);
	dialog_add(d, THEME_NORMAL, "%s", "");
	dialog_add(d, THEME_TITLE, "Restart the IMAP4 service on %s now? %s",
	    s->identity, reload ? "[r]estart / re[l]oad / [n]ot now" :
	    "[r]estart / [n]ot now");
	if (reload)
		dialog_add(d, THEME_DIM, "Restart drops open sessions; reload "
		    "keeps them on the old values.");
	dialog_push(s->tui, d, scr_server_restart_answer, s);
	return (TUI_HANDLED);
}

static void
scr_server_restart_answer(void *arg, struct tui *t, enum keymap_action a)
{
	struct scr_server	*s = arg;

	switch (a) {
	case KEYMAP_CHOOSE_RESTART:
		scr_server_restart(s, SERVICE_RESTART);
		break;
	case KEYMAP_CHOOSE_RELOAD:
		scr_server_restart(s, SERVICE_RELOAD);
		break;
	default:
		tui_status(t, TUI_WARN, "not restarted: %s stays restart-pending "
		    "until its IMAP4 service restarts", s->identity);
		if (s->close_after)
			tui_close(t, s);
		break;
	}
}

static void
scr_server_progress(void *arg, const char *step, const char *detail)
{
	dialog_progress_step(arg, step, detail);
}

/* Restart through core with a progress box, then say what happened. */
static void
scr_server_restart(struct scr_server *s, enum service_mode mode)
{
	struct service_result	 res;
	struct dialog_progress	*prog;
	struct dialog		*d;
	const struct service_step *bad = NULL;
	char			*cause = NULL, title[128], text[256];
	const char		*verb = mode == SERVICE_RELOAD ? "reload" :
				    "restart";
	size_t			 i;
	int			 rc;

	memset(&res, 0, sizeof res);
	snprintf(title, sizeof title, "%s IMAP4 on %s",
	    mode == SERVICE_RELOAD ? "Reloading" : "Restarting", s->identity);
	snprintf(text, sizeof text, "Pushing the saved time-outs to the IMAP4 "
	    "service of %s", s->identity);
	prog = dialog_progress_new(s->tui, title, text);
	rc = imap4_restart(s->app, s->identity, mode, scr_server_progress, prog,
	    &res, &cause);
	dialog_progress_free(prog);

	if (scr_server_load(s, 0) == 0)
		wform_set_saved(s->form, s->view.configured,
		    s->view.has_running, s->view.running, 0);
	if (res.status != NULL) {
		free(s->status_text);
		s->status_text = strdup(res.status);
		s->status_attr = THEME_NORMAL;
		s->status_state = STATUS_DONE;
	} else
		s->status_state = STATUS_NOT_ASKED;
	scr_server_render(s);
	scr_server_show_focus(s);

	if (rc == 0) {
		snprintf(title, sizeof title, "IMAP4 %s on %s",
		    mode == SERVICE_RELOAD ? "reloaded" : "restarted",
		    s->identity);
		d = dialog_new(DIALOG_MESSAGE, title);
		dialog_add(d, THEME_OK, "%s %s", theme_sym(SYM_CHECK),
		    res.message ? res.message : "done");
		dialog_add(d, THEME_NORMAL, "%s", "");
		dialog_add(d, THEME_NORMAL, "Now running on %s:", s->identity);
		for (i = 0; i < SETTING_COUNT; i++) {
			if (s->view.has_running[i])
				dialog_add(d, THEME_TITLE, "  %s: %ld s",
				    settings_table[i].label, s->view.running[i]);
			else
				dialog_add(d, THEME_TITLE, "  %s: unknown",
				    settings_table[i].label);
		}
		if (mode == SERVICE_RELOAD)
			dialog_add(d, THEME_DIM, "Sessions already open keep "
			    "the old time-outs; new connections get these.");
		if (res.status != NULL && *res.status != '\0') {
			dialog_add(d, THEME_NORMAL, "%s", "");
			dialog_add_lines(d, THEME_DIM, "status: ", res.status);
		}
		snprintf(s->outcome, sizeof s->outcome, "%s: IMAP4 %s done",
		    s->identity, verb);
		s->outcome_level = TUI_INFO;
	} else {
		snprintf(title, sizeof title, "IMAP4 %s failed on %s", verb,
		    s->identity);
		d = dialog_new(DIALOG_MESSAGE, title);
		dialog_add(d, THEME_ERROR, "%s %s", theme_sym(SYM_CROSS),
		    cause ? cause : res.message ? res.message : "failed");
		for (i = 0; i < res.nsteps; i++) {
			if (!res.steps[i].ok) {
				bad = &res.steps[i];
				break;
			}
		}
		if (bad != NULL) {
			dialog_add(d, THEME_NORMAL, "%s", "");
			dialog_add(d, THEME_NORMAL, "Step: %s", bad->name);
			if (bad->command != NULL)
				dialog_add(d, THEME_NORMAL, "Command: %s",
				    bad->command);
			if (bad->timed_out)
				dialog_add(d, THEME_ERROR, "Timed out after "
				    "%.0f s and was killed", bad->seconds);
			else if (bad->exit_status >= 0)
				dialog_add(d, THEME_ERROR, "Exit status: %d",
				    bad->exit_status);
			else
				dialog_add(d, THEME_ERROR, "Did not exit "
				    "normally");
			if (bad->detail != NULL && *bad->detail != '\0') {
				dialog_add(d, THEME_NORMAL, "Error output "
				    "(last lines):");
				dialog_add_lines(d, THEME_DIM, "  ",
				    bad->detail);
			}
		}
		dialog_add(d, THEME_NORMAL, "%s", "");
		dialog_add(d, THEME_PENDING, "%s %s stays restart pending: the "
		    "saved time-outs are not running.", theme_sym(SYM_PENDING),
		    s->identity);
		snprintf(s->outcome, sizeof s->outcome, "%s: IMAP4 %s failed; "
		    "it stays restart pending", s->identity, verb);
		s->outcome_level = TUI_ERROR;
	}
	service_result_free(&res);
	free(cause);
	dialog_push(s->tui, d, scr_server_after_dialog, s);
}

static void
scr_server_after_dialog(void *arg, struct tui *t, enum keymap_action a)
{
	struct scr_server	*s = arg;

	if (s->outcome[0] != '\0')
		tui_status(t, s->outcome_level, "%s", s->outcome);
	s->outcome[0] = '\0';
	if (s->close_after)
		tui_close(t, s);
}

static void
scr_server_draw_buttons(struct scr_server *s, int y)
{
	static const char *const names[] = { "Apply", "OK", "Cancel" };
	int		 x = 3, item, on, focus;
	char		 label[64];
	enum theme_attr	 a;

	theme_clear_eol(s->win, y, 0);
	for (item = ITEM_APPLY; item <= ITEM_CANCEL; item++) {
		on = item == ITEM_CANCEL || scr_server_apply_ok(s);
		focus = s->section == SECTION_IMAP4 && s->focus == item;
		snprintf(label, sizeof label, "[ %s%s ]",
		    item == ITEM_CANCEL && !s->editable ? "Close" :
		    names[item - ITEM_APPLY], on ? "" : " (disabled)");
		a = focus ? THEME_FOCUS : on ? THEME_NORMAL : THEME_DIM;
		if (focus)
			theme_put(s->win, y, x - 2, 1, THEME_TITLE,
			    theme_sym(SYM_FOCUS));
		x += theme_put(s->win, y, x, -1, a, label) + 4;
	}
	if (s->editable && wform_modified(s->form))
		theme_put(s->win, y, x, -1, THEME_WARNING, "unsaved changes");
}

static void
scr_server_draw(void *data, struct tui *t)
{
	struct scr_server	*s = data;
	struct wpage		*p = s->page[s->section];
	int			 h, w, x, i, vh = scr_server_view_h(s), used;
	char			 right[128];

	getmaxyx(s->win, h, w);
	if (s->section == SECTION_IMAP4) {
		wform_update(s->form);
		scr_server_draw_link(s);
	}

	theme_clear_eol(s->win, 0, 0);
	theme_printf(s->win, 0, 1, -1, THEME_TITLE, "Server properties: %s",
	    s->identity);
	if (s->stale_version != 0 && s->stale_version != s->view.version)
		snprintf(right, sizeof right, "%s changed by %s since read",
		    theme_sym(SYM_WARN), s->stale_by ? s->stale_by : "?");
	else if (!s->is_cas)
		snprintf(right, sizeof right, "not a client access server");
	else if (s->view.restart_pending)
		snprintf(right, sizeof right, "%s restart pending",
		    theme_sym(SYM_PENDING));
	else
		snprintf(right, sizeof right, "configured");
	theme_put(s->win, 0, w - theme_width(right) - 1, -1,
	    s->stale_version != 0 && s->stale_version != s->view.version ?
	    THEME_WARNING : s->view.restart_pending ? THEME_PENDING :
	    THEME_NORMAL, right);

	theme_clear_eol(s->win, 1, 0);
	x = 1;
	for (i = 0; i < SECTION_COUNT; i++) {
		x += theme_printf(s->win, 1, x, -1, i == s->section ?
		    THEME_SELECTED : THEME_NORMAL, " %d %s ", i + 1,
		    scr_server_section_names[i]) + 1;
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
	scr_server_draw_buttons(s, h - 1);
}

static int
scr_server_enabled(void *data, enum keymap_action a)
{
	struct scr_server	*s = data;

	switch (a) {
	case KEYMAP_RESTART:
		return (s->editable);
	case KEYMAP_APPLY:
	case KEYMAP_OK:
		return (scr_server_apply_ok(s));
	case KEYMAP_SELECT:
		if (s->section != SECTION_IMAP4)
			return (1);
		if (s->focus == ITEM_APPLY || s->focus == ITEM_OK)
			return (scr_server_apply_ok(s));
		return (s->focus != ITEM_NONE);
	default:
		return (1);
	}
}

static int
scr_server_cursor(void *data, WINDOW **win, int *y, int *x)
{
	struct scr_server	*s = data;
	struct wpage		*p = s->page[SECTION_IMAP4];
	int			 py, px, vh = scr_server_view_h(s);

	if (s->section != SECTION_IMAP4 || !ITEM_IS_FIELD(s->focus) ||
	    p == NULL || !wform_cursor(s->form, &py, &px) ||
	    !wpage_visible(p, py, vh))
		return (0);
	*win = s->win;
	*y = PAGE_Y + py - wpage_top(p);
	*x = px;
	return (1);
}

static PANEL *
scr_server_panel(void *data)
{
	return (((struct scr_server *)data)->panel);
}
