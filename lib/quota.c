// SPDX-License-Identifier: GPL-3.0-or-later
/* Filesystem quotas through quotactl_fd, project ids through FS_IOC_FSSETXATTR, and the disk
 * under a path; see quota.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/dqblk_xfs.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/quota.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "quota.h"

#ifndef SYS_quotactl_fd
#define SYS_quotactl_fd 443 /* the same number on every architecture */
#endif
#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif

/* Deeper trees are refused rather than walked with an fd per level. */
#define WALK_DEPTH_MAX 256

static int qctl(int fd, int cmd, int type, uint32_t id, void *addr)
{
	return syscall(SYS_quotactl_fd, fd, QCMD(cmd, type), id, addr) < 0 ? -errno : 0;
}

static int qtype(enum quota_kind kind)
{
	return kind == QUOTA_PROJECT ? PRJQUOTA : USRQUOTA;
}

static const char *fs_name(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return "unknown";
	switch ((unsigned long) sf.f_type) {
	case EXT4_SUPER_MAGIC: return "ext4";
	case XFS_SUPER_MAGIC: return "xfs";
	case BTRFS_SUPER_MAGIC: return "btrfs";
	case TMPFS_MAGIC: return "tmpfs";
	case OVERLAYFS_SUPER_MAGIC: return "overlay";
	case NFS_SUPER_MAGIC: return "nfs";
	default: return "this filesystem";
	}
}

int quota_probe_fd(int fd, enum quota_kind *ret, char *why, size_t len)
{
	struct fs_quota_statv st = { .qs_version = FS_QSTATV_VERSION1 };
	const char *fs = fs_name(fd);
	int r;

	*ret = QUOTA_NONE;
	r = qctl(fd, Q_XGETQSTATV, USRQUOTA, 0, &st);
	if (r == -ENOSYS || r == -EOPNOTSUPP || r == -ENOTTY) {
		snprintf(why, len,
			 "%s has no quota support here (a kernel without CONFIG_QUOTA or older than "
			 "5.14, or a filesystem without quotas)",
			 fs);
		return 0;
	}
	if (r < 0)
		return r;
	if (st.qs_flags & FS_QUOTA_PDQ_ENFD)
		*ret = QUOTA_PROJECT;
	else if (st.qs_flags & FS_QUOTA_UDQ_ENFD)
		*ret = QUOTA_USER;
	else if (streq(fs, "xfs"))
		snprintf(why, len, "xfs enforces no quota here; mount it with prjquota (or usrquota)");
	else
		snprintf(why, len,
			 "%s enforces no quota here; for ext4 run tune2fs -O quota,project on the "
			 "unmounted filesystem and mount it with prjquota (or usrquota)",
			 fs);
	return 0;
}

int quota_probe_path(const char *path, enum quota_kind *ret, char *why, size_t len)
{
	_cleanup_free_ char *p = strdup(path);
	int fd;

	if (!p)
		return -ENOMEM;
	/* A home not made yet: its filesystem is that of the nearest existing ancestor. */
	for (;;) {
		fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT)
			break;
		char *slash = strrchr(p, '/');
		if (!slash)
			return -ENOENT;
		if (slash == p)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	if (fd < 0)
		return -errno;
	int r = quota_probe_fd(fd, ret, why, len);
	close(fd);
	return r;
}

int quota_set_limits(int fd, enum quota_kind kind, uint32_t id, uint64_t bytes, uint64_t inodes)
{
	struct if_dqblk q = { .dqb_bhardlimit = bytes / 1024 + (bytes % 1024 != 0),
			      .dqb_ihardlimit = inodes,
			      .dqb_valid = QIF_LIMITS };

	if (kind == QUOTA_NONE)
		return -EOPNOTSUPP;
	return qctl(fd, Q_SETQUOTA, qtype(kind), id, &q);
}

