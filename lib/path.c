// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "path.h"

#define LINKS_MAX 40

static bool dir_is_roots(int dfd)
{
	struct stat st;

	return fstat(dfd, &st) == 0 && st.st_uid == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

/* Joins base (canonical, resolved) and a link target, collapsing "." and ".." textually; this is
 * exact because every directory of base was walked without symlinks. */
static char *join_target(const char *base, const char *target, const char *rest)
{
	char buf[PATH_MAX * 2], out[PATH_MAX * 2] = "";
	char *save = NULL;

	snprintf(buf, sizeof(buf), "%s/%s/%s", target[0] == '/' ? "" : base, target, rest);
	for (char *t = strtok_r(buf, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (streq(t, "."))
			continue;
		if (streq(t, "..")) {
			char *s = strrchr(out, '/');
			if (s)
				*s = '\0';
			continue;
		}
		if (strlen(out) + strlen(t) + 2 >= sizeof(out))
			return NULL;
		strcat(out, "/");
		strcat(out, t);
	}
	return strdup(out[0] ? out : "/");
}

int path_open_trusted(const char *path, char **ret_link)
{
	_cleanup_free_ char *cur = strdup(path);
	char resolved[PATH_MAX * 2];
	int links = 0;

	if (!cur)
		return -ENOMEM;
restart:
	if (cur[0] != '/')
		return -EINVAL;
	{
		int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		const char *p = cur;

		if (fd < 0)
			return -errno;
		resolved[0] = '\0';
		while (*p) {
			char comp[NAME_MAX + 1];
			size_t n;
			struct stat st;
			int nfd;

			while (*p == '/')
				p++;
			if (!*p)
				break;
			n = strcspn(p, "/");
			if (n > NAME_MAX) {
				close(fd);
				return -ENAMETOOLONG;
			}
			memcpy(comp, p, n);
			comp[n] = '\0';
			p += n;
			if (streq(comp, ".") || streq(comp, "..")) {
				close(fd);
				return -EINVAL; /* callers pass canonical paths */
			}
			nfd = openat(fd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
			if (nfd < 0 || fstat(nfd, &st) < 0) {
				int e = errno;
				if (nfd >= 0)
					close(nfd);
				close(fd);
				return -e;
			}
			if (S_ISLNK(st.st_mode)) {
				char target[PATH_MAX];
				ssize_t tl;
				bool last;

				if (st.st_uid != 0 || !dir_is_roots(fd) || ++links > LINKS_MAX) {
					close(nfd);
					close(fd);
					return -ELOOP;
				}
				tl = readlinkat(nfd, "", target, sizeof(target) - 1);
				close(nfd);
				close(fd);
				if (tl < 0)
					return -errno;
				target[tl] = '\0';
				while (*p == '/')
					p++;
				last = !*p;
				if (last && ret_link) {
					*ret_link = strdup(target);
					return *ret_link ? -EMLINK : -ENOMEM;
				}
				char *next = join_target(resolved[0] ? resolved : "/", target, p);
				if (!next)
					return -ENAMETOOLONG;
				free(cur);
				cur = next;
				goto restart;
			}
			close(fd);
			fd = nfd;
			if (strlen(resolved) + n + 2 >= sizeof(resolved)) {
				close(fd);
				return -ENAMETOOLONG;
			}
			strcat(resolved, "/");
			strcat(resolved, comp);
		}
		return fd;
	}
}
