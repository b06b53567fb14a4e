// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include "ptyproxy.h"

static int copy_some(int from, int to)
{
	char buf[65536];
	ssize_t n = read(from, buf, sizeof(buf)), off = 0;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	while (off < n) {
		ssize_t w = write(to, buf + off, (size_t) (n - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += w;
	}
	return 0;
}

static void copy_winsize(int from, int to)
{
	struct winsize ws;

	/* A terminal that does not know its size says 0x0: keep the default then. */
	if (ioctl(from, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		(void) ioctl(to, TIOCSWINSZ, &ws);
}

int pty_proxy(int in, int out, int master, int ctl)
{
	struct termios saved, raw;
	bool is_tty = tcgetattr(in, &saved) == 0;
	sigset_t mask, old;
	int sfd, r = 0;
	bool in_open = true;

	sigemptyset(&mask);
	sigaddset(&mask, SIGWINCH);
	/* A hang-up (the ssh connection dropped) or a kill ends the proxy cleanly. */
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (is_tty) {
		raw = saved;
		cfmakeraw(&raw);
		(void) tcsetattr(in, TCSANOW, &raw);
		copy_winsize(in, master);
	}
	for (;;) {
		struct pollfd p[4] = {
			{ .fd = in_open ? in : -1, .events = POLLIN },
			{ .fd = master, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = ctl, .events = POLLIN },
		};
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (p[2].revents & POLLIN) {
			struct signalfd_siginfo si;
			bool stop = false;
			while (read(sfd, &si, sizeof(si)) == sizeof(si))
				stop |= si.ssi_signo != SIGWINCH;
			if (stop) {
				r = -EINTR;
				break;
			}
			copy_winsize(in, master);
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (copy_some(master, out) < 0)
				break; /* EIO: the last holder of the slave is gone */
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (copy_some(in, master) < 0) {
				/* Local end of input: pass an EOF character on and stop reading. */
				in_open = false;
				if (!is_tty)
					(void) !write(master, "\x04", 1);
			}
		}
		if (ctl >= 0 && (p[3].revents & (POLLHUP | POLLERR))) {
			/* jaild went away (a closed socket reads as POLLIN too, so this comes
			 * first): the session is the login's and the jail's, so it goes on; only the
			 * final status will be missing. */
			ctl = -1;
			r = -ECONNRESET;
		} else if (ctl >= 0 && (p[3].revents & POLLIN)) {
			/* jaild reported the end: take what output is left. */
			struct pollfd m = { .fd = master, .events = POLLIN };
			while (poll(&m, 1, 50) > 0 && copy_some(master, out) == 0)
				;
			break;
		}
	}
	if (is_tty)
		(void) tcsetattr(in, TCSAFLUSH, &saved);
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}
