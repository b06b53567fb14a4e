// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * jailctl doctor: audits the live host for every way a jailed user's code could run outside the
 * jail (DESIGN.md, "Trust boundaries": the host around the jail is part of the boundary).  It
 * reads the policy set, the PAM stacks, sshd's effective settings per user (sshd -T), the
 * shells file, systemd's linger flags and each jailed user's passwd home; it changes nothing.
 *
 * Runs as root (sshd -T and the home audit need it).  The files it parses are root's; a user's
 * home is walked only with O_NOFOLLOW (lib/home.c and hook_present() here), so a user's symlink
 * is reported, never followed.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "client.h"
#include "home.h"
#include "jailctl.h"
#include "policy.h"
#include "quota.h"
#include "strv.h"

#define INCLUDE_DEPTH 8 /* PAM and sshd_config includes; real stacks nest two or three deep */
#define SSHD_OUT_MAX (1024 * 1024)

struct finding {
	char *check;   /* "pam", "sshd", "home", ... */
	char *file;    /* the file read, or NULL */
	int line;      /* 0: the file as a whole */
	char *user;    /* the jailed user it is about, or NULL */
	char *subject; /* named instead of a file: "jaild", "group jailed", a user */
	char *msg;     /* what is wrong; what to change */
};

struct jailed {
	struct user_info u;
	gid_t *gids;
	int ngids;
	struct policy *p; /* resolved; NULL for a member of --group the policies do not match */
};

/* One line of a PAM stack, after includes, with where it really sits. */
struct pam_line {
	char type[16];
	char control[160];
	char module[256];
	char args[512];
	const char *file; /* interned in doctor.files */
	int line;
};

struct pam_stack {
	struct pam_line *l;
	size_t n;
};

/* One line of sshd_config (after Include), for naming the line that set a keyword. */
struct cfg_line {
	const char *file;
	int line;
	char key[48]; /* lower case */
	char *value;
};

struct doctor {
	const char *policy_dir, *socket, *pam_dir, *vendor_pam_dir, *sshd_config, *sshd, *shells,
		*linger_dir;
	const char *group, *keys_dir, *rshell;
	bool no_daemon, json;
	struct finding *f;
	size_t nf;
	struct jailed *j;
	struct policy_set *set; /* the jailed users' policies point into it */
	size_t nj;
	bool have_group;
	gid_t group_gid;
	char **files; /* interned file names */
	struct cfg_line *cfg;
	size_t ncfg;
	bool have_match; /* sshd_config has a Match Group block for the group */
	struct pam_line pam_systemd; /* first session pam_systemd.so of a login stack, if line */
};

static void add(struct doctor *d, const char *check, const char *file, int line, const char *user,
		const char *subject, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void add(struct doctor *d, const char *check, const char *file, int line, const char *user,
		const char *subject, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	struct finding *grown, *n;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0) {
		msg = NULL;
		return;
	}
	/* Stacks share common-* files: one line is reported once. */
	for (size_t i = 0; i < d->nf; i++) {
		const struct finding *o = &d->f[i];
		if (streq(o->check, check) && o->line == line && streq(o->msg, msg) &&
		    (!o->file == !file) && (!file || streq(o->file, file)) &&
		    (!o->user == !user) && (!user || streq(o->user, user)))
			return;
	}
	grown = realloc(d->f, (d->nf + 1) * sizeof(*d->f));
	if (!grown)
		return;
	d->f = grown;
	n = &d->f[d->nf++];
	*n = (struct finding) {
		.check = strdup(check),
		.file = file ? strdup(file) : NULL,
		.line = line,
		.user = user ? strdup(user) : NULL,
		.subject = strdup(subject ? subject : user ? user : check),
		.msg = TAKE_PTR(msg),
	};
}

static const char *intern(struct doctor *d, const char *s)
{
	if (strv_push(&d->files, s) < 0)
		return "(out of memory)";
	return d->files[strv_length(d->files) - 1];
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* The next blank-separated word of *p, terminated in place; NULL at the end. */
static char *word(char **p)
{
	char *s = *p, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	e = s + strcspn(s, " \t\r\n");
	if (*e)
		*e++ = '\0';
	*p = e;
	return s;
}

static bool has_word(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '[') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\t' || p[n] == ']'))
			return true;
	return false;
}

/* ---- policy set and who is jailed ---- */

/* perr messages read "FILE:LINE: rest" or "FILE: rest". */
static void add_perr(struct doctor *d, const char *msg, const char *user)
{
	const char *p = msg;

	while ((p = strchr(p, ':'))) {
		char *end;
		long line = strtol(p + 1, &end, 10);
		if (end > p + 1 && end[0] == ':' && end[1] == ' ' && line > 0 && line < INT_MAX) {
			_cleanup_free_ char *file = strndup(msg, p - msg);
			add(d, "policy", file, (int) line, user, NULL, "%s", end + 2);
			return;
		}
		p++;
	}
	p = strstr(msg, ": ");
	if (p && p > msg && msg[0] == '/') {
		_cleanup_free_ char *file = strndup(msg, p - msg);
		add(d, "policy", file, 0, user, NULL, "%s", p + 2);
	} else {
		add(d, "policy", NULL, 0, user, "policy", "%s", msg);
	}
}

static void take_perrs(struct doctor *d, struct perr_list *errs, const char *user)
{
	for (size_t i = 0; i < errs->n; i++)
		add_perr(d, errs->msg[i], user);
	perr_clear(errs);
	*errs = (struct perr_list) { 0 };
}

