// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * corral-bench-keys: keystroke round trip.  Runs COMMAND on a new pty, waits for its prompt
 * (output quiet for 300 ms), then RUNS times writes one key and times until its echo comes
 * back.  Prints "MEDIAN_US P99_US".  What answers is the shell's own line editor: bash's
 * readline on a plain pty, or rshell's readline in a jail behind rshell's pty proxy.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1e6 + (double) ts.tv_nsec / 1e3;
}

/* Reads until nothing came for quiet_ms; false on EOF or error. */
static bool drain(int fd, int quiet_ms)
{
	char buf[4096];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, quiet_ms) > 0)
		if (read(fd, buf, sizeof(buf)) <= 0)
			return false;
	return true;
}

/* Waits until byte c arrives (within 5 s). */
static bool await(int fd, char c)
{
	char buf[256];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		ssize_t n;
		if (poll(&p, 1, 5000) <= 0)
			return false;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return false;
		if (memchr(buf, c, (size_t) n))
			return true;
	}
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 200 };
	int runs = argc > 3 ? atoi(argv[1]) : 0, master, status;
	double *t;
	pid_t pid;

	if (runs < 1 || runs > 150 || strcmp(argv[2], "--") != 0) {
		/* at most 150 keys: one line of the 200 columns, so no wrapping redraws */
		fprintf(stderr, "usage: corral-bench-keys RUNS(1-150) -- COMMAND...\n");
		return 2;
	}
	t = calloc((size_t) runs, sizeof(double));
	pid = forkpty(&master, NULL, NULL, &ws);
	if (!t || pid < 0)
		return 1;
	if (pid == 0) {
		setenv("TERM", "xterm", 1);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	if (!drain(master, 300)) {
		fprintf(stderr, "corral-bench-keys: %s ended before its prompt\n", argv[3]);
		return 1;
	}
	for (int i = 0; i < runs; i++) {
		double t0 = now_us();
		if (write(master, "k", 1) != 1 || !await(master, 'k')) {
			fprintf(stderr, "corral-bench-keys: no echo from %s\n", argv[3]);
			kill(pid, SIGKILL);
			return 1;
		}
		t[i] = now_us() - t0;
		(void) drain(master, 2); /* whatever the editor drew besides the key */
	}
	/* End the line editor's session: kill the line, then end of input. */
	(void) !write(master, "\025\004", 2);
	(void) drain(master, 200);
	close(master);
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGHUP);
		waitpid(pid, &status, 0);
	}
	qsort(t, (size_t) runs, sizeof(double), cmp);
	printf("%.0f %.0f\n", t[(runs - 1) / 2], t[runs * 99 / 100 < runs ? runs * 99 / 100 : runs - 1]);
	free(t);
	return 0;
}
