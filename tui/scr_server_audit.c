/* Server properties, Audit section: the last changes of this server and
 * the outcome of its restarts, newest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/scr_server_internal.h"

static int	 scr_server_audit_wrap(WINDOW *, int, int, const char *);

/* "A 1 -> 2, B 3 -> 4" on as many lines as it needs, broken after commas;
 * returns the next line. */
static int
scr_server_audit_wrap(WINDOW *pad, int y, int x, const char *text)
{
	int		 width = getmaxx(pad) - x - 1, n = 0;
	const char	*p = text, *q, *end;
	char		*line;

	while (*p != '\0' && n++ < 4) {
		end = p + strlen(p);
		if (theme_width(p) > width) {
			/* The last ", " that keeps the line within width. */
			for (q = strstr(p, ", "); q != NULL; q = strstr(q + 2,
			    ", ")) {
				line = strndup(p, (size_t)(q + 1 - p));
				if (line == NULL)
					break;
				if (theme_width(line) > width) {
					free(line);
					break;
				}
				free(line);
				end = q + 1;
			}
		}
		if ((line = strndup(p, (size_t)(end - p))) != NULL)
			theme_put(pad, y, x + (p == text ? 0 : 2), width,
			    THEME_NORMAL, line);
		free(line);
		y++;
		for (p = end; *p == ' '; p++)
			;
	}
	return (y);
}

void
scr_server_audit_render(struct scr_server *s)
{
	struct wpage		*p = s->page[SECTION_AUDIT];
	WINDOW			*pad = wpage_pad(p);
	struct store_audit	*a = NULL;
	size_t			 n = 0, i;
	char			*cause = NULL, at[64], *q;
	int			 y = 0;

	wpage_clear(p);
	theme_printf(pad, y++, 1, -1, THEME_TITLE, "Audit: last changes of "
	    "%s, newest first", s->identity);
	theme_printf(pad, y++, 1, -1, THEME_DIM, "the last %d entries; L shows "
	    "the whole log, one entry a line", AUDIT_LIMIT);
	y++;
	if (store_audit_list(s->app->store, s->identity, AUDIT_LIMIT, &a, &n,
	    &cause) != 0) {
		theme_printf(pad, y++, 3, -1, THEME_ERROR, "cannot read the "
		    "audit log: %s", cause ? cause : "unknown error");
		free(cause);
		wpage_set_used(p, y);
		return;
	}
	if (n == 0)
		theme_put(pad, y++, 3, -1, THEME_NORMAL,
		    "nothing recorded yet");
	for (i = 0; i < n; i++) {
		snprintf(at, sizeof at, "%s", a[i].at ? a[i].at : "?");
		if ((q = strchr(at, 'T')) != NULL)
			*q = ' ';
		theme_printf(pad, y, 3, -1, THEME_TITLE, "%s  %s  %s", at,
		    a[i].user ? a[i].user : "?",
		    a[i].action ? a[i].action : "");
		y++;
		if (a[i].what != NULL && *a[i].what != '\0')
			y = scr_server_audit_wrap(pad, y, 5, a[i].what);
		if (a[i].outcome != NULL && *a[i].outcome != '\0')
			theme_put(pad, y++, 5, -1,
			    strncmp(a[i].outcome, "failed", 6) == 0 ?
			    THEME_ERROR : THEME_DIM, a[i].outcome);
	}
	store_audit_list_free(a, n);
	wpage_set_used(p, y);
}
