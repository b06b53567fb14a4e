// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * What may run.  Runs inside the jail as the user: the jail is the security boundary, and these
 * checks keep the user to what the policy offers.  A command is a builtin, a name on the
 * allow-list found through shell.path (never the user's PATH), an absolute path listed exactly,
 * or, with shell.run_own, a program under shell.paths.  Redirections and glob results must lie
 * under shell.paths after resolving ".." and symlinks.  What is checked is what runs: line.c
 * checks each part again just before it runs, and exec.c execs the resolved path with the
 * parsed argv.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "parse-util.h"
#include "rshell.h"
#include "strv.h"

#define GLOB_MATCHES_MAX 4096

static const char *const builtins[] = { "cd",      "pwd",    "help",  "history", "limits",
					"exit",    "logout", "export", "unset", NULL };

static int say(char **why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int say(char **why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(why, fmt, ap) < 0)
		*why = NULL;
	va_end(ap);
	return -1;
}

bool is_builtin(const char *name)
{
	return strv_contains((char **) builtins, name);
}

static bool is_executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static bool under_allowed(struct shell *sh, const char *real)
{
	char **paths = sh->p->v[PK_SHELL_PATHS].list;

	if (streq(real, "/dev/null"))
		return true;
	if (path_denied(sh, real))
		return false;
	for (size_t i = 0; paths && paths[i]; i++)
		if (path_is_under(real, paths[i]))
			return true;
	return false;
}

int check_path(struct shell *sh, const char *path, bool must_exist, char **ret_real, char **why)
{
	char abs[PATH_MAX * 2], real[PATH_MAX];
	char *slash;

	if (!path[0])
		return say(why, "an empty file name");
	if (path[0] == '/')
		snprintf(abs, sizeof(abs), "%s", path);
	else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd)))
			return say(why, "cannot tell the current directory");
		snprintf(abs, sizeof(abs), "%s/%s", cwd, path);
	}
	if (!realpath(abs, real)) {
		/* A file to create: its directory must exist and be allowed. */
		char dir[PATH_MAX * 2], rdir[PATH_MAX];
		const char *base;
		if (must_exist || errno != ENOENT)
			return say(why, "%s: %s", path, strerror(errno));
		snprintf(dir, sizeof(dir), "%s", abs);
		slash = strrchr(dir, '/');
		base = slash + 1;
		*slash = '\0';
		if (!base[0] || streq(base, ".") || streq(base, ".."))
			return say(why, "%s: not a file name", path);
		if (!realpath(dir[0] ? dir : "/", rdir))
			return say(why, "%s: %s", path, strerror(errno));
		if ((size_t) snprintf(real, sizeof(real), "%s%s%s", rdir, streq(rdir, "/") ? "" : "/",
				      base) >= sizeof(real))
			return say(why, "%.100s...: the name is too long", path);
	}
	if (path_denied(sh, real))
		return say(why, "%s is in %s, a place you may not use", path, path_denied(sh, real));
	if (!under_allowed(sh, real))
		return say(why, "%s is outside the places you may use (%s)", path,
			   sh->p->v[PK_SHELL_PATHS].list[0]);
	if (ret_real)
		*ret_real = strdup(real);
	return 0;
}

