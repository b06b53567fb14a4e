// SPDX-License-Identifier: GPL-3.0-or-later
/* jailctl check: can this host enforce a user's limits.disk, inodes, io_read and io_write?  An
 * error at the key's line, or a note where limits.quota_optional allows going without. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "jailctl.h"
#include "policy.h"
#include "quota.h"
#include "strv.h"

void quota_check_user(const struct policy *p, const struct user_info *u, struct perr_list *errs,
		      char ***notes)
{
	struct quota_plan plan;
	const struct pval *v;
	char key[4200];

	if (quota_plan_make(p, u->uid, &plan) < 0 || plan.bad_key < 0)
		return;
	v = &p->v[plan.bad_key];
	/* Once per key and file: a lab of 300 students need not read it 300 times. */
	snprintf(key, sizeof(key), "%s:%d: %s", v->file, v->line, pkey_table[plan.bad_key].name);
	if (!notes || strv_contains(*notes, key) || strv_push(notes, key) < 0)
		return;
	if (!p->v[PK_LIMITS_QUOTA_OPTIONAL].num)
		perr_add(errs, v->file, v->line,
			 "%s: cannot be enforced on this host (first for %s): %s; fix the host, or "
			 "set limits.quota_optional = true to run jails without it",
			 pkey_table[plan.bad_key].name, u->name, plan.why);
	else
		say("note: %s: not enforced on this host (first for %s): %s; jails run without "
		    "it (limits.quota_optional)",
		    key, u->name, plan.why);
}


/* jailctl unenroll: the disk and inode quota of the user's id go with them, unless the policy
 * says they are the user's (limits.quota_keep): a later user given the same uid starts clean. */
void quota_forget_user(const char *top, const char *name)
{
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	struct user_info u = { 0 };
	struct policy *p = NULL;
	struct quota_plan plan;
	const struct pval *b;

	if (user_info_from_nss(name, &u) < 0 || policy_set_load(top, NULL, &set, &errs) < 0 ||
	    policy_resolve(set, &u, &p, &errs) != POLICY_MATCHED ||
	    p->v[PK_LIMITS_QUOTA_KEEP].num || quota_plan_make(p, u.uid, &plan) < 0 || !plan.disk)
		goto out;
	b = &p->v[PK_JAIL_BINDS];
	for (size_t i = 0; i <= b->nbinds; i++) {
		const char *path = i == 0 ? p->v[PK_JAIL_HOME].str : b->binds[i - 1].src;
		enum quota_kind kind;
		char why[400];
		int fd, r;

		if (i > 0 && b->binds[i - 1].ro)
			continue;
		fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (quota_probe_fd(fd, &kind, why, sizeof(why)) == 0 && kind != QUOTA_NONE) {
			r = quota_set_limits(fd, kind, (uint32_t) u.uid, 0, 0);
			if (r < 0)
				say("cannot remove the quota of id %u on %s: %s", (unsigned) u.uid, path,
				    strerror(-r));
			else
				printf("%s: removed the disk quota of id %u on %s\n", name,
				       (unsigned) u.uid, path);
		}
		close(fd);
	}
out:
	perr_clear(&errs);
	policy_free(p);
	policy_set_free(set);
	user_info_clear(&u);
}
