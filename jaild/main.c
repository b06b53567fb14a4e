// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * jaild: the root daemon that builds and keeps the jails.  Single-threaded: one epoll loop over
 * the listening socket, connections, a signalfd (SIGCHLD, SIGTERM, SIGINT, SIGHUP), session
 * channels, init pidfds of adopted jails and linger timers.  Nothing a client sends makes it
 * block: sockets are non-blocking and replies are single datagrams.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "fd-util.h"
#include "jaild.h"
#include "log.h"

int watch_add(struct jaild *d, struct watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };
	int epfd = w->urgent ? d->urgent.fd : d->epfd;

	return epoll_ctl(epfd, EPOLL_CTL_ADD, w->fd, &ev) < 0 ? -errno : 0;
}

int watch_mod(struct jaild *d, struct watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };
	int epfd = w->urgent ? d->urgent.fd : d->epfd;

	return epoll_ctl(epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0 ? -errno : 0;
}

void watch_del(struct jaild *d, struct watch *w)
{
	if (w->fd < 0)
		return;
	(void) epoll_ctl(w->urgent ? d->urgent.fd : d->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	close(w->fd);
	w->fd = -1;
}

/*
 * A spawned process is jaild's child, so PTRACE_TRACEME makes jaild its tracer, and wait()
 * reports a tracee's stops whatever its flags say.  Such a stop is never an exit: jaild lets
 * go of the tracee at once, handing back the signal it stopped on (a SIGSTOP becomes an
 * ordinary stop; the SIGTRAP of an exec under TRACEME is dropped, as no tracer wants it).
 * A process that does it again and again (each round costs jaild a wakeup and the log a line)
 * is logged once and killed after TRACE_STOPS_MAX rounds; stops of other pids (threads of a
 * spawned process) are logged at most once a second.
 */
#define TRACE_STOPS_MAX 64

static void release_tracee(struct jaild *d, pid_t pid, int status)
{
	static time_t last_log;
	static unsigned unlogged;
	int sig = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status);
	struct spawn *sp = NULL;
	time_t now = time(NULL);

	for (struct spawn *s = d->spawns; s && !sp; s = s->next)
		if (s->pid == pid)
			sp = s;
	if (sp && ++sp->trace_stops > TRACE_STOPS_MAX) {
		if (sp->trace_stops == TRACE_STOPS_MAX + 1)
			log_warning("pid %d made jaild its tracer %d times; killed", (int) pid,
				    TRACE_STOPS_MAX);
		(void) kill(pid, SIGKILL);
	}
	if (ptrace(PTRACE_DETACH, pid, NULL, (void *) (long) sig) < 0 && errno != ESRCH)
		log_warning("pid %d stopped under jaild's trace and cannot be released: %s",
			    (int) pid, strerror(errno));
	if (sp) {
		if (sp->trace_stops == 1)
			log_info("pid %d made jaild its tracer (PTRACE_TRACEME); released it",
				 (int) pid);
	} else if (now != last_log) {
		log_info("pid %d made jaild its tracer (PTRACE_TRACEME); released it (%u more "
			 "since the last such line)",
			 (int) pid, unlogged);
		last_log = now;
		unlogged = 0;
	} else {
		unlogged++;
	}
}

void reap_children(struct jaild *d)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (WIFSTOPPED(status)) {
			release_tracee(d, pid, status);
			continue;
		}
		if (!teardown_reaped(d, pid, status) && !jail_reaped(d, pid, status))
			spawn_reaped(d, pid, status);
	}
}

static void on_signal(struct jaild *d, struct watch *w, uint32_t events)
{
	struct signalfd_siginfo si;
	_cleanup_free_ char *why = NULL;

	(void) events;
	while (read(w->fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			reap_children(d);
			break;
		case SIGHUP:
			log_info("SIGHUP: reloading %s", d->policy_dir);
			(void) admin_reload(d, &why);
			break;
		default:
			log_info("signal %d: shutting down", (int) si.ssi_signo);
			d->quit = true;
			break;
		}
	}
}

/* The urgent set is drained by the loop itself; its entry in epfd only wakes the loop. */
static void on_urgent(struct jaild *d, struct watch *w, uint32_t events)
{
	(void) d;
	(void) w;
	(void) events;
}

/*
 * The next event to serve, urgent ones first.  Under load every user's request waits its turn in
 * one queue, so an admin's (and the PAM module's) would wait behind hundreds of spawns; the
 * listening socket and admin connections live in their own epoll set and go first, but after
 * URGENT_BURST of them one ordinary event is served, so neither side can starve the other.
 */
