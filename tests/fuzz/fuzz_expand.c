/* libFuzzer target: service_expand with a fuzzed fqdn, identity, site and
 * two template arguments. Whatever they hold, each template argument gives
 * exactly one argument (nothing is split, as a shell would), values arrive
 * byte for byte, and no value starts an argument with '-'. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/service.h"
#include "core/settings.h"
#include "data/store.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_EXPAND_FIELDS	5	/* fqdn, identity, site, arg, arg */

static void
fuzz_expand_fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_expand: %s: '%s'\n", what, text);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char			*prefix[] = { "ssh", "-o", "BatchMode=yes",
	    "%{fqdn}", NULL };
	char			*cmd[] = { "ctl", "%{identity}", "--site=%{site}",
	    NULL, NULL, "%{AuthenticatedConnectionTimeout}", NULL };
	char			*field[FUZZ_EXPAND_FIELDS], *buf, *p, *nl;
	char			*cause = NULL, **argv, want[64];
	struct profile		 prof;
	struct argv_tmpl	 tmpl;
	struct store_server	 srv;
	long			 values[SETTING_COUNT];
	size_t			 i, n;

	/* Fields are the input's lines; a C string ends at its first NUL. */
	if ((buf = malloc(size + 1)) == NULL)
		return (0);
	memcpy(buf, data, size);
	buf[size] = '\0';
	p = buf;
	for (i = 0; i < FUZZ_EXPAND_FIELDS; i++) {
		field[i] = p;
		if ((nl = strchr(p, '\n')) != NULL) {
			*nl = '\0';
			p = nl + 1;
		} else
			p += strlen(p);
	}

	memset(&prof, 0, sizeof prof);
	prof.name = "fuzz";
	prof.type = PROFILE_COMMAND;
	prof.settings_file = "/etc/imapadm/fuzz.conf";
	prof.prefix.argv = prefix;
	prof.prefix.argc = 4;
	cmd[3] = field[3];
	cmd[4] = field[4];
	tmpl.argv = cmd;
	tmpl.argc = 6;
	memset(&srv, 0, sizeof srv);
	srv.fqdn = field[0];
	srv.identity = field[1];
	srv.site = field[2];
	srv.roles = "ClientAccess";
	srv.profile = "fuzz";
	for (i = 0; i < SETTING_COUNT; i++)
		values[i] = settings_table[i].def;

	argv = service_expand(&prof, &tmpl, &srv, values, &cause);
	if (argv == NULL) {
		if (cause == NULL || *cause == '\0')
			fuzz_expand_fail("refused without a cause", buf);
		free(cause);
		free(buf);
		return (0);
	}
	for (n = 0; argv[n] != NULL; n++)
		;
	if (n != prof.prefix.argc + tmpl.argc)
		fuzz_expand_fail("argument count changed", field[0]);
	if (strcmp(argv[3], srv.fqdn) != 0)
		fuzz_expand_fail("fqdn changed", argv[3]);
	if (strcmp(argv[5], srv.identity) != 0)
		fuzz_expand_fail("identity changed", argv[5]);
	if (strncmp(argv[6], "--site=", 7) != 0 ||
	    strcmp(argv[6] + 7, srv.site) != 0)
		fuzz_expand_fail("site changed", argv[6]);
	snprintf(want, sizeof want, "%ld", values[SETTING_AUTH_TIMEOUT]);
	if (strcmp(argv[9], want) != 0)
		fuzz_expand_fail("setting value changed", argv[9]);
	if (argv[3][0] == '-' || argv[5][0] == '-')
		fuzz_expand_fail("a value starts an argument with '-'",
		    argv[3][0] == '-' ? argv[3] : argv[5]);
	service_argv_free(argv);
	free(buf);
	return (0);
}
