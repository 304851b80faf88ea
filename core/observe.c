/*
 * Observation of an nginx-mail service on this host. nginx starts new
 * worker processes at each start and reload: a worker that started after
 * the settings file last changed runs what the file says; if every worker
 * is older, the file has not been loaded.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/observe.h"
#include "core/remote.h"
#include "core/str.h"

static int	 observe_read(const char *, char **, char **);
static void	 observe_command(const struct config *, const struct profile *,
		     const struct store_server *, struct observation *);
static void	 observe_remote(const struct config *, const struct profile *,
		     const struct store_server *, struct observation *);
static int	 observe_pid(const char *, long *, int *, char **);
static int	 observe_start(long, double *);
static enum observe_loaded observe_workers(long, const struct timespec *,
		     char **);

/* The whole (small) file; -1 with *why. */
static int
observe_read(const char *path, char **text, char **why)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "re")) == NULL) {
		*why = str_printf("cannot read %s: %s", path, strerror(errno));
		return (-1);
	}
	if ((buf = calloc(1, 65537)) == NULL) {
		fclose(f);
		*why = str_printf("out of memory");
		return (-1);
	}
	n = (long)fread(buf, 1, 65536, f);
	if (ferror(f) || n == 65536) {
		*why = str_printf("cannot read %s: %s", path, ferror(f) ?
		    strerror(errno) : "larger than 64 KiB");
		fclose(f);
		free(buf);
		return (-1);
	}
	fclose(f);
	*text = buf;
	return (0);
}

static int
observe_pid(const char *pidfile, long *pid, int *gone, char **why)
{
	FILE	*f;
	char	 comm[32];
	int	 ok;

	/* nginx removes its pid file when it stops; a pid without its
	 * process is a master that died: either way none runs. */
	*gone = 0;
	if ((f = fopen(pidfile, "re")) == NULL) {
		*gone = errno == ENOENT;
		*why = str_printf("no nginx master: cannot read %s: %s",
		    pidfile, strerror(errno));
		return (-1);
	}
	ok = fscanf(f, "%ld", pid) == 1 && *pid > 0;
	fclose(f);
	if (!ok) {
		*why = str_printf("no nginx master: %s holds no pid", pidfile);
		return (-1);
	}
	/* Pid files outlive crashes and pids are reused: is it nginx? */
	snprintf(comm, sizeof comm, "/proc/%ld/comm", *pid);
	if ((f = fopen(comm, "re")) == NULL) {
		*gone = 1;
		*why = str_printf("nginx is not running (pid %ld from %s is "
		    "gone)", *pid, pidfile);
		return (-1);
	}
	ok = fgets(comm, sizeof comm, f) != NULL &&
	    strncmp(comm, "nginx", 5) == 0;
	fclose(f);
	if (!ok) {
		*gone = 1;
		*why = str_printf("nginx is not running (pid %ld from %s is "
		    "another program)", *pid, pidfile);
		return (-1);
	}
	return (0);
}

/* When pid started, in seconds since boot (/proc/PID/stat field 22). */
static int
observe_start(long pid, double *since_boot)
{
	char		 path[64], buf[1024], *p;
	unsigned long long start;
	FILE		*f;
	int		 i, ok;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "re")) == NULL)
		return (-1);
	ok = fgets(buf, sizeof buf, f) != NULL;
	fclose(f);
	/* comm may hold spaces: fields count from after its ')'. */
	if (!ok || (p = strrchr(buf, ')')) == NULL)
		return (-1);
	for (i = 2; i < 22 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p + 1, "%llu", &start) != 1)
		return (-1);
	*since_boot = (double)start / (double)sysconf(_SC_CLK_TCK);
	return (0);
}

static enum observe_loaded
observe_workers(long master, const struct timespec *mtime, char **why)
{
	struct timespec	 real, boot;
	char		 path[64], *line = NULL;
	size_t		 cap = 0;
	double		 file_since_boot, start, newest = -1;
	long		 pid;
	FILE		*f;
	int		 n = 0;

	/* The file's time on the clock process start times use. */
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	file_since_boot = (double)mtime->tv_sec + mtime->tv_nsec / 1e9 -
	    ((double)real.tv_sec + real.tv_nsec / 1e9 -
	    ((double)boot.tv_sec + boot.tv_nsec / 1e9));
	snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", master,
	    master);
	if ((f = fopen(path, "re")) == NULL) {
		*why = str_printf("cannot list nginx's workers (%s)", path);
		return (OBSERVE_LOADED_UNKNOWN);
	}
	if (getline(&line, &cap, f) > 0) {
		char *p = line, *end;

		while ((pid = strtol(p, &end, 10)) > 0 && end != p) {
			if (observe_start(pid, &start) == 0) {
				n++;
				if (start > newest)
					newest = start;
			}
			p = end;
		}
	}
	free(line);
	fclose(f);
	if (n == 0) {
		*why = str_printf("nginx (pid %ld) has no worker processes",
		    master);
		return (OBSERVE_LOADED_UNKNOWN);
	}
	/* Ticks are 10 ms: a worker within one tick of the file is taken as
	 * having loaded it (imapadm restarts right after writing). */
	if (newest + 0.01 >= file_since_boot)
		return (OBSERVE_LOADED_YES);
	*why = str_printf("the file changed %.1f s after nginx's newest "
	    "worker started: nginx has not loaded it (restart or reload)",
	    file_since_boot - newest);
	return (OBSERVE_LOADED_NO);
}

