// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The seccomp filters of jails, compiled to BPF once when jaild starts (libseccomp's compiler
 * cost a spawn more than everything else) and installed last before execve, so they need not
 * allow any of the setup (bubblewrap's order).
 *
 * A jailed process gets two filters; the kernel runs both and the stricter answer wins:
 *  - the allow-list: every call seccomp-table.c names as allowed, the few whose arguments are
 *    checked here, EPERM for the calls named as denied, and ENOSYS for everything else, so a
 *    system call that a newer kernel adds is closed until someone names it;
 *  - the ioctl filter: allows everything but TIOCSTI and TIOCLINUX.  It is separate because
 *    libseccomp lets an unconditional rule override conditional ones for the same call, and
 *    an allow-list must allow ioctl as a whole.
 * Other architectures (i386 via int 0x80, x32) are killed: only the native one is added.
 *
 * The jail's init gets a third filter of its own: it only waits for signals and children.
 */
#include "config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jaild.h"
#include "seccomp-table.h"

/* The highest address family this filter names one by one; all above are refused too. */
#define AF_MAX_KNOWN 64
/* Netlink protocols run 0..31 (MAX_LINKS). */
#define NETLINK_MAX_KNOWN 31
#define LOW32 0xffffffffu

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

typedef int (*rules_fn)(scmp_filter_ctx ctx);

static int add(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned n,
	       const struct scmp_arg_cmp *cmp)
{
	int r = seccomp_rule_add_array(ctx, action, nr, n, cmp);

	return r == -EDOM || r == -EEXIST ? 0 : r; /* pseudo-syscall or duplicate here */
}

static int add_names(scmp_filter_ctx ctx, uint32_t action, const char *const *names)
{
	int r = 0;

	for (size_t i = 0; r == 0 && names[i]; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		if (nr != __NR_SCMP_ERROR) /* else not on this architecture, or newer than libseccomp */
			r = add(ctx, action, nr, 0, NULL);
	}
	return r;
}

/* clone: never with a namespace flag; clone3 hides its flags in memory, so ENOSYS sends libc
 * back to clone. */
static int clone_rules(scmp_filter_ctx ctx)
{
	static const uint64_t ns_flags[] = { CLONE_NEWNS,  CLONE_NEWUSER, CLONE_NEWPID,
					     CLONE_NEWNET, CLONE_NEWUTS,  CLONE_NEWIPC,
					     CLONE_NEWCGROUP, CLONE_NEWTIME };
	uint64_t all = 0;
	int r = 0;

	for (size_t i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++)
		all |= ns_flags[i];
	for (size_t i = 0; r == 0 && i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++)
		r = add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
			&SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
	if (r == 0)
		r = add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			&SCMP_A0(SCMP_CMP_MASKED_EQ, all, 0));
	return r; /* clone3 is left to the allow-list's default: ENOSYS */
}

/* One family's protocols: those listed are allowed, every other one up to max and above it
 * is refused with EPROTONOSUPPORT, as a kernel without the protocol would answer.  The
 * protocol is what makes the kernel load a module on demand (SCTP, L2TP, ...). */
static int protocol_rules(scmp_filter_ctx ctx, int af, const int *ok, size_t nok, int max)
{
	int r = 0;

	for (int proto = 0; r == 0 && proto <= max; proto++) {
		bool allowed = false;
		for (size_t i = 0; i < nok; i++)
			allowed |= ok[i] == proto;
		struct scmp_arg_cmp cmp[2] = { SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t) af),
					       SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t) proto) };
		r = add(ctx, allowed ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EPROTONOSUPPORT),
			SCMP_SYS(socket), 2, cmp);
	}
	if (r == 0) {
		struct scmp_arg_cmp cmp[2] = { SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t) af),
					       SCMP_A2(SCMP_CMP_GT, (scmp_datum_t) max) };
		r = add(ctx, SCMP_ACT_ERRNO(EPROTONOSUPPORT), SCMP_SYS(socket), 2, cmp);
	}
	return r;
}

/*
 * socket(): unix; inet and inet6 with TCP, UDP and ICMP echo (ping sockets) only; netlink for
 * routes and socket diagnostics (ip, ss).  Every other family fails with EAFNOSUPPORT.
 * socketpair() is only ever useful for unix sockets; for the rest the kernel would create a
 * socket (and load its module) before refusing, so the filter refuses first.
 */
static int socket_rules(scmp_filter_ctx ctx)
{
	static const int inet[] = { 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
	static const int inet6[] = { 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6 };
	static const int netlink[] = { NETLINK_ROUTE, NETLINK_SOCK_DIAG };
	int r;

	r = add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, &SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	if (r == 0)
		r = protocol_rules(ctx, AF_INET, inet, 4, IPPROTO_UDP);
	if (r == 0)
		r = protocol_rules(ctx, AF_INET6, inet6, 4, IPPROTO_ICMPV6);
	if (r == 0)
		r = protocol_rules(ctx, AF_NETLINK, netlink, 2, NETLINK_MAX_KNOWN);
	for (int af = 0; r == 0 && af <= AF_MAX_KNOWN; af++) {
		if (af == AF_UNIX || af == AF_INET || af == AF_INET6 || af == AF_NETLINK)
			continue;
		r = add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
			&SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t) af));
	}
	if (r == 0)
		r = add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
			&SCMP_A0(SCMP_CMP_GT, AF_MAX_KNOWN));
	if (r == 0)
		r = add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socketpair), 1,
			&SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	for (int af = 0; r == 0 && af <= AF_MAX_KNOWN; af++) {
		if (af == AF_UNIX)
			continue;
		bool ip = af == AF_INET || af == AF_INET6 || af == AF_NETLINK;
		r = add(ctx, SCMP_ACT_ERRNO(ip ? EOPNOTSUPP : EAFNOSUPPORT), SCMP_SYS(socketpair), 1,
			&SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t) af));
	}
	if (r == 0)
		r = add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socketpair), 1,
			&SCMP_A0(SCMP_CMP_GT, AF_MAX_KNOWN));
	return r;
}

