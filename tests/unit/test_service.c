/* service: placeholder expansion (no injection), rendering, atomic writes,
 * and the render/write/check/restart/status workflow with real processes. */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"
#include "core/proc.h"
#include "core/service.h"
#include "core/settings.h"
#include "data/store.h"

/* Per-test fixture: a temp directory, a profile and a server. */
struct fx {
	char			 dir[64];
	char			 file[128];
	char			 prev[160];
	struct profile		 prof;
	struct config		 cfg;
	struct store_server	 srv;
	long			 values[SETTING_COUNT];
};

/* Progress calls recorded as "step:detail" or "step:(tick)". */
struct progress_log {
	char	 text[8192];
	int	 ticks;
};

static int	 rm_one(const char *, const struct stat *, int, struct FTW *);
static char	*slurp(const char *);
static void	 spit(const char *, const char *);
static int	 count_entries(const char *);
static void	 tmpl_set(struct argv_tmpl *, char **);
static void	 record(void *, const char *, const char *);

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return (remove(path));
}

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	if (fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return (buf);
}

static void
spit(const char *path, const char *text)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static int
count_entries(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	}
	closedir(d);
	return (n);
}

static void
tmpl_set(struct argv_tmpl *t, char **argv)
{
	t->argv = argv;
	for (t->argc = 0; argv != NULL && argv[t->argc] != NULL; t->argc++)
		;
}

static void
record(void *arg, const char *step, const char *detail)
{
	struct progress_log	*log = arg;
	size_t			 len = strlen(log->text);

	if (detail == NULL) {
		log->ticks++;
		return;
	}
	snprintf(log->text + len, sizeof log->text - len, "%s:%s\n", step,
	    detail);
}

