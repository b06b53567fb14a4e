/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jaild's state: one struct jaild, and lists of jails, sessions, connections and spawns. */
#pragma once

#include <stdbool.h>
#include <linux/filter.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "cgroup.h"
#include "policy.h"
#include "proto.h"

struct jaild;

/* Anything in the epoll set: the loop calls fn with the events. */
struct watch {
	int fd;
	void (*fn)(struct jaild *d, struct watch *w, uint32_t events);
	bool urgent; /* served before everything else: see main.c's loop */
};

struct jail {
	struct jail *next;
	char *user;
	char *cgname; /* its cgroup: the user's name, or USER:N while an old one is removed */
	uid_t uid;
	gid_t gid;
	char *home;
	struct policy *policy; /* the policy it was built with */
	pid_t init_pid;        /* in jaild's pid namespace */
	int init_pidfd;        /* how jaild holds and joins it; never a pid found in /proc */
	bool adopted;          /* from an earlier jaild: not our child, watched by pidfd */
	int nsessions;
	struct watch init_watch;  /* init's pidfd: the jail died */
	struct watch linger_watch; /* timerfd while no session is open */
	bool dying;
	/* While init builds the root, the requests that need the jail wait here and jaild goes
	 * on serving everyone else; ready_watch hears init's "OK" (or its error). */
	bool building;
	struct watch ready_watch;
	struct parked *waiters;
	/* Supplementary groups of the user, looked up once per jail (a change of groups
	 * applies to the next jail, as to the next login). */
	gid_t *groups;
	int ngroups; /* -1: not looked up yet */
};

struct session {
	struct session *next;
	char id[33];
	struct jail *jail;
	char *service, *tty, *rhost;
	pid_t login_pid;
	time_t opened;
	bool implicit; /* made for one SPAWN/EXEC; ends with its process */
	struct watch login_watch; /* pidfd of the login process: a session ends with it */
};

struct conn {
	struct conn *next;
	struct watch w;
	uid_t uid;
	gid_t gid;
	pid_t pid;
	bool admin;
	struct spawn *spawn; /* the spawn this connection waits on, if any */
	struct jail *parked_on; /* its request waits for this jail to be built */
	bool teardown_wait;     /* its kill waits for a cgroup's removal (teardown.c) */
};

struct spawn {
	struct spawn *next;
	pid_t pid; /* the jailed process, a child of jaild (CLONE_PARENT); 0 until reported */
	pid_t helper; /* C1, until it reports */
	int mode;
	char *program; /* for the log */
	struct conn *conn;
	struct session *session;
	struct watch report;  /* the helper's report, while pending */
	struct watch channel; /* jaild's end of the session channel (rshell's only) */
	double tokens;        /* the channel's rate limit: see server.c */
	int64_t refilled;     /* ms, monotonic */
	unsigned dropped;
	unsigned trace_stops; /* times it stopped with jaild as its tracer (main.c) */
};

/* Exit statuses of children reaped before their spawn's report was read; kept 10 s. */
#define EARLY_EXIT_KEEP_S 10
struct early_exit {
	pid_t pid;
	int status;
	time_t when;
};

/* seccomp.c: the jail's filters (the allow-list, then the ioctl filter) and its init's. */
#define JAIL_FILTERS 2
struct seccomp_filters {
	struct sock_fprog jail[JAIL_FILTERS];
	struct sock_fprog init;
};

struct jaild {
	const char *policy_dir;
	const char *runtime_dir;
	const char *cgroup_root;
	const char *cgroup_backend;
	const char *rshell_path; /* bound into every jail at JAIL_RSHELL */
	const char *admin_group;
	gid_t admin_gid;
	bool have_admin_group;
	bool foreground, debug;
	struct policy_set *policies;
	struct cgroups *cg;
	struct seccomp_filters seccomp; /* compiled once */
	int epfd;
	struct watch urgent; /* an epoll set of the urgent watches, itself watched in epfd */
	struct watch listen, signals;
	struct jail *jails;
	struct session *sessions;
	struct conn *conns;
	struct spawn *spawns;
	int nconns;
	bool quit;
	time_t started;
	char *stage_dir; /* RUNTIME/root: where a jail's root is built inside its mount namespace */
	struct early_exit *early;
	size_t nearly;
	char *argv_area; /* jaild's own command line, overwritten in each jail's init */
	size_t argv_area_len;
	struct teardown *teardowns; /* cgroups being removed by workers (teardown.c) */
	unsigned cgroup_seq;
};

#define JAIL_RSHELL "/.corral/rshell"
/* The service of an admin's jailctl exec: its session is not the user's (session.max). */
#define SESSION_SERVICE_EXEC "jailctl-exec"
/* The session channel: messages a second, and the burst allowed above that. */
#define CHANNEL_RATE 20
#define CHANNEL_BURST 100
#define CONNS_MAX 1024
#define CONNS_PER_UID_MAX 64
#define JAIL_READY_TIMEOUT_MS 10000
#define SPAWN_REPORT_TIMEOUT_MS 10000
/* Urgent events served in a row before one ordinary event gets its turn. */
#define URGENT_BURST 16

/* main.c */
/* Reaps every child that has ended (spawned processes, jail inits); never blocks. */
void reap_children(struct jaild *d);
int watch_add(struct jaild *d, struct watch *w, uint32_t events);
int watch_mod(struct jaild *d, struct watch *w, uint32_t events);
void watch_del(struct jaild *d, struct watch *w);

