/* The IMAP4 probe: sessions that are state machines over nonblocking
 * sockets (and OpenSSL) advanced by one poll loop. Nothing here blocks
 * except name resolution. */

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/imap_probe.h"
#include "core/proc.h"
#include "core/str.h"
#include "data/ossl_load.h"

#define IMAP_PROBE_LINE_MAX	8192
#define IMAP_PROBE_TEXT_MAX	200	/* of a greeting or answer kept */
#define IMAP_PROBE_RESOLVE_MS	20	/* how often a lookup is looked at */

enum imap_state {
	ST_CONNECT,
	ST_RESOLVE,
	ST_HANDSHAKE,
	ST_GREETING,
	ST_STARTTLS,
	ST_LITERAL,	/* LOGIN sent up to the password's literal */
	ST_LOGIN,
	ST_LOGOUT,
	ST_IDLE,
	ST_DONE
};

/* What a session waits for in each state, for "no answer" messages. */
static const char *const imap_probe_steps[] = {
	[ST_CONNECT] = "connecting",
	[ST_RESOLVE] = "resolving the host name",
	[ST_HANDSHAKE] = "TLS handshake",
	[ST_GREETING] = "waiting for the greeting",
	[ST_STARTTLS] = "STARTTLS",
	[ST_LITERAL] = "LOGIN",
	[ST_LOGIN] = "LOGIN",
	[ST_LOGOUT] = "LOGOUT",
	[ST_IDLE] = "idle",
	[ST_DONE] = "done"
};

/*
 * A host name is resolved by glibc's getaddrinfo_a, in the background. Its
 * request owns copies of what the resolver reads, so that one that cannot
 * be cancelled may outlive its session.
 */
struct imap_probe_resolve {
	struct gaicb		 cb;
	struct addrinfo		 hints;
	char			*name;
	char			*service;
};

struct imap_probe_conn {
	struct imap_listener	 l;
	struct imap_probe_resolve	*res_req;	/* ST_RESOLVE */
	struct addrinfo		*ai;		/* the host's addresses */
	struct addrinfo		*ai_cur;	/* the one being tried */
	enum imap_task		 task;
	enum imap_state		 state;
	int			 fd;
	SSL			*ssl;
	short			 want;		/* POLLIN / POLLOUT */
	double			 t0;		/* connect called */
	double			 deadline;
	double			 idle_from;
	double			 sent_at;
	double			 login_at;	/* LOGIN began */
	char			 rbuf[IMAP_PROBE_LINE_MAX];
	size_t			 rlen;
	char			*wbuf;		/* may hold the password */
	size_t			 wlen, woff;
	struct imap_session	 res;
};

struct imap_probe {
	SSL_CTX			*ctx;
	struct imap_probe_opts	 opts;
	char			*ca_file;
	char			*user;
	char			*password;
	struct imap_probe_conn	**conns;
	size_t			 n;
};

static void	 imap_probe_conn_fail(struct imap_probe_conn *, const char *,
		     ...) __attribute__((format(printf, 2, 3)));
static void	 imap_probe_conn_finish(struct imap_probe_conn *, int);
static void	 imap_probe_conn_start(struct imap_probe *,
		     struct imap_probe_conn *);
static void	 imap_probe_conn_connect(struct imap_probe_conn *);
static void	 imap_probe_conn_resolved(struct imap_probe_conn *);
static void	 imap_probe_resolve_free(struct imap_probe_resolve *);
static void	 imap_probe_conn_advance(struct imap_probe *,
		     struct imap_probe_conn *, short);
static int	 imap_probe_conn_handshake(struct imap_probe *,
		     struct imap_probe_conn *);
static int	 imap_probe_conn_flush(struct imap_probe_conn *);
static int	 imap_probe_conn_fill(struct imap_probe_conn *);
static int	 imap_probe_conn_line(struct imap_probe *,
		     struct imap_probe_conn *, char *);
static int	 imap_probe_conn_send(struct imap_probe_conn *, const char *,
		     ...) __attribute__((format(printf, 2, 3)));
static void	 imap_probe_conn_ready(struct imap_probe *,
		     struct imap_probe_conn *);
static void	 imap_probe_conn_free(struct imap_probe_conn *);
static char	*imap_probe_clean(const char *);
static const char *imap_probe_ssl_reason(char *, size_t);

