// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Jails: one per user, created on first need, shared by that user's sessions, torn down when
 * the last session ends (after linger).  A jail is an init process cloned by jaild into new
 * mount, pid, ipc, uts (and net) namespaces; it joins the jail's cgroup before it takes a new
 * cgroup namespace, builds the root (mount.c), drops every capability, sets no_new_privs and
 * a seccomp filter of its own, and then only reaps.
 * jaild holds it by pidfd and joins it only through that pidfd.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/pidfd.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "fd-util.h"
#include "home.h"
#include "jaild.h"
#include "log.h"
#include "jail-quota.h"
#include "path.h"
#include "strv.h"

struct jail *jail_find(struct jaild *d, const char *user)
{
	for (struct jail *j = d->jails; j; j = j->next)
		if (streq(j->user, user) && !j->dying)
			return j;
	return NULL;
}

static void jail_free(struct jail *j)
{
	if (!j)
		return;
	if (j->init_pidfd >= 0)
		close(j->init_pidfd);
	if (j->linger_watch.fd >= 0)
		close(j->linger_watch.fd);
	if (j->ready_watch.fd >= 0)
		close(j->ready_watch.fd);
	policy_free(j->policy);
	free(j->groups);
	free(j->cgname);
	free(j->user);
	free(j->home);
	free(j);
}

/* The init of a jail: pid 1 of the new pid namespace. Never returns. */
static void __attribute__((noreturn))
init_main(struct jaild *d, const struct jail_build *b, const int *join, int njoin, int ready)
{
	char *why = NULL;
	sigset_t all;
	cap_t none;
	int keep[CG_V1_CONTROLLERS + 1];

	memcpy(keep, join, (size_t) njoin * sizeof(int));
	keep[njoin] = ready;
	close_all_fds_except(3, keep, (size_t) njoin + 1);
	prctl(PR_SET_NAME, "corral-init");
	/* In the jail's cgroup before anything is charged (born there, or moving now), then a
	 * cgroup namespace rooted there: the jail sees its own cgroup as "/". */
	if (cg_join_self(d->cg, join, njoin) < 0) {
		(void) !write(ready, "cannot join the jail's cgroup", 29);
		_exit(1);
	}
	if (unshare(CLONE_NEWCGROUP) < 0)
		why = (char *) "cannot create a cgroup namespace";
	else if (sethostname(b->policy->v[PK_JAIL_HOSTNAME].str,
			     strlen(b->policy->v[PK_JAIL_HOSTNAME].str)) < 0)
		why = (char *) "cannot set the host name";
	else if (b->policy->v[PK_JAIL_NETWORK].num == 1 && net_loopback_up() < 0)
		why = (char *) "cannot bring up lo";
	else if (mount_build_root(b, &why) < 0 && !why)
		why = (char *) "cannot build the root";
	if (!why) {
		/* init needs no privilege from here on: it only reaps. */
		for (int cap = 0; prctl(PR_CAPBSET_READ, cap) >= 0; cap++)
			(void) prctl(PR_CAPBSET_DROP, cap);
		none = cap_init();
		if (!none || cap_set_proc(none) < 0)
			why = (char *) "cannot drop capabilities";
		cap_free(none);
	}
	if (why) {
		(void) !write(ready, why, strlen(why));
		_exit(1);
	}
	/* ps in the jail reads init's command line: show a name, not jaild's options.  Only
	 * now: the options (policy dir, rshell path) live in that memory. */
	if (d->argv_area && d->argv_area_len > sizeof("corral-init")) {
		memset(d->argv_area, 0, d->argv_area_len);
		strcpy(d->argv_area, "corral-init");
	}
	/* From here init only waits: root without a capability (no one but root can signal or
	 * trace it, where an unused uid could be reached by whoever else runs as that uid), no
	 * way back to privilege, not dumpable, and a filter of the few calls it makes. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_DUMPABLE, 0) < 0) {
		(void) !write(ready, "cannot set no_new_privs", 23);
		_exit(1);
	}
	(void) !write(ready, "OK", 2);
	close(ready);
	if (seccomp_install(&d->seccomp.init, 1) < 0)
		_exit(1);
	for (;;) {
		siginfo_t si;
		if (sigwaitinfo(&all, &si) < 0)
			continue;
		if (si.si_signo == SIGTERM)
			_exit(0);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}

static int lookup_gids(const struct user_info *u, gid_t **ret_gids, size_t *ret_n)
{
	size_t n = strv_length(u->groups), k = 0;
	gid_t *g = calloc(n + 1, sizeof(gid_t));

	if (!g)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct group *gr = getgrnam(u->groups[i]);
		g[k++] = gr ? gr->gr_gid : u->gid;
	}
	*ret_gids = g;
	*ret_n = k;
	return 0;
}

static void on_linger(struct jaild *d, struct watch *w, uint32_t events)
{
	struct jail *j = (struct jail *) ((char *) w - offsetof(struct jail, linger_watch));
	uint64_t n;

	(void) events;
	(void) !read(w->fd, &n, sizeof(n));
	if (j->building) { /* the timer bounds the build while it runs */
		log_err("jail of %s: init did not build it within %d s", j->user,
			JAIL_READY_TIMEOUT_MS / 1000);
		jail_destroy(d, j, "not built in time");
		return;
	}
	if (j->nsessions > 0)
		return;
	/* An adopted jail's sessions were the old jaild's: keep it while anything besides init
	 * runs in it, and look again later. */
	if (j->adopted) {
		struct cg_stats st;
		if (d->cg->be->stats(d->cg, j->cgname, &st) == 0 && st.pids_cur > 1) {
			struct itimerspec t = { .it_value = { .tv_sec = 2 } };
			(void) timerfd_settime(w->fd, 0, &t, NULL);
			return;
		}
	}
	jail_destroy(d, j, "last session ended");
}

