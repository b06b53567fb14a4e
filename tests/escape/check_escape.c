// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The escape suite: what a jailed user with a shell and a grudge would try, each attempt run as
 * that user inside a real jail and asserted exactly (an errno, or that the effect did not reach
 * the host, checked from outside).  The host holds a TCP listener, an abstract unix socket, a
 * SysV shared memory segment, a POSIX message queue and a /dev/shm file for the jail to reach.
 */
#include "harness.h"

#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>

#define EA "corral-esa" /* network none, /bin/sh */
#define EB "corral-esb" /* network loopback */
#define EG "corral-esg" /* rshell that allows programs known to spawn shells */
#define ADMIN "corral-esadm"
#define SHM_KEY 0x434f5201
#define MQ_NAME "/corral-escape"

static int tcp_port, tcp_fd, abstract_fd, shm_id;
static char abstract_name[64];

struct attempt {
	const char *user;
	const char *args; /* {PORT} {SOCK} {ABSTRACT} {JAILD} are filled in */
	int code;
	const char *out; /* exact; with a leading '~', a prefix */
};

static const struct attempt attempts[] = {
	/* filesystem: leaving the root */
	{ EA, "chdir-dotdot", 0, "/ no-shadow\n" },
	{ EA, "chroot", 0, "EPERM\n" },
	{ EA, "openat-dotdot", 0, "no-shadow\n" },
	{ EA, "fds-held", 0, "4\n" }, /* stdin, stdout, stderr, the session channel: nothing else */
	{ EA, "proc1-root", 0, "EACCES\n" },
	{ EA, "proc1-cwd", 0, "EACCES\n" },
	{ EA, "proc1-environ", 0, "EACCES\n" },
	{ EA, "self-root-shadow", 0, "ENOENT\n" },
	{ EA, "open /etc/shadow", 0, "ENOENT\n" },
	/* filesystem: writing where it must not */
	{ EA, "write /usr/evil", 0, "EROFS\n" },
	{ EA, "write /evil", 0, "EROFS\n" },
	{ EA, "write /etc/passwd", 0, "EACCES\n" }, /* permission is checked before EROFS */
	{ EA, "write /dev/evil", 0, "EROFS\n" },
	{ EA, "write /.corral/policy.conf", 0, "EACCES\n" },
	{ EA, "write /.corral/new", 0, "EROFS\n" },
	{ EA, "write /proc/sys/kernel/hostname", 0, "EACCES\n" },
	{ EA, "write /proc/sysrq-trigger", 0, "ENOENT\n" }, /* not in a pid namespace's proc */
	{ EA, "root-ro", 0, "ro\n" },
	{ EA, "nosuid", 0, "nosuid everywhere\n" },
	/* devices */
	{ EA, "mknod /tmp/null", 0, "EPERM\n" },
	{ EA, "mknod mynull", 0, "EPERM\n" },
	{ EA, "open /dev/mem", 0, "ENOENT\n" },
	{ EA, "open /dev/kmsg", 0, "ENOENT\n" },
	{ EA, "open /dev/sda", 0, "ENOENT\n" },
	{ EA, "open /proc/kcore", 0, "ENOENT\n" },
	{ EA, "open /sys/kernel/notes", 0, "ENOENT\n" },
	/* links out of the home */
	{ EA, "hardlink /etc/passwd", 0, "EXDEV\n" },
	{ EA, "hardlink /usr/bin/ls", 0, "EXDEV\n" },
	{ EA, "symlink-out", 0, "ENOENT\n" },
	/* privilege */
	{ EA, "status CapEff", 0, "0000000000000000\n" },
	{ EA, "status CapPrm", 0, "0000000000000000\n" },
	{ EA, "status CapInh", 0, "0000000000000000\n" },
	{ EA, "status CapBnd", 0, "0000000000000000\n" },
	{ EA, "status CapAmb", 0, "0000000000000000\n" },
	{ EA, "status NoNewPrivs", 0, "1\n" },
	{ EA, "status Seccomp", 0, "2\n" },
	{ EA, "setuid0", 0, "EPERM\n" },
	{ EA, "setgid0", 0, "EPERM\n" },
	{ EA, "setrlimit-raise", 0, "EPERM\n" },
	{ EA, "unshare-user", 0, "EPERM\n" },
	{ EA, "unshare-mnt", 0, "EPERM\n" },
	{ EA, "unshare-net", 0, "EPERM\n" },
	{ EA, "clone-newuser", 0, "EPERM\n" },
	{ EA, "clone3", 0, "ENOSYS\n" },
	{ EA, "setns", 0, "EPERM\n" },
	{ EA, "mount", 0, "EPERM\n" },
	{ EA, "umount", 0, "EPERM\n" },
	{ EA, "pivot_root", 0, "EPERM\n" },
	{ EA, "keyctl", 0, "EPERM\n" },
	{ EA, "add_key", 0, "EPERM\n" },
	{ EA, "bpf", 0, "EPERM\n" },
	{ EA, "perf_event_open", 0, "EPERM\n" },
	{ EA, "userfaultfd", 0, "EPERM\n" },
	{ EA, "io_uring_setup", 0, "EPERM\n" },
	{ EA, "ptrace-attach", 0, "EPERM\n" },
	{ EA, "ptrace-seize", 0, "EPERM\n" },
	{ EA, "process_vm_readv", 0, "EPERM\n" },
	{ EA, "init_module", 0, "EPERM\n" },
	{ EA, "kexec_load", 0, "EPERM\n" },
	{ EA, "open_by_handle_at", 0, "EPERM\n" },
	{ EA, "acct", 0, "EPERM\n" },
	{ EA, "reboot", 0, "EPERM\n" },
	{ EA, "sethostname", 0, "EPERM\n" },
	{ EA, "kill 1", 0, "EPERM\n" },         /* the jail's init is root's */
	{ EA, "kill {JAILD}", 0, "ESRCH\n" },   /* a host pid does not exist in the jail */
	/* terminal */
	{ EA, "tiocsti", 0, "EPERM\n" },
	{ EA, "tiocsti-high", 0, "EPERM\n" }, /* CVE-2019-10063: the high bits are ignored */
	{ EA, "tioclinux", 0, "EPERM\n" },
	{ EA, "dev-tty", 0, "ENXIO\n" },      /* no terminal from outside is held */
	/* IPC with the host */
	{ EA, "unix {SOCK}", 0, "ENOENT\n" }, /* jaild's socket is not in the jail */
	{ EA, "abstract {ABSTRACT}", 0, "ECONNREFUSED\n" },
	{ EB, "abstract {ABSTRACT}", 0, "ECONNREFUSED\n" },
	{ EA, "shmget 0x434f5201", 0, "ENOENT\n" },
	{ EA, "mq_open " MQ_NAME, 0, "ENOENT\n" },
	{ EA, "open /dev/shm/corral-escape", 0, "ENOENT\n" },
	/* network */
	{ EA, "tcp {PORT}", 0, "ENETUNREACH\n" },
	{ EB, "tcp {PORT}", 0, "ECONNREFUSED\n" }, /* its own loopback, not the host's */
	{ EA, "socket-family 1", 0, "ok\n" },             /* AF_UNIX */
	{ EA, "socket-family 38", 0, "EAFNOSUPPORT\n" },  /* AF_ALG */
	{ EA, "socket-family 17", 0, "EAFNOSUPPORT\n" },  /* AF_PACKET */
	{ EA, "socket-family 40", 0, "EAFNOSUPPORT\n" },  /* AF_VSOCK */
	{ EA, "socket-family 15", 0, "EAFNOSUPPORT\n" },  /* AF_KEY */
	{ EA, "socket-family 200", 0, "EAFNOSUPPORT\n" }, /* beyond any known family */
	/* other ABIs are killed outright (SIGSYS) */
	{ EA, "int80", 128 + SIGSYS, "" },
	{ EA, "x32", 128 + SIGSYS, "" },
	/* resources */
	{ EA, "fd-exhaust", 0, "100 EMFILE\n" },
	{ EA, "tmp-fill", 0, "ENOSPC\n" },
	{ EA, "fork-bomb", 137, "~EAGAIN after " },
	{ EA, "kill-all", 0, "sent\n" },
};

