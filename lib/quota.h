/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Filesystem quotas and the block device under a path: what limits.disk, limits.inodes and
 * limits.io_read/io_write need from the kernel.  Quotas go through quotactl_fd (Linux 5.14), so
 * no device node is looked up; a project quota (ext4 -O quota,project mounted prjquota, XFS
 * prjquota) is preferred, a user quota (usrquota) serves where it is the only one enforced.
 * Returns 0 or -errno; never logs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum quota_kind {
	QUOTA_NONE,
	QUOTA_PROJECT, /* PRJQUOTA, id = the project id set on the tree */
	QUOTA_USER,    /* USRQUOTA, id = the uid */
};

struct quota_usage {
	uint64_t bytes, inodes;           /* in use */
	uint64_t bytes_max, inodes_max;   /* hard limits; 0 = none */
};

/* Which quota the filesystem of fd enforces.  QUOTA_NONE with why (for a message: "the kernel
 * has no filesystem quotas", "ext4 enforces no quota here; ...") when it enforces none. */
int quota_probe_fd(int fd, enum quota_kind *ret, char *why, size_t len);
/* The same for a path, or its nearest existing ancestor (a jail home not made yet). */
int quota_probe_path(const char *path, enum quota_kind *ret, char *why, size_t len);

/* Sets the hard limits of id (bytes rounded up to KiB; 0 removes a limit).  Needs root. */
int quota_set_limits(int fd, enum quota_kind kind, uint32_t id, uint64_t bytes, uint64_t inodes);
int quota_get(int fd, enum quota_kind kind, uint32_t id, struct quota_usage *ret);

/* Gives the directory dirfd, and everything below it that uid owns, the project id projid with
 * the inherit flag on directories, so that what is made there later is counted too.  Walks with
 * O_NOFOLLOW and never leaves the filesystem; symlinks, devices, fifos and sockets keep theirs.
 * Skips the walk when the directory has the id already (the walk ran before). */
int quota_project_tree(int dirfd, uid_t uid, uint32_t projid);

/* The whole disk (major:minor) that holds the filesystem of path, for io.max and blkio
 * throttling: a partition gives its disk.  -ENODEV where there is none (tmpfs, btrfs, NFS). */
int quota_block_device(const char *path, unsigned *ret_major, unsigned *ret_minor);

/*
 * What a policy's quota keys need of this host (quota-policy.c).  limits.disk and limits.inodes
 * cover jail.home and every writable bind; limits.io_read and io_write the disk under jail.home.
 * Probes only (paths are opened to read their filesystem, never changed): jailctl check and
 * jaild ask the same question and give the same answer.
 */
struct quota_plan {
	bool disk; /* limits.disk or limits.inodes asks for a quota */
	bool io;   /* limits.io_read or limits.io_write asks for a cap */
	bool disk_ok, io_ok;
	uint64_t bytes, inodes; /* the limits, 0 for none */
	unsigned io_major, io_minor;
	int bad_key;    /* enum pkey of the first limit that cannot be enforced, or -1 */
	char why[512];  /* and why */
};
struct policy;
/* Fills plan for p (resolved, substituted) and the user uid; 0, or -errno on a failure to
 * look (not on a limit that cannot be enforced: that is plan->bad_key). */
int quota_plan_make(const struct policy *p, uid_t uid, struct quota_plan *plan);
/* Whether this host throttles block I/O per cgroup (v2 io controller, v1 blkio). */
bool quota_host_has_io_cgroup(void);
