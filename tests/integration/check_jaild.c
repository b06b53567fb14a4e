// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * jaild end to end, as root: a real jaild on a temporary runtime and policy directory, real
 * users (created here and removed after), real jails.  Each test asserts a fact seen from inside
 * the jail (through jailctl exec and the jtest helper) or from the host.
 */
#include "harness.h"

#include <grp.h>
#include <stdbool.h>
#include <pwd.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "client.h"
#include "fd-util.h"
#include "proto.h"

#define UA "corral-ita"
#define UB "corral-itb"
#define UC "corral-itc"
#define UD "corral-itd" /* rshell as the shell */
#define ADMIN_GROUP "corral-itadm"

static int rsh(char **out, const char *cmd);
static void start_session(const char *name, int cols, int rows);

/* UD's policy: rshell with a short allow-list; transfers on or off. */
static int write_rshell_policy_extra(bool transfers, const char *extra);
static int write_rshell_policy(bool transfers)
{
	return write_rshell_policy_extra(transfers, "");
}

static int write_rshell_policy_extra(bool transfers, const char *extra)
{
	char content[2048];

	snprintf(content, sizeof(content),
		 "shell = {\n\tprogram = \"rshell\";\n"
		 "\tcommands = [\"echo\", \"cat\", \"ls\", \"wc\", \"find\", \"stty\", "
		 "\"sleep\", \"id\"];\n"
		 "\twarnings = 3;\n\thistory = 50;\n\tscp = %s;\n\tsftp = %s;\n"
		 "\texport = [\"EDITOR\"];\n"
		 "\trules = ( { command = \"find\"; deny = [\"-exec\", \"-delete\"]; } );\n"
		 /* LeakSanitizer's ptrace is refused in a jail; the unit tests cover the lexer. */
		 "\tenv = [\"LANG=C.UTF-8\", \"HOME=%%h\", \"USER=%%u\", "
		 "\"ASAN_OPTIONS=detect_leaks=0\"];\n%s};\n"
		 "limits = { pids = 32; };\n",
		 transfers ? "true" : "false", transfers ? "true" : "false", extra);
	return write_policy_file(policies, "users/" UD ".conf", content);
}

static void write_policies(const char *hostname)
{
	char content[4096];

	snprintf(content, sizeof(content),
		 "match = { all = true; };\n"
		 "jail = {\n"
		 "\tbinds = ( { src = \"/usr\"; }, { src = \"/bin\"; }, { src = \"/lib\"; },\n"
		 "\t\t{ src = \"/lib64\"; optional = true; }, { src = \"/sbin\"; },\n"
		 "\t\t{ src = \"%s\"; dst = \"/opt/jtest\"; } );\n"
		 "\thome = \"%s/jhome/%%u\";\n"
		 "\thostname = \"%s\";\n\ttmp = \"8M\";\n\tnetwork = \"none\";\n"
		 "\tetc = [\"ld.so.cache\", \"nsswitch.conf\"];\n};\n"
		 "limits = { pids = 10; memory = \"64M\"; swap = \"0\"; cpu = \"20%%\"; nofile = 100;\n"
		 "\tfsize = \"1M\"; core = \"0\"; };\n"
		 "shell = { program = \"/bin/sh\"; };\n",
		 helpers, base, hostname);
	if (write_policy_file(policies, "default.conf", content) < 0 ||
	    write_policy_file(policies, "users/" UB ".conf",
			      "jail = { network = \"loopback\"; hostname = \"other\"; };\n") < 0 ||
	    write_rshell_policy(true) < 0)
		exit(99);
}

static void global_setup(void)
{
	harness_setup("it", ADMIN_GROUP);
	make_user(UA, "");
	make_user(UB, "");
	make_user(UC, "-G " ADMIN_GROUP);
	make_user(UD, "");
	write_policies("jail-%u");
	jaild_pid = start_jaild();
}

static bool global_teardown(bool failed)
{
	static const char *const users[] = { UA, UB, UC, UD, NULL };

	return harness_teardown(failed, users);
}

/* Users that single tests make (and remove when they pass). */
#define UH "corral-ith"
#define UX "corral-itx"

/* After each test, in the runner process, however the test ended: the suite's starting state
 * again, so that one failure never fails the tests after it.  Each step is quiet, and does
 * nothing where there is nothing to undo. */
static void restore(void)
{
	static const char *const extra[] = { UH, UX };
	static const char *const users[] = { UA, UB, UD, UH, UX };
	char path[700];

	/* Its terminals, and a jaild a test killed and did not get to start again. */
	sh("tmux kill-server >/dev/null 2>&1; true");
	ensure_jaild();
	/* The jails the test left, then what it made on the host. */
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		sh("%s kill --socket %s %s >/dev/null 2>&1; true", jailctl, sock, users[i]);
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (getpwnam(extra[i]))
			sh("userdel %s; rm -rf %s/home/%s %s/jhome/%s %s/jhome/%s.away", extra[i],
			   base, extra[i], base, extra[i], base, extra[i]);
	snprintf(path, sizeof(path), "%s/jhome/%s/data", base, UB);
	(void) unlink(path);
	snprintf(path, sizeof(path), "%s/jhome/%s/prog", base, UD);
	(void) unlink(path);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/pids/%s/corral-ghost", cgroot);
	(void) rmdir(path);
	/* The policies the suite started with. */
	snprintf(path, sizeof(path), "%s/users/%s.conf", policies, UA);
	(void) unlink(path);
	write_policies("jail-%u");
	sh("%s reload --socket %s >/dev/null 2>&1 || echo 'restore: jailctl reload failed' >&2",
	   jailctl, sock);
}

START_TEST(test_inside_view)
{
	char *out, expect[256];
	struct passwd *pw = getpwnam(UA);

	out = jexec_ok(UA, "/bin/ps -e -o pid=,comm=");
	/* Only the jail: its init as pid 1, and ps itself. */
	ck_assert_msg(strstr(out, "      1 corral-init\n") == out, "%s", out);
	ck_assert_msg(!strstr(out, "jaild") && strstr(out, " ps\n"), "%s", out);
	ck_assert_int_eq(strchr(strchr(out, '\n') + 1, '\n')[1], '\0'); /* two lines */
	free(out);
	out = jexec_ok(UA, "/bin/hostname");
	ck_assert_str_eq(out, "jail-" UA "\n");
	free(out);
	out = jexec_ok(UA, "/usr/bin/id");
	snprintf(expect, sizeof(expect), "uid=%u(%s) gid=%u(%s) groups=%u(%s)\n",
		 (unsigned) pw->pw_uid, UA, (unsigned) pw->pw_gid, UA, (unsigned) pw->pw_gid, UA);
	ck_assert_str_eq(out, expect);
	free(out);
	out = jexec_ok(UA, "/bin/grep -E '^(CapEff|CapPrm|CapBnd|CapAmb|NoNewPrivs|Seccomp):' "
			   "/proc/self/status");
	ck_assert_str_eq(out, "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
			      "CapBnd:\t0000000000000000\nCapAmb:\t0000000000000000\n"
			      "NoNewPrivs:\t1\nSeccomp:\t2\n");
	free(out);
}
END_TEST

