// SPDX-License-Identifier: GPL-3.0-or-later
/* The session table: PAM sessions (OPEN_SESSION .. CLOSE_SESSION) and the implicit sessions
 * that a SPAWN or EXEC without one gets for the life of its process. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/pidfd.h>
#include <sys/random.h>
#include <unistd.h>

#include "cleanup.h"
#include "jaild.h"
#include "log.h"

struct session *session_find(struct jaild *d, const char *id)
{
	for (struct session *s = d->sessions; s; s = s->next)
		if (streq(s->id, id))
			return s;
	return NULL;
}

int session_count_user(struct jaild *d, uid_t uid)
{
	int n = 0;

	/* Every session the user opened, with PAM or without; an admin's jailctl exec is not
	 * the user's. */
	for (struct session *s = d->sessions; s; s = s->next)
		if (s->jail && s->jail->uid == uid && !streq(s->service, SESSION_SERVICE_EXEC))
			n++;
	return n;
}

/* The login process (sshd's monitor, login, su) ended without CLOSE_SESSION: a crash, or a
 * kill.  The session ends with it, so the jail does not outlive every login. */
static void on_login_exit(struct jaild *d, struct watch *w, uint32_t events)
{
	struct session *s = (struct session *) ((char *) w - offsetof(struct session, login_watch));

	(void) events;
	log_notice("session %.8s: login process %d ended without closing it", s->id,
		   (int) s->login_pid);
	session_close(d, s);
}

struct session *session_open(struct jaild *d, struct jail *j, const char *service, const char *tty,
			     const char *rhost, pid_t login_pid, bool implicit)
{
	struct session *s = calloc(1, sizeof(*s));
	uint8_t raw[16];

	if (!s)
		return NULL;
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t) sizeof(raw)) {
		free(s);
		return NULL;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(s->id + 2 * i, 3, "%02x", raw[i]);
	s->service = strdup(service ? service : "");
	s->tty = strdup(tty ? tty : "");
	s->rhost = strdup(rhost ? rhost : "");
	if (!s->service || !s->tty || !s->rhost) {
		free(s->service);
		free(s->tty);
		free(s->rhost);
		free(s);
		return NULL;
	}
	s->jail = j;
	s->login_pid = login_pid;
	s->login_watch.fd = -1;
	s->login_watch.fn = on_login_exit;
	if (!implicit && login_pid > 1) {
		s->login_watch.fd = pidfd_open(login_pid, 0);
		if (s->login_watch.fd >= 0 && watch_add(d, &s->login_watch, EPOLLIN) < 0) {
			close(s->login_watch.fd);
			s->login_watch.fd = -1;
		}
	}
	s->implicit = implicit;
	s->opened = time(NULL);
	s->next = d->sessions;
	d->sessions = s;
	jail_session_added(d, j);
	log_info("session %.8s opened for %s (service %s, tty %s, from %s)%s", s->id, j->user,
		 s->service, s->tty[0] ? s->tty : "-", s->rhost[0] ? s->rhost : "-",
		 !implicit			   ? ""
		 : streq(s->service, "interactive") ? " for an interactive session"
		 : streq(s->service, "stdin")	   ? " for a session reading stdin"
						   : " for one command");
	return s;
}

void session_close(struct jaild *d, struct session *s)
{
	struct session **pp;

	for (pp = &d->sessions; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	/* Spawns of the session keep running until they end; they no longer point here. */
	for (struct spawn *sp = d->spawns; sp; sp = sp->next)
		if (sp->session == s)
			sp->session = NULL;
	log_info("session %.8s closed", s->id);
	watch_del(d, &s->login_watch);
	if (s->jail)
		jail_session_removed(d, s->jail);
	free(s->service);
	free(s->tty);
	free(s->rhost);
	free(s);
}
