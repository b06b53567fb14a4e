// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Programs' shell escapes and the secure modes, in real jails, as root.  A program's shell
 * (/.corral/rshell -c LINE, reached through $SHELL: flock -c, vim's :!) checks LINE with the
 * session's policy, and the session's shell audits it and counts its refusals; with no session
 * shell to ask it refuses; shell.escapes = false refuses every such line.  find, git, vim and awk
 * against their GTFOBins entries.  Its own users (corral-sx*), jaild and policies.
 */
#include "harness.h"

#define UX "corral-sx1" /* shell.escapes on (the built-in default) */
#define UO "corral-sx2" /* shell.escapes = false */
#define ADMIN_GROUP "corral-sxadm"

static void write_policies(void)
{
	write_jail_policy(",\n\t\t{ src = \"/etc/alternatives\"; optional = true; }", "128M",
			  "\tcommands = [\"echo\", \"ls\", \"cat\", \"true\", \"flock\", \"vim\", "
			  "\"find\", \"git\", \"awk\", \"cp\", \"id\", \"mkdir\", \"rm\"];\n"
			  "\twarnings = 3;\n",
			  "");
	if (write_policy_file(policies, "users/" UO ".conf", "shell = { escapes = false; };\n") < 0)
		exit(99);
}

/* rshell with lines on stdin and no terminal: the exit code. */
static int rsh_stdin(char **out, const char *user, const char *lines)
{
	return run_capture(out, "printf '%s' | runuser -u %s -- env CORRAL_SOCKET=%s %s", lines, user,
			   sock, rshell_bin);
}

/* ---- a program's shell ---- */

START_TEST(test_program_shell_runs_allowed)
{
	char *out, *log;

	ck_assert_int_eq(rshell_as(&out, UX, "", "flock /tmp/lk -c 'echo via-program-shell'"), 0);
	ck_assert_str_eq(out, "via-program-shell\n");
	free(out);
	log = jaild_log();
	ck_assert_msg(strstr(log, ": allowed: (a shell of flock) echo via-program-shell\n"), "%s",
		      tail(log));
	free(log);
}
END_TEST

START_TEST(test_program_shell_refuses)
{
	char *out, *log;

	ck_assert_int_eq(rshell_as(&out, UX, "", "flock /tmp/lk -c 'bash -i'"), 126);
	ck_assert_str_eq(out, "corral: bash is not an allowed command (type help for the list)\n");
	free(out);
	/* A line the session's shell would refuse: its syntax too. */
	ck_assert_int_ne(rshell_as(&out, UX, "", "flock /tmp/lk -c 'echo $(id)'"), 0);
	ck_assert_msg(strstr(out, "corral: command substitution $(...) is not allowed"), "%s", out);
	free(out);
	log = jaild_log();
	ck_assert_msg(strstr(log, ": refused: (a shell of flock) bash -i\n"), "%s", tail(log));
	free(log);
}
END_TEST

/* The session's warnings: a refusal in a program's shell costs one, as at the prompt. */
START_TEST(test_program_shell_counts_warnings)
{
	char *out;

	ck_assert_int_eq(rsh_stdin(&out, UX,
				   "flock /tmp/lk -c bash\\nhelp\\nflock /tmp/lk -c sh\\n"
				   "flock /tmp/lk -c csh\\necho never\\n"),
			 1);
	ck_assert_msg(strstr(out, "corral: bash is not an allowed command (type help for the list). "
				  "2 warnings left.\n"),
		      "%s", out);
	ck_assert_msg(strstr(out, "Warnings left: 2 (each"), "%s", out);
	ck_assert_msg(strstr(out, "corral: csh is not an allowed command (type help for the list). "
				  "0 warnings left; the session ends.\n"),
		      "%s", out);
	ck_assert_msg(!strstr(out, "never"), "%s", out);
	free(out);
}
END_TEST

/* Nothing to ask: refused, whatever the line.  Never jaild's "not available" outage message. */
START_TEST(test_program_shell_fails_closed)
{
	char *out;

	ck_assert_int_eq(jexec(&out, UX, "/.corral/rshell -c id"), 126);
	ck_assert_msg(strstr(out, "cannot reach your session's shell") && !strstr(out, "uid="),
		      "%s", out);
	free(out);
	/* A descriptor named that is not the session's socket. */
	ck_assert_msg(jexec(&out, UX, "/usr/bin/env CORRAL_SHELL_FD=0 /.corral/rshell -c id") == 126 &&
			      !strstr(out, "uid="),
		      "%s", out);
	free(out);
}
END_TEST

/* vim's :! goes through $SHELL, that is the program's shell. */
START_TEST(test_vim_bang)
{
	char *out;

	/* :r ! reads the command's output into the buffer, which vim then prints. */
	ck_assert_msg(rshell_as(&out, UX, "",
				"vim -Nu NONE -i NONE -es -c 'r !echo from-vim' -c '%p' -c 'qa!'") ==
				      0 &&
			      strstr(out, "from-vim\n"),
		      "%s", out);
	free(out);
	ck_assert_int_eq(rshell_as(&out, UX, "",
				   "vim -Nu NONE -i NONE -es -c 'r !id' -c '%p' -c 'qa!'"),
			 0);
	ck_assert_msg(strstr(out, "uid="), "%s", out);
	free(out);
	/* Refused: the message is what the command wrote; vim -es exits 1 on the error. */
	(void) rshell_as(&out, UX, "", "vim -Nu NONE -i NONE -es -c 'r !bash -c id' -c '%p' -c 'qa!'");
	ck_assert_msg(strstr(out, "bash is not an allowed command") && !strstr(out, "uid="), "%s",
		      out);
	free(out);
}
END_TEST

/* ---- shell.escapes = false ---- */

START_TEST(test_escapes_off)
{
	char *out, *log;

	ck_assert_int_eq(rshell_as(&out, UO, "", "flock /tmp/lk -c 'echo nope'"), 126);
	ck_assert_str_eq(out, "corral: programs' shell escapes are turned off for your account "
			      "(shell.escapes)\n");
	free(out);
	/* vim in restricted mode: no :! at all (E145). */
	ck_assert_int_ne(rshell_as(&out, UO, "", "vim -Nu NONE -i NONE -es -c '!id' -c 'qa!'"), 0);
	ck_assert_msg(!strstr(out, "uid="), "%s", out);
	free(out);
	/* This jail's awk is mawk: no sandbox, so no awk. */
	ck_assert_int_eq(rshell_as(&out, UO, "", "awk 'BEGIN { system(\"id\") }'"), 126);
	ck_assert_msg(strstr(out, "has no sandbox") && !strstr(out, "uid="), "%s", out);
	free(out);
	log = jaild_log();
	ck_assert_msg(strstr(log, "escapes") || strstr(log, UO), "%s", tail(log));
	free(log);
}
END_TEST

/* ---- find: every action that writes or runs ---- */

static const char *const find_actions[] = { "-exec id ;", "-execdir id ;", "-ok id ;",
					    "-okdir id ;", "-delete", "-fprint /tmp/f",
					    "-fprint0 /tmp/f", "-fprintf /tmp/f %p", "-fls /tmp/f" };

START_TEST(test_find_actions)
{
	char cmd[256], *out;

	snprintf(cmd, sizeof(cmd), "find /tmp -maxdepth 0 %s", find_actions[_i]);
	ck_assert_int_eq(rshell_as(&out, UX, "", cmd), 126);
	ck_assert_msg(strstr(out, "writes or runs programs, which is not allowed") &&
			      !strstr(out, "uid="),
		      "%s: %s", cmd, out);
	free(out);
	ck_assert_int_eq(rshell_as(&out, UX, "", "find /tmp -maxdepth 0 -print"), 0);
	ck_assert_str_eq(out, "/tmp\n");
	free(out);
}
END_TEST

/* ---- git: aliases and core.* from any config file, hooks, -c ---- */

struct git_case {
	const char *cmd;
	int code; /* -1: any */
	const char *want;
};

static const struct git_case git_cases[] = {
	{ "git -c alias.x='!id' x", 126, "git: the option '-c' is not allowed" },
	{ "git --config-env=alias.x=HOME x", 126, "is not allowed" },
	{ "git -C r config alias.x '!id'; git -C r x", 126, "'x' is not one of git's own commands" },
	{ "git -C r config core.editor id; git -C r commit --allow-empty", -1, NULL },
	{ "git -C r config core.hooksPath h; git -C r commit --allow-empty -m m", 0, NULL },
	{ "git -C r rebase --exec id HEAD", 126, "runs a program, which is not allowed" },
	{ "git -C r rebase -xid HEAD", 126, "runs a program, which is not allowed" },
	{ "git clone -u id r r2", 126, "runs a program, which is not allowed" },
	/* the same letters elsewhere are not programs */
	{ "echo x > r/f; git -C r add f; git -C r status -u --short", 0, "A  f" },
	{ "git -C r ls-remote --upload-pack=id .", 126, "runs a program, which is not allowed" },
	{ "git -C r difftool", 126, "is not one of git's own commands" },
	/* an external diff from the repository's config: not run, and git diff still works */
	{ "git -C r config diff.external id; echo a > r/f; git -C r add f; echo b > r/f; "
	  "git -C r diff", 0, "+b" },
	{ "git -C r diff --ext-diff", 126, "runs a program, which is not allowed" },
};

START_TEST(test_git)
{
	const struct git_case *t = &git_cases[_i];
	char *out;
	int code;

	/* A repository with an identity, and hooks that would print the uid where it allowed. */
	ck_assert_int_eq(rshell_as(&out, UX, "",
				   "git init -q r; git -C r config user.name u; "
				   "git -C r config user.email u@x; mkdir -p r/h; "
				   "cp /usr/bin/id r/.git/hooks/pre-commit; cp /usr/bin/id r/h/pre-commit"),
			 0);
	free(out);
	code = rshell_as(&out, UX, "", t->cmd);
	ck_assert_msg(t->code < 0 || code == t->code, "%s: exit %d: %s", t->cmd, code, out);
	ck_assert_msg(!strstr(out, "uid="), "%s ran a program: %s", t->cmd, out);
	ck_assert_msg(!t->want || strstr(out, t->want), "%s: %s", t->cmd, out);
	free(out);
	ck_assert_int_eq(rshell_as(&out, UX, "", "rm -rf r"), 0);
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("escapes");
	TCase *tc = tcase_create("escapes");
	static const char *const users[] = { UX, UO, NULL };
	int code;

	if (geteuid() != 0) {
		printf("SKIP: the escape tests need root (jails, users)\n");
		return 77;
	}
	harness_setup("sx", ADMIN_GROUP);
	make_user(UX, "");
	make_user(UO, "");
	write_policies();
	jaild_pid = start_jaild();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_program_shell_runs_allowed);
	tcase_add_test(tc, test_program_shell_refuses);
	tcase_add_test(tc, test_program_shell_counts_warnings);
	tcase_add_test(tc, test_program_shell_fails_closed);
	tcase_add_test(tc, test_vim_bang);
	tcase_add_test(tc, test_escapes_off);
	tcase_add_loop_test(tc, test_find_actions, 0,
			    (int) (sizeof(find_actions) / sizeof(find_actions[0])));
	tcase_add_loop_test(tc, test_git, 0, (int) (sizeof(git_cases) / sizeof(git_cases[0])));
	suite_add_tcase(s, tc);
	code = run_suite(s);
	if (harness_teardown(code != EXIT_SUCCESS, users))
		code = EXIT_FAILURE;
	return code;
}