static bool already_jailed(const struct doctor *d, const char *name)
{
	for (size_t i = 0; i < d->nj; i++)
		if (streq(d->j[i].u.name, name))
			return true;
	return false;
}

/* Every passwd user the policy set matches, and every member of --group; never root. */
static void find_jailed(struct doctor *d)
{
	struct policy_set *set = NULL;
	struct perr_list errs = { 0 };
	struct group *gr = getgrnam(d->group);
	struct passwd *pw;
	int r;

	if (gr) {
		d->have_group = true;
		d->group_gid = gr->gr_gid;
	}
	r = policy_set_load(d->policy_dir, NULL, &set, &errs);
	if (errs.n)
		take_perrs(d, &errs, NULL);
	else if (r < 0)
		add(d, "policy", d->policy_dir, 0, NULL, NULL,
		    "cannot load the policy set: %s; jailed users are taken from group %s only",
		    strerror(-r), d->group);
	setpwent();
	while ((pw = getpwent())) {
		_cleanup_free_ char *name = strdup(pw->pw_name);
		struct user_info u = { 0 };
		struct policy *p = NULL;
		gid_t *gids = NULL;
		int ngids = 0;
		bool jailed = false;

		if (!name || pw->pw_uid == 0 || already_jailed(d, name) ||
		    user_info_from_nss(name, &u) < 0)
			continue;
		if (set) {
			jailed = policy_resolve(set, &u, &p, &errs) == POLICY_MATCHED;
			if (!jailed) {
				policy_free(p);
				p = NULL;
			}
			take_perrs(d, &errs, name);
		}
		if (nss_group_list(u.name, u.gid, &gids, &ngids) < 0) {
			gids = NULL;
			ngids = 0;
		}
		for (int i = 0; d->have_group && i < ngids; i++)
			if (gids[i] == d->group_gid)
				jailed = true;
		struct jailed *grown = jailed ? realloc(d->j, (d->nj + 1) * sizeof(*d->j)) : NULL;
		if (!grown) {
			free(gids);
			policy_free(p);
			user_info_clear(&u);
			continue;
		}
		d->j = grown;
		d->j[d->nj++] = (struct jailed) { .u = u, .gids = gids, .ngids = ngids, .p = p };
	}
	endpwent();
	d->set = set;
}

/* ---- jaild ---- */

static void check_daemon(struct doctor *d)
{
	_cleanup_close_ int fd = jaild_connect(d->socket, 10000);
	struct proto_msg q, r;
	const char *why = NULL;

	if (fd < 0) {
		add(d, "daemon", NULL, 0, NULL, "jaild",
		    "cannot reach jaild at %s: %s; jailed logins fail until it runs (systemctl "
		    "start jaild), or pass the right --socket",
		    d->socket, strerror(-fd));
		return;
	}
	proto_msg_init(&q, MSG_STATUS);
	if (jaild_call(fd, &q, &r, &why) < 0) {
		add(d, "daemon", NULL, 0, NULL, "jaild",
		    "jaild at %s did not answer STATUS: %s; restart it (systemctl restart jaild)",
		    d->socket, why ? why : "no answer");
		return;
	}
	if (r.type != MSG_STATUS_REPLY)
		add(d, "daemon", NULL, 0, NULL, "jaild", "jaild at %s refused STATUS: %s; run "
		    "doctor as root or as a member of jaild's --admin-group", d->socket,
		    r.type == MSG_ERROR && r.text ? r.text : proto_type_name(r.type));
	proto_msg_clear(&r);
}

/* ---- /etc/shells ---- */

static void check_shells(struct doctor *d)
{
	_cleanup_fclose_ FILE *f = fopen(d->shells, "re");
	_cleanup_free_ char *buf = NULL;
	size_t cap = 0;
	int line = 0;

	if (!f)
		return; /* nothing lists rshell */
	while (getline(&buf, &cap, f) > 0) {
		char *s = trim(buf);
		line++;
		if (s[0] == '#' || !s[0])
			continue;
		if (streq(base_name(s), "rshell") || streq(s, d->rshell))
			add(d, "shells", d->shells, line, NULL, NULL,
			    "lists rshell, so su -s and chsh treat jailed users' shell as an "
			    "ordinary one (su -s /bin/bash USER would work); remove this line "
			    "(rshell needs no entry)");
	}
}

/* ---- PAM ---- */

static int pam_read(struct doctor *d, const char *path, const char *only, struct pam_stack *st,
		    int depth);

static void pam_include(struct doctor *d, const char *name, const char *only, struct pam_stack *st,
			int depth, const char *file, int line)
{
	char path[PATH_MAX];
	int r;

	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", d->pam_dir, name);
	if (depth >= INCLUDE_DEPTH) {
		add(d, "pam", file, line, NULL, NULL,
		    "includes nest deeper than %d (a loop?); break the include chain",
		    INCLUDE_DEPTH);
		return;
	}
	r = pam_read(d, path, only, st, depth + 1);
	if (r < 0)
		add(d, "pam", file, line, NULL, NULL,
		    "includes %s, which cannot be read (%s), so PAM fails this stack; fix the "
		    "include",
		    path, strerror(-r));
}

/* Appends the lines of path (of type only, if set) to st, following @include, include and
 * substack; -errno when path cannot be read. */
