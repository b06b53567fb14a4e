// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * jailctl doctor against a private world, as root: a policy directory, a PAM directory copied
 * from the machine's own /etc/pam.d with the documented pam_jaild lines added, a copy of the
 * machine's sshd_config with the documented Match block (sshd -T runs on it), a shells file,
 * a linger directory and test users.  Each test seeds one hole in a fresh copy of that world
 * and checks that doctor names it with the right file and line.  The machine's /etc/pam.d,
 * sshd_config, shells and linger directory are only read.
 */
#include "testutil.h"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "proto.h"
#include "quota.h"

#define DRA "corral-dra" /* jailed: users/corral-dra.conf, and in the group */
#define DRB "corral-drb" /* jailed: in the group only */
#define DRX "corral-drx" /* not jailed: bash, a home of its own */
#define GROUP "corral-drj"

static char base[256], w[300], jailctl[1024], rshell[1024];

static void shx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void shx(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = system(cmd);
	ck_assert_msg(r == 0, "command failed (%d): %s", r, cmd);
}

/* Outside a test (main): report, don't assert. */
static int sh_quiet(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh_quiet(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* The first line (1-based) of path whose text before any '#' holds needle; 0 if none. */
static int line_of(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	int n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(buf, sizeof(buf), f)) {
		n++;
		buf[strcspn(buf, "#")] = '\0';
		if (strstr(buf, needle)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	return 0;
}

static int nlines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;

	ck_assert_ptr_nonnull(f);
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static int doctor_opts(char **out, const char *extra)
{
	return run_capture(out,
			   "%s doctor --policy-dir %s/policies --pam-dir %s/pam.d --sshd-config "
			   "%s/sshd_config --shells %s/shells --linger-dir %s/linger --group %s "
			   "--keys-dir %s/keys --rshell %s %s",
			   jailctl, w, w, w, w, w, GROUP, w, rshell, extra);
}

static int doctor(char **out)
{
	return doctor_opts(out, "--no-daemon");
}

#define assert_has(out, ...)                                                                       \
	do {                                                                                       \
		char _want[2048];                                                                  \
		snprintf(_want, sizeof(_want), __VA_ARGS__);                                       \
		ck_assert_msg(strstr((out), _want), "expected '%s' in:\n%s", _want, (out));        \
	} while (0)

/* Runs doctor, expects exit 1 and the finding; frees the output. */
#define expect_finding(...)                                                                        \
	do {                                                                                       \
		char *_out;                                                                        \
		int _code = doctor(&_out);                                                         \
		ck_assert_msg(_code == 1, "doctor exited %d:\n%s", _code, _out);                   \
		assert_has(_out, __VA_ARGS__);                                                     \
		free(_out);                                                                        \
	} while (0)

/* ---- the world ---- */

static void make_good_world(void)
{
	char path[600];

	/* Policies: root's, 0644 in 0755 directories. */
	snprintf(path, sizeof(path), "%s/good/policies", base);
	if (mkdir(path, 0755) < 0 || write_policy_file(path, "users/" DRA ".conf", "\n") < 0)
		exit(99);
	/* PAM: the distribution's own files, with the lines README documents. */
	if (sh_quiet(
		    "set -e; d=%s/good/pam.d; mkdir -m 0755 $d; cd /etc/pam.d; "
		    "for f in sshd login su su-l common-* systemd-user cron atd; do "
		    "  [ -f $f ] && cp $f $d/; done; "
		    /* Debian's systemd-user and cron, for hosts without systemd or cron. */
		    "[ -f $d/systemd-user ] || printf '@include common-account\\n"
		    "session required pam_selinux.so close\\nsession required pam_loginuid.so\\n"
		    "session required pam_limits.so\\n@include common-session-noninteractive\\n"
		    "session optional pam_systemd.so\\n' > $d/systemd-user; "
		    "[ -f $d/cron ] || printf '@include common-auth\\n"
		    "session required pam_loginuid.so\\n@include common-session-noninteractive\\n"
		    "session required pam_limits.so\\n' > $d/cron; "
		    "for f in sshd login su su-l; do [ -f $d/$f ] || continue; "
		    "  printf '\\naccount required pam_jaild.so\\n"
		    "session required pam_jaild.so\\n' >> $d/$f; done; "
		    "for f in systemd-user cron atd; do [ -f $d/$f ] || continue; "
		    "  printf '\\naccount required pam_jaild.so\\n' >> $d/$f; done; "
		    "sed -i 's/user_readenv=1/user_readenv=0/' $d/*",
		    base) != 0)
		exit(99);
	/* sshd: the machine's config with the documented settings; first value wins, so the
	 * globals come first, and Subsystem may be defined once. */
	if (sh_quiet("set -e; ssh-keygen -q -t ed25519 -N '' -f %s/hostkey; "
		     "{ printf 'HostKey %s/hostkey\\nUsePAM yes\\nPermitUserEnvironment no\\n"
		     "Subsystem sftp /usr/lib/openssh/sftp-server\\n'; "
		     "  grep -iv '^[[:space:]]*subsystem' /etc/ssh/sshd_config || true; "
		     "  printf '\\nMatch Group %s\\n    DisableForwarding yes\\n"
		     "    AllowTcpForwarding no\\n    AllowStreamLocalForwarding no\\n"
		     "    AllowAgentForwarding no\\n    X11Forwarding no\\n    PermitTunnel no\\n"
		     "    PermitUserRC no\\n    AuthorizedKeysFile %s/keys/%%%%u\\n'; "
		     "} > %s/good/sshd_config",
		     base, base, GROUP, w, base) != 0)
		exit(99);
	if (sh_quiet("set -e; cd %s/good; grep -v rshell /etc/shells > shells || true; "
		     "mkdir -m 0755 linger keys",
		     base) != 0)
		exit(99);
}

static void make_users(void)
{
	const char *const jailed[] = { DRA, DRB };

	(void) sh_quiet("for u in %s %s %s; do userdel $u; done >/dev/null 2>&1; "
			"groupdel %s >/dev/null 2>&1; true",
			DRA, DRB, DRX, GROUP);
	if (sh_quiet("groupadd %s && mkdir -m 0755 %s/home", GROUP, base) != 0)
		exit(99);
	for (size_t i = 0; i < 2; i++)
		if (sh_quiet("useradd -M -d %s/home/%s -s %s -G %s -U %s", base, jailed[i], rshell,
			     GROUP, jailed[i]) != 0)
			exit(99);
	/* Not jailed: a home of its own with a hook file in it, which doctor leaves alone. */
	if (sh_quiet("useradd -M -d %s/home/%s -s /bin/bash -U %s && mkdir %s/home/%s && "
		     "touch %s/home/%s/.pam_environment && chown -R %s: %s/home/%s",
		     base, DRX, DRX, base, DRX, base, DRX, DRX, base, DRX) != 0)
		exit(99);
}

/* Before each test: a fresh copy of the good world and the users as enrolled. */
static void reset_world(void)
{
	shx("rm -rf %s && cp -a %s/good %s", w, base, w);
	for (int i = 0; i < 2; i++) {
		const char *u = i ? DRB : DRA;
		shx("usermod -s %s -G %s %s && rm -rf %s/home/%s && mkdir -m 0755 %s/home/%s",
		    rshell, GROUP, u, base, u, base, u);
	}
}

/* ---- tests ---- */

START_TEST(test_clean)
{
	char *out;
	int code = doctor(&out);

	ck_assert_msg(code == 0, "doctor exited %d:\n%s", code, out);
	ck_assert_msg(strstr(out, "doctor: clean: 2 jailed users checked\n"), "%s", out);
	free(out);
	code = doctor_opts(&out, "--no-daemon --json");
	ck_assert_msg(code == 0, "%s", out);
	ck_assert_msg(strncmp(out, "{\"clean\": true, \"problems\": [], \"users\": [", 41) == 0,
		      "%s", out);
	ck_assert_msg(strstr(out, "\"" DRA "\"") && strstr(out, "\"" DRB "\""), "%s", out);
	ck_assert_msg(!strstr(out, DRX), "an unjailed user was audited: %s", out);
	free(out);
}
END_TEST

START_TEST(test_usage)
{
	char *out;

	ck_assert_int_eq(run_capture(&out, "%s doctor --bogus", jailctl), 2);
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s doctor extra", jailctl), 2);
	free(out);
	ck_assert_int_eq(run_capture(&out, "%s doctor --help", jailctl), 0);
	ck_assert_msg(strstr(out, "usage: jailctl doctor") && strstr(out, "--linger-dir"), "%s",
		      out);
	free(out);
}
END_TEST

START_TEST(test_shells_lists_rshell)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/shells", w);
	shx("echo %s >> %s", rshell, path);
	expect_finding("jailctl doctor: %s:%d: lists rshell", path, nlines(path));
}
END_TEST

START_TEST(test_linger)
{
	shx("touch %s/linger/%s", w, DRA);
	expect_finding("jailctl doctor: %s/linger/%s: lingering is on for %s, so systemd starts "
		       "their user manager at boot, outside the jail; run loginctl "
		       "disable-linger %s",
		       w, DRA, DRA, DRA);
}
END_TEST

START_TEST(test_home_owned_by_user)
{
	shx("chown %s %s/home/%s", DRA, base, DRA);
	expect_finding("jailctl doctor: %s: %s/home/%s is owned by uid", DRA, base, DRA);
}
END_TEST

START_TEST(test_home_user_systemd_units)
{
	shx("mkdir -p %s/home/%s/.config/systemd/user && chown %s %s/home/%s/.config/systemd/user",
	    base, DRA, DRA, base, DRA);
	expect_finding("jailctl doctor: %s: %s/home/%s/.config/systemd/user is owned by uid %u: "
		       "host services running as %s read the passwd home, and these hook files "
		       "are there: .config/systemd/user;",
		       DRA, base, DRA, (unsigned) getpwnam(DRA)->pw_uid, DRA);
}
END_TEST

/* A root-owned .pam_environment is not the user's to write, and user_readenv=0 ignores it:
 * no finding.  A root-owned .forward is still run by the MTA as the user: a finding. */
START_TEST(test_home_root_owned_hooks)
{
	char *out;
	int code;

	shx("echo 'LD_PRELOAD=/x' > %s/home/%s/.pam_environment", base, DRA);
	code = doctor(&out);
	ck_assert_msg(code == 0, "doctor exited %d:\n%s", code, out);
	free(out);
	shx("echo '|/bin/true' > %s/home/%s/.forward", base, DRA);
	expect_finding("jailctl doctor: %s: %s/home/%s/.forward is root's, but the MTA still runs "
		       "it as %s outside the jail; remove it",
		       DRA, base, DRA, DRA);
}
END_TEST

START_TEST(test_pam_session_missing)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/pam.d/sshd", w);
	shx("sed -i '/^session required pam_jaild.so$/d' %s", path);
	expect_finding("jailctl doctor: %s: no pam_jaild.so session line, so sshd sessions of "
		       "jailed users are not jailed; add `session required pam_jaild.so` as the "
		       "last session line",
		       path);
}
END_TEST

START_TEST(test_pam_account_missing)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/pam.d/login", w);
	shx("sed -i '/^account required pam_jaild.so$/d' %s", path);
	expect_finding("jailctl doctor: %s: no pam_jaild.so account line", path);
}
END_TEST

