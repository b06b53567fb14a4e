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
#include <sys/wait.h>

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
	{ EA, "fds-held", 0, "3\n" }, /* stdin, stdout, stderr; the session channel is rshell's */
	{ EA, "proc1-root", 0, "EACCES\n" }, /* init is root's and not dumpable */
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
	{ EA, "open-w /proc/sys/kernel/ns_last_pid", 0, "EROFS\n" }, /* mode 0666, ro mount */
	{ EA, "masked /proc/kcore", 0, "masked\n" },
	{ EA, "masked /proc/keys", 0, "masked\n" },
	{ EA, "masked /proc/timer_list", 0, "masked\n" },
	{ EA, "masked /proc/interrupts", 0, "masked\n" },
	{ EA, "masked /proc/sched_debug", 0, "masked\n" },
	{ EA, "open-w /proc/pressure/memory", 0, "ENOENT\n" }, /* 0666 on the host: masked */
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
	{ EA, "modify_ldt", 0, "EPERM\n" },
	{ EA, "personality 0xffffffff", 0, "ok\n" },  /* the query */
	{ EA, "personality 0", 0, "ok\n" },           /* PER_LINUX */
	{ EA, "personality 0x0400000", 0, "ENOSYS\n" }, /* READ_IMPLIES_EXEC */
	{ EA, "personality 0x0040000", 0, "ENOSYS\n" }, /* ADDR_NO_RANDOMIZE */
	{ EA, "syscall 428", 0, "refused\n" },       /* open_tree */
	{ EA, "syscall 442", 0, "refused\n" },       /* mount_setattr */
	{ EA, "syscall 457", 0, "refused\n" },       /* statmount */
	{ EA, "syscall 458", 0, "refused\n" },       /* listmount */
	{ EA, "syscall 467", 0, "refused\n" },       /* open_tree_attr */
	{ EA, "syscall 450", 0, "refused\n" },       /* set_mempolicy_home_node */
	{ EA, "mbind", 0, "EPERM\n" },
	{ EA, "set_mempolicy", 0, "EPERM\n" },
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
	{ EA, "socketpair-family 1", 0, "ok\n" },
	{ EA, "socketpair-family 17", 0, "EAFNOSUPPORT\n" }, /* AF_PACKET */
	{ EA, "socketpair-family 40", 0, "EAFNOSUPPORT\n" }, /* AF_VSOCK */
	{ EA, "socketpair-family 44", 0, "EAFNOSUPPORT\n" }, /* AF_XDP */
	{ EA, "socketpair-family 30", 0, "EAFNOSUPPORT\n" }, /* AF_TIPC: loads a module */
	{ EA, "socketpair-family 21", 0, "EAFNOSUPPORT\n" }, /* AF_RDS: loads a module */
	{ EA, "socketpair-family 2", 0, "EOPNOTSUPP\n" },   /* inet: never a pair */
	{ EA, "socket-proto 2 1 6", 0, "ok\n" },             /* TCP */
	{ EA, "socket-proto 2 2 17", 0, "ok\n" },            /* UDP */
	{ EA, "socket-proto 10 1 0", 0, "ok\n" },            /* TCP over inet6 */
	{ EA, "socket-proto 2 1 132", 0, "EPROTONOSUPPORT\n" },  /* SCTP: loads a module */
	{ EA, "socket-proto 10 5 132", 0, "EPROTONOSUPPORT\n" }, /* SCTP seqpacket, inet6 */
	{ EA, "socket-proto 2 2 115", 0, "EPROTONOSUPPORT\n" },  /* L2TP: loads a module */
	{ EA, "socket-proto 2 2 136", 0, "EPROTONOSUPPORT\n" },  /* UDP-Lite */
	{ EA, "socket-proto 16 2 0", 0, "ok\n" },                /* netlink route (ip) */
	{ EA, "socket-proto 16 2 16", 0, "EPROTONOSUPPORT\n" },  /* generic netlink */
	{ EA, "socket-proto 16 2 9", 0, "EPROTONOSUPPORT\n" },   /* audit */
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
	char line[64], *out;
	double a = 0, b = 0;
	FILE *bg;

	bg = bg_start("%s exec --socket %s %s -- /opt/jtest/jtest spin 3 </dev/null", jailctl, sock,
		      EA);
	out = jexec_ok(EB, "/opt/jtest/jtest spin 3");
	ck_assert_int_eq(sscanf(out, "cpu %lf", &b), 1);
	free(out);
	bg_line(bg, line, sizeof(line), "the share of a CPU that " EA "'s spin got");
	ck_assert_int_eq(sscanf(line, "cpu %lf", &a), 1);
	pclose(bg);
	/* Each jail is held to its 20%, and both got it while the other was spinning. */
	ck_assert_msg(a > 0.10 && a < 0.35 && b > 0.10 && b < 0.35, "a %.3f b %.3f", a, b);
}
END_TEST

