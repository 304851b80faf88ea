/* OpenSSL's libraries opened with dlopen() the first time they are needed
 * (data/dl_load.c), their functions resolved from the one list in
 * ossl_load.h. */

#include <openssl/opensslv.h>

#include "data/dl_load.h"
#include "data/ossl_load.h"

/* The soname of the OpenSSL the headers are from. */
#define OSSL_LOAD_SO(lib)	lib ".so." DL_LOAD_STR(OPENSSL_SHLIB_VERSION)

#define X(lib, name)	__typeof__(name) *sym_##name;
OSSL_LOAD_SYMS
#undef X

/* Each of lib's functions in the list, or the first one missing. X cannot
 * see OSSL_LOAD_RESOLVE's argument, so the library it keeps is named by
 * ossl_resolve_lib, defined around each use. */
#define OSSL_LOAD_RESOLVE(lib)						\
static int								\
ossl_resolve_##lib(void *h, const char **missing)			\
{									\
	OSSL_LOAD_SYMS							\
	return (0);							\
}
#define X(l, name)							\
	if (OSSL_LIB_##l == ossl_resolve_lib)				\
		DL_LOAD_SYM(h, missing, name);
#define ossl_resolve_lib	OSSL_LIB_CRYPTO
OSSL_LOAD_RESOLVE(CRYPTO)
#undef ossl_resolve_lib
#define ossl_resolve_lib	OSSL_LIB_SSL
OSSL_LOAD_RESOLVE(SSL)
#undef ossl_resolve_lib
#undef X

#define OSSL_LOAD_LIB(lib, so) {					\
	.soname = OSSL_LOAD_SO(so),					\
	.what = "OpenSSL's " OSSL_LOAD_SO(so),				\
	.package = "libssl3",						\
	.built = "OpenSSL " OPENSSL_VERSION_STR,			\
	.resolve = ossl_resolve_##lib					\
}
static struct dl_lib	 ossl_load_libs[OSSL_LIB_COUNT] = {
	[OSSL_LIB_CRYPTO] = OSSL_LOAD_LIB(CRYPTO, "libcrypto"),
	[OSSL_LIB_SSL] = OSSL_LOAD_LIB(SSL, "libssl")
};

int
ossl_load(enum ossl_lib lib, char **cause)
{
	/* libssl needs libcrypto's functions too. Never closed: OpenSSL
	 * pins itself and cleans up at exit. */
	if (lib == OSSL_LIB_SSL && ossl_load(OSSL_LIB_CRYPTO, cause) != 0)
		return (-1);
	return (dl_load(&ossl_load_libs[lib], cause));
}