START_TEST(test_pam_session_before_env)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/pam.d/sshd", w);
	ck_assert_msg(line_of(path, "pam_env.so"), "the machine's sshd stack has no pam_env.so");
	shx("sed -i '/^session required pam_jaild.so$/d; 1i session required pam_jaild.so' %s",
	    path);
	expect_finding("jailctl doctor: %s:1: pam_jaild.so runs before pam_env.so (%s:%d)", path,
		       path, line_of(path, "pam_env.so"));
}
END_TEST

START_TEST(test_pam_sufficient_first)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/pam.d/sshd", w);
	shx("sed -i '1i account sufficient pam_permit.so' %s", path);
	expect_finding("jailctl doctor: %s:1: 'account sufficient pam_permit.so' ends the account "
		       "stack on success before pam_jaild.so (%s:%d) runs; make it required or "
		       "move pam_jaild.so above it",
		       path, path, line_of(path, "account required pam_jaild.so"));
}
END_TEST

START_TEST(test_pam_user_readenv)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/pam.d/login", w);
	shx("sed -i '1i session required pam_env.so user_readenv=1' %s", path);
	expect_finding("jailctl doctor: %s:1: pam_env.so reads ~/.pam_environment "
		       "(user_readenv=1); set user_readenv=0",
		       path);
}
END_TEST

