/* Server properties, IMAP4 section: the service status and time-outs as
 * the profile reports them, the service details, the "More options…" link
 * that reveals the time-out form, and the focus moving between link,
 * fields and buttons. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/proc.h"
#include "core/service.h"
#include "core/str.h"
#include "tui/scr_server_internal.h"

/* The service details, one line each, in the order shown: a string of
 * the profile, or a command template after `before`; `none` when unset. */
struct scr_server_imap4_detail {
	const char	*key;
	size_t		 str;		/* offset of a char *, or 0 */
	size_t		 cmd;		/* offset of a struct argv_tmpl, or 0 */
	const char	*before;
	const char	*none;
	int		 host;	/* str is ssh_host: shown expanded */
};

static const struct scr_server_imap4_detail scr_server_imap4_details[] = {
	{ "Listeners", offsetof(struct profile, listeners), 0, "",
	    "not described", 0 },
	{ "Backend", offsetof(struct profile, backend), 0, "",
	    "not described", 0 },
	{ "Settings file", offsetof(struct profile, settings_file), 0, "",
	    "none (values go to the commands)", 0 },
	{ "Check command", 0, offsetof(struct profile, check), "",
	    "none: no check, a broken file goes live", 0 },
	{ "Restart command", 0, offsetof(struct profile, restart), "",
	    "none", 0 },
	{ "Reload command", 0, offsetof(struct profile, reload), "",
	    "none (reload not offered)", 0 },
	{ "Status command", 0, offsetof(struct profile, status), "", "none", 0 },
	{ "Runs on", offsetof(struct profile, ssh_host), 0, "over ssh: ",
	    "this host", 1 }
};

static int	 scr_server_imap4_status(struct scr_server *, WINDOW *, int);
static int	 scr_server_imap4_timeouts(struct scr_server *, WINDOW *, int);
static int	 scr_server_imap4_plumbing(struct scr_server *, WINDOW *, int);
static int	 scr_server_imap4_tested(WINDOW *, int, const struct profile *);
static int	 scr_server_imap4_detail(WINDOW *, int, const struct profile *,
		     const struct store_server *,
		     const struct scr_server_imap4_detail *);
static int	 scr_server_imap4_can_focus(struct scr_server *, int);
static int	 scr_server_imap4_item_row(struct scr_server *, int);
static int	 scr_server_imap4_set_focus(struct scr_server *, int);

/* What an admin checks first, status and time-outs, fills the first
 * screen; how the service is reached comes after, then More options…
 * further down, as on the seed's page. */
void
scr_server_imap4_render(struct scr_server *s)
{
	struct wpage	*p = s->page[SECTION_IMAP4];
	WINDOW		*pad;
	int		 y = 0;

	wform_hide(s->form);
	if (p == NULL)
		return;	/* no pad (out of memory): nothing to draw into */
	pad = wpage_pad(p);
	wpage_clear(p);
	theme_put(pad, y++, 1, -1, THEME_TITLE, "IMAP4");
	y++;
	y = scr_server_imap4_status(s, pad, y);
	y = scr_server_imap4_timeouts(s, pad, y + 1);
	/* Test connection / Measure time-outs, once asked for. */
	if (s->probe != NULL)
		y = scr_server_probe_draw(s, pad, y + 1) - 1;
	/* Where "running" comes from and when, or why it is unknown: in the
	 * place of the blank line before the details. */
	if (s->is_cas)
		y = scr_server_kv(pad, y, "Running seen", THEME_NORMAL, "%s",
		    s->view.observed && s->view.obs.source != NULL ?
		    s->view.obs.source : "unknown: not observed");
	else
		y++;
	y = scr_server_imap4_plumbing(s, pad, y);
	y++;

	if (!s->is_cas) {
		s->link_row = -1;
		wpage_set_used(p, y);
		return;
	}
	s->link_row = y;
	scr_server_imap4_draw_link(s);
	y += 2;
	if (s->more) {
		theme_put(pad, y++, 1, -1, THEME_TITLE, "Time-out settings");
		y++;
		y += wform_render(s->form, pad, y, wpage_cols(p));
	}
	wpage_set_used(p, y);
}

static int
scr_server_imap4_status(struct scr_server *s, WINDOW *pad, int y)
{
	const char	*line, *nl;
	int		 n;

	theme_put(pad, y++, 1, -1, THEME_TITLE, "Service");
	if (s->status_state != STATUS_DONE)
		return (scr_server_kv(pad, y, "Status", THEME_DIM,
		    "checking%s", theme_sym(SYM_ELLIPSIS)));
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
	return (y);
}

