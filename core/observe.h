/* What runs, observed now (never remembered): the settings file read back
 * on its host, whether the running nginx has loaded it, and its status. */
#ifndef IMAPADM_CORE_OBSERVE_H
#define IMAPADM_CORE_OBSERVE_H

#include <time.h>

#include "core/config.h"
#include "core/nginx_settings.h"
#include "core/service.h"
#include "data/store.h"

enum observe_loaded {
	OBSERVE_LOADED_UNKNOWN,
	OBSERVE_LOADED_YES,	/* a worker started after the file changed */
	OBSERVE_LOADED_NO	/* every worker is older than the file */
};

struct observation {
	time_t			 at;		/* when it was seen */
	/* The settings file, read back. */
	int			 file_read;
	time_t			 file_mtime;
	struct nginx_settings	 file;
	/* The running nginx (the profile's pid_file names its master). */
	enum observe_loaded	 loaded;
	int			 no_master;	/* its pid file says none runs */
	/* The profile's status command, when asked for. */
	int			 status_asked;
	enum service_state	 state;
	char			*status_line;	/* "running: <its output>",
						 * "stopped: ...", "unknown: why" */
	/* Running values: known only when the file was read and loaded. */
	int			 has_running[SETTING_COUNT];
	long			 running[SETTING_COUNT];
	char			*source;	/* where they come from, or why
						 * unknown: one line */
};

/* What observe_server may run: each is a process per server, so a long
 * listing asks for neither and reads files only. */
#define OBSERVE_STATUS		0x1	/* the status command */
#define OBSERVE_COMMANDS	0x2	/* a profile's observe command */
#define OBSERVE_REMOTE		0x4	/* files on other hosts (ssh), which
					 * OBSERVE_COMMANDS implies */

/* Look at srv's service through its profile (flags: OBSERVE_*). */
void	 observe_server(const struct config *, const struct profile *,
	     const struct store_server *, int flags, struct observation *);
void	 observe_free(struct observation *);
/*
 * Whether observe_server, with these flags, sees the same for every server
 * of prof (it runs no command and names no server): a listing then
 * observes once per profile, reading each settings file once, not once
 * per server.
 */
int	 observe_shared(const struct profile *, int flags);

#endif