/* A server's text for messages: control codes out, cut to a line. */
static char *
imap_probe_clean(const char *s)
{
	char	*t, *p;

	if ((t = strndup(s, IMAP_PROBE_TEXT_MAX)) == NULL)
		return (NULL);
	for (p = t; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	}
	return (t);
}

/* OpenSSL's reason for the last error, for messages. */
static const char *
imap_probe_ssl_reason(char *buf, size_t len)
{
	unsigned long	 e, last = 0;

	while ((e = sym_ERR_get_error()) != 0)
		last = e;
	if (last == 0)
		return ("unknown TLS error");
	sym_ERR_error_string_n(last, buf, len);
	return (buf);
}

struct imap_probe *
imap_probe_new(const struct imap_probe_opts *opts, char **cause)
{
	struct imap_probe	*p;
	char			 why[256], *lib;

	*cause = NULL;
	if ((p = calloc(1, sizeof *p)) == NULL)
		goto nomem;
	p->opts = *opts;
	if (p->opts.timeout <= 0)
		p->opts.timeout = 10;
	if ((opts->ca_file != NULL &&
	    (p->ca_file = strdup(opts->ca_file)) == NULL) ||
	    (opts->user != NULL && (p->user = strdup(opts->user)) == NULL) ||
	    (opts->password != NULL &&
	    (p->password = strdup(opts->password)) == NULL))
		goto nomem;
	p->opts.ca_file = p->ca_file;
	p->opts.user = p->user;
	p->opts.password = p->password;

	/* libssl is loaded by the first probe, not by every run. */
	if (ossl_load(OSSL_LIB_SSL, &lib) != 0) {
		*cause = str_printf("cannot set up TLS: %s",
		    lib != NULL ? lib : "out of memory");
		free(lib);
		imap_probe_free(p);
		return (NULL);
	}
	sym_ERR_clear_error();
	if ((p->ctx = sym_SSL_CTX_new(sym_TLS_client_method())) == NULL) {
		*cause = str_printf("cannot set up TLS: %s",
		    imap_probe_ssl_reason(why, sizeof why));
		imap_probe_free(p);
		return (NULL);
	}
	sym_SSL_CTX_set_verify(p->ctx, SSL_VERIFY_PEER, NULL);
	sym_SSL_CTX_ctrl(p->ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION,
	    NULL);
	if (p->ca_file != NULL) {
		if (sym_SSL_CTX_load_verify_locations(p->ctx, p->ca_file,
		    NULL) != 1) {
			*cause = str_printf("tls_ca_file %s: cannot load it: "
			    "%s", p->ca_file, imap_probe_ssl_reason(why,
			    sizeof why));
			imap_probe_free(p);
			return (NULL);
		}
	} else if (sym_SSL_CTX_set_default_verify_paths(p->ctx) != 1) {
		*cause = str_printf("cannot load the system's trusted "
		    "certificates: %s", imap_probe_ssl_reason(why, sizeof why));
		imap_probe_free(p);
		return (NULL);
	}
	return (p);
nomem:
	imap_probe_free(p);
	*cause = strdup("out of memory");
	return (NULL);
}

int
imap_probe_add(struct imap_probe *p, const struct imap_listener *l,
    enum imap_task task, double idle_limit)
{
	struct imap_probe_conn	*c, **grown;

	grown = reallocarray(p->conns, p->n + 1, sizeof *p->conns);
	if (grown == NULL)
		return (-1);
	p->conns = grown;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return (-1);
	c->fd = -1;
	c->task = task;
	c->res.connect_ms = c->res.greeting_ms = -1;
	c->res.login = -1;
	c->res.idle_limit = idle_limit;
	if ((c->l.host = strdup(l->host)) == NULL ||
	    (c->l.port = strdup(l->port)) == NULL) {
		imap_probe_conn_free(c);
		return (-1);
	}
	c->l.tls = l->tls;
	p->conns[p->n] = c;
	imap_probe_conn_start(p, c);
	return ((int)p->n++);
}

static void
imap_probe_conn_fail(struct imap_probe_conn *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	if (c->res.error == NULL) {
		va_start(ap, fmt);
		c->res.error = str_vprintf(fmt, ap);
		va_end(ap);
		/* It may quote what the server sent. */
		for (p = c->res.error; p != NULL && *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		}
	}
	imap_probe_conn_finish(c, 0);
}

