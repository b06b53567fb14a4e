// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * corral-bench-timer: the clock of bench/.  Times RUNS executions (after a warm-up) and prints
 * "MEDIAN_US P99_US".  Two ways to run something:
 *
 *   corral-bench-timer RUNS -- COMMAND...
 *       fork, execvp and wait for COMMAND, with stdio on /dev/null: the cost of a process as a
 *       shell would pay it (bare /bin/true, unshare, bwrap, firejail, jailctl exec).
 *   corral-bench-timer RUNS --jaild SOCKET USER PROGRAM
 *       from this one running client, ask jaild to EXEC PROGRAM in USER's jail and wait for its
 *       exit status: the daemon's whole path without a client process's own start-up.
 *
 * With --kill-first SOCKET USER before either, USER's jail is killed (untimed) before each run,
 * so that every run pays for building a new jail.
 *
 * Timing in C rather than in the shell: a shell's date(1) around each run costs more than the
 * thing measured.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "proto.h"

#define WARMUP 10

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1e6 + (double) ts.tv_nsec / 1e3;
}

static int run_command(char **argv, int null)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_jaild(const char *sock, const char *user, char *program, int null)
{
	char *argv[] = { program, NULL };

	return jaild_exec_wait(sock, user, argv, null);
}

static void kill_jail(const char *sock, const char *user)
{
	struct proto_msg q, r;
	const char *why = NULL;
	int fd = jaild_connect(sock, 10000);

	if (fd < 0)
		return;
	proto_msg_init(&q, MSG_KILL);
	q.user = (char *) user;
	if (jaild_call(fd, &q, &r, &why) == 0)
		proto_msg_clear(&r); /* OK, or ENOENT when there was no jail */
	close(fd);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static int usage(void)
{
	fprintf(stderr, "usage: corral-bench-timer RUNS [--kill-first SOCKET USER] -- COMMAND...\n"
			"       corral-bench-timer RUNS [--kill-first SOCKET USER] --jaild SOCKET USER "
			"PROGRAM\n");
	return 2;
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[1]) : 0, null = open("/dev/null", O_RDWR), failures = 0;
	const char *kill_sock = NULL, *kill_user = NULL;
	bool jaild;
	double *t;

	if (argc > 5 && strcmp(argv[2], "--kill-first") == 0) {
		kill_sock = argv[3];
		kill_user = argv[4];
		argv += 3;
		argc -= 3;
	}
	jaild = argc == 6 && strcmp(argv[2], "--jaild") == 0;
	if (runs < 1 || null < 0 || (!jaild && (argc < 4 || strcmp(argv[2], "--") != 0)))
		return usage();
	t = calloc((size_t) runs, sizeof(double));
	if (!t)
		return 1;
	for (int i = -WARMUP; i < runs; i++) {
		double t0;
		if (kill_sock)
			kill_jail(kill_sock, kill_user);
		t0 = now_us();
		int rc = jaild ? run_jaild(argv[3], argv[4], argv[5], null)
			       : run_command(argv + 3, null);
		double dt = now_us() - t0;
		if (rc != 0)
			failures++;
		if (i >= 0)
			t[i] = dt;
	}
	if (failures) {
		fprintf(stderr, "corral-bench-timer: %d of %d runs failed\n", failures,
			runs + WARMUP);
		free(t);
		return 1;
	}
	qsort(t, (size_t) runs, sizeof(double), cmp);
	printf("%.0f %.0f\n", t[(runs - 1) / 2], t[runs * 99 / 100 < runs ? runs * 99 / 100 : runs - 1]);
	free(t);
	return 0;
}
