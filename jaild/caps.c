// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Capabilities.  Runs in the spawn child as root, before setuid: empties the bounding and
 * ambient sets (which needs CAP_SETPCAP, so it must come first), then after the uid change
 * caps_verify_none() checks that nothing is left and that root cannot be regained (OpenSSH
 * uidswap.c:permanently_set_uid).
 */
#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "jaild.h"

int caps_drop_all(void)
{
	/* Every capability the kernel knows, which may be more than CAP_LAST_CAP says: drop until
	 * the kernel answers EINVAL (no such capability). */
	for (int c = 0;; c++)
		if (prctl(PR_CAPBSET_DROP, c) < 0) {
			if (errno == EINVAL && c > 0)
				break;
			return -errno;
		}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -errno;
	/* No keep-caps across the coming setuid, and no way to turn it back on. */
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
					     SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
					     SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) < 0)
		return -errno;
	/* Permitted and effective sets go with the setuid to the user that follows. */
	return 0;
}

int caps_verify_none(void)
{
	cap_t now = cap_get_proc(), none = cap_init();
	int same, r = 0;

	if (!now || !none) {
		cap_free(now);
		cap_free(none);
		return -ENOMEM;
	}
	same = cap_compare(now, none) == 0;
	cap_free(now);
	cap_free(none);
	if (!same)
		return -EPERM;
	for (int c = 0; c <= CAP_LAST_CAP; c++)
		if (prctl(PR_CAPBSET_READ, c) == 1)
			return -EPERM;
	/* Regaining root must fail. */
	if (setuid(0) == 0 || seteuid(0) == 0)
		r = -EPERM;
	return r;
}