static void
imap_probe_conn_finish(struct imap_probe_conn *c, int ok)
{
	struct imap_probe_resolve	*r = c->res_req;

	if (r != NULL) {
		c->res_req = NULL;
		/*
		 * A lookup the resolver already works on cannot be cancelled:
		 * its request (copies, see struct imap_probe_resolve) is
		 * left to it rather than freed under it, or waited for.
		 */
		if (gai_cancel(&r->cb) != EAI_NOTCANCELED)
			imap_probe_resolve_free(r);
	}
	if (c->ssl != NULL) {
		if (ok)
			sym_SSL_shutdown(c->ssl);
		sym_SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	if (c->ai != NULL)
		freeaddrinfo(c->ai);
	c->ai = c->ai_cur = NULL;
	if (c->wbuf != NULL) {
		explicit_bzero(c->wbuf, c->wlen);
		free(c->wbuf);
		c->wbuf = NULL;
	}
	c->res.ok = ok && c->res.error == NULL;
	c->res.done = 1;
	c->state = ST_DONE;
}

/* An address connects at once; a name is resolved in the background
 * first (ST_RESOLVE). */
static void
imap_probe_conn_start(struct imap_probe *p, struct imap_probe_conn *c)
{
	struct addrinfo		 hints, *ai = NULL;
	struct gaicb		*list[1];
	struct imap_probe_resolve	*r;
	int			 rc;

	c->t0 = proc_now();
	c->deadline = c->t0 + p->opts.timeout;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_NUMERICHOST;
	if ((rc = getaddrinfo(c->l.host, c->l.port, &hints, &ai)) == 0) {
		c->ai = c->ai_cur = ai;
		imap_probe_conn_connect(c);
		return;
	}
	if (rc != EAI_NONAME) {
		imap_probe_conn_fail(c, "cannot resolve %s: %s", c->l.host,
		    gai_strerror(rc));
		return;
	}
	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->name = strdup(c->l.host)) == NULL ||
	    (r->service = strdup(c->l.port)) == NULL) {
		imap_probe_resolve_free(r);
		imap_probe_conn_fail(c, "out of memory");
		return;
	}
	r->hints = hints;
	r->hints.ai_flags = AI_NUMERICSERV;
	r->cb.ar_name = r->name;
	r->cb.ar_service = r->service;
	r->cb.ar_request = &r->hints;
	list[0] = &r->cb;
	if ((rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL)) != 0) {
		imap_probe_resolve_free(r);
		imap_probe_conn_fail(c, "cannot resolve %s: %s", c->l.host,
		    gai_strerror(rc));
		return;
	}
	c->res_req = r;
	c->state = ST_RESOLVE;
	c->want = 0;
}

static void
imap_probe_resolve_free(struct imap_probe_resolve *r)
{
	if (r == NULL)
		return;
	if (r->cb.ar_result != NULL)
		freeaddrinfo(r->cb.ar_result);
	free(r->name);
	free(r->service);
	free(r);
}

/* The background lookup of a name ended, or not yet. */
static void
imap_probe_conn_resolved(struct imap_probe_conn *c)
{
	struct imap_probe_resolve	*r = c->res_req;
	int			 rc;

	if ((rc = gai_error(&r->cb)) == EAI_INPROGRESS)
		return;
	c->res_req = NULL;
	if (rc != 0)
		imap_probe_conn_fail(c, "cannot resolve %s: %s", c->l.host,
		    gai_strerror(rc));
	else {
		c->ai = c->ai_cur = r->cb.ar_result;
		r->cb.ar_result = NULL;
		imap_probe_conn_connect(c);
	}
	imap_probe_resolve_free(r);
}

