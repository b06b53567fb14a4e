// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer: rshell's lexer and parser on arbitrary lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "syntax.h"

static const char *lookup(const char *name, void *data)
{
	(void) data;
	return name[0] == 'H' ? "/home/fuzz" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lex_env env = { .lookup = lookup, .last_status = 1, .home = "/home/fuzz" };
	struct cmdlist l;
	char *line = malloc(size + 1), *error = NULL;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (parse_line(line, &env, &l, &error) == 0) {
		/* Every command has a name; every redirection but 2>&1 a path. */
		for (size_t i = 0; i < l.n; i++)
			for (size_t j = 0; j < l.pipes[i].n; j++) {
				const struct command *c = &l.pipes[i].cmds[j];
				if (c->argc == 0 || !c->argv[0] || c->argv[c->argc])
					abort();
				for (size_t r = 0; r < c->nredirs; r++)
					if ((c->redirs[r].type != R_ERR2OUT) != (c->redirs[r].path != NULL))
						abort();
			}
		cmdlist_free(&l);
	} else {
		free(error);
	}
	free(line);
	return 0;
}
