/* Rolling restart screen: a form for parallelism and failure budget, then
 * core/rolling.c driven from the console's main loop (tui_pump waits on
 * the workers' report pipes and the terminal at once, so keys keep
 * working), a progress line and one row per server in the virtual list,
 * whose data source is the run's own items. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/proc.h"
#include "core/rolling.h"
#include "core/str.h"
#include "tui/scr_rolling.h"
#include "tui/theme.h"
#include "tui/widget_dialog.h"
#include "tui/widget_form.h"
#include "tui/widget_page.h"
#include "tui/widget_vlist.h"

#define SCR_ROLLING_FORM_Y	2
#define SCR_ROLLING_LIST_Y	5
#define SCR_ROLLING_NAME_W	14
#define SCR_ROLLING_BAR_W	20

enum scr_rolling_phase {
	ROLLING_SETUP,
	ROLLING_RUN,
	ROLLING_DONE
};

struct scr_rolling_row {
	size_t	 i;
	char	 key[24];
};

struct scr_rolling {
	struct tui		*tui;
	struct app		*app;
	WINDOW			*win;
	WINDOW			*sub;
	PANEL			*panel;
	char			**ids;
	size_t			 n;
	size_t			 others;
	enum scr_rolling_phase	 phase;
	struct wform		*form;
	struct wpage		*page;
	struct wvlist		*list;
	struct rolling		 run;
	int			 stops;		/* Esc pressed while running */
};

/* The form's two fields: typed and bounded as the settings are. */
static const struct setting_def scr_rolling_fields[] = {
	{ "Parallel", "Parallelism", "servers at once", 1, 256, 4, 0, NULL,
	    "How many servers restart at the same time.", NULL },
	{ "MaxFailures", "Failure budget", "failures", 0, 100000, 0, 0, NULL,
	    "Failures tolerated before no new server is started.", NULL }
};
#define SCR_ROLLING_NFIELDS \
	(sizeof scr_rolling_fields / sizeof scr_rolling_fields[0])

static void	*scr_rolling_init(struct tui *, void *);
static void	 scr_rolling_free(void *);
static void	 scr_rolling_resize(void *, struct tui *);
static const struct keymap *scr_rolling_keymap(void *);
static int	 scr_rolling_key(void *, struct tui *, enum keymap_action, int);
static int	 scr_rolling_tick(void *, struct tui *);
static void	 scr_rolling_draw(void *, struct tui *);
static int	 scr_rolling_cursor(void *, WINDOW **, int *, int *);
static PANEL	*scr_rolling_panel(void *);
static int	 scr_rolling_layout(struct scr_rolling *);
static int	 scr_rolling_start(struct scr_rolling *);
static int	 scr_rolling_stop(struct scr_rolling *);
static void	 scr_rolling_pump(void *, int, int);
static void	 scr_rolling_span(char *, size_t, double);
static int	 scr_rolling_show(struct scr_rolling *);
static void	 scr_rolling_progress(struct scr_rolling *, int);

static int	 scr_rolling_fetch(void *, enum wvlist_from, const char *,
		     size_t, void **, size_t *, char **);
static int	 scr_rolling_count(void *, const char *, size_t *, size_t *,
		     char **);
static const char *scr_rolling_key_of(void *, const void *);
static void	 scr_rolling_row(void *, WINDOW *, int, int, int,
		     const void *, int);
static void	 scr_rolling_release(void *, void *);

static const struct wvlist_source scr_rolling_source = {
	.size = sizeof (struct scr_rolling_row),
	.fetch = scr_rolling_fetch,
	.count = scr_rolling_count,
	.key = scr_rolling_key_of,
	.draw = scr_rolling_row,
	.release = scr_rolling_release
};

