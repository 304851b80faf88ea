/* config_load: a full file into struct config, errors with FILE:LINE (all of
 * them, in file order, nothing on stderr), and where the file is looked for. */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
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

static char	 tmpdir[] = "/tmp/imapadm-test-config.XXXXXX";

static char	*write_file(const char *, const char *);
static char	*load_fails(const char *);
static void	 has_line(const char *, const char *, int, const char *);
static size_t	 count_lines(const char *);

static const char good[] =
    "# imapadm test config\n"
    "database = \"/var/lib/imapadm/test.db\"\n"
    "site = \"Paris-Site\"\n"
    "command_timeout = 45\n"
    "\n"
    "profile cas01 {\n"
    "  type = \"nginx-mail\"\n"
    "  settings_file = \"/srv/site/cas01/imap-timeouts.conf\"\n"
    "  check   = {\"nginx\", \"-t\", \"-q\", \"-p\", \"/srv/site/cas01/\",\n"
    "             \"-c\", \"nginx.conf\"}\n"
    "  restart = {\"/srv/site/cas01/restart\", \"%{identity}\"}\n"
    "  reload  = {\"nginx\", \"-s\", \"reload\"}\n"
    "  status  = {\"/srv/site/cas01/status\", \"%{fqdn}\", \"%%\"}\n"
    "  remote  = \"ssh\"\n"
    "  ssh_host = \"admin@%{fqdn}\"\n"
    "  ssh_options = {\"-F\", \"/etc/imapadm/ssh_config\"}\n"
    "  connect_timeout = 5\n"
    "  timeout = 20\n"
    "  listeners = \"127.0.0.1:10143\"\n"
    "  backend = \"127.0.0.1:10993 (Dovecot)\"\n"
    "}\n"
    "\n"
    "profile scripted {\n"
    "  type = \"command\"\n"
    "  restart = {\"/usr/local/bin/set-timeouts\",\n"
    "    \"%{AuthenticatedConnectionTimeout}\",\n"
    "    \"%{PreAuthenticatedConnectionTimeout}\"}\n"
    "}\n"
    "\n"
    "roles {\n"
    "  organization_management = {\"root\", \"%mailadmins\"}\n"
    "  server_management = {\"alice\"}\n"
    "  view_only = {\"bob\", \"%helpdesk\"}\n"
    "}\n";

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return (-1);
	return (0);
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return (system(cmd) == 0 ? 0 : -1);
}

/* Write text to tmpdir/name, making its directories; caller frees the
 * path. */
static char *
write_file(const char *name, const char *text)
{
	char	*path, *slash;
	FILE	*f;

	assert_true(asprintf(&path, "%s/%s", tmpdir, name) != -1);
	for (slash = path + strlen(tmpdir) + 1; (slash = strchr(slash, '/'));
	    slash++) {
		*slash = '\0';
		(void)mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return (path);
}

/*
 * Load path, which must fail with a cause, and nothing on stderr (libconfuse
 * would print there by default). Returns the cause.
 */
static char *
load_fails(const char *path)
{
	struct config	*conf = (struct config *)1;
	char		*cause = NULL, errpath[256], buf[256];
	int		 saved, fd;
	ssize_t		 n;

	snprintf(errpath, sizeof errpath, "%s/stderr", tmpdir);
	fflush(stderr);
	saved = dup(2);
	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved != -1 && fd != -1);
	dup2(fd, 2);
	close(fd);
	assert_int_equal(config_load(path, &conf, &cause), -1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	assert_null(conf);
	assert_non_null(cause);

	fd = open(errpath, O_RDONLY);
	assert_true(fd != -1);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		fail_msg("stderr got: %s", buf);
	}
	return (cause);
}

/* cause has a line "file:line: ..." containing what. */
static void
has_line(const char *cause, const char *file, int line, const char *what)
{
	char		 prefix[512];
	const char	*p, *eol;
	size_t		 plen;

	snprintf(prefix, sizeof prefix, "%s:%d: ", file, line);
	plen = strlen(prefix);
	for (p = cause; p != NULL && *p != '\0'; p = eol ? eol + 1 : NULL) {
		eol = strchr(p, '\n');
		if (strncmp(p, prefix, plen) != 0)
			continue;
		if (what == NULL)
			return;
		if (eol == NULL) {
			if (strstr(p, what) != NULL)
				return;
		} else {
			if (memmem(p, (size_t)(eol - p), what, strlen(what)))
				return;
		}
	}
	fail_msg("no line '%s...%s' in:\n%s", prefix, what ? what : "", cause);
}

