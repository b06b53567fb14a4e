// SPDX-License-Identifier: GPL-3.0-or-later
/* The session's variables: the environment jaild gave rshell, plus what the user exports from
 * the policy's shell.export list. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rshell.h"
#include "strv.h"

const char *shell_getenv(const char *name, void *data)
{
	struct shell *sh = data;
	size_t n = strlen(name);

	for (size_t i = 0; sh->env && sh->env[i]; i++)
		if (strncmp(sh->env[i], name, n) == 0 && sh->env[i][n] == '=')
			return sh->env[i] + n + 1;
	return NULL;
}

void shell_unsetenv(struct shell *sh, const char *name)
{
	size_t n = strlen(name), o = 0;

	for (size_t i = 0; sh->env && sh->env[i]; i++) {
		if (strncmp(sh->env[i], name, n) == 0 && sh->env[i][n] == '=')
			free(sh->env[i]);
		else
			sh->env[o++] = sh->env[i];
	}
	if (sh->env)
		sh->env[o] = NULL;
}

int shell_setenv(struct shell *sh, const char *name, const char *value)
{
	char *entry;

	if (asprintf(&entry, "%s=%s", name, value) < 0)
		return -ENOMEM;
	shell_unsetenv(sh, name);
	if (strv_push(&sh->env, entry) < 0) {
		free(entry);
		return -ENOMEM;
	}
	free(entry);
	return 0;
}

struct lex_env shell_lex_env(struct shell *sh)
{
	return (struct lex_env){ .lookup = shell_getenv, .data = sh, .last_status = sh->last_status,
				 .home = sh->home };
}

/* man pages through the jail's own pager: the host's /usr/bin/pager is a link into
 * /etc/alternatives, which the jail lacks.  less when the policy allows it, in its secure mode
 * (no shell, no other files); else cat. */
void man_env(struct shell *sh)
{
	char **allowed = sh->p->v[PK_SHELL_COMMANDS].list;
	char *less = NULL;

	if (!strv_contains(allowed, "man") || shell_getenv("MANPAGER", sh))
		return;
	if (strv_contains(allowed, "less"))
		less = find_program(sh, "less");
	(void) shell_setenv(sh, "MANPAGER", less ? less : "cat");
	if (less)
		(void) shell_setenv(sh, "LESSSECURE", "1");
	free(less);
}
