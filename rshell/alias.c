// SPDX-License-Identifier: GPL-3.0-or-later
/* shell.aliases: a command whose first word is an alias gets the alias's words in its place.  The
 * policy loader made sure the text is plain words (no operators, quotes or expansions), so the
 * result is an ordinary command that check.c then checks like any other. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "rshell.h"
#include "strv.h"

const char *alias_lookup(const struct shell *sh, const char *name)
{
	char **list = sh->p->v[PK_SHELL_ALIASES].list;
	size_t n = strlen(name);

	for (size_t i = 0; list && list[i]; i++)
		if (strncmp(list[i], name, n) == 0 && list[i][n] == '=')
			return list[i] + n + 1;
	return NULL;
}

int expand_alias(struct shell *sh, struct command *c, char **why)
{
	const char *text = alias_lookup(sh, c->argv[0]);
	_cleanup_strv_free_ char **argv = NULL, **mask = NULL;
	_cleanup_free_ char *copy = NULL;
	char *save = NULL;

	if (!text)
		return 0;
	copy = strdup(text);
	argv = calloc(1, sizeof(char *));
	mask = calloc(1, sizeof(char *));
	if (!copy || !argv || !mask)
		goto oom;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		/* Quoted, as it were: an alias's words are never patterns. */
		_cleanup_free_ char *zeros = strdup(w);

		if (!zeros)
			goto oom;
		memset(zeros, '0', strlen(zeros));
		if (strv_push(&argv, w) < 0 || strv_push(&mask, zeros) < 0)
			goto oom;
	}
	for (size_t i = 1; i < c->argc; i++)
		if (strv_push(&argv, c->argv[i]) < 0 || strv_push(&mask, c->glob[i]) < 0)
			goto oom;
	strv_free(c->argv);
	strv_free(c->glob);
	c->argc = strv_length(argv);
	c->argv = TAKE_PTR(argv);
	c->glob = TAKE_PTR(mask);
	return 0;
oom:
	*why = strdup("out of memory");
	return REFUSED;
}
