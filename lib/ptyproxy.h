/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Proxies a terminal to a pty master: raw mode on the local terminal, window size changes
 * forwarded, the terminal restored on every way out. */
#pragma once

/* Copies in -> master and master -> out until the master side ends (EOF/EIO) or ctl (a jaild
 * connection, or -1) becomes readable (the end reported).  If ctl closes, the proxy goes on
 * without it and returns -ECONNRESET when the session ends.  Returns 0, or -errno. */
int pty_proxy(int in, int out, int master, int ctl);
