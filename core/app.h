/* The application context shared by the console and the command line: the
 * config, the open store, and who is running the program with which role. */
#ifndef IMAPADM_CORE_APP_H
#define IMAPADM_CORE_APP_H

#include "core/config.h"
#include "core/observe.h"
#include "core/perm.h"
#include "core/service.h"
#include "core/settings.h"
#include "core/trust.h"
#include "data/store.h"

struct app {
	struct config	*cfg;
	struct store	*store;
	char		*db_path;
	char		*user;		/* acting Unix user (under sudo, the invoker) */
	enum perm_role	 role;
	struct trust	 trust;
};

/* The database root's imapadm uses when its config names none. */
#define APP_SYSTEM_DB	"/var/lib/imapadm/imapadm.db"

/*
 * db_path / config_path NULL: $IMAPADM_DB / config / defaults. Root acting
 * for another user (sudo) may give neither: /etc/imapadm/imapadm.conf and
 * its database (else APP_SYSTEM_DB) only, IMAPADM_* ignored with a warning.
 */
int	 app_open(const char *db_path, const char *config_path,
	     struct app **out, char **cause);
void	 app_close(struct app *);

/* A server's IMAP4 settings merged with the table: missing rows read as
 * the default (configured) or unknown (running). */
struct imap4_view {
	struct store_server server;
	long	 server_id;	/* row identity (see imap4_save) */
	long	 version;
	/*
	 * Pending: configured differs from what runs, as observed when every
	 * value is (imap4_observe); else from what imapadm last pushed.
	 * pending_why says which, in one line.
	 */
	int	 restart_pending;
	char	*pending_why;
	int	 has_rows;	/* values were ever saved or adopted */
	char	*changed_by;
	char	*changed_at;
	long	 configured[SETTING_COUNT];
	/* What imapadm last pushed (the store's memory, not an observation). */
	int	 has_running[SETTING_COUNT];
	long	 running[SETTING_COUNT];
	/* What runs, seen now: filled by imap4_observe. */
	int	 observed;
	struct observation obs;
};
void	 imap4_view_free(struct imap4_view *);

/*
 * Look at what the server's service runs now (observe_server through its
 * profile, flags OBSERVE_*). Where there is no profile, v->obs.source says
 * so.
 */
void	 imap4_observe(struct app *, struct imap4_view *, int flags);
/* Derive restart_pending and pending_why (replaced) from what v holds:
 * imap4_load and imap4_observe call it; so does a listing that shares
 * one observation between servers. */
void	 imap4_pending(struct imap4_view *);
/*
 * A new server starts from what its service holds: the settings file its
 * nginx-mail profile names, read back (any nginx units), saved as its
 * configured values and audited as "adopted from the service". *note says
 * what happened, also when it starts from the defaults and why.
 */
/*
 * What a server of prof would adopt from observation o (its settings file
 * read back): 1 with values[] and *note "adopted from the service: ...", or
 * 0 with *note saying why it starts from the defaults. Caller frees *note.
 */
int	 imap4_adoption(const struct observation *, const struct profile *,
	     long values[SETTING_COUNT], char **note);
int	 imap4_adopt(struct app *, const char *identity, char **note,
	     char **cause);
/* The view of a server's rows already read (a listing's window), without
 * a query; pending as imap4_load has it (not observed yet). */
void	 imap4_view_of(const struct store_server *, const struct store_imap4 *,
	     struct imap4_view *);
/* Returns 0, STORE_NOTFOUND (cause says which identity) or -1. */
int	 imap4_load(struct app *, const char *identity, struct imap4_view *,
	     char **cause);

/*
 * Validate and save values (only those that differ are audited) if the
 * server is still the row expected_id (STORE_ANY: not checked) at
 * expected_version. Permission is checked here. Returns 0, -1 (cause),
 * STORE_NOTFOUND, STORE_CONFLICT (cause says who changed it and when;
 * *current, if not NULL, holds their values) or STORE_REPLACED (removed
 * and added again since it was read; *current is the new one).
 */
int	 imap4_save(struct app *, const char *identity, long expected_id,
	     long expected_version, const long values[SETTING_COUNT],
	     struct imap4_view *current, char **cause);

/* What imap4_set changed. */
struct imap4_change {
	char	*identity;
	long	 version;		/* after the change */
	int	 changed;		/* 0: the values were already so */
	long	 old[SETTING_COUNT];
	long	 new[SETTING_COUNT];
};
/*
 * The command line's save: the settings given (given[i] non-zero) are set
 * on whatever the server holds now, in one write transaction that waits
 * for other writers (last writer wins; the audit row says old -> new as
 * it found them). if_version other than STORE_ANY refuses with
 * STORE_CONFLICT unless the server is still at that version.
 */
int	 imap4_set(struct app *, const char *identity,
	     const int given[SETTING_COUNT], const long values[SETTING_COUNT],
	     long if_version, struct imap4_change *, char **cause);
void	 imap4_change_free(struct imap4_change *);

/*
 * Push the configured values to the running service through the server's
 * profile (service_apply); on success record them as running and clear
 * restart-pending. Writes one audit row with the outcome either way.
 * Returns 0 or -1 (cause; *res still describes the steps run).
 */
int	 imap4_restart(struct app *, const char *identity, enum service_mode,
	     service_progress_fn, void *arg, struct service_result *res,
	     char **cause);

/* Shared by app.c and restart.c. */
int	 app_has_role(const struct store_server *, const char *role);
int	 app_may_edit(struct app *, const char *what, char **cause);
void	 app_names(const char *names[SETTING_COUNT]);

/*
 * Restarts left unfinished by an imapadm that died (its lock's pid is
 * gone): each is reported in *report (caller frees, NULL if none), its
 * previous settings file put back if the new one was never checked, the
 * stray temp files removed, the status read again and the outcome audited.
 * app_open runs it; only an editor may finish them.
 */
void	 imap4_recover(struct app *, char **report);

#endif
