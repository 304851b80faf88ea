/* libFuzzer target: config_load on a file holding the input. It must not
 * crash or leak; a loaded config is complete, and every line of a refusal
 * reads "FILE:LINE: message" as config.h promises. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 fuzz_config_path[256];

static void
fuzz_config_fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_config: %s: %s\n", what, text);
	abort();
}

/* One file, made once, rewritten for every input. */
static const char *
fuzz_config_file(void)
{
	const char	*dir;
	int		 fd;

	if (fuzz_config_path[0] != '\0')
		return (fuzz_config_path);
	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(fuzz_config_path, sizeof fuzz_config_path,
	    "%s/fuzz_config.XXXXXX", dir);
	if ((fd = mkstemp(fuzz_config_path)) == -1) {
		fprintf(stderr, "fuzz_config: mkstemp %s: %s\n",
		    fuzz_config_path, strerror(errno));
		abort();
	}
	close(fd);
	return (fuzz_config_path);
}

static void
fuzz_config_check_cause(const char *path, const char *cause)
{
	const char	*line, *nl, *p;
	size_t		 plen = strlen(path);

	for (line = cause; line != NULL; line = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (strncmp(line, path, plen) != 0 || line[plen] != ':')
			fuzz_config_fail("cause line without FILE:", cause);
		p = line + plen + 1;
		if (*p < '0' || *p > '9')
			fuzz_config_fail("cause line without LINE:", cause);
		p += strspn(p, "0123456789");
		if (strncmp(p, ": ", 2) != 0)
			fuzz_config_fail("cause line without ': '", cause);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*path = fuzz_config_file();
	struct config	*conf = NULL;
	const struct profile *p;
	char		*cause = NULL;
	FILE		*f;
	size_t		 i;

	if ((f = fopen(path, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f) != 0)
		abort();

	if (config_load(path, &conf, &cause) != 0) {
		if (conf != NULL)
			fuzz_config_fail("refused but returned a config", path);
		if (cause == NULL)
			fuzz_config_fail("refused without a cause", path);
		fuzz_config_check_cause(path, cause);
		free(cause);
		return (0);
	}
	if (conf == NULL || cause != NULL)
		fuzz_config_fail("loaded without a config, or with a cause",
		    cause != NULL ? cause : path);
	if (conf->command_timeout < 1 || conf->command_timeout > 3600 ||
	    conf->site == NULL || *conf->site == '\0')
		fuzz_config_fail("loaded an out-of-range global", path);
	for (i = 0; i < conf->nprofiles; i++) {
		p = &conf->profiles[i];
		if (p->name == NULL || p->restart.argc == 0 ||
		    p->restart.argv[0] == NULL || *p->restart.argv[0] == '\0' ||
		    p->restart.argv[p->restart.argc] != NULL)
			fuzz_config_fail("loaded a profile without a restart",
			    p->name != NULL ? p->name : "(null)");
		if (p->timeout < 0 || p->timeout > 3600)
			fuzz_config_fail("loaded a bad profile timeout", p->name);
		if (p->type == PROFILE_NGINX_MAIL && (p->settings_file == NULL ||
		    *p->settings_file != '/'))
			fuzz_config_fail("nginx-mail profile without an "
			    "absolute settings_file", p->name);
		if (config_profile(conf, p->name) == NULL)
			fuzz_config_fail("config_profile cannot find", p->name);
	}
	config_free(conf);
	return (0);
}
