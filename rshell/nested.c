// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * A program's shell: /.corral/rshell run inside the jail by a program (vim's :!, less's !, any
 * $SHELL -c), as jaild sets SHELL.  It checks each line with the jail's policy and the inner
 * shell's own code, and runs it right here, in the program's directory and on its terminal; but
 * the decision is the session's shell's (broker.c): it asks that shell, which audits the line,
 * counts a refusal against the session's warnings and gives the session's variables.  When it
 * cannot ask (no CORRAL_SHELL_FD, a background job, a process started some other way) it
 * refuses every line: fail closed.  It never talks to jaild.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker-proto.h"
#include "cleanup.h"
#include "fd-util.h"
#include "rshell.h"
#include "strv.h"

/* An answer can wait for a person only through a terminal the session's shell does not read;
 * it answers at once, so a silence this long means it is gone or busy elsewhere. */
#define ANSWER_TIMEOUT_MS 10000

static const char *unreachable = "this program's shell cannot reach your session's shell to "
				 "check the command, so it is refused";

/* Inside a jail, and only there: the policy copy jaild writes on the jail's root.  On the host
 * only root could make /.corral, so outer mode stays what it is for everyone else. */
bool in_jail(void)
{
	struct stat st;

	return lstat(JAIL_POLICY, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == 0 &&
	       !(st.st_mode & 022) && lstat("/.corral", &st) == 0 && S_ISDIR(st.st_mode) &&
	       st.st_uid == 0 && !(st.st_mode & 022);
}

/* The inherited fd that reaches the session's shell, or -1. */
static int broker_fd(void)
{
	const char *s = getenv(BROKER_ENV);
	char *end;
	long fd;
	int type, dom;
	socklen_t l = sizeof(type), ld = sizeof(dom);

	if (!s || !*s)
		return -1;
	errno = 0;
	fd = strtol(s, &end, 10);
	if (errno || *end || fd < 3 || fd > 65535 ||
	    getsockopt((int) fd, SOL_SOCKET, SO_TYPE, &type, &l) < 0 || type != SOCK_SEQPACKET ||
	    getsockopt((int) fd, SOL_SOCKET, SO_DOMAIN, &dom, &ld) < 0 || dom != AF_UNIX)
		return -1;
	/* Handed on to this shell's programs explicitly (broker_child_env), never by accident. */
	(void) fcntl((int) fd, F_SETFD, FD_CLOEXEC);
	return (int) fd;
}

/* The name of the program that started this shell, for the audit line. */
static void parent_name(char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int) getppid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, buf, len - 1) : -1;
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* One request, one answer: 'Y', 'N' or 'Q' with its text in *ret (allocated), or -1. */
static int ask(struct shell *sh, const char *req, size_t len, char **ret, size_t *ret_len)
{
	_cleanup_close_ int mine = -1, theirs = -1;
	int sv[2];
	char *buf;
	ssize_t n;
	struct pollfd p;

	if (sh->broker_peer < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	mine = sv[0];
	theirs = sv[1];
	if (send_with_fds(sh->broker_peer, req, len, &theirs, 1) < 0)
		return -1;
	close(theirs);
	theirs = -1;
	p = (struct pollfd){ .fd = mine, .events = POLLIN };
	if (poll(&p, 1, ANSWER_TIMEOUT_MS) <= 0 || !(buf = malloc(BROKER_MSG_MAX + 1)))
		return -1;
	n = recv(mine, buf, BROKER_MSG_MAX, 0);
	if (n < 2 || !strchr("YNQ", buf[0])) {
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*ret = buf;
	*ret_len = (size_t) n;
	return 0;
}

/* 'N' or 'Q': prints the text; the line's status. */
static int refused(struct shell *sh, const char *a)
{
	fprintf(stderr, "corral: %s\n", a + strlen(a) + 1);
	if (a[0] == 'Q') {
		sh->quit = true;
		sh->exit_code = 1;
	}
	return atoi(a + 1) ? atoi(a + 1) : 126;
}

/* 'Y': the session's warnings and variables. */
static int take(struct shell *sh, const char *a, size_t n)
{
	char **env = calloc(1, sizeof(char *));

	if (!env)
		return -1;
	sh->warnings_left = atoi(a + 1);
	for (const char *e = a + strlen(a) + 1; e < a + n; e += strlen(e) + 1)
		if (strv_push(&env, e) < 0) {
			strv_free(env);
			return -1;
		}
	strv_free(sh->env);
	sh->env = env;
	return 0;
}

static char *request(char kind, int code, const char *program, const char *why, const char *line,
		     size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (kind == 'R')
		fprintf(f, "R%d%c", code, '\0');
	else
		fputc(kind, f);
	fprintf(f, "%s%c", program, '\0');
	if (kind == 'R')
		fprintf(f, "%s%c", why ? why : "refused", '\0');
	fputs(line, f);
	fclose(f);
	*ret_len = len;
	return buf;
}

int nested_ask(struct shell *sh, const char *line)
{
	char prog[32], *a = NULL;
	size_t n, alen;
	_cleanup_free_ char *req = NULL;
	int r;

	parent_name(prog, sizeof(prog));
	req = request('A', 0, prog, NULL, line, &n);
	if (!req || n > BROKER_MSG_MAX || ask(sh, req, n, &a, &alen) < 0) {
		fprintf(stderr, "corral: %s.\n", unreachable);
		return REFUSED;
	}
	r = a[0] == 'Y' && take(sh, a, alen) == 0 ? 0 : REFUSED;
	if (a[0] != 'Y')
		refused(sh, a);
	free(a);
	return r;
}

void nested_refuse(struct shell *sh, const char *line, const char *why, int r)
{
	char prog[32], *a = NULL;
	size_t n, alen;
	_cleanup_free_ char *req = NULL;

	parent_name(prog, sizeof(prog));
	req = request('R', r, prog, why, line, &n);
	if (!req || n > BROKER_MSG_MAX || ask(sh, req, n, &a, &alen) < 0 || a[0] == 'Y') {
		fprintf(stderr, "corral: %s\n", why ? why : "refused");
		free(a);
		return;
	}
	refused(sh, a);
	free(a);
}

/* vim runs a filter as "(CMD) < IN > OUT 2>&1" (its make_filter_cmd() on Unix).  One simple
 * command in the parentheses means the same without them, so it is taken so; anything else stays
 * as written, and is refused as a subshell.  The result is checked like any line. */
static char *unwrap_filter(const char *line)
{
	const char *open = line + strspn(line, " \t"), *close;
	char *out;

	if (*open != '(' || !(close = strchr(open, ')')))
		return NULL;
	if (strpbrk(close + 1, "()") || strcspn(open + 1, "();|&`$\n") < (size_t) (close - open - 1))
		return NULL;
	out = strdup(open + 1);
	if (out)
		out[close - open - 1] = ' ';
	return out;
}

static int usage(void)
{
	fprintf(stderr, "usage: rshell [-c COMMAND]\n");
	return 2;
}

int nested_main(int argc, char **argv)
{
	struct shell sh = { .channel = -1, .broker = -1, .broker_peer = -1, .nested = true };
	const char *command = NULL;
	char *a = NULL;
	size_t alen;
	int code;

	for (int i = 1; i < argc; i++) {
		if (streq(argv[i], "-c") && i + 1 < argc)
			command = argv[++i];
		else if (!streq(argv[i], "-l") && !streq(argv[i], "--login") &&
			 !streq(argv[i], "-i"))
			return usage();
	}
	sh.broker_peer = broker_fd();
	if (load_policy(&sh) < 0)
		return 1;
	/* The session's shell says whether programs' shells run at all, and with what. */
	if (ask(&sh, "H", 1, &a, &alen) < 0) {
		if (!sh.p->v[PK_SHELL_ESCAPES].num)
			fprintf(stderr, "corral: programs' shell escapes are turned off for your "
					"account (shell.escapes)\n");
		else
			fprintf(stderr, "corral: %s.\n", unreachable);
		code = 126;
	} else if (a[0] != 'Y' || take(&sh, a, alen) < 0) {
		code = a[0] == 'Y' ? 126 : refused(&sh, a);
	} else {
		_cleanup_free_ char *plain = command ? unwrap_filter(command) : NULL;
		free(a);
		return shell_run(&sh, plain ? plain : command);
	}
	free(a);
	policy_free(sh.p);
	strv_free(sh.env);
	free(sh.user);
	free(sh.home);
	free(sh.hostname);
	return code;
}
