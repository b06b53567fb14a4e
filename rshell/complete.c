// SPDX-License-Identifier: GPL-3.0-or-later
/* Tab completion: the first word from the builtins and allowed commands; later words from file
 * names under the places the policy allows. */
#include "config.h"

#include <readline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rshell.h"

static struct shell *csh;
static const char *const builtin_names[] = { "cd",     "pwd",    "help",  "history", "limits",
					     "exit",   "logout", "export", "unset", NULL };

static char *command_generator(const char *text, int state)
{
	static size_t bi, ci, len;
	char **cmds = csh->p->v[PK_SHELL_COMMANDS].list;

	if (!state) {
		bi = ci = 0;
		len = strlen(text);
	}
	while (builtin_names[bi])
		if (strncmp(builtin_names[bi++], text, len) == 0)
			return strdup(builtin_names[bi - 1]);
	while (cmds && cmds[ci])
		if (strncmp(cmds[ci++], text, len) == 0)
			return strdup(cmds[ci - 1]);
	return NULL;
}

/* readline's own file name completion, keeping only what check_path() would allow.  readline
 * offers ~/NAME as typed; the check needs the home's path, not ./~/NAME. */
static char *file_generator(const char *text, int state)
{
	char *name;

	while ((name = rl_filename_completion_function(text, state))) {
		char *why = NULL, *full = NULL;
		bool ok;

		state = 1;
		if (name[0] == '~' && name[1] == '/' &&
		    asprintf(&full, "%s%s", csh->home, name + 1) < 0)
			full = NULL;
		ok = check_path(csh, full ? full : name, true, NULL, &why) == 0;
		free(full);
		free(why);
		if (ok)
			return name;
		free(name);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void) end;
	rl_attempted_completion_over = 1;
	/* Only the first word names a command. */
	for (int i = 0; i < start; i++)
		if (rl_line_buffer[i] != ' ' && rl_line_buffer[i] != '\t')
			return rl_completion_matches(text, file_generator);
	return rl_completion_matches(text, command_generator);
}

void completion_setup(struct shell *sh)
{
	csh = sh;
	rl_attempted_completion_function = complete;
}
