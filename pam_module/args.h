/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <security/pam_modules.h>
#include <stdbool.h>

struct ctrl {
	const char *policy_dir;
	const char *socket;
	const char *group; /* group=: the group sshd's Match block names; jailed users are in it */
	bool debug;
	bool fail_open; /* fail=open: let matched users in when jaild is unreachable */
	bool refuse;    /* refuse: this stack runs code outside jails; jailed users never pass */
};

/* Parses the module's options once; unknown ones are logged by name and ignored. */
void parse_args(pam_handle_t *pamh, int argc, const char **argv, struct ctrl *ctrl);