/*
 * A profile's observe command prints what runs, one "Name value" line per
 * setting: the Exchange name or the nginx directive, then seconds or an
 * nginx time. Other lines are ignored.
 */
static void
observe_command(const struct config *cfg, const struct profile *prof,
    const struct store_server *srv, struct observation *o)
{
	char		*out = NULL, *cause = NULL, *line, *save, *name, *value;
	char		 when[32];
	const char	*bad = NULL;
	size_t		 k;
	long		 v;

	if (service_query(cfg, prof, &prof->observe, srv, &out,
	    &cause) != 0) {
		o->source = str_printf("unknown: the observe command failed: %s",
		    cause != NULL ? cause : "out of memory");
		free(cause);
		return;
	}
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		name = line + strspn(line, " \t");
		value = name + strcspn(name, " \t:=");
		if (*value == '\0')
			continue;
		*value++ = '\0';
		value += strspn(value, " \t:=");
		value[strcspn(value, "\r;")] = '\0';
		for (k = 0; k < SETTING_COUNT; k++) {
			if (strcasecmp(name, settings_table[k].name) == 0 ||
			    (settings_table[k].nginx_directive != NULL &&
			    strcmp(name, settings_table[k].nginx_directive) == 0))
				break;
		}
		if (k == SETTING_COUNT)
			continue;
		if (nginx_settings_time(value, &v, &cause) != 0) {
			free(cause);
			cause = NULL;
			bad = settings_table[k].name;
			continue;
		}
		o->has_running[k] = 1;
		o->running[k] = v;
	}
	free(out);
	str_utc(when, sizeof when, o->at);
	o->source = bad != NULL ? str_printf("observe command of profile %s, "
	    "seen %s (its %s value is not a time)", prof->name, when, bad) :
	    str_printf("observe command of profile %s, seen %s", prof->name,
	    when);
}

/*
 * The settings file read back on its host over ssh, and whether that host's
 * nginx has loaded it, judged there as observe_workers judges here.
 */
