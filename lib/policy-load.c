// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Loads a policy directory.  Runs as root (jaild, jailctl, the PAM module) and trusts nothing in
 * the tree: every directory and file must be owned by root and writable by no one else, and no
 * symlink may appear, because whoever can write a policy owns the host (compare OpenSSH
 * misc.c:safe_path).  Files are read whole through O_NOFOLLOW descriptors, then parsed from
 * memory so that libconfig never opens anything itself (@include is refused).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "policy-internal.h"
#include "strv.h"

#define POLICY_FILE_MAX (1024 * 1024)
#define POLICY_FILES_MAX 100000

void perr_add(struct perr_list *l, const char *file, int line, const char *fmt, ...)
{
	_cleanup_free_ char *body = NULL;
	char *msg = NULL, **grown;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&body, fmt, ap);
	va_end(ap);
	if (r < 0)
		body = NULL;
	if (line > 0)
		r = asprintf(&msg, "%s:%d: %s", file, line, body ? body : "out of memory");
	else
		r = asprintf(&msg, "%s: %s", file, body ? body : "out of memory");
	if (r < 0)
		return;
	grown = realloc(l->msg, (l->n + 1) * sizeof(char *));
	if (!grown) {
		free(msg);
		return;
	}
	l->msg = grown;
	l->msg[l->n++] = msg;
}

void perr_clear(struct perr_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->msg[i]);
	free(l->msg);
	l->msg = NULL;
	l->n = 0;
}

static void pfile_free(struct pfile *f)
{
	if (!f)
		return;
	for (int k = 0; k < PK__COUNT; k++)
		pval_clear(&f->layer.v[k]);
	free(f->name);
	free(f->path);
	free(f);
}

void policy_set_free(struct policy_set *s)
{
	if (!s)
		return;
	pfile_free(s->def);
	for (size_t i = 0; i < s->nfiles; i++)
		pfile_free(s->files[i]);
	free(s->files);
	free(s->dir);
	free(s);
}

/* Owner and mode rules shared by files and directories. */
static bool stat_is_safe(const struct stat *st, const char *path, const char *what,
			 struct perr_list *errs)
{
	if (st->st_uid != 0) {
		perr_add(errs, path, 0,
			 "%s is owned by uid %u; expected root (chown root:root '%s')", what,
			 (unsigned) st->st_uid, path);
		return false;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		perr_add(errs, path, 0,
			 "%s is writable by group or others (mode %04o); expected no such write "
			 "bit (chmod go-w '%s')",
			 what, (unsigned) (st->st_mode & 07777), path);
		return false;
	}
	return true;
}

/* Every ancestor of the policy directory must be root's and not writable by others, except
 * sticky directories such as /tmp, where others cannot rename what root owns. */
static bool ancestors_are_safe(const char *dir, struct perr_list *errs)
{
	char real[PATH_MAX];
	struct stat st;

	if (!realpath(dir, real)) {
		perr_add(errs, dir, 0, "cannot resolve: %s; expected an existing directory",
			 strerror(errno));
		return false;
	}
	for (;;) {
		char *slash = strrchr(real, '/');
		if (!slash)
			return true;
		if (slash == real)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(real, &st) < 0) {
			perr_add(errs, real, 0, "cannot stat: %s", strerror(errno));
			return false;
		}
		if (st.st_uid != 0 ||
		    ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))) {
			perr_add(errs, dir, 0,
				 "parent directory %s is owned by uid %u or writable by others; "
				 "expected a root-owned path that only root can change",
				 real, (unsigned) st.st_uid);
			return false;
		}
		if (streq(real, "/"))
			return true;
	}
}

static bool has_include(const char *text)
{
	for (const char *l = text; l; l = strchr(l, '\n')) {
		while (*l == '\n' || *l == ' ' || *l == '\t')
			l++;
		if (strncmp(l, "@include", 8) == 0)
			return true;
	}
	return false;
}

/* What a policy file's bytes must be before libconfig sees them. */
static int check_content(const char *buf, size_t len, const char *path, struct perr_list *errs)
{
	if (memchr(buf, '\0', len)) {
		perr_add(errs, path, 0, "contains a NUL byte; expected a text file");
		return -EINVAL;
	}
	if (has_include(buf)) {
		perr_add(errs, path, 0, "uses @include; expected one self-contained file "
					"(use inherit to share settings)");
		return -EINVAL;
	}
	return 0;
}