static int next_event(struct jaild *d, struct epoll_event *ev, int *burst)
{
	int n;

	if (*burst < URGENT_BURST) {
		n = epoll_wait(d->urgent.fd, ev, 1, 0);
		if (n == 1) {
			++*burst;
			return 1;
		}
	}
	*burst = 0;
	n = epoll_wait(d->epfd, ev, 1, -1);
	if (n == 1 && ev->data.ptr == &d->urgent)
		n = epoll_wait(d->urgent.fd, ev, 1, 0);
	return n;
}

/* Every jail holds two fds here (init's pidfd, its linger timer), every client one: systemd's
 * soft limit of 1024 would end at a few hundred jails.  Jailed processes get the policy's
 * limits, never this one. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void) setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int usage(int code)
{
	fprintf(code ? stderr : stdout,
		"usage: jaild [OPTIONS]\n\n"
		"The corral daemon: builds and keeps one jail per user from the policies.\n\n"
		"  -f, --foreground          log to stderr (systemd's journal reads it) instead of\n"
		"                            syslog; jaild never forks into the background\n"
		"  -d, --debug               log debug messages\n"
		"  -p, --policy-dir DIR      policies (default /etc/corral/policies)\n"
		"  -r, --runtime-dir DIR     socket and state (default /run/corral)\n"
		"  -c, --cgroup-root PATH    cgroup of the jails: a name under each v1 hierarchy or\n"
		"                            under the v2 mount, or an absolute v2 path, which on a\n"
		"                            v1 host means corral (default corral)\n"
		"  -b, --cgroup-backend B    auto, v1 or v2 (default auto)\n"
		"  -a, --admin-group NAME    members may use the admin verbs of jailctl\n"
		"  -s, --rshell PATH         the rshell binary bound into jails (default %s)\n"
		"  -h, --help                this text\n",
		BINDIR "/rshell");
	return code;
}

static int setup_socket(struct jaild *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if ((size_t) snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/jaild.sock", d->runtime_dir) >=
	    sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	(void) unlink(sa.sun_path);
	/* Every user may connect (a SPAWN is theirs to make); SO_PEERCRED decides the rest. */
	if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || chmod(sa.sun_path, 0666) < 0 ||
	    listen(fd, 128) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	d->listen.fd = fd;
	d->listen.fn = server_accept;
	d->listen.urgent = true;
	return watch_add(d, &d->listen, EPOLLIN);
}

