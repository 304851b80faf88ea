/* The application context and the IMAP4 workflow both front ends share:
 * load a server's settings, save them, push them to the running service. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/app.h"
#include "core/str.h"
#include "core/trust.h"

static int	 app_check_db_path(const char *, char **);
static int	 app_open_store(struct app *, int, const struct stat *,
		     char **);
static int	 app_has_role(const struct store_server *, const char *);
static int	 app_may_edit(struct app *, const char *, char **);
static void	 app_names(const char *names[SETTING_COUNT]);
static char	*app_failure_text(const struct service_result *);

/*
 * The database file and its directory: never a symlink (root would write
 * through one planted by anyone), and for root never in a directory others
 * may write to (they could plant one between the check and the open).
 */
static int
app_check_db_path(const char *path, char **cause)
{
	struct stat	 st;
	char		*copy, *dir;
	int		 rc = 0;

	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		*cause = str_printf("database %s is %s: imapadm opens only a "
		    "regular file", path, S_ISLNK(st.st_mode) ?
		    "a symbolic link" : "not a regular file");
		return (-1);
	}
	if (geteuid() != 0)
		return (0);
	if ((copy = strdup(path)) == NULL) {
		*cause = str_printf("out of memory");
		return (-1);
	}
	dir = dirname(copy);
	if (lstat(dir, &st) == 0 && (S_ISLNK(st.st_mode) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
	    (st.st_uid != 0 && st.st_uid != getuid()))) {
		*cause = str_printf("database %s lies in %s, which %s: as root "
		    "imapadm opens a database only in a directory owned by "
		    "root that no one else may write to (move it, or fix the "
		    "directory)", path, dir, S_ISLNK(st.st_mode) ?
		    "is a symbolic link" : (st.st_mode & (S_IWGRP | S_IWOTH)) ?
		    "others may write to" : "another user owns");
		rc = -1;
	}
	free(copy);
	return (rc);
}

/*
 * Who may not change anything opens the database read-only and creates
 * nothing: not the database, not its directory. A role that may change
 * servers on a file the user cannot write is shown as it acts: View-Only.
 */
static int
app_open_store(struct app *app, int exists, const struct stat *sb,
    char **cause)
{
	int	readonly;

	readonly = !perm_can_edit(app->role);
	if (!readonly && exists &&
	    faccessat(AT_FDCWD, app->db_path, W_OK, AT_EACCESS) != 0) {
		(void)str_append(&app->cfg->warnings, "\n", "%s is read-only "
		    "for you (owner uid %lu, mode %04o): you may view, not "
		    "change, whatever your role (%s)", app->db_path,
		    (unsigned long)sb->st_uid, (unsigned)(sb->st_mode & 07777),
		    perm_role_name(app->role));
		app->role = PERM_VIEW_ONLY;
		readonly = 1;
	}
	if (!readonly) {
		if (store_mkdir_parent(app->db_path, cause) != 0)
			return (-1);
		return (store_open(app->db_path, &app->store, cause));
	}
	if (!exists) {
		*cause = str_printf("no database at %s, and %s (%s) does not "
		    "create one: only a role that may change servers does",
		    app->db_path, app->user != NULL ? app->user :
		    app->trust.user, perm_role_name(app->role));
		return (-1);
	}
	return (store_open_flags(app->db_path, STORE_READONLY, &app->store,
	    cause));
}

