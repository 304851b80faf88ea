/* Dialogs: a screen on the stack per question or message, drawn in its own
 * panel over the page, and a progress box that is drawn while core works. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/widget_dialog.h"

#define DIALOG_MAX_W	76

struct dialog_para {
	enum theme_attr	 attr;
	char		*text;
};

struct dialog_line {
	enum theme_attr	 attr;
	char		*text;
};

struct dialog {
	enum dialog_kind	 kind;
	char			*title;
	struct dialog_para	*paras;
	size_t			 npara;
	struct dialog_line	*lines;
	size_t			 nlines;
	WINDOW			*win;
	PANEL			*panel;
	struct tui		*tui;
	int			 top;
	int			 view;
	enum keymap_action	 answer;
	dialog_done_fn		 fn;
	void			*arg;
};

struct dialog_progress {
	struct tui	*tui;
	WINDOW		*win;
	PANEL		*panel;
	char		*title;
	char		*text;
	unsigned int	 tick;
	char		 step[64];
	char		*detail;
};

static void	*dialog_init(struct tui *, void *);
static void	 dialog_screen_free(void *);
static void	 dialog_done(void *, struct tui *);
static void	 dialog_resize(void *, struct tui *);
static const struct keymap *dialog_keymap(void *);
static int	 dialog_key(void *, struct tui *, enum keymap_action, int);
static void	 dialog_draw(void *, struct tui *);
static PANEL	*dialog_panel(void *);
static void	 dialog_layout(struct dialog *);
static void	 dialog_para(struct dialog *, enum theme_attr, char *);
static void	 dialog_wrap(struct dialog *, const struct dialog_para *, int);
static void	 dialog_line(struct dialog *, enum theme_attr, const char *,
		     size_t);
static void	 dialog_clear_lines(struct dialog *);
static void	 dialog_geometry(struct tui *, int, int, int *, int *, int *,
		     int *);
static void	 dialog_frame(WINDOW *, const char *);
static void	 dialog_progress_draw(struct dialog_progress *);

static const struct keymap_binding dialog_message_keys[] = {
	KEYMAP_KEYS_ENTER(KEYMAP_DISMISS),
	{ KEYMAP_ESC, KEYMAP_DISMISS, 0 },
	{ ' ', KEYMAP_DISMISS, 0 },
	{ KEY_UP, KEYMAP_UP, 0 },
	{ KEY_DOWN, KEYMAP_DOWN, 0 },
	{ KEY_PPAGE, KEYMAP_PAGE_UP, 0 },
	{ KEY_NPAGE, KEYMAP_PAGE_DOWN, 0 }
};
static const struct keymap_binding dialog_confirm_keys[] = {
	{ 'y', KEYMAP_YES, 1 },
	{ 'Y', KEYMAP_YES, 0 },
	{ 'n', KEYMAP_NO, 1 },
	{ 'N', KEYMAP_NO, 0 },
	{ KEYMAP_ESC, KEYMAP_NO, 0 }
};
static const struct keymap_binding dialog_restart_keys[] = {
	{ 'r', KEYMAP_CHOOSE_RESTART, 1 },
	{ 'R', KEYMAP_CHOOSE_RESTART, 0 },
	{ 'l', KEYMAP_CHOOSE_RELOAD, 1 },
	{ 'L', KEYMAP_CHOOSE_RELOAD, 0 },
	{ 'n', KEYMAP_CHOOSE_LATER, 1 },
	{ 'N', KEYMAP_CHOOSE_LATER, 0 },
	{ KEYMAP_ESC, KEYMAP_CHOOSE_LATER, 1 }
};
static const struct keymap_binding dialog_restart_only_keys[] = {
	{ 'r', KEYMAP_CHOOSE_RESTART, 1 },
	{ 'R', KEYMAP_CHOOSE_RESTART, 0 },
	{ 'n', KEYMAP_CHOOSE_LATER, 1 },
	{ 'N', KEYMAP_CHOOSE_LATER, 0 },
	{ KEYMAP_ESC, KEYMAP_CHOOSE_LATER, 1 }
};
static const struct keymap_binding dialog_save_keys[] = {
	{ 's', KEYMAP_CHOOSE_SAVE, 1 },
	{ 'S', KEYMAP_CHOOSE_SAVE, 0 },
	{ 'd', KEYMAP_CHOOSE_DISCARD, 1 },
	{ 'D', KEYMAP_CHOOSE_DISCARD, 0 },
	{ 'e', KEYMAP_CHOOSE_EDIT, 1 },
	{ 'E', KEYMAP_CHOOSE_EDIT, 0 },
	{ KEYMAP_ESC, KEYMAP_CHOOSE_EDIT, 1 }
};
static const struct keymap dialog_keymaps[] = {
	[DIALOG_MESSAGE] = KEYMAP_TABLE("Message", dialog_message_keys, 0),
	[DIALOG_CONFIRM] = KEYMAP_TABLE("Question", dialog_confirm_keys, 0),
	[DIALOG_RESTART] = KEYMAP_TABLE("Restart question",
	    dialog_restart_keys, 0),
	[DIALOG_RESTART_ONLY] = KEYMAP_TABLE("Restart question",
	    dialog_restart_only_keys, 0),
	[DIALOG_SAVE] = KEYMAP_TABLE("Unsaved changes", dialog_save_keys, 0)
};

static const struct screen dialog_screen = {
	.name = "Dialog",
	.overlay = 1,
	.keymaps = NULL,
	.init = dialog_init,
	.free = dialog_screen_free,
	.done = dialog_done,
	.resize = dialog_resize,
	.keymap = dialog_keymap,
	.key = dialog_key,
	.draw = dialog_draw,
	.panel = dialog_panel
};

struct dialog *
dialog_new(enum dialog_kind kind, const char *title)
{
	struct dialog	*d;

	if ((d = calloc(1, sizeof *d)) == NULL)
		return (NULL);
	d->kind = kind;
	d->title = strdup(title);
	d->answer = kind == DIALOG_MESSAGE ? KEYMAP_DISMISS :
	    kind == DIALOG_CONFIRM ? KEYMAP_NO :
	    kind == DIALOG_SAVE ? KEYMAP_CHOOSE_EDIT : KEYMAP_CHOOSE_LATER;
	return (d);
}

static void
dialog_para(struct dialog *d, enum theme_attr attr, char *text)
{
	struct dialog_para	*p;

	if (text == NULL)
		return;
	p = reallocarray(d->paras, d->npara + 1, sizeof *d->paras);
	if (p == NULL) {
		free(text);
		return;
	}
	d->paras = p;
	p[d->npara].attr = attr;
	p[d->npara].text = text;
	d->npara++;
}

void
dialog_add(struct dialog *d, enum theme_attr attr, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	if (d == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		text = NULL;
	va_end(ap);
	dialog_para(d, attr, text);
}

void
dialog_add_lines(struct dialog *d, enum theme_attr attr, const char *prefix,
    const char *text)
{
	const char	*p, *nl;
	char		*line;
	size_t		 len;

	if (d == NULL || text == NULL)
		return;
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (asprintf(&line, "%s%.*s", prefix ? prefix : "", (int)len,
		    p) != -1)
			dialog_para(d, attr, line);
		if (nl == NULL)
			break;
	}
}

void
dialog_free(struct dialog *d)
{
	size_t	i;

	if (d == NULL)
		return;
	dialog_clear_lines(d);
	for (i = 0; i < d->npara; i++)
		free(d->paras[i].text);
	free(d->paras);
	if (d->panel != NULL)
		del_panel(d->panel);
	if (d->win != NULL)
		delwin(d->win);
	free(d->title);
	free(d);
}

int
dialog_push(struct tui *t, struct dialog *d, dialog_done_fn fn, void *arg)
{
	if (d == NULL) {
		tui_status(t, TUI_ERROR, "out of memory");
		return (-1);
	}
	d->fn = fn;
	d->arg = arg;
	if (tui_push(t, &dialog_screen, d) != 0) {
		dialog_free(d);
		return (-1);
	}
	return (0);
}

static void *
dialog_init(struct tui *t, void *arg)
{
	struct dialog	*d = arg;

	d->tui = t;
	if ((d->win = newwin(1, 1, 0, 0)) == NULL ||
	    (d->panel = new_panel(d->win)) == NULL) {
		tui_status(t, TUI_ERROR, "cannot open a dialog window");
		return (NULL);
	}
	leaveok(d->win, TRUE);
	dialog_layout(d);
	return (d);
}

static void
dialog_screen_free(void *data)
{
	dialog_free(data);
}

static void
dialog_done(void *data, struct tui *t)
{
	struct dialog	*d = data;

	if (d->fn != NULL)
		d->fn(d->arg, t, d->answer);
}

static void
dialog_resize(void *data, struct tui *t)
{
	dialog_layout(data);
}

static void
dialog_clear_lines(struct dialog *d)
{
	size_t	i;

	for (i = 0; i < d->nlines; i++)
		free(d->lines[i].text);
	free(d->lines);
	d->lines = NULL;
	d->nlines = 0;
}

static void
dialog_line(struct dialog *d, enum theme_attr attr, const char *s, size_t len)
{
	struct dialog_line	*l;

	l = reallocarray(d->lines, d->nlines + 1, sizeof *d->lines);
	if (l == NULL)
		return;
	d->lines = l;
	l[d->nlines].attr = attr;
	if ((l[d->nlines].text = strndup(s, len)) != NULL)
		d->nlines++;
}

/* Break a paragraph at spaces so each line fits width columns; lines of
 * command output too, rather than lose their end at the edge. */
