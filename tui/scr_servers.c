/* Servers > Servers: every server with its roles, profile and IMAP4 state
 * as the store knows it, filtered by name as you type; Enter opens its
 * properties, R restarts it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/app.h"
#include "core/str.h"
#include "tui/scr_server.h"
#include "tui/scr_servers.h"
#include "tui/theme.h"
#include "tui/widget_list.h"

#define SCR_SERVERS_LIST_Y	2
#define SCR_SERVERS_NAME_W	12
#define SCR_SERVERS_ROLES_W	24
#define SCR_SERVERS_PROFILE_W	12

struct scr_servers {
	struct tui		*tui;
	struct app		*app;
	WINDOW			*win;
	WINDOW			*sub;
	PANEL			*panel;
	struct wlist		*list;
	struct store_server	*servers;
	size_t			 n;
	int			*state;		/* enum scr_servers_state */
	char			**known;	/* what the store knows, or NULL */
	size_t			 shown;		/* rows matching the filter */
	char			 filter[64];
	int			 filtering;
	char			*error;		/* why the list is empty */
};

enum scr_servers_state {
	STATE_UNKNOWN,		/* known[i] says why */
	STATE_KNOWN,		/* known[i]: what was pushed, or never */
	STATE_PENDING,
	STATE_NOT_CAS
};

/* How many audit rows back to look for the last push. */
#define SCR_SERVERS_PUSH_ROWS	20

static void	*scr_servers_init(struct tui *, void *);
static void	 scr_servers_free(void *);
static void	 scr_servers_resize(void *, struct tui *);
static void	 scr_servers_resume(void *, struct tui *);
static const struct keymap *scr_servers_keymap(void *);
static int	 scr_servers_key(void *, struct tui *, enum keymap_action, int);
static void	 scr_servers_draw(void *, struct tui *);
static int	 scr_servers_enabled(void *, enum keymap_action);
static int	 scr_servers_cursor(void *, WINDOW **, int *, int *);
static PANEL	*scr_servers_panel(void *);
static void	 scr_servers_load(struct scr_servers *);
static void	 scr_servers_unload(struct scr_servers *);
static void	 scr_servers_build(struct scr_servers *, const char *);
static char	*scr_servers_selected(struct scr_servers *);
static int	 scr_servers_match(struct scr_servers *, size_t);
static void	 scr_servers_cell(char *, size_t, const char *, int, int);
static int	 scr_servers_open(struct scr_servers *);
static int	 scr_servers_restart(struct scr_servers *);
static char	*scr_servers_known(struct scr_servers *,
		     const struct imap4_view *);
static void	 scr_servers_when(char *, size_t, const char *);

/* The list's keys; esc: show Esc in the key bar (a filter is kept). */
#define SCR_SERVERS_LIST_KEYS(esc)					\
	KEYMAP_KEYS_ENTER(KEYMAP_OPEN),					\
	{ 'e', KEYMAP_OPEN, 1 },					\
	{ '/', KEYMAP_FILTER, 1 },					\
	{ KEYMAP_ESC, KEYMAP_FILTER_CLEAR, (esc) },			\
	{ 'R', KEYMAP_RESTART, 1 },					\
	KEYMAP_KEYS_MOVE,						\
	KEYMAP_KEYS_VI_MOVE,						\
	{ 'g', KEYMAP_FIRST, KEYMAP_BAR_NOKEY },			\
	{ 'G', KEYMAP_LAST, KEYMAP_BAR_NOKEY },				\
	{ 'q', KEYMAP_QUIT, 1 }
