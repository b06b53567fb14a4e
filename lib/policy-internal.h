/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the policy-*.c files only. */
#pragma once

#include <libconfig.h>

#include "policy.h"

struct subst {
	const char *user;
	const char *home;
	uid_t uid;
};
extern const struct subst subst_placeholder;

struct pfile {
	char *name; /* "default", "groups/students", "users/ann" */
	char *path; /* what errors print: DIR/groups/students.conf */
	struct policy layer; /* only the keys this file sets */
	int line_of_match; /* first line of its match group, for errors */
};


char *subst_apply(const char *text, const struct subst *s);
char *text_check(enum pkey k, const char *text, struct pval *out, bool element);
char *bind_path_check_resolved(const char *what, const char *path);
int pval_from_setting(enum pkey k, config_setting_t *s, const char *file, struct pval *out,
		      struct perr_list *errs);
/* Deep copy; substitutes %u %h %U when s is not NULL and the key substitutes. */
int pval_copy(enum pkey k, const struct pval *src, struct pval *dst, const struct subst *s);

const struct pfile *policy_set_find(const struct policy_set *set, const char *name);
/* The parent name of f: its inherit, else "default" for group and user files. NULL for none. */
const char *pfile_parent(const struct policy_set *set, const struct pfile *f);