int
app_open(const char *db_path, const char *config_path, struct app **out,
    char **cause)
{
	struct app	*app;
	const char	*env;
	struct stat	 sb;
	int		 exists;
	static const char *const envs[] = { "IMAPADM_CONFIG", "IMAPADM_DB" };
	size_t		 i;

	*out = NULL;
	if ((app = calloc(1, sizeof *app)) == NULL) {
		*cause = str_printf("out of memory");
		return (-1);
	}
	if (trust_current(&app->trust, cause) != 0)
		goto fail;
	if (app->trust.sudo) {
		/* Only what root controls decides what root does. */
		if (config_path != NULL || db_path != NULL) {
			*cause = str_printf("%s is not honoured when root acts "
			    "for %s (sudo): only /etc/imapadm/imapadm.conf and "
			    "its database count; run imapadm without sudo to "
			    "use your own", config_path != NULL ? "--config" :
			    "--db", app->trust.user);
			goto fail;
		}
		if (config_load_system(&app->cfg, cause) != 0)
			goto fail;
		for (i = 0; i < sizeof envs / sizeof envs[0]; i++) {
			/* Shown with the config's warnings. */
			if (getenv(envs[i]) != NULL)
				(void)str_append(&app->cfg->warnings, "\n",
				    "%s ignored: under sudo only "
				    "/etc/imapadm/imapadm.conf counts", envs[i]);
		}
		app->db_path = strdup(app->cfg->database != NULL ?
		    app->cfg->database : APP_SYSTEM_DB);
	} else {
		if (config_load(config_path, &app->cfg, cause) != 0)
			goto fail;
		if (db_path != NULL && *db_path != '\0')
			app->db_path = strdup(db_path);
		else if ((env = getenv("IMAPADM_DB")) != NULL && *env != '\0')
			app->db_path = strdup(env);
		else if (app->cfg->database != NULL)
			app->db_path = strdup(app->cfg->database);
		else
			app->db_path = store_default_path();
	}
	if (app->db_path == NULL) {
		*cause = str_printf("no database path: set --db, IMAPADM_DB or HOME");
		goto fail;
	}
	if (app_check_db_path(app->db_path, cause) != 0)
		goto fail;

	/* Without configured roles the database owner may edit: the one
	 * who will create it, if it is not there yet. */
	exists = stat(app->db_path, &sb) == 0;
	if (!exists)
		sb.st_uid = geteuid();
	/*
	 * Roles decide who may change what: a file anyone may have written
	 * (not root's, not the database owner's) does not get to say.
	 */
	if (config_has_roles(app->cfg) && app->cfg->owner != 0 &&
	    app->cfg->owner != sb.st_uid) {
		(void)str_append(&app->cfg->warnings, "\n", "roles in %s "
		    "ignored: the file is owned by uid %lu, not by root or by "
		    "the database's owner (uid %lu)", app->cfg->path,
		    (unsigned long)app->cfg->owner, (unsigned long)sb.st_uid);
		config_drop_roles(app->cfg);
	}
	app->role = perm_current(app->cfg, &app->trust, sb.st_uid);
	if (app_open_store(app, exists, &sb, cause) != 0)
		goto fail;
	if ((app->user = strdup(app->trust.user)) == NULL) {
		*cause = str_printf("out of memory");
		goto fail;
	}
	*out = app;
	return (0);

fail:
	app_close(app);
	return (-1);
}

void
app_close(struct app *app)
{
	if (app == NULL)
		return;
	if (app->store != NULL)
		store_close(app->store);
	if (app->cfg != NULL)
		config_free(app->cfg);
	free(app->db_path);
	free(app->user);
	trust_free(&app->trust);
	free(app);
}

void
imap4_view_free(struct imap4_view *v)
{
	if (v->observed)
		observe_free(&v->obs);
	store_server_free(&v->server);
	free(v->changed_by);
	free(v->changed_at);
	memset(v, 0, sizeof *v);
}

void
imap4_observe(struct app *app, struct imap4_view *v, int flags)
{
	const struct profile	*prof = NULL;

	if (v->observed)
		observe_free(&v->obs);
	v->observed = 1;
	if (v->server.profile != NULL && *v->server.profile != '\0')
		prof = config_profile(app->cfg, v->server.profile);
	if (prof != NULL) {
		observe_server(app->cfg, prof, &v->server, flags, &v->obs);
		return;
	}
	memset(&v->obs, 0, sizeof v->obs);
	v->obs.at = time(NULL);
	v->obs.state = SERVICE_UNKNOWN;
	v->obs.source = v->server.profile == NULL ||
	    *v->server.profile == '\0' ? str_printf("unknown: %s has no "
	    "service profile", v->server.identity) : str_printf("unknown: "
	    "profile %s is not in the config", v->server.profile);
}

