// SPDX-License-Identifier: GPL-3.0-or-later
/* jailctl show USER: the effective policy with the origin of every value. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "jailctl.h"
#include "policy.h"

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy-dir", required_argument, NULL, 'p' },
		{ "no-origins", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	const char *dir = DEFAULT_POLICY_DIR;
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	struct user_info u = { 0 };
	struct policy *p = NULL;
	bool origins = true;
	int c, r, code = 1;

	while ((c = getopt_long(argc, argv, "p:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': dir = optarg; break;
		case 'n': origins = false; break;
		case 'h': return verb_usage("show", 0);
		default: return verb_usage("show", 2);
		}
	}
	if (optind + 1 != argc)
		return verb_usage("show", 2);
	r = user_info_from_nss(argv[optind], &u);
	if (r < 0) {
		say("no user '%.64s' in the passwd database%s%s", argv[optind],
		    r == -ESRCH ? "" : ": ", r == -ESRCH ? "" : strerror(-r));
		return 1;
	}
	r = policy_set_load(dir, NULL, &set, &errs);
	if (r == 0)
		r = policy_resolve(set, &u, &p, &errs);
	for (size_t i = 0; i < errs.n; i++)
		say("%s", errs.msg[i]);
	if (r == POLICY_UNMATCHED) {
		say("user %s matches no policy in %s; pam_jaild leaves them untouched", u.name,
		    dir);
	} else if (r == POLICY_MATCHED) {
		printf("# effective policy of %s (uid %u), from %s\n", u.name, (unsigned) u.uid,
		       p->source);
		policy_print(p, stdout, origins);
		code = 0;
	} else if (!errs.n) {
		say("%s: %s", dir, strerror(-r));
	}
	perr_clear(&errs);
	policy_free(p);
	policy_set_free(set);
	user_info_clear(&u);
	return code;
}
