// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Records of live jails under RUNTIME/jails/USER: "uid init_pid init_start_time cgroup" (the
 * cgroup name is missing in records of older jailds: then it is the user's name).  A restarted
 * jaild adopts a jail only when its record's pid still names the same process (start time) and
 * that process is inside the jail's cgroup; it then holds it by pidfd.  Everything else left
 * behind (cgroups without a record, records without a process) is cleaned up.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/pidfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "cleanup.h"
#include "jaild.h"
#include "log.h"
#include "strv.h"

static unsigned long long start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	_cleanup_close_ int fd = -1;
	unsigned long long t = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) <= 0)
		return 0;
	buf[n] = '\0';
	/* Field 22, counted after the command name, which may hold spaces and parentheses. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
				"%*d %*d %*d %llu",
			 &t) != 1)
		return 0;
	return t;
}

static void record_path(struct jaild *d, const char *user, char *buf, size_t len)
{
	snprintf(buf, len, "%s/jails/%s", d->runtime_dir, user);
}

int state_write(struct jaild *d, const struct jail *j)
{
	char path[4096], tmp[4200], line[128];
	int fd, n;

	record_path(d, j->user, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	n = snprintf(line, sizeof(line), "%u %d %llu %s\n", (unsigned) j->uid, (int) j->init_pid,
		     start_time(j->init_pid), j->cgname);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, line, (size_t) n) != n) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return rename(tmp, path) < 0 ? -errno : 0;
}

void state_remove(struct jaild *d, const char *user)
{
	char path[4096];

	record_path(d, user, path, sizeof(path));
	(void) unlink(path);
}

static void on_adopted_exit(struct jaild *d, struct watch *w, uint32_t events)
{
	struct jail *j = (struct jail *) ((char *) w - offsetof(struct jail, init_watch));

	(void) events;
	jail_destroy(d, j, "its init exited");
}

/* Whether a recorded cgroup name is one jaild gives user's jails: USER or USER:N, nothing
 * else (the name reaches cgroup paths). */
static bool cgname_of(const char *cgname, const char *user)
{
	size_t n = strlen(user);
	const char *seq = cgname + n + 1;

	if (strncmp(cgname, user, n) != 0)
		return false;
	if (!cgname[n])
		return true;
	return cgname[n] == ':' && *seq && strspn(seq, "0123456789") == strlen(seq);
}

/* Tries to adopt the jail of user; returns true when it did. */
static bool adopt(struct jaild *d, const char *user)
{
	char path[4096], cgname[300];
	unsigned uid;
	int pid, pidfd;
	unsigned long long t;
	struct user_info u = { 0 };
	struct perr_list errs = { 0 };
	struct policy *p = NULL;
	struct jail *j;
	FILE *f;

	record_path(d, user, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fscanf(f, "%u %d %llu", &uid, &pid, &t) != 3 || pid <= 1) {
		fclose(f);
		return false;
	}
	if (fscanf(f, " %299s", cgname) != 1)
		snprintf(cgname, sizeof(cgname), "%s", user);
	fclose(f);
	if (!cgname_of(cgname, user))
		return false;
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0)
		return false;
	/* The pid must still be the process we recorded, and inside the user's cgroup. */
	if (start_time(pid) != t || !d->cg->be->contains(d->cg, cgname, pid) ||
	    user_info_from_nss(user, &u) < 0 || u.uid != uid ||
	    policy_resolve(d->policies, &u, &p, &errs) != POLICY_MATCHED) {
		close(pidfd);
		user_info_clear(&u);
		perr_clear(&errs);
		policy_free(p);
		return false;
	}
	j = calloc(1, sizeof(*j));
	if (!j)
		goto fail;
	j->user = strdup(user);
	j->cgname = strdup(cgname);
	j->home = strdup(u.home);
	j->uid = u.uid;
	j->gid = u.gid;
	j->init_pid = pid;
	j->init_pidfd = pidfd;
	j->adopted = true;
	j->ngroups = -1;
	j->ready_watch.fd = -1;
	j->policy = policy_dup(p);
	j->init_watch.fd = pidfd;
	j->init_watch.fn = on_adopted_exit;
	j->linger_watch.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (!j->user || !j->cgname || !j->home || !j->policy || j->linger_watch.fd < 0) {
		free(j->cgname);
		free(j->user);
		free(j->home);
		policy_free(j->policy);
		free(j);
		goto fail;
	}
	j->next = d->jails;
	d->jails = j;
	(void) watch_add(d, &j->init_watch, EPOLLIN);
	jail_linger_setup(d, j);
	log_info("adopted the jail of %s (init pid %d)", user, pid);
	user_info_clear(&u);
	policy_free(p);
	return true;
fail:
	close(pidfd);
	user_info_clear(&u);
	policy_free(p);
	return false;
}

void jail_adopt_or_clean(struct jaild *d)
{
	char dir[4096];
	_cleanup_strv_free_ char **cgs = d->cg->be->list(d->cg);
	DIR *dd;
	struct dirent *de;

	snprintf(dir, sizeof(dir), "%s/jails", d->runtime_dir);
	dd = opendir(dir);
	while (dd && (de = readdir(dd))) {
		if (de->d_name[0] == '.' || !name_is_valid(de->d_name))
			continue;
		if (!adopt(d, de->d_name))
			state_remove(d, de->d_name);
	}
	if (dd)
		closedir(dd);
	for (size_t i = 0; cgs && cgs[i]; i++) {
		bool live = false;
		for (struct jail *j = d->jails; j; j = j->next)
			live |= streq(j->cgname, cgs[i]);
		if (live)
			continue;
		log_notice("removing the cgroup of %s left by an earlier jaild", cgs[i]);
		(void) d->cg->be->kill(d->cg, cgs[i]);
		(void) d->cg->be->remove(d->cg, cgs[i]);
	}
	/* An adopted jail has no known session: it stays while its processes run (on_linger). */
	for (struct jail *j = d->jails; j; j = j->next)
		if (j->adopted && j->nsessions == 0)
			jail_linger_start(j);
}
