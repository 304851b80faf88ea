/* imapadm.conf: read with libconfuse, checked as a whole, turned into a
 * struct config. Every problem found is reported, each as FILE:LINE: message.
 *
 * Grammar (libconfuse syntax: '#', '//' and C comments, strings quoted with
 * "..." or '...' or bare words, lists as {"a", "b"}):
 *
 *	database = "/var/lib/imapadm/imapadm.db"   # optional
 *	site = "Default-First-Site-Name"    # optional, non-empty
 *	command_timeout = 30                # optional, 1-3600 seconds
 *
 *	profile NAME {                      # any number, unique names
 *		type = "nginx-mail"         # required: nginx-mail | command
 *		settings_file = "/abs/path" # required for nginx-mail
 *		restart = {"prog", "arg"}   # required, non-empty
 *		check   = {...}             # optional
 *		reload  = {...}             # optional
 *		status  = {...}             # optional
 *		remote  = "ssh"             # optional: on another host
 *		ssh_host = "%{fqdn}"        # optional, with remote = ssh
 *		ssh_options = {"-F", "..."} # optional, with remote = ssh
 *		connect_timeout = 10        # optional, 1-3600 seconds
 *		timeout = 20                # optional, 1-3600 seconds
 *		listeners = "text"          # optional, shown on IMAP4 page
 *		backend = "text"            # optional, shown on IMAP4 page
 *		imap_listeners = {"127.0.0.1:143", "%{fqdn}:993/tls",
 *		    "host:143/starttls"}    # optional, test-imapconnectivity
 *		tls_ca_file = "/abs/ca.pem" # optional, else system store
 *		test_user = "probe"         # optional, with the next
 *		test_password_file = "/abs" # mode 0600, first line
 *	}
 *
 *	roles {                             # optional, at most one
 *		organization_management = {"user", "%group", ...}
 *		server_management = {...}
 *		view_only = {...}
 *	}
 *
 * Command arguments may hold the placeholders of service.h: %{identity}
 * %{fqdn} %{site} %{profile} %{settings_file} %{<SettingName>} and %%.
 * A placeholder not in that list is refused here, with its line, rather than
 * at the first restart.
 */

#include <sys/stat.h>

#include <confuse.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/imap_proto.h"
#include "core/settings.h"
#include "core/str.h"
#include "core/trust.h"

#define CONFIG_DEFAULT_TIMEOUT	30
#define CONFIG_DEFAULT_SITE	"Default-First-Site-Name"
#define CONFIG_TIMEOUT_MAX	3600
#define CONFIG_ETC_PATH		"/etc/imapadm/imapadm.conf"
#define CONFIG_MAX_SIZE		(4 * 1024 * 1024)

/*
 * libconfuse 3.3 takes end of file inside a section as its closing brace.
 * A line with this unknown option is added after the file: if it is read
 * inside a section rather than at top level, a '}' is missing.
 */
#define CONFIG_EOF_MARK		"__imapadm_end_of_file__"

struct config_err {
	int		 line;
	size_t		 seq;
	char		*msg;
};

/* Where an option was last given: libconfuse keeps no line per option. */
struct config_where {
	cfg_t		*sec;
	const char	*name;	/* owned by libconfuse until cfg_free */
	int		 line;
};

struct config_ctx {
	const char		*file;
	int			 lastline;	/* last line of the file */
	int			 unclosed;	/* a section runs to the end */
	int			 marked;	/* mark read as an option */
	struct config_err	*errs;
	size_t			 nerrs;
	struct config_where	*where;
	size_t			 nwhere;
	int			 nomem;
	char			*warnings;	/* becomes config->warnings */
	int			 root_only;	/* the file must be root's */
	uid_t			 owner;		/* of the file read */
};

/*
 * libconfuse callbacks get no user pointer, so the load in progress is kept
 * here: config_load is not reentrant (it is called once, at start-up).
 */
static struct config_ctx *config_cur;

