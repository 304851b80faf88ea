/* Action names and help, key names, table lookup and the key bar drawn
 * from the same tables that dispatch keys. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tui/keymap.h"
#include "tui/theme.h"

struct keymap_action_text {
	const char	*label;
	const char	*help;
};

static int	keymap_is_text(const struct keymap *, int);
static int	keymap_has_keypad(const struct keymap *, enum keymap_action);
static int	keymap_bar_item(WINDOW *, int, int, int, int, const char *,
		    const char *);

static const struct keymap_action_text keymap_texts[KEYMAP_COUNT] = {
#define A(e, bar, help) [KEYMAP_##e] = { bar, help },
	KEYMAP_ACTIONS
#undef A
};

static const struct keymap_binding keymap_global_bindings[] = {
	{ '?', KEYMAP_HELP, 1 },
	{ KEY_F(1), KEYMAP_HELP, 1 },
	{ KEYMAP_CTRL('l'), KEYMAP_REDRAW, 0 },
	{ 'm', KEYMAP_MESSAGES, 1 }
};
const struct keymap keymap_global =
    KEYMAP_TABLE("Everywhere", keymap_global_bindings, 0);

enum keymap_action
keymap_lookup(const struct keymap *km, int key)
{
	size_t	i;

	if (km == NULL)
		return (KEYMAP_NONE);
	for (i = 0; i < km->n; i++) {
		if (km->bindings[i].key == key)
			return (km->bindings[i].action);
	}
	return (KEYMAP_NONE);
}

/* A printable key while km takes text: the screen's, never global. */
static int
keymap_is_text(const struct keymap *km, int key)
{
	return (km != NULL && km->text && key >= 0x20 && key < 0x7f);
}

/* Does this terminal have a keypad key bound to a in km? */
static int
keymap_has_keypad(const struct keymap *km, enum keymap_action a)
{
	size_t	i;

	for (i = 0; i < km->n; i++) {
		if (km->bindings[i].action == a &&
		    km->bindings[i].key >= KEY_MIN &&
		    has_key(km->bindings[i].key))
			return (1);
	}
	return (0);
}

enum keymap_action
keymap_dispatch(const struct keymap *km, int key)
{
	enum keymap_action	a;

	if ((a = keymap_lookup(km, key)) != KEYMAP_NONE)
		return (a);
	if (keymap_is_text(km, key))
		return (KEYMAP_NONE);
	return (keymap_lookup(&keymap_global, key));
}

const char *
keymap_action_label(enum keymap_action a)
{
	return (keymap_texts[a].label);
}

const char *
keymap_action_help(enum keymap_action a)
{
	return (keymap_texts[a].help);
}

const char *
keymap_key_name(int key, char *buf, size_t len)
{
	const char	*name = NULL;

	switch (key) {
	case KEY_UP:
		name = "Up";
		break;
	case KEY_DOWN:
		name = "Down";
		break;
	case KEY_LEFT:
		name = "Left";
		break;
	case KEY_RIGHT:
		name = "Right";
		break;
	case KEY_PPAGE:
		name = "PgUp";
		break;
	case KEY_NPAGE:
		name = "PgDn";
		break;
	case KEY_HOME:
		name = "Home";
		break;
	case KEY_END:
		name = "End";
		break;
	case KEY_BTAB:
		name = "S-Tab";
		break;
	case KEY_BACKSPACE:
	case 0x7f:
		name = "Bksp";
		break;
	case KEY_DC:
		name = "Del";
		break;
	case KEY_ENTER:
	case '\n':
	case '\r':
		name = "Enter";
		break;
	case '\t':
		name = "Tab";
		break;
	case ' ':
		name = "Space";
		break;
	case KEYMAP_ESC:
		name = "Esc";
		break;
	}
	if (name != NULL)
		snprintf(buf, len, "%s", name);
	else if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, len, "F%d", key - KEY_F(0));
	else if (key >= 0 && key < 0x20)
		snprintf(buf, len, "^%c", key + '@');
	else if (key >= 0x20 && key < 0x7f)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "%s", keyname(key) ? keyname(key) : "?");
	return (buf);
}

