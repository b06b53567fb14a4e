/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The end-to-end harness shared by the integration suites (harness.c). */
#pragma once

#include "testutil.h"

#include <stdbool.h>
#include <sys/types.h>

extern char base[256], sock[512], policies[512], jailctl[1024], jaild_bin[1024], cgroot[64];
extern char helpers[1024], rshell_bin[1024], admin_group[64];
extern pid_t jaild_pid;

/* Makes the base directory and the paths; creates the admin group. */
void harness_setup(const char *tag, const char *admin_group);
/* Stops jaild, removes users, group, cgroups and the base; true on a sanitizer report. */
bool harness_teardown(bool failed, const char *const *users);
void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
pid_t start_jaild(void);
void make_user(const char *name, const char *extra);
char *read_log(const char *path);
/* base/jaild.log, a moment after the last action (its lines reach the file a little later). */
char *jaild_log(void);
/* The end of a long text, for a failure message (Check bounds its messages); "(none)" for NULL. */
const char *tail(const char *s);
/* How many times needle occurs in hay (0 for a NULL hay). */
size_t count_text(const char *hay, const char *needle);
/* Writes policies/default.conf, the rshell jail most suites use: /usr, /bin, /lib, /lib64 and
 * /sbin bound (plus extra_binds, each starting with a comma), the jail home under base/jhome, no
 * network, memory as the memory limit, shell = { program = "rshell"; history = 0; the text shell;
 * env = [...]; }, then rest at the top level.  Exits 99 if it cannot. */
void write_jail_policy(const char *extra_binds, const char *memory, const char *shell,
		       const char *rest);
int jexec(char **out, const char *user, const char *cmd);
char *jexec_ok(const char *user, const char *cmd);
uid_t uid_of(const char *name);
/* Runs rshell -c CMD as user (with extra environment envs) through jaild; the exit code. */
int rshell_as(char **out, const char *user, const char *envs, const char *cmd);
/* A test in a test case of its own whose cleanup runs in the runner process after it, however it
 * ended: Check skips a checked teardown when a forked test fails or times out. */
#define add_test_cleanup(s, t, cleanup) add_test_cleanup_(s, t, cleanup, 60)
void add_test_cleanup_(Suite *s, const TTest *test, SFun cleanup, double timeout);
/* Runs a shell command whose output the test reads line by line; fails the test if it cannot. */
FILE *bg_start(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The next line of that output; where fgets would give NULL (the command ended or failed), fails
 * the test saying what was awaited and how the command ended. */
void bg_line(FILE *bg, char *line, int size, const char *awaited);
/* Nothing while jaild answers on sock; else starts another and records its pid in base/jaild.pid
 * (as the tests that restart it do).  For cleanups, which may not assert. */
void ensure_jaild(void);
/* tmux: the pane's text; wait (10 s) for text to show; send keys. */
char *pane(const char *name);
char *wait_for(const char *name, const char *text);
void keys(const char *name, const char *k);
