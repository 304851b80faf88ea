/*
 * Restarting a server's IMAP4 service so that a crash, a race or a signal
 * cannot leave a lie behind: one restart per server at a time (a lock row
 * naming its pid, the pid's start time and user), a crash record committed
 * before the settings file is touched, an audit row before the restart
 * command runs, and the next imapadm finishing what a dead one left.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/app.h"
#include "core/str.h"

/* What the gate needs to record each step of one restart. */
struct restart_ctx {
	struct app		*app;
	struct store_apply	*rec;
	const char		*action;
	const char		*what;
};

static long long restart_pid_start(long);
static int	 restart_alive(long, long long);
static char	*restart_failure_text(const struct service_result *);
static int	 restart_gate(void *, const char *, const char *, size_t, int,
		     const struct stat *, char **);
static char	*restart_holder_text(const struct store_apply *);
static int	 restart_lock(struct app *, struct store_apply *, char **,
		     char **);
static char	*restart_recover_one(struct app *, struct store_apply *);
static int	 restart_parse_pushed(const char *, long [SETTING_COUNT]);

/* When pid started, in clock ticks since boot (/proc/PID/stat field 22);
 * 0 if unknown. With the pid it names one process, as pids are reused. */
static long long
restart_pid_start(long pid)
{
	char		 path[64], buf[1024], *p;
	unsigned long long start;
	FILE		*f;
	int		 i, ok;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "re")) == NULL)
		return (0);
	ok = fgets(buf, sizeof buf, f) != NULL;
	fclose(f);
	if (!ok || (p = strrchr(buf, ')')) == NULL)
		return (0);
	for (i = 2; i < 22 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p + 1, "%llu", &start) != 1)
		return (0);
	return ((long long)start);
}

/* The holder of a lock still runs: the same pid, started at the same time. */
static int
restart_alive(long pid, long long start)
{
	long long	now;

	if (pid <= 0)
		return (0);
	if (kill((pid_t)pid, 0) != 0 && errno != EPERM)
		return (0);
	now = restart_pid_start(pid);
	return (now == 0 || start == 0 || now == start);
}

/*
 * What the audit log keeps of a failed push: how long it ran, the summary,
 * and the tail of the failing command's error output (the summary quotes
 * only its last line).
 */
static char *
restart_failure_text(const struct service_result *res)
{
	const struct service_step *failed = NULL;
	double			 total = 0;
	char			*text, *tail = NULL, *p;
	size_t			 i;

	for (i = 0; i < res->nsteps; i++) {
		total += res->steps[i].seconds;
		if (!res->steps[i].ok && failed == NULL)
			failed = &res->steps[i];
	}
	if (failed != NULL && failed->detail != NULL &&
	    strchr(failed->detail, '\n') != NULL) {
		tail = strdup(failed->detail);
		for (p = tail; p != NULL && *p != '\0'; p++) {
			if (*p == '\n')
				*p = '|';
		}
	}
	text = str_printf("failed after %.1f s: %s%s%s%s", total,
	    res->message ? res->message : "service control failed",
	    tail ? " (stderr: " : "", tail ? tail : "", tail ? ")" : "");
	free(tail);
	return (text);
}

/*
 * Before the file is touched, the file as it is now is committed; before
 * the restart command runs, its audit row is.
 */
static int
restart_gate(void *arg, const char *step, const char *old, size_t oldlen,
    int had_old, const struct stat *oldst, char **cause)
{
	struct restart_ctx	*c = arg;
	struct store_audit_entry audit;

	if (strcmp(step, "write") == 0) {
		free(c->rec->prev);
		c->rec->prev = NULL;
		c->rec->had_prev = had_old;
		if (had_old && (c->rec->prev = malloc(oldlen + 1)) != NULL) {
			memcpy(c->rec->prev, old, oldlen);
			c->rec->prev[oldlen] = '\0';
		}
		c->rec->prevlen = oldlen;
		c->rec->prev_mtime = (long long)oldst->st_mtim.tv_sec *
		    1000000000LL + oldst->st_mtim.tv_nsec;
		if (had_old && c->rec->prev == NULL) {
			*cause = strdup("out of memory");
			return (-1);
		}
		return (store_apply_prev(c->app->store, c->rec, cause));
	}
	audit = (struct store_audit_entry){ c->app->user, c->action, c->what,
	    "started" };
	return (store_apply_step(c->app->store, c->rec, "restarting", &audit,
	    cause));
}

