/* The IMAP4 probe: listener specs, response lines, quoting (also as sent on
 * the wire to a server in this process), idle sessions, and the test
 * account's password file checks. */

#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/imap_account.h"
#include "core/imap_probe.h"
#include "core/proc.h"

static void
t_listener(void **state)
{
	struct imap_listener	 l;
	char			*cause = NULL;

	assert_int_equal(imap_proto_listener("127.0.0.1:143", NULL, &l,
	    &cause), 0);
	assert_string_equal(l.host, "127.0.0.1");
	assert_string_equal(l.port, "143");
	assert_int_equal(l.tls, IMAP_TLS_NONE);
	imap_proto_listener_free(&l);

	assert_int_equal(imap_proto_listener("[::1]:993/tls", NULL, &l,
	    &cause), 0);
	assert_string_equal(l.host, "::1");
	assert_string_equal(l.port, "993");
	assert_int_equal(l.tls, IMAP_TLS_IMPLICIT);
	imap_proto_listener_free(&l);

	assert_int_equal(imap_proto_listener("%{fqdn}:143/starttls",
	    "cas01.contoso.test", &l, &cause), 0);
	assert_string_equal(l.host, "cas01.contoso.test");
	assert_int_equal(l.tls, IMAP_TLS_STARTTLS);
	imap_proto_listener_free(&l);
}

/* Each bad spec is refused with a message naming it and the form. */
static void
t_listener_bad(void **state)
{
	static const struct {
		const char	*spec;
		const char	*says;
	} bad[] = {
		{ "127.0.0.1", "no ':port'" },
		{ "127.0.0.1:0", "port '0' is not a number from 1 to 65535" },
		{ "127.0.0.1:70000", "port '70000'" },
		{ "127.0.0.1:14x3", "port '14x3'" },
		{ "127.0.0.1:993/ssl", "unknown security '/ssl'" },
		{ "::1:993", "IPv6 address goes in brackets" },
		{ "[::1]993", "without ']:port'" },
		{ ":143", "host is empty" },
		{ "a b:143", "blank or control character" },
		{ "%{identity}:143", "only placeholder" },
		{ "", "empty listener" }
	};
	struct imap_listener	 l;
	char			*cause;
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_int_equal(imap_proto_listener(bad[i].spec, NULL, &l,
		    &cause), -1);
		assert_non_null(cause);
		if (strstr(cause, bad[i].says) == NULL)
			fail_msg("'%s': '%s' lacks '%s'", bad[i].spec, cause,
			    bad[i].says);
		free(cause);
	}
}

static void
t_response(void **state)
{
	struct imap_response	 r;

	assert_int_equal(imap_proto_response("* OK [CAPABILITY IMAP4rev1] "
	    "ready", &r), 0);
	assert_string_equal(r.tag, "*");
	assert_int_equal(r.status, IMAP_STATUS_OK);
	assert_string_equal(r.text, "[CAPABILITY IMAP4rev1] ready");

	assert_int_equal(imap_proto_response("a2 NO [AUTHENTICATIONFAILED] "
	    "Authentication failed.", &r), 0);
	assert_string_equal(r.tag, "a2");
	assert_int_equal(r.status, IMAP_STATUS_NO);
	assert_string_equal(r.text, "[AUTHENTICATIONFAILED] Authentication "
	    "failed.");

	assert_int_equal(imap_proto_response("* BYE Autologout", &r), 0);
	assert_int_equal(r.status, IMAP_STATUS_BYE);
	assert_int_equal(imap_proto_response("a3 ok", &r), 0);
	assert_int_equal(r.status, IMAP_STATUS_OK);
	assert_string_equal(r.text, "");
	assert_int_equal(imap_proto_response("* PREAUTH hi", &r), 0);
	assert_int_equal(r.status, IMAP_STATUS_PREAUTH);
	assert_int_equal(imap_proto_response("* CAPABILITY IMAP4rev1", &r), 0);
	assert_int_equal(r.status, IMAP_STATUS_OTHER);
	assert_string_equal(r.text, "CAPABILITY IMAP4rev1");
	assert_int_equal(imap_proto_response("+ go ahead", &r), 0);
	assert_string_equal(r.tag, "+");
	assert_string_equal(r.text, "go ahead");

	/* Not responses: a tagged line that is no status, garbage, empty. */
	assert_int_equal(imap_proto_response("a1 CAPABILITY x", &r), -1);
	assert_int_equal(imap_proto_response("", &r), -1);
	assert_int_equal(imap_proto_response("HTTP/1.1", &r), -1);
	assert_int_equal(imap_proto_response("a(1 OK", &r), -1);
}

