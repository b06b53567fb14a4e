// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Builds a jail's root.  Runs in the jail's init right after clone(): root, in new mount, pid,
 * ipc, uts (and net) namespaces, before anything of the user runs.  It trusts the policy
 * (root's files) and nothing the user owns: bind sources are opened by path_open_trusted(),
 * which never follows a user's symlink, and mounted from that fd (open_tree), so what is
 * checked is what is mounted.  Mount points are created only on the jail's own tmpfs
 * (RESOLVE_NO_XDEV), never inside a bind, and every walk refuses symlinks.
 *
 * Order (bubblewrap's, with rprivate): make / rprivate; tmpfs on the stage dir; binds (each
 * nosuid,nodev, ro unless the policy says otherwise, recursively); /tmp; /dev with a private
 * devpts; /proc of the new pid namespace (mount-proc.c); /etc made for the jail; rshell; pivot_root(".", ".")
 * and detach the old root; the root tmpfs read-only.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "jaild.h"
#include "path.h"
#include "strv.h"

static char *why_errno(const char *what, const char *path, int err)
{
	char *s = NULL;

	if (asprintf(&s, "%s %s: %s", what, path, strerror(err)) < 0)
		return (char *) "out of memory";
	return s;
}

static int openat2_fd(int dfd, const char *path, uint64_t flags, uint64_t resolve, mode_t mode)
{
	struct open_how how = { .flags = flags | O_CLOEXEC, .mode = mode, .resolve = resolve };
	int fd = (int) syscall(SYS_openat2, dfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : fd;
}

/*
 * Opens (creating on the root tmpfs if needed) the mount point dst below rootfd.  Components are
 * created only while the walk stays on the root tmpfs; once it enters an earlier bind
 * (RESOLVE_NO_XDEV says EXDEV), the rest must already exist there.
 */
static int make_mountpoint(int rootfd, const char *dst, bool is_dir)
{
	_cleanup_free_ char *copy = strdup(dst);
	char *save = NULL, *comp, *next;
	int cur = dup(rootfd), r;
	bool on_tmpfs = true;

	if (!copy || cur < 0)
		return -ENOMEM;
	for (comp = strtok_r(copy, "/", &save); comp; comp = next) {
		next = strtok_r(NULL, "/", &save);
		bool last = next == NULL;
		uint64_t res = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |
			       (on_tmpfs ? RESOLVE_NO_XDEV : 0);
		int fd;

		if (last && !is_dir) {
			fd = openat2_fd(cur, comp, O_PATH, res, 0);
			if (fd == -ENOENT && on_tmpfs) {
				fd = openat2_fd(cur, comp, O_WRONLY | O_CREAT | O_EXCL, res, 0644);
				if (fd >= 0) {
					close(fd);
					fd = openat2_fd(cur, comp, O_PATH, res, 0);
				}
			}
		} else {
			fd = openat2_fd(cur, comp, O_PATH | O_DIRECTORY, res, 0);
			if (fd == -EXDEV) {
				on_tmpfs = false;
				fd = openat2_fd(cur, comp, O_PATH | O_DIRECTORY,
						RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH, 0);
			} else if (fd == -ENOENT && on_tmpfs) {
				if (mkdirat(cur, comp, 0755) < 0 && errno != EEXIST) {
					r = -errno;
					close(cur);
					return r;
				}
				fd = openat2_fd(cur, comp, O_PATH | O_DIRECTORY, res, 0);
			}
		}
		close(cur);
		if (fd < 0)
			return fd;
		cur = fd;
	}
	return cur;
}

/* Clones the tree at srcfd and attaches it at dstfd with the given attributes. */
static int attach_tree(int srcfd, int dstfd, uint64_t attrs)
{
	struct mount_attr a = { .attr_set = attrs, .propagation = MS_PRIVATE };
	_cleanup_close_ int tree = open_tree(srcfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
								AT_EMPTY_PATH | AT_RECURSIVE);

	if (tree < 0)
		return -errno;
	if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0)
		return -errno;
	if (move_mount(tree, "", dstfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

static int make_symlink(int rootfd, const char *dst, const char *target)
{
	_cleanup_free_ char *parent = strdup(dst);
	char *slash = parent ? strrchr(parent, '/') : NULL;
	_cleanup_close_ int pfd = -1;

	if (!slash)
		return -ENOMEM;
	*slash = '\0';
	pfd = parent[0] ? make_mountpoint(rootfd, parent, true) : dup(rootfd);
	if (pfd < 0)
		return pfd;
	return symlinkat(target, pfd, slash + 1) < 0 ? -errno : 0;
}

static int cmp_bind_dst(const void *a, const void *b)
{
	return strcmp((*(const struct bind *const *) a)->dst, (*(const struct bind *const *) b)->dst);
}

/* The policy's binds plus home, the jail home shown read-write at the passwd home's path. */
static int mount_binds(int rootfd, const struct pval *binds, const struct bind *home,
		       char **ret_why)
{
	_cleanup_free_ const struct bind **sorted = calloc(binds->nbinds + 2, sizeof(*sorted));
	size_t n = 0;

	if (!sorted)
		return -ENOMEM;
	for (size_t i = 0; i < binds->nbinds; i++)
		sorted[n++] = &binds->binds[i];
	sorted[n++] = home;
	/* Parents before children: "/usr" sorts before "/usr/local". */
	qsort(sorted, n, sizeof(*sorted), cmp_bind_dst);
	for (size_t i = 0; i < n; i++) {
		const struct bind *b = sorted[i];
		_cleanup_close_ int srcfd = -1, dstfd = -1;
		_cleanup_free_ char *link = NULL;
		struct stat st;
		int r;

		srcfd = path_open_trusted(b->src, &link);
		if (srcfd == -EMLINK) {
			/* A root-made symlink such as /bin -> usr/bin is recreated, not followed. */
			r = make_symlink(rootfd, b->dst, link);
			if (r < 0) {
				*ret_why = why_errno("cannot create the symlink", b->dst, -r);
				return r;
			}
			continue;
		}
		if (srcfd == -ENOENT && b->optional)
			continue;
		if (srcfd < 0) {
			*ret_why = srcfd == -ELOOP
					   ? why_errno("refusing bind source", b->src,
						       ELOOP) /* a symlink a user could have made */
					   : why_errno("cannot open bind source", b->src, -srcfd);
			return srcfd;
		}
		if (fstat(srcfd, &st) < 0)
			return -errno;
		dstfd = make_mountpoint(rootfd, b->dst, S_ISDIR(st.st_mode));
		if (dstfd < 0) {
			*ret_why = why_errno("cannot create the mount point", b->dst, -dstfd);
			return dstfd;
		}
		r = attach_tree(srcfd, dstfd,
				MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (b->ro ? MOUNT_ATTR_RDONLY : 0));
		if (r < 0) {
			*ret_why = why_errno("cannot bind", b->src, -r);
			return r;
		}
	}
	return 0;
}

static int mkdir_in(const char *stage, const char *rel, mode_t mode, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s/%s", stage, rel);
	if (mkdir(out, mode) < 0 && errno != EEXIST)
		return -errno;
	return chmod(out, mode) < 0 ? -errno : 0;
}

static int build_dev(const char *stage, char **ret_why)
{
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = { { "ptmx", "pts/ptmx" },
						{ "fd", "/proc/self/fd" },
						{ "stdin", "/proc/self/fd/0" },
						{ "stdout", "/proc/self/fd/1" },
						{ "stderr", "/proc/self/fd/2" } };
	char dev[4096], path[4200], host[64];
	int r;

	r = mkdir_in(stage, "dev", 0755, dev, sizeof(dev));
	if (r < 0 || mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k") < 0) {
		*ret_why = why_errno("cannot mount", "/dev", r < 0 ? -r : errno);
		return -errno;
	}
	/* Bind the host's nodes: no mknod, and the jail gets exactly these devices. */
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		int fd;
		snprintf(path, sizeof(path), "%s/%s", dev, nodes[i]);
		snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0)
			close(fd);
		if (mount(host, path, NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NOEXEC, NULL) < 0) {
			*ret_why = why_errno("cannot bind", host, errno);
			return -errno;
		}
	}
	snprintf(path, sizeof(path), "%s/pts", dev);
	if (mkdir(path, 0755) < 0 ||
	    mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620,gid=5") < 0) {
		*ret_why = why_errno("cannot mount a private devpts on", "/dev/pts", errno);
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/shm", dev);
	if (mkdir(path, 01777) < 0 ||
	    mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=16m") < 0) {
		*ret_why = why_errno("cannot mount", "/dev/shm", errno);
		return -errno;
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dev, links[i][0]);
		if (symlink(links[i][1], path) < 0) {
			*ret_why = why_errno("cannot create", path, errno);
			return -errno;
		}
	}
	return 0;
}

static int write_file(const char *path, const char *content, mode_t mode)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
				      mode);
	size_t n = strlen(content);

	if (fd < 0)
		return -errno;
	return write(fd, content, n) == (ssize_t) n ? 0 : -EIO;
}

