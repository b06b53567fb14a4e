// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Teardown off the event loop: a jail whose cgroup is slow to go away holds up nobody.  strace
 * attached to jaild (and the workers it forks) makes every rmdir wait 3 s, so the removal of a
 * killed jail's cgroup takes at least that long, for certain; meanwhile jaild must answer other
 * requests, and the same user must get a new jail (in a cgroup of its own) at once.  Ordering
 * is asserted, never a latency: which answer came first.
 */
#include "harness.h"

#include <signal.h>
#include <sys/wait.h>

#define UT "corral-tda"
#define ADMIN "corral-tdadm"
#define DELAY_US 3000000

static pid_t tracer;

static void write_policy(void)
{
	char content[2048];

	snprintf(content, sizeof(content),
		 "match = { all = true; };\n"
		 "jail = { binds = ( { src = \"/usr\"; }, { src = \"/bin\"; }, { src = \"/lib\"; },\n"
		 "\t\t{ src = \"/lib64\"; optional = true; } );\n"
		 "\thome = \"%s/jhome/%%u\"; network = \"none\"; };\n"
		 "limits = { pids = 16; memory = \"64M\"; };\n"
		 "shell = { program = \"/bin/sh\"; };\n"
		 "session = { linger = \"1h\"; };\n",
		 base);
	if (write_policy_file(policies, "default.conf", content) < 0)
		exit(99);
}

