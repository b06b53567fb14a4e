// SPDX-License-Identifier: GPL-3.0-or-later
/* Terminals relayed through pipes in stdio mode; see stdio-relay.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <unistd.h>

#include "fd-util.h"
#include "stdio-relay.h"

#define RELAY_BUF 16384

/* One direction: fd 0's terminal -> its pipe (input), or a pipe -> fd 1's or 2's terminal. */
struct chan {
	int term;  /* 0, 1 or 2 */
	int *pipe; /* &r->near[term]; -1 once this direction is over */
	bool input;
	size_t off, len; /* what was read and is not written yet */
	char buf[RELAY_BUF];
};

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		(void) close(*fd);
		*fd = -1;
	}
}

void stdio_relay_close(struct stdio_relay *r)
{
	stdio_relay_close_far(r);
	for (int i = 0; i < 3; i++)
		close_fd(&r->near[i]);
}

void stdio_relay_close_far(struct stdio_relay *r)
{
	/* A pipe end is never 0-2 (stdio_relay_open makes sure they are open). */
	for (int i = 0; i < 3; i++)
		if (r->pass[i] != i)
			close_fd(&r->pass[i]);
}

bool stdio_relay_active(const struct stdio_relay *r)
{
	return r->near[0] >= 0 || r->near[1] >= 0 || r->near[2] >= 0;
}

int stdio_relay_open(struct stdio_relay *r)
{
	for (int i = 0; i < 3; i++) {
		r->pass[i] = i;
		r->near[i] = -1;
	}
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			return -EBADF;
	for (int i = 0; i < 3; i++) {
		int p[2];

		if (!fd_is_terminal(i))
			continue;
		/* Only our end is non-blocking: the far end is the jailed process's stdio. */
		if (pipe2(p, O_CLOEXEC) < 0 || fcntl(p[i == 0 ? 1 : 0], F_SETFL, O_NONBLOCK) < 0) {
			int e = -errno;
			stdio_relay_close(r);
			return e;
		}
		r->pass[i] = i == 0 ? p[0] : p[1];
		r->near[i] = i == 0 ? p[1] : p[0];
	}
	return 0;
}

/* Reads into the empty buffer.  At end of file (^D, the last writer of a pipe gone) or on an
 * error (EIO: the terminal hung up) the direction is over: closing our pipe end tells the jailed
 * side (end of file on its input; EPIPE on its output, as a closed terminal would). */
static void chan_read(struct chan *c)
{
	ssize_t n = read(c->input ? c->term : *c->pipe, c->buf, sizeof(c->buf));

	if (n > 0) {
		c->off = 0;
		c->len = (size_t) n;
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		close_fd(c->pipe);
	}
}

/* Writes what it can; a partial write leaves the rest for the next POLLOUT.  EPIPE (the jailed
 * side closed its input) or EIO (the terminal hung up) ends the direction. */
static void chan_write(struct chan *c)
{
	ssize_t n = write(c->input ? *c->pipe : c->term, c->buf + c->off, c->len - c->off);

	if (n > 0) {
		c->off += (size_t) n;
		if (c->off == c->len)
			c->off = c->len = 0;
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		close_fd(c->pipe);
	}
}

int stdio_relay_run(struct stdio_relay *r, int ctl)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	struct chan ch[3];
	size_t nch = 0;
	bool ended = false;
	int rc = 0;

	if (!stdio_relay_active(r))
		return 0;
	stdio_relay_close_far(r);
	for (int i = 0; i < 3; i++)
		if (r->near[i] >= 0) {
			ch[nch].term = i;
			ch[nch].pipe = &r->near[i];
			ch[nch].input = i == 0;
			ch[nch].off = ch[nch].len = 0;
			nch++;
		}
	sigemptyset(&ign.sa_mask);
	(void) sigaction(SIGPIPE, &ign, &old);
	for (;;) {
		struct pollfd p[4];
		int at[3], pctl = -1;
		nfds_t np = 0;
		bool outputs = false;

		for (size_t i = 0; i < nch; i++) {
			struct chan *c = &ch[i];
			at[i] = -1;
			if (*c->pipe < 0)
				continue;
			outputs |= !c->input;
			if (c->len)
				p[np] = (struct pollfd){ .fd = c->input ? *c->pipe : c->term,
							 .events = POLLOUT };
			else
				p[np] = (struct pollfd){ .fd = c->input ? c->term : *c->pipe,
							 .events = POLLIN };
			at[i] = (int) np++;
		}
		if (ended && !outputs)
			break;
		if (!ended) {
			p[np] = (struct pollfd){ .fd = ctl, .events = POLLIN };
			pctl = (int) np++;
		}
		if (poll(p, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (pctl >= 0 && p[pctl].revents) {
			/* EXITED is there (or jaild is gone): whatever holds the input pipe now is
			 * left behind by the process, and must not read what is typed next. What
			 * was read and not passed on is dropped. */
			ended = true;
			for (size_t i = 0; i < nch; i++)
				if (ch[i].input)
					close_fd(ch[i].pipe);
		}
		for (size_t i = 0; i < nch; i++) {
			struct chan *c = &ch[i];
			if (at[i] < 0 || *c->pipe < 0 || !p[at[i]].revents)
				continue;
			if (c->len)
				chan_write(c);
			else
				chan_read(c);
		}
	}
	(void) sigaction(SIGPIPE, &old, NULL);
	stdio_relay_close(r);
	return rc;
}
