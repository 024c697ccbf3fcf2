/* SPDX-License-Identifier: MIT */
/* isolate/harden.c: no_new_privs, capabilities and the default seccomp filter. */
#include "harden.h"

#include <linux/capability.h> /* CAP_NET_RAW */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "base.h"
#include "caps.h"

/* The default filter, built with libseccomp when isolate is built (isolate/gen/seccomp_gen.c
 * holds the rules and why each is there): iso_seccomp_bpf, the BPF program; and
 * iso_seccomp_denied, the calls it answers EPERM. */
#include "seccomp_filter.h"

int iso_harden_filter(const struct iso_config *cfg, struct mv_err *err)
{
	struct sock_fprog prog = {
		.len = ARRAY_SIZE(iso_seccomp_bpf),
		.filter = (struct sock_filter *)iso_seccomp_bpf,
	};

	/* no_new_privs: exec never grants anything again: not setuid/setgid bits, not file
	 * capabilities, not a root exec's full set (the kernel keeps what the process had). */
	if (cfg->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return mv_seterr(err, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
	/* The filter while the capabilities are all there: without no_new_privs (--no-harden
	 * --seccomp default), loading one takes CAP_SYS_ADMIN. It denies none of the calls
	 * iso_harden_caps makes, nor those of the steps between the two (the ids, the veth
	 * end, the terminal, the limits). */
	if (cfg->seccomp && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0))
		return mv_seterr(err, errno, "cannot load the seccomp filter");
	return 0;
}

int iso_harden_caps(const struct iso_config *cfg, struct mv_err *err)
{
	unsigned long long bound = cfg->caps;
	struct iso_caps sets = { .effective = cfg->caps, .permitted = cfg->caps };
	struct mv_err e = { "" };

	/* The bounding set caps what any exec can reach. CAP_NET_RAW stays in it when
	 * no_new_privs is on, so that binaries with it as a file capability (Debian's ping)
	 * still start, with no_new_privs holding them to the caller's own, empty, set. */
	if (cfg->no_new_privs)
		bound |= 1ull << CAP_NET_RAW;
	if (iso_caps_bound(bound, &e) || iso_caps_set(&sets, &e))
		return mv_seterr(err, 0, "%s", e.msg);
	return 0;
}

void iso_harden_describe(const struct iso_config *cfg)
{
	char caps[512] = "";
	size_t n = 0;

	if (!iso_verbose)
		return;
	for (int c = 0; c <= ISO_CAP_LAST; c++)
		if (cfg->caps & (1ull << c) && n < sizeof(caps))
			n += (size_t)snprintf(caps + n, sizeof(caps) - n, "%s%s", n ? "," : "",
					      iso_cap_name(c));
	if (cfg->caps == ISO_CAPS_ALL)
		snprintf(caps, sizeof(caps), "all");
	iso_step("pid 1", "harden: no_new_privs %s; capabilities kept: %s%s",
		 cfg->no_new_privs ? "on" : "off (--no-harden)", n ? caps : "none",
		 cfg->no_new_privs ? " (bounding set: those and CAP_NET_RAW, for file-capability "
				     "binaries such as ping; no_new_privs grants it to none)"
				   : "");
	if (cfg->seccomp)
		iso_step(
			"pid 1",
			"harden: seccomp filter (%zu BPF instructions, built with "
			"libseccomp): %zu calls denied with EPERM, new namespaces (clone, unshare), "
			"setting a personality, the terminal ioctls TIOCSTI and TIOCLINUX and "
			"set-uid or set-gid modes too, clone3 and openat2 with ENOSYS",
			ARRAY_SIZE(iso_seccomp_bpf), ARRAY_SIZE(iso_seccomp_denied) - 1);
	else
		iso_step("pid 1", "harden: no seccomp filter (--seccomp none)");
}
