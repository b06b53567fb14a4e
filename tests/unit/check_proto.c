// SPDX-License-Identifier: GPL-3.0-or-later
/* The wire codec: every type round-trips, and strict decoding refuses what it must. */
#include "testutil.h"

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "fd-util.h"
#include "proto.h"
#include "strv.h"

static int roundtrip(const struct proto_msg *in, struct proto_msg *out, int *fds, size_t nfds)
{
	static uint8_t buf[PROTO_MAX];
	const char *why = NULL;
	ssize_t n = proto_encode(in, buf, sizeof(buf));

	ck_assert_int_gt(n, 0);
	return proto_decode(buf, (size_t) n, fds, nfds, out, &why);
}

START_TEST(test_open_session_roundtrip)
{
	struct proto_msg in, out;

	proto_msg_init(&in, MSG_OPEN_SESSION);
	in.user = (char *) "ann";
	in.service = (char *) "sshd";
	in.tty = (char *) "ssh";
	in.rhost = (char *) "192.0.2.1";
	in.pid = 4242;
	ck_assert_int_eq(roundtrip(&in, &out, NULL, 0), 0);
	ck_assert_int_eq(out.type, MSG_OPEN_SESSION);
	ck_assert_str_eq(out.user, "ann");
	ck_assert_str_eq(out.service, "sshd");
	ck_assert_str_eq(out.tty, "ssh");
	ck_assert_str_eq(out.rhost, "192.0.2.1");
	ck_assert_int_eq(out.pid, 4242);
	proto_msg_clear(&out);
}
END_TEST

