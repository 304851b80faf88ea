/* Server properties, IMAP4 section: "Test connection" (each listener's
 * greeting, TLS and login, shown in a dialog) and "Measure time-outs" (idle
 * sessions held in the background with a live countdown; Esc cancels).
 * The sockets are driven from the console's main loop through tui_pump:
 * nothing here waits except on them and the terminal together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/imap_test.h"
#include "core/proc.h"
#include "core/str.h"
#include "tui/scr_server_internal.h"
#include "tui/widget_dialog.h"

static void	 scr_server_probe_pump(void *, int, int);
static void	 scr_server_probe_stop(struct scr_server *);
static void	 scr_server_probe_done(struct scr_server *);
static int	 scr_server_probe_row(struct scr_server *, WINDOW *, int,
		     size_t);
static void	 scr_server_probe_summary(const struct imap_test *, size_t,
		     char *, size_t);

/* Lines the block takes: heading, state line, each listener with its
 * measurements, a blank; the same running and done, so the countdown
 * redraws in place. */
static int
scr_server_probe_lines(const struct imap_test *t)
{
	return (3 + (int)t->nrows * (1 + (t->measure ? SETTING_COUNT : 0)));
}

/* Wait on the sessions and the terminal until a key comes or time is up. */
static void
scr_server_probe_pump(void *arg, int fd, int timeout_ms)
{
	struct scr_server	*s = arg;
	double			 end = proc_now() + timeout_ms / 1000.0, left;
	int			 ready = 0;

	do {
		left = (end - proc_now()) * 1000;
		imap_test_wait(s->probe, left > 0 ? (int)left : 0, fd, &ready);
	} while (!ready && proc_now() < end);
}

int
scr_server_probe_start(struct scr_server *s, int measure)
{
	struct imap_test	*t;
	char			*cause = NULL;

	if (s->section != SECTION_IMAP4) {
		tui_status(s->tui, TUI_INFO, "%s is on the IMAP4 section: 2 "
		    "shows it", measure ? "Measure time-outs" :
		    "Test connection");
		return (TUI_HANDLED);
	}
	if (!s->is_cas) {
		tui_status(s->tui, TUI_ERROR, "%s is not a client access "
		    "server: it has no IMAP4 listeners to test", s->identity);
		return (TUI_BEEP | TUI_HANDLED);
	}
	if (s->probe != NULL && s->probe_running) {
		tui_status(s->tui, TUI_ERROR, "%s is still running: Esc "
		    "cancels it", s->probe->measure ? "the time-out "
		    "measurement" : "the connection test");
		return (TUI_BEEP | TUI_HANDLED);
	}
	if (imap_test_new(s->profile, &s->view.server, measure,
	    s->view.configured, &t, &cause) != 0) {
		tui_status(s->tui, TUI_ERROR, "cannot test %s: %s",
		    s->identity, cause != NULL ? cause : "out of memory");
		free(cause);
		return (TUI_BEEP | TUI_HANDLED);
	}
	scr_server_probe_free(s);
	s->probe = t;
	s->probe_running = 1;
	tui_pump(s->tui, scr_server_probe_pump, s);
	if (measure)
		tui_status(s->tui, TUI_INFO, "measuring the time-outs of %s in "
		    "the background; Esc cancels", s->identity);
	else
		tui_status(s->tui, TUI_INFO, "testing the IMAP4 listeners of "
		    "%s%s", s->identity, theme_sym(SYM_ELLIPSIS));
	/* The block appears: the page below it moves down. */
	scr_server_imap4_render(s);
	scr_server_imap4_show_focus(s);
	if (s->probe_row >= 0 && s->page[SECTION_IMAP4] != NULL &&
	    !ITEM_IS_FIELD(s->focus))
		wpage_show(s->page[SECTION_IMAP4], s->probe_row,
		    scr_server_probe_lines(t), scr_server_view_h(s));
	return (TUI_HANDLED);
}

