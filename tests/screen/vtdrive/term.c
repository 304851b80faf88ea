/* The program under test on a pseudo-terminal, with libvterm keeping the
 * screen it has drawn. */

#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "vtdrive.h"

static void	term_output(const char *, size_t, void *);
static void	term_write_pending(struct term *);
static int	term_read_all(struct term *);
static size_t	term_utf8(uint32_t, char *);
static void	term_signal_group(struct term *, int);

double
term_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* Replies to terminal queries and encoded keys both come out here. */
static void
term_output(const char *s, size_t len, void *data)
{
	term_queue(data, s, len);
}

void
term_queue(struct term *t, const char *s, size_t len)
{
	if (t->outlen + len > t->outsize) {
		while (t->outlen + len > t->outsize)
			t->outsize = t->outsize == 0 ? 256 : t->outsize * 2;
		t->out = xrealloc(t->out, t->outsize);
	}
	memcpy(t->out + t->outlen, s, len);
	t->outlen += len;
}

int
term_spawn(struct term *t, int cols, int rows, const char *termname,
    char *const argv[], char **cause)
{
	struct winsize	 ws;
	struct termios	 tio;
	int		 errpipe[2], e;
	ssize_t		 n;

	memset(t, 0, sizeof *t);
	t->fd = -1;
	memset(&ws, 0, sizeof ws);
	ws.ws_col = cols;
	ws.ws_row = rows;

	/* A close-on-exec pipe tells a failed exec from a program's output. */
	if (pipe2(errpipe, O_CLOEXEC) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return (-1);
	}
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid == -1) {
		*cause = xasprintf("forkpty: %s", strerror(errno));
		close(errpipe[0]);
		close(errpipe[1]);
		return (-1);
	}
	if (t->pid == 0) {
		close(errpipe[0]);
		signal(SIGPIPE, SIG_DFL);
		if (tcgetattr(STDIN_FILENO, &tio) == 0) {
			tio.c_iflag |= IUTF8;
			tcsetattr(STDIN_FILENO, TCSANOW, &tio);
		}
		setenv("TERM", termname, 1);
		/* These would override the pty size in ncurses and tput. */
		unsetenv("COLUMNS");
		unsetenv("LINES");
		execvp(argv[0], argv);
		e = errno;
		if (write(errpipe[1], &e, sizeof e) == -1)
			_exit(126);
		_exit(127);
	}
	close(errpipe[1]);
	do
		n = read(errpipe[0], &e, sizeof e);
	while (n == -1 && errno == EINTR);
	close(errpipe[0]);
	if (n == (ssize_t)sizeof e) {
		*cause = xasprintf("cannot run '%s': %s", argv[0], strerror(e));
		waitpid(t->pid, NULL, 0);
		close(t->fd);
		t->fd = -1;
		t->reaped = 1;
		return (-1);
	}
	if (fcntl(t->fd, F_SETFL, fcntl(t->fd, F_GETFL) | O_NONBLOCK) == -1) {
		*cause = xasprintf("fcntl: %s", strerror(errno));
		term_stop(t, 0);
		return (-1);
	}

	t->rows = rows;
	t->cols = cols;
	t->vt = vterm_new(rows, cols);
	vterm_set_utf8(t->vt, 1);
	vterm_output_set_callback(t->vt, term_output, t);
	t->vs = vterm_obtain_screen(t->vt);
	vterm_screen_enable_altscreen(t->vs, 1);
	vterm_screen_reset(t->vs, 1);
	return (0);
}

static void
term_write_pending(struct term *t)
{
	ssize_t	n;

	while (t->outlen > 0 && t->werr == 0) {
		n = write(t->fd, t->out, t->outlen);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				t->werr = errno;
			break;
		}
		memmove(t->out, t->out + n, t->outlen - n);
		t->outlen -= n;
	}
	if (t->werr != 0)
		t->outlen = 0;
}

/* Read all that is there now; Linux says EIO once the child side is gone. */
static int
term_read_all(struct term *t)
{
	char	buf[16384];
	ssize_t	n;
	int	total = 0;

	while (!t->eof) {
		n = read(t->fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n <= 0) {
			t->eof = 1;
			break;
		}
		t->bytes += n;
		total += n;
		if (t->trace != NULL)
			fwrite(buf, 1, n, t->trace);
		vterm_input_write(t->vt, buf, n);
	}
	term_write_pending(t);
	return (total);
}