/* Copies a host /etc file in, or recreates it as a symlink when root made it one. */
static int copy_etc(const char *etc, const char *name)
{
	char src[4096], dst[4200], buf[65536];
	_cleanup_free_ char *link = NULL;
	_cleanup_close_ int pfd = -1, in = -1, out = -1;
	struct stat st;
	ssize_t n;

	snprintf(src, sizeof(src), "/etc/%s", name);
	snprintf(dst, sizeof(dst), "%s/%s", etc, name);
	pfd = path_open_trusted(src, &link);
	if (pfd == -EMLINK)
		return symlink(link, dst) < 0 ? -errno : 0;
	if (pfd == -ENOENT)
		return 0; /* the host has none: the jail has none */
	if (pfd < 0)
		return pfd;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", pfd);
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return 0; /* directories such as profile.d are not copied */
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (out < 0)
		return -errno;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t) n) != n)
			return -EIO;
	return n < 0 ? -errno : 0;
}

static int build_etc(const struct jail_build *b, char **ret_why)
{
	const struct pval *files = &b->policy->v[PK_JAIL_ETC];
	const char *prog = b->policy->v[PK_SHELL_PROGRAM].str;
	char etc[4096], path[4200];
	_cleanup_free_ char *passwd = NULL;
	char *group = NULL;
	size_t glen = 0;
	FILE *g;
	int r;

	r = mkdir_in(b->stage, "etc", 0755, etc, sizeof(etc));
	if (r < 0) {
		*ret_why = why_errno("cannot create", "/etc", -r);
		return r;
	}
	if (asprintf(&passwd,
		     "root:x:0:0:root:/root:/usr/sbin/nologin\n"
		     "%s:x:%u:%u::%s:%s\n"
		     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
		     b->user, (unsigned) b->uid, (unsigned) b->gid, b->home,
		     streq(prog, "rshell") ? JAIL_RSHELL : prog) < 0)
		return -ENOMEM;
	g = open_memstream(&group, &glen);
	if (!g)
		return -ENOMEM;
	fputs("root:x:0:\ntty:x:5:\n", g);
	for (size_t i = 0; i < b->ngroups; i++)
		if (b->group_gids[i] != 0 && b->group_gids[i] != 5 && b->group_gids[i] != 65534)
			fprintf(g, "%s:x:%u:%s\n", b->groups[i], (unsigned) b->group_gids[i],
				b->user);
	fputs("nogroup:x:65534:\n", g);
	fclose(g);
	snprintf(path, sizeof(path), "%s/passwd", etc);
	r = write_file(path, passwd, 0644);
	snprintf(path, sizeof(path), "%s/group", etc);
	if (r == 0)
		r = write_file(path, group, 0644);
	free(group);
	if (r < 0) {
		*ret_why = why_errno("cannot write", path, -r);
		return r;
	}
	for (size_t i = 0; files->list && files->list[i]; i++) {
		r = copy_etc(etc, files->list[i]);
		if (r < 0) {
			*ret_why = why_errno("cannot copy /etc/", files->list[i], -r);
			return r;
		}
	}
	/* man reads its search path from here: a jail that may run man gets the host's (no
	 * secrets in it; none when the host has none). */
	if (strv_contains(b->policy->v[PK_SHELL_COMMANDS].list, "man") &&
	    !strv_contains(files->list, "manpath.config")) {
		r = copy_etc(etc, "manpath.config");
		if (r < 0) {
			*ret_why = why_errno("cannot copy /etc/", "manpath.config", -r);
			return r;
		}
	}
	return 0;
}