/* Configured and running values, or why this server has none. */
static int
scr_server_imap4_timeouts(struct scr_server *s, WINDOW *pad, int y)
{
	struct store_server	*sv = &s->view.server;
	char			 run[64];
	size_t			 i;

	theme_put(pad, y++, 1, -1, THEME_TITLE, "Time-outs");
	if (!s->is_cas) {
		theme_printf(pad, y++, 3, -1, THEME_NORMAL, "%s is not a "
		    "client access server (roles: %s):", sv->identity,
		    sv->roles);
		theme_put(pad, y++, 3, -1, THEME_NORMAL, "its IMAP4 time-outs "
		    "are not managed here.");
		return (y);
	}
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
		if (s->view.obs.has_running[i])
			snprintf(run, sizeof run, "running: %ld s",
			    s->view.obs.running[i]);
		else
			snprintf(run, sizeof run, "running: unknown");
		theme_put(pad, y, 3, KV_COL + 10, THEME_NORMAL,
		    settings_table[i].label);
		theme_printf(pad, y, 30, -1, THEME_NORMAL,
		    "configured: %ld s", s->view.configured[i]);
		theme_put(pad, y, 52, -1, s->view.obs.has_running[i] &&
		    s->view.obs.running[i] == s->view.configured[i] ? THEME_OK :
		    THEME_PENDING, run);
		y++;
	}
	return (y);
}

/* How the service is reached: its profile, listeners and commands. */
static int
scr_server_imap4_plumbing(struct scr_server *s, WINDOW *pad, int y)
{
	const struct profile	*prof = s->profile;
	struct store_server	*sv = &s->view.server;
	size_t			 i;

	theme_put(pad, y++, 1, -1, THEME_TITLE, "Service details");
	if (prof == NULL)
		return (scr_server_kv(pad, y, "Profile", THEME_NORMAL, "%s",
		    sv->profile && *sv->profile ? "not in the config file" :
		    "none: this server has no IMAP4 service profile"));
	y = scr_server_kv(pad, y, "Profile", THEME_NORMAL, "%s (%s)",
	    prof->name, prof->type == PROFILE_NGINX_MAIL ?
	    "nginx mail proxy" : "commands");
	for (i = 0; i < sizeof scr_server_imap4_details /
	    sizeof scr_server_imap4_details[0]; i++) {
		y = scr_server_imap4_detail(pad, y, prof, sv,
		    &scr_server_imap4_details[i]);
		if (i == 0 && prof->nimap_listeners > 0)
			y = scr_server_imap4_tested(pad, y, prof);
	}
	return (scr_server_kv(pad, y, "Command time-out", THEME_NORMAL, "%d s",
	    prof->timeout > 0 ? prof->timeout :
	    s->app->cfg->command_timeout));
}

/* What Test connection and Measure time-outs connect to (T, M). */
static int
scr_server_imap4_tested(WINDOW *pad, int y, const struct profile *prof)
{
	char	*list = NULL;
	size_t	 i;

	for (i = 0; i < prof->nimap_listeners; i++) {
		if (str_append(&list, ", ", "%s", prof->imap_listeners[i]) != 0)
			break;
	}
	y = scr_server_kv(pad, y, "IMAP listeners", THEME_NORMAL, "%s",
	    list != NULL ? list : "?");
	free(list);
	return (y);
}

static int
scr_server_imap4_detail(WINDOW *pad, int y, const struct profile *prof,
    const struct store_server *sv, const struct scr_server_imap4_detail *d)
{
	const char		*base = (const char *)prof, *str = NULL;
	const struct argv_tmpl	*t;
	char			*cmd = NULL, *cause = NULL;

	if (d->str != 0)
		str = *(char *const *)(base + d->str);
	if (d->host && str != NULL) {
		/* The host this server's commands go to, as ssh is given
		 * it, and the template it comes from. */
		if ((cmd = service_host(prof, sv, &cause)) != NULL) {
			y = scr_server_kv(pad, y, d->key, THEME_NORMAL,
			    "%s%s (ssh_host %s)", d->before, cmd, str);
		} else {
			y = scr_server_kv(pad, y, d->key, THEME_ERROR,
			    "%sunknown: %s", d->before, cause != NULL ? cause :
			    "ssh_host does not expand");
		}
		free(cmd);
		free(cause);
		return (y);
	}
	if (d->str == 0) {
		t = (const struct argv_tmpl *)(base + d->cmd);
		if (t->argc != 0 && t->argv != NULL)
			str = cmd = proc_argv_string(t->argv);
	}
	if (str != NULL)
		y = scr_server_kv(pad, y, d->key, THEME_NORMAL, "%s%s",
		    d->before, str);
	else
		y = scr_server_kv(pad, y, d->key, THEME_NORMAL, "%s", d->none);
	free(cmd);
	return (y);
}

