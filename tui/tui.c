/* Terminal set-up and teardown, signals, the screen stack, the main loop,
 * the one repaint function and the one place the terminal size changes. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <time.h>
#include <unistd.h>

#include "core/app.h"
#include "core/proc.h"
#include "tui/scr_help.h"
#include "tui/scr_messages.h"
#include "tui/scr_servers.h"
#include "tui/theme.h"
#include "tui/tui.h"

#define TUI_TICK_MS	250

struct tui_frame {
	const struct screen	*screen;
	void			*data;
	int			 shown;
	int			 closing;
	int			 resume;
};

struct tui {
	struct app		*app;
	SCREEN			*term;
	WINDOW			*input;		/* 1x1 pad: getch never refreshes */
	WINDOW			*header;
	WINDOW			*status;
	WINDOW			*keybar;
	WINDOW			*small;		/* "terminal too small" */
	PANEL			*p_header;
	PANEL			*p_status;
	PANEL			*p_keybar;
	PANEL			*p_small;
	int			 rows;
	int			 cols;
	int			 too_small;
	struct tui_frame	*stack;
	size_t			 depth;
	size_t			 alloc;
	char			 status_text[512];
	enum tui_level		 status_level;
	struct tui_msg		 log[TUI_LOG_MAX];	/* a ring */
	size_t			 log_next;
	size_t			 log_n;
	int			 dirty;
	int			 quit;
	int			 started;
	tui_pump_fn		 pump;		/* background sockets, or NULL */
	void			*pump_arg;
};

static void	 tui_on_signal(int);
static void	 tui_signals(int);
static int	 tui_setup(struct tui *);
static void	 tui_teardown(struct tui *);
static void	 tui_layout(struct tui *);
static void	 tui_repaint(struct tui *);
static void	 tui_draw_header(struct tui *);
static void	 tui_draw_status(struct tui *);
static void	 tui_draw_keybar(struct tui *);
static void	 tui_draw_small(struct tui *);
static const char *tui_fitting(int, const char *const *, size_t);
static void	 tui_show(PANEL *, int);
static void	 tui_key(struct tui *, int);
static int	 tui_escape(struct tui *);
static int	 tui_gone(const struct timespec *, int *);
static int	 tui_hungup(void);
static void	 tui_flags(struct tui *, void *, int);
static void	 tui_reap(struct tui *);
static void	 tui_remove(struct tui *, size_t);
static void	 tui_log_add(struct tui *);
static void	 tui_config_warnings(struct tui *);

static volatile sig_atomic_t	 tui_sig;
static volatile sig_atomic_t	 tui_may_stop;
static volatile sig_atomic_t	 tui_may_finish;	/* signals seen + 1 */
/* Each ends the console as SIGTERM does: curses ended, the terminal as it
 * was, exit 128 + the signal. (SIGTSTP is ncurses' own: it ends curses,
 * stops, and repaints on SIGCONT.) */
static const int		 tui_sigs[] = { SIGTERM, SIGHUP, SIGINT,
				     SIGQUIT };
#define TUI_NSIGS	(sizeof tui_sigs / sizeof tui_sigs[0])
static struct sigaction		 tui_old_act[TUI_NSIGS];

static void
tui_on_signal(int sig)
{
	tui_sig = sig;
	if (tui_may_stop)
		proc_interrupt(1);
	/* A restart: the first lets its step finish, the second kills it. */
	if (tui_may_finish == 1) {
		tui_may_finish = 2;
		proc_finish(1);
	} else if (tui_may_finish > 1)
		proc_interrupt(1);
}

/* Ours replace ncurses' own handlers (it installs none when one is set), so
 * the loop can end curses itself; no SA_RESTART, so getch returns at once. */
static void
tui_signals(int install)
{
	struct sigaction	sa;
	size_t			i;

	for (i = 0; i < TUI_NSIGS; i++) {
		if (install) {
			memset(&sa, 0, sizeof sa);
			sa.sa_handler = tui_on_signal;
			sigemptyset(&sa.sa_mask);
			sigaction(tui_sigs[i], &sa, &tui_old_act[i]);
		} else
			sigaction(tui_sigs[i], &tui_old_act[i], NULL);
	}
}

