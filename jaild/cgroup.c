// SPDX-License-Identifier: GPL-3.0-or-later
/* Backend detection and the file helpers both backends use. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "log.h"

const char *const cg_v1_controllers[CG_V1_CONTROLLERS] = { "memory", "pids", "cpu",
							   "cpuacct", "blkio", "freezer" };

/*
 * Why a clone that lands in the cgroup: moving a process afterwards through cgroup.procs takes
 * the global threadgroup lock for writing, which waits for an RCU grace period (7 to 15 ms on
 * the development machine; the largest part of a spawn).  v1 avoids it through "tasks" (a
 * thread moving itself), v2 through CLONE_INTO_CGROUP.
 */
pid_t cg_clone(const struct cgroups *cg, uint64_t flags, int exit_signal, const int *join,
	       int njoin, bool *ret_joined)
{
	*ret_joined = false;
	if (cg->be->join_by_clone && njoin == 1) {
		struct clone_args args = { .flags = flags | CLONE_INTO_CGROUP,
					   .exit_signal = (uint64_t) exit_signal,
					   .cgroup = (uint64_t) join[0] };
		long pid = syscall(SYS_clone3, &args, sizeof(args));
		if (pid >= 0) {
			*ret_joined = true;
			return (pid_t) pid;
		}
		if (errno != ENOSYS && errno != E2BIG && errno != EINVAL)
			return -1;
		/* An older kernel: a plain clone, and the child writes cgroup.procs. */
		log_notice("CLONE_INTO_CGROUP refused (%s): joining through cgroup.procs",
			   strerror(errno));
	}
	return (pid_t) syscall(SYS_clone, (unsigned long) flags | (unsigned long) exit_signal, NULL,
			       NULL, NULL, 0);
}

int cg_join_self(const struct cgroups *cg, const int *join, int njoin)
{
	int r = 0;

	for (int i = 0; i < njoin; i++) {
		int fd = cg->be->join_by_clone
				 ? openat(join[i], "cgroup.procs", O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
				 : join[i];
		if (fd < 0 || write(fd, "0", 1) != 1)
			r = r ? r : -errno;
		if (fd >= 0 && fd != join[i])
			close(fd);
		close(join[i]);
	}
	return r;
}

int cg_write(const char *dir, const char *file, const char *value)
{
	char path[4096];
	size_t n = strlen(value);
	int fd;
	ssize_t w;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	w = write(fd, value, n);
	if (w < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	close(fd);
	return (size_t) w == n ? 0 : -EIO;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *ret)
{
	char path[4096], buf[64];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	if (strncmp(buf, "max", 3) == 0) {
		*ret = UINT64_MAX;
		return 0;
	}
	*ret = strtoull(buf, NULL, 10);
	return 0;
}

/* Finds where each v1 controller is mounted, from /proc/self/mountinfo. */
static void find_v1_mounts(struct cgroups *cg)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t len = 0;

	if (!f)
		return;
	while (getline(&line, &len, f) > 0) {
		char mnt[4096], *dash = strstr(line, " - "), fstype[64], src[256], opts[1024];

		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(dash + 3, "%63s %255s %1023s", fstype, src, opts) != 3 ||
		    strcmp(fstype, "cgroup") != 0)
			continue;
		for (int i = 0; i < CG_V1_CONTROLLERS; i++) {
			char *tok, *save = NULL, copy[1024];
			snprintf(copy, sizeof(copy), "%s", opts);
			for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				if (strcmp(tok, cg_v1_controllers[i]) == 0 && !cg->v1_mount[i])
					cg->v1_mount[i] = strdup(mnt);
		}
	}
	free(line);
}

void cg_free(struct cgroups *cg)
{
	if (!cg)
		return;
	for (int i = 0; i < CG_V1_CONTROLLERS; i++)
		free(cg->v1_mount[i]);
	free(cg->v2_mount);
	free(cg->root);
	free(cg);
}

int cg_init(const char *backend, const char *root, struct cgroups **ret, char **ret_why)
{
	struct cgroups *cg = calloc(1, sizeof(*cg));
	struct statfs sf;
	bool unified = statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
	int r;

	*ret_why = NULL;
	if (!cg)
		return -ENOMEM;
	find_v1_mounts(cg);
	if (streq(backend, "v2") || (streq(backend, "auto") && unified)) {
		cg->be = &cg_v2_backend;
		cg->v2_mount = strdup("/sys/fs/cgroup");
	} else if (streq(backend, "v1") || streq(backend, "auto")) {
		cg->be = &cg_v1_backend;
		if (!cg->v1_mount[0] || !cg->v1_mount[1]) {
			*ret_why = strdup("cgroup v1 without the memory and pids controllers; "
					  "mount them or boot with cgroup v2");
			cg_free(cg);
			return -ENOENT;
		}
	} else {
		*ret_why = strdup("--cgroup-backend must be auto, v1 or v2");
		cg_free(cg);
		return -EINVAL;
	}
	/* An absolute path names a v2 cgroup (jaild.service's delegated subtree); v1 hierarchies
	 * take a name, and on a host booted with the legacy hierarchy the jails live under
	 * "corral" in each (systemd still tracks their processes as the service's). */
	if (cg->be == &cg_v1_backend && root[0] == '/')
		root = "corral";
	cg->root = strdup(root);
	if (!cg->root || (cg->be == &cg_v2_backend && !cg->v2_mount)) {
		cg_free(cg);
		return -ENOMEM;
	}
	r = cg->be->setup(cg);
	if (r < 0) {
		if (asprintf(ret_why, "cannot set up the %s cgroup root %s: %s", cg->be->name, root,
			     strerror(-r)) < 0)
			*ret_why = NULL;
		cg_free(cg);
		return r;
	}
	*ret = cg;
	return 0;
}

void cg_fmt_limit(int64_t v, const char *unlimited, char *buf, size_t len)
{
	if (v == VALUE_UNLIMITED)
		snprintf(buf, len, "%s", unlimited);
	else
		snprintf(buf, len, "%lld", (long long) v);
}
