// SPDX-License-Identifier: GPL-3.0-or-later
/* Whether this host can enforce a policy's limits.disk, inodes, io_read and io_write; see
 * quota.h.  Shared by jailctl check, jailctl doctor and jaild, so all three say the same. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "policy.h"
#include "quota.h"

static uint64_t limit_of(const struct pval *v)
{
	return v->set && v->num != VALUE_UNLIMITED ? (uint64_t) v->num : 0;
}

bool quota_host_has_io_cgroup(void)
{
	char buf[512] = "";
	struct statfs sf;
	FILE *f;

	if (statfs("/sys/fs/cgroup", &sf) < 0)
		return false;
	if (sf.f_type != CGROUP2_SUPER_MAGIC)
		return access("/sys/fs/cgroup/blkio/blkio.throttle.read_bps_device", F_OK) == 0;
	f = fopen("/sys/fs/cgroup/cgroup.controllers", "re");
	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	for (char *t = strtok(buf, " \n"); t; t = strtok(NULL, " \n"))
		if (streq(t, "io"))
			return true;
	return false;
}

/* One place the disk quota must cover: refuses it into plan when it cannot. */
static void check_place(const char *path, bool bind, uid_t uid, struct quota_plan *plan)
{
	enum quota_kind kind;
	char why[400] = "";
	struct stat st;
	int r;

	if (!plan->disk_ok)
		return;
	r = quota_probe_path(path, &kind, why, sizeof(why));
	if (r == -EACCES || r == -EPERM)
		return; /* jailctl check run as a user: jaild, as root, looks again */
	if (r < 0)
		snprintf(why, sizeof(why), "cannot look at it: %s", strerror(-r));
	else if (kind == QUOTA_PROJECT && bind && stat(path, &st) == 0 && st.st_uid != uid)
		/* A project quota counts a tree the user owns; a shared one is not theirs. */
		snprintf(why, sizeof(why),
			 "it is not the user's (uid %u), so a project quota cannot count it; bind "
			 "a directory per user (src = \"/srv/work/%%u\") or make it read-only",
			 (unsigned) st.st_uid);
	else if (kind != QUOTA_NONE)
		return;
	plan->disk_ok = false;
	snprintf(plan->why, sizeof(plan->why), "%s %s: %s", bind ? "the writable bind" :
		 "the jail home", path, why);
}

int quota_plan_make(const struct policy *p, uid_t uid, struct quota_plan *plan)
{
	const struct pval *binds = &p->v[PK_JAIL_BINDS];
	const char *home = p->v[PK_JAIL_HOME].str;
	int r;

	memset(plan, 0, sizeof(*plan));
	plan->bad_key = -1;
	plan->bytes = limit_of(&p->v[PK_LIMITS_DISK]);
	plan->inodes = limit_of(&p->v[PK_LIMITS_INODES]);
	plan->disk = plan->bytes || plan->inodes;
	plan->io = limit_of(&p->v[PK_LIMITS_IO_READ]) || limit_of(&p->v[PK_LIMITS_IO_WRITE]);
	plan->disk_ok = plan->io_ok = true;
	if (!home)
		return -EINVAL;
	if (plan->disk) {
		check_place(home, false, uid, plan);
		for (size_t i = 0; i < binds->nbinds; i++)
			if (!binds->binds[i].ro)
				check_place(binds->binds[i].src, true, uid, plan);
		if (!plan->disk_ok)
			plan->bad_key = p->v[PK_LIMITS_DISK].set && plan->bytes ? PK_LIMITS_DISK
										 : PK_LIMITS_INODES;
	}
	if (plan->io) {
		r = quota_block_device(home, &plan->io_major, &plan->io_minor);
		if (r == -ENOENT) {
			/* Not made yet: the disk of its parent is the one it will be on. */
			char parent[4096], *slash;
			snprintf(parent, sizeof(parent), "%s", home);
			slash = strrchr(parent, '/');
			if (slash && slash != parent)
				*slash = '\0';
			r = quota_block_device(parent, &plan->io_major, &plan->io_minor);
		}
		if (r < 0 || !quota_host_has_io_cgroup()) {
			plan->io_ok = false;
			if (plan->bad_key < 0) {
				plan->bad_key = limit_of(&p->v[PK_LIMITS_IO_READ])
							? PK_LIMITS_IO_READ
							: PK_LIMITS_IO_WRITE;
				snprintf(plan->why, sizeof(plan->why), "%s",
					 r < 0 ? "the jail home is on no block device (tmpfs, btrfs, "
						 "overlay or NFS), which io.max cannot cap"
					       : "this host's cgroups have no I/O throttling (the v2 "
						 "io controller, or v1 blkio)");
			}
		}
	}
	return 0;
}