/* Esc while a test runs: 1 if there was one to cancel. */
int
scr_server_probe_cancel(struct scr_server *s)
{
	if (s->probe == NULL || !s->probe_running)
		return (0);
	tui_status(s->tui, TUI_WARN, "%s on %s cancelled after %.0f s",
	    s->probe->measure ? "time-out measurement" : "connection test",
	    s->identity, proc_now() - s->probe->started_mono);
	scr_server_probe_free(s);
	scr_server_imap4_render(s);
	scr_server_imap4_show_focus(s);
	return (1);
}

static void
scr_server_probe_stop(struct scr_server *s)
{
	if (s->probe_running)
		tui_pump(s->tui, NULL, NULL);
	s->probe_running = 0;
}

void
scr_server_probe_free(struct scr_server *s)
{
	scr_server_probe_stop(s);
	imap_test_free(s->probe);
	s->probe = NULL;
	s->probe_row = -1;
}

/* Every tick: the countdown, and the outcome once every session ended. */
int
scr_server_probe_tick(struct scr_server *s)
{
	if (s->probe == NULL || !s->probe_running)
		return (0);
	if (imap_test_step(s->probe, 0) == 0) {
		scr_server_probe_stop(s);
		scr_server_probe_done(s);
	}
	if (s->probe_row >= 0 && s->page[SECTION_IMAP4] != NULL)
		scr_server_probe_draw(s, wpage_pad(s->page[SECTION_IMAP4]),
		    s->probe_row);
	return (TUI_HANDLED);
}

/* One line on a listener: "Success, greeting in 1 ms, login ok ...". */
static void
scr_server_probe_summary(const struct imap_test *t, size_t i, char *buf,
    size_t len)
{
	const struct imap_session *ls = imap_test_session(t, t->rows[i].login);
	const char		*why;
	int			 ok = imap_test_row_ok(t, i, &why);

	if (!ls->done)
		snprintf(buf, len, "testing%s", theme_sym(SYM_ELLIPSIS));
	else if (!ok)
		snprintf(buf, len, "Failure: %s", why != NULL ? why : "?");
	else if (t->user == NULL)
		snprintf(buf, len, "Success: greeting in %.0f ms; login %s",
		    ls->greeting_ms, t->no_login);
	else
		snprintf(buf, len, "Success: greeting in %.0f ms, login as %s "
		    "ok in %.0f ms%s", ls->greeting_ms, t->user, ls->login_ms,
		    ls->tls != NULL ? ", TLS verified" : "");
}

static int
scr_server_probe_row(struct scr_server *s, WINDOW *pad, int y, size_t i)
{
	const struct imap_test	*t = s->probe;
	const struct imap_session *ls;
	const char		*why;
	char			 line[512], key[64];
	size_t			 k;
	int			 m;

	ls = imap_test_session(t, t->rows[i].login);
	if (ls->done && imap_test_row_ok(t, i, &why))
		/* Short enough for 80 columns; the dialog says more. */
		snprintf(line, sizeof line, "ok: greeting %.0f ms, %s",
		    ls->greeting_ms, ls->login == 1 ? "login ok" :
		    "no login (no test account)");
	else
		scr_server_probe_summary(t, i, line, sizeof line);
	snprintf(key, sizeof key, "%s", imap_proto_tls_name(t->rows[i].l.tls));
	theme_clear_eol(pad, y, 0);
	y = scr_server_kv(pad, y, key, imap_test_row_ok(t, i, &why) ?
	    THEME_OK : imap_test_session(t, t->rows[i].login)->done ?
	    THEME_ERROR : THEME_DIM, "%s %s", t->rows[i].spec, line);
	for (k = 0; t->measure && k < SETTING_COUNT; k++) {
		m = imap_test_measured(t, i, (enum setting_id)k, line,
		    sizeof line);
		theme_clear_eol(pad, y, 0);
		theme_put(pad, y, 5, KV_COL - 6, THEME_NORMAL,
		    k == SETTING_AUTH_TIMEOUT ? "authenticated" :
		    "unauthenticated");
		theme_put(pad, y, KV_COL, getmaxx(pad) - KV_COL, m == 1 ?
		    THEME_OK : m == 0 ? THEME_ERROR : THEME_DIM, line);
		y++;
	}
	return (y);
}