static size_t
count_lines(const char *s)
{
	size_t	n = 1;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return (n);
}

static void
test_defaults(void **state)
{
	struct config	*conf;

	(void)state;
	conf = config_defaults();
	assert_non_null(conf);
	assert_null(conf->path);
	assert_null(conf->database);
	assert_int_equal(conf->command_timeout, 30);
	assert_string_equal(conf->site, "Default-First-Site-Name");
	assert_int_equal(conf->nprofiles, 0);
	assert_int_equal(conf->org_management.n, 0);
	assert_int_equal(conf->server_management.n, 0);
	assert_int_equal(conf->view_only.n, 0);
	assert_null(config_profile(conf, "cas01"));
	config_free(conf);
	config_free(NULL);
}

static void
test_good_file(void **state)
{
	struct config		*conf = NULL;
	const struct profile	*p;
	char			*path, *cause = NULL;

	(void)state;
	path = write_file("good.conf", good);
	if (config_load(path, &conf, &cause) != 0)
		fail_msg("%s", cause);
	assert_null(cause);
	assert_string_equal(conf->path, path);
	assert_string_equal(conf->database, "/var/lib/imapadm/test.db");
	assert_string_equal(conf->site, "Paris-Site");
	assert_int_equal(conf->command_timeout, 45);
	assert_int_equal(conf->nprofiles, 2);

	p = config_profile(conf, "cas01");
	assert_non_null(p);
	assert_ptr_equal(p, &conf->profiles[0]);
	assert_string_equal(p->name, "cas01");
	assert_int_equal(p->type, PROFILE_NGINX_MAIL);
	assert_string_equal(p->settings_file,
	    "/srv/site/cas01/imap-timeouts.conf");
	assert_int_equal(p->check.argc, 7);
	assert_string_equal(p->check.argv[0], "nginx");
	assert_string_equal(p->check.argv[4], "/srv/site/cas01/");
	assert_string_equal(p->check.argv[6], "nginx.conf");
	assert_null(p->check.argv[7]);
	assert_int_equal(p->restart.argc, 2);
	assert_string_equal(p->restart.argv[1], "%{identity}");
	assert_null(p->restart.argv[2]);
	assert_int_equal(p->reload.argc, 3);
	assert_string_equal(p->reload.argv[2], "reload");
	assert_int_equal(p->status.argc, 3);
	assert_string_equal(p->status.argv[2], "%%");
	assert_int_equal(p->remote, PROFILE_SSH);
	assert_string_equal(p->ssh_host, "admin@%{fqdn}");
	assert_int_equal(p->ssh_options.argc, 2);
	assert_string_equal(p->ssh_options.argv[1], "/etc/imapadm/ssh_config");
	assert_int_equal(p->connect_timeout, 5);
	assert_int_equal(p->timeout, 20);
	assert_string_equal(p->listeners, "127.0.0.1:10143");
	assert_string_equal(p->backend, "127.0.0.1:10993 (Dovecot)");

	p = config_profile(conf, "scripted");
	assert_non_null(p);
	assert_int_equal(p->type, PROFILE_COMMAND);
	assert_null(p->settings_file);
	assert_int_equal(p->check.argc, 0);
	assert_null(p->check.argv);
	assert_int_equal(p->reload.argc, 0);
	assert_int_equal(p->status.argc, 0);
	assert_int_equal(p->remote, PROFILE_LOCAL);
	assert_null(p->ssh_host);
	assert_int_equal(p->restart.argc, 3);
	assert_string_equal(p->restart.argv[1],
	    "%{AuthenticatedConnectionTimeout}");
	assert_int_equal(p->timeout, 0);
	assert_null(p->listeners);
	assert_null(p->backend);

	assert_null(config_profile(conf, "CAS01"));
	assert_null(config_profile(conf, "nope"));
	assert_null(config_profile(conf, NULL));

	assert_int_equal(conf->org_management.n, 2);
	assert_string_equal(conf->org_management.who[0], "root");
	assert_string_equal(conf->org_management.who[1], "%mailadmins");
	assert_int_equal(conf->server_management.n, 1);
	assert_string_equal(conf->server_management.who[0], "alice");
	assert_int_equal(conf->view_only.n, 2);
	assert_string_equal(conf->view_only.who[1], "%helpdesk");

	config_free(conf);
	free(path);
}

