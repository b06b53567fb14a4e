// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * quota-get: what the kernel holds, for the quota VM test to hold jailctl list and rshell's
 * limits against (no repquota in the VM).  Written apart from lib/quota.c on purpose.
 *   quota-get PATH prj|usr ID   -> "bytes=N inodes=N bytes_max=N inodes_max=N"
 *   quota-get projid PATH       -> "projid=N inherit=0|1"
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/quota.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_quotactl_fd
#define SYS_quotactl_fd 443
#endif

int main(int argc, char **argv)
{
	struct if_dqblk q = { 0 };
	struct fsxattr fa;
	int fd;

	if (argc == 3 && strcmp(argv[1], "projid") == 0) {
		fd = open(argv[2], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || ioctl(fd, FS_IOC_FSGETXATTR, &fa) < 0) {
			printf("error %s\n", strerror(errno));
			return 1;
		}
		printf("projid=%u inherit=%d\n", fa.fsx_projid,
		       !!(fa.fsx_xflags & FS_XFLAG_PROJINHERIT));
		return 0;
	}
	if (argc != 4 || (strcmp(argv[2], "prj") != 0 && strcmp(argv[2], "usr") != 0)) {
		fprintf(stderr, "usage: quota-get PATH prj|usr ID | quota-get projid PATH\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_quotactl_fd, fd,
			      QCMD(Q_GETQUOTA, strcmp(argv[2], "prj") == 0 ? PRJQUOTA : USRQUOTA),
			      (unsigned) strtoul(argv[3], NULL, 10), &q) < 0) {
		printf("error %s\n", strerror(errno));
		return 1;
	}
	printf("bytes=%llu inodes=%llu bytes_max=%llu inodes_max=%llu\n",
	       (unsigned long long) q.dqb_curspace, (unsigned long long) q.dqb_curinodes,
	       (unsigned long long) q.dqb_bhardlimit * 1024,
	       (unsigned long long) q.dqb_ihardlimit);
	return 0;
}
