/* The form widget: one FIELD per settings_table row, a field type that
 * takes digits and checks the row's range, and the text around each field
 * (label, unit, range or what is wrong, configured and running values). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/form_load.h"
#include "tui/theme.h"
#include "tui/tui.h"
#include "tui/widget_form.h"

#define WFORM_DIGITS	6	/* 86400 fits, 999999 shows "too large" */
#define WFORM_FIELD_COL	5
#define WFORM_INFO_COL	46

enum wform_state {
	WFORM_VALID,
	WFORM_EMPTY,
	WFORM_SMALL,
	WFORM_LARGE,
	WFORM_NOTNUM
};

struct wform_field {
	const struct setting_def *def;
	FIELD			*field;
	long			 saved;
	int			 has_running;
	long			 running;
	attr_t			 back;	/* attribute last given to the field */
	int			 shout;	/* left out of range: ✗ until edited */
	int			 blank_ok; /* empty: keep what each has */
	char			 info[2][64]; /* instead of configured and
					 * running, when set */
};

struct wform {
	struct wform_field	*f;
	size_t			 n;
	FIELD			**fields;
	FORM			*form;
	WINDOW			*pad;
	WINDOW			*sub;
	int			 top;
	int			 width;
	int			 editable;
	int			 current;
	int			 fresh;	/* next digit replaces the value */
};

static bool		 wform_check_field(FIELD *, const void *);
static bool		 wform_check_char(int, const void *);
static enum wform_state	 wform_parse(const struct setting_def *, const char *,
			     long *);
static enum wform_state	 wform_state_of(struct wform *, size_t, long *);
static int		 wform_can_grow(const struct setting_def *,
			     const char *);
static void		 wform_verdict(struct wform *, size_t, enum wform_state);
static void		 wform_text(struct wform *, size_t, char *, size_t);
static void		 wform_set_text(struct wform *, size_t, long);
static void		 wform_sync(struct wform *);
static void		 wform_note(struct wform *, int, enum theme_attr,
			     const char *);

static int		 wform_blank(struct wform *, size_t);

static FIELDTYPE	*wform_type;

/* Field i is empty where empty is allowed. */
static int
wform_blank(struct wform *w, size_t i)
{
	char	text[64];

	if (!w->f[i].blank_ok)
		return (0);
	wform_text(w, i, text, sizeof text);
	return (text[0] == '\0');
}

static enum wform_state
wform_parse(const struct setting_def *def, const char *text, long *v)
{
	const char	*p;
	long		 n = 0;

	while (*text == ' ')
		text++;
	if (*text == '\0')
		return (WFORM_EMPTY);
	for (p = text; *p != '\0' && *p != ' '; p++) {
		if (!isdigit((unsigned char)*p))
			return (WFORM_NOTNUM);
		if (n < 100000000)
			n = n * 10 + (*p - '0');
	}
	for (; *p != '\0'; p++) {
		if (*p != ' ')
			return (WFORM_NOTNUM);
	}
	*v = n;
	if (n < def->min)
		return (WFORM_SMALL);
	if (n > def->max)
		return (WFORM_LARGE);
	return (WFORM_VALID);
}

/* libform calls this before focus may leave a field. */
static bool
wform_check_field(FIELD *field, const void *arg)
{
	const struct wform_field *f = sym_field_userptr(field);
	enum wform_state	 st;
	long			 v;

	if (f == NULL)
		return (FALSE);
	st = wform_parse(f->def, sym_field_buffer(field, 0), &v);
	return (st == WFORM_VALID || (st == WFORM_EMPTY && f->blank_ok));
}

static bool
wform_check_char(int c, const void *arg)
{
	return (c >= '0' && c <= '9');
}