static const struct keymap_binding scr_rolling_setup_bindings[] = {
	KEYMAP_KEYS_ENTER(KEYMAP_START),
	{ '\t', KEYMAP_FIELD_NEXT, 1 },
	{ KEY_DOWN, KEYMAP_FIELD_NEXT, 0 },
	{ KEY_UP, KEYMAP_FIELD_NEXT, 0 },
	KEYMAP_KEYS_BACKSPACE(KEYMAP_FIELD_BACKSPACE),
	{ KEY_LEFT, KEYMAP_FIELD_LEFT, 0 },
	{ KEY_RIGHT, KEYMAP_FIELD_RIGHT, 0 },
	{ KEYMAP_ESC, KEYMAP_CLOSE, 1 }
};
static const struct keymap_binding scr_rolling_run_bindings[] = {
	{ KEYMAP_ESC, KEYMAP_STOP, 1 },
	KEYMAP_KEYS_ENTER(KEYMAP_SELECT),
	KEYMAP_KEYS_MOVE,
	KEYMAP_KEYS_VI_MOVE
};
static const struct keymap_binding scr_rolling_done_bindings[] = {
	{ KEYMAP_ESC, KEYMAP_CLOSE, 1 },
	KEYMAP_KEYS_ENTER(KEYMAP_SELECT),
	{ 'q', KEYMAP_CLOSE, 0 },
	KEYMAP_KEYS_MOVE,
	KEYMAP_KEYS_VI_MOVE
};
static const struct keymap scr_rolling_setup_keys = KEYMAP_TABLE_NOTE(
    "Rolling restart: before it starts", scr_rolling_setup_bindings, 1,
    "digits go in the field");
static const struct keymap scr_rolling_run_keys = KEYMAP_TABLE(
    "Rolling restart: running", scr_rolling_run_bindings, 0);
static const struct keymap scr_rolling_done_keys = KEYMAP_TABLE(
    "Rolling restart: done", scr_rolling_done_bindings, 0);
static const struct keymap *const scr_rolling_keymaps[] = {
	&scr_rolling_setup_keys, &scr_rolling_run_keys,
	&scr_rolling_done_keys, NULL
};

const struct screen scr_rolling = {
	.name = "Rolling restart",
	.keymaps = scr_rolling_keymaps,
	.init = scr_rolling_init,
	.free = scr_rolling_free,
	.resize = scr_rolling_resize,
	.tick = scr_rolling_tick,
	.keymap = scr_rolling_keymap,
	.key = scr_rolling_key,
	.draw = scr_rolling_draw,
	.cursor = scr_rolling_cursor,
	.panel = scr_rolling_panel
};

static void *
scr_rolling_init(struct tui *t, void *arg)
{
	const struct scr_marked	*m = arg;
	struct scr_rolling	*s;
	char			 def[64], *why = NULL;
	size_t			 i;

	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->ids = calloc(m->n > 0 ? m->n : 1, sizeof *s->ids)) == NULL) {
		free(s);
		tui_status(t, TUI_ERROR, "out of memory");
		return (NULL);
	}
	s->tui = t;
	s->app = tui_app(t);
	s->others = m->others;
	for (i = 0; i < m->n; i++) {
		if ((s->ids[i] = strdup(m->ids[i])) == NULL)
			abort();
	}
	s->n = m->n;
	s->form = wform_new(scr_rolling_fields, SCR_ROLLING_NFIELDS, 1, &why);
	s->list = wvlist_new(&scr_rolling_source, s);
	s->win = tui_new_body(t, &s->panel);
	if (s->form == NULL || s->list == NULL || s->win == NULL ||
	    scr_rolling_layout(s) != 0) {
		tui_status(t, TUI_ERROR, "cannot create the rolling restart "
		    "screen (%s)", why != NULL ? why : "out of memory");
		free(why);
		scr_rolling_free(s);
		return (NULL);
	}
	for (i = 0; i < SCR_ROLLING_NFIELDS; i++) {
		snprintf(def, sizeof def, "default %ld",
		    scr_rolling_fields[i].def);
		wform_set_info(s->form, i, def, "");
	}
	(void)wform_focus(s->form, 0, def, sizeof def);
	wform_render(s->form, wpage_pad(s->page), 0, wpage_cols(s->page));
	if (s->others > 0) {
		char	n[32];

		str_count(n, sizeof n, s->others);
		tui_status(t, TUI_WARN, "%s marked server%s without the "
		    "ClientAccess role left out", n, s->others == 1 ? "" : "s");
	}
	return (s);
}

