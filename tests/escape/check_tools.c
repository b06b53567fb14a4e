// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The other side of the seccomp allow-list: the programs students and developers run still
 * work inside a jail.  Debuggers (gdb starts its program under PTRACE_TRACEME, strace attaches
 * to its own children), valgrind, python, gcc, make, git, vim, and the servers behind scp,
 * sftp and rsync.  Each runs as the jailed user in a real jail and its output is asserted.
 * A program that is not installed on the host is a failure, not a skip: scripts/test installs
 * them all.
 */
#include "harness.h"

#define TA "corral-eta"
#define ADMIN "corral-etadm"

struct tool {
	const char *name;
	const char *script; /* run by /bin/sh -c in /tmp */
	const char *out;    /* exact */
};

static const struct tool tools[] = {
	{ "gcc", "printf 'int main(void){return 3;}\\n' > t.c && gcc -g -o t t.c && echo built",
	  "built\n" },
	{ "gdb",
	  "printf 'int main(void){return 3;}\\n' > t.c && gcc -g -o t t.c && gdb -batch -ex run ./t 2>&1 | grep -o 'exited with code 03'",
	  "exited with code 03\n" },
	{ "strace", "strace -f -e trace=execve /bin/sh -c /bin/true 2>&1 | grep -c 'execve(\"/bin/true\"'",
	  "1\n" },
	{ "valgrind", "valgrind -q --error-exitcode=9 /bin/true; echo status=$?", "status=0\n" },
	{ "python3",
	  "python3 -c 'import subprocess, socket; a, b = socket.socketpair(); "
	  "print(subprocess.run([\"true\"]).returncode)'",
	  "0\n" },
	{ "make", "printf 'all:\\n\\t@echo made\\n' > Makefile && make -s", "made\n" },
	{ "git",
	  "git init -q r && cd r && git -c user.email=s@lab -c user.name=s commit -q "
	  "--allow-empty -m first && git log --format=%s",
	  "first\n" },
	{ "vim", "printf 'abc\\n' > v.txt && vim -Es -c '%s/abc/xyz/' -c wq v.txt; cat v.txt",
	  "xyz\n" },
	/* SSH_FXP_INIT version 3 in; the first five bytes of SSH_FXP_VERSION's packet out.  (The
	 * input stays open a moment: at end of input the server may leave before it answers.) */
	{ "sftp-server",
	  "(printf '\\0\\0\\0\\5\\1\\0\\0\\0\\3'; sleep 1) | /usr/lib/openssh/sftp-server | od -An -tx1 -N5 "
	  "| tr -d ' \\n'; echo",
	  "000001" },
	{ "scp", "mkdir -p in && printf 'C0644 6 f.txt\\nhello\\n\\0' | scp -t in >/dev/null; cat in/f.txt",
	  "hello\n" },
	{ "rsync", "echo data > a.txt && rsync -a a.txt b.txt && cat b.txt", "data\n" },
};

START_TEST(test_tool)
{
	const struct tool *t = &tools[_i];
	char cmd[2048], *out, *q;
	size_t o = 0;
	int code;

	/* The script goes inside sh -c '...': quote its single quotes. */
	o = (size_t) snprintf(cmd, sizeof(cmd), "/bin/sh -c 'cd /tmp && ");
	for (const char *p = t->script; *p && o < sizeof(cmd) - 8; p++) {
		if (*p == '\'') {
			memcpy(cmd + o, "'\\''", 4);
			o += 4;
		} else {
			cmd[o++] = *p;
		}
	}
	memcpy(cmd + o, "'", 2);
	code = jexec(&out, TA, cmd);
	ck_assert_msg(code == 0, "%s: exit %d: %s", t->name, code, out);
	/* sftp-server's answer: a length whose high bytes are 0, then type 2 (VERSION). */
	if (strcmp(t->name, "sftp-server") == 0) {
		q = out;
		ck_assert_msg(strlen(q) == 11 && strncmp(q, "000001", 6) == 0 &&
				      strncmp(q + 8, "02", 2) == 0,
			      "sftp-server answered '%s'", out);
	} else {
		ck_assert_msg(strcmp(out, t->out) == 0, "%s: '%s', expected '%s'", t->name, out,
			      t->out);
	}
	free(out);
}
END_TEST

int main(void)
{
	static const char *const users[] = { TA, NULL };
	Suite *s = suite_create("tools");
	TCase *tc = tcase_create("in a jail");
	char content[4096];
	int code;
	bool failed;

	if (geteuid() != 0) {
		printf("SKIP: the tools suite needs root (jails, users)\n");
		return 77;
	}
	harness_setup("et", ADMIN);
	make_user(TA, "");
	snprintf(content, sizeof(content),
		 "match = { all = true; };\n"
		 "jail = {\n\tbinds = ( { src = \"/usr\"; }, { src = \"/bin\"; }, { src = \"/lib\"; },\n"
		 "\t\t{ src = \"/lib64\"; optional = true; }, { src = \"/sbin\"; },\n"
		 "\t\t{ src = \"/etc/alternatives\"; optional = true; } );\n"
		 "\thome = \"%s/jhome/%%u\";\n"
		 "\ttmp = \"64M\";\n\tnetwork = \"none\";\n};\n"
		 "limits = { pids = 64; memory = \"768M\"; cpu = \"100%%\"; };\n"
		 "shell = { program = \"/bin/sh\";\n"
		 "\tenv = [\"HOME=%%h\", \"USER=%%u\", \"LANG=C.UTF-8\"]; };\n",
		 base);
	if (write_policy_file(policies, "default.conf", content) < 0)
		exit(99);
	jaild_pid = start_jaild();
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_tool, 0, (int) (sizeof(tools) / sizeof(tools[0])));
	suite_add_tcase(s, tc);
	code = run_suite(s);
	failed = code != EXIT_SUCCESS;
	if (harness_teardown(failed, users))
		code = EXIT_FAILURE;
	return code;
}
