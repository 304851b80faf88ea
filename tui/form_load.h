/* ncurses' form library (libformw), loaded the first time a form is made
 * (data/dl_load.c): the console's list and every verb start without
 * loading it. tui/widget_form.c is its one user. */
#ifndef IMAPADM_TUI_FORM_LOAD_H
#define IMAPADM_TUI_FORM_LOAD_H

#include <form.h>

/* Every libformw function imapadm calls, each called as sym_NAME once
 * form_load() succeeded. */
#define FORM_LOAD_SYMS							\
	X(field_buffer)							\
	X(field_opts_off)						\
	X(field_userptr)						\
	X(form_driver)							\
	X(free_field)							\
	X(free_form)							\
	X(move_field)							\
	X(new_field)							\
	X(new_fieldtype)						\
	X(new_form)							\
	X(pos_form_cursor)						\
	X(post_form)							\
	X(set_current_field)						\
	X(set_field_back)						\
	X(set_field_buffer)						\
	X(set_field_fore)						\
	X(set_field_type)						\
	X(set_field_userptr)						\
	X(set_form_sub)							\
	X(set_form_win)							\
	X(unpost_form)

#define X(name)	extern __typeof__(name) *sym_##name;
FORM_LOAD_SYMS
#undef X

/* Loads libformw and resolves its functions, once per process: 0, or -1
 * and *cause (allocated, or NULL when out of memory) naming the library
 * or the function and why. A failure is kept. */
int		 form_load(char **cause);

#endif
