/* The scriptable command line: verbs that mirror the Exchange shell. */
#ifndef IMAPADM_CORE_CLI_H
#define IMAPADM_CORE_CLI_H

struct app;

/* Starts the console; given by the front end so core never links ncurses. */
typedef int (*cli_console_fn)(struct app *);

/* Parse global options (--db, --config, --help, --version), open the app and
 * run the verb, or the console when there is none. Returns the exit status. */
int	 cli_main(int argc, char **argv, cli_console_fn console);

#endif
