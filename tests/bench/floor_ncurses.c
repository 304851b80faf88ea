/* The floor for tests/bench/console.sh: the least a curses program can do
 * to show a list at 80x24 (a title and 23 rows, each as wide as the
 * console's, the selection in reverse) and move through it with Up, Down,
 * PgUp, PgDn, Home and End. Rows are made from their number: no data. */
#include <curses.h>
#include <locale.h>
#include <stdlib.h>

#define FLOOR_ROWS	23

static long	floor_total = 100000;

/* Not inlined, and without the refresh: console.sh's callgrind count stops
 * after it, as it stops after the console's scr_servers_draw. */
__attribute__((noinline)) static void
floor_draw(long top, long sel)
{
	long	i, pos;

	mvprintw(0, 1, "floor: %ld rows", floor_total);
	clrtoeol();
	for (i = 0; i < FLOOR_ROWS; i++) {
		pos = top + i;
		move((int)i + 1, 0);
		if (pos == sel)
			attrset(A_REVERSE);
		/* The console's row: the mark, then 78 columns. */
		printw("%c CAS%05ld    ClientAccess             cas01        "
		    "%-28s", pos == sel ? '>' : ' ', pos,
		    "unknown: never pushed");
		attrset(A_NORMAL);
		clrtoeol();
	}
}

int
main(int argc, char **argv)
{
	long	top = 0, sel = 0, h = FLOOR_ROWS;
	int	ch;

	if (argc > 1)
		floor_total = atol(argv[1]) > 0 ? atol(argv[1]) : 1;
	setlocale(LC_ALL, "");
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	for (;;) {
		floor_draw(top, sel);
		refresh();
		if ((ch = getch()) == 'q' || ch == ERR)
			break;
		switch (ch) {
		case KEY_UP:
			sel = sel > 0 ? sel - 1 : 0;
			break;
		case KEY_DOWN:
			sel = sel + 1 < floor_total ? sel + 1 : sel;
			break;
		case KEY_PPAGE:
			top = top > h ? top - h : 0;
			sel = sel > h ? sel - h : 0;
			break;
		case KEY_NPAGE:
			top = top + h < floor_total - h ? top + h :
			    floor_total - h;
			sel = sel + h < floor_total ? sel + h : floor_total - 1;
			break;
		case KEY_HOME:
			top = sel = 0;
			break;
		case KEY_END:
			sel = floor_total - 1;
			top = floor_total > h ? floor_total - h : 0;
			break;
		}
		if (top < 0)
			top = 0;
		if (sel < top)
			top = sel;
		if (sel >= top + h)
			top = sel - h + 1;
	}
	endwin();
	return (0);
}
