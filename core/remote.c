/*
 * Remote hosts over OpenSSH. ssh hands the remote shell one string, so each
 * argument is quoted to arrive as one word; files are written and read by
 * fixed POSIX sh scripts (coreutils only) whose paths are arguments.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/nginx_settings.h"
#include "core/proc.h"
#include "core/remote.h"
#include "core/settings.h"
#include "core/service.h"
#include "core/str.h"

#define REMOTE_TAIL_LINES	3

/*
 * Write: $1 path, $2 keep .prev (1/0), $3 mtime to set or "", $4 the byte
 * count; the text on stdin. The path rules are safefile.c's, except that a
 * symbolic link at the path itself is refused rather than followed.
 */
static const char remote_write_sh[] =
"f=$1 keep=$2 when=$3 size=$4\n"
"die() { printf 'imapadm: %s\\n' \"$*\" >&2; exit 1; }\n"
"me=$(id -u) || exit 1\n"
"case $f in /*) ;; *) die \"cannot write $f: not an absolute path\";; esac\n"
"[ -L \"$f\" ] && die \"cannot write $f: it is a symbolic link (imapadm "
    "follows none on remote hosts)\"\n"
"owner=$me\n"
"if [ -e \"$f\" ]; then\n"
"	[ -f \"$f\" ] || die \"cannot write $f: not a regular file\"\n"
"	owner=$(stat -c %u -- \"$f\") || exit 1\n"
"fi\n"
"ok() { [ \"$1\" = 0 ] || [ \"$1\" = \"$me\" ] || [ \"$1\" = \"$owner\" ]; }\n"
"d=${f%/*}; [ -n \"$d\" ] || d=/\n"
"p=/ rest=${d#/} open=0\n"
"while :; do\n"
"	st=$(stat -L -c '%u %a %F' -- \"$p\") || exit 1\n"
"	u=${st%% *}; m=${st#* }; t=${m#* }; m=${m%% *}\n"
"	[ \"$t\" = directory ] || die \"cannot write $f: $p is not a directory\"\n"
"	ok \"$u\" || die \"cannot write $f safely: directory $p belongs to uid $u\"\n"
"	open=0\n"
"	if [ $((0$m & 022)) -ne 0 ]; then\n"
"		[ $((0$m & 01000)) -ne 0 ] || die \"cannot write $f safely: "
    "directory $p may be written by others (mode $m)\"\n"
"		open=1\n"
"	fi\n"
"	[ -n \"$rest\" ] || break\n"
"	c=${rest%%/*}\n"
"	case $rest in */*) rest=${rest#*/};; *) rest=;; esac\n"
"	[ -n \"$c\" ] || continue\n"
"	p=${p%/}/$c\n"
"	if [ \"$open\" = 1 ] || [ -L \"$p\" ]; then\n"
"		u=$(stat -c %u -- \"$p\") || exit 1\n"
"		ok \"$u\" || die \"cannot write $f safely: $p belongs to uid $u\"\n"
"	fi\n"
"done\n"
"[ \"$open\" = 1 ] && [ ! -e \"$f\" ] && die \"cannot write $f safely: $p "
    "may be written by others and the file is not there yet\"\n"
"umask 077\n"
"tmp= ptmp=\n"
"trap 'rm -f -- ${tmp:+\"$tmp\"} ${ptmp:+\"$ptmp\"}' EXIT\n"
"trap 'exit 1' HUP INT TERM\n"
"tmp=$(mktemp -- \"$f.XXXXXX\") || die \"cannot create a file beside $f\"\n"
"cat >\"$tmp\" || die \"cannot write $tmp\"\n"
"got=$(wc -c <\"$tmp\") || exit 1\n"
"[ \"$got\" -eq \"$size\" ] || die \"cannot write $f: $got of $size bytes "
    "arrived\"\n"
