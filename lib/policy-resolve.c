// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * From a loaded set to one user's effective policy.  Order: users/NAME.conf, else the group
 * files the user matches (the highest priority wins; a tie is an error, never a guess), else
 * default.conf when its match says so.  The chosen file's inherit chain is applied from the root
 * down over the built-in defaults, then %u %h %U are substituted and the results re-checked.
 * Root is never matched: a jailed root would lock the admin out of the host.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "policy-internal.h"
#include "strv.h"

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (int k = 0; k < PK__COUNT; k++)
		pval_clear(&p->v[k]);
	free(p->source);
	free(p);
}

static char *dup_subst(const char *s, const struct subst *sub, bool do_subst)
{
	return do_subst && sub ? subst_apply(s, sub) : strdup(s);
}

int pval_copy(enum pkey k, const struct pval *src, struct pval *dst, const struct subst *sub)
{
	const bool do_subst = pkey_table[k].subst;
	struct pval v = *src;

	v.str = NULL;
	v.list = NULL;
	v.binds = NULL;
	v.rules = NULL;
	v.nbinds = v.nrules = 0;
	if (src->str && !(v.str = dup_subst(src->str, sub, do_subst)))
		goto oom;
	if (src->list) {
		v.list = calloc(strv_length(src->list) + 1, sizeof(char *));
		if (!v.list)
			goto oom;
		for (size_t i = 0; src->list[i]; i++)
			if (!(v.list[i] = dup_subst(src->list[i], sub, do_subst)))
				goto oom;
	}
	if (src->binds || src->nbinds) {
		v.binds = calloc(src->nbinds + 1, sizeof(struct bind));
		if (!v.binds)
			goto oom;
		for (; v.nbinds < src->nbinds; v.nbinds++) {
			struct bind *b = &v.binds[v.nbinds];
			*b = src->binds[v.nbinds];
			b->src = dup_subst(b->src, sub, do_subst);
			b->dst = dup_subst(b->dst, sub, do_subst);
			if (!b->src || !b->dst) {
				v.nbinds++;
				goto oom;
			}
		}
	}
	if (src->rules || src->nrules) {
		v.rules = calloc(src->nrules + 1, sizeof(struct arg_rule));
		if (!v.rules)
			goto oom;
		for (; v.nrules < src->nrules; v.nrules++) {
			struct arg_rule *r = &v.rules[v.nrules];
			*r = src->rules[v.nrules];
			r->command = strdup(r->command);
			r->deny = strv_copy(r->deny);
			if (!r->command || !r->deny) {
				v.nrules++;
				goto oom;
			}
		}
	}
	*dst = v;
	return 0;
oom:
	pval_clear(&v);
	return -ENOMEM;
}

struct policy *policy_dup(const struct policy *src)
{
	struct policy *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	if (src->source && !(p->source = strdup(src->source)))
		goto oom;
	for (int k = 0; k < PK__COUNT; k++) {
		if (src->v[k].set && pval_copy((enum pkey) k, &src->v[k], &p->v[k], NULL) < 0)
			goto oom;
		/* Origins point into the set, which a reload frees: a copy outlives it. */
		p->v[k].file = "(copy)";
	}
	return p;
oom:
	policy_free(p);
	return NULL;
}

struct policy *policy_builtin(void)
{
	struct policy *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	for (int k = 0; k < PK__COUNT; k++) {
		char *w = NULL;

		if (!pkey_table[k].def)
			continue;
		/* The table's defaults are checked by the unit tests; a failure here is a bug. */
		if (pval_parse_text((enum pkey) k, pkey_table[k].def, &p->v[k], &w) < 0) {
			free(w);
			policy_free(p);
			return NULL;
		}
		p->v[k].file = "(built-in)";
	}
	return p;
}

void user_info_clear(struct user_info *u)
{
	free(u->name);
	free(u->home);
	free(u->shell);
	strv_free(u->groups);
	memset(u, 0, sizeof(*u));
}

