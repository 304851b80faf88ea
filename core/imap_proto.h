/* IMAP4 text, both ways: a profile's listener specs, the server's response
 * lines, and quoted strings for what the client sends. No I/O here. */
#ifndef IMAPADM_CORE_IMAP_PROTO_H
#define IMAPADM_CORE_IMAP_PROTO_H

enum imap_tls {
	IMAP_TLS_NONE,		/* "host:port": plain */
	IMAP_TLS_IMPLICIT,	/* "host:port/tls": TLS from the start (993) */
	IMAP_TLS_STARTTLS	/* "host:port/starttls": plain, then STARTTLS */
};

/* One listener of a profile's imap_listeners. */
struct imap_listener {
	char		*host;	/* "127.0.0.1", "::1", "cas01.contoso.test" */
	char		*port;	/* "143" */
	enum imap_tls	 tls;
};

/*
 * "host:port[/tls|/starttls]", IPv6 as "[::1]:993"; the host may be
 * %{fqdn}, replaced by fqdn here (NULL: kept as given, for checking only).
 * -1 with *cause naming the value and the form allowed.
 */
int		 imap_proto_listener(const char *spec, const char *fqdn,
		     struct imap_listener *, char **cause);
void		 imap_proto_listener_free(struct imap_listener *);
/* "plain", "tls", "starttls" */
const char	*imap_proto_tls_name(enum imap_tls);

/* One response line (RFC 3501 section 7): tag "*", "+" or the command's. */
enum imap_status {
	IMAP_STATUS_OK,
	IMAP_STATUS_NO,
	IMAP_STATUS_BAD,
	IMAP_STATUS_BYE,
	IMAP_STATUS_PREAUTH,
	IMAP_STATUS_OTHER	/* untagged data ("* CAPABILITY ..."), "+" */
};
struct imap_response {
	char		 tag[32];
	enum imap_status status;
	const char	*text;	/* after the status word, into the line */
};
/* line without its CRLF. -1: not an IMAP response line. */
int		 imap_proto_response(const char *line, struct imap_response *);
/*
 * s as an IMAP quoted string ("...", with \ and " escaped). -1 (cause) for
 * what a quoted string cannot carry: NUL, CR, LF and 8-bit bytes; what is
 * refused is named, the value itself never shown (it may be a password).
 */
int		 imap_proto_quote(const char *s, const char *what, char **out,
		     char **cause);

#endif
