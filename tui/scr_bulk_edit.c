/* Bulk edit: the IMAP4 time-out form for all the marked servers at once.
 * Each field says "was: N" when the servers agree, "was: mixed" (and
 * starts empty: each keeps its own) when they differ; the same inline
 * range checks as on a server's page. Apply saves server by server, each
 * with its own version check and audit row; a conflict on one is reported
 * for that one, the others are saved. Loading and saving go in slices from
 * the idle hook, one after the other with keys read between them, so that
 * the console answers keys throughout and starts at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/proc.h"
#include "core/str.h"
#include "data/store_stream.h"
#include "tui/scr_bulk_edit.h"
#include "tui/theme.h"
#include "tui/widget_dialog.h"
#include "tui/widget_form.h"
#include "tui/widget_page.h"

#define SCR_BULK_FORM_Y		2
#define SCR_BULK_SLICE_S	0.15	/* work per idle call, at most */
#define SCR_BULK_SHOWN		12	/* refusals listed in the dialog */
/* More marked servers than this are read in one walk of the inventory
 * (one query) rather than one by one (a walk of 100,000 servers costs
 * about what 3,000 single reads do). */
#define SCR_BULK_WALK		2000

enum scr_bulk_phase {
	BULK_LOAD,
	BULK_EDIT,
	BULK_SAVE,
	BULK_DONE
};

struct scr_bulk_server {
	char	*identity;
	long	 server_id;
	long	 version;
	long	 configured[SETTING_COUNT];
	int	 loaded;
};

struct scr_bulk {
	struct tui		*tui;
	struct app		*app;
	WINDOW			*win;
	PANEL			*panel;
	struct scr_bulk_server	*srv;
	size_t			 n;
	size_t			 next;		/* loading or saving */
	enum scr_bulk_phase	 phase;
	struct wform		*form;
	struct wpage		*page;
	int			 given[SETTING_COUNT];
	long			 values[SETTING_COUNT];
	size_t			 saved, unchanged, refused;
	char			*refusals;	/* one line each */
};

static void	*scr_bulk_init(struct tui *, void *);
static void	 scr_bulk_free(void *);
static void	 scr_bulk_resize(void *, struct tui *);
static const struct keymap *scr_bulk_keymap(void *);
static int	 scr_bulk_key(void *, struct tui *, enum keymap_action, int);
static int	 scr_bulk_idle(void *, struct tui *);
static void	 scr_bulk_draw(void *, struct tui *);
static int	 scr_bulk_cursor(void *, WINDOW **, int *, int *);
static PANEL	*scr_bulk_panel(void *);
static void	 scr_bulk_loaded(struct scr_bulk *);
static int	 scr_bulk_apply(struct scr_bulk *);
static void	 scr_bulk_save_one(struct scr_bulk *, struct scr_bulk_server *);
static void	 scr_bulk_report(struct scr_bulk *);
static int	 scr_bulk_walk(struct scr_bulk *, char **);

static const struct keymap_binding scr_bulk_edit_bindings[] = {
	KEYMAP_KEYS_ENTER(KEYMAP_APPLY),
	{ '\t', KEYMAP_FIELD_NEXT, 1 },
	{ KEY_DOWN, KEYMAP_FIELD_NEXT, 0 },
	{ KEY_UP, KEYMAP_FIELD_NEXT, 0 },
	KEYMAP_KEYS_BACKSPACE(KEYMAP_FIELD_BACKSPACE),
	{ KEYMAP_CTRL('u'), KEYMAP_FIELD_CLEAR, 0 },
	{ KEY_LEFT, KEYMAP_FIELD_LEFT, 0 },
	{ KEY_RIGHT, KEYMAP_FIELD_RIGHT, 0 },
	{ KEYMAP_ESC, KEYMAP_CLOSE, 1 }
};
static const struct keymap_binding scr_bulk_busy_bindings[] = {
	{ KEYMAP_ESC, KEYMAP_CLOSE, 1 }
};
static const struct keymap scr_bulk_edit_keys = KEYMAP_TABLE_NOTE(
    "Editing marked servers", scr_bulk_edit_bindings, 1,
    "digits go in the field; an empty field keeps each server's value");
