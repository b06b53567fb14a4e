// SPDX-License-Identifier: GPL-3.0-or-later
/* The only codec of the jaild protocol (see proto.h): one table says which fields each type
 * carries, and one encoder and one decoder follow it. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>

#include "cleanup.h"
#include "fd-util.h"
#include "parse-util.h"
#include "proto.h"
#include "strv.h"

enum field {
	F_END = 0,
	F_USER,    /* user name */
	F_SERVICE, /* PAM service: name characters */
	F_TTY,     /* printable, may be empty */
	F_RHOST,   /* printable, may be empty */
	F_SESSION, /* hex id, may be empty */
	F_COMMAND, /* printable text, may be empty */
	F_TERM,    /* terminal type: printable, no spaces */
	F_TEXT,    /* printable text */
	F_VERDICT, /* "allowed" / "refused" / free word */
	F_PID,
	F_MODE,
	F_ROWS,
	F_COLS,
	F_CODE,
	F_STATUS,
	F_ARGV,
	F_JAILS,
};

#define FIELDS_MAX 8
static const struct {
	const char *name;
	enum field f[FIELDS_MAX];
	int8_t fds; /* -1: 3 in stdio mode, 0 in pty mode (requests); -2: 1 in pty mode (SPAWNED) */
} types[MSG__COUNT] = {
	[MSG_OK] = { "OK", { F_END } },
	[MSG_ERROR] = { "ERROR", { F_CODE, F_TEXT } },
	[MSG_OPEN_SESSION] = { "OPEN_SESSION", { F_USER, F_SERVICE, F_TTY, F_RHOST, F_PID } },
	[MSG_SESSION_OPENED] = { "SESSION_OPENED", { F_SESSION } },
	[MSG_CLOSE_SESSION] = { "CLOSE_SESSION", { F_SESSION } },
	[MSG_SPAWN] = { "SPAWN", { F_MODE, F_SESSION, F_COMMAND, F_TERM, F_ROWS, F_COLS }, -1 },
	[MSG_EXEC] = { "EXEC", { F_USER, F_MODE, F_ARGV, F_TERM, F_ROWS, F_COLS }, -1 },
	[MSG_SPAWNED] = { "SPAWNED", { F_PID, F_MODE }, -2 },
	[MSG_EXITED] = { "EXITED", { F_STATUS } },
	[MSG_LIST] = { "LIST", { F_END } },
	[MSG_LIST_REPLY] = { "LIST_REPLY", { F_JAILS } },
	[MSG_KILL] = { "KILL", { F_USER } },
	[MSG_RELOAD] = { "RELOAD", { F_END } },
	[MSG_STATUS] = { "STATUS", { F_END } },
	[MSG_STATUS_REPLY] = { "STATUS_REPLY", { F_TEXT } },
	[MSG_AUDIT] = { "AUDIT", { F_VERDICT, F_COMMAND } },
	[MSG_LIMITS] = { "LIMITS", { F_END } },
	[MSG_LIMITS_REPLY] = { "LIMITS_REPLY", { F_JAILS } },
	[MSG_ACCOUNT] = { "ACCOUNT", { F_USER } },
};

#define ARGV_MAX 256
#define JAILS_MAX 100000
#define TEXT_MAX 16384

const char *proto_type_name(unsigned type)
{
	return type > 0 && type < MSG__COUNT ? types[type].name : "?";
}

void proto_msg_init(struct proto_msg *m, uint16_t type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->fds[0] = m->fds[1] = m->fds[2] = -1;
}

void proto_msg_clear(struct proto_msg *m)
{
	free(m->user);
	free(m->service);
	free(m->tty);
	free(m->rhost);
	free(m->session);
	free(m->command);
	free(m->term);
	free(m->text);
	free(m->verdict);
	strv_free(m->argv);
	for (uint32_t i = 0; i < m->njails; i++)
		free(m->jails[i].user);
	free(m->jails);
	close_fds(m->fds, m->nfds);
	proto_msg_init(m, 0);
}

