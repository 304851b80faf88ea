/* Server properties: General, IMAP4 (with the time-out settings) and Audit.
 * Pushed with the server identity (const char *) as argument. */
#ifndef IMAPADM_TUI_SCR_SERVER_H
#define IMAPADM_TUI_SCR_SERVER_H

#include "tui/tui.h"

extern const struct screen scr_server;

/* Push the page of identity asking at once whether to restart its IMAP4
 * service, as after a save; it closes once done. -1 if it cannot open. */
int	 scr_server_push_restart(struct tui *, const char *identity);

#endif