static void fill(const char *in, char *out, size_t len)
{
	char tmp[1024];

	snprintf(out, len, "%s", in);
	struct {
		const char *key;
		char val[600];
	} subs[4] = { { "{PORT}" }, { "{SOCK}" }, { "{ABSTRACT}" }, { "{JAILD}" } };
	snprintf(subs[0].val, sizeof(subs[0].val), "%d", tcp_port);
	snprintf(subs[1].val, sizeof(subs[1].val), "%s", sock);
	snprintf(subs[2].val, sizeof(subs[2].val), "%s", abstract_name);
	snprintf(subs[3].val, sizeof(subs[3].val), "%d", (int) jaild_pid);
	for (int i = 0; i < 4; i++) {
		char *at = strstr(out, subs[i].key);
		if (!at)
			continue;
		snprintf(tmp, sizeof(tmp), "%.*s%s%s", (int) (at - out), out, subs[i].val,
			 at + strlen(subs[i].key));
		snprintf(out, len, "%s", tmp);
	}
}

/* Kernels without the i386 ABI (no IA32 emulation, or a hypervisor that refuses int 0x80, as
 * Firecracker's do) fault on int 0x80 before seccomp sees it: then SIGSEGV is the expected end,
 * and it is checked that the host itself faults the same way. */
