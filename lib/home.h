/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The host home of a jailed user.  Host services that run as the user (pam_env, systemd --user,
 * an MTA, sshd) read code and settings from the passwd home, so a jailed user must not be able
 * to write anything there: that home is root's, and the user's files live in the jail home
 * (jail.home), which only the jail shows, at the passwd home's path.  See SECURITY.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Who the audit is for: a uid and every gid it holds. */
struct home_owner {
	uid_t uid;
	const gid_t *gids;
	size_t ngids;
};

/* True when owner could write to (or chmod) what st describes; symlinks count by owner only. */
bool stat_writable_by(const struct stat *st, const struct home_owner *o);

/*
 * Audits the passwd home of a jailed user as root, following no symlink: the home and every
 * directory above it must be writable by no one but root, and nothing below it may belong to or
 * be writable by the user (nor carry a POSIX ACL).  Returns 0 when it is safe, 1 with the first
 * offending path and why in ret_why (e.g. "/home/ann/.config is owned by uid 1001"), or -errno
 * when it cannot tell (then ret_why says what failed).  A missing home is unsafe.
 */
int home_audit(const char *home, const struct home_owner *o, char *ret_why, size_t len);
