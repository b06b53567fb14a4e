// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "parse-util.h"

/* "0" is a valid size or duration in any unit. */
static bool is_zero(const char *s)
{
	return s[0] == '0' && s[1] == '\0';
}

/* Reads an unsigned decimal number; refuses signs, spaces and overflow. */
static int parse_u64(const char **s, uint64_t *ret)
{
	const char *p = *s;
	uint64_t v = 0;

	if (!isdigit((unsigned char) *p))
		return -EINVAL;
	for (; isdigit((unsigned char) *p); p++) {
		unsigned d = (unsigned) (*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*s = p;
	*ret = v;
	return 0;
}

int parse_size(const char *s, int64_t *ret_bytes)
{
	static const char units[] = "KMGT";
	const char *p = s;
	uint64_t v, mult = 1;
	int r;

	if (!s)
		return -EINVAL;
	r = parse_u64(&p, &v);
	if (r < 0)
		return r;
	if (*p) {
		const char *u = strchr(units, toupper((unsigned char) *p));
		if (!u)
			return -EINVAL;
		for (long i = 0; i <= u - units; i++)
			mult *= 1024;
		p++;
		if (*p == 'B' || *p == 'b')
			p++;
		else if ((*p == 'i' || *p == 'I') && (p[1] == 'B' || p[1] == 'b'))
			p += 2;
		if (*p)
			return -EINVAL;
	}
	if (v > (uint64_t) INT64_MAX / mult)
		return -ERANGE;
	*ret_bytes = (int64_t) (v * mult);
	return 0;
}

int parse_duration(const char *s, int64_t *ret_seconds)
{
	const char *p = s;
	uint64_t total = 0;
	int last_rank = 5, r;

	if (!s || !*s)
		return -EINVAL;
	if (is_zero(s)) {
		*ret_seconds = 0;
		return 0;
	}
	while (*p) {
		uint64_t v, mult;
		int rank;

		r = parse_u64(&p, &v);
		if (r < 0)
			return r;
		switch (*p) {
		case 'd': mult = 86400, rank = 4; break;
		case 'h': mult = 3600, rank = 3; break;
		case 'm': mult = 60, rank = 2; break;
		case 's': mult = 1, rank = 1; break;
		default: return -EINVAL;
		}
		/* Units must come largest first and once each: "1h30m", not "30m1h". */
		if (rank >= last_rank)
			return -EINVAL;
		last_rank = rank;
		p++;
		if (v > (UINT64_MAX / mult) || total + v * mult > (uint64_t) INT32_MAX)
			return -ERANGE;
		total += v * mult;
	}
	*ret_seconds = (int64_t) total;
	return 0;
}

int parse_percent(const char *s, int64_t *ret_percent)
{
	const char *p = s;
	uint64_t v;
	int r;

	if (!s)
		return -EINVAL;
	r = parse_u64(&p, &v);
	if (r < 0)
		return r;
	if (p[0] != '%' || p[1])
		return -EINVAL;
	if (v > INT32_MAX)
		return -ERANGE;
	*ret_percent = (int64_t) v;
	return 0;
}

static int parse_day(const char **s)
{
	static const char *const names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

	for (int i = 0; i < 7; i++)
		if (strncasecmp(*s, names[i], 3) == 0) {
			*s += 3;
			return i;
		}
	return -EINVAL;
}

static int parse_clock(const char **s, unsigned *ret_minutes)
{
	const char *p = *s;
	unsigned h, m;

	if (!isdigit((unsigned char) p[0]) || !isdigit((unsigned char) p[1]) || p[2] != ':' ||
	    !isdigit((unsigned char) p[3]) || !isdigit((unsigned char) p[4]))
		return -EINVAL;
	h = (unsigned) ((p[0] - '0') * 10 + (p[1] - '0'));
	m = (unsigned) ((p[3] - '0') * 10 + (p[4] - '0'));
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -ERANGE;
	*s = p + 5;
	*ret_minutes = h * 60 + m;
	return 0;
}

static int parse_span(const char **s, struct hours_span *span)
{
	const char *p = *s;
	unsigned start, end;
	int from, to, r;

	from = parse_day(&p);
	if (from < 0)
		return from;
	to = from;
	if (*p == '-') {
		p++;
		to = parse_day(&p);
		if (to < 0)
			return to;
	}
	span->days = 0;
	/* A range may wrap over the week's end: "Fri-Mon". */
	for (int d = from;; d = (d + 1) % 7) {
		span->days |= (uint8_t) (1u << d);
		if (d == to)
			break;
	}
	if (*p != ' ')
		return -EINVAL;
	while (*p == ' ')
		p++;
	r = parse_clock(&p, &start);
	if (r < 0)
		return r;
	if (*p++ != '-')
		return -EINVAL;
	r = parse_clock(&p, &end);
	if (r < 0)
		return r;
	if (start >= end)
		return -ERANGE;
	span->start = (uint16_t) start;
	span->end = (uint16_t) end;
	*s = p;
	return 0;
}

int parse_hours(const char *s, struct hours *ret)
{
	const char *p = s;
	struct hours h = { 0 };
	int r;

	if (!s)
		return -EINVAL;
	if (strcasecmp(s, "always") == 0) {
		h.always = true;
		*ret = h;
		return 0;
	}
	for (;;) {
		while (*p == ' ')
			p++;
		if (h.n >= HOURS_MAX_SPANS)
			return -E2BIG;
		r = parse_span(&p, &h.span[h.n++]);
		if (r < 0)
			return r;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p++ != ',')
			return -EINVAL;
	}
	*ret = h;
	return 0;
}

bool hours_allow(const struct hours *h, const struct tm *t)
{
	unsigned now = (unsigned) (t->tm_hour * 60 + t->tm_min);

	if (h->always)
		return true;
	for (unsigned i = 0; i < h->n; i++)
		if ((h->span[i].days & (1u << t->tm_wday)) && now >= h->span[i].start &&
		    now < h->span[i].end)
			return true;
	return false;
}

int parse_uid_ranges(const char *s, struct uid_ranges *ret)
{
	const char *p = s;
	struct uid_ranges u = { 0 };
	int r;

	if (!s)
		return -EINVAL;
	for (;;) {
		uint64_t lo, hi;

		while (*p == ' ')
			p++;
		r = parse_u64(&p, &lo);
		if (r < 0)
			return r;
		hi = lo;
		if (*p == '-') {
			p++;
			r = parse_u64(&p, &hi);
			if (r < 0)
				return r;
		}
		/* (uid_t)-1 is "no uid" to the kernel; never a real user. */
		if (lo > hi || hi >= UINT32_MAX)
			return -ERANGE;
		if (u.n >= UID_RANGES_MAX)
			return -E2BIG;
		u.r[u.n].lo = (uid_t) lo;
		u.r[u.n].hi = (uid_t) hi;
		u.n++;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p++ != ',')
			return -EINVAL;
	}
	*ret = u;
	return 0;
}