static int
setup(void **state)
{
	struct fx	*fx;

	fx = calloc(1, sizeof *fx);
	strcpy(fx->dir, "/tmp/imapadm-test-service.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return (-1);
	snprintf(fx->file, sizeof fx->file, "%s/imap-timeouts.conf", fx->dir);
	snprintf(fx->prev, sizeof fx->prev, "%s.prev", fx->file);
	fx->prof.name = "cas01";
	fx->prof.type = PROFILE_NGINX_MAIL;
	fx->prof.settings_file = fx->file;
	fx->prof.timeout = 10;
	fx->cfg.command_timeout = 30;
	fx->srv.identity = "CAS01";
	fx->srv.fqdn = "cas01.contoso.test";
	fx->srv.roles = "ClientAccess";
	fx->srv.site = "Default-First-Site-Name";
	fx->srv.profile = "cas01";
	fx->values[SETTING_AUTH_TIMEOUT] = 1800;
	fx->values[SETTING_PREAUTH_TIMEOUT] = 60;
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return (0);
}

static void
test_expand_placeholders(void **state)
{
	struct fx	*fx = *state;
	char		*cmd[] = { "ctl", "--id=%{identity}", "%{site}",
	    "%{profile}", "%{settings_file}", "%{AuthenticatedConnectionTimeout}",
	    "pre=%{PreAuthenticatedConnectionTimeout}s", "100%%",
	    "%%{fqdn}", "50%", NULL };
	struct argv_tmpl t;
	char		**argv, *cause;

	tmpl_set(&t, cmd);
	argv = service_expand(&fx->prof, &t, &fx->srv, fx->values, &cause);
	assert_non_null(argv);
	assert_string_equal(argv[0], "ctl");
	assert_string_equal(argv[1], "--id=CAS01");
	assert_string_equal(argv[2], "Default-First-Site-Name");
	assert_string_equal(argv[3], "cas01");
	assert_string_equal(argv[4], fx->file);
	assert_string_equal(argv[5], "1800");
	assert_string_equal(argv[6], "pre=60s");
	assert_string_equal(argv[7], "100%");
	assert_string_equal(argv[8], "%{fqdn}");
	assert_string_equal(argv[9], "50%");
	assert_null(argv[10]);
	service_argv_free(argv);

	/* Setting names match case-insensitively, like the command line. */
	cmd[1] = "%{authenticatedconnectiontimeout}";
	cmd[2] = NULL;
	tmpl_set(&t, cmd);
	argv = service_expand(&fx->prof, &t, &fx->srv, fx->values, &cause);
	assert_non_null(argv);
	assert_string_equal(argv[1], "1800");
	service_argv_free(argv);
}

static void
test_expand_no_injection(void **state)
{
	struct fx		*fx = *state;
	char			 evil[1024], marker[160], want[2048];
	char			*cmd[] = { "printf", "[%s]\n", "%{fqdn}",
	    "%{identity}", NULL };
	struct argv_tmpl	 t;
	struct proc_result	 r;
	char			**argv, *cause;

	snprintf(marker, sizeof marker, "%s/pwned", fx->dir);
	snprintf(evil, sizeof evil, "a b; touch %s; $(touch %s) `touch %s` #",
	    marker, marker, marker);
	fx->srv.fqdn = evil;
	fx->srv.identity = "CAS01 'x' \"y\" | z";
	tmpl_set(&t, cmd);
	argv = service_expand(&fx->prof, &t, &fx->srv, fx->values, &cause);
	assert_non_null(argv);
	/* Four template arguments in, four out: nothing split. */
	assert_string_equal(argv[2], evil);
	assert_string_equal(argv[3], fx->srv.identity);
	assert_null(argv[4]);

	/* Run for real: each value arrives whole and nothing else runs. */
	assert_int_equal(proc_run(argv, 10, NULL, NULL, &r, &cause), 0);
	snprintf(want, sizeof want, "[%s]\n[%s]\n", evil, fx->srv.identity);
	assert_string_equal(r.out, want);
	proc_result_free(&r);
	service_argv_free(argv);
	assert_int_equal(access(marker, F_OK), -1);
}

/*
 * A value from the inventory that begins an argument must not begin with
 * '-': "ssh -o BatchMode=yes %{fqdn}" with fqdn "-oProxyCommand=..." would
 * run a command through ssh. Inside an argument ("--id=%{identity}") it is
 * harmless and allowed.
 */
static void
test_expand_no_option_values(void **state)
{
	struct fx		*fx = *state;
	char			*cmd[] = { "ctl", "restart", NULL };
	char			*cmd2[] = { "ctl", "%{identity}", NULL };
	char			*cmd3[] = { "ctl", "--id=%{identity}",
	    "%{site}x", NULL };
	char			*cmd4[] = { "ctl", "%{site}%{identity}", NULL };
	struct argv_tmpl	 t;
	char			**argv, *cause = NULL;

	fx->srv.fqdn = "-oProxyCommand=touch /tmp/x";
	fx->prof.remote = PROFILE_SSH;
	fx->prof.ssh_host = "%{fqdn}";
	tmpl_set(&t, cmd);
	argv = service_expand(&fx->prof, &t, &fx->srv, fx->values, &cause);
	assert_null(argv);
	assert_non_null(cause);
	assert_string_equal(cause, "%{fqdn} of server CAS01 is "
	    "'-oProxyCommand=touch /tmp/x', which starts with '-' and would be "
	    "read as an option (profile cas01): correct the server's fqdn");
	free(cause);
	cause = NULL;

	fx->srv.fqdn = "cas01.contoso.test";
	fx->prof.remote = PROFILE_LOCAL;
	fx->srv.identity = "-rf";
	tmpl_set(&t, cmd2);
	assert_null(service_expand(&fx->prof, &t, &fx->srv, fx->values,
	    &cause));
	assert_non_null(strstr(cause, "%{identity} of server -rf is '-rf'"));
	free(cause);
	cause = NULL;

	/* An empty value before it does not make the argument start later. */
	fx->srv.site = "";
	tmpl_set(&t, cmd4);
	assert_null(service_expand(&fx->prof, &t, &fx->srv, fx->values,
	    &cause));
	free(cause);
	cause = NULL;

	fx->srv.site = "-site";
	tmpl_set(&t, cmd3);
	argv = service_expand(&fx->prof, &t, &fx->srv, fx->values, &cause);
	assert_null(argv);
	assert_non_null(strstr(cause, "%{site} of server -rf is '-site'"));
	free(cause);
	cause = NULL;

	fx->srv.site = "site";
	argv = service_expand(&fx->prof, &t, &fx->srv, fx->values, &cause);
	assert_non_null(argv);
	assert_string_equal(argv[1], "--id=-rf");
	assert_string_equal(argv[2], "sitex");
	service_argv_free(argv);

	/* The profile's own name comes from the config, not the server. */
	fx->prof.name = "-p";
	cmd2[1] = "%{profile}";
	tmpl_set(&t, cmd2);
	assert_null(service_expand(&fx->prof, &t, &fx->srv, fx->values,
	    &cause));
	assert_non_null(strstr(cause, "(profile -p): rename the profile in the "
	    "config"));
	free(cause);
}

static void
test_expand_errors(void **state)
{
	struct fx		*fx = *state;
	char			*cmd[] = { "nginx", "-g", "%{bogus}", NULL };
	char			*cmd2[] = { "x", "%{fqdn", NULL };
	char			*cmd3[] = { "x", "%{settings_file}", NULL };
	char			*cmd4[] = { "x", "%{PreAuthenticatedConnectionTimeout}",
	    NULL };
	struct argv_tmpl	 t;
	char			**argv, *cause;

	tmpl_set(&t, cmd);
	argv = service_expand(&fx->prof, &t, &fx->srv, fx->values, &cause);
	assert_null(argv);
	assert_string_equal(cause, "unknown placeholder %{bogus} in profile "
	    "cas01 (known: identity, fqdn, site, profile, settings_file, "
	    "AuthenticatedConnectionTimeout, PreAuthenticatedConnectionTimeout)");
	free(cause);

	tmpl_set(&t, cmd2);
	assert_null(service_expand(&fx->prof, &t, &fx->srv, fx->values,
	    &cause));
	assert_string_equal(cause,
	    "unterminated placeholder in '%{fqdn' in profile cas01");
	free(cause);

	fx->prof.settings_file = NULL;
	tmpl_set(&t, cmd3);
	assert_null(service_expand(&fx->prof, &t, &fx->srv, fx->values,
	    &cause));
	assert_string_equal(cause, "profile cas01 uses %{settings_file} but "
	    "sets no settings_file");
	free(cause);

	/* The status command runs without values: say so, do not guess. */
	tmpl_set(&t, cmd4);
	assert_null(service_expand(&fx->prof, &t, &fx->srv, NULL, &cause));
	assert_non_null(strstr(cause, "%{PreAuthenticatedConnectionTimeout}"));
	free(cause);

	t.argc = 0;
	assert_null(service_expand(&fx->prof, &t, &fx->srv, fx->values,
	    &cause));
	assert_string_equal(cause, "profile cas01: empty command");
	free(cause);
}

static void
test_render_nginx(void **state)
{
	struct fx	*fx = *state;
	char		*text;

	fx->values[SETTING_AUTH_TIMEOUT] = 900;
	fx->values[SETTING_PREAUTH_TIMEOUT] = 45;
	text = service_render(&fx->prof, fx->values);
	assert_non_null(text);
	assert_string_equal(text,
	    "# Generated by imapadm for profile cas01: do not edit,\n"
	    "# changes here are overwritten by the next restart from imapadm.\n"
	    "# AuthenticatedConnectionTimeout (Authenticated time-out)\n"
	    "proxy_timeout 900s;\n"
	    "# PreAuthenticatedConnectionTimeout (Unauthenticated time-out)\n"
	    "timeout 45s;\n");
	free(text);
}

static void
test_render_command(void **state)
{
	struct fx	*fx = *state;
	char		*text;

	fx->prof.type = PROFILE_COMMAND;
	fx->prof.settings_file = NULL;
	assert_null(service_render(&fx->prof, fx->values));
	fx->prof.settings_file = fx->file;
	text = service_render(&fx->prof, fx->values);
	assert_string_equal(text, "AuthenticatedConnectionTimeout=1800\n"
	    "PreAuthenticatedConnectionTimeout=60\n");
	free(text);
}

static void
test_write_atomic(void **state)
{
	struct fx	*fx = *state;
	struct stat	 sb;
	char		*cause, *s, bad[192];

	assert_int_equal(service_write_atomic(fx->file, "one\n", &cause), 0);
	assert_string_equal(s = slurp(fx->file), "one\n");
	free(s);
	assert_int_equal(access(fx->prev, F_OK), -1);
	assert_int_equal(stat(fx->file, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0644);

	assert_int_equal(service_write_atomic(fx->file, "two\n", &cause), 0);
	assert_string_equal(s = slurp(fx->file), "two\n");
	free(s);
	assert_string_equal(s = slurp(fx->prev), "one\n");
	free(s);
	assert_int_equal(service_write_atomic(fx->file, "three\n", &cause), 0);
	assert_string_equal(s = slurp(fx->prev), "two\n");
	free(s);
	/* The file, its .prev, and no temp file left behind. */
	assert_int_equal(count_entries(fx->dir), 2);

	/* .prev cannot be replaced (a directory): target stays as it was. */
	unlink(fx->prev);
	assert_int_equal(mkdir(fx->prev, 0755), 0);
	snprintf(bad, sizeof bad, "%s/x", fx->prev);
	spit(bad, "keep");
	assert_int_equal(service_write_atomic(fx->file, "four\n", &cause), -1);
	assert_non_null(strstr(cause, "cannot rename"));
	free(cause);
	assert_string_equal(s = slurp(fx->file), "three\n");
	free(s);
	assert_int_equal(count_entries(fx->dir), 2);

	snprintf(bad, sizeof bad, "%s/no-such-dir/f.conf", fx->dir);
	assert_int_equal(service_write_atomic(bad, "x", &cause), -1);
	assert_non_null(strstr(cause, "No such file or directory"));
	assert_non_null(strstr(cause, bad));
	free(cause);
}

static void
test_write_through_symlink(void **state)
{
	struct fx	*fx = *state;
	char		 real[160], *cause, *s;
	struct stat	 sb;

	snprintf(real, sizeof real, "%s/real.conf", fx->dir);
	spit(real, "old\n");
	assert_int_equal(symlink("real.conf", fx->file), 0);
	assert_int_equal(service_write_atomic(fx->file, "new\n", &cause), 0);
	assert_int_equal(lstat(fx->file, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_string_equal(s = slurp(real), "new\n");
	free(s);
}

/* The file keeps its mode, owner and group; .prev is no more readable. */
static void
test_write_keeps_mode_owner(void **state)
{
	struct fx	*fx = *state;
	struct passwd	*pw = getpwnam("nobody");
	struct stat	 sb;
	char		*cause;

	spit(fx->file, "old\n");
	assert_int_equal(chmod(fx->file, 0600), 0);
	if (getuid() == 0 && pw != NULL)
		assert_int_equal(chown(fx->file, pw->pw_uid, pw->pw_gid), 0);
	assert_int_equal(service_write_atomic(fx->file, "new\n", &cause), 0);
	assert_int_equal(stat(fx->file, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	if (getuid() == 0 && pw != NULL)
		assert_int_equal(sb.st_uid, pw->pw_uid);
	assert_int_equal(stat(fx->prev, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	if (getuid() == 0 && pw != NULL)
		assert_int_equal(sb.st_uid, pw->pw_uid);
}

/*
 * Paths others could have planted are refused before anything is written:
 * a directory others may write to, a missing file in a sticky one, and (as
 * root) a symlink of another user's in a sticky one, as in /tmp.
 */
static void
test_write_unsafe_paths(void **state)
{
	struct fx	*fx = *state;
	struct passwd	*pw = getpwnam("nobody");
	char		 dir[160], path[256], secret[200], *cause, *s;

	snprintf(dir, sizeof dir, "%s/open", fx->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(path, sizeof path, "%s/t.conf", dir);
	assert_int_equal(service_write_atomic(path, "x\n", &cause), -1);
	assert_non_null(strstr(cause, "may be written by others"));
	free(cause);
	assert_int_equal(count_entries(dir), 0);

	/* Sticky, as /tmp: an existing file of ours may be replaced, a
	 * missing one not (anyone could make it first). */
	assert_int_equal(chmod(dir, 01777), 0);
	assert_int_equal(service_write_atomic(path, "x\n", &cause), -1);
	assert_non_null(strstr(cause, "not there yet"));
	free(cause);
	spit(path, "ours\n");
	assert_int_equal(service_write_atomic(path, "new\n", &cause), 0);
	assert_string_equal(s = slurp(path), "new\n");
	free(s);

	if (getuid() != 0 || pw == NULL)
		return;
	/* Root's secret, and another user's symlink to it beside ours. */
	snprintf(secret, sizeof secret, "%s/secret", fx->dir);
	spit(secret, "root only\n");
	assert_int_equal(chmod(secret, 0600), 0);
	snprintf(path, sizeof path, "%s/planted.conf", dir);
	assert_int_equal(symlink(secret, path), 0);
	assert_int_equal(lchown(path, pw->pw_uid, pw->pw_gid), 0);
	assert_int_equal(service_write_atomic(path, "evil\n", &cause), -1);
	assert_non_null(strstr(cause, "cannot write"));
	free(cause);
	assert_string_equal(s = slurp(secret), "root only\n");
	free(s);
	snprintf(path, sizeof path, "%s.prev", secret);
	assert_int_equal(access(path, F_OK), -1);
}

static void
test_apply_check_fails_restores(void **state)
{
	struct fx		*fx = *state;
	struct service_result	 res;
	struct progress_log	 log;
	char			 script[512], marker[160], want[1024];
	char			*check[] = { "sh", "-c", script, NULL };
	char			*restart[] = { "touch", marker, NULL };
	const char		*prevtext = "# hand-made\r\ntimeout 61s;\r\n\n  ";
	char			*s;
	size_t			 mlen, wlen;

	snprintf(script, sizeof script,
	    "echo 'nginx: the configuration file syntax is being checked'; "
	    "echo 'nginx: [emerg] unknown directive \"bogus\" in "
	    "%%{settings_file}:3' >&2; "
	    "echo 'nginx: configuration file %%{settings_file} test failed' >&2;"
	    " exit 1");
	snprintf(marker, sizeof marker, "%s/restarted", fx->dir);
	tmpl_set(&fx->prof.check, check);
	tmpl_set(&fx->prof.restart, restart);
	spit(fx->file, prevtext);
	memset(&log, 0, sizeof log);

	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, record, &log, &res), -1);
	assert_int_equal(res.ok, 0);
	assert_int_equal(res.mode, SERVICE_RESTART);
	/* Exactly what was there, byte for byte. */
	assert_string_equal(s = slurp(fx->file), prevtext);
	free(s);
	assert_int_equal(access(marker, F_OK), -1);

	assert_int_equal(res.nsteps, 3);
	assert_string_equal(res.steps[0].name, "render");
	assert_string_equal(res.steps[1].name, "write");
	assert_string_equal(res.steps[2].name, "check");
	assert_int_equal(res.steps[2].ok, 0);
	assert_int_equal(res.steps[2].exit_status, 1);
	assert_non_null(strstr(res.steps[2].command, "sh -c "));
	assert_non_null(strstr(res.steps[2].detail, "[emerg] unknown directive"));
	assert_non_null(strstr(res.steps[2].detail, "test failed"));

	assert_true(strncmp(res.message, "check failed: sh -c ", 20) == 0);
	snprintf(want, sizeof want, " exited with status 1: nginx: [emerg] "
	    "unknown directive \"bogus\" in %s:3 (previous settings restored)",
	    fx->file);
	mlen = strlen(res.message);
	wlen = strlen(want);
	assert_true(mlen > wlen);
	assert_string_equal(res.message + mlen - wlen, want);
	assert_null(strchr(res.message, '\n'));
	assert_non_null(strstr(log.text, "render:"));
	assert_non_null(strstr(log.text, "write:"));
	assert_non_null(strstr(log.text, "check:sh -c "));
	service_result_free(&res);
}

static void
test_apply_check_fails_no_previous(void **state)
{
	struct fx		*fx = *state;
	struct service_result	 res;
	char			*check[] = { "false", NULL };
	char			*restart[] = { "true", NULL };

	tmpl_set(&fx->prof.check, check);
	tmpl_set(&fx->prof.restart, restart);
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), -1);
	/* Nothing was there before, so nothing is there now. */
	assert_int_equal(access(fx->file, F_OK), -1);
	assert_int_equal(count_entries(fx->dir), 0);
	assert_non_null(strstr(res.message, "check failed: false exited with "
	    "status 1"));
	assert_non_null(strstr(res.message, "removed: there was none before"));
	service_result_free(&res);
}

/* A settings file holding more than the time-outs is not overwritten: the
 * restart stops before anything runs, naming the file and what it holds. */
static void
test_apply_foreign_file(void **state)
{
	struct fx		*fx = *state;
	struct service_result	 res;
	char			*restart[] = { "sh", "-c", "echo ran >\"$0\"",
	    NULL, NULL }, ran[200], *s;

	snprintf(ran, sizeof ran, "%s/ran", fx->dir);
	restart[3] = ran;
	tmpl_set(&fx->prof.restart, restart);
	spit(fx->file, "timeout 60s;\nlisten 143;\n");
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), -1);
	assert_non_null(strstr(res.message, "is not imapadm's to overwrite: "
	    "it holds 'listen'"));
	assert_non_null(strstr(res.message, fx->file));
	assert_string_equal(s = slurp(fx->file), "timeout 60s;\nlisten 143;\n");
	free(s);
	assert_int_equal(access(ran, F_OK), -1);
	service_result_free(&res);

	/* A block it cannot read as directives: the same. */
	spit(fx->file, "server {\n listen 143;\n}\n");
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), -1);
	assert_non_null(strstr(res.message, "is not imapadm's to overwrite"));
	service_result_free(&res);

	/* Its own file, in any units and with comments, is rewritten. */
	spit(fx->file, "# mine\ntimeout 1m;\nproxy_timeout 30000ms;\n");
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), 0);
	service_result_free(&res);
}

