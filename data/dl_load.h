/* A library opened with dlopen() the first time it is needed instead of
 * linked, so that runs which never use it skip its load and relocation:
 * OpenSSL (data/ossl_load.c), ncurses' form library (tui/form_load.c). The
 * pattern of systemd's dlopen_many_sym_or_warn: each user lists its
 * functions once and resolves them into sym_NAME pointers of the real
 * prototype's type. */
#ifndef IMAPADM_DATA_DL_LOAD_H
#define IMAPADM_DATA_DL_LOAD_H

#include <dlfcn.h>

struct dl_lib {
	const char	*soname;	/* looked up as the link would */
	const char	*what;		/* how messages name it */
	const char	*package;	/* the Debian package that has it */
	const char	*built;		/* what imapadm was built against */
	/* Each function into its sym_ pointer: 0, or -1 and *missing. */
	int		(*resolve)(void *handle, const char **missing);
	int		 state;		/* 0 not tried, 1 loaded, -1 failed */
	char		*why;		/* the failure, kept for later calls */
};

/* A macro's value as a string: a soname from a header's version number. */
#define DL_LOAD_STR(x)		DL_LOAD_STR2(x)
#define DL_LOAD_STR2(x)		#x

/* In a resolve function: NAME from handle H into sym_NAME, or fail. */
#define DL_LOAD_SYM(h, missing, name) do {				\
	if ((sym_##name = (__typeof__(sym_##name))dlsym((h), #name)) ==	\
	    NULL) {							\
		*(missing) = #name;					\
		return (-1);						\
	}								\
} while (0)

/*
 * Loads lib by its soname from the system's library path and resolves its
 * functions, once per process: 0, or -1 and *cause (allocated; NULL when
 * out of memory) naming the library or the function and dlerror()'s reason.
 * A failure is kept: later calls return it again without retrying. The
 * library is never closed. The console and the CLI load from their one
 * thread.
 */
int		 dl_load(struct dl_lib *, char **cause);

#endif
