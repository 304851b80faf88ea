/* Push settings to a service through its profile: expand argv templates
 * (never a shell), render and atomically write the settings file, check,
 * restart or reload, ask status, and say in one line what happened. */

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/proc.h"
#include "core/nginx_settings.h"
#include "core/remote.h"
#include "core/safefile.h"
#include "core/service.h"
#include "core/str.h"
#include "data/store.h"

#define SERVICE_DEFAULT_TIMEOUT	30	/* seconds, if none configured */
#define SERVICE_TAIL_LINES	5	/* stderr lines kept per step */
#define SERVICE_LINE_MAX	300	/* longest error line in a message */

/* What a proc tick needs to report progress for the current step. */
struct service_tick {
	service_progress_fn	 progress;
	void			*arg;
	const char		*step;
};

/* One command run: its text, the proc result and proc's cause. */
struct service_run {
	char			*command;
	struct proc_result	 r;
	char			*cause;
	int			 rv;
};

static int	 service_buf_add(char **, size_t *, size_t *, const char *,
		     size_t);
static int	 service_expand_arg(const struct profile *,
		     const struct store_server *, const long *, const char *,
		     char **, char **);
static const char *service_value(const struct profile *,
		     const struct store_server *, const long *, const char *,
		     char *, size_t, char **);
static char	*service_dirname(const char *);
static int	 service_write_fd(int, const char *, size_t);
static int	 service_write_temp(const char *, const char *, size_t,
		     const struct stat *,
		     char **, char **);
static int	 service_sync_dir(const char *, char **);
static int	 service_read_file(const char *, char **, size_t *, int *,
		     char **);
static int	 service_replace(const char *, const char *, size_t, int,
		     const struct stat *, char **);
static void	 service_tick_fn(void *);
static struct service_step *service_step_begin(struct service_result *,
		     const char *, const char *, service_progress_fn, void *);
static struct service_step *service_run(struct service_result *,
		     const char *, char **, int, service_progress_fn, void *,
		     struct service_run *);
static void	 service_run_free(struct service_run *);
static char	*service_error_line(const struct proc_result *);
static char	*service_failure(const struct service_run *);
static enum service_state service_lsb_state(const struct service_run *);
static void	 service_one_line(char *);
static char	*service_restore(const char *, int, const char *, size_t,
		     const struct stat *);

