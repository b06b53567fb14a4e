// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Outer mode: rshell as the user's login shell on the host.  It asks jaild for a process in the
 * user's jail (the policy's shell, with -c CMD when sshd passed one), then either proxies the
 * terminal to the pty jaild opened inside the jail (a terminal from outside never enters the
 * jail), or, without a terminal (scp, sftp, rsync, ssh host CMD), hands its stdin, stdout and
 * stderr over, relaying those of them that are terminals through pipes (su USER -c CMD > file;
 * lib/stdio-relay.c).  It exits with the jailed process's status and restores the terminal on
 * every way out, jaild dying included.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "client.h"
#include "ptyproxy.h"
#include "rshell.h"
#include "stdio-relay.h"
#include "strv.h"

/* CORRAL_SESSION comes from pam_jaild; anything that is not a session id is ignored. */
static const char *session_id(void)
{
	const char *s = getenv("CORRAL_SESSION");

	if (!s || strlen(s) > 64 || strspn(s, "0123456789abcdef") != strlen(s))
		return "";
	return s;
}

int outer_main(const char *command, bool login)
{
	const char *path = getenv("CORRAL_SOCKET") ? getenv("CORRAL_SOCKET") : DEFAULT_SOCKET;
	const char *term = getenv("TERM"), *why = NULL;
	bool tty = isatty(0) && isatty(1);
	struct timeval forever = { 0, 0 };
	_cleanup_(stdio_relay_close) struct stdio_relay relay = STDIO_RELAY_INIT;
	_cleanup_close_ int fd = -1;
	struct proto_msg q, r;
	struct winsize ws;
	int code = 1, e;

	(void) login;
	/* One line only, as the inner shell would say (and jaild would refuse anyway). */
	for (const char *c = command; c && *c; c++)
		if ((unsigned char) *c < 0x20 && *c != '\t') {
			fprintf(stderr, "corral: control characters are not allowed (byte 0x%02x)\n",
				(unsigned char) *c);
			return 2;
		}
	fd = jaild_connect(path, 30000);
	if (fd < 0) {
		fprintf(stderr, "corral: the jail service is not available (%s); try again later or "
				"ask an admin.\n",
			strerror(-fd));
		return 1;
	}
	proto_msg_init(&q, MSG_SPAWN);
	q.mode = tty ? SPAWN_PTY : SPAWN_STDIO;
	q.session = (char *) session_id();
	q.command = (char *) (command ? command : "");
	q.term = (char *) (term && strlen(term) < 64 && !strpbrk(term, " \t\n") ? term : "");
	if (tty && ioctl(0, TIOCGWINSZ, &ws) == 0) {
		q.rows = ws.ws_row;
		q.cols = ws.ws_col;
	}
	if (!tty) {
		e = stdio_relay_open(&relay);
		if (e < 0) {
			fprintf(stderr, "corral: cannot make pipes for your terminal (%s).\n",
				strerror(-e));
			return 1;
		}
		memcpy(q.fds, relay.pass, sizeof(q.fds));
		q.nfds = 3;
	}
	e = jaild_call(fd, &q, &r, &why);
	stdio_relay_close_far(&relay);
	if (e < 0) {
		fprintf(stderr, "corral: the jail service did not answer (%s).\n", why ? why : "?");
		return 1;
	}
	if (r.type == MSG_ERROR) {
		fprintf(stderr, "%s%s\n", strncmp(r.text, "corral: ", 8) ? "corral: " : "", r.text);
		proto_msg_clear(&r);
		return 1;
	}
	if (r.type != MSG_SPAWNED) {
		proto_msg_clear(&r);
		return 1;
	}
	/* The session may last for hours: no receive timeout from here on. */
	(void) setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof(forever));
	if (tty && r.nfds == 1 && pty_proxy(0, 1, r.fds[0], fd) == -ECONNRESET) {
		/* The session outlived jaild; only its status was lost with it. */
		proto_msg_clear(&r);
		fprintf(stderr, "\r\ncorral: session ended; the jail service had gone away, so "
				"its exit status is unknown.\r\n");
		return 1;
	}
	if (!tty)
		(void) stdio_relay_run(&relay, fd);
	proto_msg_clear(&r);
	if (proto_recv(fd, &r, &why) < 0 || r.type != MSG_EXITED) {
		fprintf(stderr, "\r\ncorral: the jail service went away; your session has ended.\r\n");
		proto_msg_clear(&r);
		return 1;
	}
	code = exit_code_of(r.status);
	proto_msg_clear(&r);
	return code;
}
