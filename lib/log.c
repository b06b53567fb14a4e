// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

/* The one piece of process-wide state in lib/: where a daemon's log goes. */
static struct {
	bool to_stderr, debug, open;
	const char *ident;
} log_cfg = { .to_stderr = true, .ident = "corral" };

/* One destination: stderr in the foreground (where systemd's journal already reads it, so
 * syslog too would log every line twice), syslog otherwise. */
void log_setup(const char *ident, bool to_stderr, bool debug)
{
	log_cfg.ident = ident;
	log_cfg.to_stderr = to_stderr;
	log_cfg.debug = debug;
	if (!to_stderr) {
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		log_cfg.open = true;
	}
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if ((prio & LOG_PRIMASK) == LOG_DEBUG && !log_cfg.debug)
		return;
	if (log_cfg.open) {
		va_start(ap, fmt);
		vsyslog(prio, fmt, ap);
		va_end(ap);
	}
	if (log_cfg.to_stderr) {
		va_start(ap, fmt);
		fprintf(stderr, "%s: ", log_cfg.ident);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
}
