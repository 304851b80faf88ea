/* Servers > Servers: every server with its roles, profile and IMAP4 state
 * as the store knows it, filtered by name or fqdn as you type; Enter opens
 * its properties, R restarts it. A virtual list: only a window of rows
 * around the screen is read from the store, whatever the inventory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/app.h"
#include "tui/scr_server.h"
#include "tui/scr_servers.h"
#include "tui/theme.h"
#include "tui/widget_vlist.h"

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
	struct wvlist		*list;
	size_t			 all;		/* servers, as last counted */
	int			 all_known;	/* 0: counted when idle */
	char			 filter[64];
	int			 filtering;
	char			 jump[32];	/* typed to go to a server */
	struct timespec		 jump_at;	/* when, last */
	char			*error;		/* why the list is empty */
};

/* A pause longer than this starts what is typed anew. */
#define SCR_SERVERS_JUMP_MS	1000

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
static int	 scr_servers_idle(void *, struct tui *);
static void	 scr_servers_reload(struct scr_servers *, const char *, int);
static char	*scr_servers_selected(struct scr_servers *);
static int	 scr_servers_matches(struct scr_servers *,
		     const struct store_window_row *);
static void	 scr_servers_cell(char *, size_t, const char *, int, int);
static int	 scr_servers_open(struct scr_servers *);
static int	 scr_servers_restart(struct scr_servers *);
static int	 scr_servers_state(char *, size_t,
		     const struct store_window_row *);
static void	 scr_servers_when(char *, size_t, const char *);
static void	 scr_servers_count_text(char *, size_t, size_t);
static int	 scr_servers_jump(struct scr_servers *, int);

/* The list's data source: windows of the store's server list. */
static int	 scr_servers_fetch(void *, enum wvlist_from, const char *,
		     size_t, void **, size_t *, char **);
static int	 scr_servers_count(void *, const char *, size_t *, size_t *,
		     char **);
static const char *scr_servers_key_of(void *, const void *);
static void	 scr_servers_row(void *, WINDOW *, int, int, int,
		     const void *, int);
static void	 scr_servers_release(void *, void *);

static const struct wvlist_source scr_servers_source = {
	.size = sizeof (struct store_window_row),
	.fetch = scr_servers_fetch,
	.count = scr_servers_count,
	.key = scr_servers_key_of,
	.draw = scr_servers_row,
	.release = scr_servers_release
};

static const enum store_window_from scr_servers_from[] = {
	[WVLIST_FIRST] = STORE_WINDOW_FIRST,
	[WVLIST_LAST] = STORE_WINDOW_LAST,
	[WVLIST_AFTER] = STORE_WINDOW_AFTER,
	[WVLIST_BEFORE] = STORE_WINDOW_BEFORE,
	[WVLIST_AT] = STORE_WINDOW_AT
};

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
#define SCR_SERVERS_JUMP_NOTE						\
	"other letters and digits go to the first server at or after "	\
	"what you type"
static const struct keymap scr_servers_list_keys = KEYMAP_TABLE_NOTE(
    "Server list", scr_servers_list_bindings, 0, SCR_SERVERS_JUMP_NOTE);
/* The same keys: help shows one of the two, the one in force. */
static const struct keymap scr_servers_kept_keys = KEYMAP_TABLE_NOTE(
    "Server list", scr_servers_kept_bindings, 0, SCR_SERVERS_JUMP_NOTE);
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
	.idle = scr_servers_idle,
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
	if ((s->list = wvlist_new(&scr_servers_source, s)) == NULL ||
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
	wvlist_set_window(s->list, s->sub);
	scr_servers_reload(s, NULL, 1);
	return (s);
}

static void
scr_servers_free(void *data)
{
	struct scr_servers	*s = data;

	wvlist_free(s->list);
	free(s->error);
	if (s->sub != NULL)
		delwin(s->sub);
	tui_free_body(s->win, s->panel);
	free(s);
}

/*
 * Read the window around keep (NULL: from the first server) and, with all,
 * count the whole inventory again. Counts that would delay the first rows
 * (a full first window) wait for scr_servers_idle.
 */
static void
scr_servers_reload(struct scr_servers *s, const char *keep, int all)
{
	char	*cause = NULL;

	free(s->error);
	s->error = NULL;
	if (all)
		s->all_known = 0;
	if (wvlist_reload(s->list, keep, &cause) != 0) {
		s->error = cause;
		tui_status(s->tui, TUI_ERROR, "cannot list servers: %s",
		    cause ? cause : "unknown error");
		return;
	}
	if (!s->all_known && s->filter[0] == '\0' &&
	    wvlist_counted(s->list)) {
		s->all = wvlist_count(s->list);
		s->all_known = 1;
	}
}