static void	 config_add(struct config_ctx *, int, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
static void	 config_errfunc(cfg_t *, const char *, va_list)
		     __attribute__((format(printf, 2, 0)));
static int	 config_note(cfg_t *, cfg_opt_t *);
static size_t	 config_prepare(const char *, size_t, char *);
static int	 config_where_line(struct config_ctx *, cfg_t *, const char *);
static int	 config_parse_seconds(cfg_t *, cfg_opt_t *, const char *,
		     void *);
static char	*config_known(cfg_t *);
static char	*config_xstrdup(struct config_ctx *, const char *);
static int	 config_argv(struct config_ctx *, cfg_t *, const char *,
		     struct profile *, struct argv_tmpl *);
static void	 config_placeholders(struct config_ctx *, int, const char *,
		     const char *, const struct profile *, const char *);
static void	 config_build_remote(struct config_ctx *, cfg_t *,
		     struct profile *);
static void	 config_build_profile(struct config_ctx *, cfg_t *,
		     struct profile *);
static void	 config_build_probe(struct config_ctx *, cfg_t *,
		     struct profile *);
static void	 config_build_roles(struct config_ctx *, cfg_t *, const char *,
		     struct role_map *);
static void	 config_build(struct config_ctx *, cfg_t *, struct config *);
static int	 config_err_cmp(const void *, const void *);
static char	*config_join(struct config_ctx *);
static char	*config_read(struct config_ctx *, const char *, size_t *,
		     char **);
static int	 config_parse_file(const char *, const char *, int,
		     struct config **, char **);
static int	 config_find(char **, char **);
static void	 config_argv_free(struct argv_tmpl *);
static void	 config_roles_free(struct role_map *);

static void
config_add(struct config_ctx *ctx, int line, const char *fmt, ...)
{
	struct config_err	*e;
	va_list			 ap;
	char			*msg, *cp;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	/*
	 * Messages quote the file (libconfuse quotes a string left open with
	 * its newlines): one problem stays one "FILE:LINE:" line, and no
	 * control character reaches the terminal.
	 */
	for (cp = msg; cp != NULL && *cp != '\0'; cp++) {
		if ((unsigned char)*cp < 0x20 || *cp == 0x7f)
			*cp = '?';
	}
	e = reallocarray(ctx->errs, ctx->nerrs + 1, sizeof *ctx->errs);
	if (msg == NULL || e == NULL) {
		free(msg);
		if (e != NULL)
			ctx->errs = e;
		ctx->nomem = 1;
		return;
	}
	ctx->errs = e;
	e[ctx->nerrs].line = line;
	e[ctx->nerrs].seq = ctx->nerrs;
	e[ctx->nerrs].msg = msg;
	ctx->nerrs++;
}

/* Every libconfuse message lands here instead of on stderr. */
static void
config_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	struct config_ctx	*ctx = config_cur;
	char			*msg, *known, name[128];
	const char		*title;

	if (ctx == NULL)
		return;
	if (vasprintf(&msg, fmt, ap) == -1) {
		ctx->nomem = 1;
		return;
	}
	title = cfg_title(cfg);
	if (sscanf(msg, "no such option '%127[^']'", name) == 1 &&
	    strcmp(name, CONFIG_EOF_MARK) == 0) {
		ctx->marked = 1;
		if (strcmp(cfg_name(cfg), "root") != 0) {
			ctx->unclosed = 1;
			config_add(ctx, ctx->lastline, "%s%s%s%s is not "
			    "closed: '}' missing at end of file", cfg_name(cfg),
			    title != NULL ? " '" : "",
			    title != NULL ? title : "",
			    title != NULL ? "'" : "");
		}
	} else if (cfg->line > ctx->lastline) {
		/*
		 * Anything else past the file is the file ending too soon. A
		 * message about '=' or the mark means the mark was taken as
		 * a value: a value, list or string was left unfinished.
		 */
		if (ctx->unclosed) {
			/* Already said. */
		} else if (strstr(msg, "'='") != NULL ||
		    strstr(msg, CONFIG_EOF_MARK) != NULL ||
		    strncmp(msg, "premature", 9) == 0) {
			config_add(ctx, ctx->lastline, "premature end of file: "
			    "a value, list or string is not finished");
		} else {
			config_add(ctx, ctx->lastline, "premature end of file: "
			    "%s", msg);
		}
	} else if (sscanf(msg, "no such option '%127[^']'", name) == 1) {
		/* libconfuse says "no such option"; say what is allowed. */
		known = config_known(cfg);
		if (title != NULL) {
			config_add(ctx, cfg->line, "%s '%s': unknown option "
			    "'%s' (known: %s)", cfg_name(cfg), title, name,
			    known != NULL ? known : "?");
		} else if (strcmp(cfg_name(cfg), "root") != 0) {
			config_add(ctx, cfg->line, "%s: unknown option '%s' "
			    "(known: %s)", cfg_name(cfg), name,
			    known != NULL ? known : "?");
		} else {
			config_add(ctx, cfg->line, "unknown option '%s' "
			    "(known: %s)", name, known != NULL ? known : "?");
		}
		free(known);
	} else if (sscanf(msg, "found duplicate title '%127[^']'", name) == 1)
		config_add(ctx, cfg->line, "profile '%s' is defined twice",
		    name);
	else
		config_add(ctx, cfg->line, "%s", msg);
	free(msg);
}

/* Option names this section accepts: those we put a validate hook on. */
static char *
config_known(cfg_t *cfg)
{
	char	*s = NULL;
	size_t	 i;

	for (i = 0; cfg->opts[i].name != NULL; i++) {
		if (cfg->opts[i].validcb != NULL &&
		    str_append(&s, ", ", "%s", cfg->opts[i].name) != 0)
			return (NULL);
	}
	return (s);
}

/*
 * Validate hook on every known option: remember its line. A list calls this
 * per element and at its closing brace; keep the line of its first element.
 */
static int
config_note(cfg_t *cfg, cfg_opt_t *opt)
{
	struct config_ctx	*ctx = config_cur;
	struct config_where	*w;
	size_t			 i;

	if (ctx == NULL)
		return (0);
	for (i = 0; i < ctx->nwhere; i++) {
		w = &ctx->where[i];
		if (w->sec == cfg && strcmp(w->name, opt->name) == 0) {
			if (cfg_opt_size(opt) <= 1 || opt->type == CFGT_SEC)
				w->line = cfg->line;
			return (0);
		}
	}
	w = reallocarray(ctx->where, ctx->nwhere + 1, sizeof *ctx->where);
	if (w == NULL) {
		ctx->nomem = 1;
		return (0);
	}
	ctx->where = w;
	w[ctx->nwhere].sec = cfg;
	w[ctx->nwhere].name = opt->name;
	w[ctx->nwhere].line = cfg->line;
	ctx->nwhere++;
	return (0);
}

/* Line of option name in sec, or the section's closing line if not given. */
static int
config_where_line(struct config_ctx *ctx, cfg_t *sec, const char *name)
{
	size_t	i;

	for (i = 0; i < ctx->nwhere; i++) {
		if (ctx->where[i].sec == sec &&
		    strcmp(ctx->where[i].name, name) == 0)
			return (ctx->where[i].line);
	}
	return (sec->line);
}

