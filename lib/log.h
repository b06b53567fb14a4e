/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Logging for the daemons: syslog, plus stderr in the foreground.  lib/ code never logs. */
#pragma once

#include <stdbool.h>
#include <syslog.h>

void log_setup(const char *ident, bool to_stderr, bool debug);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
/* Audit lines go to LOG_AUTHPRIV. */
#define log_audit(...) log_msg(LOG_AUTHPRIV | LOG_NOTICE, __VA_ARGS__)
