/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Client side of jaild.sock, shared by jailctl, rshell and the PAM module. */
#pragma once

#include "proto.h"

#define DEFAULT_SOCKET "/run/corral/jaild.sock"

/* Connects (blocking, CLOEXEC) with a send and receive timeout; returns the fd or -errno. */
int jaild_connect(const char *path, int timeout_ms);
/* Sends req and receives one reply; ERROR replies are returned as messages, not errors. */
int jaild_call(int fd, const struct proto_msg *req, struct proto_msg *reply, const char **ret_why);
/* An admin's EXEC request for argv in user's jail, all three stdio fds on stdio_fd (the strings
 * and the fd stay the caller's). */
void jaild_exec_msg(struct proto_msg *q, const char *user, char **argv, int stdio_fd);
/* An admin's EXEC of argv in user's jail with all three stdio fds on stdio_fd; waits for the end
 * and returns the exit code (-1 on any failure or a signal). */
int jaild_exec_wait(const char *sock, const char *user, char **argv, int stdio_fd);