"like() {\n"
"	[ \"$(stat -c %u:%g -- \"$f\")\" = \"$(stat -c %u:%g -- \"$1\")\" ] ||\n"
"	    chown --reference=\"$f\" -- \"$1\" ||\n"
"	    die \"cannot give $1 the owner and group of $f\"\n"
"	chmod --reference=\"$f\" -- \"$1\" || die \"cannot give $1 the mode of $f\"\n"
"}\n"
"if [ -e \"$f\" ]; then\n"
"	like \"$tmp\"\n"
"	if [ \"$keep\" = 1 ]; then\n"
"		ptmp=$(mktemp -- \"$f.prev.XXXXXX\") || die \"cannot create a file "
    "beside $f\"\n"
"		cat -- \"$f\" >\"$ptmp\" || die \"cannot copy $f\"\n"
"		like \"$ptmp\"\n"
"		sync -- \"$ptmp\" || die \"cannot sync $ptmp\"\n"
"		mv -fT -- \"$ptmp\" \"$f.prev\" || die \"cannot rename $ptmp to "
    "$f.prev\"\n"
"		ptmp=\n"
"	fi\n"
"else\n"
"	chmod 0644 -- \"$tmp\" || die \"cannot set the mode of $tmp\"\n"
"fi\n"
"if [ -n \"$when\" ]; then\n"
"	touch -d \"@$when\" -- \"$tmp\" || die \"cannot set the times of $tmp\"\n"
"fi\n"
"sync -- \"$tmp\" || die \"cannot sync $tmp\"\n"
"mv -fT -- \"$tmp\" \"$f\" || die \"cannot rename $tmp to $f\"\n"
"tmp=\n"
"sync -- \"$d\" || die \"cannot sync directory $d\"\n";

/*
 * Read: $1 path, $2 the largest size. "absent", or "mtime S.N" and
 * "size N" lines, a blank line, then the file.
 */
static const char remote_read_sh[] =
"f=$1 max=$2\n"
"die() { printf 'imapadm: %s\\n' \"$*\" >&2; exit 1; }\n"
"if [ ! -e \"$f\" ] && [ ! -L \"$f\" ]; then echo absent; exit 0; fi\n"
"[ -f \"$f\" ] || die \"cannot read $f: not a regular file\"\n"
"[ -r \"$f\" ] || die \"cannot read $f: permission denied\"\n"
"st=$(stat -L -c '%.9Y %s' -- \"$f\") || exit 1\n"
"[ \"${st#* }\" -le \"$max\" ] || die \"cannot read $f: larger than $max "
    "bytes\"\n"
"printf 'mtime %s\\nsize %s\\n\\n' \"${st%% *}\" \"${st#* }\"\n"
"exec cat -- \"$f\"\n";

/*
 * nginx on its host: $1 the settings file, $2 the master's pid file. The
 * file's time and the workers' start times, on the clock /proc counts in
 * (seconds since boot: now - uptime), as observe.c does here.
 */
static const char remote_nginx_sh[] =
"f=$1 pidf=$2\n"
"set -f\n"
"die() { printf '%s\\n' \"$*\" >&2; exit 1; }\n"
"read -r pid <\"$pidf\" 2>/dev/null || die \"no nginx master: cannot read "
    "$pidf\"\n"
"case $pid in ''|*[!0-9]*) die \"no nginx master: $pidf holds no pid\";; "
    "esac\n"
"read -r comm <\"/proc/$pid/comm\" 2>/dev/null || die \"nginx is not "
    "running (pid $pid from $pidf is gone)\"\n"
"case $comm in nginx*) ;; *) die \"nginx is not running (pid $pid from "
    "$pidf is another program)\";; esac\n"
"m=$(stat -L -c %.9Y -- \"$f\") || exit 1\n"
"now=$(date +%s.%N) && read -r up idle </proc/uptime || exit 1\n"
"printf 'master %s\\nmtime %s\\nnow %s\\nuptime %s\\nclk_tck %s\\n' "
    "\"$pid\" \"$m\" \"$now\" \"$up\" \"$(getconf CLK_TCK)\"\n"
