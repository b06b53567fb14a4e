// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * rshell in real jails, as root: sequential expansion of a command list, the warning counter with
 * and without a terminal, completion after ~/, and what jaild's audit log records.  Its own users
 * (corral-rsh*), jaild and tmux server, apart from check_jaild's.
 */
#include "harness.h"

#define UR "corral-rsh1"
#define ADMIN_GROUP "corral-rshadm"
/* A name on the allow-list that no jail has. */
#define ABSENT "corral-rsh-absent"

static void write_policies(void)
{
	write_jail_policy("", "64M",
			  "\tcommands = [\"echo\", \"ls\", \"cat\", \"false\", \"true\", \"" ABSENT
			  "\"];\n"
			  "\twarnings = 3;\n\texport = [\"EDITOR\"];\n",
			  /* Room for the five sessions at once of test_audit_session_end_always. */
			  "session = { max = 10; };\n");
}

static int rsh(char **out, const char *cmd)
{
	return rshell_as(out, UR, "", cmd);
}

/* rshell with lines on stdin and no terminal, as under ssh -T: the exit code. */
static int rsh_stdin(char **out, const char *lines)
{
	return run_capture(out, "printf '%s' | runuser -u %s -- env CORRAL_SOCKET=%s %s", lines, UR,
			   sock, rshell_bin);
}

/* ---- each part of a list is expanded when it runs ---- */

struct seq_case {
	const char *cmd;
	int code;
	const char *out; /* exact output, or with a leading '~' the end of it */
};

static const struct seq_case seq_cases[] = {
	/* issue 14, verbatim */
	{ "ls missing; echo $?", 0, "~\n2\n" },
	{ "false; echo $?", 0, "1\n" },
	{ "false || echo status=$?", 0, "status=1\n" },
	{ "export EDITOR=ok && echo $EDITOR", 0, "ok\n" },
	/* $? of each part, across every operator */
	{ "true && echo a=$? ; false; echo b=$?", 0, "a=0\nb=1\n" },
	{ "ls missing || echo $?; echo $?", 0, "~\n2\n0\n" },
	{ "export EDITOR=x; unset EDITOR; echo \"[$EDITOR]\"", 0, "[]\n" },
	/* a file an earlier part makes may be read by a later one */
	{ "echo made > seq.txt; cat < seq.txt", 0, "made\n" },
	/* still checked whole, with the values the earlier parts leave: nothing runs */
	{ "echo first; export EDITOR=bash; $EDITOR", 126,
	  "corral: bash is not an allowed command (type help for the list)\n" },
	{ "echo first; cd /", 1, "corral: / is outside the places you may use (" },
	/* checked again when it runs: here the value differs from the one checked */
	{ "export EDITOR=bash; true || export EDITOR=echo; $EDITOR hi", 126,
	  "corral: bash is not an allowed command (type help for the list)\n" },
};

START_TEST(test_sequential)
{
	const struct seq_case *t = &seq_cases[_i];
	char *out;
	int code = rsh(&out, t->cmd);

	ck_assert_msg(code == t->code, "'%s' exited %d, expected %d: %s", t->cmd, code, t->code,
		      out);
	if (t->out[0] == '~')
		ck_assert_msg(strlen(out) >= strlen(t->out + 1) &&
				      strcmp(out + strlen(out) - strlen(t->out + 1), t->out + 1) == 0,
			      "'%s' gave: %s", t->cmd, out);
	else
		ck_assert_msg(strncmp(out, t->out, strlen(t->out)) == 0 &&
				      (t->out[strlen(t->out) - 1] != '\n' || strcmp(out, t->out) == 0),
			      "'%s' gave: %s", t->cmd, out);
	free(out);
}
END_TEST

/* ---- the warning counter ---- */

START_TEST(test_warnings_without_terminal)
{
	char *out;

	ck_assert_int_eq(rsh_stdin(&out, "help\\nbash\\necho still\\nsh\\ncsh\\necho never\\n"), 1);
	ck_assert_msg(strstr(out, "Warnings left: 3 (each refused command uses one; at 0 the "
				  "session ends)\n"),
		      "%s", out);
	ck_assert_msg(strstr(out, "corral: bash is not an allowed command (type help for the list). "
				  "2 warnings left.\nstill\n"
				  "corral: sh is not an allowed command (type help for the list). "
				  "1 warning left.\n"
				  "corral: csh is not an allowed command (type help for the list). "
				  "0 warnings left; the session ends.\n"),
		      "%s", out);
	ck_assert_msg(!strstr(out, "never"), "%s", out);
	free(out);
}
END_TEST

START_TEST(test_absent_command_is_free)
{
	char *out;

	ck_assert_int_eq(rsh_stdin(&out, ABSENT "\\nbash\\n" ABSENT "\\nhelp\\necho on\\n"), 0);
	ck_assert_msg(strstr(out, "corral: " ABSENT " is allowed but not installed here; that uses "
				  "no warning.\n"
				  "corral: bash is not an allowed command (type help for the list). "
				  "2 warnings left.\n"
				  "corral: " ABSENT " is allowed but not installed here; that uses "
				  "no warning.\n"),
		      "%s", out);
	ck_assert_msg(strstr(out, "Warnings left: 2 (each"), "%s", out);
	ck_assert_msg(strstr(out, "\non\n"), "%s", out);
	free(out);
	/* With -c too: the same message, and the status of a command not found. */
	ck_assert_int_eq(rsh(&out, ABSENT), 127);
	ck_assert_str_eq(out, "corral: " ABSENT " is allowed but not installed here\n");
	free(out);
}
END_TEST

