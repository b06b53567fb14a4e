// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The seccomp filter of every jailed process: allow by default, refuse (EPERM) the system calls
 * that reach outside a jail or into the kernel's riskiest corners.  Compiled to BPF once, when
 * jaild starts (libseccomp's compiler cost a spawn more than everything else in C2), and
 * installed last before execve, so it need not allow any of the setup (bubblewrap's order).  Other architectures (i386 via
 * int 0x80, x32) are killed: libseccomp adds the native arch only and BADARCH kills.
 *
 * TIOCSTI and TIOCLINUX are compared on the low 32 bits of the request (CVE-2019-10063: the
 * kernel ignores the high bits, so an unmasked compare is bypassed by setting them).
 * clone3 returns ENOSYS so that libc falls back to clone, whose flags a filter can see.
 * Socket address families are allowed only for unix, inet, inet6 and netlink.
 */
#include "config.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <linux/sched.h>
#include <sys/ptrace.h>

#include "jaild.h"

#include <sys/socket.h>

/* The highest address family this filter names one by one; all above are refused too. */
#define AF_MAX_KNOWN 64

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

static const char *const denied[] = {
	"mount", "umount", "umount2", "pivot_root", "chroot", "unshare", "setns",
	"open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"bpf", "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"process_vm_readv", "process_vm_writev", "open_by_handle_at", "name_to_handle_at",
	"acct", "swapon", "swapoff", "reboot", "syslog", "vhangup", "quotactl", "quotactl_fd",
	"lookup_dcookie", "iopl", "ioperm", "settimeofday", "clock_settime", "clock_adjtime",
	"adjtimex", "nfsservctl", "uselib", "kcmp", "fanotify_init",
	"landlock_create_ruleset", "pidfd_getfd", "move_pages", "migrate_pages", "bdflush", "sysfs", "_sysctl", "get_kernel_syms", "query_module",
	"create_module", "vm86", "vm86old", "lsm_set_self_attr",
};

static int build_rules(scmp_filter_ctx ctx)
{
	static const uint64_t ns_flags[] = { CLONE_NEWNS,  CLONE_NEWUSER, CLONE_NEWPID,
					     CLONE_NEWNET, CLONE_NEWUTS,  CLONE_NEWIPC,
					     CLONE_NEWCGROUP, CLONE_NEWTIME };
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);

	/* Kernels before 4.14 (and valgrind, which hides the seccomp syscall that libseccomp
	 * probes with) have no kill-process action: kill the thread, which still never runs the
	 * foreign call. */
	if (r == -EINVAL)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL);
	for (size_t i = 0; r == 0 && i < sizeof(denied) / sizeof(denied[0]); i++) {
		int nr = seccomp_syscall_resolve_name(denied[i]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture */
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
		if (r == -EDOM || r == -EEXIST)
			r = 0; /* pseudo-syscall or duplicate on this arch */
	}
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX));
	/* New namespaces of any kind through clone; user namespaces above all. */
	for (size_t i = 0; r == 0 && i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* Tracing a process one did not start (gdb's run uses PTRACE_TRACEME and still works). */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 1,
				     SCMP_A0(SCMP_CMP_EQ, PTRACE_ATTACH));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 1,
				     SCMP_A0(SCMP_CMP_EQ, PTRACE_SEIZE));
	/* Socket families: deny by default.  Unix, IP and netlink serve users; the rest (AF_ALG,
	 * AF_PACKET, AF_VSOCK, AF_KEY, bluetooth...) are kernel surface a jail has no use for. */
	for (int af = 0; r == 0 && af <= AF_MAX_KNOWN; af++)
		if (af != AF_UNIX && af != AF_INET && af != AF_INET6 && af != AF_NETLINK)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
					     SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t) af));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
				     SCMP_A0(SCMP_CMP_GT, AF_MAX_KNOWN));
	return r;
}

int seccomp_compile_jail_filter(struct sock_fprog *ret)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct stat st;
	void *bpf = NULL;
	int fd = -1, r;

	if (!ctx)
		return -ENOMEM;
	r = build_rules(ctx);
	/* libseccomp 2.5 exports to an fd only; a memfd keeps it in memory. */
	if (r == 0 && (fd = memfd_create("corral-seccomp", MFD_CLOEXEC)) < 0)
		r = -errno;
	if (r == 0)
		r = seccomp_export_bpf(ctx, fd);
	if (r == 0 && fstat(fd, &st) < 0)
		r = -errno;
	if (r == 0 && (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
		       st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS))
		r = -EINVAL;
	if (r == 0 && !(bpf = malloc((size_t) st.st_size)))
		r = -ENOMEM;
	if (r == 0 && pread(fd, bpf, (size_t) st.st_size, 0) != st.st_size)
		r = -EIO;
	if (r == 0) {
		ret->filter = bpf;
		ret->len = (unsigned short) (st.st_size / sizeof(struct sock_filter));
	} else {
		free(bpf);
	}
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return r;
}

int seccomp_install(const struct sock_fprog *prog)
{
	/* no_new_privs is set already; that is what lets an unprivileged filter load. */
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0) < 0 ? -errno : 0;
}
