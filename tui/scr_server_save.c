/* Server properties, saving: Apply, OK and Cancel, the refused save of a
 * stale page, and the restart question, progress and outcome; saving,
 * checking and restarting all go through core (imap4_save, imap4_restart). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/scr_server_internal.h"
#include "tui/widget_dialog.h"

static void	 scr_server_save_leave_answer(void *, struct tui *,
		     enum keymap_action);
static void	 scr_server_save_restart_answer(void *, struct tui *,
		     enum keymap_action);
static void	 scr_server_save_restart(struct scr_server *,
		     enum service_mode);
static void	 scr_server_save_progress(void *, const char *, const char *);
static void	 scr_server_save_after_dialog(void *, struct tui *,
		     enum keymap_action);

int
scr_server_save_allowed(struct scr_server *s)
{
	return (s->editable && wform_all_valid(s->form));
}

/* About once a second: has someone else saved this server since the page
 * was read? Say so at once rather than only when Apply is refused. */
int
scr_server_save_tick(void *data, struct tui *t)
{
	struct scr_server	*s = data;
	struct imap4_view	 v;
	char			*cause = NULL;
	int			 news;

	if (++s->ticks % 4 != 0)
		return (0);
	if (imap4_load(s->app, s->identity, &v, &cause) != 0) {
		free(cause);
		return (0);
	}
	/* Removed and added again: the same name, another row. */
	if (v.server_id != s->view.server_id && v.server_id != s->stale_id) {
		s->stale_id = v.server_id;
		tui_status(t, TUI_WARN, "%s was removed and added again since "
		    "this page was read: saving here will be refused",
		    s->identity);
		imap4_view_free(&v);
		return (TUI_HANDLED);
	}
	news = v.version != s->view.version && v.version != s->stale_version;
	if (news) {
		s->stale_version = v.version;
		free(s->stale_by);
		free(s->stale_at);
		s->stale_by = strdup(v.changed_by ? v.changed_by : "someone");
		s->stale_at = strdup(v.changed_at ? v.changed_at : "?");
		tui_status(t, TUI_WARN, "%s was changed by %s at %s since this "
		    "page was read: saving here will be refused", s->identity,
		    s->stale_by ? s->stale_by : "?",
		    s->stale_at ? s->stale_at : "?");
	}
	imap4_view_free(&v);
	return (news ? TUI_HANDLED : 0);
}

int
scr_server_save_cancel(struct scr_server *s)
{
	struct dialog	*d;

	if (!s->editable || !wform_modified(s->form))
		return (TUI_HANDLED | TUI_CLOSE);
	d = dialog_new(DIALOG_SAVE, "Unsaved changes");
	dialog_add(d, THEME_NORMAL, "The time-outs of %s were changed and not "
	    "saved.", s->identity);
	dialog_add(d, THEME_NORMAL, "%s", "");
	dialog_add(d, THEME_TITLE, "Save changes to %s? [s]ave / [d]iscard / "
	    "keep [e]diting", s->identity);
	dialog_push(s->tui, d, scr_server_save_leave_answer, s);
	return (TUI_HANDLED);
}

/* Save: as OK does (Apply, the restart question, then close); a refused
 * or failed save stays on the page to say why. */
static void
scr_server_save_leave_answer(void *arg, struct tui *t, enum keymap_action a)
{
	struct scr_server	*s = arg;

	switch (a) {
	case KEYMAP_CHOOSE_SAVE:
		if (scr_server_save_apply(s, 1) & TUI_CLOSE)
			tui_close(t, s);
		break;
	case KEYMAP_CHOOSE_DISCARD:
		tui_close(t, s);
		break;
	default:
		tui_status(t, TUI_INFO, "changes kept: Apply or OK saves them");
		break;
	}
}