static int pam_read(struct doctor *d, const char *path, const char *only, struct pam_stack *st,
		    int depth)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *buf = NULL, *more = NULL;
	size_t cap = 0, mcap = 0;
	const char *file;
	ssize_t n;
	int lineno = 0;

	if (!f)
		return -errno;
	file = intern(d, path);
	while ((n = getline(&buf, &cap, f)) > 0) {
		int start = ++lineno;
		char *p, *type, *control, *module;

		/* A backslash at the end continues the line (Linux-PAM's _pam_assemble_line). */
		while (n >= 2 && buf[n - 2] == '\\' && buf[n - 1] == '\n') {
			ssize_t m = getline(&more, &mcap, f);
			char *joined;
			if (m <= 0)
				break;
			lineno++;
			buf[n - 2] = ' ';
			buf[n - 1] = '\0';
			if (asprintf(&joined, "%s%s", buf, more) < 0)
				return -ENOMEM;
			free(buf);
			buf = joined;
			cap = strlen(joined) + 1;
			n = (ssize_t) strlen(joined);
		}
		buf[strcspn(buf, "#\r\n")] = '\0';
		p = buf;
		type = word(&p);
		if (!type)
			continue;
		if (streq(type, "@include")) {
			char *name = word(&p);
			if (name)
				pam_include(d, name, only, st, depth, file, start);
			continue;
		}
		if (type[0] == '-')
			type++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '[') {
			control = p;
			p += strcspn(p, "]");
			if (*p)
				p++;
			if (*p)
				*p++ = '\0';
		} else {
			control = word(&p);
		}
		module = word(&p);
		if (!control || !module || (only && !streq(type, only)))
			continue;
		if (streq(control, "include") || streq(control, "substack")) {
			pam_include(d, module, type, st, depth, file, start);
			continue;
		}
		struct pam_line *grown = realloc(st->l, (st->n + 1) * sizeof(*st->l));
		if (!grown)
			return -ENOMEM;
		st->l = grown;
		struct pam_line *l = &st->l[st->n++];
		*l = (struct pam_line) { .file = file, .line = start };
		snprintf(l->type, sizeof(l->type), "%s", type);
		snprintf(l->control, sizeof(l->control), "%s", control);
		snprintf(l->module, sizeof(l->module), "%s", module);
		snprintf(l->args, sizeof(l->args), "%s", trim(p));
	}
	return 0;
}

static bool is_module(const struct pam_line *l, const char *type, const char *module)
{
	return (!type || streq(l->type, type)) && streq(base_name(l->module), module);
}

/* The index of the first (or last) line of type running module, or -1. */
static ssize_t find_module(const struct pam_stack *st, const char *type, const char *module,
			   bool last)
{
	ssize_t found = -1;

	for (size_t i = 0; i < st->n; i++)
		if (is_module(&st->l[i], type, module)) {
			found = (ssize_t) i;
			if (!last)
				break;
		}
	return found;
}

/* A line that ends the type's stack on success before pam_jaild.so gets its say. */
static void check_cut_short(struct doctor *d, const struct pam_stack *st, ssize_t upto)
{
	const struct pam_line *j = &st->l[upto];

	for (ssize_t i = 0; i < upto; i++) {
		const struct pam_line *l = &st->l[i];
		if (!streq(l->type, j->type))
			continue;
		if (streq(l->control, "sufficient") || has_word(l->control, "success=done"))
			add(d, "pam", l->file, l->line, NULL, NULL,
			    "'%s %s %s' ends the %s stack on success before pam_jaild.so (%s:%d) "
			    "runs; make it required or move pam_jaild.so above it",
			    l->type, l->control, l->module, l->type, j->file, j->line);
	}
}

static void check_readenv(struct doctor *d, const struct pam_stack *st)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct pam_line *l = &st->l[i];
		if (is_module(l, NULL, "pam_env.so") && has_word(l->args, "user_readenv=1"))
			add(d, "pam", l->file, l->line, NULL, NULL,
			    "pam_env.so reads ~/.pam_environment (user_readenv=1); set "
			    "user_readenv=0");
	}
}

static void free_stack(struct pam_stack *st)
{
	free(st->l);
	*st = (struct pam_stack) { 0 };
}

/* Where libpam finds a service: the admin's directory, else the distribution's (Debian 12 ships
 * systemd-user only in /usr/lib/pam.d).  True when it came from the latter. */
static bool service_path(const struct doctor *d, const char *service, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", d->pam_dir, service);
	if (access(path, F_OK) == 0 || !d->vendor_pam_dir)
		return false;
	snprintf(path, len, "%s/%s", d->vendor_pam_dir, service);
	if (access(path, F_OK) == 0)
		return true;
	snprintf(path, len, "%s/%s", d->pam_dir, service);
	return false;
}

/* Login services: pam_jaild.so must decide (account) and jail (session), after pam_env. */
static void check_login_service(struct doctor *d, const char *service)
{
	struct pam_stack st = { 0 };
	char path[PATH_MAX];
	ssize_t acct, sess;
	int r;

	(void) service_path(d, service, path, sizeof(path));
	r = pam_read(d, path, NULL, &st, 0);
	if (r == -ENOENT)
		return; /* not every host has su-l */
	if (r < 0) {
		add(d, "pam", path, 0, NULL, NULL, "cannot read: %s; check the file", strerror(-r));
		free_stack(&st);
		return;
	}
	acct = find_module(&st, "account", "pam_jaild.so", false);
	sess = find_module(&st, "session", "pam_jaild.so", true);
	if (acct < 0)
		add(d, "pam", path, 0, NULL, NULL,
		    "no pam_jaild.so account line, so jailed users are not checked at login; add "
		    "`account required pam_jaild.so` after the other account lines");
	else
		check_cut_short(d, &st, acct);
	if (sess < 0) {
		add(d, "pam", path, 0, NULL, NULL,
		    "no pam_jaild.so session line, so %s sessions of jailed users are not jailed; "
		    "add `session required pam_jaild.so` as the last session line",
		    service);
	} else {
		check_cut_short(d, &st, find_module(&st, "session", "pam_jaild.so", false));
		for (size_t i = (size_t) sess + 1; i < st.n; i++)
			if (is_module(&st.l[i], "session", "pam_env.so")) {
				add(d, "pam", st.l[sess].file, st.l[sess].line, NULL, NULL,
				    "pam_jaild.so runs before pam_env.so (%s:%d), which then "
				    "adds to the environment pam_jaild.so cleaned; move this "
				    "line after every pam_env.so session line",
				    st.l[i].file, st.l[i].line);
				break;
			}
	}
	check_readenv(d, &st);
	if (!d->pam_systemd.line) {
		ssize_t i = find_module(&st, "session", "pam_systemd.so", false);
		if (i >= 0)
			d->pam_systemd = st.l[i]; /* its file name is interned: it stays */
	}
	free_stack(&st);
}

