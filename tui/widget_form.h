/* Numeric fields built from settings_table rows on the ncurses form
 * library: digits only, range checked while typing, focus kept on an
 * invalid field. Drawn as a block of lines inside a page's pad. */
#ifndef IMAPADM_TUI_WIDGET_FORM_H
#define IMAPADM_TUI_WIDGET_FORM_H

#include <curses.h>
#include <stddef.h>

#include "core/settings.h"
#include "tui/keymap.h"

struct tui;

#define WFORM_ROWS_PER_FIELD	5

struct wform;

enum wform_edit {
	WFORM_UNUSED,		/* not a field key */
	WFORM_CHANGED,		/* the value changed */
	WFORM_MOVED,		/* only the cursor moved */
	WFORM_REFUSED		/* refused; msg says why */
};

/* n fields for defs[0..n-1]; read-only unless editable. NULL when the
 * form library cannot be loaded (*cause says why, allocated) or out of
 * memory (*cause NULL). */
struct wform	*wform_new(const struct setting_def *defs, size_t n,
		     int editable, char **cause);
void		 wform_free(struct wform *);
size_t		 wform_count(struct wform *);
/* Saved values and what the service runs; reset also puts the saved
 * values back into the fields. */
void		 wform_set_saved(struct wform *, const long *saved,
		     const int *has_running, const long *running, int reset);
/* Draw the block at line top of pad (width columns); returns its height.
 * Keeps values being edited. */
int		 wform_render(struct wform *, WINDOW *pad, int top, int width);
/* Take the block off the pad (when the page hides it or is rebuilt). */
void		 wform_hide(struct wform *);
/* Redraw what changes while typing: range flags, notes, focus marks. */
void		 wform_update(struct wform *);
/* Line of field i's block in the pad. */
int		 wform_row(struct wform *, size_t i);

int		 wform_focused(struct wform *);	/* index or -1 */
/* Move focus to field i (-1: out of the form). -1 and msg if the focused
 * field holds an invalid value. */
int		 wform_focus(struct wform *, int i, char *msg, size_t len);
enum wform_edit	 wform_edit(struct wform *, enum keymap_action, int key,
		     char *msg, size_t len);
/* Cursor in pad coordinates when a field has focus. */
int		 wform_cursor(struct wform *, int *y, int *x);

int		 wform_valid(struct wform *, size_t i);
int		 wform_all_valid(struct wform *);
/* Some field differs from its saved value. */
int		 wform_modified(struct wform *);
/* Values of all fields; -1 if one is invalid. */
int		 wform_values(struct wform *, long *out);
/* Why field i is invalid, for the status line. */
void		 wform_problem(struct wform *, size_t i, char *msg, size_t len);
/* Leaving field i was refused: show its problem even if more digits
 * could still mend it, until it is edited. */
void		 wform_insist(struct wform *, size_t i);
/* Field i shows its problem (✗), not only the range. */
int		 wform_shouts(struct wform *, size_t i);
/* Put the saved value back into field i. */
void		 wform_restore(struct wform *, size_t i);

/* Beside field i, instead of its configured and running values (a form
 * that is not one server's): two lines, "" for none. */
void		 wform_set_info(struct wform *, size_t i, const char *,
		     const char *);
/* Field i starts empty, and empty is allowed: "keep what each has". */
void		 wform_set_blank(struct wform *, size_t i);
/* Field i: 1 and *v, 0 if left empty where allowed, -1 if invalid. */
int		 wform_value(struct wform *, size_t i, long *v);
/* A form as a screen's whole body: Tab/Enter to the next field (the
 * first after the last), the rest edits; TUI_* flags. */
int		 wform_key(struct wform *, struct tui *, enum keymap_action,
		     int key);

#endif