static const struct keymap_binding scr_servers_list_bindings[] = {
	SCR_SERVERS_LIST_KEYS(0)
};
static const struct keymap_binding scr_servers_kept_bindings[] = {
	SCR_SERVERS_LIST_KEYS(1)
};
static const struct keymap_binding scr_servers_filter_bindings[] = {
	KEYMAP_KEYS_ENTER(KEYMAP_OPEN),
	{ KEYMAP_ESC, KEYMAP_FILTER_CLEAR, 1 },
	{ '\t', KEYMAP_FILTER_DONE, 1 },
	KEYMAP_KEYS_BACKSPACE(KEYMAP_FIELD_BACKSPACE),
	{ KEYMAP_CTRL('u'), KEYMAP_FIELD_CLEAR, 0 },
	KEYMAP_KEYS_MOVE
};
static const struct keymap scr_servers_list_keys =
    KEYMAP_TABLE("Server list", scr_servers_list_bindings, 0);
/* The same keys: help shows one of the two, the one in force. */
static const struct keymap scr_servers_kept_keys =
    KEYMAP_TABLE("Server list", scr_servers_kept_bindings, 0);
static const struct keymap scr_servers_filter_keys =
    KEYMAP_TABLE("Typing a filter", scr_servers_filter_bindings, 1);
static const struct keymap *const scr_servers_keymaps[] = {
	&scr_servers_list_keys, &scr_servers_filter_keys, NULL
};

const struct screen scr_servers = {
	.name = "Servers > Servers",
	.keymaps = scr_servers_keymaps,
	.init = scr_servers_init,
	.free = scr_servers_free,
	.resize = scr_servers_resize,
	.resume = scr_servers_resume,
	.keymap = scr_servers_keymap,
	.key = scr_servers_key,
	.draw = scr_servers_draw,
	.enabled = scr_servers_enabled,
	.cursor = scr_servers_cursor,
	.panel = scr_servers_panel
};

static void *
scr_servers_init(struct tui *t, void *arg)
{
	struct scr_servers	*s;
	int			 h, w;

	if ((s = calloc(1, sizeof *s)) == NULL) {
		tui_status(t, TUI_ERROR, "out of memory");
		return (NULL);
	}
	s->tui = t;
	s->app = tui_app(t);
	if ((s->list = wlist_new()) == NULL ||
	    (s->win = tui_new_body(t, &s->panel)) == NULL) {
		tui_status(t, TUI_ERROR, "cannot create the server list");
		scr_servers_free(s);
		return (NULL);
	}
	getmaxyx(s->win, h, w);
	s->sub = derwin(s->win, h - SCR_SERVERS_LIST_Y, w, SCR_SERVERS_LIST_Y,
	    0);
	if (s->sub == NULL) {
		tui_status(t, TUI_ERROR, "cannot create the server list");
		scr_servers_free(s);
		return (NULL);
	}
	scr_servers_load(s);
	scr_servers_build(s, NULL);
	return (s);
}

static void
scr_servers_unload(struct scr_servers *s)
{
	size_t	i;

	wlist_clear(s->list);
	for (i = 0; s->known != NULL && i < s->n; i++)
		free(s->known[i]);
	free(s->known);
	store_server_list_free(s->servers, s->n);
	free(s->state);
	s->servers = NULL;
	s->state = NULL;
	s->known = NULL;
	s->n = 0;
	free(s->error);
	s->error = NULL;
}

static void
scr_servers_free(void *data)
{
	struct scr_servers	*s = data;

	scr_servers_unload(s);
	wlist_free(s->list);
	if (s->sub != NULL)
		delwin(s->sub);
	tui_free_body(s->win, s->panel);
	free(s);
}

