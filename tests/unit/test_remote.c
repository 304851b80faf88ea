/* core/remote.c: every remote argument arrives as one word, the ssh command
 * imapadm builds, its private control directory, and the remote write and
 * read scripts (run by a stand-in ssh that does what sshd does: hand the
 * command string to the shell). */

#include <sys/stat.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"
#include "core/proc.h"
#include "core/remote.h"
#include "core/service.h"

struct fx {
	char		 dir[64];
	char		 file[128];
	char		*oldpath;
	struct profile	 prof;
};

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return (remove(path));
}

static void
put(const char *path, const char *text, mode_t mode)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static char *
slurp(const char *path)
{
	static char	 buf[4096];
	FILE		*f;
	size_t		 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

static int
setup(void **state)
{
	struct fx	*fx;
	char		 bin[128], path[4096];
	const char	*old;

	fx = calloc(1, sizeof *fx);
	strcpy(fx->dir, "/tmp/imapadm-test-remote.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return (-1);
	/* Our own runtime dir: the control sockets go below it. */
	setenv("XDG_RUNTIME_DIR", fx->dir, 1);
	snprintf(fx->file, sizeof fx->file, "%s/conf/imap-timeouts.conf",
	    fx->dir);
	snprintf(bin, sizeof bin, "%s/conf", fx->dir);
	mkdir(bin, 0755);
	/* sshd runs the command string with the user's shell: so does this. */
	snprintf(bin, sizeof bin, "%s/bin", fx->dir);
	mkdir(bin, 0755);
	snprintf(path, sizeof path, "%s/ssh", bin);
	put(path, "#!/bin/sh\n"
	    "printf '%s\\n' \"$@\" >\"${0%/bin/ssh}/ssh.args\"\n"
	    "for a; do last=$a; done\n"
	    "exec sh -c \"$last\"\n", 0755);
	old = getenv("PATH");
	fx->oldpath = strdup(old != NULL ? old : "/usr/bin:/bin");
	snprintf(path, sizeof path, "%s:%s", bin, fx->oldpath);
	setenv("PATH", path, 1);
	fx->prof.name = "remote";
	fx->prof.type = PROFILE_NGINX_MAIL;
	fx->prof.remote = PROFILE_SSH;
	fx->prof.ssh_host = "%{fqdn}";
	fx->prof.settings_file = fx->file;
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	setenv("PATH", fx->oldpath, 1);
	free(fx->oldpath);
	nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return (0);
}

/* What the remote shell makes of the quoted word: printf shows it whole. */
static void
shell_sees(const char *arg)
{
	char			*q, *line;
	char			*argv[] = { "sh", "-c", NULL, NULL };
	struct proc_result	 r;
	char			*cause = NULL;

	assert_non_null(q = remote_quote(arg));
	assert_int_not_equal(asprintf(&line, "printf '[%%s]' %s", q), -1);
	argv[2] = line;
	assert_int_equal(proc_run(argv, 10, NULL, NULL, &r, &cause), 0);
	assert_int_equal(r.exit_status, 0);
	assert_int_equal(strlen(r.out), strlen(arg) + 2);
	assert_memory_equal(r.out + 1, arg, strlen(arg));
	proc_result_free(&r);
	free(line);
	free(q);
}

static void
test_quote(void **state)
{
	static const char *const words[] = {
		"plain", "two words", "it's", "'", "''", "\"double\"",
		"x;touch /tmp/imapadm-pwned", "$(touch /tmp/imapadm-pwned)",
		"`touch /tmp/imapadm-pwned`", "line\nbreak\n", "", "-rf",
		"--option=x", "back\\slash\\", "*", "~root", "a|b&c>d<e",
		"${HOME}", "#comment", "tab\there", "!history"
	};
	char		*q;
	size_t		 i;

	(void)state;
	q = remote_quote("it's a test");
	assert_string_equal(q, "'it'\\''s a test'");
	free(q);
	q = remote_quote("");
	assert_string_equal(q, "''");
	free(q);
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		shell_sees(words[i]);
	assert_int_equal(access("/tmp/imapadm-pwned", F_OK), -1);
}

/* Any bytes but NUL, plain or not: a fixed seed, so a failure replays. */
static void
test_quote_random(void **state)
{
	char	word[32];
	size_t	i, n, k;

	(void)state;
	srandom(20261202);
	for (i = 0; i < 200; i++) {
		n = (size_t)random() % (sizeof word - 1);
		for (k = 0; k < n; k++) {
			/* Half from the shell's specials, half any byte. */
			word[k] = random() % 2 ? "'\"\\$`;&|<>(){}*?[]~#=% \t\n!"
			    [random() % 26] : (char)(1 + random() % 255);
		}
		word[n] = '\0';
		shell_sees(word);
	}
	assert_int_equal(access("/tmp/imapadm-pwned", F_OK), -1);
}

/* The whole command line: N words in, N words out. */
static void
test_command(void **state)
{
	char			*in[] = { "printf", "[%s]\n", "a b", "x;id",
	    "$(id)", "", "-n", "'q'", "A=1", "50%", "~", "*", NULL };
	char			*argv[] = { "sh", "-c", NULL, NULL };
	char			*line, *cause = NULL;
	struct proc_result	 r;

	(void)state;
	assert_non_null(line = remote_command(in));
	argv[2] = line;
	assert_int_equal(proc_run(argv, 10, NULL, NULL, &r, &cause), 0);
	assert_string_equal(r.out, "[a b]\n[x;id]\n[$(id)]\n[]\n[-n]\n['q']\n"
	    "[A=1]\n[50%]\n[~]\n[*]\n");
	free(line);

	/* A first word holding '=' is a command, not an assignment. */
	in[0] = "A=1";
	in[1] = NULL;
	assert_non_null(line = remote_command(in));
	assert_string_equal(line, "'A=1'");
	free(line);
	in[0] = "%1";
	assert_non_null(line = remote_command(in));
	assert_string_equal(line, "'%1'");
	proc_result_free(&r);
	free(line);
}

static void
test_ssh_argv(void **state)
{
	struct fx	*fx = *state;
	char		*cmd[] = { "nginx", "-t", "x y", NULL };
	char		*opts[] = { "-F", "/etc/imapadm/ssh_config", NULL };
	char		**argv, *cause = NULL, want[256], *all = NULL;
	struct stat	 st;
	size_t		 n;

	fx->prof.ssh_options.argv = opts;
	fx->prof.ssh_options.argc = 2;
	fx->prof.connect_timeout = 7;
	argv = remote_ssh_argv(&fx->prof, "cas01.contoso.test", cmd, &cause);
	assert_non_null(argv);
	for (n = 0; argv[n] != NULL; n++) {
		assert_int_not_equal(asprintf(&cause, "%s%s|", all != NULL ?
		    all : "", argv[n]), -1);
		free(all);
		all = cause;
		cause = NULL;
	}
	snprintf(want, sizeof want, "ssh|-F|/etc/imapadm/ssh_config|"
	    "-o|BatchMode=yes|-o|ConnectTimeout=7|-o|ControlMaster=auto|"
	    "-o|ControlPersist=%d|-o|ControlPath=%s/imapadm/%%C|--|"
	    "cas01.contoso.test|nginx -t 'x y'|", REMOTE_CONTROL_PERSIST,
	    fx->dir);
	assert_string_equal(all, want);
	assert_null(strstr(all, "StrictHostKeyChecking"));
	free(all);
	service_argv_free(argv);
	fx->prof.ssh_options.argc = 0;
	fx->prof.connect_timeout = 0;

	/* The control directory is ours alone. */
	snprintf(want, sizeof want, "%s/imapadm", fx->dir);
	assert_int_equal(lstat(want, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);

	/* Default connect time-out. */
	argv = remote_ssh_argv(&fx->prof, "h", cmd, &cause);
	assert_non_null(argv);
	assert_string_equal(argv[4], "ConnectTimeout=10");
	service_argv_free(argv);
}

static void
test_control_dir_refused(void **state)
{
	struct fx	*fx = *state;
	char		 dir[128], other[128], *cause = NULL, *d;

	snprintf(dir, sizeof dir, "%s/imapadm", fx->dir);
	mkdir(dir, 0755);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_null(d = remote_control_dir(&cause));
	assert_non_null(strstr(cause, "is not safe to use"));
	assert_non_null(strstr(cause, "mode 0755"));
	free(cause);
	cause = NULL;

	/* A symbolic link to a good directory is refused too. */
	assert_int_equal(rmdir(dir), 0);
	snprintf(other, sizeof other, "%s/elsewhere", fx->dir);
	assert_int_equal(mkdir(other, 0700), 0);
	assert_int_equal(symlink(other, dir), 0);
	assert_null(d = remote_control_dir(&cause));
	assert_non_null(strstr(cause, "not a directory"));
	free(cause);
	cause = NULL;
	assert_int_equal(unlink(dir), 0);

	/* A runtime dir that is not ours (sudo) is not used: /tmp is. */
	assert_int_equal(chmod(fx->dir, 0755), 0);
	assert_non_null(d = remote_control_dir(&cause));
	snprintf(other, sizeof other, "/tmp/imapadm-%lu",
	    (unsigned long)geteuid());
	assert_string_equal(d, other);
	free(d);
	assert_int_equal(chmod(fx->dir, 0700), 0);
}

static void
test_write_read(void **state)
{
	struct fx		*fx = *state;
	struct remote_file	 f;
	struct stat		 st;
	char			 prev[160], *cause = NULL, *args;
	const char		*text = "timeout 61s;\nproxy_timeout 1801s;\n";

	/* No file yet: absent, then made 0644. */
	assert_int_equal(remote_read(&fx->prof, "h", fx->file, 10, &f,
	    &cause), 0);
	assert_int_equal(f.exists, 0);
	remote_file_free(&f);
	assert_int_equal(remote_write(&fx->prof, "h", fx->file, "first-text-7731\n",
	    16, 1, NULL, 10, &cause), 0);
	assert_int_equal(stat(fx->file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);

	/* The text went over stdin, not on the command line. */
	snprintf(prev, sizeof prev, "%s/ssh.args", fx->dir);
	assert_non_null(args = slurp(prev));
	assert_null(strstr(args, "first-text-7731"));

	/* The mode stays; the old text is kept as .prev, no more readable. */
	assert_int_equal(chmod(fx->file, 0640), 0);
	assert_int_equal(remote_write(&fx->prof, "h", fx->file, text,
	    strlen(text), 1, NULL, 10, &cause), 0);
	assert_string_equal(slurp(fx->file), text);
	assert_int_equal(stat(fx->file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	snprintf(prev, sizeof prev, "%s.prev", fx->file);
	assert_string_equal(slurp(prev), "first-text-7731\n");
	assert_int_equal(stat(prev, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);

	/* As root, the owner and group stay too (on both). */
	if (geteuid() == 0) {
		assert_int_equal(chown(fx->file, 65534, 65534), 0);
		assert_int_equal(remote_write(&fx->prof, "h", fx->file, text,
		    strlen(text), 1, NULL, 10, &cause), 0);
		assert_int_equal(stat(fx->file, &st), 0);
		assert_int_equal(st.st_uid, 65534);
		assert_int_equal(st.st_gid, 65534);
		assert_int_equal(stat(prev, &st), 0);
		assert_int_equal(st.st_uid, 65534);
		assert_int_equal(st.st_mode & 07777, 0640);
	}

	assert_int_equal(remote_read(&fx->prof, "h", fx->file, 10, &f,
	    &cause), 0);
	assert_int_equal(f.exists, 1);
	assert_string_equal(f.text, text);
	assert_int_equal(stat(fx->file, &st), 0);
	assert_int_equal(f.mtime_sec, st.st_mtime);

	/* A restore gives the file its old time back. */
	assert_int_equal(remote_write(&fx->prof, "h", fx->file, "x\n", 2, 0,
	    "1000000000.5", 10, &cause), 0);
	assert_int_equal(stat(fx->file, &st), 0);
	assert_int_equal(st.st_mtime, 1000000000);
	/* ... and leaves .prev alone. */
	assert_string_equal(slurp(prev), geteuid() == 0 ? text :
	    "first-text-7731\n");
	remote_file_free(&f);

	assert_int_equal(remote_remove(&fx->prof, "h", fx->file, 10,
	    &cause), 0);
	assert_int_equal(access(fx->file, F_OK), -1);
}

/* The local safe-path rules hold on the remote side too. */
static void
test_write_refused(void **state)
{
	struct fx	*fx = *state;
	char		 dir[128], link[160], *cause = NULL;

	snprintf(dir, sizeof dir, "%s/conf", fx->dir);
	put(fx->file, "old\n", 0644);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(remote_write(&fx->prof, "h", fx->file, "new\n", 4, 1,
	    NULL, 10, &cause), -1);
	assert_non_null(strstr(cause, "may be written by others (mode 777)"));
	assert_non_null(strstr(cause, "cannot write"));
	free(cause);
	cause = NULL;
	assert_int_equal(chmod(dir, 0755), 0);
	assert_string_equal(slurp(fx->file), "old\n");

	snprintf(link, sizeof link, "%s/conf/link.conf", fx->dir);
	assert_int_equal(symlink(fx->file, link), 0);
	assert_int_equal(remote_write(&fx->prof, "h", link, "new\n", 4, 1,
	    NULL, 10, &cause), -1);
	assert_non_null(strstr(cause, "is a symbolic link"));
	free(cause);
	cause = NULL;
	assert_string_equal(slurp(fx->file), "old\n");

	/* A directory at the path is not moved into. */
	assert_int_equal(remote_write(&fx->prof, "h", dir, "new\n", 4, 1,
	    NULL, 10, &cause), -1);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_quote_random),
		cmocka_unit_test(test_command),
		cmocka_unit_test_setup_teardown(test_ssh_argv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_dir_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_refused, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
