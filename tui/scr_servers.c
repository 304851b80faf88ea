/* Servers > Servers: every server with its roles, profile and IMAP4 state
 * as the store knows it, filtered by name or fqdn as you type; Enter opens
 * its properties, R restarts it. A virtual list: only a window of rows
 * around the screen is read from the store, whatever the inventory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/app.h"
#include "core/idset.h"
#include "core/imap4_state.h"
#include "core/proc.h"
#include "core/str.h"
#include "tui/scr_bulk_edit.h"
#include "tui/scr_marked.h"
#include "tui/scr_rolling.h"
#include "tui/scr_server.h"
#include "tui/scr_servers.h"
#include "tui/theme.h"
#include "tui/vlist_store.h"
#include "tui/widget_vlist.h"

#define SCR_SERVERS_LIST_Y	2
#define SCR_SERVERS_NAME_W	12
#define SCR_SERVERS_ROLES_W	24
#define SCR_SERVERS_PROFILE_W	12

/* A row of the list: the store's, with the state derived when read. */
struct scr_servers_row {
	struct store_window_row	 r;
	enum imap4_state	 state;
	char			 text[160];
};

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
	struct idset		 marks;		/* identities marked */
	/* The filter as parsed: "state:WORD name" or "name". */
	char			 name[64];	/* the part SQL filters */
	int			 state;		/* a state word, -1: none */
	/* A state is derived per row, not stored: the servers matching
	 * the name are scanned from the idle hook, a slice at a time, and
	 * the list shows the matches found so far. */
	struct idset		 found;
	char			*scan_after;	/* last scanned, NULL: none */
	size_t			 scanned;
	size_t			 scan_total;
	int			 scanning;	/* 1, 0 done, -1 stopped */
	double			 reloaded;	/* list last re-read (scan) */
};

/* How long one idle slice of a state scan may take, and how often the
 * list is re-read for the matches it found. */
#define SCR_SERVERS_SCAN_S	0.03
#define SCR_SERVERS_SCAN_ROWS	64
#define SCR_SERVERS_RELOAD_S	0.3
#define SCR_SERVERS_STATE_PREFIX "state:"
#define SCR_SERVERS_STATES	"running, pending, drift, stopped, failed, " \
	"unknown, other"

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
static int	 scr_servers_marked_cas(struct scr_servers *, const char *,
		     struct scr_marked *);
static int	 scr_servers_mark(struct scr_servers *);
static void	 scr_servers_parse(struct scr_servers *);
static int	 scr_servers_scan(struct scr_servers *, char **);
static int	 scr_servers_fetch_found(struct scr_servers *, enum wvlist_from,
		     const char *, size_t, void **, size_t *, char **);
static int	 scr_servers_mark_all(struct scr_servers *);
static int	 scr_servers_rolling(struct scr_servers *);
static int	 scr_servers_bulk(struct scr_servers *);
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
static void	 scr_servers_derive(struct app *, struct scr_servers_row *);

static const struct wvlist_source scr_servers_source = {
	.size = sizeof (struct scr_servers_row),
	.fetch = scr_servers_fetch,
	.count = scr_servers_count,
	.key = scr_servers_key_of,
	.draw = scr_servers_row,
	.release = scr_servers_release
};

/* The list's keys; esc: show Esc in the key bar (a filter is kept);
 * marked: servers are marked, and Enter, e and R act on them all. */
