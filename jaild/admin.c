// SPDX-License-Identifier: GPL-3.0-or-later
/* The admin verbs that need more than a line in server.c: list, reload, status. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jail-quota.h"
#include "jaild.h"
#include "log.h"

void admin_list(struct jaild *d, struct conn *c, bool one_user, uid_t uid)
{
	struct proto_msg r;
	size_t n = 0, i = 0;

	for (struct jail *j = d->jails; j; j = j->next)
		n++;
	proto_msg_init(&r, MSG_LIST_REPLY);
	r.jails = calloc(n + 1, sizeof(struct proto_jail));
	if (!r.jails) {
		(void) proto_send_error(c->w.fd, ENOMEM, "out of memory");
		return;
	}
	for (struct jail *j = d->jails; j; j = j->next) {
		struct cg_stats st = { 0 };
		if (j->dying || j->building || (one_user && j->uid != uid))
			continue;
		(void) d->cg->be->stats(d->cg, j->cgname, &st);
		r.jails[i++] = (struct proto_jail){ .user = j->user,
						    .init_pid = (uint32_t) j->init_pid,
						    .sessions = (uint32_t) j->nsessions,
						    .mem_cur = st.mem_cur, .mem_max = st.mem_max,
						    .pids_cur = st.pids_cur, .pids_max = st.pids_max,
						    .cpu_usec = st.cpu_usec };
		jail_quota_fill(j, &r.jails[i - 1]);
	}
	r.njails = (uint32_t) i;
	(void) proto_send(c->w.fd, &r);
	free(r.jails); /* the user strings belong to the jails */
}

int admin_reload(struct jaild *d, char **ret_why)
{
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int r = policy_set_load(d->policy_dir, NULL, &set, &errs);

	if (r == 0) {
		policy_set_free(d->policies);
		d->policies = set;
		log_info("reloaded the policies of %s (%zu group and user files); running jails keep "
			 "theirs until they are rebuilt",
			 d->policy_dir, set->nfiles);
		return 0;
	}
	f = open_memstream(&text, &len);
	for (size_t i = 0; i < errs.n; i++) {
		log_err("reload: %s", errs.msg[i]);
		if (f)
			fprintf(f, "%s\n", errs.msg[i]);
	}
	if (!errs.n) {
		log_err("reload of %s failed: %s", d->policy_dir, strerror(-r));
		if (f)
			fprintf(f, "%s: %s\n", d->policy_dir, strerror(-r));
	}
	if (f) {
		fputs("the previous policies stay in force", f);
		fclose(f);
	}
	log_err("reload refused; the previous policies stay in force");
	perr_clear(&errs);
	*ret_why = text;
	return -EINVAL;
}

void admin_status(struct jaild *d, struct conn *c)
{
	struct proto_msg r;
	char text[1024];
	int jails = 0, sessions = 0;

	for (struct jail *j = d->jails; j; j = j->next)
		jails++;
	for (struct session *s = d->sessions; s; s = s->next)
		sessions++;
	snprintf(text, sizeof(text),
		 "jaild %s, up %lds\npolicies: %s (%zu group and user files)\ncgroups: %s at %s\n"
		 "jails: %d, sessions: %d, connections: %d",
		 PACKAGE_VERSION, (long) (time(NULL) - d->started), d->policy_dir,
		 d->policies->nfiles, d->cg->be->name, d->cg->root, jails, sessions, d->nconns);
	proto_msg_init(&r, MSG_STATUS_REPLY);
	r.text = text;
	(void) proto_send(c->w.fd, &r);
}
