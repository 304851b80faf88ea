/* Private to the server properties screen: its state, shared by the files
 * for the screen itself, each section and saving. */
#ifndef IMAPADM_TUI_SCR_SERVER_INTERNAL_H
#define IMAPADM_TUI_SCR_SERVER_INTERNAL_H

#include <stddef.h>

#include "core/app.h"
#include "tui/scr_server.h"
#include "tui/theme.h"
#include "tui/widget_form.h"
#include "tui/widget_page.h"

struct imap_test;

enum scr_server_section {
	SECTION_GENERAL,
	SECTION_IMAP4,
	SECTION_AUDIT,
	SECTION_COUNT
};

/* What can have focus on the IMAP4 section, in the order Down visits. */
#define ITEM_NONE	(-1)
#define ITEM_LINK	0
#define ITEM_FIELD(i)	(1 + (i))
#define ITEM_APPLY	(1 + SETTING_COUNT)
#define ITEM_OK		(2 + SETTING_COUNT)
#define ITEM_CANCEL	(3 + SETTING_COUNT)
#define ITEM_IS_FIELD(i) ((i) >= ITEM_FIELD(0) && (i) < ITEM_APPLY)
#define ITEM_IS_BUTTON(i) ((i) >= ITEM_APPLY)

#define PAGE_Y		3	/* first line of the page in the window */
#define AUDIT_LIMIT	50
#define KV_COL		22

enum status_state {
	STATUS_NOT_ASKED,
	STATUS_ASKING,
	STATUS_DONE
};

struct scr_server {
	struct tui		*tui;
	struct app		*app;
	char			*identity;
	WINDOW			*win;
	PANEL			*panel;
	struct imap4_view	 view;
	const struct profile	*profile;
	int			 is_cas;
	int			 editable;
	int			 section;
	struct wpage		*page[SECTION_COUNT];
	struct wform		*form;
	int			 more;		/* time-out fields shown */
	int			 focus;
	int			 link_row;
	enum status_state	 status_state;
	char			*status_text;
	enum theme_attr		 status_attr;
	int			 close_after;	/* OK: close once saved */
	unsigned int		 ticks;
	char			 outcome[256];	/* status once dialogs close */
	enum tui_level		 outcome_level;
	long			 stale_version;	/* saved by someone else */
	long			 stale_id;	/* the row now under this name,
						 * when it is another (re-added) */
	char			*stale_by;
	char			*stale_at;
	struct imap_test	*probe;		/* Test connection / Measure */
	int			 probe_running;
	int			 probe_row;	/* its block on the page; -1 */
};

/* scr_server.c: loading, the pages and what every section uses. */
/* Read the server again and redraw; reset: the fields too. */
void		 scr_server_reload(struct scr_server *, int reset);
int		 scr_server_view_h(struct scr_server *);
/* The form holds edits not saved yet. */
int		 scr_server_unsaved(struct scr_server *);
/* "key   value" on line y of a page; returns the next line. */
int		 scr_server_kv(WINDOW *, int, const char *, enum theme_attr,
		     const char *, ...) __attribute__((format(printf, 5, 6)));
const char	*scr_server_readonly_why(struct scr_server *, char *, size_t);

/* scr_server_general.c */
void		 scr_server_general_render(struct scr_server *);

/* scr_server_imap4.c: the IMAP4 page, its focus and the form. */
void		 scr_server_imap4_render(struct scr_server *);
void		 scr_server_imap4_draw_link(struct scr_server *);
int		 scr_server_imap4_idle(void *, struct tui *);
/* A field with an invalid value keeps the focus. */
int		 scr_server_imap4_locked(struct scr_server *);
int		 scr_server_imap4_refuse(struct scr_server *);
void		 scr_server_imap4_show_focus(struct scr_server *);
void		 scr_server_imap4_keep_focus(struct scr_server *);
int		 scr_server_imap4_move(struct scr_server *, int);
/* Left (dir -1) or Right (1) among the buttons. */
int		 scr_server_imap4_button(struct scr_server *, int);
int		 scr_server_imap4_select(struct scr_server *);
int		 scr_server_imap4_cursor(void *, WINDOW **, int *, int *);

/* scr_server_probe.c: Test connection and Measure time-outs. */
int		 scr_server_probe_start(struct scr_server *, int measure);
int		 scr_server_probe_cancel(struct scr_server *);
int		 scr_server_probe_tick(struct scr_server *);
int		 scr_server_probe_draw(struct scr_server *, WINDOW *, int);
void		 scr_server_probe_free(struct scr_server *);

/* scr_server_audit.c */
void		 scr_server_audit_render(struct scr_server *);

/* scr_server_save.c: Apply, OK, Cancel, conflicts and restarting. */
int		 scr_server_save_allowed(struct scr_server *);
int		 scr_server_save_apply(struct scr_server *, int);
int		 scr_server_save_cancel(struct scr_server *);
int		 scr_server_save_ask_restart(struct scr_server *);
int		 scr_server_save_tick(void *, struct tui *);
void		 scr_server_save_draw_buttons(struct scr_server *, int);

#endif
