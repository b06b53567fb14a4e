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

/* cd's directory as typed: NULL when cd itself will say what is wrong (too many arguments, no
 * previous directory). */
static const char *cd_target(struct shell *sh, const struct command *c)
{
	if (c->argc > 2)
		return NULL;
	if (c->argc > 1 && streq(c->argv[1], "-"))
		return sh->prev_dir;
	return c->argc > 1 ? c->argv[1] : sh->home;
}

static int cd(struct shell *sh, const struct command *c)
{
	const char *target = cd_target(sh, c);
	char *real = NULL, *why = NULL, cwd[PATH_MAX];

	if (c->argc > 2) {
		fprintf(stderr, "cd: too many arguments\n");
		return 1;
	}
	if (!target) {
		fprintf(stderr, "cd: no previous directory\n");
		return 1;
	}
	/* Checked with the line already (check_builtin): what fails here is a directory that
	 * is not there. */
	if (check_path(sh, target, true, &real, &why) < 0) {
		fprintf(stderr, "cd: %s\n", why ? why : target);
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

/* cd's directory must be an allowed place; one that does not exist yet (mkdir d && cd d) only
 * needs an allowed place to be in, and cd says when it is still missing. */
static int check_cd(struct shell *sh, const struct command *c, char **why)
{
	const char *target = cd_target(sh, c);
	char *later = NULL;

	if (!target || check_path(sh, target, true, NULL, why) == 0)
		return 0;
	if (check_path(sh, target, false, NULL, &later) < 0) {
		free(later);
		return REFUSED_BUILTIN;
	}
	free(*why);
	*why = NULL;
	return 0;
}

void print_help(struct shell *sh)
{
	char **cmds = sh->p->v[PK_SHELL_COMMANDS].list;

	printf("Builtins: cd [DIR|-|~], pwd, history, limits, export NAME=VALUE, unset NAME, "
	       "help, exit\n");
	char **aliases = sh->p->v[PK_SHELL_ALIASES].list;

	printf("Commands you may run:");
	/* Those this jail has, then the others, marked: trying one costs no warning. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; cmds && cmds[i]; i++)
			if (entry_installed(sh, cmds[i]) == (pass == 0))
				printf(strchr(cmds[i], ' ') ? " \"%s\"%s" : " %s%s", cmds[i],
				       pass ? " (not installed)" : "");
	if (!cmds || !cmds[0])
		printf(" (none)");
	for (size_t i = 0; aliases && aliases[i]; i++) {
		const char *eq = strchr(aliases[i], '=');
		printf("%s%.*s = %s", i ? ", " : "\nAliases: ", (int) (eq - aliases[i]), aliases[i],
		       eq + 1);
	}
	printf("\nPlaces you may use:");
	for (size_t i = 0; sh->p->v[PK_SHELL_PATHS].list[i]; i++)
		printf(" %s", sh->p->v[PK_SHELL_PATHS].list[i]);
	printf("\n%s%s", sh->p->v[PK_SHELL_RUN_OWN].num ? "You may run programs you build there.\n"
							: "",
	       sh->p->v[PK_SHELL_JOBS].num ? "Background jobs (&) are allowed.\n" : "");
	printf("Pipes (|), && || ;, and < > >> 2> 2>&1 work as in sh; $(...), backquotes, "
	       "subshells and here-documents do not.\n");
	/* With -c there is one line: a refusal ends it, and nothing is counted. */
	if (!sh->command_mode)
		printf("Warnings left: %d (each refused command uses one; at 0 the session ends)\n",
		       sh->warnings_left);
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

/* The length of the name in export's or unset's argument, or 0 when it may not be changed. */
static size_t export_name(struct shell *sh, const char *arg, bool unset)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq && !unset ? (size_t) (eq - arg) : strlen(arg);

	if (!env_name_is_valid(arg, len) || !exportable(sh, arg, len) || len >= 256)
		return 0;
	return len;
}

static int check_export(struct shell *sh, const struct command *c, bool unset, char **why)
{
	for (size_t i = 1; i < c->argc; i++) {
		const char *arg = c->argv[i], *eq = strchr(arg, '=');
		size_t len = eq && !unset ? (size_t) (eq - arg) : strlen(arg);

		if (export_name(sh, arg, unset))
			continue;
		if (asprintf(why, "%.*s may not be %s here", (int) (len < 100 ? len : 100), arg,
			     unset ? "unset" : "set") < 0)
			*why = NULL;
		return REFUSED_BUILTIN;
	}
	return 0;
}

static int export_builtin(struct shell *sh, const struct command *c, bool unset)
{
	for (size_t i = 1; i < c->argc; i++) {
		const char *arg = c->argv[i], *eq = strchr(arg, '=');
		size_t len = export_name(sh, arg, unset);
		char name[256];

		if (!len)
			return 1; /* refused when the line was checked */
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

int check_builtin(struct shell *sh, const struct command *c, char **why)
{
	if (streq(c->argv[0], "cd"))
		return check_cd(sh, c, why);
	if (streq(c->argv[0], "export") || streq(c->argv[0], "unset"))
		return check_export(sh, c, streq(c->argv[0], "unset"), why);
	return 0;
}

void simulate_builtin(struct shell *sim, const struct command *c)
{
	const char *name = c->argv[0];

	if (streq(name, "export") || streq(name, "unset")) {
		/* export with no argument prints: nothing to change. */
		if (c->argc > 1)
			(void) export_builtin(sim, c, streq(name, "unset"));
	} else if (streq(name, "cd")) {
		const char *target = cd_target(sim, c);
		char *real = NULL, *why = NULL, cwd[PATH_MAX];

		if (target && check_path(sim, target, true, &real, &why) == 0 &&
		    getcwd(cwd, sizeof(cwd)) && chdir(real) == 0) {
			free(sim->prev_dir);
			sim->prev_dir = strdup(cwd);
		}
		free(real);
		free(why);
	}
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
