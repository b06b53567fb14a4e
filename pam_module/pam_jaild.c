// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pam_jaild: puts the users that corral's policies name into their jails at login.
 *
 * Loaded into sshd, login and su, so: no exit(), no signal handlers, no state between calls but
 * pam_set_data, every string from PAM length-checked.  Users no policy matches get PAM_IGNORE
 * without any socket traffic or log line; every name NSS knows is judged.  For matched users:
 *   account  refuses (PAM_PERM_DENIED, told to the user with pam_error and to the admin with
 *            pam_syslog) in the services that would run their code outside the jail
 *            (systemd-user, cron, atd, or any stack given the refuse option), when the login
 *            shell is not rshell (whatever the policy's program), when they are not in the
 *            group sshd's Match block names (group=, default jailed), when their passwd
 *            home is not root's (home.h), outside the policy's hours, or when jaild says
 *            session.max is reached;
 *   session  reduces the PAM environment to an allow-list, registers the session with jaild
 *            and exports CORRAL_SESSION; close ends it.
 * jaild unreachable: refused, unless fail=open or the user's session.on_daemon_down says allow.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <security/pam_modutil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "cleanup.h"
#include "client.h"
#include "home.h"
#include "parse-util.h"
#include "policy.h"

#define DATA_SESSION "pam_jaild_session"
#define ITEM_MAX 255
#define LOGIN_NAME_MAX_LEN 256

struct who {
	struct user_info u;
	struct policy *p;
};

static void who_clear(struct who *w)
{
	user_info_clear(&w->u);
	policy_free(w->p);
}

/* Finds the user's policy.  Returns PAM_SUCCESS with w filled, PAM_IGNORE for users corral
 * does not jail, or an error. */
static int lookup(pam_handle_t *pamh, const struct ctrl *ctrl, struct who *w)
{
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	const char *user = NULL;
	int r;

	memset(w, 0, sizeof(*w));
	if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || !user)
		return PAM_USER_UNKNOWN;
	/* Every name NSS knows is judged (SSSD's ann@example.com too): only a policy decides
	 * who is not ours. */
	if (strlen(user) > LOGIN_NAME_MAX_LEN)
		return PAM_USER_UNKNOWN;
	r = user_info_from_nss(user, &w->u);
	if (r < 0)
		return r == -ESRCH ? PAM_IGNORE : PAM_SYSTEM_ERR;
	if (w->u.uid == 0) {
		who_clear(w);
		return PAM_IGNORE; /* root is never jailed */
	}
	r = policy_set_load(ctrl->policy_dir, NULL, &set, &errs);
	if (r == 0)
		r = policy_resolve(set, &w->u, &w->p, &errs);
	for (size_t i = 0; i < errs.n; i++)
		pam_syslog(pamh, LOG_ERR, "%s", errs.msg[i]);
	perr_clear(&errs);
	policy_set_free(set);
	if (r == POLICY_UNMATCHED) {
		if (ctrl->debug)
			pam_syslog(pamh, LOG_DEBUG, "%s matches no policy", user);
		who_clear(w);
		return PAM_IGNORE;
	}
	if (r < 0) {
		/* Broken policies: we cannot tell who is jailed, so nobody but root gets in. */
		pam_error(pamh, "corral: the jail policies are broken; ask an admin to run jailctl "
				"check");
		who_clear(w);
		return PAM_PERM_DENIED;
	}
	if (!name_is_valid(w->u.name)) {
		/* Matched, but jaild keys jails by names it can carry: refuse, never let through. */
		pam_syslog(pamh, LOG_NOTICE, "refused %.64s: matched by a policy, but jaild serves only "
					     "lowercase POSIX user names",
			   w->u.name);
		pam_error(pamh, "corral: your user name cannot be jailed; ask an admin");
		who_clear(w);
		return PAM_PERM_DENIED;
	}
	return PAM_SUCCESS;
}

/* Services that would run the user's code on the host, outside any jail: a jailed user never
 * passes them (systemd-user is the user manager pam_systemd starts at login). */
static bool service_runs_outside(pam_handle_t *pamh, const struct ctrl *ctrl)
{
	static const char *const outside[] = { "systemd-user", "cron", "atd", NULL };
	const void *v = NULL;

	if (ctrl->refuse)
		return true;
	if (pam_get_item(pamh, PAM_SERVICE, &v) != PAM_SUCCESS || !v)
		return false;
	for (size_t i = 0; outside[i]; i++)
		if (streq(v, outside[i]))
			return true;
	return false;
}