/* Opens name under dirfd without following links and reads it whole, after the safety checks. */
static int read_safe_file(int dfd, const char *name, const char *path, bool check_owner,
			  char **ret, struct perr_list *errs)
{
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
							     O_NONBLOCK);
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t len = 0;

	if (fd < 0) {
		perr_add(errs, path, 0, "%s; expected a readable regular file",
			 errno == ELOOP ? "is a symlink" : strerror(errno));
		return -EINVAL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		perr_add(errs, path, 0, "is not a regular file; expected a policy file");
		return -EINVAL;
	}
	if (check_owner && !stat_is_safe(&st, path, "file", errs))
		return -EINVAL;
	if (st.st_size > POLICY_FILE_MAX) {
		perr_add(errs, path, 0, "is %lld bytes; expected at most %d",
			 (long long) st.st_size, POLICY_FILE_MAX);
		return -EINVAL;
	}
	buf = malloc((size_t) st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	while (len < (size_t) st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t) st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perr_add(errs, path, 0, "cannot read: %s", strerror(errno));
			return -EINVAL;
		}
		if (n == 0)
			break;
		len += (size_t) n;
	}
	buf[len] = '\0';
	if (check_content(buf, len, path, errs) < 0)
		return -EINVAL;
	*ret = TAKE_PTR(buf);
	return 0;
}

static const char *const sections[] = { "match", "jail", "limits", "shell", "session", NULL };

static void unknown_key(const char *path, config_setting_t *s, const char *section,
			struct perr_list *errs)
{
	char list[512] = "";
	size_t plen = section ? strlen(section) : 0;

	for (int k = 0; k < PK__COUNT; k++) {
		const char *n = pkey_table[k].name;
		if (section ? (strncmp(n, section, plen) == 0 && n[plen] == '.') : !strchr(n, '.')) {
			strncat(list, list[0] ? ", " : "", sizeof(list) - strlen(list) - 1);
			strncat(list, section ? n + plen + 1 : n, sizeof(list) - strlen(list) - 1);
		}
	}
	if (!section)
		for (int i = 0; sections[i]; i++) {
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			strncat(list, sections[i], sizeof(list) - strlen(list) - 1);
		}
	if (section)
		perr_add(errs, path, config_setting_source_line(s),
			 "%s.%s: unknown key; expected one of %s", section,
			 config_setting_name(s), list);
	else
		perr_add(errs, path, config_setting_source_line(s),
			 "%s: unknown key; expected one of %s", config_setting_name(s), list);
}

static void set_key(struct pfile *f, enum pkey k, config_setting_t *s, struct perr_list *errs)
{
	const bool is_default = streq(f->name, "default");
	const bool is_user = strncmp(f->name, "users/", 6) == 0;
	int line = config_setting_source_line(s);

	if (k <= PK_MATCH_UIDS && is_user) {
		perr_add(errs, f->path, line,
			 "%s: not allowed in a user file; the file name already names the user",
			 pkey_table[k].name);
		return;
	}
	if (k == PK_MATCH_ALL && !is_default) {
		perr_add(errs, f->path, line,
			 "match.all: only default.conf may apply to everyone; expected "
			 "match.users, match.groups or match.uids here");
		return;
	}
	if (k == PK_INHERIT && is_default) {
		perr_add(errs, f->path, line,
			 "inherit: default.conf is the root of every chain; expected no inherit");
		return;
	}
	if (k == PK_PRIORITY && (is_default || is_user)) {
		perr_add(errs, f->path, line,
			 "priority: only group files are ranked; expected it in groups/*.conf");
		return;
	}
	(void) pval_from_setting(k, s, f->path, &f->layer.v[k], errs);
}

static void walk_section(struct pfile *f, config_setting_t *sec, struct perr_list *errs)
{
	const char *secname = config_setting_name(sec);

	if (!config_setting_is_group(sec)) {
		perr_add(errs, f->path, config_setting_source_line(sec),
			 "%s: is not a group; expected %s = { ... };", secname, secname);
		return;
	}
	if (streq(secname, "match"))
		f->line_of_match = config_setting_source_line(sec);
	for (int i = 0; i < config_setting_length(sec); i++) {
		config_setting_t *s = config_setting_get_elem(sec, (unsigned) i);
		char dotted[128];
		int k;

		snprintf(dotted, sizeof(dotted), "%s.%s", secname, config_setting_name(s));
		k = pkey_lookup(dotted);
		if (k < 0)
			unknown_key(f->path, s, secname, errs);
		else
			set_key(f, (enum pkey) k, s, errs);
	}
}