static void
scr_rolling_free(void *data)
{
	struct scr_rolling	*s = data;
	size_t			 i;

	if (s->phase == ROLLING_RUN) {
		/* Leaving mid-run (a signal): the workers stop their step
		 * and record it; each stays restart-pending. */
		rolling_kill(&s->run);
		tui_pump(s->tui, NULL, NULL);
	}
	if (s->phase != ROLLING_SETUP)
		rolling_free(&s->run);
	wform_free(s->form);
	wpage_free(s->page);
	wvlist_free(s->list);
	if (s->sub != NULL)
		delwin(s->sub);
	tui_free_body(s->win, s->panel);
	for (i = 0; i < s->n; i++)
		free(s->ids[i]);
	free(s->ids);
	free(s);
}

/* The form's page and the list's window for the body's size now. */
static int
scr_rolling_layout(struct scr_rolling *s)
{
	int	h, w;

	getmaxyx(s->win, h, w);
	wvlist_set_window(s->list, NULL);
	if (s->sub != NULL)
		delwin(s->sub);
	s->sub = derwin(s->win, h - SCR_ROLLING_LIST_Y, w, SCR_ROLLING_LIST_Y,
	    0);
	if (s->sub == NULL)
		return (-1);
	wvlist_set_window(s->list, s->sub);
	if (s->page == NULL) {
		s->page = wpage_new((int)SCR_ROLLING_NFIELDS *
		    WFORM_ROWS_PER_FIELD, 200);
		if (s->page == NULL)
			return (-1);
	}
	return (0);
}

static void
scr_rolling_resize(void *data, struct tui *t)
{
	struct scr_rolling	*s = data;
	char			*cause = NULL;

	tui_fit_body(t, s->win, s->panel);
	werase(s->win);
	if (scr_rolling_layout(s) != 0) {
		tui_status(t, TUI_ERROR, "cannot lay out the rolling restart "
		    "(out of memory)");
		return;
	}
	if (s->phase != ROLLING_SETUP && wvlist_reload(s->list, NULL,
	    &cause) != 0) {
		tui_status(t, TUI_ERROR, "%s", cause ? cause : "out of memory");
		free(cause);
	}
}

static const struct keymap *
scr_rolling_keymap(void *data)
{
	struct scr_rolling	*s = data;

	return (s->phase == ROLLING_SETUP ? &scr_rolling_setup_keys :
	    s->phase == ROLLING_RUN ? &scr_rolling_run_keys :
	    &scr_rolling_done_keys);
}

/* Wait on the workers' pipes and the terminal, then let the run move. */
static void
scr_rolling_pump(void *arg, int fd, int timeout_ms)
{
	struct scr_rolling	*s = arg;
	struct pollfd		*pfd;
	size_t			 i, np = 1;
	int			 reaping = 0;

	if ((pfd = calloc(s->run.n + 1, sizeof *pfd)) == NULL)
		abort();
	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	for (i = 0; i < s->run.n; i++) {
		if (s->run.items[i].state != ROLLING_RUNNING)
			continue;
		if (s->run.items[i].fd == -1)
			reaping = 1;
		else {
			pfd[np].fd = s->run.items[i].fd;
			pfd[np++].events = POLLIN;
		}
	}
	/* A worker past its report exits in a moment: look again soon. */
	(void)poll(pfd, np, reaping ? 5 : timeout_ms);
	free(pfd);
	if (rolling_poll(&s->run, 0) == 0) {
		s->phase = ROLLING_DONE;
		tui_pump(s->tui, NULL, NULL);
		tui_status(s->tui, s->run.failed > 0 || s->run.skipped > 0 ?
		    TUI_WARN : TUI_INFO, "rolling restart done: %zu ok, %zu "
		    "failed, %zu not started, of %zu servers", s->run.ok,
		    s->run.failed, s->run.skipped, s->run.n);
	}
}

static int
scr_rolling_tick(void *data, struct tui *t)
{
	struct scr_rolling	*s = data;

	/* The rows are the run's items: drawing again shows what moved. */
	return (s->phase == ROLLING_RUN ? TUI_HANDLED : 0);
}

