// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * cgroup v2: ROOT is a directory of the unified hierarchy (an absolute path, or a name below the
 * mount) whose subtree jaild owns; under systemd that is the service's delegated cgroup
 * (Delegate=yes).  Each jail is ROOT/USER with memory.max, memory.swap.max, pids.max, cpu.max
 * and io.weight.  Teardown writes cgroup.kill (Linux 5.14) and waits for "populated 0".
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "strv.h"

static void dir_of(const struct cgroups *cg, const char *user, char *buf, size_t len)
{
	if (user)
		snprintf(buf, len, "%s/%s", cg->root, user);
	else
		snprintf(buf, len, "%s", cg->root);
}

/* A cgroup that holds processes cannot hand controllers to its children ("no internal
 * processes").  Under systemd, jaild's own cgroup (the service's, with Delegate=yes) is an
 * ancestor of ROOT: move jaild into a leaf of its own first. */
static int leave_inner_cgroup(struct cgroups *cg)
{
	char self[4096] = "", own[4096], leaf[4200], pid[32];
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (!f)
		return -errno;
	while (fgets(self, sizeof(self), f))
		if (strncmp(self, "0::", 3) == 0)
			break;
	fclose(f);
	if (strncmp(self, "0::", 3) != 0)
		return 0;
	self[strcspn(self, "\n")] = '\0';
	snprintf(own, sizeof(own), "%s%s", cg->v2_mount, streq(self + 3, "/") ? "" : self + 3);
	if (streq(own, cg->v2_mount) || strncmp(cg->root, own, strlen(own)) != 0 ||
	    cg->root[strlen(own)] != '/')
		return 0; /* the hierarchy's root, or not above ROOT: nothing to do */
	snprintf(leaf, sizeof(leaf), "%s/supervisor", own);
	if (mkdir(leaf, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(pid, sizeof(pid), "%d", (int) getpid());
	return cg_write(leaf, "cgroup.procs", pid);
}

/* Enables the controllers we need in every cgroup from the mount down to ROOT, so that ROOT's
 * children get them (the "no internal processes" rule is the caller's: ROOT holds no process). */
static int v2_setup(struct cgroups *cg)
{
	char path[4096], *rel;
	int r = 0;

	if (cg->root[0] != '/') {
		char *abs;
		if (asprintf(&abs, "%s/%s", cg->v2_mount, cg->root) < 0)
			return -ENOMEM;
		free(cg->root);
		cg->root = abs;
	}
	if (strncmp(cg->root, cg->v2_mount, strlen(cg->v2_mount)) != 0)
		return -EXDEV;
	if (mkdir(cg->root, 0755) < 0 && errno != EEXIST)
		return -errno;
	r = leave_inner_cgroup(cg);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%s", cg->v2_mount);
	rel = cg->root + strlen(cg->v2_mount);
	for (;;) {
		/* Each controller on its own: one the kernel lacks must not stop the others. */
		static const char *const ctl[] = { "+memory", "+pids", "+cpu", "+io" };
		for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
			int w = cg_write(path, "cgroup.subtree_control", ctl[i]);
			if (w < 0 && i < 2)
				r = w; /* memory and pids are required */
		}
		while (*rel == '/')
			rel++;
		if (!*rel)
			break;
		char *next = strchr(rel, '/');
		size_t n = next ? (size_t) (next - rel) : strlen(rel);
		size_t l = strlen(path);
		snprintf(path + l, sizeof(path) - l, "/%.*s", (int) n, rel);
		rel += n;
	}
	return r;
}

static int v2_create(struct cgroups *cg, const char *user)
{
	char d[4096];

	dir_of(cg, user, d, sizeof(d));
	return mkdir(d, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

static int v2_apply(struct cgroups *cg, const char *user, const struct policy *p)
{
	char d[4096], v[64];
	int r;

	dir_of(cg, user, d, sizeof(d));
	cg_fmt_limit(p->v[PK_LIMITS_MEMORY].num, "max", v, sizeof(v));
	r = cg_write(d, "memory.max", v);
	if (r < 0)
		return r;
	cg_fmt_limit(p->v[PK_LIMITS_SWAP].num, "max", v, sizeof(v));
	/* Absent when the kernel has no swap accounting; then there is no swap to limit. */
	r = cg_write(d, "memory.swap.max", v);
	if (r < 0 && r != -ENOENT)
		return r;
	snprintf(v, sizeof(v), "%lld", (long long) p->v[PK_LIMITS_PIDS].num);
	r = cg_write(d, "pids.max", v);
	if (r < 0)
		return r;
	snprintf(v, sizeof(v), "%lld 100000", (long long) p->v[PK_LIMITS_CPU].num * 1000);
	r = cg_write(d, "cpu.max", v);
	if (r < 0 && r != -ENOENT)
		return r;
	snprintf(v, sizeof(v), "default %lld", (long long) p->v[PK_LIMITS_IO_WEIGHT].num);
	(void) cg_write(d, "io.weight", v); /* only with a weight-aware I/O scheduler */
	return 0;
}

static int v2_stats(struct cgroups *cg, const char *user, struct cg_stats *out)
{
	char d[4096], path[4200], *line = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	memset(out, 0, sizeof(*out));
	dir_of(cg, user, d, sizeof(d));
	r = cg_read_u64(d, "memory.current", &out->mem_cur);
	if (r == 0)
		r = cg_read_u64(d, "memory.max", &out->mem_max);
	if (r == 0)
		r = cg_read_u64(d, "pids.current", &out->pids_cur);
	if (r == 0)
		r = cg_read_u64(d, "pids.max", &out->pids_max);
	snprintf(path, sizeof(path), "%s/cpu.stat", d);
	f = fopen(path, "re");
	while (f && getline(&line, &len, f) > 0)
		if (strncmp(line, "usage_usec ", 11) == 0)
			out->cpu_usec = strtoull(line + 11, NULL, 10);
	free(line);
	if (f)
		fclose(f);
	return r;
}

static bool populated(const char *d)
{
	char path[4200], *line = NULL;
	size_t len = 0;
	bool pop = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.events", d);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (getline(&line, &len, f) > 0)
		if (strncmp(line, "populated ", 10) == 0)
			pop = line[10] == '1';
	free(line);
	fclose(f);
	return pop;
}

static int v2_kill(struct cgroups *cg, const char *user)
{
	char d[4096];
	struct timespec ts = { 0, 10 * 1000000L };

	dir_of(cg, user, d, sizeof(d));
	if (cg_write(d, "cgroup.kill", "1") < 0) {
		/* Before 5.14: freeze, kill each member, thaw. */
		char path[4200];
		FILE *f;
		int pid;
		(void) cg_write(d, "cgroup.freeze", "1");
		snprintf(path, sizeof(path), "%s/cgroup.procs", d);
		f = fopen(path, "re");
		while (f && fscanf(f, "%d", &pid) == 1)
			(void) kill(pid, SIGKILL);
		if (f)
			fclose(f);
		(void) cg_write(d, "cgroup.freeze", "0");
	}
	for (int i = 0; i < 500 && populated(d); i++)
		nanosleep(&ts, NULL);
	return populated(d) ? -EBUSY : 0;
}

static int v2_remove(struct cgroups *cg, const char *user)
{
	char d[4096];
	struct timespec ts = { 0, 10 * 1000000L };

	dir_of(cg, user, d, sizeof(d));
	for (int i = 0; i < 100 && rmdir(d) < 0 && errno == EBUSY; i++)
		nanosleep(&ts, NULL);
	return access(d, F_OK) == 0 ? -EBUSY : 0;
}

static bool v2_exists(struct cgroups *cg, const char *user)
{
	char d[4096];

	dir_of(cg, user, d, sizeof(d));
	return access(d, F_OK) == 0;
}

static char **v2_list(struct cgroups *cg)
{
	char **out = calloc(1, sizeof(char *));
	DIR *dir = opendir(cg->root);
	struct dirent *de;

	if (!dir || !out)
		return out;
	while ((de = readdir(dir)))
		if (de->d_type == DT_DIR && de->d_name[0] != '.')
			(void) strv_push(&out, de->d_name);
	closedir(dir);
	return out;
}

static bool v2_contains(struct cgroups *cg, const char *user, pid_t pid)
{
	char path[64], want[4200], line[4200];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int) pid);
	snprintf(want, sizeof(want), "0::%s/%s\n", cg->root + strlen(cg->v2_mount), user);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strcmp(line, want) == 0;
	fclose(f);
	return found;
}

/* The cgroup's directory: new processes are cloned into it (cg_clone), or, on kernels before
 * 5.7, write cgroup.procs beneath it (cg_join_self). */
static int v2_open_join(struct cgroups *cg, const char *user, int *fds, size_t max)
{
	char path[4200];

	if (max < 1)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", cg->root, user);
	fds[0] = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	return fds[0] < 0 ? -errno : 1;
}

/* io.max of the io controller (v2_setup enabled it where the kernel has it). */
static int v2_io_max(struct cgroups *cg, const char *user, unsigned major, unsigned minor,
		     int64_t rbps, int64_t wbps)
{
	char d[4096], r[32], w[32], v[128];

	dir_of(cg, user, d, sizeof(d));
	cg_fmt_limit(rbps, "max", r, sizeof(r));
	cg_fmt_limit(wbps, "max", w, sizeof(w));
	snprintf(v, sizeof(v), "%u:%u rbps=%s wbps=%s", major, minor, r, w);
	return cg_write(d, "io.max", v);
}

static void v2_remove_root(struct cgroups *cg)
{
	(void) rmdir(cg->root);
}

const struct cg_backend cg_v2_backend = {
	.name = "v2",
	.setup = v2_setup,
	.create = v2_create,
	.apply = v2_apply,
	.stats = v2_stats,
	.kill = v2_kill,
	.remove = v2_remove,
	.exists = v2_exists,
	.list = v2_list,
	.contains = v2_contains,
	.open_join = v2_open_join,
	.join_by_clone = true,
	.remove_root = v2_remove_root,
	.io_max = v2_io_max,
};