/* Services that would run a jailed user's code with no login: pam_jaild.so refuses them. */
static void check_refused_service(struct doctor *d, const char *service, const char *what)
{
	struct pam_stack st = { 0 };
	char path[PATH_MAX];
	bool vendor = service_path(d, service, path, sizeof(path));
	int r;

	r = pam_read(d, path, NULL, &st, 0);
	if (r == -ENOENT)
		return;
	if (r < 0) {
		add(d, "pam", path, 0, NULL, NULL, "cannot read: %s; check the file", strerror(-r));
		free_stack(&st);
		return;
	}
	if (find_module(&st, "account", "pam_jaild.so", false) < 0) {
		char note[PATH_MAX + 128] = "";
		if (d->pam_systemd.line && streq(service, "systemd-user"))
			snprintf(note, sizeof(note),
				 " (pam_systemd.so at %s:%d starts it at every login)",
				 d->pam_systemd.file, d->pam_systemd.line);
		add(d, "pam", path, 0, NULL, NULL,
		    "no pam_jaild.so account line, so %s would run outside the jail%s; %s%s%s"
		    "add `account required pam_jaild.so` as its first account line",
		    what, note, vendor ? "copy it to " : "", vendor ? d->pam_dir : "",
		    vendor ? "/ (which overrides it) and there " : "");
	}
	check_readenv(d, &st);
	free_stack(&st);
}

static void check_pam(struct doctor *d)
{
	static const char *const login[] = { "sshd", "login", "su", "su-l" };

	for (size_t i = 0; i < ARRAY_SIZE(login); i++)
		check_login_service(d, login[i]);
	check_refused_service(d, "systemd-user", "a jailed user's systemd --user and its units");
	check_refused_service(d, "cron", "a jailed user's cron jobs");
	check_refused_service(d, "atd", "a jailed user's at jobs");
}

/* ---- the jailed users ---- */

static void check_shell_and_group(struct doctor *d, const struct jailed *j)
{
	bool in = false;

	if (!streq(base_name(j->u.shell), "rshell"))
		add(d, "shell", NULL, 0, j->u.name, NULL,
		    "login shell is %s, not rshell, so a login runs outside the jail; run jailctl "
		    "enroll %s",
		    j->u.shell[0] ? j->u.shell : "(empty)", j->u.name);
	for (int i = 0; d->have_group && i < j->ngids; i++)
		if (j->gids[i] == d->group_gid)
			in = true;
	if (d->have_group && !in)
		add(d, "group", NULL, 0, j->u.name, NULL,
		    "not in group %s, so sshd's `Match Group %s` block does not apply; run jailctl "
		    "enroll %s",
		    d->group, d->group, j->u.name);
}

/* Whether rel exists under the open directory dfd, walking with O_NOFOLLOW; the last
 * component may be anything, a symlink included. */