static int parse_file(struct pfile *f, const char *text, struct perr_list *errs)
{
	config_t cfg;
	config_setting_t *root;

	config_init(&cfg);
	if (!config_read_string(&cfg, text)) {
		perr_add(errs, f->path, config_error_line(&cfg),
			 "%s; expected libconfig syntax such as: limits = { memory = \"512M\"; };",
			 config_error_text(&cfg));
		config_destroy(&cfg);
		return -EINVAL;
	}
	root = config_root_setting(&cfg);
	for (int i = 0; i < config_setting_length(root); i++) {
		config_setting_t *s = config_setting_get_elem(root, (unsigned) i);
		const char *name = config_setting_name(s);
		bool is_section = false;
		int k;

		for (int j = 0; sections[j]; j++)
			is_section |= streq(sections[j], name);
		if (is_section) {
			walk_section(f, s, errs);
			continue;
		}
		k = pkey_lookup(name);
		if (k < 0)
			unknown_key(f->path, s, NULL, errs);
		else
			set_key(f, (enum pkey) k, s, errs);
	}
	config_destroy(&cfg);
	return 0;
}

static int load_one(struct policy_set *set, int dfd, const char *sub, const char *filename,
		    const struct policy_load_opts *opts, struct pfile **ret, struct perr_list *errs)
{
	struct pfile *f = calloc(1, sizeof(*f));
	_cleanup_free_ char *text = NULL;
	size_t n = strlen(filename) - 5; /* without ".conf" */
	int r;

	if (!f)
		return -ENOMEM;
	if (sub)
		r = asprintf(&f->name, "%s/%.*s", sub, (int) n, filename);
	else
		r = asprintf(&f->name, "%.*s", (int) n, filename);
	if (r < 0 || asprintf(&f->path, "%s/%s%s%s", set->dir, sub ? sub : "", sub ? "/" : "",
			      filename) < 0) {
		pfile_free(f);
		return -ENOMEM;
	}
	if (opts && opts->override_name && streq(opts->override_name, f->name)) {
		r = read_safe_file(AT_FDCWD, opts->override_path, f->path, !opts->skip_owner_checks,
				   &text, errs);
	} else {
		r = read_safe_file(dfd, filename, f->path, !(opts && opts->skip_owner_checks),
				   &text, errs);
	}
	if (r == 0)
		r = parse_file(f, text, errs);
	if (r < 0) {
		pfile_free(f);
		return r;
	}
	*ret = f;
	return 0;
}

static int cmp_pfile(const void *a, const void *b)
{
	return strcmp((*(struct pfile *const *) a)->name, (*(struct pfile *const *) b)->name);
}

static bool conf_name(const char *n, const char *sub, const char *path, struct perr_list *errs)
{
	size_t len = strlen(n);
	char base[64];

	if (n[0] == '.' || len <= 5 || strcmp(n + len - 5, ".conf") != 0)
		return false; /* README, *.sample, editor and lock files */
	if (!sub)
		return streq(n, "default.conf");
	if (len - 5 >= sizeof(base)) {
		perr_add(errs, path, 0, "file name too long; expected NAME.conf");
		return false;
	}
	memcpy(base, n, len - 5);
	base[len - 5] = '\0';
	if (!name_is_valid(base)) {
		perr_add(errs, path, 0,
			 "\"%s\" is not a %s name; expected NAME.conf with NAME a valid name", base,
			 streq(sub, "users") ? "user" : "group");
		return false;
	}
	return true;
}