void
scr_server_imap4_draw_link(struct scr_server *s)
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

/* Ask the profile's status command once the IMAP4 page is on screen
 * showing "checking…": it runs a command that may take a while. */
int
scr_server_imap4_idle(void *data, struct tui *t)
{
	struct scr_server	*s = data;
	char			*text = NULL, *cause = NULL;
	int			 rc;

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
	else {
		/* Only a look: Ctrl-C or a hang-up need not wait for it. */
		tui_interruptible(1);
		rc = service_status(s->app->cfg, s->profile, &s->view.server,
		    &text, &cause);
		tui_interruptible(0);
		if (rc == SERVICE_UNKNOWN) {
			if (asprintf(&s->status_text, "unknown: %s",
			    cause ? cause : "status command failed") == -1)
				s->status_text = NULL;
			s->status_attr = THEME_ERROR;
		} else if (rc == SERVICE_STOPPED) {
			/* Exit 3, as LSB and systemctl is-active say it. */
			if (asprintf(&s->status_text, "stopped%s%s",
			    text && *text ? ": " : "", text ? text : "") == -1)
				s->status_text = NULL;
			s->status_attr = THEME_ERROR;
		} else {
			s->status_text = text && *text ? text :
			    strdup("(no output)");
			if (s->status_text != text)
				free(text);
			text = NULL;
		}
	}
	free(text);
	free(cause);
	s->status_state = STATUS_DONE;
	scr_server_imap4_render(s);
	scr_server_imap4_show_focus(s);
	return (TUI_HANDLED);
}

int
scr_server_imap4_locked(struct scr_server *s)
{
	return (ITEM_IS_FIELD(s->focus) &&
	    !wform_valid(s->form, (size_t)(s->focus - ITEM_FIELD(0))));
}

/* Focus is locked: say why; TUI_BEEP. */
int
scr_server_imap4_refuse(struct scr_server *s)
{
	char	msg[256];
	size_t	i = (size_t)(s->focus - ITEM_FIELD(0));

	wform_problem(s->form, i, msg, sizeof msg);
	wform_insist(s->form, i);
	tui_status(s->tui, TUI_ERROR, "%s", msg);
	return (TUI_BEEP);
}

static int
scr_server_imap4_can_focus(struct scr_server *s, int item)
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
scr_server_imap4_item_row(struct scr_server *s, int item)
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
scr_server_imap4_set_focus(struct scr_server *s, int item)
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
		scr_server_imap4_draw_link(s);
	scr_server_imap4_show_focus(s);
	return (0);
}

/* Scroll so the focused item is in view. */
void
scr_server_imap4_show_focus(struct scr_server *s)
{
	int	row = scr_server_imap4_item_row(s, s->focus);

	if (row < 0 || s->page[SECTION_IMAP4] == NULL)
		return;
	wpage_show(s->page[SECTION_IMAP4], row, ITEM_IS_FIELD(s->focus) ?
	    WFORM_ROWS_PER_FIELD : 1, scr_server_view_h(s));
}

/* The page scrolled: if the focus went out of view, take the first item
 * in view. */
void
scr_server_imap4_keep_focus(struct scr_server *s)
{
	struct wpage	*p = s->page[SECTION_IMAP4];
	int		 vh = scr_server_view_h(s), row, item;

	if (p == NULL || ITEM_IS_BUTTON(s->focus))
		return;
	row = scr_server_imap4_item_row(s, s->focus);
	if (row >= 0 && wpage_visible(p, row, vh))
		return;
	for (item = ITEM_LINK; item < ITEM_APPLY; item++) {
		if (!scr_server_imap4_can_focus(s, item))
			continue;
		row = scr_server_imap4_item_row(s, item);
		if (row >= 0 && wpage_visible(p, row, vh)) {
			scr_server_imap4_set_focus(s, item);
			return;
		}
	}
	scr_server_imap4_set_focus(s, ITEM_NONE);
}

/* Down (dir 1) or Up (-1): the next item if it is near, else scroll a
 * line; past the end of the page, the buttons. */
