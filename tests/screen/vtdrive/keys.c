/* The text of `send` and of the screen checks: backslash escapes, and key
 * names in angle brackets that libvterm encodes as xterm does. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vtdrive.h"

/*
 * Named keys go through vterm_keyboard_key rather than fixed strings so the
 * cursor and Home/End keys follow the application cursor mode (DECCKM) that
 * ncurses turns on with keypad(): \eOA then, \e[A otherwise, as in xterm.
 */
struct keys_name {
	const char	*name;
	VTermKey	 key;		/* VTERM_KEY_NONE: send `byte` */
	VTermModifier	 mod;
	int		 byte;
};

static const struct keys_name keys_names[] = {
	{ "Enter",	VTERM_KEY_ENTER,	VTERM_MOD_NONE,		0 },
	{ "Return",	VTERM_KEY_ENTER,	VTERM_MOD_NONE,		0 },
	{ "CR",		VTERM_KEY_ENTER,	VTERM_MOD_NONE,		0 },
	{ "Esc",	VTERM_KEY_ESCAPE,	VTERM_MOD_NONE,		0 },
	{ "Escape",	VTERM_KEY_ESCAPE,	VTERM_MOD_NONE,		0 },
	{ "Tab",	VTERM_KEY_TAB,		VTERM_MOD_NONE,		0 },
	{ "BTab",	VTERM_KEY_TAB,		VTERM_MOD_SHIFT,	0 },
	{ "BS",		VTERM_KEY_BACKSPACE,	VTERM_MOD_NONE,		0 },
	{ "Backspace",	VTERM_KEY_BACKSPACE,	VTERM_MOD_NONE,		0 },
	{ "Ins",	VTERM_KEY_INS,		VTERM_MOD_NONE,		0 },
	{ "Insert",	VTERM_KEY_INS,		VTERM_MOD_NONE,		0 },
	{ "Del",	VTERM_KEY_DEL,		VTERM_MOD_NONE,		0 },
	{ "Delete",	VTERM_KEY_DEL,		VTERM_MOD_NONE,		0 },
	{ "Home",	VTERM_KEY_HOME,		VTERM_MOD_NONE,		0 },
	{ "End",	VTERM_KEY_END,		VTERM_MOD_NONE,		0 },
	{ "PgUp",	VTERM_KEY_PAGEUP,	VTERM_MOD_NONE,		0 },
	{ "PageUp",	VTERM_KEY_PAGEUP,	VTERM_MOD_NONE,		0 },
	{ "PgDn",	VTERM_KEY_PAGEDOWN,	VTERM_MOD_NONE,		0 },
	{ "PageDown",	VTERM_KEY_PAGEDOWN,	VTERM_MOD_NONE,		0 },
	{ "Up",		VTERM_KEY_UP,		VTERM_MOD_NONE,		0 },
	{ "Down",	VTERM_KEY_DOWN,		VTERM_MOD_NONE,		0 },
	{ "Left",	VTERM_KEY_LEFT,		VTERM_MOD_NONE,		0 },
	{ "Right",	VTERM_KEY_RIGHT,	VTERM_MOD_NONE,		0 },
	{ "Space",	VTERM_KEY_NONE,		VTERM_MOD_NONE,		' ' },
	{ "lt",		VTERM_KEY_NONE,		VTERM_MOD_NONE,		'<' },
	{ "gt",		VTERM_KEY_NONE,		VTERM_MOD_NONE,		'>' },
};

#define KEYS_MAX_NAME	24

struct keys_buf {
	char	*data;
	size_t	 len;
	size_t	 size;
};

static void	keys_add_byte(struct keys_buf *, int);
static void	keys_add_bytes(struct keys_seq *, struct keys_buf *);
static void	keys_add_key(struct keys_seq *, struct keys_buf *, VTermKey,
		    VTermModifier);
static int	keys_escape(const char *, const char **, struct keys_buf *,
		    char **);
static int	keys_named(const char *, size_t, struct keys_seq *,
		    struct keys_buf *, char **);
