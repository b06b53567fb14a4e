/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>

#define DEFAULT_POLICY_DIR "/etc/corral/policies"
/* The group sshd's Match block names (README), and where sshd finds jailed users' keys. */
#define DEFAULT_JAILED_GROUP "jailed"
#define DEFAULT_KEYS_DIR "/etc/corral/authorized_keys"

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

/* Installs TEXT as KIND/NAME.conf the way edit does (lock, validate the whole set with it in
 * place, atomic rename, 0644 root:root); 0, or -1 after saying why. */
int policy_write_validated(const char *top, const char *kind, const char *name, const char *text,
			   bool must_be_new);

struct passwd;
struct home_owner;
/* home-move.c: the passwd home's files into the jail home j and back; each step resumable.
 * 0, or -1 after saying why. */
int home_move_in(const struct passwd *pw, const char *j, const struct home_owner *o,
		 const char *keys_dir);
int home_move_out(const struct passwd *pw, const char *j);
/* Copies the passwd home's .ssh/authorized_keys (the user's, at most 64 KiB) to keys_dir/USER,
 * root's, unless that exists; home_move_in calls it just before the move. */
int keys_install(const struct passwd *pw, const char *keys_dir);

int cmd_enroll(int argc, char **argv);
int cmd_unenroll(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_edit(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_doctor(int argc, char **argv);

struct policy;
struct user_info;
struct perr_list;
/* quota-check.c: adds an error for a quota key the host cannot enforce for u, or says a note
 * (once per key and file, remembered in *notes) when the policy makes it optional. */
void quota_check_user(const struct policy *p, const struct user_info *u, struct perr_list *errs,
		      char ***notes);
/* jailctl unenroll: removes the user's disk and inode quota unless limits.quota_keep. */
void quota_forget_user(const char *top, const char *name);
