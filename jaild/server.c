// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Connections to jaild.sock.  Who is calling comes only from the kernel (SO_PEERCRED,
 * SO_PEERGROUPS), never from a message.  Each datagram is decoded whole by proto_decode() before
 * anything is done; a malformed one gets an ERROR and the connection is closed; a well-formed one
 * from the wrong peer gets an ERROR.  Per-uid and total connection caps bound what one user can
 * hold.  Handlers log once where they decide.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "fd-util.h"
#include "jail-quota.h"
#include "jaild.h"
#include "log-escape.h"
#include "log.h"
#include "strv.h"

enum who {
	WHO_ROOT = 1,  /* uid 0: the PAM module */
	WHO_ADMIN = 2, /* root or the admin group */
	WHO_USER = 4,  /* anyone; the handler checks the user */
};

struct handler {
	enum who who;
	void (*fn)(struct jaild *d, struct conn *c, struct proto_msg *m);
};

static void reply_error(struct conn *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void reply_error(struct conn *c, int code, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	(void) proto_send_error(c->w.fd, code, "%s", text);
}

static void reply_simple(struct conn *c, uint16_t type)
{
	struct proto_msg r;

	proto_msg_init(&r, type);
	(void) proto_send(c->w.fd, &r);
}

/* Resolves the policy of a user for a new session; refuses with the reason the user sees. */
static struct policy *policy_for(struct jaild *d, struct conn *c, const struct user_info *u,
				 bool new_session)
{
	struct perr_list errs = { 0 };
	struct policy *p = NULL;
	int r = policy_resolve(d->policies, u, &p, &errs);
	time_t now = time(NULL);
	struct tm tm;

	if (r == POLICY_UNMATCHED) {
		reply_error(c, ENOENT, "user %s matches no corral policy", u->name);
		return NULL;
	}
	if (r < 0) {
		for (size_t i = 0; i < errs.n; i++)
			log_err("policy of %s: %s", u->name, errs.msg[i]);
		reply_error(c, EINVAL, "the policy of %s is broken; ask an admin to run jailctl check",
			    u->name);
		perr_clear(&errs);
		return NULL;
	}
	localtime_r(&now, &tm);
	if (new_session && !hours_allow(&p->v[PK_SESSION_HOURS].hours, &tm)) {
		log_notice("refused %s: outside hours %s", u->name, p->v[PK_SESSION_HOURS].str);
		reply_error(c, EACCES, "corral: your account is limited to hours %s",
			    p->v[PK_SESSION_HOURS].str);
		policy_free(p);
		return NULL;
	}
	return p;
}

static bool peer_user(struct jaild *d, struct conn *c, struct user_info *u)
{
	struct passwd *pw = getpwuid(c->uid);

	(void) d;
	if (!pw || user_info_from_nss(pw->pw_name, u) < 0) {
		reply_error(c, ENOENT, "uid %u has no passwd entry", (unsigned) c->uid);
		return false;
	}
	return true;
}

static void on_channel(struct jaild *d, struct watch *w, uint32_t events);
static int64_t monotonic_ms(void);

/* ---- requests waiting for a jail being built ---- */

struct parked {
	struct parked *next;
	struct conn *c;
	struct proto_msg m;
};

void server_park(struct jaild *d, struct conn *c, struct jail *j, struct proto_msg *m)
{
	struct parked *pk = calloc(1, sizeof(*pk)), **tail;

	if (!pk) {
		reply_error(c, ENOMEM, "out of memory");
		return;
	}
	pk->c = c;
	pk->m = *m;
	proto_msg_init(m, 0); /* its strings and fds are the parked copy's now */
	for (tail = &j->waiters; *tail; tail = &(*tail)->next)
		;
	*tail = pk;
	c->parked_on = j;
	(void) watch_mod(d, &c->w, 0); /* only a hang-up is heard until the jail is ready */
}

static struct parked *unpark_all(struct jaild *d, struct jail *j)
{
	struct parked *list = j->waiters;

	j->waiters = NULL;
	for (struct parked *pk = list; pk; pk = pk->next) {
		pk->c->parked_on = NULL;
		(void) watch_mod(d, &pk->c->w, EPOLLIN);
	}
	return list;
}

static const struct handler handlers[MSG__COUNT];

void server_resume_waiters(struct jaild *d, struct jail *j)
{
	for (struct parked *pk = unpark_all(d, j), *next; pk; pk = next) {
		next = pk->next;
		handlers[pk->m.type].fn(d, pk->c, &pk->m); /* its peer was checked at first */
		proto_msg_clear(&pk->m);
		free(pk);
	}
}

void server_fail_waiters(struct jaild *d, struct jail *j, const char *why)
{
	for (struct parked *pk = unpark_all(d, j), *next; pk; pk = next) {
		next = pk->next;
		/* Admins get the reason; users the advice (the reason is in the log). */
		if (pk->c->admin)
			reply_error(pk->c, EIO, "cannot create the jail of %s: %s", j->user, why);
		else
			reply_error(pk->c, EIO, "corral: cannot create your jail; ask an admin to "
						"check the logs");
		proto_msg_clear(&pk->m);
		free(pk);
	}
}

static void unpark_one(struct conn *c)
{
	struct jail *j = c->parked_on;

	for (struct parked **pp = &j->waiters; *pp; pp = &(*pp)->next)
		if ((*pp)->c == c) {
			struct parked *pk = *pp;
			*pp = pk->next;
			proto_msg_clear(&pk->m);
			free(pk);
			break;
		}
	c->parked_on = NULL;
}

static void spawn_free(struct jaild *d, struct spawn *sp)
{
	struct spawn **pp;

	for (pp = &d->spawns; *pp; pp = &(*pp)->next)
		if (*pp == sp) {
			*pp = sp->next;
			break;
		}
	if (sp->conn)
		sp->conn->spawn = NULL;
	if (sp->report.fd >= 0)
		watch_del(d, &sp->report);
	if (sp->channel.fd >= 0)
		watch_del(d, &sp->channel);
	if (sp->dropped)
		log_warning("pid %d: dropped %u messages of its session channel", (int) sp->pid,
			    sp->dropped);
	if (sp->session && sp->session->implicit)
		session_close(d, sp->session);
	free(sp->program);
	free(sp);
}

/* A process's last audit lines may still wait in its channel when it is reaped (on another
 * child's SIGCHLD, ahead of the channel's turn): read them first.  Bounded, since another
 * holder of the channel could keep writing. */
#define CHANNEL_DRAIN_MAX 64

static void drain_channel(struct jaild *d, struct spawn *sp)
{
	for (int i = 0; i < CHANNEL_DRAIN_MAX && sp->channel.fd >= 0; i++) {
		struct pollfd p = { .fd = sp->channel.fd, .events = POLLIN };

		if (poll(&p, 1, 0) != 1)
			break;
		on_channel(d, &sp->channel, EPOLLIN);
	}
}

/* Sends EXITED to whoever waits for sp, and forgets it. */
static void spawn_ended(struct jaild *d, struct spawn *sp, int status)
{
	drain_channel(d, sp);
	if (sp->conn) {
		struct proto_msg r;
		proto_msg_init(&r, MSG_EXITED);
		r.status = status;
		(void) proto_send(sp->conn->w.fd, &r);
	}
	log_info("pid %d ended (status 0x%x)", (int) sp->pid, (unsigned) status);
	spawn_free(d, sp);
}

/* The helper reported: answer SPAWNED (with the pty master), or the error. */
static void on_spawn_report(struct jaild *d, struct watch *w, uint32_t events)
{
	struct spawn *sp = (struct spawn *) ((char *) w - offsetof(struct spawn, report));
	_cleanup_free_ char *why = NULL;
	struct proto_msg r;
	int master = -1, rc;
	pid_t pid = 0;

	(void) events;
	rc = spawn_finish(w->fd, sp->mode, &pid, &master, &why);
	if (rc == -EAGAIN)
		return;
	watch_del(d, &sp->report);
	/* The helper exits right after its report: reap it here, so that its pid never reaches
	 * the early-exit list (where a recycled pid could be mistaken for it). */
	if (sp->helper > 0 && waitpid(sp->helper, NULL, 0) == sp->helper)
		sp->helper = 0;
	if (rc < 0) {
		log_err("spawn of %s failed: %s", sp->program, why ? why : strerror(-rc));
		if (sp->conn)
			reply_error(sp->conn, -rc, "corral: cannot start your session: %s",
				    why ? why : strerror(-rc));
		spawn_free(d, sp);
		return;
	}
	sp->pid = pid;
	log_info("spawned %s (pid %d, %s)", sp->program, (int) pid,
		 sp->mode == SPAWN_PTY ? "pty" : "stdio");
	if (sp->conn) {
		proto_msg_init(&r, MSG_SPAWNED);
		r.pid = (uint32_t) pid;
		r.mode = (uint32_t) sp->mode;
		if (master >= 0) {
			r.fds[0] = master;
			r.nfds = 1;
		}
		(void) proto_send(sp->conn->w.fd, &r);
	}
	if (master >= 0)
		close(master); /* the caller holds it now */
	/* It may have ended before this report was read. */
	for (size_t i = 0; i < d->nearly; i++)
		if (d->early[i].pid == pid) {
			int status = d->early[i].status;
			d->early[i] = d->early[--d->nearly];
			spawn_ended(d, sp, status);
			return;
		}
}

/*
 * The audit line of a spawn, written by jaild from what it is about to run: the record that a
 * jailed process cannot forge (rshell's own lines through the channel are labelled as its
 * report).  Arguments are escaped, and quoted as sh would read them where they need it.
 */
static void log_spawn(const struct conn *c, const struct jail *j, const struct session *s,
		      const struct proto_msg *m, char **argv)
{
	char line[2048], arg[1024], by[32] = "the user";
	size_t o = 0;

	line[0] = '\0';
	for (size_t i = 0; argv[i] && o < sizeof(line) - 8; i++) {
		bool quote = !argv[i][0] || strpbrk(argv[i], " \t'\"\\$;&|<>()`*?") != NULL;
		log_escape(arg, sizeof(arg), argv[i]);
		if (i)
			line[o++] = ' ';
		if (quote)
			line[o++] = '\'';
		/* Quoted as sh would read it back: ' becomes '\''. */
		for (const char *a = arg; *a && o < sizeof(line) - 6; a++) {
			if (*a == '\'' && quote) {
				memcpy(line + o, "'\\''", 4);
				o += 4;
			} else {
				line[o++] = *a;
			}
		}
		if (quote)
			line[o++] = '\'';
		line[o] = '\0';
	}
	if (m->type == MSG_EXEC)
		snprintf(by, sizeof(by), "admin uid %u", (unsigned) c->uid);
	log_audit("audit: user %s session %.8s: jaild runs (%s, %s, for %s): %s", j->user,
		  s ? s->id : "-", m->mode == SPAWN_PTY ? "interactive" : "stdio",
		  (m->command && m->command[0]) || m->type == MSG_EXEC ? "one command" : "a shell", by,
		  line);
}

/* Common tail of SPAWN and EXEC: fork the helper; the answer comes with its report. */
static void start_spawn(struct jaild *d, struct conn *c, struct jail *j, struct session *s,
			struct proto_msg *m, char **argv)
{
	struct spawn_req req = { .jail = j, .mode = (int) m->mode, .argv = argv, .term = m->term,
				 .rows = m->rows, .cols = m->cols,
				 .session_id = s ? s->id : NULL,
				 .channel = streq(argv[0], JAIL_RSHELL) };
	struct spawn *sp = calloc(1, sizeof(*sp));
	int report = -1, chan = -1, rc;
	pid_t helper;

	if (!sp || !(sp->program = strdup(argv[0]))) {
		free(sp);
		reply_error(c, ENOMEM, "out of memory");
		if (s && s->implicit)
			session_close(d, s);
		return;
	}
	for (int i = 0; i < 3; i++)
		req.stdio[i] = m->fds[i];
	rc = spawn_begin(d, &req, &helper, &report, &chan);
	if (rc < 0) {
		log_err("spawn for %s failed: %s", j->user, strerror(-rc));
		reply_error(c, -rc, "corral: cannot start your session: %s", strerror(-rc));
		free(sp->program);
		free(sp);
		if (s && s->implicit)
			session_close(d, s);
		return;
	}
	log_spawn(c, j, s, m, argv);
	sp->helper = helper;
	sp->mode = (int) m->mode;
	sp->conn = c;
	sp->session = s;
	sp->report.fd = report;
	sp->report.fn = on_spawn_report;
	sp->channel.fd = chan;
	sp->channel.fn = on_channel;
	sp->tokens = CHANNEL_BURST;
	sp->refilled = monotonic_ms();
	(void) watch_add(d, &sp->report, EPOLLIN);
	if (chan >= 0)
		(void) watch_add(d, &sp->channel, EPOLLIN);
	sp->next = d->spawns;
	d->spawns = sp;
	c->spawn = sp;
}

/* True (and the peer told why) when the user has session.max sessions open already. */
static bool session_limit_reached(struct jaild *d, struct conn *c, const struct user_info *u,
				  const struct policy *p)
{
	int n = session_count_user(d, u->uid);

	if (n < p->v[PK_SESSION_MAX].num)
		return false;
	log_notice("refused %s: %d sessions open (max %lld)", u->name, n,
		   (long long) p->v[PK_SESSION_MAX].num);
	reply_error(c, EUSERS, "corral: you already have %d sessions open (the limit is %lld)", n,
		    (long long) p->v[PK_SESSION_MAX].num);
	return true;
}

/* May the user log in now?  Hours and the session count, from where the sessions are. */
static void do_account(struct jaild *d, struct conn *c, struct proto_msg *m)
{
	struct user_info u = { 0 };
	struct policy *p;

	if (user_info_from_nss(m->user, &u) < 0) {
		reply_error(c, ENOENT, "no user %s", m->user);
		return;
	}
	p = policy_for(d, c, &u, true);
	if (p) {
		if (!session_limit_reached(d, c, &u, p))
			reply_simple(c, MSG_OK);
	}
	policy_free(p);
	user_info_clear(&u);
}

static void do_open_session(struct jaild *d, struct conn *c, struct proto_msg *m)
{
	struct user_info u = { 0 };
	int rc;
	struct policy *p = NULL;
	struct jail *j = NULL;
	struct session *s;
	_cleanup_free_ char *why = NULL;
	struct proto_msg r;

	if (user_info_from_nss(m->user, &u) < 0) {
		reply_error(c, ENOENT, "no user %s", m->user);
		return;
	}
	p = policy_for(d, c, &u, true);
	if (!p)
		goto out;
	if (session_limit_reached(d, c, &u, p))
		goto out;
	rc = jail_get(d, &u, p, &j, &why);
	if (rc == -EINPROGRESS) {
		server_park(d, c, j, m);
		goto out;
	}
	if (rc < 0) {
		log_err("%s", why ? why : "cannot create a jail");
		reply_error(c, EIO, "corral: cannot create your jail; ask an admin to check the logs");
		goto out;
	}
	s = session_open(d, j, m->service, m->tty, m->rhost, (pid_t) m->pid, false);
	if (!s) {
		reply_error(c, ENOMEM, "out of memory");
		goto out;
	}
	proto_msg_init(&r, MSG_SESSION_OPENED);
	r.session = s->id;
	(void) proto_send(c->w.fd, &r);
out:
	policy_free(p);
	user_info_clear(&u);
}

static void do_close_session(struct jaild *d, struct conn *c, struct proto_msg *m)
{
	struct session *s = session_find(d, m->session);

	if (!s || s->implicit) {
		reply_error(c, ENOENT, "no session %.32s", m->session);
		return;
	}
	session_close(d, s);
	reply_simple(c, MSG_OK);
}

static void do_spawn(struct jaild *d, struct conn *c, struct proto_msg *m)
{
	struct user_info u = { 0 };
	int r;
	struct session *s = NULL;
	struct policy *p = NULL;
	struct jail *j = NULL;
	_cleanup_free_ char *why = NULL;
	char **argv = NULL;

	if (c->spawn) {
		reply_error(c, EBUSY, "one spawn per connection");
		return;
	}
	if (c->uid == 0) {
		reply_error(c, EPERM, "root has no jail; use jailctl exec USER");
		return;
	}
	if (!peer_user(d, c, &u))
		return;
	if (m->session[0]) {
		s = session_find(d, m->session);
		if (!s || !s->jail || s->jail->uid != c->uid) {
			log_notice("refused SPAWN from uid %u: session %.8s is not theirs",
				   (unsigned) c->uid, m->session);
			reply_error(c, EPERM, "corral: that session is not yours");
			goto out;
		}
		j = s->jail;
		p = policy_dup(j->policy);
	} else {
		/* No PAM session (e.g. a direct call): one just for this process, within the
		 * same limits as a login's. */
		p = policy_for(d, c, &u, true);
		if (!p || session_limit_reached(d, c, &u, p))
			goto out;
		r = jail_get(d, &u, p, &j, &why);
		if (r == -EINPROGRESS) {
			server_park(d, c, j, m);
			goto out;
		}
		if (r < 0) {
			log_err("%s", why ? why : "cannot create a jail");
			reply_error(c, EIO, "corral: cannot create your jail");
			goto out;
		}
		/* Named for what it runs: jaild's log tells a shell from one command. */
		s = session_open(d, j,
				 m->command[0]	       ? "spawn"
				 : m->mode == SPAWN_PTY ? "interactive"
							: "stdin",
				 "", "", (pid_t) c->pid, true);
		if (!s) {
			reply_error(c, ENOMEM, "out of memory");
			goto out;
		}
	}
	argv = p ? spawn_user_argv(d, p, m->command) : NULL;
	if (!argv) {
		reply_error(c, ENOEXEC, "corral: rshell is not available to jaild");
		if (s->implicit)
			session_close(d, s);
		goto out;
	}
	start_spawn(d, c, j, s, m, argv);
out:
	strv_free(argv);
	policy_free(p);
	user_info_clear(&u);
}

static void do_exec(struct jaild *d, struct conn *c, struct proto_msg *m)
{
	struct user_info u = { 0 };
	int r;
	struct policy *p = NULL;
	struct jail *j = NULL;
	struct session *s;
	_cleanup_free_ char *why = NULL;

	if (c->spawn) {
		reply_error(c, EBUSY, "one spawn per connection");
		return;
	}
	if (user_info_from_nss(m->user, &u) < 0) {
		reply_error(c, ENOENT, "no user %s", m->user);
		return;
	}
	p = policy_for(d, c, &u, false);
	if (!p)
		goto out;
	r = jail_get(d, &u, p, &j, &why);
	if (r == -EINPROGRESS) {
		server_park(d, c, j, m);
		goto out;
	}
	if (r < 0) {
		log_err("%s", why ? why : "cannot create a jail");
		reply_error(c, EIO, "%s", why ? why : "cannot create the jail");
		goto out;
	}
	s = session_open(d, j, SESSION_SERVICE_EXEC, "", "", (pid_t) c->pid, true);
	if (!s) {
		reply_error(c, ENOMEM, "out of memory");
		goto out;
	}
	log_notice("admin uid %u runs %s in the jail of %s", (unsigned) c->uid, m->argv[0], u.name);
	start_spawn(d, c, j, s, m, m->argv);
out:
	policy_free(p);
	user_info_clear(&u);
}

static void do_list(struct jaild *d, struct conn *c, struct proto_msg *m)
{
	(void) m;
	admin_list(d, c, false, 0);
}

static void do_kill(struct jaild *d, struct conn *c, struct proto_msg *m)
{
	struct jail *j = jail_find(d, m->user);
	_cleanup_free_ char *cgname = NULL;

	if (!j) {
		reply_error(c, ENOENT, "%s has no jail", m->user);
		return;
	}
	cgname = strdup(j->cgname);
	log_notice("admin uid %u kills the jail of %s", (unsigned) c->uid, m->user);
	jail_destroy(d, j, "killed by an admin");
	/* "ended" means gone: the answer waits for the cgroup's removal, off the loop. */
	if (!cgname || !teardown_wait(d, cgname, c))
		reply_simple(c, MSG_OK);
}

static void do_reload(struct jaild *d, struct conn *c, struct proto_msg *m)
{
	_cleanup_free_ char *why = NULL;

	(void) m;
	if (admin_reload(d, &why) < 0)
		reply_error(c, EINVAL, "%s", why ? why : "reload failed");
	else
		reply_simple(c, MSG_OK);
}

static void do_status(struct jaild *d, struct conn *c, struct proto_msg *m)
{
	(void) m;
	admin_status(d, c);
}

static const struct handler handlers[MSG__COUNT] = {
	[MSG_ACCOUNT] = { WHO_ROOT, do_account },
	[MSG_OPEN_SESSION] = { WHO_ROOT, do_open_session },
	[MSG_CLOSE_SESSION] = { WHO_ROOT, do_close_session },
	[MSG_SPAWN] = { WHO_USER, do_spawn },
	[MSG_EXEC] = { WHO_ADMIN, do_exec },
	[MSG_LIST] = { WHO_ADMIN, do_list },
	[MSG_KILL] = { WHO_ADMIN, do_kill },
	[MSG_RELOAD] = { WHO_ADMIN, do_reload },
	[MSG_STATUS] = { WHO_ADMIN, do_status },
};

/*
 * Runs as root on a SPAWN or EXEC that passed the peer check, before any jail work.  In stdio
 * mode the fds that came become the process's 0-2; a terminal among them would stay the jailed
 * process's after its caller returned, to read what is typed there next (an admin's password)
 * or to inject input.  So none may be one: a caller with a terminal asks for pty mode, or relays
 * it through pipes (lib/stdio-relay.c).  True (the peer told, the fds left to the caller's
 * proto_msg_clear) when refused.
 */
static bool stdio_has_terminal(struct conn *c, const struct proto_msg *m)
{
	if (m->mode != SPAWN_STDIO)
		return false;
	for (size_t i = 0; i < m->nfds; i++) {
		if (!fd_is_terminal(m->fds[i]))
			continue;
		log_notice("refused %s from uid %u pid %d: fd %zu is a terminal in stdio mode",
			   proto_type_name(m->type), (unsigned) c->uid, (int) c->pid, i);
		reply_error(c, EINVAL,
			    "corral: stdio mode takes no terminal (fd %zu is one); "
			    "use a pty or pipes",
			    i);
		return true;
	}
	return false;
}

static void on_conn(struct jaild *d, struct watch *w, uint32_t events)
{
	struct conn *c = (struct conn *) ((char *) w - offsetof(struct conn, w));
	_cleanup_free_ uint8_t *buf = malloc(PROTO_MAX);
	struct proto_msg m;
	const char *why = NULL;
	int fds[FDS_MAX];
	size_t nfds = 0;
	ssize_t n;

	if (c->parked_on) { /* events are off while it waits: this is a hang-up */
		if (events & (EPOLLHUP | EPOLLERR))
			conn_close(d, c);
		return;
	}
	if (!buf)
		return;
	n = recv_with_fds(w->fd, buf, PROTO_MAX, fds, &nfds);
	if (n == -EAGAIN)
		return;
	if (n <= 0) {
		if (n < 0 && n != -ECONNRESET)
			log_debug("uid %u: receive failed: %s", (unsigned) c->uid, strerror((int) -n));
		if (n == -EMSGSIZE)
			reply_error(c, EMSGSIZE, "message too large");
		conn_close(d, c);
		return;
	}
	(void) events;
	if (proto_decode(buf, (size_t) n, fds, nfds, &m, &why) < 0) {
		log_notice("uid %u pid %d sent a malformed message (%s); closing", (unsigned) c->uid,
			   (int) c->pid, why);
		reply_error(c, EBADMSG, "malformed message: %s", why);
		conn_close(d, c);
		return;
	}
	if (!handlers[m.type].fn) {
		log_notice("uid %u sent %s, which is not a request; closing", (unsigned) c->uid,
			   proto_type_name(m.type));
		reply_error(c, EBADMSG, "%s is not a request", proto_type_name(m.type));
		proto_msg_clear(&m);
		conn_close(d, c);
		return;
	}
	if ((handlers[m.type].who == WHO_ROOT && c->uid != 0) ||
	    (handlers[m.type].who == WHO_ADMIN && !c->admin)) {
		log_notice("refused %s from uid %u: not %s", proto_type_name(m.type),
			   (unsigned) c->uid, handlers[m.type].who == WHO_ROOT ? "root" : "an admin");
		reply_error(c, EPERM, "%s is for %s only", proto_type_name(m.type),
			    handlers[m.type].who == WHO_ROOT ? "root (the PAM module)"
							     : "root and the admin group");
	} else if ((m.type == MSG_SPAWN || m.type == MSG_EXEC) && stdio_has_terminal(c, &m)) {
		/* refused; the fds are closed below */
	} else {
		handlers[m.type].fn(d, c, &m);
	}
	proto_msg_clear(&m);
}

static bool peer_is_admin(struct jaild *d, int fd, uid_t uid, gid_t gid)
{
	gid_t groups[256];
	socklen_t len = sizeof(groups);

	if (uid == 0)
		return true;
	if (!d->have_admin_group)
		return false;
	if (gid == d->admin_gid)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
		return false;
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == d->admin_gid)
			return true;
	return false;
}

