/* The console: terminal set-up, the screen stack, the one main loop, the one
 * repaint function and the one place KEY_RESIZE is handled. */
#ifndef IMAPADM_TUI_TUI_H
#define IMAPADM_TUI_TUI_H

#include <curses.h>
#include <panel.h>
#include <stddef.h>
#include <time.h>

#include "tui/keymap.h"

struct app;
struct tui;

#define TUI_MIN_ROWS	24
#define TUI_MIN_COLS	80

/* What a key handler did; only the main loop acts on these. */
#define TUI_HANDLED	0x01	/* something changed: repaint */
#define TUI_CLOSE	0x02	/* pop this screen */
#define TUI_QUIT	0x04	/* leave the console */
#define TUI_BEEP	0x08	/* refuse the key audibly */

enum tui_level {
	TUI_INFO,
	TUI_WARN,
	TUI_ERROR
};

/*
 * A screen: its state lives in one struct that init returns and free
 * releases. Full screens draw into a body window made with tui_new_body;
 * overlays (dialogs) keep the screen below visible.
 */
struct screen {
	const char	*name;
	int		 overlay;
	/* Every keymap the screen uses, NULL-terminated, for help. */
	const struct keymap *const *keymaps;

	/* NULL on failure, after tui_status says why. */
	void		*(*init)(struct tui *, void *arg);
	void		 (*free)(void *);
	/* Called once the screen is off the stack, before free; may push. */
	void		 (*done)(void *, struct tui *);
	/* The terminal changed size: fit windows again (tui_fit_body). */
	void		 (*resize)(void *, struct tui *);
	/* On top again after the screen above it closed. */
	void		 (*resume)(void *, struct tui *);
	/* Work to do after the screen is painted (slow status checks);
	 * returns TUI_* flags. */
	int		 (*idle)(void *, struct tui *);
	/* About every 250 ms while no key comes, for the top screen (noticing
	 * changes others made); returns TUI_* flags. */
	int		 (*tick)(void *, struct tui *);
	/* The keymap in force now. */
	const struct keymap *(*keymap)(void *);
	int		 (*key)(void *, struct tui *, enum keymap_action, int);
	/* Draw into the screen's windows; no refresh. */
	void		 (*draw)(void *, struct tui *);
	/* Is action usable now (dimmed in the key bar otherwise); may be NULL. */
	int		 (*enabled)(void *, enum keymap_action);
	/* 1 and the cursor position in *win, or 0 for no cursor. */
	int		 (*cursor)(void *, WINDOW **, int *, int *);
	PANEL		*(*panel)(void *);
};

/* The message log: what the status line said, kept whole. */
#define TUI_LOG_MAX	50

struct tui_msg {
	time_t		 at;
	enum tui_level	 level;
	char		*text;
};

/* Run the console until the user quits or a signal ends it; exit status. */
int		 tui_run(struct app *);

struct app	*tui_app(struct tui *);
/* Push a screen; -1 if its init failed. */
int		 tui_push(struct tui *, const struct screen *, void *arg);
/* The state of the screen on top (just pushed), or NULL. */
void		*tui_top(struct tui *);
/* Close the screen whose state is data once the current key is handled. */
void		 tui_close(struct tui *, void *data);
void		 tui_status(struct tui *, enum tui_level, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
/* Messages in the log; message i, 0 the newest. */
size_t		 tui_log_count(struct tui *);
const struct tui_msg *tui_log_get(struct tui *, size_t);
/* The body area: below the header, above the status and key bar. */
void		 tui_body_rect(struct tui *, int *y, int *x, int *h, int *w);
WINDOW		*tui_new_body(struct tui *, PANEL **);
void		 tui_fit_body(struct tui *, WINDOW *, PANEL *);
void		 tui_free_body(WINDOW *, PANEL *);
/* Move and size a window with its panel. */
void		 tui_fit(WINDOW *, PANEL *, int y, int x, int h, int w);
/* Show what the windows hold now (progress while a command runs). */
void		 tui_flush(struct tui *);
/* No keys are read until the work in progress ends: the key bar says so. */
void		 tui_busy(struct tui *, const char *);
/* Drop the keys typed meanwhile, keeping a change of terminal size. */
void		 tui_drop_keys(struct tui *);
/*
 * Background work on sockets (test-imapconnectivity): instead of waiting
 * for a key alone, the main loop calls fn to wait up to timeout_ms on its
 * own descriptors and on fd, the terminal, returning as soon as fd is
 * readable. One at a time; NULL stops it. The top screen's tick still runs.
 */
typedef void (*tui_pump_fn)(void *arg, int fd, int timeout_ms);
void		 tui_pump(struct tui *, tui_pump_fn, void *arg);
/* A termination signal arrived. */
int		 tui_signalled(void);
/*
 * 1: the commands run from now on only look (a status check), so a
 * termination signal stops them at once; 0 again once they are done.
 * Otherwise (a restart) the command finishes and is recorded first.
 */
void		 tui_interruptible(int);
/* Around a restart: a SIGHUP or SIGTERM lets the step running finish and
 * starts no other; a second one kills the step. */
void		 tui_finishing(int);

#endif