/*
 * getch waits TUI_TICK_MS for a key; on a hung-up terminal it returns at
 * once, every time. Many such returns in a row mean nobody is there.
 */
static int
tui_gone(const struct timespec *before, int *fast)
{
	struct timespec	now;
	long		ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - before->tv_sec) * 1000 +
	    (now.tv_nsec - before->tv_nsec) / 1000000;
	if (ms >= TUI_TICK_MS / 2) {
		*fast = 0;
		return (0);
	}
	return (++*fast > 100);
}

/* The terminal hung up (or its descriptor is gone). */
static int
tui_hungup(void)
{
	struct pollfd	pfd = { STDIN_FILENO, POLLIN, 0 };

	return (poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0);
}

/* The config's warnings (a profile without check, roles ignored, ...):
 * printed on stderr they would vanish under the console; here they go to
 * the status line and the message log. */
static void
tui_config_warnings(struct tui *t)
{
	const char	*w = t->app->cfg->warnings, *nl;

	while (w != NULL && *w != '\0') {
		nl = strchr(w, '\n');
		tui_status(t, TUI_WARN, "%.*s", nl != NULL ? (int)(nl - w) :
		    (int)strlen(w), w);
		w = nl != NULL ? nl + 1 : NULL;
	}
}

void
tui_pump(struct tui *t, tui_pump_fn fn, void *arg)
{
	t->pump = fn;
	t->pump_arg = fn != NULL ? arg : NULL;
}

int
tui_signalled(void)
{
	return (tui_sig != 0);
}

void
tui_interruptible(int on)
{
	tui_may_stop = on != 0;
	/* A signal that came just before is as good as one during. */
	if (on && tui_sig)
		proc_interrupt(1);
	if (!on)
		proc_interrupt(0);
}

void
tui_finishing(int on)
{
	tui_may_finish = on ? (tui_sig ? 2 : 1) : 0;
	if (on && tui_sig)
		proc_finish(1);
	if (!on) {
		proc_finish(0);
		proc_interrupt(0);
	}
}

struct app *
tui_app(struct tui *t)
{
	return (t->app);
}

int
tui_run(struct app *app)
{
	struct tui	 t;
	struct timespec	 before;
	int		 key, sig, fast = 0, failed, busy;

	if (!perm_can_view(app->role)) {
		fprintf(stderr, "imapadm: %s has no role that may view IMAP4 "
		    "settings (%s)\n", app->user ? app->user : "this user",
		    perm_role_name(app->role));
		return (1);
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "imapadm: the console needs a terminal; give a "
		    "verb to use the command line (imapadm --help)\n");
		return (1);
	}

	memset(&t, 0, sizeof t);
	t.app = app;
	tui_sig = 0;
	tui_signals(1);
	if (tui_setup(&t) != 0) {
		tui_signals(0);
		return (1);
	}

	while (!t.quit && !tui_sig) {
		/* Start only once the first screen has room to be built. */
		if (!t.started && !t.too_small) {
			t.started = 1;
			if (tui_push(&t, &scr_servers, NULL) != 0)
				break;
			tui_config_warnings(&t);
		}
		if (t.started && t.depth == 0)
			break;
		busy = 0;
		if (t.dirty) {
			tui_repaint(&t);
			t.dirty = 0;
			if (!t.too_small && t.depth > 0 &&
			    t.stack[t.depth - 1].screen->idle != NULL) {
				struct tui_frame *f = &t.stack[t.depth - 1];
				void *data = f->data;

				tui_flags(&t, data, f->screen->idle(data, &t));
				/* More idle work (a scan): a key typed
				 * meanwhile comes first, without waiting. */
				if (!t.dirty)
					continue;
				busy = 1;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &before);
		if (t.pump != NULL) {
			/* Background work waits on its sockets and the
			 * terminal at once; then the key, if any, at once. */
			t.pump(t.pump_arg, STDIN_FILENO, TUI_TICK_MS);
			wtimeout(t.input, 0);
		}
		if (busy)
			wtimeout(t.input, 0);
		key = wgetch(t.input);
		wtimeout(t.input, TUI_TICK_MS);
		if (key == ERR && busy)
			continue;
		/* Background work returns early when its own descriptors
		 * are ready: the terminal is gone only if it says so. */
		if (key == ERR && (t.pump != NULL ? tui_hungup() :
		    tui_gone(&before, &fast))) {
			/* The terminal went away without a SIGHUP. */
			tui_sig = SIGHUP;
			break;
		}
		if (key == ERR) {
			if (!t.too_small && t.depth > 0 &&
			    t.stack[t.depth - 1].screen->tick != NULL) {
				void *data = t.stack[t.depth - 1].data;

				tui_flags(&t, data,
				    t.stack[t.depth - 1].screen->tick(data, &t));
			}
			continue;
		}
		fast = 0;
		if (key == KEY_RESIZE) {
			tui_layout(&t);
			continue;
		}
		if (key == KEYMAP_ESC && tui_escape(&t))
			continue;
		tui_key(&t, key);
	}

	sig = tui_sig;
	failed = t.started && t.depth == 0 && !t.quit && sig == 0;
	tui_teardown(&t);
	tui_signals(0);
	if (failed) {
		/* The first screen could not be built: say why. */
		fprintf(stderr, "imapadm: %s\n", t.status_text[0] != '\0' ?
		    t.status_text : "the console could not start");
		return (1);
	}
	return (sig != 0 ? 128 + sig : 0);
}

