/* The virtual list's directions as the store's windows name them, for the
 * screens whose list is a store window (Servers, the audit log). */
#ifndef TUI_VLIST_STORE_H
#define TUI_VLIST_STORE_H

#include "data/store.h"
#include "tui/widget_vlist.h"

static inline enum store_window_from
vlist_store_from(enum wvlist_from from)
{
	static const enum store_window_from table[] = {
		[WVLIST_FIRST] = STORE_WINDOW_FIRST,
		[WVLIST_LAST] = STORE_WINDOW_LAST,
		[WVLIST_AFTER] = STORE_WINDOW_AFTER,
		[WVLIST_BEFORE] = STORE_WINDOW_BEFORE,
		[WVLIST_AT] = STORE_WINDOW_AT
	};

	return (table[from]);
}

#endif