static int int80_outside_jail = -1;

static int expected_code(const struct attempt *t)
{
	if (strcmp(t->args, "int80") != 0)
		return t->code;
	if (int80_outside_jail < 0) {
		char *out;
		int80_outside_jail = run_capture(&out, "%s/escape int80", helpers);
		free(out);
	}
	return int80_outside_jail == 128 + SIGSEGV ? 128 + SIGSEGV : t->code;
}

START_TEST(test_attempt)
{
	const struct attempt *t = &attempts[_i];
	char args[1024], cmd[1200], *out;
	int code, want = expected_code(t);

	fill(t->args, args, sizeof(args));
	snprintf(cmd, sizeof(cmd), "/opt/jtest/escape %s", args);
	code = jexec(&out, t->user, cmd);
	ck_assert_msg(code == want, "%s: exit %d, expected %d: %s", args, code, want, out);
	if (t->out[0] == '~')
		ck_assert_msg(strncmp(out, t->out + 1, strlen(t->out + 1)) == 0, "%s: %s", args, out);
	else
		ck_assert_msg(strcmp(out, t->out) == 0, "%s: '%s', expected '%s'", args, out, t->out);
	free(out);
	/* Whatever was tried, the daemon and this host process are alive. */
	ck_assert_int_eq(kill(jaild_pid, 0), 0);
	ck_assert_int_eq(run_capture(&out, "%s status --socket %s", jailctl, sock), 0);
	free(out);
}
END_TEST

/* Memory and CPU bombs are held by the jail's own quotas; another jail still gets its share. */
START_TEST(test_memory_bomb_held)
{
	char *out;
	int code = jexec(&out, EA, "/opt/jtest/jtest alloc 400");

	ck_assert_msg(code == 137, "exit %d: %s", code, out);
	free(out);
	ck_assert_int_eq(kill(jaild_pid, 0), 0);
}
END_TEST

START_TEST(test_cpu_hog_held)
{
	char cmd[2600], *out;
	double a = 0, b = 0;
	FILE *bg;

	snprintf(cmd, sizeof(cmd), "%s exec --socket %s %s -- /opt/jtest/jtest spin 3 </dev/null",
		 jailctl, sock, EA);
	bg = popen(cmd, "r");
	out = jexec_ok(EB, "/opt/jtest/jtest spin 3");
	ck_assert_int_eq(sscanf(out, "cpu %lf", &b), 1);
	free(out);
	out = calloc(1, 64);
	ck_assert_ptr_nonnull(fgets(out, 64, bg));
	ck_assert_int_eq(sscanf(out, "cpu %lf", &a), 1);
	free(out);
	pclose(bg);
	/* Each jail is held to its 20%, and both got it while the other was spinning. */
	ck_assert_msg(a > 0.10 && a < 0.35 && b > 0.10 && b < 0.35, "a %.3f b %.3f", a, b);
}
END_TEST