static int
scr_rolling_start(struct scr_rolling *s)
{
	long	v[SCR_ROLLING_NFIELDS];
	char	msg[160], *cause = NULL;
	size_t	i;

	for (i = 0; i < SCR_ROLLING_NFIELDS; i++) {
		if (wform_value(s->form, i, &v[i]) != 1) {
			wform_problem(s->form, i, msg, sizeof msg);
			wform_insist(s->form, i);
			wform_update(s->form);
			tui_status(s->tui, TUI_ERROR, "%s", msg);
			return (TUI_HANDLED | TUI_BEEP);
		}
	}
	(void)wform_focus(s->form, -1, msg, sizeof msg);
	rolling_init(&s->run, s->app, s->ids, s->n, (int)v[0], (int)v[1],
	    SERVICE_RESTART);
	s->phase = ROLLING_RUN;
	if (rolling_poll(&s->run, 0) == 0)
		s->phase = ROLLING_DONE;
	else
		tui_pump(s->tui, scr_rolling_pump, s);
	if (wvlist_reload(s->list, NULL, &cause) != 0) {
		tui_status(s->tui, TUI_ERROR, "%s", cause ? cause :
		    "out of memory");
		free(cause);
	}
	tui_status(s->tui, TUI_INFO, "restarting %zu servers, at most %ld at "
	    "once, stopping after %ld failure%s", s->n, v[0], v[1] + 1,
	    v[1] == 0 ? "" : "s");
	return (TUI_HANDLED);
}

/* Esc while running: start no new server; again: stop the running ones. */
static int
scr_rolling_stop(struct scr_rolling *s)
{
	if (s->stops++ == 0) {
		rolling_cancel(&s->run);
		tui_status(s->tui, TUI_WARN, "stopping: no new server is "
		    "started; waiting for the %zu running (Esc again stops "
		    "them)", s->run.running);
	} else if (!s->run.killed) {
		rolling_kill(&s->run);
		tui_status(s->tui, TUI_WARN, "stopping the %zu running "
		    "restarts; they stay restart-pending", s->run.running);
	}
	return (TUI_HANDLED);
}

static int
scr_rolling_key(void *data, struct tui *t, enum keymap_action a, int key)
{
	struct scr_rolling	*s = data;
	char			*cause = NULL;

	if (s->phase != ROLLING_SETUP) {
		if (wvlist_move(s->list, a, &cause)) {
			free(cause);
			return (TUI_HANDLED);
		}
		if (a == KEYMAP_SELECT)
			return (scr_rolling_show(s));
		if (a == KEYMAP_STOP && s->phase == ROLLING_RUN)
			return (scr_rolling_stop(s));
		if (a == KEYMAP_CLOSE && s->phase == ROLLING_DONE)
			return (TUI_CLOSE);
		return (TUI_BEEP);
	}
	switch (a) {
	case KEYMAP_START:
		return (scr_rolling_start(s));
	case KEYMAP_CLOSE:
		return (TUI_CLOSE);
	default:
		return (wform_key(s->form, t, a, key));
	}
}

/* Enter: the selected server's outcome in full, wrapped. */
static int
scr_rolling_show(struct scr_rolling *s)
{
	const struct scr_rolling_row	*row = wvlist_selected(s->list);
	const struct rolling_item	*it;
	struct dialog			*d;

	if (row == NULL)
		return (TUI_BEEP);
	it = &s->run.items[row->i];
	if ((d = dialog_new(DIALOG_MESSAGE, it->identity)) == NULL)
		return (TUI_BEEP);
	dialog_add(d, it->state == ROLLING_FAILED ? THEME_ERROR : THEME_NORMAL,
	    "%s: %s", rolling_state_name(it->state), it->state ==
	    ROLLING_RUNNING ? it->step : it->message != NULL ? it->message :
	    "no message");
	if (it->state == ROLLING_OK || it->state == ROLLING_FAILED)
		dialog_add(d, THEME_DIM, "took %.1f s; get-auditlog -Identity "
		    "%s has its audit row", it->seconds, it->identity);
	(void)dialog_push(s->tui, d, NULL, NULL);
	return (TUI_HANDLED);
}

