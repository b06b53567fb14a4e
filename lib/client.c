// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"

int jaild_connect(const char *path, int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (timeout_ms > 0 && (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
			       setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)) {
		close(fd);
		return -errno;
	}
	if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

int jaild_call(int fd, const struct proto_msg *req, struct proto_msg *reply, const char **ret_why)
{
	int r = proto_send(fd, req);

	if (r < 0) {
		*ret_why = strerror(-r);
		return r;
	}
	return proto_recv(fd, reply, ret_why);
}

void jaild_exec_msg(struct proto_msg *q, const char *user, char **argv, int stdio_fd)
{
	proto_msg_init(q, MSG_EXEC);
	q->user = (char *) user;
	q->mode = SPAWN_STDIO;
	q->argv = argv;
	q->term = (char *) "";
	q->fds[0] = q->fds[1] = q->fds[2] = stdio_fd;
	q->nfds = 3;
}

int jaild_exec_wait(const char *sock, const char *user, char **argv, int stdio_fd)
{
	struct proto_msg q, r;
	const char *why = NULL;
	int fd = jaild_connect(sock, 30000), result = -1;

	if (fd < 0)
		return -1;
	jaild_exec_msg(&q, user, argv, stdio_fd);
	if (jaild_call(fd, &q, &r, &why) == 0 && r.type == MSG_SPAWNED) {
		proto_msg_clear(&r);
		if (proto_recv(fd, &r, &why) == 0 && r.type == MSG_EXITED && WIFEXITED(r.status))
			result = WEXITSTATUS(r.status);
	}
	proto_msg_clear(&r);
	close(fd);
	return result;
}