/* Reads one directory level: default.conf at the top, NAME.conf under groups/ and users/. */
static int load_dir(struct policy_set *set, int dfd, const char *sub,
		    const struct policy_load_opts *opts, bool *ret_override_seen,
		    struct perr_list *errs)
{
	_cleanup_close_ int fd = sub ? openat(dfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
							      O_CLOEXEC)
				     : fcntl(dfd, F_DUPFD_CLOEXEC, 3);
	_cleanup_free_ char *dpath = NULL;
	struct stat st;
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (asprintf(&dpath, "%s%s%s", set->dir, sub ? "/" : "", sub ? sub : "") < 0)
		return -ENOMEM;
	if (fd < 0) {
		if (errno == ENOENT)
			return 0; /* groups/ or users/ may be absent */
		perr_add(errs, dpath, 0, "%s; expected a directory",
			 errno == ELOOP || errno == ENOTDIR ? "is a symlink or not a directory"
							    : strerror(errno));
		return -EINVAL;
	}
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!(opts && opts->skip_owner_checks) && !stat_is_safe(&st, dpath, "directory", errs))
		return -EINVAL;
	d = fdopendir(fd);
	if (!d)
		return -errno;
	fd = -1; /* owned by d now */
	while ((de = readdir(d))) {
		_cleanup_free_ char *path = NULL;
		struct pfile *f = NULL;
		struct stat est;

		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (asprintf(&path, "%s/%s", dpath, de->d_name) < 0) {
			r = -ENOMEM;
			break;
		}
		if (fstatat(dirfd(d), de->d_name, &est, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(est.st_mode)) {
			perr_add(errs, path, 0, "is a symlink; expected no symlinks anywhere in "
						"the policy tree");
			r = -EINVAL;
			continue;
		}
		if (!sub && S_ISDIR(est.st_mode) &&
		    (streq(de->d_name, "groups") || streq(de->d_name, "users")))
			continue; /* read by their own call */
		if (!S_ISREG(est.st_mode) || !conf_name(de->d_name, sub, path, errs))
			continue;
		if (set->nfiles >= POLICY_FILES_MAX) {
			perr_add(errs, dpath, 0, "more than %d files", POLICY_FILES_MAX);
			r = -EINVAL;
			break;
		}
		if (load_one(set, dirfd(d), sub, de->d_name, opts, &f, errs) < 0) {
			r = -EINVAL;
			continue;
		}
		if (opts && opts->override_name && streq(opts->override_name, f->name))
			*ret_override_seen = true;
		if (!sub) {
			set->def = f;
			continue;
		}
		struct pfile **grown = realloc(set->files, (set->nfiles + 1) * sizeof(*grown));
		if (!grown) {
			pfile_free(f);
			r = -ENOMEM;
			break;
		}
		set->files = grown;
		set->files[set->nfiles++] = f;
	}
	closedir(d);
	return r;
}

const struct pfile *policy_set_find(const struct policy_set *set, const char *name)
{
	if (streq(name, "default"))
		return set->def;
	for (size_t i = 0; i < set->nfiles; i++)
		if (streq(set->files[i]->name, name))
			return set->files[i];
	return NULL;
}

const char *pfile_parent(const struct policy_set *set, const struct pfile *f)
{
	if (f->layer.v[PK_INHERIT].set)
		return f->layer.v[PK_INHERIT].str;
	if (streq(f->name, "default") || !set->def)
		return NULL;
	return "default";
}

/* Set-wide rules: inherit targets exist, no loops, fixed bind sources exist. */
static void check_set(const struct policy_set *set, struct perr_list *errs)
{
	for (size_t i = 0; i <= set->nfiles; i++) {
		const struct pfile *f = i < set->nfiles ? set->files[i] : set->def;
		const struct pfile *cur = f;
		const struct pval *binds;
		int depth = 0;

		if (!f)
			continue;
		while (cur) {
			const char *parent = pfile_parent(set, cur);
			const struct pfile *next;

			if (!parent)
				break;
			next = policy_set_find(set, parent);
			if (!next) {
				perr_add(errs, cur->path, cur->layer.v[PK_INHERIT].line,
					 "inherit: \"%s\" does not exist; expected the name of a "
					 "policy in this directory",
					 parent);
				break;
			}
			if (next == f || ++depth > 32) {
				perr_add(errs, f->path, f->layer.v[PK_INHERIT].line,
					 "inherit: the chain from %s loops back to itself; expected "
					 "a chain that ends at default",
					 f->name);
				break;
			}
			cur = next;
		}
		binds = &f->layer.v[PK_JAIL_BINDS];
		for (size_t b = 0; b < binds->nbinds; b++) {
			struct stat st;
			const struct bind *bd = &binds->binds[b];

			if (strchr(bd->src, '%') || bd->optional)
				continue; /* checked per user at resolve time */
			if (stat(bd->src, &st) < 0)
				perr_add(errs, f->path, bd->line,
					 "jail.binds: src \"%.100s\" does not exist; expected an "
					 "existing path, or optional = true",
					 bd->src);
		}
	}
}

int policy_set_load(const char *dir, const struct policy_load_opts *opts, struct policy_set **ret,
		    struct perr_list *errs)
{
	struct policy_set *set;
	_cleanup_close_ int dfd = -1;
	size_t errs_before = errs->n;
	bool override_seen = false;
	int r = 0;