/* Read the inventory and each server's IMAP4 state. */
static void
scr_servers_load(struct scr_servers *s)
{
	struct imap4_view	 v;
	char			*cause = NULL;
	size_t			 i;
	const char		*r;

	scr_servers_unload(s);
	if (store_server_list(s->app->store, &s->servers, &s->n, &cause) != 0) {
		s->servers = NULL;
		s->n = 0;
		s->error = cause;
		tui_status(s->tui, TUI_ERROR, "cannot list servers: %s",
		    cause ? cause : "unknown error");
		return;
	}
	if (s->n > 0 && ((s->state = calloc(s->n, sizeof *s->state)) == NULL ||
	    (s->known = calloc(s->n, sizeof *s->known)) == NULL)) {
		scr_servers_unload(s);
		return;
	}
	for (i = 0; i < s->n; i++) {
		r = s->servers[i].roles ? s->servers[i].roles : "";
		if (strcasestr(r, "ClientAccess") == NULL) {
			s->state[i] = STATE_NOT_CAS;
			continue;
		}
		if (imap4_load(s->app, s->servers[i].identity, &v, &cause) != 0) {
			s->state[i] = STATE_UNKNOWN;
			s->known[i] = str_printf("unknown: %s", cause ? cause :
			    "cannot read it");
			free(cause);
			cause = NULL;
			continue;
		}
		/* Pending is configured against what runs: files read back,
		 * no process per server. */
		imap4_observe(s->app, &v, 0);
		s->state[i] = v.restart_pending ? STATE_PENDING : STATE_KNOWN;
		if (!v.restart_pending)
			s->known[i] = scr_servers_known(s, &v);
		imap4_view_free(&v);
	}
}

/*
 * Not pending: what imapadm last pushed and when, from the running values
 * it recorded and the audit row of that restart; never "running", which
 * only the service can say.
 */
static char *
scr_servers_known(struct scr_servers *s, const struct imap4_view *v)
{
	struct store_audit	*rows = NULL;
	char			*values = NULL, *text, when[32];
	size_t			 i, n = 0;

	for (i = 0; i < SETTING_COUNT; i++) {
		if (!v->has_running[i])
			return (strdup("unknown: never pushed"));
		str_append(&values, "/", "%ld", v->running[i]);
	}
	when[0] = '\0';
	if (store_audit_list(s->app->store, v->server.identity,
	    SCR_SERVERS_PUSH_ROWS, &rows, &n, NULL) == 0) {
		for (i = 0; i < n; i++) {
			if (strstr(rows[i].action, "-imapservice") != NULL &&
			    strncmp(rows[i].outcome, "ok", 2) == 0) {
				scr_servers_when(when, sizeof when, rows[i].at);
				break;
			}
		}
		store_audit_list_free(rows, n);
	}
	text = str_printf("pushed %s%s", values ? values : "?", when);
	free(values);
	return (text);
}

/* " at 14:05" today, " on 2024-05-01" before, in local time. */
static void
scr_servers_when(char *buf, size_t len, const char *iso)
{
	struct tm	 tm, now;
	time_t		 t, today = time(NULL);

	memset(&tm, 0, sizeof tm);
	if (iso == NULL || sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec) != 6) {
		buf[0] = '\0';
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon--;
	t = timegm(&tm);
	localtime_r(&t, &tm);
	localtime_r(&today, &now);
	if (tm.tm_year == now.tm_year && tm.tm_yday == now.tm_yday)
		strftime(buf, len, " at %H:%M", &tm);
	else
		strftime(buf, len, " on %Y-%m-%d", &tm);
}

static int
scr_servers_match(struct scr_servers *s, size_t i)
{
	return (s->filter[0] == '\0' ||
	    strcasestr(s->servers[i].identity, s->filter) != NULL);
}

/* Text padded to width columns, or cut ending in an ellipsis; non-ASCII
 * shown as '?' so the menu's widths hold in any locale. */
static void
scr_servers_cell(char *buf, size_t len, const char *text, int width, int pad)
{
	const char	*dots = theme_sym(SYM_ELLIPSIS);
	size_t		 used = strlen(buf);
	int		 col = 0, room = width;

	if (text != NULL && (int)strlen(text) > width)
		room = width - theme_width(dots);
	for (; text != NULL && *text != '\0' && col < room; text++) {
		if (used + 1 >= len)
			break;
		buf[used++] = (unsigned char)*text < 0x20 ||
		    (unsigned char)*text >= 0x7f ? '?' : *text;
		col++;
	}
	if (room < width && used + strlen(dots) < len) {
		memcpy(buf + used, dots, strlen(dots));
		used += strlen(dots);
		col += theme_width(dots);
	}
	for (; pad && col < width && used + 1 < len; col++)
		buf[used++] = ' ';
	buf[used] = '\0';
}

