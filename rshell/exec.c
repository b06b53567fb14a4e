// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Runs a checked line, each part expanded and checked again when its turn comes (sh's order:
 * $? and exports of the parts before it).  Each command is execve()d directly with its parsed
 * argv and the path check.c resolved; no line ever reaches /bin/sh -c or any interpreter.  A foreground
 * pipeline gets its own process group and the terminal, so Ctrl-C stops it and not the shell.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"
#include "rshell.h"
#include "strv.h"

static int apply_redirs(const struct command *c)
{
	for (size_t i = 0; i < c->nredirs; i++) {
		const struct redir *r = &c->redirs[i];
		int fd, target;

		switch (r->type) {
		case R_IN:
			fd = open(r->path, O_RDONLY | O_CLOEXEC);
			target = 0;
			break;
		case R_OUT:
			fd = open(r->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
			target = 1;
			break;
		case R_APPEND:
			fd = open(r->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
			target = 1;
			break;
		case R_ERR:
			fd = open(r->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
			target = 2;
			break;
		default:
			if (dup2(1, 2) < 0)
				return -1;
			continue;
		}
		if (fd < 0) {
			fprintf(stderr, "rshell: %s: %s\n", r->path, strerror(errno));
			return -1;
		}
		if (dup2(fd, target) < 0)
			return -1;
		close(fd);
	}
	return 0;
}

static void reset_signals(void)
{
	sigset_t none;

	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int exec_one(struct shell *sh, const struct command *c, const char *path)
{
	char **argv = c->argv, **env;

	if (apply_redirs(c) < 0)
		_exit(1);
	/* The session channel is rshell's, not the program's; the program's shells ask rshell. */
	if (sh->channel >= 0)
		close(sh->channel);
	env = broker_child_env(sh, sh->env, true);
	secure_prepare(sh, path, &argv, &env);
	execve(path, argv, env);
	fprintf(stderr, "rshell: %s: %s\n", c->argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGINT)
			fputc('\n', stderr);
		return 128 + WTERMSIG(status);
	}
	return 1;
}

/* shell.timeout: a timer that interrupts waitpid(); it repeats each second so that a tick that
 * came just before waitpid() cannot leave the shell waiting for good. */
static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void) sig;
	timed_out = 1;
}

static void timer_arm(int64_t seconds, struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART: waitpid returns */
	struct itimerval it = { .it_value = { .tv_sec = seconds }, .it_interval = { .tv_sec = 1 } };

	timed_out = 0;
	sigaction(SIGALRM, &sa, old);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void timer_disarm(const struct sigaction *old)
{
	struct itimerval none = { 0 };

	setitimer(ITIMER_REAL, &none, NULL);
	sigaction(SIGALRM, old, NULL);
}

static int run_pipeline(struct shell *sh, struct pipeline *pl, char **paths, int64_t timeout)
{
	struct sigaction old_alarm;
	bool killed = false;
	pid_t pgid = 0, last = 0;
	int prev = -1, status = 0, code = 0;
	bool tty = sh->interactive && isatty(0);

	for (size_t j = 0; j < pl->n; j++) {
		int pfd[2] = { -1, -1 };
		pid_t pid;

		if (j + 1 < pl->n && pipe2(pfd, O_CLOEXEC) < 0) {
			perror("rshell: pipe");
			code = 1;
			break;
		}
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "rshell: cannot start %s: %s\n", pl->cmds[j].argv[0],
				strerror(errno));
			if (pfd[0] >= 0) {
				close(pfd[0]);
				close(pfd[1]);
			}
			code = 1;
			break;
		}
		if (pid == 0) {
			setpgid(0, pgid);
			if (tty && !pl->background)
				tcsetpgrp(0, pgid ? pgid : getpid());
			reset_signals();
			if (pl->background && sh->broker_peer >= 0) { /* nobody to answer it */
				close(sh->broker_peer);
				sh->broker_peer = -1;
			}
			if (prev >= 0)
				dup2(prev, 0);
			else if (pl->background)
				dup2(open("/dev/null", O_RDONLY | O_CLOEXEC), 0);
			if (pfd[1] >= 0)
				dup2(pfd[1], 1);
			exec_one(sh, &pl->cmds[j], paths[j]);
		}
		if (!pgid)
			pgid = pid;
		setpgid(pid, pgid);
		if (prev >= 0)
			close(prev);
		if (pfd[1] >= 0)
			close(pfd[1]);
		prev = pfd[0];
		last = pid;
	}
	if (prev >= 0)
		close(prev);
	if (pl->background) {
		if (pgid)
			fprintf(stderr, "[%d]\n", (int) pgid);
		return code;
	}
	if (tty && pgid)
		tcsetpgrp(0, pgid);
	if (timeout > 0 && pgid)
		timer_arm(timeout, &old_alarm);
	/* Wait for the whole pipeline; its status is the last command's. */
	for (;;) {
		pid_t w;

		if (timed_out && !killed) {
			kill(-pgid, SIGKILL);
			killed = true;
		}
		w = pgid ? broker_waitpid(sh, pgid, &status) : -1;
		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (WIFSTOPPED(status)) {
			/* No job control here: a stopped job is simply continued. */
			kill(-pgid, SIGCONT);
			continue;
		}
		if (w == last)
			code = code ? code : status_code(status);
	}
	if (timeout > 0 && pgid)
		timer_disarm(&old_alarm);
	if (tty)
		tcsetpgrp(0, getpgrp());
	if (killed) {
		fprintf(stderr, "corral: %s ran longer than shell.timeout (%llds); it was stopped.\n",
			pl->cmds[0].argv[0], (long long) timeout);
		return 124; /* as timeout(1) */
	}
	return code;
}