static void start_session(const char *name)
{
	char *out;

	if (system("command -v tmux >/dev/null") != 0)
		ck_abort_msg("tmux is needed (scripts/test installs it)");
	run_capture(&out, "tmux kill-session -t %s", name);
	free(out);
	ck_assert_int_eq(run_capture(&out,
				     "tmux new-session -d -s %s -x 120 -y 40 \"runuser -u %s -- env "
				     "CORRAL_SOCKET=%s TERM=xterm %s; echo OUTER-EXIT=\\$?; "
				     "sleep 60\"",
				     name, UR, sock, rshell_bin),
			 0);
	free(out);
	free(wait_for(name, UR "@jail-" UR ":~$"));
}

/* With a terminal: the same counter, the same last words; TAB after ~/ completes the home. */
START_TEST(test_terminal_session)
{
	char *out, path[600];

	snprintf(path, sizeof(path), "%s/jhome/%s/tabdir", base, UR);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/jhome/%s/tabdir/tabfile", base, UR);
	put_file("/", path, "completed-from-home\n");
	sh("chown -R %s: %s/jhome/%s/tabdir", UR, base, UR);
	start_session("rsh1");
	/* From another directory, so that ~/ is not the current one. */
	keys("rsh1", "'cd /tmp' Enter");
	keys("rsh1", "'cat ~/tabd' Tab 'tabf' Tab Enter");
	free(wait_for("rsh1", "\ncompleted-from-home\n"));
	keys("rsh1", "'cd ~/tabd' Tab Enter 'pwd' Enter");
	free(wait_for("rsh1", "/tabdir\n"));
	keys("rsh1", "'help' Enter");
	free(wait_for("rsh1", "Warnings left: 3 (each"));
	keys("rsh1", "'bash' Enter");
	free(wait_for("rsh1", "2 warnings left."));
	keys("rsh1", "'sh' Enter");
	free(wait_for("rsh1", "1 warning left."));
	keys("rsh1", "'csh' Enter");
	out = wait_for("rsh1", "OUTER-EXIT=1");
	ck_assert_msg(strstr(out, "corral: csh is not an allowed command (type help for the list). "
				  "0 warnings left; the session ends."),
		      "%s", out);
	free(out);
	run_capture(&out, "tmux kill-session -t rsh1");
	free(out);
	out = jaild_log();
	ck_assert_msg(strstr(out, "opened for " UR " (service interactive, tty -, from -) for an "
				  "interactive session\n"),
		      "%s", tail(out));
	free(out);
}
END_TEST

/* ---- the audit log: one line per decision, and the end of a session always ---- */

START_TEST(test_audit_one_line_per_decision)
{
	char *out, *log;

	ck_assert_int_eq(rsh(&out, "cd / # audit-cd"), 1);
	free(out);
	ck_assert_int_eq(rsh(&out, "export PATH=/tmp # audit-export"), 1);
	free(out);
	ck_assert_int_eq(rsh(&out, "echo one # audit-echo"), 0);
	free(out);
	log = jaild_log();
	ck_assert_msg(count_text(log, "audit-cd\n") == 1 && strstr(log, ": refused: cd / # audit-cd\n"),
		      "%s", tail(log));
	ck_assert_msg(count_text(log, "audit-export\n") == 1 &&
			      strstr(log, ": refused: export PATH=/tmp # audit-export\n"),
		      "%s", tail(log));
	ck_assert_msg(count_text(log, "audit-echo\n") == 1 &&
			      strstr(log, ": allowed: echo one # audit-echo\n"),
		      "%s", tail(log));
	ck_assert_msg(strstr(log, "for one command\n"), "%s", tail(log));
	free(log);
}
END_TEST

/* The last line of a session that ran out of warnings reaches the log every time: it used to be
 * lost when jaild reaped the process (on another child's SIGCHLD) before reading its channel.
 * Sessions run 5 at a time, so that their ends interleave. */
START_TEST(test_audit_session_end_always)
{
	char *out, *log;
	size_t before, after;
	const int batches = 8, each = 5;

	log = jaild_log();
	before = count_text(log, ": session-ended: warnings exhausted\n");
	free(log);
	for (int i = 0; i < batches; i++) {
		ck_assert_int_eq(run_capture(&out,
					     "for i in $(seq %d); do printf 'bash\\nbash\\nbash\\n' | "
					     "runuser -u %s -- env CORRAL_SOCKET=%s %s >/dev/null 2>&1 "
					     "& done; wait",
					     each, UR, sock, rshell_bin),
				 0);
		free(out);
	}
	usleep(100000); /* 300 ms in all with jaild_log's own wait */
	log = jaild_log();
	after = count_text(log, ": session-ended: warnings exhausted\n");
	ck_assert_msg(after - before == (size_t) (batches * each),
		      "%zu of %d sessions logged their end", after - before, batches * each);
	ck_assert_msg(strstr(log, "for a session reading stdin\n"), "%s", tail(log));
	free(log);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rshell");
	TCase *tc = tcase_create("rshell");
	static const char *const users[] = { UR, NULL };
	int code;

	if (geteuid() != 0) {
		printf("SKIP: the rshell tests need root (jails, users)\n");
		return 77;
	}
	harness_setup("rsh", ADMIN_GROUP);
	make_user(UR, "");
	write_policies();
	jaild_pid = start_jaild();
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_sequential, 0,
			    (int) (sizeof(seq_cases) / sizeof(seq_cases[0])));
	tcase_add_test(tc, test_warnings_without_terminal);
	tcase_add_test(tc, test_absent_command_is_free);
	tcase_add_test(tc, test_terminal_session);
	tcase_add_test(tc, test_audit_one_line_per_decision);
	tcase_add_test(tc, test_audit_session_end_always);
	suite_add_tcase(s, tc);
	code = run_suite(s);
	if (harness_teardown(code != EXIT_SUCCESS, users))
		code = EXIT_FAILURE;
	return code;
}