static void
t_quote(void **state)
{
	char	*out = NULL, *cause = NULL;

	assert_int_equal(imap_proto_quote("alice", "user", &out, &cause), 0);
	assert_string_equal(out, "\"alice\"");
	free(out);
	assert_int_equal(imap_proto_quote("p\"a\\ss word", "pw", &out,
	    &cause), 0);
	assert_string_equal(out, "\"p\\\"a\\\\ss word\"");
	free(out);
	assert_int_equal(imap_proto_quote("", "pw", &out, &cause), 0);
	assert_string_equal(out, "\"\"");
	free(out);

	/* Refused, and the message names what, never the value. */
	assert_int_equal(imap_proto_quote("sec\r\nret", "the test password",
	    &out, &cause), -1);
	assert_null(out);
	assert_non_null(strstr(cause, "the test password holds a CR"));
	assert_null(strstr(cause, "sec"));
	free(cause);
	assert_int_equal(imap_proto_quote("caf\xc3\xa9", "the test password",
	    &out, &cause), -1);
	assert_non_null(strstr(cause, "8-bit"));
	free(cause);
}

/* A listening socket on loopback; its port in *port. */
static int
listen_loopback(char *port, size_t len)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof sin;
	int			 fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	snprintf(port, len, "%u", ntohs(sin.sin_port));
	return (fd);
}

/* Step the probe until the server side has a line; return it. */
static void
server_line(struct imap_probe *p, int fd, char *buf, size_t len)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	double		 end = proc_now() + 5;
	size_t		 n = 0;
	ssize_t		 r;

	while (proc_now() < end) {
		imap_probe_step(p, 10);
		if (poll(&pfd, 1, 10) == 1) {
			r = read(fd, buf + n, len - 1 - n);
			assert_true(r > 0);
			n += (size_t)r;
			buf[n] = '\0';
			if (strstr(buf, "\r\n") != NULL)
				return;
		}
	}
	fail_msg("no line from the probe within 5 s (got '%.*s')", (int)n, buf);
}

static void
run_until_done(struct imap_probe *p, double seconds)
{
	double	 end = proc_now() + seconds;

	while (imap_probe_step(p, 50) > 0) {
		if (proc_now() > end)
			fail_msg("probe still running after %.1f s", seconds);
	}
}

/* The LOGIN the server receives holds user and password quoted. */
static void
t_login_wire(void **state)
{
	struct imap_probe_opts	 o = { NULL, "al\"ice", "p\\w d", 5 };
	struct imap_listener	 l = { "127.0.0.1", NULL, IMAP_TLS_NONE };
	const struct imap_session *s;
	struct imap_probe	*p;
	char			 port[16], line[512], *cause = NULL;
	int			 lfd, fd;

	lfd = listen_loopback(port, sizeof port);
	l.port = port;
	p = imap_probe_new(&o, &cause);
	assert_non_null(p);
	assert_int_equal(imap_probe_add(p, &l, IMAP_TASK_LOGIN, 0), 0);
	fd = accept(lfd, NULL, NULL);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "* OK test ready\r\n", 17), 17);
	server_line(p, fd, line, sizeof line);
	assert_string_equal(line, "a2 LOGIN \"al\\\"ice\" \"p\\\\w d\"\r\n");
	assert_true(write(fd, "a2 OK logged in\r\n", 17) == 17);
	server_line(p, fd, line, sizeof line);
	assert_string_equal(line, "a3 LOGOUT\r\n");
	assert_true(write(fd, "* BYE bye\r\na3 OK done\r\n", 23) == 23);
	run_until_done(p, 5);
	s = imap_probe_session(p, 0);
	assert_true(s->ok);
	assert_null(s->error);
	assert_int_equal(s->login, 1);
	assert_string_equal(s->greeting, "* OK test ready");
	assert_true(s->greeting_ms >= 0);
	imap_probe_free(p);
	close(fd);
	close(lfd);
}

