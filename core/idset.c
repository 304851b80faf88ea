/* The sorted identity set: binary search to test, one merge to add many. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/idset.h"

static size_t	 idset_find(const struct idset *, const char *, int *);

/* Where id is (*found) or would go. */
static size_t
idset_find(const struct idset *s, const char *id, int *found)
{
	size_t	lo = 0, hi = s->n, mid;
	int	c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcasecmp(s->ids[mid], id)) == 0) {
			*found = 1;
			return (mid);
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

int
idset_has(const struct idset *s, const char *id)
{
	int	found;

	(void)idset_find(s, id, &found);
	return (found);
}

int
idset_toggle(struct idset *s, const char *id)
{
	char	**grown;
	size_t	  at;
	int	  found;

	at = idset_find(s, id, &found);
	if (found) {
		free(s->ids[at]);
		memmove(&s->ids[at], &s->ids[at + 1],
		    (s->n - at - 1) * sizeof *s->ids);
		s->n--;
		return (0);
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		if ((grown = reallocarray(s->ids, s->cap,
		    sizeof *s->ids)) == NULL)
			abort();
		s->ids = grown;
	}
	memmove(&s->ids[at + 1], &s->ids[at], (s->n - at) * sizeof *s->ids);
	if ((s->ids[at] = strdup(id)) == NULL)
		abort();
	s->n++;
	return (1);
}

void
idset_merge(struct idset *s, char **ids, size_t n)
{
	char	**out;
	size_t	  i = 0, j = 0, m = 0, cap = s->n + n > 0 ? s->n + n : 1;
	int	  c;

	if ((out = calloc(cap, sizeof *out)) == NULL)
		abort();
	while (i < s->n || j < n) {
		c = i == s->n ? 1 : j == n ? -1 :
		    strcasecmp(s->ids[i], ids[j]);
		if (c < 0)
			out[m++] = s->ids[i++];
		else if (c > 0)
			out[m++] = ids[j++];
		else {
			out[m++] = s->ids[i++];
			free(ids[j++]);
		}
	}
	free(s->ids);
	s->ids = out;
	s->n = m;
	s->cap = cap;
}

void
idset_clear(struct idset *s)
{
	while (s->n > 0)
		free(s->ids[--s->n]);
	free(s->ids);
	s->ids = NULL;
	s->cap = 0;
}

void
idset_append(struct idset *s, const char *id)
{
	char	**grown;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		if ((grown = reallocarray(s->ids, s->cap,
		    sizeof *s->ids)) == NULL)
			abort();
		s->ids = grown;
	}
	if ((s->ids[s->n] = strdup(id)) == NULL)
		abort();
	s->n++;
}

size_t
idset_pos(const struct idset *s, const char *id, int *found)
{
	return (idset_find(s, id, found));
}
