/* SPDX-License-Identifier: MIT */
/* isolate/gen/seccomp_gen.c: builds isolate's default seccomp filter with libseccomp, at
 * build time, and prints it as a C header (the BPF program and the list of denied calls):
 * isolate then loads it with one prctl(2), instead of building it again (half a ms) in
 * every container. Run by make; its output is $(BUILD)/isolate-obj/seccomp_filter.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

/* Denied with EPERM, for every process of the container, on x86-64 and i386 alike.
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
static const char *const denied[] = {
	"kexec_load",
	"kexec_file_load",
	"init_module",
	"finit_module",
	"delete_module",
	"keyctl",
	"add_key",
	"request_key",
	"bpf",
	"perf_event_open",
	"userfaultfd",
	"io_uring_setup",
	"io_uring_enter",
	"io_uring_register",
	"mount",
	"umount",
	"umount2",
	"pivot_root",
	"chroot",
	"open_tree",
	"move_mount",
	"fsopen",
	"fsconfig",
	"fsmount",
	"fspick",
	"mount_setattr",
	"setns",
	"acct",
	"swapon",
	"swapoff",
	"reboot",
	"settimeofday",
	"stime",
	"clock_settime",
	"clock_adjtime",
	"adjtimex",
	"syslog",
	"iopl",
	"ioperm",
	"quotactl",
	"quotactl_fd",
	"vm86",
	"vm86old",
	"uselib",
	"open_by_handle_at",
	"nfsservctl",
	"lookup_dcookie",
	"_sysctl",
};

/* New namespaces: a user namespace gives a process every capability again, inside it, and
 * so the kernel code behind them (netfilter, ...). clone with any of these flags, unshare
 * with them (and CLONE_NEWTIME, which means a CSIGNAL bit to clone), are denied. */
static const unsigned long ns_flags[] = { CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWUTS,
					  CLONE_NEWIPC, CLONE_NEWUSER,   CLONE_NEWPID,
					  CLONE_NEWNET };

/* ioctls on a terminal that reach past the container: TIOCSTI pushes bytes into a
 * terminal's input, as if typed (a program holding the caller's terminal would type
 * commands into the caller's shell); TIOCLINUX drives the Linux console (its selection can
 * be pasted into the input the same way). The kernel takes the request as an unsigned int:
 * only the low 32 bits are compared, so a request with high bits set cannot slip by. */
static const unsigned long tty_ioctls[] = { TIOCSTI, TIOCLINUX };
#define IOCTL_REQUEST_MASK 0xffffffffu

/* No set-uid or set-gid file, as systemd's RestrictSUIDSGID= does: the container's root is
 * a slot of unprivileged ids that later runs get again, and a set-uid copy of a shell left
 * in a writable --bind would let any host user become that uid, and reach (signal, trace,
 * read the files of) whatever a later run in the slot does. The mode argument of each call
 * that sets one, with S_ISUID or S_ISGID in it; open and openat only when they create
 * (O_CREAT, O_TMPFILE). openat2's mode is in memory, out of a filter's sight: ENOSYS, as
 * for clone3 (programs fall back to openat). */
static const struct {
	const char *name;
	unsigned mode_arg; /* the mode's argument */
	int flags_arg;     /* the open flags' argument, or -1 */
} mode_calls[] = {
	{ "chmod", 1, -1 },     { "fchmod", 1, -1 }, { "fchmodat", 2, -1 },
	{ "fchmodat2", 2, -1 }, { "creat", 1, -1 },  { "mknod", 1, -1 },
	{ "mknodat", 2, -1 },   { "open", 2, 1 },    { "openat", 3, 2 },
};
static const unsigned long suid_bits[] = { S_ISUID, S_ISGID };
static const unsigned long create_flags[] = { O_CREAT, __O_TMPFILE };

/* personality(2) may only be queried: no READ_IMPLIES_EXEC, MMAP_PAGE_ZERO,
 * ADDR_NO_RANDOMIZE, nor any other persona (setarch and linux32 get EPERM). One
 * comparison: libseccomp allows no more than one on an argument per rule. */
#define PERSONALITY_QUERY 0xffffffffu

static void check(int r, const char *what)
{
	if (r) {
		fprintf(stderr, "seccomp_gen: %s: %s\n", what, strerror(-r));
		exit(1);
	}
}

static void deny(scmp_filter_ctx f, int err_no, const char *name, unsigned n,
		 const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR) {
		fprintf(stderr, "seccomp_gen: libseccomp knows no system call %s\n", name);
		exit(1);
	}
	check(seccomp_rule_add_array(f, SCMP_ACT_ERRNO(err_no), nr, n, cmp), name);
}