START_TEST(test_pam_systemd_user)
{
	char path[400], common[400];
	char *out;
	int code;

	snprintf(path, sizeof(path), "%s/pam.d/systemd-user", w);
	snprintf(common, sizeof(common), "%s/pam.d/common-session", w);
	shx("sed -i '/^account required pam_jaild.so$/d' %s", path);
	code = doctor(&out);
	ck_assert_msg(code == 1, "%s", out);
	assert_has(out, "jailctl doctor: %s: no pam_jaild.so account line, so a jailed user's "
			"systemd --user and its units would run outside the jail",
		   path);
	/* Debian's common-session starts the user manager at every login. */
	if (access(common, F_OK) == 0 && line_of(common, "pam_systemd.so"))
		assert_has(out, "(pam_systemd.so at %s:%d starts it at every login)", common,
			   line_of(common, "pam_systemd.so"));
	free(out);
}
END_TEST

START_TEST(test_pam_cron)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/pam.d/cron", w);
	shx("sed -i '/^account required pam_jaild.so$/d' %s", path);
	expect_finding("jailctl doctor: %s: no pam_jaild.so account line, so a jailed user's cron "
		       "jobs would run outside the jail; add `account required pam_jaild.so`",
		       path);
}
END_TEST

START_TEST(test_not_in_group)
{
	shx("gpasswd -d %s %s >/dev/null", DRA, GROUP);
	expect_finding("jailctl doctor: %s: not in group %s, so sshd's `Match Group %s` block does "
		       "not apply; run jailctl enroll %s",
		       DRA, GROUP, GROUP, DRA);
}
END_TEST