struct wform *
wform_new(const struct setting_def *defs, size_t n, int editable,
    char **cause)
{
	struct wform	*w;
	size_t		 i;

	/* libformw is loaded by the first form, not by every start. */
	if (form_load(cause) != 0)
		return (NULL);
	if (wform_type == NULL &&
	    (wform_type = sym_new_fieldtype(wform_check_field,
	    wform_check_char)) == NULL)
		return (NULL);
	if ((w = calloc(1, sizeof *w)) == NULL)
		return (NULL);
	w->n = n;
	w->editable = editable;
	w->current = -1;
	w->f = calloc(n, sizeof *w->f);
	w->fields = calloc(n + 1, sizeof *w->fields);
	if (w->f == NULL || w->fields == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		FIELD *f;

		if ((f = sym_new_field(1, WFORM_DIGITS,
		    (int)i * WFORM_ROWS_PER_FIELD + 1, WFORM_FIELD_COL, 0,
		    0)) == NULL)
			goto fail;
		w->f[i].def = &defs[i];
		w->f[i].field = f;
		w->f[i].saved = defs[i].def;
		w->fields[i] = f;
		sym_set_field_userptr(f, &w->f[i]);
		sym_set_field_type(f, wform_type);
		/* Empty is invalid, every exit is checked, no auto-advance,
		 * no clearing on the first key (we decide that). */
		sym_field_opts_off(f, O_AUTOSKIP | O_NULLOK | O_PASSOK |
		    O_BLANK);
		if (!editable)
			sym_field_opts_off(f, O_EDIT);
		w->f[i].back = theme_attr(editable ? THEME_FIELD :
		    THEME_FIELD_RO);
		sym_set_field_back(f, w->f[i].back);
		sym_set_field_fore(f, w->f[i].back);
		wform_set_text(w, i, defs[i].def);
	}
	return (w);

fail:
	wform_free(w);
	return (NULL);
}

void
wform_free(struct wform *w)
{
	size_t	i;

	if (w == NULL)
		return;
	wform_hide(w);
	for (i = 0; i < w->n; i++) {
		if (w->f != NULL && w->f[i].field != NULL)
			sym_free_field(w->f[i].field);
	}
	free(w->f);
	free(w->fields);
	free(w);
}

size_t
wform_count(struct wform *w)
{
	return (w->n);
}

static void
wform_set_text(struct wform *w, size_t i, long v)
{
	char	buf[32];

	snprintf(buf, sizeof buf, "%ld", v);
	sym_set_field_buffer(w->f[i].field, 0, buf);
}

/* The form keeps typed text in a window until validation copies it. */
static void
wform_sync(struct wform *w)
{
	if (w->form != NULL && w->current >= 0)
		sym_form_driver(w->form, REQ_VALIDATION);
}

static void
wform_text(struct wform *w, size_t i, char *buf, size_t len)
{
	const char	*b = sym_field_buffer(w->f[i].field, 0);
	size_t		 n;

	while (*b == ' ')
		b++;
	snprintf(buf, len, "%s", b);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
}

static enum wform_state
wform_state_of(struct wform *w, size_t i, long *v)
{
	char			buf[64];
	long			dummy;
	enum wform_state	st;

	wform_text(w, i, buf, sizeof buf);
	st = wform_parse(w->f[i].def, buf, v != NULL ? v : &dummy);
	/* A blank that keeps each server's value is as good as a number. */
	return (st == WFORM_EMPTY && w->f[i].blank_ok ? WFORM_VALID : st);
}

/* Can digits typed after text still make it valid? "2" can become 2700
 * for 30-86400; "90000" and "00001" cannot. */
static int
wform_can_grow(const struct setting_def *def, const char *text)
{
	size_t	len = strlen(text), k;
	long	lo = 0, span = 1;

	if (strspn(text, "0123456789") != len)
		return (0);
	for (k = 0; k < len; k++)
		lo = lo * 10 + (text[k] - '0');
	for (k = len; k < WFORM_DIGITS; k++) {
		lo *= 10;
		span *= 10;
		if (lo + span - 1 >= def->min && lo <= def->max)
			return (1);
	}
	return (0);
}