/*
 * Seconds for command_timeout and a profile's timeout. Problems are recorded
 * and parsing goes on (returning non-zero would stop libconfuse at the first
 * one); the load fails at the end anyway.
 */
static int
config_parse_seconds(cfg_t *cfg, cfg_opt_t *opt, const char *value,
    void *result)
{
	struct config_ctx	*ctx = config_cur;
	const char		*p;
	long			 v = 0;
	char			 prefix[160];
	const char		*title = cfg_title(cfg);

	*(long *)result = 0;
	if (ctx == NULL)
		return (0);
	if (title != NULL)
		snprintf(prefix, sizeof prefix, "profile '%s': ", title);
	else
		prefix[0] = '\0';
	if (value == NULL || *value == '\0') {
		config_add(ctx, cfg->line, "%s%s: value is empty (valid: 1-%d "
		    "seconds)", prefix, opt->name, CONFIG_TIMEOUT_MAX);
		return (0);
	}
	for (p = value; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			config_add(ctx, cfg->line, "%s%s: not a whole number "
			    "of seconds: '%.40s' (valid: 1-%d seconds)", prefix,
			    opt->name, value, CONFIG_TIMEOUT_MAX);
			return (0);
		}
		if (v <= CONFIG_TIMEOUT_MAX)
			v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > CONFIG_TIMEOUT_MAX) {
		config_add(ctx, cfg->line, "%s%s: value is too %s: %.40s "
		    "(valid: 1-%d seconds)", prefix, opt->name,
		    v < 1 ? "small" : "large", value, CONFIG_TIMEOUT_MAX);
		return (0);
	}
	*(long *)result = v;
	return (0);
}

static char *
config_xstrdup(struct config_ctx *ctx, const char *s)
{
	char	*t;

	if (s == NULL)
		return (NULL);
	if ((t = strdup(s)) == NULL)
		ctx->nomem = 1;
	return (t);
}

/* Refuse placeholders service_expand would refuse, while the line is known. */
static void
config_placeholders(struct config_ctx *ctx, int line, const char *pname,
    const char *opt, const struct profile *p, const char *arg)
{
	static const char *const fixed[] = {
		"identity", "fqdn", "site", "profile", "settings_file"
	};
	const char	*s, *end;
	char		 name[64];
	size_t		 i, len;
	int		 ok;

	for (s = arg; (s = strchr(s, '%')) != NULL; s++) {
		if (s[1] == '%') {
			s++;
			continue;
		}
		if (s[1] != '{')
			continue;
		if ((end = strchr(s + 2, '}')) == NULL) {
			config_add(ctx, line, "profile '%s': %s: unterminated "
			    "placeholder in '%s'", pname, opt, arg);
			return;
		}
		len = (size_t)(end - s - 2);
		if (len >= sizeof name)
			len = sizeof name - 1;
		memcpy(name, s + 2, len);
		name[len] = '\0';
		ok = settings_find(name) != NULL;
		for (i = 0; !ok && i < sizeof fixed / sizeof fixed[0]; i++)
			ok = strcmp(name, fixed[i]) == 0;
		if (!ok) {
			config_add(ctx, line, "profile '%s': %s: unknown "
			    "placeholder %%{%s} (known: %%{identity} %%{fqdn} "
			    "%%{site} %%{profile} %%{settings_file} %%{%s} "
			    "%%{%s})", pname, opt, name,
			    settings_table[SETTING_AUTH_TIMEOUT].name,
			    settings_table[SETTING_PREAUTH_TIMEOUT].name);
		} else if (strcmp(name, "settings_file") == 0 &&
		    p->settings_file == NULL) {
			config_add(ctx, line, "profile '%s': %s uses "
			    "%%{settings_file} but the profile has no "
			    "settings_file", pname, opt);
		}
		s = end;
	}
}

/* A string list into an argv template; 0 when the list is absent or empty. */
static int
config_argv(struct config_ctx *ctx, cfg_t *sec, const char *opt,
    struct profile *p, struct argv_tmpl *t)
{
	size_t	i, n;
	int	line;

	n = cfg_size(sec, opt);
	if (n == 0)
		return (0);
	line = config_where_line(ctx, sec, opt);
	t->argv = calloc(n + 1, sizeof *t->argv);
	if (t->argv == NULL) {
		ctx->nomem = 1;
		return (0);
	}
	for (i = 0; i < n; i++) {
		t->argv[i] = config_xstrdup(ctx, cfg_getnstr(sec, opt, i));
		if (t->argv[i] == NULL)
			return (0);
		t->argc++;
		config_placeholders(ctx, line, p->name, opt, p, t->argv[i]);
	}
	if (t->argv[0][0] == '\0') {
		config_add(ctx, line, "profile '%s': %s: the program (first "
		    "element) is empty", p->name, opt);
	}
	return ((int)n);
}

/*
 * How the profile reaches another host. The old prefix (an ssh argv put in
 * front of each command) is refused: ssh joined its arguments into one
 * string for the remote shell and the settings file was written here.
 */
