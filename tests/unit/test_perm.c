/* Roles from the config: users and %groups to the seed's role groups, the
 * highest wins, no match is no access, and the fallback with no roles. */

#include <sys/types.h>

#include <grp.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"
#include "core/perm.h"
#include "core/trust.h"

/* A gid with no group entry, named by number in the config. */
#define LOOSE_GID	4242
#define OWNER_UID	1500

static void	 set_roles(struct role_map *, const char *const *);
static void	 unset_roles(struct config *);

/* Point r at a NULL-terminated list (borrowed: reset before config_free). */
static void
set_roles(struct role_map *r, const char *const *who)
{
	size_t	n = 0;

	while (who != NULL && who[n] != NULL)
		n++;
	r->n = n;
	r->who = (char **)(uintptr_t)who;
}

static void
unset_roles(struct config *conf)
{
	memset(&conf->org_management, 0, sizeof conf->org_management);
	memset(&conf->server_management, 0, sizeof conf->server_management);
	memset(&conf->view_only, 0, sizeof conf->view_only);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(perm_role_name(PERM_ORG_MGMT),
	    "Organization Management");
	assert_string_equal(perm_role_name(PERM_SERVER_MGMT),
	    "Server Management");
	assert_string_equal(perm_role_name(PERM_VIEW_ONLY),
	    "View-Only Organization Management");
	assert_string_equal(perm_role_name(PERM_NONE), "No role");

	assert_true(perm_can_edit(PERM_ORG_MGMT));
	assert_true(perm_can_edit(PERM_SERVER_MGMT));
	assert_false(perm_can_edit(PERM_VIEW_ONLY));
	assert_false(perm_can_edit(PERM_NONE));
	assert_true(perm_can_view(PERM_ORG_MGMT));
	assert_true(perm_can_view(PERM_SERVER_MGMT));
	assert_true(perm_can_view(PERM_VIEW_ONLY));
	assert_false(perm_can_view(PERM_NONE));
}

/* Nothing configured: root and the database owner edit, others view. */
static void
test_no_roles(void **state)
{
	struct config	*conf = config_defaults();
	gid_t		 gids[] = { 0, 100 };

	(void)state;
	assert_int_equal(perm_resolve(conf, "root", 0, gids, 2, OWNER_UID),
	    PERM_ORG_MGMT);
	assert_int_equal(perm_resolve(conf, "owner", OWNER_UID, NULL, 0,
	    OWNER_UID), PERM_ORG_MGMT);
	assert_int_equal(perm_resolve(conf, "carol", 1501, gids, 2, OWNER_UID),
	    PERM_VIEW_ONLY);
	/* Being in group root is not being root. */
	assert_int_equal(perm_resolve(conf, "dave", 1502, gids, 1, OWNER_UID),
	    PERM_VIEW_ONLY);
	/* No config at all behaves the same. */
	assert_int_equal(perm_resolve(NULL, "root", 0, NULL, 0, OWNER_UID),
	    PERM_ORG_MGMT);
	assert_int_equal(perm_resolve(NULL, "carol", 1501, NULL, 0, OWNER_UID),
	    PERM_VIEW_ONLY);
	config_free(conf);
}

