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
	char			*cmd[] = { "ctl", "%{fqdn}", "%{identity}",
	    "--site=%{site}", NULL, NULL, "%{AuthenticatedConnectionTimeout}",
	    NULL };
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
	cmd[4] = field[3];
	cmd[5] = field[4];
	tmpl.argv = cmd;
	tmpl.argc = 7;
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
	if (n != tmpl.argc)
		fuzz_expand_fail("argument count changed", field[0]);
	if (strcmp(argv[1], srv.fqdn) != 0)
		fuzz_expand_fail("fqdn changed", argv[1]);
	if (strcmp(argv[2], srv.identity) != 0)
		fuzz_expand_fail("identity changed", argv[2]);
	if (strncmp(argv[3], "--site=", 7) != 0 ||
	    strcmp(argv[3] + 7, srv.site) != 0)
		fuzz_expand_fail("site changed", argv[3]);
	snprintf(want, sizeof want, "%ld", values[SETTING_AUTH_TIMEOUT]);
	if (strcmp(argv[6], want) != 0)
		fuzz_expand_fail("setting value changed", argv[6]);
	if (argv[1][0] == '-' || argv[2][0] == '-')
		fuzz_expand_fail("a value starts an argument with '-'",
		    argv[1][0] == '-' ? argv[1] : argv[2]);
	service_argv_free(argv);
	free(buf);
	return (0);
}
