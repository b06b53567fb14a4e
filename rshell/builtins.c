// SPDX-License-Identifier: GPL-3.0-or-later
/* cd, pwd, help, history, limits, exit, logout, export, unset. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <readline/history.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "parse-util.h"
#include "rshell.h"
#include "strv.h"

static int cd(struct shell *sh, const struct command *c)
{
	const char *target = c->argc > 1 ? c->argv[1] : sh->home;
	char *real = NULL, *why = NULL, cwd[PATH_MAX];

	if (c->argc > 2) {
		fprintf(stderr, "cd: too many arguments\n");
		return 1;
	}
	if (streq(target, "-")) {
		if (!sh->prev_dir) {
			fprintf(stderr, "cd: no previous directory\n");
			return 1;
		}
		target = sh->prev_dir;
	}
	if (check_path(sh, target, true, &real, &why) < 0) {
		refuse(sh, c->argv[0], why);
		free(why);
		return 1;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	if (chdir(real) < 0) {
		fprintf(stderr, "cd: %s: %s\n", target, strerror(errno));
		free(real);
		return 1;
	}
	if (c->argc > 1 && streq(c->argv[1], "-"))
		printf("%s\n", real);
	free(sh->prev_dir);
	sh->prev_dir = cwd[0] ? strdup(cwd) : NULL;
	free(real);
	return 0;
}

void print_help(struct shell *sh)
{
	char **cmds = sh->p->v[PK_SHELL_COMMANDS].list;

	printf("Builtins: cd [DIR|-|~], pwd, history, limits, export NAME=VALUE, unset NAME, "
	       "help, exit\n");
	printf("Commands you may run:");
	for (size_t i = 0; cmds && cmds[i]; i++)
		printf(" %s", cmds[i]);
	if (!cmds || !cmds[0])
		printf(" (none)");
	printf("\nPlaces you may use:");
	for (size_t i = 0; sh->p->v[PK_SHELL_PATHS].list[i]; i++)
		printf(" %s", sh->p->v[PK_SHELL_PATHS].list[i]);
	printf("\n%s%s", sh->p->v[PK_SHELL_RUN_OWN].num ? "You may run programs you build there.\n"
							: "",
	       sh->p->v[PK_SHELL_JOBS].num ? "Background jobs (&) are allowed.\n" : "");
	printf("Pipes (|), && || ;, and < > >> 2> 2>&1 work as in sh; $(...), backquotes, "
	       "subshells and here-documents do not.\n");
}

static int history_builtin(void)
{
	HIST_ENTRY **h = history_list();

	for (int i = 0; h && h[i]; i++)
		printf("%5d  %s\n", i + history_base, h[i]->line);
	return 0;
}

static bool exportable(struct shell *sh, const char *name, size_t len)
{
	char **allowed = sh->p->v[PK_SHELL_EXPORT].list;

	for (size_t i = 0; allowed && allowed[i]; i++)
		if (strlen(allowed[i]) == len && strncmp(allowed[i], name, len) == 0)
			return !env_name_is_dangerous(name, len);
	return false;
}

static int export_builtin(struct shell *sh, const struct command *c, bool unset)
{
	for (size_t i = 1; i < c->argc; i++) {
		const char *arg = c->argv[i], *eq = strchr(arg, '=');
		size_t len = eq && !unset ? (size_t) (eq - arg) : strlen(arg);
		char name[256];

		if (!env_name_is_valid(arg, len) || !exportable(sh, arg, len) ||
		    len >= sizeof(name)) {
			char *why = NULL;
			if (asprintf(&why, "%.*s may not be %s here", (int) (len < 100 ? len : 100),
				     arg, unset ? "unset" : "set") < 0)
				why = NULL;
			refuse(sh, c->argv[0], why ? why : "refused");
			free(why);
			return 1;
		}
		memcpy(name, arg, len);
		name[len] = '\0';
		if (unset)
			shell_unsetenv(sh, name);
		else if (eq)
			shell_setenv(sh, name, eq + 1);
	}
	if (c->argc == 1 && !unset)
		for (size_t i = 0; sh->env && sh->env[i]; i++)
			printf("%s\n", sh->env[i]);
	return 0;
}

int run_builtin(struct shell *sh, const struct command *c)
{
	const char *name = c->argv[0];
	char buf[PATH_MAX];

	if (streq(name, "cd"))
		return cd(sh, c);
	if (streq(name, "pwd")) {
		if (!getcwd(buf, sizeof(buf)))
			return 1;
		puts(buf);
		return 0;
	}
	if (streq(name, "help")) {
		print_help(sh);
		return 0;
	}
	if (streq(name, "history"))
		return history_builtin();
	if (streq(name, "limits")) {
		char text[512];
		if (query_limits(sh, text, sizeof(text)) < 0) {
			fprintf(stderr, "limits: jaild did not answer\n");
			return 1;
		}
		fputs(text, stdout);
		return 0;
	}
	if (streq(name, "exit") || streq(name, "logout")) {
		sh->quit = true;
		sh->exit_code = c->argc > 1 ? atoi(c->argv[1]) & 0xff : sh->last_status;
		return sh->exit_code;
	}
	if (streq(name, "export"))
		return export_builtin(sh, c, false);
	if (streq(name, "unset"))
		return export_builtin(sh, c, true);
	return 127;
}