size_t proto_expected_fds(const struct proto_msg *m)
{
	if (m->type >= MSG__COUNT)
		return 0;
	switch (types[m->type].fds) {
	case -1: return m->mode == SPAWN_STDIO ? 3 : 0;
	case -2: return m->mode == SPAWN_PTY ? 1 : 0;
	default: return (size_t) types[m->type].fds;
	}
}

/* ---- encoding ---- */

struct wbuf {
	uint8_t *p;
	size_t len, cap;
	int err;
};

static void put_bytes(struct wbuf *w, const void *b, size_t n)
{
	if (w->err || n > w->cap - w->len) {
		w->err = -EMSGSIZE;
		return;
	}
	memcpy(w->p + w->len, b, n);
	w->len += n;
}

static void put_u16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t) (v >> 8), (uint8_t) v };
	put_bytes(w, b, 2);
}

static void put_u32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t) (v >> 24), (uint8_t) (v >> 16), (uint8_t) (v >> 8),
			 (uint8_t) v };
	put_bytes(w, b, 4);
}

static void put_u64(struct wbuf *w, uint64_t v)
{
	put_u32(w, (uint32_t) (v >> 32));
	put_u32(w, (uint32_t) v);
}

static void put_str(struct wbuf *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_u32(w, (uint32_t) n);
	put_bytes(w, s ? s : "", n);
}

static char **str_field(struct proto_msg *m, enum field f)
{
	switch (f) {
	case F_USER: return &m->user;
	case F_SERVICE: return &m->service;
	case F_TTY: return &m->tty;
	case F_RHOST: return &m->rhost;
	case F_SESSION: return &m->session;
	case F_COMMAND: return &m->command;
	case F_TERM: return &m->term;
	case F_TEXT: return &m->text;
	case F_VERDICT: return &m->verdict;
	default: return NULL;
	}
}

static uint32_t *u32_field(struct proto_msg *m, enum field f)
{
	switch (f) {
	case F_PID: return &m->pid;
	case F_MODE: return &m->mode;
	case F_ROWS: return &m->rows;
	case F_COLS: return &m->cols;
	case F_CODE: return &m->code;
	case F_STATUS: return (uint32_t *) &m->status;
	default: return NULL;
	}
}

ssize_t proto_encode(const struct proto_msg *cm, uint8_t *buf, size_t len)
{
	struct proto_msg *m = (struct proto_msg *) cm; /* the field getters are shared */
	struct wbuf w = { buf, 0, len, 0 };

	if (m->type == 0 || m->type >= MSG__COUNT)
		return -EINVAL;
	put_u32(&w, PROTO_MAGIC);
	put_u16(&w, m->type);
	put_u16(&w, 0);
	for (int i = 0; i < FIELDS_MAX && types[m->type].f[i] != F_END; i++) {
		enum field f = types[m->type].f[i];
		if (str_field(m, f))
			put_str(&w, *str_field(m, f));
		else if (u32_field(m, f))
			put_u32(&w, *u32_field(m, f));
		else if (f == F_ARGV) {
			put_u32(&w, (uint32_t) strv_length(m->argv));
			for (size_t j = 0; m->argv && m->argv[j]; j++)
				put_str(&w, m->argv[j]);
		} else if (f == F_JAILS) {
			put_u32(&w, m->njails);
			for (uint32_t j = 0; j < m->njails; j++) {
				const struct proto_jail *jl = &m->jails[j];
				put_str(&w, jl->user);
				put_u32(&w, jl->init_pid);
				put_u32(&w, jl->sessions);
				put_u64(&w, jl->mem_cur);
				put_u64(&w, jl->mem_max);
				put_u64(&w, jl->pids_cur);
				put_u64(&w, jl->pids_max);
				put_u64(&w, jl->cpu_usec);
				put_u64(&w, jl->disk_cur);
				put_u64(&w, jl->disk_max);
				put_u64(&w, jl->inodes_cur);
				put_u64(&w, jl->inodes_max);
			}
		}
	}
	return w.err ? w.err : (ssize_t) w.len;
}

/* ---- decoding ---- */

struct rbuf {
	const uint8_t *p;
	size_t len, off;
	const char *why;
};

