/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>

#define DEFAULT_POLICY_DIR "/etc/corral/policies"

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
};

/* Prints "jailctl: " and the message to stderr. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the verb's usage and help; returns the exit code for --help (0) or misuse (2). */
int verb_usage(const char *verb, int code);

int cmd_check(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_edit(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_status(int argc, char **argv);
