// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * cgroup v1: one directory per jail in each controller's hierarchy: MOUNT/ROOT/USER.
 * memory.limit_in_bytes (+ memory.memsw.limit_in_bytes when swap accounting is on), pids.max,
 * cpu.cfs_quota_us/cfs_period_us, blkio.weight.  v1 has no cgroup.kill, so teardown freezes the
 * jail (freezer), kills every member, thaws, and waits until it is empty.
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

enum { C_MEMORY, C_PIDS, C_CPU, C_CPUACCT, C_BLKIO, C_FREEZER };

static void dir_of(const struct cgroups *cg, int c, const char *user, char *buf, size_t len)
{
	if (user)
		snprintf(buf, len, "%s/%s/%s", cg->v1_mount[c], cg->root, user);
	else
		snprintf(buf, len, "%s/%s", cg->v1_mount[c], cg->root);
}

static int v1_setup(struct cgroups *cg)
{
	char d[4096], probe[4200];

	for (int c = 0; c < CG_V1_CONTROLLERS; c++) {
		if (!cg->v1_mount[c])
			continue;
		dir_of(cg, c, NULL, d, sizeof(d));
		if (mkdir(d, 0755) < 0 && errno != EEXIST)
			return -errno;
	}
	dir_of(cg, C_MEMORY, NULL, d, sizeof(d));
	snprintf(probe, sizeof(probe), "%s/memory.memsw.limit_in_bytes", d);
	cg->v1_memsw = access(probe, F_OK) == 0;
	return 0;
}

static int v1_create(struct cgroups *cg, const char *user)
{
	char d[4096];

	for (int c = 0; c < CG_V1_CONTROLLERS; c++) {
		if (!cg->v1_mount[c])
			continue;
		dir_of(cg, c, user, d, sizeof(d));
		if (mkdir(d, 0755) < 0 && errno != EEXIST)
			return -errno;
	}
	return 0;
}

static int v1_apply(struct cgroups *cg, const char *user, const struct policy *p)
{
	char d[4096], v[64];
	int64_t mem = p->v[PK_LIMITS_MEMORY].num, swap = p->v[PK_LIMITS_SWAP].num;
	int r;

	dir_of(cg, C_MEMORY, user, d, sizeof(d));
	cg_fmt_limit(mem, "-1", v, sizeof(v));
	r = cg_write(d, "memory.limit_in_bytes", v);
	if (r < 0)
		return r;
	if (cg->v1_memsw) {
		/* memsw counts memory plus swap, so it is the sum, and never below the limit. */
		if (mem == VALUE_UNLIMITED || swap == VALUE_UNLIMITED)
			snprintf(v, sizeof(v), "-1");
		else
			snprintf(v, sizeof(v), "%lld", (long long) (mem + swap));
		r = cg_write(d, "memory.memsw.limit_in_bytes", v);
		if (r < 0)
			return r;
	} else {
		/* Without swap accounting, keep the jail out of swap as far as v1 allows. */
		(void) cg_write(d, "memory.swappiness", "0");
	}
	dir_of(cg, C_PIDS, user, d, sizeof(d));
	snprintf(v, sizeof(v), "%lld", (long long) p->v[PK_LIMITS_PIDS].num);
	r = cg_write(d, "pids.max", v);
	if (r < 0)
		return r;
	if (cg->v1_mount[C_CPU]) {
		dir_of(cg, C_CPU, user, d, sizeof(d));
		r = cg_write(d, "cpu.cfs_period_us", "100000");
		snprintf(v, sizeof(v), "%lld", (long long) p->v[PK_LIMITS_CPU].num * 1000);
		if (r == 0)
			r = cg_write(d, "cpu.cfs_quota_us", v);
		if (r < 0)
			return r;
	}
	if (cg->v1_mount[C_BLKIO]) {
		/* io_weight 1..10000 with 100 normal; v1 weights are 10..1000 with 500 normal. */
		int64_t w = p->v[PK_LIMITS_IO_WEIGHT].num * 5;
		w = w < 10 ? 10 : w > 1000 ? 1000 : w;
		dir_of(cg, C_BLKIO, user, d, sizeof(d));
		snprintf(v, sizeof(v), "%lld", (long long) w);
		/* Only schedulers with weights (CFQ, BFQ) have these files; none is not an error. */
		if (cg_write(d, "blkio.weight", v) < 0)
			(void) cg_write(d, "blkio.bfq.weight", v);
	}
	return 0;
}

static int v1_stats(struct cgroups *cg, const char *user, struct cg_stats *out)
{
	char d[4096];
	uint64_t ns = 0;
	int r;

	memset(out, 0, sizeof(*out));
	dir_of(cg, C_MEMORY, user, d, sizeof(d));
	r = cg_read_u64(d, "memory.usage_in_bytes", &out->mem_cur);
	if (r == 0)
		r = cg_read_u64(d, "memory.limit_in_bytes", &out->mem_max);
	dir_of(cg, C_PIDS, user, d, sizeof(d));
	if (r == 0)
		r = cg_read_u64(d, "pids.current", &out->pids_cur);
	if (r == 0)
		r = cg_read_u64(d, "pids.max", &out->pids_max);
	if (cg->v1_mount[C_CPUACCT]) {
		dir_of(cg, C_CPUACCT, user, d, sizeof(d));
		if (cg_read_u64(d, "cpuacct.usage", &ns) == 0)
			out->cpu_usec = ns / 1000;
	}
	/* v1 reports "unlimited" as a huge page-aligned number. */
	if (out->mem_max >= (UINT64_C(1) << 62))
		out->mem_max = UINT64_MAX;
	return r;
}

