/* SPDX-License-Identifier: MIT */
/* isolate/caps.c: the bounding, effective, permitted, inheritable and ambient sets, for
 * isolate's hardening and for an OCI process alike. */
#include "caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int iso_caps_bound(unsigned long long keep, struct mv_err *e)
{
	for (int c = 0; c <= 63; c++) {
		if (keep & (1ull << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0)) {
			if (errno == EINVAL)
				break; /* past the kernel's last capability */
			return mv_seterr(e, errno, "prctl(PR_CAPBSET_DROP, %d)", c);
		}
	}
	return 0;
}

int iso_caps_set(const struct iso_caps *c, struct mv_err *e)
{
	/* capset(2) without libcap: the three sets of version 3, two 32-bit words each */
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { 0 };

	for (int i = 0; i < 2; i++) {
		data[i].effective = (unsigned)(c->effective >> (32 * i));
		data[i].permitted = (unsigned)(c->permitted >> (32 * i));
		data[i].inheritable = (unsigned)(c->inheritable >> (32 * i));
	}
	if (syscall(SYS_capset, &hdr, data))
		return mv_seterr(e, errno, "capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return mv_seterr(e, errno, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
	for (int n = 0; n <= 63; n++)
		if (c->ambient & (1ull << n))
			prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, n, 0, 0);
	return 0;
}
