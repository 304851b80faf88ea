/* The whole audit log of one server, newest first, one entry a line, in the
 * virtual list: windows of the log read by row id, whatever its length.
 * Enter shows an entry in full. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "tui/scr_audit.h"
#include "tui/theme.h"
#include "tui/widget_dialog.h"
#include "tui/vlist_store.h"
#include "tui/widget_vlist.h"

#define SCR_AUDIT_LIST_Y	2

struct scr_audit {
	struct tui	*tui;
	struct app	*app;
	char		*identity;
	WINDOW		*win;
	WINDOW		*sub;
	PANEL		*panel;
	struct wvlist	*list;
	char		*error;
};

/* A row of the list: the entry and its key, the row id as text. */
struct scr_audit_row {
	struct store_audit	 a;
	char			 key[24];
};

static void	*scr_audit_init(struct tui *, void *);
static void	 scr_audit_free(void *);
static void	 scr_audit_resize(void *, struct tui *);
static int	 scr_audit_idle(void *, struct tui *);
static const struct keymap *scr_audit_keymap(void *);
static int	 scr_audit_key(void *, struct tui *, enum keymap_action, int);
static void	 scr_audit_draw(void *, struct tui *);
static PANEL	*scr_audit_panel(void *);
static void	 scr_audit_layout(struct scr_audit *, const char *);
static int	 scr_audit_show(struct scr_audit *);

static int	 scr_audit_fetch(void *, enum wvlist_from, const char *,
		     size_t, void **, size_t *, char **);
static int	 scr_audit_count(void *, const char *, size_t *, size_t *,
		     char **);
static const char *scr_audit_key_of(void *, const void *);
static void	 scr_audit_row(void *, WINDOW *, int, int, int, const void *,
		     int);
static void	 scr_audit_release(void *, void *);

static const struct wvlist_source scr_audit_source = {
	.size = sizeof (struct scr_audit_row),
	.fetch = scr_audit_fetch,
	.count = scr_audit_count,
	.key = scr_audit_key_of,
	.draw = scr_audit_row,
	.release = scr_audit_release
};

static const struct keymap_binding scr_audit_bindings[] = {
	KEYMAP_KEYS_ENTER(KEYMAP_DETAILS),
	{ KEYMAP_ESC, KEYMAP_CLOSE, 1 },
	KEYMAP_KEYS_MOVE,
	KEYMAP_KEYS_VI_MOVE,
	{ 'g', KEYMAP_FIRST, KEYMAP_BAR_NOKEY },
	{ 'G', KEYMAP_LAST, KEYMAP_BAR_NOKEY },
	{ 'q', KEYMAP_CLOSE, 0 }
};
static const struct keymap scr_audit_keys =
    KEYMAP_TABLE("Audit log", scr_audit_bindings, 0);
static const struct keymap *const scr_audit_keymaps[] = {
	&scr_audit_keys, NULL
};

const struct screen scr_audit = {
	.name = "Audit log",
	.keymaps = scr_audit_keymaps,
	.init = scr_audit_init,
	.free = scr_audit_free,
	.resize = scr_audit_resize,
	.idle = scr_audit_idle,
	.keymap = scr_audit_keymap,
	.key = scr_audit_key,
	.draw = scr_audit_draw,
	.panel = scr_audit_panel
};

static void *
scr_audit_init(struct tui *t, void *arg)
{
	struct scr_audit	*s;

	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->identity = strdup(arg)) == NULL) {
		free(s);
		tui_status(t, TUI_ERROR, "out of memory");
		return (NULL);
	}
	s->tui = t;
	s->app = tui_app(t);
	if ((s->list = wvlist_new(&scr_audit_source, s)) == NULL ||
	    (s->win = tui_new_body(t, &s->panel)) == NULL) {
		tui_status(t, TUI_ERROR, "cannot create the audit list");
		scr_audit_free(s);
		return (NULL);
	}
	scr_audit_layout(s, NULL);
	return (s);
}

