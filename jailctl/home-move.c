// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Moving a user's files between their passwd home H (read by host services: pam_env, systemd
 * --user, the MTA, sshd) and their jail home J (shown only inside the jail, at H's path).
 *
 * Enrolled, H is an empty root-owned 0755 directory and J holds the files.  Each step is one
 * rename or mkdir, so an interrupted run leaves every file either in H or in J, never half
 * copied, and running the verb again picks up where it stopped: the state is read off the disk,
 * never remembered.  Runs as root; every path is checked with lstat or opened with O_NOFOLLOW
 * one component at a time, so no symlink of the user's is followed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "home.h"
#include "jailctl.h"

/* Makes the directories above path (not path itself) that are missing: root's, mode 0711, so
 * others can reach a jail home below but not list its neighbours. */
static int mkdir_parents(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(buf, 0711) < 0 && errno != EEXIST) {
			say("cannot create %s: %s", buf, strerror(errno));
			return -1;
		}
		*s = '/';
	}
	return 0;
}

/* An empty, root-owned 0755 home: sshd, login and su can chdir into it, nobody else can write. */
static int make_root_home(const char *h)
{
	if (mkdir(h, 0755) < 0 && errno != EEXIST) {
		say("cannot create %s: %s", h, strerror(errno));
		return -1;
	}
	if (chown(h, 0, 0) < 0 || chmod(h, 0755) < 0) {
		say("cannot make %s root's: %s", h, strerror(errno));
		return -1;
	}
	return 0;
}

/* A user with no home at all gets an empty jail home of their own, 0700. */
static int make_empty_jail_home(const struct passwd *pw, const char *j)
{
	if (mkdir_parents(j) < 0 || mkdir(j, 0700) < 0 || chown(j, pw->pw_uid, pw->pw_gid) < 0) {
		say("cannot create the jail home %s: %s", j, strerror(errno));
		return -1;
	}
	printf("%s: created an empty jail home %s\n", pw->pw_name, j);
	return 0;
}

static int rename_or_say(const char *from, const char *to)
{
	if (rename(from, to) == 0)
		return 0;
	if (errno == EXDEV)
		say("%s and %s are on different filesystems; set jail.home to a place on the "
		    "filesystem of %s (corral-policy(5)), or move the files yourself and run this "
		    "again",
		    from, to, from);
	else
		say("cannot move %s to %s: %s", from, to, strerror(errno));
	return -1;
}

int home_move_in(const struct passwd *pw, const char *j, const struct home_owner *o,
		 const char *keys_dir)
{
	const char *h = pw->pw_dir;
	struct stat hs, js;
	bool have_h = lstat(h, &hs) == 0, have_j = lstat(j, &js) == 0;
	char why[512];

	if (have_j && !S_ISDIR(js.st_mode)) {
		say("jail home %s is not a directory; remove it and run this again", j);
		return -1;
	}
	if (have_h && !S_ISDIR(hs.st_mode)) {
		say("home %s is not a directory; remove it and run this again", h);
		return -1;
	}
	if (have_h && home_audit(h, o, why, sizeof(why)) == 0) {
		/* H is root's and holds nothing of the user's: only J can be missing. */
		return have_j ? 0 : make_empty_jail_home(pw, j);
	}
	if (have_h && have_j) {
		say("%s is not safe for a jailed user (%s), and the jail home %s exists as well; "
		    "move what is left in %s into %s, then run this again",
		    h, why, j, h, j);
		return -1;
	}
	if (have_h) {
		if (hs.st_uid == 0) {
			say("%s is root's but not safe for a jailed user: %s; fix that by hand", h,
			    why);
			return -1;
		}
		if (keys_install(pw, keys_dir) < 0 || mkdir_parents(j) < 0 ||
		    rename_or_say(h, j) < 0)
			return -1;
		printf("%s: moved %s to the jail home %s\n", pw->pw_name, h, j);
		/* Others on the host read it no more than other jails do. */
		if (chmod(j, 0700) < 0) {
			say("cannot make %s private: %s", j, strerror(errno));
			return -1;
		}
	} else if (!have_j && make_empty_jail_home(pw, j) < 0) {
		return -1;
	}
	if (make_root_home(h) < 0)
		return -1;
	if (home_audit(h, o, why, sizeof(why)) != 0) {
		say("%s is still not safe: %s", h, why);
		return -1;
	}
	return 0;
}