/* The block on the IMAP4 page; returns the line after it. */
int
scr_server_probe_draw(struct scr_server *s, WINDOW *pad, int y)
{
	const struct imap_test	*t = s->probe;
	char			 when[32];
	size_t			 i;
	long			 most = 0;

	if (t == NULL) {
		s->probe_row = -1;
		return (y);
	}
	s->probe_row = y;
	theme_clear_eol(pad, y, 0);
	theme_put(pad, y++, 1, -1, THEME_TITLE, t->measure ?
	    "Measured time-outs" : "Connection test");
	theme_clear_eol(pad, y, 0);
	str_utc(when, sizeof when, t->started);
	for (i = 0; i < SETTING_COUNT; i++) {
		if (t->configured[i] > most)
			most = t->configured[i];
	}
	if (s->probe_running && t->measure)
		y = scr_server_kv(pad, y, "Measuring", THEME_PENDING,
		    "%.0f s of at most %ld s, started %s (Esc cancels)",
		    proc_now() - t->started_mono, most + IMAP_TEST_GRACE,
		    when);
	else if (s->probe_running)
		y = scr_server_kv(pad, y, "Testing", THEME_PENDING,
		    "started %s (Esc cancels)", when);
	else
		y = scr_server_kv(pad, y, "Tested", THEME_NORMAL,
		    "%s by this console", when);
	for (i = 0; i < t->nrows; i++)
		y = scr_server_probe_row(s, pad, y, i);
	theme_clear_eol(pad, y, 0);
	return (y + 1);
}

/* Every session ended: the outcome on the status line, and for "Test
 * connection" the dialog with each listener's result. */
static void
scr_server_probe_done(struct scr_server *s)
{
	const struct imap_test	*t = s->probe;
	const struct imap_session *ls;
	struct dialog		*d;
	const char		*why;
	char			 line[512];
	size_t			 i, k, bad = 0, off = 0;

	for (i = 0; i < t->nrows; i++) {
		bad += !imap_test_row_ok(t, i, &why);
		for (k = 0; t->measure && k < SETTING_COUNT; k++)
			off += imap_test_measured(t, i, (enum setting_id)k,
			    line, sizeof line) == 0;
	}
	if (t->measure) {
		tui_status(s->tui, bad || off ? TUI_WARN : TUI_INFO,
		    "%s: %zu of %zu listeners answered, %zu time-outs off "
		    "their configured value", s->identity, t->nrows - bad,
		    t->nrows, off);
		return;
	}
	tui_status(s->tui, bad ? TUI_ERROR : TUI_INFO, "connection test of %s: "
	    "%zu of %zu listeners ok", s->identity, t->nrows - bad, t->nrows);
	d = dialog_new(DIALOG_MESSAGE, "Test connection");
	if (d == NULL)
		return;
	dialog_add(d, THEME_NORMAL, "%s, %zu listener%s, tested %s:",
	    s->identity, t->nrows, t->nrows == 1 ? "" : "s",
	    str_utc(line, sizeof line, t->started));
	for (i = 0; i < t->nrows; i++) {
		ls = imap_test_session(t, t->rows[i].login);
		dialog_add(d, THEME_TITLE, "%s (%s)", t->rows[i].spec,
		    imap_proto_tls_name(t->rows[i].l.tls));
		scr_server_probe_summary(t, i, line, sizeof line);
		dialog_add(d, imap_test_row_ok(t, i, &why) ? THEME_OK :
		    THEME_ERROR, "  %s", line);
		if (ls->greeting != NULL)
			dialog_add(d, THEME_NORMAL, "  greeting: %s",
			    ls->greeting);
		if (ls->tls != NULL)
			dialog_add(d, THEME_NORMAL, "  TLS: %s", ls->tls);
	}
	dialog_push(s->tui, d, NULL, NULL);
}
