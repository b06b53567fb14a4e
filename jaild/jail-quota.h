/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jaild's side of limits.disk, inodes, io_read and io_write (jail-quota.c). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "policy.h"
#include "quota.h"

struct jaild;

/*
 * Runs as root in jaild when a jail is built, after its cgroup exists and before its init is
 * cloned (no process of the user runs).  Sets the project id on jail.home and the writable
 * binds the user owns (and on what they hold already), the disk and inode quota of the user's
 * id, and the I/O caps of the cgroup.  A limit the host cannot enforce refuses the jail unless
 * limits.quota_optional says to go without it (logged).  Returns 0 or -errno with *ret_why.
 */
int jail_quota_setup(struct jaild *d, const char *user, const char *cgname, uid_t uid,
		     const struct policy *p, char **ret_why);
/* When the jail ends: removes the quota limits it set, unless limits.quota_keep. */
void jail_quota_release(const char *user, uid_t uid, const struct policy *p);
/* The usage and limits the kernel holds for the jail home (all zero without a quota). */
void jail_quota_usage(uid_t uid, const struct policy *p, struct quota_usage *ret);
/* Fills the disk and inode figures of a LIST or LIMITS reply for j. */
struct jail;
struct proto_jail;
void jail_quota_fill(const struct jail *j, struct proto_jail *pj);