/* ---- escapes from allowed programs (GTFOBins): whatever shell they give is still jailed ---- */

struct gtfo {
	const char *cmd;
	int code;
	const char *out;
};

static const struct gtfo gtfos[] = {
	{ "awk 'BEGIN { system(\"cat /proc/1/comm; grep NoNewPrivs /proc/self/status\") }'", 0,
	  "corral-init\nNoNewPrivs:\t1\n" },
	{ "env /bin/sh -c 'cat /proc/1/comm; grep CapEff /proc/self/status'", 0,
	  "corral-init\nCapEff:\t0000000000000000\n" },
	{ "find /tmp -maxdepth 0 -exec cat /proc/1/comm \\;", 0, "corral-init\n" },
	{ "tar -C /tmp -cf /dev/null . --checkpoint=1 --checkpoint-action=exec='cat /proc/1/comm'",
	  0, "corral-init\n" },
	{ "perl -e 'exec \"/bin/sh\", \"-c\", \"cat /proc/1/comm; ls /etc/shadow 2>&1\"'", 2,
	  "corral-init\nls: cannot access '/etc/shadow': No such file or directory\n" },
	{ "git -c alias.x='!cat /proc/1/comm' x", 0, "corral-init\n" },
	{ "env /bin/sh -c 'unshare -U true 2>&1; echo $?'", 0, "~unshare: " },
	/* lexer tricks through ssh-style -c */
	{ "cat /proc/1/comm; bash", 126,
	  "corral: bash is not an allowed command (type help for the list)\n" },
	{ "ba''sh", 126, "corral: bash is not an allowed command (type help for the list)\n" },
	{ "cat /proc/1/comm\nbash", 2, "corral: control characters are not allowed (byte 0x0a)\n" },
	{ "cat $(echo /etc/shadow)", 2, "corral: command substitution $(...) is not allowed\n" },
	{ "cat `echo x`", 2, "corral: command substitution `...` is not allowed\n" },
	{ "export LD_PRELOAD=/tmp/x.so", 1, "corral: LD_PRELOAD may not be set here\n" },
	{ "export BASH_ENV=/tmp/x", 1, "corral: BASH_ENV may not be set here\n" },
};

START_TEST(test_gtfo)
{
	const struct gtfo *t = &gtfos[_i];
	char *out;
	int code = rshell_as(&out, EG, "", t->cmd);

	ck_assert_msg(code == t->code, "%s: exit %d: %s", t->cmd, code, out);
	if (t->out[0] == '~')
		ck_assert_msg(strncmp(out, t->out + 1, strlen(t->out + 1)) == 0, "%s: %s", t->cmd,
			      out);
	else
		ck_assert_msg(strcmp(out, t->out) == 0, "%s: '%s'", t->cmd, out);
	free(out);
}
END_TEST

/* Variables from the login's environment (ssh SendEnv, a hostile caller) never enter a jail:
 * jaild builds the environment from the policy. */
START_TEST(test_env_injection)
{
	char *out;

	ck_assert_int_eq(rshell_as(&out, EG, "LD_PRELOAD=/tmp/x.so BASH_ENV=/tmp/y PATH=/tmp", "env"),
			 0);
	/* (ld.so on the host complains about the preload; inside, the variables are gone.) */
	ck_assert_msg(!strstr(out, "LD_PRELOAD=") && !strstr(out, "BASH_ENV=") &&
			      strstr(out, "PATH=/usr/local/bin:/usr/bin:/bin\n"),
		      "%s", out);
	free(out);
}
END_TEST