int
scr_server_save_apply(struct scr_server *s, int close_after)
{
	long			 values[SETTING_COUNT];
	struct imap4_view	 cur;
	struct dialog		*d;
	char			*cause = NULL, msg[256];
	size_t			 i;
	int			 rc;

	if (!s->editable) {
		tui_status(s->tui, TUI_ERROR, "%s is disabled (%s)",
		    close_after ? "OK" : "Apply",
		    scr_server_readonly_why(s, msg, sizeof msg));
		return (TUI_HANDLED | TUI_BEEP);
	}
	if (wform_values(s->form, values) != 0) {
		for (i = 0; i < SETTING_COUNT; i++) {
			if (!wform_valid(s->form, i))
				break;
		}
		wform_problem(s->form, i < SETTING_COUNT ? i : 0, msg,
		    sizeof msg);
		tui_status(s->tui, TUI_ERROR, "%s is disabled: %s",
		    close_after ? "OK" : "Apply", msg);
		return (TUI_HANDLED | TUI_BEEP);
	}
	if (!wform_modified(s->form)) {
		if (close_after)
			return (TUI_HANDLED | TUI_CLOSE);
		if (s->view.restart_pending) {
			s->close_after = 0;
			return (scr_server_save_ask_restart(s));
		}
		tui_status(s->tui, TUI_INFO, "nothing to save: the values are "
		    "unchanged");
		return (TUI_HANDLED);
	}

	rc = imap4_save(s->app, s->identity, s->view.server_id,
	    s->view.version, values, &cur, &cause);
	if (rc == 0) {
		free(cause);
		scr_server_reload(s, 1);
		tui_status(s->tui, TUI_INFO, "saved the IMAP4 time-outs of %s",
		    s->identity);
		s->close_after = close_after;
		return (scr_server_save_ask_restart(s));
	}

	if (rc == STORE_REPLACED) {
		/* Same name, another row: saving would land on a stranger. */
		d = dialog_new(DIALOG_MESSAGE, "Not saved: removed and added "
		    "again");
		dialog_add(d, THEME_ERROR, "%s was removed and added again "
		    "since it was opened; nothing saved.", s->identity);
		dialog_add(d, THEME_NORMAL, "%s", "");
		dialog_add(d, THEME_NORMAL, "Its values now:");
		for (i = 0; i < SETTING_COUNT; i++)
			dialog_add(d, THEME_TITLE, "  %s: %ld s",
			    settings_table[i].label, cur.configured[i]);
		dialog_add(d, THEME_NORMAL, "%s", "");
		dialog_add(d, THEME_NORMAL, "The page now shows the new "
		    "server; make your change again if it is still needed.");
		imap4_view_free(&cur);
		free(cause);
		scr_server_reload(s, 1);
		s->close_after = 0;
		dialog_push(s->tui, d, NULL, NULL);
		return (TUI_HANDLED);
	}
	if (rc == STORE_CONFLICT) {
		/* Someone saved first: show who, then their values. */
		d = dialog_new(DIALOG_MESSAGE, "Not saved: changed by someone "
		    "else");
		if (cur.server.identity != NULL) {
			/* cause lists their values too: say who, once. */
			dialog_add(d, THEME_ERROR, "%s was changed by %s at %s "
			    "since it was opened; nothing saved.", s->identity,
			    cur.changed_by == NULL ? "someone" :
			    s->app->user != NULL &&
			    strcmp(cur.changed_by, s->app->user) == 0 ?
			    "you, in another session," : cur.changed_by,
			    cur.changed_at ? cur.changed_at : "an unknown time");
			dialog_add(d, THEME_NORMAL, "%s", "");
			dialog_add(d, THEME_NORMAL, "Their values:");
			for (i = 0; i < SETTING_COUNT; i++)
				dialog_add(d, THEME_TITLE, "  %s: %ld s",
				    settings_table[i].label, cur.configured[i]);
			dialog_add(d, THEME_NORMAL, "%s", "");
		} else {
			dialog_add(d, THEME_ERROR, "%s", cause ? cause :
			    "the settings changed since the page was opened");
			dialog_add(d, THEME_NORMAL, "%s", "");
		}
		dialog_add(d, THEME_NORMAL, "The page now shows their values; "
		    "make your change again if it is still needed.");
		imap4_view_free(&cur);
		free(cause);
		scr_server_reload(s, 1);
		s->close_after = 0;
		dialog_push(s->tui, d, NULL, NULL);
		return (TUI_HANDLED);
	}

	d = dialog_new(DIALOG_MESSAGE, "Not saved");
	dialog_add(d, THEME_ERROR, "%s", cause ? cause : "the save failed");
	if (rc == STORE_NOTFOUND)
		dialog_add(d, THEME_NORMAL, "%s was removed from the "
		    "inventory.", s->identity);
	imap4_view_free(&cur);
	free(cause);
	s->close_after = rc == STORE_NOTFOUND;
	dialog_push(s->tui, d, scr_server_save_after_dialog, s);
	return (TUI_HANDLED);
}