static void
test_apply_restart_ok(void **state)
{
	struct fx		*fx = *state;
	struct service_result	 res;
	struct progress_log	 log;
	char			*check[] = { "grep", "-q", "^proxy_timeout 900s;$",
	    "%{settings_file}", NULL };
	char			*restart[] = { "true", NULL };
	char			*status[] = { "echo", "running", "%{identity}", NULL };
	char			*s, *p;
	const char		*want;

	tmpl_set(&fx->prof.check, check);
	tmpl_set(&fx->prof.restart, restart);
	tmpl_set(&fx->prof.status, status);
	fx->values[SETTING_AUTH_TIMEOUT] = 900;
	spit(fx->file, "timeout 45s;\n");
	memset(&log, 0, sizeof log);

	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, record, &log, &res), 0);
	assert_int_equal(res.ok, 1);
	assert_int_equal(res.nsteps, 5);
	assert_string_equal(res.steps[0].name, "render");
	assert_string_equal(res.steps[1].name, "write");
	assert_string_equal(res.steps[2].name, "check");
	assert_string_equal(res.steps[3].name, "restart");
	assert_string_equal(res.steps[4].name, "status");
	assert_string_equal(res.steps[3].command, "true");
	assert_int_equal(res.steps[3].exit_status, 0);
	assert_string_equal(res.status, "running CAS01\n");
	want = "restart of CAS01 done in ";
	assert_true(strncmp(res.message, want, strlen(want)) == 0);
	p = res.message + strlen(want);
	assert_true(strtod(p, &p) < 5.0);
	assert_string_equal(p, " s");
	assert_non_null(s = slurp(fx->file));
	assert_non_null(strstr(s, "proxy_timeout 900s;\n"));
	free(s);
	assert_string_equal(s = slurp(fx->prev), "timeout 45s;\n");
	free(s);
	assert_int_equal(count_entries(fx->dir), 2);
	want = "render:";
	assert_true(strncmp(log.text, want, strlen(want)) == 0);
	assert_non_null(strstr(log.text, "\nrestart:true\n"));
	assert_non_null(strstr(log.text, "\nstatus:echo running CAS01\n"));
	service_result_free(&res);
}

