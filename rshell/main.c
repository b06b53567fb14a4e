// SPDX-License-Identifier: GPL-3.0-or-later
/* rshell: the restricted login shell of corral.  Outer mode on the host (the login shell, or
 * -c CMD from sshd) asks jaild for the user's jail; inner mode (--inner) is the shell itself,
 * inside the jail.  See rshell(1). */
#include "config.h"

#include <errno.h>
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
	/* In every mode no other process of the user may read or write rshell's memory, nor
	 * trace it: on the host (a leftover of another session, a debugger), and in the jail,
	 * where the programs it runs are the user's own: one that attached to the inner shell
	 * would hold its session channel and could make it run anything.  Programs it starts
	 * are dumpable again after their execve. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		fprintf(stderr, "rshell: cannot protect the shell's memory: %s\n", strerror(errno));
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "--inner") == 0)
		return inner_main(argc - 1, argv + 1);
	/* Run by a program inside a jail ($SHELL): the session's shell decides. */
	if (in_jail())
		return nested_main(argc, argv);
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
