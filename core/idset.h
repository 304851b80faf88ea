/* A set of server identities kept sorted as the store sorts them (ASCII
 * case folded): the console's marks, cheap to test per row and to fill
 * with every server of a filter at once. */
#ifndef IMAPADM_CORE_IDSET_H
#define IMAPADM_CORE_IDSET_H

#include <stddef.h>

struct idset {
	char	**ids;
	size_t	  n;
	size_t	  cap;
};

int	 idset_has(const struct idset *, const char *);
/* Add or remove one; returns 1 if it is in the set now. */
int	 idset_toggle(struct idset *, const char *);
/* Take ids[0..n-1], sorted as the set is, into the set (merged; the
 * strings are the set's from now on, duplicates freed). */
void	 idset_merge(struct idset *, char **ids, size_t n);
void	 idset_clear(struct idset *);
/* Add id after every member (it sorts after them): a scan in list order. */
void	 idset_append(struct idset *, const char *);
/* Position of id, or of the first member after it; *found if a member. */
size_t	 idset_pos(const struct idset *, const char *, int *found);

#endif
