// SPDX-License-Identifier: GPL-3.0-or-later
/* pam_jaild's options: policy_dir=, socket=, group=, debug, fail=closed|open, refuse. */
#include "config.h"

#include <security/pam_ext.h>
#include <string.h>
#include <syslog.h>

#include "args.h"
#include "client.h"

void parse_args(pam_handle_t *pamh, int argc, const char **argv, struct ctrl *ctrl)
{
	ctrl->policy_dir = "/etc/corral/policies";
	ctrl->socket = DEFAULT_SOCKET;
	ctrl->group = "jailed";
	ctrl->debug = false;
	ctrl->fail_open = false;
	ctrl->refuse = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "policy_dir=", 11) == 0 && a[11] == '/')
			ctrl->policy_dir = a + 11;
		else if (strncmp(a, "socket=", 7) == 0 && a[7] == '/')
			ctrl->socket = a + 7;
		else if (strncmp(a, "group=", 6) == 0 && a[6])
			ctrl->group = a + 6;
		else if (strcmp(a, "debug") == 0)
			ctrl->debug = true;
		else if (strcmp(a, "fail=open") == 0)
			ctrl->fail_open = true;
		else if (strcmp(a, "fail=closed") == 0)
			ctrl->fail_open = false;
		else if (strcmp(a, "refuse") == 0)
			ctrl->refuse = true;
		else
			pam_syslog(pamh, LOG_ERR, "unknown option '%.64s', ignoring", a);
	}
}
