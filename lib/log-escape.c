// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "log-escape.h"

/* The length of the well-formed UTF-8 sequence at s (2 to 4), or 0; sets *cp. */
static size_t utf8_sequence(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and what lies beyond Unicode. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || (c >= 0xd800 && c <= 0xdfff) ||
	    c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

static bool printable(uint32_t c)
{
	if (c < 0xa0) /* C1 controls (and everything ASCII, handled before) */
		return false;
	/* Bidirectional marks, embeddings, overrides and isolates; line and paragraph
	 * separators; the byte order mark. */
	if ((c >= 0x200e && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff)
		return false;
	return true;
}

char *log_escape(char *out, size_t outlen, const char *in)
{
	const unsigned char *s = (const unsigned char *) in;
	size_t o = 0;

	if (!outlen)
		return out;
	while (*s) {
		uint32_t cp;
		size_t n = 1, need;
		char esc[8];
		const char *piece = (const char *) s;

		if (*s == '\\') {
			piece = "\\\\";
			need = 2;
		} else if (*s >= 0x20 && *s < 0x7f) {
			need = 1;
		} else if (*s >= 0x80 && (n = utf8_sequence(s, &cp)) > 0 && printable(cp)) {
			need = n;
		} else {
			n = 1;
			snprintf(esc, sizeof(esc), "\\x%02x", *s);
			piece = esc;
			need = 4;
		}
		if (o + need >= outlen)
			break;
		memcpy(out + o, piece, need);
		o += need;
		s += n;
	}
	out[o] = '\0';
	return out;
}
