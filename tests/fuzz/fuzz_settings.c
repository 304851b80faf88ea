/* libFuzzer target: settings_parse on every setting. A value it accepts is
 * in range and survives format -> parse; a value it refuses gets a message
 * that names the setting and holds no control character. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/settings.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_settings_fail(const char *what, const struct setting_def *def,
    const char *text, long v)
{
	fprintf(stderr, "fuzz_settings: %s: %s '%s' -> %ld\n", what,
	    def->name, text, v);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct setting_def *def;
	char			*text, *span, *cause, num[32];
	const unsigned char	*p;
	long			 v, back;
	size_t			 i;

	/* A command-line argument or form field: a C string. */
	if ((text = malloc(size + 1)) == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';

	for (i = 0; i < SETTING_COUNT; i++) {
		def = &settings_table[i];
		v = -12345;
		cause = NULL;
		if (settings_parse(def, text, &v, &cause) != 0) {
			if (cause == NULL)
				fuzz_settings_fail("refused without a cause",
				    def, text, v);
			if (strncmp(cause, def->name, strlen(def->name)) != 0)
				fuzz_settings_fail("cause does not name the "
				    "setting", def, cause, v);
			for (p = (const unsigned char *)cause; *p != '\0'; p++) {
				if (*p < 0x20 || *p == 0x7f)
					fuzz_settings_fail("control character "
					    "in the cause", def, cause, v);
			}
			if (v != -12345)
				fuzz_settings_fail("refused but wrote the value",
				    def, text, v);
			free(cause);
			continue;
		}
		if (cause != NULL)
			fuzz_settings_fail("accepted with a cause", def, text, v);
		if (v < def->min || v > def->max)
			fuzz_settings_fail("accepted out of range", def, text, v);
		if (settings_check(def, v, NULL) != 0)
			fuzz_settings_fail("settings_check disagrees", def, text,
			    v);

		/* The time span the CLI prints parses back to the value. */
		if ((span = settings_format_timespan(v)) == NULL)
			abort();
		back = -1;
		if (settings_parse(def, span, &back, &cause) != 0 || back != v)
			fuzz_settings_fail("format does not parse back", def,
			    span, back);
		free(span);

		/* So do its whole seconds. */
		snprintf(num, sizeof num, "%ld", v);
		back = -1;
		if (settings_parse(def, num, &back, &cause) != 0 || back != v)
			fuzz_settings_fail("seconds do not parse back", def,
			    num, back);
		(void)settings_warning(def, v);
	}
	free(text);
	return (0);
}
