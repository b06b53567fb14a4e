/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NULL-terminated string vectors. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

size_t strv_length(char *const *v);
void strv_free(char **v);
/* Appends a copy of s; returns 0 or -ENOMEM (v unchanged on failure). */
int strv_push(char ***v, const char *s);
char **strv_copy(char *const *v);
bool strv_contains(char *const *v, const char *s);
/* asprintf that returns the string, or NULL on failure. */
char *strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The exit code a shell reports for a wait status: the code, or 128 + the signal. */
int exit_code_of(int status);

static inline void strv_freep(char ***v)
{
	strv_free(*v);
}
#define _cleanup_strv_free_ __attribute__((cleanup(strv_freep)))
