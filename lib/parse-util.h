/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parsers for the value syntaxes of policies: sizes, durations, percents, hours, uid ranges.
 * Each returns 0 or -EINVAL/-ERANGE and never logs; callers word the error. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* "unlimited" and "max" map to this in sizes and durations that allow it. */
#define VALUE_UNLIMITED INT64_C(-1)

/* "512M", "1G", "4096", "0"; binary units K M G T, optional trailing "B". */
int parse_size(const char *s, int64_t *ret_bytes);
/* "15m", "1h30m", "90s", "2d", "0". */
int parse_duration(const char *s, int64_t *ret_seconds);
/* "50%", "150%" (1.5 CPUs); integer percents. */
int parse_percent(const char *s, int64_t *ret_percent);

#define HOURS_MAX_SPANS 16
struct hours_span {
	uint8_t days;      /* bit 0 = Sunday ... bit 6 = Saturday, as in struct tm */
	uint16_t start;    /* minutes since midnight */
	uint16_t end;      /* exclusive, up to 24*60 */
};
struct hours {
	bool always;
	unsigned n;
	struct hours_span span[HOURS_MAX_SPANS];
};
/* "always" or "Mon-Fri 08:00-20:00, Sat 10:00-14:00". */
int parse_hours(const char *s, struct hours *ret);
bool hours_allow(const struct hours *h, const struct tm *t);

#define UID_RANGES_MAX 16
struct uid_ranges {
	unsigned n;
	struct {
		uid_t lo, hi;
	} r[UID_RANGES_MAX];
};
/* "2000-2999", "1500", "2000-2999, 3100". */
int parse_uid_ranges(const char *s, struct uid_ranges *ret);
bool uid_ranges_contain(const struct uid_ranges *u, uid_t uid);

/* Canonical absolute path: "/", or "/a/b" with no empty, "." or ".." parts, no trailing slash,
 * no control characters. */
bool path_is_canonical(const char *p);
/* True if path equals dir or lies below it (both canonical). */
bool path_is_under(const char *path, const char *dir);
/* Portable user/group name: [a-z_][a-z0-9_.-]*[$]?, at most 32 characters. */
bool name_is_valid(const char *s);
/* Environment variable name: [A-Za-z_][A-Za-z0-9_]*. */
bool env_name_is_valid(const char *s, size_t len);
/* Variables that change how programs load code or run shells (LD_*, BASH_ENV, IFS, ...): never
 * set by policy nor exported by a user. */
bool env_name_is_dangerous(const char *s, size_t len);
/* Writes a size or duration back in the largest exact unit ("512M", "1h30m"). */
void format_size(int64_t bytes, char *buf, size_t len);
void format_duration(int64_t seconds, char *buf, size_t len);