static void
config_build_remote(struct config_ctx *ctx, cfg_t *sec, struct profile *p)
{
	static const char *const ssh_only[] = { "ssh_host", "ssh_options",
	    "connect_timeout" };
	const char	*remote, *host;
	size_t		 i;
	int		 line;

	if (cfg_size(sec, "prefix") > 0) {
		config_add(ctx, config_where_line(ctx, sec, "prefix"),
		    "profile '%s': prefix is no longer supported (ssh gave "
		    "its arguments to the remote shell as one string, and the "
		    "settings file was written on this host): use remote = "
		    "\"ssh\", ssh_host = \"%%{fqdn}\" and, for more ssh "
		    "options, ssh_options = {...}", p->name);
	}
	remote = cfg_getstr(sec, "remote");
	line = config_where_line(ctx, sec, "remote");
	if (remote == NULL || strcmp(remote, "local") == 0)
		p->remote = PROFILE_LOCAL;
	else if (strcmp(remote, "ssh") == 0)
		p->remote = PROFILE_SSH;
	else {
		config_add(ctx, line, "profile '%s': unknown remote '%.40s' "
		    "(valid: ssh, local)", p->name, remote);
		return;
	}
	if (p->remote == PROFILE_LOCAL) {
		for (i = 0; i < sizeof ssh_only / sizeof ssh_only[0]; i++) {
			if (cfg_size(sec, ssh_only[i]) == 0)
				continue;
			config_add(ctx, config_where_line(ctx, sec,
			    ssh_only[i]), "profile '%s': %s is set but remote "
			    "is not \"ssh\"", p->name, ssh_only[i]);
		}
		return;
	}
	host = cfg_getstr(sec, "ssh_host");
	line = config_where_line(ctx, sec, "ssh_host");
	if (host != NULL && *host == '\0')
		config_add(ctx, line, "profile '%s': ssh_host is empty "
		    "(default: %%{fqdn})", p->name);
	p->ssh_host = config_xstrdup(ctx, host != NULL ? host : "%{fqdn}");
	if (p->ssh_host != NULL)
		config_placeholders(ctx, line, p->name, "ssh_host", p,
		    p->ssh_host);
	config_argv(ctx, sec, "ssh_options", p, &p->ssh_options);
	if (cfg_size(sec, "connect_timeout") > 0)
		p->connect_timeout = (int)cfg_getint(sec, "connect_timeout");
}

static void
config_build_profile(struct config_ctx *ctx, cfg_t *sec, struct profile *p)
{
	const char	*type, *file;
	int		 line, typeok = 0;

	p->name = config_xstrdup(ctx, cfg_title(sec));
	if (p->name == NULL)
		return;
	if (*p->name == '\0')
		config_add(ctx, sec->line, "profile name is empty");

	type = cfg_getstr(sec, "type");
	line = config_where_line(ctx, sec, "type");
	if (type == NULL) {
		config_add(ctx, sec->line, "profile '%s' ends without the "
		    "required type (nginx-mail or command)", p->name);
	} else if (strcmp(type, "nginx-mail") == 0) {
		p->type = PROFILE_NGINX_MAIL;
		typeok = 1;
	} else if (strcmp(type, "command") == 0) {
		p->type = PROFILE_COMMAND;
		typeok = 1;
	} else {
		config_add(ctx, line, "profile '%s': unknown type '%s' (valid: "
		    "nginx-mail, command)", p->name, type);
	}

	file = cfg_getstr(sec, "settings_file");
	line = config_where_line(ctx, sec, "settings_file");
	if (file != NULL) {
		if (*file != '/') {
			config_add(ctx, line, "profile '%s': settings_file "
			    "must be an absolute path: '%s'", p->name, file);
		}
		p->settings_file = config_xstrdup(ctx, file);
	} else if (typeok && p->type == PROFILE_NGINX_MAIL) {
		config_add(ctx, sec->line, "profile '%s' ends without the "
		    "settings_file an nginx-mail profile needs", p->name);
	}

	/*
	 * Without a check a broken settings file goes live at the restart: it
	 * is allowed (a command profile may check in its restart) but said.
	 */
	if (config_argv(ctx, sec, "check", p, &p->check) == 0 && typeok &&
	    p->type == PROFILE_NGINX_MAIL && str_append(&ctx->warnings, "\n",
	    "%s:%d: profile '%s' has no check: a broken settings file goes "
	    "live at the next restart", ctx->file, sec->line, p->name) != 0)
		ctx->nomem = 1;
	if (config_argv(ctx, sec, "restart", p, &p->restart) == 0) {
		config_add(ctx, sec->line, "profile '%s' ends without the "
		    "required restart command", p->name);
	}
	config_argv(ctx, sec, "reload", p, &p->reload);
	config_argv(ctx, sec, "status", p, &p->status);
	config_argv(ctx, sec, "observe", p, &p->observe);
	config_build_remote(ctx, sec, p);

	if (cfg_size(sec, "timeout") > 0)
		p->timeout = (int)cfg_getint(sec, "timeout");
	p->listeners = config_xstrdup(ctx, cfg_getstr(sec, "listeners"));
	file = cfg_getstr(sec, "pid_file");
	if (file != NULL && *file != '/') {
		config_add(ctx, config_where_line(ctx, sec, "pid_file"),
		    "profile '%s': pid_file must be an absolute path: '%s'",
		    p->name, file);
	}
	p->pid_file = config_xstrdup(ctx, file);
	p->backend = config_xstrdup(ctx, cfg_getstr(sec, "backend"));
	config_build_probe(ctx, sec, p);
}