/* A nonblocking connect to c->ai_cur; refused, the next address. */
static void
imap_probe_conn_connect(struct imap_probe_conn *c)
{
	struct addrinfo	*ai = c->ai_cur;
	int		 rc, one = 1;

	if (c->fd != -1)
		close(c->fd);
	c->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (c->fd == -1) {
		imap_probe_conn_fail(c, "socket: %s", strerror(errno));
		return;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	rc = connect(c->fd, ai->ai_addr, ai->ai_addrlen);
	if (rc == -1 && errno != EINPROGRESS) {
		if (ai->ai_next != NULL) {
			c->ai_cur = ai->ai_next;
			imap_probe_conn_connect(c);
			return;
		}
		imap_probe_conn_fail(c, "cannot connect: %s", strerror(errno));
		return;
	}
	c->state = ST_CONNECT;
	c->want = POLLOUT;
}

/* 1 done, 0 wants more I/O (c->want), -1 failed (c finished). */
static int
imap_probe_conn_handshake(struct imap_probe *p, struct imap_probe_conn *c)
{
	const SSL_CIPHER	*ciph;
	X509			*cert;
	char			 why[256], subj[256];
	long			 vr;
	int			 rc, e;
	struct in6_addr		 a6;

	if (c->ssl == NULL) {
		sym_ERR_clear_error();
		if ((c->ssl = sym_SSL_new(p->ctx)) == NULL ||
		    sym_SSL_set_fd(c->ssl, c->fd) != 1) {
			imap_probe_conn_fail(c, "TLS: %s",
			    imap_probe_ssl_reason(why, sizeof why));
			return (-1);
		}
		/* The name checked is the one connected to: an address
		 * against the certificate's IP entries, a name against its
		 * DNS names (and sent as SNI). */
		if (inet_pton(AF_INET, c->l.host, &a6) == 1 ||
		    inet_pton(AF_INET6, c->l.host, &a6) == 1)
			sym_X509_VERIFY_PARAM_set1_ip_asc(
			    sym_SSL_get0_param(c->ssl), c->l.host);
		else {
			sym_SSL_ctrl(c->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME,
			    TLSEXT_NAMETYPE_host_name, c->l.host);
			sym_SSL_set1_host(c->ssl, c->l.host);
		}
	}
	sym_ERR_clear_error();
	if ((rc = sym_SSL_connect(c->ssl)) == 1) {
		ciph = sym_SSL_get_current_cipher(c->ssl);
		subj[0] = '\0';
		if ((cert = sym_SSL_get1_peer_certificate(c->ssl)) != NULL) {
			sym_X509_NAME_oneline(sym_X509_get_subject_name(cert),
			    subj, sizeof subj);
			sym_X509_free(cert);
		}
		free(c->res.tls);
		c->res.tls = str_printf("%s %s, certificate %s verified "
		    "against %s", sym_SSL_get_version(c->ssl),
		    ciph != NULL ? sym_SSL_CIPHER_get_name(ciph) : "?",
		    *subj ? subj : "(no subject)", p->ca_file != NULL ?
		    p->ca_file : "the system's trusted certificates");
		return (1);
	}
	e = sym_SSL_get_error(c->ssl, rc);
	if (e == SSL_ERROR_WANT_READ) {
		c->want = POLLIN;
		return (0);
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		c->want = POLLOUT;
		return (0);
	}
	if ((vr = sym_SSL_get_verify_result(c->ssl)) != X509_V_OK) {
		sym_ERR_clear_error();
		imap_probe_conn_fail(c, "TLS certificate verify failed: %s "
		    "(checked against %s)",
		    sym_X509_verify_cert_error_string(vr),
		    p->ca_file != NULL ? p->ca_file :
		    "the system's trusted certificates");
	} else if (e == SSL_ERROR_SYSCALL && sym_ERR_peek_error() == 0)
		imap_probe_conn_fail(c, "TLS handshake: the server closed the "
		    "connection%s%s", errno != 0 ? ": " : "",
		    errno != 0 ? strerror(errno) : "");
	else
		imap_probe_conn_fail(c, "TLS handshake failed: %s",
		    imap_probe_ssl_reason(why, sizeof why));
	return (-1);
}

static int
imap_probe_conn_send(struct imap_probe_conn *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = str_vprintf(fmt, ap);
	va_end(ap);
	if (s == NULL) {
		imap_probe_conn_fail(c, "out of memory");
		return (-1);
	}
	if (c->wbuf != NULL) {
		explicit_bzero(c->wbuf, c->wlen);
		free(c->wbuf);
	}
	c->wbuf = s;
	c->wlen = strlen(s);
	c->woff = 0;
	c->sent_at = proc_now();
	return (imap_probe_conn_flush(c));
}

/* Write what is pending: 0 all written or waiting for POLLOUT, -1 failed. */
static int
imap_probe_conn_flush(struct imap_probe_conn *c)
{
	ssize_t	 n;
	int	 e;

	while (c->wbuf != NULL && c->woff < c->wlen) {
		if (c->ssl != NULL) {
			sym_ERR_clear_error();
			n = sym_SSL_write(c->ssl, c->wbuf + c->woff,
			    (int)(c->wlen - c->woff));
			if (n <= 0) {
				e = sym_SSL_get_error(c->ssl, (int)n);
				if (e == SSL_ERROR_WANT_WRITE ||
				    e == SSL_ERROR_WANT_READ) {
					c->want = e == SSL_ERROR_WANT_WRITE ?
					    POLLOUT : POLLIN;
					return (0);
				}
				imap_probe_conn_fail(c, "cannot send: the "
				    "connection broke");
				return (-1);
			}
		} else {
			n = send(c->fd, c->wbuf + c->woff, c->wlen - c->woff,
			    MSG_NOSIGNAL);
			if (n == -1 && (errno == EAGAIN ||
			    errno == EWOULDBLOCK)) {
				c->want = POLLOUT;
				return (0);
			}
			if (n == -1) {
				imap_probe_conn_fail(c, "cannot send: %s",
				    strerror(errno));
				return (-1);
			}
		}
		c->woff += (size_t)n;
	}
	if (c->wbuf != NULL) {
		explicit_bzero(c->wbuf, c->wlen);
		free(c->wbuf);
		c->wbuf = NULL;
	}
	c->want = POLLIN;
	return (0);
}

/* Read what is there: 1 got bytes or none yet, 0 end of stream, -1 error
 * (c finished). Reads until the socket would block, so no bytes wait in
 * OpenSSL's buffer unseen by poll. */
static int
imap_probe_conn_fill(struct imap_probe_conn *c)
{
	ssize_t	 n;
	int	 e, got = 0;

	/* A write OpenSSL wanted before is done once we read again. */
	if (c->wbuf == NULL)
		c->want = POLLIN;
	for (;;) {
		if (c->rlen >= sizeof c->rbuf - 1) {
			imap_probe_conn_fail(c, "the server sent a line "
			    "longer than %d bytes", IMAP_PROBE_LINE_MAX);
			return (-1);
		}
		if (c->ssl != NULL) {
			sym_ERR_clear_error();
			n = sym_SSL_read(c->ssl, c->rbuf + c->rlen,
			    (int)(sizeof c->rbuf - 1 - c->rlen));
			if (n <= 0) {
				e = sym_SSL_get_error(c->ssl, (int)n);
				if (e == SSL_ERROR_WANT_READ)
					return (1);
				if (e == SSL_ERROR_WANT_WRITE) {
					c->want = POLLOUT;
					return (1);
				}
				/* Close notify, a plain close or a reset:
				 * the server ended the session. */
				if (e == SSL_ERROR_ZERO_RETURN ||
				    e == SSL_ERROR_SYSCALL)
					return (0);
				return (got ? 1 : 0);
			}
		} else {
			n = recv(c->fd, c->rbuf + c->rlen,
			    sizeof c->rbuf - 1 - c->rlen, 0);
			if (n == -1 && (errno == EAGAIN ||
			    errno == EWOULDBLOCK))
				return (1);
			if (n == -1 && errno == ECONNRESET)
				return (0);
			if (n == -1) {
				imap_probe_conn_fail(c, "cannot read: %s",
				    strerror(errno));
				return (-1);
			}
			if (n == 0)
				return (0);
		}
		c->rlen += (size_t)n;
		got = 1;
	}
}

/* TLS is up (or not asked for) after the greeting: the task's next step. */
static void
imap_probe_conn_ready(struct imap_probe *p, struct imap_probe_conn *c)
{
	char	*u = NULL, *pw = NULL, *cause = NULL;

	if (c->task == IMAP_TASK_IDLE_PREAUTH) {
		/* nginx arms its timeout when the client connects. */
		c->state = ST_IDLE;
		c->idle_from = c->t0;
		c->deadline = c->t0 + c->res.idle_limit;
		return;
	}
	if (p->opts.user == NULL || p->opts.password == NULL) {
		if (c->task == IMAP_TASK_IDLE_AUTH) {
			imap_probe_conn_fail(c, "no test account to log in "
			    "with");
			return;
		}
		c->state = ST_LOGOUT;
		imap_probe_conn_send(c, "a3 LOGOUT\r\n");
		return;
	}
	if (imap_proto_quote(p->opts.user, "the test user name", &u,
	    &cause) != 0) {
		imap_probe_conn_fail(c, "%s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return;
	}
	c->res.login = 0;
	c->login_at = proc_now();
	if (imap_proto_quote(p->opts.password, "the test password", &pw,
	    &cause) != 0) {
		/* 8-bit (UTF-8, say): a literal carries any byte but NUL;
		 * the server says when to send it (RFC 3501 section 4.3). */
		free(cause);
		c->state = ST_LITERAL;
		imap_probe_conn_send(c, "a2 LOGIN %s {%zu}\r\n", u,
		    strlen(p->opts.password));
		free(u);
		return;
	}
	c->state = ST_LOGIN;
	imap_probe_conn_send(c, "a2 LOGIN %s %s\r\n", u, pw);
	explicit_bzero(pw, strlen(pw));
	free(pw);
	free(u);
}

/* One complete line in the current state: 0 go on, -1 stop reading. */
static int
imap_probe_conn_line(struct imap_probe *p, struct imap_probe_conn *c,
    char *line)
{
	struct imap_response	 r;
	double			 now = proc_now();
	char			*tmp;

	if (imap_proto_response(line, &r) != 0) {
		if (c->state == ST_IDLE)
			return (0);
		imap_probe_conn_fail(c, "not an IMAP response: '%.80s'", line);
		return (-1);
	}
	if (r.status == IMAP_STATUS_BYE && strcmp(r.tag, "*") == 0) {
		free(c->res.bye);
		c->res.bye = imap_probe_clean(r.text);
		if (c->state == ST_GREETING) {
			imap_probe_conn_fail(c, "the server refused the "
			    "connection: %s", c->res.bye ? c->res.bye : "BYE");
			return (-1);
		}
		return (0);
	}
	switch (c->state) {
	case ST_GREETING:
		if (strcmp(r.tag, "*") != 0 || (r.status != IMAP_STATUS_OK &&
		    r.status != IMAP_STATUS_PREAUTH)) {
			imap_probe_conn_fail(c, "unexpected greeting: '%.80s'",
			    line);
			return (-1);
		}
		c->res.greeting_ms = (now - c->t0) * 1000;
		c->res.greeting = imap_probe_clean(line);
		c->deadline = now + p->opts.timeout;
		if (c->l.tls == IMAP_TLS_STARTTLS) {
			c->state = ST_STARTTLS;
			return (imap_probe_conn_send(c, "a1 STARTTLS\r\n"));
		}
		imap_probe_conn_ready(p, c);
		return (c->state == ST_DONE ? -1 : 0);
	case ST_STARTTLS:
		if (strcmp(r.tag, "a1") != 0)
			return (0);
		if (r.status != IMAP_STATUS_OK) {
			imap_probe_conn_fail(c, "STARTTLS refused: %.120s",
			    r.text);
			return (-1);
		}
		/* What came with the answer came in the clear: it must not
		 * be read as if it came over TLS (CVE-2011-0411). */
		if (c->rlen > 0) {
			imap_probe_conn_fail(c, "the server sent data right "
			    "after its STARTTLS answer; refused");
			return (-1);
		}
		c->state = ST_HANDSHAKE;
		c->deadline = now + p->opts.timeout;
		c->want = POLLOUT;
		return (-1);	/* the rest goes through TLS */
	case ST_LITERAL:
		if (strcmp(r.tag, "+") == 0) {
			c->state = ST_LOGIN;
			return (imap_probe_conn_send(c, "%s\r\n",
			    p->opts.password));
		}
		/* Refused before the literal: as a LOGIN answer. */
		/* FALLTHROUGH */
	case ST_LOGIN:
		if (strcmp(r.tag, "a2") != 0)
			return (0);
		c->res.login_ms = (now - c->login_at) * 1000;
		free(c->res.login_text);
		c->res.login_text = NULL;
		if ((tmp = str_printf("%s %s", r.status == IMAP_STATUS_OK ?
		    "OK" : r.status == IMAP_STATUS_NO ? "NO" : "BAD",
		    r.text)) != NULL)
			c->res.login_text = imap_probe_clean(tmp);
		free(tmp);
		if (r.status != IMAP_STATUS_OK) {
			c->res.login = 0;
			imap_probe_conn_fail(c, "login as %s refused: %s",
			    p->opts.user, c->res.login_text != NULL ?
			    c->res.login_text : "?");
			return (-1);
		}
		c->res.login = 1;
		if (c->task == IMAP_TASK_IDLE_AUTH) {
			/* proxy_timeout counts from the last client traffic. */
			c->state = ST_IDLE;
			c->idle_from = now;
			c->deadline = now + c->res.idle_limit;
			return (0);
		}
		c->state = ST_LOGOUT;
		c->deadline = now + p->opts.timeout;
		return (imap_probe_conn_send(c, "a3 LOGOUT\r\n"));
	case ST_LOGOUT:
		if (strcmp(r.tag, "a3") == 0) {
			imap_probe_conn_finish(c, 1);
			return (-1);
		}
		return (0);
	default:
		return (0);
	}
}

/* Advance c as far as it goes with revents. */
static void
imap_probe_conn_advance(struct imap_probe *p, struct imap_probe_conn *c,
    short revents)
{
	socklen_t	 len = sizeof(int);
	char		*nl, line[IMAP_PROBE_LINE_MAX];
	int		 err = 0, rc;
	double		 now;
	size_t		 used;

	for (;;) {
		switch (c->state) {
		case ST_DONE:
			return;
		case ST_CONNECT:
			if (!(revents & (POLLOUT | POLLERR | POLLHUP)))
				return;
			if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err,
			    &len) == -1)
				err = errno;
			if (err != 0 && c->ai_cur != NULL &&
			    c->ai_cur->ai_next != NULL) {
				/* localhost as ::1 first, say: the next. */
				c->ai_cur = c->ai_cur->ai_next;
				imap_probe_conn_connect(c);
				return;
			}
			if (err != 0) {
				imap_probe_conn_fail(c, "cannot connect: %s",
				    strerror(err));
				return;
			}
			c->res.connect_ms = (proc_now() - c->t0) * 1000;
			c->state = c->l.tls == IMAP_TLS_IMPLICIT ?
			    ST_HANDSHAKE : ST_GREETING;
			c->want = POLLIN;
			if (c->state == ST_GREETING)
				return;
			continue;
		case ST_HANDSHAKE:
			if ((rc = imap_probe_conn_handshake(p, c)) <= 0)
				return;
			c->deadline = proc_now() + p->opts.timeout;
			c->want = POLLIN;
			if (c->res.greeting == NULL) {
				c->state = ST_GREETING;
				continue;	/* it may be buffered */
			}
			imap_probe_conn_ready(p, c);
			continue;
		default:
			break;
		}
		/* Line states: write what is pending, read, take lines. */
		if (c->wbuf != NULL) {
			if (imap_probe_conn_flush(c) != 0 || c->wbuf != NULL)
				return;
		}
		rc = imap_probe_conn_fill(c);
		if (rc < 0)
			return;
		while (c->state != ST_DONE && c->state != ST_HANDSHAKE &&
		    (nl = memchr(c->rbuf, '\n', c->rlen)) != NULL) {
			*nl = '\0';
			if (nl > c->rbuf && nl[-1] == '\r')
				nl[-1] = '\0';
			used = (size_t)(nl - c->rbuf) + 1;
			/* Taken out of the buffer first: STARTTLS checks
			 * what follows its answer. */
			memcpy(line, c->rbuf, used);
			memmove(c->rbuf, c->rbuf + used, c->rlen - used);
			c->rlen -= used;
			if (imap_probe_conn_line(p, c, line) != 0)
				break;
		}
		if (c->state == ST_DONE)
			return;
		if (c->state == ST_HANDSHAKE)
			continue;
		if (rc == 0) {
			now = proc_now();
			if (c->state == ST_IDLE) {
				c->res.closed = 1;
				c->res.closed_after = now - c->idle_from;
				imap_probe_conn_finish(c, 1);
			} else if (c->state == ST_LOGOUT && c->res.bye != NULL)
				imap_probe_conn_finish(c, 1);
			else
				imap_probe_conn_fail(c, "the server closed the "
				    "connection %s", c->state == ST_GREETING ?
				    "before its greeting" : c->state ==
				    ST_LOGIN ? "after LOGIN, unanswered" :
				    c->state == ST_STARTTLS ? "after STARTTLS, "
				    "unanswered" : "unexpectedly");
		}
		return;
	}
}

