// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * lshell parity in real jails, as root (issue 14, items 6 and 7): exact command lines, commands
 * added and removed by a child policy, aliases, the intro, umask, the per-command timeout, deny
 * lists inside the allowed places, scp's two directions, the JSON audit line, help's "not
 * installed" and man.  Its own users (corral-lp*), jaild and policies.
 */
#include "harness.h"

#include <sys/stat.h>
#include <time.h>

#define U1 "corral-lp1"
#define U2 "corral-lp2"
#define ADMIN_GROUP "corral-lpadm"
#define ABSENT "corral-lp-absent"

static void write_policies(void)
{
	write_jail_policy("", "128M",
			  "\tcommands = [\"echo\", \"cat\", \"sleep\", \"touch\", \"man\", \"id -u\", "
			  "\"" ABSENT "\"];\n"
			  "\twarnings = 50;\n"
			  "\taliases = { hello = \"echo hello from\"; idu = \"id -u\"; sh = \"bash\"; };\n"
			  "\tintro = \"Lab rules:\\n\\tbe kind.\";\n"
			  "\tumask = \"077\";\n\ttimeout = \"2s\";\n"
			  "\tpaths_deny = [\"%h/secret\"];\n"
			  "\tscp = false;\n\tscp_upload = true;\n",
			  "");
	/* A user file that adds to default's commands and takes one away, instead of copying. */
	if (write_policy_file(policies, "users/" U2 ".conf",
			      "shell = {\n\tcommands_add = [\"id\", \"ls\"];\n"
			      "\tcommands_remove = [\"cat\"];\n\taudit_format = \"json\";\n"
			      "\tscp_download = true;\n};\n") < 0)
		exit(99);
}

struct run_case {
	const char *user;
	const char *cmd;
	int code;
	const char *out; /* a part of the output, or with a leading '!' text it must not hold */
};

static const struct run_case run_cases[] = {
	/* exact command lines: "id -u" and nothing else of id */
	{ U1, "id -u", 0, "\n" },
	{ U1, "id", 126, "corral: id is not an allowed command (type help for the list)\n" },
	{ U1, "id -g", 126, "corral: id is not an allowed command" },
	{ U1, "id -u -u", 126, "corral: id is not an allowed command" },
	{ U1, "id '-u'", 0, "\n" }, /* words as they run: quotes are gone */
	/* a child adds to its parent's list and takes from it */
	{ U2, "id -g", 0, "\n" },
	{ U2, "echo inherited", 0, "inherited\n" },
	{ U2, "cat /etc/hostname", 126, "corral: cat is not an allowed command" },
	{ U1, "cat /etc/passwd", 0, U1 ":x:" },
	/* aliases, the result checked like any line */
	{ U1, "hello world", 0, "hello from world\n" },
	{ U1, "idu", 0, "\n" },
	{ U1, "sh -c id", 126, "corral: bash is not an allowed command" },
	{ U1, "echo a; hello b", 0, "a\nhello from b\n" },
	/* the timeout: a command stopped after 2 s with a message and status 124 */
	{ U1, "sleep 1; echo slept", 0, "slept\n" },
	{ U1, "sleep 30", 124, "corral: sleep ran longer than shell.timeout (2s); it was stopped.\n" },
	/* deny lists inside the allowed places */
	{ U1, "cat secret/data", 126, "corral: secret/data is in " },
	{ U1, "cat ~/secret/../secret/data", 126, "a place you may not use" },
	{ U1, "cat via-link/data", 126, "a place you may not use" },
	{ U1, "cd secret", 1, "corral: secret is in " },
	{ U1, "echo x > secret/new", 126, "a place you may not use" },
	{ U1, "cat secret*/data", 126, "corral: secret*/data matches nothing you may use" },
	{ U1, "cat open/data", 0, "open data\n" },
	/* scp: uploads only for U1, both ways for U2 */
	{ U1, "scp -f open/data", 126, "corral: scp downloads are not allowed for your account\n" },
	{ U1, "scp -t open", -1, "!not allowed" },
	{ U2, "scp -f open/data", -1, "!not allowed" },
	/* help: what is there, what is not, the aliases */
	{ U1, "help", 0, " \"id -u\" " ABSENT " (not installed)\nAliases: hello = echo hello from, "
			 "idu = id -u, sh = bash\n" },
	{ U1, "help", 0, "Commands you may run: echo cat sleep touch man \"id -u\" " },
	/* man, through the jail's own pager settings */
	{ U1, "man ls", 0, "ls - list directory contents" },
};

START_TEST(test_run)
{
	const struct run_case *t = &run_cases[_i];
	char *out;
	int code = rshell_as(&out, t->user, "", t->cmd);

	if (t->code >= 0)
		ck_assert_msg(code == t->code, "'%s' as %s exited %d, expected %d: %s", t->cmd,
			      t->user, code, t->code, out);
	if (t->out[0] == '!')
		ck_assert_msg(!strstr(out, t->out + 1), "'%s' as %s gave: %s", t->cmd, t->user, out);
	else
		ck_assert_msg(strstr(out, t->out), "'%s' as %s gave: %s", t->cmd, t->user, out);
	free(out);
}
END_TEST