void
wform_set_saved(struct wform *w, const long *saved, const int *has_running,
    const long *running, int reset)
{
	size_t	i;

	for (i = 0; i < w->n; i++) {
		w->f[i].saved = saved[i];
		w->f[i].has_running = has_running[i];
		w->f[i].running = running[i];
		if (reset) {
			wform_set_text(w, i, saved[i]);
			w->f[i].shout = 0;
		}
	}
	if (reset && w->form != NULL && w->current >= 0)
		sym_form_driver(w->form, REQ_END_FIELD);
	w->fresh = 1;
}

void
wform_hide(struct wform *w)
{
	if (w->form != NULL) {
		wform_sync(w);
		sym_unpost_form(w->form);
		sym_free_form(w->form);
		w->form = NULL;
	}
	if (w->sub != NULL) {
		delwin(w->sub);
		w->sub = NULL;
	}
	w->pad = NULL;
}

int
wform_row(struct wform *w, size_t i)
{
	return (w->top + (int)i * WFORM_ROWS_PER_FIELD);
}

int
wform_render(struct wform *w, WINDOW *pad, int top, int width)
{
	int	rows = (int)w->n * WFORM_ROWS_PER_FIELD, y;
	size_t	i;
	char	label[128];

	wform_hide(w);
	w->pad = pad;
	w->top = top;
	w->width = width;
	if ((w->sub = subpad(pad, rows, width, top, 0)) == NULL)
		return (rows);
	for (i = 0; i < w->n; i++)
		sym_move_field(w->f[i].field, (int)i * WFORM_ROWS_PER_FIELD + 1,
		    WFORM_FIELD_COL);
	if ((w->form = sym_new_form(w->fields)) == NULL)
		return (rows);
	sym_set_form_win(w->form, pad);
	sym_set_form_sub(w->form, w->sub);
	if (w->current >= 0)
		sym_set_current_field(w->form, w->f[w->current].field);

	/* post_form erases the block: draw around the fields after it. */
	sym_post_form(w->form);
	for (i = 0; i < w->n; i++) {
		y = wform_row(w, i);
		snprintf(label, sizeof label, "%s (%s)", w->f[i].def->label,
		    w->f[i].def->unit);
		theme_put(pad, y, 4, WFORM_INFO_COL - 6, THEME_TITLE, label);
		theme_put(pad, y + 1, WFORM_FIELD_COL - 1, 1, THEME_NORMAL, "[");
		theme_put(pad, y + 1, WFORM_FIELD_COL + WFORM_DIGITS, 1,
		    THEME_NORMAL, "]");
	}
	if (w->current >= 0)
		sym_form_driver(w->form, REQ_END_FIELD);
	wform_update(w);
	return (rows);
}

static void
wform_note(struct wform *w, int y, enum theme_attr a, const char *text)
{
	int		 width = w->width - 6;
	const char	*space;
	size_t		 cut;
	char		*first;

	theme_clear_eol(w->pad, y, 0);
	theme_clear_eol(w->pad, y + 1, 0);
	if (text == NULL)
		return;
	/* Wrap once, at the last space that fits. */
	if (text[theme_fit(text, width, &space)] == '\0' || space == NULL ||
	    space == text) {
		theme_put(w->pad, y, 4, width, a, text);
		return;
	}
	cut = (size_t)(space - text);
	if ((first = strndup(text, cut)) != NULL)
		theme_put(w->pad, y, 4, width, a, first);
	free(first);
	theme_put(w->pad, y + 1, 6, width - 2, a, text + cut + 1);
}

/* Does field i show its problem? Not while more digits can mend it,
 * unless the user tried to leave it so. */
int
wform_shouts(struct wform *w, size_t i)
{
	char	text[64];

	if (w->f[i].shout)
		return (1);
	wform_text(w, i, text, sizeof text);
	return (!wform_can_grow(w->f[i].def, text));
}