size_t
imap_probe_step(struct imap_probe *p, int timeout_ms)
{
	return (imap_probe_wait(p, timeout_ms, -1, NULL));
}

size_t
imap_probe_wait(struct imap_probe *p, int timeout_ms, int fd, int *ready)
{
	struct pollfd	*pfd;
	struct imap_probe_conn *c;
	size_t		 i, n = 0, running = 0;
	double		 now, soonest = -1;
	int		 wait, resolving = 0;

	if (ready != NULL)
		*ready = 0;
	if ((pfd = calloc(p->n + 1, sizeof *pfd)) == NULL)
		return (p->n);
	/* The caller's descriptor (the console's terminal) goes last. */
	pfd[p->n].fd = fd;
	pfd[p->n].events = POLLIN;
	for (i = 0; i < p->n; i++) {
		c = p->conns[i];
		pfd[i].fd = -1;
		if (c->state == ST_DONE)
			continue;
		pfd[i].fd = c->state == ST_RESOLVE ? -1 : c->fd;
		pfd[i].events = c->want;
		if (c->state == ST_RESOLVE)
			resolving = 1;
		if (soonest < 0 || c->deadline < soonest)
			soonest = c->deadline;
		n++;
	}
	if (n > 0 || fd >= 0) {
		wait = timeout_ms;
		now = proc_now();
		if (soonest >= 0 && (soonest - now) * 1000 < wait)
			wait = soonest <= now ? 0 :
			    (int)((soonest - now) * 1000) + 1;
		/* A lookup has no descriptor to wait on: look again soon. */
		if (resolving && wait > IMAP_PROBE_RESOLVE_MS)
			wait = IMAP_PROBE_RESOLVE_MS;
		if (poll(pfd, p->n + 1, wait) == -1 && errno != EINTR)
			wait = 0;
		if (ready != NULL && fd >= 0 && pfd[p->n].revents != 0)
			*ready = 1;
	}
	now = proc_now();
	for (i = 0; i < p->n; i++) {
		c = p->conns[i];
		if (c->state == ST_DONE)
			continue;
		if (c->state == ST_RESOLVE)
			imap_probe_conn_resolved(c);
		else if (pfd[i].revents != 0)
			imap_probe_conn_advance(p, c, pfd[i].revents);
		if (c->state != ST_DONE && now >= c->deadline) {
			if (c->state == ST_IDLE) {
				/* Measured: it stayed open the whole time. */
				c->res.closed = 0;
				imap_probe_conn_finish(c, 1);
			} else
				imap_probe_conn_fail(c, "no answer within %.0f "
				    "s (%s)", p->opts.timeout,
				    imap_probe_steps[c->state]);
		}
		if (c->state != ST_DONE)
			running++;
	}
	free(pfd);
	return (running);
}