/* A file transfer (scp -t/-f, sftp, rsync --server) may take as long as the file does. */
static bool is_transfer(struct shell *sh, const struct pipeline *pl, bool alone)
{
	char *path = NULL, *why = NULL;
	bool transfer = false;

	if (alone && sh->command_mode && pl->n == 1)
		(void) check_transfer(sh, &pl->cmds[0], &path, &why, &transfer);
	free(path);
	free(why);
	return transfer;
}

static int run_part(struct shell *sh, struct pipeline *pl, char **paths, bool alone)
{
	int64_t timeout = sh->p->v[PK_SHELL_TIMEOUT].num;

	if (pl->n == 1 && is_builtin(pl->cmds[0].argv[0]))
		return run_builtin(sh, &pl->cmds[0]);
	if (pl->background || is_transfer(sh, pl, alone))
		timeout = 0;
	return run_pipeline(sh, pl, paths, timeout);
}

/* Each part expanded again with the values it runs with, checked again, and run, in order; && and
 * || decide whether the next one runs. */
int run_line(struct shell *sh, const char *line, const struct cmdlist *l)
{
	int code = 0;

	for (size_t i = 0; i < l->n && !sh->quit; i++) {
		const struct pipeline *src = &l->pipes[i];
		struct lex_env env = shell_lex_env(sh);
		struct pipeline part;
		char **paths = NULL, *why = NULL;
		int r = parse_part(line, src, &env, &part, &why);

		if (r == 0) {
			r = check_part(sh, &part, l->n == 1, &paths, &why);
			if (r == 0)
				code = run_part(sh, &part, paths, l->n == 1);
			strv_free(paths);
			pipeline_free(&part);
		} else {
			r = REFUSED;
		}
		if (r < 0) {
			_cleanup_free_ char *text =
				strndup(line + src->src_start, src->src_end - src->src_start);
			refuse(sh, text ? text : line, why, r);
			free(why);
			sh->last_status = refusal_status(r);
			return sh->last_status; /* the rest of the line does not run */
		}
		sh->last_status = code;
		while (i < l->n && ((l->links[i] == LINK_AND && code != 0) ||
				    (l->links[i] == LINK_OR && code == 0)))
			i++;
	}
	/* Reap finished background jobs. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return code;
}