/* Beside the field: the range, "… range" while typing, or ✗ and why. */
static void
wform_verdict(struct wform *w, size_t i, enum wform_state st)
{
	static const char *const why[] = {
		[WFORM_EMPTY] = "required", [WFORM_SMALL] = "too small",
		[WFORM_LARGE] = "too large", [WFORM_NOTNUM] = "digits only"
	};
	int	 y = wform_row(w, i) + 1, x = WFORM_FIELD_COL + WFORM_DIGITS + 2;
	char	 range[64], buf[128];

	settings_range_text(w->f[i].def, range, sizeof range, theme_ascii());
	theme_clear_eol(w->pad, y, x);
	if (st == WFORM_VALID)
		theme_put(w->pad, y, x, WFORM_INFO_COL - x - 1, THEME_DIM,
		    range);
	else if (!wform_shouts(w, i)) {
		snprintf(buf, sizeof buf, "%s %s", theme_sym(SYM_ELLIPSIS),
		    range);
		theme_put(w->pad, y, x, WFORM_INFO_COL - x - 1, THEME_NORMAL,
		    buf);
	} else {
		snprintf(buf, sizeof buf, "%s %s, %s", theme_sym(SYM_CROSS),
		    why[st], range);
		theme_put(w->pad, y, x, WFORM_INFO_COL - x - 1, THEME_ERROR,
		    buf);
	}
}

void
wform_update(struct wform *w)
{
	size_t			 i;
	int			 y, focus;
	long			 v = 0;
	enum wform_state	 st;
	char			 buf[256];
	const char		*warn;
	attr_t			 back;

	if (w->pad == NULL || w->form == NULL)
		return;
	for (i = 0; i < w->n; i++) {
		y = wform_row(w, i);
		focus = (int)i == w->current;
		theme_put(w->pad, y, 2, 1, THEME_TITLE,
		    focus ? theme_sym(SYM_FOCUS) : " ");

		back = theme_attr(!w->editable ? THEME_FIELD_RO :
		    focus ? THEME_FOCUS : THEME_FIELD);
		if (back != w->f[i].back) {
			w->f[i].back = back;
			sym_set_field_back(w->f[i].field, back);
			sym_set_field_fore(w->f[i].field, back);
		}

		st = wform_state_of(w, i, &v);
		wform_verdict(w, i, st);

		theme_clear_eol(w->pad, y, WFORM_INFO_COL);
		theme_clear_eol(w->pad, y + 1, WFORM_INFO_COL);
		if (w->f[i].info[0][0] != '\0' || w->f[i].info[1][0] != '\0') {
			theme_put(w->pad, y, WFORM_INFO_COL, -1, THEME_NORMAL,
			    w->f[i].info[0]);
			theme_put(w->pad, y + 1, WFORM_INFO_COL, -1, THEME_DIM,
			    w->f[i].info[1]);
		} else {
			theme_printf(w->pad, y, WFORM_INFO_COL, -1,
			    THEME_NORMAL, "configured: %ld s", w->f[i].saved);
			if (w->f[i].has_running)
				snprintf(buf, sizeof buf, "running: %ld s",
				    w->f[i].running);
			else
				snprintf(buf, sizeof buf, "running: unknown");
			theme_put(w->pad, y + 1, WFORM_INFO_COL, -1,
			    w->f[i].has_running && w->f[i].running ==
			    w->f[i].saved ? THEME_OK : THEME_PENDING, buf);
		}

		if (st != WFORM_VALID && wform_shouts(w, i)) {
			if (w->f[i].blank_ok)
				snprintf(buf, sizeof buf, "Fix it, or press Esc "
				    "to leave it empty (each keeps its own).");
			else
				snprintf(buf, sizeof buf, "Fix it, or press Esc "
				    "to restore the saved value (%ld).",
				    w->f[i].saved);
			wform_note(w, y + 2, THEME_ERROR, buf);
		} else if (st == WFORM_VALID && !wform_blank(w, i) &&
		    (warn = settings_warning(w->f[i].def, v)) != NULL) {
			snprintf(buf, sizeof buf, "%s %s", theme_sym(SYM_WARN),
			    warn);
			wform_note(w, y + 2, THEME_WARNING, buf);
		} else
			wform_note(w, y + 2, THEME_DIM, w->f[i].def->help);
	}
	if (w->current >= 0)
		sym_pos_form_cursor(w->form);
}

int
wform_focused(struct wform *w)
{
	return (w->current);
}

