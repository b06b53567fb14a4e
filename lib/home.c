// SPDX-License-Identifier: GPL-3.0-or-later
/* The audit of a jailed user's host home (home.h).  Runs as root in jaild, pam_jaild and jailctl;
 * every walk is openat + O_NOFOLLOW, so a user's symlink is reported, never followed. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cleanup.h"
#include "home.h"

#define AUDIT_DEPTH 16
#define AUDIT_ENTRIES 10000

bool stat_writable_by(const struct stat *st, const struct home_owner *o)
{
	if (st->st_uid == o->uid)
		return true; /* an owner can always chmod */
	if (S_ISLNK(st->st_mode))
		return false;
	if (st->st_mode & S_IWOTH)
		return true;
	if (!(st->st_mode & S_IWGRP))
		return false;
	for (size_t i = 0; i < o->ngids; i++)
		if (o->gids[i] == st->st_gid)
			return true;
	return false;
}

/* An access ACL could grant what the mode bits do not; any entry beyond the mode is refused. */
static bool has_acl(int dfd, const char *name)
{
	char path[64 + NAME_MAX];

	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dfd, name);
	return lgetxattr(path, "system.posix_acl_access", NULL, 0) > 0 ||
	       lgetxattr(path, "system.posix_acl_default", NULL, 0) > 0;
}

struct audit {
	const struct home_owner *o;
	char *why;
	size_t len;
	unsigned entries;
};

static int verdict(struct audit *a, const char *path, const struct stat *st, bool acl)
{
	if (st->st_uid == a->o->uid)
		snprintf(a->why, a->len, "%s is owned by uid %u", path, (unsigned) a->o->uid);
	else if (acl)
		snprintf(a->why, a->len, "%s has an ACL (setfacl -b removes it)", path);
	else if (stat_writable_by(st, a->o))
		snprintf(a->why, a->len, "%s is writable by uid %u (mode %04o, group %u)", path,
			 (unsigned) a->o->uid, (unsigned) (st->st_mode & 07777),
			 (unsigned) st->st_gid);
	else
		return 0;
	return 1;
}

/* dfd is an open directory at path; checks what is in it, depth first. */
static int audit_dir(struct audit *a, int dfd, const char *path, int depth)
{
	_cleanup_close_ int dup_fd = dup(dfd);
	DIR *d;
	struct dirent *e;
	int r = 0;

	if (dup_fd < 0 || !(d = fdopendir(dup_fd)))
		return -errno;
	dup_fd = -1; /* the DIR holds it */
	while (r == 0 && (e = readdir(d))) {
		char sub[PATH_MAX];
		struct stat st;

		if (streq(e->d_name, ".") || streq(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (++a->entries > AUDIT_ENTRIES) {
			snprintf(a->why, a->len, "%s holds over %d entries; cannot audit it", path,
				 AUDIT_ENTRIES);
			r = 1;
			break;
		}
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			snprintf(a->why, a->len, "cannot stat %s: %s", sub, strerror(errno));
			r = -errno;
			break;
		}
		r = verdict(a, sub, &st, !S_ISLNK(st.st_mode) && has_acl(dfd, e->d_name));
		if (r == 0 && S_ISDIR(st.st_mode)) {
			_cleanup_close_ int sfd = -1;
			if (depth >= AUDIT_DEPTH) {
				snprintf(a->why, a->len, "%s is nested too deep to audit", sub);
				r = 1;
				break;
			}
			sfd = openat(dfd, e->d_name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sfd < 0) {
				snprintf(a->why, a->len, "cannot open %s: %s", sub, strerror(errno));
				r = -errno;
				break;
			}
			r = audit_dir(a, sfd, sub, depth + 1);
		}
	}
	closedir(d);
	return r;
}

int home_audit(const char *home, const struct home_owner *o, char *ret_why, size_t len)
{
	struct audit a = { .o = o, .why = ret_why, .len = len };
	_cleanup_close_ int fd = -1;
	char copy[PATH_MAX], *slash;
	struct stat st;
	int r;

	ret_why[0] = '\0';
	if (!home || home[0] != '/' || strlen(home) >= sizeof(copy)) {
		snprintf(ret_why, len, "home '%.100s' is not an absolute path", home ? home : "");
		return 1;
	}
	/* Every directory above: whoever may write one could swap the home for their own. */
	snprintf(copy, sizeof(copy), "%s", home);
	while ((slash = strrchr(copy, '/')) && slash != copy) {
		*slash = '\0';
		if (stat(copy, &st) < 0) {
			snprintf(ret_why, len, "cannot stat %s: %s", copy, strerror(errno));
			return -errno;
		}
		if (st.st_uid != 0 && stat_writable_by(&st, o)) {
			snprintf(ret_why, len, "%s, above the home, is writable by uid %u", copy,
				 (unsigned) o->uid);
			return 1;
		}
		if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
			if (st.st_mode & S_ISVTX)
				continue; /* /tmp-like: others cannot rename what root made */
			snprintf(ret_why, len, "%s, above the home, is writable by others than root",
				 copy);
			return 1;
		}
	}
	fd = open(home, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(ret_why, len, "%s does not exist", home);
		else if (errno == ELOOP || errno == ENOTDIR)
			snprintf(ret_why, len, "%s is not a directory (a symlink?)", home);
		else
			snprintf(ret_why, len, "cannot open %s: %s", home, strerror(errno));
		return errno == ENOENT || errno == ELOOP || errno == ENOTDIR ? 1 : -errno;
	}
	if (fstat(fd, &st) < 0)
		return -errno;
	{
		char self[32];
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		r = verdict(&a, home, &st,
			    getxattr(self, "system.posix_acl_access", NULL, 0) > 0 ||
				    getxattr(self, "system.posix_acl_default", NULL, 0) > 0);
	}
	if (r == 0 && st.st_uid != 0) {
		snprintf(ret_why, len, "%s is owned by uid %u, not root", home, (unsigned) st.st_uid);
		r = 1;
	}
	return r ? r : audit_dir(&a, fd, home, 0);
}