static void
scr_rolling_span(char *buf, size_t len, double seconds)
{
	long	sec = seconds < 0 ? 0 : seconds > 3e7 ? 30000000 :
		    (long)(seconds + 0.5);

	if (sec >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", sec / 3600,
		    sec / 60 % 60, sec % 60);
	else
		snprintf(buf, len, "%ld:%02ld", sec / 60, sec % 60);
}

/* The bar and the counts: done, failed, running, left, elapsed, ETA. */
static void
scr_rolling_progress(struct scr_rolling *s, int y)
{
	const struct rolling	*r = &s->run;
	char			 bar[SCR_ROLLING_BAR_W + 3], el[32], eta[32];
	size_t			 fin = r->ok + r->failed + r->skipped, i, fill;
	double			 left = rolling_eta(r);

	fill = r->n > 0 ? fin * SCR_ROLLING_BAR_W / r->n : SCR_ROLLING_BAR_W;
	bar[0] = '[';
	for (i = 0; i < SCR_ROLLING_BAR_W; i++)
		bar[i + 1] = i < fill ? '#' : '.';
	bar[SCR_ROLLING_BAR_W + 1] = ']';
	bar[SCR_ROLLING_BAR_W + 2] = '\0';
	scr_rolling_span(el, sizeof el, rolling_elapsed(r));
	if (left < 0 || s->phase == ROLLING_DONE)
		snprintf(eta, sizeof eta, s->phase == ROLLING_DONE ? "-" : "?");
	else
		scr_rolling_span(eta, sizeof eta, left);
	theme_clear_eol(s->win, y, 0);
	theme_printf(s->win, y, 1, -1, THEME_NORMAL, "%s done %zu, failed "
	    "%zu, running %zu, left %zu  elapsed %s  ETA %s", bar, r->ok,
	    r->failed, r->running, r->n - fin - r->running, el, eta);
	theme_clear_eol(s->win, y + 1, 0);
	if (s->phase == ROLLING_DONE)
		theme_printf(s->win, y + 1, 1, -1, r->failed > 0 ?
		    THEME_ERROR : THEME_OK, "done: %zu ok, %zu failed, %zu not "
		    "started%s; Esc: the list", r->ok, r->failed, r->skipped,
		    r->skipped == 0 ? "" : r->failed > (size_t)r->max_failures ?
		    " (failure budget spent: no new server was started)" :
		    " (cancelled: no new server was started)");
	else if (r->killed)
		theme_put(s->win, y + 1, 1, -1, THEME_WARNING, "stopping the "
		    "running restarts: they stay restart-pending");
	else if (r->cancelled)
		theme_put(s->win, y + 1, 1, -1, THEME_WARNING, r->failed >
		    (size_t)r->max_failures ? "failure budget spent: no new "
		    "server is started" : "cancelled: no new server is "
		    "started (Esc again stops the running ones)");
}

/* "Rolling restart of 1,234 servers". */
static void
scr_rolling_title(struct scr_rolling *s)
{
	char	n[32];

	str_count(n, sizeof n, s->n);
	theme_printf(s->win, 0, 1, -1, THEME_TITLE, "Rolling restart of %s "
	    "server%s", n, s->n == 1 ? "" : "s");
}

static void
scr_rolling_draw(void *data, struct tui *t)
{
	struct scr_rolling	*s = data;
	int			 h, w;

	getmaxyx(s->win, h, w);
	theme_clear_eol(s->win, 0, 0);
	scr_rolling_title(s);
	if (s->phase == ROLLING_SETUP) {
		wform_update(s->form);
		wpage_copy(s->page, s->win, SCR_ROLLING_FORM_Y, 0,
		    (int)SCR_ROLLING_NFIELDS * WFORM_ROWS_PER_FIELD, w);
		theme_put(s->win, SCR_ROLLING_FORM_Y + 11, 4, -1, THEME_NORMAL,
		    "Enter starts the restarts; Esc goes back to the list.");
		theme_put(s->win, SCR_ROLLING_FORM_Y + 12, 4, -1, THEME_DIM,
		    "Each server's restart runs in its own process and is "
		    "audited on its own.");
		return;
	}
	werase(s->win);
	scr_rolling_title(s);
	scr_rolling_progress(s, 2);
	theme_put(s->win, SCR_ROLLING_LIST_Y - 1, 2, -1, THEME_DIM,
	    "Server        State");
	wvlist_draw(s->list);
	(void)h;
}