static bool hook_present(int dfd, const char *rel, struct stat *ret)
{
	char copy[PATH_MAX], *comp, *slash;
	_cleanup_close_ int cur = -1;
	int at = dfd;

	snprintf(copy, sizeof(copy), "%s", rel);
	comp = copy;
	while ((slash = strchr(comp, '/'))) {
		int next;
		*slash = '\0';
		next = openat(at, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return false;
		closep(&cur);
		at = cur = next;
		comp = slash + 1;
	}
	return fstatat(at, comp, ret, AT_SYMLINK_NOFOLLOW) == 0;
}

static void check_home(struct doctor *d, const struct jailed *j)
{
	static const char *const hooks[] = {
		".pam_environment", ".config/systemd/user", ".config/environment.d",
		".local/share/dbus-1/services", ".forward", ".procmailrc", ".mailfilter",
		".ssh/rc", ".ssh/environment", ".ssh/authorized_keys",
	};
	/* Run as the user by the MTA or sshd, whoever wrote them. */
	static const char *const runners[] = { ".forward", ".procmailrc", ".mailfilter",
					       ".ssh/rc" };
	const struct home_owner o = { j->u.uid, j->gids, (size_t) j->ngids };
	_cleanup_close_ int hfd = open(j->u.home, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	char why[PATH_MAX + 128], found[512] = "";
	size_t used = 0;
	struct stat st;
	int r;

	for (size_t i = 0; hfd >= 0 && i < ARRAY_SIZE(hooks); i++)
		if (hook_present(hfd, hooks[i], &st) && used < sizeof(found))
			used += snprintf(found + used, sizeof(found) - used, "%s%s",
					 used ? ", " : "", hooks[i]);
	r = home_audit(j->u.home, &o, why, sizeof(why));
	if (r < 0) {
		add(d, "home", NULL, 0, j->u.name, NULL, "cannot audit the home %s: %s; check it",
		    j->u.home, why);
	} else if (r > 0) {
		add(d, "home", NULL, 0, j->u.name, NULL,
		    "%s: host services running as %s read the passwd home%s%s; make %s and all in "
		    "it root's and not writable by %s (their files belong in the jail home)",
		    why, j->u.name, found[0] ? ", and these hook files are there: " : "", found,
		    j->u.home, j->u.name);
	} else {
		for (size_t i = 0; hfd >= 0 && i < ARRAY_SIZE(runners); i++)
			if (hook_present(hfd, runners[i], &st))
				add(d, "home", NULL, 0, j->u.name, NULL,
				    "%s/%s is root's, but the %s still runs it as %s outside the "
				    "jail; remove it",
				    j->u.home, runners[i],
				    streq(runners[i], ".ssh/rc") ? "sshd" : "MTA", j->u.name);
	}
}

/* A disk or inode limit on a filesystem without quotas: jaild would refuse the jail (unless
 * limits.quota_optional, which the admin chose).  Once per key and file, not per student. */
static void check_quota(struct doctor *d, const struct jailed *j, char ***seen)
{
	struct quota_plan plan;
	const struct pval *v;
	char key[4200];

	if (!j->p || j->p->v[PK_LIMITS_QUOTA_OPTIONAL].num ||
	    quota_plan_make(j->p, j->u.uid, &plan) < 0 || plan.bad_key < 0)
		return;
	v = &j->p->v[plan.bad_key];
	snprintf(key, sizeof(key), "%s:%d", v->file, v->line);
	if (strv_contains(*seen, key) || strv_push(seen, key) < 0)
		return;
	add(d, "quota", v->file, v->line, j->u.name, NULL,
	    "%s cannot be enforced here (first for %s): %s; jaild refuses these jails; make the "
	    "filesystem enforce quotas (ext4: tune2fs -O quota,project, mount with prjquota; XFS: "
	    "prjquota), or set limits.quota_optional = true",
	    pkey_table[plan.bad_key].name, j->u.name, plan.why);
}

static void check_linger(struct doctor *d, const struct jailed *j)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", d->linger_dir, j->u.name);
	if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0)
		add(d, "linger", path, 0, j->u.name, NULL,
		    "lingering is on for %s, so systemd starts their user manager at boot, outside "
		    "the jail; run loginctl disable-linger %s",
		    j->u.name, j->u.name);
}

/* ---- sshd ---- */

static void cfg_read(struct doctor *d, const char *path, int depth)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *buf = NULL;
	const char *file;
	size_t cap = 0;
	int line = 0;

	if (!f || depth > INCLUDE_DEPTH)
		return;
	file = intern(d, path);
	while (getline(&buf, &cap, f) > 0) {
		char *p = trim(buf), *key, *value;
		line++;
		if (p[0] == '#')
			continue;
		key = p;
		p += strcspn(p, " \t=");
		if (*p)
			*p++ = '\0';
		while (*p == ' ' || *p == '\t' || *p == '=')
			p++;
		value = p;
		if (!key[0])
			continue;
		if (strcasecmp(key, "include") == 0) {
			/* sshd_config(5): relative names are under /etc/ssh. */
			for (char *w; (w = word(&p));) {
				char pattern[PATH_MAX];
				glob_t g;
				snprintf(pattern, sizeof(pattern), "%s%s",
					 w[0] == '/' ? "" : "/etc/ssh/", w);
				if (glob(pattern, 0, NULL, &g) == 0)
					for (size_t i = 0; i < g.gl_pathc; i++)
						cfg_read(d, g.gl_pathv[i], depth + 1);
				globfree(&g);
			}
			continue;
		}
		struct cfg_line *grown = realloc(d->cfg, (d->ncfg + 1) * sizeof(*d->cfg));
		if (!grown)
			return;
		d->cfg = grown;
		struct cfg_line *c = &d->cfg[d->ncfg++];
		*c = (struct cfg_line) { .file = file, .line = line, .value = strdup(value) };
		snprintf(c->key, sizeof(c->key), "%s", key);
		for (char *k = c->key; *k; k++)
			*k = (char) tolower((unsigned char) *k);
		if (streq(c->key, "match") && c->value && strcasestr(c->value, "group") &&
		    strstr(c->value, d->group))
			d->have_match = true;
	}
}

/* The first line setting key (lower case) whose value starts with value; NULL if none. */
static const struct cfg_line *cfg_find(const struct doctor *d, const char *key, const char *value)
{
	for (size_t i = 0; i < d->ncfg; i++) {
		const struct cfg_line *c = &d->cfg[i];
		if (streq(c->key, key) && c->value &&
		    (!value || strncasecmp(c->value, value, strlen(value)) == 0))
			return c;
	}
	return NULL;
}

/* The first line setting key (lower case) with w among its words; NULL if none. */
static const struct cfg_line *cfg_find_word(const struct doctor *d, const char *key, const char *w)
{
	for (size_t i = 0; i < d->ncfg; i++)
		if (streq(d->cfg[i].key, key) && d->cfg[i].value && has_word(d->cfg[i].value, w))
			return &d->cfg[i];
	return NULL;
}