START_TEST(test_mounts_and_writes)
{
	char *out, expect[2048];

	/* (Below /proc: the read-only and masked entries, which depend on the kernel's build;
	 * tests/escape checks them.) */
	out = jexec_ok(UA, "/bin/sh -c \"cut -d' ' -f5 /proc/self/mountinfo | grep -v '^/proc/' | "
			   "sort\"");
	snprintf(expect, sizeof(expect),
		 "/\n/.corral/rshell\n/dev\n/dev/full\n/dev/null\n/dev/pts\n/dev/random\n"
		 "/dev/shm\n/dev/tty\n/dev/urandom\n/dev/zero\n/opt/jtest\n/proc\n/tmp\n/usr\n"
		 "%s/home/%s\n",
		 base, UA);
	ck_assert_str_eq(out, expect);
	free(out);
	/* Read-only: the binds, the root, /dev; writable: home and /tmp. */
	out = jexec_ok(UA, "/bin/sh -c \"/opt/jtest/jtest write /usr/x; /opt/jtest/jtest write /x; "
			   "/opt/jtest/jtest write /dev/x; /opt/jtest/jtest write /etc/passwd; "
			   "/opt/jtest/jtest write \\$HOME/x; /opt/jtest/jtest write /tmp/x\"");
	ck_assert_str_eq(out, "EROFS\nEROFS\nEROFS\nEROFS\nok\nok\n");
	free(out);
	out = jexec_ok(UA, "/opt/jtest/jtest statfs /tmp");
	ck_assert_str_eq(out, "8388608\n");
	free(out);
	/* /etc was made for the jail: no shadow, and passwd names only root, the user, nobody. */
	out = jexec_ok(UA, "/bin/sh -c \"ls /etc; cut -d: -f1 /etc/passwd\"");
	ck_assert_str_eq(out, "group\nld.so.cache\nnsswitch.conf\npasswd\nroot\n" UA "\nnobody\n");
	free(out);
}
END_TEST

START_TEST(test_network)
{
	char *out = jexec_ok(UA, "/opt/jtest/jtest netifs");

	ck_assert_str_eq(out, "lo down\n");
	free(out);
	out = jexec_ok(UB, "/opt/jtest/jtest netifs");
	ck_assert_str_eq(out, "lo up\n");
	free(out);
	out = jexec_ok(UB, "/bin/hostname");
	ck_assert_str_eq(out, "other\n");
	free(out);
}
END_TEST

START_TEST(test_pids_limit)
{
	/* pids = 10: init and jtest hold two, so the ninth fork fails. */
	char *out = jexec_ok(UA, "/opt/jtest/jtest fork 30");

	ck_assert_str_eq(out, "forked 8 EAGAIN\n");
	free(out);
}
END_TEST

START_TEST(test_memory_oom)
{
	char *out;
	int code = jexec(&out, UA, "/opt/jtest/jtest alloc 300");

	/* The cgroup's OOM killer ends it (SIGKILL), nothing else. */
	ck_assert_msg(code == 128 + SIGKILL, "exit %d: %s", code, out);
	free(out);
	ck_assert_int_eq(kill(jaild_pid, 0), 0);
	ck_assert_int_eq(run_capture(&out, "%s status --socket %s", jailctl, sock), 0);
	free(out);
}
END_TEST

START_TEST(test_cpu_quota)
{
	char *out = jexec_ok(UA, "/opt/jtest/jtest spin 3");
	double share = 0;

	ck_assert_int_eq(sscanf(out, "cpu %lf", &share), 1);
	ck_assert_msg(share > 0.10 && share < 0.35, "cpu = 20%% gave %.3f of a CPU", share);
	free(out);
}
END_TEST

START_TEST(test_rlimits)
{
	char *out = jexec_ok(UA, "/opt/jtest/jtest rlimits"), expect[512], nproc[64];
	struct rlimit rl;

	/* nproc is not in the policy: unlimited, or the host's hard cap where it has one. */
	getrlimit(RLIMIT_NPROC, &rl);
	if (rl.rlim_max == RLIM_INFINITY)
		snprintf(nproc, sizeof(nproc), "nproc unlimited");
	else
		snprintf(nproc, sizeof(nproc), "nproc %llu %llu", (unsigned long long) rl.rlim_max,
			 (unsigned long long) rl.rlim_max);
	snprintf(expect, sizeof(expect),
		 "nofile 100 100\nfsize 1048576 1048576\ncore 0 0\ncpu unlimited\n%s\n"
		 "as unlimited\n",
		 nproc);
	ck_assert_str_eq(out, expect);
	free(out);
	out = jexec_ok(UA, "/opt/jtest/jtest bigfile /tmp/big 2048");
	ck_assert_str_eq(out, "EFBIG\n");
	free(out);
}
END_TEST

START_TEST(test_seccomp_basics)
{
	char *out = jexec_ok(UA, "/opt/jtest/jtest unshare-user");

	ck_assert_str_eq(out, "EPERM\n");
	free(out);
}
END_TEST

/* Two spawns of one user share the jail; when both end, nothing of it remains. */
START_TEST(test_sharing_and_teardown)
{
	char *first, *second, *list, path[1024];
	FILE *bg;
	int init_pid = 0;

	bg = bg_start("%s exec --socket %s %s -- /bin/sh -c \"readlink /proc/self/ns/pid; sleep 2\" "
		      "</dev/null",
		      jailctl, sock, UA);
	first = calloc(1, 256);
	bg_line(bg, first, 256, "the first command's pid namespace");
	second = jexec_ok(UA, "/bin/readlink /proc/self/ns/pid");
	ck_assert_str_eq(first, second);
	ck_assert_int_eq(run_capture(&list, "%s list --socket %s", jailctl, sock), 0);
	ck_assert_msg(strstr(list, UA), "%s", list);
	ck_assert_int_eq(sscanf(strstr(list, UA) + strlen(UA), "%d", &init_pid), 1);
	free(list);
	/* From the host: the jail's init is in that pid namespace. */
	{
		char nspath[64], link[256] = "";
		snprintf(nspath, sizeof(nspath), "/proc/%d/ns/pid", init_pid);
		ck_assert_int_gt(readlink(nspath, link, sizeof(link) - 1), 0);
		ck_assert_int_eq(strncmp(link, first, strlen(link)), 0);
	}
	ck_assert_int_eq(pclose(bg), 0);
	usleep(300000);
	/* Nothing left: no process, no cgroup, no record, no mount on the host. */
	ck_assert_int_ne(kill(init_pid, 0), 0);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/pids/%s/%s", cgroot, UA);
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/memory/%s/%s", cgroot, UA);
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/jails/%s", base, UA);
	ck_assert_int_ne(access(path, F_OK), 0);
	list = read_all("/proc/self/mountinfo");
	ck_assert_ptr_nonnull(list);
	ck_assert_ptr_null(strstr(list, base));
	free(list);
	free(first);
	free(second);
}
END_TEST

/* jailctl kill ends a jail with a command still running: the command's caller hears the
 * end (SIGKILL), and nothing of the jail remains. */
START_TEST(test_kill_running_jail)
{
	char *out, line[64], path[1024];
	FILE *bg;
	int code;

	bg = bg_start("%s exec --socket %s %s -- /bin/sh -c \"echo up; exec sleep 30\" </dev/null; "
		      "echo \"exit $?\"",
		      jailctl, sock, UA);
	bg_line(bg, line, sizeof(line), "the command's \"up\"");
	ck_assert_str_eq(line, "up\n");
	ck_assert_int_eq(run_capture(&out, "%s kill --socket %s %s", jailctl, sock, UA), 0);
	ck_assert_str_eq(out, "jail of " UA " ended\n");
	free(out);
	bg_line(bg, line, sizeof(line), "the killed command's exit status");
	ck_assert_str_eq(line, "exit 137\n");
	code = pclose(bg);
	ck_assert_int_eq(code, 0);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/pids/%s/%s", cgroot, UA);
	ck_assert_int_ne(access(path, F_OK), 0);
	/* jaild still serves; a kill of a user with no jail says so. */
	ck_assert_int_eq(run_capture(&out, "%s kill --socket %s %s", jailctl, sock, UA), 1);
	ck_assert_msg(strstr(out, UA " has no jail"), "%s", out);
	free(out);
}
END_TEST