int
scr_server_save_ask_restart(struct scr_server *s)
{
	struct dialog	*d;
	int		 reload;

	reload = s->profile != NULL && s->profile->reload.argc > 0;
	d = dialog_new(reload ? DIALOG_RESTART : DIALOG_RESTART_ONLY,
	    "Restart IMAP4");
	if (s->view.restart_pending)
		dialog_add(d, THEME_NORMAL, "The saved time-outs of %s take "
		    "effect when its IMAP4 service restarts.", s->identity);
	dialog_add(d, THEME_NORMAL, "%s", "");
	dialog_add(d, THEME_TITLE, "Restart the IMAP4 service on %s now? %s",
	    s->identity, reload ? "[r]estart / re[l]oad / [n]ot now" :
	    "[r]estart / [n]ot now");
	if (reload)
		dialog_add(d, THEME_DIM, "Restart drops open sessions; reload "
		    "keeps them on the old values.");
	dialog_push(s->tui, d, scr_server_save_restart_answer, s);
	return (TUI_HANDLED);
}

static void
scr_server_save_restart_answer(void *arg, struct tui *t, enum keymap_action a)
{
	struct scr_server	*s = arg;

	switch (a) {
	case KEYMAP_CHOOSE_RESTART:
		scr_server_save_restart(s, SERVICE_RESTART);
		break;
	case KEYMAP_CHOOSE_RELOAD:
		scr_server_save_restart(s, SERVICE_RELOAD);
		break;
	default:
		tui_status(t, TUI_WARN, "not restarted: %s stays "
		    "restart-pending until its IMAP4 service restarts",
		    s->identity);
		if (s->close_after)
			tui_close(t, s);
		break;
	}
}

static void
scr_server_save_progress(void *arg, const char *step, const char *detail)
{
	dialog_progress_step(arg, step, detail);
}

