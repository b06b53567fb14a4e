// SPDX-License-Identifier: GPL-3.0-or-later
/* Per-process resource limits from the policy (unset ones as high as the host allows).  Runs in the spawn child as root, before the
 * uid change, so hard limits are set too and the user cannot raise them. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/resource.h>

#include "jaild.h"

static int set_one(int resource, int64_t v, bool set)
{
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = v == VALUE_UNLIMITED ? RLIM_INFINITY : (rlim_t) v;
	if (setrlimit(resource, &rl) == 0)
		return 0;
	/* "Unlimited" where the host caps the hard limit (no CAP_SYS_RESOURCE, or a container's
	 * cap): take the hard limit itself, soft and hard alike. */
	if (errno == EPERM && v == VALUE_UNLIMITED && getrlimit(resource, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(resource, &rl) == 0)
			return 0;
	}
	(void) set;
	return -errno;
}

int rlimits_apply(const struct policy *p)
{
	static const struct {
		enum pkey key;
		int resource;
	} map[] = {
		{ PK_LIMITS_NOFILE, RLIMIT_NOFILE }, { PK_LIMITS_NPROC, RLIMIT_NPROC },
		{ PK_LIMITS_FSIZE, RLIMIT_FSIZE },   { PK_LIMITS_CPU_TIME, RLIMIT_CPU },
		{ PK_LIMITS_CORE, RLIMIT_CORE },     { PK_LIMITS_AS, RLIMIT_AS },
		{ PK_LIMITS_DATA, RLIMIT_DATA },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const struct pval *v = &p->v[map[i].key];
		/* Unset (nproc, as, data) means unlimited, not whatever jaild inherited: the
		 * cgroup quotas bound those. */
		int r = set_one(map[i].resource, v->set ? v->num : VALUE_UNLIMITED, v->set);
		if (r < 0)
			return r;
	}
	return 0;
}