static int
service_buf_add(char **buf, size_t *len, size_t *size, const char *s,
    size_t n)
{
	size_t	 want;
	char	*nb;

	if (*len + n + 1 > *size) {
		want = *size == 0 ? 64 : *size;
		while (want < *len + n + 1)
			want *= 2;
		if ((nb = realloc(*buf, want)) == NULL)
			return (-1);
		*buf = nb;
		*size = want;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return (0);
}

/* Text of one placeholder, or NULL with *cause. */
static const char *
service_value(const struct profile *prof, const struct store_server *srv,
    const long *values, const char *name, char *num, size_t numlen,
    char **cause)
{
	size_t	 i;
	char	*known;

	if (strcmp(name, "identity") == 0)
		return (srv != NULL && srv->identity != NULL ?
		    srv->identity : "");
	if (strcmp(name, "site") == 0)
		return (srv != NULL && srv->site != NULL ? srv->site : "");
	if (strcmp(name, "profile") == 0)
		return (prof->name != NULL ? prof->name : "");
	if (strcmp(name, "fqdn") == 0) {
		/* An empty host name would make "ssh ''" fail obscurely. */
		if (srv == NULL || srv->fqdn == NULL || *srv->fqdn == '\0') {
			*cause = str_printf("server %s has no fqdn for "
			    "%%{fqdn} in profile %s", srv != NULL &&
			    srv->identity != NULL ? srv->identity : "(none)",
			    prof->name);
			return (NULL);
		}
		return (srv->fqdn);
	}
	if (strcmp(name, "settings_file") == 0) {
		if (prof->settings_file == NULL ||
		    *prof->settings_file == '\0') {
			*cause = str_printf("profile %s uses "
			    "%%{settings_file} but sets no settings_file",
			    prof->name);
			return (NULL);
		}
		return (prof->settings_file);
	}
	for (i = 0; i < SETTING_COUNT; i++) {
		if (strcasecmp(name, settings_table[i].name) != 0)
			continue;
		if (values == NULL) {
			*cause = str_printf("%%{%s} in profile %s: the "
			    "setting values are not known for this command",
			    settings_table[i].name, prof->name);
			return (NULL);
		}
		snprintf(num, numlen, "%ld", values[i]);
		return (num);
	}

	known = strdup("identity, fqdn, site, profile, settings_file");
	for (i = 0; known != NULL && i < SETTING_COUNT; i++)
		str_append(&known, ", ", "%s", settings_table[i].name);
	*cause = str_printf("unknown placeholder %%{%s} in profile %s "
	    "(known: %s)", name, prof->name, known != NULL ? known : "");
	free(known);
	return (NULL);
}

/* The result is always exactly one argument, whatever the values hold. */
static int
service_expand_arg(const struct profile *prof, const struct store_server *srv,
    const long *values, const char *in, char **out, char **cause)
{
	char		*buf = NULL, name[128], num[32];
	size_t		 len = 0, size = 0, n;
	const char	*p, *end, *v, *fix;

	if (service_buf_add(&buf, &len, &size, "", 0) != 0)
		goto oom;
	for (p = in; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == '%') {
			if (service_buf_add(&buf, &len, &size, "%", 1) != 0)
				goto oom;
			p++;
			continue;
		}
		if (p[0] != '%' || p[1] != '{') {
			if (service_buf_add(&buf, &len, &size, p, 1) != 0)
				goto oom;
			continue;
		}
		if ((end = strchr(p + 2, '}')) == NULL) {
			*cause = str_printf("unterminated placeholder in "
			    "'%s' in profile %s", in, prof->name);
			goto fail;
		}
		n = end - (p + 2);
		if (n == 0 || n >= sizeof name) {
			*cause = str_printf("unknown placeholder %%{%.*s} "
			    "in profile %s", (int)(n > 40 ? 40 : n), p + 2,
			    prof->name);
			goto fail;
		}
		memcpy(name, p + 2, n);
		name[n] = '\0';
		if ((v = service_value(prof, srv, values, name, num,
		    sizeof num, cause)) == NULL)
			goto fail;
		/*
		 * The store refuses such names, but a database edited by hand
		 * or by an older imapadm is not checked: never let a value
		 * start an argument with '-' (ssh %{fqdn} would take
		 * "-oProxyCommand=..." as an option).
		 */
		if (len == 0 && *v == '-') {
			if (strcmp(name, "profile") == 0)
				fix = "rename the profile in the config";
			else if (strcmp(name, "settings_file") == 0)
				fix = "correct the profile's settings_file";
			else
				fix = NULL;
			*cause = str_printf("%%{%s} of server %s is '%s', which "
			    "starts with '-' and would be read as an option "
			    "(profile %s): %s%s", name,
			    srv != NULL && srv->identity != NULL ?
			    srv->identity : "(none)", v, prof->name,
			    fix != NULL ? fix : "correct the server's ",
			    fix != NULL ? "" : name);
			goto fail;
		}
		if (service_buf_add(&buf, &len, &size, v, strlen(v)) != 0)
			goto oom;
		p = end;
	}
	*out = buf;
	return (0);

oom:
	*cause = strdup("out of memory");
fail:
	free(buf);
	return (-1);
}

char **
service_expand(const struct profile *prof, const struct argv_tmpl *tmpl,
    const struct store_server *srv, const long values[SETTING_COUNT],
    char **cause)
{
	char		**argv, **ssh, *host;
	size_t		  i;

	*cause = NULL;
	if (tmpl == NULL || tmpl->argc == 0) {
		*cause = str_printf("profile %s: empty command",
		    prof->name);
		return (NULL);
	}
	if ((argv = calloc(tmpl->argc + 1, sizeof *argv)) == NULL) {
		*cause = strdup("out of memory");
		return (NULL);
	}
	for (i = 0; i < tmpl->argc; i++) {
		if (service_expand_arg(prof, srv, values, tmpl->argv[i],
		    &argv[i], cause) != 0) {
			service_argv_free(argv);
			return (NULL);
		}
	}
	argv[i] = NULL;
	if (prof->remote != PROFILE_SSH)
		return (argv);
	/* On another host: ssh runs it there, each argument quoted. */
	if ((host = service_host(prof, srv, cause)) == NULL) {
		service_argv_free(argv);
		return (NULL);
	}
	ssh = remote_ssh_argv(prof, host, argv, cause);
	free(host);
	service_argv_free(argv);
	return (ssh);
}

char *
service_host(const struct profile *prof, const struct store_server *srv,
    char **cause)
{
	char	*host;

	*cause = NULL;
	if (service_expand_arg(prof, srv, NULL, prof->ssh_host != NULL ?
	    prof->ssh_host : "%{fqdn}", &host, cause) != 0)
		return (NULL);
	if (*host == '\0') {
		*cause = str_printf("profile %s: ssh_host of server %s is "
		    "empty", prof->name, srv != NULL && srv->identity != NULL ?
		    srv->identity : "(none)");
		free(host);
		return (NULL);
	}
	return (host);
}

