/* OpenSSL's libraries opened with dlopen() the first time they are needed,
 * their functions resolved from the one list in ossl_load.h (the pattern of
 * systemd's dlopen_many_sym_or_warn). */

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/opensslv.h>

#include "data/ossl_load.h"

#define OSSL_LOAD_STR(x)	OSSL_LOAD_STR2(x)
#define OSSL_LOAD_STR2(x)	#x
/* The soname of the OpenSSL the headers are from. */
#define OSSL_LOAD_SO(lib)	lib ".so." OSSL_LOAD_STR(OPENSSL_SHLIB_VERSION)

#define X(lib, name)	__typeof__(name) *sym_##name;
OSSL_LOAD_SYMS
#undef X

static const char *const ossl_load_soname[OSSL_LIB_COUNT] = {
	[OSSL_LIB_CRYPTO] = OSSL_LOAD_SO("libcrypto"),
	[OSSL_LIB_SSL] = OSSL_LOAD_SO("libssl")
};

/* Per library: 0 not tried, 1 loaded, -1 failed for ossl_load_why. The
 * console and the CLI load from their one thread. */
static int	 ossl_load_state[OSSL_LIB_COUNT];
static char	*ossl_load_why[OSSL_LIB_COUNT];

static int	 ossl_load_fail(enum ossl_lib, char **, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
static int	 ossl_load_resolve(enum ossl_lib, void *, char **);

/* Keeps the reason for later calls and hands the caller a copy. */
static int
ossl_load_fail(enum ossl_lib lib, char **cause, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	if (vasprintf(&ossl_load_why[lib], fmt, ap) == -1)
		ossl_load_why[lib] = NULL;
	va_end(ap);
	ossl_load_state[lib] = -1;
	if (cause != NULL)
		*cause = strdup(ossl_load_why[lib] != NULL ?
		    ossl_load_why[lib] : "out of memory");
	return (-1);
}

/* Each of lib's functions in the list, or the first one missing. */
static int
ossl_load_resolve(enum ossl_lib lib, void *h, char **cause)
{
	void	*p;
	char	*e;

#define X(l, name)							\
	if (OSSL_LIB_##l == lib) {					\
		dlerror();						\
		if ((p = dlsym(h, #name)) == NULL) {			\
			e = dlerror();					\
			return (ossl_load_fail(lib, cause, "%s has no "	\
			    "function %s (imapadm was built against "	\
			    "OpenSSL %s): %s", ossl_load_soname[lib],	\
			    #name, OPENSSL_VERSION_STR,			\
			    e != NULL ? e : "unknown reason"));		\
		}							\
		sym_##name = (__typeof__(sym_##name))p;			\
	}
	OSSL_LOAD_SYMS
#undef X
	return (0);
}

int
ossl_load(enum ossl_lib lib, char **cause)
{
	void	*h;
	char	*e;

	if (cause != NULL)
		*cause = NULL;
	if (lib == OSSL_LIB_SSL && ossl_load(OSSL_LIB_CRYPTO, cause) != 0)
		return (-1);
	if (ossl_load_state[lib] == 1)
		return (0);
	if (ossl_load_state[lib] == -1) {
		if (cause != NULL)
			*cause = strdup(ossl_load_why[lib] != NULL ?
			    ossl_load_why[lib] : "out of memory");
		return (-1);
	}
	/*
	 * By soname alone: the system's library path (ld.so.cache), as the
	 * link would have found it. Never closed: OpenSSL pins itself and
	 * cleans up at exit.
	 */
	if ((h = dlopen(ossl_load_soname[lib], RTLD_NOW | RTLD_LOCAL)) ==
	    NULL) {
		e = dlerror();
		return (ossl_load_fail(lib, cause, "cannot load OpenSSL's %s "
		    "(Debian package libssl3): %s", ossl_load_soname[lib],
		    e != NULL ? e : "unknown reason"));
	}
	if (ossl_load_resolve(lib, h, cause) != 0)
		return (-1);
	ossl_load_state[lib] = 1;
	return (0);
}
