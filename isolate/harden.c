/* isolate/harden.c: no_new_privs, capabilities and the default seccomp filter. */
#include "harden.h"

#include <linux/capability.h>
#include <linux/sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "util.h"

/* Denied with EPERM, for every process of the container, on x86-64, i386 and x32 alike.
 * Kernel code reachable from a user namespace is where container escapes come from; these
 * are the calls no ordinary program needs and exploits often do:
 * - loading kernel code or a new kernel: modules, kexec;
 * - kernel keyrings (not namespaced: the host's keys are one keyctl away);
 * - bpf, perf_event_open, userfaultfd, io_uring: large attack surfaces (userfaultfd
 *   stretches race windows in kernel exploits);
 * - the mount API, pivot_root, chroot and setns: the container's filesystem is set up
 *   before the filter, and stays as it is;
 * - clock, swap, reboot, accounting, quotas, kernel log, raw I/O ports, vm86, uselib,
 *   open_by_handle_at (the "shocker" escape), nfsservctl, lookup_dcookie, _sysctl. */
const char *const iso_seccomp_denied[] = {
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"keyctl", "add_key", "request_key",
	"bpf", "perf_event_open", "userfaultfd",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"mount", "umount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount",
	"fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "setns",
	"acct", "swapon", "swapoff", "reboot", "settimeofday", "stime", "clock_settime",
	"clock_adjtime", "adjtimex", "syslog", "iopl", "ioperm", "quotactl", "quotactl_fd",
	"vm86", "vm86old", "uselib", "open_by_handle_at", "nfsservctl", "lookup_dcookie",
	"_sysctl",
	NULL,
};

/* New namespaces: a user namespace gives a process every capability again, inside it, and
 * so the kernel code behind them (netfilter, ...). clone with any of these flags, unshare
 * with them (and CLONE_NEWTIME, which means CSIGNAL's bit to clone), are denied. */
static const unsigned long ns_flags[] = { CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS,
					  CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET };

/* personality(2) may only be queried (0xffffffff): no READ_IMPLIES_EXEC, MMAP_PAGE_ZERO,
 * ADDR_NO_RANDOMIZE, nor any other persona (setarch and linux32 get EPERM). One comparison:
 * libseccomp allows no more than one on an argument per rule. */
#define PERSONALITY_QUERY 0xffffffffu

static int deny(scmp_filter_ctx f, int err_no, const char *name, unsigned n,
		const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return 0; /* not a call of this libseccomp's architectures: nothing to deny */
	return seccomp_rule_add_array(f, SCMP_ACT_ERRNO(err_no), nr, n, cmp);
}

int iso_harden_prepare(const struct iso_config *cfg, struct iso_harden *h, char *err)
{
	struct scmp_arg_cmp cmp[1];
	scmp_filter_ctx f;
	int r = 0;

	h->filter = NULL;
	if (!cfg->seccomp)
		return 0;
	f = seccomp_init(SCMP_ACT_ALLOW);
	if (!f)
		return iso_seterr(err, 0, "seccomp_init failed");
	/* 32-bit and x32 calls go through the same rules (else a 32-bit program would be
	 * killed by the filter's bad-architecture action); a binary tree, not a list. */
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		r = seccomp_arch_add(f, SCMP_ARCH_X86);
		if (!r)
			r = seccomp_arch_add(f, SCMP_ARCH_X32);
	}
	if (!r)
		r = seccomp_attr_set(f, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t i = 0; !r && iso_seccomp_denied[i]; i++)
		r = deny(f, EPERM, iso_seccomp_denied[i], 0, NULL);
	for (size_t i = 0; !r && i < ARRAY_SIZE(ns_flags); i++) {
		cmp[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]);
		r = deny(f, EPERM, "clone", 1, cmp);
		if (!r)
			r = deny(f, EPERM, "unshare", 1, cmp);
	}
	if (!r) {
		cmp[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWTIME, CLONE_NEWTIME);
		r = deny(f, EPERM, "unshare", 1, cmp);
	}
	/* clone3 passes its flags in memory, out of a filter's sight: ENOSYS makes the C
	 * library fall back to clone, whose flags the rules above see. */
	if (!r)
		r = deny(f, ENOSYS, "clone3", 0, NULL);
	cmp[0] = SCMP_A0(SCMP_CMP_NE, PERSONALITY_QUERY);
	if (!r)
		r = deny(f, EPERM, "personality", 1, cmp);
	if (r) {
		seccomp_release(f);
		return iso_seterr(err, -r, "cannot build the seccomp filter");
	}
	h->filter = f;
	return 0;
}

/* capset(2) without libcap: the three sets of version 3 (two 32-bit words each). */
static int set_caps(unsigned long long keep)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { 0 };

	for (int i = 0; i < 2; i++) {
		data[i].effective = (unsigned)(keep >> (32 * i));
		data[i].permitted = (unsigned)(keep >> (32 * i));
		data[i].inheritable = 0;
	}
	return (int)syscall(SYS_capset, &hdr, data);
}

int iso_harden_apply(const struct iso_config *cfg, struct iso_harden *h, char *err)
{
	unsigned long long keep = cfg->caps, bound = cfg->caps;

	/* no_new_privs: exec never grants anything again: not setuid/setgid bits, not file
	 * capabilities, not a root exec's full set (the kernel keeps what the process had). */
	if (cfg->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return iso_seterr(err, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
	/* The bounding set caps what any exec can reach. CAP_NET_RAW stays in it when
	 * no_new_privs is on, so that binaries with it as a file capability (Debian's ping)
	 * still start, with no_new_privs holding them to the caller's own, empty, set. */
	if (cfg->no_new_privs)
		bound |= 1ull << CAP_NET_RAW;
	for (int c = 0; c <= 63; c++) {
		if (bound & (1ull << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0)) {
			if (errno == EINVAL)
				break; /* past the kernel's last capability */
			return iso_seterr(err, errno, "prctl(PR_CAPBSET_DROP, %d)", c);
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return iso_seterr(err, errno, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
	if (set_caps(keep))
		return iso_seterr(err, errno, "capset");
	if (h->filter) {
		int r = seccomp_load(h->filter);

		seccomp_release(h->filter);
		h->filter = NULL;
		if (r)
			return iso_seterr(err, -r, "cannot load the seccomp filter");
	}
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
	iso_step("pid 1", "harden: no_new_privs %s; capabilities kept: %s%s", cfg->no_new_privs ?
		 "on" : "off (--no-harden)", n ? caps : "none",
		 cfg->no_new_privs ? " (bounding set: those and CAP_NET_RAW, for file-capability "
		 "binaries such as ping; no_new_privs grants it to none)" : "");
	if (cfg->seccomp)
		iso_step("pid 1", "harden: seccomp filter loaded: %zu calls denied with EPERM, new "
			 "namespaces (clone, unshare) and setting a personality too, clone3 with ENOSYS",
			 ARRAY_SIZE(iso_seccomp_denied) - 1);
	else
		iso_step("pid 1", "harden: no seccomp filter (--seccomp none)");
}