/* The shipped example must load as it is. */
static void
test_example_file(void **state)
{
	struct config	*conf = NULL;
	char		*path, *cause = NULL;
	const char	*src = getenv("SOURCE_DIR");
	int		 n;

	(void)state;
	/* ctest sets SOURCE_DIR; run by hand, go up from this file. */
	if (src != NULL)
		n = asprintf(&path, "%s/docs/imapadm.conf.example", src);
	else {
		n = asprintf(&path, "%.*s/docs/imapadm.conf.example",
		    (int)(strlen(__FILE__) -
		    strlen("/tests/unit/test_config.c")), __FILE__);
	}
	assert_true(n != -1);
	if (config_load(path, &conf, &cause) != 0)
		fail_msg("%s", cause);
	assert_non_null(config_profile(conf, "cas01"));
	assert_true(conf->org_management.n > 0);
	config_free(conf);
	free(path);
}

/*
 * An unknown option after every comment style the example uses is reported at
 * its own line (libconfuse 3.3 alone counts each '#' and '//' comment thrice).
 */
static void
test_comment_lines(void **state)
{
	static const char *const before[] = {
		"# x\n", "#\n", "## x\n", "// x\n", "//\n", "/* x */\n",
		"/* x\n   y */\n", "site = \"a#b//c\" # x\n",
		"site = \"x\" // y\n", "profile p { # x\n type = \"command\"\n"
		" restart = {\"a\", # x\n \"b\"} // y\n}\n",
		"site = \"two\n# lines\"\n",
	};
	char	*path, *cause, text[512];
	size_t	 i;
	int	 k, line;

	(void)state;
	for (i = 0; i < sizeof before / sizeof before[0]; i++) {
		/* A profile given twice is another error: once is enough. */
		for (k = 1; k <= (strstr(before[i], "profile") ? 1 : 3); k++) {
			text[0] = '\0';
			for (line = 0; line < k; line++)
				strcat(text, before[i]);
			strcat(text, "\nbogus = \"1\"\nsite = \"s\"\n");
			line = (int)count_lines(text) - 2;
			path = write_file("comments.conf", text);
			cause = load_fails(path);
			has_line(cause, path, line, "unknown option 'bogus'");
			free(cause);
			free(path);
		}
	}
}

/*
 * Each option of docs/imapadm.conf.example, misspelt in place, is reported at
 * its own line: the example mixes every comment style with profiles and lists.
 */
static void
test_example_typos(void **state)
{
	const char	*src = getenv("SOURCE_DIR");
	char		*path, *cause, *text, *copy, *p, *eol, *at, name[64];
	FILE		*f;
	long		 size;
	int		 line, tried = 0;

	(void)state;
	assert_true(asprintf(&path, "%s/docs/imapadm.conf.example",
	    src != NULL ? src : ".") != -1);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	free(path);

	for (p = text, line = 1; *p != '\0'; p = eol + 1, line++) {
		eol = strchr(p, '\n');
		assert_non_null(eol);
		at = p + strspn(p, " \t");
		if (sscanf(at, "%63[a-z_] =", name) != 1 ||
		    strstr(at, " =") != at + strlen(name))
			continue;
		/* "databasQ", "prefiQ": no option has a capital. */
		copy = strdup(text);
		assert_non_null(copy);
		copy[at - text + (ptrdiff_t)strlen(name) - 1] = 'Q';
		path = write_file("typo.conf", copy);
		cause = load_fails(path);
		has_line(cause, path, line, "unknown option");
		free(cause);
		free(path);
		free(copy);
		tried++;
	}
	assert_true(tried >= 15);
	free(text);
}