static int setup_dirs(struct jaild *d)
{
	char path[4096];

	if (mkdir(d->runtime_dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/jails", d->runtime_dir);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/root", d->runtime_dir);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	d->stage_dir = strdup(path);
	return d->stage_dir ? 0 : -ENOMEM;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "policy-dir", required_argument, NULL, 'p' },
		{ "runtime-dir", required_argument, NULL, 'r' },
		{ "cgroup-root", required_argument, NULL, 'c' },
		{ "cgroup-backend", required_argument, NULL, 'b' },
		{ "admin-group", required_argument, NULL, 'a' },
		{ "rshell", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	struct jaild d = { .policy_dir = "/etc/corral/policies", .runtime_dir = "/run/corral",
			   .cgroup_root = "corral", .cgroup_backend = "auto",
			   .rshell_path = BINDIR "/rshell" };
	struct perr_list errs = { 0 };
	_cleanup_free_ char *why = NULL;
	sigset_t mask;
	int c, r;

	while ((c = getopt_long(argc, argv, "fdp:r:c:b:a:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': d.foreground = true; break;
		case 'd': d.debug = true; break;
		case 'p': d.policy_dir = optarg; break;
		case 'r': d.runtime_dir = optarg; break;
		case 'c': d.cgroup_root = optarg; break;
		case 'b': d.cgroup_backend = optarg; break;
		case 'a': d.admin_group = optarg; break;
		case 's': d.rshell_path = optarg; break;
		case 'h': return usage(0);
		default: return usage(2);
		}
	}
	if (optind != argc)
		return usage(2);
	d.argv_area = argv[0];
	d.argv_area_len = (size_t) (argv[argc - 1] + strlen(argv[argc - 1]) - argv[0]);
	sanitise_stdfd();
	raise_nofile();
	/* Nothing inherited from whoever started us may leak into jails or stay open. */
	(void) close_all_fds_except(3, NULL, 0);
	log_setup("jaild", d.foreground, d.debug);
	if (geteuid() != 0) {
		log_err("jaild must run as root");
		return 1;
	}
	if (d.runtime_dir[0] != '/') {
		log_err("--runtime-dir must be an absolute path");
		return 2;
	}
	if (access(d.rshell_path, X_OK) < 0) {
		log_warning("rshell %s is not executable: users whose shell is rshell cannot log in",
			    d.rshell_path);
		d.rshell_path = NULL;
	}
	if (d.admin_group) {
		struct group *g = getgrnam(d.admin_group);
		if (!g) {
			log_err("--admin-group %s: no such group", d.admin_group);
			return 2;
		}
		d.admin_gid = g->gr_gid;
		d.have_admin_group = true;
	}
	r = policy_set_load(d.policy_dir, NULL, &d.policies, &errs);
	if (r < 0) {
		for (size_t i = 0; i < errs.n; i++)
			log_err("%s", errs.msg[i]);
		log_err("cannot load the policies of %s%s%s; fix them (jailctl check) and start again",
			d.policy_dir, errs.n ? "" : ": ", errs.n ? "" : strerror(-r));
		perr_clear(&errs);
		return 1;
	}
	r = seccomp_compile_filters(&d.seccomp);
	if (r < 0) {
		log_err("cannot compile the seccomp filters of jails: %s", strerror(-r));
		policy_set_free(d.policies);
		return 1;
	}
	r = cg_init(d.cgroup_backend, d.cgroup_root, &d.cg, &why);
	if (r < 0) {
		log_err("%s", why ? why : strerror(-r));
		policy_set_free(d.policies);
		seccomp_filters_free(&d.seccomp);
		return 1;
	}
	d.epfd = epoll_create1(EPOLL_CLOEXEC);
	d.urgent.fd = epoll_create1(EPOLL_CLOEXEC);
	d.urgent.fn = on_urgent;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	/* Dispositions reach jails through the spawn helpers: start from the defaults (an
	 * ignored signal inherited from whoever started jaild would survive execve), so that
	 * only SIGPIPE, ignored here, needs resetting in each spawn. */
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	d.signals.fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	d.signals.fn = on_signal;
	d.started = time(NULL);
	if (d.epfd < 0 || d.urgent.fd < 0 || watch_add(&d, &d.urgent, EPOLLIN) < 0 ||
	    d.signals.fd < 0 || watch_add(&d, &d.signals, EPOLLIN) < 0 ||
	    (r = setup_dirs(&d)) < 0 || (r = setup_socket(&d)) < 0) {
		log_err("cannot start: %s", strerror(r < 0 ? -r : errno));
		return 1;
	}
	jail_adopt_or_clean(&d);
	log_info("ready: socket %s/jaild.sock, policies %s, cgroup %s at %s", d.runtime_dir,
		 d.policy_dir, d.cg->be->name, d.cg->root);
	for (int burst = 0; !d.quit;) {
		/* One event at a time: a handler may free another watch (a jail, a spawn), so a
		 * batch could hold a stale pointer. */
		struct epoll_event ev;
		if (next_event(&d, &ev, &burst) == 1) {
			struct watch *w = ev.data.ptr;
			w->fn(&d, w, ev.events);
		}
	}
	/* Clean shutdown: stop accepting, end every jail, leave nothing behind. */
	{
		char path[4200];
		snprintf(path, sizeof(path), "%s/jaild.sock", d.runtime_dir);
		(void) unlink(path);
	}
	while (d.jails)
		jail_destroy(&d, d.jails, "jaild is stopping");
	while (d.conns)
		conn_close(&d, d.conns);
	while (d.spawns) {
		struct spawn *sp = d.spawns;
		d.spawns = sp->next;
		watch_del(&d, &sp->report);
		watch_del(&d, &sp->channel);
		free(sp->program);
		free(sp);
	}
	while (d.sessions)
		session_close(&d, d.sessions);
	watch_del(&d, &d.listen);
	watch_del(&d, &d.signals);
	watch_del(&d, &d.urgent);
	close(d.epfd);
	policy_set_free(d.policies);
	teardown_wait_all(&d); /* before the root goes, and leaving no worker behind */
	if (d.cg->be->remove_root)
		d.cg->be->remove_root(d.cg); /* only if empty: another jaild may share it */
	cg_free(d.cg);
	free(d.stage_dir);
	free(d.early);
	seccomp_filters_free(&d.seccomp);
	log_info("stopped");
	return 0;
}
