// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * jailctl enroll / unenroll: take a user into corral and back out.  Enroll gives the user a
 * policy file (--policy, through the same validated path as edit), moves their files from the
 * passwd home into the jail home (home-move.c), installs their SSH keys where sshd reads them for
 * jailed users, adds them to the group sshd's Match block names, and makes rshell their login
 * shell.  Unenroll reverses each step.  Runs as root; shadow-utils do the passwd changes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <dirent.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "home.h"
#include "jailctl.h"
#include "parse-util.h"
#include "policy.h"

/* Runs a shadow-utils tool (usermod, groupadd, gpasswd) quietly; 0, or -1 after saying what
 * failed. */
static int run_tool(const char *const *argv)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null >= 0)
			dup2(null, 1);
		execv(argv[0], (char *const *) argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		char line[512] = "";
		for (size_t i = 0; argv[i]; i++)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s", i ? " " : "",
				 argv[i]);
		say("%s failed", line);
		return -1;
	}
	return 0;
}

static bool user_in_group(const char *user, const char *group)
{
	struct group *g = getgrnam(group);

	for (size_t i = 0; g && g->gr_mem && g->gr_mem[i]; i++)
		if (streq(g->gr_mem[i], user))
			return true;
	return false;
}

static int set_shell(const char *user, const char *shell)
{
	const char *argv[] = { "/usr/sbin/usermod", "-s", shell, "--", user, NULL };
	return run_tool(argv);
}

/* sshd's Match Group block (README) applies to the members of group: jailed users must be. */
static int join_group(const struct passwd *pw, const char *group)
{
	const char *add[] = { "/usr/sbin/groupadd", "--system", "--", group, NULL };
	const char *join[] = { "/usr/sbin/usermod", "-a", "-G", group, "--", pw->pw_name, NULL };

	if (!getgrnam(group) && run_tool(add) < 0)
		return -1;
	if (user_in_group(pw->pw_name, group))
		return 0;
	return run_tool(join);
}

static int leave_group(const struct passwd *pw, const char *group)
{
	const char *argv[] = { "/usr/bin/gpasswd", "-d", pw->pw_name, group, NULL };

	if (!getgrnam(group) || !user_in_group(pw->pw_name, group))
		return 0;
	return run_tool(argv);
}

static int refuse_if_running_now(const struct passwd *pw)
{
	_cleanup_(closedirp) DIR *d = opendir("/proc");
	char pids[128] = "";
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		char path[300];
		struct stat st;
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s", e->d_name);
		if (stat(path, &st) < 0 || st.st_uid != pw->pw_uid)
			continue;
		if (n++ < 5)
			snprintf(pids + strlen(pids), sizeof(pids) - strlen(pids), "%s%.12s",
				 n > 1 ? " " : "", e->d_name);
	}
	if (n == 0)
		return 0;
	say("%s has %d process%s running on the host (%s%s); they would go on outside the jail: "
	    "end them (loginctl terminate-user %s) and run enroll again",
	    pw->pw_name, n, n > 1 ? "es" : "", pids, n > 5 ? " ..." : "", pw->pw_name);
	return -1;
}

/* Processes of a user not yet enrolled would go on outside the jail after enroll (a shell, a
 * user manager, a nohup job): the move waits until there are none.  Once the passwd home is
 * safe the user is enrolled, and their processes are jailed ones or rshell's outer mode. */
static int refuse_if_running(const struct passwd *pw, const struct home_owner *o)
{
	char why[512];

	if (home_audit(pw->pw_dir, o, why, sizeof(why)) == 0)
		return 0;
	return refuse_if_running_now(pw);
}

/* The user's resolved policy gives the jail home; everyone enrolled must be matched. */
static char *jail_home_of(const char *top, const char *name, struct home_owner *o,
			  gid_t **ret_gids)
{
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	struct user_info u = { 0 };
	struct policy *p = NULL;
	char *home = NULL;
	int r, n = 0;

	r = user_info_from_nss(name, &u);
	if (r == 0)
		r = policy_set_load(top, NULL, &set, &errs);
	if (r == 0)
		r = policy_resolve(set, &u, &p, &errs);
	for (size_t i = 0; i < errs.n; i++)
		say("%s", errs.msg[i]);
	if (r == POLICY_UNMATCHED)
		say("%s matches no policy in %s; give --policy PARENT", name, top);
	else if (r == POLICY_MATCHED && !(home = strdup(p->v[PK_JAIL_HOME].str)))
		say("out of memory");
	if (home && nss_group_list(u.name, u.gid, ret_gids, &n) == 0) {
		o->uid = u.uid;
		o->gids = *ret_gids;
		o->ngids = (size_t) n;
	} else if (home) {
		say("cannot list the groups of %s", name);
		free(home);
		home = NULL;
	}
	perr_clear(&errs);
	policy_free(p);
	policy_set_free(set);
	user_info_clear(&u);
	return home;
}

