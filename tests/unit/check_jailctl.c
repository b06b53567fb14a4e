// SPDX-License-Identifier: GPL-3.0-or-later
/* Runs the built jailctl: check, show and edit driven non-interactively (EDITOR is a script). */
#include "testutil.h"

#include <signal.h>

static char jailctl[1024];
static char *dir;

static void setup(void)
{
	snprintf(jailctl, sizeof(jailctl), "%s/jailctl/jailctl", env_or("top_builddir", "."));
	dir = make_tmpdir();
	put_file(dir, "default.conf", "limits = {\n\tpids = 20;\n};\n");
	put_file(dir, "groups/staff.conf", "limits = { memory = \"1G\"; };\n");
}

static void teardown(void)
{
	rm_tree(dir);
	free(dir);
}

/* Writes an editor script that replaces the edited file with content. */
static void make_editor(const char *name, const char *content)
{
	char path[1024], body[4096];

	snprintf(body, sizeof(body), "#!/bin/sh\ncat > \"$1\" <<'CORRAL_EOF'\n%sCORRAL_EOF\n",
		 content);
	put_file(dir, name, body);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

START_TEST(test_check_clean_and_broken)
{
	char *out;

	ck_assert_int_eq(run_capture(&out, "%s check --no-users %s", jailctl, dir), 0);
	ck_assert_ptr_nonnull(strstr(out, ": OK: default.conf, 1 group and user file"));
	free(out);
	put_file(dir, "users/ann.conf", "limits = {\n\tmemory = \"5X\";\n\tpids = -1;\n};\n");
	ck_assert_int_eq(run_capture(&out, "%s check --no-users --policy-dir %s", jailctl, dir), 1);
	ck_assert_msg(strstr(out, "/users/ann.conf:2: limits.memory: \"5X\" is not a size"), "%s",
		      out);
	ck_assert_msg(strstr(out, "/users/ann.conf:3: limits.pids: -1 is out of range"), "%s",
		      out);
	ck_assert_ptr_nonnull(strstr(out, "jailctl: 2 errors in"));
	free(out);
}
END_TEST

START_TEST(test_check_shipped)
{
	char *out;

	ck_assert_int_eq(run_capture(&out, "%s check %s/policies", jailctl,
				     env_or("top_srcdir", ".")),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "OK"));
	free(out);
}
END_TEST

START_TEST(test_usage)
{
	char *out;

	ck_assert_int_eq(run_capture(&out, "%s check --help", jailctl), 0);
	ck_assert_ptr_nonnull(strstr(out, "usage: jailctl check"));
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s frobnicate", jailctl), 2);
	ck_assert_ptr_nonnull(strstr(out, "unknown verb 'frobnicate'"));
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s edit host x", jailctl), 2);
	ck_assert_ptr_nonnull(strstr(out, "'host' is not user or group"));
	free(out);
}
END_TEST

START_TEST(test_show_origins)
{
	char *out;

	/* root is never matched, so show a real account through a user file: nobody. */
	put_file(dir, "users/nobody.conf", "inherit = \"groups/staff\";\nshell = { scp = true; };\n");
	ck_assert_int_eq(run_capture(&out, "%s show --policy-dir %s nobody", jailctl, dir), 0);
	ck_assert_msg(strstr(out, "# effective policy of nobody (uid 65534), from users/nobody"),
		      "%s", out);
	ck_assert_msg(strstr(out, "\tscp = true;\t# "), "%s", out);
	ck_assert_msg(strstr(out, "/users/nobody.conf:2\n"), "%s", out);
	ck_assert_msg(strstr(out, "\tmemory = \"1G\";\t# "), "%s", out);
	ck_assert_msg(strstr(out, "/groups/staff.conf:1\n"), "%s", out);
	ck_assert_msg(strstr(out, "\tpids = 20;\t# "), "%s", out);
	ck_assert_msg(strstr(out, "/default.conf:2\n"), "%s", out);
	ck_assert_msg(strstr(out, "\tmax = 4;\t# (built-in)\n"), "%s", out);
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s show --policy-dir %s root", jailctl, dir), 1);
	ck_assert_ptr_nonnull(strstr(out, "user root matches no policy"));
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s show --policy-dir %s no-such-user-x", jailctl, dir),
			 1);
	ck_assert_ptr_nonnull(strstr(out, "no user 'no-such-user-x'"));
	free(out);
}
END_TEST

