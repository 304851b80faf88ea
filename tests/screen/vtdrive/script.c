/* The script vtdrive reads on stdin: parsed whole before the program
 * starts, so a typo fails at once, then run line by line. */

#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vtdrive.h"

#define SCRIPT_SETTLE_MS	100
#define SCRIPT_MAX_COLS		1000
#define SCRIPT_MAX_ROWS		1000

enum script_op {
	OP_SEND,
	OP_WAIT,
	OP_WAITRE,
	OP_GONE,
	OP_ROW,
	OP_ATTR,
	OP_EXPECT_NOT,
	OP_RESIZE,
	OP_SCREEN,
	OP_SIGNAL,
	OP_EXIT,
	OP_TIMEOUT,
	OP_SETTLE,
	OP_BYTES_RESET,
	OP_BYTES_MAX,
	OP_MARK,
	OP_BYTES,
	OP_RSS,
	OP_WRITES_MAX,
	OP_WRITES
};

/* How the argument of each command is read. */
enum script_arg {
	ARG_NONE,
	ARG_KEYS,	/* text with escapes and <Key> names */
	ARG_KEYLINE,	/* the same, then Enter */
	ARG_KEYNAMES,	/* Key names separated by blanks */
	ARG_TEXT,	/* text with escapes */
	ARG_REGEX,
	ARG_ROW,	/* N TEXT */
	ARG_ATTR,	/* TEXT [!]ATTR */
	ARG_SIZE,
	ARG_SIGNAL,
	ARG_EXIT,
	ARG_SECS,
	ARG_MS,
	ARG_COUNT
};

struct script_cmdent {
	const char	*name;
	enum script_op	 op;
	enum script_arg	 arg;
};

static const struct script_cmdent script_cmds[] = {
	{ "send",	OP_SEND,	ARG_KEYS },
	{ "sendline",	OP_SEND,	ARG_KEYLINE },
	{ "key",	OP_SEND,	ARG_KEYNAMES },
	{ "wait",	OP_WAIT,	ARG_TEXT },
	{ "waitre",	OP_WAITRE,	ARG_REGEX },
	{ "gone",	OP_GONE,	ARG_TEXT },
	{ "row",	OP_ROW,		ARG_ROW },
	{ "attr",	OP_ATTR,	ARG_ATTR },
	{ "expect_not",	OP_EXPECT_NOT,	ARG_TEXT },
	{ "resize",	OP_RESIZE,	ARG_SIZE },
	{ "screen",	OP_SCREEN,	ARG_NONE },
	{ "signal",	OP_SIGNAL,	ARG_SIGNAL },
	{ "exit",	OP_EXIT,	ARG_EXIT },
	{ "timeout",	OP_TIMEOUT,	ARG_SECS },
	{ "settle",	OP_SETTLE,	ARG_MS },
	{ "bytes_reset", OP_BYTES_RESET, ARG_NONE },
	{ "bytes_max",	OP_BYTES_MAX,	ARG_COUNT },
	/* Write system calls the program made since bytes_reset (its
	 * /proc/PID/io): how many pieces, and over ssh packets, an update
	 * went out in. */
	{ "writes_max",	OP_WRITES_MAX,	ARG_COUNT },
	/* For benchmarks (tests/bench/console.sh), printed on stdout:
	 * microseconds since the last mark (or the start), the bytes since
	 * bytes_reset once output settles, the program's peak RSS. */
	{ "mark",	OP_MARK,	ARG_TEXT },
	{ "bytes",	OP_BYTES,	ARG_TEXT },
	{ "rss",	OP_RSS,		ARG_TEXT },
	{ "writes",	OP_WRITES,	ARG_TEXT },
};

struct script_sig {
	const char	*name;
	int		 sig;
};

static const struct script_sig script_sigs[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },
	{ "WINCH", SIGWINCH },
};

enum script_attr {
	ATTR_BOLD,
	ATTR_UNDERLINE,
	ATTR_ITALIC,
	ATTR_BLINK,
	ATTR_REVERSE,
	ATTR_STRIKE
};

