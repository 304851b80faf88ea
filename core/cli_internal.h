/* Private to the command-line files: the verb table entry, parsed
 * arguments, and the error and output helpers the verbs share. */
#ifndef IMAPADM_CORE_CLI_INTERNAL_H
#define IMAPADM_CORE_CLI_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "core/settings.h"

struct app;
struct store_server;

/* Exit statuses. */
#define CLI_EXIT_OK	0
#define CLI_EXIT_FAIL	1	/* refused operation, bad value, failed step */
#define CLI_EXIT_USAGE	2	/* the command line itself is wrong */

/* Parameter flags. */
#define CLI_REQUIRED	0x1	/* must be given */
#define CLI_POSITIONAL	0x2	/* may be given bare, without its name */
#define CLI_SWITCH	0x4	/* takes no value */

#define CLI_MAX_PARAMS	12

struct cli_param {
	const char	*name;		/* "Identity", matched case-insensitively */
	const char	*arg;		/* value placeholder in usage; NULL: switch */
	int		 flags;
	const char	*help;
};

/* Verb flags. */
#define CLI_VERB_SETTINGS 0x1	/* takes -<Name> for each settings_table row,
				   at least one */
#define CLI_VERB_NOAPP	  0x2	/* runs without opening the database */
#define CLI_VERB_CSV	  0x4	/* -Format also takes csv */

enum cli_format {
	CLI_FORMAT_LIST,
	CLI_FORMAT_TABLE,
	CLI_FORMAT_JSON,
	CLI_FORMAT_CSV
};

struct cli_args;

/* One verb: like tmux's cmd_entry, the table is the single source for
 * dispatch, parameter parsing, usage and help. */
struct cli_verb {
	const char	*name;		/* "get-imapsettings" */
	int		(*exec)(struct app *, const struct cli_args *);
	const char	*usage;		/* one line, what it does */
	const char	*help;		/* longer text for `imapadm help VERB` */
	const struct cli_param *params;	/* terminated by a NULL name */
	int		 flags;
	enum cli_format	 format;	/* default when it takes -Format */
};

struct cli_args {
	const struct cli_verb *verb;
	const char	*value[CLI_MAX_PARAMS];	/* by params index; switch: "" */
	const char	*setting[SETTING_COUNT];	/* CLI_VERB_SETTINGS only */
	enum cli_format	 format;
};

/* cli_verbs.c */
extern const struct cli_verb cli_verbs[];
extern const size_t cli_nverbs;

/* cli.c */
void	 cli_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 cli_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
const char *cli_value(const struct cli_args *, const char *name);
const char *cli_dashes(const char *name);	/* "-" or "--" for display */
const struct cli_verb *cli_find_verb(const char *name);
int	 cli_may_edit(struct app *, const char *what);
int	 cli_may_view(struct app *);
/* Case-insensitive edit distance; close enough to suggest as a typo fix. */
int	 cli_distance(const char *, const char *);
int	 cli_close_enough(const char *typed, const char *name);

/* cli_help.c */
void	 cli_help_usage(FILE *);
int	 cli_help_verb(const struct cli_verb *, FILE *);
int	 cli_help_exec(struct app *, const struct cli_args *);

/* cli_server.c */
int	 cli_server_find(struct app *, const char *identity,
	     struct store_server *);
int	 cli_server_has_role(const struct store_server *, const char *role);
/* "no server X; did you mean ..." for an identity that is not there. */
void	 cli_server_unknown(struct app *, const char *identity);
int	 cli_server_get(struct app *, const struct cli_args *);
int	 cli_server_new(struct app *, const struct cli_args *);
int	 cli_server_remove(struct app *, const struct cli_args *);

/* A server's columns in this order: new-server's parameters, get-server's
 * columns, the CSV header of get-server --format csv and import-servers. */
enum {
	CLI_SERVER_IDENTITY,
	CLI_SERVER_FQDN,
	CLI_SERVER_ROLES,
	CLI_SERVER_SITE,
	CLI_SERVER_PROFILE,
	CLI_SERVER_NCOLUMNS
};
extern const char *const cli_server_columns[CLI_SERVER_NCOLUMNS];
/* One bad value: its column, the value as given, what is allowed. */
typedef void (*cli_server_bad_fn)(void *, const char *column,
    const char *value, const char *allowed);
