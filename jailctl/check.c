// SPDX-License-Identifier: GPL-3.0-or-later
/* jailctl check: validates a policy directory, then resolves every user against it, since some
 * errors (two group files tied for a user, a home that breaks a path) exist only per user. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "jailctl.h"
#include "policy.h"
#include "strv.h"

static void print_errors(const struct perr_list *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		say("%s", errs->msg[i]);
}

/* Warnings, not errors: an allowed command that is not installed only costs its users a
 * "not installed" (rshell(1)). */
static void print_missing_commands(const struct policy_set *set)
{
	struct perr_list warnings = { 0 };

	policy_set_missing_commands(set, &warnings);
	for (size_t i = 0; i < warnings.n; i++)
		say("warning: %s", warnings.msg[i]);
	perr_clear(&warnings);
}

static size_t resolve_all_users(const struct policy_set *set, struct perr_list *errs,
				size_t *ret_matched)
{
	_cleanup_strv_free_ char **notes = NULL;
	struct passwd *pw;
	size_t n = 0;

	setpwent();
	while ((pw = getpwent())) {
		struct user_info u = { 0 };
		struct policy *p = NULL;

		if (user_info_from_nss(pw->pw_name, &u) < 0)
			continue;
		n++;
		if (policy_resolve(set, &u, &p, errs) == POLICY_MATCHED) {
			(*ret_matched)++;
			quota_check_user(p, &u, errs, &notes);
		}
		policy_free(p);
		user_info_clear(&u);
	}
	endpwent();
	return n;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy-dir", required_argument, NULL, 'p' },
		{ "no-users", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	const char *dir = DEFAULT_POLICY_DIR;
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	bool users = true;
	size_t nusers = 0, matched = 0;
	int c, r;

	while ((c = getopt_long(argc, argv, "p:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': dir = optarg; break;
		case 'n': users = false; break;
		case 'h': return verb_usage("check", 0);
		default: return verb_usage("check", 2);
		}
	}
	if (optind < argc)
		dir = argv[optind++];
	if (optind < argc)
		return verb_usage("check", 2);
	r = policy_set_load(dir, NULL, &set, &errs);
	if (r == 0 && users)
		nusers = resolve_all_users(set, &errs, &matched);
	if (errs.n) {
		print_errors(&errs);
		say("%zu error%s in %s; fix %s and run check again", errs.n,
		    errs.n == 1 ? "" : "s", dir, errs.n == 1 ? "it" : "them");
		perr_clear(&errs);
		policy_set_free(set);
		return 1;
	}
	if (r < 0) {
		say("%s: %s", dir, strerror(-r));
		return 1;
	}
	print_missing_commands(set);
	printf("%s: OK: %s, %zu group and user file%s", set->dir,
	       set->def ? "default.conf" : "no default.conf", set->nfiles,
	       set->nfiles == 1 ? "" : "s");
	if (users)
		printf("; %zu of %zu users matched", matched, nusers);
	putchar('\n');
	policy_set_free(set);
	return 0;
}
