/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The cgroup manager: one interface, two backends (cgroup-v1.c, cgroup-v2.c) chosen at start-up.
 * Each jail has one cgroup named after its user under ROOT (v1: in every controller's
 * hierarchy; v2: below the delegated subtree).  Runs as root in jaild; processes join their
 * jail's cgroup themselves, through files jaild opened (open_join).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy.h"

struct cg_stats {
	uint64_t mem_cur, mem_max; /* bytes; max UINT64_MAX = unlimited */
	uint64_t pids_cur, pids_max;
	uint64_t cpu_usec;
};

struct cgroups;

struct cg_backend {
	const char *name;
	int (*setup)(struct cgroups *cg);
	int (*create)(struct cgroups *cg, const char *user);
	int (*apply)(struct cgroups *cg, const char *user, const struct policy *p);
	int (*stats)(struct cgroups *cg, const char *user, struct cg_stats *out);
	/* Kills every process of the cgroup and waits (bounded) until it is empty. */
	int (*kill)(struct cgroups *cg, const char *user);
	int (*remove)(struct cgroups *cg, const char *user);
	bool (*exists)(struct cgroups *cg, const char *user);
	/* Lists the user cgroups present under ROOT (for clean-up after a restart). */
	char **(*list)(struct cgroups *cg);
	/* Whether pid is in user's cgroup (read from /proc/PID/cgroup). */
	bool (*contains)(struct cgroups *cg, const char *user, pid_t pid);
	/* Opens what a new process joins user's cgroup through, even from inside other
	 * namespaces (v1: each hierarchy's tasks file; v2: the cgroup's directory, for
	 * CLONE_INTO_CGROUP).  Used with cg_clone() and cg_join_self().  Returns how many fds,
	 * or -errno. */
	int (*open_join)(struct cgroups *cg, const char *user, int *fds, size_t max);
	bool join_by_clone; /* v2: the fd is a directory to clone into */
	/* Removes ROOT itself if it is empty. */
	void (*remove_root)(struct cgroups *cg);
	/* Caps reads and writes of user's cgroup on the disk major:minor, in bytes per second
	 * (VALUE_UNLIMITED: no cap).  -ENOENT where the host has no throttling for it. */
	int (*io_max)(struct cgroups *cg, const char *user, unsigned major, unsigned minor,
		      int64_t rbps, int64_t wbps);
};

#define CG_V1_CONTROLLERS 6
struct cgroups {
	const struct cg_backend *be;
	char *root; /* relative name under each v1 hierarchy, or absolute v2 directory */
	/* v1: mount point of each controller, in cg_v1_controllers order; NULL if absent. */
	char *v1_mount[CG_V1_CONTROLLERS];
	bool v1_memsw; /* memory.memsw.* exists (swap accounting) */
	char *v2_mount;
};

extern const struct cg_backend cg_v1_backend, cg_v2_backend;
extern const char *const cg_v1_controllers[CG_V1_CONTROLLERS];

/* Detects the host's layout ("auto"), or forces "v1"/"v2"; root is --cgroup-root.  On success
 * *ret is ready to use; errors are logged by the caller with the returned message. */
int cg_init(const char *backend, const char *root, struct cgroups **ret, char **ret_why);
void cg_free(struct cgroups *cg);

/* Forks (raw clone, so flags may include new namespaces; exit_signal as for clone3) a child
 * that is born in the cgroup of join where the backend allows (v2's CLONE_INTO_CGROUP, on
 * 5.7 and later); *ret_joined says whether it was.  If not, the child calls cg_join_self(). */
pid_t cg_clone(const struct cgroups *cg, uint64_t flags, int exit_signal, const int *join,
	       int njoin, bool *ret_joined);
/* In the child: moves itself into the cgroup through the fds of open_join; closes them. */
int cg_join_self(const struct cgroups *cg, const int *join, int njoin);

/* Small file helpers shared by both backends. */
int cg_write(const char *dir, const char *file, const char *value);
/* A limit for a cgroup file: the number, or the backend's word for unlimited. */
void cg_fmt_limit(int64_t v, const char *unlimited, char *buf, size_t len);
int cg_read_u64(const char *dir, const char *file, uint64_t *ret);
