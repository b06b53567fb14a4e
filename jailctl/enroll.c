// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * jailctl enroll / unenroll: make a user's login shell rshell (listing it in /etc/shells, which
 * sshd and su check) and, with --policy, give the user a policy file through the same validated
 * path as edit; unenroll reverses both.  Runs as root; usermod does the passwd change.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "jailctl.h"
#include "parse-util.h"
#include "policy.h"

static int run_usermod(const char *user, const char *shell)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/usr/sbin/usermod", "usermod", "-s", shell, "--", user, (char *) NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		say("usermod -s %s %s failed", shell, user);
		return -1;
	}
	return 0;
}

/* Appends shell to the shells file unless it is listed; under flock, by rewrite + rename. */
static int ensure_listed(const char *file, const char *shell)
{
	_cleanup_fclose_ FILE *in = fopen(file, "re");
	char line[4096], tmp[4200];
	FILE *out;
	int fd;

	while (in && fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = '\0';
		if (streq(line, shell))
			return 0;
	}
	snprintf(tmp, sizeof(tmp), "%s.corral-XXXXXX", file);
	fd = mkostemp(tmp, O_CLOEXEC);
	out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		say("cannot update %s: %s", file, strerror(errno));
		return -1;
	}
	if (in) {
		rewind(in);
		while (fgets(line, sizeof(line), in))
			fputs(line, out);
	}
	fprintf(out, "%s\n", shell);
	if (fchmod(fd, 0644) < 0 || fclose(out) != 0 || rename(tmp, file) < 0) {
		say("cannot update %s: %s", file, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static const struct option opts[] = {
	{ "policy-dir", required_argument, NULL, 'p' },
	{ "policy", required_argument, NULL, 'P' },
	{ "shell", required_argument, NULL, 's' },
	{ "shells-file", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{},
};

int cmd_enroll(int argc, char **argv)
{
	const char *top = DEFAULT_POLICY_DIR, *parent = NULL, *shell = BINDIR "/rshell";
	const char *shells = "/etc/shells";
	struct passwd *pw;
	int c;

	while ((c = getopt_long(argc, argv, "p:P:s:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': top = optarg; break;
		case 'P': parent = optarg; break;
		case 's': shell = optarg; break;
		case 'f': shells = optarg; break;
		case 'h': return verb_usage("enroll", 0);
		default: return verb_usage("enroll", 2);
		}
	}
	if (optind + 1 != argc)
		return verb_usage("enroll", 2);
	pw = getpwnam(argv[optind]);
	if (!pw) {
		say("no user '%.64s'", argv[optind]);
		return 1;
	}
	if (pw->pw_uid == 0) {
		say("root is never jailed");
		return 1;
	}
	if (geteuid() != 0) {
		say("enroll must run as root");
		return 1;
	}
	if (access(shell, X_OK) != 0) {
		say("%s is not an executable rshell; install corral first or give --shell", shell);
		return 1;
	}
	/* The policy first: if it is refused, nothing about the user changes. */
	if (parent) {
		char text[512];
		snprintf(text, sizeof(text),
			 "# Enrolled with jailctl enroll; change with jailctl edit user %s.\n"
			 "inherit = \"%s\";\n",
			 pw->pw_name, parent);
		if (policy_write_validated(top, "user", pw->pw_name, text, true) < 0)
			return 1;
	}
	if (ensure_listed(shells, shell) < 0 || run_usermod(pw->pw_name, shell) < 0)
		return 1;
	printf("%s: login shell %s%s%s\n", pw->pw_name, shell, parent ? ", policy inherits " : "",
	       parent ? parent : "");
	return 0;
}

int cmd_unenroll(int argc, char **argv)
{
	const char *top = DEFAULT_POLICY_DIR, *shell = "/bin/bash";
	char path[4096];
	struct passwd *pw;
	int c;

	while ((c = getopt_long(argc, argv, "p:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': top = optarg; break;
		case 's': shell = optarg; break;
		case 'h': return verb_usage("unenroll", 0);
		default: return verb_usage("unenroll", 2);
		}
	}
	if (optind + 1 != argc)
		return verb_usage("unenroll", 2);
	pw = getpwnam(argv[optind]);
	if (!pw) {
		say("no user '%.64s'", argv[optind]);
		return 1;
	}
	if (geteuid() != 0) {
		say("unenroll must run as root");
		return 1;
	}
	if (run_usermod(pw->pw_name, shell) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/users/%s.conf", top, pw->pw_name);
	if (unlink(path) == 0)
		printf("%s: removed %s\n", pw->pw_name, path);
	else if (errno != ENOENT)
		say("cannot remove %s: %s", path, strerror(errno));
	printf("%s: login shell %s\n", pw->pw_name, shell);
	return 0;
}