/* A password a quoted string cannot carry (UTF-8) goes as a literal,
 * once the server's continuation asks for it. */
static void
t_login_literal(void **state)
{
	struct imap_probe_opts	 o = { NULL, "alice", "caf\xc3\xa9 \"x\"", 5 };
	struct imap_listener	 l = { "127.0.0.1", NULL, IMAP_TLS_NONE };
	const struct imap_session *s;
	struct imap_probe	*p;
	char			 port[16], line[512], *cause = NULL;
	int			 lfd, fd;

	lfd = listen_loopback(port, sizeof port);
	l.port = port;
	p = imap_probe_new(&o, &cause);
	assert_int_equal(imap_probe_add(p, &l, IMAP_TASK_LOGIN, 0), 0);
	fd = accept(lfd, NULL, NULL);
	assert_int_equal(write(fd, "* OK hi\r\n", 9), 9);
	server_line(p, fd, line, sizeof line);
	assert_string_equal(line, "a2 LOGIN \"alice\" {9}\r\n");
	assert_int_equal(write(fd, "+ OK\r\n", 6), 6);
	server_line(p, fd, line, sizeof line);
	assert_string_equal(line, "caf\xc3\xa9 \"x\"\r\n");
	assert_int_equal(write(fd, "a2 OK in\r\n", 10), 10);
	server_line(p, fd, line, sizeof line);
	assert_string_equal(line, "a3 LOGOUT\r\n");
	assert_int_equal(write(fd, "a3 OK bye\r\n", 11), 11);
	run_until_done(p, 5);
	s = imap_probe_session(p, 0);
	assert_null(s->error);
	assert_int_equal(s->login, 1);
	imap_probe_free(p);
	close(fd);
	close(lfd);
}

/* A refused LOGIN is a failure that quotes the server's answer. */
static void
t_login_refused(void **state)
{
	struct imap_probe_opts	 o = { NULL, "alice", "wrong", 5 };
	struct imap_listener	 l = { "127.0.0.1", NULL, IMAP_TLS_NONE };
	const struct imap_session *s;
	struct imap_probe	*p;
	char			 port[16], line[512], *cause = NULL;
	int			 lfd, fd;

	lfd = listen_loopback(port, sizeof port);
	l.port = port;
	p = imap_probe_new(&o, &cause);
	assert_int_equal(imap_probe_add(p, &l, IMAP_TASK_LOGIN, 0), 0);
	fd = accept(lfd, NULL, NULL);
	assert_int_equal(write(fd, "* OK hi\r\n", 9), 9);
	server_line(p, fd, line, sizeof line);
	assert_true(write(fd, "a2 NO [AUTHENTICATIONFAILED] nope\r\n", 35) ==
	    35);
	run_until_done(p, 5);
	s = imap_probe_session(p, 0);
	assert_false(s->ok);
	assert_int_equal(s->login, 0);
	assert_string_equal(s->error, "login as alice refused: NO "
	    "[AUTHENTICATIONFAILED] nope");
	assert_null(strstr(s->error, "wrong"));
	imap_probe_free(p);
	close(fd);
	close(lfd);
}

/* An idle session: closed by the server (time measured), or still open
 * at its limit (reported as not closed). */
static void
t_idle(void **state)
{
	struct imap_probe_opts	 o = { NULL, NULL, NULL, 5 };
	struct imap_listener	 l = { "127.0.0.1", NULL, IMAP_TLS_NONE };
	const struct imap_session *a, *b;
	struct imap_probe	*p;
	char			 port[16], *cause = NULL;
	int			 lfd, fa, fb;
	double			 t0, end;

	lfd = listen_loopback(port, sizeof port);
	l.port = port;
	p = imap_probe_new(&o, &cause);
	assert_int_equal(imap_probe_add(p, &l, IMAP_TASK_IDLE_PREAUTH, 5), 0);
	assert_int_equal(imap_probe_add(p, &l, IMAP_TASK_IDLE_PREAUTH, 0.5),
	    1);
	fa = accept(lfd, NULL, NULL);
	fb = accept(lfd, NULL, NULL);
	t0 = proc_now();
	assert_int_equal(write(fa, "* OK a\r\n", 8), 8);
	assert_int_equal(write(fb, "* OK b\r\n", 8), 8);
	/* a: closed by "the server" after about 0.3 s. */
	end = t0 + 0.3;
	while (proc_now() < end)
		imap_probe_step(p, 20);
	assert_int_equal(write(fa, "* BYE Autologout\r\n", 18), 18);
	close(fa);
	run_until_done(p, 3);
	a = imap_probe_session(p, 0);
	b = imap_probe_session(p, 1);
	assert_true(a->ok);
	assert_int_equal(a->closed, 1);
	assert_true(a->closed_after >= 0.25 && a->closed_after < 1.5);
	assert_string_equal(a->bye, "Autologout");
	assert_true(b->ok);
	assert_int_equal(b->closed, 0);
	imap_probe_free(p);
	close(fb);
	close(lfd);
}