START_TEST(test_edit_valid_installed)
{
	char *out, *content, path[1024], editor[1024];
	struct stat st;

	if (geteuid() != 0)
		return; /* skipped: edit installs root:root files */
	make_editor("ed-ok.sh", "limits = { pids = 33; };\n");
	snprintf(editor, sizeof(editor), "%s/ed-ok.sh", dir);
	ck_assert_int_eq(run_capture(&out, "EDITOR=%s VISUAL= %s edit --policy-dir %s user ann "
					   "</dev/null",
				     editor, jailctl, dir),
			 0);
	ck_assert_msg(strstr(out, "installed"), "%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/users/ann.conf", dir);
	content = read_all(path);
	ck_assert_str_eq(content, "limits = { pids = 33; };\n");
	free(content);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	ck_assert_int_eq(st.st_uid, 0);
	ck_assert_int_eq(st.st_gid, 0);
	/* No temp or lock file is left behind. */
	ck_assert_int_eq(run_capture(&out, "ls -A %s/users", dir), 0);
	ck_assert_str_eq(out, "ann.conf\n");
	free(out);
}
END_TEST

START_TEST(test_edit_invalid_rejected)
{
	char *out, *content, path[1024], editor[1024];

	if (geteuid() != 0)
		return;
	snprintf(path, sizeof(path), "%s/groups/staff.conf", dir);
	make_editor("ed-bad.sh", "limits = {\n\tmemory = \"lots\";\n};\n");
	snprintf(editor, sizeof(editor), "%s/ed-bad.sh", dir);
	/* "x" at the prompt abandons the change. */
	ck_assert_int_eq(run_capture(&out, "echo x | EDITOR=%s VISUAL= %s edit --policy-dir %s "
					   "group staff",
				     editor, jailctl, dir),
			 1);
	ck_assert_msg(strstr(out, "/groups/staff.conf:2: limits.memory: \"lots\" is not a size"),
		      "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "What now?"));
	ck_assert_ptr_nonnull(strstr(out, "left unchanged"));
	free(out);
	content = read_all(path);
	ck_assert_str_eq(content, "limits = { memory = \"1G\"; };\n");
	free(content);
	ck_assert_int_eq(run_capture(&out, "ls -A %s/groups", dir), 0);
	ck_assert_str_eq(out, "staff.conf\n");
	free(out);
	/* "e" re-edits: the second round (a valid file this time) is installed. */
	put_file(dir, "ed-twice.sh",
		 "#!/bin/sh\nif [ -e \"$0.done\" ]; then echo 'limits = { pids = 9; };' > \"$1\";"
		 " else touch \"$0.done\"; echo 'limits = { pids = 0; };' > \"$1\"; fi\n");
	snprintf(editor, sizeof(editor), "%s/ed-twice.sh", dir);
	ck_assert_int_eq(chmod(editor, 0755), 0);
	ck_assert_int_eq(run_capture(&out, "echo e | EDITOR=%s VISUAL= %s edit --policy-dir %s "
					   "group staff",
				     editor, jailctl, dir),
			 0);
	ck_assert_msg(strstr(out, "limits.pids: 0 is out of range"), "%s", out);
	ck_assert_msg(strstr(out, "installed"), "%s", out);
	free(out);
	content = read_all(path);
	ck_assert_str_eq(content, "limits = { pids = 9; };\n");
	free(content);
}
END_TEST

START_TEST(test_edit_concurrent_refused)
{
	char *out, editor[1024], flag[1024], cmd[4096];
	pid_t first;
	int status;

	if (geteuid() != 0)
		return;
	/* The first editor waits until the flag file appears. */
	snprintf(flag, sizeof(flag), "%s/release", dir);
	snprintf(cmd, sizeof(cmd),
		 "#!/bin/sh\ntouch '%s/started'\nwhile [ ! -e '%s' ]; do sleep 0.05; done\n"
		 "echo 'limits = { pids = 5; };' > \"$1\"\n",
		 dir, flag);
	put_file(dir, "ed-slow.sh", cmd);
	snprintf(editor, sizeof(editor), "%s/ed-slow.sh", dir);
	ck_assert_int_eq(chmod(editor, 0755), 0);
	first = fork();
	if (first == 0) {
		setenv("EDITOR", editor, 1);
		unsetenv("VISUAL");
		execl(jailctl, "jailctl", "edit", "--policy-dir", dir, "user", "ann", (char *) NULL);
		_exit(127);
	}
	snprintf(cmd, sizeof(cmd), "%s/started", dir);
	for (int i = 0; i < 200 && access(cmd, F_OK) != 0; i++)
		usleep(50000);
	ck_assert_int_eq(access(cmd, F_OK), 0);
	ck_assert_int_eq(run_capture(&out, "EDITOR=true %s edit --policy-dir %s user ann "
					   "</dev/null",
				     jailctl, dir),
			 1);
	ck_assert_msg(strstr(out, "is being edited by another jailctl (pid "), "%s", out);
	free(out);
	/* Another file is not locked by it. */
	make_editor("ed-ok.sh", "limits = { pids = 7; };\n");
	ck_assert_int_eq(run_capture(&out, "EDITOR=%s/ed-ok.sh %s edit --policy-dir %s user bob "
					   "</dev/null",
				     dir, jailctl, dir),
			 0);
	free(out);
	ck_assert_int_eq(close(open(flag, O_CREAT | O_WRONLY, 0644)), 0);
	ck_assert_int_eq(waitpid(first, &status, 0), first);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(cmd, sizeof(cmd), "%s/users/ann.conf", dir);
	out = read_all(cmd);
	ck_assert_str_eq(out, "limits = { pids = 5; };\n");
	free(out);
}
END_TEST

/* enroll: the policy through the validated path, then the shell; unenroll reverses both. */
START_TEST(test_enroll_unenroll)
{
	char *out, shells[1024], rshell[1024], path[1024];
	const char *user = "corral-enr";

	if (geteuid() != 0)
		return;
	snprintf(rshell, sizeof(rshell), "%s/rshell/rshell", env_or("top_builddir", "."));
	snprintf(shells, sizeof(shells), "%s/shells", dir);
	put_file(dir, "shells", "/bin/sh\n/bin/bash\n");
	ck_assert_int_eq(system("userdel corral-enr >/dev/null 2>&1; useradd -M -s /bin/sh "
				"corral-enr"),
			 0);
	/* A parent that does not exist: refused, and nothing changed. */
	ck_assert_int_eq(run_capture(&out, "%s enroll --policy-dir %s --policy groups/nope --shell "
					   "%s --shells-file %s %s",
				     jailctl, dir, rshell, shells, user),
			 1);
	ck_assert_msg(strstr(out, "inherit: \"groups/nope\" does not exist"), "%s", out);
	free(out);
	ck_assert_int_eq(run_capture(&out, "getent passwd %s | cut -d: -f7", user), 0);
	ck_assert_str_eq(out, "/bin/sh\n");
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s enroll --policy-dir %s --policy groups/staff "
					   "--shell %s --shells-file %s %s",
				     jailctl, dir, rshell, shells, user),
			 0);
	free(out);
	ck_assert_int_eq(run_capture(&out, "getent passwd %s | cut -d: -f7", user), 0);
	ck_assert_msg(strncmp(out, rshell, strlen(rshell)) == 0, "%s", out);
	free(out);
	out = read_all(shells);
	ck_assert_msg(strstr(out, "/bin/bash\n") && strstr(out, rshell), "%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/users/%s.conf", dir, user);
	out = read_all(path);
	ck_assert_msg(out && strstr(out, "inherit = \"groups/staff\";"), "%s", out);
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s show --policy-dir %s %s", jailctl, dir, user), 0);
	ck_assert_msg(strstr(out, "memory = \"1G\";"), "%s", out); /* from groups/staff */
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s unenroll --policy-dir %s %s", jailctl, dir, user),
			 0);
	free(out);
	ck_assert_int_eq(run_capture(&out, "getent passwd %s | cut -d: -f7", user), 0);
	ck_assert_str_eq(out, "/bin/bash\n");
	free(out);
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_int_eq(system("userdel corral-enr"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jailctl");
	TCase *tc = tcase_create("cli");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_check_clean_and_broken);
	tcase_add_test(tc, test_check_shipped);
	tcase_add_test(tc, test_usage);
	tcase_add_test(tc, test_show_origins);
	tcase_add_test(tc, test_edit_valid_installed);
	tcase_add_test(tc, test_edit_invalid_rejected);
	tcase_add_test(tc, test_edit_concurrent_refused);
	tcase_add_test(tc, test_enroll_unenroll);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
