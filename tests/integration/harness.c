// SPDX-License-Identifier: GPL-3.0-or-later
/* The end-to-end test harness shared by the integration suites: a temporary base directory, a
 * real jaild on it, test users created and removed, and helpers to run things in jails and
 * terminals. */
#include "harness.h"

#include <grp.h>
#include <pwd.h>
#include <signal.h>

#include "client.h"

char base[256], sock[512], policies[512], jailctl[1024], jaild_bin[1024], cgroot[64];
char helpers[1024], rshell_bin[1024], admin_group[64];
pid_t jaild_pid;

void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fprintf(stderr, "command failed: %s\n", cmd);
}

pid_t start_jaild(void)
{
	char log[600];
	pid_t pid;

	snprintf(log, sizeof(log), "%s/jaild.log", base);
	pid = fork();
	if (pid == 0) {
		/* Its own session: Check kills a finished test's process group, and a jaild
		 * restarted inside a test must outlive that test. */
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		setsid();
		dup2(fd, 1);
		dup2(fd, 2);
		execl(jaild_bin, "jaild", "-f", "-d", "-p", policies, "-r", base, "-c", cgroot, "-a",
		      admin_group, "-s", rshell_bin, (char *) NULL);
		_exit(127);
	}
	for (int i = 0; i < 100 && access(sock, F_OK) != 0; i++)
		usleep(50000);
	return pid;
}

/* An enrolled user's layout: the passwd home base/home/NAME is root's and empty, the files are
 * in the jail home base/jhome/NAME (the test policies' jail.home), shown at the home's path. */
void make_user(const char *name, const char *extra)
{
	sh("userdel -r %s >/dev/null 2>&1; useradd -M -d %s/home/%s -s /bin/sh -U %s %s && "
	   "mkdir -p %s/home/%s %s/jhome/%s && chmod 0711 %s/jhome && chown %s: %s/jhome/%s && "
	   "chmod 0700 %s/jhome/%s",
	   name, base, name, extra, name, base, name, base, name, base, name, base, name, base,
	   name);
}

