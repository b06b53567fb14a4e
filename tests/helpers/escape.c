// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * escape: the attempts a jailed user with a grudge would make, one per request, each printing
 * exactly what happened (an errno name, or a fact), for tests/escape/check_escape.c to assert.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

static int report(long r)
{
	if (r >= 0) {
		puts("ok");
		return 0;
	}
	switch (errno) {
	case EPERM: puts("EPERM"); break;
	case EACCES: puts("EACCES"); break;
	case EROFS: puts("EROFS"); break;
	case ENOENT: puts("ENOENT"); break;
	case ENOSYS: puts("ENOSYS"); break;
	case EXDEV: puts("EXDEV"); break;
	case ESRCH: puts("ESRCH"); break;
	case ENXIO: puts("ENXIO"); break;
	case EAGAIN: puts("EAGAIN"); break;
	case ENETUNREACH: puts("ENETUNREACH"); break;
	case ECONNREFUSED: puts("ECONNREFUSED"); break;
	case EAFNOSUPPORT: puts("EAFNOSUPPORT"); break;
	case EINVAL: puts("EINVAL"); break;
	case EPROTONOSUPPORT: puts("EPROTONOSUPPORT"); break;
	case EOPNOTSUPP: puts("EOPNOTSUPP"); break;
	case EBADF: puts("EBADF"); break;
	default: printf("errno %d (%s)\n", errno, strerror(errno)); break;
	}
	return 0;
}

static int status_line(const char *key)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = strlen(key);

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0 && line[n] == ':') {
			char *v = line + n + 1;
			while (*v == '\t' || *v == ' ')
				v++;
			fputs(v, stdout);
		}
	if (f)
		fclose(f);
	return 0;
}

/* For calls whose refusal is EPERM where libseccomp knows the name and ENOSYS where it is newer
 * than libseccomp: either is a refusal by the filter. */
static int refused(long r)
{
	if (r < 0 && (errno == EPERM || errno == ENOSYS)) {
		puts("refused");
		return 0;
	}
	return report(r);
}

/* A masked /proc file: absent, or empty where it is there. */
static int masked(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd < 0 && errno == ENOENT)
		puts("masked");
	else if (n == 0)
		puts("masked");
	else if (n > 0)
		printf("readable: %.*s\n", (int) (n > 20 ? 20 : n), buf);
	else
		report(-1);
	return 0;
}

static int chdir_loop(void)
{
	char cwd[4096];
	struct stat st;

	for (int i = 0; i < 100; i++)
		if (chdir("..") < 0)
			break;
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "?");
	printf("%s %s\n", cwd, stat("/etc/shadow", &st) == 0 ? "shadow-visible" : "no-shadow");
	return 0;
}

static int openat_dotdot(void)
{
	int fd = open("/", O_PATH | O_DIRECTORY), up = openat(fd, "../../../..", O_PATH);
	struct stat st;

	printf("%s\n", up >= 0 && fstatat(up, "etc/shadow", &st, 0) == 0 ? "shadow-visible"
									    : "no-shadow");
	return 0;
}

static int fds_held(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d))
			n++;
	closedir(d);
	printf("%d\n", n); /* stdin, stdout, stderr, the session channel */
	return 0;
}

static int nosuid_everywhere(void)
{
	FILE *f = fopen("/proc/self/mounts", "r");
	char dev[256], mnt[256], type[64], opts[512];
	int bad = 0;

	while (f && fscanf(f, "%255s %255s %63s %511s %*d %*d", dev, mnt, type, opts) == 4)
		if (!strstr(opts, "nosuid")) {
			printf("suid allowed on %s\n", mnt);
			bad = 1;
		}
	if (f)
		fclose(f);
	if (!bad)
		puts("nosuid everywhere");
	return 0;
}

static int tcp_connect(const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t) atoi(port)),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	return report(connect(s, (struct sockaddr *) &a, sizeof(a)));
}

static int unix_connect(const char *path, int abstract)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (abstract) {
		a.sun_path[0] = '\0';
		strncpy(a.sun_path + 1, path, sizeof(a.sun_path) - 2);
		len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path));
	} else {
		strncpy(a.sun_path, path, sizeof(a.sun_path) - 1);
		len = sizeof(a);
	}
	return report(connect(s, (struct sockaddr *) &a, len));
}

static int fd_exhaust(void)
{
	int n = 0, fd;

	/* The highest fd reached + 1 is how many this process could hold. */
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		n = fd + 1;
	printf("%d %s\n", n, errno == EMFILE ? "EMFILE" : strerror(errno));
	return 0;
}

static int tmp_fill(void)
{
	static char buf[1 << 16];
	int fd = open("/tmp/fill", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t w;

	signal(SIGXFSZ, SIG_IGN);
	do
		w = write(fd, buf, sizeof(buf));
	while (w > 0);
	printf("%s\n", errno == ENOSPC ? "ENOSPC" : errno == EFBIG ? "EFBIG" : strerror(errno));
	unlink("/tmp/fill");
	return 0;
}

static int fork_bomb(void)
{
	int n = 0;

	for (;;) {
		pid_t p = fork();
		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0)
			break;
		n++;
	}
	printf("%s after %d\n", errno == EAGAIN ? "EAGAIN" : strerror(errno), n);
	fflush(stdout);
	kill(0, SIGKILL); /* ends the bomb, and this process */
	return 0;
}

