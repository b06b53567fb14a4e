// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Disk, inode and I/O limits of a jail: filesystem quotas on jail.home and the writable binds,
 * io.max (or v1 blkio throttling) on the cgroup.  The id is the user's uid, as project id or
 * user id: deterministic, so teardown, unenroll and a restarted jaild find the same record.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "jail-quota.h"
#include "jaild.h"
#include "log.h"
#include "path.h"
#include "quota.h"
#include "strv.h"

/* A real fd on a directory reached without following a user's symlink (path_open_trusted
 * gives O_PATH, which ioctl and quotactl_fd refuse). */
static int open_dir_trusted(const char *path)
{
	_cleanup_close_ int opath = path_open_trusted(path, NULL);
	char self[64];
	int fd;

	if (opath < 0)
		return opath;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", opath);
	fd = open(self, O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* the fd itself, no lookup */
	return fd < 0 ? -errno : fd;
}

/* Sets the quota of one place; *ret_why on failure. */
static int quota_place(const char *path, uid_t uid, const struct quota_plan *plan, char **ret_why)
{
	_cleanup_close_ int fd = open_dir_trusted(path);
	enum quota_kind kind;
	char why[400] = "";
	int r;

	if (fd == -ENOENT)
		return 0; /* an optional bind that is absent: nothing to count */
	if (fd < 0) {
		*ret_why = strdup_printf("cannot open %s for its quota: %s", path, strerror(-fd));
		return fd;
	}
	r = quota_probe_fd(fd, &kind, why, sizeof(why));
	if (r == 0 && kind == QUOTA_NONE)
		r = -EOPNOTSUPP;
	if (r == 0 && kind == QUOTA_PROJECT) {
		r = quota_project_tree(fd, uid, (uint32_t) uid);
		if (r < 0)
			snprintf(why, sizeof(why), "cannot set project id %u on what it holds: %s",
				 (unsigned) uid, strerror(-r));
	}
	if (r == 0) {
		r = quota_set_limits(fd, kind, (uint32_t) uid, plan->bytes, plan->inodes);
		if (r < 0)
			snprintf(why, sizeof(why), "cannot set the %s quota of id %u: %s",
				 kind == QUOTA_PROJECT ? "project" : "user", (unsigned) uid,
				 strerror(-r));
	}
	if (r < 0)
		*ret_why = strdup_printf("%s: %s", path, why[0] ? why : strerror(-r));
	return r;
}

static int set_disk_quota(const struct policy *p, uid_t uid, const struct quota_plan *plan,
			  char **ret_why)
{
	const struct pval *b = &p->v[PK_JAIL_BINDS];
	int r = quota_place(p->v[PK_JAIL_HOME].str, uid, plan, ret_why);

	for (size_t i = 0; r == 0 && i < b->nbinds; i++)
		if (!b->binds[i].ro)
			r = quota_place(b->binds[i].src, uid, plan, ret_why);
	return r;
}

int jail_quota_setup(struct jaild *d, const char *user, const char *cgname, uid_t uid,
		     const struct policy *p, char **ret_why)
{
	const bool optional = p->v[PK_LIMITS_QUOTA_OPTIONAL].num;
	struct quota_plan plan;
	int r;

	*ret_why = NULL;
	r = quota_plan_make(p, uid, &plan);
	if (r < 0) {
		*ret_why = strdup_printf("cannot plan the quotas of %s: %s", user, strerror(-r));
		return r;
	}
	if (plan.bad_key >= 0) {
		const struct pval *v = &p->v[plan.bad_key];
		if (!optional) {
			*ret_why = strdup_printf("%s (%s:%d) cannot be enforced on this host: %s; "
						 "fix the host, or set limits.quota_optional = true",
						 pkey_table[plan.bad_key].name, v->file, v->line,
						 plan.why);
			return -EOPNOTSUPP;
		}
		log_warning("jail of %s: %s not enforced (limits.quota_optional): %s", user,
			    pkey_table[plan.bad_key].name, plan.why);
	}
	if (plan.disk && plan.disk_ok) {
		r = set_disk_quota(p, uid, &plan, ret_why);
		if (r < 0)
			return r; /* the probe said yes: a failure now is a fault, never skipped */
	}
	if (plan.io && plan.io_ok) {
		r = d->cg->be->io_max(d->cg, cgname, plan.io_major, plan.io_minor,
				      p->v[PK_LIMITS_IO_READ].set ? p->v[PK_LIMITS_IO_READ].num
								  : VALUE_UNLIMITED,
				      p->v[PK_LIMITS_IO_WRITE].set ? p->v[PK_LIMITS_IO_WRITE].num
								   : VALUE_UNLIMITED);
		if (r < 0) {
			*ret_why = strdup_printf("cannot cap the I/O of %s on disk %u:%u: %s", user,
						 plan.io_major, plan.io_minor, strerror(-r));
			return r;
		}
	}
	return 0;
}

static void release_place(const char *user, const char *path, uid_t uid)
{
	_cleanup_close_ int fd = open_dir_trusted(path);
	enum quota_kind kind;
	char why[400];
	int r;

	if (fd < 0 || quota_probe_fd(fd, &kind, why, sizeof(why)) < 0 || kind == QUOTA_NONE)
		return;
	r = quota_set_limits(fd, kind, (uint32_t) uid, 0, 0);
	if (r < 0)
		log_err("jail of %s: cannot remove the quota of id %u on %s: %s", user,
			(unsigned) uid, path, strerror(-r));
}

void jail_quota_release(const char *user, uid_t uid, const struct policy *p)
{
	const struct pval *b = &p->v[PK_JAIL_BINDS];
	struct quota_plan plan;

	if (!p || p->v[PK_LIMITS_QUOTA_KEEP].num || quota_plan_make(p, uid, &plan) < 0 ||
	    !plan.disk || !plan.disk_ok)
		return;
	release_place(user, p->v[PK_JAIL_HOME].str, uid);
	for (size_t i = 0; i < b->nbinds; i++)
		if (!b->binds[i].ro)
			release_place(user, b->binds[i].src, uid);
}

void jail_quota_usage(uid_t uid, const struct policy *p, struct quota_usage *ret)
{
	_cleanup_close_ int fd = -1;
	enum quota_kind kind;
	char why[400];

	memset(ret, 0, sizeof(*ret));
	if (!p || !p->v[PK_JAIL_HOME].str)
		return;
	fd = open_dir_trusted(p->v[PK_JAIL_HOME].str);
	if (fd < 0 || quota_probe_fd(fd, &kind, why, sizeof(why)) < 0 || kind == QUOTA_NONE ||
	    quota_get(fd, kind, (uint32_t) uid, ret) < 0)
		memset(ret, 0, sizeof(*ret));
}

void jail_quota_fill(const struct jail *j, struct proto_jail *pj)
{
	struct quota_usage u;

	jail_quota_usage(j->uid, j->policy, &u);
	pj->disk_cur = u.bytes;
	pj->disk_max = u.bytes_max;
	pj->inodes_cur = u.inodes;
	pj->inodes_max = u.inodes_max;
}
