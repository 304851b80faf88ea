/* Modal dialogs on panels: messages, yes/no and restart questions (screens
 * on the stack that hand their answer to a callback) and a progress box. */
#ifndef IMAPADM_TUI_WIDGET_DIALOG_H
#define IMAPADM_TUI_WIDGET_DIALOG_H

#include "tui/keymap.h"
#include "tui/theme.h"
#include "tui/tui.h"

enum dialog_kind {
	DIALOG_MESSAGE,		/* answer KEYMAP_DISMISS */
	DIALOG_CONFIRM,		/* KEYMAP_YES or KEYMAP_NO (Esc) */
	DIALOG_RESTART,		/* KEYMAP_CHOOSE_RESTART, _RELOAD or _LATER */
	DIALOG_RESTART_ONLY,	/* the same without reload */
	DIALOG_SAVE		/* KEYMAP_CHOOSE_SAVE, _DISCARD or _EDIT (Esc) */
};

struct dialog;
/* Called once the dialog is closed, with the answer; may push screens. */
typedef void (*dialog_done_fn)(void *arg, struct tui *, enum keymap_action);

struct dialog	*dialog_new(enum dialog_kind, const char *title);
/* A paragraph, wrapped to the dialog's width. */
void		 dialog_add(struct dialog *, enum theme_attr, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
/* Lines kept as they are (command output), each cut at the width. */
void		 dialog_add_lines(struct dialog *, enum theme_attr,
		     const char *prefix, const char *text);
/* Push it as the top screen; the dialog is owned by it from now on, also
 * when this fails. fn may be NULL. */
int		 dialog_push(struct tui *, struct dialog *, dialog_done_fn,
		     void *arg);
void		 dialog_free(struct dialog *);

/* A box that shows a spinner and the current step while the caller works;
 * each call draws and sends it to the terminal at once. */
struct dialog_progress;
struct dialog_progress *dialog_progress_new(struct tui *, const char *title,
		     const char *text);
void		 dialog_progress_step(struct dialog_progress *, const char *step,
		     const char *detail);
void		 dialog_progress_free(struct dialog_progress *);

#endif