/* strace -f on jaild with rmdir delayed; waits until it is attached. */
static void slow_rmdir(void)
{
	char pid[16], delay[64];

	snprintf(pid, sizeof(pid), "%d", (int) jaild_pid);
	snprintf(delay, sizeof(delay), "inject=rmdir:delay_enter=%d", DELAY_US);
	tracer = fork();
	if (tracer == 0) {
		execlp("strace", "strace", "-q", "-f", "-o", "/dev/null", "-e", "trace=rmdir", "-e",
		       delay, "-p", pid, (char *) NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) { /* attached: jaild's TracerPid is set */
		char path[64], *status;
		bool attached;
		snprintf(path, sizeof(path), "/proc/%d/status", (int) jaild_pid);
		status = read_all(path);
		attached = status && !strstr(status, "TracerPid:\t0\n");
		free(status);
		if (attached)
			return;
		usleep(50 * 1000);
	}
	ck_abort_msg("strace did not attach to jaild");
}

static void stop_tracer_only(void)
{
	if (tracer > 0) {
		kill(tracer, SIGTERM);
		waitpid(tracer, NULL, 0);
		tracer = 0;
	}
}

static void stop_tracer(void)
{
	stop_tracer_only();
	sh("%s kill --socket %s %s >/dev/null 2>&1; true", jailctl, sock, UT);
}

/* Reads one line of a background command, and the order it came in. */
static int order;

static int line_order(FILE *bg, char *line, int size, const char *what)
{
	bg_line(bg, line, size, what);
	return ++order;
}

START_TEST(test_slow_teardown_blocks_nobody)
{
	char line[256], *out;
	FILE *kill_bg, *status_bg, *exec_bg;
	int kill_at, status_at, exec_at;

	free(jexec_ok(UT, "/bin/true")); /* the jail to kill, in cgroup UT */
	slow_rmdir();
	kill_bg = bg_start("%s kill --socket %s %s; echo \"kill done $?\"", jailctl, sock, UT);
	usleep(300 * 1000); /* the kill is in: jaild has forked the worker */
	status_bg = bg_start("%s status --socket %s >/dev/null; echo \"status done $?\"", jailctl,
			     sock);
	exec_bg = bg_start("%s exec --socket %s %s -- /bin/true </dev/null; echo \"exec done $?\"",
			   jailctl, sock, UT);
	status_at = line_order(status_bg, line, sizeof(line), "jailctl status's answer");
	ck_assert_str_eq(line, "status done 0\n");
	exec_at = line_order(exec_bg, line, sizeof(line), "the exec's end");
	ck_assert_str_eq(line, "exec done 0\n");
	/* The old cgroup is still being removed, and the new jail has one of its own. */
	ck_assert_int_eq(run_capture(&out, "ls /sys/fs/cgroup/pids/%s/", cgroot), 0);
	ck_assert_msg(strstr(out, UT "\n") && strstr(out, UT ":1\n"), "%s", out);
	free(out);
	kill_at = line_order(kill_bg, line, sizeof(line), "jailctl kill's answer");
	ck_assert_str_eq(line, "jail of " UT " ended\n");
	bg_line(kill_bg, line, sizeof(line), "jailctl kill's status");
	ck_assert_str_eq(line, "kill done 0\n");
	ck_assert_msg(status_at < kill_at && exec_at < kill_at,
		      "status (%d) and exec (%d) waited for the kill's teardown (%d)", status_at,
		      exec_at, kill_at);
	pclose(kill_bg);
	pclose(status_bg);
	pclose(exec_bg);
	/* The old one gone, the new one there. */
	ck_assert_int_eq(run_capture(&out, "ls /sys/fs/cgroup/pids/%s/", cgroot), 0);
	ck_assert_msg(!strstr(out, UT "\n") && strstr(out, UT ":1\n"), "%s", out);
	free(out);
}
END_TEST

/* A jail in a cgroup of its own (USER:N, made while USER was still being removed) is adopted
 * by a restarted jaild like any other: its record names the cgroup. */
START_TEST(test_restart_adopts_instance_cgroup)
{
	char *out, line[256];
	FILE *kill_bg;
	pid_t newpid;
	int status;

	free(jexec_ok(UT, "/bin/true"));
	slow_rmdir();
	kill_bg = bg_start("%s kill --socket %s %s; echo \"kill done $?\"", jailctl, sock, UT);
	usleep(300 * 1000);
	free(jexec_ok(UT, "/bin/true")); /* the new jail: USER:N, lingering */
	bg_line(kill_bg, line, sizeof(line), "jailctl kill's answer");
	bg_line(kill_bg, line, sizeof(line), "jailctl kill's status");
	ck_assert_str_eq(line, "kill done 0\n");
	pclose(kill_bg);
	stop_tracer_only();
	ck_assert_int_eq(run_capture(&out, "ls /sys/fs/cgroup/pids/%s/ | grep -c '^%s:[0-9]*$'",
				     cgroot, UT),
			 0);
	ck_assert_str_eq(out, "1\n");
	free(out);
	/* jaild dies hard and comes back: the jail is adopted, not cleaned away. */
	kill(jaild_pid, SIGKILL);
	waitpid(jaild_pid, NULL, 0);
	unlink(sock);
	newpid = start_jaild();
	sh("echo %d > %s/jaild2.pid", (int) newpid, base); /* for stop_restarted() if this fails */
	ck_assert_int_eq(run_capture(&out, "%s list --socket %s", jailctl, sock), 0);
	ck_assert_msg(strstr(out, UT " "), "not adopted: %s", out);
	free(out);
	ck_assert_int_eq(run_capture(&out, "ls /sys/fs/cgroup/pids/%s/ | grep -c '^%s:[0-9]*$'",
				     cgroot, UT),
			 0);
	ck_assert_str_eq(out, "1\n");
	free(out);
	/* And killed, its cgroup goes. */
	ck_assert_int_eq(run_capture(&out, "%s kill --socket %s %s", jailctl, sock, UT), 0);
	free(out);
	ck_assert_int_ne(run_capture(&out, "ls /sys/fs/cgroup/pids/%s/ | grep -c '^%s'", cgroot,
				     UT),
			 0);
	free(out);
	kill(newpid, SIGTERM);
	waitpid(newpid, &status, 0);
}
END_TEST

/* After the restart test, however it ended: the jaild it started is stopped (it is not the
 * runner's child; the pid file says which). */
static void stop_restarted(void)
{
	char path[600], *text;

	stop_tracer();
	snprintf(path, sizeof(path), "%s/jaild2.pid", base);
	text = read_all(path);
	if (text && atoi(text) > 0) {
		pid_t pid = (pid_t) atoi(text);
		sh("%s kill --socket %s %s >/dev/null 2>&1; true", jailctl, sock, UT);
		kill(pid, SIGTERM);
		for (int i = 0; i < 50 && kill(pid, 0) == 0; i++)
			usleep(100 * 1000);
	}
	free(text);
}

int main(void)
{
	static const char *const users[] = { UT, NULL };
	Suite *s = suite_create("teardown");
	int code;

	if (geteuid() != 0) {
		printf("SKIP: the teardown tests need root (jails, users, strace)\n");
		return 77;
	}
	if (access("/sys/fs/cgroup/pids", F_OK) != 0) {
		printf("SKIP: the teardown test reads cgroup v1's pids hierarchy\n");
		return 77;
	}
	harness_setup("td", ADMIN);
	make_user(UT, "");
	write_policy();
	jaild_pid = start_jaild();
	add_test_cleanup_(s, test_slow_teardown_blocks_nobody, stop_tracer, 60);
	/* Last: it restarts jaild (stop_restarted() stops the new one however it ends). */
	add_test_cleanup_(s, test_restart_adopts_instance_cgroup, stop_restarted, 60);
	code = run_suite(s);
	if (harness_teardown(code != EXIT_SUCCESS, users))
		code = EXIT_FAILURE;
	return code;
}