/* An nginx-mail profile without check loads, with a warning at its line. */
static void
test_no_check_warning(void **state)
{
	struct config	*conf = NULL;
	char		*path, *cause = NULL;

	(void)state;
	path = write_file("nocheck.conf",
	    "# no check here\n"
	    "profile bare {\n"
	    "  type = \"nginx-mail\"\n"
	    "  settings_file = \"/tmp/t.conf\"\n"
	    "  restart = {\"true\"}\n"
	    "}\n"
	    "profile scripted {\n"
	    "  type = \"command\"\n"
	    "  restart = {\"true\"}\n"
	    "}\n");
	if (config_load(path, &conf, &cause) != 0)
		fail_msg("%s", cause);
	assert_non_null(conf->warnings);
	has_line(conf->warnings, path, 6, "profile 'bare' has no check: a "
	    "broken settings file goes live");
	/* A command profile writes no file: nothing to warn about. */
	assert_null(strstr(conf->warnings, "scripted"));
	config_free(conf);
	free(path);

	path = write_file("good.conf", good);
	assert_int_equal(config_load(path, &conf, &cause), 0);
	assert_null(conf->warnings);
	config_free(conf);
	free(path);
}

/* "${VAR}" is text, never the environment's VAR: a config says the same
 * whoever runs imapadm. */