static int	keys_hex(int);

static void
keys_add_byte(struct keys_buf *b, int c)
{
	if (b->len == b->size) {
		b->size = b->size == 0 ? 64 : b->size * 2;
		b->data = xrealloc(b->data, b->size);
	}
	b->data[b->len++] = (char)c;
}

/* Close the run of literal bytes so far as one token. */
static void
keys_add_bytes(struct keys_seq *ks, struct keys_buf *b)
{
	struct keys_tok	*t;

	if (b->len == 0)
		return;
	ks->tok = xrealloc(ks->tok, (ks->n + 1) * sizeof *ks->tok);
	t = &ks->tok[ks->n++];
	memset(t, 0, sizeof *t);
	t->kind = KEYS_BYTES;
	t->bytes = b->data;
	t->len = b->len;
	memset(b, 0, sizeof *b);
}

static void
keys_add_key(struct keys_seq *ks, struct keys_buf *b, VTermKey key,
    VTermModifier mod)
{
	struct keys_tok	*t;

	keys_add_bytes(ks, b);
	ks->tok = xrealloc(ks->tok, (ks->n + 1) * sizeof *ks->tok);
	t = &ks->tok[ks->n++];
	memset(t, 0, sizeof *t);
	t->kind = KEYS_KEY;
	t->key = key;
	t->mod = mod;
}

