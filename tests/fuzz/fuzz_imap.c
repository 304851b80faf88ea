/* libFuzzer target: what an IMAP server or a profile can hand the probe.
 * Each input line goes to imap_proto_response (a parsed line has a tag and
 * its text points into the line), imap_proto_listener (an accepted spec has
 * a host and a port of 1-65535 digits; a refusal holds no control
 * character) and imap_proto_quote (a quoted string reads back, unescaped,
 * as the line). */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/imap_proto.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_imap_fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_imap: %s: '%s'\n", what, text);
	abort();
}

static void
fuzz_imap_line(const char *line)
{
	struct imap_response	 r;
	struct imap_listener	 l;
	const char		*p;
	char			*out = NULL, *cause = NULL, *back, *q;
	long			 port;

	if (imap_proto_response(line, &r) == 0) {
		if (r.tag[0] == '\0')
			fuzz_imap_fail("empty tag", line);
		if (r.text < line || r.text > line + strlen(line))
			fuzz_imap_fail("text outside the line", line);
	}

	if (imap_proto_listener(line, "host.example", &l, &cause) == 0) {
		if (l.host == NULL || *l.host == '\0' || l.port == NULL)
			fuzz_imap_fail("listener without host or port", line);
		port = strtol(l.port, &q, 10);
		if (*q != '\0' || port < 1 || port > 65535)
			fuzz_imap_fail("listener port out of range", line);
		imap_proto_listener_free(&l);
	} else {
		for (p = cause; p != NULL && *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 && *p != '\0')
				fuzz_imap_fail("control character in refusal",
				    line);
		}
		free(cause);
		cause = NULL;
	}

	if (imap_proto_quote(line, "the input", &out, &cause) == 0) {
		if ((back = malloc(strlen(out) + 1)) == NULL)
			return;
		/* Unescape: "\x" is x. */
		for (p = out + 1, q = back; p[1] != '\0'; p++)
			*q++ = *p == '\\' ? *++p : *p;
		*q = '\0';
		if (out[0] != '"' || strcmp(back, line) != 0)
			fuzz_imap_fail("quoted string does not read back", line);
		free(back);
		free(out);
	} else
		free(cause);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*buf, *p, *nl;

	/* Lines of the input; a C string ends at its first NUL. */
	if ((buf = malloc(size + 1)) == NULL)
		return (0);
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (p = buf; p != NULL; p = nl != NULL ? nl + 1 : NULL) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		fuzz_imap_line(p);
	}
	free(buf);
	return (0);
}