/* A finding about an sshd keyword for j, at the config line c or else the file. */
static void add_sshd_at(struct doctor *d, const struct jailed *j, const struct cfg_line *c,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_sshd_at(struct doctor *d, const struct jailed *j, const struct cfg_line *c,
			const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		return;
	add(d, "sshd", c ? c->file : d->sshd_config, c ? c->line : 0, j->u.name, NULL, "%s%s", msg,
	    d->have_match ? "" : " (there is no `Match Group` block for the group: add the one "
				 "jailctl(8) shows)");
}

/* Runs sshd -T for the user; the output, or NULL with why (stderr's first line). */
static char *sshd_effective(const struct doctor *d, const char *user, char *why, size_t len)
{
	char spec[512];
	const char *argv[] = { d->sshd, "-T", "-C", spec, "-f", d->sshd_config, NULL };
	_cleanup_close_ int err = memfd_create("sshd-stderr", MFD_CLOEXEC);
	int out[2], status;
	_cleanup_free_ char *buf = NULL;
	size_t used = 0;
	pid_t pid;

	snprintf(spec, sizeof(spec), "user=%s,host=localhost,addr=127.0.0.1", user);
	if (err < 0 || pipe2(out, O_CLOEXEC) < 0) {
		snprintf(why, len, "cannot run %s: %s", d->sshd, strerror(errno));
		return NULL;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "cannot fork: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return NULL;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err, 2) < 0)
			_exit(127);
		execv(d->sshd, (char *const *) argv);
		dprintf(2, "cannot run %s: %s\n", d->sshd, strerror(errno));
		_exit(127);
	}
	close(out[1]);
	buf = malloc(SSHD_OUT_MAX + 1);
	for (ssize_t n = 1; buf && n > 0;) {
		char sink[4096];
		if (used < SSHD_OUT_MAX)
			n = read(out[0], buf + used, SSHD_OUT_MAX - used);
		else
			n = read(out[0], sink, sizeof(sink)); /* drain; the rest is ignored */
		if (n < 0 && errno == EINTR)
			n = 1;
		else if (n > 0 && used < SSHD_OUT_MAX)
			used += (size_t) n;
	}
	close(out[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!buf) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	buf[used] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		ssize_t n = pread(err, why, len - 1, 0);
		why[n > 0 ? n : 0] = '\0';
		why[strcspn(why, "\r\n")] = '\0';
		if (!why[0])
			snprintf(why, len, "%s -T exited with status %d", d->sshd,
				 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return NULL;
	}
	return TAKE_PTR(buf);
}

/* The value of the first "key value" line of sshd -T output, in buf; NULL (and "unset" in buf)
 * if none. */
static const char *eff(const char *out, const char *key, char *buf, size_t len)
{
	size_t n = strlen(key);

	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, n) == 0 && p[n] == ' ') {
			snprintf(buf, len, "%.*s", (int) strcspn(p + n + 1, "\n"), p + n + 1);
			return buf;
		}
	snprintf(buf, len, "unset");
	return NULL;
}

/* AuthorizedKeysFile with sshd's %% %h %u %U expanded. */
static void expand_keys_path(const struct jailed *j, const char *tok, char *out, size_t len)
{
	size_t o = 0;

	for (const char *p = tok; *p && o + 1 < len; p++) {
		const char *s = NULL;
		char uid[16], one[2] = { *p, 0 };
		if (*p == '%' && p[1]) {
			p++;
			snprintf(uid, sizeof(uid), "%u", (unsigned) j->u.uid);
			s = *p == 'u' ? j->u.name : *p == 'h' ? j->u.home : *p == 'U' ? uid :
			    *p == '%' ? "%" : NULL;
			if (!s) {
				one[0] = '%';
				p--;
			}
		}
		o += (size_t) snprintf(out + o, len - o, "%s", s ? s : one);
		if (o >= len)
			o = len - 1;
	}
	out[o] = '\0';
}

static void check_keys_file(struct doctor *d, const struct jailed *j, const char *tok)
{
	const struct home_owner o = { j->u.uid, j->gids, (size_t) j->ngids };
	char path[PATH_MAX], *slash;

	if (tok[0] != '/') {
		add_sshd_at(d, j, cfg_find_word(d, "authorizedkeysfile", tok),
			    "AuthorizedKeysFile %s is in %s's home, which host sshd reads as "
			    "%s; set `AuthorizedKeysFile %s/%%u` in the `Match Group %s` block",
			    tok, j->u.name, j->u.name, d->keys_dir, d->group);
		return;
	}
	expand_keys_path(j, tok, path, sizeof(path));
	/* The file and every directory above: whoever may write one may swap in their keys.  A
	 * sticky directory (/var/tmp) is safe above an entry that exists and is not theirs. */
	for (bool below = false;;) {
		struct stat st;
		bool exists = lstat(path, &st) == 0;
		if (exists && stat_writable_by(&st, &o) &&
		    !(S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) && below &&
		      st.st_uid != j->u.uid)) {
			add(d, "sshd", NULL, 0, j->u.name, NULL,
			    "%s (from AuthorizedKeysFile %s) is writable by %s; make it root's and "
			    "not writable by the user (keys belong in %s/%s, root:root 0644)",
			    path, tok, j->u.name, d->keys_dir, j->u.name);
			return;
		}
		below = exists;
		slash = strrchr(path, '/');
		if (!slash || slash == path)
			return;
		*slash = '\0';
	}
}

