// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Inner mode: rshell inside the jail, as the user.  Reads the jail's policy copy (fail closed
 * when it cannot), then either runs one -c command or a readline session with history, a prompt
 * from the policy and an idle timeout, or lines from a pipe.  Each line is checked whole, audited
 * and run; every refusal says why and how many warnings are left, and the session ends at zero,
 * with a terminal or without.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "rshell.h"
#include "strv.h"

extern char **environ;

static struct shell *the_shell; /* for readline's hooks, which take no argument */
static time_t last_input;
static bool idle_expired;

int refusal_status(int r)
{
	return r == REFUSED_BUILTIN ? 1 : r == REFUSED_ABSENT ? 127 : 126;
}

char *refusal_note(struct shell *sh, const char *verdict, const char *line, const char *why, int r)
{
	char *text;

	audit(sh, verdict, line);
	if (!why)
		why = "refused";
	if (sh->command_mode) /* one line: it ends here, and there is nothing to count */
		return strdup(why);
	if (r == REFUSED_ABSENT)
		return strdup_printf("%s; that uses no warning.", why);
	if (--sh->warnings_left > 0)
		return strdup_printf("%s. %d warning%s left.", why, sh->warnings_left,
				     sh->warnings_left == 1 ? "" : "s");
	text = strdup_printf("%s. 0 warnings left; the session ends.", why);
	audit(sh, "session-ended", "warnings exhausted");
	sh->quit = true;
	sh->exit_code = 1;
	return text;
}

void refuse(struct shell *sh, const char *line, const char *why, int r)
{
	char *text;

	if (sh->nested) {
		nested_refuse(sh, line, why, r);
		return;
	}
	text = refusal_note(sh, "refused", line, why, r);
	fprintf(stderr, "corral: %s\n", text ? text : "refused");
	free(text);
}

/* A line is checked whole, then run part by part; each decision is one audit line. */
int handle_line(struct shell *sh, const char *line)
{
	struct lex_env env = shell_lex_env(sh);
	struct cmdlist l;
	char *why = NULL;
	int r;

	if (parse_line(line, &env, &l, &why) < 0) {
		refuse(sh, line, why ? why : "cannot read that line", REFUSED);
		free(why);
		sh->last_status = 2;
		return 2;
	}
	if (l.n == 0) {
		cmdlist_free(&l);
		return sh->last_status;
	}
	r = check_line(sh, line, &l, &why);
	if (r < 0) {
		refuse(sh, line, why, r);
		free(why);
		cmdlist_free(&l);
		sh->last_status = refusal_status(r);
		return sh->last_status;
	}
	if (sh->nested ? nested_ask(sh, line) < 0 : (audit(sh, "allowed", line), false)) {
		cmdlist_free(&l);
		sh->last_status = refusal_status(REFUSED);
		return sh->last_status;
	}
	r = run_line(sh, line, &l);
	cmdlist_free(&l);
	return r;
}

/* The prompt: %u user, %h host name, %w directory (~ for home), %% a percent.  Control
 * characters (a directory named with escape codes) are shown as '?'. */
static char *make_prompt(struct shell *sh)
{
	const char *fmt = sh->p->v[PK_SHELL_PROMPT].str;
	char cwd[PATH_MAX], *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return strdup("$ ");
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "?");
	for (const char *p = fmt; *p; p++) {
		const char *add = NULL;
		char tmp[PATH_MAX + 2];
		if (*p != '%' || !p[1]) {
			fputc(*p, f);
			continue;
		}
		switch (*++p) {
		case 'u': add = sh->user; break;
		case 'h': add = sh->hostname; break;
		case 'w':
			if (path_is_under(cwd, sh->home) && strcmp(sh->home, "/") != 0) {
				snprintf(tmp, sizeof(tmp), "~%s", cwd + strlen(sh->home));
				add = tmp;
			} else {
				add = cwd;
			}
			break;
		default: add = "%"; break;
		}
		for (const char *c = add; *c; c++)
			fputc((unsigned char) *c < 0x20 || *c == 0x7f ? '?' : *c, f);
	}
	fclose(f);
	return out;
}

static int idle_hook(void)
{
	int64_t idle = the_shell->p->v[PK_SHELL_IDLE].num;

	if (idle > 0 && time(NULL) - last_input >= idle) {
		idle_expired = true;
		rl_done = 1;
	}
	return 0;
}

static void on_sigint(int sig)
{
	(void) sig;
	/* At the prompt, Ctrl-C abandons the line, as in sh. */
	(void) !write(1, "\n", 1);
	rl_on_new_line();
	rl_replace_line("", 0);
	rl_redisplay();
}

static void history_path(struct shell *sh, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", sh->home, HISTORY_FILE);
}

