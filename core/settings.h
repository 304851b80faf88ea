/* The IMAP4 settings imapadm manages: one table row per setting feeds the
 * validator, the command line, the config file, the console's form and the docs. */
#ifndef IMAPADM_CORE_SETTINGS_H
#define IMAPADM_CORE_SETTINGS_H

#include <stddef.h>

enum setting_id {
	SETTING_AUTH_TIMEOUT,		/* AuthenticatedConnectionTimeout */
	SETTING_PREAUTH_TIMEOUT,	/* PreAuthenticatedConnectionTimeout */
	SETTING_COUNT
};

struct setting_def {
	const char	*name;		/* Exchange parameter name */
	const char	*label;		/* console label, "Authenticated time-out" */
	const char	*unit;		/* "seconds" */
	long		 min;
	long		 max;
	long		 def;
	long		 warn_below;	/* values < this are valid but warned; 0: none */
	const char	*warning;	/* text of that warning */
	const char	*help;		/* one sentence for help screens and docs */
	const char	*nginx_directive; /* directive the nginx-mail profile renders */
};

extern const struct setting_def settings_table[SETTING_COUNT];

/* Setting by Exchange name, case-insensitive; NULL if unknown. */
const struct setting_def *settings_find(const char *name);
enum setting_id	settings_id(const struct setting_def *);

/*
 * Parse whole seconds ("1800") or an Exchange time span "[d.]hh:mm:ss"
 * ("00:30:00", "1.00:00:00") and range-check it. On error returns -1 and sets
 * *cause (caller frees) to a message naming the setting, the value and the
 * range, e.g. "AuthenticatedConnectionTimeout: value is too large: 86401
 * (valid: 30-86400 seconds)".
 */
int		 settings_parse(const struct setting_def *, const char *text,
		     long *out, char **cause);
/* Range check only; same message style as settings_parse. */
int		 settings_check(const struct setting_def *, long value, char **cause);
/* Warning text for a valid value (RFC 3501 for short authenticated), or NULL. */
const char	*settings_warning(const struct setting_def *, long value);

/* "00:30:00", "1.00:00:00"; caller frees. */
char		*settings_format_timespan(long seconds);
/* The same into buf, without allocating; returns its length. Any long
 * fits in SETTINGS_TIMESPAN_MAX bytes ("-106751991167300.15:30:08"). */
#define SETTINGS_TIMESPAN_MAX	32
size_t		 settings_timespan_buf(long seconds, char *buf, size_t len);
/* "valid: 30–3600" style range text in buf (UTF-8 en dash unless ascii). */
void		 settings_range_text(const struct setting_def *, char *buf,
		     size_t len, int ascii);

#endif
