// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The session's shell answers the shells its programs start (vim's :!, less's !, $SHELL -c).
 * Only this process holds the session channel to jaild; a program gets instead one end of a
 * socket pair, inherited as CORRAL_SHELL_FD, that reaches this shell and nothing else.  A
 * program's shell (nested.c) checks its line with the same policy and code, then asks here:
 * this shell audits it through its own channel, counts refusals against the session's warnings,
 * and answers.  Whatever writes to the socket can only ask; it gets a yes or a no about a line
 * it would run itself, and it cannot send anything on to jaild (the audit line is this shell's
 * own text, marked as a program's).  Requests are answered while the shell waits for the job in
 * the foreground; background jobs get no socket, so their shells refuse.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "broker-proto.h"
#include "cleanup.h"
#include "fd-util.h"
#include "rshell.h"
#include "strv.h"

int broker_open(struct shell *sh)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	sh->broker = sv[0];
	sh->broker_peer = sv[1];
	/* Only asked, never asking: this end sends answers on the sockets that come with requests. */
	(void) shutdown(sh->broker, SHUT_WR);
	return 0;
}

char **broker_child_env(struct shell *sh, char **env, bool pass)
{
	char **out = calloc(1, sizeof(char *));
	int fd = -1;

	if (!out)
		return env;
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], "CORRAL_CHANNEL=", 15) != 0 &&
		    strncmp(env[i], BROKER_ENV "=", sizeof(BROKER_ENV)) != 0)
			(void) strv_push(&out, env[i]);
	/* dup() clears close-on-exec: the program, and what it starts, inherit it. */
	if (pass && sh->broker_peer >= 0)
		fd = dup(sh->broker_peer);
	if (fd >= 0) {
		char buf[32];
		snprintf(buf, sizeof(buf), BROKER_ENV "=%d", fd);
		(void) strv_push(&out, buf);
	}
	return out;
}

/* The audit text: the line, after the name of the program that asked (the parent of the asking
 * shell).  A line the shell allows never starts with '(' (subshells are refused), so this cannot
 * pass for one typed at the prompt. */
static char *label(const char *program, const char *line)
{
	char name[17];
	size_t i;

	for (i = 0; program[i] && i < sizeof(name) - 1; i++)
		name[i] = (program[i] >= 'a' && program[i] <= 'z') ||
					  (program[i] >= '0' && program[i] <= '9') ||
					  strchr("-_.+", program[i])
				  ? program[i]
				  : '?';
	name[i] = '\0';
	return strdup_printf("(a shell of %s) %s", name[0] ? name : "?", line);
}

static void answer(int fd, char kind, int status, const char *text)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "%c%d%c%s", kind, status, '\0', text ? text : "refused");

	(void) send(fd, buf, (size_t) (n < (int) sizeof(buf) ? n + 1 : (int) sizeof(buf)),
		    MSG_NOSIGNAL);
}

static void answer_yes(struct shell *sh, int fd)
{
	_cleanup_free_ char *buf = malloc(BROKER_MSG_MAX);
	size_t n;

	if (!buf)
		return answer(fd, 'N', 126, "out of memory");
	n = (size_t) snprintf(buf, BROKER_MSG_MAX, "Y%d", sh->warnings_left) + 1;
	for (size_t i = 0; sh->env && sh->env[i]; i++) {
		size_t l = strlen(sh->env[i]) + 1;
		if (n + l > BROKER_MSG_MAX)
			return answer(fd, 'N', 126, "the session's variables are too large");
		memcpy(buf + n, sh->env[i], l);
		n += l;
	}
	(void) send(fd, buf, n, MSG_NOSIGNAL);
}

/* One request.  Anything malformed gets no answer: the asker refuses on its own. */
static void serve(struct shell *sh)
{
	_cleanup_free_ char *buf = malloc(BROKER_MSG_MAX + 1);
	const char *program, *line, *why, *end;
	int fds[FDS_MAX], code = REFUSED;
	size_t nfds = 0;
	struct stat st;
	ssize_t n;

	if (!buf)
		return;
	n = recv_with_fds(sh->broker, buf, BROKER_MSG_MAX, fds, &nfds);
	if (n <= 0 || nfds != 1 || fstat(fds[0], &st) < 0 || !S_ISSOCK(st.st_mode)) {
		close_fds(fds, n < 0 ? 0 : nfds);
		return;
	}
	_cleanup_close_ int reply = fds[0];
	buf[n] = '\0';
	end = buf + n;
	program = buf + 1;
	if (buf[0] == 'H' && n == 1) {
		if (!sh->p->v[PK_SHELL_ESCAPES].num)
			return answer(reply, 'N', 126, "programs' shell escapes are turned off for "
						       "your account (shell.escapes)");
		return answer_yes(sh, reply);
	}
	if (buf[0] == 'R') {
		code = atoi(buf + 1);
		program = buf + strlen(buf) + 1;
	}
	if ((buf[0] != 'A' && buf[0] != 'R') || program >= end)
		return;
	why = program + strlen(program) + 1;
	line = buf[0] == 'A' ? why : why + strlen(why) + 1;
	if (line >= end || (buf[0] == 'R' && code != REFUSED && code != REFUSED_BUILTIN &&
			    code != REFUSED_ABSENT))
		return;
	_cleanup_free_ char *text = label(program, line);
	if (!text)
		return;
	if (buf[0] == 'A' && sh->p->v[PK_SHELL_ESCAPES].num) {
		audit(sh, "allowed", text);
		return answer_yes(sh, reply);
	}
	if (buf[0] == 'A') {
		/* Turned off: no program's line runs, and none costs a warning. */
		audit(sh, "refused", text);
		return answer(reply, 'N', 126, "programs' shell escapes are turned off for your "
					       "account (shell.escapes)");
	}
	_cleanup_free_ char *note = refusal_note(sh, "refused", text, why, code);
	answer(reply, sh->quit ? 'Q' : 'N', refusal_status(code), note);
}

pid_t broker_waitpid(struct shell *sh, pid_t pgid, int *status)
{
	/* When an answer ends the session, the job gets 1 s to end by itself (the asking shell
	 * prints the last words first), then SIGHUP, then 2 s more before SIGKILL. */
	static const int grace_ms[] = { 1000, 2000 };
	sigset_t chld, old;
	_cleanup_close_ int sfd = -1;
	int stage = 0, e;
	pid_t w;

	if (sh->broker < 0)
		return waitpid(-pgid, status, WUNTRACED);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	for (;;) {
		struct pollfd p[2] = { { .fd = sfd, .events = POLLIN },
				       { .fd = sh->broker, .events = POLLIN } };
		struct signalfd_siginfo si;
		int pr;

		w = waitpid(-pgid, status, WUNTRACED | WNOHANG);
		if (w != 0 || sfd < 0)
			break;
		pr = poll(p, 2, sh->quit && stage < 2 ? grace_ms[stage] : -1);
		if (pr == 0) {
			kill(-pgid, stage == 0 ? SIGHUP : SIGKILL);
			if (stage++ == 0)
				kill(-pgid, SIGCONT);
			continue;
		}
		if (pr < 0 && errno == EINTR) { /* shell.timeout's alarm: the caller looks */
			w = -1;
			break;
		}
		while (read(sfd, &si, sizeof(si)) > 0)
			;
		if (p[1].revents & POLLIN)
			serve(sh);
	}
	if (w == 0 && sfd < 0) /* no signalfd: wait without answering; the askers refuse */
		w = waitpid(-pgid, status, WUNTRACED);
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return w;
}
