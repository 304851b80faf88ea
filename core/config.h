/* imapadm.conf, read with libconfuse: database path, command time-outs,
 * service profiles and role assignments. */
#ifndef IMAPADM_CORE_CONFIG_H
#define IMAPADM_CORE_CONFIG_H

#include <sys/types.h>

#include <stddef.h>

enum profile_type {
	PROFILE_NGINX_MAIL,	/* renders nginx "timeout"/"proxy_timeout" */
	PROFILE_COMMAND		/* settings passed only as placeholders */
};

enum profile_remote {
	PROFILE_LOCAL,		/* the service runs on this host */
	PROFILE_SSH		/* on ssh_host, reached with OpenSSH */
};

#define PROFILE_CONNECT_TIMEOUT	10	/* ssh ConnectTimeout, if none set */

/* An argv template: each element may hold placeholders, expanded per
 * argument (see service.h). NULL-terminated; argc excludes the NULL. */
struct argv_tmpl {
	size_t	 argc;
	char	**argv;
};

struct profile {
	char		*name;
	enum profile_type type;
	char		*settings_file;	/* where rendered settings go; may be NULL */
	char		*pid_file;	/* nginx master's: is the file loaded? */
	struct argv_tmpl check;		/* empty: no check step */
	struct argv_tmpl restart;
	struct argv_tmpl reload;	/* empty: reload not offered */
	struct argv_tmpl status;	/* empty: status unknown */
	struct argv_tmpl observe;	/* command: prints the running values */
	/* Remote hosts (core/remote.h): imapadm builds the ssh command. */
	enum profile_remote remote;
	char		*ssh_host;	/* template, default "%{fqdn}" */
	struct argv_tmpl ssh_options;	/* more ssh options, before ours */
	int		 connect_timeout; /* seconds; 0: PROFILE_CONNECT_TIMEOUT */
	int		 timeout;	/* seconds per command; 0: config default */
	/* Informational lines the IMAP4 page shows ("listeners", "backend"). */
	char		*listeners;
	char		*backend;
	/* What test-imapconnectivity connects to, "host:port[/tls|/starttls]"
	 * (checked by imap_proto_listener), and how. */
	size_t		 nimap_listeners;
	char		**imap_listeners;
	char		*tls_ca_file;	/* NULL: the system's trust store */
	char		*test_user;	/* with test_password_file, or neither */
	char		*test_password_file;
};

struct role_map {
	/* Unix user names, or "%group" for members of a group. */
	size_t	 n;
	char	**who;
};

struct config {
	char		*path;		/* file read, NULL if none was found */
	char		*database;	/* NULL: store_default_path() */
	int		 command_timeout; /* seconds, default 30 */
	char		*site;		/* site name shown in the header */
	size_t		 nprofiles;
	struct profile	*profiles;
	struct role_map	 org_management;
	struct role_map	 server_management;
	struct role_map	 view_only;
	/* "FILE:LINE: message" lines about a usable but risky file; NULL: none */
	char		*warnings;
	uid_t		 owner;		/* of the file read; 0 when none */
};

/*
 * Load the config. path NULL: $IMAPADM_CONFIG, then
 * $XDG_CONFIG_HOME/imapadm/imapadm.conf (~/.config/...), then
 * /etc/imapadm/imapadm.conf; none found gives the built-in defaults.
 * An explicit path that does not exist is an error. Errors: -1 and *cause
 * holding every problem found, one per line, as "FILE:LINE: message".
 */
int		 config_load(const char *path, struct config **out, char **cause);
/*
 * The config root controls, for root acting for another user (sudo):
 * /etc/imapadm/imapadm.conf only, refused unless it and its directory are
 * owned by root and not writable by group or others; none: the defaults.
 */
int		 config_load_system(struct config **out, char **cause);
struct config	*config_defaults(void);
int		 config_has_roles(const struct config *);
void		 config_drop_roles(struct config *);	/* as if none given */
void		 config_free(struct config *);
const struct profile *config_profile(const struct config *, const char *name);

#endif
