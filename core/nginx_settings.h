/* The nginx-mail settings file read back: the directives imapadm renders
 * (settings_table's nginx_directive), in any of nginx's time units. */
#ifndef IMAPADM_CORE_NGINX_SETTINGS_H
#define IMAPADM_CORE_NGINX_SETTINGS_H

#include "core/settings.h"

struct nginx_settings {
	int	 have[SETTING_COUNT];	/* the directive is in the file */
	long	 value[SETTING_COUNT];	/* seconds */
	char	*foreign;	/* first other directive found, NULL if none */
};

/*
 * An nginx time ("60", "60s", "1m", "1h30m", "30000ms", "2d") in whole
 * seconds: -1 with *cause naming the text when it is not one.
 */
int	 nginx_settings_time(const char *text, long *out, char **cause);

/*
 * Parse the text of a settings file: "directive value;" statements, '#'
 * comments. 0, or -1 with *cause ("line 3: ..."). A directive given twice
 * keeps the last, as nginx does not (it refuses it): reported as an error.
 */
int	 nginx_settings_parse(const char *text, struct nginx_settings *out,
	     char **cause);
void	 nginx_settings_free(struct nginx_settings *);

#endif
