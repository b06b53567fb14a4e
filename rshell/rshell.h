/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rshell's state and the pieces of the inner shell. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "policy.h"
#include "syntax.h"

#define JAIL_POLICY "/.corral/policy.conf"
#define HISTORY_FILE ".rshell_history"

struct shell {
	struct policy *p;
	char *user, *home, *hostname;
	char **env;      /* the environment programs get: jaild's, plus exports */
	char *prev_dir;  /* for cd - */
	int last_status;
	int warnings_left;
	int channel;     /* fd 3 from jaild, or -1 */
	bool interactive;
	bool command_mode; /* -c */
	bool quit;
	int exit_code;
};

/* check.c: the decisions.  Each returns 0, or -1 with *why (allocated) for the user. */
bool is_builtin(const char *name);
int resolve_command(struct shell *sh, const char *name, char **ret_path, char **why);
int check_rules(struct shell *sh, const struct command *c, char **why);
/* Resolves path (relative to the cwd) and checks it lies under shell.paths (or is
 * /dev/null).  must_exist: the path itself must exist. */
int check_path(struct shell *sh, const char *path, bool must_exist, char **ret_real, char **why);
/* Expands the command's glob words in place (results confined to shell.paths). */
int expand_globs(struct shell *sh, struct command *c, char **why);
/* The whole line: every command resolved, every redirection and argument rule checked.
 * paths[i][j] gets the program of pipes[i].cmds[j] (NULL for builtins). */
int check_cmdlist(struct shell *sh, struct cmdlist *l, char ****ret_paths, char **why);
void free_paths(char ***paths, const struct cmdlist *l);
/* -c only: scp -t/-f, the sftp server and rsync --server, when the policy allows them. */
int check_transfer(struct shell *sh, const struct command *c, char **ret_path, char **why,
		   bool *ret_is_transfer);

/* exec.c */
int run_cmdlist(struct shell *sh, struct cmdlist *l, char ***paths);
int exec_one(struct shell *sh, const struct command *c, const char *path);

/* builtins.c */
int run_builtin(struct shell *sh, const struct command *c);
void print_help(struct shell *sh);

/* env.c: the session's variables */
const char *shell_getenv(const char *name, void *data);
int shell_setenv(struct shell *sh, const char *name, const char *value);
void shell_unsetenv(struct shell *sh, const char *name);

/* audit.c */
void audit(struct shell *sh, const char *verdict, const char *line);
int query_limits(struct shell *sh, char *out, size_t len);

/* inner.c */
int inner_main(int argc, char **argv);
/* Prints a refusal, counts it, and ends the session when no warning is left. */
void refuse(struct shell *sh, const char *line, const char *why);
int handle_line(struct shell *sh, const char *line);

/* complete.c */
void completion_setup(struct shell *sh);

/* outer.c */
int outer_main(const char *command, bool login);