int resolve_command(struct shell *sh, const char *name, char **ret_path, char **why)
{
	char **allowed = sh->p->v[PK_SHELL_COMMANDS].list;
	char **search = sh->p->v[PK_SHELL_PATH].list;
	char path[PATH_MAX];

	*ret_path = NULL;
	if (strchr(name, '/')) {
		char *real = NULL;
		if (name[0] == '/' && strv_contains(allowed, name) && is_executable_file(name)) {
			*ret_path = strdup(name);
			return 0;
		}
		if (!sh->p->v[PK_SHELL_RUN_OWN].num)
			return say(why, "%s: running programs by path is not allowed here", name);
		if (check_path(sh, name, true, &real, why) < 0)
			return -1;
		if (!is_executable_file(real)) {
			free(real);
			return say(why, "%s is not an executable file", name);
		}
		*ret_path = real;
		return 0;
	}
	if (!strv_contains(allowed, name))
		return say(why, "%s is not an allowed command (type help for the list)", name);
	for (size_t i = 0; search && search[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", search[i], name);
		if (is_executable_file(path)) {
			*ret_path = strdup(path);
			return 0;
		}
	}
	say(why, "%s is allowed but not installed here", name);
	return REFUSED_ABSENT;
}

int check_rules(struct shell *sh, const struct command *c, char **why)
{
	const struct pval *rules = &sh->p->v[PK_SHELL_RULES];
	const char *base = strrchr(c->argv[0], '/') ? strrchr(c->argv[0], '/') + 1 : c->argv[0];

	for (size_t r = 0; r < rules->nrules; r++) {
		if (!streq(rules->rules[r].command, base))
			continue;
		for (size_t a = 1; a < c->argc; a++)
			for (size_t d = 0; rules->rules[r].deny[d]; d++)
				if (fnmatch(rules->rules[r].deny[d], c->argv[a], 0) == 0)
					return say(why, "%s: the argument '%.100s' is not allowed",
						   base, c->argv[a]);
	}
	return 0;
}

/* A glob pattern from a word: quoted glob characters are escaped. */
static char *pattern_of(const char *text, const char *mask, bool *ret_has_glob)
{
	size_t n = strlen(text);
	char *p = malloc(2 * n + 1), *o = p;

	*ret_has_glob = false;
	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (mask[i] == '1')
			*ret_has_glob = true;
		else if (strchr("*?[\\", text[i]))
			*o++ = '\\';
		*o++ = text[i];
	}
	*o = '\0';
	return p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

int expand_globs(struct shell *sh, struct command *c, char **why)
{
	char **argv = calloc(1, sizeof(char *)), **mask = calloc(1, sizeof(char *));
	size_t argc = 0;

	if (!argv || !mask)
		return say(why, "out of memory");
	for (size_t i = 0; i < c->argc; i++) {
		bool has_glob;
		_cleanup_free_ char *pat = pattern_of(c->argv[i], c->glob[i], &has_glob);
		glob_t g;
		size_t kept = 0;

		if (!pat)
			goto oom;
		if (!has_glob || i == 0) {
			if (has_glob) {
				strv_free(argv);
				strv_free(mask);
				return say(why, "a command name cannot be a pattern");
			}
			if (strv_push(&argv, c->argv[i]) < 0 || strv_push(&mask, c->glob[i]) < 0)
				goto oom;
			argc++;
			continue;
		}
		if (glob(pat, GLOB_NOSORT, NULL, &g) != 0 || g.gl_pathc == 0) {
			globfree(&g);
			/* No match: the word stays as written, as in sh. */
			if (strv_push(&argv, c->argv[i]) < 0 || strv_push(&mask, c->glob[i]) < 0)
				goto oom;
			argc++;
			continue;
		}
		if (g.gl_pathc > GLOB_MATCHES_MAX) {
			globfree(&g);
			strv_free(argv);
			strv_free(mask);
			return say(why, "%.100s matches more than %d files", c->argv[i],
				   GLOB_MATCHES_MAX);
		}
		qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), cmp_str);
		for (size_t m = 0; m < g.gl_pathc; m++) {
			char *w = NULL;
			if (check_path(sh, g.gl_pathv[m], true, NULL, &w) < 0) {
				free(w);
				continue; /* outside: not offered */
			}
			if (strv_push(&argv, g.gl_pathv[m]) < 0 || strv_push(&mask, "") < 0) {
				globfree(&g);
				goto oom;
			}
			argc++;
			kept++;
		}
		globfree(&g);
		if (!kept) {
			strv_free(argv);
			strv_free(mask);
			return say(why, "%.100s matches nothing you may use", c->argv[i]);
		}
	}
	for (size_t i = 0; i < c->argc; i++) {
		free(c->argv[i]);
		free(c->glob[i]);
	}
	free(c->argv);
	free(c->glob);
	c->argv = argv;
	c->glob = mask;
	c->argc = argc;
	return 0;
oom:
	strv_free(argv);
	strv_free(mask);
	return say(why, "out of memory");
}

/* shell.scp_upload (scp -t) and shell.scp_download (scp -f), each as shell.scp when unset. */
static bool scp_allowed(const struct policy *p, bool upload, bool download)
{
	const struct pval *up = &p->v[PK_SHELL_SCP_UPLOAD], *down = &p->v[PK_SHELL_SCP_DOWNLOAD];
	bool scp = p->v[PK_SHELL_SCP].num;

	return (!upload || (up->set ? up->num : scp)) && (!download || (down->set ? down->num : scp));
}

int check_transfer(struct shell *sh, const struct command *c, char **ret_path, char **why,
		   bool *ret_is_transfer)
{
	const struct policy *p = sh->p;
	const char *name = c->argv[0];
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	bool upload = false, download = false;

	*ret_is_transfer = false;
	for (size_t i = 1; i < c->argc; i++) {
		upload |= streq(c->argv[i], "-t");
		download |= streq(c->argv[i], "-f");
	}
	if (streq(base, "scp") && (upload || download)) {
		*ret_is_transfer = true;
		if (!scp_allowed(p, upload, download))
			return say(why, "scp %s not allowed for your account",
				   upload && download ? "is"
				   : upload	      ? "uploads are"
							: "downloads are");
	} else if (streq(name, p->v[PK_SHELL_SFTP_SERVER].str) || streq(base, "sftp-server") ||
		   streq(name, "internal-sftp")) {
		*ret_is_transfer = true;
		if (!p->v[PK_SHELL_SFTP].num)
			return say(why, "sftp is not allowed for your account");
		/* Always the policy's server, whatever path the client named. */
		*ret_path = strdup(p->v[PK_SHELL_SFTP_SERVER].str);
		return 0;
	} else if (streq(base, "rsync") && c->argc > 1 && streq(c->argv[1], "--server")) {
		*ret_is_transfer = true;
		if (!p->v[PK_SHELL_RSYNC].num)
			return say(why, "rsync is not allowed for your account");
	} else {
		return 0;
	}
	/* scp and rsync: the program itself, through shell.path. */
	for (size_t i = 0; p->v[PK_SHELL_PATH].list[i]; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", p->v[PK_SHELL_PATH].list[i], base);
		if (is_executable_file(path)) {
			*ret_path = strdup(path);
			return 0;
		}
	}
	say(why, "%s is allowed but not installed here", base);
	return REFUSED_ABSENT;
}