/* What test-imapconnectivity needs: listeners, CA file, test account. */
static void
config_build_probe(struct config_ctx *ctx, cfg_t *sec, struct profile *p)
{
	static const char *const paths[] = { "tls_ca_file",
	    "test_password_file" };
	struct imap_listener	 l;
	const char		*s;
	char			*cause = NULL;
	size_t			 i, n;
	int			 line;

	n = cfg_size(sec, "imap_listeners");
	line = config_where_line(ctx, sec, "imap_listeners");
	if (n > 0 && (p->imap_listeners = calloc(n,
	    sizeof *p->imap_listeners)) == NULL) {
		ctx->nomem = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		s = cfg_getnstr(sec, "imap_listeners", i);
		if (imap_proto_listener(s, NULL, &l, &cause) != 0) {
			config_add(ctx, line, "profile '%s': imap_listeners: "
			    "%s", p->name, cause != NULL ? cause :
			    "out of memory");
			free(cause);
			cause = NULL;
			continue;
		}
		imap_proto_listener_free(&l);
		if ((p->imap_listeners[p->nimap_listeners] =
		    config_xstrdup(ctx, s)) == NULL)
			return;
		p->nimap_listeners++;
	}
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		s = cfg_getstr(sec, paths[i]);
		if (s != NULL && *s != '/')
			config_add(ctx, config_where_line(ctx, sec, paths[i]),
			    "profile '%s': %s must be an absolute path: '%s'",
			    p->name, paths[i], s);
	}
	p->tls_ca_file = config_xstrdup(ctx, cfg_getstr(sec, "tls_ca_file"));
	p->test_user = config_xstrdup(ctx, cfg_getstr(sec, "test_user"));
	p->test_password_file = config_xstrdup(ctx,
	    cfg_getstr(sec, "test_password_file"));
	if (p->test_user != NULL && *p->test_user == '\0')
		config_add(ctx, config_where_line(ctx, sec, "test_user"),
		    "profile '%s': test_user is empty", p->name);
	if ((p->test_user == NULL) != (p->test_password_file == NULL))
		config_add(ctx, sec->line, "profile '%s': test_user and "
		    "test_password_file go together: give both or neither",
		    p->name);
}

static void
config_build_roles(struct config_ctx *ctx, cfg_t *sec, const char *opt,
    struct role_map *r)
{
	size_t		 i, n;
	const char	*who;
	int		 line;

	n = cfg_size(sec, opt);
	if (n == 0)
		return;
	line = config_where_line(ctx, sec, opt);
	if ((r->who = calloc(n, sizeof *r->who)) == NULL) {
		ctx->nomem = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		who = cfg_getnstr(sec, opt, i);
		if (who == NULL || *who == '\0') {
			config_add(ctx, line, "roles: %s: empty user name",
			    opt);
			continue;
		}
		if (strcmp(who, "%") == 0) {
			config_add(ctx, line, "roles: %s: group name missing "
			    "after '%%'", opt);
			continue;
		}
		if ((r->who[r->n] = config_xstrdup(ctx, who)) == NULL)
			return;
		r->n++;
	}
}

/* libconfuse has checked the syntax; check the meaning and fill conf. */
static void
config_build(struct config_ctx *ctx, cfg_t *cfg, struct config *conf)
{
	const char	*s;
	cfg_t		*sec;
	size_t		 i, n;

	if ((s = cfg_getstr(cfg, "database")) != NULL) {
		if (*s == '\0') {
			config_add(ctx, config_where_line(ctx, cfg, "database"),
			    "database: path is empty");
		}
		conf->database = config_xstrdup(ctx, s);
	}
	if ((s = cfg_getstr(cfg, "site")) != NULL) {
		if (*s == '\0') {
			config_add(ctx, config_where_line(ctx, cfg, "site"),
			    "site: name is empty");
		}
		free(conf->site);
		conf->site = config_xstrdup(ctx, s);
	}
	if (cfg_size(cfg, "command_timeout") > 0)
		conf->command_timeout = (int)cfg_getint(cfg, "command_timeout");

	n = cfg_size(cfg, "profile");
	if (n > 0) {
		conf->profiles = calloc(n, sizeof *conf->profiles);
		if (conf->profiles == NULL) {
			ctx->nomem = 1;
			return;
		}
		for (i = 0; i < n; i++) {
			sec = cfg_getnsec(cfg, "profile", i);
			conf->nprofiles++;
			config_build_profile(ctx, sec, &conf->profiles[i]);
		}
	}

	sec = cfg_getsec(cfg, "roles");
	if (sec != NULL) {
		config_build_roles(ctx, sec, "organization_management",
		    &conf->org_management);
		config_build_roles(ctx, sec, "server_management",
		    &conf->server_management);
		config_build_roles(ctx, sec, "view_only", &conf->view_only);
	}
}