/* ---- escapes from allowed programs (GTFOBins): whatever shell they give is still jailed ---- */

/* What the jail's pid 1 is called: the shell a program gave still runs in the jail. */
#define INIT_COMM "/proc/1/comm"

struct gtfo {
	const char *cmd;
	int code;
	const char *out;
};

static const struct gtfo gtfos[] = {
	{ "awk 'BEGIN { system(\"cat " INIT_COMM "; grep NoNewPrivs /proc/self/status\") }'", 0,
	  "corral-init\nNoNewPrivs:\t1\n" },
	{ "env /bin/sh -c 'cat " INIT_COMM "; grep CapEff /proc/self/status'", 0,
	  "corral-init\nCapEff:\t0000000000000000\n" },
	/* refused by rshell's secure modes (corral-policy(5)) before the jail is needed */
	{ "find /tmp -maxdepth 0 -exec cat " INIT_COMM " \\;", 126,
	  "corral: find: the action '-exec' writes or runs programs, which is not allowed\n" },
	{ "tar -C /tmp -cf /dev/null . --checkpoint=1 --checkpoint-action=exec='cat " INIT_COMM "'",
	  0, "corral-init\n" },
	{ "perl -e 'exec \"/bin/sh\", \"-c\", \"cat " INIT_COMM "; ls /etc/shadow 2>&1\"'", 2,
	  "corral-init\nls: cannot access '/etc/shadow': No such file or directory\n" },
	{ "git -c alias.x='!cat " INIT_COMM "' x", 126,
	  "corral: git: the option '-c' is not allowed\n" },
	{ "env /bin/sh -c 'unshare -U true 2>&1; echo $?'", 0, "~unshare: " },
	/* lexer tricks through ssh-style -c */
	{ "cat " INIT_COMM "; bash", 126,
	  "corral: bash is not an allowed command (type help for the list)\n" },
	{ "ba''sh", 126, "corral: bash is not an allowed command (type help for the list)\n" },
	{ "cat " INIT_COMM "\nbash", 2, "corral: control characters are not allowed (byte 0x0a)\n" },
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

/* The host pid of a user's jail's init, from jailctl list (0 when it has no jail). */
static pid_t init_pid_of(const char *user)
{
	char *out, *line, name[64];
	unsigned pid = 0;

	ck_assert_int_eq(run_capture(&out, "%s list --socket %s", jailctl, sock), 0);
	for (line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (sscanf(line, "%63s %u", name, &pid) == 2 && strcmp(name, user) == 0)
			break;
		else
			pid = 0;
	free(out);
	return (pid_t) pid;
}

/* Whether /proc/PID/status has "KEY:\tVALUE". */
static bool status_has(pid_t pid, const char *key, const char *value)
{
	char path[64], want[128], *text;
	bool found;

	snprintf(path, sizeof(path), "/proc/%d/status", (int) pid);
	snprintf(want, sizeof(want), "\n%s:\t%s\n", key, value);
	text = read_all(path);
	found = text && strstr(text, want);
	free(text);
	return found;
}

/* Once the jail is built its init keeps nothing: no capability, no way back to one, a filter
 * of its own.  Read from the host, where the jail cannot hide it. */
START_TEST(test_init_holds_nothing)
{
	char cmd[2600];
	pid_t init = 0;
	FILE *bg;

	/* A session held open while init is looked at (jails end with their last session). */
	snprintf(cmd, sizeof(cmd), "%s exec --socket %s %s -- /bin/sleep 3 </dev/null", jailctl,
		 sock, EA);
	bg = popen(cmd, "r");
	ck_assert_ptr_nonnull(bg);
	for (int i = 0; i < 50 && !init; i++) {
		usleep(100 * 1000);
		init = init_pid_of(EA);
	}
	ck_assert_msg(init > 0, "no jail listed for " EA);
	ck_assert_msg(status_has(init, "CapEff", "0000000000000000"), "init has capabilities");
	ck_assert_msg(status_has(init, "CapBnd", "0000000000000000"), "init's bounding set");
	ck_assert_msg(status_has(init, "NoNewPrivs", "1"), "init without no_new_privs");
	ck_assert_msg(status_has(init, "Seccomp", "2"), "init without a seccomp filter");
	pclose(bg);
}
END_TEST

/* PTRACE_TRACEME makes jaild (the parent) the tracer; the stop that follows is not an exit:
 * the process stays, stopped, its session open, and when continued it finishes normally and
 * its own exit status comes back. */
START_TEST(test_traceme_stop_is_not_an_exit)
{
	char cmd[2600], line[128] = "", path[64], *stat;
	pid_t pid = 0;
	FILE *bg;
	int code;

	snprintf(cmd, sizeof(cmd),
		 "%s exec --socket %s %s -- /opt/jtest/escape traceme-stop </dev/null 2>&1", jailctl,
		 sock, EA);
	bg = popen(cmd, "r");
	ck_assert_ptr_nonnull(bg);
	/* Find it stopped: a process of the user's, in state T, for up to 10 s. */
	for (int i = 0; i < 100 && !pid; i++) {
		char *ps;
		usleep(100 * 1000);
		run_capture(&ps, "ps -o pid=,stat= -u %u -o args= | awk '/traceme-stop/ && $2 ~ /[tT]/ "
				 "{ print $1 }'",
			    (unsigned) uid_of(EA));
		pid = (pid_t) atoi(ps);
		free(ps);
	}
	ck_assert_msg(pid > 0, "the process never stopped (or it ended)");
	usleep(300 * 1000); /* a wrong jaild would have ended the session by now */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
	stat = read_all(path);
	ck_assert_msg(stat && strstr(stat, ") T "), "not stopped: %s", stat ? stat : "gone");
	free(stat);
	ck_assert_msg(status_has(pid, "TracerPid", "0"), "jaild still traces it");
	ck_assert_int_eq(kill(pid, SIGCONT), 0);
	bg_line(bg, line, sizeof(line), "the continued process's \"resumed\"");
	code = pclose(bg);
	ck_assert_msg(strcmp(line, "resumed\n") == 0, "output '%s'", line);
	ck_assert_msg(WIFEXITED(code) && WEXITSTATUS(code) == 0, "jailctl exec status %d", code);
}
END_TEST

/* The session channel leads to jaild: only rshell holds it, never a program it runs, a full
 * shell, a program run through jailctl exec, nor any of their children. */
START_TEST(test_channel_only_rshell)
{
	char *out;

	out = jexec_ok(EA, "/bin/sh -c '/opt/jtest/escape fds-held'");
	ck_assert_str_eq(out, "3\n"); /* a full shell's child */
	free(out);
	/* 3 is the socket to rshell alone (CORRAL_SHELL_FD, rshell(1)), 4 ls's own directory */
	ck_assert_int_eq(rshell_as(&out, EG, "", "ls /proc/self/fd"), 0);
	ck_assert_str_eq(out, "0\n1\n2\n3\n4\n");
	free(out);
	ck_assert_int_eq(rshell_as(&out, EG, "", "env /opt/jtest/escape fds-held"), 0);
	ck_assert_str_eq(out, "4\n");
	free(out);
}
END_TEST

/* jaild writes the audit line of every spawn itself; what rshell reports is labelled as its
 * own; bytes outside printable UTF-8 reach the log escaped, from either. */
START_TEST(test_audit_lines_escaped)
{
	char *out, *log;

	/* (Control characters never get this far: the protocol refuses them.) */
	out = jexec_ok(EA, "/bin/echo 'a b' \"$(printf '\\342\\200\\256x\\377')\"");
	free(out);
	ck_assert_int_eq(rshell_as(&out, EG, "", "cat $(x) \342\200\256\377"), 2);
	free(out);
	log = jaild_log();
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(strstr(log, "audit: user " EA " session ") &&
			      strstr(log, ": jaild runs (stdio, one command, for admin uid 0): "
					  "/bin/echo 'a b' \\xe2\\x80\\xaex\\xff\n"),
		      "%s", tail(log));
	/* (Control characters: rshell turns them into '?' before it reports a line.) */
	ck_assert_msg(strstr(log, ": rshell: refused: cat $(x) \\xe2\\x80\\xae\\xff\n"),
		      "%s", tail(log));
	ck_assert_msg(strstr(log, ": jaild runs (stdio, one command, for the user): "
				  "/.corral/rshell --inner -c "),
		      "%s", tail(log));
	ck_assert_msg(!strchr(log, '\033') && !strchr(log, '\007') && !strchr(log, '\377'),
		      "a raw control byte reached the log");
	free(log);
}
END_TEST

/* A shell that floods the channel loses the excess; jaild says how much, once per burst. */
START_TEST(test_channel_rate_limited)
{
	char *out, *log;

	/* One audit line per line read: 1000 lines of a builtin (no process to start, so as
	 * fast as rshell reads them, however loaded the machine is) on stdin. */
	run_capture(&out,
		    "for i in $(seq 1000); do echo 'cd ~'; done | runuser -u %s -- env "
		    "CORRAL_SOCKET=%s %s",
		    EG, sock, rshell_bin);
	free(out);
	log = jaild_log();
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(strstr(log, "its session channel is over 20 messages a second"), "%s", tail(log));
	ck_assert_msg(strstr(log, "messages of its session channel"), "%s", tail(log));
	free(log);
}
END_TEST

/* session.max holds for sessions without PAM too: a third rshell -c while two run is refused,
 * and the count goes down when they end. */
START_TEST(test_session_max_without_pam)
{
	char cmd[2600], *out;
	FILE *held[2];

	snprintf(cmd, sizeof(cmd),
		 "runuser -u %s -- env CORRAL_SOCKET=%s %s -c cat >/dev/null 2>&1", EG, sock,
		 rshell_bin);
	for (int i = 0; i < 2; i++) {
		held[i] = popen(cmd, "w"); /* cat waits for our end of its input */
		ck_assert_ptr_nonnull(held[i]);
	}
	for (int i = 0; i < 50; i++) { /* both sessions open (jailctl list counts them) */
		char *list;
		unsigned n = 0;
		run_capture(&list, "%s list --socket %s | awk '$1 == \"%s\" { print $3 }'", jailctl,
			    sock, EG);
		n = (unsigned) atoi(list);
		free(list);
		if (n == 2)
			break;
		usleep(100 * 1000);
	}
	ck_assert_int_ne(rshell_as(&out, EG, "", "ls /"), 0);
	ck_assert_msg(strstr(out, "you already have 2 sessions open (the limit is 2)"), "%s", out);
	free(out);
	for (int i = 0; i < 2; i++)
		pclose(held[i]);
	ck_assert_int_eq(rshell_as(&out, EG, "", "ls /.corral"), 0);
	free(out);
}
END_TEST

/* A student's program cannot take over the rshell that ran it (and its session channel):
 * rshell is not dumpable, so neither ptrace nor /proc/PID/mem reaches it. */
START_TEST(test_rshell_not_traceable)
{
	char *out;

	ck_assert_int_eq(rshell_as(&out, EG, "", "env /opt/jtest/escape ptrace-parent"), 0);
	ck_assert_str_eq(out, "EPERM\n");
	free(out);
	ck_assert_int_eq(rshell_as(&out, EG, "", "env /opt/jtest/escape mem-parent"), 0);
	ck_assert_str_eq(out, "EACCES\n");
	free(out);
}
END_TEST

/* A process that makes jaild its tracer over and over is killed, and logged once. */
START_TEST(test_traceme_loop_killed)
{
	char *out, *log;
	int code = jexec(&out, EA, "/opt/jtest/escape traceme-loop 1000");

	ck_assert_msg(code == 137, "exit %d: %s", code, out);
	free(out);
	log = jaild_log();
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(strstr(log, "made jaild its tracer 64 times; killed"), "%s", tail(log));
	ck_assert_msg(count_text(log, "(PTRACE_TRACEME); released it") < 10,
		      "the releases were logged one by one");
	free(log);
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

/* After a test that holds sessions or leaves a stopped process, in the runner, however it
 * ended: the jails go, and with them what the test left running. */
static void end_jails(void)
{
	sh("for u in %s %s %s; do %s kill --socket %s $u; done >/dev/null 2>&1; true", EA, EB, EG,
	   jailctl, sock);
}

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
			      "\tenv = [\"HOME=%h\", \"ASAN_OPTIONS=detect_leaks=0\"]; };\n"
			      "session = { max = 2; };\n") < 0)
		exit(99);
	host_fixtures();
	jaild_pid = start_jaild();
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_attempt, 0, (int) (sizeof(attempts) / sizeof(attempts[0])));
	tcase_add_test(tc, test_memory_bomb_held);
	tcase_add_test(tc, test_cpu_hog_held);
	tcase_add_loop_test(tc, test_gtfo, 0, (int) (sizeof(gtfos) / sizeof(gtfos[0])));
	tcase_add_test(tc, test_env_injection);
	tcase_add_test(tc, test_init_holds_nothing);
	tcase_add_test(tc, test_rshell_not_traceable);
	add_test_cleanup(s, test_traceme_loop_killed, end_jails);
	tcase_add_test(tc, test_channel_only_rshell);
	tcase_add_test(tc, test_audit_lines_escaped);
	tcase_add_test(tc, test_channel_rate_limited);
	suite_add_tcase(s, tc);
	add_test_cleanup(s, test_session_max_without_pam, end_jails);
	add_test_cleanup(s, test_traceme_stop_is_not_an_exit, end_jails);
	code = run_suite(s);
	failed = code != EXIT_SUCCESS;
	host_fixtures_remove();
	if (harness_teardown(failed, users))
		code = EXIT_FAILURE;
	return code;
}