int jail_linger_setup(struct jaild *d, struct jail *j)
{
	j->linger_watch.fn = on_linger;
	return watch_add(d, &j->linger_watch, EPOLLIN);
}

/* The runtime dir must never be inside a jail: it holds jaild's socket. */
static bool binds_expose_runtime(struct jaild *d, const struct policy *p, const char **ret_src)
{
	const struct pval *b = &p->v[PK_JAIL_BINDS];

	for (size_t i = 0; i < b->nbinds; i++)
		if (path_is_under(d->runtime_dir, b->binds[i].src)) {
			*ret_src = b->binds[i].src;
			return true;
		}
	return false;
}

/*
 * Runs as root in jaild before a jail is built.  Host services that run as the user read their
 * passwd home, so it must be root's and hold nothing the user can write (home.h); the user's
 * files come from jail.home, which must be a real directory (no symlink on the way that a user
 * could have made) owned by the user.  Returns NULL, or why the jail is refused (allocated).
 */
static char *host_home_refusal(const struct user_info *u, const struct policy *p,
			       const gid_t *gids, size_t ngids)
{
	const struct home_owner o = { .uid = u->uid, .gids = gids, .ngids = ngids };
	const char *jhome = p->v[PK_JAIL_HOME].str;
	_cleanup_close_ int fd = -1;
	char why[512];
	struct stat st;
	int r;

	r = home_audit(u->home, &o, why, sizeof(why));
	if (r != 0)
		return strdup_printf("%s's host home is not safe for a jailed user: %s; run jailctl "
				     "enroll %s (see jailctl doctor)",
				     u->name, why, u->name);
	if (!jhome)
		return strdup_printf("%s's policy has no jail.home", u->name);
	fd = path_open_trusted(jhome, NULL);
	if (fd == -ENOENT)
		return strdup_printf("%s has no jail home %s; run jailctl enroll %s", u->name, jhome,
				     u->name);
	if (fd < 0 || fstat(fd, &st) < 0)
		return strdup_printf("cannot open the jail home %s: %s", jhome,
				     strerror(fd < 0 ? -fd : errno));
	if (!S_ISDIR(st.st_mode) || st.st_uid != u->uid)
		return strdup_printf("the jail home %s is not a directory owned by %s", jhome,
				     u->name);
	return NULL;
}