static int
config_err_cmp(const void *a, const void *b)
{
	const struct config_err	*x = a, *y = b;

	if (x->line != y->line)
		return (x->line < y->line ? -1 : 1);
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* All problems in file order, one "FILE:LINE: message" per line. */
static char *
config_join(struct config_ctx *ctx)
{
	char	*s = NULL;
	size_t	 i;

	qsort(ctx->errs, ctx->nerrs, sizeof *ctx->errs, config_err_cmp);
	for (i = 0; i < ctx->nerrs; i++) {
		if (str_append(&s, "\n", "%s:%d: %s", ctx->file,
		    ctx->errs[i].line, ctx->errs[i].msg) != 0)
			return (NULL);
	}
	return (s);
}

/*
 * The text libconfuse gets, from the file's n bytes in raw into text (room
 * for 2n bytes): returns its length.
 *
 * libconfuse 3.3 miscounts lines in comments: each '#' or '//' comment counts
 * three, a block comment one too many, so every error after one was reported
 * late. It also refuses a comment inside a list. Its count is right for
 * blanks, so comments become spaces (their newlines kept). A block comment
 * left open is left to libconfuse, which then reports the file as ending
 * inside it.
 *
 * libconfuse also replaces ${VAR} in a "..." string with the environment's
 * VAR: a config would then say what whoever runs imapadm wants it to say
 * (EVIL=-rf in a restart command). imapadm turns that off: each '$' in a
 * "..." string is escaped, so "${HOME}" stays those seven characters.
 */
static size_t
config_prepare(const char *raw, size_t n, char *text)
{
	const char	*close;
	size_t		 i = 0, o = 0, end;
	char		 q;

	while (i < n) {
		if (raw[i] == '"' || raw[i] == '\'') {
			q = text[o++] = raw[i++];
			while (i < n && raw[i] != q) {
				if (raw[i] == '\\' && i + 1 < n) {
					text[o++] = raw[i++];
					text[o++] = raw[i++];
					continue;
				}
				if (q == '"' && raw[i] == '$')
					text[o++] = '\\';
				text[o++] = raw[i++];
			}
			if (i < n)
				text[o++] = raw[i++];
			continue;
		}
		end = i;
		if (raw[i] == '/' && i + 1 < n && raw[i + 1] == '*') {
			close = memmem(raw + i + 2, n - i - 2, "*/", 2);
			end = close != NULL ? (size_t)(close - raw) + 2 : n;
			if (close == NULL) {
				memcpy(text + o, raw + i, n - i);
				return (o + n - i);
			}
		} else if (raw[i] == '#' || (raw[i] == '/' && i + 1 < n &&
		    raw[i + 1] == '/')) {
			end = i;
			while (end < n && raw[end] != '\n')
				end++;
		}
		if (end == i) {
			text[o++] = raw[i++];
			continue;
		}
		for (; i < end; i++)
			text[o++] = raw[i] == '\n' ? '\n' : ' ';
	}
	return (o);
}

/*
 * The whole file, with the end-of-file mark on a line of its own after it;
 * sets ctx->lastline. libconfuse reads it from memory.
 */
static char *
config_read(struct config_ctx *ctx, const char *origin, size_t *len,
    char **cause)
{
	static const char	 mark[] = CONFIG_EOF_MARK " = 1\n";
	struct stat		 st;
	FILE			*fp;
	char			*raw, *text;
	size_t			 n, i;
	int			 fd;

	/*
	 * O_NONBLOCK: a FIFO (or a device) named as the config must not hang
	 * the open; it is refused below as not a regular file.
	 */
	if ((fd = open(ctx->file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
	    (fp = fdopen(fd, "r")) == NULL) {
		if (asprintf(cause, "cannot open config file %s%s: %s",
		    ctx->file, origin, strerror(errno)) == -1)
			*cause = NULL;
		if (fd != -1)
			close(fd);
		return (NULL);
	}
	if (ctx->root_only && trust_root_file(ctx->file, fd, cause) != 0) {
		fclose(fp);
		return (NULL);
	}
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		if (asprintf(cause, "cannot read config file %s%s: not a "
		    "regular file", ctx->file, origin) == -1)
			*cause = NULL;
		return (NULL);
	}
	if (st.st_size > CONFIG_MAX_SIZE) {
		fclose(fp);
		if (asprintf(cause, "cannot read config file %s%s: larger than "
		    "%d bytes", ctx->file, origin, CONFIG_MAX_SIZE) == -1)
			*cause = NULL;
		return (NULL);
	}
	/* The file, a final newline; then twice that (every '$' escaped),
	 * the mark and a NUL. */
	raw = malloc((size_t)st.st_size + 2);
	text = malloc(2 * ((size_t)st.st_size + 1) + sizeof mark);
	if (raw == NULL || text == NULL) {
		fclose(fp);
		free(raw);
		free(text);
		*cause = strdup("out of memory reading the config file");
		return (NULL);
	}
	n = fread(raw, 1, (size_t)st.st_size + 1, fp);
	if (ferror(fp) || n > (size_t)st.st_size) {
		if (asprintf(cause, "cannot read config file %s%s: %s",
		    ctx->file, origin, ferror(fp) ? strerror(errno) :
		    "it changed while being read") == -1)
			*cause = NULL;
		fclose(fp);
		free(raw);
		free(text);
		return (NULL);
	}
	fclose(fp);
	ctx->owner = st.st_uid;
	if (n > 0 && raw[n - 1] != '\n')
		raw[n++] = '\n';
	ctx->lastline = 0;
	for (i = 0; i < n; i++)
		ctx->lastline += raw[i] == '\n';
	n = config_prepare(raw, n, text);
	free(raw);
	memcpy(text + n, mark, sizeof mark);
	*len = n + sizeof mark - 1;
	return (text);
}

static int
config_parse_file(const char *file, const char *origin, int root_only,
    struct config **out, char **cause)
{
	cfg_opt_t profile_opts[] = {
		CFG_STR("type", NULL, CFGF_NODEFAULT),
		CFG_STR("settings_file", NULL, CFGF_NODEFAULT),
		CFG_STR_LIST("check", NULL, CFGF_NODEFAULT),
		CFG_STR_LIST("restart", NULL, CFGF_NODEFAULT),
		CFG_STR_LIST("reload", NULL, CFGF_NODEFAULT),
		CFG_STR_LIST("status", NULL, CFGF_NODEFAULT),
		CFG_STR_LIST("observe", NULL, CFGF_NODEFAULT),
		/* Refused with a pointer to remote/ssh_host. */
		CFG_STR_LIST("prefix", NULL, CFGF_NODEFAULT),
		CFG_STR("remote", NULL, CFGF_NODEFAULT),
		CFG_STR("ssh_host", NULL, CFGF_NODEFAULT),
		CFG_STR_LIST("ssh_options", NULL, CFGF_NODEFAULT),
		CFG_INT_CB("connect_timeout", 0, CFGF_NODEFAULT,
		    config_parse_seconds),
		CFG_INT_CB("timeout", 0, CFGF_NODEFAULT, config_parse_seconds),
		CFG_STR("listeners", NULL, CFGF_NODEFAULT),
		CFG_STR("pid_file", NULL, CFGF_NODEFAULT),
		CFG_STR("backend", NULL, CFGF_NODEFAULT),
		CFG_STR_LIST("imap_listeners", NULL, CFGF_NODEFAULT),
		CFG_STR("tls_ca_file", NULL, CFGF_NODEFAULT),
		CFG_STR("test_user", NULL, CFGF_NODEFAULT),
		CFG_STR("test_password_file", NULL, CFGF_NODEFAULT),
		CFG_END()
	};
	cfg_opt_t role_opts[] = {
		CFG_STR_LIST("organization_management", NULL, CFGF_NODEFAULT),
		CFG_STR_LIST("server_management", NULL, CFGF_NODEFAULT),
		CFG_STR_LIST("view_only", NULL, CFGF_NODEFAULT),
		CFG_END()
	};
	cfg_opt_t opts[] = {
		CFG_STR("database", NULL, CFGF_NODEFAULT),
		CFG_STR("site", NULL, CFGF_NODEFAULT),
		CFG_INT_CB("command_timeout", 0, CFGF_NODEFAULT,
		    config_parse_seconds),
		CFG_SEC("profile", profile_opts,
		    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
		CFG_SEC("roles", role_opts, CFGF_NONE),
		CFG_END()
	};
	struct config_ctx	 ctx;
	struct config		*conf = NULL;
	cfg_t			*cfg = NULL;
	FILE			*fp;
	size_t			 i, len;
	int			 rc;
	char			 path[64], *text;

	memset(&ctx, 0, sizeof ctx);
	ctx.file = file;
	ctx.root_only = root_only;
	*out = NULL;
	if ((text = config_read(&ctx, origin, &len, cause)) == NULL)
		return (-1);
	if ((fp = fmemopen(text, len, "r")) == NULL) {
		free(text);
		*cause = strdup("out of memory reading the config file");
		return (-1);
	}

	/*
	 * CFGF_KEYSTRVAL makes libconfuse 3.3 report an unknown "key = value"
	 * and go on parsing, so several unknown options are all reported.
	 */
	if ((cfg = cfg_init(opts, CFGF_KEYSTRVAL)) == NULL)
		goto nomem;
	cfg_set_error_function(cfg, config_errfunc);
	for (i = 0; opts[i].name != NULL; i++)
		cfg_set_validate_func(cfg, opts[i].name, config_note);
	for (i = 0; profile_opts[i].name != NULL; i++) {
		snprintf(path, sizeof path, "profile|%s", profile_opts[i].name);
		cfg_set_validate_func(cfg, path, config_note);
	}
	for (i = 0; role_opts[i].name != NULL; i++) {
		snprintf(path, sizeof path, "roles|%s", role_opts[i].name);
		cfg_set_validate_func(cfg, path, config_note);
	}
	/* cfg_parse_fp names the file "FILE" unless told. */
	free(cfg->filename);
	if ((cfg->filename = strdup(file)) == NULL)
		goto nomem;
	if ((conf = config_defaults()) == NULL)
		goto nomem;
	if ((conf->path = strdup(file)) == NULL)
		goto nomem;

	config_cur = &ctx;
	rc = cfg_parse_fp(cfg, fp);
	/* A half-read file would only give misleading follow-up errors. */
	if (rc == CFG_SUCCESS && !ctx.marked) {
		/* The mark vanished into a comment or string left open. */
		config_add(&ctx, ctx.lastline, "premature end of file: a "
		    "comment or string is not closed");
	} else if (rc == CFG_SUCCESS && !ctx.unclosed)
		config_build(&ctx, cfg, conf);
	else if (ctx.nerrs == 0)
		config_add(&ctx, cfg->line, "cannot parse this file");
	config_cur = NULL;
	fclose(fp);
	fp = NULL;
	if (ctx.nomem)
		goto nomem;
	if (ctx.nerrs > 0) {
		*cause = config_join(&ctx);
		goto fail;
	}
	cfg_free(cfg);
	free(ctx.where);
	free(text);
	conf->warnings = ctx.warnings;
	conf->owner = ctx.owner;
	*out = conf;
	return (0);

nomem:
	*cause = strdup("out of memory reading the config file");
fail:
	config_cur = NULL;
	if (fp != NULL)
		fclose(fp);
	if (cfg != NULL)
		cfg_free(cfg);
	config_free(conf);
	for (i = 0; i < ctx.nerrs; i++)
		free(ctx.errs[i].msg);
	free(ctx.errs);
	free(ctx.where);
	free(ctx.warnings);
	free(text);
	return (-1);
}

/*
 * The first config file that exists: $XDG_CONFIG_HOME (or ~/.config), then
 * /etc. *file NULL: none. -1 when one exists but cannot be looked at.
 */
static int
config_find(char **file, char **cause)
{
	const char	*base, *home;
	struct passwd	*pw;
	struct stat	 st;
	char		*cand[2] = { NULL, NULL };
	size_t		 i;
	int		 n = -1;

	*file = NULL;
	base = getenv("XDG_CONFIG_HOME");
	if (base != NULL && base[0] == '/')
		n = asprintf(&cand[0], "%s/imapadm/imapadm.conf", base);
	else {
		home = getenv("HOME");
		if (home == NULL || *home == '\0') {
			pw = getpwuid(getuid());
			home = pw != NULL ? pw->pw_dir : NULL;
		}
		if (home != NULL && *home != '\0') {
			n = asprintf(&cand[0],
			    "%s/.config/imapadm/imapadm.conf", home);
		}
	}
	if (n == -1)
		cand[0] = NULL;
	if ((cand[1] = strdup(CONFIG_ETC_PATH)) == NULL) {
		free(cand[0]);
		*cause = strdup("out of memory");
		return (-1);
	}

	for (i = 0; i < 2; i++) {
		if (cand[i] == NULL || *file != NULL)
			continue;
		if (stat(cand[i], &st) == 0) {
			*file = cand[i];
			cand[i] = NULL;
		} else if (errno != ENOENT && errno != ENOTDIR) {
			if (asprintf(cause, "cannot look at config file %s: %s",
			    cand[i], strerror(errno)) == -1)
				*cause = NULL;
			free(cand[0]);
			free(cand[1]);
			return (-1);
		}
	}
	free(cand[0]);
	free(cand[1]);
	return (0);
}

int
config_load(const char *path, struct config **out, char **cause)
{
	const char	*env;
	char		*found;
	int		 rc;

	*out = NULL;
	if (path != NULL) {
		if (*path == '\0') {
			*cause = strdup("config file name is empty");
			return (-1);
		}
		return (config_parse_file(path, "", 0, out, cause));
	}

	/* IMAPADM_CONFIG="" asks for no file at all: the built-in defaults. */
	env = getenv("IMAPADM_CONFIG");
	if (env != NULL) {
		if (*env != '\0') {
			return (config_parse_file(env, " (from IMAPADM_CONFIG)",
			    0, out, cause));
		}
	} else {
		if (config_find(&found, cause) != 0)
			return (-1);
		if (found != NULL) {
			rc = config_parse_file(found, "", 0, out, cause);
			free(found);
			return (rc);
		}
	}
	if ((*out = config_defaults()) == NULL) {
		*cause = strdup("out of memory");
		return (-1);
	}
	return (0);
}

int
config_has_roles(const struct config *conf)
{
	return (conf->org_management.n != 0 ||
	    conf->server_management.n != 0 || conf->view_only.n != 0);
}

void
config_drop_roles(struct config *conf)
{
	config_roles_free(&conf->org_management);
	config_roles_free(&conf->server_management);
	config_roles_free(&conf->view_only);
}

int
config_load_system(struct config **out, char **cause)
{
	struct stat	 st;

	*out = NULL;
	if (lstat(CONFIG_ETC_PATH, &st) == 0 || errno != ENOENT)
		return (config_parse_file(CONFIG_ETC_PATH, "", 1, out, cause));
	if ((*out = config_defaults()) == NULL) {
		*cause = strdup("out of memory");
		return (-1);
	}
	return (0);
}

struct config *
config_defaults(void)
{
	struct config	*conf;

	if ((conf = calloc(1, sizeof *conf)) == NULL)
		return (NULL);
	conf->command_timeout = CONFIG_DEFAULT_TIMEOUT;
	if ((conf->site = strdup(CONFIG_DEFAULT_SITE)) == NULL) {
		free(conf);
		return (NULL);
	}
	return (conf);
}

static void
config_argv_free(struct argv_tmpl *t)
{
	size_t	i;

	if (t->argv != NULL) {
		for (i = 0; i < t->argc; i++)
			free(t->argv[i]);
		free(t->argv);
	}
	t->argv = NULL;
	t->argc = 0;
}

static void
config_roles_free(struct role_map *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		free(r->who[i]);
	free(r->who);
	r->who = NULL;
	r->n = 0;
}

void
config_free(struct config *conf)
{
	struct profile	*p;
	size_t		 i, j;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->nprofiles; i++) {
		p = &conf->profiles[i];
		free(p->name);
		free(p->settings_file);
		free(p->pid_file);
		config_argv_free(&p->check);
		config_argv_free(&p->restart);
		config_argv_free(&p->reload);
		config_argv_free(&p->status);
		config_argv_free(&p->observe);
		free(p->ssh_host);
		config_argv_free(&p->ssh_options);
		free(p->listeners);
		free(p->backend);
		for (j = 0; j < p->nimap_listeners; j++)
			free(p->imap_listeners[j]);
		free(p->imap_listeners);
		free(p->tls_ca_file);
		free(p->test_user);
		free(p->test_password_file);
	}
	free(conf->profiles);
	config_roles_free(&conf->org_management);
	config_roles_free(&conf->server_management);
	config_roles_free(&conf->view_only);
	free(conf->path);
	free(conf->database);
	free(conf->site);
	free(conf->warnings);
	free(conf);
}

const struct profile *
config_profile(const struct config *conf, const char *name)
{
	size_t	i;

	if (conf == NULL || name == NULL)
		return (NULL);
	for (i = 0; i < conf->nprofiles; i++) {
		if (conf->profiles[i].name != NULL &&
		    strcmp(conf->profiles[i].name, name) == 0)
			return (&conf->profiles[i]);
	}
	return (NULL);
}