/* sshd's Match block, which turns forwarding off, applies to the group jailctl enroll keeps:
 * a jailed user outside it (a group cleanup, usermod -G without -a) would get ssh -L/-D/-W to
 * the host's network, so such a user is not let in. */
static bool outside_group(pam_handle_t *pamh, const struct ctrl *ctrl, const struct who *w,
			  const struct home_owner *o)
{
	const struct group *g = pam_modutil_getgrnam(pamh, ctrl->group);

	for (size_t i = 0; g && i < o->ngids; i++)
		if (o->gids[i] == g->gr_gid)
			return false;
	pam_syslog(pamh, LOG_NOTICE, "refused %s: not in group %.64s, which sshd's Match block "
				     "for jailed users names; run jailctl enroll %s",
		   w->u.name, ctrl->group, w->u.name);
	pam_error(pamh, "corral: your account is not set up for the jail yet; ask an admin to "
			"run jailctl enroll %s",
		  w->u.name);
	return true;
}

/* The passwd home of a jailed user must be root's (home.h): otherwise the host services of
 * this very login (pam_env, systemd --user, sshd) may already be reading what the user wrote. */
static bool host_home_unsafe(pam_handle_t *pamh, const struct who *w, const struct home_owner *o)
{
	char why[512];

	if (home_audit(w->u.home, o, why, sizeof(why)) == 0)
		return false;
	pam_syslog(pamh, LOG_ERR, "refused %s: host home not safe for a jailed user: %s; run "
				  "jailctl enroll %s",
		   w->u.name, why, w->u.name);
	pam_error(pamh, "corral: your account is not set up for the jail yet; ask an admin to "
			"run jailctl enroll %s",
		  w->u.name);
	return true;
}

/* What of the PAM environment reaches a jailed user's login shell on the host: the terminal and
 * locale, and corral's own.  Everything else (LD_PRELOAD from ~/.pam_environment, ...) is
 * dropped and named in the log. */
static bool name_in(const char *name, size_t len, const char *const *list)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strlen(list[i]) == len && strncmp(name, list[i], len) == 0)
			return true;
	return false;
}

static bool env_allowed(const char *name, size_t len, const struct policy *p)
{
	static const char *const keep[] = { "TERM", "LANG", "LANGUAGE", "TZ", "CORRAL_SESSION",
					    "CORRAL_SOCKET", NULL };
	/* Never, whatever a policy says: what the dynamic loader and libc act on. */
	static const char *const loader[] = { "GCONV_PATH", "LOCPATH", "NLSPATH", "HOSTALIASES",
					      "RESOLV_HOST_CONF", "GLIBC_TUNABLES", "MALLOC_TRACE",
					      "TMPDIR", "RES_OPTIONS", "LOCALDOMAIN", NULL };

	if (name_in(name, len, keep) || (len > 3 && strncmp(name, "LC_", 3) == 0))
		return true;
	if ((len > 3 && strncmp(name, "LD_", 3) == 0) || name_in(name, len, loader))
		return false;
	return name_in(name, len, (const char *const *) p->v[PK_SHELL_EXPORT].list);
}

static void env_reduce(pam_handle_t *pamh, const struct who *w)
{
	char **env = pam_getenvlist(pamh), dropped[512] = "";
	size_t used = 0;

	for (size_t i = 0; env && env[i]; i++) {
		size_t len = strcspn(env[i], "=");
		char name[256];

		if (!env[i][len] || env_allowed(env[i], len, w->p) || len >= sizeof(name))
			goto next;
		memcpy(name, env[i], len);
		name[len] = '\0';
		(void) pam_putenv(pamh, name); /* NAME without '=' removes it */
		if (used < sizeof(dropped) - 1)
			used += (size_t) snprintf(dropped + used, sizeof(dropped) - used, "%s%.64s",
						  used ? " " : "", name);
	next:
		free(env[i]);
	}
	free(env);
	if (used)
		pam_syslog(pamh, LOG_NOTICE, "dropped from %s's PAM environment: %s", w->u.name,
			   dropped);
}

/* jaild unreachable: the module's fail= option, overridden by the user's policy. */
static bool allow_when_down(const struct ctrl *ctrl, const struct who *w)
{
	const struct pval *v = &w->p->v[PK_SESSION_ON_DAEMON_DOWN];

	if (v->set && v->file && strcmp(v->file, "(built-in)") != 0)
		return v->num == 1;
	return ctrl->fail_open;
}