"for c in $(cat \"/proc/$pid/task/$pid/children\" 2>/dev/null); do\n"
"	read -r st <\"/proc/$c/stat\" 2>/dev/null || continue\n"
"	set -- ${st##*) }\n"
"	shift 19\n"
"	printf 'worker %s\\n' \"$1\"\n"
"done\n";

static int	 remote_workers(const char *, char **);
static int	 remote_plain(const char *);
static char	*remote_line(const char *const []);
static char	**remote_ssh(const struct profile *, const char *,
		     const char *const [], char **);
static int	 remote_run(const struct profile *, const char *,
		     const char *const [], const char *, size_t, int,
		     struct proc_result *, char **);
static char	*remote_why(const char *, const struct proc_result *,
		     const char *);

char *
remote_quote(const char *arg)
{
	const char	*a;
	char		*s, *p;
	size_t		 n = 3;

	for (a = arg; *a != '\0'; a++)
		n += *a == '\'' ? 4 : 1;
	if ((s = malloc(n)) == NULL)
		return (NULL);
	p = s;
	*p++ = '\'';
	for (a = arg; *a != '\0'; a++) {
		if (*a == '\'')
			p = stpcpy(p, "'\\''");
		else
			*p++ = *a;
	}
	*p++ = '\'';
	*p = '\0';
	return (s);
}

char *
remote_command(char *const argv[])
{
	return (remote_line((const char *const *)argv));
}

/*
 * A word the shell takes as it is: no character it gives a meaning to
 * (no '=', which makes a first word an assignment, nor '%', a job to
 * bash).
 */
static int
remote_plain(const char *arg)
{
	const char	*a;

	if (*arg == '\0')
		return (0);
	for (a = arg; *a != '\0'; a++) {
		if (!((*a >= 'a' && *a <= 'z') || (*a >= 'A' && *a <= 'Z') ||
		    (*a >= '0' && *a <= '9') || strchr("-_./:@+,", *a) != NULL))
			return (0);
	}
	return (1);
}

/* Plain words stay readable in the step's command line; all else quoted. */
static char *
remote_line(const char *const argv[])
{
	char	*line = NULL, *q;
	size_t	 i;

	if ((line = strdup("")) == NULL)
		return (NULL);
	for (i = 0; argv[i] != NULL; i++) {
		q = remote_plain(argv[i]) ? strdup(argv[i]) :
		    remote_quote(argv[i]);
		if (q == NULL ||
		    str_append(&line, i > 0 ? " " : "", "%s", q) != 0) {
			free(q);
			free(line);
			return (NULL);
		}
		free(q);
	}
	return (line);
}

/* Ours, a directory (not a link to one), and closed to everyone else. */
static int
remote_dir_ok(const char *path, char **cause)
{
	struct stat	st;

	if (lstat(path, &st) != 0) {
		*cause = str_printf("ssh control directory %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0) {
		*cause = str_printf("ssh control directory %s is not safe to "
		    "use (%s, uid %lu, mode %04o; it must be a directory of "
		    "uid %lu with mode 0700): remove it", path,
		    S_ISDIR(st.st_mode) ? "a directory" : "not a directory",
		    (unsigned long)st.st_uid, (unsigned)(st.st_mode & 07777),
		    (unsigned long)geteuid());
		return (-1);
	}
	return (0);
}

char *
remote_control_dir(char **cause)
{
	struct stat	 st;
	const char	*xdg;
	char		*dir;

	/* Under sudo XDG_RUNTIME_DIR may still be the user's: only ours. */
	xdg = getenv("XDG_RUNTIME_DIR");
	if (xdg != NULL && xdg[0] == '/' && lstat(xdg, &st) == 0 &&
	    S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
	    (st.st_mode & 077) == 0)
		dir = str_printf("%s/imapadm", xdg);
	else
		dir = str_printf("/tmp/imapadm-%lu", (unsigned long)geteuid());
	if (dir == NULL) {
		*cause = strdup("out of memory");
		return (NULL);
	}
	/* mkdir never follows a link: an existing one is refused below. */
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*cause = str_printf("cannot make ssh control directory %s: %s",
		    dir, strerror(errno));
		free(dir);
		return (NULL);
	}
	if (remote_dir_ok(dir, cause) != 0) {
		free(dir);
		return (NULL);
	}
	return (dir);
}