static const char *script_attrs[] = {
	"bold", "underline", "italic", "blink", "reverse", "strike"
};

struct script_cmd {
	int		 line;
	enum script_op	 op;
	char		*shown;		/* the argument as written */
	char		*text;
	struct keys_seq	 keys;
	regex_t		 re;
	int		 has_re;
	int		 n;		/* row, signal, exit code, attribute */
	int		 neg;		/* !attr; exit by signal */
	int		 has_n;
	int		 cols;
	int		 rows;
	double		 secs;
	unsigned long	 count;
};

struct script {
	struct script_cmd	*cmds;
	size_t			 ncmds;
	double			 timeout;
	int			 settle_ms;
	double			 mark;		/* term_now() of the last mark */
	long			 writes;	/* syscw at bytes_reset */
};

static int	script_parse_line(struct script_cmd *, char *, char **);
static char	*script_unquote(const char *);
static int	script_parse_int(const char *, long, long, long *);
static int	script_parse_signal(const char *, int *);
static const char *script_signame(int);
static char	*script_show(const char *);
static char	*script_status(int);
static int	script_fail(struct script *, struct term *,
		    const struct script_cmd *, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static int	script_check(struct term *, const struct script_cmd *);
static int	script_attr_on(struct term *, int, int,
		    const struct script_cmd *);
static int	script_syscw(struct script *, struct term *,
		    const struct script_cmd *, long *);
static int	script_rss(struct script *, struct term *,
		    const struct script_cmd *);
static int	script_wait(struct script *, struct term *,
		    const struct script_cmd *);
static int	script_exit(struct script *, struct term *,
		    const struct script_cmd *);

/* A quoted argument keeps its blanks: "  x  ". */
static char *
script_unquote(const char *s)
{
	size_t	len = strlen(s);

	if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
		return (xstrndup(s + 1, len - 2));
	return (xstrdup(s));
}

static int
script_parse_int(const char *s, long min, long max, long *out)
{
	char	*end;
	long	 n;

	if (*s == '\0' || isspace((unsigned char)*s))
		return (-1);
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return (-1);
	*out = n;
	return (0);
}

int
script_parse_size(const char *s, int *cols, int *rows, char **cause)
{
	const char	*x;
	char		*c;
	long		 n1, n2;
	int		 bad;

	if ((x = strchr(s, 'x')) == NULL)
		bad = 1;
	else {
		c = xstrndup(s, x - s);
		bad = script_parse_int(c, 2, SCRIPT_MAX_COLS, &n1) != 0 ||
		    script_parse_int(x + 1, 2, SCRIPT_MAX_ROWS, &n2) != 0;
		free(c);
	}
	if (bad) {
		*cause = xasprintf("invalid size '%s': expected COLSxROWS such "
		    "as 80x24, with 2-%d columns and 2-%d rows", s,
		    SCRIPT_MAX_COLS, SCRIPT_MAX_ROWS);
		return (-1);
	}
	*cols = (int)n1;
	*rows = (int)n2;
	return (0);
}

static int
script_parse_signal(const char *s, int *sig)
{
	size_t	i;
	long	n;

	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof script_sigs / sizeof script_sigs[0]; i++) {
		if (strcasecmp(s, script_sigs[i].name) == 0) {
			*sig = script_sigs[i].sig;
			return (0);
		}
	}
	if (script_parse_int(s, 1, 64, &n) == 0) {
		*sig = (int)n;
		return (0);
	}
	return (-1);
}

static const char *
script_signame(int sig)
{
	size_t	i;

	for (i = 0; i < sizeof script_sigs / sizeof script_sigs[0]; i++) {
		if (script_sigs[i].sig == sig)
			return (script_sigs[i].name);
	}
	return ("?");
}

