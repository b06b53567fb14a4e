// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * A caller's terminal never enters a jail in stdio mode, as root, end to end: jaild refuses a
 * terminal fd sent in a SPAWN or EXEC request, and jailctl exec and rshell -c, when only some of
 * their fds 0-2 are terminals, relay those through pipes.  The attack: a jailed process keeps
 * the admin's terminal after jailctl exec returned and reads what the admin types next.  The
 * terminals are tmux panes (real ptys); the users are corral-rl*, made here and removed after.
 */
#include "harness.h"

#include <poll.h>
#include <sys/socket.h>

#include "client.h"
#include "fd-util.h"
#include "proto.h"

#define UA "corral-rla"
#define UB "corral-rlb" /* never used but for the refusals: it must get no jail */
#define ADMIN_GROUP "corral-rladm"
#define REFUSAL "stdio mode takes no terminal"
#define LOGGED "is a terminal in stdio mode"

/* What the jailed side writes (outputs, stolen bytes) goes to /loot, a directory of UA's bound
 * read-write; the test reads it on the host at loot. */
static char loot[600];

static void write_policy(const char *home)
{
	char content[4096];

	snprintf(content, sizeof(content),
		 "match = { all = true; };\n"
		 "jail = {\n"
		 "\tbinds = ( { src = \"/usr\"; }, { src = \"/bin\"; }, { src = \"/lib\"; },\n"
		 "\t\t{ src = \"/lib64\"; optional = true; }, { src = \"/sbin\"; },\n"
		 "\t\t{ src = \"%s\"; dst = \"/loot\"; ro = false; }%s );\n%s"
		 "\thostname = \"jail-%%u\";\n\ttmp = \"8M\";\n\tnetwork = \"none\";\n"
		 "\tetc = [\"ld.so.cache\", \"nsswitch.conf\"];\n};\n"
		 "limits = { pids = 32; memory = \"64M\"; };\n"
		 /* A jail outlives its last session a while: what its processes left running
		  * may still hold what they were given. */
		 "session = { linger = \"30s\"; };\n"
		 "shell = { program = \"/bin/sh\"; };\n",
		 loot, home ? "" : ", { src = \"%h\"; ro = false; }", home ? home : "");
	if (write_policy_file(policies, "default.conf", content) < 0)
		exit(99);
}

static void global_setup(void)
{
	char home[600], cmd[2048];

	harness_setup("rl", ADMIN_GROUP);
	make_user(UA, "");
	make_user(UB, "");
	snprintf(loot, sizeof(loot), "%s/loot", base);
	sh("mkdir -m 0700 %s && chown %s: %s", loot, UA, loot);
	/* Where policies have jail.home, the passwd home is root's and the user's files live in
	 * the jail home; elsewhere the home is bound as %h.  Either way works here. */
	snprintf(home, sizeof(home), "\thome = \"%s/jhome/%%u\";\n", base);
	write_policy(home);
	snprintf(cmd, sizeof(cmd), "%s check --no-users %s >/dev/null 2>&1", jailctl, policies);
	if (system(cmd) == 0) {
		sh("chown root: %s/home/%s %s/home/%s", base, UA, base, UB);
		sh("mkdir -p %s/jhome && for u in %s %s; do mkdir -p %s/jhome/$u && chown $u: "
		   "%s/jhome/$u; done",
		   base, UA, UB, base, base);
	} else {
		write_policy(NULL);
	}
	jaild_pid = start_jaild();
}

static bool global_teardown(bool failed)
{
	static const char *const users[] = { UA, UB, NULL };

	return harness_teardown(failed, users);
}

/* After each test, in the runner process, however the test ended: its terminals go, and the
 * jails it left (they linger 30 s, holding whatever their processes were given). */
static void restore(void)
{
	sh("tmux kill-server >/dev/null 2>&1; true");
	ensure_jaild();
	sh("for u in %s %s; do %s kill --socket %s $u; done >/dev/null 2>&1; true", UA, UB, jailctl,
	   sock);
}

/* Runs body (sh) in a new tmux pane called name, a real terminal; the pane stays a minute. */
static void pane_script(const char *name, const char *body)
{
	char path[600], *out;

	if (system("command -v tmux >/dev/null") != 0)
		ck_abort_msg("tmux is needed (scripts/test installs it)");
	snprintf(path, sizeof(path), "%s/%s.sh", base, name);
	put_file(base, strrchr(path, '/') + 1, body);
	run_capture(&out, "tmux kill-session -t %s", name);
	free(out);
	ck_assert_int_eq(run_capture(&out, "tmux new-session -d -s %s -x 120 -y 30 \"sh %s; %s\"",
				     name, path, "sleep 60"),
			 0);
	free(out);
}

static void pane_end(const char *name)
{
	char *out;

	run_capture(&out, "tmux kill-session -t %s", name);
	free(out);
}

/* The attack, through a command line prefix (jailctl exec USER -- /bin/sh -c, or rshell -c as
 * the user, whose policy's shell is /bin/sh): a background process keeps fd 0 and, a second
 * after the caller returned, reads up to 40 bytes of it (dd, not head -c 40: head buffers its
 * output until it has all 40).  The line typed after the return must reach the pane's own
 * shell, not that process. */