static void
test_apply_status_problem(void **state)
{
	struct fx		*fx = *state;
	struct service_result	 res;
	char			*restart[] = { "true", NULL };
	char			*status[] = { "sh", "-c", "echo stopped; exit 3",
	    NULL };

	tmpl_set(&fx->prof.restart, restart);
	tmpl_set(&fx->prof.status, status);
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), -1);
	assert_string_equal(res.message, "restarted but the service is "
	    "stopped (its status command exited 3: stopped)");
	assert_string_equal(res.status, "stopped\n");
	assert_int_equal(res.steps[2].ok, 1);	/* the restart itself */
	service_result_free(&res);

	/* Any other exit is not "stopped": the status is unknown. */
	status[2] = "echo 'cannot read pid file' >&2; exit 4";
	tmpl_set(&fx->prof.status, status);
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), -1);
	assert_non_null(strstr(res.message, "restarted but its status is "
	    "unknown ("));
	assert_non_null(strstr(res.message, "exited with status 4: cannot "
	    "read pid file)"));
	service_result_free(&res);
}

static void
test_apply_restart_times_out(void **state)
{
	struct fx		*fx = *state;
	struct service_result	 res;
	struct progress_log	 log;
	char			*restart[] = { "sleep", "60", NULL };

	tmpl_set(&fx->prof.restart, restart);
	/* No profile time-out: the config's applies. */
	fx->prof.timeout = 0;
	fx->cfg.command_timeout = 1;
	memset(&log, 0, sizeof log);
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, record, &log, &res), -1);
	assert_string_equal(res.message,
	    "restart timed out after 1 s: sleep 60 (process group killed)");
	assert_int_equal(res.nsteps, 3);
	assert_int_equal(res.steps[2].timed_out, 1);
	assert_int_equal(res.steps[2].exit_status, -1);
	assert_true(res.steps[2].seconds < 3.0);
	/* Ticks kept the progress indicator moving. */
	assert_true(log.ticks >= 5);
	service_result_free(&res);
}