/* Rows for the servers matching the filter, at the list's width. */
static void
scr_servers_build(struct scr_servers *s, const char *keep)
{
	char		**rows = NULL, *cause = NULL, line[512];
	long		 *data = NULL, sel = -1;
	size_t		  i, m = 0;
	int		  width, rest;
	const char	 *state;

	if (s->sub == NULL)
		return;	/* no list window: scr_servers_resize said why */
	width = getmaxx(s->sub) - 1;
	rest = width - SCR_SERVERS_NAME_W - SCR_SERVERS_ROLES_W -
	    SCR_SERVERS_PROFILE_W - 3;
	if (s->n > 0) {
		rows = calloc(s->n, sizeof *rows);
		data = calloc(s->n, sizeof *data);
		if (rows == NULL || data == NULL)
			goto out;
	}
	for (i = 0; i < s->n; i++) {
		if (!scr_servers_match(s, i))
			continue;
		line[0] = '\0';
		scr_servers_cell(line, sizeof line, " ", 1, 0);
		scr_servers_cell(line, sizeof line, s->servers[i].identity,
		    SCR_SERVERS_NAME_W - 1, 1);
		scr_servers_cell(line, sizeof line, " ", 1, 0);
		scr_servers_cell(line, sizeof line, s->servers[i].roles,
		    SCR_SERVERS_ROLES_W, 1);
		scr_servers_cell(line, sizeof line, " ", 1, 0);
		scr_servers_cell(line, sizeof line,
		    s->servers[i].profile && *s->servers[i].profile ?
		    s->servers[i].profile : "-", SCR_SERVERS_PROFILE_W, 1);
		scr_servers_cell(line, sizeof line, " ", 1, 0);
		switch (s->state[i]) {
		case STATE_PENDING:
			/* The marker may be UTF-8: add it whole, then text. */
			strncat(line, theme_sym(SYM_PENDING),
			    sizeof line - strlen(line) - 1);
			scr_servers_cell(line, sizeof line, " restart pending",
			    rest - 1, 1);
			break;
		default:
			state = s->state[i] == STATE_NOT_CAS ?
			    "not client access" : s->known[i] != NULL ?
			    s->known[i] : "unknown: out of memory";
			scr_servers_cell(line, sizeof line, state, rest, 1);
			break;
		}
		if ((rows[m] = strdup(line)) == NULL)
			goto out;
		data[m] = (long)i;
		if (keep != NULL &&
		    strcasecmp(keep, s->servers[i].identity) == 0)
			sel = (long)i;
		m++;
	}
	s->shown = m;
	if (wlist_set(s->list, s->win, s->sub, rows, data, m, sel,
	    &cause) != 0) {
		tui_status(s->tui, TUI_ERROR, "%s", cause ? cause : "list error");
		free(cause);
	}
out:
	for (i = 0; rows != NULL && i < m; i++)
		free(rows[i]);
	free(rows);
	free(data);
}

/* Identity of the selected server (copy), or NULL. */
static char *
scr_servers_selected(struct scr_servers *s)
{
	long	i;

	if (!wlist_selected(s->list, &i) || i < 0 || (size_t)i >= s->n)
		return (NULL);
	return (strdup(s->servers[i].identity));
}

static void
scr_servers_resize(void *data, struct tui *t)
{
	struct scr_servers	*s = data;
	char			*keep = scr_servers_selected(s);
	int			 h, w;

	wlist_clear(s->list);
	if (s->sub != NULL)
		delwin(s->sub);
	tui_fit_body(t, s->win, s->panel);
	werase(s->win);
	getmaxyx(s->win, h, w);
	s->sub = derwin(s->win, h - SCR_SERVERS_LIST_Y, w, SCR_SERVERS_LIST_Y,
	    0);
	if (s->sub != NULL)
		scr_servers_build(s, keep);
	else
		tui_status(t, TUI_ERROR, "cannot lay out the server list "
		    "(out of memory)");
	free(keep);
}