int nss_group_list(const char *user, gid_t gid, gid_t **ret, int *ret_n)
{
	gid_t *gids = NULL;
	int ngroups = 64;

	for (;;) {
		gid_t *g = realloc(gids, (size_t) ngroups * sizeof(gid_t));
		int n = ngroups;
		if (!g) {
			free(gids);
			return -ENOMEM;
		}
		gids = g;
		if (getgrouplist(user, gid, gids, &n) >= 0) {
			*ret = gids;
			*ret_n = n;
			return 0;
		}
		if (n <= ngroups || n > 65536) { /* no growth asked for, or absurd: give up */
			free(gids);
			return -E2BIG;
		}
		ngroups = n;
	}
}

int user_info_from_nss(const char *name, struct user_info *ret)
{
	struct user_info u = { 0 };
	struct passwd pw, *pwp = NULL;
	_cleanup_free_ char *buf = NULL;
	_cleanup_free_ gid_t *gids = NULL;
	size_t buflen = 16384;
	int ngroups = 0, r;

	buf = malloc(buflen);
	if (!buf)
		return -ENOMEM;
	r = getpwnam_r(name, &pw, buf, buflen, &pwp);
	if (r != 0)
		return -r;
	if (!pwp)
		return -ESRCH;
	u.name = strdup(pw.pw_name);
	u.home = strdup(pw.pw_dir);
	u.shell = strdup(pw.pw_shell ? pw.pw_shell : "");
	u.uid = pw.pw_uid;
	u.gid = pw.pw_gid;
	if (!u.name || !u.home || !u.shell)
		goto oom;
	r = nss_group_list(pw.pw_name, pw.pw_gid, &gids, &ngroups);
	if (r < 0) {
		user_info_clear(&u);
		return r;
	}
	u.groups = calloc(1, sizeof(char *));
	if (!u.groups)
		goto oom;
	for (int i = 0; i < ngroups; i++) {
		struct group gr, *grp = NULL;
		char gbuf[16384];
		if (getgrgid_r(gids[i], &gr, gbuf, sizeof(gbuf), &grp) == 0 && grp &&
		    !strv_contains(u.groups, grp->gr_name) && strv_push(&u.groups, grp->gr_name) < 0)
			goto oom;
	}
	*ret = u;
	return 0;
oom:
	user_info_clear(&u);
	return -ENOMEM;
}

static bool file_match_extras(const struct pfile *f, const struct user_info *u)
{
	const struct pval *users = &f->layer.v[PK_MATCH_USERS];
	const struct pval *groups = &f->layer.v[PK_MATCH_GROUPS];
	const struct pval *uids = &f->layer.v[PK_MATCH_UIDS];

	if (users->set && strv_contains(users->list, u->name))
		return true;
	if (groups->set)
		for (size_t i = 0; groups->list[i]; i++)
			if (strv_contains(u->groups, groups->list[i]))
				return true;
	return uids->set && uid_ranges_contain(&uids->uids, u->uid);
}

static int64_t file_priority(const struct pfile *f)
{
	return f->layer.v[PK_PRIORITY].set ? f->layer.v[PK_PRIORITY].num : 0;
}

/* Picks the one file that governs u, or NULL. */
static int choose_file(const struct policy_set *s, const struct user_info *u,
		       const struct pfile **ret, struct perr_list *errs)
{
	const struct pfile *best = NULL, *tie = NULL;
	char uname[256];

	*ret = NULL;
	snprintf(uname, sizeof(uname), "users/%s", u->name);
	if ((*ret = policy_set_find(s, uname)))
		return 0;
	for (size_t i = 0; i < s->nfiles; i++) {
		const struct pfile *f = s->files[i];
		if (strncmp(f->name, "groups/", 7) != 0)
			continue;
		if (!strv_contains(u->groups, f->name + 7) && !file_match_extras(f, u))
			continue;
		if (!best || file_priority(f) > file_priority(best)) {
			best = f;
			tie = NULL;
		} else if (file_priority(f) == file_priority(best)) {
			tie = f;
		}
	}
	if (tie) {
		perr_add(errs, tie->path, 0,
			 "user %s matches both %s and %s with priority %lld; expected one of them "
			 "to set a higher priority",
			 u->name, best->name, tie->name, (long long) file_priority(best));
		return -EINVAL;
	}
	if (best) {
		*ret = best;
		return 0;
	}
	if (s->def && (s->def->layer.v[PK_MATCH_ALL].num || file_match_extras(s->def, u)))
		*ret = s->def;
	return 0;
}

static bool duplicate_dst(const struct pval *b, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (streq(b->binds[j].dst, b->binds[i].dst))
			return true;
	return false;
}

