// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * jailctl edit: visudo for policies.  Runs as root.  The file is locked (flock on a lock file
 * beside it, re-checked against the path so a lock on an unlinked file never counts), the admin
 * edits a private copy, the whole set is validated with that copy in place of the file, and only
 * a valid copy is installed, by rename(2) in the same directory, so readers see the old file or
 * the new one and nothing in between.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "jailctl.h"
#include "parse-util.h"
#include "policy.h"

struct edit {
	char *dir;      /* DIR/users */
	char *target;   /* DIR/users/ann.conf */
	char *lockpath; /* DIR/users/.ann.conf.lock */
	char *tmppath;  /* DIR/users/.ann.conf.XXXXXX */
	char *name;     /* users/ann */
	int lockfd, tmpfd;
};

static void edit_cleanup(struct edit *e)
{
	if (e->tmpfd >= 0)
		close(e->tmpfd);
	if (e->tmppath)
		(void) unlink(e->tmppath);
	/* Unlink before unlocking: a waiter that then locks the unlinked file notices (below). */
	if (e->lockfd >= 0) {
		(void) unlink(e->lockpath);
		close(e->lockfd);
	}
	free(e->dir);
	free(e->target);
	free(e->lockpath);
	free(e->tmppath);
	free(e->name);
}

static int take_lock(struct edit *e)
{
	struct stat a, b;
	char pid[32] = "";

	e->lockfd = open(e->lockpath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (e->lockfd < 0) {
		say("cannot create lock %s: %s", e->lockpath, strerror(errno));
		return -1;
	}
	if (flock(e->lockfd, LOCK_EX | LOCK_NB) < 0) {
		ssize_t n = pread(e->lockfd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		say("%s is being edited by another jailctl%s%s%s; try again when it is done",
		    e->target, pid[0] ? " (pid " : "", pid, pid[0] ? ")" : "");
		close(e->lockfd);
		e->lockfd = -1;
		return -1;
	}
	if (fstat(e->lockfd, &a) < 0 || lstat(e->lockpath, &b) < 0 || a.st_ino != b.st_ino ||
	    a.st_dev != b.st_dev) {
		say("%s is being edited by another jailctl; try again when it is done", e->target);
		close(e->lockfd);
		e->lockfd = -1;
		return -1;
	}
	snprintf(pid, sizeof(pid), "%d\n", (int) getpid());
	if (ftruncate(e->lockfd, 0) < 0 || pwrite(e->lockfd, pid, strlen(pid), 0) < 0)
		return -1;
	return 0;
}

/* A key's built-in default in the syntax the file would use. */
static void write_default(FILE *f, enum pkey k)
{
	const struct pkey_info *ki = &pkey_table[k];
	_cleanup_free_ char *copy = ki->def ? strdup(ki->def) : NULL;
	char *save = NULL;
	bool first = true;

	if (!copy)
		fputs(ki->type == PT_BINDS || ki->type == PT_RULES ? "( )" : "...", f);
	else if (ki->type == PT_BINDS || ki->type == PT_RULES)
		fputs("( )", f);
	else if (ptype_is_list(ki->type)) {
		fputc('[', f);
		for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
			fprintf(f, "%s\"%s\"", first ? "" : ", ", t);
			first = false;
		}
		fputc(']', f);
	} else if (ki->type == PT_BOOL || ki->type == PT_INT)
		fputs(copy, f);
	else
		fprintf(f, "\"%s\"", copy);
}

static void write_template(FILE *f, const char *kind, const char *name)
{
	const char *section = NULL;

	fprintf(f, "# Policy for %s %s.  Every key is optional: what is not set here comes from\n"
		   "# the parent (inherit, default: \"default\").  See corral-policy(5).\n",
		kind, name);
	if (streq(kind, "group"))
		fprintf(f, "# Applies to members of the group %s; priority ranks it against other\n"
			   "# group files a user matches.\n",
			name);
	fputs("#\n# inherit = \"default\";\n", f);
	for (int k = PK_PRIORITY; k < PK__COUNT; k++) {
		const char *n = pkey_table[k].name, *dot = strchr(n, '.');
		if (k == PK_PRIORITY && !streq(kind, "group"))
			continue;
		if (dot && (!section || strncmp(section, n, (size_t) (dot - n) + 1) != 0)) {
			if (section)
				fputs("# };\n", f);
			fprintf(f, "# %.*s = {\n", (int) (dot - n), n);
			section = n;
		}
		fprintf(f, "#%s%s = ", dot ? "\t" : " ", dot ? dot + 1 : n);
		write_default(f, (enum pkey) k);
		fprintf(f, ";   # %s\n", pkey_table[k].doc);
	}
	if (section)
		fputs("# };\n", f);
}

/* Copies the current file (or a template) into the private temp file. */
static int prepare_copy(struct edit *e, const char *kind, const char *name, bool *ret_new)
{
	_cleanup_close_ int src = open(e->target, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *out;
	char buf[8192];
	ssize_t n;

	e->tmpfd = mkostemp(e->tmppath, O_CLOEXEC);
	if (e->tmpfd < 0) {
		say("cannot create a temporary file in %s: %s", e->dir, strerror(errno));
		free(e->tmppath);
		e->tmppath = NULL;
		return -1;
	}
	(void) fchmod(e->tmpfd, 0600);
	*ret_new = src < 0;
	if (src < 0 && errno != ENOENT) {
		say("cannot open %s: %s%s", e->target, strerror(errno),
		    errno == ELOOP ? " (a symlink; policies may contain none)" : "");
		return -1;
	}
	if (src < 0) {
		out = fdopen(dup(e->tmpfd), "w");
		if (!out)
			return -1;
		write_template(out, kind, name);
		return fclose(out) == 0 ? 0 : -1;
	}
	while ((n = read(src, buf, sizeof(buf))) > 0)
		if (write(e->tmpfd, buf, (size_t) n) != n)
			return -1;
	return n < 0 ? -1 : 0;
}

/* Runs the editor on path the way visudo does: the admin's own choice, through sh so that
 * "emacs -nw" works; SIGINT and SIGQUIT reach the editor, not us. */
static int run_editor(const char *path)
{
	const char *ed = getenv("VISUAL");
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	int status;
	pid_t pid;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path, (char *) NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	if (pid < 0) {
		say("cannot start the editor: %s", strerror(errno));
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		say("the editor '%.64s' failed (status %d); nothing changed", ed,
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return -1;
	}
	return 0;
}

static bool same_content(const char *a, const char *b)
{
	_cleanup_fclose_ FILE *fa = fopen(a, "re");
	_cleanup_fclose_ FILE *fb = fopen(b, "re");
	int ca, cb;

	if (!fa || !fb)
		return false;
	do {
		ca = getc(fa);
		cb = getc(fb);
	} while (ca == cb && ca != EOF);
	return ca == cb;
}

/* Asks what to do after a failed validation; anything but "e" (and end of input) abandons. */
static bool ask_edit_again(void)
{
	char line[64];

	fputs("What now? (e)dit again, or e(x)it without saving the change: ", stderr);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == 'e' || line[0] == 'E';
}

static int install(struct edit *e)
{
	_cleanup_close_ int dfd = open(e->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fchown(e->tmpfd, 0, 0) < 0 || fchmod(e->tmpfd, 0644) < 0 || fsync(e->tmpfd) < 0) {
		say("cannot prepare %s: %s; nothing changed", e->tmppath, strerror(errno));
		return -1;
	}
	if (rename(e->tmppath, e->target) < 0) {
		say("cannot install %s: %s; nothing changed", e->target, strerror(errno));
		return -1;
	}
	free(e->tmppath);
	e->tmppath = NULL; /* installed: nothing to remove */
	if (dfd >= 0)
		(void) fsync(dfd);
	return 0;
}

/* Sets up paths for KIND/NAME under top; 0 or -1 (said). */
static int edit_paths(struct edit *e, const char *top, const char *kind, const char *name)
{
	if (asprintf(&e->dir, "%s/%ss", top, kind) < 0 ||
	    asprintf(&e->target, "%s/%s.conf", e->dir, name) < 0 ||
	    asprintf(&e->lockpath, "%s/.%s.conf.lock", e->dir, name) < 0 ||
	    asprintf(&e->tmppath, "%s/.%s.conf.XXXXXX", e->dir, name) < 0 ||
	    asprintf(&e->name, "%ss/%s", kind, name) < 0) {
		say("out of memory");
		return -1;
	}
	if (mkdir(e->dir, 0755) < 0 && errno != EEXIST) {
		say("cannot create %s: %s", e->dir, strerror(errno));
		return -1;
	}
	return 0;
}

int policy_write_validated(const char *top, const char *kind, const char *name, const char *text,
			   bool must_be_new)
{
	struct edit e = { .lockfd = -1, .tmpfd = -1 };
	struct policy_load_opts lo = { 0 };
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	size_t len = strlen(text);
	int r, code = -1;

	if (edit_paths(&e, top, kind, name) < 0 || take_lock(&e) < 0)
		goto out;
	if (must_be_new && access(e.target, F_OK) == 0) {
		say("%s exists already; change it with jailctl edit %s %s", e.target, kind, name);
		goto out;
	}
	e.tmpfd = mkostemp(e.tmppath, O_CLOEXEC);
	if (e.tmpfd < 0 || write(e.tmpfd, text, len) != (ssize_t) len) {
		say("cannot write a temporary file in %s: %s", e.dir, strerror(errno));
		goto out;
	}
	lo.override_name = e.name;
	lo.override_path = e.tmppath;
	r = policy_set_load(top, &lo, &set, &errs);
	policy_set_free(set);
	for (size_t i = 0; i < errs.n; i++)
		say("%s", errs.msg[i]);
	perr_clear(&errs);
	if (r < 0) {
		say("%s left unchanged", e.target);
		goto out;
	}
	if (install(&e) == 0)
		code = 0;
out:
	edit_cleanup(&e);
	return code;
}

int cmd_edit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy-dir", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	const char *top = DEFAULT_POLICY_DIR, *kind, *name;
	struct edit e = { .lockfd = -1, .tmpfd = -1 };
	bool is_new = false;
	int c, code = 1;

	while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': top = optarg; break;
		case 'h': return verb_usage("edit", 0);
		default: return verb_usage("edit", 2);
		}
	}
	if (optind + 2 != argc)
		return verb_usage("edit", 2);
	kind = argv[optind];
	name = argv[optind + 1];
	if (!streq(kind, "user") && !streq(kind, "group")) {
		say("'%.32s' is not user or group; expected: jailctl edit user NAME", kind);
		return 2;
	}
	if (!name_is_valid(name)) {
		say("'%.64s' is not a valid %s name; expected lower-case letters, digits, '_', '-'",
		    name, kind);
		return 2;
	}
	if (geteuid() != 0) {
		say("edit must run as root: policies are root's files");
		return 1;
	}
	if (edit_paths(&e, top, kind, name) < 0)
		goto out;
	if (take_lock(&e) < 0 || prepare_copy(&e, kind, name, &is_new) < 0)
		goto out;
	for (;;) {
		struct policy_load_opts lo = { .override_name = e.name, .override_path = e.tmppath };
		struct perr_list errs = { 0 };
		struct policy_set *set = NULL;
		int r;

		if (run_editor(e.tmppath) < 0)
			goto out;
		if (!is_new && same_content(e.tmppath, e.target)) {
			printf("%s: no changes\n", e.target);
			code = 0;
			goto out;
		}
		r = policy_set_load(top, &lo, &set, &errs);
		policy_set_free(set);
		if (r == 0) {
			if (install(&e) < 0)
				goto out;
			printf("%s: installed; run 'jailctl reload' to apply it to new sessions\n",
			       e.target);
			code = 0;
			goto out;
		}
		for (size_t i = 0; i < errs.n; i++)
			say("%s", errs.msg[i]);
		if (!errs.n)
			say("%s: %s", top, strerror(-r));
		perr_clear(&errs);
		if (!ask_edit_again()) {
			say("%s left unchanged", e.target);
			goto out;
		}
	}
out:
	edit_cleanup(&e);
	return code;
}