/* Once the rows are on screen: the counts the header and scroll bar need. */
static int
scr_servers_idle(void *data, struct tui *t)
{
	struct scr_servers	*s = data;
	char			*cause = NULL;
	int			 changed = 0;

	if (s->error != NULL)
		return (0);
	if (!wvlist_counted(s->list)) {
		changed = 1;
		if (wvlist_count_now(s->list, &cause) != 0)
			goto fail;
	}
	if (!s->all_known) {
		changed = 1;
		if (s->filter[0] == '\0')
			s->all = wvlist_count(s->list);
		else if (store_window_count(s->app->store, NULL, NULL,
		    &s->all, NULL, &cause) != 0)
			goto fail;
		s->all_known = 1;
	}
	/* Nothing to show for it: the next page is read before it is asked. */
	if (wvlist_prefetch(s->list, &cause) != 0)
		goto fail;
	return (changed ? TUI_HANDLED : 0);

fail:
	s->error = cause;
	tui_status(t, TUI_ERROR, "cannot list servers: %s",
	    cause ? cause : "unknown error");
	return (TUI_HANDLED);
}

static int
scr_servers_fetch(void *arg, enum wvlist_from from, const char *key,
    size_t max, void **rows, size_t *n, char **cause)
{
	struct scr_servers	*s = arg;
	struct store_window_row	*got;

	struct imap4_view	 v;
	size_t			 i;

	if (store_window(s->app->store, scr_servers_from[from], key,
	    s->filter, max, &got, n, cause) != 0)
		return (-1);
	/*
	 * Pending is configured against what runs, as on the server's page:
	 * the settings file read back (no process per row), only for the
	 * rows of this window.
	 */
	for (i = 0; i < *n; i++) {
		if (got[i].server.roles == NULL ||
		    strcasestr(got[i].server.roles, "ClientAccess") == NULL)
			continue;
		imap4_view_of(&got[i].server, &got[i].imap4, &v);
		imap4_observe(s->app, &v, 0);
		got[i].imap4.restart_pending = v.restart_pending;
		imap4_view_free(&v);
	}
	*rows = got;
	return (0);
}

static int
scr_servers_count(void *arg, const char *key, size_t *n, size_t *rank,
    char **cause)
{
	struct scr_servers	*s = arg;

	return (store_window_count(s->app->store, s->filter, key, n, rank,
	    cause));
}

static const char *
scr_servers_key_of(void *arg, const void *row)
{
	return (((const struct store_window_row *)row)->server.identity);
}

static void
scr_servers_release(void *arg, void *row)
{
	store_window_row_free(row);
}

/*
 * What the store knows of the server's IMAP4 service: restart pending,
 * else what imapadm last pushed (the running values it recorded) and when
 * (the audit row of that restart); never "running", which only the
 * service can say. 1: restart pending, the text follows the marker.
 */
