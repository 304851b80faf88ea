/* Selecting servers for a bulk change: a list of names and wildcards, and
 * a site, as Exchange's -Identity 'CAS*' and -Site take them. */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/store_internal.h"

#define SELECT_SQL							\
	"SELECT identity, fqdn, roles, site, profile FROM server"	\
	" WHERE identity LIKE ?1 ESCAPE '\\'"				\
	" AND (?2 IS NULL OR site = ?2 COLLATE NOCASE)"			\
	" ORDER BY identity"

static char	*select_like(const char *, size_t);
static int	 select_cmp(const void *, const void *);

/* One item of the list as a LIKE pattern: * and ? are the wildcards,
 * SQL's own % and _ (and the escape) stand for themselves. */
static char *
select_like(const char *item, size_t len)
{
	char	*like, *cp;
	size_t	 i;

	if ((like = malloc(len * 2 + 1)) == NULL)
		abort();
	for (i = 0, cp = like; i < len; i++) {
		switch (item[i]) {
		case '*':
			*cp++ = '%';
			break;
		case '?':
			*cp++ = '_';
			break;
		case '%':
		case '_':
		case '\\':
			*cp++ = '\\';
			/* FALLTHROUGH */
		default:
			*cp++ = item[i];
			break;
		}
	}
	*cp = '\0';
	return (like);
}

static int
select_cmp(const void *a, const void *b)
{
	const struct store_server *x = a, *y = b;

	return (strcasecmp(x->identity, y->identity));
}

int
store_server_select(struct store *s, const char *list, const char *site,
    struct store_server **out, size_t *n, char **unmatched, char **cause)
{
	sqlite3_stmt		*stmt;
	struct store_server	*v = NULL;
	const char		*item, *end;
	char			*like;
	size_t			 len, nv = 0, cap = 0, before, i, j;
	int			 rc;

	*out = NULL;
	*n = 0;
	*unmatched = NULL;
	if (sqlite3_prepare_v2(s->db, SELECT_SQL, -1, &stmt, NULL) !=
	    SQLITE_OK) {
		store_cause(cause, "cannot select servers in %s: %s", s->path,
		    sqlite3_errmsg(s->db));
		return (-1);
	}
	for (item = list; *item != '\0'; item = *end == ',' ? end + 1 : end) {
		end = item + strcspn(item, ",");
		while (item < end && (*item == ' ' || *item == '\t'))
			item++;
		len = (size_t)(end - item);
		while (len > 0 && (item[len - 1] == ' ' ||
		    item[len - 1] == '\t'))
			len--;
		if (len == 0)
			continue;
		like = select_like(item, len);
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, like, -1, free);
		if (site != NULL)
			sqlite3_bind_text(stmt, 2, site, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(stmt, 2);
		before = nv;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			if (nv == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				if ((v = reallocarray(v, cap, sizeof *v)) ==
				    NULL)
					abort();
			}
			store_server_row(stmt, &v[nv++]);
		}
		if (rc != SQLITE_DONE) {
			store_cause(cause, "cannot select servers in %s: %s",
			    s->path, sqlite3_errmsg(s->db));
			sqlite3_finalize(stmt);
			store_server_list_free(v, nv);
			return (-1);
		}
		/* The first item that matches nothing: a typo, most likely. */
		if (nv == before && *unmatched == NULL) {
			if ((*unmatched = strndup(item, len)) == NULL)
				abort();
		}
	}
	sqlite3_finalize(stmt);

	/* Items may overlap (CAS01,CAS*): each server once, in order. */
	if (nv > 1)
		qsort(v, nv, sizeof *v, select_cmp);
	for (i = j = 0; i < nv; i++) {
		if (j > 0 && strcasecmp(v[j - 1].identity, v[i].identity) == 0) {
			store_server_free(&v[i]);
			continue;
		}
		v[j++] = v[i];
	}
	*out = v;
	*n = j;
	return (0);
}