/* The jail's own copy of its policy, for rshell inside: on the read-only root, root's. */
static int write_policy_copy(const char *stage, const struct policy *p, char **ret_why)
{
	char dir[4096], path[4200];
	struct policy *copy = policy_dup(p);
	int fd, r = copy ? mkdir_in(stage, ".corral", 0755, dir, sizeof(dir)) : -ENOMEM;
	FILE *f;

	if (r < 0) {
		policy_free(copy);
		*ret_why = why_errno("cannot create", "/.corral", -r);
		return r;
	}
	for (int k = 0; k < PK__COUNT; k++)
		if (PKEY_FILE_LOCAL(k))
			pval_clear(&copy->v[k]);
	snprintf(path, sizeof(path), "%s/policy.conf", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		policy_free(copy);
		*ret_why = why_errno("cannot write", "/.corral/policy.conf", errno);
		return -EIO;
	}
	fputs("# This jail's policy, written by jaild when the jail was built.\n", f);
	policy_print(copy, f, false);
	policy_free(copy);
	return fclose(f) == 0 ? 0 : -EIO;
}

static int bind_rshell(const char *stage, const char *rshell, char **ret_why)
{
	char dir[4096], path[4200];
	int fd, r;

	r = mkdir_in(stage, ".corral", 0755, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/rshell", dir);
	fd = r < 0 ? -1 : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd >= 0)
		close(fd);
	if (fd < 0 || mount(rshell, path, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) <
		    0) {
		*ret_why = why_errno("cannot bind rshell", rshell, errno);
		return -errno;
	}
	return 0;
}