/* A host name is resolved in the background (glibc getaddrinfo_a) while
 * the probe steps, and every address is tried: localhost may come as ::1
 * first, where nothing listens. */
static void
t_resolve(void **state)
{
	struct imap_probe_opts	 o = { NULL, NULL, NULL, 5 };
	struct imap_listener	 l = { "localhost", NULL, IMAP_TLS_NONE };
	struct pollfd		 pfd;
	const struct imap_session *s;
	struct imap_probe	*p;
	char			 port[16], *cause = NULL;
	int			 lfd, fd = -1;
	double			 end;

	lfd = listen_loopback(port, sizeof port);
	l.port = port;
	p = imap_probe_new(&o, &cause);
	assert_int_equal(imap_probe_add(p, &l, IMAP_TASK_IDLE_PREAUTH, 0.5),
	    0);
	pfd.fd = lfd;
	pfd.events = POLLIN;
	for (end = proc_now() + 5; fd == -1 && proc_now() < end;) {
		imap_probe_step(p, 20);
		if (poll(&pfd, 1, 0) == 1)
			fd = accept(lfd, NULL, NULL);
	}
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "* OK named\r\n", 12), 12);
	run_until_done(p, 3);
	s = imap_probe_session(p, 0);
	assert_null(s->error);
	assert_true(s->ok);
	assert_string_equal(s->greeting, "* OK named");
	assert_int_equal(s->closed, 0);
	imap_probe_free(p);
	close(fd);
	close(lfd);
}

static void
t_password_file(void **state)
{
	char	 dir[] = "/tmp/imapadm-test-probe.XXXXXX", path[256],
		 link[256], *pw = NULL, *cause = NULL;
	FILE	*f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/pw", dir);
	snprintf(link, sizeof link, "%s/link", dir);
	f = fopen(path, "w");
	fputs("s3cret\r\nsecond line\n", f);
	fclose(f);

	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(imap_account_password(path, &pw, &cause), -1);
	assert_null(pw);
	assert_non_null(strstr(cause, "mode 0644"));
	assert_non_null(strstr(cause, "must be 0600"));
	assert_null(strstr(cause, "s3cret"));
	free(cause);

	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(imap_account_password(path, &pw, &cause), 0);
	assert_string_equal(pw, "s3cret");
	imap_account_wipe(pw);

	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(imap_account_password(link, &pw, &cause), -1);
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);

	/* Someone else's file (only root can make one here). */
	if (geteuid() == 0 && chown(path, 65534, (gid_t)-1) == 0) {
		assert_int_equal(imap_account_password(path, &pw, &cause), -1);
		assert_non_null(strstr(cause, "run as root it must be root's"));
		free(cause);
		assert_int_equal(chown(path, 0, (gid_t)-1), 0);
	}

	f = fopen(path, "w");
	fclose(f);
	assert_int_equal(imap_account_password(path, &pw, &cause), -1);
	assert_non_null(strstr(cause, "first line is empty"));
	free(cause);

	unlink(link);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_listener),
		cmocka_unit_test(t_listener_bad),
		cmocka_unit_test(t_response),
		cmocka_unit_test(t_quote),
		cmocka_unit_test(t_login_wire),
		cmocka_unit_test(t_login_literal),
		cmocka_unit_test(t_login_refused),
		cmocka_unit_test(t_idle),
		cmocka_unit_test(t_resolve),
		cmocka_unit_test(t_password_file),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
