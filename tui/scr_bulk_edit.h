/* The IMAP4 time-outs of all the marked servers, edited at once. Pushed
 * with a struct scr_marked. */
#ifndef IMAPADM_TUI_SCR_BULK_EDIT_H
#define IMAPADM_TUI_SCR_BULK_EDIT_H

#include "tui/scr_marked.h"
#include "tui/tui.h"

extern const struct screen scr_bulk_edit;

#endif