static int
tui_setup(struct tui *t)
{
	const char	*term = getenv("TERM");

	if ((t->term = newterm(NULL, stdout, stdin)) == NULL) {
		fprintf(stderr, "imapadm: cannot drive terminal type %s\n",
		    term != NULL && *term != '\0' ? term : "(TERM not set)");
		return (-1);
	}
	set_term(t->term);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	/* An update goes out whole: no check for typed keys every few
	 * lines, which would flush each part on its own (see endwin below). */
	typeahead(-1);
	curs_set(0);
	leaveok(stdscr, TRUE);
	theme_init();

	t->input = newpad(1, 1);
	keypad(t->input, TRUE);
	wtimeout(t->input, TUI_TICK_MS);

	t->header = newwin(1, 1, 0, 0);
	t->status = newwin(1, 1, 0, 0);
	t->keybar = newwin(1, 1, 0, 0);
	t->small = newwin(1, 1, 0, 0);
	if (t->input == NULL || t->header == NULL || t->status == NULL ||
	    t->keybar == NULL || t->small == NULL) {
		tui_teardown(t);
		fprintf(stderr, "imapadm: cannot create curses windows\n");
		return (-1);
	}
	leaveok(t->header, TRUE);
	leaveok(t->status, TRUE);
	leaveok(t->keybar, TRUE);
	leaveok(t->small, TRUE);
	t->p_header = new_panel(t->header);
	t->p_status = new_panel(t->status);
	t->p_keybar = new_panel(t->keybar);
	t->p_small = new_panel(t->small);
	hide_panel(t->p_small);
	tui_layout(t);
	/*
	 * ncurses 6.4 flushes its output after every cursor move until the
	 * first endwin (while the screen is "initial"): a full redraw went
	 * out as a write per line, and over ssh a packet per line. Leaving
	 * curses mode once, before anything is drawn, ends that; the first
	 * refresh comes back (program mode, the alternate screen, the cursor
	 * hidden) and a refresh is then one write. endwin left keypad mode,
	 * and only keypad() asks for it again.
	 */
	endwin();
	keypad(t->input, TRUE);
	return (0);
}

static void
tui_teardown(struct tui *t)
{
	const char	*cap;
	size_t		 i;

	while (t->depth > 0)
		tui_remove(t, t->depth - 1);
	free(t->stack);
	t->stack = NULL;
	if (t->p_header != NULL)
		del_panel(t->p_header);
	if (t->p_status != NULL)
		del_panel(t->p_status);
	if (t->p_keybar != NULL)
		del_panel(t->p_keybar);
	if (t->p_small != NULL)
		del_panel(t->p_small);
	if (t->header != NULL)
		delwin(t->header);
	if (t->status != NULL)
		delwin(t->status);
	if (t->keybar != NULL)
		delwin(t->keybar);
	if (t->small != NULL)
		delwin(t->small);
	if (t->input != NULL)
		delwin(t->input);
	for (i = 0; i < TUI_LOG_MAX; i++)
		free(t->log[i].text);
	if (t->term != NULL) {
		/* No alternate screen to leave (vt100): leave a clear one
		 * rather than the console's last picture. */
		cap = tigetstr("exit_ca_mode");
		if (cap == NULL || cap == (char *)-1 || *cap == '\0') {
			clear();
			refresh();
		}
		curs_set(1);
		endwin();
		/* No delscreen: libpanelw keeps its stdscr panel only in the
		 * SCREEN and would leak it; the process ends soon anyway. */
		t->term = NULL;
	}
}

