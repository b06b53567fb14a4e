// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The login path for real, as root: pam_jaild.so in real libpam stacks (pam_wrapper with a
 * private service directory, driven by pamtester), then a real OpenSSH sshd on 127.0.0.1 and su,
 * both with pam_wrapper preloaded so that the machine's own /etc/pam.d is never touched.
 *
 * The sshd, login, su and su-l stacks (and systemd-user and cron, from Debian's packages) are
 * copies of the distribution's own files with pam_jaild added as the README says, and sshd's
 * config carries the README's Match block: both are read from README.md at run time.  The
 * host-side attacks (hooks planted from inside a jail, loader variables, forwarding) run
 * against exactly that.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <signal.h>
#include <time.h>

#define LA "corral-lga" /* rshell, matched */
#define LB "corral-lgb" /* matched, but bash as login shell */
#define LC "corral-lgc" /* no policy: untouched */
#define LD "corral-lgd" /* outside its hours */
#define LE "corral-lge" /* one session at most */
#define LF "corral-lgf" /* a full shell by policy, bash as login shell: still refused */
#define LX "corral-lgX" /* a name jaild cannot carry, matched by group: refused, not ignored */
#define JAILED "corral-lgj" /* the README's "jailed" group */
#define ADMIN "corral-lgadm"

static char module[1024], pamdir[600], preload[1024], sshdir[600];
static bool have_systemd_user, have_cron;

#define streq(a, b) (strcmp((a), (b)) == 0)
static int ssh_port;
static pid_t sshd_pid;

static void write_pam_service(const char *name, const char *socket_path, const char *extra)
{
	char content[4096];

	snprintf(content, sizeof(content),
		 "auth     sufficient pam_rootok.so\n"
		 "auth     required   pam_permit.so\n"
		 /* Like pam_unix in a real stack: someone must say yes for users corral ignores. */
		 "account  required   pam_permit.so\n"
		 "account  required   %s policy_dir=%s socket=%s group=" JAILED " %s\n"
		 "session  required   pam_permit.so\n"
		 "session  required   %s policy_dir=%s socket=%s group=" JAILED " %s\n"
		 "session  optional   /lib/x86_64-linux-gnu/security/pam_exec.so stdout %s/hook.sh\n",
		 module, policies, socket_path, extra, module, policies, socket_path, extra, base);
	if (write_policy_file(pamdir, name, content) < 0)
		exit(99);
}

static void setup_policies(void)
{
	char content[4096], hours[64];
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	/* Tomorrow only: never now. */
	snprintf(hours, sizeof(hours), "%s 00:00-24:00", days[(tm.tm_wday + 1) % 7]);
	snprintf(content, sizeof(content),
		 "jail = { binds = ( { src = \"/usr\"; }, { src = \"/bin\"; }, { src = \"/lib\"; },\n"
		 "\t{ src = \"/lib64\"; optional = true; } );\n\thome = \"%s/jhome/%%u\"; };\n"
		 "shell = { commands = [\"echo\", \"id\", \"cat\", \"ls\", \"wc\", \"sleep\", \"ps\",\n"
		 "\t\t\"mkdir\"];\n"
		 "\tscp = true; sftp = true;\n"
		 "\tenv = [\"HOME=%%h\", \"USER=%%u\", \"ASAN_OPTIONS=detect_leaks=0\"]; };\n"
		 "session = { max = 2; };\n",
		 base);
	if (write_policy_file(policies, "default.conf", content) < 0 ||
	    write_policy_file(policies, "users/" LA ".conf", "jail = { hostname = \"lab\"; };\n") <
		    0 ||
	    write_policy_file(policies, "users/" LB ".conf", "\n") < 0 ||
	    write_policy_file(policies, "users/" LE ".conf",
			      "session = { max = 1; };\nshell = { scp = false; sftp = false; };\n") <
		    0)
		exit(99);
	if (write_policy_file(policies, "users/" LF ".conf",
			      "shell = { program = \"/bin/bash\"; };\n") < 0 ||
	    write_policy_file(policies, "groups/" JAILED ".conf",
			      "match = { groups = [\"" JAILED "\"]; };\n") < 0)
		exit(99);
	snprintf(content, sizeof(content), "session = { hours = \"%s\"; };\n", hours);
	if (write_policy_file(policies, "users/" LD ".conf", content) < 0)
		exit(99);
}

/* Setup runs outside any test, where Check's asserts cannot report: say why and give up. */
static void setup_need(bool ok, const char *why)
{
	if (!ok) {
		fprintf(stderr, "check_login setup: %s\n", why);
		exit(99);
	}
}

/* The README's fenced block that starts with "```tag", its lines unindented (static). */
static const char *readme_block(const char *tag)
{
	static char block[4096];
	char path[1024], line[512], fence[64];
	bool in = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/README.md", env_or("top_srcdir", "."));
	snprintf(fence, sizeof(fence), "```%s", tag);
	f = fopen(path, "r");
	setup_need(f != NULL, "cannot read README.md");
	block[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		const char *t = line + strspn(line, " ");
		if (!in) {
			in = strncmp(t, fence, strlen(fence)) == 0 && t[strlen(fence)] == '\n';
			continue;
		}
		if (strncmp(t, "```", 3) == 0)
			break;
		strncat(block, t, sizeof(block) - strlen(block) - 1);
	}
	fclose(f);
	setup_need(block[0], "README.md has no ```pam or ```sshd_config block");
	return block;
}

/* The README's PAM line of the given type, with the module at its test path and options. */
static void readme_pam_line(const char *type, char *out, size_t len)
{
	char mod[2200];
	const char *b = readme_block("pam"), *l = strstr(b, type), *m = NULL, *e = NULL;

	setup_need(l && (m = strstr(l, "pam_jaild.so")) && (e = strchr(l, '\n')),
		   "README.md's ```pam block has no pam_jaild.so line of that type");
	snprintf(mod, sizeof(mod), "%s policy_dir=%s socket=%s group=" JAILED, module, policies,
		 sock);
	snprintf(out, len, "%.*s%s%.*s\n", (int) (m - l), l, mod, (int) (e - m - 12), m + 12);
}

/* libpam resolves includes in /etc/pam.d whatever pam_wrapper's directory: the copies name
 * each other by absolute path ("@include common-auth", "session include su"). */
static char *pam_line_with_absolute_include(const char *line)
{
	char out[2048], word[4][256];
	int n = sscanf(line, "%255s %255s %255s %255s", word[0], word[1], word[2], word[3]);

	if (n >= 2 && strcmp(word[0], "@include") == 0 && word[1][0] != '/') {
		snprintf(out, sizeof(out), "@include %s/%s\n", pamdir, word[1]);
		return strdup(out);
	}
	if (n >= 3 && (strcmp(word[1], "include") == 0 || strcmp(word[1], "substack") == 0) &&
	    word[2][0] != '/') {
		snprintf(out, sizeof(out), "%s %s %s/%s\n", word[0], word[1], pamdir, word[2]);
		return strdup(out);
	}
	return strdup(line);
}

/*
 * Copies the distribution's PAM file for service (from /etc/pam.d, or for systemd-user and cron,
 * which this machine may lack, from Debian's packages unpacked by scripts/test), adding
 * pam_jaild where the README says: for login stacks the account line after the last account
 * line and the session line last; for stacks that run code outside the jail (refusing) the
 * account line first.  A test hook follows in login stacks.  False when no such file exists.
 */
static bool debian_service(const char *name, bool refusing)
{
	char src[1024], dst[1024], line[1024], acct[2800], sess[2800], *lines[256];
	size_t n = 0, last_account = 0, first_account = SIZE_MAX;
	FILE *in, *out;

	snprintf(src, sizeof(src), "/etc/pam.d/%s", name);
	if (access(src, R_OK) != 0)
		snprintf(src, sizeof(src), "%s/%s",
			 env_or("CORRAL_DEBIAN_PAM", "/var/cache/corral-vm/debian-pam"), name);
	in = fopen(src, "r");
	if (!in)
		return false;
	while (n < 256 && fgets(line, sizeof(line), in)) {
		const char *t = line + strspn(line, " \t");
		if (strncmp(t, "account", 7) == 0 || strncmp(t, "@include common-account", 23) == 0) {
			last_account = n + 1;
			if (first_account == SIZE_MAX)
				first_account = n;
		}
		lines[n++] = pam_line_with_absolute_include(line);
	}
	fclose(in);
	readme_pam_line("account", acct, sizeof(acct));
	readme_pam_line("session", sess, sizeof(sess));
	snprintf(dst, sizeof(dst), "%s/%s", pamdir, name);
	out = fopen(dst, "w");
	setup_need(out != NULL, "cannot write a PAM service file");
	for (size_t i = 0; i < n; i++) {
		if (refusing && i == first_account)
			fputs(acct, out);
		fputs(lines[i], out);
		if (!refusing && strcmp(name, "su-l") != 0 && i + 1 == last_account)
			fputs(acct, out);
		free(lines[i]);
	}
	if (!refusing && strcmp(name, "su-l") != 0) {
		fputs(sess, out);
		fprintf(out, "session optional pam_exec.so stdout %s/hook.sh\n", base);
	}
	fclose(out);
	return true;
}

static void setup_pam(void)
{
	char path[1200], asan[512] = "";
	FILE *f;

	snprintf(module, sizeof(module), "%s/pam_module/.libs/pam_jaild.so",
		 env_or("top_builddir", "."));
	snprintf(pamdir, sizeof(pamdir), "%s/pam.d", base);
	mkdir(pamdir, 0755);
	write_pam_service("corral-test", sock, "debug");
	write_pam_service("corral-closed", "/nonexistent/jaild.sock", "");
	write_pam_service("corral-open", "/nonexistent/jaild.sock", "fail=open");
	write_pam_service("corral-refuse", sock, "refuse");
	/* The distribution's own stacks, pam_jaild added as the README says. */
	snprintf(path, sizeof(path), "cp /etc/pam.d/common-* /etc/pam.d/other %s/", pamdir);
	sh("%s", path);
	debian_service("sshd", false);
	debian_service("login", false);
	debian_service("su", false);
	debian_service("su-l", false); /* includes su on Debian: copied as it is */
	have_systemd_user = debian_service("systemd-user", true);
	have_cron = debian_service("cron", true);
	/* The hook runs inside the session: what jaild lists, and a hold when asked. */
	snprintf(path, sizeof(path), "%s/hook.sh", base);
	f = fopen(path, "w");
	fprintf(f,
		"#!/bin/sh\n[ \"$PAM_TYPE\" = open_session ] || exit 0\n"
		"env > %s/env-$PAM_USER.out\n"
		"%s list --socket %s > %s/hook-$PAM_USER.out 2>&1\n"
		"[ -e %s/hold-$PAM_USER ] && sleep 3\nexit 0\n",
		base, jailctl, sock, base, base);
	fclose(f);
	chmod(path, 0755);
	/* A sanitizer build of the module needs its runtime loaded first. */
	snprintf(path, sizeof(path), "ldd %s | awk '/libasan/ { print $3 }'", module);
	f = popen(path, "r");
	if (f && fgets(asan, sizeof(asan), f))
		asan[strcspn(asan, "\n")] = '\0';
	if (f)
		pclose(f);
	snprintf(preload, sizeof(preload), "%s%slibpam_wrapper.so", asan, asan[0] ? " " : "");
}

/* pamtester through pam_wrapper; returns the exit status. */
static int pamtester(char **out, const char *service, const char *user, const char *ops)
{
	return run_capture(out,
			   "LD_PRELOAD='%s' ASAN_OPTIONS=detect_leaks=0 PAM_WRAPPER=1 "
			   "PAM_WRAPPER_SERVICE_DIR=%s pamtester -v %s %s %s",
			   preload, pamdir, service, user, ops);
}

static bool have(const char *prog)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

START_TEST(test_pam_unmatched_ignored)
{
	char *out, path[700], *log;

	ck_assert_int_eq(pamtester(&out, "corral-test", LC, "acct_mgmt open_session close_session"),
			 0);
	free(out);
	/* No socket traffic, no log line for a user corral does not jail. */
	log = jaild_log();
	ck_assert_msg(log, "cannot read %s/jaild.log", base);
	ck_assert_ptr_null(strstr(log, LC));
	free(log);
	snprintf(path, sizeof(path), "%s/hook-%s.out", base, LC);
	log = read_all(path);
	ck_assert_msg(log && !strstr(log, LC), "%s", log);
	free(log);
}
END_TEST

START_TEST(test_pam_session_registered)
{
	char *out, path[700];

	ck_assert_int_eq(pamtester(&out, "corral-test", LA, "acct_mgmt open_session close_session"),
			 0);
	ck_assert_msg(strstr(out, "successfully opened a session"), "%s", out);
	free(out);
	/* During the session jaild listed the user's jail with one session. */
	snprintf(path, sizeof(path), "%s/hook-%s.out", base, LA);
	out = read_all(path);
	ck_assert_msg(out && strstr(out, LA) && strstr(out, "        1 "), "%s", out);
	free(out);
	/* close_session ended it, and the jail went with it. */
	usleep(300000);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/pids/%s/%s", cgroot, LA);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_pam_hours_refused)
{
	char *out;

	ck_assert_int_ne(pamtester(&out, "corral-test", LD, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: your account is limited to hours "), "%s", out);
	free(out);
}
END_TEST

START_TEST(test_pam_wrong_shell_refused)
{
	char *out;

	ck_assert_int_ne(pamtester(&out, "corral-test", LB, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: your login shell is not rshell; ask an admin to run "
				  "jailctl enroll " LB),
		      "%s", out);
	free(out);
}
END_TEST

START_TEST(test_pam_max_sessions)
{
	char *out, hold[700], cmd[2048];
	FILE *bg;

	snprintf(hold, sizeof(hold), "%s/hold-%s", base, LE);
	ck_assert_int_eq(close(open(hold, O_CREAT | O_WRONLY, 0644)), 0);
	snprintf(cmd, sizeof(cmd),
		 "LD_PRELOAD='%s' ASAN_OPTIONS=detect_leaks=0 PAM_WRAPPER=1 "
		 "PAM_WRAPPER_SERVICE_DIR=%s pamtester corral-test %s open_session close_session "
		 ">/dev/null 2>&1",
		 preload, pamdir, LE);
	bg = popen(cmd, "r");
	usleep(1000000); /* the first session is open and held by the hook */
	ck_assert_int_ne(pamtester(&out, "corral-test", LE, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: you already have 1 sessions open (the limit is 1)"), "%s",
		      out);
	free(out);
	ck_assert_int_eq(pclose(bg), 0);
	unlink(hold);
	ck_assert_int_eq(pamtester(&out, "corral-test", LE, "acct_mgmt"), 0);
	free(out);
}
END_TEST

START_TEST(test_pam_daemon_down)
{
	char *out;

	ck_assert_int_ne(pamtester(&out, "corral-closed", LA, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: the jail service is not available; try again later."),
		      "%s", out);
	free(out);
	ck_assert_int_ne(pamtester(&out, "corral-closed", LA, "open_session"), 0);
	free(out);
	ck_assert_int_eq(pamtester(&out, "corral-open", LA, "acct_mgmt open_session"), 0);
	ck_assert_msg(strstr(out, "letting you in unjailed"), "%s", out);
	free(out);
}
END_TEST

/* A matched user whose policy names a full shell still needs rshell as login shell: bash as
 * the login shell would be a host shell. */
START_TEST(test_pam_full_shell_policy_still_needs_rshell)
{
	char *out;

	ck_assert_int_ne(pamtester(&out, "corral-test", LF, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: your login shell is not rshell"), "%s", out);
	free(out);
	ck_assert_int_ne(pamtester(&out, "sshd", LF, "acct_mgmt"), 0);
	free(out);
}
END_TEST

/* A name outside what jaild can carry (capitals here, like SSSD's ann@example.com) that a
 * policy matches is judged and refused, never ignored. */
START_TEST(test_pam_unusual_name_judged)
{
	char *out;

	ck_assert_int_ne(pamtester(&out, "corral-test", LX, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: your user name cannot be jailed"), "%s", out);
	free(out);
	ck_assert_int_ne(pamtester(&out, "corral-test", LX, "open_session"), 0);
	free(out);
}
END_TEST

/* A jailed user out of the group sshd's Match block names would get forwarding: refused. */
START_TEST(test_pam_outside_group_refused)
{
	char *out;

	sh("gpasswd -d %s %s >/dev/null", LA, JAILED);
	ck_assert_int_ne(pamtester(&out, "corral-test", LA, "acct_mgmt"), 0);
	ck_assert_msg(strstr(out, "corral: your account is not set up for the jail yet"), "%s", out);
	free(out);
	sh("gpasswd -a %s %s >/dev/null", LA, JAILED);
	ck_assert_int_eq(pamtester(&out, "corral-test", LA, "acct_mgmt"), 0);
	free(out);
}
END_TEST

/* systemd-user, cron (Debian's own stacks, pam_jaild first as the README says) and any stack
 * with the refuse option: a jailed user never passes, an unjailed one does. */
START_TEST(test_pam_outside_services_refused)
{
	const char *services[] = { "corral-refuse", have_systemd_user ? "systemd-user" : NULL,
				   have_cron ? "cron" : NULL };
	char *out;

	if (!have_systemd_user || !have_cron)
		printf("NOTE: Debian's systemd-user or cron PAM file is missing (scripts/test "
		       "unpacks them); tested with the refuse option only\n");
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		if (!services[i])
			continue;
		ck_assert_int_ne(pamtester(&out, services[i], LA, "acct_mgmt"), 0);
		free(out);
		ck_assert_int_eq(pamtester(&out, services[i], LC, "acct_mgmt"), 0);
		free(out);
	}
}
END_TEST

/* A shared library whose constructor leaves a file in base/pwn (a host path no jail has): if
 * it ever appears, code ran on the host. */
static void build_marker(void)
{
	char path[800];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/marker.so", base) > 0 && access(path, F_OK) == 0)
		return;
	sh("mkdir -p %s/pwn %s/gconv %s/bogus && chmod 1777 %s/pwn", base, base, base, base);
	snprintf(path, sizeof(path), "%s/marker.c", base);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f,
		"#include <fcntl.h>\n#include <stdio.h>\n#include <unistd.h>\n"
		"__attribute__((constructor)) static void mark(void)\n{\n\tchar p[600];\n"
		"\tsnprintf(p, sizeof(p), \"%s/pwn/ran-%%d\", (int) getpid());\n"
		"\tclose(open(p, O_CREAT | O_WRONLY, 0644));\n}\n",
		base);
	fclose(f);
	sh("cc -shared -fPIC -o %s/marker.so %s/marker.c && cp %s/marker.so %s/gconv/marker.so && "
	   "printf 'module INTERNAL MARKER// marker 1\\nmodule MARKER// INTERNAL marker 1\\n' > "
	   "%s/gconv/gconv-modules && echo 'not a library' > %s/bogus/libc.so.6",
	   base, base, base, base, base, base);
}

static char *pwned(void)
{
	char *out;
	run_capture(&out, "ls %s/pwn", base);
	return out;
}

/* rshell, the login shell on the host, loads nothing that loader variables name however they
 * reach it (here straight in its environment), and no process of the user can read it. */
START_TEST(test_outer_ignores_loader_variables)
{
	char envs[2048], *out;

#ifndef STATIC_RSHELL
	printf("NOTE: rshell is linked dynamically in this build (sanitizers); the static build "
	       "runs this test\n");
	return;
#endif
	build_marker();
	snprintf(envs, sizeof(envs),
		 "LD_PRELOAD=%s/marker.so LD_LIBRARY_PATH=%s/bogus GCONV_PATH=%s/gconv "
		 "LD_AUDIT=%s/marker.so",
		 base, base, base, base);
	ck_assert_int_eq(rshell_as(&out, LA, envs, "echo outer-ok"), 0);
	ck_assert_str_eq(out, "outer-ok\n");
	free(out);
	out = pwned();
	ck_assert_str_eq(out, "");
	free(out);
	/* Not dumpable: the user's own processes cannot read its memory or environment. */
	ck_assert_int_eq(run_capture(&out,
				     "runuser -u %s -- sh -c 'env CORRAL_SOCKET=%s %s -c \"sleep 2\" "
				     "</dev/null & p=$!; sleep 1; cat /proc/$p/environ >/dev/null "
				     "2>&1 && echo READABLE || echo DENIED; wait'",
				     LA, sock, rshell_bin),
			 0);
	ck_assert_str_eq(out, "DENIED\n");
	free(out);
}
END_TEST

/* ---- sshd ---- */

/* A loopback port nobody holds now: the kernel's pick for port 0. */
static int free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;

	if (fd >= 0 && bind(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *) &sa, &len) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port > 0 ? port : 20000 + (int) (getpid() % 20000);
}

/* Host and user keys: the unjailed user's where the global AuthorizedKeysFile says, the jailed
 * users' in the root-owned directory of corral's sshd drop-in (as an admin adds a key). */
static void make_ssh_keys(void)
{
	snprintf(sshdir, sizeof(sshdir), "%s/sshd", base);
	mkdir(sshdir, 0755);
	sh("mkdir -p %s/keys %s/jkeys && ssh-keygen -q -t ed25519 -N '' -f %s/hostkey && "
	   "ssh-keygen -q -t ed25519 -N '' -f %s/userkey && cp %s/userkey.pub %s/keys/%s && "
	   "for u in %s %s %s; do cp %s/userkey.pub %s/jkeys/$u; done",
	   sshdir, sshdir, sshdir, sshdir, sshdir, sshdir, LC, LA, LD, LE, sshdir, sshdir);
}

/* The drop-in corral ships for sshd (contrib/corral-sshd.conf): its lines without comments. */
static const char *contrib_sshd_block(void)
{
	static char block[4096];
	char path[1024], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/contrib/corral-sshd.conf", env_or("top_srcdir", "."));
	f = fopen(path, "r");
	setup_need(f != NULL, "cannot read contrib/corral-sshd.conf");
	block[0] = '\0';
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#')
			strncat(block, line + strspn(line, " \t"), sizeof(block) - strlen(block) - 1);
	fclose(f);
	return block;
}

/* sshd's config as on Debian: the main file includes sshd_config.d/ first, then global lines
 * with Debian's defaults (X11 forwarding on, forwarding and user rc allowed, keys from the
 * home); corral's drop-in goes into sshd_config.d with the test's group and keys directory. */
static void write_sshd_config(const char *path, const char *drop_in)
{
	char dir[700], conf[800];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/sshd_config.d", sshdir);
	mkdir(dir, 0755);
	snprintf(conf, sizeof(conf), "%s/corral.conf", dir);
	f = fopen(conf, "w");
	setup_need(f != NULL, "cannot write sshd_config.d/corral.conf");
	for (const char *l = drop_in; *l;) {
		const char *e = strchr(l, '\n');
		const char *k = strstr(l, "/etc/corral/authorized_keys/");
		int n = e ? (int) (e - l) : (int) strlen(l);
		if (strncmp(l, "Match Group jailed", 18) == 0)
			fprintf(f, "Match Group " JAILED "\n");
		else if (k && (!e || k < e))
			fprintf(f, "    AuthorizedKeysFile %s/jkeys/%%u\n", sshdir);
		else
			fprintf(f, "    %.*s\n", n, l);
		if (!e)
			break;
		l = e + 1;
	}
	fclose(f);
	f = fopen(path, "w");
	setup_need(f != NULL, "cannot write sshd_config");
	fprintf(f,
		"Include %s/*.conf\n"
		"Port %d\nListenAddress 127.0.0.1\nHostKey %s/hostkey\nPidFile %s/sshd.pid\n"
		"UsePAM yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
		"PubkeyAuthentication yes\nAuthorizedKeysFile %s/keys/%%u\n"
		/* /var/tmp is world-writable: StrictModes would refuse every key below it. */
		"StrictModes no\nX11Forwarding yes\nSubsystem sftp /usr/lib/openssh/sftp-server\n"
		"PrintMotd no\nLogLevel VERBOSE\nAcceptEnv LANG LC_*\n",
		dir, ssh_port, sshdir, sshdir, sshdir);
	fclose(f);
}

static void start_sshd(void)
{
	char path[800], cfg[4096];

	mkdir("/run/sshd", 0755); /* sshd's privilege separation directory */
	ssh_port = free_port();
	snprintf(path, sizeof(path), "%s/sshd_config", sshdir);
	write_sshd_config(path, contrib_sshd_block());
	sshd_pid = fork();
	if (sshd_pid == 0) {
		char env1[1100], env2[700];
		snprintf(env1, sizeof(env1), "LD_PRELOAD=%s", preload);
		snprintf(env2, sizeof(env2), "PAM_WRAPPER_SERVICE_DIR=%s", pamdir);
		char *envp[] = { env1, env2, (char *) "PAM_WRAPPER=1",
				 (char *) "ASAN_OPTIONS=detect_leaks=0", NULL };
		snprintf(cfg, sizeof(cfg), "%s/sshd.log", sshdir);
		setsid();
		execle("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-f", path, "-E", cfg,
		       (char *) NULL, envp);
		_exit(127);
	}
	snprintf(cfg, sizeof(cfg), "ss -ltn 2>/dev/null | grep -q 127.0.0.1:%d", ssh_port);
	for (int i = 0; i < 50 && system(cfg) != 0; i++)
		usleep(100000);
}

static int ssh(char **out, const char *user, const char *cmd)
{
	return run_capture(out,
			   "ssh -i %s/userkey -p %d -o StrictHostKeyChecking=no -o "
			   "UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR %s@127.0.0.1 "
			   "'%s' </dev/null",
			   sshdir, ssh_port, user, cmd);
}

START_TEST(test_ssh_command)
{
	char *out;

	if (sshd_pid <= 0)
		ck_abort_msg("sshd did not start");
	ck_assert_int_eq(ssh(&out, LA, "echo hi | wc -c"), 0);
	ck_assert_str_eq(out, "3\n");
	free(out);
	ck_assert_int_eq(ssh(&out, LA, "ps -e -o comm="), 0);
	ck_assert_msg(strncmp(out, "corral-init\n", 12) == 0, "%s", out);
	free(out);
	ck_assert_int_eq(ssh(&out, LA, "bash"), 126);
	ck_assert_str_eq(out, "corral: bash is not an allowed command (type help for the list)\n");
	free(out);
	ck_assert_int_eq(ssh(&out, LA, "echo ok; bash"), 126);
	ck_assert_msg(!strstr(out, "ok"), "%s", out);
	free(out);
}
END_TEST

START_TEST(test_ssh_untouched_user)
{
	char *out;

	ck_assert_int_eq(ssh(&out, LC, "cat /proc/1/comm; id -un"), 0);
	ck_assert_msg(!strstr(out, "corral-init") && strstr(out, LC "\n"), "%s", out);
	free(out);
}
END_TEST

START_TEST(test_ssh_scp_sftp)
{
	char *out, path[800], batch[800];

	sh("echo payload > %s/up.txt", base);
	/* scp over SFTP (OpenSSH 9's default) and the classic protocol (-O). */
	ck_assert_int_eq(run_capture(&out,
				     "scp -i %s/userkey -P %d -o StrictHostKeyChecking=no -o "
				     "UserKnownHostsFile=/dev/null -o BatchMode=yes %s/up.txt "
				     "%s@127.0.0.1:up1.txt && scp -O -i %s/userkey -P %d -o "
				     "StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o "
				     "BatchMode=yes %s/up.txt %s@127.0.0.1:up2.txt",
				     sshdir, ssh_port, base, LA, sshdir, ssh_port, base, LA),
			 0);
	free(out);
	for (int i = 1; i <= 2; i++) {
		snprintf(path, sizeof(path), "%s/jhome/%s/up%d.txt", base, LA, i);
		out = read_all(path);
		ck_assert_msg(out && streq(out, "payload\n"), "up%d: %s", i, out);
		free(out);
	}
	ck_assert_int_eq(run_capture(&out,
				     "scp -O -i %s/userkey -P %d -o StrictHostKeyChecking=no -o "
				     "UserKnownHostsFile=/dev/null -o BatchMode=yes "
				     "%s@127.0.0.1:up1.txt %s/down.txt && cat %s/down.txt",
				     sshdir, ssh_port, LA, base, base),
			 0);
	ck_assert_str_eq(out, "payload\n");
	free(out);
	snprintf(batch, sizeof(batch), "%s/batch", base);
	sh("printf 'put %s/up.txt put.txt\\nls -1\\nget up2.txt %s/sftp-got.txt\\n' > %s", base, base,
	   batch);
	ck_assert_int_eq(run_capture(&out,
				     "sftp -i %s/userkey -P %d -o StrictHostKeyChecking=no -o "
				     "UserKnownHostsFile=/dev/null -o BatchMode=yes -b %s "
				     "%s@127.0.0.1 && cat %s/sftp-got.txt",
				     sshdir, ssh_port, batch, LA, base),
			 0);
	ck_assert_msg(strstr(out, "up1.txt") && strstr(out, "put.txt") && strstr(out, "payload\n"),
		      "%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/jhome/%s/put.txt", base, LA);
	out = read_all(path);
	ck_assert_msg(out && streq(out, "payload\n"), "put.txt: %s", out);
	free(out);
	/* A policy without scp and sftp: both refused, nothing written. */
	ck_assert_int_ne(run_capture(&out,
				     "scp -O -i %s/userkey -P %d -o StrictHostKeyChecking=no -o "
				     "UserKnownHostsFile=/dev/null -o BatchMode=yes %s/up.txt "
				     "%s@127.0.0.1:no.txt",
				     sshdir, ssh_port, base, LE),
			 0);
	ck_assert_msg(strstr(out, "scp uploads are not allowed for your account"), "%s", out);
	free(out);
	ck_assert_int_ne(run_capture(&out,
				     "sftp -i %s/userkey -P %d -o StrictHostKeyChecking=no -o "
				     "UserKnownHostsFile=/dev/null -o BatchMode=yes -b %s %s@127.0.0.1",
				     sshdir, ssh_port, batch, LE),
			 0);
	free(out);
	snprintf(path, sizeof(path), "%s/jhome/%s/no.txt", base, LE);
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/jhome/%s/put.txt", base, LE);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_ssh_interactive)
{
	char *out;

	run_capture(&out,
		    "tmux new-session -d -s ssh1 -x 100 -y 30 \"ssh -tt -i %s/userkey -p %d -o "
		    "StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "
		    "%s@127.0.0.1; echo SSH-EXIT=\\$?; sleep 30\"",
		    sshdir, ssh_port, LA);
	free(out);
	free(wait_for("ssh1", LA "@lab:~$"));
	keys("ssh1", "'ps -e -o pid=,comm=' Enter");
	out = wait_for("ssh1", "corral-init");
	ck_assert_msg(strstr(out, "      1 corral-init"), "%s", out);
	free(out);
	keys("ssh1", "'exit' Enter");
	free(wait_for("ssh1", "SSH-EXIT=0"));
	run_capture(&out, "tmux kill-session -t ssh1");
	free(out);
	/* The last session ended: the jail is gone. */
	usleep(500000);
	{
		char path[700];
		snprintf(path, sizeof(path), "/sys/fs/cgroup/pids/%s/%s", cgroot, LA);
		ck_assert_int_ne(access(path, F_OK), 0);
	}
}
END_TEST

START_TEST(test_ssh_concurrent_and_max)
{
	char *out, cmd[2048];
	FILE *a, *b;

	snprintf(cmd, sizeof(cmd),
		 "ssh -i %s/userkey -p %d -o StrictHostKeyChecking=no -o "
		 "UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR %s@127.0.0.1 "
		 "'echo in; sleep 4' </dev/null",
		 sshdir, ssh_port, LA);
	a = popen(cmd, "r");
	b = popen(cmd, "r");
	out = calloc(1, 16);
	ck_assert_ptr_nonnull(fgets(out, 16, a));
	ck_assert_ptr_nonnull(fgets(out, 16, b));
	free(out);
	/* Two logins, one jail with two sessions. */
	ck_assert_int_eq(run_capture(&out, "%s list --socket %s", jailctl, sock), 0);
	ck_assert_msg(strstr(out, LA) && strstr(out, "        2 "), "%s", out);
	ck_assert_int_eq(strstr(strstr(out, LA) + 1, LA) == NULL, 1); /* one jail */
	free(out);
	/* session.max = 2: the third login is refused. */
	ck_assert_int_ne(ssh(&out, LA, "echo third"), 0);
	ck_assert_msg(!strstr(out, "third"), "%s", out);
	free(out);
	pclose(a);
	pclose(b);
}
END_TEST

START_TEST(test_su_lands_in_jail)
{
	char *out;

	ck_assert_msg(run_capture(&out,
				  "LD_PRELOAD='%s' ASAN_OPTIONS=detect_leaks=0 PAM_WRAPPER=1 "
				  "PAM_WRAPPER_SERVICE_DIR=%s su - %s -c 'ps -e -o comm=' </dev/null",
				  preload, pamdir, LA) == 0,
		      "su -: %s\nthe session's PAM environment:\n%s", out,
		      read_all(strcat(strcat(strcpy((char[700]){ 0 }, base), "/env-"), LA ".out")));
	/* pam_wrapper may print a warning first; the jail's pid 1 comes first in ps. */
	ck_assert_msg(strstr(out, "corral-init\n") && !strstr(out, "process_api"), "%s", out);
	free(out);
}
END_TEST

/* corral's sshd drop-in (as the README shows it) is valid, and for a jailed user it turns off
 * every forwarding, tunnels, X11 and user rc, with keys from the root-owned path, over the
 * global lines after it; an unjailed user keeps the defaults (the drop-in is what closes
 * them). */
START_TEST(test_readme_sshd_block)
{
	static const char *const want[] = { "disableforwarding yes", "allowtcpforwarding no",
					     "allowstreamlocalforwarding no",
					     "allowagentforwarding no", "x11forwarding no",
					     "permittunnel no", "permituserrc no",
					     "permituserenvironment no", "usepam yes", NULL };
	char *out, cfg[700];

	/* The README shows exactly the drop-in corral ships. */
	ck_assert_str_eq(readme_block("sshd_config"), contrib_sshd_block());
	snprintf(cfg, sizeof(cfg), "%s/sshd_config", sshdir);
	ck_assert_int_eq(run_capture(&out, "/usr/sbin/sshd -t -f %s", cfg), 0);
	free(out);
	ck_assert_int_eq(run_capture(&out, "/usr/sbin/sshd -T -C user=%s,host=localhost,"
					   "addr=127.0.0.1 -f %s",
				     LA, cfg),
			 0);
	for (size_t i = 0; want[i]; i++)
		ck_assert_msg(strstr(out, want[i]), "no '%s' for %s:\n%s", want[i], LA, out);
	ck_assert_msg(strstr(out, "/jkeys/"), "%s", out);
	free(out);
	ck_assert_int_eq(run_capture(&out, "/usr/sbin/sshd -T -C user=%s,host=localhost,"
					   "addr=127.0.0.1 -f %s",
				     LC, cfg),
			 0);
	ck_assert_msg(strstr(out, "allowtcpforwarding yes") && strstr(out, "permituserrc yes") &&
			      strstr(out, "x11forwarding yes"),
		      "%s", out);
	free(out);
}
END_TEST

#define SSH_BASE                                                                                   \
	"-i %s/userkey -p %d -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o "      \
	"BatchMode=yes"
#define SSH_OPTS SSH_BASE " -o LogLevel=ERROR"

/* ssh -W, -L, -R and -D: refused for a jailed user, working for an unjailed one. */
START_TEST(test_ssh_forwarding_refused)
{
	const char *who[] = { LA, LC };
	char *out;

	for (int i = 0; i < 2; i++) {
		bool jailed = i == 0;
		int lport = free_port();
		/* -W: a direct channel to the host's own sshd. */
		run_capture(&out, "echo | timeout 10 ssh " SSH_OPTS " -W 127.0.0.1:%d %s@127.0.0.1",
			    sshdir, ssh_port, ssh_port, who[i]);
		ck_assert_msg(jailed ? !strstr(out, "SSH-2.0") : strstr(out, "SSH-2.0") != NULL,
			      "-W as %s: %s", who[i], out);
		free(out);
		/* -L: the local port leads nowhere. */
		run_capture(&out,
			    "(timeout 6 ssh " SSH_OPTS " -N -L %d:127.0.0.1:%d %s@127.0.0.1 & sleep 2; "
			    "timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d; head -c 7 <&3'; wait)",
			    sshdir, ssh_port, lport, ssh_port, who[i], lport);
		ck_assert_msg(jailed ? !strstr(out, "SSH-2.0") : strstr(out, "SSH-2.0") != NULL,
			      "-L as %s: %s", who[i], out);
		free(out);
		/* -D: a SOCKS request through the tunnel is refused. */
		lport = free_port();
		run_capture(&out,
			    "(timeout 6 ssh " SSH_OPTS " -N -D %d %s@127.0.0.1 & sleep 2; "
			    "timeout 3 nc -X 5 -x 127.0.0.1:%d 127.0.0.1 %d </dev/null | head -c 7; "
			    "wait)",
			    sshdir, ssh_port, lport, who[i], lport, ssh_port);
		ck_assert_msg(jailed ? !strstr(out, "SSH-2.0") : strstr(out, "SSH-2.0") != NULL,
			      "-D as %s: %s", who[i], out);
		free(out);
		/* -R: the server refuses to listen. */
		ck_assert_int_eq(run_capture(&out,
					     "(timeout 10 ssh " SSH_BASE " -N -o "
					     "ExitOnForwardFailure=yes -R 0:127.0.0.1:%d %s@127.0.0.1 "
					     "2>&1; echo status=$?)",
					     sshdir, ssh_port, ssh_port, who[i]),
				 0);
		if (jailed)
			ck_assert_msg(strstr(out, "remote port forwarding failed") &&
					      strstr(out, "status=255"),
				      "-R as %s: %s", who[i], out);
		else
			ck_assert_msg(strstr(out, "Allocated port") && strstr(out, "status=124"),
				      "-R as %s: %s", who[i], out);
		free(out);
	}
}
END_TEST

/* What a student plants in their home from inside the jail, with only allowed commands, never
 * runs on the host at their next login: the home they write is the jail home, and the passwd
 * home that pam_env, systemd --user, an MTA and sshd read stays root's and empty. */
START_TEST(test_hooks_planted_in_jail_never_run_on_host)
{
	static const char *const planted[] = { ".pam_environment", ".config/systemd/user/x.service",
					       ".config/systemd/user/default.target.d/x.conf",
					       ".config/environment.d/x.conf",
					       ".local/share/dbus-1/services/x.service", ".forward",
					       ".ssh/rc", ".ssh/environment", "x.so", NULL };
	char cmd[8192], home[600], path[1200], *out;

	build_marker();
	snprintf(home, sizeof(home), "%s/home/%s", base, LA); /* the same path inside the jail */
	/* The student's own library (they could build it with gcc where the policy allows). */
	sh("cp %s/marker.so %s/jhome/%s/x.so && chown %s: %s/jhome/%s/x.so", base, base, LA, LA,
	   base, LA);
	/* rshell checks a whole line before it runs any of it: the directories first. */
	ck_assert_msg(ssh(&out, LA,
			  "mkdir -p .config/systemd/user/default.target.d .config/environment.d "
			  ".local/share/dbus-1/services .ssh") == 0,
		      "mkdir: %s", out);
	free(out);
	snprintf(cmd, sizeof(cmd),
		 "echo \"LD_PRELOAD DEFAULT=%s/x.so\" > .pam_environment; "
		 "echo \"LD_LIBRARY_PATH DEFAULT=%s\" >> .pam_environment; "
		 "echo \"GCONV_PATH DEFAULT=%s\" >> .pam_environment; "
		 "echo \"[Service]\" > .config/systemd/user/x.service; "
		 "echo \"ExecStart=/bin/touch %s/pwn/unit\" >> .config/systemd/user/x.service; "
		 "echo \"[Unit]\" > .config/systemd/user/default.target.d/x.conf; "
		 "echo \"Wants=x.service\" >> .config/systemd/user/default.target.d/x.conf; "
		 "echo \"LD_PRELOAD=%s/x.so\" > .config/environment.d/x.conf; "
		 "echo \"[D-BUS Service]\" > .local/share/dbus-1/services/x.service; "
		 "echo \"|/bin/touch %s/pwn/forward\" > .forward; "
		 "echo \"touch %s/pwn/sshrc\" > .ssh/rc; "
		 "echo \"LD_PRELOAD=%s/x.so\" > .ssh/environment",
		 home, home, home, base, home, base, base, home);
	ck_assert_msg(ssh(&out, LA, cmd) == 0, "planting: %s", out);
	free(out);
	/* They are there, in the jail home. */
	for (size_t i = 0; planted[i]; i++) {
		snprintf(path, sizeof(path), "%s/jhome/%s/%s", base, LA, planted[i]);
		ck_assert_msg(access(path, F_OK) == 0, "%s was not planted", path);
	}
	/* The next login. */
	ck_assert_int_eq(ssh(&out, LA, "echo again"), 0);
	ck_assert_str_eq(out, "again\n");
	free(out);
	out = pwned();
	ck_assert_msg(streq(out, ""), "code ran on the host: %s", out);
	free(out);
	ck_assert_int_eq(run_capture(&out, "ls -A %s; stat -c %%U %s", home, home), 0);
	ck_assert_str_eq(out, "root\n");
	free(out);
	/* What pam_env gave the session (the hook runs after pam_jaild). */
	snprintf(path, sizeof(path), "%s/env-%s.out", base, LA);
	out = read_all(path);
	ck_assert_msg(out && !strstr(out, "LD_PRELOAD") && !strstr(out, "GCONV_PATH") &&
			      strstr(out, "CORRAL_SESSION="),
		      "%s", out);
	free(out);
}
END_TEST

/* Whatever lands in the PAM environment (here a root-owned ~/.pam_environment, read by
 * Debian's pam_env user_readenv=1) is cut to pam_jaild's allow-list before the login shell. */
START_TEST(test_pam_environment_reduced)
{
	char path[800], *out;

	build_marker();
	snprintf(path, sizeof(path), "%s/home/%s/.pam_environment", base, LA);
	sh("printf 'LD_PRELOAD DEFAULT=%s/marker.so\\nFOO DEFAULT=bar\\nLC_TIME DEFAULT=C.UTF-8\\n' "
	   "> %s",
	   base, path);
	ck_assert_int_eq(ssh(&out, LA, "echo in"), 0);
	free(out);
	unlink(path);
	snprintf(path, sizeof(path), "%s/env-%s.out", base, LA);
	out = read_all(path);
	ck_assert_msg(out && !strstr(out, "LD_PRELOAD=") && !strstr(out, "FOO=") &&
			      strstr(out, "LC_TIME=C.UTF-8") && strstr(out, "CORRAL_SESSION="),
		      "%s", out);
	free(out);
	out = pwned();
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

/* The README's deploy steps, as this suite applied them, are what jailctl doctor checks for:
 * it finds nothing wrong but the users this suite set up wrong on purpose (a bash login shell,
 * a name jaild cannot serve) and the one step this suite leaves out on purpose, so that its
 * attacks meet Debian's stacks as shipped: pam_env's user_readenv=1, which doctor names. */
START_TEST(test_doctor_agrees_with_readme)
{
	char *out, *line, *save = NULL;
	int findings = 0, readenv = 0;

	run_capture(&out,
		    "%s doctor --policy-dir %s --socket %s --pam-dir %s --sshd-config "
		    "%s/sshd_config --linger-dir %s/no-linger --group %s --keys-dir %s/jkeys "
		    "--rshell %s",
		    jailctl, policies, sock, pamdir, sshdir, base, JAILED, sshdir, rshell_bin);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "jailctl doctor: ", 16) != 0)
			continue;
		findings++;
		readenv += strstr(line, "user_readenv=1") != NULL;
		ck_assert_msg(strstr(line, LB) || strstr(line, LF) || strstr(line, LX) ||
				      strstr(line, "user_readenv=1"),
			      "doctor disagrees with the README's steps: %s", line);
	}
	ck_assert_msg(findings >= 2, "doctor found %d problems; expected " LB "'s and " LF
		      "'s login shells", findings);
	ck_assert_msg(readenv >= 1, "doctor did not name Debian's user_readenv=1");
	free(out);
}
END_TEST

int main(void)
{
	static const char *const users[] = { LA, LB, LC, LD, LE, LF, LX, NULL };
	Suite *s = suite_create("login");
	TCase *pam = tcase_create("pam"), *net = tcase_create("sshd");
	int code;
	bool failed;

	if (geteuid() != 0) {
		printf("SKIP: the login tests need root (users, PAM, sshd)\n");
		return 77;
	}
	if (!have("pamtester") || access("/usr/lib/x86_64-linux-gnu/libpam_wrapper.so", F_OK)) {
		printf("SKIP: pamtester and libpam-wrapper are needed (scripts/test installs them)\n");
		return 77;
	}
	harness_setup("lg", ADMIN);
	make_user(LA, "");
	make_user(LB, "");
	make_user(LC, "");
	make_user(LD, "");
	make_user(LE, "");
	make_user(LF, "");
	setup_policies();
	make_ssh_keys();
	/* As README's "Deploy on a real host" says: jailctl enroll (its group and keys dir the
	 * test's own).  The layout is already the enrolled one (make_user); enroll finds it so. */
	sh("for u in %s %s %s; do %s enroll --policy-dir %s --shell %s --group %s --keys-dir "
	   "%s/jkeys $u >/dev/null; done; usermod -s /bin/bash %s; usermod -s /bin/bash %s",
	   LA, LD, LE, jailctl, policies, rshell_bin, JAILED, sshdir, LB, LF);
	make_user(LX, "--badname -G " JAILED);
	sh("usermod -s %s %s", rshell_bin, LX);
	setup_pam();
	jaild_pid = start_jaild();
	tcase_set_timeout(pam, 60);
	tcase_set_timeout(net, 120);
	tcase_add_test(pam, test_pam_unmatched_ignored);
	tcase_add_test(pam, test_pam_session_registered);
	tcase_add_test(pam, test_pam_hours_refused);
	tcase_add_test(pam, test_pam_wrong_shell_refused);
	tcase_add_test(pam, test_pam_full_shell_policy_still_needs_rshell);
	tcase_add_test(pam, test_pam_unusual_name_judged);
	tcase_add_test(pam, test_pam_outside_services_refused);
	tcase_add_test(pam, test_pam_outside_group_refused);
	tcase_add_test(pam, test_pam_max_sessions);
	tcase_add_test(pam, test_pam_daemon_down);
	tcase_add_test(pam, test_outer_ignores_loader_variables);
	suite_add_tcase(s, pam);
	if (access("/usr/sbin/sshd", X_OK) == 0 && have("ssh") && have("tmux")) {
		start_sshd();
		tcase_add_test(net, test_readme_sshd_block);
		tcase_add_test(net, test_ssh_command);
		tcase_add_test(net, test_ssh_untouched_user);
		tcase_add_test(net, test_ssh_scp_sftp);
		tcase_add_test(net, test_ssh_interactive);
		tcase_add_test(net, test_ssh_concurrent_and_max);
		tcase_add_test(net, test_su_lands_in_jail);
		tcase_add_test(net, test_ssh_forwarding_refused);
		tcase_add_test(net, test_hooks_planted_in_jail_never_run_on_host);
		tcase_add_test(net, test_pam_environment_reduced);
		tcase_add_test(net, test_doctor_agrees_with_readme);
		suite_add_tcase(s, net);
	} else {
		printf("SKIP: sshd end-to-end tests: openssh-server, openssh-client and tmux are "
		       "needed\n");
	}
	code = run_suite(s);
	failed = code != EXIT_SUCCESS;
	if (sshd_pid > 0) {
		kill(sshd_pid, SIGTERM);
		waitpid(sshd_pid, NULL, 0);
		if (failed)
			sh("tail -30 %s/sshd.log >&2", sshdir);
	}
	sh("groupdel %s 2>/dev/null", JAILED);
	if (harness_teardown(failed, users))
		code = EXIT_FAILURE;
	return code;
}
