/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Policies: a directory of libconfig files (default.conf, groups/NAME.conf, users/NAME.conf)
 * loaded and validated as a whole, then resolved per user into one effective policy whose every
 * value remembers the file and line that set it.  See corral-policy(5).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "parse-util.h"

/* Every key of the schema; policy-schema.c holds their names, types, ranges and defaults. */
enum pkey {
	PK_MATCH_ALL,
	PK_MATCH_USERS,
	PK_MATCH_GROUPS,
	PK_MATCH_UIDS,
	PK_INHERIT,
	PK_PRIORITY,
	PK_JAIL_HOSTNAME,
	PK_JAIL_NETWORK,
	PK_JAIL_BINDS,
	PK_JAIL_HOME,
	PK_JAIL_TMP,
	PK_JAIL_ETC,
	PK_LIMITS_MEMORY,
	PK_LIMITS_SWAP,
	PK_LIMITS_PIDS,
	PK_LIMITS_CPU,
	PK_LIMITS_IO_WEIGHT,
	PK_LIMITS_IO_READ,
	PK_LIMITS_IO_WRITE,
	PK_LIMITS_DISK,
	PK_LIMITS_INODES,
	PK_LIMITS_QUOTA_OPTIONAL,
	PK_LIMITS_QUOTA_KEEP,
	PK_LIMITS_NOFILE,
	PK_LIMITS_NPROC,
	PK_LIMITS_FSIZE,
	PK_LIMITS_CPU_TIME,
	PK_LIMITS_CORE,
	PK_LIMITS_AS,
	PK_LIMITS_DATA,
	PK_SHELL_PROGRAM,
	PK_SHELL_COMMANDS,
	PK_SHELL_PATH,
	PK_SHELL_PATHS,
	PK_SHELL_WARNINGS,
	PK_SHELL_IDLE,
	PK_SHELL_HISTORY,
	PK_SHELL_PROMPT,
	PK_SHELL_SCP,
	PK_SHELL_SFTP,
	PK_SHELL_RSYNC,
	PK_SHELL_SFTP_SERVER,
	PK_SHELL_RUN_OWN,
	PK_SHELL_JOBS,
	PK_SHELL_ENV,
	PK_SHELL_EXPORT,
	PK_SHELL_RULES,
	PK_SHELL_COMMANDS_ADD,
	PK_SHELL_COMMANDS_REMOVE,
	PK_SHELL_ALIASES,
	PK_SHELL_INTRO,
	PK_SHELL_UMASK,
	PK_SHELL_TIMEOUT,
	PK_SHELL_PATHS_DENY,
	PK_SHELL_SCP_UPLOAD,
	PK_SHELL_SCP_DOWNLOAD,
	PK_SHELL_AUDIT_FORMAT,
	PK_SHELL_ESCAPES,
	PK_SESSION_MAX,
	PK_SESSION_HOURS,
	PK_SESSION_LINGER,
	PK_SESSION_ON_DAEMON_DOWN,
	PK__COUNT
};

enum ptype {
	PT_BOOL,
	PT_INT,      /* VALUE_UNLIMITED where allowed ("unlimited") */
	PT_SIZE,     /* bytes in num; VALUE_UNLIMITED where allowed */
	PT_DURATION, /* seconds in num; VALUE_UNLIMITED where allowed */
	PT_PERCENT,  /* percent in num */
	PT_ENUM,     /* str, one of the key's choices; index in num */
	PT_STRING,   /* free text (prompt) */
	PT_HOSTNAME,
	PT_PROGRAM,  /* "rshell" or an absolute path */
	PT_PATH,
	PT_POLICYREF, /* "default", "groups/NAME" or "users/NAME" */
	PT_HOURS,
	PT_UIDS,
	PT_TEXT,     /* free text of several lines (intro) */
	PT_UMASK,    /* an octal string; the mask in num */
	PT_NAMES,    /* list of user or group names */
	PT_COMMANDS, /* list of command names or absolute paths */
	PT_PATHS,    /* list of canonical absolute paths */
	PT_ETCFILES, /* list of file names under /etc */
	PT_ENV,      /* list of NAME=VALUE */
	PT_ENVNAMES, /* list of variable names */
	PT_BINDS,
	PT_RULES,
	PT_ALIASES, /* a group NAME = "command words"; list of "NAME=TEXT" */
};

/* Keys that describe a file itself and are not inherited. */
#define PKEY_FILE_LOCAL(k) ((k) <= PK_PRIORITY)

struct pkey_info {
	const char *name; /* dotted: "limits.memory" */
	enum ptype type;
	int64_t min, max; /* ints, sizes, durations, percents; list lengths for lists */
	bool unlimited_ok;
	bool subst;                 /* %u %h %U are substituted at resolve time */
	const char *const *choices; /* PT_ENUM */
	const char *def;            /* built-in default as policy text, or NULL for unset */
	const char *doc;            /* one line for templates and help */
};

