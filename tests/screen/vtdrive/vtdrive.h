/* vtdrive: run a program in a pseudo-terminal, type keys into it from a
 * script and check its screen as libvterm renders it (screen tests). */

#ifndef VTDRIVE_H
#define VTDRIVE_H

#include <sys/types.h>

#include <stdio.h>
#include <vterm.h>

/* The program under test and the terminal it draws on. */
struct term {
	int		 fd;		/* pty master, non-blocking */
	pid_t		 pid;
	int		 reaped;	/* waitpid has returned the child */
	int		 status;	/* its wait status, once reaped */
	int		 eof;		/* the pty has hung up: no more output */
	int		 werr;		/* errno of a failed write, or 0 */
	VTerm		*vt;
	VTermScreen	*vs;
	int		 rows;
	int		 cols;
	unsigned long	 bytes;		/* received since bytes_reset */
	FILE		*trace;		/* copy of all output, or NULL */
	char		*out;		/* bytes queued for the child */
	size_t		 outlen;
	size_t		 outsize;
};

/* One piece of a `send`: literal bytes or a key vterm encodes. */
enum keys_kind {
	KEYS_BYTES,
	KEYS_KEY
};

struct keys_tok {
	enum keys_kind	 kind;
	char		*bytes;
	size_t		 len;
	VTermKey	 key;
	VTermModifier	 mod;
};

struct keys_seq {
	struct keys_tok	*tok;
	size_t		 n;
};

/* xmalloc.c */
void		*xmalloc(size_t);
void		*xrealloc(void *, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);
char		*xasprintf(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

/* keys.c */
int		 keys_parse(const char *, int, struct keys_seq *, char **);
int		 keys_unescape(const char *, char **, char **);
void		 keys_free(struct keys_seq *);

/* term.c */
double		 term_now(void);
int		 term_spawn(struct term *, int, int, const char *,
		     char *const [], char **);
int		 term_pump(struct term *, int);
void		 term_drain(struct term *);
void		 term_settle(struct term *, int, double);
void		 term_queue(struct term *, const char *, size_t);
void		 term_send_keys(struct term *, const struct keys_seq *);
int		 term_flush(struct term *, double);
void		 term_resize(struct term *, int, int);
int		 term_reap(struct term *, int);
char		*term_row(const struct term *, int, int **);
char		*term_text(const struct term *);
int		 term_attrs(const struct term *, int, int,
		     VTermScreenCellAttrs *);
void		 term_print(const struct term *, FILE *, int);
void		 term_stop(struct term *, int);
void		 term_free(struct term *);

/* script.c */
struct script;
struct script	*script_read(FILE *, double);
void		 script_free(struct script *);
int		 script_run(struct script *, struct term *);
int		 script_parse_size(const char *, int *, int *, char **);

#endif
