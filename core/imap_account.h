/* The test account test-imapconnectivity logs in with: a user name from the
 * profile and its password from a file only its owner can read. */
#ifndef IMAPADM_CORE_IMAP_ACCOUNT_H
#define IMAPADM_CORE_IMAP_ACCOUNT_H

/*
 * The first line of path (CR/LF stripped) into *password (the caller wipes
 * and frees it). Refused, with *cause naming the file and the fix: not a
 * regular file, a symlink, readable or writable by group or others (mode
 * must be 0600 or 0400), owned by someone other than this process's user or
 * root (run as root, as under sudo: root only), empty. The password itself
 * never appears in a message.
 */
int	 imap_account_password(const char *path, char **password,
	     char **cause);
/* Wipe and free a password. */
void	 imap_account_wipe(char *);

#endif