static int daemon_down(pam_handle_t *pamh, const struct ctrl *ctrl, const struct who *w, int err,
		       int refuse)
{
	pam_syslog(pamh, LOG_ERR, "jaild at %s is unreachable (%s) for %s", ctrl->socket,
		   strerror(err), w->u.name);
	if (allow_when_down(ctrl, w)) {
		pam_info(pamh, "corral: the jail service is down; letting you in unjailed.");
		return PAM_SUCCESS;
	}
	pam_error(pamh, "corral: the jail service is not available; try again later.");
	return refuse;
}

/* A PAM item as a protocol string: bounded, no spaces or control characters. */
static void item(pam_handle_t *pamh, int type, char *buf, size_t len)
{
	const void *v = NULL;
	const char *s;
	size_t i;

	buf[0] = '\0';
	if (pam_get_item(pamh, type, &v) != PAM_SUCCESS || !v)
		return;
	s = v;
	for (i = 0; s[i] && i < len - 1 && i < ITEM_MAX; i++)
		buf[i] = ((unsigned char) s[i] <= 0x20 || s[i] == 0x7f) ? '?' : s[i];
	buf[i] = '\0';
}

static int call(const struct ctrl *ctrl, struct proto_msg *q, struct proto_msg *r)
{
	_cleanup_close_ int fd = -1;
	const char *why = NULL;
	int rc;

	/* r is always safe to clear, whatever happens below. */
	proto_msg_init(r, 0);
	fd = jaild_connect(ctrl->socket, 5000);
	if (fd < 0)
		return fd;
	rc = jaild_call(fd, q, r, &why);
	return rc < 0 ? -ECONNRESET : 0;
}

PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	_cleanup_free_ gid_t *gids = NULL;
	struct home_owner owner;
	int ngids = 0;
	struct ctrl ctrl;
	struct who w;
	struct proto_msg q, r;
	struct tm tm;
	time_t now = time(NULL);
	const char *base;
	int rc;

	(void) flags;
	parse_args(pamh, argc, argv, &ctrl);
	rc = lookup(pamh, &ctrl, &w);
	if (rc != PAM_SUCCESS)
		return rc;
	if (service_runs_outside(pamh, &ctrl)) {
		char service[ITEM_MAX + 1];
		item(pamh, PAM_SERVICE, service, sizeof(service));
		pam_syslog(pamh, LOG_NOTICE, "refused %s for %s: it would run their code outside "
					     "the jail",
			   service, w.u.name);
		who_clear(&w);
		return PAM_PERM_DENIED;
	}
	/* Whatever the policy's program: rshell is what takes a login into the jail. */
	base = strrchr(w.u.shell, '/') ? strrchr(w.u.shell, '/') + 1 : w.u.shell;
	if (!streq(base, "rshell")) {
		pam_syslog(pamh, LOG_NOTICE, "refused %s: login shell %s is not rshell", w.u.name,
			   w.u.shell);
		pam_error(pamh, "corral: your login shell is not rshell; ask an admin to run "
				"jailctl enroll %s",
			  w.u.name);
		who_clear(&w);
		return PAM_PERM_DENIED;
	}
	/* The user's groups, looked up once: for sshd's group and for the home audit. */
	if (nss_group_list(w.u.name, w.u.gid, &gids, &ngids) < 0)
		ngids = 0;
	owner = (struct home_owner){ .uid = w.u.uid, .gids = gids, .ngids = (size_t) ngids };
	if (outside_group(pamh, &ctrl, &w, &owner) || host_home_unsafe(pamh, &w, &owner)) {
		who_clear(&w);
		return PAM_PERM_DENIED;
	}
	localtime_r(&now, &tm);
	if (!hours_allow(&w.p->v[PK_SESSION_HOURS].hours, &tm)) {
		pam_syslog(pamh, LOG_NOTICE, "refused %s: outside hours %s", w.u.name,
			   w.p->v[PK_SESSION_HOURS].str);
		pam_error(pamh, "corral: your account is limited to hours %s",
			  w.p->v[PK_SESSION_HOURS].str);
		who_clear(&w);
		return PAM_PERM_DENIED;
	}
	/* The session count lives in jaild. */
	proto_msg_init(&q, MSG_ACCOUNT);
	q.user = w.u.name;
	rc = call(&ctrl, &q, &r);
	if (rc < 0) {
		rc = daemon_down(pamh, &ctrl, &w, -rc, PAM_PERM_DENIED);
	} else if (r.type == MSG_ERROR) {
		pam_syslog(pamh, LOG_NOTICE, "refused %s: %s", w.u.name, r.text);
		pam_error(pamh, "%s", r.text);
		rc = PAM_PERM_DENIED;
	} else {
		rc = PAM_SUCCESS;
	}
	proto_msg_clear(&r);
	who_clear(&w);
	return rc;
}

