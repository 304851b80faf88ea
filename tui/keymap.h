/* Every user action is one line here; each screen's keymap table binds keys
 * to actions and is the single source for dispatch, the key bar and help. */
#ifndef IMAPADM_TUI_KEYMAP_H
#define IMAPADM_TUI_KEYMAP_H

#include <curses.h>
#include <stddef.h>

/* A(enum suffix, key bar label, help text) */
#define KEYMAP_ACTIONS							\
	A(NONE, "", "")							\
	A(UP, "Up", "move up one line")					\
	A(DOWN, "Down", "move down one line")				\
	A(PAGE_UP, "PgUp", "move up one page")				\
	A(PAGE_DOWN, "PgDn", "move down one page")			\
	A(FIRST, "Top", "go to the first line")				\
	A(LAST, "End", "go to the last line")				\
	A(OPEN, "Edit", "open the properties of the selected server")	\
	A(FILTER, "Filter", "filter the servers by name or FQDN as you type") \
	A(FILTER_CLEAR, "Clear", "clear the filter and show all servers") \
	A(FILTER_DONE, "Keep", "keep the filter and go back to the list") \
	A(QUIT, "Quit", "leave imapadm")				\
	A(HELP, "Help", "show the keys of this screen")			\
	A(REDRAW, "Redraw", "redraw the whole terminal")		\
	A(CLOSE, "Close", "close this screen")				\
	A(NEXT_SECTION, "Section", "next section: General, IMAP4, Audit") \
	A(PREV_SECTION, "Section", "previous section")			\
	A(SECTION_1, "General", "show the General section")		\
	A(SECTION_2, "IMAP4", "show the IMAP4 section")			\
	A(SECTION_3, "Audit", "show the Audit section")			\
	A(PREV_ITEM, "Up", "previous link, field or button; scroll up") \
	A(NEXT_ITEM, "Down", "next link, field or button; scroll down")	\
	A(SELECT, "Select", "follow the link or press the button")	\
	A(PREV_BUTTON, "Button", "the button to the left (Apply, OK, "	\
	    "Cancel)")							\
	A(NEXT_BUTTON, "Button", "the button to the right")		\
	A(CANCEL, "Close", "close the page; unsaved changes: save, " \
	    "discard or keep editing")					\
	A(ESCAPE, "Restore/Close", "restore an invalid value, else close " \
	    "the page")							\
	A(FIELD_NEXT, "Next", "leave the field for the next item")	\
	A(FIELD_LEFT, "Left", "move the cursor left in the field")	\
	A(FIELD_RIGHT, "Right", "move the cursor right in the field")	\
	A(FIELD_HOME, "Home", "go to the start of the field")		\
	A(FIELD_END, "End", "go to the end of the field")		\
	A(FIELD_BACKSPACE, "Backspace", "delete the character before the " \
	    "cursor")							\
	A(FIELD_DELETE, "Del", "delete the character under the cursor")	\
	A(FIELD_CLEAR, "Clear", "empty the field or the filter")	\
	A(APPLY, "Apply", "save the time-outs and stay on the page")	\
	A(OK, "OK", "save the time-outs and close the page")		\
	A(RESTART, "Restart", "restart the IMAP4 service with the saved " \
	    "values")							\
	A(TEST_CONNECTION, "Test", "test connection: greeting, TLS and " \
	    "login on each IMAP4 listener")				\
	A(MEASURE, "Measure", "measure time-outs in the background: " \
	    "idle sessions until the server closes them; Esc cancels")	\
	A(YES, "Yes", "answer yes")					\
	A(NO, "No", "answer no")					\
	A(CHOOSE_RESTART, "Restart", "stop and start the service: every " \
	    "session gets the new values")				\
	A(CHOOSE_RELOAD, "Reload", "graceful reload: only new connections " \
	    "get the new values")					\
	A(CHOOSE_LATER, "Not now", "do not restart now; the server stays " \
	    "restart-pending")						\
	A(CHOOSE_SAVE, "Save", "save the changes as Apply does, then leave") \
	A(CHOOSE_DISCARD, "Discard", "discard the changes and leave")	\
	A(CHOOSE_EDIT, "Keep editing", "go back to the form, changes kept") \
	A(DISMISS, "Close", "close this message")			\
	A(MESSAGES, "Messages", "show the last messages in full")	\
	A(AUDIT_LOG, "Whole log", "the whole audit log of this server, "	\
	    "newest first, in a list as long as it is")			\
	A(DETAILS, "Show", "show the whole entry")	\
	A(MARK, "Mark", "mark or unmark the selected server")		\
	A(MARK_ALL, "Mark all", "mark every server the filter shows")	\
	A(UNMARK_ALL, "Unmark", "clear all marks")			\
	A(ROLLING, "Rolling", "rolling restart of the marked servers")	\
	A(BULK_EDIT, "Edit marked", "edit the time-outs of all the " \
	    "marked servers at once")					\
	A(START, "Start", "start the rolling restart")			\
	A(STOP, "Stop", "start no new server; again: stop the running " \
	    "ones (they stay restart-pending)")