	set = calloc(1, sizeof(*set));
	if (!set)
		return -ENOMEM;
	set->dir = strdup(dir);
	if (!set->dir) {
		policy_set_free(set);
		return -ENOMEM;
	}
	/* Strip trailing slashes so that messages read "dir/users/ann.conf". */
	for (size_t n = strlen(set->dir); n > 1 && set->dir[n - 1] == '/'; n--)
		set->dir[n - 1] = '\0';
	if (!(opts && opts->skip_owner_checks) && !ancestors_are_safe(set->dir, errs)) {
		policy_set_free(set);
		return -EINVAL;
	}
	dfd = open(set->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		perr_add(errs, set->dir, 0, "%s; expected a policy directory",
			 errno == ELOOP ? "is a symlink" : strerror(errno));
		policy_set_free(set);
		return -EINVAL;
	}
	if (load_dir(set, dfd, NULL, opts, &override_seen, errs) == -ENOMEM ||
	    load_dir(set, dfd, "groups", opts, &override_seen, errs) == -ENOMEM ||
	    load_dir(set, dfd, "users", opts, &override_seen, errs) == -ENOMEM)
		r = -ENOMEM;
	/* A new file being created by jailctl edit is not in the directory yet. */
	if (r == 0 && opts && opts->override_name && !override_seen) {
		const char *slash = strchr(opts->override_name, '/');
		_cleanup_free_ char *fname = NULL;
		_cleanup_free_ char *sub = slash ? strndup(opts->override_name,
							   (size_t) (slash - opts->override_name))
						 : NULL;
		struct pfile *f = NULL;

		if (asprintf(&fname, "%s.conf", slash ? slash + 1 : opts->override_name) < 0)
			r = -ENOMEM;
		else if (load_one(set, dfd, sub, fname, opts, &f, errs) == 0) {
			if (!sub) {
				set->def = f;
			} else {
				struct pfile **g = realloc(set->files,
							   (set->nfiles + 1) * sizeof(*g));
				if (!g) {
					pfile_free(f);
					r = -ENOMEM;
				} else {
					set->files = g;
					set->files[set->nfiles++] = f;
				}
			}
		}
	}
	if (set->nfiles > 1)
		qsort(set->files, set->nfiles, sizeof(*set->files), cmp_pfile);
	if (r == 0)
		check_set(set, errs);
	if (r == 0 && errs->n > errs_before)
		r = -EINVAL;
	if (r < 0) {
		policy_set_free(set);
		return r;
	}
	*ret = set;
	return 0;
}

int policy_load_single(const char *path, struct policy **ret, struct perr_list *errs)
{
	struct pfile f = { .name = (char *) "default", .path = (char *) path };
	_cleanup_free_ char *text = NULL, *dir = strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	struct policy *p;
	size_t before = errs->n;
	int r;

	if (!slash)
		return -EINVAL;
	*slash = '\0';
	if (!ancestors_are_safe(dir[0] ? dir : "/", errs))
		return -EINVAL;
	r = read_safe_file(AT_FDCWD, path, path, true, &text, errs);
	if (r == 0)
		r = parse_file(&f, text, errs);
	if (r == 0 && errs->n > before)
		r = -EINVAL;
	p = r == 0 ? policy_builtin() : NULL;
	if (r == 0 && !p)
		r = -ENOMEM;
	for (int k = 0; r == 0 && k < PK__COUNT; k++) {
		if (!f.layer.v[k].set)
			continue;
		pval_clear(&p->v[k]);
		if (pval_copy((enum pkey) k, &f.layer.v[k], &p->v[k], NULL) < 0)
			r = -ENOMEM;
		p->v[k].file = "(jail)";
	}
	for (int k = 0; k < PK__COUNT; k++)
		pval_clear(&f.layer.v[k]);
	if (r < 0) {
		policy_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

int policy_check_text(const char *name, const char *text, size_t len, struct perr_list *errs)
{
	struct pfile f = { .name = (char *) name, .path = (char *) name };
	size_t before = errs->n;
	int r = check_content(text, len, name, errs);

	if (r == 0)
		r = parse_file(&f, text, errs);
	for (int k = 0; k < PK__COUNT; k++)
		pval_clear(&f.layer.v[k]);
	return r < 0 || errs->n > before ? -EINVAL : 0;
}