double
imap_probe_left(const struct imap_probe *p)
{
	double	 now = proc_now(), left = 0;
	size_t	 i;

	for (i = 0; i < p->n; i++) {
		if (p->conns[i]->state != ST_DONE &&
		    p->conns[i]->deadline - now > left)
			left = p->conns[i]->deadline - now;
	}
	return (left);
}

size_t
imap_probe_count(const struct imap_probe *p)
{
	return (p->n);
}

const struct imap_session *
imap_probe_session(const struct imap_probe *p, size_t i)
{
	return (i < p->n ? &p->conns[i]->res : NULL);
}

static void
imap_probe_conn_free(struct imap_probe_conn *c)
{
	if (c == NULL)
		return;
	if (c->state != ST_DONE)
		imap_probe_conn_finish(c, 0);
	imap_proto_listener_free(&c->l);
	free(c->res.greeting);
	free(c->res.tls);
	free(c->res.login_text);
	free(c->res.bye);
	free(c->res.error);
	explicit_bzero(c->rbuf, sizeof c->rbuf);
	free(c);
}

void
imap_probe_free(struct imap_probe *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		imap_probe_conn_free(p->conns[i]);
	free(p->conns);
	if (p->ctx != NULL)
		sym_SSL_CTX_free(p->ctx);
	free(p->ca_file);
	free(p->user);
	if (p->password != NULL) {
		explicit_bzero(p->password, strlen(p->password));
		free(p->password);
	}
	free(p);
}