/* The terminal has a (new) size: fit every window, or say it is too small. */
static void
tui_layout(struct tui *t)
{
	size_t	i;
	int	small;

	getmaxyx(stdscr, t->rows, t->cols);
	small = t->rows < TUI_MIN_ROWS || t->cols < TUI_MIN_COLS;
	t->dirty = 1;

	if (small) {
		tui_fit(t->small, t->p_small, 0, 0, t->rows, t->cols);
		if (!t->too_small) {
			tui_show(t->p_header, 0);
			tui_show(t->p_status, 0);
			tui_show(t->p_keybar, 0);
			for (i = 0; i < t->depth; i++) {
				struct tui_frame *f = &t->stack[i];

				if (f->shown && f->screen->panel != NULL)
					tui_show(f->screen->panel(f->data), 0);
				f->shown = 0;
			}
		}
		tui_show(t->p_small, 1);
		t->too_small = 1;
		return;
	}

	tui_show(t->p_small, 0);
	tui_fit(t->header, t->p_header, 0, 0, 1, t->cols);
	tui_fit(t->status, t->p_status, t->rows - 2, 0, 1, t->cols);
	tui_fit(t->keybar, t->p_keybar, t->rows - 1, 0, 1, t->cols);
	tui_show(t->p_header, 1);
	tui_show(t->p_status, 1);
	tui_show(t->p_keybar, 1);
	t->too_small = 0;
	for (i = 0; i < t->depth; i++) {
		if (t->stack[i].screen->resize != NULL)
			t->stack[i].screen->resize(t->stack[i].data, t);
	}
}

static void
tui_show(PANEL *p, int on)
{
	if (p == NULL)
		return;
	if (on && panel_hidden(p))
		show_panel(p);
	else if (!on && !panel_hidden(p))
		hide_panel(p);
}

void
tui_fit(WINDOW *win, PANEL *p, int y, int x, int h, int w)
{
	if (h < 1)
		h = 1;
	if (w < 1)
		w = 1;
	/* Resize before moving: mvwin refuses a position the old size
	 * would not fit in. */
	wresize(win, h, w);
	if (p != NULL)
		move_panel(p, y, x);
	else
		mvwin(win, y, x);
}

void
tui_body_rect(struct tui *t, int *y, int *x, int *h, int *w)
{
	*y = 1;
	*x = 0;
	*h = t->rows - 3;
	*w = t->cols;
	if (*h < 1)
		*h = 1;
	if (*w < 1)
		*w = 1;
}

WINDOW *
tui_new_body(struct tui *t, PANEL **p)
{
	WINDOW	*win;
	int	 y, x, h, w;

	tui_body_rect(t, &y, &x, &h, &w);
	if ((win = newwin(h, w, y, x)) == NULL)
		return (NULL);
	leaveok(win, TRUE);
	if ((*p = new_panel(win)) == NULL) {
		delwin(win);
		return (NULL);
	}
	return (win);
}

void
tui_fit_body(struct tui *t, WINDOW *win, PANEL *p)
{
	int	y, x, h, w;

	tui_body_rect(t, &y, &x, &h, &w);
	tui_fit(win, p, y, x, h, w);
}

void
tui_free_body(WINDOW *win, PANEL *p)
{
	if (p != NULL)
		del_panel(p);
	if (win != NULL)
		delwin(win);
}

void
tui_status(struct tui *t, enum tui_level level, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(t->status_text, sizeof t->status_text, fmt, ap);
	va_end(ap);
	t->status_level = level;
	t->dirty = 1;
	tui_log_add(t);
}