static const struct keymap scr_bulk_busy_keys = KEYMAP_TABLE(
    "Editing marked servers: loading or saving", scr_bulk_busy_bindings, 0);
static const struct keymap *const scr_bulk_keymaps[] = {
	&scr_bulk_edit_keys, &scr_bulk_busy_keys, NULL
};

const struct screen scr_bulk_edit = {
	.name = "Edit marked servers",
	.keymaps = scr_bulk_keymaps,
	.init = scr_bulk_init,
	.free = scr_bulk_free,
	.resize = scr_bulk_resize,
	.idle = scr_bulk_idle,
	.keymap = scr_bulk_keymap,
	.key = scr_bulk_key,
	.draw = scr_bulk_draw,
	.cursor = scr_bulk_cursor,
	.panel = scr_bulk_panel
};

static void *
scr_bulk_init(struct tui *t, void *arg)
{
	const struct scr_marked	*m = arg;
	struct scr_bulk		*s;
	char			*why = NULL;
	size_t			 i;

	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->srv = calloc(m->n > 0 ? m->n : 1, sizeof *s->srv)) == NULL) {
		free(s);
		tui_status(t, TUI_ERROR, "out of memory");
		return (NULL);
	}
	s->tui = t;
	s->app = tui_app(t);
	for (i = 0; i < m->n; i++) {
		if ((s->srv[i].identity = strdup(m->ids[i])) == NULL)
			abort();
	}
	s->n = m->n;
	s->form = wform_new(settings_table, SETTING_COUNT, 1, &why);
	s->page = wpage_new(SETTING_COUNT * WFORM_ROWS_PER_FIELD, 200);
	s->win = tui_new_body(t, &s->panel);
	if (s->form == NULL || s->page == NULL || s->win == NULL) {
		tui_status(t, TUI_ERROR, "cannot create the bulk edit "
		    "screen (%s)", why != NULL ? why : "out of memory");
		free(why);
		scr_bulk_free(s);
		return (NULL);
	}
	if (m->others > 0) {
		char	n[32];

		str_count(n, sizeof n, m->others);
		tui_status(t, TUI_WARN, "%s marked server%s without the "
		    "ClientAccess role left out", n, m->others == 1 ? "" : "s");
	}
	return (s);
}

static void
scr_bulk_free(void *data)
{
	struct scr_bulk	*s = data;
	size_t		 i;

	for (i = 0; i < s->n; i++)
		free(s->srv[i].identity);
	free(s->srv);
	free(s->refusals);
	wform_free(s->form);
	wpage_free(s->page);
	tui_free_body(s->win, s->panel);
	free(s);
}

static void
scr_bulk_resize(void *data, struct tui *t)
{
	struct scr_bulk	*s = data;

	tui_fit_body(t, s->win, s->panel);
	werase(s->win);
}

static const struct keymap *
scr_bulk_keymap(void *data)
{
	struct scr_bulk	*s = data;

	return (s->phase == BULK_EDIT ? &scr_bulk_edit_keys :
	    &scr_bulk_busy_keys);
}