static void
dialog_wrap(struct dialog *d, const struct dialog_para *p, int width)
{
	const char	*s = p->text, *next;
	size_t		 len;

	if (*s == '\0') {
		dialog_line(d, p->attr, s, 0);
		return;
	}
	while (*s != '\0') {
		len = theme_wrap(s, width, &next);
		dialog_line(d, p->attr, s, len);
		s = next;
	}
}

/* Centre a box of at most h x w in the body area. */
static void
dialog_geometry(struct tui *t, int want_h, int want_w, int *y, int *x,
    int *h, int *w)
{
	int	by, bx, bh, bw;

	tui_body_rect(t, &by, &bx, &bh, &bw);
	*w = want_w < bw - 2 ? want_w : bw - 2;
	*h = want_h < bh ? want_h : bh;
	if (*w < 10)
		*w = 10;
	if (*h < 3)
		*h = 3;
	*y = by + (bh - *h) / 2;
	*x = bx + (bw - *w) / 2;
	if (*y < by)
		*y = by;
	if (*x < 0)
		*x = 0;
}

static void
dialog_layout(struct dialog *d)
{
	int	by, bx, bh, bw, inner, widest = 0, y, x, h, w, lw;
	size_t	i;

	tui_body_rect(d->tui, &by, &bx, &bh, &bw);
	inner = (bw - 2 < DIALOG_MAX_W ? bw - 2 : DIALOG_MAX_W) - 4;
	dialog_clear_lines(d);
	for (i = 0; i < d->npara; i++)
		dialog_wrap(d, &d->paras[i], inner);
	for (i = 0; i < d->nlines; i++) {
		if ((lw = theme_width(d->lines[i].text)) > widest)
			widest = lw;
	}
	if ((lw = theme_width(d->title) + 4) > widest)
		widest = lw;
	if (widest > inner)
		widest = inner;
	if (widest < 30)
		widest = 30;
	dialog_geometry(d->tui, (int)d->nlines + 4, widest + 4, &y, &x, &h,
	    &w);
	d->view = h - 4;
	if (d->view < 1)
		d->view = 1;
	if (d->top > (int)d->nlines - d->view)
		d->top = (int)d->nlines - d->view;
	if (d->top < 0)
		d->top = 0;
	tui_fit(d->win, d->panel, y, x, h, w);
}

