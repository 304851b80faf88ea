/* imap4_each: one store query streamed into IMAP4 views, each observed,
 * with one observation per profile where the profile allows it. */
#include <stdlib.h>
#include <string.h>

#include "core/imap4_list.h"
#include "data/store_stream.h"

struct imap4_list {
	struct app		*app;
	imap4_keep_fn		 keep;
	int			 flags;
	imap4_each_fn		 fn;
	void			*arg;
	/* By index in app->cfg->profiles: observed yet, and what. */
	int			*seen;
	struct observation	*obs;
};

static int	 imap4_list_row(void *, const struct store_server *,
		     const struct store_imap4 *);

static int
imap4_list_row(void *arg, const struct store_server *srv,
    const struct store_imap4 *im)
{
	struct imap4_list	*l = arg;
	const struct setting_def *def;
	const struct profile	*prof = NULL;
	struct imap4_view	 v;
	size_t			 i, k;
	int			 rc;

	if (l->keep != NULL && !l->keep(srv))
		return (0);
	/* As imap4_load: a setting without a row reads as its default;
	 * pending is derived once the service is observed. */
	memset(&v, 0, sizeof v);
	v.server = *srv;
	for (i = 0; i < SETTING_COUNT; i++)
		v.configured[i] = settings_table[i].def;
	for (i = 0; i < im->n; i++) {
		if ((def = settings_find(im->values[i].name)) == NULL)
			continue;
		k = settings_id(def);
		v.configured[k] = im->values[i].configured;
		v.has_running[k] = im->values[i].has_running;
		v.running[k] = im->values[i].running;
	}
	v.server_id = im->server_id;
	v.version = im->version;
	v.has_rows = im->n > 0;
	v.changed_by = im->changed_by;
	v.changed_at = im->changed_at;

	if (srv->profile != NULL && *srv->profile != '\0')
		prof = config_profile(l->app->cfg, srv->profile);
	if (prof != NULL && observe_shared(prof, l->flags)) {
		k = (size_t)(prof - l->app->cfg->profiles);
		if (!l->seen[k]) {
			observe_server(l->app->cfg, prof, srv, l->flags,
			    &l->obs[k]);
			l->seen[k] = 1;
		}
		v.observed = 1;
		v.obs = l->obs[k];	/* shared: freed once, at the end */
		imap4_pending(&v);
		rc = l->fn(l->arg, &v);
		free(v.pending_why);
		return (rc);
	}
	imap4_observe(l->app, &v, l->flags);	/* and imap4_pending */
	rc = l->fn(l->arg, &v);
	observe_free(&v.obs);
	free(v.pending_why);
	return (rc);
}

int
imap4_each(struct app *app, const char *role, imap4_keep_fn keep, int flags,
    imap4_each_fn fn, void *arg, char **cause)
{
	struct imap4_list	 l;
	const char		*names[SETTING_COUNT];
	size_t			 i, np = app->cfg->nprofiles;
	int			 rc;

	memset(&l, 0, sizeof l);
	l.app = app;
	l.keep = keep;
	l.flags = flags;
	l.fn = fn;
	l.arg = arg;
	if ((l.seen = calloc(np + 1, sizeof *l.seen)) == NULL ||
	    (l.obs = calloc(np + 1, sizeof *l.obs)) == NULL)
		abort();
	for (i = 0; i < SETTING_COUNT; i++)
		names[i] = settings_table[i].name;
	rc = store_imap4_each(app->store, role, SETTING_COUNT, names,
	    imap4_list_row, &l, cause);
	for (i = 0; i < np; i++) {
		if (l.seen[i])
			observe_free(&l.obs[i]);
	}
	free(l.seen);
	free(l.obs);
	return (rc);
}