static void host_fixtures(void)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(in);
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	int fd;

	tcp_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(tcp_fd, (struct sockaddr *) &in, sizeof(in)) < 0 || listen(tcp_fd, 4) < 0 ||
	    getsockname(tcp_fd, (struct sockaddr *) &in, &len) < 0)
		exit(99);
	tcp_port = ntohs(in.sin_port);
	snprintf(abstract_name, sizeof(abstract_name), "corral-escape-%d", (int) getpid());
	abstract_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	strncpy(un.sun_path + 1, abstract_name, sizeof(un.sun_path) - 2);
	if (bind(abstract_fd, (struct sockaddr *) &un,
		 (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + strlen(abstract_name))) <
		    0 ||
	    listen(abstract_fd, 4) < 0)
		exit(99);
	shm_id = shmget(SHM_KEY, 4096, IPC_CREAT | 0666);
	mq_unlink(MQ_NAME);
	if (mq_open(MQ_NAME, O_CREAT | O_RDWR, 0666, &attr) == (mqd_t) -1)
		exit(99);
	fd = open("/dev/shm/corral-escape", O_CREAT | O_WRONLY, 0666);
	if (fd >= 0)
		close(fd);
}

static void host_fixtures_remove(void)
{
	shmctl(shm_id, IPC_RMID, NULL);
	mq_unlink(MQ_NAME);
	unlink("/dev/shm/corral-escape");
	close(tcp_fd);
	close(abstract_fd);
}

int main(void)
{
	static const char *const users[] = { EA, EB, EG, NULL };
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("attempts");
	char content[4096];
	int code;
	bool failed;

	if (geteuid() != 0) {
		printf("SKIP: the escape suite needs root (jails, users)\n");
		return 77;
	}
	harness_setup("es", ADMIN);
	make_user(EA, "");
	make_user(EB, "");
	make_user(EG, "");
	snprintf(content, sizeof(content),
		 "match = { all = true; };\n"
		 "jail = {\n\tbinds = ( { src = \"/usr\"; }, { src = \"/bin\"; }, { src = \"/lib\"; },\n"
		 "\t\t{ src = \"/lib64\"; optional = true; }, { src = \"/sbin\"; },\n"
		 "\t\t{ src = \"/etc/alternatives\"; optional = true; },\n"
		 "\t\t{ src = \"%s\"; dst = \"/opt/jtest\"; } );\n"
		 "\thome = \"%s/jhome/%%u\";\n"
		 "\ttmp = \"8M\";\n\tnetwork = \"none\";\n};\n"
		 "limits = { pids = 16; memory = \"64M\"; swap = \"0\"; cpu = \"20%%\"; nofile = 100;\n"
		 "\tfsize = \"16M\"; };\n"
		 "shell = { program = \"/bin/sh\"; };\n",
		 helpers, base);
	if (write_policy_file(policies, "default.conf", content) < 0 ||
	    write_policy_file(policies, "users/" EB ".conf", "jail = { network = \"loopback\"; };\n") <
		    0 ||
	    write_policy_file(policies, "users/" EG ".conf",
			      "shell = { program = \"rshell\";\n"
			      "\tcommands = [\"awk\", \"env\", \"find\", \"tar\", \"perl\", \"git\", "
			      "\"cat\", \"ls\"];\n"
			      "\tenv = [\"HOME=%h\", \"ASAN_OPTIONS=detect_leaks=0\"]; };\n") < 0)
		exit(99);
	host_fixtures();
	jaild_pid = start_jaild();
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_attempt, 0, (int) (sizeof(attempts) / sizeof(attempts[0])));
	tcase_add_test(tc, test_memory_bomb_held);
	tcase_add_test(tc, test_cpu_hog_held);
	tcase_add_loop_test(tc, test_gtfo, 0, (int) (sizeof(gtfos) / sizeof(gtfos[0])));
	tcase_add_test(tc, test_env_injection);
	suite_add_tcase(s, tc);
	code = run_suite(s);
	failed = code != EXIT_SUCCESS;
	host_fixtures_remove();
	if (harness_teardown(failed, users))
		code = EXIT_FAILURE;
	return code;
}
