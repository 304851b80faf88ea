/* Server properties, General section: who the server is, its service
 * profile and what you may do with it. */
#include "tui/scr_server_internal.h"

void
scr_server_general_render(struct scr_server *s)
{
	struct wpage		*p = s->page[SECTION_GENERAL];
	WINDOW			*pad = wpage_pad(p);
	struct store_server	*sv = &s->view.server;
	int			 y = 0;
	char			 why[256];

	wpage_clear(p);
	theme_put(pad, y++, 1, -1, THEME_TITLE, "General");
	y++;
	y = scr_server_kv(pad, y, "Name", THEME_NORMAL, "%s", sv->identity);
	y = scr_server_kv(pad, y, "FQDN", THEME_NORMAL, "%s",
	    sv->fqdn && *sv->fqdn ? sv->fqdn : "-");
	y = scr_server_kv(pad, y, "Roles", THEME_NORMAL, "%s",
	    sv->roles && *sv->roles ? sv->roles : "-");
	y = scr_server_kv(pad, y, "Site", THEME_NORMAL, "%s",
	    sv->site && *sv->site ? sv->site : "-");
	if (sv->profile == NULL || *sv->profile == '\0')
		y = scr_server_kv(pad, y, "Service profile", THEME_NORMAL,
		    "none");
	else if (s->profile == NULL)
		y = scr_server_kv(pad, y, "Service profile", THEME_ERROR,
		    "%s (not in the config file %s)", sv->profile,
		    s->app->cfg->path ? s->app->cfg->path : "(none loaded)");
	else
		y = scr_server_kv(pad, y, "Service profile", THEME_NORMAL,
		    "%s (%s)", sv->profile, s->profile->type ==
		    PROFILE_NGINX_MAIL ? "nginx mail proxy" : "commands");
	if (!s->is_cas)
		y = scr_server_kv(pad, y, "IMAP4 state", THEME_NORMAL,
		    "- (not a client access server)");
	else if (s->view.restart_pending)
		y = scr_server_kv(pad, y, "IMAP4 state", THEME_PENDING,
		    "%s restart pending", theme_sym(SYM_PENDING));
	else
		y = scr_server_kv(pad, y, "IMAP4 state", THEME_NORMAL,
		    "configured");
	y++;
	y = scr_server_kv(pad, y, "You", THEME_NORMAL, "%s (%s)",
	    s->app->user ? s->app->user : "?", perm_role_name(s->app->role));
	y = scr_server_kv(pad, y, "", s->editable ? THEME_NORMAL : THEME_DIM,
	    "%s", s->editable ? "may change the IMAP4 settings and restart" :
	    scr_server_readonly_why(s, why, sizeof why));
	y++;
	theme_put(pad, y++, 3, -1, THEME_DIM, "Tab or 2 shows the IMAP4 "
	    "section, 3 the audit log of this server.");
	wpage_set_used(p, y);
}