/* Every server read: "was: N" or "was: mixed" per field. */
static void
scr_bulk_loaded(struct scr_bulk *s)
{
	char	was[64], msg[160];
	size_t	i, k;
	int	mixed, has[SETTING_COUNT] = { 0 };

	for (k = 0; k < SETTING_COUNT; k++) {
		mixed = 0;
		for (i = 1; i < s->n && !mixed; i++)
			mixed = s->srv[i].configured[k] !=
			    s->srv[0].configured[k];
		if (mixed) {
			wform_set_blank(s->form, k);
			wform_set_info(s->form, k, "was: mixed",
			    "empty: each keeps its own");
		} else {
			snprintf(was, sizeof was, "was: %ld s",
			    s->srv[0].configured[k]);
			wform_set_info(s->form, k, was, "on all of them");
		}
	}
	/* The first server's values as the saved ones: a field the servers
	 * agree on restores to them; a mixed one to empty. */
	wform_set_saved(s->form, s->srv[0].configured, has,
	    s->srv[0].configured, 0);
	for (k = 0; k < SETTING_COUNT; k++)
		wform_restore(s->form, k);
	s->phase = BULK_EDIT;
	wform_render(s->form, wpage_pad(s->page), 0, wpage_cols(s->page));
	(void)wform_focus(s->form, 0, msg, sizeof msg);
	wform_render(s->form, wpage_pad(s->page), 0, wpage_cols(s->page));
}

static int
scr_bulk_cmp(const void *a, const void *b)
{
	return (strcasecmp(((const struct scr_bulk_server *)a)->identity,
	    ((const struct scr_bulk_server *)b)->identity));
}

/* A server of the walk: its row and values, if it is one of ours. */
static int
scr_bulk_found(void *arg, const struct store_server *srv,
    const struct store_imap4 *row)
{
	struct scr_bulk			*s = arg;
	struct scr_bulk_server		 key, *b;
	const struct setting_def	*def;
	size_t				 k;

	key.identity = (char *)srv->identity;
	if ((b = bsearch(&key, s->srv, s->n, sizeof *s->srv,
	    scr_bulk_cmp)) == NULL)
		return (0);
	b->server_id = row->server_id;
	b->version = row->version;
	for (k = 0; k < SETTING_COUNT; k++)
		b->configured[k] = settings_table[k].def;
	for (k = 0; k < row->n; k++) {
		if ((def = settings_find(row->values[k].name)) != NULL)
			b->configured[settings_id(def)] =
			    row->values[k].configured;
	}
	b->loaded = 1;
	return (0);
}

/*
 * Every marked server read in one walk (the marks are sorted as the set
 * sorts them, case folded); those not met were removed since they were
 * marked: said once, and left out.
 */
static int
scr_bulk_walk(struct scr_bulk *s, char **cause)
{
	const char	*names[SETTING_COUNT];
	size_t		 i, kept = 0, gone = 0;
	char		*first = NULL, more[48] = "";

	app_names(names);
	if (store_imap4_each(s->app->store, NULL, SETTING_COUNT, names,
	    scr_bulk_found, s, cause) != 0)
		return (-1);
	for (i = 0; i < s->n; i++) {
		if (s->srv[i].loaded) {
			s->srv[kept++] = s->srv[i];
			continue;
		}
		if (gone++ == 0)
			first = s->srv[i].identity;
		else
			free(s->srv[i].identity);
	}
	if (gone > 0) {
		if (gone > 1)
			snprintf(more, sizeof more, " and %zu more", gone - 1);
		tui_status(s->tui, TUI_WARN, "%s%s left out: removed since "
		    "marked", first, more);
		free(first);
	}
	s->n = s->next = kept;
	return (0);
}