static void
observe_remote(const struct config *cfg, const struct profile *prof,
    const struct store_server *srv, struct observation *o)
{
	struct remote_file	 f;
	char			*host, *cause = NULL, when[32];
	long			 master;
	size_t			 k;
	int			 rc;

	if ((host = service_host(prof, srv, &cause)) == NULL) {
		o->source = str_printf("unknown: %s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return;
	}
	if (remote_read(prof, host, prof->settings_file,
	    service_timeout(cfg, prof), &f, &cause) != 0) {
		o->source = str_printf("unknown: %s", cause != NULL ? cause :
		    "out of memory");
		goto out;
	}
	if (!f.exists) {
		o->source = str_printf("unknown: %s on %s does not exist",
		    prof->settings_file, host);
		goto out;
	}
	o->file_mtime = f.mtime_sec;
	if (nginx_settings_parse(f.text, &o->file, &cause) != 0) {
		o->source = str_printf("unknown: %s on %s: %s",
		    prof->settings_file, host, cause);
		goto out;
	}
	o->file_read = 1;
	str_utc(when, sizeof when, o->at);
	if (prof->pid_file == NULL) {
		o->source = str_printf("unknown: %s read on %s over ssh, seen "
		    "%s; the profile names no pid_file, so whether nginx "
		    "loaded it cannot be seen", prof->settings_file, host,
		    when);
		goto out;
	}
	rc = remote_nginx_loaded(prof, host, prof->settings_file,
	    prof->pid_file, service_timeout(cfg, prof), &master, &cause);
	o->loaded = rc == 1 ? OBSERVE_LOADED_YES : rc == 0 ?
	    OBSERVE_LOADED_NO : OBSERVE_LOADED_UNKNOWN;
	if (rc != 1) {
		o->source = str_printf("unknown: %s read on %s over ssh, seen "
		    "%s; %s", prof->settings_file, host, when, cause);
		goto out;
	}
	for (k = 0; k < SETTING_COUNT; k++) {
		o->has_running[k] = o->file.have[k];
		o->running[k] = o->file.value[k];
	}
	o->source = str_printf("%s on %s (read over ssh), loaded by nginx "
	    "(pid %ld), seen %s", prof->settings_file, host, master, when);
out:
	remote_file_free(&f);
	free(cause);
	free(host);
}

void
observe_server(const struct config *cfg, const struct profile *prof,
    const struct store_server *srv, int flags, struct observation *o)
{
	struct stat	 st;
	char		*text = NULL, *why = NULL, *cause = NULL, when[32];
	const char	*word, *line;
	long		 master;
	size_t		 k;

	memset(o, 0, sizeof *o);
	o->at = time(NULL);
	o->state = SERVICE_UNKNOWN;
	if (flags & OBSERVE_STATUS) {
		o->status_asked = 1;
		if (prof->status.argc == 0) {
			o->status_line = str_printf("unknown: profile %s has no "
			    "status command", prof->name);
		} else {
			o->state = service_status(cfg, prof, srv, &text,
			    &cause);
			/* One line: the output's first, or why. */
			if (text != NULL)
				text[strcspn(text, "\r\n")] = '\0';
			word = o->state == SERVICE_RUNNING ? "running" :
			    o->state == SERVICE_STOPPED ? "stopped" :
			    "unknown";
			line = o->state == SERVICE_UNKNOWN ? (cause != NULL ?
			    cause : "the status command failed") :
			    (text != NULL && *text != '\0' ? text :
			    "(no output)");
			/* "running: running (pid 5)" says it twice. */
			o->status_line = strncmp(line, word,
			    strlen(word)) == 0 ? strdup(line) :
			    str_printf("%s: %s", word, line);
			free(text);
			free(cause);
			text = cause = NULL;
		}
	}
	if (prof->observe.argc > 0) {
		if (flags & OBSERVE_COMMANDS)
			observe_command(cfg, prof, srv, o);
		else
			o->source = str_printf("unknown: not observed in a "
			    "listing (profile %s's observe command runs a "
			    "process); ask for this server alone", prof->name);
		return;
	}
	if (prof->type != PROFILE_NGINX_MAIL || prof->settings_file == NULL) {
		o->source = str_printf("unknown: profile %s writes no settings "
		    "file to read back and has no observe command", prof->name);
		return;
	}
	if (prof->remote == PROFILE_SSH) {
		if (flags & (OBSERVE_COMMANDS | OBSERVE_REMOTE))
			observe_remote(cfg, prof, srv, o);
		else
			o->source = str_printf("unknown: not observed in a "
			    "listing (%s is on another host: reading its file "
			    "runs ssh); ask for this server alone",
			    srv->identity);
		return;
	}
	if (stat(prof->settings_file, &st) != 0) {
		o->source = str_printf("unknown: cannot read %s: %s",
		    prof->settings_file, strerror(errno));
		return;
	}
	if (observe_read(prof->settings_file, &text, &why) != 0) {
		o->source = str_printf("unknown: %s", why);
		free(why);
		return;
	}
	o->file_mtime = st.st_mtime;
	if (nginx_settings_parse(text, &o->file, &why) != 0) {
		o->source = str_printf("unknown: %s: %s", prof->settings_file,
		    why);
		free(why);
		free(text);
		return;
	}
	free(text);
	o->file_read = 1;
	if (prof->pid_file == NULL) {
		o->source = str_printf("unknown: the profile names no pid_file, "
		    "so whether nginx loaded %s cannot be seen",
		    prof->settings_file);
		return;
	}
	if (observe_pid(prof->pid_file, &master, &o->no_master, &why) != 0) {
		o->source = str_printf("unknown: %s", why);
		free(why);
		return;
	}
	o->loaded = observe_workers(master, &st.st_mtim, &why);
	if (o->loaded != OBSERVE_LOADED_YES) {
		o->source = str_printf("unknown: %s", why);
		free(why);
		return;
	}
	for (k = 0; k < SETTING_COUNT; k++) {
		/* A directive the file leaves out runs nginx's default; only
		 * what the file says is taken as seen. */
		o->has_running[k] = o->file.have[k];
		o->running[k] = o->file.value[k];
	}
	str_utc(when, sizeof when, o->at);
	o->source = str_printf("%s, loaded by nginx (pid %ld), seen %s",
	    prof->settings_file, master, when);
}

/* Keep in step with observe_server: what there depends on srv. */
int
observe_shared(const struct profile *prof, int flags)
{
	if (flags & OBSERVE_STATUS)
		return (0);
	if (prof->observe.argc > 0)
		return (!(flags & OBSERVE_COMMANDS));
	/* A remote host is read per server, or its message names it. */
	return (prof->remote != PROFILE_SSH);
}

void
observe_free(struct observation *o)
{
	nginx_settings_free(&o->file);
	free(o->status_line);
	free(o->source);
	memset(o, 0, sizeof *o);
}