/* One rule per call, bit and creating flag: a rule compares each argument once. */
static void deny_suid(scmp_filter_ctx f)
{
	for (size_t i = 0; i < sizeof(mode_calls) / sizeof(mode_calls[0]); i++)
		for (size_t b = 0; b < sizeof(suid_bits) / sizeof(suid_bits[0]); b++) {
			struct scmp_arg_cmp c[2] = { { mode_calls[i].mode_arg, SCMP_CMP_MASKED_EQ,
						       suid_bits[b], suid_bits[b] } };

			if (mode_calls[i].flags_arg < 0) {
				deny(f, EPERM, mode_calls[i].name, 1, c);
				continue;
			}
			for (size_t o = 0; o < sizeof(create_flags) / sizeof(create_flags[0]);
			     o++) {
				c[1] = (struct scmp_arg_cmp){ (unsigned)mode_calls[i].flags_arg,
							      SCMP_CMP_MASKED_EQ, create_flags[o],
							      create_flags[o] };
				deny(f, EPERM, mode_calls[i].name, 2, c);
			}
		}
	deny(f, ENOSYS, "openat2", 0, NULL);
}

int main(void)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	struct scmp_arg_cmp cmp;
	struct sock_filter ins;
	FILE *tmp = tmpfile();
	size_t n = 0;

	if (!f || !tmp) {
		fprintf(stderr, "seccomp_gen: seccomp_init or tmpfile failed\n");
		return 1;
	}
	/* 32-bit calls go through the same rules; a binary tree, not a list. A call of an
	 * architecture the filter does not name fails with ENOSYS: on x86-64 that is the x32
	 * ABI, which Debian's kernels build but leave off (syscall.x32=n: every x32 call fails
	 * with ENOSYS there anyway), and whose rules would be a fifth of the filter, compiled
	 * again at every load. */
	if (seccomp_arch_native() == SCMP_ARCH_X86_64)
		check(seccomp_arch_add(f, SCMP_ARCH_X86), "seccomp_arch_add(x86)");
	check(seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(ENOSYS)),
	      "SCMP_FLTATR_ACT_BADARCH");
	check(seccomp_attr_set(f, SCMP_FLTATR_CTL_OPTIMIZE, 2), "SCMP_FLTATR_CTL_OPTIMIZE");
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		deny(f, EPERM, denied[i], 0, NULL);
	for (size_t i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++) {
		cmp = SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]);
		deny(f, EPERM, "clone", 1, &cmp);
		deny(f, EPERM, "unshare", 1, &cmp);
	}
	for (size_t i = 0; i < sizeof(tty_ioctls) / sizeof(tty_ioctls[0]); i++) {
		cmp = SCMP_A1(SCMP_CMP_MASKED_EQ, IOCTL_REQUEST_MASK, tty_ioctls[i]);
		deny(f, EPERM, "ioctl", 1, &cmp);
	}
	deny_suid(f);
	cmp = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWTIME, CLONE_NEWTIME);
	deny(f, EPERM, "unshare", 1, &cmp);
	/* clone3 passes its flags in memory, out of a filter's sight: ENOSYS makes the C
	 * library fall back to clone, whose flags the rules above see. */
	deny(f, ENOSYS, "clone3", 0, NULL);
	cmp = SCMP_A0(SCMP_CMP_NE, PERSONALITY_QUERY);
	deny(f, EPERM, "personality", 1, &cmp);

	check(seccomp_export_bpf(f, fileno(tmp)), "seccomp_export_bpf");
	rewind(tmp);
	printf("/* Generated by isolate/gen/seccomp_gen.c with libseccomp %u.%u.%u: do not edit. */\n",
	       seccomp_version()->major, seccomp_version()->minor, seccomp_version()->micro);
	printf("static const char *const iso_seccomp_denied[] = {");
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		printf("%s\"%s\",", i % 6 ? " " : "\n\t", denied[i]);
	printf("\n\tNULL,\n};\n\n");
	printf("static const struct sock_filter iso_seccomp_bpf[] = {\n");
	while (fread(&ins, sizeof(ins), 1, tmp) == 1) {
		printf("\t{ 0x%04x, %3u, %3u, 0x%08x },\n", ins.code, ins.jt, ins.jf, ins.k);
		n++;
	}
	printf("};\n");
	seccomp_release(f);
	if (!n)
		fprintf(stderr, "seccomp_gen: libseccomp exported no instruction\n");
	return n ? 0 : 1;
}
