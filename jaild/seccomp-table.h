/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The jail's system calls by name (seccomp-table.c); NULL-terminated. */
#pragma once

extern const char *const seccomp_allowed[];
extern const char *const seccomp_denied[];
