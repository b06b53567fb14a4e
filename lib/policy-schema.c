// SPDX-License-Identifier: GPL-3.0-or-later
/* The policy schema: every key, its type, range and built-in default.  corral-policy(5) documents
 * this table; tests/unit/check_schema.c checks that each default parses. */
#include "config.h"

#include <string.h>

#include "policy.h"

static const char *const network_choices[] = { "none", "loopback", "host", NULL };
static const char *const daemon_down_choices[] = { "deny", "allow", NULL };
static const char *const audit_format_choices[] = { "text", "json", NULL };

#define KiB INT64_C(1024)
#define MiB (KiB * 1024)
#define GiB (MiB * 1024)
#define TiB (GiB * 1024)

const struct pkey_info pkey_table[PK__COUNT] = {
	[PK_MATCH_ALL] = { "match.all", PT_BOOL,
			   .doc = "default.conf only: apply to every user no other file matches" },
	[PK_MATCH_USERS] = { "match.users", PT_NAMES, 0, 1024, .doc = "also match these users" },
	[PK_MATCH_GROUPS] = { "match.groups", PT_NAMES, 0, 1024,
			      .doc = "also match members of these groups" },
	[PK_MATCH_UIDS] = { "match.uids", PT_UIDS, .doc = "also match these uids (\"2000-2999\")" },
	[PK_INHERIT] = { "inherit", PT_POLICYREF,
			 .doc = "parent policy: \"default\", \"groups/NAME\" or \"users/NAME\"" },
	[PK_PRIORITY] = { "priority", PT_INT, -1000, 1000,
			  .doc = "group files: the higher wins when a user matches several" },

	[PK_JAIL_HOSTNAME] = { "jail.hostname", PT_HOSTNAME, .subst = true, .def = "corral",
			       .doc = "host name inside the jail's UTS namespace" },
	[PK_JAIL_NETWORK] = { "jail.network", PT_ENUM, .choices = network_choices, .def = "none",
			      .doc = "none | loopback | host" },
	[PK_JAIL_BINDS] = { "jail.binds", PT_BINDS, 0, 256, .subst = true, .def = "",
			    .doc = "bind mounts: ( { src = \"/usr\"; ro = true; }, ... )" },
	[PK_JAIL_HOME] = { "jail.home", PT_PATH, .subst = true, .def = "/home/.corral/%u",
			   .doc = "the user's files on the host, shown read-write at %h in the jail" },
	[PK_JAIL_TMP] = { "jail.tmp", PT_SIZE, MiB, 64 * GiB, .def = "64M",
			  .doc = "size of the jail's private /tmp" },
	[PK_JAIL_ETC] = { "jail.etc", PT_ETCFILES, 0, 64, .def = "",
			  .doc = "host files of /etc copied into the jail (never shadow)" },

	[PK_LIMITS_MEMORY] = { "limits.memory", PT_SIZE, 4 * MiB, TiB, true, .def = "512M",
			       .doc = "memory of the whole jail (cgroup)" },
	[PK_LIMITS_SWAP] = { "limits.swap", PT_SIZE, 0, TiB, true, .def = "0",
			     .doc = "swap of the whole jail (cgroup)" },
	[PK_LIMITS_PIDS] = { "limits.pids", PT_INT, 1, 4194304, .def = "64",
			     .doc = "processes and threads of the whole jail (cgroup)" },
	[PK_LIMITS_CPU] = { "limits.cpu", PT_PERCENT, 1, 100000, .def = "100%",
			    .doc = "CPU of the whole jail: 50% = half a CPU, 200% = two" },
	[PK_LIMITS_IO_WEIGHT] = { "limits.io_weight", PT_INT, 1, 10000, .def = "100",
				  .doc = "block I/O weight (cgroup), 100 = normal" },
	[PK_LIMITS_IO_READ] = { "limits.io_read", PT_SIZE, 64 * KiB, TiB, true,
				.doc = "reads per second from the jail home's disk (cgroup io.max); "
				       "unset by default" },
	[PK_LIMITS_IO_WRITE] = { "limits.io_write", PT_SIZE, 64 * KiB, TiB, true,
				 .doc = "writes per second to the jail home's disk (cgroup io.max); "
					"unset by default" },
	[PK_LIMITS_DISK] = { "limits.disk", PT_SIZE, MiB, TiB * 1024, true,
			     .doc = "space of the user's files in jail.home and writable binds "
				    "(filesystem quota); unset by default" },
	[PK_LIMITS_INODES] = { "limits.inodes", PT_INT, 16, INT64_C(4294967295), true,
			       .doc = "files and directories in jail.home and writable binds "
				      "(filesystem quota); unset by default" },
	[PK_LIMITS_QUOTA_OPTIONAL] = { "limits.quota_optional", PT_BOOL, .def = "false",
				       .doc = "where the host cannot enforce disk, inodes, io_read "
					      "or io_write: build the jail without them (logged) "
					      "instead of refusing it" },
	[PK_LIMITS_QUOTA_KEEP] = { "limits.quota_keep", PT_BOOL, .def = "false",
				   .doc = "the disk and inode quota belong to the user: kept when "
					  "the jail ends and at unenroll" },
	[PK_LIMITS_NOFILE] = { "limits.nofile", PT_INT, 16, 1048576, .def = "1024",
			       .doc = "open files per process (RLIMIT_NOFILE)" },
	[PK_LIMITS_NPROC] = { "limits.nproc", PT_INT, 1, 4194304,
			      .doc = "processes of the user (RLIMIT_NPROC); unset by default" },
	[PK_LIMITS_FSIZE] = { "limits.fsize", PT_SIZE, 0, TiB * 1024, true, .def = "1G",
			      .doc = "largest file a process may write (RLIMIT_FSIZE)" },
	[PK_LIMITS_CPU_TIME] = { "limits.cpu_time", PT_DURATION, 1, INT32_MAX, true,
				 .def = "unlimited", .doc = "CPU seconds per process (RLIMIT_CPU)" },
	[PK_LIMITS_CORE] = { "limits.core", PT_SIZE, 0, TiB, true, .def = "0",
			     .doc = "core dump size (RLIMIT_CORE)" },
	[PK_LIMITS_AS] = { "limits.as", PT_SIZE, 16 * MiB, TiB * 1024, true,
			   .doc = "address space per process (RLIMIT_AS); unset by default" },
	[PK_LIMITS_DATA] = { "limits.data", PT_SIZE, 16 * MiB, TiB * 1024, true,
			     .doc = "data segment per process (RLIMIT_DATA); unset by default" },

	[PK_SHELL_PROGRAM] = { "shell.program", PT_PROGRAM, .def = "rshell",
			       .doc = "\"rshell\", or a full shell such as \"/bin/bash\"" },
	[PK_SHELL_COMMANDS] = { "shell.commands", PT_COMMANDS, 0, 1024, .def = "ls, cat, echo",
				.doc = "commands rshell allows, found through shell.path" },
	[PK_SHELL_PATH] = { "shell.path", PT_PATHS, 1, 32, .def = "/usr/local/bin, /usr/bin, /bin",
			    .doc = "where allowed commands are looked up" },
	[PK_SHELL_PATHS] = { "shell.paths", PT_PATHS, 1, 64, .subst = true, .def = "%h, /tmp",
			     .doc = "where cd, redirections and globs may reach" },
	[PK_SHELL_WARNINGS] = { "shell.warnings", PT_INT, 1, 1000, .def = "3",
				.doc = "refusals before the session ends" },
	[PK_SHELL_IDLE] = { "shell.idle", PT_DURATION, 0, 7 * 86400, .def = "15m",
			    .doc = "idle time before logout; \"0\" never" },
	[PK_SHELL_HISTORY] = { "shell.history", PT_INT, 0, 100000, .def = "500",
			       .doc = "lines kept in ~/.rshell_history" },
	[PK_SHELL_PROMPT] = { "shell.prompt", PT_STRING, 0, 256, .def = "%u@%h:%w$ ",
			      .doc = "prompt: %u user, %h host name, %w directory, %% a percent" },
	[PK_SHELL_SCP] = { "shell.scp", PT_BOOL, .def = "false", .doc = "allow scp" },
	[PK_SHELL_SFTP] = { "shell.sftp", PT_BOOL, .def = "false", .doc = "allow sftp" },
	[PK_SHELL_RSYNC] = { "shell.rsync", PT_BOOL, .def = "false", .doc = "allow rsync --server" },
	[PK_SHELL_SFTP_SERVER] = { "shell.sftp_server", PT_PATH,
				   .def = "/usr/lib/openssh/sftp-server",
				   .doc = "the sftp-server program inside the jail" },
	[PK_SHELL_RUN_OWN] = { "shell.run_own", PT_BOOL, .def = "false",
			       .doc = "allow programs under writable shell.paths (./a.out)" },
	[PK_SHELL_JOBS] = { "shell.jobs", PT_BOOL, .def = "false", .doc = "allow background &" },
	[PK_SHELL_ENV] = { "shell.env", PT_ENV, 0, 64, .subst = true,
			   .def = "LANG=C.UTF-8, HOME=%h, USER=%u, LOGNAME=%u",
			   .doc = "environment of jailed processes (NAME=VALUE)" },
	[PK_SHELL_EXPORT] = { "shell.export", PT_ENVNAMES, 0, 64, .def = "LANG, LC_ALL, EDITOR",
			      .doc = "variables the user may export or unset" },
	[PK_SHELL_RULES] = { "shell.rules", PT_RULES, 0, 256, .def = "",
			     .doc = "argument rules: ( { command = \"find\"; deny = [\"-exec\"]; } )" },
	[PK_SHELL_COMMANDS_ADD] = { "shell.commands_add", PT_COMMANDS, 0, 1024,
				    .doc = "commands added to the parent's shell.commands" },
	[PK_SHELL_COMMANDS_REMOVE] = { "shell.commands_remove", PT_COMMANDS, 0, 1024,
				       .doc = "commands taken from the parent's shell.commands" },
	[PK_SHELL_ALIASES] = { "shell.aliases", PT_ALIASES, 0, 256, .def = "",
			       .doc = "aliases: { ll = \"ls -l\"; }, checked like any line" },
	[PK_SHELL_INTRO] = { "shell.intro", PT_TEXT, 0, 4096,
			     .doc = "text printed when an interactive session starts" },
	[PK_SHELL_UMASK] = { "shell.umask", PT_UMASK,
			     .doc = "file mode mask of the session, octal: \"027\"" },
	[PK_SHELL_TIMEOUT] = { "shell.timeout", PT_DURATION, 0, 7 * 86400, .def = "0",
			       .doc = "wall-clock time a command may run; \"0\" no limit" },
	[PK_SHELL_PATHS_DENY] = { "shell.paths_deny", PT_PATHS, 0, 64, .subst = true, .def = "",
				  .doc = "places inside shell.paths that are off limits" },
	[PK_SHELL_SCP_UPLOAD] = { "shell.scp_upload", PT_BOOL,
				  .doc = "allow scp uploads (scp -t); unset: as shell.scp" },
	[PK_SHELL_SCP_DOWNLOAD] = { "shell.scp_download", PT_BOOL,
				    .doc = "allow scp downloads (scp -f); unset: as shell.scp" },
	[PK_SHELL_AUDIT_FORMAT] = { "shell.audit_format", PT_ENUM, .choices = audit_format_choices,
				    .def = "text", .doc = "text | json: how rshell's audit lines read" },
	[PK_SHELL_ESCAPES] = { "shell.escapes", PT_BOOL, .def = "true",
			       .doc = "programs' shell escapes (vim :!, less !) go through rshell's "
				      "check; false: refused, and less, vim, awk in secure modes" },

	[PK_SESSION_MAX] = { "session.max", PT_INT, 1, 1000, .def = "4",
			     .doc = "sessions open at once" },
	[PK_SESSION_HOURS] = { "session.hours", PT_HOURS, .def = "always",
			       .doc = "when logins are allowed: \"Mon-Fri 08:00-20:00\"" },
	[PK_SESSION_LINGER] = { "session.linger", PT_DURATION, 0, 86400, .def = "0s",
				.doc = "how long the jail outlives its last session" },
	[PK_SESSION_ON_DAEMON_DOWN] = { "session.on_daemon_down", PT_ENUM,
					.choices = daemon_down_choices, .def = "deny",
					.doc = "deny | allow a login when jaild is unreachable" },
};

int pkey_lookup(const char *dotted)
{
	for (int k = 0; k < PK__COUNT; k++)
		if (strcmp(pkey_table[k].name, dotted) == 0)
			return k;
	return -1;
}