static void attack(const char *name, const char *prefix, const char *stolen_name)
{
	char body[8192], stolen[1024], *out;

	snprintf(stolen, sizeof(stolen), "%s/%s", loot, stolen_name);
	(void) unlink(stolen);
	snprintf(body, sizeof(body),
		 "%s 'exec 3<&0; (sleep 1; dd bs=40 count=1 <&3 > /loot/%s 2>/dev/null) & exit 0' "
		 "> %s/%s.out\n"
		 "echo CALLER-EXIT=$?\n"
		 /* The shell does not read the terminal for a while: only the thief could. */
		 "sleep 4\n"
		 "read line\n"
		 "echo \"SHELL-GOT=$line\"\n",
		 prefix, stolen_name, base, name);
	pane_script(name, body);
	free(wait_for(name, "CALLER-EXIT=0"));
	usleep(1500000); /* the thief reads by now */
	keys(name, "'secret-rl-line' Enter");
	usleep(1500000);
	out = read_log(stolen); /* NULL when absent or empty */
	ck_assert_msg(!out, "the jailed process read the caller's terminal: '%s'", out);
	free(out);
	out = wait_for(name, "SHELL-GOT=secret-rl-line");
	free(out);
	pane_end(name);
}

START_TEST(test_attack_jailctl_exec)
{
	char prefix[4096];

	snprintf(prefix, sizeof(prefix), "%s exec --socket %s %s -- /bin/sh -c", jailctl, sock, UA);
	attack("rla1", prefix, "stolen-jailctl");
}
END_TEST

START_TEST(test_attack_rshell_c)
{
	char prefix[4096];

	snprintf(prefix, sizeof(prefix), "runuser -u %s -- env CORRAL_SOCKET=%s %s -c", UA,
		 sock, rshell_bin);
	attack("rla2", prefix, "stolen-rshell");
}
END_TEST

/* One request with fds attached, sent as uid (0: root); returns the reply (the caller clears
 * it).  The request is made in a child that becomes uid, which sends the reply's type, code and
 * text back through a pipe. */
static void request_as(uid_t uid, struct proto_msg *q, struct proto_msg *ret)
{
	char buf[1200];
	int p[2];
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		struct proto_msg r;
		const char *why = NULL;
		int fd;

		close(p[0]);
		if (uid && (setgid(uid) < 0 || setuid(uid) < 0))
			_exit(1);
		fd = jaild_connect(sock, 5000);
		if (fd < 0 || jaild_call(fd, q, &r, &why) < 0)
			_exit(2);
		n = snprintf(buf, sizeof(buf), "%u %u %s", r.type, r.code, r.text ? r.text : "");
		(void) !write(p[1], buf, (size_t) n);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	waitpid(pid, NULL, 0);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	proto_msg_init(ret, 0);
	{
		unsigned type, code;
		int off = 0;
		ck_assert_int_eq(sscanf(buf, "%u %u %n", &type, &code, &off), 2);
		ret->type = (uint16_t) type;
		ret->code = code;
		ret->text = strdup(buf + off);
	}
}

/* How many times jaild's log says text. */
static size_t log_count(const char *text)
{
	char *log = jaild_log();
	size_t n = count_text(log, text);

	free(log);
	return n;
}

/* jaild itself refuses a terminal in stdio mode: a pty slave as fd 0 of an admin's EXEC, a pty
 * master as fd 2 of a user's SPAWN.  Nothing is spawned, no jail is made, one NOTICE each. */
START_TEST(test_jaild_refuses_terminal_fds)
{
	char *argv[] = { (char *) "/bin/true", NULL };
	struct proto_msg q, r;
	int master, slave, null, before = log_count(LOGGED);

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(slave, 0);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(null, 0);

	jaild_exec_msg(&q, UB, argv, null);
	q.fds[0] = slave;
	request_as(0, &q, &r);
	ck_assert_msg(r.type == MSG_ERROR, "EXEC with a terminal as fd 0 got %s",
		      proto_type_name(r.type));
	ck_assert_str_eq(r.text, "corral: " REFUSAL " (fd 0 is one); use a pty or pipes");
	proto_msg_clear(&r);

	proto_msg_init(&q, MSG_SPAWN);
	q.mode = SPAWN_STDIO;
	q.session = (char *) "";
	q.command = (char *) "true";
	q.term = (char *) "";
	q.fds[0] = null, q.fds[1] = null, q.fds[2] = master;
	q.nfds = 3;
	request_as(uid_of(UB), &q, &r);
	ck_assert_msg(r.type == MSG_ERROR, "SPAWN with a terminal as fd 2 got %s",
		      proto_type_name(r.type));
	ck_assert_str_eq(r.text, "corral: " REFUSAL " (fd 2 is one); use a pty or pipes");
	proto_msg_clear(&r);
	close(master);
	close(slave);

	/* Pipes and files still pass. */
	q.fds[2] = null;
	request_as(uid_of(UB), &q, &r);
	ck_assert_msg(r.type == MSG_SPAWNED, "SPAWN with /dev/null got %s: %s",
		      proto_type_name(r.type), r.text ? r.text : "");
	proto_msg_clear(&r);
	close(null);

	ck_assert_int_eq(log_count(LOGGED), before + 2);
}
END_TEST

