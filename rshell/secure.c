// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Known ways out of programs the policies allow, closed by rshell whatever the rules say (rules
 * only narrow further).  The jail stays the boundary; this keeps an allowed program from being a
 * shell by another name.  See corral-policy(5), "Secure modes".
 *
 *   find  its actions that write or run (-exec, -ok, -delete, -fprint, -fls...) are refused;
 *   git   no system or global config (GIT_CONFIG_NOSYSTEM, an empty or the jail's own global
 *         file), core.* programs, hooks, pager and editor pinned by command-line-scope config
 *         that beats any repository's; only git's own commands (aliases name none), and none
 *         of the options that run a program;
 *   with shell.escapes = false, also: less with LESSSECURE=1, vim with -Z (restricted), gawk
 *         with --sandbox, and an awk without a sandbox (mawk) refused.
 */
#include "config.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "rshell.h"
#include "strv.h"

#define JAIL_GITCONFIG "/.corral/gitconfig"

static const char *const find_actions[] = { "-exec", "-execdir", "-ok", "-okdir", "-delete",
					    "-fprint", "-fprint0", "-fprintf", "-fls", NULL };

/* git's own commands that run nothing the user names (difftool, mergetool, filter-branch,
 * instaweb and the like are left out). */
static const char *const git_commands[] = {
	"add", "am", "annotate", "apply", "archive", "bisect", "blame", "branch", "bundle",
	"cat-file", "checkout", "cherry", "cherry-pick", "clean", "clone", "commit", "config",
	"count-objects", "describe", "diff", "fetch", "format-patch", "fsck", "gc", "grep", "help",
	"init", "log", "ls-files", "ls-remote", "ls-tree", "merge", "merge-base", "mv", "notes",
	"pull", "push", "range-diff", "rebase", "reflog", "remote", "reset", "restore", "revert",
	"rev-list", "rev-parse", "rm", "shortlog", "show", "show-ref", "stash", "status",
	"submodule", "switch", "tag", "version", "whatchanged", "worktree", NULL
};

/* Options of any git command that name a program to run. */
static const char *const git_run_options[] = { "--exec", "--exec=*", "--upload-pack",
					       "--upload-pack=*", "--receive-pack",
					       "--receive-pack=*", "--extcmd*", "--tool*",
					       "--ext-diff", "--textconv", NULL };

/* Command-line-scope config (GIT_CONFIG_KEY_n): it wins over every config file. */
static const char *const git_pinned[][2] = {
	{ "core.pager", "cat" },       { "core.editor", "false" },
	{ "sequence.editor", "false" }, { "core.sshCommand", "false" },
	{ "core.hooksPath", "/dev/null" }, { "core.fsmonitor", "false" },
	{ "core.askPass", "false" },  { "core.gitProxy", "false" },
	{ "protocol.ext.allow", "never" },
};

static int say(char **why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int say(char **why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(why, fmt, ap) < 0)
		*why = NULL;
	va_end(ap);
	return REFUSED;
}

static const char *base_of(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* The program's real name (vim is often /etc/alternatives/vim -> vim.basic). */
static void real_base(const char *path, char *buf, size_t len)
{
	char real[PATH_MAX];
	const char *b = realpath(path, real) ? base_of(real) : base_of(path);

	if (strlen(b) < len)
		memcpy(buf, b, strlen(b) + 1);
	else
		buf[0] = '\0';
}

static bool is_vim(const char *n)
{
	return !strncmp(n, "vim", 3) || streq(n, "vi") || streq(n, "view") || streq(n, "ex") ||
	       streq(n, "rvim") || streq(n, "rview");
}

static bool is_awk(const char *n)
{
	return strstr(n, "awk") != NULL;
}

static bool escapes_off(struct shell *sh)
{
	return !sh->p->v[PK_SHELL_ESCAPES].num;
}

static bool matches_any(const char *const *pats, const char *arg)
{
	for (size_t i = 0; pats[i]; i++)
		if (fnmatch(pats[i], arg, 0) == 0)
			return true;
	return false;
}

/* Where git's command word is in argv (after its global options), or argc. */
static size_t git_command_at(char *const *argv, size_t argc)
{
	size_t i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++)
		if (streq(argv[i], "-C") || streq(argv[i], "--git-dir") ||
		    streq(argv[i], "--work-tree") || streq(argv[i], "--namespace"))
			i++;
	return i;
}

static int check_git(const struct command *c, char **why)
{
	size_t i = git_command_at(c->argv, c->argc);

	for (size_t j = 1; j < i && j < c->argc; j++) {
		const char *a = c->argv[j];
		if (streq(a, "-c") || !strncmp(a, "--config-env", 12) || !strncmp(a, "--exec-path", 11))
			return say(why, "git: the option '%.100s' is not allowed%s", a, "");
	}
	if (i < c->argc && !strv_contains((char **) git_commands, c->argv[i]))
		return say(why, "git: '%.100s' is not one of git's own commands that you may run%s",
			   c->argv[i], " (aliases are not)");
	/* -x of rebase and -u of clone name a program too; elsewhere they mean other things. */
	for (size_t j = i + 1; i < c->argc && j < c->argc; j++)
		if ((streq(c->argv[i], "rebase") && !strncmp(c->argv[j], "-x", 2)) ||
		    (streq(c->argv[i], "clone") && !strncmp(c->argv[j], "-u", 2)))
			return say(why, "git: the argument '%.100s' %s", c->argv[j],
				   "runs a program, which is not allowed");
	for (; i < c->argc; i++)
		if (matches_any(git_run_options, c->argv[i]))
			return say(why, "git: the argument '%.100s' %s", c->argv[i],
				   "runs a program, which is not allowed");
	return 0;
}

