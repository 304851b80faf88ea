/* Service control through a profile: render the settings, write them
 * atomically, check, restart or reload, ask status. */
#ifndef IMAPADM_CORE_SERVICE_H
#define IMAPADM_CORE_SERVICE_H

#include "core/config.h"
#include "core/settings.h"

struct store_server;

enum service_mode {
	SERVICE_RESTART,	/* stop + start: all sessions get the new values */
	SERVICE_RELOAD		/* graceful: only new connections get them */
};

#define SERVICE_MAX_STEPS 8

struct service_step {
	const char *name;	/* "render", "write", "check", "restart", "reload", "status" */
	char	*command;	/* argv as text, NULL for internal steps */
	int	 ok;
	int	 exit_status;	/* -1 when it did not exit normally */
	int	 timed_out;
	double	 seconds;
	char	*detail;	/* error tail or message, may be NULL */
};

struct service_result {
	int	 ok;
	enum service_mode mode;
	size_t	 nsteps;
	struct service_step steps[SERVICE_MAX_STEPS];
	char	*message;	/* one-line summary for status line / CLI */
	char	*status;	/* output of the status command, may be NULL */
};
void	 service_result_free(struct service_result *);

/* Progress: called at the start of each step (detail = command text) and on
 * every tick while a command runs (step repeated, detail NULL). */
typedef void (*service_progress_fn)(void *arg, const char *step,
	     const char *detail);

/*
 * Placeholders, expanded inside each argument: %{identity} %{fqdn} %{site}
 * %{profile} %{settings_file} and %{<SettingName>} (seconds) for every row of
 * settings_table. %% is a literal %. An unknown placeholder is an error.
 * Returns a NULL-terminated argv, caller frees with service_argv_free. With
 * remote = ssh it is the ssh command that runs it on the profile's
 * ssh_host, each argument quoted for the remote shell (core/remote.h).
 */
char	**service_expand(const struct profile *, const struct argv_tmpl *,
	     const struct store_server *, const long values[SETTING_COUNT],
	     char **cause);
void	 service_argv_free(char **);
/* The host a remote profile reaches srv on (its ssh_host expanded);
 * caller frees. */
char	*service_host(const struct profile *, const struct store_server *,
	     char **cause);
/* Seconds each command of prof may run. */
int	 service_timeout(const struct config *, const struct profile *);

/* 0 when text (the file at path now) holds only what imapadm renders, so
 * that overwriting it loses nothing; else -1 and *cause. */
int	 service_own_file(const char *path, const char *text, char **cause);
/* Text the profile writes to settings_file; caller frees. */
char	*service_render(const struct profile *, const long values[SETTING_COUNT]);
/* temp file in the same directory, fsync, keep old as path + ".prev", rename. */
int	 service_write_atomic(const char *path, const char *content, char **cause);

/*
 * Told before each step that changes the service: "write" with the file
 * as it is now (had_old 0: there is none), then the action ("restart" or
 * "reload") once the check passed. Non-zero stops the apply before that
 * step (*cause says why); a refused action puts the previous file back.
 */
struct stat;
struct service_gate {
	int	(*before)(void *arg, const char *step, const char *old,
		    size_t oldlen, int had_old, const struct stat *oldst,
		    char **cause);
	void	*arg;
};

/*
 * Temp files are named path + SERVICE_TEMP_MARK + six random characters,
 * so that those a crash left can be told from an admin's files.
 */
#define SERVICE_TEMP_MARK	".imapadm-tmp-"
/* Remove such files beside path (and beside path.prev); *removed (caller
 * frees, NULL if none) names them. -1 with *cause if the directory cannot
 * be read. */
int	 service_clean_temps(const char *path, char **removed, char **cause);
/* Put path back as it was: old's content with mtime (ns since the epoch),
 * or no file when had_old is 0. */
int	 service_put_back(const char *path, int had_old, const char *old,
	     size_t oldlen, long long mtime_ns, char **cause);

/*
 * render -> write -> check (failure restores the previous file and stops)
 * -> restart or reload -> status. Fills *res; returns 0 on success, -1 if a
 * step failed (res->message says which and why).
 */
int	 service_apply(const struct config *, const struct profile *,
	     const struct store_server *, const long values[SETTING_COUNT],
	     enum service_mode, service_progress_fn, void *arg,
	     struct service_result *res);
/* The same, told before each step through gate (may be NULL). Once
 * proc_stopping() (a signal), no further step starts. */
int	 service_apply_gated(const struct config *, const struct profile *,
	     const struct store_server *, const long values[SETTING_COUNT],
	     enum service_mode, const struct service_gate *,
	     service_progress_fn, void *arg, struct service_result *res);
/*
 * What a status command's exit says, as LSB init scripts and systemctl
 * is-active say it: 0 running, 3 stopped, anything else (or no exit at all)
 * unknown.
 */
enum service_state {
	SERVICE_UNKNOWN = -1,
	SERVICE_RUNNING = 0,
	SERVICE_STOPPED = 1
};
#define SERVICE_LSB_STOPPED	3

/*
 * Run only the status command. Running or stopped: *text is its output
 * (caller frees; may be empty). Unknown: *cause says why.
 */
enum service_state service_status(const struct config *,
	     const struct profile *, const struct store_server *, char **text,
	     char **cause);

/* Run one of the profile's templates (its observe command, say); *out is
 * its output when it exits 0, else -1 and *cause says why. */
int	 service_query(const struct config *, const struct profile *,
	     const struct argv_tmpl *, const struct store_server *,
	     char **out, char **cause);

#endif