/* Before the SPAWN that passed, no jail of UB was listed: checked in a test of its own, first. */
START_TEST(test_refused_makes_no_jail)
{
	char *argv[] = { (char *) "/bin/true", NULL };
	struct proto_msg q, r;
	char *out;
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), null = open("/dev/null", O_RDWR);

	ck_assert_int_ge(master, 0);
	jaild_exec_msg(&q, UB, argv, null);
	q.fds[1] = master;
	request_as(0, &q, &r);
	ck_assert_int_eq(r.type, MSG_ERROR);
	proto_msg_clear(&r);
	close(master);
	close(null);
	ck_assert_int_eq(run_capture(&out, "%s list --socket %s", jailctl, sock), 0);
	ck_assert_msg(!strstr(out, UB), "a refused request made a jail:\n%s", out);
	free(out);
}
END_TEST

/* Typed lines go through the relay to the jailed cat, ^D ends them, and nothing else. */
START_TEST(test_relay_stdin)
{
	char body[8192], path[600], *out;

	snprintf(path, sizeof(path), "%s/rlc1.out", base);
	snprintf(body, sizeof(body),
		 "%s exec --socket %s %s -- /bin/cat > %s\necho CALLER-EXIT=$?\n"
		 "runuser -u %s -- env CORRAL_SOCKET=%s %s -c cat > %s.rshell\n"
		 "echo RSHELL-EXIT=$?\n",
		 jailctl, sock, UA, path, UA, sock, rshell_bin, path);
	pane_script("rlc1", body);
	usleep(1000000);
	keys("rlc1", "'line one' Enter");
	keys("rlc1", "'line two' Enter");
	keys("rlc1", "C-d");
	free(wait_for("rlc1", "CALLER-EXIT=0"));
	out = read_all(path);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "line one\nline two\n");
	free(out);
	usleep(1000000);
	keys("rlc1", "'via rshell' Enter");
	keys("rlc1", "C-d");
	free(wait_for("rlc1", "RSHELL-EXIT=0"));
	strcat(path, ".rshell");
	out = read_all(path);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "via rshell\n");
	free(out);
	pane_end("rlc1");
}
END_TEST

/* The jailed process sees pipes where the caller has terminals, its output to the terminal
 * arrives, and its status comes back. */
START_TEST(test_relay_output_and_status)
{
	char body[8192], path[600], *out;

	snprintf(path, sizeof(path), "%s/rlc2.out", base);
	snprintf(body, sizeof(body),
		 "%s exec --socket %s %s -- /bin/sh -c 'for f in 0 1 2; do test -t $f && echo "
		 "tty$f; done; echo to-stderr-$((6*7)) >&2; exit 7' > %s\necho CALLER-EXIT=$?\n"
		 "%s exec --socket %s %s -- /bin/sh -c 'for f in 0 1 2; do test -t $f && echo "
		 "tty$f >&2; done; echo to-stdout-$((7*7)); echo to-stderr-$((8*8)) >&2' "
		 "</dev/null\necho SECOND-EXIT=$?\n",
		 jailctl, sock, UA, path, jailctl, sock, UA);
	pane_script("rlc2", body);
	out = wait_for("rlc2", "CALLER-EXIT=");
	ck_assert_msg(strstr(out, "to-stderr-42\nCALLER-EXIT=7\n"), "%s", out);
	free(out);
	out = read_log(path); /* NULL when empty */
	ck_assert_msg(!out, "the jailed process saw a terminal: %s", out);
	free(out);
	out = wait_for("rlc2", "SECOND-EXIT=");
	ck_assert_msg(strstr(out, "\nto-stdout-49\n") && strstr(out, "\nto-stderr-64\n") &&
			      strstr(out, "SECOND-EXIT=0\n") && !strstr(out, "\ntty"),
		      "%s", out);
	free(out);
	pane_end("rlc2");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("relay");
	int code;

	if (geteuid() != 0) {
		printf("SKIP: the relay tests need root (jails, users, terminals)\n");
		return 77;
	}
	global_setup();
	/* A case each, with restore() after it: a failed test's panes and jails never reach the
	 * next one. */
	add_test_cleanup(s, test_refused_makes_no_jail, restore);
	add_test_cleanup(s, test_jaild_refuses_terminal_fds, restore);
	add_test_cleanup(s, test_attack_jailctl_exec, restore);
	add_test_cleanup(s, test_attack_rshell_c, restore);
	add_test_cleanup(s, test_relay_stdin, restore);
	add_test_cleanup(s, test_relay_output_and_status, restore);
	code = run_suite(s);
	if (global_teardown(code != EXIT_SUCCESS))
		code = EXIT_FAILURE;
	return code;
}