/*
 * new-server's checks of a server given as its columns (NULL: not given;
 * Site then defaults to the config's, Profile to none). Fills *out with
 * borrowed strings (roles in their fixed form), calls bad for every bad
 * value and returns how many there were. Does not look in the store.
 */
size_t	 cli_server_validate(struct app *, const char *const in[],
	     struct store_server *out, cli_server_bad_fn, void *arg);

/* cli_import.c */
int	 cli_import_servers(struct app *, const struct cli_args *);

/* cli_audit.c */
int	 cli_audit_get(struct app *, const struct cli_args *);

/* cli_imap4.c */
int	 cli_imap4_get(struct app *, const struct cli_args *);
int	 cli_imap4_set(struct app *, const struct cli_args *);
int	 cli_imap4_restart(struct app *, const struct cli_args *);

/* cli_select.c: the servers -Identity/-Server and -Site name. */
struct cli_selection {
	struct store_server *servers;	/* client access servers, in order */
	size_t		 n;
};
int	 cli_select(struct app *, const struct cli_args *,
	     struct cli_selection *);
int	 cli_select_is_bulk(const struct cli_args *);	/* list, wildcard, site */
void	 cli_selection_free(struct cli_selection *);

/* cli_whatif.c: -WhatIf and -Confirm. */
int	 cli_whatif_restart(struct app *, const struct cli_args *);
int	 cli_confirm(const struct cli_args *, const char *what, size_t n);

/* cli_rolling.c: restart-imapservice over many servers. */
#define CLI_ROLLING_PARALLEL	 4	/* -Parallel's default */
#define CLI_ROLLING_MAX_PARALLEL 256
int	 cli_rolling_restart(struct app *, char *const *identities, size_t n,
	     int parallel, int max_failures, int reload);
int	 cli_rolling_verb(struct app *, const struct cli_args *);
/* A whole number in [lo, hi] given as -name (def when not given); -1 after
 * saying what is allowed. */
int	 cli_number(const struct cli_args *, const char *name, long lo, long hi,
	     long def, long *out);

/* cli_probe.c */
int	 cli_probe_test(struct app *, const struct cli_args *);

/* cli_out.c: the output forms. A table streams: its column widths are
 * known before the first row (the store's max(length()) of each column,
 * or a bound of what the column can hold), so no row is kept. */
#define CLI_OUT_MAXCOLS	16
/* A listing's stdout: fully buffered in blocks of this many bytes, also on
 * a terminal (one write(2) per block, not per line). Call before anything
 * is written to it. */
#define CLI_OUT_BUFSIZE	(64 * 1024)
void	 cli_out_buffer(FILE *);
struct cli_out_cols {
	size_t	 n;
	size_t	 width[CLI_OUT_MAXCOLS];
};
/* Print the header row; each width is the header's or min[i] if wider
 * (min may be NULL). */
void	 cli_out_table_begin(FILE *, struct cli_out_cols *, size_t n,
	     const char *const *headers, const size_t *min);
/* One row (NULL cells are empty), padded up to its last non-empty cell. */
void	 cli_out_table_row(FILE *, const struct cli_out_cols *,
	     const char *const *cells);
/* A short table kept whole, its widths measured when it is printed (a
 * summary of a few rows; listings stream). */
struct cli_out_table;
struct cli_out_table *cli_out_table_new(size_t ncols, const char *const *headers);
void	 cli_out_table_add(struct cli_out_table *, const char *const *cells);
void	 cli_out_table_print(struct cli_out_table *, FILE *);
void	 cli_out_table_free(struct cli_out_table *);
/* One format-list block: labels aligned to width, "Label : value". */
void	 cli_out_list(FILE *, int width, size_t n, const char *const *labels,
	     const char *const *values);
void	 cli_out_json_string(FILE *, const char *);	/* NULL: null */
void	 cli_out_json_range(FILE *, const char *, size_t len);
/* One CSV field (RFC 4180), quoted only if it needs it; then ',' or, for
 * the last of a record, '\n'. Control codes are shown as '?'. */
void	 cli_out_csv_field(FILE *, const char *, int last);
size_t	 cli_out_width(const char *);			/* columns of UTF-8 */
int	 cli_out_printable(const char *);
size_t	 cli_out_safe(FILE *, const char *, size_t);	/* columns */

#endif