int home_move_out(const struct passwd *pw, const char *j)
{
	const char *h = pw->pw_dir;
	struct stat hs, js;
	bool have_h = lstat(h, &hs) == 0, have_j = lstat(j, &js) == 0;

	if (!have_j)
		return 0; /* nothing in a jail home: H is what the user has */
	if (!S_ISDIR(js.st_mode)) {
		say("jail home %s is not a directory; look at it and run this again", j);
		return -1;
	}
	if (have_h) {
		if (hs.st_uid != 0) {
			say("%s belongs to uid %u and the jail home %s exists as well; merge them by "
			    "hand, then run this again",
			    h, (unsigned) hs.st_uid, j);
			return -1;
		}
		if (rmdir(h) < 0) {
			say("cannot remove the root-owned %s (%s); empty it and run this again", h,
			    strerror(errno));
			return -1;
		}
	}
	if (rename_or_say(j, h) < 0)
		return -1;
	printf("%s: moved the jail home %s back to %s\n", pw->pw_name, j, h);
	return 0;
}

#define KEYS_MAX (64 * 1024)

/* Opens dir/.ssh/authorized_keys as root without following any symlink on the way, and only
 * as a regular file of the user's: -1 when there is none such. */
static int open_user_keys(const char *home, uid_t uid)
{
	_cleanup_close_ int hfd = -1, sfd = -1;
	int fd;
	struct stat st;

	hfd = open(home, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (hfd < 0)
		return -1;
	sfd = openat(hfd, ".ssh", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sfd < 0)
		return -1;
	fd = openat(sfd, "authorized_keys", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != uid) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Called before the passwd home moves: its ~/.ssh/authorized_keys, which the user wrote before
 * corral took them in, becomes keys_dir/USER.  Never read from a jail home: what the user
 * writes there (a key the admin revoked, a 50 MB file) must not reach sshd's root-owned file
 * at a later run.
 */
int keys_install(const struct passwd *pw, const char *keys_dir)
{
	char dst[PATH_MAX], tmp[PATH_MAX + 16], buf[KEYS_MAX + 1];
	_cleanup_close_ int in = -1, out = -1;
	struct stat st;
	ssize_t n = 0, r;

	snprintf(dst, sizeof(dst), "%s/%s", keys_dir, pw->pw_name);
	if (lstat(dst, &st) == 0)
		return 0; /* installed before: the admin's now */
	in = open_user_keys(pw->pw_dir, pw->pw_uid);
	if (in < 0)
		return 0;
	while (n < (ssize_t) sizeof(buf) && (r = read(in, buf + n, sizeof(buf) - (size_t) n)) > 0)
		n += r;
	if (n > KEYS_MAX) {
		say("%s/.ssh/authorized_keys is over %d KiB; not copied: put the user's keys in %s "
		    "by hand",
		    pw->pw_dir, KEYS_MAX / 1024, dst);
		return 0;
	}
	if (mkdir(keys_dir, 0755) < 0 && errno != EEXIST) {
		say("cannot create %s: %s", keys_dir, strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.corral-new", dst);
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (out < 0 || write(out, buf, (size_t) n) != n || fchown(out, 0, 0) < 0 ||
	    fchmod(out, 0644) < 0 || fsync(out) < 0 || rename(tmp, dst) < 0) {
		say("cannot install %s: %s", dst, strerror(errno));
		(void) unlink(tmp);
		return -1;
	}
	printf("%s: copied %s/.ssh/authorized_keys to %s (sshd's AuthorizedKeysFile for jailed "
	       "users)\n",
	       pw->pw_name, pw->pw_dir, dst);
	return 0;
}