START_TEST(test_group_missing)
{
	char *out;
	int code = doctor_opts(&out, "--no-daemon --group corral-drnone");

	ck_assert_msg(code == 1, "%s", out);
	assert_has(out, "jailctl doctor: group corral-drnone: group corral-drnone does not exist, "
			"so sshd's `Match Group corral-drnone` block applies to no one;");
	/* One line for the group, not one per user. */
	assert_has(out, "doctor: 1 problem found\n");
	free(out);
}
END_TEST

START_TEST(test_shell_not_rshell)
{
	shx("usermod -s /bin/bash %s", DRB);
	expect_finding("jailctl doctor: %s: login shell is /bin/bash, not rshell, so a login runs "
		       "outside the jail; run jailctl enroll %s",
		       DRB, DRB);
}
END_TEST

START_TEST(test_sshd_user_rc)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/sshd_config", w);
	shx("sed -i '/PermitUserRC no/d' %s", path);
	expect_finding("jailctl doctor: %s: PermitUserRC is yes for %s, so sshd runs what the user "
		       "set up outside the jail; set `PermitUserRC no` in the `Match Group %s` "
		       "block",
		       path, DRA, GROUP);
}
END_TEST

START_TEST(test_sshd_forwarding)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/sshd_config", w);
	shx("sed -i '/DisableForwarding yes/d; /    X11Forwarding no/d; 1i X11Forwarding yes' %s",
	    path);
	expect_finding("jailctl doctor: %s:1: X11Forwarding is yes for %s, which lets a session "
		       "reach the host outside the jail; set `DisableForwarding yes` and "
		       "`X11Forwarding no` in the `Match Group %s` block",
		       path, DRB, GROUP);
}
END_TEST

START_TEST(test_sshd_internal_sftp)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/sshd_config", w);
	shx("sed -i 's|^Subsystem sftp .*|Subsystem sftp internal-sftp|' %s", path);
	expect_finding("jailctl doctor: %s:%d: Subsystem sftp is internal-sftp, which runs inside "
		       "sshd on the host as %s, outside the jail; set `Subsystem sftp "
		       "/usr/lib/openssh/sftp-server`",
		       path, line_of(path, "internal-sftp"), DRA);
}
END_TEST

/* ForceCommand internal-sftp through another Match block: sftp inside sshd, on the host. */
START_TEST(test_sshd_force_command)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/sshd_config", w);
	shx("printf 'Match User %s\n    ForceCommand internal-sftp\n' >> %s", DRA, path);
	expect_finding("jailctl doctor: %s:%d: ForceCommand internal-sftp applies to %s: sshd runs "
		       "it on the host instead of the login shell, outside the jail; remove it for "
		       "jailed users",
		       path, line_of(path, "ForceCommand"), DRA);
}
END_TEST

START_TEST(test_sshd_keys_relative)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/sshd_config", w);
	shx("sed -i 's|AuthorizedKeysFile .*|AuthorizedKeysFile %s/keys/%%u "
	    ".ssh/authorized_keys|' %s",
	    w, path);
	expect_finding("jailctl doctor: %s:%d: AuthorizedKeysFile .ssh/authorized_keys is in %s's "
		       "home, which host sshd reads as %s; set `AuthorizedKeysFile %s/keys/%%u`",
		       path, line_of(path, ".ssh/authorized_keys"), DRA, DRA, w);
}
END_TEST