void
service_argv_free(char **argv)
{
	size_t	i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

char *
service_render(const struct profile *prof, const long values[SETTING_COUNT])
{
	char		*buf = NULL, *line;
	size_t		 len = 0, size = 0, i;
	const struct setting_def *d;

	switch (prof->type) {
	case PROFILE_NGINX_MAIL:
		line = str_printf("# Generated by imapadm for profile %s: "
		    "do not edit,\n# changes here are overwritten by the next "
		    "restart from imapadm.\n", prof->name);
		if (line == NULL || service_buf_add(&buf, &len, &size, line,
		    strlen(line)) != 0)
			goto fail;
		free(line);
		/* Table-driven: a new setting row renders with no new code. */
		for (i = 0; i < SETTING_COUNT; i++) {
			d = &settings_table[i];
			if (d->nginx_directive == NULL)
				continue;
			line = str_printf("# %s (%s)\n%s %lds;\n", d->name,
			    d->label, d->nginx_directive, values[i]);
			if (line == NULL || service_buf_add(&buf, &len, &size,
			    line, strlen(line)) != 0)
				goto fail;
			free(line);
		}
		return (buf);
	case PROFILE_COMMAND:
		if (prof->settings_file == NULL || *prof->settings_file == '\0')
			return (NULL);
		for (i = 0; i < SETTING_COUNT; i++) {
			line = str_printf("%s=%ld\n",
			    settings_table[i].name, values[i]);
			if (line == NULL || service_buf_add(&buf, &len, &size,
			    line, strlen(line)) != 0)
				goto fail;
			free(line);
		}
		return (buf);
	}
	return (NULL);

fail:
	free(line);
	free(buf);
	return (NULL);
}

static char *
service_dirname(const char *path)
{
	const char	*slash;

	if ((slash = strrchr(path, '/')) == NULL)
		return (strdup("."));
	if (slash == path)
		return (strdup("/"));
	return (strndup(path, slash - path));
}

static int
service_write_fd(int fd, const char *data, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		data += n;
		len -= n;
	}
	return (0);
}

/*
 * A complete, synced copy of data in a temp file beside base
 * (base SERVICE_TEMP_MARK "XXXXXX",
 * made exclusively, in the same directory so rename is atomic), with the
 * mode, owner and group of like (0644 and ours when like is NULL). *tmp
 * names it; on error no temp file is left.
 */
static int
service_write_temp(const char *base, const char *data, size_t len,
    const struct stat *like, char **tmp, char **cause)
{
	mode_t	mode = like != NULL ? like->st_mode & 07777 : 0644;
	int	fd, e;

	if ((*tmp = str_printf("%s" SERVICE_TEMP_MARK "XXXXXX", base)) ==
	    NULL) {
		*cause = strdup("out of memory");
		return (-1);
	}
	if ((fd = mkostemp(*tmp, O_CLOEXEC)) == -1) {
		e = errno;
		*cause = str_printf("cannot create a file beside %s: %s",
		    base, strerror(e));
		free(*tmp);
		*tmp = NULL;
		return (-1);
	}
	if (service_write_fd(fd, data, len) != 0 || fsync(fd) != 0 ||
	    (like != NULL && (like->st_uid != geteuid() ||
	    like->st_gid != getegid()) &&
	    fchown(fd, like->st_uid, like->st_gid) != 0) ||
	    fchmod(fd, mode) != 0) {
		e = errno;
		*cause = str_printf("cannot write %s: %s", *tmp,
		    strerror(e));
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return (-1);
	}
	if (close(fd) != 0) {
		e = errno;
		*cause = str_printf("cannot write %s: %s", *tmp,
		    strerror(e));
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return (-1);
	}
	return (0);
}

/* Make the renames themselves survive a crash. */
static int
service_sync_dir(const char *path, char **cause)
{
	char	*dir;
	int	 fd, e;

	if ((dir = service_dirname(path)) == NULL) {
		*cause = strdup("out of memory");
		return (-1);
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(fd) != 0) {
		e = errno;
		*cause = str_printf("cannot sync directory %s: %s", dir,
		    strerror(e));
		if (fd != -1)
			close(fd);
		free(dir);
		return (-1);
	}
	close(fd);
	free(dir);
	return (0);
}

/* Whole file into memory; *exists 0 (and 0 returned) if there is none. */
static int
service_read_file(const char *path, char **data, size_t *len, int *exists,
    char **cause)
{
	char	 chunk[8192], *buf = NULL;
	size_t	 blen = 0, bsize = 0;
	ssize_t	 n;
	int	 fd, e;

	*data = NULL;
	*len = 0;
	*exists = 0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return (0);
		e = errno;
		*cause = str_printf("cannot read %s: %s", path,
		    strerror(e));
		return (-1);
	}
	if (service_buf_add(&buf, &blen, &bsize, "", 0) != 0)
		goto oom;
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			e = errno;
			*cause = str_printf("cannot read %s: %s", path,
			    strerror(e));
			free(buf);
			close(fd);
			return (-1);
		}
		if (n == 0)
			break;
		if (service_buf_add(&buf, &blen, &bsize, chunk, n) != 0)
			goto oom;
	}
	close(fd);
	*data = buf;
	*len = blen;
	*exists = 1;
	return (0);

