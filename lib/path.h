/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opening paths as root without following symlinks that a user could have made. */
#pragma once

/*
 * Walks path from "/" one component at a time with O_PATH|O_NOFOLLOW.  A symlink is followed
 * only when root owns it and its directory is root's and writable by no one else (so only root
 * could have made it, as /bin -> usr/bin); any other symlink is refused with -ELOOP.  On success
 * returns an O_PATH fd of the object.  When the last component is such a trusted symlink and
 * ret_link is not NULL, returns -EMLINK instead, with its target in *ret_link, so the caller can
 * recreate the link rather than expose what it points to under another name.
 */
int path_open_trusted(const char *path, char **ret_link);