START_TEST(test_sshd_keys_writable)
{
	shx("touch %s/keys/%s && chown %s %s/keys/%s", w, DRB, DRB, w, DRB);
	expect_finding("jailctl doctor: %s: %s/keys/%s (from AuthorizedKeysFile %s/keys/%%u) is "
		       "writable by %s",
		       DRB, w, DRB, w, DRB);
}
END_TEST

START_TEST(test_sshd_fails)
{
	char *out;
	int code;

	shx("echo 'NoSuchKeyword yes' >> %s/sshd_config", w);
	expect_finding("jailctl doctor: %s/sshd_config: sshd -T for %s failed: ", w, DRA);
	expect_finding("Bad configuration option: NoSuchKeyword; fix sshd_config");
	code = doctor_opts(&out, "--no-daemon --sshd /nonexistent/sshd");
	ck_assert_msg(code == 1, "%s", out);
	assert_has(out, "jailctl doctor: /nonexistent/sshd: cannot run /nonexistent/sshd: No such "
			"file or directory; install openssh-server or pass --sshd PATH");
	free(out);
}
END_TEST

START_TEST(test_daemon_unreachable)
{
	char *out, extra[600];
	int code;

	snprintf(extra, sizeof(extra), "--socket %s/missing.sock", w);
	code = doctor_opts(&out, extra);
	ck_assert_msg(code == 1, "%s", out);
	assert_has(out, "jailctl doctor: jaild: cannot reach jaild at %s/missing.sock: No such "
			"file or directory;",
		   w);
	ck_assert_msg(strstr(out, "doctor: 1 problem found\n"), "%s", out);
	free(out);
}
END_TEST

/* A stand-in jaild that answers one STATUS: doctor must count that as reachable. */
START_TEST(test_daemon_answers)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *out, extra[600];
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), code, status;
	pid_t pid;

	ck_assert_int_lt(strlen(w) + 10, sizeof(sa.sun_path));
	memcpy(sa.sun_path, w, strlen(w));
	memcpy(sa.sun_path + strlen(w), "/fake.sock", 11);
	ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct proto_msg q, r;
		const char *why;
		int c;
		alarm(10); /* doctor never came: fail, not hang */
		c = accept(fd, NULL, NULL);
		if (c < 0 || proto_recv(c, &q, &why) < 0 || q.type != MSG_STATUS)
			_exit(1);
		proto_msg_init(&r, MSG_STATUS_REPLY);
		r.text = (char *) "corral test";
		_exit(proto_send(c, &r) < 0 ? 1 : 0);
	}
	close(fd);
	snprintf(extra, sizeof(extra), "--socket %s", sa.sun_path);
	code = doctor_opts(&out, extra);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(code == 0, "doctor exited %d:\n%s", code, out);
	/* The stand-in saw a STATUS request and answered it. */
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "no STATUS came: %d", status);
	free(out);
}
END_TEST

/* A disk limit on a filesystem that enforces no quota: jaild would refuse the jail. */
START_TEST(test_quota_unenforceable)
{
	char path[400], why[256];
	enum quota_kind kind = QUOTA_NONE;

	snprintf(path, sizeof(path), "%s/policies/users/%s.conf", w, DRA);
	shx("printf 'limits = { disk = \"1G\"; };\n' > %s", path);
	(void) quota_probe_path("/home/.corral/" DRA, &kind, why, sizeof(why)); /* its jail.home */
	if (kind != QUOTA_NONE) { /* a host with quotas: nothing to report */
		char *out;
		ck_assert_msg(doctor(&out) == 0, "%s", out);
		free(out);
		return;
	}
	expect_finding("jailctl doctor: %s:1: limits.disk cannot be enforced here (first for %s):",
		       path, DRA);
	/* With limits.quota_optional the admin chose to go without: not a finding. */
	shx("printf 'limits = { disk = \"1G\"; quota_optional = true; };\n' > %s", path);
	{
		char *out;
		ck_assert_msg(doctor(&out) == 0, "%s", out);
		free(out);
	}
}
END_TEST