/*
 * Wait up to timeout_ms for output from the child and feed it to vterm.
 * Returns the number of bytes read, 0 if none came in time, -1 once the
 * pty has hung up and nothing more will come.
 */
int
term_pump(struct term *t, int timeout_ms)
{
	struct pollfd	 pfd;
	double		 deadline = term_now() + timeout_ms / 1000.0;
	int		 rc, ms, n;

	for (;;) {
		if (t->eof) {
			term_reap(t, 0);
			return (-1);
		}
		term_write_pending(t);
		ms = (int)((deadline - term_now()) * 1000.0 + 0.999);
		if (ms < 0)
			ms = 0;
		pfd.fd = t->fd;
		pfd.events = POLLIN;
		if (t->outlen > 0)
			pfd.events |= POLLOUT;
		pfd.revents = 0;
		rc = poll(&pfd, 1, ms);
		if (rc == -1) {
			if (errno == EINTR)
				continue;
			t->eof = 1;
			continue;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = term_read_all(t);
			if (n > 0)
				return (n);
			continue;
		}
		if (rc == 0)
			return (0);
	}
}

/* Take in what is already waiting, without blocking. */
void
term_drain(struct term *t)
{
	while (term_pump(t, 0) > 0)
		;
}

/* Read until the child has been quiet for quiet_ms (or the deadline). */
void
term_settle(struct term *t, int quiet_ms, double deadline)
{
	int	ms;

	for (;;) {
		ms = (int)((deadline - term_now()) * 1000.0);
		if (ms <= 0) {
			term_drain(t);
			return;
		}
		if (term_pump(t, ms < quiet_ms ? ms : quiet_ms) <= 0)
			return;
	}
}

void
term_send_keys(struct term *t, const struct keys_seq *ks)
{
	size_t	i;

	for (i = 0; i < ks->n; i++) {
		if (ks->tok[i].kind == KEYS_BYTES)
			term_queue(t, ks->tok[i].bytes, ks->tok[i].len);
		else
			vterm_keyboard_key(t->vt, ks->tok[i].key,
			    ks->tok[i].mod);
	}
}

/* Get the queued bytes to the child; -1 if it stopped reading them. */
int
term_flush(struct term *t, double deadline)
{
	int	ms;

	for (;;) {
		term_write_pending(t);
		if (t->werr != 0)
			return (-1);
		if (t->outlen == 0)
			return (0);
		ms = (int)((deadline - term_now()) * 1000.0);
		if (ms <= 0 || t->eof)
			return (-1);
		term_pump(t, ms < 20 ? ms : 20);
	}
}

/* The kernel sends SIGWINCH to the foreground process group. */
void
term_resize(struct term *t, int cols, int rows)
{
	struct winsize	ws;

	vterm_set_size(t->vt, rows, cols);
	t->rows = rows;
	t->cols = cols;
	memset(&ws, 0, sizeof ws);
	ws.ws_col = cols;
	ws.ws_row = rows;
	ioctl(t->fd, TIOCSWINSZ, &ws);
}

int
term_reap(struct term *t, int block)
{
	pid_t	pid;
	int	status;

	if (t->reaped)
		return (1);
	do
		pid = waitpid(t->pid, &status, block ? 0 : WNOHANG);
	while (pid == -1 && errno == EINTR);
	if (pid == t->pid) {
		t->reaped = 1;
		t->status = status;
	} else if (pid == -1) {
		t->reaped = 1;
		t->status = 0;
	}
	return (t->reaped);
}

static size_t
term_utf8(uint32_t c, char *s)
{
	if (c < 0x80) {
		s[0] = (char)c;
		return (1);
	}
	if (c < 0x800) {
		s[0] = (char)(0xc0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3f));
		return (2);
	}
	if (c < 0x10000) {
		s[0] = (char)(0xe0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		return (3);
	}
	if (c > 0x10ffff)
		c = 0xfffd;
	s[0] = (char)(0xf0 | (c >> 18));
	s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	s[3] = (char)(0x80 | (c & 0x3f));
	return (4);
}

/*
 * One row as UTF-8 without trailing spaces. If colmap is given it gets, for
 * each byte of the text, the column of the cell that byte belongs to.
 */
