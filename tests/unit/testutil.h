/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for the Check suites: temporary policy trees and running the built binaries. */
#pragma once

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static inline const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

/* A fresh root-owned 0755 directory; under /var/tmp because jails mount their own /tmp, so
 * a home there could not be bound.  Removed by rm_tree. */
static inline char *make_tmpdir(void)
{
	char *d = strdup("/var/tmp/corral-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(d));
	ck_assert_int_eq(chmod(d, 0755), 0);
	return d;
}

static inline void rm_tree(const char *d)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	ck_assert_int_eq(system(cmd), 0);
}

/* Writes dir/rel with mode 0644, creating groups/ or users/ as needed; 0 or -1.  Usable
 * outside a running test (fixtures in main). */
static inline int write_policy_file(const char *dir, const char *rel, const char *content)
{
	char path[1024];
	const char *slash = strchr(rel, '/');
	FILE *f;

	if (slash) {
		snprintf(path, sizeof(path), "%s/%.*s", dir, (int) (slash - rel), rel);
		(void) mkdir(path, 0755);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(content, f);
	if (fclose(f) != 0)
		return -1;
	return chmod(path, 0644);
}

static inline void put_file(const char *dir, const char *rel, const char *content)
{
	ck_assert_int_eq(write_policy_file(dir, rel, content), 0);
}

static inline char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	ck_assert_int_ge(getdelim(&buf, &len, '\0', f), 0);
	fclose(f);
	return buf;
}

/* Runs a shell command, capturing stdout and stderr together; returns the exit status. */
static inline int run_capture(char **out, const char *fmt, ...)
{
	char cmd[4096], *buf = NULL;
	size_t len = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	if (getdelim(&buf, &len, '\0', p) < 0) {
		free(buf);
		buf = strdup("");
	}
	st = pclose(p);
	*out = buf;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