int secure_check(struct shell *sh, const struct command *c, const char *path, char **why)
{
	const char *name = base_of(c->argv[0]);
	char real[NAME_MAX + 1];

	if (!path)
		return 0;
	real_base(path, real, sizeof(real));
	if (streq(name, "find") || streq(real, "find")) {
		for (size_t i = 1; i < c->argc; i++)
			if (strv_contains((char **) find_actions, c->argv[i]))
				return say(why, "find: the action '%.100s' %s", c->argv[i],
					   "writes or runs programs, which is not allowed");
		return 0;
	}
	if (streq(name, "git") || streq(real, "git"))
		return check_git(c, why);
	if (escapes_off(sh) && (is_awk(name) || is_awk(real)) && !streq(real, "gawk"))
		return say(why, "%s: this awk (%s) has no sandbox, so it is not allowed where shell "
				"escapes are off",
			   name, real);
	return 0;
}

/* In the child only: what it allocates is freed by execve. */
static void set_env(char ***env, const char *name, const char *value)
{
	char buf[PATH_MAX + 64];
	size_t n = strlen(name), o = 0;

	for (size_t i = 0; (*env)[i]; i++)
		if (!(strncmp((*env)[i], name, n) == 0 && (*env)[i][n] == '='))
			(*env)[o++] = (*env)[i];
	(*env)[o] = NULL;
	snprintf(buf, sizeof(buf), "%s=%s", name, value);
	(void) strv_push(env, buf);
}

static void prepare_git(char ***env)
{
	char key[64], num[16];
	size_t n = sizeof(git_pinned) / sizeof(git_pinned[0]);

	set_env(env, "GIT_CONFIG_NOSYSTEM", "1");
	set_env(env, "GIT_CONFIG_GLOBAL",
		access(JAIL_GITCONFIG, R_OK) == 0 ? JAIL_GITCONFIG : "/dev/null");
	/* These beat pager.<cmd>, core.editor and the like from any file. */
	set_env(env, "GIT_PAGER", "cat");
	set_env(env, "GIT_EDITOR", "false");
	set_env(env, "GIT_SEQUENCE_EDITOR", "false");
	set_env(env, "GIT_SSH_COMMAND", "false");
	set_env(env, "GIT_ALLOW_PROTOCOL", "file:git:http:https:ssh");
	snprintf(num, sizeof(num), "%zu", n);
	set_env(env, "GIT_CONFIG_COUNT", num);
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "GIT_CONFIG_KEY_%zu", i);
		set_env(env, key, git_pinned[i][0]);
		snprintf(key, sizeof(key), "GIT_CONFIG_VALUE_%zu", i);
		set_env(env, key, git_pinned[i][1]);
	}
}

/* argv with word inserted before argv[at]. */
static void insert_at(char ***argv, size_t at, const char *word)
{
	size_t n = strv_length(*argv);
	char **v = calloc(n + 2, sizeof(char *));

	if (!v)
		return;
	memcpy(v, *argv, at * sizeof(char *));
	v[at] = (char *) word;
	memcpy(v + at + 1, *argv + at, (n - at + 1) * sizeof(char *));
	*argv = v;
}

/* An external diff program and textconv filters (diff.external, a .gitattributes driver) run
 * through /bin/sh: off for the commands that would use them. */
static void prepare_git_diff(char ***argv)
{
	size_t at = git_command_at(*argv, strv_length(*argv));
	const char *cmd = (*argv)[at];

	if (!cmd)
		return;
	if (streq(cmd, "diff") || streq(cmd, "log") || streq(cmd, "show") ||
	    streq(cmd, "whatchanged")) {
		insert_at(argv, at + 1, "--no-textconv");
		insert_at(argv, at + 1, "--no-ext-diff");
	} else if (streq(cmd, "blame") || streq(cmd, "annotate")) {
		insert_at(argv, at + 1, "--no-textconv");
	}
}

void secure_prepare(struct shell *sh, const char *path, char ***argv, char ***env)
{
	const char *name = base_of((*argv)[0]);
	char real[NAME_MAX + 1];

	real_base(path, real, sizeof(real));
	if (streq(name, "git") || streq(real, "git")) {
		prepare_git(env);
		prepare_git_diff(argv);
	}
	if (!escapes_off(sh))
		return;
	/* No shell at all: less's !, |, v and lesskey files off (its pager use by git, too). */
	set_env(env, "LESSSECURE", "1");
	if (is_vim(name) || is_vim(real))
		insert_at(argv, 1, "-Z");
	else if (streq(real, "gawk"))
		insert_at(argv, 1, "--sandbox");
}