/* A slice of loading or saving. */
static int
scr_bulk_idle(void *data, struct tui *t)
{
	struct scr_bulk		*s = data;
	struct imap4_view	 v;
	char			*cause = NULL;
	double			 end = proc_now() + SCR_BULK_SLICE_S;
	int			 rc;

	if (s->phase != BULK_LOAD && s->phase != BULK_SAVE)
		return (0);
	if (s->phase == BULK_LOAD && s->next == 0 && s->n > SCR_BULK_WALK &&
	    scr_bulk_walk(s, &cause) != 0) {
		tui_status(t, TUI_ERROR, "cannot read the marked servers: %s",
		    cause != NULL ? cause : "unknown error");
		free(cause);
		return (TUI_HANDLED | TUI_CLOSE);
	}
	while (s->next < s->n && proc_now() < end) {
		struct scr_bulk_server *b = &s->srv[s->next++];

		if (s->phase == BULK_SAVE) {
			scr_bulk_save_one(s, b);
			continue;
		}
		if ((rc = imap4_load(s->app, b->identity, &v, &cause)) != 0) {
			/* Gone since marked: said, and left out. */
			tui_status(t, TUI_WARN, "%s left out: %s",
			    b->identity, cause ? cause : "cannot read it");
			free(cause);
			cause = NULL;
			memmove(b, b + 1, (size_t)(&s->srv[s->n] - b - 1) *
			    sizeof *b);
			s->n--;
			s->next--;
			continue;
		}
		b->server_id = v.server_id;
		b->version = v.version;
		memcpy(b->configured, v.configured, sizeof b->configured);
		b->loaded = 1;
		imap4_view_free(&v);
	}
	if (s->next == s->n) {
		if (s->phase == BULK_LOAD) {
			if (s->n == 0) {
				tui_status(t, TUI_ERROR, "none of the marked "
				    "servers could be read");
				return (TUI_HANDLED | TUI_CLOSE);
			}
			scr_bulk_loaded(s);
		} else
			scr_bulk_report(s);
	}
	return (TUI_HANDLED);
}

static void
scr_bulk_save_one(struct scr_bulk *s, struct scr_bulk_server *b)
{
	long	 values[SETTING_COUNT];
	char	*cause = NULL;
	size_t	 k;
	int	 rc, same = 1;

	for (k = 0; k < SETTING_COUNT; k++) {
		values[k] = s->given[k] ? s->values[k] : b->configured[k];
		same = same && values[k] == b->configured[k];
	}
	if (same) {
		s->unchanged++;
		return;
	}
	rc = imap4_save(s->app, b->identity, b->server_id, b->version, values,
	    NULL, &cause);
	if (rc == 0)
		s->saved++;
	else {
		s->refused++;
		(void)str_append(&s->refusals, "\n", "%s: %s", b->identity,
		    cause != NULL ? cause : rc == STORE_NOTFOUND ?
		    "removed since it was read" : "not saved");
		tui_status(s->tui, TUI_ERROR, "%s not saved: %s", b->identity,
		    cause != NULL ? cause : "refused");
	}
	free(cause);
}

/* Apply: the values given (empty mixed fields keep each server's). */
static int
scr_bulk_apply(struct scr_bulk *s)
{
	char	msg[160];
	size_t	k, any = 0;
	int	rc;

	for (k = 0; k < SETTING_COUNT; k++) {
		if ((rc = wform_value(s->form, k, &s->values[k])) < 0) {
			wform_problem(s->form, k, msg, sizeof msg);
			wform_insist(s->form, k);
			wform_update(s->form);
			tui_status(s->tui, TUI_ERROR, "%s", msg);
			return (TUI_HANDLED | TUI_BEEP);
		}
		s->given[k] = rc == 1;
		any += s->given[k];
	}
	if (any == 0) {
		tui_status(s->tui, TUI_WARN, "every field is empty: nothing to "
		    "change (type a value, or Esc to go back)");
		return (TUI_HANDLED | TUI_BEEP);
	}
	(void)wform_focus(s->form, -1, msg, sizeof msg);
	s->phase = BULK_SAVE;
	s->next = 0;
	return (TUI_HANDLED);
}

