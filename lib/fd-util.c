// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "fd-util.h"

ssize_t send_with_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * FDS_MAX)];
	} c;
	struct iovec iov = { .iov_base = (void *) buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds > FDS_MAX)
		return -EINVAL;
	if (nfds) {
		memset(&c, 0, sizeof(c));
		m.msg_control = c.b;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	do
		n = sendmsg(sock, &m, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

void close_fds(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0) {
			close(fds[i]);
			fds[i] = -1;
		}
}

ssize_t recv_with_fds(int sock, void *buf, size_t len, int *fds, size_t *ret_nfds)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * 16)];
	} c;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b,
			    .msg_controllen = sizeof(c.b) };
	size_t nfds = 0;
	ssize_t n;

	do
		n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int *in = (int *) CMSG_DATA(cm);
		for (size_t i = 0; i < k; i++) {
			if (nfds < FDS_MAX)
				fds[nfds++] = in[i];
			else
				close(in[i]); /* more than any message carries */
		}
	}
	*ret_nfds = nfds;
	if (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		close_fds(fds, nfds);
		*ret_nfds = 0;
		return -EMSGSIZE;
	}
	return n;
}

/* close_range() over the gaps between the kept fds.  Reading /proc/self/fd instead would fill
 * the dcache with entries that the kernel must invalidate when the process is reaped, which made
 * jaild's wait4() the costliest thing it did under load. */
static int close_gaps(int lowfd, const int *keep, size_t nkeep)
{
	int sorted[16];
	unsigned from = (unsigned) lowfd;

	if (nkeep > sizeof(sorted) / sizeof(sorted[0]))
		return -E2BIG;
	if (nkeep)
		memcpy(sorted, keep, nkeep * sizeof(int)); /* keep may be NULL when nkeep is 0 */
	for (size_t i = 1; i < nkeep; i++) /* insertion sort: a handful of fds */
		for (size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
			int t = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	for (size_t i = 0; i < nkeep; i++) {
		if (sorted[i] < 0 || (unsigned) sorted[i] < from) {
			if (sorted[i] >= 0 && (unsigned) sorted[i] + 1 > from)
				from = (unsigned) sorted[i] + 1;
			continue;
		}
		if ((unsigned) sorted[i] > from &&
		    syscall(SYS_close_range, from, (unsigned) sorted[i] - 1, 0) < 0)
			return -errno;
		from = (unsigned) sorted[i] + 1;
	}
	return syscall(SYS_close_range, from, ~0U, 0) < 0 ? -errno : 0;
}

int close_all_fds_except(int lowfd, const int *keep, size_t nkeep)
{
	DIR *d;
	struct dirent *de;

	if (close_gaps(lowfd, keep, nkeep) == 0)
		return 0;
	d = opendir("/proc/self/fd");
	if (!d) {
		/* No /proc: close a generous range by hand. */
		for (int fd = lowfd; fd < 65536; fd++) {
			int skip = 0;
			for (size_t i = 0; i < nkeep; i++)
				skip |= keep[i] == fd;
			if (!skip)
				close(fd);
		}
		return 0;
	}
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name), skip = fd < lowfd || fd == dirfd(d);
		for (size_t i = 0; i < nkeep; i++)
			skip |= keep[i] == fd;
		if (!skip && de->d_name[0] != '.')
			close(fd);
	}
	closedir(d);
	return 0;
}

int fd_set_cloexec(int fd, int on)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl < 0)
		return -errno;
	fl = on ? fl | FD_CLOEXEC : fl & ~FD_CLOEXEC;
	return fcntl(fd, F_SETFD, fl) < 0 ? -errno : 0;
}

bool fd_is_terminal(int fd)
{
	struct termios t;
	struct stat st;
	unsigned maj;

	if (tcgetattr(fd, &t) == 0) /* TCGETS: what isatty() asks */
		return true;
	/* A hung-up terminal answers EIO and an O_PATH fd EBADF, and both still name a terminal
	 * (an O_PATH one can be reopened through /proc/self/fd): go by the device number too (the
	 * kernel's devices.txt: 2 and 3 BSD ptys, 4 consoles and serial ports, 5 /dev/tty,
	 * /dev/console and /dev/ptmx, 136-143 Unix98 pty slaves). */
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode))
		return false;
	maj = major(st.st_rdev);
	return (maj >= 2 && maj <= 5) || (maj >= 136 && maj <= 143);
}

void sanitise_stdfd(void)
{
	int nullfd = -1;

	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFL) >= 0 || errno != EBADF)
			continue;
		if (nullfd < 0)
			nullfd = open("/dev/null", O_RDWR);
		if (nullfd >= 0 && nullfd != fd)
			dup2(nullfd, fd);
	}
	if (nullfd > 2)
		close(nullfd);
}
