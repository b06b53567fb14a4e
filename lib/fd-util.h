/* SPDX-License-Identifier: GPL-3.0-or-later */
/* File descriptor helpers: passing fds over unix sockets, closing all others. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define FDS_MAX 3

/* Sends one datagram with nfds descriptors attached (SCM_RIGHTS). */
ssize_t send_with_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds);
/* Receives one datagram.  Every fd that came is returned in fds (up to FDS_MAX, the rest
 * closed); *ret_nfds says how many.  Truncated data or control data fails with -EMSGSIZE and
 * closes what came.  Returns the length, 0 on EOF, or -errno. */
ssize_t recv_with_fds(int sock, void *buf, size_t len, int *fds, size_t *ret_nfds);
void close_fds(int *fds, size_t n);
/* Closes every fd >= lowfd except those in keep; close_range where it exists. */
int close_all_fds_except(int lowfd, const int *keep, size_t nkeep);
/* Sets or clears FD_CLOEXEC. */
int fd_set_cloexec(int fd, int on);
/* True when fd is a terminal (either side of a pty, a console, a serial line), even a hung-up or
 * O_PATH one that answers no ioctl. */
bool fd_is_terminal(int fd);
/* Makes fds 0, 1, 2 valid, opening /dev/null on any that is closed (OpenSSH sanitise_stdfd). */
void sanitise_stdfd(void);
