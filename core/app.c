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
	char		*report = NULL;
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
	/* What a dead imapadm left half done is finished before anything. */
	imap4_recover(app, &report);
	if (report != NULL)
		(void)str_append(&app->cfg->warnings, "\n", "%s", report);
	free(report);
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
	free(v->pending_why);
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
		imap4_pending(v);
		return;
	}
	memset(&v->obs, 0, sizeof v->obs);
	v->obs.at = time(NULL);
	v->obs.state = SERVICE_UNKNOWN;
	v->obs.source = v->server.profile == NULL ||
	    *v->server.profile == '\0' ? str_printf("unknown: %s has no "
	    "service profile", v->server.identity) : str_printf("unknown: "
	    "profile %s is not in the config", v->server.profile);
	imap4_pending(v);
}

/*
 * Pending means configured differs from what runs: observed, when every
 * value was seen; else (nothing observable) from what imapadm last
 * pushed, and said so. Never a flag a crash or a race can leave behind.
 */
void
imap4_pending(struct imap4_view *v)
{
	const char	*why;
	size_t		 k;
	int		 seen = v->observed, pushed = 1, differs = 0;

	for (k = 0; k < SETTING_COUNT; k++) {
		seen = seen && v->obs.has_running[k];
		pushed = pushed && v->has_running[k];
	}
	free(v->pending_why);
	if (seen) {
		for (k = 0; k < SETTING_COUNT; k++)
			differs |= v->configured[k] != v->obs.running[k];
		v->restart_pending = differs;
		v->pending_why = str_printf("configured %s running, as "
		    "observed (%s)", differs ? "differs from" : "equals",
		    v->obs.source != NULL ? v->obs.source : "?");
		return;
	}
	why = v->observed && v->obs.source != NULL ? v->obs.source :
	    "not observed";
	if (!v->has_rows) {
		/* Nothing saved or adopted: nothing asked of the service. */
		v->restart_pending = 0;
		v->pending_why = str_printf("nothing saved for %s yet (running "
		    "%s)", v->server.identity, why);
		return;
	}
	if (!pushed) {
		v->restart_pending = 1;
		v->pending_why = str_printf("imapadm never pushed the "
		    "configured values; running %s", why);
		return;
	}
	for (k = 0; k < SETTING_COUNT; k++)
		differs |= v->configured[k] != v->running[k];
	v->restart_pending = differs;
	v->pending_why = str_printf("configured %s what imapadm last pushed "
	    "(running %s)", differs ? "differs from" : "equals", why);
}

int
imap4_adoption(const struct observation *o, const struct profile *prof,
    long values[SETTING_COUNT], char **note)
{
	char	*what = NULL, *bad = NULL;
	size_t	 k;

	for (k = 0; k < SETTING_COUNT && o->file_read; k++) {
		if (!o->file.have[k] || settings_check(&settings_table[k],
		    o->file.value[k], &bad) != 0)
			break;
		values[k] = o->file.value[k];
		(void)str_append(&what, ", ", "%s %ld", settings_table[k].name,
		    values[k]);
	}
	if (!o->file_read || k < SETTING_COUNT) {
		*note = str_printf("starts from the defaults (%ld/%ld s): %s",
		    settings_table[0].def, settings_table[1].def, bad != NULL ?
		    bad : !o->file_read ? o->source : "the settings "
		    "file does not give both time-outs");
		free(bad);
		free(what);
		return (0);
	}
	*note = str_printf("adopted from the service: %s (%s)", what,
	    prof->settings_file);
	free(what);
	return (1);
}

int
imap4_adopt(struct app *app, const char *identity, char **note,
    char **cause)
{
	struct imap4_view	 v;
	const char		*names[SETTING_COUNT];
	long			 values[SETTING_COUNT];
	int			 rc;

	*note = NULL;
	if ((rc = imap4_load(app, identity, &v, cause)) != 0)
		return (rc);
	/* The file only (on its host, for a remote one): no command of the
	 * profile runs for a server being added. */
	imap4_observe(app, &v, OBSERVE_REMOTE);
	if (!imap4_adoption(&v.obs, config_profile(app->cfg,
	    v.server.profile), values, note)) {
		imap4_view_free(&v);
		return (0);
	}
	/* What the service holds becomes what is configured, audited. */
	app_names(names);
	/* Not pending when nginx runs what the file says: observed. */
	rc = store_imap4_save(app->store, v.server.identity, v.version,
	    SETTING_COUNT, names, values, app->user, *note, NULL, cause);
	imap4_view_free(&v);
	return (rc);
}

