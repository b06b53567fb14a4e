// SPDX-License-Identifier: GPL-3.0-or-later
/* rshell: the restricted login shell of corral.  Outer mode on the host (the login shell, or
 * -c CMD from sshd) asks jaild for the user's jail; inner mode (--inner) is the shell itself,
 * inside the jail.  See rshell(1). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "fd-util.h"
#include "rshell.h"

static int usage(int code)
{
	fprintf(code ? stderr : stdout,
		"usage: rshell [-c COMMAND]\n\n"
		"The restricted shell of corral.  As a login shell it takes you into your jail;\n"
		"with -c it runs COMMAND there (scp, sftp and rsync too, when your policy allows).\n"
		"What you may run is your policy's: type help at the prompt.\n");
	return code;
}

int main(int argc, char **argv)
{
	const char *command = NULL;
	bool login = argv[0] && argv[0][0] == '-';

	sanitise_stdfd();
	if (argc > 1 && strcmp(argv[1], "--inner") == 0)
		return inner_main(argc - 1, argv + 1);
	/* Run by a program inside a jail ($SHELL): the session's shell decides. */
	if (in_jail())
		return nested_main(argc, argv);
	/* Outer mode runs on the host as the user: no other process of theirs (a leftover from
	 * another session, a debugger) may read or write its memory, nor its environment. */
	(void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			command = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0) {
			return usage(0);
		} else if (strcmp(argv[i], "--version") == 0) {
			puts(PACKAGE_STRING);
			return 0;
		} else if (strcmp(argv[i], "-l") == 0 || strcmp(argv[i], "--login") == 0) {
			login = true;
		} else {
			return usage(2);
		}
	}
	return outer_main(command, login);
}