char *
term_row(const struct term *t, int row, int **colmap)
{
	VTermScreenCell	 cell;
	VTermPos	 pos;
	char		*s;
	int		*map = NULL;
	size_t		 len = 0, keep = 0, n, i, j;
	int		 col;

	s = xmalloc((size_t)t->cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1);
	if (colmap != NULL)
		map = xmalloc(((size_t)t->cols * VTERM_MAX_CHARS_PER_CELL * 4 +
		    1) * sizeof *map);
	pos.row = row;
	for (col = 0; col < t->cols; col += cell.width > 0 ? cell.width : 1) {
		pos.col = col;
		memset(&cell, 0, sizeof cell);
		if (!vterm_screen_get_cell(t->vs, pos, &cell)) {
			cell.width = 1;
			continue;
		}
		if (cell.chars[0] == (uint32_t)-1)
			continue;	/* right half of a wide character */
		n = len;
		if (cell.chars[0] == 0)
			s[len++] = ' ';
		for (i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++)
			len += term_utf8(cell.chars[i], s + len);
		if (map != NULL) {
			for (j = n; j < len; j++)
				map[j] = col;
		}
		if (cell.chars[0] != 0 && cell.chars[0] != ' ')
			keep = len;
	}
	s[keep] = '\0';
	if (colmap != NULL) {
		map[keep] = t->cols;
		*colmap = map;
	}
	return (s);
}

/* The screen as text: rows joined by newlines. */
char *
term_text(const struct term *t)
{
	char	*all, *row;
	size_t	 len = 0, n;
	int	 r;

	all = xmalloc((size_t)t->rows *
	    ((size_t)t->cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1) + 1);
	for (r = 0; r < t->rows; r++) {
		row = term_row(t, r, NULL);
		n = strlen(row);
		memcpy(all + len, row, n);
		len += n;
		if (r != t->rows - 1)
			all[len++] = '\n';
		free(row);
	}
	all[len] = '\0';
	return (all);
}

int
term_attrs(const struct term *t, int row, int col, VTermScreenCellAttrs *attrs)
{
	VTermScreenCell	cell;
	VTermPos	pos;

	pos.row = row;
	pos.col = col;
	if (!vterm_screen_get_cell(t->vs, pos, &cell))
		return (-1);
	*attrs = cell.attrs;
	return (0);
}

/* Print the screen, between lines of dashes if framed. */
void
term_print(const struct term *t, FILE *f, int framed)
{
	char	*row;
	int	 r, i;

	if (framed) {
		for (i = 0; i < t->cols; i++)
			fputc('-', f);
		fputc('\n', f);
	}
	for (r = 0; r < t->rows; r++) {
		row = term_row(t, r, NULL);
		fprintf(f, "%s\n", row);
		free(row);
	}
	if (framed) {
		for (i = 0; i < t->cols; i++)
			fputc('-', f);
		fputc('\n', f);
	}
	fflush(f);
}

static void
term_signal_group(struct term *t, int sig)
{
	/* forkpty made the child a session and process group leader. */
	if (kill(-t->pid, sig) == -1)
		kill(t->pid, sig);
}

/*
 * End the child if it is still there: hang up and terminate its process
 * group, give it grace_ms to go, then kill it.
 */
void
term_stop(struct term *t, int grace_ms)
{
	double	deadline = term_now() + grace_ms / 1000.0;
	int	ms;

	if (!term_reap(t, 0)) {
		term_signal_group(t, SIGHUP);
		term_signal_group(t, SIGTERM);
		term_signal_group(t, SIGCONT);
		while (!term_reap(t, 0)) {
			ms = (int)((deadline - term_now()) * 1000.0);
			if (ms <= 0)
				break;
			if (t->vt != NULL && !t->eof)
				term_pump(t, ms < 10 ? ms : 10);
			else
				poll(NULL, 0, ms < 10 ? ms : 10);
		}
		if (!t->reaped) {
			term_signal_group(t, SIGKILL);
			term_reap(t, 1);
		}
	}
	if (t->fd != -1) {
		close(t->fd);
		t->fd = -1;
	}
}

void
term_free(struct term *t)
{
	if (t->vt != NULL)
		vterm_free(t->vt);
	t->vt = NULL;
	free(t->out);
	t->out = NULL;
}
