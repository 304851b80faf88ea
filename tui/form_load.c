/* libformw opened on first use (see form_load.h). */
#include "data/dl_load.h"
#include "tui/form_load.h"

#define X(name)	__typeof__(name) *sym_##name;
FORM_LOAD_SYMS
#undef X

static int
form_resolve(void *h, const char **missing)
{
#define X(name)	DL_LOAD_SYM(h, missing, name);
	FORM_LOAD_SYMS
#undef X
	return (0);
}

/* The soname of the ncurses the headers are from, as the link took it. */
static struct dl_lib	 form_lib = {
	.soname = "libformw.so." DL_LOAD_STR(NCURSES_VERSION_MAJOR),
	.what = "ncurses' form library libformw.so."
	    DL_LOAD_STR(NCURSES_VERSION_MAJOR),
	.package = "libncursesw6",
	.built = "ncurses " NCURSES_VERSION,
	.resolve = form_resolve
};

int
form_load(char **cause)
{
	return (dl_load(&form_lib, cause));
}