static void
test_users(void **state)
{
	static const char *const org[] = { "root", NULL };
	static const char *const srv[] = { "alice", NULL };
	static const char *const view[] = { "bob", "alice", NULL };
	struct config	*conf = config_defaults();

	(void)state;
	set_roles(&conf->org_management, org);
	set_roles(&conf->server_management, srv);
	set_roles(&conf->view_only, view);

	assert_int_equal(perm_resolve(conf, "root", 0, NULL, 0, OWNER_UID),
	    PERM_ORG_MGMT);
	/* Named twice: the higher role wins. */
	assert_int_equal(perm_resolve(conf, "alice", 1001, NULL, 0, OWNER_UID),
	    PERM_SERVER_MGMT);
	assert_int_equal(perm_resolve(conf, "bob", 1002, NULL, 0, OWNER_UID),
	    PERM_VIEW_ONLY);
	/* Once roles exist, nobody else gets in: not the owner, not a
	 * look-alike name, not an unknown user. */
	assert_int_equal(perm_resolve(conf, "carol", OWNER_UID, NULL, 0,
	    OWNER_UID), PERM_NONE);
	assert_int_equal(perm_resolve(conf, "Alice", 1001, NULL, 0, OWNER_UID),
	    PERM_NONE);
	assert_int_equal(perm_resolve(conf, "alic", 1001, NULL, 0, OWNER_UID),
	    PERM_NONE);
	assert_int_equal(perm_resolve(conf, NULL, 1003, NULL, 0, OWNER_UID),
	    PERM_NONE);

	/* Root is not special once roles are given. */
	set_roles(&conf->org_management, NULL);
	assert_int_equal(perm_resolve(conf, "root", 0, NULL, 0, OWNER_UID),
	    PERM_NONE);

	/* Only a view-only list still switches the fallback off. */
	set_roles(&conf->server_management, NULL);
	assert_int_equal(perm_resolve(conf, "bob", 1002, NULL, 0, OWNER_UID),
	    PERM_VIEW_ONLY);
	assert_int_equal(perm_resolve(conf, "owner", OWNER_UID, NULL, 0,
	    OWNER_UID), PERM_NONE);
	unset_roles(conf);
	config_free(conf);
}

static void
test_groups(void **state)
{
	struct config	*conf = config_defaults();
	struct group	*gr;
	char		 rootgrp[64], byname[80], loose[32];
	const char	*org[] = { "%nosuchgroup-imapadm", NULL, NULL };
	const char	*srv[] = { NULL, NULL };
	const char	*view[] = { "%", "%99999999999999999999", NULL };
	gid_t		 in_root[] = { 5, 0 }, in_loose[] = { LOOSE_GID };
	gid_t		 in_none[] = { 5, 6, 7 };

	(void)state;
	gr = getgrgid(0);
	assert_non_null(gr);
	snprintf(rootgrp, sizeof rootgrp, "%s", gr->gr_name);
	snprintf(byname, sizeof byname, "%%%s", rootgrp);
	snprintf(loose, sizeof loose, "%%%d", LOOSE_GID);
	if (getgrnam(loose + 1) != NULL)
		skip();
	org[1] = byname;
	srv[0] = loose;
	set_roles(&conf->org_management, org);
	set_roles(&conf->server_management, srv);
	set_roles(&conf->view_only, view);

	/* The group by name: its gid anywhere in the list. */
	assert_int_equal(perm_resolve(conf, "eve", 1004, in_root, 2,
	    OWNER_UID), PERM_ORG_MGMT);
	/* Not a member: the gid list is what counts, not the name. */
	assert_int_equal(perm_resolve(conf, rootgrp, 1004, in_none, 3,
	    OWNER_UID), PERM_NONE);
	assert_int_equal(perm_resolve(conf, "eve", 1004, in_root, 1,
	    OWNER_UID), PERM_NONE);
	/* A gid without a group entry, by number. */
	assert_int_equal(perm_resolve(conf, "eve", 1004, in_loose, 1,
	    OWNER_UID), PERM_SERVER_MGMT);
	/* A group-name entry is not a user name. */
	assert_int_equal(perm_resolve(conf, "nosuchgroup-imapadm", 1004, NULL,
	    0, OWNER_UID), PERM_NONE);
	assert_int_equal(perm_resolve(conf, "%nosuchgroup-imapadm", 1004, NULL,
	    0, OWNER_UID), PERM_NONE);
	assert_int_equal(perm_resolve(conf, "eve", 1004, NULL, 5, OWNER_UID),
	    PERM_NONE);
	unset_roles(conf);
	config_free(conf);
}