static void check_sshd_user(struct doctor *d, const struct jailed *j)
{
	static const char *const fwd[][2] = {
		{ "allowtcpforwarding", "AllowTcpForwarding" },
		{ "allowstreamlocalforwarding", "AllowStreamLocalForwarding" },
		{ "x11forwarding", "X11Forwarding" },
		{ "allowagentforwarding", "AllowAgentForwarding" },
	};
	static const char *const off[][2] = {
		{ "permittunnel", "PermitTunnel" },
		{ "permituserrc", "PermitUserRC" },
	};
	const char *user = j->u.name;
	_cleanup_free_ char *out = NULL;
	char why[512], v[1024];

	out = sshd_effective(d, user, why, sizeof(why));
	if (!out) {
		add(d, "sshd", d->sshd_config, 0, user, NULL,
		    "sshd -T for %s failed: %s; fix sshd_config or pass --sshd PATH", user, why);
		return;
	}
	if (!eff(out, "disableforwarding", v, sizeof(v)) || !streq(v, "yes"))
		for (size_t i = 0; i < ARRAY_SIZE(fwd); i++)
			if (eff(out, fwd[i][0], v, sizeof(v)) && !streq(v, "no"))
				add_sshd_at(d, j, cfg_find(d, fwd[i][0], v),
					    "%s is %s for %s, which lets a session reach the "
					    "host outside the jail; set `DisableForwarding yes` "
					    "and `%s no` in the `Match Group %s` block",
					    fwd[i][1], v, user, fwd[i][1], d->group);
	for (size_t i = 0; i < ARRAY_SIZE(off); i++)
		if (!eff(out, off[i][0], v, sizeof(v)) || !streq(v, "no"))
			add_sshd_at(d, j, cfg_find(d, off[i][0], v),
				    "%s is %s for %s, so sshd runs what the user set up outside "
				    "the jail; set `%s no` in the `Match Group %s` block",
				    off[i][1], v, user, off[i][1], d->group);
	if (!eff(out, "permituserenvironment", v, sizeof(v)) || !streq(v, "no"))
		add_sshd_at(d, j, cfg_find(d, "permituserenvironment", v),
			    "PermitUserEnvironment is %s for %s, so sshd reads ~/.ssh/environment; "
			    "set `PermitUserEnvironment no` globally (Match does not allow it)",
			    v, user);
	if (!eff(out, "usepam", v, sizeof(v)) || !streq(v, "yes"))
		add_sshd_at(d, j, cfg_find(d, "usepam", v),
			    "UsePAM is %s for %s, so pam_jaild.so never jails their sessions; set "
			    "`UsePAM yes` globally",
			    v, user);
	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		char name[64], cmd[256];
		if (strncmp(p, "subsystem ", 10) != 0 ||
		    sscanf(p + 10, "%63s %255s", name, cmd) != 2 ||
		    !streq(base_name(cmd), "internal-sftp"))
			continue;
		add_sshd_at(d, j, cfg_find_word(d, "subsystem", cmd),
			    "Subsystem %s is internal-sftp, which runs inside sshd on the host as "
			    "%s, outside the jail; set `Subsystem %s /usr/lib/openssh/sftp-server`",
			    name, user, name);
	}
	/* A ForceCommand serves the session inside sshd, or wherever it says, not through
	 * rshell into the jail. */
	if (eff(out, "forcecommand", v, sizeof(v)) && !streq(v, "none"))
		add_sshd_at(d, j, cfg_find_word(d, "forcecommand", v),
			    "ForceCommand %s applies to %s: sshd runs it on the host instead of the "
			    "login shell, outside the jail; remove it for jailed users",
			    v, user);
	if (eff(out, "authorizedkeysfile", v, sizeof(v))) {
		char *p = v;
		for (char *w; (w = word(&p));)
			if (!streq(w, "none"))
				check_keys_file(d, j, w);
	}
}

/* ---- output ---- */

/* A JSON string: escapes quotes, backslashes and control characters; invalid UTF-8 becomes
 * U+FFFD. */
static void json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *) s;

	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	while (*p) {
		unsigned char c = *p;
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
		    (c & 0xf8) == 0xf0 ? 4 : 0;
		bool ok = n > 0 && !(n == 2 && c < 0xc2) && !(n == 4 && c > 0xf4);

		for (size_t i = 1; ok && i < n; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (ok && n == 3)
			ok = !(c == 0xe0 && p[1] < 0xa0) && !(c == 0xed && p[1] >= 0xa0);
		if (ok && n == 4)
			ok = !(c == 0xf0 && p[1] < 0x90) && !(c == 0xf4 && p[1] >= 0x90);
		if (!ok) {
			fputs("\\ufffd", out);
			p++;
		} else if (n > 1) {
			fwrite(p, 1, n, out);
			p += n;
		} else {
			if (c == '"' || c == '\\')
				fprintf(out, "\\%c", c);
			else if (c == '\n')
				fputs("\\n", out);
			else if (c == '\t')
				fputs("\\t", out);
			else if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
			p++;
		}
	}
	fputc('"', out);
}

static void print_json(const struct doctor *d)
{
	printf("{\"clean\": %s, \"problems\": [", d->nf ? "false" : "true");
	for (size_t i = 0; i < d->nf; i++) {
		const struct finding *f = &d->f[i];
		printf("%s\n  {\"check\": ", i ? "," : "");
		json_str(stdout, f->check);
		printf(", \"file\": ");
		json_str(stdout, f->file);
		if (f->file && f->line)
			printf(", \"line\": %d", f->line);
		else
			printf(", \"line\": null");
		printf(", \"user\": ");
		json_str(stdout, f->user);
		printf(", \"message\": ");
		json_str(stdout, f->msg);
		putchar('}');
	}
	printf("%s], \"users\": [", d->nf ? "\n" : "");
	for (size_t i = 0; i < d->nj; i++) {
		printf("%s", i ? ", " : "");
		json_str(stdout, d->j[i].u.name);
	}
	printf("]}\n");
}

/* Text output: control characters in names read from the host become '?'. */
static void put_clean(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char) *s < 0x20 || *s == 0x7f ? '?' : *s);
}