char **
remote_ssh_argv(const struct profile *prof, const char *host,
    char *const argv[], char **cause)
{
	return (remote_ssh(prof, host, (const char *const *)argv, cause));
}

static char **
remote_ssh(const struct profile *prof, const char *host,
    const char *const argv[], char **cause)
{
	char	**out, *dir, *opt[5];
	size_t	  n = 0, i, k;
	int	  ct;

	*cause = NULL;
	if ((dir = remote_control_dir(cause)) == NULL)
		return (NULL);
	ct = prof->connect_timeout > 0 ? prof->connect_timeout :
	    PROFILE_CONNECT_TIMEOUT;
	/* Never StrictHostKeyChecking=no: known_hosts decides. */
	opt[0] = strdup("BatchMode=yes");
	opt[1] = str_printf("ConnectTimeout=%d", ct);
	opt[2] = strdup("ControlMaster=auto");
	opt[3] = str_printf("ControlPersist=%d", REMOTE_CONTROL_PERSIST);
	opt[4] = str_printf("ControlPath=%s/%%C", dir);
	free(dir);
	out = calloc(1 + prof->ssh_options.argc + 2 * 5 + 4, sizeof *out);
	if (out == NULL)
		goto oom;
	if ((out[n++] = strdup("ssh")) == NULL)
		goto oom;
	/* The admin's options first: for ssh the first value given wins. */
	for (i = 0; i < prof->ssh_options.argc; i++) {
		if ((out[n++] = strdup(prof->ssh_options.argv[i])) == NULL)
			goto oom;
	}
	for (k = 0; k < 5; k++) {
		if (opt[k] == NULL || (out[n++] = strdup("-o")) == NULL)
			goto oom;
		out[n++] = opt[k];
		opt[k] = NULL;
	}
	if ((out[n++] = strdup("--")) == NULL ||
	    (out[n++] = strdup(host)) == NULL ||
	    (out[n++] = remote_line(argv)) == NULL)
		goto oom;
	out[n] = NULL;
	return (out);

oom:
	for (k = 0; k < 5; k++)
		free(opt[k]);
	service_argv_free(out);
	*cause = strdup("out of memory");
	return (NULL);
}

/* Run argv on host through ssh, with input on its stdin. */
static int
remote_run(const struct profile *prof, const char *host,
    const char *const argv[], const char *input, size_t len, int timeout, struct proc_result *r,
    char **cause)
{
	char	**ssh;
	int	  rv;

	memset(r, 0, sizeof *r);
	if ((ssh = remote_ssh(prof, host, argv, cause)) == NULL)
		return (-1);
	rv = proc_run_input(ssh, input, len, timeout, NULL, NULL, r, cause);
	service_argv_free(ssh);
	return (rv);
}

/*
 * Why a remote step failed: ssh's own message (it exits 255 when the host
 * cannot be reached or refuses us), else the script's.
 */
static char *
remote_why(const char *what, const struct proc_result *r, const char *cause)
{
	char	*tail, *s, *p;

	if (cause != NULL && (!r->exited || r->spawn_errno != 0))
		return (str_printf("%s: %s", what, cause));
	tail = proc_tail(r->err != NULL ? r->err : "", REMOTE_TAIL_LINES);
	for (p = tail; p != NULL && *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	}
	if (r->exit_status == 255)
		s = str_printf("%s: ssh failed (exit 255): %s", what,
		    tail != NULL && *tail != '\0' ? tail : "no message");
	else
		s = str_printf("%s: exit status %d: %s", what, r->exit_status,
		    tail != NULL && *tail != '\0' ? tail : "no message");
	free(tail);
	return (s);
}