oom:
	*cause = strdup("out of memory");
	free(buf);
	close(fd);
	return (-1);
}

/*
 * The settings file is imapadm's alone: one holding anything but the
 * directives it renders (an admin's listen, a whole server block) is not
 * overwritten, as nothing imapadm writes could put that back.
 */
int
service_own_file(const char *path, const char *text, char **cause)
{
	struct nginx_settings	 ns;
	char			*why = NULL;

	if (nginx_settings_parse(text, &ns, &why) != 0) {
		*cause = str_printf("%s is not imapadm's to overwrite: %s "
		    "(it must hold only the time-out directives; give imapadm "
		    "a file of its own, see docs/existing-nginx.md)", path,
		    why != NULL ? why : "out of memory");
		free(why);
		return (-1);
	}
	if (ns.foreign != NULL) {
		*cause = str_printf("%s is not imapadm's to overwrite: it "
		    "holds '%s' (it must hold only the time-out directives; "
		    "give imapadm a file of its own, see "
		    "docs/existing-nginx.md)", path, ns.foreign);
		nginx_settings_free(&ns);
		return (-1);
	}
	nginx_settings_free(&ns);
	return (0);
}

/*
 * Replace path with data atomically. keep_prev: first copy what is there
 * now to path.prev (itself through a temp file and rename, so a reader of
 * .prev never sees half a file). On error path is untouched and no temp
 * file is left.
 */
static int
service_replace(const char *path, const char *data, size_t len,
    int keep_prev, const struct stat *times, char **cause)
{
	struct stat	 st;
	char		*target, *tmp = NULL, *prev = NULL, *prevtmp = NULL;
	char		*old;
	size_t		 oldlen;
	int		 exists, had, e, rv = -1;

	/* A symlink is written through only when no one else could have
	 * planted it (see safefile.h). */
	if ((target = safefile_target(path, &st, &exists, cause)) == NULL)
		return (-1);
	/* The new file keeps the mode, owner and group of the old one. */
	if (service_write_temp(target, data, len, exists ? &st : NULL, &tmp,
	    cause) != 0)
		goto out;
	if (keep_prev) {
		if (service_read_file(target, &old, &oldlen, &had,
		    cause) != 0)
			goto out;
		if (had) {
			prev = str_printf("%s.prev", target);
			if (prev == NULL) {
				free(old);
				*cause = strdup("out of memory");
				goto out;
			}
			/* .prev is no more readable than the original. */
			if (service_write_temp(prev, old, oldlen,
			    exists ? &st : NULL, &prevtmp, cause) != 0) {
				free(old);
				goto out;
			}
			free(old);
			if (rename(prevtmp, prev) != 0) {
				e = errno;
				*cause = str_printf("cannot rename %s to "
				    "%s: %s", prevtmp, prev, strerror(e));
				goto out;
			}
			free(prevtmp);
			prevtmp = NULL;
		}
	}
	/*
	 * A restored file gets its times back too: nginx's workers are newer
	 * than it, so it reads as loaded again (core/observe.c).
	 */
	if (times != NULL) {
		struct timespec	ts[2] = { times->st_atim, times->st_mtim };

		if (utimensat(AT_FDCWD, tmp, ts, 0) != 0) {
			e = errno;
			*cause = str_printf("cannot set the times of %s: %s",
			    tmp, strerror(e));
			goto out;
		}
	}
	if (rename(tmp, target) != 0) {
		e = errno;
		*cause = str_printf("cannot rename %s to %s: %s", tmp,
		    target, strerror(e));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	rv = service_sync_dir(target, cause);

out:
	if (prevtmp != NULL) {
		unlink(prevtmp);
		free(prevtmp);
	}
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(prev);
	free(target);
	return (rv);
}

int
service_write_atomic(const char *path, const char *content, char **cause)
{
	*cause = NULL;
	if (path == NULL || *path == '\0') {
		*cause = strdup("no settings file to write");
		return (-1);
	}
	return (service_replace(path, content, strlen(content), 1, NULL,
	    cause));
}

int
service_put_back(const char *path, int had_old, const char *old,
    size_t oldlen, long long mtime_ns, char **cause)
{
	struct stat	 st;
	int		 e;

	*cause = NULL;
	if (!had_old) {
		if (unlink(path) == 0 || errno == ENOENT)
			return (0);
		e = errno;
		*cause = str_printf("cannot remove %s: %s", path, strerror(e));
		return (-1);
	}
	memset(&st, 0, sizeof st);
	st.st_mtim.tv_sec = mtime_ns / 1000000000LL;
	st.st_mtim.tv_nsec = mtime_ns % 1000000000LL;
	st.st_atim = st.st_mtim;
	return (service_replace(path, old, oldlen, 0, &st, cause));
}

/* name is base + SERVICE_TEMP_MARK + exactly six characters. */
static int
service_is_temp(const char *name, const char *base)
{
	size_t	 n = strlen(base), m = strlen(SERVICE_TEMP_MARK);

	return (strncmp(name, base, n) == 0 &&
	    strncmp(name + n, SERVICE_TEMP_MARK, m) == 0 &&
	    strlen(name + n + m) == 6 &&
	    strspn(name + n + m, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789") == 6);
}

int
service_clean_temps(const char *path, char **removed, char **cause)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*dir, *base, *prev, *full;
	const char	*slash;
	int		 e, fd;

	*removed = NULL;
	*cause = NULL;
	if ((dir = service_dirname(path)) == NULL)
		return (-1);
	slash = strrchr(path, '/');
	base = strdup(slash != NULL ? slash + 1 : path);
	prev = str_printf("%s.prev", base != NULL ? base : "");
	if (base == NULL || prev == NULL ||
	    (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (d = fdopendir(fd)) == NULL) {
		e = errno;
		*cause = str_printf("cannot look for temp files in %s: %s",
		    dir, strerror(e));
		free(dir);
		free(base);
		free(prev);
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (!service_is_temp(de->d_name, base) &&
		    !service_is_temp(de->d_name, prev))
			continue;
		/* Only a regular file of ours: never through a symlink. */
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) !=
		    0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) != 0)
			continue;
		full = str_printf("%s/%s", dir, de->d_name);
		(void)str_append(removed, ", ", "%s", full != NULL ? full :
		    de->d_name);
		free(full);
	}
	closedir(d);
	free(dir);
	free(base);
	free(prev);
	return (0);
}

