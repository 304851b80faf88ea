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
	long	 version;
	int	 restart_pending;
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
/*
 * A new server starts from what its service holds: the settings file its
 * nginx-mail profile names, read back (any nginx units), saved as its
 * configured values and audited as "adopted from the service". *note says
 * what happened, also when it starts from the defaults and why.
 */
int	 imap4_adopt(struct app *, const char *identity, char **note,
	     char **cause);
/* Returns 0, STORE_NOTFOUND (cause says which identity) or -1. */
int	 imap4_load(struct app *, const char *identity, struct imap4_view *,
	     char **cause);

/*
 * Validate and save values (only those that differ are audited) if the
 * server is still at expected_version. Permission is checked here.
 * Returns 0, -1 (cause), STORE_NOTFOUND or STORE_CONFLICT (cause says who
 * changed it and when; *current, if not NULL, holds their values).
 */
int	 imap4_save(struct app *, const char *identity, long expected_version,
	     const long values[SETTING_COUNT], struct imap4_view *current,
	     char **cause);

/*
 * Push the configured values to the running service through the server's
 * profile (service_apply); on success record them as running and clear
 * restart-pending. Writes one audit row with the outcome either way.
 * Returns 0 or -1 (cause; *res still describes the steps run).
 */
int	 imap4_restart(struct app *, const char *identity, enum service_mode,
	     service_progress_fn, void *arg, struct service_result *res,
	     char **cause);

#endif