/* Reads the pids of a cgroup.procs file into a vector (at most max). */
static size_t read_pids(const char *dir, pid_t *pids, size_t max)
{
	char path[4200];
	_cleanup_fclose_ FILE *f = NULL;
	size_t n = 0;
	int pid;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (n < max && fscanf(f, "%d", &pid) == 1)
		pids[n++] = pid;
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static int v1_kill(struct cgroups *cg, const char *user)
{
	char d[4096], fz[4096];
	pid_t pids[1024];
	bool frozen = false;

	dir_of(cg, C_PIDS, user, d, sizeof(d));
	if (cg->v1_mount[C_FREEZER]) {
		dir_of(cg, C_FREEZER, user, fz, sizeof(fz));
		frozen = cg_write(fz, "freezer.state", "FROZEN") == 0;
	}
	/* Up to ~5 s: frozen members cannot fork, so a few rounds empty even a fork bomb. */
	for (int round = 0; round < 500; round++) {
		size_t n = read_pids(d, pids, sizeof(pids) / sizeof(pids[0]));
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++)
			(void) kill(pids[i], SIGKILL);
		if (frozen && round == 0)
			(void) cg_write(fz, "freezer.state", "THAWED"); /* let SIGKILL be delivered */
		sleep_ms(round < 10 ? 1 : 10); /* most jails are empty after a round or two */
	}
	if (frozen)
		(void) cg_write(fz, "freezer.state", "THAWED");
	return read_pids(d, pids, 1) == 0 ? 0 : -EBUSY;
}

static int v1_remove(struct cgroups *cg, const char *user)
{
	char d[4096];
	int r = 0;

	for (int c = 0; c < CG_V1_CONTROLLERS; c++) {
		if (!cg->v1_mount[c])
			continue;
		dir_of(cg, c, user, d, sizeof(d));
		/* A just-killed member may still be leaving: retry briefly. */
		for (int i = 0; i < 100 && rmdir(d) < 0 && errno == EBUSY; i++)
			sleep_ms(i < 10 ? 1 : 10);
		if (access(d, F_OK) == 0)
			r = -EBUSY;
	}
	return r;
}

static bool v1_exists(struct cgroups *cg, const char *user)
{
	char d[4096];

	dir_of(cg, C_PIDS, user, d, sizeof(d));
	return access(d, F_OK) == 0;
}

static char **v1_list(struct cgroups *cg)
{
	char d[4096];
	char **out = calloc(1, sizeof(char *));
	DIR *dir;
	struct dirent *de;

	dir_of(cg, C_PIDS, NULL, d, sizeof(d));
	dir = opendir(d);
	if (!dir || !out)
		return out;
	while ((de = readdir(dir)))
		if (de->d_type == DT_DIR && de->d_name[0] != '.')
			(void) strv_push(&out, de->d_name);
	closedir(dir);
	return out;
}

static bool v1_contains(struct cgroups *cg, const char *user, pid_t pid)
{
	char path[64], want[512], *line = NULL;
	size_t len = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int) pid);
	snprintf(want, sizeof(want), ":pids:/%s/%s\n", cg->root, user);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && getline(&line, &len, f) > 0)
		found = strstr(line, want) != NULL;
	free(line);
	fclose(f);
	return found;
}

/*
 * v1 joins through "tasks", not "cgroup.procs": a write to cgroup.procs takes the global
 * threadgroup lock for writing, which waits for an RCU grace period (7 to 15 ms measured here,
 * the largest part of a spawn), while a thread writing "0" to tasks moves only itself and skips
 * that lock.  The joiners are single-threaded, so moving the thread moves the process.
 */
static int v1_open_join(struct cgroups *cg, const char *user, int *fds, size_t max)
{
	char d[4096], path[4200];
	size_t n = 0;

	for (int c = 0; c < CG_V1_CONTROLLERS && n < max; c++) {
		if (!cg->v1_mount[c])
			continue;
		dir_of(cg, c, user, d, sizeof(d));
		snprintf(path, sizeof(path), "%s/tasks", d);
		fds[n] = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fds[n] < 0) {
			int e = errno;
			while (n > 0)
				close(fds[--n]);
			return -e;
		}
		n++;
	}
	return (int) n;
}

/* blkio throttling: one file per direction, "0" for no cap. */
static int v1_io_max(struct cgroups *cg, const char *user, unsigned major, unsigned minor,
		     int64_t rbps, int64_t wbps)
{
	char d[4096], v[64];
	int r;

	if (!cg->v1_mount[C_BLKIO])
		return -ENOENT;
	dir_of(cg, C_BLKIO, user, d, sizeof(d));
	snprintf(v, sizeof(v), "%u:%u %lld", major, minor,
		 (long long) (rbps == VALUE_UNLIMITED ? 0 : rbps));
	r = cg_write(d, "blkio.throttle.read_bps_device", v);
	if (r < 0)
		return r;
	snprintf(v, sizeof(v), "%u:%u %lld", major, minor,
		 (long long) (wbps == VALUE_UNLIMITED ? 0 : wbps));
	return cg_write(d, "blkio.throttle.write_bps_device", v);
}

static void v1_remove_root(struct cgroups *cg)
{
	char d[4096];

	for (int c = 0; c < CG_V1_CONTROLLERS; c++)
		if (cg->v1_mount[c]) {
			dir_of(cg, c, NULL, d, sizeof(d));
			(void) rmdir(d);
		}
}

const struct cg_backend cg_v1_backend = {
	.name = "v1",
	.setup = v1_setup,
	.create = v1_create,
	.apply = v1_apply,
	.stats = v1_stats,
	.kill = v1_kill,
	.remove = v1_remove,
	.exists = v1_exists,
	.list = v1_list,
	.contains = v1_contains,
	.open_join = v1_open_join,
	.remove_root = v1_remove_root,
	.io_max = v1_io_max,
};