START_TEST(test_policy_broken)
{
	char path[400], *out;
	int code;

	snprintf(path, sizeof(path), "%s/policies/users/%s.conf", w, DRA);
	shx("echo 'jail = { bogus = 1; };' > %s", path);
	expect_finding("jailctl doctor: %s:1: jail.bogus: unknown key", path);
	code = doctor_opts(&out, "--no-daemon --json");
	ck_assert_msg(code == 1, "%s", out);
	assert_has(out, "{\"check\": \"policy\", \"file\": \"%s\", \"line\": 1, \"user\": null, "
			"\"message\": \"jail.bogus: unknown key",
		   path);
	ck_assert_msg(strstr(out, "{\"clean\": false, "), "%s", out);
	free(out);
}
END_TEST

/* JSON strings are escaped: a linger directory whose name holds a quote and a backslash. */
START_TEST(test_json_escaping)
{
	char *out, extra[600];
	int code;

	shx("mkdir '%s/lin\"g\\er' && touch '%s/lin\"g\\er/%s'", w, w, DRA);
	snprintf(extra, sizeof(extra), "--no-daemon --json --linger-dir '%s/lin\"g\\er'", w);
	code = doctor_opts(&out, extra);
	ck_assert_msg(code == 1, "%s", out);
	assert_has(out, "{\"check\": \"linger\", \"file\": \"%s/lin\\\"g\\\\er/%s\", "
			"\"line\": null, \"user\": \"%s\", \"message\": \"lingering is on for %s",
		   w, DRA, DRA, DRA);
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("doctor");
	TCase *tc = tcase_create("doctor");
	char path[1024];
	int code;

	if (geteuid() != 0) {
		printf("SKIP: the doctor tests need root (users, sshd -T, home audits)\n");
		return 77;
	}
	if (access("/usr/sbin/sshd", X_OK) != 0 || system("command -v ssh-keygen >/dev/null")) {
		printf("SKIP: openssh-server is needed (sshd -T)\n");
		return 77;
	}
	snprintf(jailctl, sizeof(jailctl), "%s/jailctl/jailctl", env_or("top_builddir", "."));
	snprintf(path, sizeof(path), "%s/rshell/rshell", env_or("top_builddir", "."));
	if (!realpath(path, rshell))
		snprintf(rshell, sizeof(rshell), "/usr/local/bin/rshell");
	snprintf(base, sizeof(base), "/var/tmp/corral-dr-XXXXXX");
	if (!mkdtemp(base) || chmod(base, 0755) < 0)
		return 99;
	snprintf(w, sizeof(w), "%s/w", base);
	snprintf(path, sizeof(path), "%s/good", base);
	if (mkdir(path, 0755) < 0)
		return 99;
	make_users();
	make_good_world();
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, reset_world, NULL);
	tcase_add_test(tc, test_clean);
	tcase_add_test(tc, test_usage);
	tcase_add_test(tc, test_shells_lists_rshell);
	tcase_add_test(tc, test_linger);
	tcase_add_test(tc, test_quota_unenforceable);
	tcase_add_test(tc, test_home_owned_by_user);
	tcase_add_test(tc, test_home_user_systemd_units);
	tcase_add_test(tc, test_home_root_owned_hooks);
	tcase_add_test(tc, test_pam_session_missing);
	tcase_add_test(tc, test_pam_account_missing);
	tcase_add_test(tc, test_pam_session_before_env);
	tcase_add_test(tc, test_pam_sufficient_first);
	tcase_add_test(tc, test_pam_user_readenv);
	tcase_add_test(tc, test_pam_systemd_user);
	tcase_add_test(tc, test_pam_cron);
	tcase_add_test(tc, test_not_in_group);
	tcase_add_test(tc, test_group_missing);
	tcase_add_test(tc, test_shell_not_rshell);
	tcase_add_test(tc, test_sshd_user_rc);
	tcase_add_test(tc, test_sshd_forwarding);
	tcase_add_test(tc, test_sshd_internal_sftp);
	tcase_add_test(tc, test_sshd_keys_relative);
	tcase_add_test(tc, test_sshd_keys_writable);
	tcase_add_test(tc, test_sshd_fails);
	tcase_add_test(tc, test_daemon_unreachable);
	tcase_add_test(tc, test_daemon_answers);
	tcase_add_test(tc, test_policy_broken);
	tcase_add_test(tc, test_json_escaping);
	tcase_add_test(tc, test_sshd_force_command);
	suite_add_tcase(s, tc);
	code = run_suite(s);
	/* Whatever happened above: the users, the group and the world go. */
	(void) sh_quiet("for u in %s %s %s; do userdel $u; done; groupdel %s 2>/dev/null; "
			"rm -rf '%s'",
			DRA, DRB, DRX, GROUP, base);
	return code;
}