/* server.c */
void server_accept(struct jaild *d, struct watch *w, uint32_t events);
void conn_close(struct jaild *d, struct conn *c);
/* A request that needs a jail still being built: keep it (taking m's contents) and stop
 * reading the connection until server_resume_waiters() or server_fail_waiters(). */
void server_park(struct jaild *d, struct conn *c, struct jail *j, struct proto_msg *m);
/* The jail is ready: run each waiting request again, in order. */
void server_resume_waiters(struct jaild *d, struct jail *j);
/* The jail could not be built: tell each waiting peer. */
void server_fail_waiters(struct jaild *d, struct jail *j, const char *why);

/* session.c */
struct session *session_find(struct jaild *d, const char *id);
struct session *session_open(struct jaild *d, struct jail *j, const char *service, const char *tty,
			     const char *rhost, pid_t login_pid, bool implicit);
void session_close(struct jaild *d, struct session *s);
int session_count_user(struct jaild *d, uid_t uid);

/* jail.c */
struct jail *jail_find(struct jaild *d, const char *user);
/* Finds the user's jail or builds it; on failure *ret_why says why, for the peer and the log. */
/* Returns 0 with the user's ready jail, -EINPROGRESS with one being built (the caller parks
 * its request: server_park), or -errno with *ret_why. */
int jail_get(struct jaild *d, const struct user_info *u, const struct policy *p, struct jail **ret,
	     char **ret_why);
int jail_linger_setup(struct jaild *d, struct jail *j);
void jail_session_added(struct jaild *d, struct jail *j);
void jail_session_removed(struct jaild *d, struct jail *j);
/* Arms the linger timer: with no session left, the jail ends when it fires. */
void jail_linger_start(struct jail *j);
void jail_destroy(struct jaild *d, struct jail *j, const char *why);
void jail_adopt_or_clean(struct jaild *d);
bool jail_reaped(struct jaild *d, pid_t pid, int status);

/* teardown.c: a jail's cgroup killed and removed by a worker process, off the loop. */
struct teardown;
/* The cgroup name for a new jail of user: the user's name unless that one is still being
 * removed.  Allocated. */
char *teardown_cgroup_name(struct jaild *d, const char *user);
void teardown_start(struct jaild *d, const char *cgname);
/* Makes c's answer (OK, or why not) wait until cgname is removed; false if it is not
 * being removed. */
bool teardown_wait(struct jaild *d, const char *cgname, struct conn *c);
void teardown_forget_conn(struct jaild *d, struct conn *c);
/* A worker ended: true when pid was one. */
bool teardown_reaped(struct jaild *d, pid_t pid, int status);
/* At exit: waits for the workers still running. */
void teardown_wait_all(struct jaild *d);

/* mount.c: runs in the new jail's init, as root in new namespaces. */
struct jail_build {
	const struct policy *policy;
	const char *stage;
	const char *rshell;
	const char *user;
	uid_t uid;
	gid_t gid;
	const char *home;
	char **groups;     /* names */
	gid_t *group_gids; /* matching gids */
	size_t ngroups;
};
/* Builds the root and pivots into it; returns 0 or -errno with *ret_why set (static text or
 * allocated: the child exits right after, so it is never freed). */
int mount_build_root(const struct jail_build *b, char **ret_why);
/* mount-proc.c: the jail's /proc under stage, after its /dev. */
int mount_proc(const char *stage, char **ret_why);

/* spawn.c */
struct spawn_req {
	struct jail *jail;
	int mode;
	char **argv; /* what to exec inside the jail */
	const char *term;
	unsigned rows, cols;
	int stdio[3];
	const char *session_id;
	bool channel; /* give it the session channel as fd 3: rshell only */
};
/* Forks the helper that starts the process; returns at once with the helper's pid, the report
 * socket (non-blocking) and jaild's end of the session channel (-1 without one). */
int spawn_begin(struct jaild *d, const struct spawn_req *r, pid_t *ret_helper, int *ret_report,
		int *ret_channel);
/* Reads the helper's report: the process's pid and, in pty mode, the master.  -EAGAIN when it
 * has not come yet; other errors with *ret_why. */
int spawn_finish(int report, int mode, pid_t *ret_pid, int *ret_master, char **ret_why);
void spawn_reaped(struct jaild *d, pid_t pid, int status);
/* Builds the argv a user's SPAWN runs: the policy's shell, with -c COMMAND if any. */
char **spawn_user_argv(struct jaild *d, const struct policy *p, const char *command);

/* caps.c, rlimit.c, seccomp.c, net.c: the pieces of the spawn order. */
int caps_drop_all(void);
int caps_verify_none(void);
int rlimits_apply(const struct policy *p);
/* Compiles the filters to BPF (once, at start); free with seccomp_filters_free(). */
int seccomp_compile_filters(struct seccomp_filters *ret);
void seccomp_filters_free(struct seccomp_filters *f);
/* Installs n filters in the calling process (no_new_privs must be set). */
int seccomp_install(const struct sock_fprog *progs, size_t n);
int net_loopback_up(void);

/* admin.c */
void admin_list(struct jaild *d, struct conn *c, bool one_user, uid_t uid);
int admin_reload(struct jaild *d, char **ret_why);
void admin_status(struct jaild *d, struct conn *c);

/* state.c: the records under RUNTIME/jails that let a restarted jaild adopt its jails. */
int state_write(struct jaild *d, const struct jail *j);
void state_remove(struct jaild *d, const char *user);