static void
test_no_env_expansion(void **state)
{
	struct config		*conf = NULL;
	const struct profile	*p;
	char			*path, *cause = NULL;

	(void)state;
	assert_int_equal(setenv("IMAPADM_TEST_EVIL", "-rf", 1), 0);
	path = write_file("env.conf",
	    "site = \"${IMAPADM_TEST_EVIL} $HOME\"\n"
	    "profile p {\n"
	    "  type = \"command\"\n"
	    "  restart = {\"/bin/echo\", \"${IMAPADM_TEST_EVIL}\", "
	    "'${IMAPADM_TEST_EVIL}', \"a\\\"$\"}\n"
	    "}\n");
	if (config_load(path, &conf, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(conf->site, "${IMAPADM_TEST_EVIL} $HOME");
	p = config_profile(conf, "p");
	assert_non_null(p);
	assert_int_equal(p->restart.argc, 4);
	assert_string_equal(p->restart.argv[1], "${IMAPADM_TEST_EVIL}");
	assert_string_equal(p->restart.argv[2], "${IMAPADM_TEST_EVIL}");
	assert_string_equal(p->restart.argv[3], "a\"$");
	config_free(conf);
	free(path);
	unsetenv("IMAPADM_TEST_EVIL");
}

/* A FIFO named as the config is refused at once, not waited on. */
static void
test_fifo_refused(void **state)
{
	char	*path, *cause;

	(void)state;
	assert_true(asprintf(&path, "%s/fifo.conf", tmpdir) != -1);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);	/* a hang fails the test instead of the whole run */
	cause = load_fails(path);
	alarm(0);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	unlink(path);
	free(path);
}

static void
test_empty_file(void **state)
{
	struct config	*conf = NULL;
	char		*path, *cause = NULL;

	(void)state;
	path = write_file("empty.conf", "# nothing\n");
	assert_int_equal(config_load(path, &conf, &cause), 0);
	assert_string_equal(conf->path, path);
	assert_int_equal(conf->command_timeout, 30);
	assert_string_equal(conf->site, "Default-First-Site-Name");
	assert_null(conf->database);
	assert_int_equal(conf->nprofiles, 0);
	config_free(conf);
	free(path);
}

static void
test_syntax_error(void **state)
{
	char	*path, *cause;

	(void)state;
	path = write_file("syntax.conf",
	    "site = \"x\"\n"
	    "profile cas01 {\n"
	    "  type = \"nginx-mail\"\n"
	    "  restart = {\"a\", \"b\"\n"
	    "  status = {\"s\"}\n"
	    "}\n");
	cause = load_fails(path);
	has_line(cause, path, 5, "unexpected token");
	assert_int_equal(count_lines(cause), 1);
	free(cause);
	free(path);

	path = write_file("brace.conf",
	    "site = \"x\"\n"
	    "}\n");
	cause = load_fails(path);
	has_line(cause, path, 2, "unexpected closing brace");
	free(cause);
	free(path);

	/* libconfuse alone would take end of file as the closing brace. */
	path = write_file("eof.conf",
	    "profile cas01 {\n"
	    "  type = \"command\"\n");
	cause = load_fails(path);
	has_line(cause, path, 2, "profile 'cas01' is not closed: '}' missing "
	    "at end of file");
	assert_int_equal(count_lines(cause), 1);
	free(cause);
	free(path);

	path = write_file("eof2.conf",
	    "roles {\n"
	    "  view_only = {\"bob\"}");
	cause = load_fails(path);
	has_line(cause, path, 2, "roles is not closed");
	free(cause);
	free(path);

	path = write_file("eof3.conf",
	    "site = \"x\"\n"
	    "profile cas01 {\n"
	    "  restart = {\"a\",\n");
	cause = load_fails(path);
	has_line(cause, path, 3, "premature end of file");
	assert_int_equal(count_lines(cause), 1);
	free(cause);
	free(path);

	path = write_file("eof4.conf",
	    "site = \"unterminated\n");
	cause = load_fails(path);
	has_line(cause, path, 1, "premature end of file");
	assert_int_equal(count_lines(cause), 1);
	free(cause);
	free(path);

	/* A comment left open would hide the rest of the file. */
	path = write_file("eof5.conf",
	    "site = \"x\"\n"
	    "/* command_timeout = 3\n"
	    "\n");
	cause = load_fails(path);
	has_line(cause, path, 3, "premature end of file: a comment or string "
	    "is not closed");
	free(cause);
	free(path);
}

/*
 * libconfuse quotes what it read, newlines and all: each problem must stay
 * on one "FILE:LINE: " line (the command line prefixes every line with
 * "imapadm: "), with control characters shown as '?'. Found by fuzz_config.
 */
static void
test_message_one_line(void **state)
{
	char		*path, *cause;
	const char	*p, *eol;
	size_t		 plen;

	(void)state;
	path = write_file("quote.conf",
	    "profile x {\n"
	    "\tz = a\"\n"
	    "\tb\"\n"
	    "}\n");
	cause = load_fails(path);
	plen = strlen(path);
	for (p = cause; p != NULL; p = eol != NULL ? eol + 1 : NULL) {
		eol = strchr(p, '\n');
		if (strncmp(p, path, plen) != 0 || p[plen] != ':')
			fail_msg("line without FILE:LINE: in:\n%s", cause);
	}
	has_line(cause, path, 3, "profile 'x': unknown option '??b' (known: ");
	assert_int_equal(count_lines(cause), 3);
	free(cause);
	free(path);
}

static void
test_bad_values(void **state)
{
	char	*path, *cause;

	(void)state;
	path = write_file("value.conf",
	    "site = \"x\"\n"
	    "command_timeout = 0\n");
	cause = load_fails(path);
	assert_string_equal(strchr(cause, ' ') + 1, "command_timeout: value is "
	    "too small: 0 (valid: 1-3600 seconds)");
	has_line(cause, path, 2, NULL);
	free(cause);
	free(path);

	path = write_file("value2.conf",
	    "command_timeout = 3601\n");
	cause = load_fails(path);
	has_line(cause, path, 1, "command_timeout: value is too large: 3601");
	free(cause);
	free(path);

	path = write_file("value3.conf",
	    "command_timeout = 30s\n");
	cause = load_fails(path);
	has_line(cause, path, 1, "not a whole number of seconds: '30s'");
	free(cause);
	free(path);

	path = write_file("type.conf",
	    "profile cas01 {\n"
	    "  type = \"apache\"\n"
	    "  restart = {\"r\"}\n"
	    "}\n");
	cause = load_fails(path);
	assert_int_equal(count_lines(cause), 1);
	has_line(cause, path, 2, "profile 'cas01': unknown type 'apache' "
	    "(valid: nginx-mail, command)");
	free(cause);
	free(path);
}

/*
 * The old prefix ran ssh with the settings file written here and the
 * arguments joined for the remote shell: refused, pointing to remote.
 */
static void
test_remote_options(void **state)
{
	char	*path, *cause;

	(void)state;
	path = write_file("prefix.conf",
	    "profile cas01 {\n"
	    "  type = \"command\"\n"
	    "  restart = {\"r\"}\n"
	    "  prefix = {\"ssh\", \"%{fqdn}\"}\n"
	    "}\n");
	cause = load_fails(path);
	assert_int_equal(count_lines(cause), 1);
	has_line(cause, path, 4, "profile 'cas01': prefix is no longer "
	    "supported (ssh gave its arguments to the remote shell as one "
	    "string, and the settings file was written on this host): use "
	    "remote = \"ssh\", ssh_host = \"%{fqdn}\"");
	free(cause);
	free(path);

	path = write_file("remote.conf",
	    "profile cas01 {\n"
	    "  type = \"command\"\n"
	    "  restart = {\"r\"}\n"
	    "  remote = \"rsh\"\n"
	    "}\n"
	    "profile cas02 {\n"
	    "  type = \"command\"\n"
	    "  restart = {\"r\"}\n"
	    "  ssh_host = \"%{fqdn}\"\n"
	    "  connect_timeout = 0\n"
	    "}\n"
	    "profile cas03 {\n"
	    "  type = \"command\"\n"
	    "  restart = {\"r\"}\n"
	    "  remote = \"ssh\"\n"
	    "  ssh_host = \"%{host}\"\n"
	    "}\n");
	cause = load_fails(path);
	has_line(cause, path, 4, "profile 'cas01': unknown remote 'rsh' "
	    "(valid: ssh, local)");
	has_line(cause, path, 9, "profile 'cas02': ssh_host is set but remote "
	    "is not \"ssh\"");
	has_line(cause, path, 10, "profile 'cas02': connect_timeout: value is "
	    "too small: 0 (valid: 1-3600 seconds)");
	has_line(cause, path, 16, "profile 'cas03': ssh_host: unknown "
	    "placeholder %{host}");
	free(cause);
	free(path);
}

/* One run reports every problem, sorted by line, one per line. */
static void
test_many_errors(void **state)
{
	char	*path, *cause;

	(void)state;
	path = write_file("many.conf",
	    "databse = \"/x.db\"\n"				/* 1 */
	    "command_timeout = 9999\n"				/* 2 */
	    "profile a {\n"					/* 3 */
	    "  type = \"nginx\"\n"				/* 4 */
	    "  timeout = 0\n"					/* 5 */
	    "  colour = \"blue\"\n"				/* 6 */
	    "  check = {\"x\", \"%{fdqn}\"}\n"			/* 7 */
	    "}\n"						/* 8 */
	    "profile b {\n"					/* 9 */
	    "  type = \"nginx-mail\"\n"				/* 10 */
	    "  restart = {\"\"}\n"				/* 11 */
	    "}\n"						/* 12 */
	    "profile c {\n"					/* 13 */
	    "  type = \"command\"\n"				/* 14 */
	    "  settings_file = \"relative.conf\"\n"		/* 15 */
	    "  restart = {\"r\", \"%{settings_file\"}\n"	/* 16 */
	    "}\n"						/* 17 */
	    "roles {\n"						/* 18 */
	    "  view_only = {\"bob\", \"%\"}\n"			/* 19 */
	    "  viewers = \"x\"\n"					/* 20 */
	    "}\n");						/* 21 */
	cause = load_fails(path);
	has_line(cause, path, 1, "unknown option 'databse' (known: database, "
	    "site, command_timeout, profile, roles)");
	has_line(cause, path, 2, "command_timeout: value is too large: 9999");
	has_line(cause, path, 4, "profile 'a': unknown type 'nginx'");
	has_line(cause, path, 5, "profile 'a': timeout: value is too small: 0");
	has_line(cause, path, 6, "profile 'a': unknown option 'colour'");
	has_line(cause, path, 7, "unknown placeholder %{fdqn}");
	has_line(cause, path, 8, "profile 'a' ends without the required "
	    "restart command");
	has_line(cause, path, 11, "profile 'b': restart: the program (first "
	    "element) is empty");
	has_line(cause, path, 12, "profile 'b' ends without the settings_file");
	has_line(cause, path, 15, "settings_file must be an absolute path: "
	    "'relative.conf'");
	has_line(cause, path, 16, "unterminated placeholder");
	has_line(cause, path, 19, "view_only: group name missing");
	has_line(cause, path, 20, "roles: unknown option 'viewers' (known: "
	    "organization_management, server_management, view_only)");
	assert_int_equal(count_lines(cause), 13);
	/* In file order. */
	assert_true(strstr(cause, "databse") < strstr(cause, "9999"));
	assert_true(strstr(cause, "colour") < strstr(cause, "fdqn"));
	assert_true(strstr(cause, "fdqn") < strstr(cause, "group name"));
	free(cause);
	free(path);
}

/* test-imapconnectivity's options: listeners checked at load, with their
 * line; the test account given whole or not at all. */
static void
test_probe_options(void **state)
{
	struct config		*conf = NULL;
	const struct profile	*p;
	char			*path, *cause = NULL;

	(void)state;
	path = write_file("probe.conf",
	    "profile a {\n"
	    "  type = \"command\"\n"
	    "  restart = {\"r\"}\n"
	    "  imap_listeners = {\"127.0.0.1:143\", \"[::1]:993/tls\",\n"
	    "      \"%{fqdn}:143/starttls\"}\n"
	    "  tls_ca_file = \"/etc/ssl/site-ca.pem\"\n"
	    "  test_user = \"probe\"\n"
	    "  test_password_file = \"/etc/imapadm/probe.password\"\n"
	    "}\n");
	assert_int_equal(config_load(path, &conf, &cause), 0);
	p = config_profile(conf, "a");
	assert_non_null(p);
	assert_int_equal(p->nimap_listeners, 3);
	assert_string_equal(p->imap_listeners[1], "[::1]:993/tls");
	assert_string_equal(p->tls_ca_file, "/etc/ssl/site-ca.pem");
	assert_string_equal(p->test_user, "probe");
	assert_string_equal(p->test_password_file,
	    "/etc/imapadm/probe.password");
	config_free(conf);
	free(path);

	path = write_file("probe-bad.conf",
	    "profile a {\n"					/* 1 */
	    "  type = \"command\"\n"				/* 2 */
	    "  restart = {\"r\"}\n"				/* 3 */
	    "  imap_listeners = {\"127.0.0.1:143\", \"host:993/ssl\"}\n" /* 4 */
	    "  tls_ca_file = \"ca.pem\"\n"			/* 5 */
	    "  test_user = \"probe\"\n"				/* 6 */
	    "}\n");						/* 7 */
	cause = load_fails(path);
	has_line(cause, path, 4, "profile 'a': imap_listeners: listener "
	    "'host:993/ssl': unknown security '/ssl' (valid: none, /tls or "
	    "/starttls)");
	has_line(cause, path, 5, "profile 'a': tls_ca_file must be an "
	    "absolute path: 'ca.pem'");
	has_line(cause, path, 7, "profile 'a': test_user and "
	    "test_password_file go together: give both or neither");
	assert_int_equal(count_lines(cause), 3);
	free(cause);
	free(path);
}

static void
test_duplicate_profile(void **state)
{
	char	*path, *cause;

	(void)state;
	path = write_file("dup.conf",
	    "profile a {\n"
	    "  type = \"command\"\n"
	    "  restart = {\"r\"}\n"
	    "}\n"
	    "profile a {\n"
	    "  type = \"command\"\n"
	    "  restart = {\"r\"}\n"
	    "}\n");
	cause = load_fails(path);
	has_line(cause, path, 5, "profile 'a' is defined twice");
	free(cause);
	free(path);
}

static void
test_missing_files(void **state)
{
	struct config	*conf = NULL;
	char		*cause, *missing;

	(void)state;
	assert_true(asprintf(&missing, "%s/no-such.conf", tmpdir) != -1);
	cause = load_fails(missing);
	assert_non_null(strstr(cause, missing));
	assert_non_null(strstr(cause, "No such file or directory"));
	free(cause);

	cause = load_fails("");
	assert_string_equal(cause, "config file name is empty");
	free(cause);

	/* A directory is not a config file. */
	cause = load_fails(tmpdir);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);

	/* IMAPADM_CONFIG naming a missing file is an error too. */
	assert_int_equal(setenv("IMAPADM_CONFIG", missing, 1), 0);
	cause = load_fails(NULL);
	assert_non_null(strstr(cause, missing));
	assert_non_null(strstr(cause, "IMAPADM_CONFIG"));
	free(cause);

	/* Empty IMAPADM_CONFIG: no file, built-in defaults. */
	assert_int_equal(setenv("IMAPADM_CONFIG", "", 1), 0);
	cause = NULL;
	assert_int_equal(config_load(NULL, &conf, &cause), 0);
	assert_null(cause);
	assert_null(conf->path);
	assert_int_equal(conf->command_timeout, 30);
	assert_int_equal(conf->nprofiles, 0);
	config_free(conf);
	free(missing);
}