static char *
restart_holder_text(const struct store_apply *h)
{
	return (str_printf("started by %s at %s (imapadm pid %ld)",
	    h->user != NULL && *h->user != '\0' ? h->user : "someone",
	    h->started_at != NULL ? h->started_at : "an unknown time",
	    h->pid));
}

/*
 * Take rec's server lock. Held by a live imapadm: refused at once, naming
 * it. Held by a dead one: finished first (*note says how), then taken.
 */
static int
restart_lock(struct app *app, struct store_apply *rec, char **note,
    char **cause)
{
	struct store_apply	 holder;
	char			*who, *done;
	int			 rc, tries;

	*note = NULL;
	for (tries = 0; tries < 3; tries++) {
		rc = store_apply_begin(app->store, rec, &holder, cause);
		if (rc != STORE_BUSY)
			return (rc == 0 ? 0 : -1);
		free(*cause);
		*cause = NULL;
		who = restart_holder_text(&holder);
		if (restart_alive(holder.pid, holder.pid_start)) {
			*cause = str_printf("a %s of %s is already running, "
			    "%s; nothing done (wait for it to finish)",
			    holder.mode != NULL ? holder.mode : "restart",
			    holder.server, who);
			free(who);
			store_apply_free(&holder);
			return (-1);
		}
		done = restart_recover_one(app, &holder);
		if (done != NULL)
			(void)str_append(note, "; ", "%s", done);
		free(done);
		free(who);
		store_apply_free(&holder);
	}
	*cause = str_printf("cannot take the restart lock of %s", rec->server);
	return (-1);
}

/* "Name=seconds ..." as imap4_restart records it. */
static int
restart_parse_pushed(const char *text, long values[SETTING_COUNT])
{
	const struct setting_def *def;
	char		*copy, *word, *save, *eq;
	size_t		 seen = 0;

	if (text == NULL || (copy = strdup(text)) == NULL)
		return (-1);
	for (word = strtok_r(copy, " ", &save); word != NULL;
	    word = strtok_r(NULL, " ", &save)) {
		if ((eq = strchr(word, '=')) == NULL)
			continue;
		*eq++ = '\0';
		if ((def = settings_find(word)) == NULL)
			continue;
		values[settings_id(def)] = strtol(eq, NULL, 10);
		seen |= (size_t)1 << settings_id(def);
	}
	free(copy);
	return (seen == ((size_t)1 << SETTING_COUNT) - 1 ? 0 : -1);
}

/*
 * Finish the restart a dead imapadm left (its lock taken over first, so
 * that two finishing it do not both act). Returns the report line.
 */
