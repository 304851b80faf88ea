/* IMAP4 text, both ways: listener specs of a profile, server response
 * lines (RFC 3501 section 7), and quoted strings for LOGIN. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/imap_proto.h"
#include "core/str.h"

const char *
imap_proto_tls_name(enum imap_tls tls)
{
	switch (tls) {
	case IMAP_TLS_IMPLICIT:
		return ("tls");
	case IMAP_TLS_STARTTLS:
		return ("starttls");
	case IMAP_TLS_NONE:
		break;
	}
	return ("plain");
}

int
imap_proto_listener(const char *spec, const char *fqdn,
    struct imap_listener *l, char **cause)
{
	static const char form[] = "host:port, host:port/tls or "
	    "host:port/starttls; IPv6 as [::1]:993";
	const char	*hend, *port, *slash, *p, *orig = spec;
	char		*host;
	size_t		 hlen, plen;
	long		 v = 0;

	memset(l, 0, sizeof *l);
	*cause = NULL;
	if (spec == NULL || *spec == '\0') {
		*cause = str_printf("empty listener (valid: %s)", form);
		return (-1);
	}
	for (p = spec; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			/* Said by position: the character itself would
			 * drive the terminal the message is shown on. */
			*cause = str_printf("listener '%.*s...': blank or "
			    "control character 0x%02x after %zu characters "
			    "(valid: %s)", (int)(p - spec), spec,
			    (unsigned char)*p, (size_t)(p - spec), form);
			return (-1);
		}
	}
	if (*spec == '[') {
		if ((hend = strchr(spec, ']')) == NULL || hend[1] != ':') {
			*cause = str_printf("listener '%s': IPv6 address "
			    "without ']:port' (valid: %s)", spec, form);
			return (-1);
		}
		spec++;
		hlen = (size_t)(hend - spec);
		port = hend + 2;
	} else {
		if ((hend = strrchr(spec, ':')) == NULL ||
		    ((slash = strchr(spec, '/')) != NULL && slash < hend)) {
			*cause = str_printf("listener '%s': no ':port' (valid: "
			    "%s)", spec, form);
			return (-1);
		}
		hlen = (size_t)(hend - spec);
		port = hend + 1;
		if (memchr(spec, ':', hlen) != NULL) {
			*cause = str_printf("listener '%s': an IPv6 address "
			    "goes in brackets (valid: %s)", spec, form);
			return (-1);
		}
	}
	if (hlen == 0) {
		*cause = str_printf("listener '%s': host is empty (valid: %s)",
		    spec, form);
		return (-1);
	}
	slash = strchr(port, '/');
	plen = slash != NULL ? (size_t)(slash - port) : strlen(port);
	for (p = port; p < port + plen; p++) {
		if (*p < '0' || *p > '9' || v > 65535)
			break;
		v = v * 10 + (*p - '0');
	}
	if (plen == 0 || p != port + plen || v < 1 || v > 65535) {
		*cause = str_printf("listener '%s': port '%.*s' is not a "
		    "number from 1 to 65535", spec, (int)plen, port);
		return (-1);
	}
	if (slash == NULL)
		l->tls = IMAP_TLS_NONE;
	else if (strcmp(slash, "/tls") == 0)
		l->tls = IMAP_TLS_IMPLICIT;
	else if (strcmp(slash, "/starttls") == 0)
		l->tls = IMAP_TLS_STARTTLS;
	else {
		*cause = str_printf("listener '%s': unknown security '%s' "
		    "(valid: none, /tls or /starttls)", spec, slash);
		return (-1);
	}
	if ((host = strndup(spec, hlen)) == NULL)
		goto nomem;
	if (fqdn != NULL && strcmp(host, "%{fqdn}") == 0) {
		free(host);
		if ((host = strdup(fqdn)) == NULL)
			goto nomem;
	} else if (strchr(host, '%') != NULL &&
	    strcmp(host, "%{fqdn}") != 0) {
		*cause = str_printf("listener '%s': the only placeholder a "
		    "host may be is %%{fqdn}", orig);
		free(host);
		return (-1);
	}
	l->host = host;
	if ((l->port = strndup(port, plen)) == NULL)
		goto nomem;
	return (0);
nomem:
	imap_proto_listener_free(l);
	*cause = strdup("out of memory");
	return (-1);
}

void
imap_proto_listener_free(struct imap_listener *l)
{
	free(l->host);
	free(l->port);
	l->host = l->port = NULL;
}

int
imap_proto_response(const char *line, struct imap_response *r)
{
	static const struct {
		const char		*word;
		enum imap_status	 status;
	} words[] = {
		{ "OK", IMAP_STATUS_OK }, { "NO", IMAP_STATUS_NO },
		{ "BAD", IMAP_STATUS_BAD }, { "BYE", IMAP_STATUS_BYE },
		{ "PREAUTH", IMAP_STATUS_PREAUTH }
	};
	const char	*sp, *w;
	size_t		 len, i, wl;

	memset(r, 0, sizeof *r);
	r->status = IMAP_STATUS_OTHER;
	len = strcspn(line, " ");
	if (len == 0 || len >= sizeof r->tag)
		return (-1);
	for (i = 0; i < len; i++) {
		/* A tag is ATOM-CHARs without '+' (RFC 3501 section 9). */
		if ((unsigned char)line[i] <= ' ' || line[i] == 0x7f ||
		    strchr("(){%\"\\]", line[i]) != NULL)
			return (-1);
	}
	memcpy(r->tag, line, len);
	r->tag[len] = '\0';
	if (strcmp(r->tag, "+") == 0) {
		r->text = line[len] == ' ' ? line + len + 1 : line + len;
		return (0);
	}
	if (line[len] != ' ')
		return (-1);
	w = line + len + 1;
	sp = strchr(w, ' ');
	wl = sp != NULL ? (size_t)(sp - w) : strlen(w);
	r->text = sp != NULL ? sp + 1 : w + wl;
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strlen(words[i].word) == wl &&
		    strncasecmp(w, words[i].word, wl) == 0) {
			r->status = words[i].status;
			return (0);
		}
	}
	/* Tagged responses are status responses only. */
	if (strcmp(r->tag, "*") != 0)
		return (-1);
	r->text = w;
	return (0);
}

int
imap_proto_quote(const char *s, const char *what, char **out, char **cause)
{
	const unsigned char	*p;
	char			*q;
	size_t			 n = 2;

	*out = NULL;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n' || *p >= 0x80) {
			*cause = str_printf("%s holds %s, which an IMAP quoted "
			    "string cannot carry (allowed: 7-bit characters "
			    "other than CR and LF)", what, *p >= 0x80 ?
			    "an 8-bit byte" : *p == '\r' ? "a CR" : "a LF");
			return (-1);
		}
		n += (*p == '"' || *p == '\\') ? 2 : 1;
	}
	if ((q = *out = malloc(n + 1)) == NULL) {
		*cause = strdup("out of memory");
		return (-1);
	}
	*q++ = '"';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			*q++ = '\\';
		*q++ = (char)*p;
	}
	*q++ = '"';
	*q = '\0';
	return (0);
}
