// SPDX-License-Identifier: GPL-3.0-or-later
/* Allowed commands that no jail would have.  The jail's shell.path directories are binds of host
 * directories (jail.binds), so each is mapped back through them and looked at on the host: an
 * entry found in none of them is a warning for jailctl check (rshell refuses it as "not
 * installed" at no cost to the user), never an error: the admin may install it later. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "policy-internal.h"
#include "strv.h"

/* The value of k for file f: its own, else the nearest parent's, else the built-in one. */
static const struct pval *effective(const struct policy_set *set, const struct pfile *f,
				    const struct policy *builtin, enum pkey k)
{
	for (int depth = 0; f && depth < 34; depth++) {
		const char *parent = pfile_parent(set, f);

		if (f->layer.v[k].set)
			return &f->layer.v[k];
		f = parent ? policy_set_find(set, parent) : NULL;
	}
	return &builtin->v[k];
}

/* Where the jail's path lies on the host, through the bind with the longest dst above it; NULL
 * when no bind holds it (or its bind depends on the user). */
static char *host_path(const struct pval *binds, const char *path)
{
	const struct bind *best = NULL;

	for (size_t i = 0; i < binds->nbinds; i++) {
		const struct bind *b = &binds->binds[i];
		if (path_is_under(path, b->dst) && (!best || strlen(b->dst) > strlen(best->dst)))
			best = b;
	}
	if (!best || strchr(best->src, '%') || strchr(best->dst, '%'))
		return NULL;
	return strdup_printf("%s%s", best->src, path + strlen(best->dst));
}

static bool is_program(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

static bool found(const struct pval *search, const struct pval *binds, const char *entry)
{
	_cleanup_free_ char *name = strndup(entry, strcspn(entry, " "));

	if (!name)
		return true; /* out of memory: no warning rather than a false one */
	if (name[0] == '/') {
		_cleanup_free_ char *host = host_path(binds, name);
		return is_program(host);
	}
	for (size_t i = 0; search->list && search->list[i]; i++) {
		_cleanup_free_ char *dir = host_path(binds, search->list[i]);
		_cleanup_free_ char *path = dir ? strdup_printf("%s/%s", dir, name) : NULL;

		if (is_program(path))
			return true;
	}
	return false;
}

static char *join(char *const *list)
{
	char *out = strdup("");

	for (size_t i = 0; out && list && list[i]; i++) {
		char *grown = strdup_printf("%s%s%s", out, i ? ", " : "", list[i]);
		free(out);
		out = grown;
	}
	return out;
}

static void check_file(const struct policy_set *set, const struct pfile *f,
		       const struct policy *builtin, struct perr_list *warnings)
{
	static const enum pkey keys[] = { PK_SHELL_COMMANDS, PK_SHELL_COMMANDS_ADD };
	const struct pval *search = effective(set, f, builtin, PK_SHELL_PATH);
	const struct pval *binds = effective(set, f, builtin, PK_JAIL_BINDS);

	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		const struct pval *v = &f->layer.v[keys[k]];

		for (size_t i = 0; v->set && v->list[i]; i++) {
			_cleanup_free_ char *dirs = join(search->list);

			if (found(search, binds, v->list[i]))
				continue;
			perr_add(warnings, f->path, v->line,
				 "%s: \"%.100s\" is in none of the jail's shell.path directories "
				 "(%s, seen on the host through jail.binds); rshell will say it is "
				 "not installed",
				 pkey_table[keys[k]].name, v->list[i], dirs ? dirs : "?");
		}
	}
}

void policy_set_missing_commands(const struct policy_set *set, struct perr_list *warnings)
{
	_cleanup_policy_ struct policy *builtin = policy_builtin();

	if (!builtin)
		return;
	if (set->def)
		check_file(set, set->def, builtin, warnings);
	for (size_t i = 0; i < set->nfiles; i++)
		check_file(set, set->files[i], builtin, warnings);
}
