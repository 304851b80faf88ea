/* Libraries opened on first use (see dl_load.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/dl_load.h"

static int	 dl_load_fail(struct dl_lib *, char **, const char *, ...)
		     __attribute__((format(printf, 3, 4)));

/* Keeps the reason for later calls and hands the caller a copy. */
static int
dl_load_fail(struct dl_lib *lib, char **cause, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	if (vasprintf(&lib->why, fmt, ap) == -1)
		lib->why = NULL;
	va_end(ap);
	lib->state = -1;
	if (cause != NULL)
		*cause = strdup(lib->why != NULL ? lib->why :
		    "out of memory");
	return (-1);
}

int
dl_load(struct dl_lib *lib, char **cause)
{
	const char	*missing = NULL;
	void		*h;
	char		*e;

	if (cause != NULL)
		*cause = NULL;
	if (lib->state == 1)
		return (0);
	if (lib->state == -1) {
		if (cause != NULL)
			*cause = strdup(lib->why != NULL ? lib->why :
			    "out of memory");
		return (-1);
	}
	/* By soname alone: the system's library path (ld.so.cache), as the
	 * link would have found it. */
	if ((h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		return (dl_load_fail(lib, cause, "cannot load %s (Debian "
		    "package %s): %s", lib->what, lib->package,
		    e != NULL ? e : "unknown reason"));
	}
	dlerror();
	if (lib->resolve(h, &missing) != 0) {
		e = dlerror();
		return (dl_load_fail(lib, cause, "%s has no function %s "
		    "(imapadm was built against %s): %s", lib->soname,
		    missing != NULL ? missing : "(unnamed)", lib->built,
		    e != NULL ? e : "unknown reason"));
	}
	lib->state = 1;
	return (0);
}