static void
test_apply_reload(void **state)
{
	struct fx		*fx = *state;
	struct service_result	 res;
	char			*restart[] = { "true", NULL };
	char			*reload[] = { "echo", "reloading", NULL };

	tmpl_set(&fx->prof.restart, restart);
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RELOAD, NULL, NULL, &res), -1);
	assert_int_equal(res.mode, SERVICE_RELOAD);
	assert_string_equal(res.message, "reload of CAS01 not started: "
	    "profile cas01 has no reload command");
	/* Refused before anything was written. */
	assert_int_equal(access(fx->file, F_OK), -1);
	assert_int_equal(res.nsteps, 1);
	service_result_free(&res);

	tmpl_set(&fx->prof.reload, reload);
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RELOAD, NULL, NULL, &res), 0);
	assert_string_equal(res.steps[2].name, "reload");
	assert_true(strncmp(res.message, "reload of CAS01 done in ", 24) == 0);
	service_result_free(&res);
}

static void
test_apply_refuses_bad_input(void **state)
{
	struct fx		*fx = *state;
	struct service_result	 res;
	char			*restart[] = { "ctl", "%{nope}", NULL };
	char			*restart2[] = { "imapadm-no-such-program", NULL };

	tmpl_set(&fx->prof.restart, restart);
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), -1);
	assert_non_null(strstr(res.message, "unknown placeholder %{nope} in "
	    "profile cas01"));
	assert_int_equal(access(fx->file, F_OK), -1);
	service_result_free(&res);

	tmpl_set(&fx->prof.restart, restart2);
	fx->values[SETTING_PREAUTH_TIMEOUT] = 3601;
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), -1);
	assert_non_null(strstr(res.message, "3601"));
	assert_non_null(strstr(res.message, "PreAuthenticatedConnectionTimeout"));
	assert_int_equal(access(fx->file, F_OK), -1);
	service_result_free(&res);

	fx->values[SETTING_PREAUTH_TIMEOUT] = 60;
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), -1);
	assert_string_equal(res.message, "restart failed: cannot run "
	    "'imapadm-no-such-program': No such file or directory");
	service_result_free(&res);

	/* An nginx profile with nowhere to write would restart for nothing. */
	fx->prof.settings_file = NULL;
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), -1);
	assert_non_null(strstr(res.message, "has no settings_file"));
	service_result_free(&res);
}

