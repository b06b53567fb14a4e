// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The slow half of a jail's teardown, off the event loop.  jail_destroy() does the bookkeeping
 * at once (sessions, watches, state record, quotas); killing what is left in the cgroup, waiting
 * until it is empty and removing it can take seconds (v1 has no cgroup.kill; a fork bomb needs
 * several rounds; rmdir waits for exiting members), so a forked worker does it while jaild
 * serves everyone else.  The worker touches nothing but that cgroup's files and exits; jaild
 * reaps it (SIGCHLD) and logs what it could not do.
 *
 * A cgroup still being removed keeps its name until it is gone, so a new jail of the same user
 * meanwhile gets a cgroup of its own, "USER:N" (':' is never in a user name): the user's next
 * command need not wait for the last one's cleanup either.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "jaild.h"
#include "proto.h"
#include "log.h"
#include "strv.h"

/* Worker exit codes. */
enum { TD_OK = 0, TD_SURVIVORS = 1, TD_BUSY = 2 };

struct teardown {
	struct teardown *next;
	pid_t pid;
	char *cgname;
	struct conn *waiter; /* a jailctl kill that answers once the cgroup is gone */
};

static bool pending(const struct jaild *d, const char *cgname)
{
	for (const struct teardown *t = d->teardowns; t; t = t->next)
		if (streq(t->cgname, cgname))
			return true;
	return false;
}

char *teardown_cgroup_name(struct jaild *d, const char *user)
{
	char *name;

	if (!pending(d, user))
		return strdup(user);
	/* Counted per jaild: unique among the cgroups it made (a restarted jaild removes the
	 * ones it finds without a jail). */
	for (;;) {
		name = strdup_printf("%s:%u", user, ++d->cgroup_seq);
		if (!name || !pending(d, name))
			return name;
		free(name);
	}
}

static void __attribute__((noreturn)) worker(struct jaild *d, const char *cgname)
{
	int code = TD_OK;

	prctl(PR_SET_NAME, "corral-teardown");
	/* jaild's own signal mask and SIGCHLD handling mean nothing here. */
	if (d->cg->be->kill(d->cg, cgname) < 0)
		code = TD_SURVIVORS;
	if (d->cg->be->remove(d->cg, cgname) < 0 && code == TD_OK)
		code = TD_BUSY;
	_exit(code);
}

void teardown_start(struct jaild *d, const char *cgname)
{
	struct teardown *t = calloc(1, sizeof(*t));
	pid_t pid;

	if (!t || !(t->cgname = strdup(cgname))) {
		free(t);
		goto inline_teardown;
	}
	pid = fork();
	if (pid == 0)
		worker(d, cgname);
	if (pid < 0) {
		free(t->cgname);
		free(t);
		goto inline_teardown;
	}
	t->pid = pid;
	t->next = d->teardowns;
	d->teardowns = t;
	return;
inline_teardown:
	/* No worker (out of memory or processes): do it here rather than leave it undone. */
	log_warning("cgroup %s: no teardown worker (%s); removing it in the loop", cgname,
		    strerror(errno));
	if (d->cg->be->kill(d->cg, cgname) < 0)
		log_err("cgroup %s: processes survive the kill", cgname);
	if (d->cg->be->remove(d->cg, cgname) < 0)
		log_err("cgroup %s: cannot remove it", cgname);
}

bool teardown_wait(struct jaild *d, const char *cgname, struct conn *c)
{
	for (struct teardown *t = d->teardowns; t; t = t->next)
		if (streq(t->cgname, cgname) && !t->waiter) {
			t->waiter = c;
			c->teardown_wait = true;
			return true;
		}
	return false;
}

void teardown_forget_conn(struct jaild *d, struct conn *c)
{
	for (struct teardown *t = d->teardowns; t; t = t->next)
		if (t->waiter == c)
			t->waiter = NULL;
}

static void answer(struct teardown *t, const char *failure)
{
	struct proto_msg r;

	if (!t->waiter)
		return;
	t->waiter->teardown_wait = false;
	if (failure) {
		(void) proto_send_error(t->waiter->w.fd, EBUSY, "the jail's cgroup %s: %s",
					t->cgname, failure);
		return;
	}
	proto_msg_init(&r, MSG_OK);
	(void) proto_send(t->waiter->w.fd, &r);
}

bool teardown_reaped(struct jaild *d, pid_t pid, int status)
{
	for (struct teardown **pp = &d->teardowns, *t; (t = *pp); pp = &t->next) {
		const char *failure = NULL;
		if (t->pid != pid)
			continue;
		*pp = t->next;
		if (!WIFEXITED(status) || WEXITSTATUS(status) == TD_SURVIVORS)
			failure = "processes survive the kill";
		else if (WEXITSTATUS(status) == TD_BUSY)
			failure = "cannot remove it: still busy";
		if (failure)
			log_err("cgroup %s: %s (worker status 0x%x)", t->cgname, failure,
				(unsigned) status);
		else
			log_debug("cgroup %s removed", t->cgname);
		answer(t, failure);
		free(t->cgname);
		free(t);
		return true;
	}
	return false;
}

void teardown_wait_all(struct jaild *d)
{
	/* Workers are reaped only here and by the SIGCHLD loop, which drops their records: each
	 * pid on the list is still ours to wait for. */
	while (d->teardowns) {
		int status;
		pid_t pid = waitpid(d->teardowns->pid, &status, 0);
		if (pid == d->teardowns->pid) {
			(void) teardown_reaped(d, pid, status);
		} else if (errno != EINTR) {
			/* The invariant broke: say so rather than spin at shutdown. */
			struct teardown *t = d->teardowns;
			log_err("cgroup %s: cannot wait for its teardown worker %d: %s", t->cgname,
				(int) t->pid, strerror(errno));
			d->teardowns = t->next;
			free(t->cgname);
			free(t);
		}
	}
}
