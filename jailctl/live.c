// SPDX-License-Identifier: GPL-3.0-or-later
/* jailctl list, kill, exec, reload, status: the verbs that ask jaild.  jaild decides who may
 * (root or its --admin-group); this side only words the answer. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "client.h"
#include "jailctl.h"
#include "parse-util.h"
#include "ptyproxy.h"
#include "stdio-relay.h"
#include "strv.h"

static const char *socket_path = DEFAULT_SOCKET;

/* Shared option parsing: --socket PATH and --help. Returns optind or -exit code. */
static int common_opts(int argc, char **argv, const char *verb, bool *json)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+S:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'S': socket_path = optarg; break;
		case 'j':
			if (!json)
				return -verb_usage(verb, 2);
			*json = true;
			break;
		case 'h': return -verb_usage(verb, 0) - 1000;
		default: return -verb_usage(verb, 2);
		}
	}
	return optind;
}

static int connect_or_say(void)
{
	int fd = jaild_connect(socket_path, 30000);

	if (fd < 0)
		say("cannot reach jaild at %s: %s; is it running?", socket_path, strerror(-fd));
	return fd;
}

/* Sends a request with no fields and prints an ERROR reply; returns the reply in *r. */
static int simple_call(uint16_t type, const char *user, struct proto_msg *r)
{
	_cleanup_close_ int fd = connect_or_say();
	struct proto_msg q;
	const char *why = NULL;

	if (fd < 0)
		return 1;
	proto_msg_init(&q, type);
	q.user = (char *) user;
	if (jaild_call(fd, &q, r, &why) < 0) {
		say("jaild: %s", why ? why : "no answer");
		return 1;
	}
	if (r->type == MSG_ERROR) {
		say("%s", r->text);
		proto_msg_clear(r);
		return 1;
	}
	return 0;
}

static int handle_help(int oi)
{
	return oi <= -1000 ? 0 : -oi;
}

static void fmt_bytes(uint64_t v, char *buf, size_t len)
{
	if (v == UINT64_MAX)
		snprintf(buf, len, "max");
	else if (v >= (UINT64_C(1) << 30))
		snprintf(buf, len, "%.1fG", (double) v / (1 << 30));
	else if (v >= (UINT64_C(1) << 20))
		snprintf(buf, len, "%.1fM", (double) v / (1 << 20));
	else
		snprintf(buf, len, "%.1fK", (double) v / 1024);
}

/* Disk and files against the filesystem quota; "-" where the jail has none. */
static void list_quota_columns(const struct proto_jail *j)
{
	char cur[32], max[32], files[48];

	if (j->disk_max) {
		fmt_bytes(j->disk_cur, cur, sizeof(cur));
		fmt_bytes(j->disk_max, max, sizeof(max));
	} else {
		snprintf(cur, sizeof(cur), "-");
		snprintf(max, sizeof(max), "-");
	}
	if (j->inodes_max)
		snprintf(files, sizeof(files), "%llu/%llu", (unsigned long long) j->inodes_cur,
			 (unsigned long long) j->inodes_max);
	else
		snprintf(files, sizeof(files), "-");
	printf(" %10s/%-10s %15s\n", cur, max, files);
}

int cmd_list(int argc, char **argv)
{
	bool json = false;
	int oi = common_opts(argc, argv, "list", &json);
	struct proto_msg r;

	if (oi < 0)
		return handle_help(oi);
	if (oi != argc)
		return verb_usage("list", 2);
	if (simple_call(MSG_LIST, NULL, &r))
		return 1;
	if (json) {
		printf("[");
		for (uint32_t i = 0; i < r.njails; i++) {
			const struct proto_jail *j = &r.jails[i];
			printf("%s\n  {\"user\": \"%s\", \"init_pid\": %u, \"sessions\": %u, "
			       "\"memory_current\": %llu, \"memory_max\": %lld, \"pids_current\": "
			       "%llu, \"pids_max\": %lld, \"cpu_usec\": %llu, \"disk_current\": %llu, "
			       "\"disk_max\": %llu, \"inodes_current\": %llu, \"inodes_max\": %llu}",
			       i ? "," : "", j->user, j->init_pid, j->sessions,
			       (unsigned long long) j->mem_cur,
			       j->mem_max == UINT64_MAX ? -1LL : (long long) j->mem_max,
			       (unsigned long long) j->pids_cur,
			       j->pids_max == UINT64_MAX ? -1LL : (long long) j->pids_max,
			       (unsigned long long) j->cpu_usec, (unsigned long long) j->disk_cur,
			       (unsigned long long) j->disk_max, (unsigned long long) j->inodes_cur,
			       (unsigned long long) j->inodes_max);
		}
		printf("%s]\n", r.njails ? "\n" : "");
	} else {
		printf("%-16s %8s %8s %21s %13s %10s %21s %15s\n", "USER", "INIT", "SESSIONS",
		       "MEMORY", "PIDS", "CPU", "DISK", "FILES");
		for (uint32_t i = 0; i < r.njails; i++) {
			const struct proto_jail *j = &r.jails[i];
			char cur[32], max[32], pids[32], cpu[32];
			fmt_bytes(j->mem_cur, cur, sizeof(cur));
			fmt_bytes(j->mem_max, max, sizeof(max));
			if (j->pids_max == UINT64_MAX)
				snprintf(pids, sizeof(pids), "%llu/max",
					 (unsigned long long) j->pids_cur);
			else
				snprintf(pids, sizeof(pids), "%llu/%llu",
					 (unsigned long long) j->pids_cur,
					 (unsigned long long) j->pids_max);
			snprintf(cpu, sizeof(cpu), "%.2fs", (double) j->cpu_usec / 1e6);
			printf("%-16s %8u %8u %10s/%-10s %13s %10s", j->user, j->init_pid,
			       j->sessions, cur, max, pids, cpu);
			list_quota_columns(j);
		}
	}
	proto_msg_clear(&r);
	return 0;
}