static char *
restart_recover_one(struct app *app, struct store_apply *rec)
{
	const struct profile	*prof;
	struct store_audit_entry audit;
	struct imap4_view	 v;
	const char		*names[SETTING_COUNT];
	long			 values[SETTING_COUNT];
	char			*report = NULL, *cause = NULL, *text = NULL;
	char			*removed = NULL, *action;
	long			 dead = rec->pid;
	size_t			 k, n = 0;
	enum service_state	 state;
	int			 confirmed;

	if (store_apply_take(app->store, rec, (long)getpid(),
	    restart_pid_start((long)getpid()), &cause) != 0) {
		/* Someone else is finishing it: theirs to report. */
		free(cause);
		return (NULL);
	}
	report = str_printf("an unfinished %s of %s was found (started by %s "
	    "at %s, imapadm pid %ld is gone) at step %s",
	    rec->mode, rec->server, rec->user, rec->started_at, dead,
	    rec->step);
	prof = config_profile(app->cfg, rec->profile);
	/*
	 * The file is put back where service_apply wrote it: on this host.
	 * A remote profile's file is on its host (rec->file is NULL): what
	 * happened there is said, not guessed.
	 */
	if (strcmp(rec->step, "writing") == 0 && rec->file == NULL &&
	    prof != NULL && prof->remote == PROFILE_SSH)
		(void)str_append(&report, "; ", "the settings file was being "
		    "written on %s's host, over ssh: whether the new one there "
		    "was checked is not known, so run restart-imapservice "
		    "-Identity %s again", rec->server, rec->server);
	else if (strcmp(rec->step, "writing") == 0 && rec->file != NULL) {
		/* The new file was never checked: it must not stay live. */
		if (service_put_back(rec->file, rec->had_prev, rec->prev,
		    rec->prevlen, rec->prev_mtime, &cause) == 0)
			(void)str_append(&report, "; ", "the new settings were "
			    "never checked: %s", rec->had_prev ? "the previous "
			    "file was put back" : "the file was removed (there "
			    "was none before)");
		else
			(void)str_append(&report, "; ", "putting the previous "
			    "file back failed: %s", cause);
		free(cause);
		cause = NULL;
	} else if (strcmp(rec->step, "restarting") == 0)
		(void)str_append(&report, "; ", "the new settings had passed "
		    "the check and were kept; the %s command had started",
		    rec->mode);
	else
		(void)str_append(&report, "; ", "nothing had been changed");
	if (rec->file != NULL) {
		if (service_clean_temps(rec->file, &removed, &cause) == 0 &&
		    removed != NULL)
			(void)str_append(&report, "; ", "stray temp files "
			    "removed: %s", removed);
		free(removed);
		free(cause);
		cause = NULL;
	}
	if (prof == NULL)
		(void)str_append(&report, "; ", "status unknown (profile %s is "
		    "not in the config)", rec->profile);
	else if (prof->status.argc > 0) {
		memset(&v.server, 0, sizeof v.server);
		if (imap4_load(app, rec->server, &v, &cause) == 0) {
			state = service_status(app->cfg, prof, &v.server, &text,
			    &cause);
			(void)str_append(&report, "; ", "status now: %s%s%s",
			    state == SERVICE_RUNNING ? "running" :
			    state == SERVICE_STOPPED ? "stopped" : "unknown",
			    state == SERVICE_UNKNOWN ? " - " : "",
			    state == SERVICE_UNKNOWN && cause != NULL ? cause :
			    "");
			imap4_view_free(&v);
		}
		free(text);
		free(cause);
		text = cause = NULL;
	}
	/* Recorded as pushed only when what runs is seen to be them. */
	if (strcmp(rec->step, "restarting") == 0 &&
	    restart_parse_pushed(rec->pushed, values) == 0 &&
	    imap4_load(app, rec->server, &v, &cause) == 0) {
		imap4_observe(app, &v, OBSERVE_COMMANDS);
		confirmed = 1;
		for (k = 0; k < SETTING_COUNT; k++)
			confirmed = confirmed && v.obs.has_running[k] &&
			    v.obs.running[k] == values[k];
		if (confirmed)
			n = SETTING_COUNT;
		(void)str_append(&report, "; ", "%s", confirmed ?
		    "the pushed values are seen running" :
		    "the pushed values are not seen running");
		imap4_view_free(&v);
	}
	free(cause);
	cause = NULL;
	app_names(names);
	action = str_printf("%s-imapservice", rec->mode);
	audit = (struct store_audit_entry){ app->user, action, rec->pushed,
	    report };
	if (store_apply_end(app->store, rec, n, names, values, &audit,
	    &cause) != 0)
		(void)str_append(&report, "; ", "recording it failed: %s",
		    cause);
	free(cause);
	free(action);
	return (report);
}