static void print_text(const struct doctor *d)
{
	for (size_t i = 0; i < d->nf; i++) {
		const struct finding *f = &d->f[i];
		fputs("jailctl doctor: ", stdout);
		put_clean(f->file ? f->file : f->subject);
		if (f->file && f->line)
			printf(":%d", f->line);
		fputs(": ", stdout);
		put_clean(f->msg);
		putchar('\n');
	}
	if (d->nf)
		printf("doctor: %zu problem%s found\n", d->nf, d->nf == 1 ? "" : "s");
	else
		printf("doctor: clean: %zu jailed user%s checked\n", d->nj, d->nj == 1 ? "" : "s");
}

static void doctor_free(struct doctor *d)
{
	for (size_t i = 0; i < d->nf; i++) {
		free(d->f[i].check);
		free(d->f[i].file);
		free(d->f[i].user);
		free(d->f[i].subject);
		free(d->f[i].msg);
	}
	free(d->f);
	for (size_t i = 0; i < d->nj; i++) {
		user_info_clear(&d->j[i].u);
		free(d->j[i].gids);
		policy_free(d->j[i].p);
	}
	free(d->j);
	for (size_t i = 0; i < d->ncfg; i++)
		free(d->cfg[i].value);
	free(d->cfg);
	strv_free(d->files);
	policy_set_free(d->set);
}

int cmd_doctor(int argc, char **argv)
{
	enum {
		OPT_POLICY = 0x100, OPT_SOCKET, OPT_PAM, OPT_SSHD_CONFIG, OPT_SSHD, OPT_SHELLS,
		OPT_LINGER, OPT_GROUP, OPT_KEYS, OPT_RSHELL, OPT_NO_DAEMON, OPT_JSON,
	};
	static const struct option opts[] = {
		{ "policy-dir", required_argument, NULL, OPT_POLICY },
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "pam-dir", required_argument, NULL, OPT_PAM },
		{ "sshd-config", required_argument, NULL, OPT_SSHD_CONFIG },
		{ "sshd", required_argument, NULL, OPT_SSHD },
		{ "shells", required_argument, NULL, OPT_SHELLS },
		{ "linger-dir", required_argument, NULL, OPT_LINGER },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "keys-dir", required_argument, NULL, OPT_KEYS },
		{ "rshell", required_argument, NULL, OPT_RSHELL },
		{ "no-daemon", no_argument, NULL, OPT_NO_DAEMON },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	struct doctor d = {
		.policy_dir = DEFAULT_POLICY_DIR,
		.socket = DEFAULT_SOCKET,
		.pam_dir = "/etc/pam.d",
		.vendor_pam_dir = "/usr/lib/pam.d",
		.sshd_config = "/etc/ssh/sshd_config",
		.sshd = "/usr/sbin/sshd",
		.shells = "/etc/shells",
		.linger_dir = "/var/lib/systemd/linger",
		.group = DEFAULT_JAILED_GROUP,
		.keys_dir = DEFAULT_KEYS_DIR,
		.rshell = BINDIR "/rshell",
	};
	_cleanup_strv_free_ char **quota_seen = NULL;
	char subject[128];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_POLICY: d.policy_dir = optarg; break;
		case OPT_SOCKET: d.socket = optarg; break;
		case OPT_PAM: d.pam_dir = optarg, d.vendor_pam_dir = NULL; break;
		case OPT_SSHD_CONFIG: d.sshd_config = optarg; break;
		case OPT_SSHD: d.sshd = optarg; break;
		case OPT_SHELLS: d.shells = optarg; break;
		case OPT_LINGER: d.linger_dir = optarg; break;
		case OPT_GROUP: d.group = optarg; break;
		case OPT_KEYS: d.keys_dir = optarg; break;
		case OPT_RSHELL: d.rshell = optarg; break;
		case OPT_NO_DAEMON: d.no_daemon = true; break;
		case OPT_JSON: d.json = true; break;
		case 'h': return verb_usage("doctor", 0);
		default: return verb_usage("doctor", 2);
		}
	}
	if (optind != argc)
		return verb_usage("doctor", 2);
	if (!name_is_valid(d.group)) {
		say("doctor: '%.64s' is not a group name", d.group);
		return 2;
	}
	if (geteuid() != 0) {
		/* Not clean: an audit that could not look is no all-clear. */
		say("doctor: run as root (sshd -T and the audit of users' homes need it)");
		return 1;
	}
	find_jailed(&d);
	snprintf(subject, sizeof(subject), "group %s", d.group);
	if (!d.have_group)
		add(&d, "group", NULL, 0, NULL, subject,
		    "group %s does not exist, so sshd's `Match Group %s` block applies to no one; "
		    "groupadd %s and run jailctl enroll for each jailed user",
		    d.group, d.group, d.group);
	if (!d.no_daemon)
		check_daemon(&d);
	check_shells(&d);
	check_pam(&d);
	if (d.nj && access(d.sshd, X_OK) == 0)
		cfg_read(&d, d.sshd_config, 0);
	else if (d.nj)
		add(&d, "sshd", NULL, 0, NULL, d.sshd,
		    "cannot run %s: %s; install openssh-server or pass --sshd PATH", d.sshd,
		    strerror(errno));
	for (size_t i = 0; i < d.nj; i++) {
		const struct jailed *j = &d.j[i];
		check_shell_and_group(&d, j);
		check_home(&d, j);
		check_quota(&d, j, &quota_seen);
		check_linger(&d, j);
		if (access(d.sshd, X_OK) == 0)
			check_sshd_user(&d, j);
	}
	if (d.json)
		print_json(&d);
	else
		print_text(&d);
	c = d.nf ? 1 : 0;
	doctor_free(&d);
	return c;
}