/*
 * Run argv on host: 0 when it ran and exited 0 (*r holds what it said),
 * else -1 and *cause is "WHAT: why", WHAT made from fmt. The caller frees
 * *r either way.
 */
static int	 remote_call(const struct profile *, const char *,
		     const char *const [], const char *, size_t, int,
		     struct proc_result *, char **, const char *, ...)
		     __attribute__((format(printf, 9, 10)));

static int
remote_call(const struct profile *prof, const char *host,
    const char *const argv[], const char *input, size_t len, int timeout,
    struct proc_result *r, char **cause, const char *fmt, ...)
{
	va_list	 ap;
	char	*why = NULL, *what;

	if (remote_run(prof, host, argv, input, len, timeout, r, &why) == 0 &&
	    r->exit_status == 0) {
		free(why);
		return (0);
	}
	va_start(ap, fmt);
	what = str_vprintf(fmt, ap);
	va_end(ap);
	*cause = what != NULL ? remote_why(what, r, why) : NULL;
	if (*cause == NULL)
		*cause = strdup("out of memory");
	free(what);
	free(why);
	return (-1);
}

void
remote_file_free(struct remote_file *f)
{
	free(f->text);
	free(f->mtime);
	memset(f, 0, sizeof *f);
}

int
remote_read(const struct profile *prof, const char *host, const char *path,
    int timeout, struct remote_file *f, char **cause)
{
	struct proc_result	 r;
	char			 max[32], *body, *size_at;
	const char		*argv[] = { "sh", "-c", remote_read_sh,
	    "imapadm-read", path, max, NULL };
	unsigned long long	 size;
	long long		 sec;
	int			 rv = -1;

	memset(f, 0, sizeof *f);
	*cause = NULL;
	snprintf(max, sizeof max, "%d", REMOTE_FILE_MAX);
	if (remote_call(prof, host, argv, NULL, 0, timeout, &r, cause,
	    "cannot read %s on %s", path, host) != 0)
		goto out;
	if (strcmp(r.out, "absent\n") == 0) {
		rv = 0;
		goto out;
	}
	/* The size line says whether the whole file came. */
	if (sscanf(r.out, "mtime %lld", &sec) != 1 ||
	    (size_at = strstr(r.out, "\nsize ")) == NULL ||
	    sscanf(size_at, "\nsize %llu", &size) != 1 ||
	    (body = strstr(r.out, "\n\n")) == NULL ||
	    strlen(body + 2) != size) {
		*cause = str_printf("cannot read %s on %s: the answer is not "
		    "the whole file (%zu bytes)", path, host, strlen(r.out));
		goto out;
	}
	f->exists = 1;
	f->mtime_sec = (time_t)sec;
	f->mtime = strndup(r.out + 6, strcspn(r.out + 6, "\n"));
	f->text = strdup(body + 2);
	f->len = size;
	if (f->mtime == NULL || f->text == NULL) {
		remote_file_free(f);
		*cause = strdup("out of memory");
		goto out;
	}
	rv = 0;
out:
	proc_result_free(&r);
	return (rv);
}

int
remote_write(const struct profile *prof, const char *host, const char *path,
    const char *text, size_t len, int keep_prev, const char *mtime,
    int timeout, char **cause)
{
	struct proc_result	 r;
	char			 size[32];
	const char		*argv[9];
	int			 rv;

	*cause = NULL;
	if (len > REMOTE_FILE_MAX) {
		*cause = str_printf("cannot write %s on %s: %zu bytes is more "
		    "than %d", path, host, len, REMOTE_FILE_MAX);
		return (-1);
	}
	snprintf(size, sizeof size, "%zu", len);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = remote_write_sh;
	argv[3] = "imapadm-write";
	argv[4] = path;
	argv[5] = keep_prev ? "1" : "0";
	argv[6] = mtime != NULL ? mtime : "";
	argv[7] = size;
	argv[8] = NULL;
	rv = remote_call(prof, host, argv, text, len, timeout, &r, cause,
	    "cannot write %s on %s", path, host);
	proc_result_free(&r);
	return (rv);
}