static int
scr_rolling_cursor(void *data, WINDOW **win, int *y, int *x)
{
	struct scr_rolling	*s = data;
	int			 py, px;

	if (s->phase != ROLLING_SETUP || !wform_cursor(s->form, &py, &px))
		return (0);
	*win = s->win;
	*y = SCR_ROLLING_FORM_Y + py;
	*x = px;
	return (1);
}

static PANEL *
scr_rolling_panel(void *data)
{
	return (((struct scr_rolling *)data)->panel);
}

/* The list's source: the run's items by position; keys are positions. */
static int
scr_rolling_fetch(void *arg, enum wvlist_from from, const char *key,
    size_t max, void **rows, size_t *n, char **cause)
{
	struct scr_rolling	*s = arg;
	struct scr_rolling_row	*out;
	size_t			 k = key != NULL ? strtoul(key, NULL, 10) : 0;
	size_t			 lo = 0, hi = 0, i;

	switch (from) {
	case WVLIST_FIRST:
		lo = 0;
		hi = max < s->n ? max : s->n;
		break;
	case WVLIST_LAST:
		lo = s->n > max ? s->n - max : 0;
		hi = s->n;
		break;
	case WVLIST_AFTER:
		lo = k + 1 < s->n ? k + 1 : s->n;
		hi = lo + max < s->n ? lo + max : s->n;
		break;
	case WVLIST_BEFORE:
		hi = k < s->n ? k : s->n;
		lo = hi > max ? hi - max : 0;
		break;
	case WVLIST_AT:
		lo = k < s->n ? k : s->n;
		hi = lo + max < s->n ? lo + max : s->n;
		break;
	}
	*n = hi - lo;
	if ((out = calloc(*n > 0 ? *n : 1, sizeof *out)) == NULL)
		abort();
	for (i = lo; i < hi; i++) {
		out[i - lo].i = i;
		snprintf(out[i - lo].key, sizeof out[i - lo].key, "%020zu", i);
	}
	*rows = out;
	return (0);
}

static int
scr_rolling_count(void *arg, const char *key, size_t *n, size_t *rank,
    char **cause)
{
	struct scr_rolling	*s = arg;

	*n = s->n;
	if (rank != NULL)
		*rank = key != NULL ? strtoul(key, NULL, 10) : 0;
	return (0);
}

static const char *
scr_rolling_key_of(void *arg, const void *row)
{
	return (((const struct scr_rolling_row *)row)->key);
}

static void
scr_rolling_release(void *arg, void *row)
{
}

/* One server: its name and its live state. */
static void
scr_rolling_row(void *arg, WINDOW *win, int y, int x, int width,
    const void *row, int selected)
{
	struct scr_rolling		*s = arg;
	const struct rolling_item	*it;
	char				 line[512], state[400];
	enum theme_attr			 a = THEME_NORMAL;

	if (s->phase == ROLLING_SETUP)
		return;
	it = &s->run.items[((const struct scr_rolling_row *)row)->i];
	switch (it->state) {
	case ROLLING_QUEUED:
		snprintf(state, sizeof state, "queued");
		break;
	case ROLLING_RUNNING:
		snprintf(state, sizeof state, "running: %s", it->step);
		break;
	case ROLLING_OK:
		snprintf(state, sizeof state, "ok (%.1f s)%s%s", it->seconds,
		    it->message != NULL ? ": " : "", it->message != NULL ?
		    it->message : "");
		a = THEME_OK;
		break;
	case ROLLING_FAILED:
		snprintf(state, sizeof state, "failed: %s", it->message != NULL ?
		    it->message : "unknown reason");
		a = THEME_ERROR;
		break;
	case ROLLING_SKIPPED:
		snprintf(state, sizeof state, "not started");
		a = THEME_DIM;
		break;
	}
	snprintf(line, sizeof line, " %-*.*s %s", SCR_ROLLING_NAME_W - 1,
	    SCR_ROLLING_NAME_W - 1, it->identity, state);
	theme_put(win, y, x, width, selected ? THEME_SELECTED : a, line);
}