int quota_get(int fd, enum quota_kind kind, uint32_t id, struct quota_usage *ret)
{
	struct if_dqblk q = { 0 };
	int r;

	memset(ret, 0, sizeof(*ret));
	if (kind == QUOTA_NONE)
		return -EOPNOTSUPP;
	r = qctl(fd, Q_GETQUOTA, qtype(kind), id, &q);
	if (r < 0)
		return r;
	*ret = (struct quota_usage){ .bytes = q.dqb_curspace, .inodes = q.dqb_curinodes,
				     .bytes_max = q.dqb_bhardlimit * 1024,
				     .inodes_max = q.dqb_ihardlimit };
	return 0;
}

static int set_projid(int fd, uint32_t projid, bool dir)
{
	struct fsxattr fa;

	if (ioctl(fd, FS_IOC_FSGETXATTR, &fa) < 0)
		return -errno;
	if (fa.fsx_projid == projid && (!dir || (fa.fsx_xflags & FS_XFLAG_PROJINHERIT)))
		return 0;
	fa.fsx_projid = projid;
	if (dir)
		fa.fsx_xflags |= FS_XFLAG_PROJINHERIT;
	return ioctl(fd, FS_IOC_FSSETXATTR, &fa) < 0 ? -errno : 0;
}

/* Only what uid owns is relabelled: a file linked in from elsewhere is not the user's to be
 * charged for, and its project is someone else's. */
static int walk(int dfd, dev_t dev, uid_t uid, uint32_t projid, int depth)
{
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;
	int r = 0, dup_fd;

	if (depth > WALK_DEPTH_MAX)
		return -ELOOP;
	dup_fd = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
	if (dup_fd < 0)
		return -errno;
	d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		struct stat st;
		int fd, w;

		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_uid != uid ||
		    st.st_dev != dev || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
			continue;
		fd = openat(dfd, de->d_name,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
				    (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
		if (fd < 0)
			continue; /* gone, or swapped for something else: not ours to follow */
		/* Recheck what was opened: the name may have been replaced since fstatat. */
		if (fstat(fd, &st) < 0 || st.st_uid != uid || st.st_dev != dev ||
		    !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
			close(fd);
			continue;
		}
		w = set_projid(fd, projid, S_ISDIR(st.st_mode));
		if (w == 0 && S_ISDIR(st.st_mode))
			w = walk(fd, dev, uid, projid, depth + 1);
		close(fd);
		if (w < 0 && !r)
			r = w;
	}
	return r;
}

int quota_project_tree(int dirfd, uid_t uid, uint32_t projid)
{
	struct fsxattr fa;
	struct stat st;
	int r;

	if (fstat(dirfd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (ioctl(dirfd, FS_IOC_FSGETXATTR, &fa) < 0)
		return -errno;
	if (fa.fsx_projid == projid && (fa.fsx_xflags & FS_XFLAG_PROJINHERIT))
		return 0;
	/* The top first: what is made during the walk inherits the id already. */
	r = set_projid(dirfd, projid, true);
	return r < 0 ? r : walk(dirfd, st.st_dev, uid, projid, 0);
}

static int read_dev(const char *path, unsigned *ret_major, unsigned *ret_minor)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	return fscanf(f, "%u:%u", ret_major, ret_minor) == 2 ? 0 : -EIO;
}

int quota_block_device(const char *path, unsigned *ret_major, unsigned *ret_minor)
{
	char sys[128];
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (major(st.st_dev) == 0)
		return -ENODEV; /* anonymous: tmpfs, overlay, btrfs, NFS */
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u/partition", major(st.st_dev),
		 minor(st.st_dev));
	if (access(sys, F_OK) == 0) {
		/* io.max takes the disk, not a partition of it. */
		snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u/../dev", major(st.st_dev),
			 minor(st.st_dev));
		return read_dev(sys, ret_major, ret_minor);
	}
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u/dev", major(st.st_dev), minor(st.st_dev));
	return read_dev(sys, ret_major, ret_minor) < 0 ? -ENODEV : 0;
}