static void
scr_bulk_report(struct scr_bulk *s)
{
	struct dialog	*d;
	const char	*p, *nl;
	size_t		 shown = 0;

	s->phase = BULK_DONE;
	tui_status(s->tui, s->refused > 0 ? TUI_WARN : TUI_INFO, "saved %zu "
	    "server%s, %zu unchanged, %zu refused; R on the list restarts "
	    "the marked servers", s->saved, s->saved == 1 ? "" : "s",
	    s->unchanged, s->refused);
	if (s->refused == 0) {
		tui_close(s->tui, s);
		return;
	}
	if ((d = dialog_new(DIALOG_MESSAGE, "Some servers were not saved")) ==
	    NULL)
		return;
	dialog_add(d, THEME_NORMAL, "Saved %zu, unchanged %zu, not saved %zu "
	    "(the others are saved):", s->saved, s->unchanged, s->refused);
	for (p = s->refusals; p != NULL && shown < SCR_BULK_SHOWN; shown++) {
		nl = strchr(p, '\n');
		dialog_add(d, THEME_ERROR, "%.*s", nl != NULL ? (int)(nl - p) :
		    (int)strlen(p), p);
		p = nl != NULL ? nl + 1 : NULL;
	}
	if (s->refused > shown)
		dialog_add(d, THEME_DIM, "and %zu more: m shows the messages",
		    s->refused - shown);
	tui_close(s->tui, s);
	(void)dialog_push(s->tui, d, NULL, NULL);
}

static int
scr_bulk_key(void *data, struct tui *t, enum keymap_action a, int key)
{
	struct scr_bulk	*s = data;

	if (a == KEYMAP_CLOSE) {
		if (s->phase == BULK_SAVE) {
			/* What is saved stays saved; the rest is not. */
			tui_status(t, TUI_WARN, "stopped: %zu saved, %zu not "
			    "reached", s->saved, s->n - s->next);
			scr_bulk_report(s);
			return (TUI_HANDLED);
		}
		tui_status(t, TUI_INFO, "nothing saved");
		return (TUI_CLOSE);
	}
	if (s->phase != BULK_EDIT)
		return (TUI_BEEP);
	switch (a) {
	case KEYMAP_APPLY:
		return (scr_bulk_apply(s));
	default:
		return (wform_key(s->form, t, a, key));
	}
}

static void
scr_bulk_draw(void *data, struct tui *t)
{
	struct scr_bulk	*s = data;
	char		 n[32];
	int		 w = getmaxx(s->win), y;

	werase(s->win);
	str_count(n, sizeof n, s->n);
	theme_printf(s->win, 0, 1, -1, THEME_TITLE, "Edit %s marked server%s: "
	    "Time-out settings", n, s->n == 1 ? "" : "s");
	if (s->phase == BULK_LOAD) {
		theme_printf(s->win, SCR_BULK_FORM_Y, 4, -1, THEME_DIM,
		    "reading %zu of %zu%s (Esc goes back)", s->next, s->n,
		    theme_sym(SYM_ELLIPSIS));
		return;
	}
	wform_update(s->form);
	wpage_copy(s->page, s->win, SCR_BULK_FORM_Y, 0,
	    SETTING_COUNT * WFORM_ROWS_PER_FIELD, w);
	y = SCR_BULK_FORM_Y + SETTING_COUNT * WFORM_ROWS_PER_FIELD + 1;
	if (s->phase == BULK_SAVE)
		theme_printf(s->win, y, 4, -1, THEME_NORMAL, "saving %zu of "
		    "%zu: saved %zu, unchanged %zu, refused %zu (Esc stops)",
		    s->next, s->n, s->saved, s->unchanged, s->refused);
	else
		theme_printf(s->win, y, 4, -1, THEME_NORMAL, "Enter saves on "
		    "all %zu, each audited; Esc goes back, nothing saved.",
		    s->n);
}

static int
scr_bulk_cursor(void *data, WINDOW **win, int *y, int *x)
{
	struct scr_bulk	*s = data;
	int		 py, px;

	if (s->phase != BULK_EDIT || !wform_cursor(s->form, &py, &px))
		return (0);
	*win = s->win;
	*y = SCR_BULK_FORM_Y + py;
	*x = px;
	return (1);
}

static PANEL *
scr_bulk_panel(void *data)
{
	return (((struct scr_bulk *)data)->panel);
}