/* Text as it goes into a message: control characters escaped. */
static char *
script_show(const char *s)
{
	char	*out, *p;

	out = p = xmalloc(strlen(s) * 4 + 1);
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			p += sprintf(p, "\\n");
		else if (*s == '\t')
			p += sprintf(p, "\\t");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			p += sprintf(p, "\\x%02x", (unsigned char)*s);
		else
			*p++ = *s;
	}
	*p = '\0';
	return (out);
}

static char *
script_status(int status)
{
	if (WIFEXITED(status))
		return (xasprintf("exited with status %d",
		    WEXITSTATUS(status)));
	if (WIFSIGNALED(status))
		return (xasprintf("was killed by SIG%s (signal %d)",
		    script_signame(WTERMSIG(status)), WTERMSIG(status)));
	return (xasprintf("ended with wait status %#x", status));
}

/* Split "cmd arg" and read the argument as the command wants it. */
static int
script_parse_line(struct script_cmd *c, char *line, char **cause)
{
	const struct script_cmdent	*ent = NULL;
	char				*arg, *end, *last, *word, *tmp;
	size_t				 i, len;
	long				 n;
	int				 j;

	len = strcspn(line, " \t");
	arg = line + len;
	arg += strspn(arg, " \t");
	line[len] = '\0';
	end = arg + strlen(arg);
	while (end > arg && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';

	for (i = 0; i < sizeof script_cmds / sizeof script_cmds[0]; i++) {
		if (strcmp(script_cmds[i].name, line) == 0)
			ent = &script_cmds[i];
	}
	if (ent == NULL) {
		*cause = xasprintf("unknown command '%s': expected send, "
		    "sendline, key, wait, waitre, gone, row, attr, expect_not, "
		    "resize, screen, signal, exit, timeout, settle, "
		    "bytes_reset, bytes_max, writes_max, mark, bytes, rss or "
		    "writes", line);
		return (-1);
	}
	c->op = ent->op;
	c->shown = xstrdup(arg);

	if (ent->arg == ARG_NONE || ent->arg == ARG_EXIT) {
		if (ent->arg == ARG_NONE && *arg != '\0') {
			*cause = xasprintf("%s takes no argument, got '%s'",
			    ent->name, arg);
			return (-1);
		}
		if (*arg == '\0')
			return (0);
	} else if (*arg == '\0') {
		*cause = xasprintf("%s needs an argument", ent->name);
		return (-1);
	}

	switch (ent->arg) {
	case ARG_NONE:
		break;
	case ARG_KEYS:
	case ARG_KEYLINE:
		tmp = script_unquote(arg);
		if (ent->arg == ARG_KEYLINE) {
			word = xasprintf("%s<Enter>", tmp);
			free(tmp);
			tmp = word;
		}
		j = keys_parse(tmp, 1, &c->keys, cause);
		free(tmp);
		return (j);
	case ARG_KEYNAMES:
		tmp = xstrdup("");
		for (word = strtok(arg, " \t"); word != NULL;
		    word = strtok(NULL, " \t")) {
			len = strlen(word);
			if (len > 2 && word[0] == '<' && word[len - 1] == '>')
				last = xasprintf("%s%s", tmp, word);
			else
				last = xasprintf("%s<%s>", tmp, word);
			free(tmp);
			tmp = last;
		}
		j = keys_parse(tmp, 1, &c->keys, cause);
		free(tmp);
		return (j);
	case ARG_TEXT:
		tmp = script_unquote(arg);
		j = keys_unescape(tmp, &c->text, cause);
		free(tmp);
		if (j == 0 && *c->text == '\0') {
			*cause = xasprintf("%s needs non-empty text", ent->name);
			return (-1);
		}
		return (j);
	case ARG_REGEX:
		c->text = script_unquote(arg);
		if ((j = regcomp(&c->re, c->text, REG_EXTENDED | REG_NOSUB))
		    != 0) {
			char	 msg[256];

			regerror(j, &c->re, msg, sizeof msg);
			*cause = xasprintf("bad regular expression '%s': %s",
			    c->text, msg);
			return (-1);
		}
		c->has_re = 1;
		return (0);
	case ARG_ROW:
		len = strcspn(arg, " \t");
		word = xstrndup(arg, len);
		j = script_parse_int(word, -SCRIPT_MAX_ROWS,
		    SCRIPT_MAX_ROWS - 1, &n);
		if (j != 0 || arg[len] == '\0') {
			*cause = xasprintf("row needs a row number and text, "
			    "got '%s' (rows count from 0; -1 is the last)",
			    arg);
			free(word);
			return (-1);
		}
		free(word);
		c->n = (int)n;
		tmp = script_unquote(arg + len + strspn(arg + len, " \t"));
		j = keys_unescape(tmp, &c->text, cause);
		free(tmp);
		return (j);
	case ARG_ATTR:
		last = strrchr(arg, ' ');
		if ((word = strrchr(arg, '\t')) != NULL &&
		    (last == NULL || word > last))
			last = word;
		if (last == NULL) {
			*cause = xasprintf("attr needs text and an attribute, "
			    "got '%s'", arg);
			return (-1);
		}
		*last++ = '\0';
		if (*last == '!') {
			c->neg = 1;
			last++;
		}
		c->n = -1;
		for (i = 0; i < sizeof script_attrs / sizeof script_attrs[0];
		    i++) {
			if (strcmp(script_attrs[i], last) == 0)
				c->n = (int)i;
		}
		if (c->n == -1) {
			*cause = xasprintf("unknown attribute '%s': expected "
			    "bold, underline, italic, blink, reverse or strike, "
			    "optionally after !", last);
			return (-1);
		}
		end = last - 1;
		while (end > arg && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		tmp = script_unquote(arg);
		j = keys_unescape(tmp, &c->text, cause);
		free(tmp);
		if (j == 0 && *c->text == '\0') {
			*cause = xstrdup("attr needs non-empty text");
			return (-1);
		}
		return (j);
	case ARG_SIZE:
		return (script_parse_size(arg, &c->cols, &c->rows, cause));
	case ARG_SIGNAL:
		if (script_parse_signal(arg, &c->n) != 0) {
			*cause = xasprintf("unknown signal '%s': expected a "
			    "name such as TERM, HUP or INT, or a number 1-64",
			    arg);
			return (-1);
		}
		return (0);
	case ARG_EXIT:
		c->has_n = 1;
		if (script_parse_int(arg, 0, 255, &n) == 0) {
			c->n = (int)n;
			return (0);
		}
		if (script_parse_signal(arg, &c->n) == 0 &&
		    !isdigit((unsigned char)*arg)) {
			c->neg = 1;
			return (0);
		}
		*cause = xasprintf("invalid exit status '%s': expected 0-255 or "
		    "a signal name such as SIGTERM", arg);
		return (-1);
	case ARG_SECS:
		errno = 0;
		c->secs = strtod(arg, &end);
		if (errno != 0 || *end != '\0' || !(c->secs >= 0.01) ||
		    c->secs > 3600) {
			*cause = xasprintf("invalid timeout '%s': expected "
			    "seconds from 0.01 to 3600", arg);
			return (-1);
		}
		return (0);
	case ARG_MS:
		if (script_parse_int(arg, 1, 10000, &n) != 0) {
			*cause = xasprintf("invalid settle time '%s': expected "
			    "milliseconds from 1 to 10000", arg);
			return (-1);
		}
		c->n = (int)n;
		return (0);
	case ARG_COUNT:
		if (script_parse_int(arg, 0, LONG_MAX, &n) != 0) {
			*cause = xasprintf("invalid count '%s': expected "
			    "a number from 0", arg);
			return (-1);
		}
		c->count = (unsigned long)n;
		return (0);
	}
	return (0);
}

/* Read and check the whole script; NULL after printing what is wrong. */
struct script *
script_read(FILE *f, double timeout)
{
	struct script		*s;
	struct script_cmd	*c;
	char			*line = NULL, *p, *cause = NULL;
	size_t			 size = 0, len;
	ssize_t			 n;
	int			 lineno = 0, errors = 0;

	s = xmalloc(sizeof *s);
	s->timeout = timeout;
	s->settle_ms = SCRIPT_SETTLE_MS;
	while ((n = getline(&line, &size, f)) != -1) {
		lineno++;
		len = (size_t)n;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		p = line + strspn(line, " \t");
		if (*p == '\0' || *p == '#')
			continue;
		s->cmds = xrealloc(s->cmds, (s->ncmds + 1) * sizeof *s->cmds);
		c = &s->cmds[s->ncmds++];
		memset(c, 0, sizeof *c);
		c->line = lineno;
		if (script_parse_line(c, p, &cause) != 0) {
			fprintf(stderr, "vtdrive: line %d: %s\n", lineno, cause);
			free(cause);
			cause = NULL;
			errors++;
		}
	}
	free(line);
	if (ferror(f)) {
		fprintf(stderr, "vtdrive: reading the script: %s\n",
		    strerror(errno));
		errors++;
	}
	if (errors != 0) {
		script_free(s);
		return (NULL);
	}
	return (s);
}

void
script_free(struct script *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncmds; i++) {
		free(s->cmds[i].shown);
		free(s->cmds[i].text);
		keys_free(&s->cmds[i].keys);
		if (s->cmds[i].has_re)
			regfree(&s->cmds[i].re);
	}
	free(s->cmds);
	free(s);
}

static int
script_fail(struct script *s, struct term *t, const struct script_cmd *c,
    const char *fmt, ...)
{
	va_list	 ap;

	fflush(stdout);
	fprintf(stderr, "vtdrive: line %d: ", c->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	term_print(t, stderr, 1);
	return (-1);
}

static int
script_attr_on(struct term *t, int row, int col, const struct script_cmd *c)
{
	VTermScreenCellAttrs	a;
	int			on;

	if (term_attrs(t, row, col, &a) != 0)
		return (0);
	switch ((enum script_attr)c->n) {
	case ATTR_BOLD:
		on = a.bold;
		break;
	case ATTR_UNDERLINE:
		on = a.underline != 0;
		break;
	case ATTR_ITALIC:
		on = a.italic;
		break;
	case ATTR_BLINK:
		on = a.blink;
		break;
	case ATTR_REVERSE:
		on = a.reverse;
		break;
	case ATTR_STRIKE:
		on = a.strike;
		break;
	default:
		on = 0;
		break;
	}
	return (c->neg ? !on : on);
}

/* Is the condition of a waiting command true of the screen now? */
static int
script_check(struct term *t, const struct script_cmd *c)
{
	char	*text, *p;
	int	*map, r, found = 0;

	switch (c->op) {
	case OP_WAIT:
	case OP_GONE:
	case OP_EXPECT_NOT:
		text = term_text(t);
		found = strstr(text, c->text) != NULL;
		free(text);
		return (c->op == OP_WAIT ? found : !found);
	case OP_WAITRE:
		for (r = 0; r < t->rows && !found; r++) {
			text = term_row(t, r, NULL);
			found = regexec(&c->re, text, 0, NULL, 0) == 0;
			free(text);
		}
		return (found);
	case OP_ROW:
		r = c->n < 0 ? t->rows + c->n : c->n;
		if (r < 0 || r >= t->rows)
			return (0);
		text = term_row(t, r, NULL);
		found = strstr(text, c->text) != NULL;
		free(text);
		return (found);
	case OP_ATTR:
		for (r = 0; r < t->rows && !found; r++) {
			text = term_row(t, r, &map);
			for (p = strstr(text, c->text); p != NULL && !found;
			    p = strstr(p + 1, c->text))
				found = script_attr_on(t, r, map[p - text], c);
			free(map);
			free(text);
		}
		return (found);
	default:
		return (1);
	}
}

static int
script_wait(struct script *s, struct term *t, const struct script_cmd *c)
{
	double	 deadline = term_now() + s->timeout;
	char	*what, *shown;
	int	 ms, r;

	for (;;) {
		term_drain(t);
		if (script_check(t, c))
			return (0);
		ms = (int)((deadline - term_now()) * 1000.0);
		if (ms <= 0 || t->eof)
			break;
		term_pump(t, ms);
	}

	shown = script_show(c->text);
	switch (c->op) {
	case OP_WAITRE:
		what = xasprintf("a row matching /%s/", shown);
		break;
	case OP_GONE:
		what = xasprintf("'%s' to go", shown);
		break;
	case OP_ROW:
		r = c->n < 0 ? t->rows + c->n : c->n;
		if (r < 0 || r >= t->rows) {
			script_fail(s, t, c, "row %d is off a screen of %d rows",
			    c->n, t->rows);
			free(shown);
			return (-1);
		}
		what = xasprintf("'%s' on row %d", shown, r);
		break;
	case OP_ATTR:
		what = xasprintf("'%s' %sin %s", shown, c->neg ? "not " : "",
		    script_attrs[c->n]);
		break;
	default:
		what = xasprintf("'%s'", shown);
		break;
	}
	free(shown);
	if (t->eof)
		script_fail(s, t, c, "the program closed the terminal while "
		    "waiting for %s", what);
	else
		script_fail(s, t, c, "timed out after %gs waiting for %s",
		    s->timeout, what);
	free(what);
	return (-1);
}

/* The program's count of write system calls (syscw), from /proc. */
static int
script_syscw(struct script *s, struct term *t, const struct script_cmd *c,
    long *n)
{
	FILE	*f;
	char	 path[64], line[256];

	*n = -1;
	snprintf(path, sizeof path, "/proc/%ld/io", (long)t->pid);
	if ((f = fopen(path, "r")) == NULL)
		return (script_fail(s, t, c, "cannot read %s: %s", path,
		    strerror(errno)));
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "syscw: %ld", n) == 1)
			break;
	}
	fclose(f);
	if (*n < 0)
		return (script_fail(s, t, c, "no syscw in %s", path));
	return (0);
}

