// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Spawning a process into a jail.  The order, written once:
 *
 *   jaild --fork--> C1 (root, host namespaces)
 *     C1 (the user's groups were looked up by jaild, once per jail, with the host's NSS):
 *         opens the files to join the jail's cgroup (cg open_join); setns() into the jail through init's pidfd
 *         (mount, pid, ipc, uts, net); in pty mode opens the pty master in the jail's own
 *         devpts; clone(CLONE_PARENT) -> C2, so C2 is jaild's child but inside the jail's pid
 *         namespace; waits for C2's exec (CLOEXEC error pipe) and reports pid, result and
 *         master to jaild.  C1 never joins the cgroup, so it never counts against pids.max.
 *     C2: writes itself into the jail's cgroup, then takes its cgroup namespace;
 *         setsid; the pty slave as controlling terminal (or the caller's three fds); the session
 *         channel as fd 3, for rshell only (no other program has a use for it); rlimits; bounding and ambient caps dropped; setgroups, setresgid,
 *         setresuid; verify no capability is left and root cannot be regained; no_new_privs;
 *         all other fds closed; environment rebuilt from the policy; seccomp; execve.
 *
 * jaild does not wait for C1: spawn_begin() forks it and returns, and the loop calls
 * spawn_finish() when the report arrives, so a slow spawn never stalls other clients.
 * jaild never looks a process up in /proc: it joins init by the pidfd it holds.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"
#include "fd-util.h"
#include "jaild.h"
#include "log.h"
#include "strv.h"

struct report {
	int32_t err;
	int32_t pid;
	char text[512];
};

/* Between fork and exec: report to the CLOEXEC pipe and leave (bwrap die_with_error). */
static void __attribute__((noreturn, format(printf, 2, 3))) die(int errfd, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		(void) !write(errfd, buf, (size_t) n < sizeof(buf) ? (size_t) n : sizeof(buf) - 1);
	_exit(127);
}

/* Moves fd to at least 10 so that dup2 onto 0..3 cannot clobber it. */
static int lift(int fd)
{
	int n;

	if (fd < 0 || fd >= 10)
		return fd;
	n = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	close(fd);
	return n;
}

static char **build_env(const struct jail *j, const struct spawn_req *r)
{
	const struct policy *p = j->policy;
	char **env = calloc(1, sizeof(char *)), buf[4096];
	const struct pval *path = &p->v[PK_SHELL_PATH];
	size_t off = 0;

	if (!env)
		return NULL;
	for (size_t i = 0; p->v[PK_SHELL_ENV].list && p->v[PK_SHELL_ENV].list[i]; i++)
		(void) strv_push(&env, p->v[PK_SHELL_ENV].list[i]);
	off = (size_t) snprintf(buf, sizeof(buf), "PATH=");
	for (size_t i = 0; path->list && path->list[i] && off < sizeof(buf); i++)
		off += (size_t) snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? ":" : "",
					 path->list[i]);
	(void) strv_push(&env, buf);
	snprintf(buf, sizeof(buf), "TERM=%s", r->term && r->term[0] ? r->term : "dumb");
	(void) strv_push(&env, buf);
	snprintf(buf, sizeof(buf), "SHELL=%s",
		 streq(p->v[PK_SHELL_PROGRAM].str, "rshell") ? JAIL_RSHELL
							     : p->v[PK_SHELL_PROGRAM].str);
	(void) strv_push(&env, buf);
	if (r->session_id) {
		snprintf(buf, sizeof(buf), "CORRAL_SESSION=%s", r->session_id);
		(void) strv_push(&env, buf);
	}
	if (r->channel)
		(void) strv_push(&env, "CORRAL_CHANNEL=3");
	return env;
}