/* umask: what the session makes is the user's alone. */
START_TEST(test_umask)
{
	char *out, path[600];
	struct stat st;

	ck_assert_int_eq(rshell_as(&out, U1, "", "touch made-here"), 0);
	free(out);
	snprintf(path, sizeof(path), "%s/jhome/%s/made-here", base, U1);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_msg((st.st_mode & 0777) == 0600, "mode %o", st.st_mode & 0777);
}
END_TEST

/* The timeout kills the whole pipeline, on time. */
START_TEST(test_timeout_on_time)
{
	struct timespec a, b;
	char *out;

	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_int_eq(rshell_as(&out, U1, "", "sleep 30 | sleep 40"), 124);
	clock_gettime(CLOCK_MONOTONIC, &b);
	free(out);
	ck_assert_msg(b.tv_sec - a.tv_sec < 10, "took %lds", (long) (b.tv_sec - a.tv_sec));
	ck_assert_int_ne(system("pgrep -u " U1 " -x sleep >/dev/null"), 0);
}
END_TEST

/* The intro, at an interactive start only. */
START_TEST(test_intro)
{
	char *out;

	ck_assert_int_eq(run_capture(&out,
				     "printf 'exit\\n' | script -qec 'runuser -u %s -- env "
				     "CORRAL_SOCKET=%s %s' /dev/null",
				     U1, sock, rshell_bin),
			 0);
	/* (The terminal may echo the typed-ahead "exit" between the banner and the intro.) */
	ck_assert_msg(strstr(out, "type help for what you may do.\r\n") &&
			      strstr(out, "Lab rules:\r\n\tbe kind.\r\n"),
		      "%s", out);
	free(out);
	ck_assert_int_eq(rshell_as(&out, U1, "", "echo plain"), 0);
	ck_assert_str_eq(out, "plain\n");
	free(out);
}
END_TEST

/* shell.audit_format = "json": one object per line in jaild's log. */
START_TEST(test_json_audit)
{
	char *out, *log, *line;

	ck_assert_int_eq(rshell_as(&out, U2, "", "echo json-marker \"q\""), 0);
	free(out);
	ck_assert_int_eq(rshell_as(&out, U2, "", "cat json-refused"), 126);
	free(out);
	ck_assert_int_eq(rshell_as(&out, U1, "", "echo text-marker"), 0);
	free(out);
	log = jaild_log();
	line = strstr(log, "rshell: json: {\"time\":\"");
	ck_assert_msg(line, "%s", tail(log));
	ck_assert_msg(strstr(log, "\",\"user\":\"" U2 "\",\"verdict\":\"allowed\",\"command\":"
				  "\"echo json-marker \\\\\"q\\\\\"\"}\n"),
		      "%s", tail(log));
	ck_assert_msg(strstr(log, "\",\"user\":\"" U2 "\",\"verdict\":\"refused\",\"command\":"
				  "\"cat json-refused\"}\n"),
		      "%s", tail(log));
	ck_assert_msg(strstr(log, "rshell: allowed: echo text-marker\n"), "%s", tail(log));
	free(log);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("parity");
	TCase *tc = tcase_create("parity");
	static const char *const users[] = { U1, U2, NULL };
	char home[600];
	int code;

	if (geteuid() != 0) {
		printf("SKIP: the parity tests need root (jails, users)\n");
		return 77;
	}
	harness_setup("lp", ADMIN_GROUP);
	make_user(U1, "");
	make_user(U2, "");
	write_policies();
	snprintf(home, sizeof(home), "%s/jhome/%s", base, U1);
	sh("mkdir -p %s/secret %s/open && echo 'top secret' >%s/secret/data && "
	   "echo 'open data' >%s/open/data && ln -s secret %s/via-link && chown -R %s: %s", home,
	   home, home, home, home, U1, home);
	snprintf(home, sizeof(home), "%s/jhome/%s", base, U2);
	sh("mkdir -p %s/open && echo 'open data' >%s/open/data && chown -R %s: %s", home, home, U2,
	   home);
	jaild_pid = start_jaild();
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_run, 0, (int) (sizeof(run_cases) / sizeof(run_cases[0])));
	tcase_add_test(tc, test_umask);
	tcase_add_test(tc, test_timeout_on_time);
	tcase_add_test(tc, test_intro);
	tcase_add_test(tc, test_json_audit);
	suite_add_tcase(s, tc);
	code = run_suite(s);
	if (harness_teardown(code != EXIT_SUCCESS, users))
		code = EXIT_FAILURE;
	return code;
}