/* The process's own user, by name and by its groups. */
static void
test_current(void **state)
{
	struct config	*conf = config_defaults();
	struct trust	 t;
	struct passwd	*pw;
	struct group	*gr;
	char		*cause = NULL, grp[80], name[64];
	const char	*list[] = { NULL, NULL };
	uid_t		 uid = getuid();

	(void)state;
	pw = getpwuid(uid);
	unsetenv("SUDO_USER");
	unsetenv("SUDO_UID");
	assert_int_equal(trust_current(&t, &cause), 0);
	assert_int_equal(t.sudo, 0);
	assert_int_equal(t.uid, uid);

	/* Fallback: the owner of the database may edit. */
	assert_int_equal(perm_current(conf, &t, uid), PERM_ORG_MGMT);
	if (pw != NULL)
		assert_string_equal(t.user, pw->pw_name);
	else {
		snprintf(name, sizeof name, "uid %lu", (unsigned long)uid);
		assert_string_equal(t.user, name);
	}
	assert_int_equal(perm_current(conf, &t, uid + 1),
	    uid == 0 ? PERM_ORG_MGMT : PERM_VIEW_ONLY);

	if (pw != NULL) {
		snprintf(name, sizeof name, "%s", pw->pw_name);
		list[0] = name;
		set_roles(&conf->server_management, list);
		assert_int_equal(perm_current(conf, &t, uid + 1),
		    PERM_SERVER_MGMT);
		unset_roles(conf);
	}

	/* By the primary group, named or by number. */
	gr = getgrgid(getgid());
	if (gr != NULL)
		snprintf(grp, sizeof grp, "%%%s", gr->gr_name);
	else
		snprintf(grp, sizeof grp, "%%%lu", (unsigned long)getgid());
	list[0] = grp;
	set_roles(&conf->view_only, list);
	assert_int_equal(perm_current(conf, &t, uid), PERM_VIEW_ONLY);

	/* Roles given, not among them. */
	list[0] = "nobody-imapadm-test";
	assert_int_equal(perm_current(conf, &t, uid), PERM_NONE);
	unset_roles(conf);
	config_free(conf);
	trust_free(&t);
}

/*
 * Root with sudo's SUDO_USER and SUDO_UID acts for that user: his name, his
 * uid, his groups, and no root fallback. Anyone else setting them is still
 * himself; variables that disagree are refused.
 */
static void
test_sudo(void **state)
{
	struct config	*conf = config_defaults();
	struct trust	 t;
	struct passwd	*pw = getpwnam("nobody");
	char		*cause = NULL, uidbuf[32];

	(void)state;
	if (pw == NULL)
		skip();
	snprintf(uidbuf, sizeof uidbuf, "%lu", (unsigned long)pw->pw_uid);
	setenv("SUDO_USER", "nobody", 1);
	setenv("SUDO_UID", uidbuf, 1);
	assert_int_equal(trust_current(&t, &cause), 0);
	if (getuid() == 0) {
		assert_int_equal(t.sudo, 1);
		assert_int_equal(t.uid, pw->pw_uid);
		assert_string_equal(t.user, "nobody");
		/* Not root, not the owner of a root database: view only. */
		assert_int_equal(perm_current(conf, &t, 0), PERM_VIEW_ONLY);
	} else {
		assert_int_equal(t.sudo, 0);
		assert_int_equal(t.uid, getuid());
	}
	trust_free(&t);

	setenv("SUDO_UID", "0", 1);	/* sudo from a root shell */
	assert_int_equal(trust_current(&t, &cause), 0);
	assert_int_equal(t.sudo, 0);
	trust_free(&t);

	if (getuid() == 0) {
		snprintf(uidbuf, sizeof uidbuf, "%lu",
		    (unsigned long)pw->pw_uid + 1);
		setenv("SUDO_UID", uidbuf, 1);
		assert_int_equal(trust_current(&t, &cause), -1);
		assert_non_null(strstr(cause, "do not name the same user"));
		free(cause);
	}
	unsetenv("SUDO_USER");
	unsetenv("SUDO_UID");
	config_free(conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_no_roles),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_current),
		cmocka_unit_test(test_sudo),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
