// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The login path for real, as root: pam_jaild.so in a real libpam stack (pam_wrapper with a
 * private service directory, driven by pamtester), then a real OpenSSH sshd on 127.0.0.1 and su,
 * both with pam_wrapper preloaded so that the machine's own /etc/pam.d is never touched.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <signal.h>
#include <time.h>

#define LA "corral-lga" /* rshell, matched */
#define LB "corral-lgb" /* matched, but bash as login shell */
#define LC "corral-lgc" /* no policy: untouched */
#define LD "corral-lgd" /* outside its hours */
#define LE "corral-lge" /* one session at most */
#define ADMIN "corral-lgadm"

static char module[1024], pamdir[600], preload[1024], sshdir[600];

#define streq(a, b) (strcmp((a), (b)) == 0)
static int ssh_port;
static pid_t sshd_pid;

static void write_pam_service(const char *name, const char *socket_path, const char *extra)
{
	char content[4096];

	snprintf(content, sizeof(content),
		 "auth     sufficient pam_rootok.so\n"
		 "auth     required   pam_permit.so\n"
		 /* Like pam_unix in a real stack: someone must say yes for users corral ignores. */
		 "account  required   pam_permit.so\n"
		 "account  required   %s policy_dir=%s socket=%s %s\n"
		 "session  required   pam_permit.so\n"
		 "session  required   %s policy_dir=%s socket=%s %s\n"
		 "session  optional   /lib/x86_64-linux-gnu/security/pam_exec.so stdout %s/hook.sh\n",
		 module, policies, socket_path, extra, module, policies, socket_path, extra, base);
	if (write_policy_file(pamdir, name, content) < 0)
		exit(99);
}

static void setup_policies(void)
{
	char content[4096], hours[64];
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	/* Tomorrow only: never now. */
	snprintf(hours, sizeof(hours), "%s 00:00-24:00", days[(tm.tm_wday + 1) % 7]);
	snprintf(content, sizeof(content),
		 "jail = { binds = ( { src = \"/usr\"; }, { src = \"/bin\"; }, { src = \"/lib\"; },\n"
		 "\t{ src = \"/lib64\"; optional = true; }, { src = \"%%h\"; ro = false; } ); };\n"
		 "shell = { commands = [\"echo\", \"id\", \"cat\", \"ls\", \"wc\", \"sleep\", \"ps\"];\n"
		 "\tscp = true; sftp = true;\n"
		 "\tenv = [\"HOME=%%h\", \"USER=%%u\", \"ASAN_OPTIONS=detect_leaks=0\"]; };\n"
		 "session = { max = 2; };\n");
	if (write_policy_file(policies, "default.conf", content) < 0 ||
	    write_policy_file(policies, "users/" LA ".conf", "jail = { hostname = \"lab\"; };\n") <
		    0 ||
	    write_policy_file(policies, "users/" LB ".conf", "\n") < 0 ||
	    write_policy_file(policies, "users/" LE ".conf",
			      "session = { max = 1; };\nshell = { scp = false; sftp = false; };\n") <
		    0)
		exit(99);
	snprintf(content, sizeof(content), "session = { hours = \"%s\"; };\n", hours);
	if (write_policy_file(policies, "users/" LD ".conf", content) < 0)
		exit(99);
}

static void setup_pam(void)
{
	char path[1200], asan[512] = "";
	FILE *f;

	snprintf(module, sizeof(module), "%s/pam_module/.libs/pam_jaild.so",
		 env_or("top_builddir", "."));
	snprintf(pamdir, sizeof(pamdir), "%s/pam.d", base);
	mkdir(pamdir, 0755);
	write_pam_service("corral-test", sock, "debug");
	write_pam_service("corral-closed", "/nonexistent/jaild.sock", "");
	write_pam_service("corral-open", "/nonexistent/jaild.sock", "fail=open");
	write_pam_service("sshd", sock, "");
	write_pam_service("su", sock, "");
	write_pam_service("su-l", sock, ""); /* su - uses its own service */
	/* The hook runs inside the session: what jaild lists, and a hold when asked. */
	snprintf(path, sizeof(path), "%s/hook.sh", base);
	f = fopen(path, "w");
	fprintf(f,
		"#!/bin/sh\n[ \"$PAM_TYPE\" = open_session ] || exit 0\n"
		"%s list --socket %s > %s/hook-$PAM_USER.out 2>&1\n"
		"[ -e %s/hold-$PAM_USER ] && sleep 3\nexit 0\n",
		jailctl, sock, base, base);
	fclose(f);
	chmod(path, 0755);
	/* A sanitizer build of the module needs its runtime loaded first. */
	snprintf(path, sizeof(path), "ldd %s | awk '/libasan/ { print $3 }'", module);
	f = popen(path, "r");
	if (f && fgets(asan, sizeof(asan), f))
		asan[strcspn(asan, "\n")] = '\0';
	if (f)
		pclose(f);
	snprintf(preload, sizeof(preload), "%s%slibpam_wrapper.so", asan, asan[0] ? " " : "");
}