/* Keep the status just set, unless it repeats the last one. */
static void
tui_log_add(struct tui *t)
{
	const struct tui_msg	*last = tui_log_get(t, 0);
	struct tui_msg		*m;
	char			*text;

	if (t->status_text[0] == '\0' || (last != NULL &&
	    last->level == t->status_level &&
	    strcmp(last->text, t->status_text) == 0))
		return;
	if ((text = strdup(t->status_text)) == NULL)
		return;
	m = &t->log[t->log_next];
	free(m->text);
	m->text = text;
	m->level = t->status_level;
	m->at = time(NULL);
	t->log_next = (t->log_next + 1) % TUI_LOG_MAX;
	if (t->log_n < TUI_LOG_MAX)
		t->log_n++;
}

size_t
tui_log_count(struct tui *t)
{
	return (t->log_n);
}

const struct tui_msg *
tui_log_get(struct tui *t, size_t i)
{
	if (i >= t->log_n)
		return (NULL);
	return (&t->log[(t->log_next + TUI_LOG_MAX - 1 - i) % TUI_LOG_MAX]);
}

void *
tui_top(struct tui *t)
{
	return (t->depth > 0 ? t->stack[t->depth - 1].data : NULL);
}

int
tui_push(struct tui *t, const struct screen *s, void *arg)
{
	struct tui_frame	*f;
	void			*data;
	size_t			 n;

	if (t->depth == t->alloc) {
		n = t->alloc ? t->alloc * 2 : 8;
		if ((f = reallocarray(t->stack, n, sizeof *f)) == NULL) {
			tui_status(t, TUI_ERROR, "out of memory");
			return (-1);
		}
		t->stack = f;
		t->alloc = n;
	}
	if ((data = s->init(t, arg)) == NULL)
		return (-1);
	f = &t->stack[t->depth++];
	memset(f, 0, sizeof *f);
	f->screen = s;
	f->data = data;
	f->shown = 1;	/* new_panel put it on top, visible */
	t->dirty = 1;
	return (0);
}

void
tui_close(struct tui *t, void *data)
{
	size_t	i;

	for (i = 0; i < t->depth; i++) {
		if (t->stack[i].data == data)
			t->stack[i].closing = 1;
	}
}

/* Take frame i off the stack, let it hand over its result, free it. */
static void
tui_remove(struct tui *t, size_t i)
{
	struct tui_frame	f = t->stack[i];

	if (f.screen->panel != NULL)
		tui_show(f.screen->panel(f.data), 0);
	memmove(&t->stack[i], &t->stack[i + 1],
	    (t->depth - i - 1) * sizeof t->stack[0]);
	t->depth--;
	if (i > 0 && i == t->depth)
		t->stack[i - 1].resume = 1;
	if (f.screen->done != NULL && t->term != NULL && !t->quit &&
	    !tui_sig)
		f.screen->done(f.data, t);
	f.screen->free(f.data);
	t->dirty = 1;
}

static void
tui_reap(struct tui *t)
{
	struct tui_frame	*f;
	size_t			 i;
	int			 again;

	do {
		again = 0;
		for (i = t->depth; i > 0; i--) {
			if (t->stack[i - 1].closing) {
				tui_remove(t, i - 1);
				again = 1;
				break;
			}
		}
	} while (again);

	if (t->depth > 0) {
		f = &t->stack[t->depth - 1];
		if (f->resume) {
			f->resume = 0;
			if (f->screen->resume != NULL)
				f->screen->resume(f->data, t);
		}
	}
}

/* data, not its frame: the handler may have pushed and moved the stack. */
static void
tui_flags(struct tui *t, void *data, int flags)
{
	if (flags & TUI_BEEP)
		beep();
	if (flags & TUI_HANDLED)
		t->dirty = 1;
	if (flags & TUI_QUIT)
		t->quit = 1;
	if (flags & TUI_CLOSE)
		tui_close(t, data);
	tui_reap(t);
}