/* A bind source that passes through a symlink the user made is refused, not followed as root:
 * here the user points ~/data (in the jail home) at /etc and a policy binds that path. */
START_TEST(test_user_symlink_not_followed)
{
	char link[600], text[1024], *out;

	snprintf(link, sizeof(link), "%s/jhome/%s/data", base, UB);
	ck_assert_int_eq(symlink("/etc", link), 0);
	ck_assert_int_eq(lchown(link, uid_of(UB), uid_of(UB)), 0);
	snprintf(text, sizeof(text),
		 "jail = { binds = ( { src = \"/usr\"; }, { src = \"/bin\"; }, "
		 "{ src = \"/lib\"; }, { src = \"/lib64\"; optional = true; }, "
		 "{ src = \"%s/jhome/%%u/data\"; dst = \"/data\"; } ); };\n",
		 base);
	put_file(policies, "users/" UB ".conf", text);
	ck_assert_int_eq(run_capture(&out, "%s reload --socket %s", jailctl, sock), 0);
	free(out);
	ck_assert_int_eq(jexec(&out, UB, "/bin/ls /data"), 1);
	ck_assert_msg(strstr(out, "refusing bind source") && strstr(out, "/data: Too many levels "
									 "of symbolic links"),
		      "%s", out);
	free(out);
	write_policies("jail-%u");
	unlink(link);
	ck_assert_int_eq(run_capture(&out, "%s reload --socket %s", jailctl, sock), 0);
	free(out);
}
END_TEST

START_TEST(test_list_json)
{
	char line[64], *out;
	FILE *bg;

	bg = bg_start("%s exec --socket %s %s -- /bin/sh -c \"echo up; exec sleep 2\" </dev/null",
		      jailctl, sock, UA);
	bg_line(bg, line, sizeof(line), "the command's \"up\"");
	ck_assert_int_eq(run_capture(&out, "%s list --json --socket %s", jailctl, sock), 0);
	ck_assert_msg(strstr(out, "{\"user\": \"" UA "\", \"init_pid\": ") &&
			      strstr(out, "\"sessions\": 1, ") &&
			      strstr(out, "\"memory_max\": 67108864, ") &&
			      strstr(out, "\"pids_max\": 10, "),
		      "%s", out);
	free(out);
	pclose(bg);
}
END_TEST

START_TEST(test_admin_verbs_refused)
{
	char *out;

	ck_assert_int_eq(run_capture(&out, "runuser -u %s -- %s list --socket %s", UB, jailctl,
				     sock),
			 1);
	ck_assert_msg(strstr(out, "LIST is for root and the admin group only"), "%s", out);
	free(out);
	ck_assert_int_eq(run_capture(&out, "runuser -u %s -- %s kill --socket %s %s", UB, jailctl,
				     sock, UA),
			 1);
	ck_assert_msg(strstr(out, "KILL is for root and the admin group only"), "%s", out);
	free(out);
	ck_assert_int_eq(run_capture(&out, "runuser -u %s -- %s exec --socket %s %s -- /bin/true "
					   "</dev/null",
				     UB, jailctl, sock, UA),
			 1);
	ck_assert_msg(strstr(out, "EXEC is for root and the admin group only"), "%s", out);
	free(out);
	/* A member of --admin-group may. */
	ck_assert_int_eq(run_capture(&out, "runuser -u %s -- %s list --socket %s", UC, jailctl,
				     sock),
			 0);
	ck_assert_msg(strstr(out, "USER"), "%s", out);
	free(out);
}
END_TEST

static void recv_with_fds_blocking(int fd, char *c, int *got, size_t *n)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	poll(&p, 1, 5000);
	(void) recv_with_fds(fd, c, 1, got, n);
}

static int connect_as(uid_t uid)
{
	int fds[2], fd;
	pid_t pid;

	if (uid == 0)
		return jaild_connect(sock, 5000);
	/* Connect from a child that has become uid, then hand the socket back. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds), 0);
	pid = fork();
	if (pid == 0) {
		if (setgid(uid) < 0 || setuid(uid) < 0)
			_exit(1);
		fd = jaild_connect(sock, 5000);
		if (fd < 0)
			_exit(2);
		_exit(send_with_fds(fds[1], "x", 1, &fd, 1) < 0);
	}
	{
		char c;
		size_t n = 0;
		int got[3];
		(void) recv_with_fds_blocking(fds[0], &c, got, &n);
		waitpid(pid, NULL, 0);
		close(fds[0]);
		close(fds[1]);
		ck_assert_int_eq(n, 1);
		return got[0];
	}
}

START_TEST(test_cross_user_spawn_refused)
{
	struct proto_msg q, r;
	const char *why = NULL;
	char id[64];
	int fd, null;

	/* Root (the PAM module) opens a session for B. */
	fd = connect_as(0);
	ck_assert_int_ge(fd, 0);
	proto_msg_init(&q, MSG_OPEN_SESSION);
	q.user = (char *) UB;
	q.service = (char *) "test";
	q.tty = (char *) "pts/9";
	q.rhost = (char *) "127.0.0.1";
	q.pid = (uint32_t) getpid();
	ck_assert_int_eq(jaild_call(fd, &q, &r, &why), 0);
	ck_assert_msg(r.type == MSG_SESSION_OPENED, "%s", r.text ? r.text : "");
	snprintf(id, sizeof(id), "%s", r.session);
	proto_msg_clear(&r);
	close(fd);
	/* A tries to spawn into B's session (with /dev/null: a terminal, should the suite run on
	 * one, would be refused before the session is looked at). */
	fd = connect_as(uid_of(UA));
	proto_msg_init(&q, MSG_SPAWN);
	q.mode = SPAWN_STDIO;
	q.session = id;
	q.command = (char *) "";
	q.term = (char *) "";
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	q.fds[0] = q.fds[1] = q.fds[2] = null;
	q.nfds = 3;
	ck_assert_int_eq(jaild_call(fd, &q, &r, &why), 0);
	close(null);
	ck_assert_int_eq(r.type, MSG_ERROR);
	ck_assert_int_eq(r.code, EPERM);
	ck_assert_str_eq(r.text, "corral: that session is not yours");
	proto_msg_clear(&r);
	close(fd);
	/* A cannot open sessions (root only) nor close B's. */
	fd = connect_as(uid_of(UA));
	proto_msg_init(&q, MSG_CLOSE_SESSION);
	q.session = id;
	ck_assert_int_eq(jaild_call(fd, &q, &r, &why), 0);
	ck_assert_int_eq(r.type, MSG_ERROR);
	ck_assert_int_eq(r.code, EPERM);
	proto_msg_clear(&r);
	close(fd);
	/* Root closes it; the jail goes. */
	fd = connect_as(0);
	ck_assert_int_eq(jaild_call(fd, &q, &r, &why), 0);
	ck_assert_int_eq(r.type, MSG_OK);
	close(fd);
}
END_TEST

/* Raw datagrams that must each be refused with an ERROR while jaild keeps serving. */
struct raw_case {
	const char *name;
	uint8_t bytes[64];
	size_t len;
	int attach_fd;
};