int
remote_remove(const struct profile *prof, const char *host, const char *path,
    int timeout, char **cause)
{
	struct proc_result	 r;
	const char		*argv[] = { "rm", "-f", "--", path, NULL };
	int			 rv;

	*cause = NULL;
	rv = remote_call(prof, host, argv, NULL, 0, timeout, &r, cause,
	    "cannot remove %s on %s", path, host);
	proc_result_free(&r);
	return (rv);
}

int
remote_push(const struct profile *prof, const struct store_server *srv,
    const char *text, int timeout, struct remote_file *old, char **cause)
{
	char	*host, *where;
	int	 rv = -1;

	memset(old, 0, sizeof *old);
	if ((host = service_host(prof, srv, cause)) == NULL)
		return (-1);
	if (remote_read(prof, host, prof->settings_file, timeout, old,
	    cause) != 0)
		goto out;
	if (old->exists) {
		if ((where = str_printf("%s on %s", prof->settings_file,
		    host)) == NULL) {
			*cause = strdup("out of memory");
			goto out;
		}
		rv = service_own_file(where, old->text, cause);
		free(where);
		if (rv != 0)
			goto out;
	}
	rv = remote_write(prof, host, prof->settings_file, text, strlen(text),
	    1, NULL, timeout, cause);
out:
	free(host);
	return (rv);
}

char *
remote_restore(const struct profile *prof, const struct store_server *srv,
    const struct remote_file *old, int timeout)
{
	char	*host, *cause = NULL, *s;
	int	 rv;

	if ((host = service_host(prof, srv, &cause)) == NULL)
		rv = -1;
	else if (old->exists)
		rv = remote_write(prof, host, prof->settings_file, old->text,
		    old->len, 0, old->mtime, timeout, &cause);
	else
		rv = remote_remove(prof, host, prof->settings_file, timeout,
		    &cause);
	if (rv == 0)
		s = old->exists ? str_printf(" (previous settings restored on "
		    "%s)", host) : str_printf(" (%s removed on %s: there was "
		    "none before)", prof->settings_file, host);
	else
		s = str_printf(" (restoring the previous settings failed: %s)",
		    cause != NULL ? cause : "out of memory");
	free(cause);
	free(host);
	return (s);
}

int
remote_confirm(const struct profile *prof, const struct store_server *srv,
    const long *values, int timeout, char **cause)
{
	struct remote_file	 f;
	struct nginx_settings	 ns;
	char			*host, *why = NULL;
	size_t			 k;
	long			 master;
	int			 rv = -1;

	*cause = NULL;
	if ((host = service_host(prof, srv, cause)) == NULL)
		return (-1);
	if (remote_read(prof, host, prof->settings_file, timeout, &f,
	    cause) != 0) {
		free(host);
		return (-1);
	}
	if (!f.exists) {
		*cause = str_printf("%s on %s is gone", prof->settings_file,
		    host);
		goto out;
	}
	if (prof->type != PROFILE_NGINX_MAIL) {
		rv = 0;
		goto out;
	}
	if (nginx_settings_parse(f.text, &ns, &why) != 0) {
		*cause = str_printf("%s on %s: %s", prof->settings_file, host,
		    why != NULL ? why : "out of memory");
		free(why);
		goto out;
	}
	for (k = 0; k < SETTING_COUNT; k++) {
		if (settings_table[k].nginx_directive == NULL)
			continue;
		if (!ns.have[k])
			*cause = str_printf("%s on %s holds no %s (wanted "
			    "%lds)", prof->settings_file, host,
			    settings_table[k].nginx_directive, values[k]);
		else if (ns.value[k] != values[k])
			*cause = str_printf("%s on %s holds %s %lds, not %lds",
			    prof->settings_file, host,
			    settings_table[k].nginx_directive, ns.value[k],
			    values[k]);
		if (*cause != NULL) {
			nginx_settings_free(&ns);
			goto out;
		}
	}
	nginx_settings_free(&ns);
	/* With a pid file, the remote nginx must be seen to run it too. */
	if (prof->pid_file != NULL && remote_nginx_loaded(prof, host,
	    prof->settings_file, prof->pid_file, timeout, &master,
	    &why) != 1) {
		*cause = str_printf("%s on %s holds the values, but %s",
		    prof->settings_file, host, why);
		free(why);
		goto out;
	}
	rv = 0;
out:
	remote_file_free(&f);
	free(host);
	return (rv);
}