int
imap4_adopt(struct app *app, const char *identity, char **note,
    char **cause)
{
	struct imap4_view	 v;
	const char		*names[SETTING_COUNT];
	long			 values[SETTING_COUNT];
	char			*what = NULL, *bad = NULL;
	size_t			 k;
	int			 rc;

	*note = NULL;
	if ((rc = imap4_load(app, identity, &v, cause)) != 0)
		return (rc);
	/* The file only (on its host, for a remote one): no command of the
	 * profile runs for a server being added. */
	imap4_observe(app, &v, OBSERVE_REMOTE);
	for (k = 0; k < SETTING_COUNT && v.obs.file_read; k++) {
		if (!v.obs.file.have[k] || settings_check(&settings_table[k],
		    v.obs.file.value[k], &bad) != 0)
			break;
		values[k] = v.obs.file.value[k];
		(void)str_append(&what, ", ", "%s %ld", settings_table[k].name,
		    values[k]);
	}
	if (!v.obs.file_read || k < SETTING_COUNT) {
		*note = str_printf("starts from the defaults (%ld/%ld s): %s",
		    settings_table[0].def, settings_table[1].def, bad != NULL ?
		    bad : !v.obs.file_read ? v.obs.source : "the settings "
		    "file does not give both time-outs");
		free(bad);
		free(what);
		imap4_view_free(&v);
		return (0);
	}
	/* What the service holds becomes what is configured, audited. */
	app_names(names);
	*note = str_printf("adopted from the service: %s (%s)", what,
	    config_profile(app->cfg, v.server.profile)->settings_file);
	rc = store_imap4_save(app->store, v.server.identity, v.version,
	    SETTING_COUNT, names, values, app->user, *note, NULL, cause);
	/* Nothing to restart when nginx runs what the file says. */
	if (rc == 0 && v.obs.loaded == OBSERVE_LOADED_YES)
		rc = store_imap4_set_pending(app->store, v.server.identity, 0,
		    NULL, cause);
	free(what);
	imap4_view_free(&v);
	return (rc);
}

static void
app_names(const char *names[SETTING_COUNT])
{
	size_t	i;

	for (i = 0; i < SETTING_COUNT; i++)
		names[i] = settings_table[i].name;
}

int
imap4_load(struct app *app, const char *identity, struct imap4_view *v,
    char **cause)
{
	struct store_imap4	 row;
	const struct setting_def *def;
	size_t			 i;
	int			 rc;

	memset(v, 0, sizeof *v);
	rc = store_server_get(app->store, identity, &v->server, cause);
	if (rc != 0)
		return (rc);
	rc = store_imap4_get(app->store, v->server.identity, &row, cause);
	if (rc != 0) {
		store_server_free(&v->server);
		return (rc);
	}
	for (i = 0; i < SETTING_COUNT; i++)
		v->configured[i] = settings_table[i].def;
	for (i = 0; i < row.n; i++) {
		/* Rows of settings this build no longer knows are kept, unused. */
		if ((def = settings_find(row.values[i].name)) == NULL)
			continue;
		v->configured[settings_id(def)] = row.values[i].configured;
		v->has_running[settings_id(def)] = row.values[i].has_running;
		v->running[settings_id(def)] = row.values[i].running;
	}
	v->version = row.version;
	v->restart_pending = row.restart_pending;
	v->changed_by = row.changed_by;
	v->changed_at = row.changed_at;
	row.changed_by = row.changed_at = NULL;
	store_imap4_free(&row);
	return (0);
}

static int
app_has_role(const struct store_server *s, const char *role)
{
	const char	*p = s->roles;
	size_t		 len = strlen(role);

	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, role, len) == 0 &&
		    (p[len] == '\0' || p[len] == ','))
			return (1);
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return (0);
}

static int
app_may_edit(struct app *app, const char *what, char **cause)
{
	if (perm_can_edit(app->role))
		return (1);
	*cause = str_printf("%s (%s) may not %s", app->user,
	    perm_role_name(app->role), what);
	return (0);
}

/* "AuthenticatedConnectionTimeout 1800 -> 900, ..." for what differs. */
static char *
app_diff_text(const long old[SETTING_COUNT], const long new[SETTING_COUNT])
{
	char	*text = NULL;
	size_t	 i;

	for (i = 0; i < SETTING_COUNT; i++) {
		if (old[i] != new[i] && str_append(&text, ", ", "%s %ld -> %ld",
		    settings_table[i].name, old[i], new[i]) != 0)
			return (NULL);
	}
	return (text);
}