int main(int argc, char **argv)
{
	const char *a = argc > 1 ? argv[1] : "", *arg = argc > 2 ? argv[2] : "";
	char c = 'x';
	struct stat st;
	struct statvfs sv;

	/* filesystem */
	if (!strcmp(a, "chdir-dotdot")) return chdir_loop();
	if (!strcmp(a, "chroot")) return report(chroot("/tmp"));
	if (!strcmp(a, "openat-dotdot")) return openat_dotdot();
	if (!strcmp(a, "fds-held")) return fds_held();
	if (!strcmp(a, "proc1-root")) { char b[256]; return report(readlink("/proc/1/root", b, sizeof(b))); }
	if (!strcmp(a, "proc1-cwd")) { char b[256]; return report(readlink("/proc/1/cwd", b, sizeof(b))); }
	if (!strcmp(a, "proc1-environ")) return report(open("/proc/1/environ", O_RDONLY));
	if (!strcmp(a, "self-root-shadow")) return report(open("/proc/self/root/etc/shadow", O_RDONLY));
	if (!strcmp(a, "write")) return report(open(arg, O_WRONLY | O_CREAT, 0644));
	if (!strcmp(a, "root-ro")) { statvfs("/", &sv); puts(sv.f_flag & ST_RDONLY ? "ro" : "rw"); return 0; }
	if (!strcmp(a, "nosuid")) return nosuid_everywhere();
	if (!strcmp(a, "mknod")) return report(mknod(arg, S_IFCHR | 0666, makedev(1, 3)));
	if (!strcmp(a, "open")) return report(open(arg, O_RDONLY));
	if (!strcmp(a, "open-rw")) return report(open(arg, O_RDWR));
	if (!strcmp(a, "hardlink")) return report(link(arg, "hardlink-attempt"));
	if (!strcmp(a, "symlink-out")) {
		unlink("to-shadow");
		if (symlink("/etc/shadow", "to-shadow") < 0)
			return report(-1);
		return report(open("to-shadow", O_RDONLY));
	}
	if (!strcmp(a, "stat")) return report(stat(arg, &st));
	/* privilege */
	if (!strcmp(a, "status")) return status_line(arg);
	if (!strcmp(a, "setuid0")) return report(setuid(0));
	if (!strcmp(a, "setgid0")) return report(setgid(0));
	if (!strcmp(a, "unshare-user")) return report(unshare(CLONE_NEWUSER));
	if (!strcmp(a, "unshare-mnt")) return report(unshare(CLONE_NEWNS));
	if (!strcmp(a, "unshare-net")) return report(unshare(CLONE_NEWNET));
	if (!strcmp(a, "clone-newuser")) {
		long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, 0);
		if (r == 0)
			_exit(0);
		return report(r);
	}
	if (!strcmp(a, "clone3")) return report(syscall(SYS_clone3, NULL, 0));
	if (!strcmp(a, "setns")) return report(setns(open("/proc/self/ns/mnt", O_RDONLY), 0));
	if (!strcmp(a, "mount")) return report(mount("none", "/tmp", "tmpfs", 0, NULL));
	if (!strcmp(a, "umount")) return report(umount2("/proc", MNT_DETACH));
	if (!strcmp(a, "pivot_root")) return report(syscall(SYS_pivot_root, "/tmp", "/tmp"));
	if (!strcmp(a, "keyctl")) return report(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
	if (!strcmp(a, "add_key")) return report(syscall(SYS_add_key, "user", "k", "v", 1, KEY_SPEC_SESSION_KEYRING));
	if (!strcmp(a, "bpf")) { union bpf_attr at = { 0 }; return report(syscall(SYS_bpf, BPF_PROG_LOAD, &at, sizeof(at))); }
	if (!strcmp(a, "perf_event_open")) {
		struct perf_event_attr pe = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(pe), .config = PERF_COUNT_SW_CPU_CLOCK };
		return report(syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0));
	}
	if (!strcmp(a, "userfaultfd")) return report(syscall(SYS_userfaultfd, 0));
	if (!strcmp(a, "io_uring_setup")) { char p[120] = { 0 }; return report(syscall(SYS_io_uring_setup, 4, p)); }
	if (!strcmp(a, "ptrace-attach")) return report(ptrace(PTRACE_ATTACH, 1, 0, 0));
	if (!strcmp(a, "ptrace-seize")) return report(ptrace(PTRACE_SEIZE, 1, 0, 0));
	if (!strcmp(a, "process_vm_readv")) {
		char b[8];
		struct iovec l = { b, 8 }, r = { (void *) 0x400000, 8 };
		return report(syscall(SYS_process_vm_readv, 1, &l, 1, &r, 1, 0));
	}
	if (!strcmp(a, "traceme-stop")) {
		/* jaild, the parent, becomes the tracer; the stop must not read as an exit. */
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			return report(-1);
		raise(SIGSTOP);
		puts("resumed");
		return 0;
	}
	if (!strcmp(a, "modify_ldt")) { char b[16]; return report(syscall(SYS_modify_ldt, 0, b, sizeof(b))); }
	if (!strcmp(a, "personality")) return report(syscall(SYS_personality, strtoul(arg, NULL, 0)));
	if (!strcmp(a, "syscall")) return refused(syscall(atol(arg), 0, 0, 0, 0, 0)); /* by number */
	if (!strcmp(a, "mbind")) return report(syscall(SYS_mbind, 0, 4096, 0, NULL, 0, 0));
	if (!strcmp(a, "set_mempolicy")) return report(syscall(SYS_set_mempolicy, 0, NULL, 0));
	if (!strcmp(a, "masked")) return masked(arg);
	if (!strcmp(a, "open-w")) return report(open(arg, O_WRONLY));
	if (!strcmp(a, "traceme-loop")) { /* N rounds of making jaild the tracer */
		signal(SIGTRAP, SIG_IGN);
		for (int i = 0; i < atoi(arg); i++) {
			if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
				return report(-1);
			syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGTRAP);
		}
		puts("all rounds");
		return 0;
	}
	/* The parent is the shell that ran this program (rshell, for an rshell user). */
	if (!strcmp(a, "ptrace-parent")) return report(ptrace(PTRACE_ATTACH, getppid(), 0, 0));
	if (!strcmp(a, "mem-parent")) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/mem", (int) getppid());
		return report(open(path, O_RDWR));
	}
	if (!strcmp(a, "kill")) return report(kill(atoi(arg), SIGKILL));
	if (!strcmp(a, "kill-all")) { kill(-1, SIGKILL); puts("sent"); return 0; }
	if (!strcmp(a, "init_module")) return report(syscall(SYS_init_module, NULL, 0, ""));
	if (!strcmp(a, "kexec_load")) return report(syscall(SYS_kexec_load, 0, 0, NULL, 0));
	if (!strcmp(a, "open_by_handle_at")) { char h[64] = { 0 }; return report(syscall(SYS_open_by_handle_at, AT_FDCWD, h, 0)); }
	if (!strcmp(a, "acct")) return report(acct("/tmp/acct"));
	if (!strcmp(a, "reboot")) return report(syscall(SYS_reboot, 0xfee1dead, 0x28121969, 0x4321fedc, NULL));
	if (!strcmp(a, "sethostname")) return report(sethostname("evil", 4));
	if (!strcmp(a, "setrlimit-raise")) { struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY }; return report(setrlimit(RLIMIT_NOFILE, &rl)); }
	/* terminal and IPC */
	if (!strcmp(a, "tiocsti")) return report(syscall(SYS_ioctl, 0, (unsigned long) TIOCSTI, &c));
	if (!strcmp(a, "tiocsti-high")) return report(syscall(SYS_ioctl, 0, 0xffffffff00000000ul | TIOCSTI, &c));
	if (!strcmp(a, "tioclinux")) return report(syscall(SYS_ioctl, 0, (unsigned long) TIOCLINUX, &c));
	if (!strcmp(a, "dev-tty")) return report(open("/dev/tty", O_RDWR));
	if (!strcmp(a, "unix")) return unix_connect(arg, 0);
	if (!strcmp(a, "abstract")) return unix_connect(arg, 1);
	if (!strcmp(a, "shmget")) return report(shmget((key_t) strtol(arg, NULL, 0), 0, 0));
	if (!strcmp(a, "mq_open")) return report(mq_open(arg, O_RDONLY));
	/* network */
	if (!strcmp(a, "tcp")) return tcp_connect(arg);
	if (!strcmp(a, "socket-family")) return report(socket(atoi(arg), SOCK_DGRAM, 0));
	if (!strcmp(a, "socketpair-family")) { int pair[2]; return report(socketpair(atoi(arg), SOCK_DGRAM, 0, pair)); }
	if (!strcmp(a, "socket-proto")) { /* FAMILY TYPE PROTOCOL */
		const char *proto = argc > 4 ? argv[4] : "0";
		return report(socket(atoi(arg), atoi(argv[3]), atoi(proto)));
	}
	/* other system call ABIs: i386 through int 0x80, x32 through the x32 bit */
	if (!strcmp(a, "int80")) {
		long ret;
		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory"); /* i386 getpid */
		printf("i386 getpid returned %ld\n", ret);
		return 0;
	}
	if (!strcmp(a, "x32")) {
		printf("x32 getpid returned %ld\n", syscall(0x40000000L | SYS_getpid));
		return 0;
	}
	/* resources */
	if (!strcmp(a, "fd-exhaust")) return fd_exhaust();
	if (!strcmp(a, "tmp-fill")) return tmp_fill();
	if (!strcmp(a, "fork-bomb")) return fork_bomb();
	fprintf(stderr, "escape: unknown attempt %s\n", a);
	return 2;
}