static void
test_apply_command_profile(void **state)
{
	struct fx		*fx = *state;
	struct service_result	 res;
	char			*restart[] = { "sh", "-c",
	    "test \"$1\" = 1800 && test \"$2\" = 60", "sh",
	    "%{AuthenticatedConnectionTimeout}",
	    "%{PreAuthenticatedConnectionTimeout}", NULL };

	/* Values only as placeholders: no render, no write step. */
	fx->prof.type = PROFILE_COMMAND;
	fx->prof.settings_file = NULL;
	tmpl_set(&fx->prof.restart, restart);
	assert_int_equal(service_apply(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, &res), 0);
	assert_int_equal(res.nsteps, 2);
	assert_string_equal(res.steps[1].name, "restart");
	assert_int_equal(count_entries(fx->dir), 0);
	service_result_free(&res);
}

static void
test_status(void **state)
{
	struct fx	*fx = *state;
	char		*status[] = { "echo", "listening on %{fqdn}:143", NULL };
	char		*bad[] = { "sh", "-c", "echo 'nginx is not running' >&2; "
	    "exit 3", NULL };
	char		*text, *cause;

	assert_int_equal(service_status(&fx->cfg, &fx->prof, &fx->srv, &text,
	    &cause), -1);
	assert_string_equal(cause, "profile cas01 has no status command");
	free(cause);

	tmpl_set(&fx->prof.status, status);
	assert_int_equal(service_status(&fx->cfg, &fx->prof, &fx->srv, &text,
	    &cause), 0);
	assert_string_equal(text, "listening on cas01.contoso.test:143\n");
	free(text);

	/* Exit 3 is LSB's "stopped": an answer, with its text. */
	tmpl_set(&fx->prof.status, bad);
	assert_int_equal(service_status(&fx->cfg, &fx->prof, &fx->srv, &text,
	    &cause), SERVICE_STOPPED);
	assert_null(cause);
	assert_non_null(text);
	free(text);

	/* Any other exit: unknown, and why. */
	bad[2] = "echo 'status: permission denied' >&2; exit 4";
	tmpl_set(&fx->prof.status, bad);
	assert_int_equal(service_status(&fx->cfg, &fx->prof, &fx->srv, &text,
	    &cause), SERVICE_UNKNOWN);
	assert_null(text);
	assert_non_null(strstr(cause, "exited with status 4: status: "
	    "permission denied"));
	free(cause);
}