/* The jail home holds what the user writes: it must lie apart from the host home that host
 * services read, and no bind may cover the place where it is shown. */
static void check_jail_home(struct policy *p, const char *home, struct perr_list *errs)
{
	const struct pval *h = &p->v[PK_JAIL_HOME], *b = &p->v[PK_JAIL_BINDS];
	char *w;

	if (!h->str)
		return;
	w = bind_path_check_resolved("src", h->str);
	if (w) {
		perr_add(errs, h->file, h->line, "jail.home: %s", w);
		free(w);
	} else if (path_is_under(h->str, home) || path_is_under(home, h->str)) {
		perr_add(errs, h->file, h->line,
			 "jail.home: \"%.100s\" overlaps the host home %.100s, which host services "
			 "read; expected a place apart from it, e.g. \"/home/.corral/%%u\"",
			 h->str, home);
	}
	for (size_t i = 0; i < b->nbinds; i++) {
		const char *src = b->binds[i].src;
		char parent[4096], *slash;

		if (streq(b->binds[i].dst, home) || path_is_under(home, b->binds[i].dst) ||
		    path_is_under(src, home))
			perr_add(errs, b->file, b->binds[i].line,
				 "jail.binds: %.100s -> %.100s covers or exposes the host home %.100s; "
				 "the jail home (jail.home) is shown there: remove this entry",
				 src, b->binds[i].dst, home);
		/* The directory that holds the jail homes holds everyone's: no bind of it, nor of
		 * anything in it but the user's own jail home. */
		snprintf(parent, sizeof(parent), "%s", h->str ? h->str : "");
		slash = strrchr(parent, '/');
		if (slash && slash != parent)
			*slash = '\0';
		if (slash && slash != parent &&
		    (path_is_under(parent, src) ||
		     (path_is_under(src, parent) && !path_is_under(src, h->str))))
			perr_add(errs, b->file, b->binds[i].line,
				 "jail.binds: %.100s exposes %.100s, where every user's jail home "
				 "lies; bind a directory apart from it",
				 src, parent);
	}
}

/* Re-checks what substitution produced: a user's home or name may turn a good template into
 * a bad path. */
static void check_resolved(struct policy *p, const struct user_info *u, struct perr_list *errs)
{
	const struct pval *b = &p->v[PK_JAIL_BINDS];
	const struct pval *paths = &p->v[PK_SHELL_PATHS];

	for (size_t i = 0; i < b->nbinds; i++) {
		struct stat st;
		char *w = bind_path_check_resolved("src", b->binds[i].src);

		if (!w)
			w = bind_path_check_resolved("dst", b->binds[i].dst);
		if (w) {
			perr_add(errs, b->file, b->binds[i].line, "jail.binds: %s", w);
			free(w);
		} else if (i > 0 && duplicate_dst(b, i)) {
			perr_add(errs, b->file, b->binds[i].line,
				 "jail.binds: dst \"%.100s\" is bound twice for user %s after "
				 "substitution; expected each dst once",
				 b->binds[i].dst, u->name);
		} else if (!b->binds[i].optional && stat(b->binds[i].src, &st) < 0) {
			perr_add(errs, b->file, b->binds[i].line,
				 "jail.binds: src \"%.100s\" does not exist; expected an existing "
				 "path, or optional = true",
				 b->binds[i].src);
		}
	}
	check_jail_home(p, u->home, errs);
	for (size_t i = 0; paths->list && paths->list[i]; i++)
		if (!path_is_canonical(paths->list[i]))
			perr_add(errs, paths->file, paths->line,
				 "shell.paths: \"%.100s\" is not a canonical absolute path after "
				 "substitution; expected the user's home to be canonical",
				 paths->list[i]);
	if (p->v[PK_JAIL_HOSTNAME].str) {
		struct pval scratch = { 0 };
		char *w = text_check(PK_JAIL_HOSTNAME, p->v[PK_JAIL_HOSTNAME].str, &scratch, false);
		if (w) {
			perr_add(errs, p->v[PK_JAIL_HOSTNAME].file, p->v[PK_JAIL_HOSTNAME].line,
				 "jail.hostname: %s", w);
			free(w);
		}
	}
}