#define SCR_SERVERS_LIST_KEYS(esc, marked)				\
	KEYMAP_KEYS_ENTER((marked) ? KEYMAP_BULK_EDIT : KEYMAP_OPEN),	\
	{ 'e', (marked) ? KEYMAP_BULK_EDIT : KEYMAP_OPEN, !(marked) },	\
	{ 'o', KEYMAP_OPEN, 0 },					\
	{ '/', KEYMAP_FILTER, 1 },					\
	{ KEYMAP_ESC, KEYMAP_FILTER_CLEAR, (esc) },			\
	{ ' ', KEYMAP_MARK, 1 },					\
	{ '*', KEYMAP_MARK_ALL, 0 },					\
	{ 'u', KEYMAP_UNMARK_ALL, (marked) },				\
	{ 'R', (marked) ? KEYMAP_ROLLING : KEYMAP_RESTART, 1 },		\
	KEYMAP_KEYS_MOVE,						\
	KEYMAP_KEYS_VI_MOVE,						\
	{ 'g', KEYMAP_FIRST, KEYMAP_BAR_NOKEY },			\
	{ 'G', KEYMAP_LAST, KEYMAP_BAR_NOKEY },				\
	{ 'q', KEYMAP_QUIT, 1 }
static const struct keymap_binding scr_servers_list_bindings[] = {
	SCR_SERVERS_LIST_KEYS(0, 0)
};
static const struct keymap_binding scr_servers_kept_bindings[] = {
	SCR_SERVERS_LIST_KEYS(1, 0)
};
static const struct keymap_binding scr_servers_marked_bindings[] = {
	SCR_SERVERS_LIST_KEYS(0, 1)
};
static const struct keymap_binding scr_servers_marked_kept_bindings[] = {
	SCR_SERVERS_LIST_KEYS(1, 1)
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
static const struct keymap scr_servers_marked_keys = KEYMAP_TABLE_NOTE(
    "Server list, servers marked", scr_servers_marked_bindings, 0,
    SCR_SERVERS_JUMP_NOTE);
static const struct keymap scr_servers_marked_kept_keys = KEYMAP_TABLE_NOTE(
    "Server list, servers marked", scr_servers_marked_kept_bindings, 0,
    SCR_SERVERS_JUMP_NOTE);
static const struct keymap scr_servers_filter_keys = KEYMAP_TABLE_NOTE(
    "Typing a filter", scr_servers_filter_bindings, 1,
    "text matches any part of a name or FQDN; state:WORD keeps the servers "
    "in that state (running, pending, drift, stopped, failed, unknown, "
    "other), then a space and text narrows by name: state:pending cas1. "
    "States are derived per server: the list is scanned a slice at a time "
    "(the title says how far); Esc stops the scan, again clears");
static const struct keymap *const scr_servers_keymaps[] = {
	&scr_servers_list_keys, &scr_servers_filter_keys,
	&scr_servers_marked_keys, NULL
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
	s->state = -1;
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
	idset_clear(&s->marks);
	idset_clear(&s->found);
	free(s->scan_after);
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
	if (s->scanning == 1) {
		if (scr_servers_scan(s, &cause) != 0)
			goto fail;
		return (TUI_HANDLED);
	}
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
	struct scr_servers_row	*out;
	size_t			 i;

	if (s->state >= 0)
		return (scr_servers_fetch_found(s, from, key, max, rows, n,
		    cause));
	if (store_window(s->app->store, vlist_store_from(from), key,
	    s->name, max, &got, n, cause) != 0)
		return (-1);
	if ((out = calloc(*n > 0 ? *n : 1, sizeof *out)) == NULL)
		abort();
	for (i = 0; i < *n; i++) {
		out[i].r = got[i];
		scr_servers_derive(s->app, &out[i]);
	}
	free(got);	/* the rows' strings moved to out */
	*rows = out;
	return (0);
}

static int
scr_servers_count(void *arg, const char *key, size_t *n, size_t *rank,
    char **cause)
{
	struct scr_servers	*s = arg;
	int			 found;

	if (s->state >= 0) {
		*n = s->found.n;
		if (rank != NULL)
			*rank = key != NULL ? idset_pos(&s->found, key,
			    &found) : 0;
		return (0);
	}
	return (store_window_count(s->app->store, s->name, key, n, rank,
	    cause));
}

/*
 * The state as on the server's page, observed: the settings file read
 * back (no process per row), only for the rows of a window.
 */
static void
scr_servers_derive(struct app *app, struct scr_servers_row *row)
{
	struct store_window_row	*r = &row->r;
	struct imap4_view	 v;

	imap4_view_of(&r->server, &r->imap4, &v);
	if (r->server.roles != NULL &&
	    strcasestr(r->server.roles, "ClientAccess") != NULL)
		imap4_observe(app, &v, 0);
	row->state = imap4_state_of(&v, r->last_outcome, r->restarted_at,
	    row->text, sizeof row->text);
	imap4_view_free(&v);
}

static const char *
scr_servers_key_of(void *arg, const void *row)
{
	return (((const struct scr_servers_row *)row)->r.server.identity);
}

static void
scr_servers_release(void *arg, void *row)
{
	store_window_row_free(&((struct scr_servers_row *)row)->r);
}

/* The row matches the filter as the store's LIKE does: ASCII case
 * folded, on the identity or the fqdn. */
static int
scr_servers_matches(struct scr_servers *s, const struct store_window_row *r)
{
	if (s->state >= 0 && !idset_has(&s->found, r->server.identity))
		return (0);
	return (s->name[0] == '\0' ||
	    strcasestr(r->server.identity, s->name) != NULL ||
	    (r->server.fqdn != NULL &&
	    strcasestr(r->server.fqdn, s->name) != NULL));
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
	struct scr_servers		*s = arg;
	const struct scr_servers_row	*sr = row;
	const struct store_window_row	*r = &sr->r;
	char		 line[512];
	int		 rest, pending;

	rest = width - SCR_SERVERS_NAME_W - SCR_SERVERS_ROLES_W -
	    SCR_SERVERS_PROFILE_W - 3;
	line[0] = '\0';
	/* The mark column: what Space, * and u change. */
	scr_servers_cell(line, sizeof line, idset_has(&s->marks,
	    r->server.identity) ? "*" : " ", 1, 0);
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
	pending = sr->state == IMAP4_STATE_PENDING ||
	    sr->state == IMAP4_STATE_FAILED;
	if (pending) {
		/* The marker may be UTF-8: add it whole, then the text. */
		strncat(line, theme_sym(SYM_PENDING),
		    sizeof line - strlen(line) - 1);
		scr_servers_cell(line, sizeof line, " ", 1, 0);
		scr_servers_cell(line, sizeof line, sr->text, rest - 2, 1);
	} else
		scr_servers_cell(line, sizeof line, sr->text, rest, 1);
	theme_put(win, y, x, width, selected ? THEME_SELECTED : THEME_NORMAL,
	    line);
}

/* Identity of the selected server (copy), or NULL. */
static char *
scr_servers_selected(struct scr_servers *s)
{
	const struct scr_servers_row *r = wvlist_selected(s->list);

	return (r != NULL ? strdup(r->r.server.identity) : NULL);
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
	if (s->marks.n > 0)
		return (s->filter[0] != '\0' ? &scr_servers_marked_kept_keys :
		    &scr_servers_marked_keys);
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
	const struct scr_servers_row *row = wvlist_selected(s->list);
	const struct store_window_row *r = row != NULL ? &row->r : NULL;
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
	const struct scr_servers_row	*r;
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
	case KEYMAP_MARK:
		return (scr_servers_mark(s));
	case KEYMAP_MARK_ALL:
		return (scr_servers_mark_all(s));
	case KEYMAP_UNMARK_ALL:
		idset_clear(&s->marks);
		tui_status(t, TUI_INFO, "marks cleared");
		return (TUI_HANDLED);
	case KEYMAP_ROLLING:
		return (scr_servers_rolling(s));
	case KEYMAP_BULK_EDIT:
		return (scr_servers_bulk(s));
	case KEYMAP_QUIT:
		return (TUI_QUIT);
	case KEYMAP_FILTER:
		s->filtering = 1;
		return (TUI_HANDLED);
	case KEYMAP_FILTER_DONE:
		s->filtering = 0;
		return (TUI_HANDLED);
	case KEYMAP_FILTER_CLEAR:
		if (s->scanning == 1) {
			/* First Esc: stop the scan, keep what it found. */
			s->scanning = -1;
			tui_status(t, TUI_INFO, "scan stopped after %zu of %zu: "
			    "%zu found (Esc again clears the filter)",
			    s->scanned, s->scan_total, s->found.n);
			return (TUI_HANDLED);
		}
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
	if ((r = wvlist_selected(s->list)) != NULL)
		keep = strdup(r->r.server.identity);
	scr_servers_parse(s);
	if (keep != NULL && (r = wvlist_selected(s->list)) != NULL &&
	    !scr_servers_matches(s, &r->r)) {
		free(keep);
		keep = NULL;
	}
	scr_servers_reload(s, keep, 0);
	free(keep);
	return (TUI_HANDLED);
}

static void
scr_servers_draw(void *data, struct tui *t)
{
	struct scr_servers	*s = data;
	char			 right[200], head[256], all[32], shown[32];
	char			 marked[48], scanned[32];
	size_t			 n = wvlist_count(s->list);
	int			 w = getmaxx(s->win), rw, x;

	theme_clear_eol(s->win, 0, 0);
	theme_put(s->win, 0, 1, -1, THEME_TITLE, "Servers > Servers");
	str_count(all, sizeof all, s->all);
	str_count(shown, sizeof shown, n);
	/* Until counted (a moment after the first rows): say so. */
	if (!wvlist_counted(s->list))
		strncat(shown, "+", sizeof shown - strlen(shown) - 1);
	if (!s->all_known)
		snprintf(all, sizeof all, "(counting)");
	marked[0] = '\0';
	if (s->marks.n > 0) {
		str_count(marked, sizeof marked - 10, s->marks.n);
		strncat(marked, " marked  ", sizeof marked - strlen(marked) - 1);
	}
	if (s->state >= 0 && s->scanning != 0) {
		str_count(shown, sizeof shown, s->found.n);
		str_count(all, sizeof all, s->scanned);
		str_count(scanned, sizeof scanned, s->scan_total);
		snprintf(right, sizeof right, "%s%s%s %s of %s, %s found  "
		    "filter: %s%s", marked, s->scanning == 1 ? "scanning" :
		    "stopped at", s->scanning == 1 ? theme_sym(SYM_ELLIPSIS) :
		    "", all, scanned, shown, s->filter, s->filtering ? "_" : "");
	} else if (s->filtering && s->filter[0] == '\0')
		snprintf(right, sizeof right, "%sname, FQDN, or state:WORD "
		    "(F1)  filter: _", marked);
	else if (s->filtering || s->filter[0] != '\0')
		snprintf(right, sizeof right, "%s%s of %s server%s  filter: "
		    "%s%s", marked, shown, all, s->all_known && s->all == 1 ?
		    "" : "s", s->filter, s->filtering ? "_" : "");
	else
		snprintf(right, sizeof right, "%s%s server%s", marked,
		    s->all_known ? all : "counting", s->all_known &&
		    s->all == 1 ? "" : "s");
	rw = theme_width(right);
	theme_put(s->win, 0, w - rw - 1 > 20 ? w - rw - 1 : 20, -1,
	    s->filtering ? THEME_TITLE : THEME_NORMAL, right);

	head[0] = '\0';
	x = 0;
	scr_servers_cell(head, sizeof head, "  Name", SCR_SERVERS_NAME_W + 1,
	    1);
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
		else if (s->state >= 0)
			theme_printf(s->win, SCR_SERVERS_LIST_Y + 1, 2, -1,
			    THEME_NORMAL, "no server is %s%s (Esc %s)",
			    imap4_state_word(s->state), s->scanning == 1 ?
			    " so far" : "", s->scanning == 1 ? "stops the scan" :
			    "clears the filter");
		else
			theme_printf(s->win, SCR_SERVERS_LIST_Y + 1, 2, -1,
			    THEME_NORMAL, "no server name or FQDN contains "
			    "\"%s\" (Esc clears the filter)", s->name);
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

/* Space: mark or unmark the selected server, then go to the next one. */
static int
scr_servers_mark(struct scr_servers *s)
{
	const struct scr_servers_row	*r = wvlist_selected(s->list);
	char				*cause = NULL;

	if (r == NULL) {
		tui_status(s->tui, TUI_WARN, "no server selected: Space marks "
		    "the selected server");
		return (TUI_HANDLED | TUI_BEEP);
	}
	(void)idset_toggle(&s->marks, r->r.server.identity);
	if (wvlist_move(s->list, KEYMAP_DOWN, &cause) && cause != NULL) {
		tui_status(s->tui, TUI_ERROR, "cannot list servers: %s", cause);
		free(cause);
	}
	return (TUI_HANDLED);
}

/* *: every server the filter shows, in one query of identities. */
static int
scr_servers_mark_all(struct scr_servers *s)
{
	char	**ids, *cause = NULL, count[32];
	size_t	  n, before = s->marks.n;

	if (s->state >= 0) {
		/* The matches found: copied, as the merge takes them. */
		n = s->found.n;
		if ((ids = calloc(n > 0 ? n : 1, sizeof *ids)) == NULL)
			abort();
		for (size_t i = 0; i < n; i++) {
			if ((ids[i] = strdup(s->found.ids[i])) == NULL)
				abort();
		}
	} else if (store_window_ids(s->app->store, s->name, &ids, &n,
	    &cause) != 0) {
		tui_status(s->tui, TUI_ERROR, "cannot mark servers: %s",
		    cause != NULL ? cause : "unknown error");
		free(cause);
		return (TUI_HANDLED | TUI_BEEP);
	}
	idset_merge(&s->marks, ids, n);
	free(ids);
	str_count(count, sizeof count, s->marks.n - before);
	tui_status(s->tui, TUI_INFO, "%s server%s marked%s", count,
	    s->marks.n - before == 1 ? "" : "s", s->filter[0] != '\0' ?
	    " (those the filter shows)" : "");
	return (TUI_HANDLED);
}

/* Marks above this many are matched in one walk of the inventory rather
 * than read one by one (a walk of 100,000 servers costs ~3,000 reads). */
#define SCR_SERVERS_MARKS_WALK	2000

struct scr_servers_cas {
	struct scr_servers	*s;
	struct scr_marked	*m;
};

static int
scr_servers_is_cas(const struct store_server *srv)
{
	return (srv->roles != NULL &&
	    strcasestr(srv->roles, "ClientAccess") != NULL);
}

/* A server of the walk: kept if marked and a client access server. The
 * walk and the marks sort alike, so the identities stay in the set's order. */
static int
scr_servers_cas_one(void *arg, const struct store_server *srv)
{
	struct scr_servers_cas	*w = arg;
	size_t			 pos;
	int			 found;

	pos = idset_pos(&w->s->marks, srv->identity, &found);
	if (found && scr_servers_is_cas(srv))
		w->m->ids[w->m->n++] = w->s->marks.ids[pos];
	return (0);
}

/* The marked client access servers, for a screen that acts on them:
 * their identities (the set's, borrowed) and how many were left out
 * (other roles, or removed since they were marked). */
static int
scr_servers_marked_cas(struct scr_servers *s, const char *what,
    struct scr_marked *m)
{
	struct scr_servers_cas	 w = { s, m };
	struct store_server	 srv;
	char			*cause = NULL;
	size_t			 i;
	int			 rc = 0;

	memset(m, 0, sizeof *m);
	if (!perm_can_edit(s->app->role)) {
		tui_status(s->tui, TUI_ERROR, "%s (%s) may not %s",
		    s->app->user ? s->app->user : "you",
		    perm_role_name(s->app->role), what);
		return (-1);
	}
	if ((m->ids = calloc(s->marks.n, sizeof *m->ids)) == NULL)
		abort();
	if (s->marks.n > SCR_SERVERS_MARKS_WALK)
		rc = store_server_each(s->app->store, scr_servers_cas_one, &w,
		    &cause);
	for (i = 0; s->marks.n <= SCR_SERVERS_MARKS_WALK &&
	    i < s->marks.n && rc == 0; i++) {
		rc = store_server_get(s->app->store, s->marks.ids[i], &srv,
		    &cause);
		if (rc == 0) {
			scr_servers_cas_one(&w, &srv);
			store_server_free(&srv);
		} else if (rc == STORE_NOTFOUND) {
			free(cause);
			cause = NULL;
			rc = 0;
		}
	}
	if (rc != 0) {
		tui_status(s->tui, TUI_ERROR, "cannot read the marked servers: "
		    "%s", cause != NULL ? cause : "unknown error");
		free(cause);
		free(m->ids);
		return (-1);
	}
	m->others = s->marks.n - m->n;
	if (m->n == 0) {
		tui_status(s->tui, TUI_ERROR, "none of the %zu marked servers "
		    "is a client access server: nothing to %s", s->marks.n,
		    what);
		free(m->ids);
		return (-1);
	}
	return (0);
}

/* R with servers marked: the rolling restart screen for them. */
static int
scr_servers_rolling(struct scr_servers *s)
{
	struct scr_marked	 m;

	if (scr_servers_marked_cas(s, "restart the IMAP4 service", &m) != 0)
		return (TUI_HANDLED | TUI_BEEP);
	tui_push(s->tui, &scr_rolling, &m);
	free(m.ids);
	return (TUI_HANDLED);
}

/* Enter or e with servers marked: their time-outs, edited at once. */
static int
scr_servers_bulk(struct scr_servers *s)
{
	struct scr_marked	 m;

	if (scr_servers_marked_cas(s, "change IMAP4 settings", &m) != 0)
		return (TUI_HANDLED | TUI_BEEP);
	tui_push(s->tui, &scr_bulk_edit, &m);
	free(m.ids);
	return (TUI_HANDLED);
}

/*
 * The filter typed: "state:WORD" then, after a space, a name part; else
 * all of it is the name part. A new state word starts a new scan.
 */
static void
scr_servers_parse(struct scr_servers *s)
{
	const char	*f = s->filter, *sp;
	char		 word[32];
	size_t		 plen = strlen(SCR_SERVERS_STATE_PREFIX), len;
	char		*cause = NULL;
	int		 st = -1, i;

	idset_clear(&s->found);
	free(s->scan_after);
	s->scan_after = NULL;
	s->scanned = s->scan_total = 0;
	s->scanning = 0;
	if (strncasecmp(f, SCR_SERVERS_STATE_PREFIX, plen) != 0) {
		snprintf(s->name, sizeof s->name, "%s", f);
		s->state = -1;
		return;
	}
	f += plen;
	sp = strchr(f, ' ');
	len = sp != NULL ? (size_t)(sp - f) : strlen(f);
	snprintf(word, sizeof word, "%.*s", (int)len, f);
	snprintf(s->name, sizeof s->name, "%s", sp != NULL ?
	    sp + strspn(sp, " ") : "");
	if (word[0] != '\0' && (st = imap4_state_lookup(word)) < 0) {
		/* Only a word no state starts with is a mistake yet. */
		for (i = 0; i < IMAP4_STATE_COUNT; i++) {
			if (strncasecmp(imap4_state_word(i), word,
			    strlen(word)) == 0)
				break;
		}
		if (i == IMAP4_STATE_COUNT || sp != NULL)
			tui_status(s->tui, TUI_ERROR, "no state '%s': %s",
			    word, SCR_SERVERS_STATES);
	}
	s->state = st;
	if (st < 0)
		return;
	if (store_window_count(s->app->store, s->name, NULL, &s->scan_total,
	    NULL, &cause) != 0) {
		tui_status(s->tui, TUI_ERROR, "cannot count servers: %s",
		    cause ? cause : "unknown error");
		free(cause);
		return;
	}
	s->scanning = 1;
}

/* A slice of the state scan: windows after the last server scanned, each
 * row's state derived as on screen; matches join the found set. */
static int
scr_servers_scan(struct scr_servers *s, char **cause)
{
	struct store_window_row	*got;
	struct scr_servers_row	 row;
	double			 end = proc_now() + SCR_SERVERS_SCAN_S;
	size_t			 n, i, before = s->found.n;
	char			*keep;

	do {
		if (store_window(s->app->store, s->scan_after == NULL ?
		    STORE_WINDOW_FIRST : STORE_WINDOW_AFTER, s->scan_after,
		    s->name, SCR_SERVERS_SCAN_ROWS, &got, &n, cause) != 0)
			return (-1);
		for (i = 0; i < n; i++) {
			memset(&row, 0, sizeof row);
			row.r = got[i];
			scr_servers_derive(s->app, &row);
			if ((int)row.state == s->state)
				idset_append(&s->found, row.r.server.identity);
		}
		if (n > 0) {
			free(s->scan_after);
			if ((s->scan_after = strdup(
			    got[n - 1].server.identity)) == NULL)
				abort();
		}
		s->scanned += n;
		store_window_free(got, n);
		if (n < SCR_SERVERS_SCAN_ROWS) {
			s->scanning = 0;
			if (s->scanned > s->scan_total)
				s->scan_total = s->scanned;
			break;
		}
	} while (proc_now() < end);
	/* Re-read the screen's rows when there is something new to show,
	 * not at every slice. */
	if (s->scanning == 0 || (s->found.n != before &&
	    (s->found.n <= 64 || proc_now() - s->reloaded >=
	    SCR_SERVERS_RELOAD_S))) {
		keep = scr_servers_selected(s);
		if (wvlist_reload(s->list, keep, cause) != 0) {
			free(keep);
			return (-1);
		}
		free(keep);
		s->reloaded = proc_now();
	}
	return (0);
}

/* The list under a state filter: the found set by position, each row read
 * again (one keyset read) and its state derived now. */
static int
scr_servers_fetch_found(struct scr_servers *s, enum wvlist_from from,
    const char *key, size_t max, void **rows, size_t *n, char **cause)
{
	struct store_window_row	*got;
	struct scr_servers_row	*out;
	size_t			 lo = 0, hi = 0, k = 0, i, m, nf = s->found.n;
	int			 found = 0;

	if (key != NULL)
		k = idset_pos(&s->found, key, &found);
	switch (from) {
	case WVLIST_FIRST:
		hi = max < nf ? max : nf;
		break;
	case WVLIST_LAST:
		lo = nf > max ? nf - max : 0;
		hi = nf;
		break;
	case WVLIST_AFTER:
		lo = found ? k + 1 : k;
		hi = lo + max < nf ? lo + max : nf;
		break;
	case WVLIST_BEFORE:
		hi = k;
		lo = hi > max ? hi - max : 0;
		break;
	case WVLIST_AT:
		lo = k;
		hi = lo + max < nf ? lo + max : nf;
		break;
	}
	if (lo > hi)
		lo = hi;
	if ((out = calloc(hi - lo > 0 ? hi - lo : 1, sizeof *out)) == NULL)
		abort();
	for (i = lo, m = 0; i < hi; i++) {
		if (store_window(s->app->store, STORE_WINDOW_AT,
		    s->found.ids[i], NULL, 1, &got, n, cause) != 0) {
			while (m > 0)
				scr_servers_release(s, &out[--m]);
			free(out);
			return (-1);
		}
		/* Removed since it was scanned: left out. */
		if (*n == 1 && strcasecmp(got[0].server.identity,
		    s->found.ids[i]) == 0) {
			out[m].r = got[0];
			scr_servers_derive(s->app, &out[m++]);
			free(got);
		} else
			store_window_free(got, *n);
	}
	*rows = out;
	*n = m;
	return (0);
}
