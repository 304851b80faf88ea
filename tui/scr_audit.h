/* The whole audit log of one server (arg: its identity), newest first, in a
 * virtual list. */
#ifndef IMAPADM_TUI_SCR_AUDIT_H
#define IMAPADM_TUI_SCR_AUDIT_H

#include "tui/tui.h"

extern const struct screen scr_audit;

#endif