static bool get_bytes(struct rbuf *r, void *out, size_t n)
{
	if (r->why)
		return false;
	if (n > r->len - r->off) {
		r->why = "message ends inside a field";
		return false;
	}
	memcpy(out, r->p + r->off, n);
	r->off += n;
	return true;
}

static bool get_u16(struct rbuf *r, uint16_t *v)
{
	uint8_t b[2];
	if (!get_bytes(r, b, 2))
		return false;
	*v = (uint16_t) (b[0] << 8 | b[1]);
	return true;
}

static bool get_u32(struct rbuf *r, uint32_t *v)
{
	uint8_t b[4];
	if (!get_bytes(r, b, 4))
		return false;
	*v = (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 | (uint32_t) b[2] << 8 | b[3];
	return true;
}

static bool get_u64(struct rbuf *r, uint64_t *v)
{
	uint32_t hi, lo;
	if (!get_u32(r, &hi) || !get_u32(r, &lo))
		return false;
	*v = (uint64_t) hi << 32 | lo;
	return true;
}

static bool printable(const char *s, bool spaces, bool lines)
{
	for (; *s; s++) {
		if (lines && (*s == '\n' || *s == '\t'))
			continue;
		if ((unsigned char) *s < 0x20 || *s == 0x7f || (!spaces && *s == ' '))
			return false;
	}
	return true;
}

/* Reads a string and checks the field's rules; NULs never pass (the length would lie). */
static bool get_str(struct rbuf *r, enum field f, char **out)
{
	uint32_t n;
	size_t max = f == F_COMMAND || f == F_TEXT ? TEXT_MAX : 256;
	char *s;

	if (!get_u32(r, &n))
		return false;
	if (n > max) {
		r->why = "string field too long";
		return false;
	}
	s = malloc(n + 1);
	if (!s || !get_bytes(r, s, n)) {
		if (!s)
			r->why = "out of memory";
		free(s);
		return false;
	}
	s[n] = '\0';
	if (memchr(s, '\0', n)) {
		r->why = "NUL byte inside a string";
		free(s);
		return false;
	}
	switch (f) {
	case F_USER:
		if (!name_is_valid(s))
			r->why = "not a valid user name";
		break;
	case F_SERVICE:
		if (!n || !printable(s, false, false))
			r->why = "not a valid service name";
		break;
	case F_SESSION:
		for (uint32_t i = 0; i < n && !r->why; i++)
			if (!strchr("0123456789abcdef", s[i]))
				r->why = "session id is not lower-case hex";
		break;
	case F_TERM:
	case F_TTY:
	case F_RHOST:
	case F_VERDICT:
		if (!printable(s, false, false))
			r->why = "control character or space in a name field";
		break;
	case F_COMMAND:
		/* A command is one line: a newline would forge a second line in logs and shells. */
		if (!printable(s, true, false))
			r->why = "control character in a command";
		break;
	default:
		/* Messages and argv may span lines; other control characters never pass. */
		if (!printable(s, true, true))
			r->why = "control character in a text field";
		break;
	}
	if (r->why) {
		free(s);
		return false;
	}
	*out = s;
	return true;
}

static bool get_field(struct rbuf *r, struct proto_msg *m, enum field f)
{
	uint32_t n;

	if (str_field(m, f))
		return get_str(r, f, str_field(m, f));
	if (u32_field(m, f))
		return get_u32(r, u32_field(m, f));
	if (!get_u32(r, &n))
		return false;
	if (f == F_ARGV) {
		if (n == 0 || n > ARGV_MAX) {
			r->why = "argv count out of range";
			return false;
		}
		m->argv = calloc(n + 1, sizeof(char *));
		if (!m->argv)
			return false;
		for (uint32_t i = 0; i < n; i++)
			if (!get_str(r, F_TEXT, &m->argv[i]))
				return false;
		return true;
	}
	/* F_JAILS: bound the count by what the datagram can hold before allocating. */
	if (n > JAILS_MAX || n > (r->len - r->off) / 80) {
		r->why = "jail count out of range";
		return false;
	}
	m->jails = calloc(n ? n : 1, sizeof(struct proto_jail));
	if (!m->jails)
		return false;
	for (; m->njails < n; m->njails++) {
		struct proto_jail *j = &m->jails[m->njails];
		if (!get_str(r, F_USER, &j->user) || !get_u32(r, &j->init_pid) ||
		    !get_u32(r, &j->sessions) || !get_u64(r, &j->mem_cur) ||
		    !get_u64(r, &j->mem_max) || !get_u64(r, &j->pids_cur) ||
		    !get_u64(r, &j->pids_max) || !get_u64(r, &j->cpu_usec) ||
		    !get_u64(r, &j->disk_cur) || !get_u64(r, &j->disk_max) ||
		    !get_u64(r, &j->inodes_cur) || !get_u64(r, &j->inodes_max)) {
			if (j->user)
				m->njails++;
			return false;
		}
	}
	return true;
}

int proto_decode(const uint8_t *buf, size_t len, int *fds, size_t nfds, struct proto_msg *m,
		 const char **ret_why)
{
	struct rbuf r = { buf, len, 0, NULL };
	uint32_t magic;
	uint16_t type, flags;

	proto_msg_init(m, 0);
	for (size_t i = 0; i < nfds && i < 3; i++)
		m->fds[i] = fds[i];
	m->nfds = nfds;
	if (!get_u32(&r, &magic) || !get_u16(&r, &type) || !get_u16(&r, &flags))
		r.why = "message shorter than its header";
	else if (magic != PROTO_MAGIC)
		r.why = "unknown protocol magic or version";
	else if (type == 0 || type >= MSG__COUNT)
		r.why = "unknown message type";
	else if (flags != 0)
		r.why = "unknown flags";
	m->type = r.why ? 0 : type;
	for (int i = 0; !r.why && i < FIELDS_MAX && types[type].f[i] != F_END; i++)
		if (!get_field(&r, m, types[type].f[i]) && !r.why)
			r.why = "out of memory";
	if (!r.why && r.off != r.len)
		r.why = "trailing bytes after the last field";
	if (!r.why && (m->type == MSG_SPAWN || m->type == MSG_EXEC || m->type == MSG_SPAWNED) &&
	    m->mode != SPAWN_PTY && m->mode != SPAWN_STDIO)
		r.why = "unknown spawn mode";
	if (!r.why && (m->rows > 10000 || m->cols > 10000))
		r.why = "window size out of range";
	if (!r.why && nfds != proto_expected_fds(m))
		r.why = "wrong number of file descriptors attached";
	if (r.why) {
		proto_msg_clear(m);
		*ret_why = r.why;
		return -EBADMSG;
	}
	return 0;
}

int proto_send(int sock, const struct proto_msg *m)
{
	_cleanup_free_ uint8_t *buf = malloc(PROTO_MAX);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = proto_encode(m, buf, PROTO_MAX);
	if (n < 0)
		return (int) n;
	n = send_with_fds(sock, buf, (size_t) n, m->fds, m->nfds);
	return n < 0 ? (int) n : 0;
}

int proto_recv(int sock, struct proto_msg *m, const char **ret_why)
{
	_cleanup_free_ uint8_t *buf = malloc(PROTO_MAX);
	int fds[FDS_MAX];
	size_t nfds = 0;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		n = recv_with_fds(sock, buf, PROTO_MAX, fds, &nfds);
		if (n != -EAGAIN)
			break;
		/* recv_with_fds never blocks; wait for the reply. */
		struct pollfd p = { .fd = sock, .events = POLLIN };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -errno;
	}
	if (n < 0) {
		*ret_why = strerror((int) -n);
		return (int) n;
	}
	if (n == 0) {
		*ret_why = "connection closed";
		return -ECONNRESET;
	}
	return proto_decode(buf, (size_t) n, fds, nfds, m, ret_why);
}

int proto_send_error(int sock, int code, const char *fmt, ...)
{
	struct proto_msg m;
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	proto_msg_init(&m, MSG_ERROR);
	m.code = (uint32_t) code;
	m.text = text;
	return proto_send(sock, &m);
}