/* The program's peak resident set (VmHWM), from /proc. */
static int
script_rss(struct script *s, struct term *t, const struct script_cmd *c)
{
	FILE	*f;
	char	 path[64], line[256];
	long	 kb = -1;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)t->pid);
	if ((f = fopen(path, "r")) == NULL)
		return (script_fail(s, t, c, "cannot read %s: %s", path,
		    strerror(errno)));
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	if (kb < 0)
		return (script_fail(s, t, c, "no VmHWM in %s", path));
	printf("rss %s %ld\n", c->text, kb);
	fflush(stdout);
	return (0);
}

static int
script_exit(struct script *s, struct term *t, const struct script_cmd *c)
{
	double	 deadline = term_now() + s->timeout;
	char	*got, *want;
	int	 ms, ok;

	/* Poll in short steps: a grandchild may hold the pty open. */
	while (!term_reap(t, 0)) {
		ms = (int)((deadline - term_now()) * 1000.0);
		if (ms <= 0)
			return (script_fail(s, t, c, "timed out after %gs "
			    "waiting for the program to exit", s->timeout));
		if (t->eof)
			poll(NULL, 0, ms < 10 ? ms : 10);
		else
			term_pump(t, ms < 10 ? ms : 10);
	}
	term_settle(t, 20, term_now() + 0.5);
	if (!c->has_n)
		return (0);
	if (c->neg)
		ok = WIFSIGNALED(t->status) && WTERMSIG(t->status) == c->n;
	else
		ok = WIFEXITED(t->status) && WEXITSTATUS(t->status) == c->n;
	if (ok)
		return (0);
	got = script_status(t->status);
	if (c->neg)
		want = xasprintf("to be killed by SIG%s", script_signame(c->n));
	else
		want = xasprintf("status %d", c->n);
	script_fail(s, t, c, "the program %s, expected %s", got, want);
	free(got);
	free(want);
	return (-1);
}