static const struct option opts[] = {
	{ "policy-dir", required_argument, NULL, 'p' },
	{ "policy", required_argument, NULL, 'P' },
	{ "shell", required_argument, NULL, 's' },
	{ "group", required_argument, NULL, 'g' },
	{ "keys-dir", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{},
};

struct enroll_opts {
	const char *top, *parent, *shell, *group, *keys;
};

static int parse(int argc, char **argv, const char *verb, struct enroll_opts *e,
		 struct passwd **ret_pw)
{
	int c;

	while ((c = getopt_long(argc, argv, "p:P:s:g:k:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': e->top = optarg; break;
		case 'P': e->parent = optarg; break;
		case 's': e->shell = optarg; break;
		case 'g': e->group = optarg; break;
		case 'k': e->keys = optarg; break;
		case 'h': return verb_usage(verb, 0);
		default: return verb_usage(verb, 2);
		}
	}
	if (optind + 1 != argc)
		return verb_usage(verb, 2);
	*ret_pw = getpwnam(argv[optind]);
	if (!*ret_pw) {
		say("no user '%.64s'", argv[optind]);
		return 1;
	}
	if ((*ret_pw)->pw_uid == 0) {
		say("root is never jailed");
		return 1;
	}
	if (geteuid() != 0) {
		say("%s must run as root", verb);
		return 1;
	}
	return -1; /* go on */
}

/*
 * Order: the policy (if refused, nothing changes), the home moved into the jail home, the SSH
 * keys, sshd's group, and last the login shell, since pam_jaild lets a user in only with all of
 * it done.  Every step checks the disk first, so a rerun finishes an interrupted enroll.
 * /etc/shells is never touched: a shell listed there lets util-linux su -s and chsh leave it.
 */
int cmd_enroll(int argc, char **argv)
{
	struct enroll_opts e = { DEFAULT_POLICY_DIR, NULL, BINDIR "/rshell", DEFAULT_JAILED_GROUP,
				 DEFAULT_KEYS_DIR };
	_cleanup_free_ gid_t *gids = NULL;
	_cleanup_free_ char *jhome = NULL;
	struct home_owner o = { 0 };
	struct passwd *pw;
	char name[256];
	int r;

	r = parse(argc, argv, "enroll", &e, &pw);
	if (r >= 0)
		return r;
	snprintf(name, sizeof(name), "%s", pw->pw_name);
	if (access(e.shell, X_OK) != 0) {
		say("%s is not an executable rshell; install corral first or give --shell", e.shell);
		return 1;
	}
	if (e.parent) {
		char text[512], path[4096];
		snprintf(text, sizeof(text),
			 "# Enrolled with jailctl enroll; change with jailctl edit user %s.\n"
			 "inherit = \"%s\";\n",
			 name, e.parent);
		snprintf(path, sizeof(path), "%s/users/%s.conf", e.top, name);
		/* A rerun after an interruption finds the file it wrote. */
		if (access(path, F_OK) != 0 &&
		    policy_write_validated(e.top, "user", name, text, true) < 0)
			return 1;
	}
	jhome = jail_home_of(e.top, name, &o, &gids);
	pw = getpwnam(name);
	if (!jhome || !pw || refuse_if_running(pw, &o) < 0 || home_move_in(pw, jhome, &o, e.keys) < 0 ||
	    join_group(pw, e.group) < 0 ||
	    set_shell(name, e.shell) < 0)
		return 1;
	printf("%s: enrolled: login shell %s, group %s, files in %s (shown at %s in the jail)%s%s\n",
	       name, e.shell, e.group, jhome, pw->pw_dir, e.parent ? ", policy inherits " : "",
	       e.parent ? e.parent : "");
	return 0;
}

int cmd_unenroll(int argc, char **argv)
{
	struct enroll_opts e = { DEFAULT_POLICY_DIR, NULL, "/bin/bash", DEFAULT_JAILED_GROUP,
				 DEFAULT_KEYS_DIR };
	_cleanup_free_ gid_t *gids = NULL;
	_cleanup_free_ char *jhome = NULL;
	struct home_owner o = { 0 };
	char path[4096], name[256];
	struct passwd *pw;
	int r;

	r = parse(argc, argv, "unenroll", &e, &pw);
	if (r >= 0)
		return r;
	snprintf(name, sizeof(name), "%s", pw->pw_name);
	/* The shell first: from here on pam_jaild refuses the user until this is finished. */
	if (set_shell(name, e.shell) < 0)
		return 1;
	jhome = jail_home_of(e.top, name, &o, &gids);
	quota_forget_user(e.top, name);
	pw = getpwnam(name);
	if (!pw || (jhome && home_move_out(pw, jhome) < 0) || leave_group(pw, e.group) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/%s", e.keys, name);
	if (unlink(path) == 0)
		printf("%s: removed %s\n", name, path);
	snprintf(path, sizeof(path), "%s/users/%s.conf", e.top, name);
	if (unlink(path) == 0)
		printf("%s: removed %s\n", name, path);
	else if (errno != ENOENT)
		say("cannot remove %s: %s", path, strerror(errno));
	printf("%s: unenrolled: login shell %s\n", name, e.shell);
	return 0;
}