static int interactive_loop(struct shell *sh)
{
	char hist[PATH_MAX];
	struct sigaction sa = { .sa_handler = on_sigint };
	int history_max = (int) sh->p->v[PK_SHELL_HISTORY].num;

	the_shell = sh;
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	sigaction(SIGINT, &sa, NULL);
	/* rshell owns the terminal's foreground group between commands. */
	setpgid(0, 0);
	tcsetpgrp(0, getpgrp());
	rl_catch_signals = 0;
	rl_readline_name = "rshell";
	rl_event_hook = idle_hook;
	rl_set_keyboard_input_timeout(200000);
	completion_setup(sh);
	using_history();
	history_path(sh, hist, sizeof(hist));
	if (history_max > 0) {
		stifle_history(history_max);
		/* append_history() only appends: make the file (the user's alone) if it is new. */
		if (read_history(hist) == ENOENT) {
			int fd = open(hist, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
			if (fd >= 0)
				close(fd);
		}
	}
	printf("corral: restricted shell on %s; type help for what you may do.\n", sh->hostname);
	if (sh->p->v[PK_SHELL_INTRO].set && sh->p->v[PK_SHELL_INTRO].str[0]) {
		const char *intro = sh->p->v[PK_SHELL_INTRO].str;
		fputs(intro, stdout);
		if (intro[strlen(intro) - 1] != '\n')
			putchar('\n');
	}
	while (!sh->quit) {
		char *prompt = make_prompt(sh), *line;

		last_input = time(NULL);
		line = readline(prompt);
		free(prompt);
		if (idle_expired) {
			fprintf(stderr, "\ncorral: idle for %llds; logging out.\n",
				(long long) sh->p->v[PK_SHELL_IDLE].num);
			audit(sh, "session-ended", "idle timeout");
			free(line);
			sh->exit_code = 0;
			break;
		}
		if (!line) { /* Ctrl-D */
			putchar('\n');
			break;
		}
		if (line[0]) {
			if (history_max > 0) {
				add_history(line);
				(void) append_history(1, hist);
				(void) history_truncate_file(hist, history_max);
			}
			handle_line(sh, line);
		}
		free(line);
	}
	return sh->exit_code;
}

int load_policy(struct shell *sh)
{
	struct perr_list errs = { 0 };
	struct passwd *pw = getpwuid(getuid());
	struct user_info u = { 0 };
	char host[256];
	int r = policy_load_single(JAIL_POLICY, &sh->p, &errs);

	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "corral: %s\n", errs.msg[i]);
	perr_clear(&errs);
	if (r < 0 || !pw) {
		fprintf(stderr, "corral: cannot read this jail's policy; refusing to run.\n");
		return -1;
	}
	u.name = pw->pw_name;
	u.home = pw->pw_dir;
	u.uid = pw->pw_uid;
	if (policy_substitute(sh->p, &u) < 0)
		return -1;
	sh->user = strdup(pw->pw_name);
	sh->home = strdup(pw->pw_dir);
	if (gethostname(host, sizeof(host)) < 0)
		strcpy(host, "jail");
	host[sizeof(host) - 1] = '\0';
	sh->hostname = strdup(host);
	sh->warnings_left = (int) sh->p->v[PK_SHELL_WARNINGS].num;
	sh->env = strv_copy(environ);
	return sh->user && sh->home && sh->hostname && sh->env ? 0 : -1;
}

int shell_run(struct shell *sh, const char *command)
{
	int code;

	/* A program's shell runs where the program is. */
	if (!sh->nested && chdir(sh->home) < 0 && chdir("/") < 0)
		return 1; /* no directory at all to start in: nothing sensible to run */
	if (command) {
		sh->command_mode = !sh->nested; /* a program's shell counts the session's warnings */
		code = handle_line(sh, command);
	} else {
		sh->interactive = isatty(0) && isatty(1);
		if (sh->interactive)
			code = interactive_loop(sh);
		else {
			/* Lines from a pipe (ssh -T): each checked as typed, with the same warnings
			 * as at a terminal. */
			char *line = NULL;
			size_t len = 0;
			ssize_t n;
			while (!sh->quit && (n = getline(&line, &len, stdin)) > 0) {
				if (line[n - 1] == '\n')
					line[n - 1] = '\0';
				handle_line(sh, line);
			}
			free(line);
			code = sh->quit ? sh->exit_code : sh->last_status;
		}
	}
	policy_free(sh->p);
	strv_free(sh->env);
	free(sh->user);
	free(sh->home);
	free(sh->hostname);
	free(sh->prev_dir);
	return code;
}

int inner_main(int argc, char **argv)
{
	struct shell sh = { .channel = -1, .broker = -1, .broker_peer = -1 };
	const char *command = NULL;
	const char *chan = getenv("CORRAL_CHANNEL");

	for (int i = 1; i < argc; i++)
		if (streq(argv[i], "-c") && i + 1 < argc)
			command = argv[++i];
	if (chan && streq(chan, "3") && fcntl(3, F_GETFD) >= 0) {
		sh.channel = 3;
		(void) fcntl(3, F_SETFD, FD_CLOEXEC);
	}
	if (load_policy(&sh) < 0)
		return 1;
	/* shell.umask: before anything runs, so that every file of the session gets it. */
	if (sh.p->v[PK_SHELL_UMASK].set)
		umask((mode_t) sh.p->v[PK_SHELL_UMASK].num);
	man_env(&sh);
	/* The programs this shell runs reach it, and only it, through the broker. */
	if (broker_open(&sh) < 0)
		fprintf(stderr, "corral: programs' shell escapes will be refused (%s)\n",
			strerror(errno));
	return shell_run(&sh, command);
}