/* An input file may be one that an earlier part of the line makes: when it does not exist yet,
 * its place must be allowed, and the file must exist when the part runs (open says so). */
static int check_input(struct shell *sh, const char *path, char **ret_real, char **why)
{
	char *later = NULL;

	if (check_path(sh, path, true, ret_real, why) == 0)
		return 0;
	if (check_path(sh, path, false, ret_real, &later) < 0) {
		free(later);
		return REFUSED; /* the first reason: the file is not there */
	}
	free(*why);
	*why = NULL;
	return 0;
}

static int check_redirs(struct shell *sh, struct command *c, char **why)
{
	for (size_t r = 0; r < c->nredirs; r++) {
		char *real = NULL;
		int e;

		if (c->redirs[r].type == R_ERR2OUT)
			continue;
		if (c->redirs[r].type == R_IN)
			e = check_input(sh, c->redirs[r].path, &real, why);
		else
			e = check_path(sh, c->redirs[r].path, false, &real, why);
		if (e < 0)
			return e;
		free(c->redirs[r].path);
		c->redirs[r].path = real;
	}
	return 0;
}

static int check_command(struct shell *sh, struct command *c, bool alone, char **ret_path,
			 char **why)
{
	bool transfer = false;
	int r;

	if (alone && sh->command_mode) {
		r = check_transfer(sh, c, ret_path, why, &transfer);
		if (r < 0 || transfer)
			return r < 0 ? r : *ret_path ? 0 : say(why, "out of memory");
	}
	r = expand_globs(sh, c, why);
	if (r == 0 && exact_entry_allows(sh, c)) {
		*ret_path = find_program(sh, c->argv[0]);
		if (!*ret_path) {
			say(why, "%s is allowed but not installed here", c->argv[0]);
			r = REFUSED_ABSENT;
		}
	} else if (r == 0) {
		r = resolve_command(sh, c->argv[0], ret_path, why);
	}
	if (r == 0)
		r = check_rules(sh, c, why);
	if (r == 0)
		r = check_args_denied(sh, c, why);
	if (r == 0)
		r = secure_check(sh, c, *ret_path, why);
	if (r == 0)
		r = check_redirs(sh, c, why);
	return r;
}

int check_part(struct shell *sh, struct pipeline *pl, bool alone, char ***ret_paths, char **why)
{
	char **paths = calloc(pl->n + 1, sizeof(char *));
	int r = 0;

	*ret_paths = NULL;
	if (!paths)
		return say(why, "out of memory");
	if (pl->background && !sh->p->v[PK_SHELL_JOBS].num)
		r = say(why, "background jobs (&) are not allowed here");
	for (size_t j = 0; j < pl->n && r == 0; j++) {
		struct command *c = &pl->cmds[j];

		r = expand_alias(sh, c, why);
		if (r < 0)
			break;
		if (!is_builtin(c->argv[0]))
			r = check_command(sh, c, alone && pl->n == 1, &paths[j], why);
		else if (pl->n > 1 || c->nredirs || pl->background)
			r = say(why, "%s is a builtin: it cannot be piped, redirected or sent to the "
				     "background",
				c->argv[0]);
		else
			r = check_builtin(sh, c, why);
	}
	if (r < 0) {
		strv_free(paths);
		return r;
	}
	*ret_paths = paths;
	return 0;
}

/* The whole line, before any of it runs: each part expanded with the values the parts before it
 * leave, on a copy of the shell's variables and directory. */
int check_line(struct shell *sh, const char *line, const struct cmdlist *l, char **why)
{
	struct shell sim = *sh;
	_cleanup_close_ int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = 0;

	sim.env = strv_copy(sh->env);
	sim.prev_dir = sh->prev_dir ? strdup(sh->prev_dir) : NULL;
	if (here < 0 || !sim.env) {
		*why = strdup("cannot check the line: out of resources");
		r = REFUSED;
	}
	for (size_t i = 0; i < l->n && r == 0; i++) {
		struct lex_env env = shell_lex_env(&sim);
		struct pipeline part;
		char **paths = NULL;

		if (parse_part(line, &l->pipes[i], &env, &part, why) < 0) {
			r = REFUSED;
			break;
		}
		r = check_part(&sim, &part, l->n == 1, &paths, why);
		if (r == 0 && part.n == 1 && is_builtin(part.cmds[0].argv[0]))
			simulate_builtin(&sim, &part.cmds[0]);
		strv_free(paths);
		pipeline_free(&part);
	}
	/* Back to where the line starts; without it nothing may run. */
	if (here >= 0 && fchdir(here) < 0 && r == 0) {
		*why = strdup("cannot return to the current directory");
		r = REFUSED;
	}
	strv_free(sim.env);
	free(sim.prev_dir);
	return r;
}
