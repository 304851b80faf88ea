/* A server's IMAP4 state in one word: failed, drift, stopped, pending,
 * running, or unknown; never "running" for values only remembered. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/imap4_state.h"

static const struct {
	const char	*word;
	const char	*help;
} imap4_state_table[] = {
#define X(e, w, h) [IMAP4_STATE_##e] = { w, h },
	IMAP4_STATES
#undef X
};

static void	 imap4_state_values(char *, size_t, const long *);
static void	 imap4_state_when(char *, size_t, const char *, time_t);

const char *
imap4_state_word(enum imap4_state st)
{
	return (imap4_state_table[st].word);
}

const char *
imap4_state_help(enum imap4_state st)
{
	return (imap4_state_table[st].help);
}

int
imap4_state_lookup(const char *word)
{
	int	i;

	for (i = 0; i < IMAP4_STATE_COUNT; i++) {
		if (strcasecmp(word, imap4_state_table[i].word) == 0)
			return (i);
	}
	return (-1);
}

/* "1800/60" */
static void
imap4_state_values(char *buf, size_t len, const long *v)
{
	size_t	k, used = 0;

	buf[0] = '\0';
	for (k = 0; k < SETTING_COUNT && used < len; k++)
		used += (size_t)snprintf(buf + used, len - used, "%s%ld",
		    k > 0 ? "/" : "", v[k]);
}

/* " at 14:05" today, " on 2024-05-01" before, local time; from an ISO
 * 8601 UTC text, else from t (0: nothing). */
static void
imap4_state_when(char *buf, size_t len, const char *iso, time_t t)
{
	struct tm	 tm, now;
	time_t		 today = time(NULL);

	buf[0] = '\0';
	if (iso != NULL) {
		memset(&tm, 0, sizeof tm);
		if (sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon,
		    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
			return;
		tm.tm_year -= 1900;
		tm.tm_mon--;
		t = timegm(&tm);
	}
	if (t == 0)
		return;
	localtime_r(&t, &tm);
	localtime_r(&today, &now);
	if (tm.tm_year == now.tm_year && tm.tm_yday == now.tm_yday)
		strftime(buf, len, " at %H:%M", &tm);
	else
		strftime(buf, len, " on %Y-%m-%d", &tm);
}

enum imap4_state
imap4_state_of(const struct imap4_view *v, const char *last_outcome,
    const char *restarted_at, char *buf, size_t len)
{
	const struct observation *o = &v->obs;
	char		 vals[64], when[32];
	const char	*why;
	size_t		 k;
	int		 seen = v->observed, pushed = 1, drift = 0;

	if (v->server.roles == NULL ||
	    strcasestr(v->server.roles, "ClientAccess") == NULL) {
		snprintf(buf, len, "not client access");
		return (IMAP4_STATE_NOT_CAS);
	}
	for (k = 0; k < SETTING_COUNT; k++) {
		seen = seen && o->has_running[k];
		pushed = pushed && v->has_running[k];
	}
	if (v->restart_pending && last_outcome != NULL &&
	    strncmp(last_outcome, "ok", 2) != 0) {
		/* "failed after 0.1 s: why": the why. */
		why = strstr(last_outcome, ": ");
		snprintf(buf, len, "failed: %s", why != NULL ? why + 2 :
		    last_outcome);
		return (IMAP4_STATE_FAILED);
	}
	if (v->observed && o->file_read && pushed) {
		for (k = 0; k < SETTING_COUNT; k++)
			drift |= !o->file.have[k] ||
			    o->file.value[k] != v->running[k];
	}
	if (drift) {
		imap4_state_values(vals, sizeof vals, o->file.value);
		imap4_state_when(when, sizeof when, NULL, o->file_mtime);
		snprintf(buf, len, "drift: file %s%s", vals, when);
		return (IMAP4_STATE_DRIFT);
	}
	if (v->observed && o->no_master) {
		snprintf(buf, len, "stopped (no nginx master)");
		return (IMAP4_STATE_STOPPED);
	}
	if (v->restart_pending) {
		snprintf(buf, len, "restart pending");
		return (IMAP4_STATE_PENDING);
	}
	if (seen) {
		imap4_state_values(vals, sizeof vals, o->running);
		imap4_state_when(when, sizeof when, NULL, o->at);
		/* " at 14:05" is "seen 14:05": short enough for 80 columns. */
		snprintf(buf, len, "running %s seen %s", vals, when[0] != '\0' ?
		    when + 4 : "now");
		return (IMAP4_STATE_RUNNING);
	}
	/* Nothing observed: what imapadm pushed, said as such. */
	if (pushed) {
		imap4_state_values(vals, sizeof vals, v->running);
		imap4_state_when(when, sizeof when, restarted_at, 0);
		snprintf(buf, len, "pushed %s%s", vals, when);
	} else
		snprintf(buf, len, "unknown: never pushed");
	return (IMAP4_STATE_UNKNOWN);
}