/*
 * The script's answer: 1 when a worker started after the file changed
 * (within one 10 ms tick, the granularity of both clocks), 0 when every
 * worker is older, -1 when it cannot be said; *why in the last two cases.
 */
static int
remote_workers(const char *out, char **why)
{
	const char	*line;
	double		 mtime = -1, now = -1, up = -1, tck = -1, start;
	double		 newest = -1, file_since_boot;
	long		 master = -1;
	int		 n = 0;

	for (line = out; line != NULL && *line != '\0';
	    line = strchr(line, '\n') != NULL ? strchr(line, '\n') + 1 : NULL) {
		if (sscanf(line, "master %ld", &master) == 1 ||
		    sscanf(line, "mtime %lf", &mtime) == 1 ||
		    sscanf(line, "now %lf", &now) == 1 ||
		    sscanf(line, "uptime %lf", &up) == 1 ||
		    sscanf(line, "clk_tck %lf", &tck) == 1)
			continue;
		if (sscanf(line, "worker %lf", &start) == 1 && tck > 0) {
			n++;
			if (start / tck > newest)
				newest = start / tck;
		}
	}
	if (master <= 0 || mtime < 0 || now < 0 || up < 0 || tck <= 0) {
		*why = strdup("the answer about nginx is incomplete");
		return (-1);
	}
	if (n == 0) {
		*why = str_printf("nginx (pid %ld) has no worker processes",
		    master);
		return (-1);
	}
	file_since_boot = mtime - (now - up);
	if (newest + 0.02 >= file_since_boot)
		return (1);
	*why = str_printf("the file changed %.1f s after nginx's newest "
	    "worker started: nginx has not loaded it (restart or reload)",
	    file_since_boot - newest);
	return (0);
}

int
remote_nginx_loaded(const struct profile *prof, const char *host,
    const char *path, const char *pid_file, int timeout, long *master,
    char **why)
{
	struct proc_result	 r;
	const char		*argv[] = { "sh", "-c", remote_nginx_sh,
	    "imapadm-nginx", path, pid_file, NULL };
	char			*cause = NULL, *what, *m;
	int			 rv = -1;

	*why = NULL;
	*master = -1;
	if (remote_run(prof, host, argv, NULL, 0, timeout, &r, &cause) != 0 ||
	    r.exit_status != 0) {
		if (r.exited && r.exit_status == 1 && r.err != NULL &&
		    *r.err != '\0') {
			/* The script's own words: nginx is not there. */
			*why = str_printf("on %s: %.*s", host,
			    (int)strcspn(r.err, "\n"), r.err);
		} else if ((what = str_printf("cannot ask nginx on %s",
		    host)) != NULL) {
			*why = remote_why(what, &r, cause);
			free(what);
		}
		goto out;
	}
	if ((m = strstr(r.out, "master ")) != NULL)
		*master = strtol(m + 7, NULL, 10);
	rv = remote_workers(r.out, why);
out:
	if (rv != 1 && *why == NULL)
		*why = strdup("out of memory");
	proc_result_free(&r);
	free(cause);
	return (rv);
}