void
app_names(const char *names[SETTING_COUNT])
{
	size_t	i;

	for (i = 0; i < SETTING_COUNT; i++)
		names[i] = settings_table[i].name;
}

/* The view of rows already read (a listing's window): no query. */
void
imap4_view_of(const struct store_server *srv, const struct store_imap4 *row,
    struct imap4_view *v)
{
	const struct setting_def *def;
	size_t			 i;

	memset(v, 0, sizeof *v);
	v->server.identity = strdup(srv->identity);
	v->server.fqdn = strdup(srv->fqdn);
	v->server.roles = strdup(srv->roles);
	v->server.site = strdup(srv->site);
	v->server.profile = srv->profile != NULL ? strdup(srv->profile) : NULL;
	if (v->server.identity == NULL || v->server.fqdn == NULL ||
	    v->server.roles == NULL || v->server.site == NULL)
		abort();
	for (i = 0; i < SETTING_COUNT; i++)
		v->configured[i] = settings_table[i].def;
	for (i = 0; i < row->n; i++) {
		/* Rows of settings this build no longer knows are kept, unused. */
		if ((def = settings_find(row->values[i].name)) == NULL)
			continue;
		v->configured[settings_id(def)] = row->values[i].configured;
		v->has_running[settings_id(def)] = row->values[i].has_running;
		v->running[settings_id(def)] = row->values[i].running;
	}
	v->server_id = row->server_id;
	v->version = row->version;
	v->has_rows = row->n > 0;
	if (row->changed_by != NULL && (v->changed_by =
	    strdup(row->changed_by)) == NULL)
		abort();
	if (row->changed_at != NULL && (v->changed_at =
	    strdup(row->changed_at)) == NULL)
		abort();
	imap4_pending(v);
}

int
imap4_load(struct app *app, const char *identity, struct imap4_view *v,
    char **cause)
{
	struct store_server	 srv;
	struct store_imap4	 row;
	int			 rc;

	memset(v, 0, sizeof *v);
	rc = store_server_get(app->store, identity, &srv, cause);
	if (rc != 0)
		return (rc);
	rc = store_imap4_get(app->store, srv.identity, &row, cause);
	if (rc != 0) {
		store_server_free(&srv);
		return (rc);
	}
	imap4_view_of(&srv, &row, v);
	store_server_free(&srv);
	store_imap4_free(&row);
	return (0);
}

int
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

int
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
app_conflict_text(const struct imap4_view *cur, int replaced)
{
	char	*values = NULL, *text;
	size_t	 i;

	for (i = 0; i < SETTING_COUNT; i++) {
		if (str_append(&values, ", ", "%s %ld", settings_table[i].name,
		    cur->configured[i]) != 0)
			return (NULL);
	}
	if (replaced)
		text = str_printf("%s was removed and added again since it was "
		    "opened (it is another server now); nothing saved. Its "
		    "values: %s", cur->server.identity, values);
	else
		text = str_printf("%s was changed by %s at %s since it was "
		    "opened; nothing saved. Their values: %s",
		    cur->server.identity, cur->changed_by ? cur->changed_by :
		    "someone", cur->changed_at ? cur->changed_at :
		    "an unknown time", values);
	free(values);
	return (text);
}

int
imap4_save(struct app *app, const char *identity, long expected_id,
    long expected_version, const long values[SETTING_COUNT],
    struct imap4_view *current, char **cause)
{
	struct store_imap4_change c;
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
	rc = expected_id != STORE_ANY && v.server_id != expected_id ?
	    STORE_REPLACED : v.version != expected_version ? STORE_CONFLICT : 0;
	if (rc == 0 && memcmp(v.configured, values, sizeof v.configured) == 0) {
		/* Nothing differs: nothing to save or audit. */
		imap4_view_free(&v);
		return (0);
	}
	if (rc == 0) {
		if ((what = app_diff_text(v.configured, values)) == NULL) {
			/* Not "nothing differs": out of memory must not pass
			 * as saved. */
			*cause = str_printf("out of memory: %s not saved",
			    v.server.identity);
			imap4_view_free(&v);
			return (-1);
		}
		app_names(names);
		memset(&c, 0, sizeof c);
		/* Checked again inside the save's transaction. */
		c.server_id = expected_id;
		c.version = expected_version;
		c.n = SETTING_COUNT;
		c.names = names;
		c.values = values;
		c.user = app->user;
		c.what = what;
		rc = store_imap4_change(app->store, v.server.identity, &c, NULL,
		    cause);
		free(what);
		if (rc == STORE_CONFLICT || rc == STORE_REPLACED) {
			/* Lost a race after our read: report the winner. */
			free(*cause);
			*cause = NULL;
			imap4_view_free(&v);
			if (imap4_load(app, identity, &v, cause) != 0)
				return (rc);
		}
	}
	if (rc == STORE_CONFLICT || rc == STORE_REPLACED) {
		*cause = app_conflict_text(&v, rc == STORE_REPLACED);
		if (current != NULL)
			*current = v;
		else
			imap4_view_free(&v);
		return (rc);
	}
	imap4_view_free(&v);
	return (rc);
}

