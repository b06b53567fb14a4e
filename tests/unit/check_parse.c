// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests of lib/parse-util.c: every value syntax of a policy, good and bad. */
#include "testutil.h"

#include "log-escape.h"
#include "parse-util.h"

START_TEST(test_sizes)
{
	int64_t v;

	ck_assert_int_eq(parse_size("0", &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(parse_size("4096", &v), 0);
	ck_assert_int_eq(v, 4096);
	ck_assert_int_eq(parse_size("512M", &v), 0);
	ck_assert_int_eq(v, 512LL << 20);
	ck_assert_int_eq(parse_size("1G", &v), 0);
	ck_assert_int_eq(v, 1LL << 30);
	ck_assert_int_eq(parse_size("2k", &v), 0);
	ck_assert_int_eq(v, 2048);
	ck_assert_int_eq(parse_size("3MiB", &v), 0);
	ck_assert_int_eq(v, 3LL << 20);
	ck_assert_int_eq(parse_size("1T", &v), 0);
	ck_assert_int_eq(v, 1LL << 40);
	ck_assert_int_eq(parse_size("5X", &v), -EINVAL);
	ck_assert_int_eq(parse_size("", &v), -EINVAL);
	ck_assert_int_eq(parse_size("-1", &v), -EINVAL);
	ck_assert_int_eq(parse_size(" 1M", &v), -EINVAL);
	ck_assert_int_eq(parse_size("1M ", &v), -EINVAL);
	ck_assert_int_eq(parse_size("1.5G", &v), -EINVAL);
	ck_assert_int_eq(parse_size("M", &v), -EINVAL);
	ck_assert_int_eq(parse_size("99999999999999999999", &v), -ERANGE);
	ck_assert_int_eq(parse_size("99999999999T", &v), -ERANGE);
}
END_TEST

START_TEST(test_durations)
{
	int64_t v;

	ck_assert_int_eq(parse_duration("0", &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(parse_duration("15m", &v), 0);
	ck_assert_int_eq(v, 900);
	ck_assert_int_eq(parse_duration("1h", &v), 0);
	ck_assert_int_eq(v, 3600);
	ck_assert_int_eq(parse_duration("1h30m", &v), 0);
	ck_assert_int_eq(v, 5400);
	ck_assert_int_eq(parse_duration("2d3s", &v), 0);
	ck_assert_int_eq(v, 2 * 86400 + 3);
	ck_assert_int_eq(parse_duration("90", &v), -EINVAL); /* a unit is required in text */
	ck_assert_int_eq(parse_duration("30m1h", &v), -EINVAL);
	ck_assert_int_eq(parse_duration("1h1h", &v), -EINVAL);
	ck_assert_int_eq(parse_duration("5y", &v), -EINVAL);
	ck_assert_int_eq(parse_duration("", &v), -EINVAL);
	ck_assert_int_eq(parse_duration("h", &v), -EINVAL);
	ck_assert_int_eq(parse_duration("99999999d", &v), -ERANGE);
}
END_TEST

START_TEST(test_percents)
{
	int64_t v;

	ck_assert_int_eq(parse_percent("50%", &v), 0);
	ck_assert_int_eq(v, 50);
	ck_assert_int_eq(parse_percent("150%", &v), 0);
	ck_assert_int_eq(v, 150);
	ck_assert_int_eq(parse_percent("50", &v), -EINVAL);
	ck_assert_int_eq(parse_percent("%", &v), -EINVAL);
	ck_assert_int_eq(parse_percent("50%%", &v), -EINVAL);
	ck_assert_int_eq(parse_percent("12.5%", &v), -EINVAL);
	ck_assert_int_eq(parse_percent("-5%", &v), -EINVAL);
}
END_TEST

START_TEST(test_hours)
{
	struct hours h;
	struct tm t = { 0 };

	ck_assert_int_eq(parse_hours("always", &h), 0);
	ck_assert(h.always);
	ck_assert_int_eq(parse_hours("Mon-Fri 08:00-20:00", &h), 0);
	ck_assert_int_eq(h.n, 1);
	ck_assert_int_eq(h.span[0].days, 0x3e);
	ck_assert_int_eq(h.span[0].start, 480);
	ck_assert_int_eq(h.span[0].end, 1200);
	t.tm_wday = 1, t.tm_hour = 8, t.tm_min = 0; /* Monday 08:00: inside */
	ck_assert(hours_allow(&h, &t));
	t.tm_hour = 20; /* 20:00 is the exclusive end */
	ck_assert(!hours_allow(&h, &t));
	t.tm_wday = 6, t.tm_hour = 12; /* Saturday */
	ck_assert(!hours_allow(&h, &t));
	ck_assert_int_eq(parse_hours("Mon-Fri 08:00-20:00, Sat 10:00-14:00", &h), 0);
	ck_assert_int_eq(h.n, 2);
	ck_assert(hours_allow(&h, &t));
	ck_assert_int_eq(parse_hours("Fri-Mon 00:00-24:00", &h), 0); /* wraps the week */
	ck_assert_int_eq(h.span[0].days, 0x63);
	ck_assert_int_eq(parse_hours("Mon 20:00-08:00", &h), -ERANGE);
	ck_assert_int_eq(parse_hours("Mon 25:00-26:00", &h), -ERANGE);
	ck_assert_int_eq(parse_hours("Mon 08:60-09:00", &h), -ERANGE);
	ck_assert_int_eq(parse_hours("Mon-Fry 08:00-20:00", &h), -EINVAL);
	ck_assert_int_eq(parse_hours("Mon 8:00-20:00", &h), -EINVAL);
	ck_assert_int_eq(parse_hours("08:00-20:00", &h), -EINVAL);
	ck_assert_int_eq(parse_hours("Mon 08:00-20:00,", &h), -EINVAL);
	ck_assert_int_eq(parse_hours("", &h), -EINVAL);
}
END_TEST

START_TEST(test_uid_ranges)
{
	struct uid_ranges u;

	ck_assert_int_eq(parse_uid_ranges("2000-2999", &u), 0);
	ck_assert(uid_ranges_contain(&u, 2000));
	ck_assert(uid_ranges_contain(&u, 2999));
	ck_assert(!uid_ranges_contain(&u, 3000));
	ck_assert_int_eq(parse_uid_ranges("1500, 2000-2999", &u), 0);
	ck_assert(uid_ranges_contain(&u, 1500));
	ck_assert(!uid_ranges_contain(&u, 1501));
	ck_assert_int_eq(parse_uid_ranges("3000-2000", &u), -ERANGE);
	ck_assert_int_eq(parse_uid_ranges("4294967295", &u), -ERANGE);
	ck_assert_int_eq(parse_uid_ranges("abc", &u), -EINVAL);
	ck_assert_int_eq(parse_uid_ranges("1-2;3", &u), -EINVAL);
}
END_TEST

START_TEST(test_paths)
{
	ck_assert(path_is_canonical("/"));
	ck_assert(path_is_canonical("/usr/lib"));
	ck_assert(path_is_canonical("/home/a.b/..c"));
	ck_assert(!path_is_canonical("usr"));
	ck_assert(!path_is_canonical("/usr/"));
	ck_assert(!path_is_canonical("//usr"));
	ck_assert(!path_is_canonical("/usr/../etc"));
	ck_assert(!path_is_canonical("/usr/./lib"));
	ck_assert(!path_is_canonical("/usr/.."));
	ck_assert(!path_is_canonical("/a\nb"));
	ck_assert(!path_is_canonical(""));
	ck_assert(path_is_under("/home/ann/x", "/home/ann"));
	ck_assert(path_is_under("/home/ann", "/home/ann"));
	ck_assert(!path_is_under("/home/anna", "/home/ann"));
	ck_assert(path_is_under("/x", "/"));
}
END_TEST

START_TEST(test_names)
{
	ck_assert(name_is_valid("ann"));
	ck_assert(name_is_valid("_svc-1.x"));
	ck_assert(name_is_valid("machine$"));
	ck_assert(!name_is_valid("Ann"));
	ck_assert(!name_is_valid("1ann"));
	ck_assert(!name_is_valid("a/b"));
	ck_assert(!name_is_valid(""));
	ck_assert(!name_is_valid("a$b"));
	ck_assert(!name_is_valid("abcdefghijklmnopqrstuvwxyzabcdefg"));
	ck_assert(env_name_is_valid("EDITOR", 6));
	ck_assert(!env_name_is_valid("1X", 2));
	ck_assert(!env_name_is_valid("A-B", 3));
	ck_assert(env_name_is_dangerous("LD_PRELOAD", 10));
	ck_assert(env_name_is_dangerous("BASH_ENV", 8));
	ck_assert(env_name_is_dangerous("PATH", 4));
	ck_assert(!env_name_is_dangerous("PATHX", 5));
	ck_assert(!env_name_is_dangerous("EDITOR", 6));
}
END_TEST

START_TEST(test_format)
{
	char b[32];

	format_size(512LL << 20, b, sizeof(b));
	ck_assert_str_eq(b, "512M");
	format_size(1536, b, sizeof(b));
	ck_assert_str_eq(b, "1536");
	format_size(VALUE_UNLIMITED, b, sizeof(b));
	ck_assert_str_eq(b, "unlimited");
	format_duration(5400, b, sizeof(b));
	ck_assert_str_eq(b, "1h30m");
	format_duration(0, b, sizeof(b));
	ck_assert_str_eq(b, "0");
}
END_TEST

/* What reaches jaild's log from a user: printable text as it is, everything else \xNN. */
START_TEST(test_log_escape)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "ls -l /tmp", "ls -l /tmp" },
		{ "caf\xc3\xa9 \xe6\x97\xa5", "caf\xc3\xa9 \xe6\x97\xa5" }, /* UTF-8 stays */
		{ "a\nforged: line", "a\\x0aforged: line" },
		{ "\x1b[2J\x07\x7f", "\\x1b[2J\\x07\\x7f" },
		{ "back\\slash", "back\\\\slash" },
		{ "\xff\xfe", "\\xff\\xfe" },                     /* not UTF-8 */
		{ "\xc0\xaf", "\\xc0\\xaf" },                     /* overlong '/' */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },           /* a surrogate */
		{ "\xc2\x85", "\\xc2\\x85" },                     /* C1: NEL */
		{ "x\xe2\x80\xaey", "x\\xe2\\x80\\xaey" },        /* right-to-left override */
		{ "cut \xe2", "cut \\xe2" },                        /* truncated sequence */
	};
	char out[64];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_str_eq(log_escape(out, sizeof(out), t[i].in), t[i].out);
	/* Cut short, never mid-escape, always terminated. */
	ck_assert_str_eq(log_escape(out, 6, "ab\x01" "cd"), "ab");
	ck_assert_str_eq(log_escape(out, 8, "ab\x01" "cd"), "ab\\x01c");
	ck_assert_str_eq(log_escape(out, 1, "abc"), "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("values");

	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_durations);
	tcase_add_test(tc, test_percents);
	tcase_add_test(tc, test_hours);
	tcase_add_test(tc, test_uid_ranges);
	tcase_add_test(tc, test_paths);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_log_escape);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