/* init reported: the jail is built (or not).  Its waiting requests run now. */
static void on_jail_ready(struct jaild *d, struct watch *w, uint32_t events)
{
	struct jail *j = (struct jail *) ((char *) w - offsetof(struct jail, ready_watch));
	struct itimerspec off = { 0 };
	char buf[1024];
	ssize_t n = read(w->fd, buf, sizeof(buf) - 1);

	(void) events;
	if (n < 0 && errno == EAGAIN)
		return;
	watch_del(d, w);
	buf[n > 0 ? n : 0] = '\0';
	if (n <= 0 || !streq(buf, "OK")) {
		char why[1100];
		snprintf(why, sizeof(why), "%s", n > 0 ? buf : "its init ended before building it");
		log_err("cannot build the jail of %s: %s", j->user, why);
		jail_destroy(d, j, why);
		return;
	}
	j->init_pidfd = pidfd_open(j->init_pid, 0);
	if (j->init_pidfd < 0) {
		log_err("jail of %s: pidfd_open: %s", j->user, strerror(errno));
		jail_destroy(d, j, "cannot hold its init");
		return;
	}
	j->building = false;
	(void) timerfd_settime(j->linger_watch.fd, 0, &off, NULL);
	(void) state_write(d, j);
	log_info("jail of %s started (init pid %d, cgroup %s)", j->user, (int) j->init_pid,
		 d->cg->be->name);
	server_resume_waiters(d, j);
	/* Nobody waited any more (they hung up): it lingers as if its last session ended. */
	if (j->nsessions == 0 && !j->dying)
		jail_linger_start(j);
}

int jail_get(struct jaild *d, const struct user_info *u, const struct policy *p, struct jail **ret,
	     char **ret_why)
{
	struct jail *j = jail_find(d, u->name);
	_cleanup_free_ gid_t *gids = NULL;
	_cleanup_close_ int ready_r = -1, ready_w = -1;
	int join[CG_V1_CONTROLLERS], njoin = 0;
	struct jail_build b = { 0 };
	char path[128];
	const char *src;
	size_t ngids = 0;
	int fds[2], r;
	long flags;
	bool joined;
	pid_t pid;

	*ret_why = NULL;
	if (j) {
		*ret = j;
		return j->building ? -EINPROGRESS : 0;
	}
	if (binds_expose_runtime(d, p, &src)) {
		*ret_why = strdup_printf("bind %s would expose jaild's runtime dir %s", src,
				  d->runtime_dir);
		return -EPERM;
	}
	if (lookup_gids(u, &gids, &ngids) < 0)
		return -ENOMEM;
	*ret_why = host_home_refusal(u, p, gids, ngids);
	if (*ret_why) {
		log_notice("refused a jail for %s: %s", u->name, *ret_why);
		return -EPERM;
	}
	j = calloc(1, sizeof(*j));
	if (!j)
		goto oom;
	j->init_pidfd = j->linger_watch.fd = j->init_watch.fd = j->ready_watch.fd = -1;
	j->ngroups = -1;
	j->user = strdup(u->name);
	j->cgname = teardown_cgroup_name(d, u->name);
	j->home = strdup(u->home);
	j->uid = u->uid;
	j->gid = u->gid;
	if (!j->user || !j->cgname || !j->home)
		goto oom;
	r = d->cg->be->create(d->cg, j->cgname);
	if (r == 0)
		r = d->cg->be->apply(d->cg, j->cgname, p);
	if (r < 0) {
		*ret_why = strdup_printf("cannot set up the cgroup of %s: %s", u->name, strerror(-r));
		(void) d->cg->be->remove(d->cg, j->cgname);
		jail_free(j);
		return r;
	}
	r = jail_quota_setup(d, u->name, j->cgname, u->uid, p, ret_why);
	if (r < 0) {
		log_notice("refused a jail for %s: %s", u->name, *ret_why);
		jail_quota_release(u->name, u->uid, p);
		(void) d->cg->be->remove(d->cg, j->cgname);
		jail_free(j);
		return r;
	}
	njoin = d->cg->be->open_join(d->cg, j->cgname, join, CG_V1_CONTROLLERS);
	if (njoin < 0) {
		*ret_why = strdup_printf("cannot open the cgroup of %s: %s", u->name,
					 strerror(-njoin));
		(void) d->cg->be->remove(d->cg, j->cgname);
		jail_free(j);
		return njoin;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		close_fds(join, (size_t) njoin);
		goto oom;
	}
	ready_r = fds[0], ready_w = fds[1];
	b = (struct jail_build){ .policy = p, .stage = d->stage_dir, .rshell = d->rshell_path,
				 .user = u->name, .uid = u->uid, .gid = u->gid, .home = u->home,
				 .groups = u->groups, .group_gids = gids, .ngroups = ngids };
	flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
	if (p->v[PK_JAIL_NETWORK].num != 2) /* none and loopback: a network namespace */
		flags |= CLONE_NEWNET;
	pid = cg_clone(d->cg, (uint64_t) flags, SIGCHLD, join, njoin, &joined);
	if (pid == 0)
		init_main(d, &b, join, joined ? 0 : njoin, ready_w);
	close_fds(join, (size_t) njoin);
	if (pid < 0) {
		*ret_why = strdup_printf("cannot create the namespaces of %s: %s", u->name,
				  strerror(errno));
		(void) d->cg->be->remove(d->cg, j->cgname);
		jail_free(j);
		return -errno;
	}
	close(ready_w);
	ready_w = -1;
	j->init_pid = pid;
	/* init must outlive anything of the user: the OOM killer never picks it. */
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int) pid);
	{
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			(void) !write(fd, "-1000", 5);
			close(fd);
		}
	}
	j->policy = policy_dup(p);
	j->linger_watch.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (!j->policy || j->linger_watch.fd < 0 || jail_linger_setup(d, j) < 0)
		goto oom_started;
	/* From here the loop runs on: init reports through ready_watch, and the linger timer
	 * bounds how long it may take. */
	{
		struct itimerspec t = { .it_value = { .tv_sec = JAIL_READY_TIMEOUT_MS / 1000 } };
		(void) timerfd_settime(j->linger_watch.fd, 0, &t, NULL);
	}
	j->ready_watch.fd = ready_r;
	j->ready_watch.fn = on_jail_ready;
	if (watch_add(d, &j->ready_watch, EPOLLIN) < 0) {
		j->ready_watch.fd = -1;
		goto oom_started;
	}
	ready_r = -1; /* the watch holds it */
	j->building = true;
	j->next = d->jails;
	d->jails = j;
	log_debug("jail of %s: init pid %d builds it", j->user, (int) pid);
	*ret = j;
	return -EINPROGRESS;