static const struct keymap *
dialog_keymap(void *data)
{
	struct dialog	*d = data;

	return (&dialog_keymaps[d->kind]);
}

static int
dialog_key(void *data, struct tui *t, enum keymap_action a, int key)
{
	struct dialog	*d = data;
	int		 max = (int)d->nlines - d->view;

	switch (a) {
	case KEYMAP_UP:
	case KEYMAP_DOWN:
	case KEYMAP_PAGE_UP:
	case KEYMAP_PAGE_DOWN:
		if (a == KEYMAP_UP)
			d->top--;
		else if (a == KEYMAP_DOWN)
			d->top++;
		else if (a == KEYMAP_PAGE_UP)
			d->top -= d->view;
		else
			d->top += d->view;
		if (d->top > max)
			d->top = max;
		if (d->top < 0)
			d->top = 0;
		return (TUI_HANDLED);
	case KEYMAP_DISMISS:
	case KEYMAP_YES:
	case KEYMAP_NO:
	case KEYMAP_CHOOSE_RESTART:
	case KEYMAP_CHOOSE_RELOAD:
	case KEYMAP_CHOOSE_LATER:
	case KEYMAP_CHOOSE_SAVE:
	case KEYMAP_CHOOSE_DISCARD:
	case KEYMAP_CHOOSE_EDIT:
		d->answer = a;
		return (TUI_HANDLED | TUI_CLOSE);
	default:
		return (TUI_BEEP);
	}
}