int cmd_kill(int argc, char **argv)
{
	int oi = common_opts(argc, argv, "kill", NULL);
	struct proto_msg r;

	if (oi < 0)
		return handle_help(oi);
	if (oi + 1 != argc)
		return verb_usage("kill", 2);
	if (!name_is_valid(argv[oi])) {
		say("'%.64s' is not a user name", argv[oi]);
		return 2;
	}
	if (simple_call(MSG_KILL, argv[oi], &r))
		return 1;
	printf("jail of %s ended\n", argv[oi]);
	proto_msg_clear(&r);
	return 0;
}

int cmd_reload(int argc, char **argv)
{
	int oi = common_opts(argc, argv, "reload", NULL);
	struct proto_msg r;

	if (oi < 0)
		return handle_help(oi);
	if (oi != argc)
		return verb_usage("reload", 2);
	if (simple_call(MSG_RELOAD, NULL, &r))
		return 1;
	puts("policies reloaded");
	proto_msg_clear(&r);
	return 0;
}

int cmd_status(int argc, char **argv)
{
	int oi = common_opts(argc, argv, "status", NULL);
	struct proto_msg r;

	if (oi < 0)
		return handle_help(oi);
	if (oi != argc)
		return verb_usage("status", 2);
	if (simple_call(MSG_STATUS, NULL, &r))
		return 1;
	puts(r.text);
	proto_msg_clear(&r);
	return 0;
}

int cmd_exec(int argc, char **argv)
{
	int oi = common_opts(argc, argv, "exec", NULL);
	_cleanup_(stdio_relay_close) struct stdio_relay relay = STDIO_RELAY_INIT;
	_cleanup_close_ int fd = -1;
	struct proto_msg q, r;
	const char *why = NULL, *term = getenv("TERM");
	bool tty = isatty(0) && isatty(1);
	int code = 1, e;

	if (oi < 0)
		return handle_help(oi);
	if (oi < argc && streq(argv[oi], "--"))
		oi++; /* getopt stopped at the user; "--" may follow it */
	if (oi + 2 > argc)
		return verb_usage("exec", 2);
	if (!name_is_valid(argv[oi])) {
		say("'%.64s' is not a user name", argv[oi]);
		return 2;
	}
	const char *user = argv[oi++];
	if (oi < argc && streq(argv[oi], "--"))
		oi++;
	if (oi >= argc)
		return verb_usage("exec", 2);
	if (argv[oi][0] != '/') {
		say("'%.64s': give the program's absolute path inside the jail", argv[oi]);
		return 2;
	}
	fd = connect_or_say();
	if (fd < 0)
		return 1;
	proto_msg_init(&q, MSG_EXEC);
	q.user = (char *) user;
	q.argv = argv + oi;
	q.term = (char *) (term ? term : "");
	/* Never hand our terminal into a jail: with a terminal, the jail gets a pty of its own;
	 * with only some of 0-2 terminals, pipes relayed here stand in for them. */
	q.mode = tty ? SPAWN_PTY : SPAWN_STDIO;
	if (!tty) {
		e = stdio_relay_open(&relay);
		if (e < 0) {
			say("cannot make pipes to relay the terminal: %s", strerror(-e));
			return 1;
		}
		memcpy(q.fds, relay.pass, sizeof(q.fds));
		q.nfds = 3;
	} else {
		struct winsize ws;
		if (ioctl(0, TIOCGWINSZ, &ws) == 0) {
			q.rows = ws.ws_row;
			q.cols = ws.ws_col;
		}
	}
	e = jaild_call(fd, &q, &r, &why);
	stdio_relay_close_far(&relay);
	if (e < 0) {
		say("jaild: %s", why ? why : "no answer");
		return 1;
	}
	if (r.type == MSG_ERROR) {
		say("%s", r.text);
		proto_msg_clear(&r);
		return 1;
	}
	if (r.type != MSG_SPAWNED) {
		say("jaild answered %s", proto_type_name(r.type));
		proto_msg_clear(&r);
		return 1;
	}
	if (tty && r.nfds == 1)
		(void) pty_proxy(0, 1, r.fds[0], fd);
	else
		(void) stdio_relay_run(&relay, fd);
	proto_msg_clear(&r);
	if (proto_recv(fd, &r, &why) < 0) {
		say("jaild went away before the command ended");
		return 1;
	}
	if (r.type == MSG_EXITED)
		code = exit_code_of(r.status);
	proto_msg_clear(&r);
	return code;
}