oom_started:
	(void) d->cg->be->kill(d->cg, j->cgname);
	(void) waitpid(pid, NULL, 0);
	(void) d->cg->be->remove(d->cg, j->cgname);
oom:
	jail_free(j);
	*ret_why = strdup_printf("out of memory");
	return -ENOMEM;
}

void jail_session_added(struct jaild *d, struct jail *j)
{
	struct itimerspec off = { 0 };

	(void) d;
	j->nsessions++;
	(void) timerfd_settime(j->linger_watch.fd, 0, &off, NULL);
}

void jail_linger_start(struct jail *j)
{
	int64_t linger = j->policy->v[PK_SESSION_LINGER].num;
	struct itimerspec t = { 0 };

	/* Even "0s" goes through the timer, so teardown never runs inside a caller's loop. */
	t.it_value.tv_sec = linger;
	t.it_value.tv_nsec = linger ? 0 : 1;
	(void) timerfd_settime(j->linger_watch.fd, 0, &t, NULL);
}

void jail_session_removed(struct jaild *d, struct jail *j)
{
	(void) d;
	if (--j->nsessions == 0)
		jail_linger_start(j);
}

void jail_destroy(struct jaild *d, struct jail *j, const char *why)
{
	struct jail **pp;

	if (j->dying)
		return;
	j->dying = true;
	/* Sessions of the jail end with it; their spawns are reaped as they die. */
	for (struct session *s = d->sessions, *next; s; s = next) {
		next = s->next;
		if (s->jail == j) {
			s->jail = NULL;
			session_close(d, s);
		}
	}
	/* Killing what is left and removing the cgroup is a worker's job (teardown.c), so no
	 * request waits behind it.  Never wait for init here either: as pid 1 of its namespace
	 * it waits in turn until every process of the namespace is reaped, and the spawned
	 * ones are jaild's children, reaped by the SIGCHLD handler as they die. */
	teardown_start(d, j->cgname);
	jail_quota_release(j->user, j->uid, j->policy);
	if (j->init_watch.fd >= 0)
		watch_del(d, &j->init_watch);
	if (j->linger_watch.fd >= 0)
		watch_del(d, &j->linger_watch);
	if (j->ready_watch.fd >= 0)
		watch_del(d, &j->ready_watch);
	server_fail_waiters(d, j, why); /* it was still being built */
	state_remove(d, j->user);
	for (pp = &d->jails; *pp; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	log_info("jail of %s torn down: %s", j->user, why);
	jail_free(j);
}

bool jail_reaped(struct jaild *d, pid_t pid, int status)
{
	for (struct jail *j = d->jails; j; j = j->next)
		if (j->init_pid == pid) {
			j->init_pid = 0; /* reaped already */
			if (!j->dying) {
				log_warning("jail of %s: init ended (status %d)", j->user, status);
				jail_destroy(d, j, "its init exited");
			}
			return true;
		}
	return false;
}