int policy_substitute(struct policy *p, const struct user_info *u)
{
	const struct subst sub = { u->name, u->home, u->uid };

	for (int k = 0; k < PK__COUNT; k++) {
		struct pval tmp;
		if (!pkey_table[k].subst || !p->v[k].set)
			continue;
		if (pval_copy((enum pkey) k, &p->v[k], &tmp, &sub) < 0)
			return -ENOMEM;
		pval_clear(&p->v[k]);
		p->v[k] = tmp;
	}
	return 0;
}

/* shell.commands_add and shell.commands_remove of one layer, applied to the commands that the
 * layers above it left: a group adds to default's list instead of copying it. */
static int merge_commands(struct policy *p, const struct policy *layer)
{
	const struct pval *add = &layer->v[PK_SHELL_COMMANDS_ADD];
	const struct pval *rm = &layer->v[PK_SHELL_COMMANDS_REMOVE];
	struct pval *cmds = &p->v[PK_SHELL_COMMANDS];

	for (size_t i = 0; add->set && add->list[i]; i++)
		if (!strv_contains(cmds->list, add->list[i]) &&
		    strv_push(&cmds->list, add->list[i]) < 0)
			return -ENOMEM;
	for (size_t i = 0; rm->set && rm->list[i]; i++)
		for (size_t j = 0; cmds->list && cmds->list[j]; j++)
			if (streq(cmds->list[j], rm->list[i])) {
				free(cmds->list[j]);
				memmove(&cmds->list[j], &cmds->list[j + 1],
					(strv_length(cmds->list) - j) * sizeof(char *));
				break;
			}
	/* The list now says what this file made of it. */
	if (add->set || rm->set) {
		cmds->file = rm->set ? rm->file : add->file;
		cmds->line = rm->set ? rm->line : add->line;
	}
	return 0;
}

int policy_resolve(const struct policy_set *s, const struct user_info *u, struct policy **ret,
		   struct perr_list *errs)
{
	const struct pfile *chain[34];
	const struct pfile *f;
	struct policy *p;
	size_t errs_before = errs->n;
	int n = 0, r;

	*ret = NULL;
	if (u->uid == 0)
		return POLICY_UNMATCHED;
	r = choose_file(s, u, &f, errs);
	if (r < 0)
		return r;
	if (!f)
		return POLICY_UNMATCHED;
	if (!path_is_canonical(u->home)) {
		perr_add(errs, f->path, 0,
			 "user %s has home \"%.100s\", which is not a canonical absolute path; "
			 "expected a home such as /home/%s",
			 u->name, u->home, u->name);
		return -EINVAL;
	}
	for (const struct pfile *cur = f; cur; n++) {
		const char *parent = pfile_parent(s, cur);
		if (n >= (int) ARRAY_SIZE(chain)) {
			perr_add(errs, f->path, 0, "inherit: chain too long or looping");
			return -EINVAL;
		}
		chain[n] = cur;
		cur = parent ? policy_set_find(s, parent) : NULL;
	}
	p = policy_builtin();
	if (!p)
		return -ENOMEM;
	p->source = strdup(f->name);
	if (!p->source) {
		policy_free(p);
		return -ENOMEM;
	}
	for (int i = n - 1; i >= 0; i--) {
		for (int k = 0; k < PK__COUNT; k++) {
			const struct pval *v = &chain[i]->layer.v[k];
			if (!v->set || (PKEY_FILE_LOCAL(k) && i != 0))
				continue;
			pval_clear(&p->v[k]);
			if (pval_copy((enum pkey) k, v, &p->v[k], NULL) < 0) {
				policy_free(p);
				return -ENOMEM;
			}
		}
		if (merge_commands(p, &chain[i]->layer) < 0) {
			policy_free(p);
			return -ENOMEM;
		}
	}
	/* Merged into shell.commands: the effective policy has no additions left to make. */
	pval_clear(&p->v[PK_SHELL_COMMANDS_ADD]);
	pval_clear(&p->v[PK_SHELL_COMMANDS_REMOVE]);
	/* Substitute last, so that inherited templates see this user. */
	if (policy_substitute(p, u) < 0) {
		policy_free(p);
		return -ENOMEM;
	}
	check_resolved(p, u, errs);
	if (errs->n > errs_before) {
		policy_free(p);
		return -EINVAL;
	}
	*ret = p;
	return POLICY_MATCHED;
}
