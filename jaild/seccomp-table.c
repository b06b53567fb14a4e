// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The system calls of a jail, by name: those it may make, and those it is refused with EPERM
 * because they reach outside it.  Every name in neither list fails with ENOSYS, so a call that
 * a newer kernel adds stays closed until it is read and named here (Docker's default profile
 * works the same way; this list started from it, line by line, and differs where SECURITY.md's
 * table says).  Calls that need their arguments checked (clone, socket, socketpair,
 * personality, ioctl, ptrace) are in seccomp.c, not here.
 */
#include "config.h"

#include <stddef.h>

#include "seccomp-table.h"

const char *const seccomp_allowed[] = {
	/* processes, signals, time */
	"exit", "exit_group", "fork", "vfork", "execve", "execveat", "wait4", "waitid", "kill",
	"tkill", "tgkill", "pidfd_open", "pidfd_send_signal", "process_mrelease",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigsuspend",
	"rt_sigtimedwait", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaltstack", "pause",
	"restart_syscall", "signalfd", "signalfd4", "alarm", "nanosleep", "clock_nanosleep",
	"clock_gettime", "clock_getres", "gettimeofday", "time", "times", "getitimer",
	"setitimer", "timer_create", "timer_settime", "timer_gettime", "timer_getoverrun",
	"timer_delete", "timerfd_create", "timerfd_settime", "timerfd_gettime",
	/* identity and limits (changing them needs capabilities a jail has not got) */
	"getpid", "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid", "getresuid",
	"getresgid", "getgroups", "setuid", "setgid", "setreuid", "setregid", "setresuid",
	"setresgid", "setgroups", "setfsuid", "setfsgid", "capget", "capset", "getpgid",
	"setpgid", "getpgrp", "getsid", "setsid", "getrlimit", "setrlimit", "prlimit64",
	"getrusage", "getpriority", "setpriority", "umask", "uname", "sysinfo", "prctl",
	"arch_prctl", "seccomp", "set_tid_address", "set_robust_list", "get_robust_list", "rseq",
	/* scheduling */
	"sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getparam",
	"sched_setparam", "sched_getscheduler", "sched_setscheduler", "sched_getattr",
	"sched_setattr", "sched_get_priority_max", "sched_get_priority_min",
	"sched_rr_get_interval", "getcpu", "ioprio_get", "ioprio_set",
	/* memory */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "msync", "mincore", "mlock",
	"mlock2", "munlock", "mlockall", "munlockall", "membarrier", "memfd_create",
	"memfd_secret", "pkey_alloc", "pkey_free", "pkey_mprotect", "remap_file_pages",
	"futex", "futex_waitv", "getrandom",
	/* files and directories */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev",
	"preadv2", "pwritev2", "open", "openat", "openat2", "creat", "close", "close_range",
	"lseek", "dup", "dup2", "dup3", "pipe", "pipe2", "fcntl", "flock", "fsync",
	"fdatasync", "sync", "syncfs", "sync_file_range", "truncate", "ftruncate", "fallocate",
	"fadvise64", "readahead", "sendfile", "copy_file_range", "splice", "tee", "vmsplice",
	"stat", "fstat", "lstat", "newfstatat", "statx", "statfs", "fstatfs", "access",
	"faccessat", "faccessat2", "getdents", "getdents64", "getcwd", "chdir", "fchdir",
	"mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "link", "linkat",
	"unlink", "unlinkat", "symlink", "symlinkat", "readlink", "readlinkat", "chmod",
	"fchmod", "fchmodat", "chown", "fchown", "lchown", "fchownat", "utime", "utimes",
	"utimensat", "futimesat", "mknod", "mknodat", "getxattr", "lgetxattr", "fgetxattr",
	"setxattr", "lsetxattr", "fsetxattr", "listxattr", "llistxattr", "flistxattr",
	"removexattr", "lremovexattr", "fremovexattr",
	/* waiting for events */
	"poll", "ppoll", "select", "pselect6", "epoll_create", "epoll_create1", "epoll_ctl",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "inotify_init",
	"inotify_init1", "inotify_add_watch", "inotify_rm_watch", "io_setup", "io_destroy",
	"io_submit", "io_cancel", "io_getevents", "io_pgetevents",
	/* sockets once made (making one is checked in seccomp.c) */
	"connect", "bind", "listen", "accept", "accept4", "getsockname", "getpeername",
	"getsockopt", "setsockopt", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg",
	"recvmmsg", "shutdown",
	/* System V and POSIX IPC: the jail's own ipc namespace */
	"shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop", "semctl",
	"msgget", "msgsnd", "msgrcv", "msgctl", "mq_open", "mq_unlink", "mq_timedsend",
	"mq_timedreceive", "mq_notify", "mq_getsetattr",
	NULL,
};

const char *const seccomp_denied[] = {
	/* mounts and namespaces, old and new mount API */
	"mount", "umount", "umount2", "pivot_root", "chroot", "unshare", "setns", "open_tree",
	"open_tree_attr", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
	"mount_setattr", "listmount", "statmount",
	/* the kernel itself */
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "bpf",
	"perf_event_open", "iopl", "ioperm", "modify_ldt", "swapon", "swapoff", "reboot",
	"syslog", "acct", "quotactl", "quotactl_fd", "lookup_dcookie", "nfsservctl", "uselib",
	"sysfs", "_sysctl", "get_kernel_syms", "query_module", "create_module", "vm86",
	"vm86old", "ustat", "vhangup", "sethostname", "setdomainname",
	/* keys, other processes' memory and files */
	"keyctl", "add_key", "request_key", "process_vm_readv", "process_vm_writev",
	"process_madvise", "kcmp", "pidfd_getfd", "open_by_handle_at", "name_to_handle_at",
	/* kernel surface with a record of exploits and no use in a jail */
	"userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
	"fanotify_init", "fanotify_mark", "landlock_create_ruleset", "landlock_add_rule",
	"landlock_restrict_self", "lsm_set_self_attr", "lsm_get_self_attr", "lsm_list_modules",
	/* the clock, and NUMA placement (a jail's memory is its cgroup's) */
	"settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "mbind", "set_mempolicy",
	"get_mempolicy", "set_mempolicy_home_node", "move_pages", "migrate_pages", "bdflush",
	NULL,
};