char *read_log(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

char *jaild_log(void)
{
	char path[600];

	usleep(200 * 1000);
	snprintf(path, sizeof(path), "%s/jaild.log", base);
	return read_log(path);
}

const char *tail(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return !s ? "(none)" : n > 2000 ? s + n - 2000 : s;
}

size_t count_text(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

void write_jail_policy(const char *extra_binds, const char *memory, const char *shell,
		       const char *rest)
{
	char content[8192];
	int n;

	n = snprintf(content, sizeof(content),
		     "match = { all = true; };\n"
		     "jail = {\n"
		     "\tbinds = ( { src = \"/usr\"; }, { src = \"/bin\"; }, { src = \"/lib\"; },\n"
		     "\t\t{ src = \"/lib64\"; optional = true; }, { src = \"/sbin\"; }%s );\n"
		     "\thome = \"%s/jhome/%%u\";\n"
		     "\thostname = \"jail-%%u\";\n\ttmp = \"8M\";\n\tnetwork = \"none\";\n"
		     "\tetc = [\"ld.so.cache\", \"nsswitch.conf\"];\n};\n"
		     "limits = { pids = 32; memory = \"%s\"; };\n"
		     "shell = {\n\tprogram = \"rshell\";\n\thistory = 0;\n%s"
		     /* LeakSanitizer's ptrace is refused in a jail; the unit tests cover rshell's
		      * own code. */
		     "\tenv = [\"LANG=C.UTF-8\", \"HOME=%%h\", \"USER=%%u\", "
		     "\"ASAN_OPTIONS=detect_leaks=0\"];\n};\n%s",
		     extra_binds, base, memory, shell, rest);
	if (n < 0 || (size_t) n >= sizeof(content) ||
	    write_policy_file(policies, "default.conf", content) < 0) {
		fprintf(stderr, "cannot write %s/default.conf\n", policies);
		exit(99);
	}
}

/* Runs argv (a string of words) in user's jail through jailctl exec; returns the exit code. */
int jexec(char **out, const char *user, const char *cmd)
{
	return run_capture(out, "%s exec --socket %s %s -- %s </dev/null", jailctl, sock, user, cmd);
}

char *jexec_ok(const char *user, const char *cmd)
{
	char *out;
	int code = jexec(&out, user, cmd);

	ck_assert_msg(code == 0, "'%s' as %s exited %d: %s", cmd, user, code, out);
	return out;
}

uid_t uid_of(const char *name)
{
	struct passwd *pw = getpwnam(name);
	ck_assert_ptr_nonnull(pw);
	return pw->pw_uid;
}

void add_test_cleanup_(Suite *s, const TTest *test, SFun cleanup, double timeout)
{
	/* The case is named after the test, "test_" left off: CK_RUN_CASE=NAME runs it alone. */
	TCase *tc = tcase_create(strncmp(test->name, "test_", 5) ? test->name : test->name + 5);

	tcase_set_timeout(tc, timeout);
	tcase_add_unchecked_fixture(tc, NULL, cleanup);
	tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

FILE *bg_start(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	FILE *bg;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	bg = popen(cmd, "r");
	ck_assert_msg(bg, "cannot start %s: %s", cmd, strerror(errno));
	return bg;
}

void bg_line(FILE *bg, char *line, int size, const char *awaited)
{
	int st;

	if (fgets(line, size, bg))
		return;
	st = pclose(bg);
	ck_abort_msg("the command's output ended before %s (it exited %d%s); see jaild's log",
		     awaited, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
		     WIFSIGNALED(st) ? ", killed" : "");
}

void ensure_jaild(void)
{
	char path[600];
	FILE *f;
	int fd = jaild_connect(sock, 2000);

	if (fd >= 0) {
		close(fd);
		return;
	}
	fprintf(stderr, "jaild is not answering; starting another for the tests after this one\n");
	(void) unlink(sock);
	jaild_pid = start_jaild();
	snprintf(path, sizeof(path), "%s/jaild.pid", base);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%d\n", (int) jaild_pid);
		fclose(f);
	}
}

char *pane(const char *name)
{
	char *out;
	run_capture(&out, "tmux capture-pane -t %s -p", name);
	return out;
}

/* Waits (up to 10 s) until the pane shows text; returns the pane. */
char *wait_for(const char *name, const char *text)
{
	char *out = NULL;

	for (int i = 0; i < 100; i++) {
		free(out);
		out = pane(name);
		if (strstr(out, text))
			return out;
		usleep(100000);
	}
	ck_abort_msg("tmux pane %s never showed '%s':\n%s", name, text, out);
	return out;
}

void keys(const char *name, const char *k)
{
	char *out;
	run_capture(&out, "tmux send-keys -t %s %s", name, k);
	free(out);
}


void harness_setup(const char *tag, const char *admin)
{
	char path[1024];

	snprintf(base, sizeof(base), "/var/tmp/corral-%s-XXXXXX", tag);
	if (!mkdtemp(base))
		exit(99);
	chmod(base, 0755);
	snprintf(sock, sizeof(sock), "%s/jaild.sock", base);
	snprintf(policies, sizeof(policies), "%s/policies", base);
	snprintf(cgroot, sizeof(cgroot), "corral-%s-%d", tag, (int) getpid());
	snprintf(admin_group, sizeof(admin_group), "%s", admin);
	snprintf(jailctl, sizeof(jailctl), "%s/jailctl/jailctl", env_or("top_builddir", "."));
	snprintf(jaild_bin, sizeof(jaild_bin), "%s/jaild/jaild", env_or("top_builddir", "."));
	snprintf(path, sizeof(path), "%s/rshell/rshell", env_or("top_builddir", "."));
	if (!realpath(path, rshell_bin))
		exit(99);
	snprintf(path, sizeof(path), "%s/tests/helpers", env_or("top_builddir", "."));
	if (!realpath(path, helpers))
		exit(99);
	mkdir(policies, 0755);
	/* Each suite its own tmux server: suites run in parallel, and kill-server is per suite. */
	setenv("TMUX_TMPDIR", base, 1);
	snprintf(path, sizeof(path), "%s/home", base);
	mkdir(path, 0755);
	sh("groupdel %s >/dev/null 2>&1; groupadd %s", admin, admin);
}

bool harness_teardown(bool failed, const char *const *users)
{
	char path[600], logpath[600];
	char *log;
	bool sanitizer = false;
	FILE *f;
	int pid;

	/* Tests that restart jaild leave the new pid here. */
	snprintf(path, sizeof(path), "%s/jaild.pid", base);
	f = fopen(path, "r");
	if (f && fscanf(f, "%d", &pid) == 1)
		jaild_pid = pid;
	if (f)
		fclose(f);
	kill(jaild_pid, SIGTERM);
	for (int i = 0; i < 100 && kill(jaild_pid, 0) == 0; i++) {
		waitpid(jaild_pid, NULL, WNOHANG);
		usleep(50000);
	}
	sh("tmux kill-server >/dev/null 2>&1 </dev/null; true");
	for (size_t i = 0; users[i]; i++)
		sh("userdel %s", users[i]);
	sh("groupdel %s 2>/dev/null", admin_group);
	for (int c = 0; c < 6; c++) {
		static const char *const ctl[] = { "memory", "pids", "cpu", "cpuacct", "blkio",
						   "freezer" };
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/%s", ctl[c], cgroot);
		if (access(path, F_OK) == 0)
			fprintf(stderr, "cgroup root %s left behind\n", path);
		(void) rmdir(path);
	}
	snprintf(logpath, sizeof(logpath), "%s/jaild.log", base);
	log = read_log(logpath);
	if (log && (strstr(log, "Sanitizer") || strstr(log, "runtime error:"))) {
		fprintf(stderr, "jaild's log has a sanitizer report:\n%s\n", strstr(log, "=="));
		sanitizer = true;
	}
	free(log);
	if (failed) {
		fprintf(stderr, "---- end of %s/jaild.log\n", base);
		sh("tail -40 %s/jaild.log >&2", base);
	}
	if (getenv("CORRAL_KEEP_BASE"))
		fprintf(stderr, "kept %s (CORRAL_KEEP_BASE)\n", base);
	else
		sh("rm -rf '%s'", base);
	return sanitizer;
}

int rshell_as(char **out, const char *user, const char *envs, const char *cmd)
{
	char quoted[4096];
	size_t o = 0;

	/* The command goes through sh -c '...' here: quote its single quotes. */
	for (const char *p = cmd; *p && o < sizeof(quoted) - 5; p++) {
		if (*p == '\'') {
			memcpy(quoted + o, "'\\''", 4);
			o += 4;
		} else {
			quoted[o++] = *p;
		}
	}
	quoted[o] = '\0';
	return run_capture(out, "runuser -u %s -- env %s CORRAL_SOCKET=%s %s -c '%s' </dev/null",
			   user, envs, sock, rshell_bin, quoted);
}
