// SPDX-License-Identifier: GPL-3.0-or-later
/* Runs the built jailctl: check, show and edit driven non-interactively (EDITOR is a script). */
#include "testutil.h"

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>

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

#define EU "corral-enr"
#define EG "corral-enrj"

static char eh[600], ej[600], ekeys[600], erun[8192];

/* The user's files, as a student would have them, planted hooks included. */
static void enroll_setup(void)
{
	char text[1024];

	snprintf(eh, sizeof(eh), "%s/home/" EU, dir);
	snprintf(ej, sizeof(ej), "%s/jhome/" EU, dir);
	snprintf(ekeys, sizeof(ekeys), "%s/keys", dir);
	snprintf(text, sizeof(text), "jail = { home = \"%s/jhome/%%u\"; };\n", dir);
	put_file(dir, "default.conf", text);
	ck_assert_int_eq(system("userdel " EU " >/dev/null 2>&1; groupdel " EG
				" >/dev/null 2>&1; true"),
			 0);
	snprintf(erun, sizeof(erun),
		 "rm -rf %s %s %s && useradd -M -d %s -s /bin/sh -U " EU " && mkdir -p %s/work %s/.ssh "
		 "%s/.config/systemd/user && echo 'int main(void) { return 0; }' > %s/work/a.c && "
		 "echo 'ssh-ed25519 AAAAC3Nza test' > %s/.ssh/authorized_keys && "
		 "echo 'LD_PRELOAD DEFAULT=/x.so' > %s/.pam_environment && chown -R " EU ": %s",
		 eh, ej, ekeys, eh, eh, eh, eh, eh, eh, eh, eh);
	ck_assert_int_eq(system(erun), 0);
	snprintf(erun, sizeof(erun), "%s enroll --policy-dir %s --shell %s/rshell/rshell "
		 "--keys-dir %s",
		 jailctl, dir, env_or("top_builddir", "."), ekeys);
}

static void enroll_teardown(void)
{
	(void) !system("userdel " EU " >/dev/null 2>&1; groupdel " EG " >/dev/null 2>&1");
}

static char *login_shell(void)
{
	char *out;
	ck_assert_int_eq(run_capture(&out, "getent passwd " EU " | cut -d: -f7"), 0);
	return out;
}

/* Every file is in exactly one place, whole. */
static void assert_files_in(const char *where, const char *other)
{
	char path[700];
	char *out;

	snprintf(path, sizeof(path), "%s/work/a.c", where);
	out = read_all(path);
	ck_assert_msg(out && strcmp(out, "int main(void) { return 0; }\n") == 0, "%s: %s", path,
		      out);
	free(out);
	snprintf(path, sizeof(path), "%s/work", other);
	ck_assert_int_ne(access(path, F_OK), 0);
}

/* The policy goes through the validated path first: a bad parent changes nothing. */
START_TEST(test_enroll_bad_policy_changes_nothing)
{
	char *out;

	if (geteuid() != 0)
		return;
	enroll_setup();
	ck_assert_int_eq(run_capture(&out, "%s --group " EG " --policy groups/nope " EU, erun), 1);
	ck_assert_msg(strstr(out, "inherit: \"groups/nope\" does not exist"), "%s", out);
	free(out);
	out = login_shell();
	ck_assert_str_eq(out, "/bin/sh\n");
	free(out);
	assert_files_in(eh, ej);
	enroll_teardown();
}
END_TEST

/* enroll moves the home into the jail home, keys to the keys dir, joins the group, sets the
 * shell and leaves /etc/shells alone; a second run changes nothing; unenroll reverses it. */
