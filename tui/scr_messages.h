/* The message log: the last things the status line said, each in full. */
#ifndef IMAPADM_TUI_SCR_MESSAGES_H
#define IMAPADM_TUI_SCR_MESSAGES_H

#include "tui/tui.h"

extern const struct screen scr_messages;

#endif