const char *
keymap_keys_of(const struct keymap *km, enum keymap_action a, char *buf,
    size_t len)
{
	char	 name[32], seen[8][32];
	size_t	 i, j, nseen = 0, used = 0;

	buf[0] = '\0';
	for (i = 0; i < km->n; i++) {
		if (km->bindings[i].action != a)
			continue;
		keymap_key_name(km->bindings[i].key, name, sizeof name);
		/* '\n' and '\r' are both Enter. */
		for (j = 0; j < nseen; j++) {
			if (strcmp(seen[j], name) == 0)
				break;
		}
		if (j < nseen)
			continue;
		if (nseen < 8)
			snprintf(seen[nseen++], sizeof seen[0], "%s", name);
		used += (size_t)snprintf(buf + used, len > used ? len - used : 0,
		    "%s%s", used ? ", " : "", name);
		if (used >= len)
			break;
	}
	return (buf);
}

/* One "KEY Label" at column x; returns the new x, or -1 if it did not fit
 * before `limit`. */
static int
keymap_bar_item(WINDOW *win, int y, int x, int limit, int on,
    const char *key, const char *label)
{
	int	w;

	w = theme_width(key) + 1 + theme_width(label);
	if (x + w > limit)
		return (-1);
	x += theme_put(win, y, x, -1, on ? THEME_KEY : THEME_KEY_OFF, key);
	x += theme_put(win, y, x, -1, on ? THEME_KEYBAR : THEME_KEY_OFF, " ");
	x += theme_put(win, y, x, -1, on ? THEME_KEYBAR : THEME_KEY_OFF, label);
	return (x);
}

void
keymap_draw_bar(WINDOW *win, int y, const struct keymap *km,
    keymap_enabled_fn enabled, void *arg, const char *note)
{
	const struct keymap	*tables[2] = { km, &keymap_global };
	const struct keymap_binding *b;
	int			 width, x = 0, limit, nx, on, t;
	size_t			 i, j;
	char			 name[32];
	int			 done[KEYMAP_COUNT];

	width = getmaxx(win);
	wmove(win, y, 0);
	wattrset(win, theme_attr(THEME_KEYBAR));
	for (i = 0; i < (size_t)width; i++)
		waddch(win, ' ');
	wattrset(win, A_NORMAL);

	limit = width;
	if (note != NULL && *note != '\0') {
		int nw = theme_width(note);

		if (nw > width)
			nw = width;
		theme_put(win, y, width - nw, nw, THEME_KEY, note);
		limit = width - nw - 2;
	}

	memset(done, 0, sizeof done);
	for (t = 0; t < 2; t++) {
		if (tables[t] == NULL)
			continue;
		for (i = 0; i < tables[t]->n; i++) {
			b = &tables[t]->bindings[i];
			if (!b->bar || done[b->action])
				continue;
			if (b->bar == KEYMAP_BAR_NOKEY &&
			    keymap_has_keypad(tables[t], b->action))
				continue;
			/* A key the screen rebinds is not the global one, nor
			 * is a printable key while the screen takes text. */
			if (t == 1 && (keymap_lookup(km, b->key) != KEYMAP_NONE ||
			    keymap_is_text(km, b->key)))
				continue;
			done[b->action] = 1;
			keymap_key_name(b->key, name, sizeof name);
			/* Show every key of an action that shares a bar slot. */
			for (j = i + 1; j < tables[t]->n; j++) {
				int k = tables[t]->bindings[j].key;

				if (tables[t]->bindings[j].action == b->action &&
				    tables[t]->bindings[j].bar && !(t == 1 &&
				    keymap_is_text(km, k))) {
					char more[32];

					keymap_key_name(tables[t]->bindings[j].key,
					    more, sizeof more);
					if (strlen(name) + strlen(more) + 2 <
					    sizeof name) {
						strcat(name, "/");
						strcat(name, more);
					}
				}
			}
			on = enabled == NULL || enabled(arg, b->action);
			nx = keymap_bar_item(win, y, x, limit, on, name,
			    keymap_action_label(b->action));
			if (nx < 0)
				return;
			x = nx + 2;
		}
	}
}