START_TEST(test_exec_roundtrip_with_fds)
{
	char *argv[] = { (char *) "/bin/echo", (char *) "a b", (char *) "", NULL };
	struct proto_msg in, out;
	int fds[3];

	for (int i = 0; i < 3; i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	proto_msg_init(&in, MSG_EXEC);
	in.user = (char *) "bob";
	in.mode = SPAWN_STDIO;
	in.argv = argv;
	in.term = (char *) "xterm";
	in.rows = 50;
	in.cols = 132;
	ck_assert_int_eq(roundtrip(&in, &out, fds, 3), 0);
	ck_assert_int_eq(strv_length(out.argv), 3);
	ck_assert_str_eq(out.argv[1], "a b");
	ck_assert_str_eq(out.argv[2], "");
	ck_assert_int_eq(out.rows, 50);
	ck_assert_int_eq(out.nfds, 3);
	proto_msg_clear(&out); /* closes the fds */
	ck_assert_int_lt(fcntl(fds[0], F_GETFD), 0);
}
END_TEST

START_TEST(test_wrong_fd_count_closes_fds)
{
	struct proto_msg in, out;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	proto_msg_init(&in, MSG_EXEC);
	in.user = (char *) "bob";
	in.mode = SPAWN_STDIO; /* needs three */
	in.argv = (char *[]){ (char *) "/bin/true", NULL };
	in.term = (char *) "";
	ck_assert_int_eq(roundtrip(&in, &out, &fd, 1), -EBADMSG);
	ck_assert_int_lt(fcntl(fd, F_GETFD), 0); /* refused, and the fd did not leak */
}
END_TEST

START_TEST(test_list_reply_roundtrip)
{
	struct proto_jail j[2] = { { .user = (char *) "ann", .init_pid = 7, .sessions = 2,
				     .mem_cur = 1 << 20, .mem_max = UINT64_MAX, .pids_cur = 3,
				     .pids_max = 64, .cpu_usec = 1234567, .disk_cur = 5 << 20,
				     .disk_max = 1ULL << 30, .inodes_cur = 12, .inodes_max = 20000 },
				   { .user = (char *) "bob" } };
	struct proto_msg in, out;

	proto_msg_init(&in, MSG_LIST_REPLY);
	in.jails = j;
	in.njails = 2;
	ck_assert_int_eq(roundtrip(&in, &out, NULL, 0), 0);
	ck_assert_int_eq(out.njails, 2);
	ck_assert_str_eq(out.jails[0].user, "ann");
	ck_assert(out.jails[0].mem_max == UINT64_MAX);
	ck_assert_int_eq(out.jails[0].cpu_usec, 1234567);
	ck_assert(out.jails[0].disk_cur == 5 << 20 && out.jails[0].disk_max == 1ULL << 30);
	ck_assert(out.jails[0].inodes_cur == 12 && out.jails[0].inodes_max == 20000);
	ck_assert(out.jails[1].disk_max == 0);
	ck_assert_str_eq(out.jails[1].user, "bob");
	proto_msg_clear(&out);
}
END_TEST

START_TEST(test_encode_refuses_overflow)
{
	static uint8_t buf[64];
	struct proto_msg in;

	proto_msg_init(&in, MSG_STATUS_REPLY);
	in.text = (char *) "a long status text that does not fit in sixty-four bytes at all";
	ck_assert_int_eq(proto_encode(&in, buf, sizeof(buf)), -EMSGSIZE);
	proto_msg_init(&in, 0);
	ck_assert_int_eq(proto_encode(&in, buf, sizeof(buf)), -EINVAL);
}
END_TEST

/* Every truncation of a valid message is refused. */
START_TEST(test_every_truncation_refused)
{
	static uint8_t buf[PROTO_MAX];
	struct proto_msg in, out;
	const char *why;
	ssize_t n;

	proto_msg_init(&in, MSG_OPEN_SESSION);
	in.user = (char *) "ann";
	in.service = (char *) "login";
	in.tty = (char *) "tty1";
	in.rhost = (char *) "";
	n = proto_encode(&in, buf, sizeof(buf));
	for (ssize_t len = 0; len < n; len++) {
		why = NULL;
		ck_assert_int_eq(proto_decode(buf, (size_t) len, NULL, 0, &out, &why), -EBADMSG);
		ck_assert_ptr_nonnull(why);
	}
}
END_TEST

START_TEST(test_socket_fd_passing)
{
	int sv[2], fd = open("/dev/null", O_RDONLY | O_CLOEXEC), got[FDS_MAX];
	size_t n = 0;
	char b;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ck_assert_int_eq(send_with_fds(sv[0], "x", 1, &fd, 1), 1);
	ck_assert_int_eq(recv_with_fds(sv[1], &b, 1, got, &n), 1);
	ck_assert_int_eq(n, 1);
	ck_assert(fcntl(got[0], F_GETFD) & FD_CLOEXEC);
	close(got[0]);
	/* A datagram larger than the buffer is refused, and what came with it closed. */
	ck_assert_int_eq(send_with_fds(sv[0], "xyz", 3, &fd, 1), 3);
	ck_assert_int_eq(recv_with_fds(sv[1], &b, 1, got, &n), -EMSGSIZE);
	ck_assert_int_eq(n, 0);
	close(sv[0]);
	close(sv[1]);
	close(fd);
}
END_TEST

/* Only the kept fds survive, whatever their order, and nothing below lowfd is touched. */
START_TEST(test_close_all_fds_except_keeps_exactly)
{
	int fds[12], keep[3];
	pid_t pid;
	int status;

	for (int i = 0; i < 12; i++)
		ck_assert_int_ge(fds[i] = open("/dev/null", O_RDONLY), 0);
	keep[0] = fds[9], keep[1] = fds[2], keep[2] = fds[5]; /* unsorted, with gaps */
	pid = fork();
	if (pid == 0) {
		int bad = 0;
		close_all_fds_except(fds[1], keep, 3);
		for (int i = 0; i < 12; i++) {
			bool open_now = fcntl(fds[i], F_GETFD) >= 0;
			bool want = i < 1 || i == 2 || i == 5 || i == 9;
			bad += open_now != want;
		}
		bad += fcntl(fds[11] + 1, F_GETFD) >= 0;
		_exit(bad);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%d fds wrong",
		      WEXITSTATUS(status));
	for (int i = 0; i < 12; i++)
		close(fds[i]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("proto");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_open_session_roundtrip);
	tcase_add_test(tc, test_exec_roundtrip_with_fds);
	tcase_add_test(tc, test_wrong_fd_count_closes_fds);
	tcase_add_test(tc, test_list_reply_roundtrip);
	tcase_add_test(tc, test_encode_refuses_overflow);
	tcase_add_test(tc, test_every_truncation_refused);
	tcase_add_test(tc, test_socket_fd_passing);
	tcase_add_test(tc, test_close_all_fds_except_keeps_exactly);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