int
service_timeout(const struct config *cfg, const struct profile *prof)
{
	if (prof->timeout > 0)
		return (prof->timeout);
	if (cfg != NULL && cfg->command_timeout > 0)
		return (cfg->command_timeout);
	return (SERVICE_DEFAULT_TIMEOUT);
}

static void
service_tick_fn(void *arg)
{
	struct service_tick	*st = arg;

	if (st->progress != NULL)
		st->progress(st->arg, st->step, NULL);
}

static struct service_step *
service_step_begin(struct service_result *res, const char *name,
    const char *detail, service_progress_fn progress, void *arg)
{
	struct service_step	*s;

	s = &res->steps[res->nsteps++];
	memset(s, 0, sizeof *s);
	s->name = name;
	s->exit_status = -1;
	if (progress != NULL)
		progress(arg, name, detail != NULL ? detail : "");
	return (s);
}

/* Run argv as a new step named name, filling the step from the result. */
static struct service_step *
service_run(struct service_result *res, const char *name, char **argv,
    int timeout, service_progress_fn progress, void *arg,
    struct service_run *run)
{
	struct service_tick	 st;
	struct service_step	*s;
	const char		*text;

	memset(run, 0, sizeof *run);
	run->command = proc_argv_string(argv);
	s = service_step_begin(res, name, run->command, progress, arg);
	s->command = run->command != NULL ? strdup(run->command) : NULL;
	st.progress = progress;
	st.arg = arg;
	st.step = s->name;
	run->rv = proc_run(argv, timeout, service_tick_fn, &st, &run->r,
	    &run->cause);
	s->exit_status = run->r.exited ? run->r.exit_status : -1;
	s->timed_out = run->r.timed_out;
	s->seconds = run->r.seconds;
	s->ok = run->rv == 0 && run->r.exit_status == 0;
	text = run->r.err != NULL && *run->r.err != '\0' ? run->r.err :
	    run->r.out;
	if (!s->ok && run->rv != 0 && (text == NULL || *text == '\0'))
		s->detail = strdup(run->cause);
	else if (text != NULL && *text != '\0')
		s->detail = proc_tail(text, SERVICE_TAIL_LINES);
	return (s);
}

static void
service_run_free(struct service_run *run)
{
	free(run->command);
	free(run->cause);
	proc_result_free(&run->r);
}

/*
 * The line that says why: nginx puts "[emerg] ... in FILE:LINE" first and
 * "test failed" last, so prefer a line that looks like an error.
 */
