/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The client side of stdio mode (jailctl exec, rshell -c) when some of fds 0-2 are terminals:
 * jaild takes no terminal in stdio mode (a jailed process could keep it after its caller
 * returned and read what is typed next), so each terminal among them is replaced by a pipe,
 * and the client copies between the two until the jailed process has ended.  The terminal's
 * modes are never changed.  Shared by both clients; lib/ style: no logging, 0 or -errno.
 */
#pragma once

#include <stdbool.h>

struct stdio_relay {
	int pass[3]; /* what to send as fds 0-2: fd i itself, or the far end of its pipe */
	int near[3]; /* our end of fd i's pipe (non-blocking), or -1 where fd i passes as it is */
};

/* Nothing to close: a relay that was never opened, for _cleanup_(stdio_relay_close). */
#define STDIO_RELAY_INIT { .pass = { 0, 1, 2 }, .near = { -1, -1, -1 } }

/* Fills r for fds 0-2: a pipe for each that is a terminal, the fd itself for the others (when
 * none is a terminal, nothing is made: the fast path of scp, sftp and rsync).  On failure
 * nothing is left open. */
int stdio_relay_open(struct stdio_relay *r);
/* True when some fd goes through a pipe. */
bool stdio_relay_active(const struct stdio_relay *r);
/* Closes our copies of the far ends; call once the request carrying them has been sent, or the
 * output pipes never reach end of file. */
void stdio_relay_close_far(struct stdio_relay *r);
/*
 * Copies terminal -> pipe for fd 0 and pipe -> terminal for fds 1 and 2 until ctl (the jaild
 * connection) turns readable or hangs up (the process ended: EXITED waits there, for the
 * caller to read) and every output pipe has reached end of file.  From the moment ctl turns
 * readable the terminal is not read any more and the input pipe is closed, so nothing typed
 * afterwards reaches the jail.  ^D (end of file) on the terminal closes the input pipe; a
 * terminal that cannot be written any more closes its output pipe.  SIGPIPE is ignored
 * meanwhile.  Closes everything of r; returns 0 or -errno.  Without active pipes returns 0 at
 * once.
 */
int stdio_relay_run(struct stdio_relay *r, int ctl);
/* Closes whatever of r is still open. */
void stdio_relay_close(struct stdio_relay *r);
