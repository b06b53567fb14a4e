// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * jtest: runs inside a jail for the integration tests and prints one line of facts for each
 * request, so that tests assert on exact outcomes (errno names, counts) rather than on a shell's
 * wording.  Resource probes are C on purpose: bash retries a failed fork with growing sleeps.
 */

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EROFS: return "EROFS";
	case EAGAIN: return "EAGAIN";
	case ENOENT: return "ENOENT";
	case ENOSPC: return "ENOSPC";
	case EFBIG: return "EFBIG";
	case EMFILE: return "EMFILE";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case ENETUNREACH: return "ENETUNREACH";
	case ECONNREFUSED: return "ECONNREFUSED";
	default: return strerror(e);
	}
}

static int cmd_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	printf("%s\n", errname(fd < 0 ? errno : 0));
	return 0;
}

/* Forks n children that sleep; prints how many forks succeeded and the first error. */
static int cmd_fork(int n)
{
	int ok = 0, err = 0;
	pid_t pids[4096];

	for (int i = 0; i < n && i < 4096; i++) {
		pid_t p = fork();
		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0) {
			err = errno;
			break;
		}
		pids[ok++] = p;
	}
	printf("forked %d %s\n", ok, errname(err));
	fflush(stdout);
	for (int i = 0; i < ok; i++)
		kill(pids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}

/* Touches mb MiB one page at a time; the memory cgroup's OOM killer ends it. */
static int cmd_alloc(long mb)
{
	long page = sysconf(_SC_PAGESIZE);
	for (long i = 0; i < mb; i++) {
		char *p = malloc(1 << 20);
		if (!p) {
			printf("malloc failed at %ld\n", i);
			return 1;
		}
		for (long o = 0; o < (1 << 20); o += page)
			p[o] = 1;
	}
	printf("allocated %ld\n", mb);
	return 0;
}

/* Busy-loops for secs of wall time; prints CPU time used / wall time. */
static int cmd_spin(double secs)
{
	struct timespec a, b;
	struct rusage ru;
	volatile unsigned long x = 0;
	double wall;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		for (int i = 0; i < 100000; i++)
			x++;
		clock_gettime(CLOCK_MONOTONIC, &b);
		wall = (double) (b.tv_sec - a.tv_sec) + (double) (b.tv_nsec - a.tv_nsec) / 1e9;
	} while (wall < secs);
	getrusage(RUSAGE_SELF, &ru);
	printf("cpu %.3f\n", ((double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec / 1e6 +
			      (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec / 1e6) /
				     wall);
	return 0;
}

static int cmd_rlimits(void)
{
	static const struct {
		const char *name;
		int res;
	} r[] = { { "nofile", RLIMIT_NOFILE }, { "fsize", RLIMIT_FSIZE }, { "core", RLIMIT_CORE },
		  { "cpu", RLIMIT_CPU },       { "nproc", RLIMIT_NPROC }, { "as", RLIMIT_AS } };

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		struct rlimit rl;
		getrlimit(r[i].res, &rl);
		if (rl.rlim_cur == RLIM_INFINITY)
			printf("%s unlimited\n", r[i].name);
		else
			printf("%s %llu %llu\n", r[i].name, (unsigned long long) rl.rlim_cur,
			       (unsigned long long) rl.rlim_max);
	}
	return 0;
}

static int cmd_tmpsize(const char *path)
{
	struct statfs sf;
	if (statfs(path, &sf) < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	printf("%llu\n", (unsigned long long) sf.f_blocks * (unsigned long long) sf.f_bsize);
	return 0;
}

/* Lists network interfaces and whether each is up. */
static int cmd_netifs(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	for (i = ifs; i && i->if_name; i++) {
		struct ifreq ifr = { 0 };
		strncpy(ifr.ifr_name, i->if_name, IFNAMSIZ - 1);
		ioctl(s, SIOCGIFFLAGS, &ifr);
		printf("%s %s\n", i->if_name, (ifr.ifr_flags & IFF_UP) ? "up" : "down");
	}
	return 0;
}

static int cmd_unshare_user(void)
{
	printf("%s\n", errname(unshare(CLONE_NEWUSER) < 0 ? errno : 0));
	return 0;
}

static int cmd_tiocsti(int high_bits)
{
	char c = 'x';
	unsigned long req = TIOCSTI | (high_bits ? 0xffffffff00000000ul : 0);
	printf("%s\n", errname(syscall(SYS_ioctl, 0, req, &c) < 0 ? errno : 0));
	return 0;
}

/* Writes past RLIMIT_FSIZE (SIGXFSZ ignored, so the write fails with EFBIG). */
static int cmd_bigfile(const char *path, long kb)
{
	char buf[1024] = { 0 };
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = 0;
	signal(SIGXFSZ, SIG_IGN);
	for (long i = 0; fd >= 0 && i < kb; i++)
		if (write(fd, buf, sizeof(buf)) < 0) {
			e = errno;
			break;
		}
	printf("%s\n", errname(fd < 0 ? errno : e));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "write") && argc == 3)
		return cmd_write(argv[2]);
	if (!strcmp(argv[1], "fork") && argc == 3)
		return cmd_fork(atoi(argv[2]));
	if (!strcmp(argv[1], "alloc") && argc == 3)
		return cmd_alloc(atol(argv[2]));
	if (!strcmp(argv[1], "spin") && argc == 3)
		return cmd_spin(atof(argv[2]));
	if (!strcmp(argv[1], "rlimits"))
		return cmd_rlimits();
	if (!strcmp(argv[1], "statfs") && argc == 3)
		return cmd_tmpsize(argv[2]);
	if (!strcmp(argv[1], "netifs"))
		return cmd_netifs();
	if (!strcmp(argv[1], "unshare-user"))
		return cmd_unshare_user();
	if (!strcmp(argv[1], "tiocsti"))
		return cmd_tiocsti(argc == 3);
	if (!strcmp(argv[1], "bigfile") && argc == 4)
		return cmd_bigfile(argv[2], atol(argv[3]));
	fprintf(stderr, "jtest: unknown request %s\n", argv[1]);
	return 2;
}