/* pamtester through pam_wrapper; returns the exit status. */
static int pamtester(char **out, const char *service, const char *user, const char *ops)
{
	return run_capture(out,
			   "LD_PRELOAD='%s' ASAN_OPTIONS=detect_leaks=0 PAM_WRAPPER=1 "
			   "PAM_WRAPPER_SERVICE_DIR=%s pamtester -v %s %s %s",
			   preload, pamdir, service, user, ops);
}

static bool have(const char *prog)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

START_TEST(test_pam_unmatched_ignored)
{
	char *out, path[700], *log;

	ck_assert_int_eq(pamtester(&out, "corral-test", LC, "acct_mgmt open_session close_session"),
			 0);
	free(out);
	/* No socket traffic, no log line for a user corral does not jail. */
	snprintf(path, sizeof(path), "%s/jaild.log", base);
	log = read_all(path);
	ck_assert_ptr_null(strstr(log, LC));
	free(log);
	snprintf(path, sizeof(path), "%s/hook-%s.out", base, LC);
	log = read_all(path);
	ck_assert_msg(log && !strstr(log, LC), "%s", log);
	free(log);
}
END_TEST

START_TEST(test_pam_session_registered)
{
	char *out, path[700];

	ck_assert_int_eq(pamtester(&out, "corral-test", LA, "acct_mgmt open_session close_session"),
			 0);
	ck_assert_msg(strstr(out, "successfully opened a session"), "%s", out);
	free(out);
	/* During the session jaild listed the user's jail with one session. */
	snprintf(path, sizeof(path), "%s/hook-%s.out", base, LA);
	out = read_all(path);
	ck_assert_msg(out && strstr(out, LA) && strstr(out, "        1 "), "%s", out);
	free(out);
	/* close_session ended it, and the jail went with it. */
	usleep(300000);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/pids/%s/%s", cgroot, LA);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_pam_hours_refused)
{
	char *out;

	ck_assert_int_ne(pamtester(&out, "corral-test", LD, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: your account is limited to hours "), "%s", out);
	free(out);
}
END_TEST

START_TEST(test_pam_wrong_shell_refused)
{
	char *out;

	ck_assert_int_ne(pamtester(&out, "corral-test", LB, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: your login shell is not rshell; ask an admin to run "
				  "jailctl enroll " LB),
		      "%s", out);
	free(out);
}
END_TEST

START_TEST(test_pam_max_sessions)
{
	char *out, hold[700], cmd[2048];
	FILE *bg;

	snprintf(hold, sizeof(hold), "%s/hold-%s", base, LE);
	ck_assert_int_eq(close(open(hold, O_CREAT | O_WRONLY, 0644)), 0);
	snprintf(cmd, sizeof(cmd),
		 "LD_PRELOAD='%s' ASAN_OPTIONS=detect_leaks=0 PAM_WRAPPER=1 "
		 "PAM_WRAPPER_SERVICE_DIR=%s pamtester corral-test %s open_session close_session "
		 ">/dev/null 2>&1",
		 preload, pamdir, LE);
	bg = popen(cmd, "r");
	usleep(1000000); /* the first session is open and held by the hook */
	ck_assert_int_ne(pamtester(&out, "corral-test", LE, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: you already have 1 sessions open (the limit is 1)"), "%s",
		      out);
	free(out);
	ck_assert_int_eq(pclose(bg), 0);
	unlink(hold);
	ck_assert_int_eq(pamtester(&out, "corral-test", LE, "acct_mgmt"), 0);
	free(out);
}
END_TEST

START_TEST(test_pam_daemon_down)
{
	char *out;

	ck_assert_int_ne(pamtester(&out, "corral-closed", LA, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: the jail service is not available; try again later."),
		      "%s", out);
	free(out);
	ck_assert_int_ne(pamtester(&out, "corral-closed", LA, "open_session"), 0);
	free(out);
	ck_assert_int_eq(pamtester(&out, "corral-open", LA, "acct_mgmt open_session"), 0);
	ck_assert_msg(strstr(out, "letting you in unjailed"), "%s", out);
	free(out);
}
END_TEST

/* ---- sshd ---- */

/* A loopback port nobody holds now: the kernel's pick for port 0. */
static int free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;

	if (fd >= 0 && bind(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *) &sa, &len) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port > 0 ? port : 20000 + (int) (getpid() % 20000);
}

static void start_sshd(void)
{
	char path[800], cfg[4096];
	FILE *f;

	snprintf(sshdir, sizeof(sshdir), "%s/sshd", base);
	mkdir(sshdir, 0755);
	snprintf(path, sizeof(path), "%s/keys", sshdir);
	mkdir(path, 0755);
	mkdir("/run/sshd", 0755); /* sshd's privilege separation directory */
	sh("ssh-keygen -q -t ed25519 -N '' -f %s/hostkey && ssh-keygen -q -t ed25519 -N '' -f "
	   "%s/userkey && for u in %s %s %s; do cp %s/userkey.pub %s/keys/$u; done",
	   sshdir, sshdir, LA, LC, LE, sshdir, sshdir);
	ssh_port = free_port();
	snprintf(cfg, sizeof(cfg),
		 "Port %d\nListenAddress 127.0.0.1\nHostKey %s/hostkey\nPidFile %s/sshd.pid\n"
		 "UsePAM yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
		 "PubkeyAuthentication yes\nAuthorizedKeysFile %s/keys/%%u\nStrictModes no\n"
		 "Subsystem sftp /usr/lib/openssh/sftp-server\nDisableForwarding yes\n"
		 "PermitTunnel no\nPrintMotd no\nLogLevel VERBOSE\nAcceptEnv none\n",
		 ssh_port, sshdir, sshdir, sshdir);
	snprintf(path, sizeof(path), "%s/sshd_config", sshdir);
	f = fopen(path, "w");
	fputs(cfg, f);
	fclose(f);
	sshd_pid = fork();
	if (sshd_pid == 0) {
		char env1[1100], env2[700];
		snprintf(env1, sizeof(env1), "LD_PRELOAD=%s", preload);
		snprintf(env2, sizeof(env2), "PAM_WRAPPER_SERVICE_DIR=%s", pamdir);
		char *envp[] = { env1, env2, (char *) "PAM_WRAPPER=1",
				 (char *) "ASAN_OPTIONS=detect_leaks=0", NULL };
		snprintf(cfg, sizeof(cfg), "%s/sshd.log", sshdir);
		setsid();
		execle("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-f", path, "-E", cfg,
		       (char *) NULL, envp);
		_exit(127);
	}
	snprintf(cfg, sizeof(cfg), "ss -ltn 2>/dev/null | grep -q 127.0.0.1:%d", ssh_port);
	for (int i = 0; i < 50 && system(cfg) != 0; i++)
		usleep(100000);
}

static int ssh(char **out, const char *user, const char *cmd)
{
	return run_capture(out,
			   "ssh -i %s/userkey -p %d -o StrictHostKeyChecking=no -o "
			   "UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR %s@127.0.0.1 "
			   "'%s' </dev/null",
			   sshdir, ssh_port, user, cmd);
}

START_TEST(test_ssh_command)
{
	char *out;

	if (sshd_pid <= 0)
		ck_abort_msg("sshd did not start");
	ck_assert_int_eq(ssh(&out, LA, "echo hi | wc -c"), 0);
	ck_assert_str_eq(out, "3\n");
	free(out);
	ck_assert_int_eq(ssh(&out, LA, "ps -e -o comm="), 0);
	ck_assert_msg(strncmp(out, "corral-init\n", 12) == 0, "%s", out);
	free(out);
	ck_assert_int_eq(ssh(&out, LA, "bash"), 126);
	ck_assert_str_eq(out, "corral: bash is not an allowed command (type help for the list)\n");
	free(out);
	ck_assert_int_eq(ssh(&out, LA, "echo ok; bash"), 126);
	ck_assert_msg(!strstr(out, "ok"), "%s", out);
	free(out);
}
END_TEST

START_TEST(test_ssh_untouched_user)
{
	char *out;

	ck_assert_int_eq(ssh(&out, LC, "cat /proc/1/comm; id -un"), 0);
	ck_assert_msg(!strstr(out, "corral-init") && strstr(out, LC "\n"), "%s", out);
	free(out);
}
END_TEST

START_TEST(test_ssh_scp_sftp)
{
	char *out, path[800], batch[800];

	sh("echo payload > %s/up.txt", base);
	/* scp over SFTP (OpenSSH 9's default) and the classic protocol (-O). */
	ck_assert_int_eq(run_capture(&out,
				     "scp -i %s/userkey -P %d -o StrictHostKeyChecking=no -o "
				     "UserKnownHostsFile=/dev/null -o BatchMode=yes %s/up.txt "
				     "%s@127.0.0.1:up1.txt && scp -O -i %s/userkey -P %d -o "
				     "StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o "
				     "BatchMode=yes %s/up.txt %s@127.0.0.1:up2.txt",
				     sshdir, ssh_port, base, LA, sshdir, ssh_port, base, LA),
			 0);
	free(out);
	for (int i = 1; i <= 2; i++) {
		snprintf(path, sizeof(path), "%s/home/%s/up%d.txt", base, LA, i);
		out = read_all(path);
		ck_assert_msg(out && streq(out, "payload\n"), "up%d: %s", i, out);
		free(out);
	}
	ck_assert_int_eq(run_capture(&out,
				     "scp -O -i %s/userkey -P %d -o StrictHostKeyChecking=no -o "
				     "UserKnownHostsFile=/dev/null -o BatchMode=yes "
				     "%s@127.0.0.1:up1.txt %s/down.txt && cat %s/down.txt",
				     sshdir, ssh_port, LA, base, base),
			 0);
	ck_assert_str_eq(out, "payload\n");
	free(out);
	snprintf(batch, sizeof(batch), "%s/batch", base);
	sh("printf 'put %s/up.txt put.txt\\nls -1\\nget up2.txt %s/sftp-got.txt\\n' > %s", base, base,
	   batch);
	ck_assert_int_eq(run_capture(&out,
				     "sftp -i %s/userkey -P %d -o StrictHostKeyChecking=no -o "
				     "UserKnownHostsFile=/dev/null -o BatchMode=yes -b %s "
				     "%s@127.0.0.1 && cat %s/sftp-got.txt",
				     sshdir, ssh_port, batch, LA, base),
			 0);
	ck_assert_msg(strstr(out, "up1.txt") && strstr(out, "put.txt") && strstr(out, "payload\n"),
		      "%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/home/%s/put.txt", base, LA);
	out = read_all(path);
	ck_assert_msg(out && streq(out, "payload\n"), "put.txt: %s", out);
	free(out);
	/* A policy without scp and sftp: both refused, nothing written. */
	ck_assert_int_ne(run_capture(&out,
				     "scp -O -i %s/userkey -P %d -o StrictHostKeyChecking=no -o "
				     "UserKnownHostsFile=/dev/null -o BatchMode=yes %s/up.txt "
				     "%s@127.0.0.1:no.txt",
				     sshdir, ssh_port, base, LE),
			 0);
	ck_assert_msg(strstr(out, "scp is not allowed for your account"), "%s", out);
	free(out);
	ck_assert_int_ne(run_capture(&out,
				     "sftp -i %s/userkey -P %d -o StrictHostKeyChecking=no -o "
				     "UserKnownHostsFile=/dev/null -o BatchMode=yes -b %s %s@127.0.0.1",
				     sshdir, ssh_port, batch, LE),
			 0);
	free(out);
	snprintf(path, sizeof(path), "%s/home/%s/no.txt", base, LE);
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/home/%s/put.txt", base, LE);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_ssh_interactive)
{
	char *out;

	run_capture(&out,
		    "tmux new-session -d -s ssh1 -x 100 -y 30 \"ssh -tt -i %s/userkey -p %d -o "
		    "StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "
		    "%s@127.0.0.1; echo SSH-EXIT=\\$?; sleep 30\"",
		    sshdir, ssh_port, LA);
	free(out);
	free(wait_for("ssh1", LA "@lab:~$"));
	keys("ssh1", "'ps -e -o pid=,comm=' Enter");
	out = wait_for("ssh1", "corral-init");
	ck_assert_msg(strstr(out, "      1 corral-init"), "%s", out);
	free(out);
	keys("ssh1", "'exit' Enter");
	free(wait_for("ssh1", "SSH-EXIT=0"));
	run_capture(&out, "tmux kill-session -t ssh1");
	free(out);
	/* The last session ended: the jail is gone. */
	usleep(500000);
	{
		char path[700];
		snprintf(path, sizeof(path), "/sys/fs/cgroup/pids/%s/%s", cgroot, LA);
		ck_assert_int_ne(access(path, F_OK), 0);
	}
}
END_TEST

START_TEST(test_ssh_concurrent_and_max)
{
	char *out, cmd[2048];
	FILE *a, *b;

	snprintf(cmd, sizeof(cmd),
		 "ssh -i %s/userkey -p %d -o StrictHostKeyChecking=no -o "
		 "UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR %s@127.0.0.1 "
		 "'echo in; sleep 4' </dev/null",
		 sshdir, ssh_port, LA);
	a = popen(cmd, "r");
	b = popen(cmd, "r");
	out = calloc(1, 16);
	ck_assert_ptr_nonnull(fgets(out, 16, a));
	ck_assert_ptr_nonnull(fgets(out, 16, b));
	free(out);
	/* Two logins, one jail with two sessions. */
	ck_assert_int_eq(run_capture(&out, "%s list --socket %s", jailctl, sock), 0);
	ck_assert_msg(strstr(out, LA) && strstr(out, "        2 "), "%s", out);
	ck_assert_int_eq(strstr(strstr(out, LA) + 1, LA) == NULL, 1); /* one jail */
	free(out);
	/* session.max = 2: the third login is refused. */
	ck_assert_int_ne(ssh(&out, LA, "echo third"), 0);
	ck_assert_msg(!strstr(out, "third"), "%s", out);
	free(out);
	pclose(a);
	pclose(b);
}
END_TEST

START_TEST(test_su_lands_in_jail)
{
	char *out;

	ck_assert_int_eq(run_capture(&out,
				     "LD_PRELOAD='%s' ASAN_OPTIONS=detect_leaks=0 PAM_WRAPPER=1 "
				     "PAM_WRAPPER_SERVICE_DIR=%s su - %s -c 'ps -e -o comm=' "
				     "</dev/null",
				     preload, pamdir, LA),
			 0);
	/* pam_wrapper may print a warning first; the jail's pid 1 comes first in ps. */
	ck_assert_msg(strstr(out, "corral-init\n") && !strstr(out, "process_api"), "%s", out);
	free(out);
}
END_TEST

int main(void)
{
	static const char *const users[] = { LA, LB, LC, LD, LE, NULL };
	Suite *s = suite_create("login");
	TCase *pam = tcase_create("pam"), *net = tcase_create("sshd");
	int code;
	bool failed;

	if (geteuid() != 0) {
		printf("SKIP: the login tests need root (users, PAM, sshd)\n");
		return 77;
	}
	if (!have("pamtester") || access("/usr/lib/x86_64-linux-gnu/libpam_wrapper.so", F_OK)) {
		printf("SKIP: pamtester and libpam-wrapper are needed (scripts/test installs them)\n");
		return 77;
	}
	harness_setup("lg", ADMIN);
	make_user(LA, "");
	make_user(LB, "");
	make_user(LC, "");
	make_user(LD, "");
	make_user(LE, "");
	setup_policies();
	/* As README's "Deploy on a real host" says: jailctl enroll (a private shells file here). */
	sh("cp /etc/shells %s/shells; for u in %s %s %s; do %s enroll --policy-dir %s --shell %s "
	   "--shells-file %s/shells $u >/dev/null; done; usermod -s /bin/bash %s",
	   base, LA, LD, LE, jailctl, policies, rshell_bin, base, LB);
	setup_pam();
	jaild_pid = start_jaild();
	tcase_set_timeout(pam, 60);
	tcase_set_timeout(net, 60);
	tcase_add_test(pam, test_pam_unmatched_ignored);
	tcase_add_test(pam, test_pam_session_registered);
	tcase_add_test(pam, test_pam_hours_refused);
	tcase_add_test(pam, test_pam_wrong_shell_refused);
	tcase_add_test(pam, test_pam_max_sessions);
	tcase_add_test(pam, test_pam_daemon_down);
	suite_add_tcase(s, pam);
	if (access("/usr/sbin/sshd", X_OK) == 0 && have("ssh") && have("tmux")) {
		start_sshd();
		tcase_add_test(net, test_ssh_command);
		tcase_add_test(net, test_ssh_untouched_user);
		tcase_add_test(net, test_ssh_scp_sftp);
		tcase_add_test(net, test_ssh_interactive);
		tcase_add_test(net, test_ssh_concurrent_and_max);
		tcase_add_test(net, test_su_lands_in_jail);
		suite_add_tcase(s, net);
	} else {
		printf("SKIP: sshd end-to-end tests: openssh-server, openssh-client and tmux are "
		       "needed\n");
	}
	code = run_suite(s);
	failed = code != EXIT_SUCCESS;
	if (sshd_pid > 0) {
		kill(sshd_pid, SIGTERM);
		waitpid(sshd_pid, NULL, 0);
		if (failed)
			sh("tail -30 %s/sshd.log >&2", sshdir);
	}
	if (harness_teardown(failed, users))
		code = EXIT_FAILURE;
	return code;
}
