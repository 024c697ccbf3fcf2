/* SPDX-License-Identifier: MIT */
/* vmm/khc.c: the in-kernel hypercall probe: a page of real-mode code and one KVM_RUN,
 * cut short by a timer because kvm_pvm never returns from vmcall. */
#include "khc.h"

#include <cpuid.h>
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include <minivirt/hc.h>

#include "util.h"

/* The host CPU's hypercall instruction; KVM on AMD would otherwise have to emulate
 * vmcall (and the other way round). */
static unsigned host_insn(void)
{
	unsigned a, b, c, d;

	__cpuid(0, a, b, c, d);
	/* "AuthenticAMD" and "HygonGenuine": ebx "Auth"/"Hygo" */
	return b == 0x68747541 || b == 0x6f677948 ? HC_KHC_VMMCALL : HC_KHC_VMCALL;
}

static void on_alarm(int sig)
{
	(void)sig; /* only to make KVM_RUN return EINTR */
}

enum khc_probe khc_probe(int kvm_fd, unsigned timeout_ms, unsigned *insn, struct mv_err *why)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval t = { .it_value = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 } };
	struct kvm_userspace_memory_region slot;
	cleanup_fd int vm = -1, vcpu = -1;
	struct kvm_regs regs = { .rflags = 2 };
	enum khc_probe result;
	struct kvm_sregs sregs;
	struct kvm_run *run;
	uint8_t *mem;
	int size, rc;
	/* mov $HC_KHC_PING, %eax (with the operand-size prefix); the instruction; hlt */
	uint8_t code[] = { 0x66,
			   0xb8,
			   HC_KHC_PING & 0xff,
			   (HC_KHC_PING >> 8) & 0xff,
			   (HC_KHC_PING >> 16) & 0xff,
			   HC_KHC_PING >> 24,
			   0x0f,
			   0x01,
			   0xc1,
			   0xf4 };

	*insn = host_insn();
	code[8] = *insn == HC_KHC_VMMCALL ? 0xd9 : 0xc1;
	if ((vm = ioctl(kvm_fd, KVM_CREATE_VM, 0)) < 0)
		die_errno(VMM_HOST_ERROR, "KVM_CREATE_VM for the --khc probe failed");
	mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die_errno(VMM_HOST_ERROR, "mmap for the --khc probe failed");
	memcpy(mem, code, sizeof(code));
	slot = (struct kvm_userspace_memory_region){ .memory_size = 4096,
						     .userspace_addr = (uintptr_t)mem };
	size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0 ||
	    (vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) < 0 || size <= 0)
		die_errno(VMM_HOST_ERROR, "setting up the --khc probe failed");
	run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED || ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		die_errno(VMM_HOST_ERROR, "setting up the --khc probe failed");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0 || ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		die_errno(VMM_HOST_ERROR, "setting up the --khc probe failed");

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	setitimer(ITIMER_REAL, &t, NULL);
	rc = ioctl(vcpu, KVM_RUN, 0);
	memset(&t, 0, sizeof(t));
	setitimer(ITIMER_REAL, &t, NULL);
	sigaction(SIGALRM, &old, NULL);

	ioctl(vcpu, KVM_GET_REGS, &regs);
	if (rc < 0 && errno == EINTR) {
		mv_seterr(why, 0, "the vCPU did not come back from %s within %u ms",
			  *insn == HC_KHC_VMMCALL ? "vmmcall" : "vmcall", timeout_ms);
		result = KHC_HANGS;
	} else if (rc == 0 && run->exit_reason == KVM_EXIT_HLT &&
		   (uint32_t)regs.rax == HC_KHC_MAGIC) {
		mv_seterr(why, 0, "minivirt_khc answered");
		result = KHC_OK;
	} else if (rc == 0 && run->exit_reason == KVM_EXIT_HLT) {
		mv_seterr(why, 0, "KVM answered 0x%llx: the minivirt_khc module is not loaded",
			  regs.rax);
		result = KHC_NO_MODULE;
	} else {
		mv_seterr(why, 0, "%s ended the probe VM with %s",
			  *insn == HC_KHC_VMMCALL ? "vmmcall" : "vmcall",
			  rc < 0 ? strerror(errno)
			  : run->exit_reason == KVM_EXIT_SHUTDOWN
				  ? "a shutdown (the instruction faulted)"
				  : "an unexpected exit");
		result = KHC_FAILS;
	}
	munmap(run, (size_t)size);
	munmap(mem, 4096);
	return result;
}
