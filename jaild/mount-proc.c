// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The jail's /proc: a procfs of the jail's own pid namespace (no hidepid: SECURITY.md says
 * why), the kernel's knobs read-only and the files that leak host state masked, as runc does
 * for containers.  Runs in the jail's init while it builds the root, before pivot_root.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "jaild.h"
#include "strv.h"

/* Writable by root only, and root in a jail has no capability; read-only all the same, as a
 * second wall (ns_last_pid, for one, is mode 0666). */
static const char *const read_only[] = { "sys", "sysrq-trigger", "irq", "bus", "fs" };
/* Host state a jail has no use for: timers and interrupts of every process on the host, the
 * kernel's memory image, every user's key counts, every file lock on the host, the kernel's
 * build, the host's stall figures (and pressure's files are 0666: a write sets a host-wide
 * trigger), hardware. */
static const char *const masked[] = { "kcore",	   "keys",	  "key-users", "latency_stats",
				      "timer_list", "timer_stats", "sched_debug", "interrupts",
				      "acpi",	   "asound",	  "scsi",	"kallsyms",
				      "locks",	   "config.gz",	  "pressure" };

#define PROC_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static int fail(char **ret_why, const char *what, const char *path, int err)
{
	*ret_why = strdup_printf("%s %s: %s", what, path, strerror(err));
	return -err;
}

int mount_proc(const char *stage, char **ret_why)
{
	char proc[4096], path[4200], null[4200];
	struct stat st;

	snprintf(proc, sizeof(proc), "%s/proc", stage);
	snprintf(null, sizeof(null), "%s/dev/null", stage);
	if ((mkdir(proc, 0555) < 0 && errno != EEXIST) ||
	    mount("proc", proc, "proc", PROC_FLAGS, NULL) < 0)
		return fail(ret_why, "cannot mount", "/proc", errno);
	for (size_t i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", proc, read_only[i]);
		if (lstat(path, &st) < 0)
			continue; /* not built into this kernel */
		if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0 ||
		    mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | PROC_FLAGS, NULL) < 0)
			return fail(ret_why, "cannot make read-only", path + strlen(stage), errno);
	}
	for (size_t i = 0; i < sizeof(masked) / sizeof(masked[0]); i++) {
		int r;
		snprintf(path, sizeof(path), "%s/%s", proc, masked[i]);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			r = mount("tmpfs", path, "tmpfs", MS_RDONLY | PROC_FLAGS, "size=0,mode=0555");
		else
			r = mount(null, path, NULL, MS_BIND, NULL);
		if (r < 0)
			return fail(ret_why, "cannot mask", path + strlen(stage), errno);
	}
	return 0;
}
