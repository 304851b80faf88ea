/* The help screen: the keys of the screen below, from its keymap tables. */
#ifndef IMAPADM_TUI_SCR_HELP_H
#define IMAPADM_TUI_SCR_HELP_H

#include "tui/tui.h"

struct scr_help_arg {
	const char		*name;		/* screen the help is for */
	const struct keymap	*const *keymaps; /* all its tables, or NULL */
	const struct keymap	*current;	/* the one in force */
};

extern const struct screen scr_help;

#endif
