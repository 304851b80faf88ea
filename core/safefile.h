/* Where a settings file may be written without following what another user
 * planted: the checks sudoedit makes, for root and everyone else. */
#ifndef IMAPADM_CORE_SAFEFILE_H
#define IMAPADM_CORE_SAFEFILE_H

#include <sys/stat.h>

/*
 * The file to replace for path: path itself, or where a symlink that is
 * safe to follow points. Safe: every directory on the way is owned by root,
 * by us or by the file's owner, and writable by no one else, unless it is
 * sticky (as /tmp) and what it holds next on the way belongs to one of those.
 * A symlink is followed only when it, too, belongs to one of those.
 * *exists and *old describe the file there now. Returns the path to write
 * (caller frees), or NULL with *cause naming what is unsafe and why.
 */
char	*safefile_target(const char *path, struct stat *old, int *exists,
	     char **cause);

#endif