extern const struct pkey_info pkey_table[PK__COUNT];
/* Finds a key by dotted name; -1 when unknown. */
int pkey_lookup(const char *dotted);

struct bind {
	char *src;
	char *dst;
	bool ro;
	bool optional;
	int line;
};

struct arg_rule {
	char *command;
	char **deny; /* fnmatch patterns matched against each argument */
	int line;
};

struct pval {
	bool set;
	const char *file; /* the display path of the file that set it; "(built-in)" for defaults */
	int line;
	int64_t num;
	char *str;   /* scalar text as written (also for sizes, durations, percents) */
	char **list; /* list types */
	struct bind *binds;
	size_t nbinds;
	struct arg_rule *rules;
	size_t nrules;
	struct hours hours;
	struct uid_ranges uids;
};

struct policy {
	char *source; /* which file the policy came from ("users/ann"), or NULL for built-in */
	struct pval v[PK__COUNT];
};

void policy_free(struct policy *p);
static inline void policy_freep(struct policy **p)
{
	if (*p)
		policy_free(*p);
}
#define _cleanup_policy_ __attribute__((cleanup(policy_freep)))

/* Errors, each "FILE:LINE: KEY: what is wrong; what is expected". */
struct perr_list {
	char **msg;
	size_t n;
};
void perr_add(struct perr_list *l, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void perr_clear(struct perr_list *l);

struct pfile;

struct policy_set {
	char *dir;
	struct pfile *def; /* default.conf, may be NULL */
	struct pfile **files; /* groups and users, sorted by name */
	size_t nfiles;
};

struct policy_load_opts {
	/* Read this file instead of NAME's own (jailctl edit validates the edited copy in
	 * place); errors still name the real file. */
	const char *override_name; /* "users/ann" */
	const char *override_path;
	/* Tests and `jailctl check --no-owner-check` on unprivileged trees. */
	bool skip_owner_checks;
};

/* Loads and validates every file of dir.  Returns 0, or -EINVAL with errors in errs (the set is
 * not returned then: a set with any error is rejected whole), or another -errno. */
int policy_set_load(const char *dir, const struct policy_load_opts *opts, struct policy_set **ret,
		    struct perr_list *errs);
void policy_set_free(struct policy_set *s);

struct user_info {
	char *name;
	uid_t uid;
	gid_t gid;
	char *home;
	char *shell;
	char **groups; /* names of every group the user is in, primary first */
};
int user_info_from_nss(const char *name, struct user_info *ret);
/* getgrouplist() into a buffer grown as it asks: every gid of user (primary gid first). */
int nss_group_list(const char *user, gid_t gid, gid_t **ret, int *ret_n);
void user_info_clear(struct user_info *u);

/* Result of matching a user against the set. */
enum policy_match {
	POLICY_UNMATCHED = 0,
	POLICY_MATCHED = 1,
};

/* Finds the policy file for u (user file > group files by priority > default.conf when its
 * match says so), follows inherit chains and substitutes %u %h %U.  Returns POLICY_MATCHED with
 * *ret set, POLICY_UNMATCHED, or -EINVAL with the reason in errs. */
int policy_resolve(const struct policy_set *s, const struct user_info *u, struct policy **ret,
		   struct perr_list *errs);
/* A deep copy (values keep pointing at the set's file names for their origin). *//* Replaces %u %h %U (and %% by %) in the keys that substitute. */
int policy_substitute(struct policy *p, const struct user_info *u);
/* Reads one self-contained policy file (a jail's copy, written by policy_print without
 * origins) over the built-in defaults, with the loader's safety checks.  No substitution. */
int policy_load_single(const char *path, struct policy **ret, struct perr_list *errs);
/* Validates the text of one file as if it were NAME ("default", "groups/x", "users/x"): the
 * content rules, libconfig and the schema; no set-wide checks.  For fuzzing and tools. */
int policy_check_text(const char *name, const char *text, size_t len, struct perr_list *errs);
/* A deep copy that outlives its set (origins read "(copy)"). */
struct policy *policy_dup(const struct policy *p);
/* The built-in defaults alone (what a file that sets nothing gets). */
struct policy *policy_builtin(void);

/* Commands of the set that no jail would have: each entry of shell.commands and
 * shell.commands_add found in none of its file's shell.path directories, as seen on the host
 * through that file's jail.binds.  One warning per entry, "FILE:LINE: ..." (policy-commands.c). */
void policy_set_missing_commands(const struct policy_set *s, struct perr_list *warnings);

/* Writes the effective policy as libconfig text, each value followed by "# FILE:LINE". */
void policy_print(const struct policy *p, FILE *out, bool origins);

/* Low-level pieces exposed for tests and tools. */
int pval_parse_text(enum pkey k, const char *text, struct pval *out, char **ret_why);
void pval_clear(struct pval *v);
bool ptype_is_list(enum ptype t);