/* What a gate saw, and which step it refuses. */
struct gate_log {
	char	 steps[128];
	char	 old[256];
	int	 had_old;
	char	 live[256];	/* the settings file when the action was told */
	const char *refuse;
	const char *file;
};

static int
gate_fn(void *arg, const char *step, const char *old, size_t oldlen,
    int had_old, const struct stat *st, char **cause)
{
	struct gate_log	*g = arg;
	char		*now;

	(void)st;
	snprintf(g->steps + strlen(g->steps), sizeof g->steps -
	    strlen(g->steps), "%s,", step);
	if (strcmp(step, "write") == 0) {
		g->had_old = had_old;
		snprintf(g->old, sizeof g->old, "%.*s", (int)oldlen,
		    old != NULL ? old : "");
	} else if ((now = slurp(g->file)) != NULL) {
		snprintf(g->live, sizeof g->live, "%s", now);
		free(now);
	}
	if (g->refuse != NULL && strcmp(step, g->refuse) == 0) {
		*cause = strdup("the lock is gone");
		return (-1);
	}
	return (0);
}

/* The gate hears of the write before the file is touched (with the file
 * as it was), and of the restart only once the check passed; refused,
 * nothing is left changed. */
static void
test_apply_gate(void **state)
{
	struct fx		*fx = *state;
	struct service_result	 res;
	struct gate_log		 g;
	struct service_gate	 gate = { gate_fn, &g };
	char			 marker[160];
	char			*restart[] = { "touch", marker, NULL };
	char			*check[] = { "true", NULL };
	char			*s;

	snprintf(marker, sizeof marker, "%s/restarted", fx->dir);
	tmpl_set(&fx->prof.check, check);
	tmpl_set(&fx->prof.restart, restart);
	spit(fx->file, "timeout 61s;\n");

	memset(&g, 0, sizeof g);
	g.file = fx->file;
	g.refuse = "write";
	assert_int_equal(service_apply_gated(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, &gate, NULL, NULL, &res), -1);
	assert_string_equal(g.steps, "write,");
	assert_string_equal(g.old, "timeout 61s;\n");
	assert_int_equal(g.had_old, 1);
	assert_string_equal(s = slurp(fx->file), "timeout 61s;\n");
	free(s);
	assert_non_null(strstr(res.message, "the lock is gone"));
	service_result_free(&res);

	memset(&g, 0, sizeof g);
	g.file = fx->file;
	g.refuse = "restart";
	assert_int_equal(service_apply_gated(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, &gate, NULL, NULL, &res), -1);
	assert_string_equal(g.steps, "write,restart,");
	/* Told after the check, with the new file live... */
	assert_non_null(strstr(g.live, "proxy_timeout 1800s;"));
	/* ...and refused, the old one is back and nothing restarted. */
	assert_string_equal(s = slurp(fx->file), "timeout 61s;\n");
	free(s);
	assert_int_equal(access(marker, F_OK), -1);
	assert_non_null(strstr(res.message, "restart of CAS01 not started: "
	    "the lock is gone (previous settings restored)"));
	service_result_free(&res);

	/* After a signal (proc_finish) nothing starts and nothing changes. */
	proc_finish(1);
	assert_int_equal(service_apply_gated(&fx->cfg, &fx->prof, &fx->srv,
	    fx->values, SERVICE_RESTART, NULL, NULL, NULL, &res), -1);
	proc_finish(0);
	assert_non_null(strstr(res.message, "stopping after a signal"));
	assert_string_equal(s = slurp(fx->file), "timeout 61s;\n");
	free(s);
	service_result_free(&res);
	assert_int_equal(access(marker, F_OK), -1);
}