/* C2: becomes the jailed process.  Never returns. */
static void __attribute__((noreturn))
exec_child(struct jaild *d, const struct spawn_req *r, const char *slave, int master, int chan,
	   int errfd, const gid_t *gids, size_t ngids, const int *join, size_t njoin)
{
	struct jail *j = r->jail;
	sigset_t none;
	char **env;
	int fd;

	if ((fd = cg_join_self(d->cg, join, (int) njoin)) < 0)
		die(errfd, "cannot join the jail's cgroup: %s", strerror(-fd));
	if (setns(j->init_pidfd, CLONE_NEWCGROUP) < 0)
		die(errfd, "cannot enter the jail's cgroup namespace: %s", strerror(errno));
	if (setsid() < 0)
		die(errfd, "setsid: %s", strerror(errno));
	if (r->mode == SPAWN_PTY) {
		struct winsize ws = { .ws_row = (unsigned short) (r->rows ? r->rows : 24),
				      .ws_col = (unsigned short) (r->cols ? r->cols : 80) };
		fd = open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0)
			die(errfd, "cannot open the terminal %s: %s", slave, strerror(errno));
		/* The user owns their terminal, as login would arrange. */
		if (fchown(fd, j->uid, 5) < 0 || fchmod(fd, 0620) < 0 ||
		    ioctl(fd, TIOCSWINSZ, &ws) < 0)
			die(errfd, "cannot set up the terminal: %s", strerror(errno));
		close(master);
		if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			die(errfd, "dup2: %s", strerror(errno));
		if (fd > 2)
			close(fd);
	} else {
		for (int i = 0; i < 3; i++)
			if (dup2(r->stdio[i], i) < 0)
				die(errfd, "dup2: %s", strerror(errno));
	}
	if (chan >= 0 && dup2(chan, 3) < 0)
		die(errfd, "dup2: %s", strerror(errno));
	if (rlimits_apply(j->policy) < 0)
		die(errfd, "cannot set resource limits: %s", strerror(errno));
	if (caps_drop_all() < 0)
		die(errfd, "cannot drop the capability bounding set: %s", strerror(errno));
	if (setgroups(ngids, gids) < 0 || setresgid(j->gid, j->gid, j->gid) < 0 ||
	    setresuid(j->uid, j->uid, j->uid) < 0)
		die(errfd, "cannot become %s: %s", j->user, strerror(errno));
	if (caps_verify_none() < 0)
		die(errfd, "capabilities remain after dropping them; refusing to run");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die(errfd, "cannot set no_new_privs: %s", strerror(errno));
	if (chdir(j->home) < 0 && chdir("/") < 0)
		die(errfd, "cannot chdir: %s", strerror(errno));
	close_all_fds_except(chan >= 0 ? 4 : 3, &errfd, 1);
	env = build_env(j, r);
	if (!env)
		die(errfd, "out of memory");
	signal(SIGPIPE, SIG_DFL); /* the one disposition jaild changes (main.c) */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (seccomp_install(d->seccomp.jail, JAIL_FILTERS) < 0)
		die(errfd, "cannot load the seccomp filter");
	execve(r->argv[0], r->argv, env);
	die(errfd, "cannot run %s: %s", r->argv[0], strerror(errno));
}

/* C1: joins the jail, starts C2, reports.  Never returns. */
static void __attribute__((noreturn))
join_child(struct jaild *d, const struct spawn_req *r, int report, int chan)
{
	struct jail *j = r->jail;
	struct report rep = { 0 };
	int master = -1, errp[2], ns, n, join[CG_V1_CONTROLLERS], njoin;
	char slave[64] = "";
	bool joined;
	pid_t c2;

	njoin = d->cg->be->open_join(d->cg, j->cgname, join, sizeof(join) / sizeof(join[0]));
	if (njoin < 0) {
		rep.err = njoin;
		snprintf(rep.text, sizeof(rep.text), "cannot open the jail's cgroup: %s",
			 strerror(-njoin));
		goto out;
	}
	ns = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
	if (j->policy->v[PK_JAIL_NETWORK].num != 2)
		ns |= CLONE_NEWNET;
	if (setns(j->init_pidfd, ns) < 0) {
		rep.err = -errno;
		snprintf(rep.text, sizeof(rep.text), "cannot enter the jail: %s", strerror(errno));
		goto out;
	}
	if (r->mode == SPAWN_PTY) {
		/* The jail's /dev/ptmx: its own devpts instance, invisible to the host. */
		master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (master < 0 || unlockpt(master) < 0 || ptsname_r(master, slave, sizeof(slave))) {
			rep.err = -errno;
			snprintf(rep.text, sizeof(rep.text), "cannot open a terminal in the jail: %s",
				 strerror(errno));
			goto out;
		}
	}
	if (pipe2(errp, O_CLOEXEC) < 0) {
		rep.err = -errno;
		goto out;
	}
	/* CLONE_PARENT: C2 is jaild's child, so jaild reaps it and reads its status. */
	c2 = cg_clone(d->cg, CLONE_PARENT, 0, join, njoin, &joined);
	if (c2 == 0) {
		close(errp[0]);
		close(report);
		exec_child(d, r, slave, master, chan, errp[1], j->groups, (size_t) j->ngroups, join,
			   joined ? 0 : (size_t) njoin);
	}
	close(errp[1]);
	for (int i = 0; i < njoin; i++)
		close(join[i]);
	if (c2 < 0) {
		rep.err = -errno;
		snprintf(rep.text, sizeof(rep.text), "cannot start the process: %s", strerror(errno));
		goto out;
	}
	rep.pid = c2;
	n = (int) read(errp[0], rep.text, sizeof(rep.text) - 1);
	if (n > 0) {
		rep.text[n] = '\0';
		rep.err = -EIO;
	}
out:
	(void) send_with_fds(report, &rep, sizeof(rep), &master, master >= 0 && !rep.err ? 1 : 0);
	_exit(0);
}

