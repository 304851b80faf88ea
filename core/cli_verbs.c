/* The verb table: every verb's name, handler, parameters and help. Adding a
 * verb is adding an entry here and its handler; parsing and help follow. */
#include <stddef.h>

#include "core/cli_internal.h"

static const struct cli_param cli_params_get_imap4[] = {
	{ "Identity", "<servers>", CLI_POSITIONAL,
	  "only these servers: a name, a list (CAS01,CAS02) or wildcards "
	  "(CAS*) (default: every client access server)" },
	{ "Server", "<servers>", 0, "the same as -Identity" },
	{ "Site", "<site>", 0, "only the servers of this site" },
	{ "format", "list|table|json", 0,
	  "output form (default: list)" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_set_imap4[] = {
	{ "Identity", "<servers>", CLI_POSITIONAL,
	  "the client access servers to change: a name, a list (CAS01,CAS02) "
	  "or wildcards (CAS*)" },
	{ "Server", "<servers>", 0, "the same as -Identity" },
	{ "Site", "<site>", 0, "only the servers of this site" },
	{ "WhatIf", NULL, CLI_SWITCH,
	  "show each server's old -> new values; save nothing" },
	{ "Confirm", NULL, CLI_SWITCH,
	  "ask once, on the terminal, before changing several servers" },
	{ "IfVersion", "<n>", 0,
	  "save only if the server is still at version n (get-imapsettings "
	  "shows it); without it the last writer wins" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_restart[] = {
	{ "Identity", "<servers>", CLI_POSITIONAL,
	  "the client access servers whose IMAP4 service to restart: a name, "
	  "a list (CAS01,CAS02) or wildcards (CAS*)" },
	{ "Server", "<servers>", 0, "the same as -Identity" },
	{ "Site", "<site>", 0, "only the servers of this site" },
	{ "Parallel", "<n>", 0,
	  "restart at most n servers at once (default 4)" },
	{ "MaxFailures", "<k>", 0,
	  "tolerate k failed servers; after k + 1 no new one is started "
	  "(default 0)" },
	{ "WhatIf", NULL, CLI_SWITCH,
	  "show what would be written and run for each server; change "
	  "nothing" },
	{ "Confirm", NULL, CLI_SWITCH,
	  "ask once, on the terminal, before restarting several servers" },
	{ "reload", NULL, CLI_SWITCH,
	  "reload gracefully instead: open sessions keep their old time-outs" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_probe[] = {
	{ "Identity", "<server>", CLI_REQUIRED|CLI_POSITIONAL,
	  "the client access server whose IMAP4 listeners to test" },
	{ "MeasureTimeouts", NULL, CLI_SWITCH,
	  "also hold an unauthenticated and a logged-in idle session and "
	  "report when the server closes each (takes up to the configured "
	  "time-outs plus 5 s)" },
	{ "format", "list|table|json", 0,
	  "output form (default: list)" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_get_server[] = {
	{ "Identity", "<server>", CLI_POSITIONAL,
	  "only this server (default: every server)" },
	{ "format", "list|table|json|csv", 0,
	  "output form (default: table); csv is what import-servers reads" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_new_server[] = {
	{ "Identity", "<server>", CLI_REQUIRED|CLI_POSITIONAL,
	  "name of the new server: letters, digits, '-' and '_'" },
	{ "Fqdn", "<host>", CLI_REQUIRED,
	  "its fully qualified host name" },
	{ "Roles", "<roles>", CLI_REQUIRED,
	  "ClientAccess, Mailbox or ClientAccess,Mailbox" },
	{ "Site", "<site>", 0,
	  "its site (default: the config's site, else Default-First-Site-Name)" },
	{ "Profile", "<profile>", 0,
	  "service profile from the config that restarts its IMAP4 service" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_remove_server[] = {
	{ "Identity", "<server>", CLI_REQUIRED|CLI_POSITIONAL,
	  "the server to remove with its IMAP4 settings (the audit log stays)" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_import[] = {
	{ "Path", "<file>|-", CLI_REQUIRED|CLI_POSITIONAL,
	  "CSV with a header line naming Identity, Fqdn, Roles and optionally "
	  "Site and Profile, in any order; - reads standard input" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_auditlog[] = {
	{ "Identity", "<server>", CLI_POSITIONAL,
	  "only entries about this server" },
	{ "ResultSize", "<count>|Unlimited", 0,
	  "newest entries to show (default: 1000)" },
	{ "Verify", NULL, CLI_SWITCH,
	  "check the log's SHA-256 chain and name the first broken row" },
	{ "format", "list|table|json", 0,
	  "output form (default: table)" },
	{ NULL, NULL, 0, NULL }
};

static const struct cli_param cli_params_help[] = {
	{ "Verb", "<verb>", CLI_POSITIONAL, "the verb to describe" },
	{ NULL, NULL, 0, NULL }
};

const struct cli_verb cli_verbs[] = {
	{ .name = "get-imapsettings",
	  .exec = cli_imap4_get,
	  .usage = "show the IMAP4 time-outs, configured and running",
	  .help = "Shows for each client access server the configured "
	      "time-outs, the values its IMAP4 service last loaded "
	      "(unknown until a restart succeeded), whether a restart is "
	      "pending, and who changed the settings last.",
	  .params = cli_params_get_imap4,
	  .format = CLI_FORMAT_LIST },
	{ .name = "set-imapsettings",
	  .exec = cli_imap4_set,
	  .usage = "change the IMAP4 time-outs of a client access server",
	  .help = "Saves new time-outs and marks the server restart-pending; "
	      "they take effect after restart-imapservice. Values are whole "
	      "seconds (1800) or a time span [d.]hh:mm:ss (00:30:00). A bad "
	      "value changes nothing.",
	  .params = cli_params_set_imap4,
	  .flags = CLI_VERB_SETTINGS },
	{ .name = "restart-imapservice",
	  .exec = cli_imap4_restart,
	  .usage = "push the configured time-outs to the IMAP4 service",
	  .help = "Renders the settings through the server's service profile, "
	      "checks them, then restarts (or with --reload reloads) the "
	      "service and asks its status. Prints every step; on failure "
	      "the server stays restart-pending.",
	  .params = cli_params_restart },
	{ .name = "test-imapconnectivity",
	  .exec = cli_probe_test,
	  .usage = "connect to a server's IMAP4 listeners, log in, measure "
	      "time-outs",
	  .help = "Connects to each listener the server's profile lists in "
	      "imap_listeners (plain, implicit TLS or STARTTLS; certificates "
	      "verified against tls_ca_file or the system's trusted ones), "
	      "reads the greeting and reports its latency, then logs in and "
	      "out as the profile's test_user with the password in "
	      "test_password_file (mode 0600). With -MeasureTimeouts it also "
	      "holds, on every listener at once, a connection that never logs "
	      "in and a logged-in idle one, and reports when the server "
	      "closed each against the configured time-outs. Exits 1 when a "
	      "listener fails or a measured time-out is off by more than 2 s.",
	  .params = cli_params_probe,
	  .format = CLI_FORMAT_LIST },
	{ .name = "get-server",
	  .exec = cli_server_get,
	  .usage = "list the servers",
	  .help = "Shows each server's name, host name, roles, site and "
	      "service profile.",
	  .params = cli_params_get_server,
	  .flags = CLI_VERB_CSV,
	  .format = CLI_FORMAT_TABLE },
	{ .name = "new-server",
	  .exec = cli_server_new,
	  .usage = "add a server",
	  .help = "Adds a server to the inventory. Its IMAP4 settings start "
	      "at the defaults.",
	  .params = cli_params_new_server },
	{ .name = "remove-server",
	  .exec = cli_server_remove,
	  .usage = "remove a server",
	  .help = "Removes a server and its IMAP4 settings from the inventory. "
	      "Its audit log entries are kept.",
	  .params = cli_params_remove_server },
	{ .name = "import-servers",
	  .exec = cli_import_servers,
	  .usage = "add servers from a CSV file, all or none",
	  .help = "Adds every server of a CSV file (as get-server --format "
	      "csv writes it) in one transaction, each checked as new-server "
	      "checks it and audited as new-server audits it. Empty Site and "
	      "Profile cells default as new-server does. If any row is bad, or "
	      "names a server that exists or appears twice, every such row is "
	      "reported as FILE:LINE and nothing is imported.",
	  .params = cli_params_import },
	{ .name = "get-auditlog",
	  .exec = cli_audit_get,
	  .usage = "show who changed what, newest first",
	  .help = "Shows the audit log: every saved change, restart and "
	      "inventory change with its time (UTC), Unix user and outcome.",
	  .params = cli_params_auditlog,
	  .format = CLI_FORMAT_TABLE },
	{ .name = "help",
	  .exec = cli_help_exec,
	  .usage = "describe a verb and its parameters",
	  .help = "Describes one verb and its parameters; without a verb, "
	      "lists every verb.",
	  .params = cli_params_help,
	  .flags = CLI_VERB_NOAPP },
};
const size_t cli_nverbs = sizeof cli_verbs / sizeof cli_verbs[0];