static void free_data(pam_handle_t *pamh, void *data, int status)
{
	(void) pamh;
	(void) status;
	free(data);
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	char service[ITEM_MAX + 1], tty[ITEM_MAX + 1], rhost[ITEM_MAX + 1], env[512];
	struct ctrl ctrl;
	struct who w;
	struct proto_msg q, r;
	char *id;
	int rc;

	(void) flags;
	parse_args(pamh, argc, argv, &ctrl);
	rc = lookup(pamh, &ctrl, &w);
	if (rc != PAM_SUCCESS)
		return rc == PAM_PERM_DENIED ? PAM_SESSION_ERR : rc;
	if (service_runs_outside(pamh, &ctrl)) {
		who_clear(&w);
		return PAM_SESSION_ERR;
	}
	/* First, whatever happens next: nothing a user could have planted reaches the host. */
	env_reduce(pamh, &w);
	item(pamh, PAM_SERVICE, service, sizeof(service));
	item(pamh, PAM_TTY, tty, sizeof(tty));
	item(pamh, PAM_RHOST, rhost, sizeof(rhost));
	proto_msg_init(&q, MSG_OPEN_SESSION);
	q.user = w.u.name;
	q.service = service[0] ? service : (char *) "unknown";
	q.tty = tty;
	q.rhost = rhost;
	q.pid = (uint32_t) getpid();
	rc = call(&ctrl, &q, &r);
	if (rc < 0) {
		rc = daemon_down(pamh, &ctrl, &w, -rc, PAM_SESSION_ERR);
		who_clear(&w);
		return rc;
	}
	if (r.type != MSG_SESSION_OPENED) {
		pam_syslog(pamh, LOG_NOTICE, "jaild refused a session for %s: %s", w.u.name,
			   r.type == MSG_ERROR ? r.text : "unexpected answer");
		pam_error(pamh, "%s", r.type == MSG_ERROR ? r.text : "corral: no session");
		proto_msg_clear(&r);
		who_clear(&w);
		return PAM_SESSION_ERR;
	}
	id = strdup(r.session);
	snprintf(env, sizeof(env), "CORRAL_SESSION=%s", r.session);
	proto_msg_clear(&r);
	if (!id || pam_set_data(pamh, DATA_SESSION, id, free_data) != PAM_SUCCESS ||
	    pam_putenv(pamh, env) != PAM_SUCCESS) {
		free(id);
		who_clear(&w);
		return PAM_BUF_ERR;
	}
	/* rshell must find the same jaild this module talked to. */
	if (strcmp(ctrl.socket, DEFAULT_SOCKET) != 0) {
		snprintf(env, sizeof(env), "CORRAL_SOCKET=%s", ctrl.socket);
		(void) pam_putenv(pamh, env);
	}
	pam_syslog(pamh, LOG_INFO, "session %.8s opened for %s", id, w.u.name);
	who_clear(&w);
	return PAM_SUCCESS;
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	const void *data = NULL;
	struct ctrl ctrl;
	struct proto_msg q, r;
	const char *id;
	int rc;

	(void) flags;
	parse_args(pamh, argc, argv, &ctrl);
	if (pam_get_data(pamh, DATA_SESSION, &data) != PAM_SUCCESS || !data) {
		/* Not ours (unmatched user), or opened by another process: its pam env says. */
		id = pam_getenv(pamh, "CORRAL_SESSION");
		if (!id)
			return PAM_IGNORE;
	} else {
		id = data;
	}
	if (strlen(id) > 64 || strspn(id, "0123456789abcdef") != strlen(id))
		return PAM_SESSION_ERR;
	proto_msg_init(&q, MSG_CLOSE_SESSION);
	q.session = (char *) id;
	rc = call(&ctrl, &q, &r);
	if (rc < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot close session %.8s: jaild unreachable", id);
		return PAM_SESSION_ERR;
	}
	rc = r.type == MSG_OK ? PAM_SUCCESS : PAM_SESSION_ERR;
	if (rc != PAM_SUCCESS)
		pam_syslog(pamh, LOG_NOTICE, "closing session %.8s: %s", id,
			   r.type == MSG_ERROR ? r.text : "unexpected answer");
	proto_msg_clear(&r);
	(void) pam_set_data(pamh, DATA_SESSION, NULL, NULL);
	return rc;
}