/* Back from a server's page: its state may have changed. */
static void
scr_servers_resume(void *data, struct tui *t)
{
	struct scr_servers	*s = data;
	char			*keep = scr_servers_selected(s);

	scr_servers_load(s);
	scr_servers_build(s, keep);
	free(keep);
}

static const struct keymap *
scr_servers_keymap(void *data)
{
	struct scr_servers	*s = data;

	if (s->filtering)
		return (&scr_servers_filter_keys);
	return (s->filter[0] != '\0' ? &scr_servers_kept_keys :
	    &scr_servers_list_keys);
}

static int
scr_servers_open(struct scr_servers *s)
{
	char	*id;

	if ((id = scr_servers_selected(s)) == NULL) {
		tui_status(s->tui, TUI_WARN, s->n == 0 ?
		    "no servers: add one with imapadm new-server" :
		    "no server matches the filter; Esc clears it");
		return (TUI_HANDLED | TUI_BEEP);
	}
	s->filtering = 0;
	tui_push(s->tui, &scr_server, id);
	free(id);
	return (TUI_HANDLED);
}

/* R: the restart of a save on the IMAP4 page, or why there is none. */
static int
scr_servers_restart(struct scr_servers *s)
{
	const struct store_server *srv;
	long			 i;

	if (!wlist_selected(s->list, &i) || i < 0 || (size_t)i >= s->n) {
		tui_status(s->tui, TUI_WARN, "no server selected: R restarts "
		    "the IMAP4 service of the selected server");
		return (TUI_HANDLED | TUI_BEEP);
	}
	srv = &s->servers[i];
	if (!perm_can_edit(s->app->role))
		tui_status(s->tui, TUI_ERROR, "%s (%s) may not restart the "
		    "IMAP4 service", s->app->user ? s->app->user : "you",
		    perm_role_name(s->app->role));
	else if (s->state[i] == STATE_NOT_CAS)
		tui_status(s->tui, TUI_ERROR, "%s is not a client access "
		    "server: it has no IMAP4 service to restart", srv->identity);
	else if (srv->profile == NULL || *srv->profile == '\0')
		tui_status(s->tui, TUI_ERROR, "%s has no service profile: "
		    "nothing to restart", srv->identity);
	else if (config_profile(s->app->cfg, srv->profile) == NULL)
		tui_status(s->tui, TUI_ERROR, "profile %s of %s is not in the "
		    "config (%s)", srv->profile, srv->identity,
		    s->app->cfg->path ? s->app->cfg->path :
		    "no config file loaded");
	else {
		scr_server_push_restart(s->tui, srv->identity);
		return (TUI_HANDLED);
	}
	return (TUI_HANDLED | TUI_BEEP);
}

static int
scr_servers_key(void *data, struct tui *t, enum keymap_action a, int key)
{
	struct scr_servers	*s = data;
	char			*keep;
	size_t			 len = strlen(s->filter);

	if (wlist_move(s->list, a))
		return (TUI_HANDLED);
	switch (a) {
	case KEYMAP_OPEN:
		return (scr_servers_open(s));
	case KEYMAP_RESTART:
		return (scr_servers_restart(s));
	case KEYMAP_QUIT:
		return (TUI_QUIT);
	case KEYMAP_FILTER:
		s->filtering = 1;
		return (TUI_HANDLED);
	case KEYMAP_FILTER_DONE:
		s->filtering = 0;
		return (TUI_HANDLED);
	case KEYMAP_FILTER_CLEAR:
		s->filtering = 0;
		if (s->filter[0] == '\0')
			return (TUI_HANDLED);
		s->filter[0] = '\0';
		break;
	case KEYMAP_FIELD_BACKSPACE:
		if (len == 0)
			return (TUI_BEEP);
		s->filter[len - 1] = '\0';
		break;
	case KEYMAP_FIELD_CLEAR:
		s->filter[0] = '\0';
		break;
	case KEYMAP_NONE:
		if (!s->filtering || key < 0x20 || key >= 0x7f)
			return (TUI_BEEP);
		if (len + 1 >= sizeof s->filter) {
			tui_status(t, TUI_WARN, "the filter is at most %zu "
			    "characters", sizeof s->filter - 1);
			return (TUI_BEEP);
		}
		s->filter[len] = (char)key;
		s->filter[len + 1] = '\0';
		break;
	default:
		return (TUI_BEEP);
	}
	/* The filter changed: show the rows that match, keeping the
	 * selection when it still matches. */
	keep = scr_servers_selected(s);
	scr_servers_build(s, keep);
	free(keep);
	return (TUI_HANDLED);
}

