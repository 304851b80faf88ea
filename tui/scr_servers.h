/* Servers > Servers: the inventory with each server's IMAP4 state. */
#ifndef IMAPADM_TUI_SCR_SERVERS_H
#define IMAPADM_TUI_SCR_SERVERS_H

#include "tui/tui.h"

extern const struct screen scr_servers;

#endif