static void
dialog_frame(WINDOW *win, const char *title)
{
	werase(win);
	wattrset(win, theme_attr(THEME_NORMAL));
	box(win, 0, 0);
	if (title != NULL && *title != '\0')
		theme_printf(win, 0, 2, getmaxx(win) - 4, THEME_TITLE, " %s ",
		    title);
}

static void
dialog_draw(void *data, struct tui *t)
{
	struct dialog	*d = data;
	int		 i, w;

	dialog_frame(d->win, d->title);
	w = getmaxx(d->win) - 4;
	for (i = 0; i < d->view && d->top + i < (int)d->nlines; i++) {
		struct dialog_line *l = &d->lines[d->top + i];

		theme_put(d->win, 2 + i, 2, w, l->attr, l->text);
	}
	if (d->top > 0)
		theme_printf(d->win, 1, getmaxx(d->win) - 10, 8, THEME_DIM,
		    "%s more", theme_sym(SYM_UP));
	if (d->top + d->view < (int)d->nlines)
		theme_printf(d->win, getmaxy(d->win) - 1, getmaxx(d->win) - 10,
		    8, THEME_DIM, "%s more", theme_sym(SYM_DOWN));
}

static PANEL *
dialog_panel(void *data)
{
	return (((struct dialog *)data)->panel);
}

struct dialog_progress *
dialog_progress_new(struct tui *t, const char *title, const char *text)
{
	struct dialog_progress	*p;
	int			 y, x, h, w;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return (NULL);
	p->tui = t;
	p->title = strdup(title);
	p->text = strdup(text);
	dialog_geometry(t, 7, DIALOG_MAX_W, &y, &x, &h, &w);
	if ((p->win = newwin(h, w, y, x)) == NULL ||
	    (p->panel = new_panel(p->win)) == NULL) {
		dialog_progress_free(p);
		return (NULL);
	}
	leaveok(p->win, TRUE);
	tui_busy(t, "working: keys wait until this is done");
	snprintf(p->step, sizeof p->step, "starting");
	dialog_progress_draw(p);
	return (p);
}

static void
dialog_progress_draw(struct dialog_progress *p)
{
	int	w = getmaxx(p->win) - 4, x;

	dialog_frame(p->win, p->title);
	theme_put_fit(p->win, 2, 2, w, THEME_NORMAL, p->text);
	x = theme_printf(p->win, 3, 2, w, THEME_TITLE, "%s ",
	    theme_spinner(p->tick));
	theme_printf(p->win, 3, 2 + x, w - x, THEME_TITLE, "%s%s", p->step,
	    theme_sym(SYM_ELLIPSIS));
	if (p->detail != NULL)
		theme_put_fit(p->win, 4, 4, w - 2, THEME_DIM, p->detail);
	tui_flush(p->tui);
}

void
dialog_progress_step(struct dialog_progress *p, const char *step,
    const char *detail)
{
	if (p == NULL)
		return;
	p->tick++;
	if (step != NULL && strcmp(step, p->step) != 0) {
		snprintf(p->step, sizeof p->step, "%s", step);
		free(p->detail);
		p->detail = NULL;
	}
	if (detail != NULL) {
		free(p->detail);
		p->detail = strdup(detail);
	}
	dialog_progress_draw(p);
}

void
dialog_progress_free(struct dialog_progress *p)
{
	if (p == NULL)
		return;
	/* Keys pressed while waiting were not meant for the result. */
	tui_drop_keys(p->tui);
	if (p->panel != NULL)
		del_panel(p->panel);
	if (p->win != NULL)
		delwin(p->win);
	free(p->title);
	free(p->text);
	free(p->detail);
	free(p);
}