static void
test_env_file(void **state)
{
	struct config	*conf = NULL;
	char		*path, *cause = NULL;

	(void)state;
	path = write_file("env.conf", "site = \"from-env\"\n");
	assert_int_equal(setenv("IMAPADM_CONFIG", path, 1), 0);
	assert_int_equal(config_load(NULL, &conf, &cause), 0);
	assert_string_equal(conf->site, "from-env");
	assert_string_equal(conf->path, path);
	config_free(conf);

	/* An explicit path wins over the environment. */
	free(path);
	path = write_file("explicit.conf", "site = \"explicit\"\n");
	assert_int_equal(config_load(path, &conf, &cause), 0);
	assert_string_equal(conf->site, "explicit");
	config_free(conf);
	free(path);
}

static void
test_xdg_search(void **state)
{
	struct config	*conf = NULL;
	struct stat	 st;
	char		*xdg, *home, *path, *cause = NULL;

	(void)state;
	assert_int_equal(unsetenv("IMAPADM_CONFIG"), 0);

	assert_true(asprintf(&xdg, "%s/xdg", tmpdir) != -1);
	path = write_file("xdg/imapadm/imapadm.conf", "site = \"xdg\"\n");
	assert_int_equal(setenv("XDG_CONFIG_HOME", xdg, 1), 0);
	assert_int_equal(config_load(NULL, &conf, &cause), 0);
	assert_string_equal(conf->path, path);
	assert_string_equal(conf->site, "xdg");
	config_free(conf);
	free(path);

	/* Without XDG_CONFIG_HOME (or with a relative one, which the XDG spec
	 * says to ignore): ~/.config. */
	assert_true(asprintf(&home, "%s/home", tmpdir) != -1);
	path = write_file("home/.config/imapadm/imapadm.conf",
	    "site = \"home\"\n");
	assert_int_equal(setenv("HOME", home, 1), 0);
	assert_int_equal(setenv("XDG_CONFIG_HOME", "relative", 1), 0);
	assert_int_equal(config_load(NULL, &conf, &cause), 0);
	assert_string_equal(conf->site, "home");
	config_free(conf);
	assert_int_equal(unsetenv("XDG_CONFIG_HOME"), 0);
	assert_int_equal(config_load(NULL, &conf, &cause), 0);
	assert_string_equal(conf->path, path);
	assert_string_equal(conf->site, "home");
	config_free(conf);
	free(path);

	/* A bad file found by the search is an error, not silently skipped. */
	path = write_file("home/.config/imapadm/imapadm.conf", "sit = 1\n");
	cause = load_fails(NULL);
	has_line(cause, path, 1, "unknown option 'sit'");
	free(cause);
	cause = NULL;
	free(path);

	/* Nothing anywhere: defaults (unless this machine has an /etc one). */
	assert_int_equal(setenv("XDG_CONFIG_HOME", tmpdir, 1), 0);
	if (stat("/etc/imapadm/imapadm.conf", &st) == -1) {
		assert_int_equal(config_load(NULL, &conf, &cause), 0);
		assert_null(conf->path);
		assert_string_equal(conf->site, "Default-First-Site-Name");
		config_free(conf);
	}
	free(xdg);
	free(home);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_example_file),
		cmocka_unit_test(test_comment_lines),
		cmocka_unit_test(test_example_typos),
		cmocka_unit_test(test_no_check_warning),
		cmocka_unit_test(test_no_env_expansion),
		cmocka_unit_test(test_fifo_refused),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_message_one_line),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_remote_options),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_duplicate_profile),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_probe_options),
		cmocka_unit_test(test_env_file),
		cmocka_unit_test(test_xdg_search),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
