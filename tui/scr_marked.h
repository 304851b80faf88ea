/* What the server list hands a screen that acts on the marked servers:
 * their identities (borrowed: the screen copies them), in list order. */
#ifndef IMAPADM_TUI_SCR_MARKED_H
#define IMAPADM_TUI_SCR_MARKED_H

#include <stddef.h>

struct scr_marked {
	char	**ids;
	size_t	  n;
	size_t	  others;	/* marked, but not client access servers */
};

#endif
