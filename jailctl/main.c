// SPDX-License-Identifier: GPL-3.0-or-later
/* jailctl: the admin's command line.  One verb per file; this one holds the verb table. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
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
	  "enroll [--policy-dir DIR] [--policy PARENT] [--shell PATH] [--group NAME]\n"
	  "              [--keys-dir DIR] USER",
	  "Take USER into corral.  With --policy, first create users/USER.conf inheriting\n"
	  "PARENT (\"default\", \"groups/NAME\"), validated like edit: if it is refused,\n"
	  "nothing changes.  Then move USER's passwd home to the jail home (the policy's\n"
	  "jail.home, one rename) and leave the passwd home an empty root-owned directory,\n"
	  "copy ~/.ssh/authorized_keys to DIR/USER (default " DEFAULT_KEYS_DIR "),\n"
	  "add USER to group NAME (default " DEFAULT_JAILED_GROUP ", which sshd's Match block\n"
	  "names), and set the login shell to PATH (default rshell).  /etc/shells is never\n"
	  "changed.  Each step checks the disk first: run it again to finish an interrupted\n"
	  "enroll." },
	{ "unenroll", cmd_unenroll,
	  "unenroll [--policy-dir DIR] [--shell PATH] [--group NAME] [--keys-dir DIR] USER",
	  "Reverse enroll: login shell PATH (default /bin/bash), the jail home moved back\n"
	  "to the passwd home, out of the group, the keys file and users/USER.conf\n"
	  "removed." },
	{ "status", cmd_status, "status [--socket PATH]",
	  "Show jaild's version, uptime, policy directory, cgroup backend and counts." },
	{ "doctor", cmd_doctor,
	  "doctor [--json] [--no-daemon] [--policy-dir DIR] [--socket PATH] [--pam-dir DIR]\n"
	  "       [--sshd-config FILE] [--sshd PATH] [--shells FILE] [--linger-dir DIR]\n"
	  "       [--group NAME] [--keys-dir DIR] [--rshell PATH]",
	  "Audit the live host for every way a jailed user's code could run outside the\n"
	  "jail.  Jailed users: every passwd user the policies match, and every member of\n"
	  "--group (never root).  Checks, as root:\n"
	  "  policy   the policy set loads without errors\n"
	  "  daemon   jaild answers STATUS on --socket (skipped with --no-daemon)\n"
	  "  shells   the shells file does not list rshell\n"
	  "  pam      sshd, login, su, su-l have account and session pam_jaild.so, the\n"
	  "           session line after every pam_env.so; no pam_env.so user_readenv=1;\n"
	  "           no sufficient line ends a stack before pam_jaild.so; systemd-user,\n"
	  "           cron, atd have account pam_jaild.so (a service missing from\n"
	  "           /etc/pam.d is read from /usr/lib/pam.d, as libpam does, unless\n"
	  "           --pam-dir is given)\n"
	  "  shell    each jailed user's login shell is rshell\n"
	  "  group    each jailed user is in --group\n"
	  "  home     each passwd home is root's and nothing in it is the user's;\n"
	  "           hook files there (.pam_environment, .config/systemd/user,\n"
	  "           .forward, .ssh/rc, ...) are named\n"
	  "  linger   no LINGER-DIR/USER\n"
	  "  sshd     sshd -T per user: DisableForwarding yes (or every forwarding\n"
	  "           off), PermitTunnel no, PermitUserRC no, PermitUserEnvironment no,\n"
	  "           UsePAM yes, no internal-sftp, AuthorizedKeysFile absolute and\n"
	  "           not writable by the user\n"
	  "Prints each problem as 'jailctl doctor: FILE:LINE: what is wrong; fix' and a\n"
	  "summary; --json prints one object instead.  Exits 0 when clean, 1 on any\n"
	  "problem, 2 on usage errors.  Defaults: " DEFAULT_POLICY_DIR ",\n"
	  DEFAULT_SOCKET ", /etc/pam.d, /etc/ssh/sshd_config, /usr/sbin/sshd,\n"
	  "/etc/shells, /var/lib/systemd/linger, group " DEFAULT_JAILED_GROUP ",\n"
	  DEFAULT_KEYS_DIR ", " BINDIR "/rshell." },
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