/* What imap4_set's merge works from, inside the save's transaction. */
struct app_set {
	const int		*given;
	const long		*values;
	long			 if_version;
	long			 merged[SETTING_COUNT];
	struct imap4_change	*out;
};

static int
app_set_merge(void *arg, const struct store_imap4 *cur, char **what)
{
	struct app_set		*a = arg;
	const struct setting_def *def;
	size_t			 i;

	for (i = 0; i < SETTING_COUNT; i++)
		a->out->old[i] = settings_table[i].def;
	for (i = 0; i < cur->n; i++) {
		if ((def = settings_find(cur->values[i].name)) != NULL)
			a->out->old[settings_id(def)] = cur->values[i].configured;
	}
	for (i = 0; i < SETTING_COUNT; i++)
		a->merged[i] = a->given[i] ? a->values[i] : a->out->old[i];
	memcpy(a->out->new, a->merged, sizeof a->merged);
	a->out->version = cur->version;
	if (memcmp(a->out->old, a->merged, sizeof a->merged) == 0)
		return (1);
	if ((*what = app_diff_text(a->out->old, a->merged)) == NULL) {
		*what = str_printf("out of memory: nothing saved");
		return (-1);
	}
	a->out->changed = 1;
	a->out->version = cur->version + 1;
	return (0);
}

int
imap4_set(struct app *app, const char *identity,
    const int given[SETTING_COUNT], const long values[SETTING_COUNT],
    long if_version, struct imap4_change *out, char **cause)
{
	struct store_imap4_change c;
	struct store_imap4	 cur;
	struct store_server	 srv;
	struct app_set		 a;
	const char		*names[SETTING_COUNT];
	size_t			 i;
	int			 rc;

	memset(out, 0, sizeof *out);
	if (!app_may_edit(app, "change IMAP4 settings", cause))
		return (-1);
	for (i = 0; i < SETTING_COUNT; i++) {
		if (given[i] && settings_check(&settings_table[i], values[i],
		    cause) != 0)
			return (-1);
	}
	if ((rc = store_server_get(app->store, identity, &srv, cause)) != 0)
		return (rc);
	if (!app_has_role(&srv, "ClientAccess")) {
		*cause = str_printf("%s is not a client access server (roles: "
		    "%s)", srv.identity, srv.roles);
		store_server_free(&srv);
		return (-1);
	}
	out->identity = srv.identity;
	srv.identity = NULL;
	store_server_free(&srv);

	app_names(names);
	memset(&a, 0, sizeof a);
	a.given = given;
	a.values = values;
	a.out = out;
	memset(&c, 0, sizeof c);
	c.server_id = STORE_ANY;
	c.version = if_version;
	c.n = SETTING_COUNT;
	c.names = names;
	c.values = a.merged;
	c.merge = app_set_merge;
	c.arg = &a;
	c.user = app->user;
	rc = store_imap4_change(app->store, out->identity, &c, &cur, cause);
	if (rc == STORE_CONFLICT) {
		free(*cause);
		*cause = str_printf("%s is at version %ld, not %ld "
		    "(-IfVersion): changed by %s at %s; nothing saved",
		    out->identity, cur.version, if_version,
		    cur.changed_by != NULL ? cur.changed_by : "someone",
		    cur.changed_at != NULL ? cur.changed_at :
		    "an unknown time");
		out->version = cur.version;
		store_imap4_free(&cur);
	}
	return (rc);
}

void
imap4_change_free(struct imap4_change *c)
{
	free(c->identity);
	memset(c, 0, sizeof *c);
}
