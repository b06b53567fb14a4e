// SPDX-License-Identifier: GPL-3.0-or-later
/* The parity parts of the allow-list: entries that allow one exact command line, whether a listed
 * command exists in this jail (for help), and shell.paths_deny, places inside the allowed ones
 * that are off limits. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "rshell.h"
#include "strv.h"

bool exact_entry_allows(const struct shell *sh, const struct command *c)
{
	char **allowed = sh->p->v[PK_SHELL_COMMANDS].list;

	for (size_t i = 0; allowed && allowed[i]; i++) {
		const char *e = allowed[i];
		size_t a = 0;

		if (!strchr(e, ' '))
			continue;
		/* The words joined with single spaces must be the entry, no more and no less. */
		for (; a < c->argc; a++) {
			size_t n = strlen(c->argv[a]);
			if (strncmp(e, c->argv[a], n) != 0 || (e[n] != ' ' && e[n] != '\0'))
				break;
			e += n;
			if (*e == '\0')
				break;
			e++;
		}
		if (a + 1 == c->argc && *e == '\0')
			return true;
	}
	return false;
}

static bool is_program(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *find_program(const struct shell *sh, const char *name)
{
	char **search = sh->p->v[PK_SHELL_PATH].list;

	if (name[0] == '/')
		return is_program(name) ? strdup(name) : NULL;
	for (size_t i = 0; search && search[i]; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", search[i], name);
		if (is_program(path))
			return strdup(path);
	}
	return NULL;
}

bool entry_installed(const struct shell *sh, const char *entry)
{
	_cleanup_free_ char *name = strndup(entry, strcspn(entry, " "));
	_cleanup_free_ char *path = name ? find_program(sh, name) : NULL;

	return path != NULL;
}

const char *path_denied(const struct shell *sh, const char *real)
{
	char **deny = sh->p->v[PK_SHELL_PATHS_DENY].list;

	for (size_t i = 0; deny && deny[i]; i++)
		if (path_is_under(real, deny[i]))
			return deny[i];
	return NULL;
}

int check_args_denied(const struct shell *sh, const struct command *c, char **why)
{
	for (size_t i = 1; i < c->argc; i++) {
		char real[PATH_MAX];
		const char *d;

		/* Only a name that exists can be told apart from any other word. */
		if (!realpath(c->argv[i], real) || !(d = path_denied(sh, real)))
			continue;
		if (asprintf(why, "%.100s is in %s, a place you may not use", c->argv[i], d) < 0)
			*why = NULL;
		return REFUSED;
	}
	return 0;
}
