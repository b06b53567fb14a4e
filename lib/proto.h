/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The jaild wire protocol.  Transport: a SOCK_SEQPACKET unix socket, one message per datagram,
 * at most PROTO_MAX bytes, with file descriptors attached as SCM_RIGHTS where a type says so.
 *
 * Datagram:  u32 magic "CRL1" (the version) | u16 type | u16 flags (0) | fields...
 * Fields, in the order the type's row in proto.c lists them, all big-endian:
 *   u32, u64          fixed size
 *   string            u32 length, then that many bytes; no NUL; per-field maximum and
 *                     character rules (names, printable text)
 *   strv              u32 count (per-field maximum), then that many strings
 *   jails             u32 count, then per jail: string user, u32 init pid, u32 sessions,
 *                     u64 memory current, u64 memory max, u64 pids current, u64 pids max,
 *                     u64 cpu usage in microseconds, u64 disk bytes used, u64 disk limit,
 *                     u64 inodes used, u64 inode limit (filesystem quota; limits 0: none)
 * A decoder reads exactly the listed fields and refuses anything else: another magic, an
 * unknown type, a non-zero flag, a short or over-long field, trailing bytes, or a number of
 * attached fds other than the type's.  Nothing of a refused message is acted on.
 *
 * Requests (client -> jaild) and their replies:
 *   ACCOUNT       root: user (may they log in now: hours, max)  -> OK | ERROR text
 *   OPEN_SESSION  root: user service tty rhost login_pid       -> SESSION_OPENED session | ERROR
 *   CLOSE_SESSION root: session                                -> OK | ERROR
 *   SPAWN         the user (or root): mode session command term rows cols [3 fds in stdio mode,
 *                 none of them a terminal: jaild refuses those]
 *                 -> SPAWNED pid [pty master fd in pty mode] ... then EXITED status | ERROR
 *   EXEC          admin: user mode argv term rows cols [3 fds]  -> as SPAWN
 *   LIST          admin                                        -> LIST_REPLY jails
 *   KILL          admin: user                                  -> OK | ERROR
 *   RELOAD        admin                                        -> OK | ERROR text
 *   STATUS        admin                                        -> STATUS_REPLY text
 * On the per-session channel (a socket pair jaild hands a jailed process as fd 3):
 *   AUDIT         verdict line                                 -> (none)
 *   LIMITS                                                     -> LIMITS_REPLY jails (one)
 * ERROR carries an errno-style code and a one-line message for the user.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROTO_MAGIC 0x43524c31u /* "CRL1" */
#define PROTO_MAX 65536
#define PROTO_HEADER 8

enum proto_type {
	MSG_OK = 1,
	MSG_ERROR,
	MSG_OPEN_SESSION,
	MSG_SESSION_OPENED,
	MSG_CLOSE_SESSION,
	MSG_SPAWN,
	MSG_EXEC,
	MSG_SPAWNED,
	MSG_EXITED,
	MSG_LIST,
	MSG_LIST_REPLY,
	MSG_KILL,
	MSG_RELOAD,
	MSG_STATUS,
	MSG_STATUS_REPLY,
	MSG_AUDIT,
	MSG_LIMITS,
	MSG_LIMITS_REPLY,
	MSG_ACCOUNT,
	MSG__COUNT
};

enum spawn_mode {
	SPAWN_PTY = 1,
	SPAWN_STDIO = 2,
};

struct proto_jail {
	char *user;
	uint32_t init_pid, sessions;
	uint64_t mem_cur, mem_max, pids_cur, pids_max, cpu_usec;
	uint64_t disk_cur, disk_max, inodes_cur, inodes_max; /* max 0: no quota */
};

/* Every field any message has; a type uses the ones its row lists. */
struct proto_msg {
	uint16_t type;
	char *user, *service, *tty, *rhost, *session, *command, *term, *text, *verdict;
	uint32_t pid, mode, rows, cols, code;
	int32_t status;
	char **argv;
	struct proto_jail *jails;
	uint32_t njails;
	int fds[3];
	size_t nfds;
};

void proto_msg_init(struct proto_msg *m, uint16_t type);
/* Frees the strings and closes any fds still held. */
void proto_msg_clear(struct proto_msg *m);
const char *proto_type_name(unsigned type);
/* How many fds a message of this type carries (SPAWN and EXEC depend on the mode). */
size_t proto_expected_fds(const struct proto_msg *m);

/* Encodes m into buf (PROTO_MAX bytes); returns the length or -EINVAL/-EMSGSIZE. */
ssize_t proto_encode(const struct proto_msg *m, uint8_t *buf, size_t len);
/* Decodes a datagram and the fds that came with it (taking ownership of them: on failure they
 * are closed).  Returns 0 or -EBADMSG with *ret_why naming the fault. */
int proto_decode(const uint8_t *buf, size_t len, int *fds, size_t nfds, struct proto_msg *m,
		 const char **ret_why);

/* Blocking helpers for clients: send m (with m->fds), receive one message. */
int proto_send(int sock, const struct proto_msg *m);
int proto_recv(int sock, struct proto_msg *m, const char **ret_why);
/* Sends an ERROR. */
int proto_send_error(int sock, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