int
wform_valid(struct wform *w, size_t i)
{
	if ((int)i == w->current)
		wform_sync(w);
	return (wform_state_of(w, i, NULL) == WFORM_VALID);
}

int
wform_all_valid(struct wform *w)
{
	size_t	i;

	for (i = 0; i < w->n; i++) {
		if (!wform_valid(w, i))
			return (0);
	}
	return (1);
}

int
wform_modified(struct wform *w)
{
	size_t	i;
	long	v;

	wform_sync(w);
	for (i = 0; i < w->n; i++) {
		if (wform_state_of(w, i, &v) != WFORM_VALID ||
		    v != w->f[i].saved)
			return (1);
	}
	return (0);
}

int
wform_values(struct wform *w, long *out)
{
	size_t	i;

	wform_sync(w);
	for (i = 0; i < w->n; i++) {
		if (wform_state_of(w, i, &out[i]) != WFORM_VALID)
			return (-1);
	}
	return (0);
}

void
wform_problem(struct wform *w, size_t i, char *msg, size_t len)
{
	char			 text[64];
	const struct wform_field *f = &w->f[i];

	wform_sync(w);
	wform_text(w, i, text, sizeof text);
	switch (wform_state_of(w, i, NULL)) {
	case WFORM_VALID:
		snprintf(msg, len, "%s is valid", f->def->label);
		break;
	case WFORM_EMPTY:
		snprintf(msg, len, "%s is empty; fix it or Esc restores %ld",
		    f->def->label, f->saved);
		break;
	case WFORM_SMALL:
		snprintf(msg, len, "%s: %s is too small; fix it or Esc restores "
		    "%ld", f->def->label, text, f->saved);
		break;
	case WFORM_LARGE:
		snprintf(msg, len, "%s: %s is too large; fix it or Esc restores "
		    "%ld", f->def->label, text, f->saved);
		break;
	case WFORM_NOTNUM:
		snprintf(msg, len, "%s: %s is not a number; fix it or Esc "
		    "restores %ld", f->def->label, text, f->saved);
		break;
	}
}

void
wform_insist(struct wform *w, size_t i)
{
	w->f[i].shout = 1;
}

void
wform_restore(struct wform *w, size_t i)
{
	if (w->f[i].blank_ok)
		sym_set_field_buffer(w->f[i].field, 0, "");
	else
		wform_set_text(w, i, w->f[i].saved);
	w->f[i].shout = 0;
	if (w->form != NULL && (int)i == w->current)
		sym_form_driver(w->form, REQ_END_FIELD);
	w->fresh = 1;
}

int
wform_focus(struct wform *w, int i, char *msg, size_t len)
{
	if (w->current >= 0 && w->current != i &&
	    !wform_valid(w, (size_t)w->current)) {
		wform_problem(w, (size_t)w->current, msg, len);
		w->f[w->current].shout = 1;
		return (-1);
	}
	w->current = i;
	w->fresh = 1;
	if (i >= 0 && w->form != NULL) {
		if (sym_set_current_field(w->form, w->f[i].field) != E_OK) {
			snprintf(msg, len, "cannot move to %s",
			    w->f[i].def->label);
			return (-1);
		}
		sym_form_driver(w->form, REQ_END_FIELD);
	}
	return (0);
}

