/* Server properties: General, IMAP4 (with the time-out settings) and Audit.
 * Pushed with the server identity (const char *) as argument. */
#ifndef IMAPADM_TUI_SCR_SERVER_H
#define IMAPADM_TUI_SCR_SERVER_H

#include "tui/tui.h"

extern const struct screen scr_server;

#endif