/* Restart through core with a progress box, then say what happened. */
static void
scr_server_save_restart(struct scr_server *s, enum service_mode mode)
{
	struct service_result	 res;
	struct dialog_progress	*prog;
	struct dialog		*d;
	const struct service_step *bad = NULL;
	char			*cause = NULL, title[128], text[256];
	const char		*verb = mode == SERVICE_RELOAD ? "reload" :
				    "restart";
	size_t			 i;
	int			 rc;

	memset(&res, 0, sizeof res);
	snprintf(title, sizeof title, "%s IMAP4 on %s",
	    mode == SERVICE_RELOAD ? "Reloading" : "Restarting", s->identity);
	snprintf(text, sizeof text, "Pushing the saved time-outs to the IMAP4 "
	    "service of %s", s->identity);
	prog = dialog_progress_new(s->tui, title, text);
	tui_finishing(1);
	rc = imap4_restart(s->app, s->identity, mode, scr_server_save_progress,
	    prog, &res, &cause);
	tui_finishing(0);
	dialog_progress_free(prog);

	if (res.status != NULL) {
		free(s->status_text);
		s->status_text = strdup(res.status);
		s->status_attr = THEME_NORMAL;
		s->status_state = STATUS_DONE;
	} else
		s->status_state = STATUS_NOT_ASKED;
	/* The fields keep what is typed: a restart saves nothing. */
	scr_server_reload(s, 0);

	if (rc == 0) {
		snprintf(title, sizeof title, "IMAP4 %s on %s",
		    mode == SERVICE_RELOAD ? "reloaded" : "restarted",
		    s->identity);
		d = dialog_new(DIALOG_MESSAGE, title);
		dialog_add(d, THEME_OK, "%s %s", theme_sym(SYM_CHECK),
		    res.message ? res.message : "done");
		dialog_add(d, THEME_NORMAL, "%s", "");
		dialog_add(d, THEME_NORMAL, "Now running on %s:", s->identity);
		for (i = 0; i < SETTING_COUNT; i++) {
			if (s->view.obs.has_running[i])
				dialog_add(d, THEME_TITLE, "  %s: %ld s",
				    settings_table[i].label,
				    s->view.obs.running[i]);
			else
				dialog_add(d, THEME_TITLE, "  %s: unknown",
				    settings_table[i].label);
		}
		if (mode == SERVICE_RELOAD)
			dialog_add(d, THEME_DIM, "Sessions already open keep "
			    "the old time-outs; new connections get these.");
		if (res.status != NULL && *res.status != '\0') {
			dialog_add(d, THEME_NORMAL, "%s", "");
			dialog_add_lines(d, THEME_DIM, "status: ", res.status);
		}
		snprintf(s->outcome, sizeof s->outcome, "%s: IMAP4 %s done",
		    s->identity, verb);
		s->outcome_level = TUI_INFO;
	} else {
		snprintf(title, sizeof title, "IMAP4 %s failed on %s", verb,
		    s->identity);
		d = dialog_new(DIALOG_MESSAGE, title);
		dialog_add(d, THEME_ERROR, "%s %s", theme_sym(SYM_CROSS),
		    cause ? cause : res.message ? res.message : "failed");
		for (i = 0; i < res.nsteps; i++) {
			if (!res.steps[i].ok) {
				bad = &res.steps[i];
				break;
			}
		}
		if (bad != NULL) {
			dialog_add(d, THEME_NORMAL, "%s", "");
			dialog_add(d, THEME_NORMAL, "Step: %s", bad->name);
			if (bad->command != NULL)
				dialog_add(d, THEME_NORMAL, "Command: %s",
				    bad->command);
			if (bad->timed_out)
				dialog_add(d, THEME_ERROR, "Timed out after "
				    "%.0f s and was killed", bad->seconds);
			else if (bad->exit_status >= 0)
				dialog_add(d, THEME_ERROR, "Exit status: %d",
				    bad->exit_status);
			else
				dialog_add(d, THEME_ERROR, "Did not exit "
				    "normally");
			if (bad->detail != NULL && *bad->detail != '\0') {
				dialog_add(d, THEME_NORMAL, "Error output "
				    "(last lines):");
				dialog_add_lines(d, THEME_DIM, "  ",
				    bad->detail);
			}
		}
		dialog_add(d, THEME_NORMAL, "%s", "");
		/* Pending is what is seen now, not assumed from the failure. */
		if (s->view.restart_pending)
			dialog_add(d, THEME_PENDING, "%s %s stays restart "
			    "pending: the saved time-outs are not running.",
			    theme_sym(SYM_PENDING), s->identity);
		else
			dialog_add(d, THEME_NORMAL, "%s is not restart pending: "
			    "%s.", s->identity, s->view.pending_why != NULL ?
			    s->view.pending_why : "configured equals running");
		snprintf(s->outcome, sizeof s->outcome, "%s: IMAP4 %s failed%s",
		    s->identity, verb, s->view.restart_pending ?
		    "; it stays restart pending" : "");
		s->outcome_level = TUI_ERROR;
	}
	service_result_free(&res);
	free(cause);
	dialog_push(s->tui, d, scr_server_save_after_dialog, s);
}

static void
scr_server_save_after_dialog(void *arg, struct tui *t, enum keymap_action a)
{
	struct scr_server	*s = arg;

	if (s->outcome[0] != '\0')
		tui_status(t, s->outcome_level, "%s", s->outcome);
	s->outcome[0] = '\0';
	if (s->close_after)
		tui_close(t, s);
}

void
scr_server_save_draw_buttons(struct scr_server *s, int y)
{
	static const char *const names[] = { "Apply", "OK", "Cancel" };
	int		 x = 3, item, on, focus;
	char		 label[64];
	enum theme_attr	 a;

	theme_clear_eol(s->win, y, 0);
	for (item = ITEM_APPLY; item <= ITEM_CANCEL; item++) {
		on = item == ITEM_CANCEL || scr_server_save_allowed(s);
		focus = s->section == SECTION_IMAP4 && s->focus == item;
		/* Disabled: dimmed in place, the same width. */
		snprintf(label, sizeof label, "[ %s ]",
		    item == ITEM_CANCEL && !s->editable ? "Close" :
		    names[item - ITEM_APPLY]);
		a = focus ? THEME_FOCUS : on ? THEME_NORMAL : THEME_DIM;
		if (focus)
			theme_put(s->win, y, x - 2, 1, THEME_TITLE,
			    theme_sym(SYM_FOCUS));
		x += theme_put(s->win, y, x, -1, a, label) + 4;
	}
	if (scr_server_unsaved(s))
		theme_put(s->win, y, x, -1, THEME_WARNING, "unsaved changes");
}