static void
scr_audit_free(void *data)
{
	struct scr_audit	*s = data;

	wvlist_free(s->list);
	if (s->sub != NULL)
		delwin(s->sub);
	if (s->win != NULL)
		tui_free_body(s->win, s->panel);
	free(s->error);
	free(s->identity);
	free(s);
}

/* The list's window below the two header lines, and its rows read again
 * around keep (NULL: the newest). */
static void
scr_audit_layout(struct scr_audit *s, const char *keep)
{
	char	*cause = NULL;
	int	 h, w;

	wvlist_set_window(s->list, NULL);
	if (s->sub != NULL)
		delwin(s->sub);
	getmaxyx(s->win, h, w);
	if ((s->sub = derwin(s->win, h - SCR_AUDIT_LIST_Y, w,
	    SCR_AUDIT_LIST_Y, 0)) == NULL) {
		tui_status(s->tui, TUI_ERROR, "cannot lay out the audit list "
		    "(out of memory)");
		return;
	}
	wvlist_set_window(s->list, s->sub);
	free(s->error);
	s->error = NULL;
	if (wvlist_reload(s->list, keep, &cause) != 0)
		s->error = cause;
}

static void
scr_audit_resize(void *data, struct tui *t)
{
	struct scr_audit		*s = data;
	const struct scr_audit_row	*r = wvlist_selected(s->list);
	char				*keep = r != NULL ? strdup(r->key) : NULL;

	tui_fit_body(t, s->win, s->panel);
	werase(s->win);
	scr_audit_layout(s, keep);
	free(keep);
}

static int
scr_audit_idle(void *data, struct tui *t)
{
	struct scr_audit	*s = data;
	char			*cause = NULL;
	int			 changed = 0;

	(void)t;
	if (s->error != NULL)
		return (0);
	if (!wvlist_counted(s->list)) {
		changed = 1;
		if (wvlist_count_now(s->list, &cause) != 0)
			s->error = cause;
	}
	if (s->error == NULL && wvlist_prefetch(s->list, &cause) != 0)
		s->error = cause;
	return (changed || s->error != NULL ? TUI_HANDLED : 0);
}

static const struct keymap *
scr_audit_keymap(void *data)
{
	(void)data;
	return (&scr_audit_keys);
}

static PANEL *
scr_audit_panel(void *data)
{
	return (((struct scr_audit *)data)->panel);
}

/* The whole entry: every field, the long ones wrapped. */
static int
scr_audit_show(struct scr_audit *s)
{
	const struct scr_audit_row	*r = wvlist_selected(s->list);
	struct dialog			*d;

	if (r == NULL)
		return (TUI_BEEP);
	d = dialog_new(DIALOG_MESSAGE, "Audit entry");
	dialog_add(d, THEME_TITLE, "%s  %s  %s", r->a.at ? r->a.at : "?",
	    r->a.user ? r->a.user : "?", r->a.action ? r->a.action : "");
	dialog_add(d, THEME_NORMAL, "Server: %s", r->a.server ? r->a.server :
	    "");
	if (r->a.what != NULL && *r->a.what != '\0')
		dialog_add(d, THEME_NORMAL, "What: %s", r->a.what);
	dialog_add(d, r->a.outcome != NULL && strncmp(r->a.outcome, "failed",
	    6) == 0 ? THEME_ERROR : THEME_NORMAL, "Outcome: %s",
	    r->a.outcome ? r->a.outcome : "");
	dialog_add(d, THEME_DIM, "Entry %ld of the audit log", r->a.id);
	dialog_push(s->tui, d, NULL, NULL);
	return (TUI_HANDLED);
}

static int
scr_audit_key(void *data, struct tui *t, enum keymap_action a, int key)
{
	struct scr_audit	*s = data;
	char			*cause = NULL;

	(void)key;
	if (wvlist_move(s->list, a, &cause)) {
		if (cause != NULL) {
			tui_status(t, TUI_ERROR, "cannot read the audit log: %s",
			    cause);
			free(cause);
		}
		return (TUI_HANDLED);
	}
	switch (a) {
	case KEYMAP_DETAILS:
		return (scr_audit_show(s));
	case KEYMAP_CLOSE:
		return (TUI_CLOSE);
	default:
		return (0);
	}
}

