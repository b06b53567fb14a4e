// SPDX-License-Identifier: GPL-3.0-or-later
/* jailctl check: can this host enforce a user's limits.disk, inodes, io_read and io_write?  An
 * error at the key's line, or a note where limits.quota_optional allows going without. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

