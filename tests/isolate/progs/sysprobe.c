/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/sysprobe.c: tries the system calls isolate's seccomp filter denies,
 * each through syscall(2) with harmless arguments, and prints "NAME ERRNO" (the errno's
 * name, or "ok" when the call succeeded): keyctl, add_key, bpf, userfaultfd,
 * perf_event_open, unshare(CLONE_NEWUSER), mount, personality(READ_IMPLIES_EXEC),
 * kexec_load, init_module, io_uring_setup, setns, chroot, clone(CLONE_NEWNET); then
 * getpid as a control, and a thread (pthread_create: clone3 gets ENOSYS, glibc falls back
 * to clone); keyctl again through the i386 entry (int 0x80: the filter's 32-bit half), and
 * getpid through the x32 ABI (the filter answers ENOSYS: no rules for it, and no kill). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *thread(void *arg)
{
	return arg;
}

static void show(const char *name, long r)
{
	printf("%s %s\n", name, r < 0 ? strerrorname_np(errno) : "ok");
}

/* An i386 system call from this 64-bit process: its result, -errno on failure. */
static long int80(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

static void show_raw(const char *name, long r)
{
	errno = r < 0 && r > -4096 ? (int)-r : 0;
	show(name, r < 0 && r > -4096 ? -1 : 0);
}

int main(void)
{
	char attr[128] = { 0 };
	long r;

	show("getpid", syscall(SYS_getpid));
	show("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
	show("add_key",
	     syscall(SYS_add_key, "user", "isolate-test", "x", 1, KEY_SPEC_PROCESS_KEYRING));
	show("bpf", syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, attr, sizeof(attr)));
	show("userfaultfd", syscall(SYS_userfaultfd, 1 /* UFFD_USER_MODE_ONLY */));
	show("perf_event_open", syscall(SYS_perf_event_open, attr, 0, -1, -1, 0));
	show("unshare", syscall(SYS_unshare, CLONE_NEWUSER));
	show("mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL));
	r = syscall(SYS_personality, READ_IMPLIES_EXEC);
	show("personality", r);
	show("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
	show("init_module", syscall(SYS_init_module, NULL, 0, ""));
	show("io_uring_setup", syscall(SYS_io_uring_setup, 1, attr));
	show("setns", syscall(SYS_setns, open("/proc/self/ns/net", O_RDONLY), 0));
	show("chroot", syscall(SYS_chroot, "/"));
	r = syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, NULL, NULL, NULL, 0);
	if (r == 0)
		_exit(0);
	show("clone_newnet", r);
	show("clone3", syscall(SYS_clone3, NULL, 0));
	{
		pthread_t t;
		int e = pthread_create(&t, NULL, thread, NULL);

		if (e == 0)
			pthread_join(t, NULL);
		errno = e;
		show("pthread", e ? -1 : 0);
	}
	show_raw("keyctl_i386",
		 int80(288 /* keyctl */, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
	show("getpid_x32", syscall(0x40000000 /* __X32_SYSCALL_BIT */ | SYS_getpid));
	return 0;
}
