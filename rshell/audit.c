// SPDX-License-Identifier: GPL-3.0-or-later
/* The session channel (fd 3, from jaild): every command line with its verdict goes to jaild's
 * audit log; `limits` asks for the jail's live quotas. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JSON_MAX 1024
/* jaild keeps 1023 bytes of a command, with its escapes: room for the other fields and for a
 * backslash before each quote. */
#define JSON_COMMAND_MAX 400

#include "proto.h"
#include "rshell.h"

/* Appends s as a JSON string.  Only " and \\ need escaping: the line is already free of control
 * characters. */
static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* shell.audit_format = "json": one object, sent as the command with the verdict "json" (jaild
 * logs it after "rshell: json: ").  The command is cut so that the whole object fits jaild's
 * line and stays valid JSON. */
static int audit_json(struct shell *sh, const char *verdict, char *clean, char out[JSON_MAX])
{
	char stamp[32], *text = NULL;
	size_t len = 0;
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;

	if (strlen(clean) > JSON_COMMAND_MAX) {
		clean[JSON_COMMAND_MAX] = '\0';
		while (JSON_COMMAND_MAX > 0 && strlen(clean) && ((unsigned char) clean[strlen(clean) - 1] & 0xc0) == 0x80)
			clean[strlen(clean) - 1] = '\0'; /* never half a UTF-8 character */
	}
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	f = open_memstream(&text, &len);
	if (!f)
		return -1;
	fprintf(f, "{\"time\":\"%s\",\"user\":", stamp);
	json_string(f, sh->user ? sh->user : "");
	fputs(",\"verdict\":", f);
	json_string(f, verdict);
	fputs(",\"command\":", f);
	json_string(f, clean);
	fputc('}', f);
	fclose(f);
	if (!text || len >= JSON_MAX) {
		free(text);
		return -1;
	}
	memcpy(out, text, len + 1);
	free(text);
	return 0;
}

void audit(struct shell *sh, const char *verdict, const char *line)
{
	struct proto_msg m;
	char clean[4096], json[JSON_MAX];
	size_t i;

	if (sh->channel < 0)
		return;
	/* One printable line, whatever the user typed. */
	for (i = 0; line[i] && i < sizeof(clean) - 1; i++)
		clean[i] = ((unsigned char) line[i] < 0x20 || line[i] == 0x7f) ? '?' : line[i];
	clean[i] = '\0';
	proto_msg_init(&m, MSG_AUDIT);
	m.verdict = (char *) verdict;
	m.command = clean;
	if (sh->p->v[PK_SHELL_AUDIT_FORMAT].num == 1 && audit_json(sh, verdict, clean, json) == 0) {
		m.verdict = (char *) "json";
		m.command = json;
	}
	(void) proto_send(sh->channel, &m);
}

static void human(uint64_t v, char *buf, size_t len)
{
	if (v == UINT64_MAX)
		snprintf(buf, len, "unlimited");
	else if (v >= (UINT64_C(1) << 30))
		snprintf(buf, len, "%.1fG", (double) v / (1 << 30));
	else if (v >= (UINT64_C(1) << 20))
		snprintf(buf, len, "%.1fM", (double) v / (1 << 20));
	else
		snprintf(buf, len, "%.0fK", (double) v / 1024);
}

/* Appends the filesystem quota (as the kernel holds it) and the I/O caps (from the policy). */
static void limits_disk_io(struct shell *sh, const struct proto_jail *j, char *out, size_t len)
{
	const struct pval *rd = &sh->p->v[PK_LIMITS_IO_READ], *wr = &sh->p->v[PK_LIMITS_IO_WRITE];
	size_t n = strlen(out);
	char cur[32], max[32];

	if (j->disk_max) {
		human(j->disk_cur, cur, sizeof(cur));
		human(j->disk_max, max, sizeof(max));
		n += (size_t) snprintf(out + n, n < len ? len - n : 0, "disk:      %s of %s\n", cur,
				       max);
	}
	if (j->inodes_max && n < len)
		n += (size_t) snprintf(out + n, len - n, "files:     %llu of %llu\n",
				       (unsigned long long) j->inodes_cur,
				       (unsigned long long) j->inodes_max);
	if (!j->disk_max && !j->inodes_max && n < len &&
	    (sh->p->v[PK_LIMITS_DISK].set || sh->p->v[PK_LIMITS_INODES].set))
		n += (size_t) snprintf(out + n, len - n, "disk:      no quota on this host\n");
	if (rd->set && rd->num != VALUE_UNLIMITED && n < len) {
		human((uint64_t) rd->num, cur, sizeof(cur));
		n += (size_t) snprintf(out + n, len - n, "disk read: %s/s\n", cur);
	}
	if (wr->set && wr->num != VALUE_UNLIMITED && n < len) {
		human((uint64_t) wr->num, cur, sizeof(cur));
		(void) snprintf(out + n, len - n, "disk write: %s/s\n", cur);
	}
}

int query_limits(struct shell *sh, char *out, size_t len)
{
	struct proto_msg m, r;
	struct pollfd p = { .fd = sh->channel, .events = POLLIN };
	const char *why = NULL;
	char cur[32], max[32];

	if (sh->channel < 0)
		return -ENOTCONN;
	proto_msg_init(&m, MSG_LIMITS);
	if (proto_send(sh->channel, &m) < 0 || poll(&p, 1, 3000) <= 0 ||
	    proto_recv(sh->channel, &r, &why) < 0)
		return -EIO;
	if (r.type != MSG_LIMITS_REPLY || r.njails != 1) {
		proto_msg_clear(&r);
		return -EIO;
	}
	human(r.jails[0].mem_cur, cur, sizeof(cur));
	human(r.jails[0].mem_max, max, sizeof(max));
	snprintf(out, len,
		 "memory:    %s of %s\nprocesses: %llu of %llu\ncpu time:  %.1fs\n"
		 "cpu quota: %lld%% of one CPU\n",
		 cur, max, (unsigned long long) r.jails[0].pids_cur,
		 (unsigned long long) r.jails[0].pids_max, (double) r.jails[0].cpu_usec / 1e6,
		 (long long) sh->p->v[PK_LIMITS_CPU].num);
	limits_disk_io(sh, &r.jails[0], out, len);
	proto_msg_clear(&r);
	return 0;
}