static char *
service_error_line(const struct proc_result *r)
{
	const char	*text;
	char		*tail, *line, *save, *out;
	char		*pick = NULL, *last = NULL;

	text = r->err != NULL && *r->err != '\0' ? r->err : r->out;
	if (text == NULL || *text == '\0')
		return (NULL);
	if ((tail = proc_tail(text, SERVICE_TAIL_LINES)) == NULL)
		return (NULL);
	for (line = strtok_r(tail, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strspn(line, " \t\r") == strlen(line))
			continue;
		last = line;
		if (pick == NULL && (strcasestr(line, "emerg") != NULL ||
		    strcasestr(line, "error") != NULL ||
		    strcasestr(line, "fatal") != NULL))
			pick = line;
	}
	if (pick == NULL)
		pick = last;
	out = pick != NULL ? strndup(pick, SERVICE_LINE_MAX) : NULL;
	free(tail);
	if (out != NULL)
		service_one_line(out);
	return (out);
}

/* The LSB reading of a status command's exit. */
static enum service_state
service_lsb_state(const struct service_run *run)
{
	if (!run->r.exited || run->r.timed_out || run->r.interrupted)
		return (SERVICE_UNKNOWN);
	if (run->r.exit_status == 0)
		return (SERVICE_RUNNING);
	if (run->r.exit_status == SERVICE_LSB_STOPPED)
		return (SERVICE_STOPPED);
	return (SERVICE_UNKNOWN);
}

/* "<cmd> exited with status 1: <why>", or proc's own cause. */
static char *
service_failure(const struct service_run *run)
{
	char	*why, *s;

	if (run->rv != 0 && (run->r.timed_out || run->r.interrupted ||
	    run->r.spawn_errno != 0))
		return (strdup(run->cause));
	why = service_error_line(&run->r);
	if (run->rv != 0)
		s = str_printf("%s%s%s", run->cause, why ? ": " : "",
		    why ? why : "");
	else
		s = str_printf("%s exited with status %d%s%s",
		    run->command != NULL ? run->command : "command",
		    run->r.exit_status, why ? ": " : "", why ? why : "");
	free(why);
	return (s);
}

/* The message goes on a status line: no newlines or control bytes. */
static void
service_one_line(char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
	}
}

/*
 * Put back what ran before a failed check, so the service never restarts
 * on settings its checker rejected. Returns the message suffix.
 */
static char *
service_restore(const char *path, int had_old, const char *old,
    size_t oldlen, const struct stat *oldst)
{
	char	*cause = NULL, *s;
	int	 e;

	if (had_old) {
		if (service_replace(path, old, oldlen, 0, oldst, &cause) == 0)
			return (strdup(" (previous settings restored)"));
	} else {
		if (unlink(path) == 0 || errno == ENOENT) {
			return (str_printf(" (%s removed: there was none "
			    "before)", path));
		}
		e = errno;
		cause = str_printf("cannot remove %s: %s", path,
		    strerror(e));
	}
	s = str_printf(" (restoring the previous settings failed: %s)",
	    cause != NULL ? cause : "out of memory");
	free(cause);
	return (s);
}

int
service_apply(const struct config *cfg, const struct profile *prof,
    const struct store_server *srv, const long values[SETTING_COUNT],
    enum service_mode mode, service_progress_fn progress, void *arg,
    struct service_result *res)
{
	return (service_apply_gated(cfg, prof, srv, values, mode, NULL,
	    progress, arg, res));
}