static void
tui_key(struct tui *t, int key)
{
	struct tui_frame	*f;
	const struct keymap	*km;
	enum keymap_action	 a;
	struct scr_help_arg	 help;
	void			*data;

	t->dirty = 1;
	t->status_text[0] = '\0';
	if (t->too_small || t->depth == 0)
		return;
	f = &t->stack[t->depth - 1];
	km = f->screen->keymap != NULL ? f->screen->keymap(f->data) : NULL;
	a = keymap_dispatch(km, key);
	switch (a) {
	case KEYMAP_HELP:
		help.name = f->screen->name;
		help.keymaps = f->screen->keymaps;
		help.current = km;
		tui_push(t, &scr_help, &help);
		return;
	case KEYMAP_MESSAGES:
		if (f->screen != &scr_messages)
			tui_push(t, &scr_messages, NULL);
		return;
	case KEYMAP_REDRAW:
		/* Asked for by the user, who suspects the terminal: repaint
		 * from what curses knows is there. */
		wrefresh(curscr);
		return;
	default:
		break;
	}
	data = f->data;
	tui_flags(t, data, f->screen->key(data, t, a, key));
}

/*
 * An Esc followed at once by more bytes is a key this terminal type does
 * not describe (PgDn on a vt100): swallow it rather than let its Esc close
 * a page. Returns 1 if it was such a sequence.
 */
static int
tui_escape(struct tui *t)
{
	int	c, n;

	wtimeout(t->input, 0);
	c = wgetch(t->input);
	if (c == ERR) {
		wtimeout(t->input, TUI_TICK_MS);
		return (0);
	}
	if (c != '[' && c != 'O') {
		/* Alt+key: keep it for after the Esc. */
		ungetch(c);
		wtimeout(t->input, TUI_TICK_MS);
		return (0);
	}
	for (n = 0; n < 16; n++) {
		if ((c = wgetch(t->input)) == ERR || (c >= 0x40 && c <= 0x7e))
			break;
	}
	wtimeout(t->input, TUI_TICK_MS);
	t->status_text[0] = '\0';
	tui_status(t, TUI_WARN, "that key is unknown to terminal type %s: "
	    "ignored", termname());
	return (1);
}

void
tui_busy(struct tui *t, const char *text)
{
	int	i;

	wmove(t->keybar, 0, 0);
	wattrset(t->keybar, theme_attr(THEME_KEYBAR));
	for (i = 0; i < t->cols; i++)
		waddch(t->keybar, ' ');
	theme_put(t->keybar, 0, 0, -1, THEME_KEYBAR, text);
	werase(t->status);
}

/*
 * flushinp drops a KEY_RESIZE too: curses queues one when a doupdate (the
 * progress box) notices SIGWINCH. The windows would then stay laid out for
 * the old size, so if the size changed, ask for the layout again.
 */
void
tui_drop_keys(struct tui *t)
{
	int	rows, cols;

	flushinp();
	getmaxyx(stdscr, rows, cols);
	if (rows != t->rows || cols != t->cols)
		ungetch(KEY_RESIZE);
}

void
tui_flush(struct tui *t)
{
	update_panels();
	doupdate();
}

/* The one repaint: every visible screen draws, then one doupdate sends
 * what differs from what the terminal shows. */
static void
tui_repaint(struct tui *t)
{
	struct tui_frame	*f;
	WINDOW			*cw = NULL;
	size_t			 i, base = 0;
	int			 cy, cx, want;

	if (t->too_small) {
		tui_draw_small(t);
		curs_set(0);
		update_panels();
		doupdate();
		return;
	}
	for (i = 0; i < t->depth; i++) {
		if (!t->stack[i].screen->overlay)
			base = i;
	}
	for (i = 0; i < t->depth; i++) {
		f = &t->stack[i];
		want = i >= base;
		if (want != f->shown && f->screen->panel != NULL)
			tui_show(f->screen->panel(f->data), want);
		f->shown = want;
	}
	tui_draw_header(t);
	for (i = base; i < t->depth; i++)
		t->stack[i].screen->draw(t->stack[i].data, t);
	tui_draw_status(t);
	tui_draw_keybar(t);
	update_panels();

	if (t->depth > 0) {
		f = &t->stack[t->depth - 1];
		if (f->screen->cursor != NULL &&
		    f->screen->cursor(f->data, &cw, &cy, &cx)) {
			leaveok(cw, FALSE);
			wmove(cw, cy, cx);
			wnoutrefresh(cw);
			leaveok(cw, TRUE);
			curs_set(1);
		} else
			curs_set(0);
	}
	doupdate();
}