static void
scr_audit_draw(void *data, struct tui *t)
{
	struct scr_audit	*s = data;
	char			 right[64];
	size_t			 n = wvlist_count(s->list);
	int			 w = getmaxx(s->win), rw;

	(void)t;
	theme_clear_eol(s->win, 0, 0);
	theme_printf(s->win, 0, 1, w / 2, THEME_TITLE, "Audit log: %s",
	    s->identity);
	snprintf(right, sizeof right, "%s%zu entr%s, newest first",
	    wvlist_counted(s->list) ? "" : "at least ", n, n == 1 ? "y" :
	    "ies");
	rw = theme_width(right);
	theme_put(s->win, 0, w - rw - 1, -1, THEME_NORMAL, right);
	theme_clear_eol(s->win, 1, 0);
	theme_put(s->win, 1, 1, -1, THEME_DIM, " At                User"
	    "        Action               Outcome / what");
	wvlist_draw(s->list);
	if (s->error != NULL)
		theme_printf(s->win, SCR_AUDIT_LIST_Y + 1, 2, -1, THEME_ERROR,
		    "cannot read the audit log: %s", s->error);
	else if (n == 0)
		theme_put(s->win, SCR_AUDIT_LIST_Y + 1, 2, -1, THEME_NORMAL,
		    "nothing recorded yet");
}

/* The data source. */

static int
scr_audit_fetch(void *arg, enum wvlist_from from, const char *key,
    size_t max, void **rows, size_t *n, char **cause)
{
	struct scr_audit	*s = arg;
	struct store_audit	*got;
	struct scr_audit_row	*r;
	size_t			 i;

	if (store_audit_window(s->app->store, s->identity,
	    vlist_store_from(from), key != NULL ? atol(key) : 0, max, &got, n,
	    cause) != 0)
		return (-1);
	if ((r = calloc(*n > 0 ? *n : 1, sizeof *r)) == NULL)
		abort();
	for (i = 0; i < *n; i++) {
		r[i].a = got[i];
		snprintf(r[i].key, sizeof r[i].key, "%ld", got[i].id);
	}
	free(got);	/* the strings moved to the rows */
	*rows = r;
	return (0);
}

static int
scr_audit_count(void *arg, const char *key, size_t *n, size_t *rank,
    char **cause)
{
	struct scr_audit	*s = arg;

	return (store_audit_window_count(s->app->store, s->identity,
	    key != NULL ? atol(key) : 0, n, key != NULL ? rank : NULL, cause));
}

static const char *
scr_audit_key_of(void *arg, const void *row)
{
	(void)arg;
	return (((const struct scr_audit_row *)row)->key);
}

static void
scr_audit_release(void *arg, void *row)
{
	struct scr_audit_row	*r = row;

	(void)arg;
	free(r->a.at);
	free(r->a.user);
	free(r->a.server);
	free(r->a.action);
	free(r->a.what);
	free(r->a.outcome);
}

/* "2026-12-01 20:31  alice       set-imapsettings     saved: A 1 -> 2" */
static void
scr_audit_row(void *arg, WINDOW *win, int y, int x, int width,
    const void *row, int selected)
{
	const struct scr_audit_row	*r = row;
	enum theme_attr			 attr;
	char				 at[17], line[512];
	const char			*outcome = r->a.outcome ? r->a.outcome :
					    "";

	(void)arg;
	snprintf(at, sizeof at, "%s", r->a.at ? r->a.at : "?");
	if (at[10] == 'T')
		at[10] = ' ';
	snprintf(line, sizeof line, " %-16s  %-10.10s  %-19.19s  %s%s%s", at,
	    r->a.user ? r->a.user : "?", r->a.action ? r->a.action : "",
	    outcome, r->a.what != NULL && *r->a.what != '\0' ? ": " : "",
	    r->a.what != NULL ? r->a.what : "");
	attr = selected ? THEME_SELECTED : strncmp(outcome, "failed", 6) == 0 ?
	    THEME_ERROR : THEME_NORMAL;
	theme_put_fit(win, y, x, width, attr, line);
}
