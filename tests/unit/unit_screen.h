/* A curses screen on /dev/null, for unit tests of what the console draws
 * (no terminal: the windows are read back). Include after cmocka.h. */
#ifndef UNIT_SCREEN_H
#define UNIT_SCREEN_H

#include <stdio.h>

#include <curses.h>

struct unit_screen {
	SCREEN	*scr;
	FILE	*out, *in;
};

static inline void
unit_screen_open(struct unit_screen *u, const char *term)
{
	u->out = fopen("/dev/null", "w");
	u->in = fopen("/dev/null", "r");
	assert_non_null(u->out);
	assert_non_null(u->in);
	u->scr = newterm(term, u->out, u->in);
	assert_non_null(u->scr);
}

static inline void
unit_screen_close(struct unit_screen *u)
{
	endwin();
	delscreen(u->scr);
	fclose(u->out);
	fclose(u->in);
}

#endif