static char *
app_conflict_text(const struct imap4_view *cur)
{
	char	*values = NULL, *text;
	size_t	 i;

	for (i = 0; i < SETTING_COUNT; i++) {
		if (str_append(&values, ", ", "%s %ld", settings_table[i].name,
		    cur->configured[i]) != 0)
			return (NULL);
	}
	text = str_printf("%s was changed by %s at %s since it was opened; "
	    "nothing saved. Their values: %s", cur->server.identity,
	    cur->changed_by ? cur->changed_by : "someone",
	    cur->changed_at ? cur->changed_at : "an unknown time", values);
	free(values);
	return (text);
}

int
imap4_save(struct app *app, const char *identity, long expected_version,
    const long values[SETTING_COUNT], struct imap4_view *current, char **cause)
{
	struct imap4_view	 v;
	const char		*names[SETTING_COUNT];
	char			*what;
	size_t			 i;
	int			 rc;

	if (current != NULL)
		memset(current, 0, sizeof *current);
	if (!app_may_edit(app, "change IMAP4 settings", cause))
		return (-1);
	for (i = 0; i < SETTING_COUNT; i++) {
		if (settings_check(&settings_table[i], values[i], cause) != 0)
			return (-1);
	}
	if ((rc = imap4_load(app, identity, &v, cause)) != 0)
		return (rc);
	if (!app_has_role(&v.server, "ClientAccess")) {
		*cause = str_printf("%s is not a client access server (roles: %s)",
		    v.server.identity, v.server.roles);
		imap4_view_free(&v);
		return (-1);
	}
	if (v.version != expected_version) {
		*cause = app_conflict_text(&v);
		if (current != NULL)
			*current = v;
		else
			imap4_view_free(&v);
		return (STORE_CONFLICT);
	}
	if (memcmp(v.configured, values, sizeof v.configured) == 0) {
		/* Nothing differs: nothing to save or audit. */
		imap4_view_free(&v);
		return (0);
	}
	if ((what = app_diff_text(v.configured, values)) == NULL) {
		/* Not "nothing differs": out of memory must not pass as saved. */
		*cause = str_printf("out of memory: %s not saved",
		    v.server.identity);
		imap4_view_free(&v);
		return (-1);
	}
	app_names(names);
	rc = store_imap4_save(app->store, v.server.identity, expected_version,
	    SETTING_COUNT, names, values, app->user, what, NULL, cause);
	free(what);
	if (rc == STORE_CONFLICT) {
		/* Lost a race after our read: report the winner's values. */
		free(*cause);
		imap4_view_free(&v);
		if (imap4_load(app, identity, &v, cause) != 0)
			return (STORE_CONFLICT);
		*cause = app_conflict_text(&v);
		if (current != NULL)
			*current = v;
		else
			imap4_view_free(&v);
		return (STORE_CONFLICT);
	}
	imap4_view_free(&v);
	return (rc);
}

/*
 * What the audit log keeps of a failed push: how long it ran, the summary,
 * and the tail of the failing command's error output (the summary quotes
 * only its last line).
 */
static char *
app_failure_text(const struct service_result *res)
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
	char			*what = NULL, *outcome = NULL, *err = NULL;
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
	rc = service_apply(app->cfg, prof, &v.server, v.configured, mode,
	    progress, arg, res);
	if (rc == 0)
		outcome = str_printf("ok: %s", res->message ? res->message : "");
	else {
		*cause = str_printf("%s", res->message ? res->message :
		    "service control failed");
		outcome = app_failure_text(res);
	}
	audit = (struct store_audit_entry){ app->user, action,
	    what ? what : "", outcome ? outcome : "" };
	/*
	 * The outcome and its audit row are one transaction. A failure leaves
	 * the server pending: the service may now run anything.
	 */
	app_names(names);
	if (rc == 0)
		rc2 = store_imap4_set_running(app->store, v.server.identity,
		    SETTING_COUNT, names, v.configured, &audit, &err);
	else
		rc2 = store_imap4_set_pending(app->store, v.server.identity, 1,
		    &audit, &err);
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
	imap4_view_free(&v);
	return (rc);
}
