/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text from users made safe for a log line (log-escape.c). */
#pragma once

#include <stddef.h>

/*
 * Copies in to out (always NUL-terminated, cut short to fit), keeping printable ASCII and
 * well-formed UTF-8 of printable characters, and writing every other byte as \xNN: control
 * characters (a forged newline or a terminal escape), C1 controls, bidirectional overrides
 * (which reorder what a reader sees), malformed or overlong sequences.  A backslash becomes
 * \\ so that an escape in the output is never ambiguous.  Returns out.
 */
char *log_escape(char *out, size_t outlen, const char *in);