static int
keys_hex(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decode the escape at *pp (just past the backslash), advancing *pp. */
static int
keys_escape(const char *text, const char **pp, struct keys_buf *b,
    char **cause)
{
	const char	*p = *pp;
	int		 hi, lo;

	switch (*p) {
	case 'n':
		keys_add_byte(b, '\n');
		break;
	case 'r':
		keys_add_byte(b, '\r');
		break;
	case 't':
		keys_add_byte(b, '\t');
		break;
	case 'e':
		keys_add_byte(b, '\033');
		break;
	case 'a':
		keys_add_byte(b, '\a');
		break;
	case 'b':
		keys_add_byte(b, '\b');
		break;
	case '\\':
	case '<':
	case '>':
	case '"':
	case '\'':
		keys_add_byte(b, *p);
		break;
	case 'x':
		if ((hi = keys_hex(p[1])) == -1 || (lo = keys_hex(p[2])) == -1) {
			*cause = xasprintf("bad escape in '%s': \\x needs two "
			    "hex digits", text);
			return (-1);
		}
		keys_add_byte(b, hi * 16 + lo);
		p += 2;
		break;
	case '\0':
		*cause = xasprintf("'%s' ends with a lone backslash: write "
		    "\\\\ for a backslash", text);
		return (-1);
	default:
		*cause = xasprintf("unknown escape \\%c in '%s': use \\n \\r "
		    "\\t \\e \\a \\b \\\\ \\< \\> \\\" or \\xHH", *p, text);
		return (-1);
	}
	*pp = p + 1;
	return (0);
}

/* Resolve <NAME>: optional C- S- M- (or A-) prefixes, then a key name. */
static int
keys_named(const char *name, size_t len, struct keys_seq *ks,
    struct keys_buf *b, char **cause)
{
	const struct keys_name	*kn;
	char			 base[KEYS_MAX_NAME + 1];
	const char		*p = name, *end = name + len;
	VTermModifier		 mod = VTERM_MOD_NONE;
	size_t			 i;
	char			*q;
	long			 n;
	int			 c;

	while (end - p > 2 && p[1] == '-') {
		switch (toupper((unsigned char)p[0])) {
		case 'C':
			mod |= VTERM_MOD_CTRL;
			break;
		case 'S':
			mod |= VTERM_MOD_SHIFT;
			break;
		case 'M':
		case 'A':
			mod |= VTERM_MOD_ALT;
			break;
		default:
			goto bad;
		}
		p += 2;
	}
	memcpy(base, p, end - p);
	base[end - p] = '\0';

	for (i = 0; i < sizeof keys_names / sizeof keys_names[0]; i++) {
		kn = &keys_names[i];
		if (strcasecmp(kn->name, base) != 0)
			continue;
		if (kn->key != VTERM_KEY_NONE) {
			keys_add_key(ks, b, kn->key, kn->mod | mod);
			return (0);
		}
		c = kn->byte;
		goto byte;
	}

	if ((base[0] == 'F' || base[0] == 'f') && isdigit((unsigned char)base[1])) {
		n = strtol(base + 1, &q, 10);
		if (*q == '\0' && n >= 1 && n <= 12) {
			keys_add_key(ks, b, VTERM_KEY_FUNCTION(n), mod);
			return (0);
		}
		*cause = xasprintf("unknown key <%.*s>: function keys are <F1> "
		    "to <F12>", (int)len, name);
		return (-1);
	}

	if (strlen(base) != 1 || !isprint((unsigned char)base[0]))
		goto bad;
	c = base[0];

byte:
	if (mod & VTERM_MOD_SHIFT) {
		*cause = xasprintf("no shifted form of <%.*s>: write the "
		    "character itself", (int)len, name);
		return (-1);
	}
	if (mod & VTERM_MOD_CTRL) {
		if (c == '?')
			c = 0x7f;
		else if (c == ' ')
			c = 0;
		else if (toupper(c) >= '@' && toupper(c) <= '_')
			c = toupper(c) & 0x1f;
		else {
			*cause = xasprintf("no control code for <%.*s>: use "
			    "<C-a> to <C-z>, <C-@>, <C-[>, <C-\\>, <C-]>, "
			    "<C-^>, <C-_> or <C-?>", (int)len, name);
			return (-1);
		}
	}
	if (mod & VTERM_MOD_ALT)
		keys_add_byte(b, '\033');
	keys_add_byte(b, c);
	return (0);

bad:
	*cause = xasprintf("unknown key <%.*s>: write \\< for a literal <",
	    (int)len, name);
	return (-1);
}

/*
 * Turn script text into tokens to send. With `named`, <NAME> is a key; a <
 * not followed by a name and > stays a literal <.
 */
int
keys_parse(const char *text, int named, struct keys_seq *ks, char **cause)
{
	struct keys_buf	 b = { NULL, 0, 0 };
	const char	*p = text, *close;
	size_t		 len;

	memset(ks, 0, sizeof *ks);
	while (*p != '\0') {
		if (*p == '\\') {
			p++;
			if (keys_escape(text, &p, &b, cause) != 0)
				goto fail;
			continue;
		}
		if (named && *p == '<') {
			len = strcspn(p + 1, "<> \t");
			close = p + 1 + len;
			if (*close == '>' && len > 0 && len <= KEYS_MAX_NAME) {
				if (keys_named(p + 1, len, ks, &b, cause) != 0)
					goto fail;
				p = close + 1;
				continue;
			}
		}
		keys_add_byte(&b, (unsigned char)*p);
		p++;
	}
	keys_add_bytes(ks, &b);
	return (0);

fail:
	free(b.data);
	keys_free(ks);
	return (-1);
}

/* Escapes only, for text looked for on the screen; NUL cannot be there. */
int
keys_unescape(const char *text, char **out, char **cause)
{
	struct keys_seq	 ks;
	size_t		 i;

	if (keys_parse(text, 0, &ks, cause) != 0)
		return (-1);
	if (ks.n == 0) {
		*out = xstrdup("");
		return (0);
	}
	for (i = 0; i < ks.tok[0].len; i++) {
		if (ks.tok[0].bytes[i] == '\0') {
			*cause = xasprintf("'%s' has \\x00: the screen holds no "
			    "NUL to match", text);
			keys_free(&ks);
			return (-1);
		}
	}
	*out = xstrndup(ks.tok[0].bytes, ks.tok[0].len);
	keys_free(&ks);
	return (0);
}

void
keys_free(struct keys_seq *ks)
{
	size_t	i;

	for (i = 0; i < ks->n; i++)
		free(ks->tok[i].bytes);
	free(ks->tok);
	ks->tok = NULL;
	ks->n = 0;
}