/* Temp files are marked as imapadm's: a crash's are removed, an admin's
 * files beside them are not, nor what is not a regular file. */
static void
test_clean_temps(void **state)
{
	struct fx	*fx = *state;
	char		 path[256], *removed = NULL, *cause = NULL;
	const char	*keep[] = { ".backup", ".XyZ123", ".prev",
			    SERVICE_TEMP_MARK "toolong1", SERVICE_TEMP_MARK
			    "ab" };
	size_t		 i;

	spit(fx->file, "timeout 60s;\n");
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		snprintf(path, sizeof path, "%s%s", fx->file, keep[i]);
		spit(path, "admin's\n");
	}
	snprintf(path, sizeof path, "%s" SERVICE_TEMP_MARK "Ab12Cd", fx->file);
	spit(path, "half\n");
	snprintf(path, sizeof path, "%s.prev" SERVICE_TEMP_MARK "Zz9999",
	    fx->file);
	spit(path, "half\n");
	snprintf(path, sizeof path, "%s" SERVICE_TEMP_MARK "dir123", fx->file);
	assert_int_equal(mkdir(path, 0700), 0);

	assert_int_equal(service_clean_temps(fx->file, &removed, &cause), 0);
	assert_non_null(removed);
	assert_non_null(strstr(removed, SERVICE_TEMP_MARK "Ab12Cd"));
	assert_non_null(strstr(removed, ".prev" SERVICE_TEMP_MARK "Zz9999"));
	free(removed);
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		snprintf(path, sizeof path, "%s%s", fx->file, keep[i]);
		assert_int_equal(access(path, F_OK), 0);
	}
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s" SERVICE_TEMP_MARK "dir123", fx->file);
	assert_int_equal(access(path, F_OK), 0);
	rmdir(path);
	/* The file itself and nothing else: 1 + the admin's. */
	assert_int_equal(count_entries(fx->dir), 1 + (int)(sizeof keep /
	    sizeof keep[0]));

	/* An atomic write leaves none of its own. */
	assert_int_equal(service_write_atomic(fx->file, "timeout 62s;\n",
	    &cause), 0);
	assert_int_equal(service_clean_temps(fx->file, &removed, &cause), 0);
	assert_null(removed);
}

/* A crash's unchecked file put back: content and time as they were (so
 * nginx's workers read as having loaded it), or no file if none was. */
static void
test_put_back(void **state)
{
	struct fx	*fx = *state;
	struct stat	 st;
	char		*cause = NULL, *s;

	spit(fx->file, "proxy_timeout 3600s;\n");
	assert_int_equal(service_put_back(fx->file, 1, "timeout 60s;\n", 13,
	    1700000000123456789LL, &cause), 0);
	assert_string_equal(s = slurp(fx->file), "timeout 60s;\n");
	free(s);
	assert_int_equal(stat(fx->file, &st), 0);
	assert_int_equal(st.st_mtim.tv_sec, 1700000000);
	assert_int_equal(st.st_mtim.tv_nsec, 123456789);
	assert_int_equal(service_put_back(fx->file, 0, NULL, 0, 0, &cause), 0);
	assert_int_equal(access(fx->file, F_OK), -1);
	/* Nothing there already: nothing to do, not an error. */
	assert_int_equal(service_put_back(fx->file, 0, NULL, 0, 0, &cause), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply_gate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clean_temps, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_put_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_expand_placeholders,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_expand_no_injection,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_expand_no_option_values,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_expand_errors,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_nginx,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_command,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_keeps_mode_owner,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_unsafe_paths,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_through_symlink,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_check_fails_restores,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_apply_check_fails_no_previous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_foreign_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_restart_ok,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_status_problem,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_restart_times_out,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_reload,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_refuses_bad_input,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_command_profile,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