enum wform_edit
wform_edit(struct wform *w, enum keymap_action a, int key, char *msg,
    size_t len)
{
	const struct setting_def *def;
	int			 req, rc;

	if (w->current < 0 || w->form == NULL)
		return (WFORM_UNUSED);
	def = w->f[w->current].def;
	if (!w->editable) {
		snprintf(msg, len, "%s is read-only for you", def->label);
		return (WFORM_REFUSED);
	}

	switch (a) {
	case KEYMAP_FIELD_LEFT:
		req = REQ_PREV_CHAR;
		break;
	case KEYMAP_FIELD_RIGHT:
		req = REQ_NEXT_CHAR;
		break;
	case KEYMAP_FIELD_HOME:
		req = REQ_BEG_FIELD;
		break;
	case KEYMAP_FIELD_END:
		req = REQ_END_FIELD;
		break;
	case KEYMAP_FIELD_BACKSPACE:
		req = REQ_DEL_PREV;
		break;
	case KEYMAP_FIELD_DELETE:
		req = REQ_DEL_CHAR;
		break;
	case KEYMAP_FIELD_CLEAR:
		req = REQ_CLR_FIELD;
		break;
	case KEYMAP_NONE:
		if (key >= '0' && key <= '9') {
			req = key;
			break;
		}
		if (key >= 0x20 && key < 0x7f)
			snprintf(msg, len, "only digits go in %s: '%c' refused",
			    def->label, key);
		else
			snprintf(msg, len, "only digits go in %s", def->label);
		return (WFORM_REFUSED);
	default:
		return (WFORM_UNUSED);
	}

	if (req >= '0' && req <= '9' && w->fresh) {
		/* Typing over a freshly focused value replaces it. */
		sym_form_driver(w->form, REQ_CLR_FIELD);
	}
	w->fresh = 0;
	rc = sym_form_driver(w->form, req);
	if (rc != E_OK && rc != E_INVALID_FIELD) {
		if (req >= '0' && req <= '9')
			snprintf(msg, len, "%s takes at most %d digits",
			    def->label, WFORM_DIGITS);
		else
			msg[0] = '\0';
		return (req >= '0' && req <= '9' ? WFORM_REFUSED : WFORM_MOVED);
	}
	wform_sync(w);
	if (req == REQ_PREV_CHAR || req == REQ_NEXT_CHAR ||
	    req == REQ_BEG_FIELD || req == REQ_END_FIELD)
		return (WFORM_MOVED);
	w->f[w->current].shout = 0;
	return (WFORM_CHANGED);
}

int
wform_cursor(struct wform *w, int *y, int *x)
{
	if (w->current < 0 || w->form == NULL || w->sub == NULL)
		return (0);
	sym_pos_form_cursor(w->form);
	getyx(w->sub, *y, *x);
	*y += w->top;
	return (1);
}

void
wform_set_info(struct wform *w, size_t i, const char *line1,
    const char *line2)
{
	snprintf(w->f[i].info[0], sizeof w->f[i].info[0], "%s",
	    line1 != NULL ? line1 : "");
	snprintf(w->f[i].info[1], sizeof w->f[i].info[1], "%s",
	    line2 != NULL ? line2 : "");
}

void
wform_set_blank(struct wform *w, size_t i)
{
	w->f[i].blank_ok = 1;
	w->f[i].shout = 0;
	sym_set_field_buffer(w->f[i].field, 0, "");
	w->fresh = 1;
}

int
wform_value(struct wform *w, size_t i, long *v)
{
	char	text[64];

	wform_sync(w);
	wform_text(w, i, text, sizeof text);
	if (text[0] == '\0' && w->f[i].blank_ok)
		return (0);
	return (wform_parse(w->f[i].def, text, v) == WFORM_VALID ? 1 : -1);
}

/*
 * The keys of a form that is a screen's whole body: the next field (the
 * first after the last; refused, with the reason, while the value left is
 * invalid), else editing. Returns TUI_* flags.
 */
int
wform_key(struct wform *f, struct tui *t, enum keymap_action a, int key)
{
	char	msg[160];
	int	next;

	msg[0] = '\0';
	if (a == KEYMAP_FIELD_NEXT) {
		next = (wform_focused(f) + 1) % (int)wform_count(f);
		if (wform_focus(f, next, msg, sizeof msg) != 0) {
			tui_status(t, TUI_ERROR, "%s", msg);
			wform_update(f);
			return (TUI_HANDLED | TUI_BEEP);
		}
		wform_update(f);
		return (TUI_HANDLED);
	}
	switch (wform_edit(f, a, key, msg, sizeof msg)) {
	case WFORM_REFUSED:
		tui_status(t, TUI_ERROR, "%s", msg);
		return (TUI_HANDLED | TUI_BEEP);
	case WFORM_UNUSED:
		return (TUI_BEEP);
	default:
		wform_update(f);
		return (TUI_HANDLED);
	}
}