int mount_build_root(const struct jail_build *b, char **ret_why)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					     MOUNT_ATTR_NODEV };
	_cleanup_close_ int rootfd = -1;
	char path[4096], opts[64];
	struct bind home;
	int r;

	/* Nothing done here may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		*ret_why = why_errno("cannot make", "/ private", errno);
		return -errno;
	}
	if (mount("tmpfs", b->stage, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=8m") < 0) {
		*ret_why = why_errno("cannot mount the root tmpfs on", b->stage, errno);
		return -errno;
	}
	rootfd = open(b->stage, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	home = (struct bind){ .src = b->policy->v[PK_JAIL_HOME].str, .dst = (char *) b->home };
	r = mount_binds(rootfd, &b->policy->v[PK_JAIL_BINDS], &home, ret_why);
	if (r < 0)
		return r;
	r = mkdir_in(b->stage, "tmp", 01777, path, sizeof(path));
	snprintf(opts, sizeof(opts), "mode=1777,size=%lld",
		 (long long) b->policy->v[PK_JAIL_TMP].num);
	if (r < 0 || mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
		*ret_why = why_errno("cannot mount", "/tmp", r < 0 ? -r : errno);
		return -errno;
	}
	r = build_dev(b->stage, ret_why);
	if (r < 0)
		return r;
	r = mount_proc(b->stage, ret_why);
	if (r < 0)
		return r;
	r = build_etc(b, ret_why);
	if (r == 0)
		r = write_policy_copy(b->stage, b->policy, ret_why);
	if (r < 0)
		return r;
	if (b->rshell) {
		r = bind_rshell(b->stage, b->rshell, ret_why);
		if (r < 0)
			return r;
	}
	/* The /dev tmpfs holds only what we put there: freeze it. */
	snprintf(path, sizeof(path), "%s/dev", b->stage);
	if (mount_setattr(AT_FDCWD, path, 0, &ro, sizeof(ro)) < 0) {
		*ret_why = why_errno("cannot make read-only", "/dev", errno);
		return -errno;
	}
	if (chdir(b->stage) < 0 || syscall(SYS_pivot_root, ".", ".") < 0) {
		*ret_why = why_errno("cannot pivot_root into", b->stage, errno);
		return -errno;
	}
	/* The old root now sits on top of the new one: detach it. */
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0) {
		*ret_why = why_errno("cannot detach", "the old root", errno);
		return -errno;
	}
	if (mount_setattr(AT_FDCWD, "/", 0, &ro, sizeof(ro)) < 0) {
		*ret_why = why_errno("cannot make read-only", "/", errno);
		return -errno;
	}
	return 0;
}
