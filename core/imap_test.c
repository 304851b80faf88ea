/* test-imapconnectivity for one server: a probe session per listener that
 * logs in and out, and with measure one session per time-out that idles
 * until the server closes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/imap_account.h"
#include "core/imap_test.h"
#include "core/proc.h"
#include "core/str.h"
#include "data/store.h"

/* Which idle session measures which setting: nginx's timeout runs before
 * authentication, its proxy_timeout while a logged-in session is idle. */
static const enum imap_task imap_test_tasks[SETTING_COUNT] = {
	[SETTING_AUTH_TIMEOUT] = IMAP_TASK_IDLE_AUTH,
	[SETTING_PREAUTH_TIMEOUT] = IMAP_TASK_IDLE_PREAUTH
};

int
imap_test_new(const struct profile *prof, const struct store_server *sv,
    int measure, const long configured[SETTING_COUNT],
    struct imap_test **out, char **cause)
{
	struct imap_probe_opts	 opts;
	struct imap_test	*t;
	struct imap_test_row	*r;
	char			*password = NULL;
	size_t			 i, k;

	*out = NULL;
	*cause = NULL;
	if (prof == NULL) {
		*cause = str_printf("%s has no service profile in the config: "
		    "nothing says where its IMAP4 listeners are",
		    sv->identity);
		return (-1);
	}
	if (prof->nimap_listeners == 0) {
		*cause = str_printf("profile '%s' lists no imap_listeners: "
		    "nothing to connect to (add imap_listeners = "
		    "{\"host:143\", \"host:993/tls\"} to it)", prof->name);
		return (-1);
	}
	if ((t = calloc(1, sizeof *t)) == NULL ||
	    (t->rows = calloc(prof->nimap_listeners, sizeof *t->rows)) ==
	    NULL)
		goto nomem;
	t->measure = measure;
	memcpy(t->configured, configured, sizeof t->configured);
	t->started = time(NULL);
	t->started_mono = proc_now();
	for (i = 0; i < prof->nimap_listeners; i++) {
		r = &t->rows[t->nrows];
		r->login = -1;
		for (k = 0; k < SETTING_COUNT; k++)
			r->idle[k] = -1;
		if (imap_proto_listener(prof->imap_listeners[i], sv->fqdn,
		    &r->l, cause) != 0) {
			imap_test_free(t);
			return (-1);
		}
		t->nrows++;
		if ((r->spec = strdup(prof->imap_listeners[i])) == NULL)
			goto nomem;
	}

	if (prof->test_user != NULL) {
		if (imap_account_password(prof->test_password_file, &password,
		    cause) != 0) {
			imap_test_free(t);
			return (-1);
		}
		if ((t->user = strdup(prof->test_user)) == NULL)
			goto nomem;
	} else if ((t->no_login = str_printf("skipped: profile '%s' has no "
	    "test_user and test_password_file", prof->name)) == NULL)
		goto nomem;

	memset(&opts, 0, sizeof opts);
	opts.ca_file = prof->tls_ca_file;
	opts.user = t->user;
	opts.password = password;
	opts.timeout = 10;
	t->probe = imap_probe_new(&opts, cause);
	imap_account_wipe(password);
	password = NULL;
	if (t->probe == NULL) {
		imap_test_free(t);
		return (-1);
	}
	for (i = 0; i < t->nrows; i++) {
		r = &t->rows[i];
		if ((r->login = imap_probe_add(t->probe, &r->l,
		    IMAP_TASK_LOGIN, 0)) == -1)
			goto nomem;
		for (k = 0; measure && k < SETTING_COUNT; k++) {
			if (imap_test_tasks[k] == IMAP_TASK_IDLE_AUTH &&
			    t->user == NULL)
				continue;
			if ((r->idle[k] = imap_probe_add(t->probe, &r->l,
			    imap_test_tasks[k], (double)configured[k] +
			    IMAP_TEST_GRACE)) == -1)
				goto nomem;
		}
	}
	*out = t;
	return (0);
nomem:
	imap_account_wipe(password);
	imap_test_free(t);
	*cause = strdup("out of memory");
	return (-1);
}

size_t
imap_test_step(struct imap_test *t, int timeout_ms)
{
	return (imap_probe_step(t->probe, timeout_ms));
}

size_t
imap_test_wait(struct imap_test *t, int timeout_ms, int fd, int *ready)
{
	return (imap_probe_wait(t->probe, timeout_ms, fd, ready));
}

double
imap_test_left(const struct imap_test *t)
{
	return (imap_probe_left(t->probe));
}

const struct imap_session *
imap_test_session(const struct imap_test *t, int i)
{
	return (i < 0 ? NULL : imap_probe_session(t->probe, (size_t)i));
}

int
imap_test_row_ok(const struct imap_test *t, size_t row, const char **why)
{
	const struct imap_session *s = imap_test_session(t, t->rows[row].login);

	*why = NULL;
	if (s == NULL || !s->done) {
		*why = "not finished";
		return (0);
	}
	*why = s->error;
	return (s->ok);
}

int
imap_test_measured(const struct imap_test *t, size_t row, enum setting_id k,
    char *buf, size_t len)
{
	const struct imap_session *s;
	long	 want = t->configured[k];

	s = imap_test_session(t, t->rows[row].idle[k]);

	if (s == NULL) {
		snprintf(buf, len, "not measured: %s", !t->measure ?
		    "not asked (-MeasureTimeouts)" : t->user == NULL ?
		    "no test account to log in with" : "?");
		return (-1);
	}
	if (!s->done) {
		snprintf(buf, len, "measuring: %.0f s of at most %.0f s",
		    proc_now() - t->started_mono, s->idle_limit);
		return (-1);
	}
	if (s->error != NULL) {
		snprintf(buf, len, "not measured: %s", s->error);
		return (-1);
	}
	if (!s->closed) {
		snprintf(buf, len, "not closed within %.0f s (configured %ld "
		    "s)", s->idle_limit, want);
		return (0);
	}
	snprintf(buf, len, "closed by the server after %.1f s (configured "
	    "%ld s)%s%s", s->closed_after, want, s->bye != NULL ? ", BYE " : "",
	    s->bye != NULL ? s->bye : "");
	return (s->closed_after - (double)want <= IMAP_TEST_TOLERANCE &&
	    (double)want - s->closed_after <= IMAP_TEST_TOLERANCE);
}

void
imap_test_free(struct imap_test *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	imap_probe_free(t->probe);
	for (i = 0; i < t->nrows; i++) {
		free(t->rows[i].spec);
		imap_proto_listener_free(&t->rows[i].l);
	}
	free(t->rows);
	free(t->user);
	free(t->no_login);
	free(t);
}