static void
tui_draw_header(struct tui *t)
{
	struct app	*app = t->app;
	char		 right[256], site[256];
	int		 x, rw, i;

	wmove(t->header, 0, 0);
	wattrset(t->header, theme_attr(THEME_HEADER));
	for (i = 0; i < t->cols; i++)
		waddch(t->header, ' ');
	snprintf(right, sizeof right, "user: %s (%s) ",
	    app->user ? app->user : "?", perm_role_name(app->role));
	rw = theme_width(right);
	x = theme_put(t->header, 0, 1, -1, THEME_HEADER, "imapadm") + 1;
	x += 3;
	snprintf(site, sizeof site, "site: %s",
	    app->cfg && app->cfg->site ? app->cfg->site : "-");
	theme_put_fit(t->header, 0, x, t->cols - x - rw - 2, THEME_HEADER,
	    site);
	theme_put(t->header, 0, t->cols - rw, rw, THEME_HEADER, right);
}

static void
tui_draw_status(struct tui *t)
{
	int	x = 0;

	werase(t->status);
	if (t->status_text[0] == '\0')
		return;
	switch (t->status_level) {
	case TUI_ERROR:
		x = theme_printf(t->status, 0, 0, -1, THEME_ERROR, "%s ",
		    theme_sym(SYM_CROSS));
		theme_put_fit(t->status, 0, x, -1, THEME_ERROR,
		    t->status_text);
		break;
	case TUI_WARN:
		x = theme_printf(t->status, 0, 0, -1, THEME_WARNING, "%s ",
		    theme_sym(SYM_WARN));
		theme_put_fit(t->status, 0, x, -1, THEME_WARNING,
		    t->status_text);
		break;
	case TUI_INFO:
		theme_put_fit(t->status, 0, 0, -1, THEME_NORMAL,
		    t->status_text);
		break;
	}
}

static void
tui_draw_keybar(struct tui *t)
{
	struct tui_frame	*f;
	const struct keymap	*km = NULL;
	char			 note[128];

	note[0] = '\0';
	if (!perm_can_edit(t->app->role))
		snprintf(note, sizeof note, "read-only: %s",
		    perm_role_name(t->app->role));
	if (t->depth == 0) {
		keymap_draw_bar(t->keybar, 0, NULL, NULL, NULL, note);
		return;
	}
	f = &t->stack[t->depth - 1];
	if (f->screen->keymap != NULL)
		km = f->screen->keymap(f->data);
	keymap_draw_bar(t->keybar, 0, km,
	    f->screen->enabled, f->data, note);
}

/* The first of texts that fits width columns, else the last (cut). */
static const char *
tui_fitting(int width, const char *const *texts, size_t n)
{
	size_t	i;

	for (i = 0; i + 1 < n; i++) {
		if (theme_width(texts[i]) <= width)
			break;
	}
	return (texts[i]);
}

/* Centred as far as it fits: the size first, since one line may be all. */
static void
tui_draw_small(struct tui *t)
{
	char		 size[128], need[64], shortneed[64];
	const char	*what[3], *how[3] = { "enlarge it to go on; Ctrl-C quits",
			    "enlarge it; Ctrl-C quits", "Ctrl-C quits" };
	const char	*line;
	int		 y, w;

	werase(t->small);
	snprintf(size, sizeof size, "terminal too small (need %dx%d, have "
	    "%dx%d)", TUI_MIN_COLS, TUI_MIN_ROWS, t->cols, t->rows);
	snprintf(shortneed, sizeof shortneed, "too small, need %dx%d",
	    TUI_MIN_COLS, TUI_MIN_ROWS);
	snprintf(need, sizeof need, "need %dx%d", TUI_MIN_COLS, TUI_MIN_ROWS);
	what[0] = size;
	what[1] = shortneed;
	what[2] = need;
	y = t->rows / 2 - 1 > 0 ? t->rows / 2 - 1 : 0;
	line = tui_fitting(t->cols, what, 3);
	w = theme_width(line);
	theme_put(t->small, y, w < t->cols ? (t->cols - w) / 2 : 0, -1,
	    THEME_TITLE, line);
	line = tui_fitting(t->cols, how, 3);
	w = theme_width(line);
	theme_put(t->small, y + 1, w < t->cols ? (t->cols - w) / 2 : 0, -1,
	    THEME_NORMAL, line);
}