#define HDR(t) 0x43, 0x52, 0x4c, 0x31, 0x00, (t), 0x00, 0x00
static const struct raw_case raw_cases[] = {
	{ "short header", { 0x43, 0x52, 0x4c }, 3, 0 },
	{ "bad magic", { 0x43, 0x52, 0x4c, 0x32, 0, MSG_LIST, 0, 0 }, 8, 0 },
	{ "type 0", { HDR(0) }, 8, 0 },
	{ "unknown type", { HDR(99) }, 8, 0 },
	{ "flags set", { 0x43, 0x52, 0x4c, 0x31, 0, MSG_LIST, 0, 1 }, 8, 0 },
	{ "trailing bytes", { HDR(MSG_LIST), 0 }, 9, 0 },
	{ "reply type as request", { HDR(MSG_OK) }, 8, 0 },
	{ "LIST_REPLY as request", { HDR(MSG_LIST_REPLY), 0, 0, 0, 0 }, 12, 0 },
	{ "KILL without user", { HDR(MSG_KILL) }, 8, 0 },
	{ "KILL string longer than message", { HDR(MSG_KILL), 0, 0, 0, 9, 'a' }, 13, 0 },
	{ "KILL string over the limit", { HDR(MSG_KILL), 0, 1, 0, 0 }, 12, 0 },
	{ "KILL user with NUL", { HDR(MSG_KILL), 0, 0, 0, 3, 'a', 0, 'b' }, 15, 0 },
	{ "KILL bad user name", { HDR(MSG_KILL), 0, 0, 0, 3, '.', '.', '/' }, 15, 0 },
	{ "KILL upper case user", { HDR(MSG_KILL), 0, 0, 0, 3, 'R', 'O', 'T' }, 15, 0 },
	{ "LIST with an fd", { HDR(MSG_LIST) }, 8, 1 },
	{ "SPAWN unknown mode", { HDR(MSG_SPAWN), 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				  0, 0, 0, 0, 0, 0, 0, 0 }, 32, 0 },
	{ "SPAWN stdio without fds", { HDR(MSG_SPAWN), 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 32, 0 },
	{ "SPAWN session not hex", { HDR(MSG_SPAWN), 0, 0, 0, 1, 0, 0, 0, 2, 'z', 'z', 0, 0, 0,
				     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 34, 0 },
	{ "SPAWN command with newline", { HDR(MSG_SPAWN), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 'l',
					  '\n', 's', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 35, 0 },
	{ "SPAWN window too big", { HDR(MSG_SPAWN), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    0, 1, 0, 0, 0, 0, 0, 0 }, 32, 0 },
	{ "EXEC with no argv", { HDR(MSG_EXEC), 0, 0, 0, 1, 'a', 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
				 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 33, 0 },
	{ "OPEN_SESSION cut short", { HDR(MSG_OPEN_SESSION), 0, 0, 0, 1, 'a' }, 13, 0 },
	{ "AUDIT on the daemon socket", { HDR(MSG_AUDIT), 0, 0, 0, 0, 0, 0, 0, 0 }, 16, 0 },
};

START_TEST(test_malformed_message)
{
	const struct raw_case *c = &raw_cases[_i];
	struct proto_msg r, q;
	const char *why = NULL;
	int fd = connect_as(0), devnull = open("/dev/null", O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(send_with_fds(fd, c->bytes, c->len, &devnull, c->attach_fd ? 1 : 0), 0);
	ck_assert_int_eq(proto_recv(fd, &r, &why), 0);
	ck_assert_msg(r.type == MSG_ERROR, "%s: got %s", c->name, proto_type_name(r.type));
	ck_assert_msg(r.code == EBADMSG, "%s: code %u: %s", c->name, r.code, r.text);
	proto_msg_clear(&r);
	close(fd);
	close(devnull);
	/* Still serving. */
	fd = connect_as(0);
	proto_msg_init(&q, MSG_STATUS);
	ck_assert_int_eq(jaild_call(fd, &q, &r, &why), 0);
	ck_assert_int_eq(r.type, MSG_STATUS_REPLY);
	proto_msg_clear(&r);
	close(fd);
}
END_TEST

START_TEST(test_oversized_message)
{
	static uint8_t big[PROTO_MAX + 100];
	struct proto_msg r;
	const char *why = NULL;
	int fd = connect_as(0);

	memcpy(big, (uint8_t[]){ HDR(MSG_LIST) }, 8);
	ck_assert_int_ge(send_with_fds(fd, big, sizeof(big), NULL, 0), 0);
	ck_assert_int_eq(proto_recv(fd, &r, &why), 0);
	ck_assert_int_eq(r.type, MSG_ERROR);
	ck_assert_int_eq(r.code, EMSGSIZE);
	proto_msg_clear(&r);
	close(fd);
}
END_TEST

static long count_fds(pid_t pid)
{
	char path[64];
	long n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int) pid);
	d = opendir(path);
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static long rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int) pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/* Client faults: jaild keeps serving, and its fds and memory come back to where they were. */
START_TEST(test_client_faults)
{
	static const uint8_t garbage[] = { 0x43, 0x52, 0x4c, 0x31, 0, MSG_KILL, 0, 0, 0, 0, 9 };
	struct proto_msg q, r;
	const char *why = NULL;
	long fds0, fds1, rss0, rss1;
	int fd;

	/* Warm up, then measure. */
	for (int i = 0; i < 100; i++)
		close(jaild_connect(sock, 5000));
	usleep(200000);
	fds0 = count_fds(jaild_pid);
	rss0 = rss_kib(jaild_pid);
	for (int i = 0; i < 1000; i++) {
		fd = jaild_connect(sock, 5000);
		ck_assert_int_ge(fd, 0);
		close(fd);
	}
	/* Requests abandoned before their reply. */
	for (int i = 0; i < 200; i++) {
		fd = jaild_connect(sock, 5000);
		proto_msg_init(&q, MSG_STATUS);
		ck_assert_int_eq(proto_send(fd, &q), 0);
		close(fd);
	}
	for (int i = 0; i < 10000; i++) {
		fd = jaild_connect(sock, 5000);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_ge(send_with_fds(fd, garbage, sizeof(garbage), NULL, 0), 0);
		close(fd);
	}
	usleep(500000);
	fd = jaild_connect(sock, 5000);
	proto_msg_init(&q, MSG_STATUS);
	ck_assert_int_eq(jaild_call(fd, &q, &r, &why), 0);
	ck_assert_int_eq(r.type, MSG_STATUS_REPLY);
	ck_assert_msg(strstr(r.text, "connections: 1"), "%s", r.text);
	proto_msg_clear(&r);
	close(fd);
	usleep(200000);
	fds1 = count_fds(jaild_pid);
	rss1 = rss_kib(jaild_pid);
	ck_assert_msg(fds1 == fds0, "jaild had %ld fds before, %ld after", fds0, fds1);
#ifndef __SANITIZE_ADDRESS__
	ck_assert_msg(rss1 - rss0 < 1024, "jaild's RSS went from %ld to %ld KiB", rss0, rss1);
#else
	(void) rss1;
	(void) rss0; /* ASan's quarantine keeps freed memory: RSS says nothing here */
#endif
}
END_TEST

START_TEST(test_reload_keeps_old_set)
{
	char *out, path[600];

	/* A broken file: jailctl reload refuses it with FILE:LINE, the old set stays. */
	put_file(policies, "users/" UA ".conf", "limits = {\n\tpids = \"many\";\n};\n");
	ck_assert_int_eq(run_capture(&out, "%s reload --socket %s", jailctl, sock), 1);
	snprintf(path, sizeof(path), "%s/users/%s.conf:2: limits.pids: is a string", policies, UA);
	ck_assert_msg(strstr(out, path), "%s", out);
	ck_assert_msg(strstr(out, "the previous policies stay in force"), "%s", out);
	free(out);
	out = jexec_ok(UA, "/bin/hostname");
	ck_assert_str_eq(out, "jail-" UA "\n");
	free(out);
	/* SIGHUP takes the same path. */
	ck_assert_int_eq(kill(jaild_pid, SIGHUP), 0);
	usleep(200000);
	out = jexec_ok(UA, "/bin/hostname");
	ck_assert_str_eq(out, "jail-" UA "\n");
	free(out);
	/* Fixed: the new set applies to new jails. */
	put_file(policies, "users/" UA ".conf", "jail = { hostname = \"renamed\"; };\n");
	ck_assert_int_eq(run_capture(&out, "%s reload --socket %s", jailctl, sock), 0);
	free(out);
	out = jexec_ok(UA, "/bin/hostname");
	ck_assert_str_eq(out, "renamed\n");
	free(out);
	snprintf(path, sizeof(path), "%s/users/%s.conf", policies, UA);
	unlink(path);
	ck_assert_int_eq(run_capture(&out, "%s reload --socket %s", jailctl, sock), 0);
	free(out);
}
END_TEST

/* Policy faults: the file of a live jail deleted (the jail keeps its policy; a new jail gets
 * the default), and a user deleted while their jail runs (it ends cleanly). */
START_TEST(test_policy_file_deleted)
{
	char path[700], *out, line[64];
	FILE *bg;

	bg = bg_start("%s exec --socket %s %s -- /bin/sh -c \"echo up; sleep 2; hostname\" "
		      "</dev/null",
		      jailctl, sock, UB);
	bg_line(bg, line, sizeof(line), "the command's \"up\"");
	snprintf(path, sizeof(path), "%s/users/%s.conf", policies, UB);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(run_capture(&out, "%s reload --socket %s", jailctl, sock), 0);
	free(out);
	bg_line(bg, line, sizeof(line), "the running jail's host name");
	ck_assert_str_eq(line, "other\n"); /* the running jail kept its policy */
	ck_assert_int_eq(pclose(bg), 0);
	usleep(300000);
	out = jexec_ok(UB, "/bin/hostname");
	ck_assert_str_eq(out, "jail-" UB "\n"); /* a new jail: the default policy */
	free(out);
	write_policies("jail-%u");
	ck_assert_int_eq(run_capture(&out, "%s reload --socket %s", jailctl, sock), 0);
	free(out);
}
END_TEST

/* Clients that hang up while their jail is still being built, some with the jail killed under
 * them: jaild drops their parked requests, keeps serving, and a jail nobody waits for any more
 * lingers out (linger 0s here) instead of staying forever. */
START_TEST(test_hangup_while_jail_builds)
{
	char *argv[] = { (char *) "/bin/true", NULL };
	char path[700], *out;
	int null = open("/dev/null", O_RDWR);

	ck_assert_int_ge(null, 0);
	(void) run_capture(&out, "%s kill --socket %s %s", jailctl, sock, UA);
	free(out);
	for (int i = 0; i < 21; i++) { /* the last one is only hung up on */
		struct proto_msg q;
		int fd = jaild_connect(sock, 5000);
		ck_assert_int_ge(fd, 0);
		jaild_exec_msg(&q, UA, argv, null);
		ck_assert_int_eq(proto_send(fd, &q), 0);
		close(fd); /* gone before init can have built the jail */
		if (i % 2) { /* and every other time the jail is killed while it is built */
			usleep(200); /* sometimes before init reports, sometimes after */
			(void) run_capture(&out, "%s kill --socket %s %s", jailctl, sock, UA);
			free(out);
		}
	}
	close(null);
	usleep(500000);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/pids/%s/%s", cgroot, UA);
	ck_assert_msg(access(path, F_OK) != 0, "the jail of %s outlived every request", UA);
	out = jexec_ok(UA, "/bin/hostname"); /* and jaild still builds and serves */
	ck_assert_str_eq(out, "jail-" UA "\n");
	free(out);
}
END_TEST

/* A user whose passwd home they could write (so host services would read their files) gets no
 * jail, and neither does one whose jail home is missing; the refusal says what to run. */
START_TEST(test_host_home_unsafe_refused)
{
	const char *ux = UH;
	char *out;

	make_user(ux, "");
	out = jexec_ok(ux, "/bin/sh -c \"echo ok > f; cat f\"");
	ck_assert_str_eq(out, "ok\n");
	free(out);
	sh("%s kill --socket %s %s >/dev/null", jailctl, sock, ux);
	/* The layout before enroll: the passwd home is the user's. */
	sh("chown %s: %s/home/%s", ux, base, ux);
	ck_assert_int_eq(jexec(&out, ux, "/bin/true"), 1);
	ck_assert_msg(strstr(out, "host home is not safe for a jailed user") &&
			      strstr(out, "is owned by uid") && strstr(out, "jailctl enroll " UH),
		      "%s", out);
	free(out);
	/* Root's home with a hook directory of the user's inside (~/.config/systemd/user). */
	sh("chown root: %s/home/%s && mkdir -p %s/home/%s/.config/systemd/user && chown %s: "
	   "%s/home/%s/.config/systemd/user",
	   base, ux, base, ux, ux, base, ux);
	ck_assert_int_eq(jexec(&out, ux, "/bin/true"), 1);
	ck_assert_msg(strstr(out, "/.config/systemd/user is owned by uid"), "%s", out);
	free(out);
	/* Group- or world-writable by way of the mode. */
	sh("rm -rf %s/home/%s/.config && chmod 0777 %s/home/%s", base, ux, base, ux);
	ck_assert_int_eq(jexec(&out, ux, "/bin/true"), 1);
	ck_assert_msg(strstr(out, "is writable by uid"), "%s", out);
	free(out);
	/* Safe host home, but no jail home. */
	sh("chmod 0755 %s/home/%s && mv %s/jhome/%s %s/jhome/%s.away", base, ux, base, ux, base, ux);
	ck_assert_int_eq(jexec(&out, ux, "/bin/true"), 1);
	ck_assert_msg(strstr(out, "has no jail home") && strstr(out, "jailctl enroll"), "%s", out);
	free(out);
	/* A jail home that is a symlink the user made is refused too. */
	sh("ln -s %s/jhome/%s.away %s/jhome/%s && chown -h %s: %s/jhome/%s", base, ux, base, ux,
	   ux, base, ux);
	ck_assert_int_eq(jexec(&out, ux, "/bin/true"), 1);
	ck_assert_msg(strstr(out, "cannot open the jail home") && strstr(out, "symbolic links"), "%s",
		      out);
	free(out);
	sh("rm %s/jhome/%s && mv %s/jhome/%s.away %s/jhome/%s", base, ux, base, ux, base, ux);
	out = jexec_ok(ux, "/bin/cat f");
	ck_assert_str_eq(out, "ok\n");
	free(out);
	sh("%s kill --socket %s %s >/dev/null; userdel %s", jailctl, sock, ux, ux);
}
END_TEST

START_TEST(test_user_deleted_live_jail)
{
	char path[700], *out, line[64];
	const char *ux = UX;
	FILE *bg;

	make_user(ux, "");
	bg = bg_start("%s exec --socket %s %s -- /bin/sh -c \"echo up; sleep 2; echo done\" "
		      "</dev/null",
		      jailctl, sock, ux);
	bg_line(bg, line, sizeof(line), "the command's \"up\"");
	sh("userdel %s", ux);
	bg_line(bg, line, sizeof(line), "the command's \"done\" after its user was deleted");
	ck_assert_str_eq(line, "done\n");
	ck_assert_int_eq(pclose(bg), 0);
	usleep(300000);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/pids/%s/%s", cgroot, ux);
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_int_eq(jexec(&out, ux, "/bin/true"), 1);
	ck_assert_msg(strstr(out, "no user " UX), "%s", out);
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s status --socket %s", jailctl, sock), 0);
	free(out);
}
END_TEST

/* jaild killed with SIGKILL leaves its jails running; the next one adopts them and removes
 * cgroups that no record explains. */
/* jaild dies under a session: the session goes on (the pty is the login's and the jail's), new
 * logins are refused clearly while it is down, and at the end the terminal comes back cooked.
 * Runs last but one: it leaves a new jaild (and its pid) for the tests after it. */
START_TEST(test_rshell_jaild_dies)
{
	char *out, pidfile[600];
	pid_t pid = jaild_pid, newpid;
	FILE *f;

	snprintf(pidfile, sizeof(pidfile), "%s/jaild.pid", base);
	f = fopen(pidfile, "r");
	if (f) {
		int p;
		if (fscanf(f, "%d", &p) == 1)
			pid = p;
		fclose(f);
	}
	start_session("rs4", 80, 24);
	kill(pid, SIGKILL);
	usleep(300000);
	keys("rs4", "'echo still-working' Enter");
	free(wait_for("rs4", "\nstill-working\n"));
	/* New logins are refused clearly while it is down. */
	unlink(sock);
	ck_assert_int_eq(rsh(&out, "id"), 1);
	ck_assert_msg(strstr(out, "corral: the jail service is not available"), "%s", out);
	free(out);
	keys("rs4", "'exit' Enter");
	out = wait_for("rs4", "OUTER-EXIT=1");
	ck_assert_msg(strstr(out, "corral: session ended; the jail service had gone away"), "%s",
		      out);
	free(out);
	out = wait_for("rs4", "icanon");
	ck_assert_msg(!strstr(out, "-icanon"), "the terminal was left raw:\n%s", out);
	free(out);
	run_capture(&out, "tmux kill-session -t rs4");
	free(out);
	newpid = start_jaild();
	f = fopen(pidfile, "w");
	ck_assert_msg(f, "cannot write %s: %s", pidfile, strerror(errno));
	fprintf(f, "%d\n", (int) newpid);
	fclose(f);
}
END_TEST

START_TEST(test_restart_adopts)
{
	char *out, line[64], ghost[600], pidfile[600];
	FILE *bg, *f;
	int before = 0, after = 0;
	pid_t newpid;

	bg = bg_start("%s exec --socket %s %s -- /bin/sh -c \"echo started; sleep 3\" </dev/null "
		      "2>/dev/null",
		      jailctl, sock, UA);
	bg_line(bg, line, sizeof(line), "the command's \"started\"");
	ck_assert_int_eq(run_capture(&out, "%s list --socket %s", jailctl, sock), 0);
	ck_assert_msg(strstr(out, UA), "%s", out);
	ck_assert_int_eq(sscanf(strstr(out, UA) + strlen(UA), "%d", &before), 1);
	free(out);
	snprintf(ghost, sizeof(ghost), "/sys/fs/cgroup/pids/%s/corral-ghost", cgroot);
	ck_assert_int_eq(mkdir(ghost, 0755), 0);
	snprintf(pidfile, sizeof(pidfile), "%s/jaild.pid", base);
	f = fopen(pidfile, "r");
	if (f) {
		int p;
		if (fscanf(f, "%d", &p) == 1)
			jaild_pid = p;
		fclose(f);
	}
	kill(jaild_pid, SIGKILL);
	waitpid(jaild_pid, NULL, 0);
	for (int i = 0; i < 50 && kill(jaild_pid, 0) == 0; i++)
		usleep(20000);
	unlink(sock);
	newpid = start_jaild();
	f = fopen(pidfile, "w");
	ck_assert_msg(f, "cannot write %s: %s", pidfile, strerror(errno));
	fprintf(f, "%d\n", (int) newpid);
	fclose(f);
	ck_assert_int_eq(run_capture(&out, "%s list --socket %s", jailctl, sock), 0);
	ck_assert_msg(strstr(out, UA), "%s", out);
	ck_assert_int_eq(sscanf(strstr(out, UA) + strlen(UA), "%d", &after), 1);
	ck_assert_int_eq(before, after);
	free(out);
	ck_assert_int_ne(access(ghost, F_OK), 0);
	pclose(bg);
}
END_TEST

/* ---- rshell ---- */

/* Runs rshell -c CMD as UD through the real outer path (jaild, SPAWN, stdio). */
static int rsh(char **out, const char *cmd)
{
	return rshell_as(out, UD, "", cmd);
}

struct rsh_case {
	const char *cmd;
	int code;
	const char *out; /* exact output, or with a leading '~' a part of it */
};

static const struct rsh_case rsh_cases[] = {
	{ "echo hello | wc -c", 0, "6\n" },
	{ "id -un", 0, UD "\n" },
	{ "echo 'a;b' \"c&&d\"", 0, "a;b c&&d\n" },
	{ "echo hi > ~/out.txt && cat ~/out.txt", 0, "hi\n" },
	{ "echo one; echo two", 0, "one\ntwo\n" },
	{ "ls /nonexistent || echo fallback", 0, "~fallback\n" },
	{ "bash", 126, "corral: bash is not an allowed command (type help for the list)\n" },
	/* The whole line is checked before anything runs: "ok" is never printed. */
	{ "echo ok; bash", 126, "corral: bash is not an allowed command (type help for the list)\n" },
	{ "echo ok && /bin/bash", 126,
	  "corral: /bin/bash: running programs by path is not allowed here\n" },
	{ "ba''sh", 126, "corral: bash is not an allowed command (type help for the list)\n" },
	{ "echo hi > /etc/x", 126, "~is outside the places you may use" },
	{ "cat < /etc/shadow", 126, "~corral: /etc/shadow: No such file or directory" },
	{ "find . -exec id ;", 126, "corral: find: the argument '-exec' is not allowed\n" },
	{ "echo $(id)", 2, "corral: command substitution $(...) is not allowed\n" },
	{ "echo `id`", 2, "corral: command substitution `...` is not allowed\n" },
	{ "cat <<< hi", 2, "corral: here-documents and here-strings (<<, <<<) are not allowed\n" },
	{ "sleep 1 &", 126, "corral: background jobs (&) are not allowed here\n" },
	{ "export LD_PRELOAD=/tmp/x.so", 1, "corral: LD_PRELOAD may not be set here\n" },
	{ "export PATH=/tmp", 1, "corral: PATH may not be set here\n" },
	{ "export EDITOR=vi; export", 0, "~EDITOR=vi\n" },
	{ "cd /", 1, "~corral: / is outside the places you may use (" },
	{ "cd /tmp && pwd", 0, "/tmp\n" },
	{ "scp -t /tmp", 0, "\0" }, /* scp's server mode starts with an acknowledgement */
};

START_TEST(test_rshell_command)
{
	const struct rsh_case *t = &rsh_cases[_i];
	char *out;
	int code = rsh(&out, t->cmd);

	ck_assert_msg(code == t->code, "'%s' exited %d, expected %d: %s", t->cmd, code, t->code,
		      out);
	if (t->out[0] == '~')
		ck_assert_msg(strstr(out, t->out + 1), "'%s' gave: %s", t->cmd, out);
	else if (t->out[0])
		ck_assert_msg(strcmp(out, t->out) == 0, "'%s' gave: %s", t->cmd, out);
	free(out);
}
END_TEST

START_TEST(test_rshell_audit)
{
	char *log, *out;

	ck_assert_int_eq(rsh(&out, "echo audited-line"), 0);
	free(out);
	ck_assert_int_eq(rsh(&out, "bash -i"), 126);
	free(out);
	log = jaild_log();
	ck_assert_msg(log, "cannot read %s/jaild.log", base);
	ck_assert_msg(strstr(log, ": allowed: echo audited-line\n"), "%s", log);
	ck_assert_msg(strstr(log, ": refused: bash -i\n"), "%s", log);
	ck_assert_msg(strstr(log, "audit: user " UD " session "), "%s", log);
	free(log);
}
END_TEST

/* scp's server mode (what sshd runs for scp) over stdio into the jail, both ways. */
START_TEST(test_rshell_scp)
{
	char *out, path[600];

	ck_assert_int_eq(run_capture(&out,
				     "printf 'C0644 6 up.txt\\nhello\\n\\000' | runuser -u %s -- env "
				     "CORRAL_SOCKET=%s %s -c 'scp -t .' | od -An -c | tr -d ' \\n'",
				     UD, sock, rshell_bin),
			 0);
	ck_assert_str_eq(out, "\\0\\0\\0"); /* ready, header taken, data taken */
	free(out);
	snprintf(path, sizeof(path), "%s/jhome/%s/up.txt", base, UD);
	out = read_all(path);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "hello\n");
	free(out);
	ck_assert_int_eq(run_capture(&out,
				     "printf '\\000\\000\\000' | runuser -u %s -- env CORRAL_SOCKET=%s "
				     "%s -c 'scp -f up.txt' | tr '\\000' '@'",
				     UD, sock, rshell_bin),
			 0);
	ck_assert_str_eq(out, "C0644 6 up.txt\nhello\n@");
	free(out);
	/* Refused when the policy says no. */
	ck_assert_int_eq(write_rshell_policy(false), 0);
	ck_assert_int_eq(run_capture(&out, "%s reload --socket %s", jailctl, sock), 0);
	free(out);
	ck_assert_int_eq(rsh(&out, "scp -t ."), 126);
	ck_assert_str_eq(out, "corral: scp uploads are not allowed for your account\n");
	free(out);
	ck_assert_int_eq(rsh(&out, "/usr/lib/openssh/sftp-server"), 126);
	ck_assert_str_eq(out, "corral: sftp is not allowed for your account\n");
	free(out);
	ck_assert_int_eq(write_rshell_policy(true), 0);
	ck_assert_int_eq(run_capture(&out, "%s reload --socket %s", jailctl, sock), 0);
	free(out);
}
END_TEST

/* A real sftp client talking to the sftp server in the jail through rshell -c. */
START_TEST(test_rshell_sftp)
{
	char *out, script[600], batch[600], local[600], path[600];

	if (access("/usr/lib/openssh/sftp-server", X_OK) != 0 || system("command -v sftp >/dev/null"))
		return; /* scripts/test installs openssh; without it there is nothing to drive */
	snprintf(script, sizeof(script), "%s/sftp-via-rshell", base);
	snprintf(batch, sizeof(batch), "%s/sftp-batch", base);
	snprintf(local, sizeof(local), "%s/local.txt", base);
	put_file(base, "sftp-via-rshell", "");
	{
		FILE *f = fopen(script, "w");
		ck_assert_msg(f, "cannot write %s: %s", script, strerror(errno));
		fprintf(f, "#!/bin/sh\nexec runuser -u %s -- env CORRAL_SOCKET=%s %s -c "
			   "/usr/lib/openssh/sftp-server\n",
			UD, sock, rshell_bin);
		fclose(f);
		chmod(script, 0755);
	}
	put_file(base, "local.txt", "from the host\n");
	chmod(local, 0644);
	{
		FILE *f = fopen(batch, "w");
		ck_assert_msg(f, "cannot write %s: %s", batch, strerror(errno));
		fprintf(f, "put %s sent.txt\nls -1\nget sent.txt %s/back.txt\n", local, base);
		fclose(f);
	}
	ck_assert_int_eq(run_capture(&out, "sftp -D %s -b %s", script, batch), 0);
	ck_assert_msg(strstr(out, "sent.txt"), "%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/jhome/%s/sent.txt", base, UD);
	out = read_all(path);
	ck_assert_str_eq(out, "from the host\n");
	free(out);
	snprintf(path, sizeof(path), "%s/back.txt", base);
	out = read_all(path);
	ck_assert_str_eq(out, "from the host\n");
	free(out);
}
END_TEST

static void set_rshell_policy(const char *extra)
{
	char *out;

	ck_assert_int_eq(write_rshell_policy_extra(true, extra), 0);
	ck_assert_int_eq(run_capture(&out, "%s reload --socket %s", jailctl, sock), 0);
	free(out);
}

/* A real rsync client, pushing and pulling through rshell -c "rsync --server ..." in the jail,
 * as over ssh; refused when the policy says no. */
START_TEST(test_rshell_rsync)
{
	char *out, script[600], local[600], path[600];

	if (system("command -v rsync >/dev/null"))
		return; /* scripts/test installs rsync; without it there is nothing to drive */
	snprintf(script, sizeof(script), "%s/rsync-via-rshell", base);
	snprintf(local, sizeof(local), "%s/rsync-local.txt", base);
	{
		/* rsync -e runs: SCRIPT HOST rsync --server ...; the host is dropped. */
		FILE *f = fopen(script, "w");
		ck_assert_msg(f, "cannot write %s: %s", script, strerror(errno));
		fprintf(f, "#!/bin/sh\nshift\nexec runuser -u %s -- env CORRAL_SOCKET=%s %s -c \"$*\"\n",
			UD, sock, rshell_bin);
		fclose(f);
		chmod(script, 0755);
	}
	put_file(base, "rsync-local.txt", "pushed by rsync\n");
	chmod(local, 0644);
	set_rshell_policy("\trsync = true;\n");
	ck_assert_int_eq(run_capture(&out, "rsync -e %s %s jail:rsynced.txt 2>&1", script, local), 0);
	free(out);
	snprintf(path, sizeof(path), "%s/jhome/%s/rsynced.txt", base, UD);
	out = read_all(path);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "pushed by rsync\n");
	free(out);
	ck_assert_int_eq(run_capture(&out, "rsync -e %s jail:rsynced.txt %s/rsync-back.txt 2>&1",
				     script, base),
			 0);
	free(out);
	snprintf(path, sizeof(path), "%s/rsync-back.txt", base);
	out = read_all(path);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "pushed by rsync\n");
	free(out);
	/* The default policy refuses it, and so does the client's transfer. */
	set_rshell_policy("");
	ck_assert_int_eq(rsh(&out, "rsync --server -e.Lsfx . x"), 126);
	ck_assert_str_eq(out, "corral: rsync is not allowed for your account\n");
	free(out);
	ck_assert_int_ne(run_capture(&out, "rsync -e %s %s jail:refused.txt 2>&1", script, local),
			 0);
	free(out);
	snprintf(path, sizeof(path), "%s/jhome/%s/refused.txt", base, UD);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

/* shell.run_own: programs the user put under their paths run only when the policy says. */
START_TEST(test_rshell_run_own)
{
	char *out, path[600];

	snprintf(path, sizeof(path), "%s/jhome/%s/prog", base, UD);
	sh("cp /bin/echo %s && chown %s: %s && chmod 755 %s", path, UD, path, path);
	ck_assert_int_eq(rsh(&out, "./prog built-here"), 126);
	ck_assert_str_eq(out, "corral: ./prog: running programs by path is not allowed here\n");
	free(out);
	set_rshell_policy("\trun_own = true;\n");
	ck_assert_int_eq(rsh(&out, "./prog built-here"), 0);
	ck_assert_str_eq(out, "built-here\n");
	free(out);
	/* Still only under shell.paths. */
	ck_assert_int_eq(rsh(&out, "/usr/bin/id"), 126);
	ck_assert_msg(strstr(out, "/usr/bin/id is outside the places you may use"), "%s", out);
	free(out);
	set_rshell_policy("");
	unlink(path);
}
END_TEST

/* ---- interactive sessions, driven through tmux ---- */

static void start_session(const char *name, int cols, int rows)
{
	char *out;

	if (system("command -v tmux >/dev/null") != 0)
		ck_abort_msg("tmux is needed (scripts/test installs it)");
	run_capture(&out, "tmux kill-session -t %s", name);
	free(out);
	ck_assert_int_eq(run_capture(&out,
				     "tmux new-session -d -s %s -x %d -y %d \"runuser -u %s -- env "
				     "CORRAL_SOCKET=%s TERM=xterm %s; echo OUTER-EXIT=\\$?; stty -a "
				     "| grep -o -- '-*icanon' | head -1; sleep 60\"",
				     name, cols, rows, UD, sock, rshell_bin),
			 0);
	free(out);
	free(wait_for(name, UD "@jail-" UD ":~$")); /* capture-pane trims the trailing space */
}

START_TEST(test_rshell_interactive)
{
	char *out, path[600];

	start_session("rs1", 120, 40);
	keys("rs1", "'echo hello-tty' Enter");
	free(wait_for("rs1", "\nhello-tty\n"));
	/* The pty in the jail has the terminal's size, and follows a resize. */
	keys("rs1", "'stty size' Enter");
	free(wait_for("rs1", "\n40 120\n"));
	run_capture(&out, "tmux resize-window -t rs1 -x 100 -y 30");
	free(out);
	usleep(300000);
	keys("rs1", "'stty size' Enter");
	free(wait_for("rs1", "\n30 100\n"));
	/* Completion of an allowed command. */
	keys("rs1", "'ech' Tab \" completed\" Enter");
	free(wait_for("rs1", "\ncompleted\n"));
	/* Ctrl-C ends the foreground command, not the shell. */
	keys("rs1", "'sleep 30' Enter");
	usleep(500000);
	keys("rs1", "C-c");
	keys("rs1", "'echo after-interrupt' Enter");
	free(wait_for("rs1", "\nafter-interrupt\n"));
	keys("rs1", "'history' Enter");
	free(wait_for("rs1", "echo hello-tty"));
	/* Refusals count down; at zero the session ends, and the terminal is cooked again. */
	keys("rs1", "'bash' Enter");
	free(wait_for("rs1", "corral: bash is not an allowed command (type help for the list). 2 "
			     "warnings left."));
	keys("rs1", "'sh' Enter");
	free(wait_for("rs1", "1 warning left."));
	keys("rs1", "'csh' Enter");
	out = wait_for("rs1", "OUTER-EXIT=1");
	ck_assert_msg(strstr(out, "corral: csh is not an allowed command (type help for the list). "
				  "0 warnings left; the session ends."),
		      "%s", out);
	free(out);
	out = wait_for("rs1", "icanon");
	ck_assert_msg(!strstr(out, "-icanon"), "the terminal was left raw:\n%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/jhome/%s/.rshell_history", base, UD);
	out = read_all(path);
	ck_assert_msg(out && strstr(out, "echo hello-tty\n"), "history: %s", out);
	free(out);
	run_capture(&out, "tmux kill-session -t rs1");
	free(out);
}
END_TEST

START_TEST(test_rshell_idle_timeout)
{
	char *out;

	set_rshell_policy("\tidle = \"2s\";\n");
	start_session("rs3", 80, 24);
	out = wait_for("rs3", "OUTER-EXIT=0");
	ck_assert_msg(strstr(out, "corral: idle for 2s; logging out."), "%s", out);
	free(out);
	run_capture(&out, "tmux kill-session -t rs3");
	free(out);
	set_rshell_policy("");
}
END_TEST

/* An admin ends the jail under a session: the user's terminal comes back cooked. */
START_TEST(test_rshell_killed_restores_terminal)
{
	char *out;

	start_session("rs2", 80, 24);
	ck_assert_int_eq(run_capture(&out, "%s kill --socket %s %s", jailctl, sock, UD), 0);
	free(out);
	out = wait_for("rs2", "OUTER-EXIT=");
	ck_assert_msg(strstr(out, "OUTER-EXIT=137"), "%s", out);
	free(out);
	out = wait_for("rs2", "icanon");
	ck_assert_msg(!strstr(out, "-icanon"), "the terminal was left raw:\n%s", out);
	free(out);
	run_capture(&out, "tmux kill-session -t rs2");
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jaild");
	TCase *tc = tcase_create("jails");
	int code;

	if (geteuid() != 0) {
		printf("SKIP: the jaild tests need root (namespaces, cgroups, users)\n");
		return 77;
	}
	global_setup();
	/* Tests that leave nothing behind share a case; each test that makes users, files, jails,
	 * terminals, policies or a new jaild has a case of its own with restore() after it. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_inside_view);
	tcase_add_test(tc, test_mounts_and_writes);
	tcase_add_test(tc, test_network);
	tcase_add_test(tc, test_pids_limit);
	tcase_add_test(tc, test_memory_oom);
	tcase_add_test(tc, test_cpu_quota);
	tcase_add_test(tc, test_rlimits);
	tcase_add_test(tc, test_seccomp_basics);
	tcase_add_unchecked_fixture(tc, NULL, restore);
	suite_add_tcase(s, tc);
	add_test_cleanup(s, test_sharing_and_teardown, restore);
	add_test_cleanup(s, test_kill_running_jail, restore);
	add_test_cleanup(s, test_user_symlink_not_followed, restore);
	add_test_cleanup(s, test_host_home_unsafe_refused, restore);
	add_test_cleanup(s, test_list_json, restore);
	add_test_cleanup(s, test_admin_verbs_refused, restore);
	add_test_cleanup(s, test_cross_user_spawn_refused, restore);
	tc = tcase_create("protocol");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_malformed_message, 0,
			    (int) (sizeof(raw_cases) / sizeof(raw_cases[0])));
	tcase_add_test(tc, test_oversized_message);
	tcase_add_test(tc, test_client_faults);
	tcase_add_unchecked_fixture(tc, NULL, restore);
	suite_add_tcase(s, tc);
	add_test_cleanup(s, test_policy_file_deleted, restore);
	add_test_cleanup(s, test_user_deleted_live_jail, restore);
	add_test_cleanup(s, test_hangup_while_jail_builds, restore);
	add_test_cleanup(s, test_reload_keeps_old_set, restore);
	tc = tcase_create("rshell");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_rshell_command, 0,
			    (int) (sizeof(rsh_cases) / sizeof(rsh_cases[0])));
	tcase_add_test(tc, test_rshell_audit);
	tcase_add_unchecked_fixture(tc, NULL, restore);
	suite_add_tcase(s, tc);
	add_test_cleanup(s, test_rshell_scp, restore);
	add_test_cleanup(s, test_rshell_sftp, restore);
	add_test_cleanup(s, test_rshell_rsync, restore);
	add_test_cleanup(s, test_rshell_interactive, restore);
	add_test_cleanup(s, test_rshell_run_own, restore);
	add_test_cleanup(s, test_rshell_idle_timeout, restore);
	add_test_cleanup(s, test_rshell_killed_restores_terminal, restore);
	add_test_cleanup(s, test_rshell_jaild_dies, restore);
	add_test_cleanup(s, test_restart_adopts, restore);
	code = run_suite(s);
	if (global_teardown(code != EXIT_SUCCESS))
		code = EXIT_FAILURE;
	return code;
}