START_TEST(test_enroll_unenroll)
{
	char path[700], *out, *shells_before = read_all("/etc/shells"), *shells_after;
	struct stat st;

	if (geteuid() != 0)
		return;
	enroll_setup();
	ck_assert_int_eq(run_capture(&out, "%s --group " EG " --policy groups/staff " EU, erun), 0);
	ck_assert_msg(strstr(out, "enrolled"), "%s", out);
	free(out);
	out = login_shell();
	ck_assert_msg(strstr(out, "/rshell/rshell\n"), "%s", out);
	free(out);
	assert_files_in(ej, eh);
	/* The passwd home: root's, 0755, empty. */
	ck_assert_int_eq(lstat(eh, &st), 0);
	ck_assert_int_eq(st.st_uid, 0);
	ck_assert_int_eq(st.st_mode & 07777, 0755);
	ck_assert_int_eq(run_capture(&out, "ls -A %s | wc -l", eh), 0);
	ck_assert_str_eq(out, "0\n");
	free(out);
	snprintf(path, sizeof(path), "%s/" EU, ekeys);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert_int_eq(st.st_uid, 0);
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	out = read_all(path);
	ck_assert_str_eq(out, "ssh-ed25519 AAAAC3Nza test\n");
	free(out);
	ck_assert_int_eq(run_capture(&out, "id -nG " EU), 0);
	ck_assert_msg(strstr(out, EG), "%s", out);
	free(out);
	shells_after = read_all("/etc/shells");
	ck_assert_str_eq(shells_after, shells_before);
	free(shells_after);
	snprintf(path, sizeof(path), "%s/users/" EU ".conf", dir);
	out = read_all(path);
	ck_assert_msg(out && strstr(out, "inherit = \"groups/staff\";"), "%s", out);
	free(out);
	ck_assert_int_eq(lstat(ej, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700); /* private on the host too */
	/* Again: nothing left to do, nothing changes; and a key the user writes in the jail (or
	 * one the admin revoked) never comes back into sshd's file. */
	snprintf(path, sizeof(path), "%s/" EU, ekeys);
	ck_assert_int_eq(unlink(path), 0);
	{
		char cmd[1400];
		snprintf(cmd, sizeof(cmd), "echo 'ssh-ed25519 PLANTED' > %s/.ssh/authorized_keys", ej);
		ck_assert_int_eq(system(cmd), 0);
	}
	ck_assert_int_eq(run_capture(&out, "%s --group " EG " --policy groups/staff " EU, erun), 0);
	ck_assert_msg(!strstr(out, "moved") && !strstr(out, "copied"), "%s", out);
	free(out);
	ck_assert_int_ne(access(path, F_OK), 0);
	assert_files_in(ej, eh);

	ck_assert_int_eq(run_capture(&out, "%s unenroll --policy-dir %s --group " EG
					   " --keys-dir %s " EU,
				     jailctl, dir, ekeys),
			 0);
	free(out);
	out = login_shell();
	ck_assert_str_eq(out, "/bin/bash\n");
	free(out);
	assert_files_in(eh, ej);
	ck_assert_int_eq(lstat(eh, &st), 0);
	ck_assert_int_eq(st.st_uid, getpwnam(EU)->pw_uid);
	snprintf(path, sizeof(path), "%s/" EU, ekeys);
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_int_eq(run_capture(&out, "id -nG " EU), 0);
	ck_assert_msg(!strstr(out, EG), "%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/users/" EU ".conf", dir);
	ck_assert_int_ne(access(path, F_OK), 0);
	free(shells_before);
	enroll_teardown();
}
END_TEST

/* Root reads the user's keys without following their symlinks, only a regular file of
 * theirs and at most 64 KiB of it; and a user with processes on the host is not moved. */
START_TEST(test_enroll_guards)
{
	char cmd[8192], path[700], *out;
	pid_t pid;

	if (geteuid() != 0)
		return;
	enroll_setup();
	snprintf(path, sizeof(path), "%s/" EU, ekeys);
	/* ~/.ssh a symlink to a directory of the user's elsewhere. */
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/elsewhere && cp -a %s/.ssh %s/elsewhere/ && rm -rf %s/.ssh && "
		 "ln -s %s/elsewhere/.ssh %s/.ssh && chown -h " EU ": %s/.ssh",
		 dir, eh, dir, eh, dir, eh, eh);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_msg(run_capture(&out, "%s --group " EG " --policy default " EU, erun) == 0, "%s",
		      out);
	free(out);
	ck_assert_int_ne(access(path, F_OK), 0);
	enroll_teardown();
	/* Over 64 KiB (sparse: it costs the user nothing). */
	enroll_setup();
	snprintf(cmd, sizeof(cmd), "truncate -s 70K %s/.ssh/authorized_keys", eh);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(run_capture(&out, "%s --group " EG " --policy default " EU, erun), 0);
	ck_assert_msg(strstr(out, "is over 64 KiB; not copied"), "%s", out);
	free(out);
	ck_assert_int_ne(access(path, F_OK), 0);
	enroll_teardown();
	/* A process of the user's on the host. */
	enroll_setup();
	pid = fork();
	if (pid == 0) {
		struct passwd *pw = getpwnam(EU);
		if (!pw || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
			_exit(127);
		execlp("sleep", "sleep", "30", (char *) NULL);
		_exit(127);
	}
	usleep(500000);
	ck_assert_int_eq(run_capture(&out, "%s --group " EG " --policy default " EU, erun), 1);
	ck_assert_msg(strstr(out, "process") && strstr(out, "running on the host"), "%s", out);
	free(out);
	assert_files_in(eh, ej);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ck_assert_msg(run_capture(&out, "%s --group " EG " --policy default " EU, erun) == 0, "%s",
		      out);
	free(out);
	assert_files_in(ej, eh);
	enroll_teardown();
}
END_TEST

/* An enroll stopped at any step leaves every file whole in one place, and a rerun finishes. */
START_TEST(test_enroll_interrupted_then_finished)
{
	char *out;
	struct stat st;

	if (geteuid() != 0)
		return;
	enroll_setup();
	put_file(dir, "users/" EU ".conf", "inherit = \"default\";\n");
	/* 1. strace makes the first rename fail (installing the keys), then the second (the
	 * move itself): each time nothing of the home has changed.  (LeakSanitizer cannot run
	 * under ptrace: off for these two in the sanitizer build.) */
	ck_assert_int_eq(run_capture(&out, "strace -f -qq -o /dev/null -e trace=rename,renameat,"
					   "renameat2 -e inject=rename,renameat,renameat2:error=EIO:"
					   "when=1 env ASAN_OPTIONS=detect_leaks=0 %s --group " EG " --policy default " EU,
				     erun),
			 1);
	ck_assert_msg(strstr(out, "cannot install"), "%s", out);
	free(out);
	assert_files_in(eh, ej);
	ck_assert_int_eq(run_capture(&out, "strace -f -qq -o /dev/null -e trace=rename,renameat,"
					   "renameat2 -e inject=rename,renameat,renameat2:error=EIO:"
					   "when=2 env ASAN_OPTIONS=detect_leaks=0 %s --group " EG " --policy default " EU,
				     erun),
			 1);
	ck_assert_msg(strstr(out, "cannot move"), "%s", out);
	free(out);
	assert_files_in(eh, ej);
	out = login_shell();
	ck_assert_str_eq(out, "/bin/sh\n");
	free(out);
	/* 2. Killed between the move and making the root home: the files are in the jail home
	 * and the passwd home is missing.  That is the state on disk; the rerun finishes. */
	ck_assert_int_eq(rename(eh, ej), 0);
	ck_assert_int_eq(run_capture(&out, "%s --group " EG " --policy default " EU, erun), 0);
	free(out);
	assert_files_in(ej, eh);
	ck_assert_int_eq(lstat(eh, &st), 0);
	ck_assert_int_eq(st.st_uid, 0);
	enroll_teardown();

	/* 3. A later step fails (a group name groupadd refuses): the files are moved, whole, the
	 * shell is not set yet, and the rerun with a good group finishes. */
	enroll_setup();
	ck_assert_int_eq(run_capture(&out, "%s --group 'Bad Group' --policy default " EU, erun), 1);
	ck_assert_msg(strstr(out, "groupadd"), "%s", out);
	free(out);
	assert_files_in(ej, eh);
	out = login_shell();
	ck_assert_str_eq(out, "/bin/sh\n");
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s --group " EG " --policy default " EU, erun), 0);
	free(out);
	out = login_shell();
	ck_assert_msg(strstr(out, "/rshell/rshell\n"), "%s", out);
	free(out);
	assert_files_in(ej, eh);
	enroll_teardown();
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
	tcase_add_test(tc, test_enroll_bad_policy_changes_nothing);
	tcase_add_test(tc, test_enroll_unenroll);
	tcase_add_test(tc, test_enroll_interrupted_then_finished);
	tcase_add_test(tc, test_enroll_guards);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