/* Run the commands in order; -1 at the first that fails, said on stderr. */
int
script_run(struct script *s, struct term *t)
{
	struct script_cmd	*c;
	char			*shown;
	size_t			 i;
	long			 n;
	int			 failed;

	s->mark = term_now();
	for (i = 0; i < s->ncmds; i++) {
		c = &s->cmds[i];
		switch (c->op) {
		case OP_SEND:
			if (t->reaped || t->eof)
				return (script_fail(s, t, c, "cannot send "
				    "'%s': the program has exited", c->shown));
			term_send_keys(t, &c->keys);
			if (term_flush(t, term_now() + s->timeout) != 0)
				return (script_fail(s, t, c, "cannot send "
				    "'%s': the program is not reading its "
				    "input", c->shown));
			break;
		case OP_WAIT:
		case OP_WAITRE:
		case OP_GONE:
		case OP_ROW:
		case OP_ATTR:
			if (script_wait(s, t, c) != 0)
				return (-1);
			break;
		case OP_EXPECT_NOT:
			term_settle(t, s->settle_ms, term_now() + s->timeout);
			if (!script_check(t, c)) {
				shown = script_show(c->text);
				failed = script_fail(s, t, c, "'%s' is on the "
				    "screen", shown);
				free(shown);
				return (failed);
			}
			break;
		case OP_RESIZE:
			/*
			 * Let the program finish drawing and block for input
			 * first: output meant for the old size would land on
			 * the new one, and some programs (less) lose a
			 * SIGWINCH that comes while they are still busy.
			 */
			term_settle(t, s->settle_ms, term_now() + s->timeout);
			term_resize(t, c->cols, c->rows);
			break;
		case OP_SCREEN:
			term_settle(t, s->settle_ms, term_now() + s->timeout);
			term_print(t, stdout, 1);
			break;
		case OP_SIGNAL:
			if (term_reap(t, 0))
				return (script_fail(s, t, c, "cannot send "
				    "SIG%s: the program has exited",
				    script_signame(c->n)));
			kill(t->pid, c->n);
			break;
		case OP_EXIT:
			if (script_exit(s, t, c) != 0)
				return (-1);
			break;
		case OP_TIMEOUT:
			s->timeout = c->secs;
			break;
		case OP_SETTLE:
			s->settle_ms = c->n;
			break;
		case OP_BYTES_RESET:
			term_settle(t, s->settle_ms, term_now() + s->timeout);
			t->bytes = 0;
			if (!t->reaped && script_syscw(s, t, c, &s->writes) != 0)
				return (-1);
			break;
		case OP_MARK:
			printf("mark %s %.0f\n", c->text,
			    (term_now() - s->mark) * 1e6);
			fflush(stdout);
			s->mark = term_now();
			break;
		case OP_BYTES:
			term_settle(t, s->settle_ms, term_now() + s->timeout);
			printf("bytes %s %lu\n", c->text, t->bytes);
			fflush(stdout);
			break;
		case OP_RSS:
			if (script_rss(s, t, c) != 0)
				return (-1);
			break;
		case OP_WRITES:
		case OP_WRITES_MAX:
			term_settle(t, s->settle_ms, term_now() + s->timeout);
			if (script_syscw(s, t, c, &n) != 0)
				return (-1);
			n -= s->writes;
			if (c->op == OP_WRITES) {
				printf("writes %s %ld\n", c->text, n);
				fflush(stdout);
			} else if (n > (long)c->count)
				return (script_fail(s, t, c, "%ld writes came "
				    "since bytes_reset, at most %lu allowed",
				    n, c->count));
			break;
		case OP_BYTES_MAX:
			term_settle(t, s->settle_ms, term_now() + s->timeout);
			if (t->bytes > c->count)
				return (script_fail(s, t, c, "%lu bytes came "
				    "since bytes_reset, at most %lu allowed",
				    t->bytes, c->count));
			break;
		}
	}
	return (0);
}