void
imap4_recover(struct app *app, char **report)
{
	struct store_apply	*list = NULL;
	char			*cause = NULL, *one;
	size_t			 n = 0, i;

	*report = NULL;
	if (store_apply_list(app->store, &list, &n, &cause) != 0) {
		*report = str_printf("cannot look for unfinished restarts: %s",
		    cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if (restart_alive(list[i].pid, list[i].pid_start))
			continue;
		if (!perm_can_edit(app->role)) {
			(void)str_append(report, "\n", "an unfinished %s of %s "
			    "(started by %s at %s, imapadm pid %ld is gone) "
			    "waits for an editor to finish it: run imapadm as "
			    "one", list[i].mode, list[i].server, list[i].user,
			    list[i].started_at, list[i].pid);
			continue;
		}
		if ((one = restart_recover_one(app, &list[i])) != NULL)
			(void)str_append(report, "\n", "%s", one);
		free(one);
	}
	store_apply_list_free(list, n);
}

int
imap4_restart(struct app *app, const char *identity, enum service_mode mode,
    service_progress_fn progress, void *arg, struct service_result *res,
    char **cause)
{
	struct imap4_view	 v;
	const struct profile	*prof;
	const char		*names[SETTING_COUNT];
	const char		*action;
	struct store_audit_entry audit;
	struct store_apply	 rec;
	struct restart_ctx	 ctx;
	struct service_gate	 gate;
	char			*what = NULL, *outcome = NULL, *err = NULL;
	char			*note = NULL, *msg;
	size_t			 i;
	int			 rc, rc2;

	memset(res, 0, sizeof *res);
	res->mode = mode;
	action = mode == SERVICE_RELOAD ? "reload-imapservice" :
	    "restart-imapservice";
	if (!app_may_edit(app, "restart the IMAP4 service", cause))
		return (-1);
	if (imap4_load(app, identity, &v, cause) != 0)
		return (-1);
	if (v.server.profile == NULL || *v.server.profile == '\0') {
		*cause = str_printf("%s has no service profile: nothing to "
		    "restart", v.server.identity);
		imap4_view_free(&v);
		return (-1);
	}
	if ((prof = config_profile(app->cfg, v.server.profile)) == NULL) {
		*cause = str_printf("profile %s of %s is not in the config (%s)",
		    v.server.profile, v.server.identity,
		    app->cfg->path ? app->cfg->path : "no config file loaded");
		imap4_view_free(&v);
		return (-1);
	}

	for (i = 0; i < SETTING_COUNT; i++)
		str_append(&what, " ", "%s=%ld", settings_table[i].name,
		    v.configured[i]);
	memset(&rec, 0, sizeof rec);
	rec.server = strdup(v.server.identity);
	rec.profile = strdup(prof->name);
	rec.version = v.version;
	rec.pushed = what != NULL ? strdup(what) : NULL;
	rec.mode = strdup(mode == SERVICE_RELOAD ? "reload" : "restart");
	/* A remote profile's file is on its host: none here to put back. */
	rec.file = prof->remote != PROFILE_SSH && prof->settings_file !=
	    NULL && *prof->settings_file != '\0' ?
	    strdup(prof->settings_file) : NULL;
	rec.pid = (long)getpid();
	rec.pid_start = restart_pid_start(rec.pid);
	rec.user = strdup(app->user);
	if (rec.server == NULL || rec.profile == NULL || rec.mode == NULL ||
	    rec.user == NULL || rec.pushed == NULL) {
		*cause = str_printf("out of memory");
		goto refused;
	}
	/* Refused here nothing ran: no audit row. */
	if (restart_lock(app, &rec, &note, cause) != 0)
		goto refused;

	ctx = (struct restart_ctx){ app, &rec, action, what };
	gate = (struct service_gate){ restart_gate, &ctx };
	rc = service_apply_gated(app->cfg, prof, &v.server, v.configured, mode,
	    &gate, progress, arg, res);
	if (note != NULL) {
		msg = str_printf("%s; %s", note, res->message != NULL ?
		    res->message : "");
		free(res->message);
		res->message = msg;
	}
	if (rc == 0)
		outcome = str_printf("ok: %s", res->message ? res->message : "");
	else {
		*cause = str_printf("%s", res->message ? res->message :
		    "service control failed");
		outcome = restart_failure_text(res);
	}
	audit = (struct store_audit_entry){ app->user, action,
	    what ? what : "", outcome ? outcome : "" };
	/*
	 * The lock goes with the outcome and its audit row, in one
	 * transaction. Only the values this restart pushed (the version it
	 * read) are recorded: a save made meanwhile stays pending.
	 */
	app_names(names);
	rc2 = store_apply_end(app->store, &rec, rc == 0 ? SETTING_COUNT : 0,
	    names, v.configured, &audit, &err);
	if (rc2 != 0) {
		/* Keep at least the attempt in the audit log. */
		store_audit_add(app->store, app->user, v.server.identity,
		    action, audit.what, audit.outcome, NULL);
		if (rc == 0) {
			rc = -1;
			*cause = str_printf("%s, but recording it failed: %s",
			    res->message ? res->message : "service updated",
			    err ? err : "out of memory");
		}
	}
	free(err);
	free(what);
	free(outcome);
	free(note);
	store_apply_free(&rec);
	imap4_view_free(&v);
	return (rc);

refused:
	free(what);
	free(note);
	store_apply_free(&rec);
	imap4_view_free(&v);
	return (-1);
}