int
service_apply_gated(const struct config *cfg, const struct profile *prof,
    const struct store_server *srv, const long values[SETTING_COUNT],
    enum service_mode mode, const struct service_gate *gate,
    service_progress_fn progress, void *arg, struct service_result *res)
{
	struct service_step	*s;
	struct service_run	 run;
	const struct argv_tmpl	*act;
	const char		*actname, *done, *who;
	char			*cause = NULL, *text = NULL, *why = NULL;
	char			*old = NULL, *restored = NULL;
	char			**check = NULL, **action = NULL;
	char			**status = NULL;
	size_t			 oldlen = 0, i;
	struct stat		 oldst;
	struct remote_file	 rold;
	int			 timeout, had_old = 0, wrote = 0, rv;
	double			 start, t0;

	memset(res, 0, sizeof *res);
	memset(&oldst, 0, sizeof oldst);
	memset(&rold, 0, sizeof rold);
	res->mode = mode;
	start = proc_now();
	timeout = service_timeout(cfg, prof);
	actname = mode == SERVICE_RELOAD ? "reload" : "restart";
	done = mode == SERVICE_RELOAD ? "reloaded" : "restarted";
	act = mode == SERVICE_RELOAD ? &prof->reload : &prof->restart;
	who = srv != NULL && srv->identity != NULL ? srv->identity : prof->name;

	/*
	 * Render: validate the values and expand every command first, so a
	 * bad value, a missing command or an unknown placeholder changes
	 * nothing on disk.
	 */
	s = service_step_begin(res, "render", prof->settings_file, progress,
	    arg);
	for (i = 0; i < SETTING_COUNT && cause == NULL; i++) {
		if (settings_check(&settings_table[i], values[i],
		    &cause) != 0 && cause == NULL)
			cause = strdup("invalid value");
	}
	if (cause == NULL && act->argc == 0)
		cause = str_printf("profile %s has no %s command",
		    prof->name, actname);
	if (cause == NULL && prof->check.argc != 0)
		check = service_expand(prof, &prof->check, srv, values, &cause);
	if (cause == NULL)
		action = service_expand(prof, act, srv, values, &cause);
	if (cause == NULL && prof->status.argc != 0)
		status = service_expand(prof, &prof->status, srv, values,
		    &cause);
	if (cause == NULL) {
		text = service_render(prof, values);
		if (text == NULL && prof->type == PROFILE_NGINX_MAIL)
			cause = str_printf("profile %s renders nginx "
			    "settings but has no settings_file", prof->name);
		else if (text != NULL && (prof->settings_file == NULL ||
		    *prof->settings_file == '\0'))
			cause = str_printf("profile %s renders nginx "
			    "settings but has no settings_file", prof->name);
	}
	if (cause != NULL) {
		s->detail = strdup(cause);
		res->message = str_printf("%s of %s not started: %s",
		    actname, who, cause);
		goto out;
	}
	s->ok = 1;

	if (text != NULL) {
		s = service_step_begin(res, "write", prof->settings_file,
		    progress, arg);
		t0 = proc_now();
		/* Keep what runs now in memory: a failed check puts it back. */
		if (stat(prof->settings_file, &oldst) != 0)
			memset(&oldst, 0, sizeof oldst);
		if (proc_stopping()) {
			s->detail = strdup("not started: stopping after a "
			    "signal");
			res->message = str_printf("%s of %s not started: "
			    "stopping after a signal (nothing was changed)",
			    actname, who);
			goto out;
		}
		/*
		 * On another host the same is done there (core/remote.c); the
		 * crash record then holds no local file to put back.
		 */
		if (prof->remote == PROFILE_SSH ? ((gate != NULL &&
		    gate->before(gate->arg, "write", NULL, 0, 0, &oldst,
		    &cause) != 0) || remote_push(prof, srv, text, timeout,
		    &rold, &cause) != 0) :
		    (service_read_file(prof->settings_file, &old, &oldlen,
		    &had_old, &cause) != 0 ||
		    (had_old && service_own_file(prof->settings_file, old,
		    &cause) != 0) ||
		    (gate != NULL && gate->before(gate->arg, "write", old,
		    oldlen, had_old, &oldst, &cause) != 0) ||
		    service_write_atomic(prof->settings_file, text,
		    &cause) != 0)) {
			s->seconds = proc_now() - t0;
			s->detail = strdup(cause);
			res->message = str_printf("write failed: %s",
			    cause);
			goto out;
		}
		s->ok = 1;
		s->seconds = proc_now() - t0;
		wrote = 1;
	}

	if (check != NULL) {
		s = service_run(res, "check", check, timeout, progress, arg,
		    &run);
		if (!s->ok) {
			why = service_failure(&run);
			if (wrote && prof->remote == PROFILE_SSH)
				restored = remote_restore(prof, srv, &rold,
				    timeout);
			else if (wrote)
				restored = service_restore(prof->settings_file,
				    had_old, old, oldlen, &oldst);
			if (run.r.not_started)
				res->message = str_printf("%s of %s not "
				    "started: stopping after a signal, before "
				    "the check%s", actname, who,
				    restored != NULL ? restored : "");
			else
				res->message = str_printf("check %s%s%s",
				    run.r.timed_out || run.r.interrupted ? "" :
				    "failed: ", why,
				    restored != NULL ? restored : "");
			service_run_free(&run);
			goto out;
		}
		service_run_free(&run);
	}

	/* After a signal the step before ran to its end: start no other. */
	if (proc_stopping() && cause == NULL)
		cause = strdup("stopping after a signal");
	if (cause != NULL || (gate != NULL && gate->before(gate->arg,
	    actname, old, oldlen, had_old, &oldst, &cause) != 0)) {
		if (wrote)
			restored = service_restore(prof->settings_file,
			    had_old, old, oldlen, &oldst);
		res->message = str_printf("%s of %s not started: %s%s",
		    actname, who, cause, restored != NULL ? restored : "");
		goto out;
	}
	s = service_run(res, actname, action, timeout, progress, arg, &run);
	if (!s->ok) {
		why = service_failure(&run);
		res->message = str_printf("%s %s%s", actname,
		    run.r.timed_out || run.r.interrupted ? "" : "failed: ",
		    why);
		service_run_free(&run);
		goto out;
	}
	service_run_free(&run);

	if (status != NULL) {
		s = service_run(res, "status", status, timeout, progress, arg,
		    &run);
		res->status = strdup(run.r.out != NULL ? run.r.out : "");
		if (run.r.not_started) {
			/* The action ran to its end: that is the outcome.
			 * The caller asks for the status once it may. */
			free(s->detail);
			s->detail = strdup("not started: stopping after a "
			    "signal");
			res->ok = 1;
			res->message = str_printf("%s of %s done in %.1f s; "
			    "status not asked (stopping after a signal)",
			    actname, who, proc_now() - start);
			service_run_free(&run);
			goto out;
		}
		if (!s->ok && service_lsb_state(&run) == SERVICE_STOPPED) {
			why = service_error_line(&run.r);
			res->message = str_printf("%s but the service is stopped "
			    "(its status command exited 3%s%s)", done,
			    why != NULL ? ": " : "", why != NULL ? why : "");
			service_run_free(&run);
			goto out;
		}
		if (!s->ok) {
			why = service_failure(&run);
			res->message = str_printf("%s but its status is unknown "
			    "(%s)", done, why);
			service_run_free(&run);
			goto out;
		}
		service_run_free(&run);
	}

	/* Nothing counts as running on another host before it is seen there. */
	if (wrote && prof->remote == PROFILE_SSH) {
		s = service_step_begin(res, "observe", prof->settings_file,
		    progress, arg);
		t0 = proc_now();
		rv = remote_confirm(prof, srv, values, timeout, &cause);
		s->seconds = proc_now() - t0;
		if (rv != 0) {
			s->detail = strdup(cause);
			res->message = str_printf("%s but not confirmed: %s",
			    done, cause);
			goto out;
		}
		s->ok = 1;
	}

	res->ok = 1;
	res->message = str_printf("%s of %s done in %.1f s", actname, who,
	    proc_now() - start);

out:
	if (res->message == NULL)
		res->message = strdup("out of memory");
	service_one_line(res->message);
	service_argv_free(check);
	service_argv_free(action);
	service_argv_free(status);
	free(text);
	free(old);
	remote_file_free(&rold);
	free(cause);
	free(why);
	free(restored);
	return (res->ok ? 0 : -1);
}

