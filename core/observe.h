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

/*
 * Look at srv's service through its profile. with_status: also run the
 * status command (a process per server: not for long listings).
 */
void	 observe_server(const struct config *, const struct profile *,
	     const struct store_server *, int with_status,
	     struct observation *);
void	 observe_free(struct observation *);

#endif