static int
scr_servers_state(char *buf, size_t len, const struct store_window_row *r)
{
	const struct store_value *v;
	char		 values[64], when[32];
	size_t		 i, k, used = 0;

	if (r->server.roles == NULL ||
	    strcasestr(r->server.roles, "ClientAccess") == NULL) {
		snprintf(buf, len, "not client access");
		return (0);
	}
	if (r->imap4.restart_pending) {
		snprintf(buf, len, " restart pending");
		return (1);
	}
	values[0] = '\0';
	for (i = 0; i < SETTING_COUNT; i++) {
		for (k = 0, v = NULL; k < r->imap4.n && v == NULL; k++) {
			if (strcmp(r->imap4.values[k].name,
			    settings_table[i].name) == 0)
				v = &r->imap4.values[k];
		}
		if (v == NULL || !v->has_running) {
			snprintf(buf, len, "unknown: never pushed");
			return (0);
		}
		used += (size_t)snprintf(values + used, sizeof values - used,
		    "%s%ld", i > 0 ? "/" : "", v->running);
		if (used >= sizeof values)
			used = sizeof values - 1;
	}
	scr_servers_when(when, sizeof when, r->restarted_at);
	snprintf(buf, len, "pushed %s%s", values, when);
	return (0);
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

/* The row matches the filter as the store's LIKE does: ASCII case
 * folded, on the identity or the fqdn. */
static int
scr_servers_matches(struct scr_servers *s, const struct store_window_row *r)
{
	return (s->filter[0] == '\0' ||
	    strcasestr(r->server.identity, s->filter) != NULL ||
	    (r->server.fqdn != NULL &&
	    strcasestr(r->server.fqdn, s->filter) != NULL));
}

/* Thousands separated: "100,000". */
static void
scr_servers_count_text(char *buf, size_t len, size_t n)
{
	char	digits[32];
	size_t	nd, i, used = 0;

	nd = (size_t)snprintf(digits, sizeof digits, "%zu", n);
	for (i = 0; i < nd && used + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[used++] = ',';
		buf[used++] = digits[i];
	}
	buf[used] = '\0';
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

/* One row of the list at the list's width: name, roles, profile and the
 * IMAP4 state, as the libmenu table showed them. */
static void
scr_servers_row(void *arg, WINDOW *win, int y, int x, int width,
    const void *row, int selected)
{
	const struct store_window_row *r = row;
	char		 line[512], state[128];
	int		 rest;

	rest = width - SCR_SERVERS_NAME_W - SCR_SERVERS_ROLES_W -
	    SCR_SERVERS_PROFILE_W - 3;
	line[0] = '\0';
	scr_servers_cell(line, sizeof line, " ", 1, 0);
	scr_servers_cell(line, sizeof line, r->server.identity,
	    SCR_SERVERS_NAME_W - 1, 1);
	scr_servers_cell(line, sizeof line, " ", 1, 0);
	scr_servers_cell(line, sizeof line, r->server.roles,
	    SCR_SERVERS_ROLES_W, 1);
	scr_servers_cell(line, sizeof line, " ", 1, 0);
	scr_servers_cell(line, sizeof line, r->server.profile != NULL &&
	    *r->server.profile != '\0' ? r->server.profile : "-",
	    SCR_SERVERS_PROFILE_W, 1);
	scr_servers_cell(line, sizeof line, " ", 1, 0);
	if (scr_servers_state(state, sizeof state, r)) {
		/* The marker may be UTF-8: add it whole, then the text. */
		strncat(line, theme_sym(SYM_PENDING),
		    sizeof line - strlen(line) - 1);
		scr_servers_cell(line, sizeof line, state, rest - 1, 1);
	} else
		scr_servers_cell(line, sizeof line, state, rest, 1);
	theme_put(win, y, x, width, selected ? THEME_SELECTED : THEME_NORMAL,
	    line);
}

/* Identity of the selected server (copy), or NULL. */
static char *
scr_servers_selected(struct scr_servers *s)
{
	const struct store_window_row *r = wvlist_selected(s->list);

	return (r != NULL ? strdup(r->server.identity) : NULL);
}

static void
scr_servers_resize(void *data, struct tui *t)
{
	struct scr_servers	*s = data;
	char			*keep = scr_servers_selected(s);
	int			 h, w;

	wvlist_set_window(s->list, NULL);
	if (s->sub != NULL)
		delwin(s->sub);
	tui_fit_body(t, s->win, s->panel);
	werase(s->win);
	getmaxyx(s->win, h, w);
	s->sub = derwin(s->win, h - SCR_SERVERS_LIST_Y, w, SCR_SERVERS_LIST_Y,
	    0);
	if (s->sub != NULL) {
		wvlist_set_window(s->list, s->sub);
		scr_servers_reload(s, keep, 0);
	} else
		tui_status(t, TUI_ERROR, "cannot lay out the server list "
		    "(out of memory)");
	free(keep);
}

/*
 * Back from a server's page: its state may have changed, and others may
 * have added or removed servers. The window around the selection is read
 * again (and the counts), never the inventory.
 */
static void
scr_servers_resume(void *data, struct tui *t)
{
	struct scr_servers	*s = data;
	char			*keep = scr_servers_selected(s);

	scr_servers_reload(s, keep, 1);
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
		tui_status(s->tui, TUI_WARN, s->all == 0 ?
		    "no servers: add one with imapadm new-server" :
		    "no server matches the filter; Esc clears it");
		return (TUI_HANDLED | TUI_BEEP);
	}
	s->filtering = 0;
	s->jump[0] = '\0';
	tui_push(s->tui, &scr_server, id);
	free(id);
	return (TUI_HANDLED);
}

/* R: the restart of a save on the IMAP4 page, or why there is none. */
static int
scr_servers_restart(struct scr_servers *s)
{
	const struct store_window_row *r = wvlist_selected(s->list);
	const struct store_server *srv;

	if (r == NULL) {
		tui_status(s->tui, TUI_WARN, "no server selected: R restarts "
		    "the IMAP4 service of the selected server");
		return (TUI_HANDLED | TUI_BEEP);
	}
	srv = &r->server;
	if (!perm_can_edit(s->app->role))
		tui_status(s->tui, TUI_ERROR, "%s (%s) may not restart the "
		    "IMAP4 service", s->app->user ? s->app->user : "you",
		    perm_role_name(s->app->role));
	else if (srv->roles == NULL ||
	    strcasestr(srv->roles, "ClientAccess") == NULL)
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

/*
 * A key the list does not bind, typed in the list: go to the first server
 * at or after what has been typed so far (one window read, as a Down).
 * What was typed is forgotten after a pause or any other key.
 */
static int
scr_servers_jump(struct scr_servers *s, int key)
{
	struct timespec	 now;
	char		*cause = NULL;
	size_t		 len;
	long		 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - s->jump_at.tv_sec) * 1000 +
	    (now.tv_nsec - s->jump_at.tv_nsec) / 1000000;
	if (ms > SCR_SERVERS_JUMP_MS)
		s->jump[0] = '\0';
	s->jump_at = now;
	len = strlen(s->jump);
	if (len + 1 >= sizeof s->jump)
		return (TUI_BEEP);
	s->jump[len] = (char)key;
	s->jump[len + 1] = '\0';
	if (wvlist_jump(s->list, s->jump, &cause) != 0) {
		tui_status(s->tui, TUI_ERROR, "cannot list servers: %s",
		    cause ? cause : "unknown error");
		free(cause);
		return (TUI_HANDLED | TUI_BEEP);
	}
	return (TUI_HANDLED);
}

static int
scr_servers_key(void *data, struct tui *t, enum keymap_action a, int key)
{
	struct scr_servers		*s = data;
	const struct store_window_row	*r;
	char				*keep = NULL, *cause = NULL;
	size_t				 len = strlen(s->filter);

	if (a != KEYMAP_NONE || s->filtering)
		s->jump[0] = '\0';
	if (wvlist_move(s->list, a, &cause)) {
		if (cause != NULL) {
			tui_status(t, TUI_ERROR, "cannot list servers: %s",
			    cause);
			free(cause);
		}
		return (TUI_HANDLED);
	}
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
		if (key < 0x20 || key >= 0x7f)
			return (TUI_BEEP);
		if (!s->filtering)
			return (scr_servers_jump(s, key));
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
	if ((r = wvlist_selected(s->list)) != NULL &&
	    scr_servers_matches(s, r))
		keep = strdup(r->server.identity);
	scr_servers_reload(s, keep, 0);
	free(keep);
	return (TUI_HANDLED);
}

static void
scr_servers_draw(void *data, struct tui *t)
{
	struct scr_servers	*s = data;
	char			 right[160], head[256], all[32], shown[32];
	size_t			 n = wvlist_count(s->list);
	int			 w = getmaxx(s->win), rw, x;

	theme_clear_eol(s->win, 0, 0);
	theme_put(s->win, 0, 1, -1, THEME_TITLE, "Servers > Servers");
	scr_servers_count_text(all, sizeof all, s->all);
	scr_servers_count_text(shown, sizeof shown, n);
	/* Until counted (a moment after the first rows): say so. */
	if (!wvlist_counted(s->list))
		strncat(shown, "+", sizeof shown - strlen(shown) - 1);
	if (!s->all_known)
		snprintf(all, sizeof all, "(counting)");
	if (s->filtering || s->filter[0] != '\0')
		snprintf(right, sizeof right, "%s of %s server%s  filter: %s%s",
		    shown, all, s->all_known && s->all == 1 ? "" : "s",
		    s->filter, s->filtering ? "_" : "");
	else
		snprintf(right, sizeof right, "%s server%s",
		    s->all_known ? all : "counting", s->all_known &&
		    s->all == 1 ? "" : "s");
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

	wvlist_draw(s->list);
	if (n == 0) {
		if (s->error != NULL)
			theme_printf(s->win, SCR_SERVERS_LIST_Y + 1, 2, -1,
			    THEME_ERROR, "cannot list servers: %s", s->error);
		else if (s->all == 0)
			theme_put(s->win, SCR_SERVERS_LIST_Y + 1, 2, -1,
			    THEME_NORMAL, "no servers yet: add them with "
			    "imapadm new-server (or fill the demo inventory)");
		else
			theme_printf(s->win, SCR_SERVERS_LIST_Y + 1, 2, -1,
			    THEME_NORMAL, "no server name or FQDN contains "
			    "\"%s\" (Esc clears the filter)", s->filter);
	}
}

static int
scr_servers_enabled(void *data, enum keymap_action a)
{
	struct scr_servers	*s = data;

	if (a == KEYMAP_OPEN)
		return (wvlist_count(s->list) > 0);
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