static void
scr_servers_draw(void *data, struct tui *t)
{
	struct scr_servers	*s = data;
	char			 right[128], head[256];
	int			 w = getmaxx(s->win), rw, x;

	/* Only the lines outside the list: the menu keeps its own. */
	theme_clear_eol(s->win, 0, 0);
	theme_put(s->win, 0, 1, -1, THEME_TITLE, "Servers > Servers");
	if (s->filtering || s->filter[0] != '\0')
		snprintf(right, sizeof right, "%zu of %zu  filter: %s%s",
		    s->shown, s->n, s->filter, s->filtering ? "_" : "");
	else
		snprintf(right, sizeof right, "%zu server%s", s->n,
		    s->n == 1 ? "" : "s");
	rw = theme_width(right);
	theme_put(s->win, 0, w - rw - 1 > 20 ? w - rw - 1 : 20, -1,
	    s->filtering ? THEME_TITLE : THEME_NORMAL, right);

	head[0] = '\0';
	x = 1;
	scr_servers_cell(head, sizeof head, " Name", SCR_SERVERS_NAME_W, 1);
	scr_servers_cell(head, sizeof head, " Roles", SCR_SERVERS_ROLES_W + 1,
	    1);
	scr_servers_cell(head, sizeof head, " Profile",
	    SCR_SERVERS_PROFILE_W + 1, 1);
	scr_servers_cell(head, sizeof head, " IMAP4 state", 40, 0);
	theme_clear_eol(s->win, 1, 0);
	theme_put(s->win, 1, x, -1, THEME_DIM, head);

	if (s->shown == 0) {
		theme_clear_eol(s->win, SCR_SERVERS_LIST_Y + 1, 0);
		if (s->error != NULL)
			theme_printf(s->win, SCR_SERVERS_LIST_Y + 1, 2, -1,
			    THEME_ERROR, "cannot list servers: %s", s->error);
		else if (s->n == 0)
			theme_put(s->win, SCR_SERVERS_LIST_Y + 1, 2, -1,
			    THEME_NORMAL, "no servers yet: add them with "
			    "imapadm new-server (or fill the demo inventory)");
		else
			theme_printf(s->win, SCR_SERVERS_LIST_Y + 1, 2, -1,
			    THEME_NORMAL, "no server name contains \"%s\" "
			    "(Esc clears the filter)", s->filter);
	}
}

static int
scr_servers_enabled(void *data, enum keymap_action a)
{
	struct scr_servers	*s = data;

	if (a == KEYMAP_OPEN)
		return (s->shown > 0);
	return (1);
}

static int
scr_servers_cursor(void *data, WINDOW **win, int *y, int *x)
{
	struct scr_servers	*s = data;
	int			 w = getmaxx(s->win);

	if (!s->filtering)
		return (0);
	*win = s->win;
	*y = 0;
	/* On the "_" that ends the filter text. */
	*x = w - 2;
	return (1);
}

static PANEL *
scr_servers_panel(void *data)
{
	return (((struct scr_servers *)data)->panel);
}