enum service_state
service_status(const struct config *cfg, const struct profile *prof,
    const struct store_server *srv, char **text, char **cause)
{
	struct service_result	 res;
	struct service_run	 run;
	enum service_state	 state;
	char			**argv;

	*text = NULL;
	*cause = NULL;
	if (prof->status.argc == 0) {
		*cause = str_printf("profile %s has no status command",
		    prof->name);
		return (SERVICE_UNKNOWN);
	}
	if ((argv = service_expand(prof, &prof->status, srv, NULL,
	    cause)) == NULL)
		return (SERVICE_UNKNOWN);
	memset(&res, 0, sizeof res);
	(void)service_run(&res, "status", argv, service_timeout(cfg, prof),
	    NULL, NULL, &run);
	service_argv_free(argv);
	state = service_lsb_state(&run);
	if (state != SERVICE_UNKNOWN) {
		*text = run.r.out != NULL ? run.r.out : strdup("");
		run.r.out = NULL;
	} else if ((*cause = service_failure(&run)) != NULL)
		service_one_line(*cause);
	service_run_free(&run);
	service_result_free(&res);
	return (state);
}

int
service_query(const struct config *cfg, const struct profile *prof,
    const struct argv_tmpl *tmpl, const struct store_server *srv,
    char **out, char **cause)
{
	struct service_result	 res;
	struct service_step	*step;
	struct service_run	 run;
	char			**argv;
	int			 ok;

	*out = NULL;
	*cause = NULL;
	if ((argv = service_expand(prof, tmpl, srv, NULL, cause)) == NULL)
		return (-1);
	memset(&res, 0, sizeof res);
	step = service_run(&res, "query", argv, service_timeout(cfg, prof),
	    NULL, NULL, &run);
	service_argv_free(argv);
	if ((ok = step->ok)) {
		*out = run.r.out != NULL ? run.r.out : strdup("");
		run.r.out = NULL;
	} else if ((*cause = service_failure(&run)) != NULL)
		service_one_line(*cause);
	service_run_free(&run);
	service_result_free(&res);
	return (ok ? 0 : -1);
}

void
service_result_free(struct service_result *res)
{
	size_t	i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nsteps && i < SERVICE_MAX_STEPS; i++) {
		free(res->steps[i].command);
		free(res->steps[i].detail);
	}
	free(res->message);
	free(res->status);
	memset(res, 0, sizeof *res);
}
