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
	int broker;      /* the end programs' shells ask through (broker.c), or -1 */
	int broker_peer; /* the end programs get (CORRAL_SHELL_FD), or -1 */
	bool nested;     /* a program's shell: the session's shell decides (nested.c) */
	bool interactive;
	bool command_mode; /* -c */
	bool quit;
	int exit_code;
};

/* A refusal: what the checks return instead of 0, with *why (allocated) for the user.  Each sets
 * the status of the line; a program that is allowed but not installed uses no warning. */
enum {
	REFUSED = -1,         /* status 126 */
	REFUSED_BUILTIN = -2, /* status 1, as the builtin itself fails */
	REFUSED_ABSENT = -3,  /* status 127, as sh's "not found" */
};

/* check.c: the decisions. */
bool is_builtin(const char *name);
int resolve_command(struct shell *sh, const char *name, char **ret_path, char **why);
int check_rules(struct shell *sh, const struct command *c, char **why);
/* Resolves path (relative to the cwd) and checks it lies under shell.paths (or is
 * /dev/null).  must_exist: the path itself must exist. */
int check_path(struct shell *sh, const char *path, bool must_exist, char **ret_real, char **why);
/* Expands the command's glob words in place (results confined to shell.paths). */
int expand_globs(struct shell *sh, struct command *c, char **why);
/* One expanded part of a line: every command resolved, its globs expanded, every argument rule
 * and redirection checked, builtins' arguments too.  (*ret_paths)[j] gets the program of
 * pl->cmds[j] (NULL for a builtin).  alone: the part is the whole line (transfers). */
int check_part(struct shell *sh, struct pipeline *pl, bool alone, char ***ret_paths, char **why);
/* The whole line before any of it runs: each part expanded with the values the parts before it
 * leave (exports, unsets, cd, as if each ran) and checked with check_part(). */
int check_line(struct shell *sh, const char *line, const struct cmdlist *l, char **why);
/* -c only: scp -t/-f, the sftp server and rsync --server, when the policy allows them. */
int check_transfer(struct shell *sh, const struct command *c, char **ret_path, char **why,
		   bool *ret_is_transfer);

/* alias.c: shell.aliases.  The alias text of name, or NULL. */
const char *alias_lookup(const struct shell *sh, const char *name);
/* Replaces an alias in the first word of c by its words. */
int expand_alias(struct shell *sh, struct command *c, char **why);

/* allow.c: exact command lines, existence, shell.paths_deny. */
/* c's words are exactly a shell.commands entry of several words. */
bool exact_entry_allows(const struct shell *sh, const struct command *c);
/* name through shell.path (or itself when absolute): its path, or NULL. */
char *find_program(const struct shell *sh, const char *name);
/* The command an entry names is in this jail. */
bool entry_installed(const struct shell *sh, const char *entry);
/* The shell.paths_deny entry that holds real (a resolved path), or NULL. */
const char *path_denied(const struct shell *sh, const char *real);
/* REFUSED with *why when an argument names an existing file in a denied place. */
int check_args_denied(const struct shell *sh, const struct command *c, char **why);

/* exec.c: a checked line; each part is expanded and checked again just before it runs (a part
 * refused then is refused, and the rest of the line does not run).  The last status. */
int run_line(struct shell *sh, const char *line, const struct cmdlist *l);
int exec_one(struct shell *sh, const struct command *c, const char *path);

/* builtins.c */
int run_builtin(struct shell *sh, const struct command *c);
/* cd's directory, export's and unset's names: REFUSED_BUILTIN with *why when not allowed. */
int check_builtin(struct shell *sh, const struct command *c, char **why);
/* What a checked builtin would change (variables, directory), done to sim, a copy of the shell
 * that the check of a line uses for the parts after it. */
void simulate_builtin(struct shell *sim, const struct command *c);
void print_help(struct shell *sh);

/* env.c: the session's variables */
const char *shell_getenv(const char *name, void *data);
int shell_setenv(struct shell *sh, const char *name, const char *value);
void shell_unsetenv(struct shell *sh, const char *name);
/* Where the lexer takes $VAR, $? and ~ from: the shell's values now. */
struct lex_env shell_lex_env(struct shell *sh);
/* MANPAGER (and LESSSECURE) for man, when the policy allows man. */
void man_env(struct shell *sh);

/* audit.c */
void audit(struct shell *sh, const char *verdict, const char *line);
int query_limits(struct shell *sh, char *out, size_t len);

/* inner.c */
int inner_main(int argc, char **argv);
/* Prints a refusal (r: what the check returned), audits it, counts it, and ends the session
 * when no warning is left. */
void refuse(struct shell *sh, const char *line, const char *why, int r);
/* refuse()'s bookkeeping (audit with verdict, count, the session's end) and the text it prints. */
char *refusal_note(struct shell *sh, const char *verdict, const char *line, const char *why, int r);
/* The shell's session: readline, stdin lines, or one -c line.  Frees what sh holds. */
int shell_run(struct shell *sh, const char *command);
int load_policy(struct shell *sh);
/* The status a refused line gets (126, 1 or 127). */
int refusal_status(int r);
int handle_line(struct shell *sh, const char *line);

/* broker.c: the session's shell answers the shells its programs start (nested.c). */
int broker_open(struct shell *sh);
/* In a child before execve: the environment it gets, with CORRAL_SHELL_FD naming the fd that
 * reaches the session's shell when it may ask (not for background jobs), else without it. */
char **broker_child_env(struct shell *sh, char **env, bool pass);
/* waitpid(-pgid, WUNTRACED) that answers programs' shells while it waits; when an answer ends
 * the session, the job is hung up. */
pid_t broker_waitpid(struct shell *sh, pid_t pgid, int *status);

/* nested.c: rshell -c LINE run by a program inside the jail. */
bool in_jail(void);
int nested_main(int argc, char **argv);
/* Asks the session's shell whether a checked line may run (and audits it there); 0 or
 * REFUSED with the message printed. */
int nested_ask(struct shell *sh, const char *line);
/* A refusal told to the session's shell, which audits and counts it and says what to print. */
void nested_refuse(struct shell *sh, const char *line, const char *why, int r);

/* secure.c: what rshell does to some programs whatever the rules say. */
int secure_check(struct shell *sh, const struct command *c, const char *path, char **why);
/* In the child: argv and environment of path in its secure mode. */
void secure_prepare(struct shell *sh, const char *path, char ***argv, char ***env);

/* complete.c */
void completion_setup(struct shell *sh);

/* outer.c */
int outer_main(const char *command, bool login);