/* The user's supplementary groups, from the host's NSS, once per jail. */
static int jail_groups(struct jail *j)
{
	return j->ngroups >= 0 ? 0 : nss_group_list(j->user, j->gid, &j->groups, &j->ngroups);
}

int spawn_begin(struct jaild *d, const struct spawn_req *r, pid_t *ret_helper, int *ret_report,
		int *ret_channel)
{
	int report[2], chan[2] = { -1, -1 }, keep[6];
	size_t nkeep = 0;
	pid_t c1;
	int e = jail_groups(r->jail);

	if (e < 0)
		return e;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, report) < 0)
		return -errno;
	/* jaild's end of the channel never blocks: the process at the other end is the user's,
	 * and one that stopped reading the answers must not stop the loop (rshell's end blocks). */
	if (r->channel && (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, chan) < 0 ||
			   fcntl(chan[0], F_SETFL, O_NONBLOCK) < 0)) {
		e = -errno;
		close(report[0]);
		close(report[1]);
		if (chan[0] >= 0) {
			close(chan[0]);
			close(chan[1]);
		}
		return e;
	}
	c1 = fork();
	if (c1 == 0) {
		int rp = lift(report[1]), ch = lift(chan[1]);
		struct spawn_req copy = *r;
		(void) fcntl(rp, F_SETFL, 0); /* C1's end blocks */
		for (int i = 0; i < 3 && r->mode == SPAWN_STDIO; i++)
			copy.stdio[i] = lift(r->stdio[i]);
		copy.jail->init_pidfd = lift(r->jail->init_pidfd);
		keep[nkeep++] = rp;
		if (ch >= 0)
			keep[nkeep++] = ch;
		keep[nkeep++] = copy.jail->init_pidfd;
		for (int i = 0; i < 3 && r->mode == SPAWN_STDIO; i++)
			keep[nkeep++] = copy.stdio[i];
		close_all_fds_except(3, keep, nkeep);
		join_child(d, &copy, rp, ch);
	}
	close(report[1]);
	if (chan[1] >= 0)
		close(chan[1]);
	if (c1 < 0) {
		close(report[0]);
		if (chan[0] >= 0)
			close(chan[0]);
		return -errno;
	}
	*ret_helper = c1;
	*ret_report = report[0];
	*ret_channel = chan[0];
	return 0;
}

int spawn_finish(int report, int mode, pid_t *ret_pid, int *ret_master, char **ret_why)
{
	struct report rep = { 0 };
	int fds[FDS_MAX];
	size_t nfds = 0;
	ssize_t n = recv_with_fds(report, &rep, sizeof(rep), fds, &nfds);

	*ret_why = NULL;
	*ret_master = -1;
	if (n == -EAGAIN)
		return -EAGAIN;
	if (n != (ssize_t) sizeof(rep) || rep.err || nfds != (mode == SPAWN_PTY ? 1u : 0u)) {
		close_fds(fds, nfds);
		if (n == (ssize_t) sizeof(rep) && rep.err) {
			rep.text[sizeof(rep.text) - 1] = '\0';
			*ret_why = strdup(rep.text);
			return rep.err < 0 ? rep.err : -EIO;
		}
		if (n == (ssize_t) sizeof(rep) && rep.pid > 0)
			(void) kill(rep.pid, SIGKILL);
		*ret_why = strdup(n <= 0 ? "the spawn helper ended without a report"
					 : "the spawn helper sent a bad report");
		return -EIO;
	}
	*ret_pid = rep.pid;
	*ret_master = nfds ? fds[0] : -1;
	return 0;
}

char **spawn_user_argv(struct jaild *d, const struct policy *p, const char *command)
{
	const char *prog = p->v[PK_SHELL_PROGRAM].str;
	char **argv = calloc(1, sizeof(char *));
	bool rshell = streq(prog, "rshell");

	if (!argv || (rshell && !d->rshell_path))
		goto fail;
	if (strv_push(&argv, rshell ? JAIL_RSHELL : prog) < 0)
		goto fail;
	if (rshell && strv_push(&argv, "--inner") < 0)
		goto fail;
	if (command && command[0]) {
		if (strv_push(&argv, "-c") < 0 || strv_push(&argv, command) < 0)
			goto fail;
	} else if (!rshell && strv_push(&argv, "-l") < 0) {
		goto fail;
	}
	return argv;
fail:
	strv_free(argv);
	return NULL;
}