int
scr_server_imap4_move(struct scr_server *s, int dir)
{
	struct wpage	*p = s->page[SECTION_IMAP4];
	int		 vh = scr_server_view_h(s), top, item, row;

	if (scr_server_imap4_locked(s))
		return (scr_server_imap4_refuse(s));
	if (p == NULL)
		return (TUI_BEEP);
	top = wpage_top(p);

	if (ITEM_IS_BUTTON(s->focus)) {
		for (item = s->focus + dir; item >= ITEM_APPLY &&
		    item <= ITEM_CANCEL; item += dir) {
			if (scr_server_imap4_can_focus(s, item)) {
				scr_server_imap4_set_focus(s, item);
				return (TUI_HANDLED);
			}
		}
		if (dir > 0)
			return (TUI_HANDLED);
		/* Up from the first button: back into the page. */
		for (item = ITEM_APPLY - 1; item >= ITEM_LINK; item--) {
			if (scr_server_imap4_can_focus(s, item)) {
				scr_server_imap4_set_focus(s, item);
				return (TUI_HANDLED);
			}
		}
		scr_server_imap4_set_focus(s, ITEM_NONE);
		return (TUI_HANDLED);
	}

	/* The next page item in direction dir. */
	item = s->focus == ITEM_NONE ? (dir > 0 ? ITEM_LINK : ITEM_APPLY - 1) :
	    s->focus + dir;
	for (; item >= ITEM_LINK && item < ITEM_APPLY; item += dir) {
		if (!scr_server_imap4_can_focus(s, item))
			continue;
		row = scr_server_imap4_item_row(s, item);
		if (s->focus == ITEM_NONE && dir > 0 && row < top)
			continue;
		if (s->focus == ITEM_NONE && dir < 0 && row >= top + vh)
			continue;
		break;
	}
	/* Within a screen of the view: go there, scrolling as needed. */
	if (item >= ITEM_LINK && item < ITEM_APPLY) {
		row = scr_server_imap4_item_row(s, item);
		if (row >= top - vh && row < top + 2 * vh) {
			scr_server_imap4_set_focus(s, item);
			return (TUI_HANDLED);
		}
	}
	/* Nothing in view that way: scroll. */
	if ((dir > 0 && top + vh < wpage_used(p)) || (dir < 0 && top > 0)) {
		wpage_scroll(p, dir, vh);
		row = scr_server_imap4_item_row(s, s->focus);
		if (row >= 0 && !wpage_visible(p, row, vh))
			scr_server_imap4_set_focus(s, ITEM_NONE);
		return (TUI_HANDLED);
	}
	if (dir > 0) {
		for (item = ITEM_APPLY; item <= ITEM_CANCEL; item++) {
			if (scr_server_imap4_can_focus(s, item)) {
				scr_server_imap4_set_focus(s, item);
				return (TUI_HANDLED);
			}
		}
	}
	return (TUI_HANDLED);
}

int
scr_server_imap4_button(struct scr_server *s, int dir)
{
	int	item;

	if (!ITEM_IS_BUTTON(s->focus))
		return (TUI_BEEP);
	for (item = s->focus + dir; item >= ITEM_APPLY &&
	    item <= ITEM_CANCEL; item += dir) {
		if (scr_server_imap4_can_focus(s, item)) {
			scr_server_imap4_set_focus(s, item);
			return (TUI_HANDLED);
		}
	}
	return (TUI_BEEP);
}

int
scr_server_imap4_select(struct scr_server *s)
{
	switch (s->focus) {
	case ITEM_LINK:
		if (s->page[SECTION_IMAP4] == NULL)
			return (TUI_BEEP);
		if (s->more && scr_server_imap4_locked(s))
			return (scr_server_imap4_move(s, 1));
		s->more = !s->more;
		scr_server_imap4_render(s);
		if (s->more && s->editable) {
			scr_server_imap4_set_focus(s, ITEM_FIELD(0));
			/* Show the heading too when there is room. */
			wpage_show(s->page[SECTION_IMAP4], s->link_row,
			    wform_row(s->form, 0) - s->link_row +
			    WFORM_ROWS_PER_FIELD, scr_server_view_h(s));
		} else if (s->more)
			wpage_show(s->page[SECTION_IMAP4], s->link_row,
			    scr_server_view_h(s), scr_server_view_h(s));
		return (TUI_HANDLED);
	case ITEM_APPLY:
		return (scr_server_save_apply(s, 0));
	case ITEM_OK:
		return (scr_server_save_apply(s, 1));
	case ITEM_CANCEL:
		return (scr_server_save_cancel(s));
	case ITEM_NONE:
		tui_status(s->tui, TUI_INFO, "nothing selected: Down moves to "
		    "the next link, field or button");
		return (TUI_HANDLED);
	default:
		return (scr_server_imap4_move(s, 1));
	}
}

int
scr_server_imap4_cursor(void *data, WINDOW **win, int *y, int *x)
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