bool uid_ranges_contain(const struct uid_ranges *u, uid_t uid)
{
	for (unsigned i = 0; i < u->n; i++)
		if (uid >= u->r[i].lo && uid <= u->r[i].hi)
			return true;
	return false;
}

bool path_is_canonical(const char *p)
{
	if (!p || p[0] != '/')
		return false;
	if (p[1] == '\0')
		return true;
	for (const char *c = p; *c; c++)
		if ((unsigned char) *c < 0x20 || *c == 0x7f)
			return false;
	for (const char *c = p; *c;) {
		const char *part = c + 1, *next = strchr(part, '/');
		size_t len = next ? (size_t) (next - part) : strlen(part);

		if (len == 0)
			return false; /* "//" or a trailing slash */
		if ((len == 1 && part[0] == '.') || (len == 2 && part[0] == '.' && part[1] == '.'))
			return false;
		if (!next)
			break;
		c = next;
	}
	return true;
}

bool path_is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (dir[0] == '/' && dir[1] == '\0')
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool name_is_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 32)
		return false;
	if (!(islower((unsigned char) s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++) {
		unsigned char c = (unsigned char) s[i];
		if (islower(c) || isdigit(c) || c == '_' || c == '.' || c == '-')
			continue;
		if (c == '$' && i == n - 1)
			continue;
		return false;
	}
	return true;
}

bool env_name_is_valid(const char *s, size_t len)
{
	if (len == 0 || !(isalpha((unsigned char) s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!(isalnum((unsigned char) s[i]) || s[i] == '_'))
			return false;
	return true;
}

bool env_name_is_dangerous(const char *s, size_t len)
{
	static const char *const names[] = {
		"BASH_ENV", "ENV", "IFS", "SHELLOPTS", "BASHOPTS", "PS4", "PROMPT_COMMAND",
		"PATH", "GCONV_PATH", "HOSTALIASES", "LOCALDOMAIN", "RES_OPTIONS", "NLSPATH",
		"PERL5OPT", "PERL5LIB", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "RUBYOPT",
		"NODE_OPTIONS", "GIT_CONFIG_PARAMETERS", "GIT_PAGER", "PAGER", "MANPAGER", "EDITOR_OPTS",
		"TERMINFO", "TERMCAP", "MALLOC_CHECK_", "LOCPATH",
	};

	if (len >= 3 && strncmp(s, "LD_", 3) == 0)
		return true;
	if (len >= 6 && strncmp(s, "GLIBC_", 6) == 0)
		return true;
	if (len >= 7 && strncmp(s, "CORRAL_", 7) == 0)
		return true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(names[i], s, len) == 0)
			return true;
	return false;
}

void format_size(int64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;

	if (bytes == VALUE_UNLIMITED) {
		snprintf(buf, len, "unlimited");
		return;
	}
	while (u < 3 && bytes != 0 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%lld", (long long) bytes);
	else
		snprintf(buf, len, "%lld%c", (long long) bytes, units[u]);
}

void format_duration(int64_t s, char *buf, size_t len)
{
	static const struct {
		int64_t mult;
		char unit;
	} u[] = { { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' } };
	size_t off = 0;

	if (s == VALUE_UNLIMITED) {
		snprintf(buf, len, "unlimited");
		return;
	}
	if (s == 0) {
		snprintf(buf, len, "0");
		return;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < 4 && off < len; i++)
		if (s >= u[i].mult) {
			int n = snprintf(buf + off, len - off, "%lld%c", (long long) (s / u[i].mult),
					 u[i].unit);
			if (n < 0)
				return;
			off += (size_t) n;
			s %= u[i].mult;
		}
}
