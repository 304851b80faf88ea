/* vtdrive: run a command in a pseudo-terminal and drive it with the script
 * on stdin; exit 0 if every step held, 1 if one failed, 2 on bad usage. */

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtdrive.h"

#define MAIN_GRACE_MS	1000

static void	main_usage(FILE *);
static int	main_dump(const struct term *, const char *);

static void
main_usage(FILE *f)
{
	fputs("usage: vtdrive [--size COLSxROWS] [--term TERM] "
	    "[--timeout SECS] [--dump FILE]\n"
	    "               [--trace FILE]"
	    " -- command [args...] < script\n", f);
}

static int
main_dump(const struct term *t, const char *path)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "vtdrive: cannot write the screen to %s: %s\n",
		    path, strerror(errno));
		return (-1);
	}
	term_print(t, f, 0);
	if (fclose(f) != 0) {
		fprintf(stderr, "vtdrive: cannot write the screen to %s: %s\n",
		    path, strerror(errno));
		return (-1);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "size",	required_argument,	NULL, 's' },
		{ "term",	required_argument,	NULL, 'T' },
		{ "timeout",	required_argument,	NULL, 't' },
		{ "dump",	required_argument,	NULL, 'd' },
		{ "trace",	required_argument,	NULL, 'x' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	struct script	*s;
	struct term	 t;
	const char	*termname = "xterm-256color", *dump = NULL;
	const char	*trace = NULL;
	FILE		*tracef = NULL;
	char		*cause = NULL, *end;
	double		 timeout = 10;
	int		 cols = 80, rows = 24, ch, rc;

	/* A child that hangs up must not kill us through a pty write. */
	signal(SIGPIPE, SIG_IGN);

	/*
	 * The screen text is UTF-8 whatever the environment says, so waitre
	 * needs a UTF-8 LC_CTYPE for "─+" to mean characters, not bytes.
	 * The child's environment is left as it is.
	 */
	if (setlocale(LC_CTYPE, "") == NULL ||
	    strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");

	while ((ch = getopt_long(argc, argv, "+s:T:t:d:x:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 's':
			if (script_parse_size(optarg, &cols, &rows,
			    &cause) != 0) {
				fprintf(stderr, "vtdrive: --size: %s\n", cause);
				free(cause);
				return (2);
			}
			break;
		case 'T':
			if (*optarg == '\0') {
				fputs("vtdrive: --term needs a terminal name "
				    "such as xterm-256color\n", stderr);
				return (2);
			}
			termname = optarg;
			break;
		case 't':
			errno = 0;
			timeout = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || !(timeout >= 0.01) ||
			    timeout > 3600) {
				fprintf(stderr, "vtdrive: invalid --timeout "
				    "'%s': expected seconds from 0.01 to "
				    "3600\n", optarg);
				return (2);
			}
			break;
		case 'd':
			dump = optarg;
			break;
		case 'x':
			trace = optarg;
			break;
		case 'h':
			main_usage(stdout);
			return (0);
		default:
			main_usage(stderr);
			return (2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		fputs("vtdrive: no command to run\n", stderr);
		main_usage(stderr);
		return (2);
	}

	if ((s = script_read(stdin, timeout)) == NULL)
		return (2);
	if (trace != NULL && (tracef = fopen(trace, "w")) == NULL) {
		fprintf(stderr, "vtdrive: cannot write the trace to %s: %s\n",
		    trace, strerror(errno));
		script_free(s);
		return (2);
	}
	if (term_spawn(&t, cols, rows, termname, argv, &cause) != 0) {
		fprintf(stderr, "vtdrive: %s\n", cause);
		free(cause);
		script_free(s);
		term_free(&t);
		if (tracef != NULL)
			fclose(tracef);
		return (2);
	}
	t.trace = tracef;

	rc = script_run(s, &t) == 0 ? 0 : 1;
	if (dump != NULL) {
		term_drain(&t);
		if (main_dump(&t, dump) != 0 && rc == 0)
			rc = 2;
	}
	term_stop(&t, MAIN_GRACE_MS);
	term_free(&t);
	script_free(s);
	if (tracef != NULL && fclose(tracef) != 0) {
		fprintf(stderr, "vtdrive: cannot write the trace to %s: %s\n",
		    trace, strerror(errno));
		if (rc == 0)
			rc = 2;
	}
	return (rc);
}