void server_accept(struct jaild *d, struct watch *w, uint32_t events)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct conn *c;
	int fd, peruid = 0;

	(void) events;
	fd = accept4(w->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		close(fd);
		return;
	}
	for (struct conn *o = d->conns; o; o = o->next)
		peruid += o->uid == cred.uid;
	if (d->nconns >= CONNS_MAX || (cred.uid != 0 && peruid >= CONNS_PER_UID_MAX)) {
		log_notice("refused a connection from uid %u: too many connections",
			   (unsigned) cred.uid);
		(void) proto_send_error(fd, EAGAIN, "too many connections");
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->w.fd = fd;
	c->w.fn = on_conn;
	c->uid = cred.uid;
	c->gid = cred.gid;
	c->pid = cred.pid;
	c->admin = peer_is_admin(d, fd, cred.uid, cred.gid);
	c->w.urgent = c->admin; /* jailctl and PAM answer ahead of users' spawns */
	if (watch_add(d, &c->w, EPOLLIN) < 0) {
		close(fd);
		free(c);
		return;
	}
	c->next = d->conns;
	d->conns = c;
	d->nconns++;
}

void conn_close(struct jaild *d, struct conn *c)
{
	struct conn **pp;

	for (pp = &d->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	if (c->spawn)
		c->spawn->conn = NULL; /* the process runs on; nobody hears its end */
	if (c->parked_on)
		unpark_one(c);
	if (c->teardown_wait)
		teardown_forget_conn(d, c);
	watch_del(d, &c->w);
	d->nconns--;
	free(c);
}

/* ---- the session channel: audit lines and limits queries from inside a jail ---- */

static struct spawn *spawn_of_channel(struct jaild *d, struct watch *w)
{
	for (struct spawn *sp = d->spawns; sp; sp = sp->next)
		if (&sp->channel == w)
			return sp;
	return NULL;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The channel's rate: a bucket of CHANNEL_BURST messages refilled at CHANNEL_RATE a second.
 * A shell that sends more (a loop of refused lines, a forged flood) loses the excess, and jaild
 * logs how much it dropped, once per burst, instead of each line.
 */
static bool channel_take_token(struct spawn *sp)
{
	int64_t now = monotonic_ms();
	double tokens = sp->tokens + (double) (now - sp->refilled) * CHANNEL_RATE / 1000.0;

	sp->refilled = now;
	sp->tokens = tokens > CHANNEL_BURST ? CHANNEL_BURST : tokens;
	if (sp->tokens < 1) {
		if (sp->dropped++ == 0)
			log_warning("pid %d: its session channel is over %d messages a second; "
				    "dropping the excess",
				    (int) sp->pid, CHANNEL_RATE);
		return false;
	}
	if (sp->dropped) {
		log_warning("pid %d: dropped %u messages of its session channel", (int) sp->pid,
			    sp->dropped);
		sp->dropped = 0;
	}
	sp->tokens -= 1;
	return true;
}

static void on_channel(struct jaild *d, struct watch *w, uint32_t events)
{
	struct spawn *sp = spawn_of_channel(d, w);
	_cleanup_free_ uint8_t *buf = malloc(PROTO_MAX);
	struct proto_msg m;
	const char *why = NULL;
	int fds[FDS_MAX];
	size_t nfds = 0;
	ssize_t n;

	(void) events;
	if (!sp || !buf)
		return;
	n = recv_with_fds(w->fd, buf, PROTO_MAX, fds, &nfds);
	if (n == -EAGAIN)
		return;
	if (n > 0 && !channel_take_token(sp)) {
		close_fds(fds, nfds);
		return; /* over its rate: dropped, and counted */
	}
	if (n <= 0 || proto_decode(buf, (size_t) n, fds, nfds, &m, &why) < 0 ||
	    (m.type != MSG_AUDIT && m.type != MSG_LIMITS)) {
		if (n > 0 && !why)
			proto_msg_clear(&m);
		/* EOF or garbage: the channel is done; the process itself runs on. */
		watch_del(d, w);
		w->fd = -1;
		return;
	}
	if (m.type == MSG_AUDIT) {
		struct session *s = sp->session;
		char verdict[64], command[1024];
		/* rshell's own report of what it decided: labelled so, and escaped, since the
		 * process at the other end is the user's. */
		log_audit("audit: user %s session %.8s: rshell: %s: %s",
			  s && s->jail ? s->jail->user : "?", s ? s->id : "-",
			  log_escape(verdict, sizeof(verdict), m.verdict),
			  log_escape(command, sizeof(command), m.command));
	} else {
		struct proto_msg r;
		struct proto_jail pj = { 0 };
		struct cg_stats st;
		struct jail *j = sp->session ? sp->session->jail : NULL;
		if (j && d->cg->be->stats(d->cg, j->cgname, &st) == 0) {
			pj = (struct proto_jail){ .user = j->user, .init_pid = (uint32_t) j->init_pid,
						  .sessions = (uint32_t) j->nsessions,
						  .mem_cur = st.mem_cur, .mem_max = st.mem_max,
						  .pids_cur = st.pids_cur, .pids_max = st.pids_max,
						  .cpu_usec = st.cpu_usec };
			jail_quota_fill(j, &pj);
		}
		proto_msg_init(&r, MSG_LIMITS_REPLY);
		r.jails = &pj;
		r.njails = j ? 1 : 0;
		/* An answer that does not fit means the other end asks without reading: it loses
		 * the channel, and jaild never waits for it. */
		if (proto_send(w->fd, &r) == -EAGAIN) {
			log_warning("pid %d: asks on its session channel without reading the answers; "
				    "closing the channel",
				    (int) sp->pid);
			watch_del(d, w);
			w->fd = -1;
		}
	}
	proto_msg_clear(&m);
}

void spawn_reaped(struct jaild *d, pid_t pid, int status)
{
	for (struct spawn *sp = d->spawns; sp; sp = sp->next)
		if (sp->pid == pid) {
			spawn_ended(d, sp, status);
			return;
		}
	/* A spawn helper (C1) that ended before reporting: nothing to keep. */
	for (struct spawn *sp = d->spawns; sp; sp = sp->next)
		if (sp->helper == pid) {
			sp->helper = 0;
			return;
		}
	/* A process whose report is not read yet: keep its status a while (and drop old ones,
	 * such as helpers of spawns already gone). */
	time_t now = time(NULL);
	for (size_t i = 0; i < d->nearly;)
		if (now - d->early[i].when > EARLY_EXIT_KEEP_S)
			d->early[i] = d->early[--d->nearly];
		else
			i++;
	struct early_exit *grown = realloc(d->early, (d->nearly + 1) * sizeof(*grown));
	if (!grown) {
		log_err("out of memory keeping the status of pid %d", (int) pid);
		return;
	}
	d->early = grown;
	d->early[d->nearly++] = (struct early_exit){ pid, status, now };
}
