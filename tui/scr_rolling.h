/* Rolling restart of the marked servers: parallelism and failure budget,
 * then live progress, one row per server. Pushed with a struct scr_marked. */
#ifndef IMAPADM_TUI_SCR_ROLLING_H
#define IMAPADM_TUI_SCR_ROLLING_H

#include "tui/scr_marked.h"
#include "tui/tui.h"

extern const struct screen scr_rolling;

#endif