enum keymap_action {
#define A(e, bar, help) KEYMAP_##e,
	KEYMAP_ACTIONS
#undef A
	KEYMAP_COUNT
};

struct keymap_binding {
	int			 key;	/* curses key code or character */
	enum keymap_action	 action;
	int			 bar;	/* show this binding in the key bar */
};

/* bar: a stand-in shown only where the terminal lacks the keypad key of
 * the same action (g for Home on a vt100). */
#define KEYMAP_BAR_NOKEY	2

struct keymap {
	const char			*title;	/* heading on the help screen */
	const struct keymap_binding	*bindings;
	size_t				 n;
	/* Keys not bound here are text for the screen (filter, fields):
	 * printable keys then skip the global table. */
	int				 text;
	/* What other keys do, for help (NULL: nothing). */
	const char			*note;
};

#define KEYMAP_CTRL(c)	((c) & 0x1f)
#define KEYMAP_ESC	27
#define KEYMAP_TABLE(title, b, text)					\
	KEYMAP_TABLE_NOTE(title, b, text, NULL)
#define KEYMAP_TABLE_NOTE(title, b, text, note)				\
	{ title, b, sizeof (b) / sizeof (b)[0], text, note }

/*
 * Bindings that go together, for the screens' tables: Enter comes as CR,
 * LF or KEY_ENTER and Backspace as KEY_BACKSPACE, DEL or ^H depending on
 * the terminal; the movement keys of lists and pages, with vi's k and j
 * where the screen does not take text.
 */
#define KEYMAP_KEYS_ENTER(a)						\
	{ '\r', (a), 1 }, { '\n', (a), 0 }, { KEY_ENTER, (a), 0 }
#define KEYMAP_KEYS_BACKSPACE(a)					\
	{ KEY_BACKSPACE, (a), 0 }, { 0x7f, (a), 0 },			\
	{ KEYMAP_CTRL('h'), (a), 0 }
#define KEYMAP_KEYS_MOVE						\
	{ KEY_UP, KEYMAP_UP, 0 }, { KEY_DOWN, KEYMAP_DOWN, 0 },		\
	{ KEY_PPAGE, KEYMAP_PAGE_UP, 0 },				\
	{ KEY_NPAGE, KEYMAP_PAGE_DOWN, 0 },				\
	{ KEY_HOME, KEYMAP_FIRST, 0 }, { KEY_END, KEYMAP_LAST, 0 }
#define KEYMAP_KEYS_VI_MOVE						\
	{ 'k', KEYMAP_UP, 0 }, { 'j', KEYMAP_DOWN, 0 }

/* Keys every screen has (help, redraw). */
extern const struct keymap keymap_global;

enum keymap_action	 keymap_lookup(const struct keymap *, int key);
/* Screen table first, then the global one (not for printable keys when the
 * screen table takes text). */
enum keymap_action	 keymap_dispatch(const struct keymap *, int key);
const char		*keymap_action_label(enum keymap_action);
const char		*keymap_action_help(enum keymap_action);
/* "Enter", "PgDn", "^L", "q"; in buf. */
const char		*keymap_key_name(int key, char *buf, size_t len);
/* Every key bound to action in km, "Up, k"; in buf. */
const char		*keymap_keys_of(const struct keymap *, enum keymap_action,
			     char *buf, size_t len);

/* Is action usable now? For dimming in the key bar. */
typedef int (*keymap_enabled_fn)(void *arg, enum keymap_action);

/*
 * Draw the key bar for km (then the global bindings marked for the bar)
 * on line y of win, and `note` right-aligned if it fits. Disabled actions
 * are dimmed and marked.
 */
void	 keymap_draw_bar(WINDOW *, int y, const struct keymap *,
	     keymap_enabled_fn, void *arg, const char *note);

#endif