/* personality: PER_LINUX and the query (0xffffffff) only; the kernel reads 32 bits.  Other
 * personalities (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE...) weaken the process's own defences. */
static int personality_rules(scmp_filter_ctx ctx)
{
	int r = add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1,
		    &SCMP_A0(SCMP_CMP_MASKED_EQ, LOW32, 0));

	if (r == 0)
		r = add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1,
			&SCMP_A0(SCMP_CMP_MASKED_EQ, LOW32, LOW32));
	return r;
}

static int allow_list_rules(scmp_filter_ctx ctx)
{
	int r = add_names(ctx, SCMP_ACT_ALLOW, seccomp_allowed);

	if (r == 0)
		r = add_names(ctx, SCMP_ACT_ERRNO(EPERM), seccomp_denied);
	/* ptrace: the kernel lets a user trace only their own processes in the jail's pid
	 * namespace, and (since 4.8) re-checks the filter after a tracer changes a call. */
	if (r == 0)
		r = add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ptrace), 0, NULL);
	if (r == 0)
		r = add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 0, NULL);
	if (r == 0)
		r = clone_rules(ctx);
	if (r == 0)
		r = socket_rules(ctx);
	if (r == 0)
		r = personality_rules(ctx);
	return r;
}

/* TIOCSTI and TIOCLINUX are compared on the low 32 bits of the request (CVE-2019-10063: the
 * kernel ignores the high bits, so an unmasked compare is bypassed by setting them). */
static int ioctl_rules(scmp_filter_ctx ctx)
{
	int r = add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
		    &SCMP_A1(SCMP_CMP_MASKED_EQ, LOW32, TIOCSTI));

	if (r == 0)
		r = add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
			&SCMP_A1(SCMP_CMP_MASKED_EQ, LOW32, TIOCLINUX));
	return r;
}

/* The jail's init, once the jail is built, only waits for signals and reaps; anything else it
 * tried would mean it was taken over, so the process dies. */
static int init_rules(scmp_filter_ctx ctx)
{
	static const char *const init_calls[] = { "rt_sigtimedwait", "rt_sigreturn",
						  "rt_sigprocmask", "wait4",
						  "waitid", "exit", "exit_group",
						  "restart_syscall", NULL };

	return add_names(ctx, SCMP_ACT_ALLOW, init_calls);
}

static int export(scmp_filter_ctx ctx, struct sock_fprog *ret)
{
	struct stat st;
	void *bpf = NULL;
	int fd, r = 0;

	/* libseccomp 2.5 exports to an fd only; a memfd keeps it in memory. */
	if ((fd = memfd_create("corral-seccomp", MFD_CLOEXEC)) < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, fd);
	if (r == 0 && fstat(fd, &st) < 0)
		r = -errno;
	if (r == 0 && (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
		       st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS))
		r = -E2BIG;
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
	close(fd);
	return r;
}

static int compile(uint32_t def, rules_fn rules, struct sock_fprog *ret)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	int r;

	if (!ctx)
		return -ENOMEM;
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/* Kernels before 4.14 (and valgrind, which hides the seccomp syscall that libseccomp
	 * probes with) have no kill-process action: kill the thread, which still never runs the
	 * foreign call. */
	if (r == -EINVAL)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL);
	/* A binary tree of system call numbers: a few hundred allowed calls cost a handful of
	 * comparisons each, not a walk down the list. */
	if (r == 0)
		(void) seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (r == 0)
		r = rules(ctx);
	if (r == 0)
		r = export(ctx, ret);
	seccomp_release(ctx);
	return r;
}

void seccomp_filters_free(struct seccomp_filters *f)
{
	for (size_t i = 0; i < JAIL_FILTERS; i++) {
		free(f->jail[i].filter);
		f->jail[i].filter = NULL;
	}
	free(f->init.filter);
	f->init.filter = NULL;
}

int seccomp_compile_filters(struct seccomp_filters *ret)
{
	int r = compile(SCMP_ACT_ERRNO(ENOSYS), allow_list_rules, &ret->jail[0]);

	if (r == 0)
		r = compile(SCMP_ACT_ALLOW, ioctl_rules, &ret->jail[1]);
	/* As in compile(): where kill-process is unknown, libseccomp refuses it as a default. */
	if (r == 0 && compile(SCMP_ACT_KILL_PROCESS, init_rules, &ret->init) < 0)
		r = compile(SCMP_ACT_KILL, init_rules, &ret->init);
	if (r < 0)
		seccomp_filters_free(ret);
	return r;
}

int seccomp_install(const struct sock_fprog *progs, size_t n)
{
	/* no_new_privs is set already; that is what lets an unprivileged filter load. */
	for (size_t i = 0; i < n; i++)
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &progs[i], 0, 0) < 0)
			return -errno;
	return 0;
}
