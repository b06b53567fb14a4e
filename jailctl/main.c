// SPDX-License-Identifier: GPL-3.0-or-later
/* jailctl: the admin's command line.  One verb per file; this one holds the verb table. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jailctl.h"

static const struct verb verbs[] = {
	{ "check", cmd_check, "check [--policy-dir DIR] [--no-users] [DIR]",
	  "Validate every policy file of DIR (default " DEFAULT_POLICY_DIR ") and resolve\n"
	  "every user of the passwd database against it.  Prints each error as\n"
	  "FILE:LINE: what is wrong; what is expected, and exits 1 on any.\n"
	  "  --no-users   only validate the files, resolve no user" },
	{ "show", cmd_show, "show [--policy-dir DIR] [--no-origins] USER",
	  "Print USER's effective policy as libconfig text, each value followed by the\n"
	  "file and line that set it.  Exits 1 if the user matches no policy.\n"
	  "  --no-origins   print bare libconfig text" },
	{ "edit", cmd_edit, "edit [--policy-dir DIR] (user|group) NAME",
	  "Edit users/NAME.conf or groups/NAME.conf safely: lock it, edit a copy with\n"
	  "$VISUAL, $EDITOR or vi, validate the whole set with the copy in place, and\n"
	  "install it atomically (mode 0644, root:root) only if it is valid.  On errors\n"
	  "you may edit again or abandon; the installed file is never half-written." },
	{ "list", cmd_list, "list [--socket PATH] [--json]",
	  "List live jails: user, init pid, sessions, memory current/max, pids\n"
	  "current/max and CPU time used.  Root or jaild's --admin-group only." },
	{ "kill", cmd_kill, "kill [--socket PATH] USER",
	  "End USER's jail: every process in it and every session of it." },
	{ "exec", cmd_exec, "exec [--socket PATH] USER -- /PATH/PROGRAM [ARGS...]",
	  "Run a program inside USER's jail as USER (creating the jail if needed), for\n"
	  "debugging.  With a terminal the program gets a pty of the jail's own; else\n"
	  "it gets jailctl's stdin, stdout and stderr.  Exits with the program's status." },
	{ "reload", cmd_reload, "reload [--socket PATH]",
	  "Make jaild reload its policies.  A set with any error is refused whole and\n"
	  "the running set stays; the errors are printed." },
	{ "enroll", cmd_enroll,
	  "enroll [--policy-dir DIR] [--policy PARENT] [--shell PATH] [--shells-file FILE] USER",
	  "Make rshell USER's login shell (with usermod; PATH is added to /etc/shells if\n"
	  "missing).  With --policy, first create users/USER.conf inheriting PARENT\n"
	  "(\"default\", \"groups/NAME\"), validated like edit: if it is refused,\n"
	  "nothing changes." },
	{ "unenroll", cmd_unenroll, "unenroll [--policy-dir DIR] [--shell PATH] USER",
	  "Give USER back a normal login shell (default /bin/bash) and remove\n"
	  "users/USER.conf." },
	{ "status", cmd_status, "status [--socket PATH]",
	  "Show jaild's version, uptime, policy directory, cgroup backend and counts." },
};

void say(const char *fmt, ...)
{
	va_list ap;

	fputs("jailctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int verb_usage(const char *verb, int code)
{
	FILE *out = code ? stderr : stdout;

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, verb) == 0) {
			fprintf(out, "usage: jailctl %s\n\n%s\n", verbs[i].usage, verbs[i].help);
			return code;
		}
	return code;
}

static int usage(int code)
{
	FILE *out = code ? stderr : stdout;

	fputs("usage: jailctl VERB [OPTIONS] [ARGS]\n\n"
	      "Manage corral policies and jails.\n\nVerbs:\n",
	      out);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %s\n", verbs[i].usage);
	fputs("\nRun 'jailctl VERB --help' or 'man jailctl' for more.\n", out);
	return code;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(2);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return usage(0);
	if (strcmp(argv[1], "--version") == 0) {
		puts(PACKAGE_STRING);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0)
		return argc > 2 ? verb_usage(argv[2], 0) : usage(0);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, argv[1]) == 0)
			return verbs[i].run(argc - 1, argv + 1);
	say("unknown verb '%.64s'; run 'jailctl --help' for the list", argv[1]);
	return 2;
}
