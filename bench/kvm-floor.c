/* SPDX-License-Identifier: MIT */
/* bench/kvm-floor.c: the floor for `make bench`: the least a KVM program can do, to
 * compare kvm-hello-world against. Opens /dev/kvm, creates a VM with one page holding a
 * HLT, runs one vCPU in real mode until the HLT exit, and exits 0. */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static void fail(const char *what)
{
	perror(what);
	exit(1);
}

int main(void)
{
	struct kvm_userspace_memory_region slot;
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rflags = 2, .rip = 0 };
	struct kvm_run *run;
	int kvm, vm, vcpu, run_size;
	unsigned char *mem;

	if ((kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0)
		fail("/dev/kvm");
	if ((vm = ioctl(kvm, KVM_CREATE_VM, 0)) < 0)
		fail("KVM_CREATE_VM");
	mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		fail("mmap");
	mem[0] = 0xf4; /* hlt */
	slot = (struct kvm_userspace_memory_region){ .memory_size = 4096,
						     .userspace_addr = (unsigned long)mem };
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		fail("KVM_SET_USER_MEMORY_REGION");
	if ((vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) < 0)
		fail("KVM_CREATE_VCPU");
	if ((run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0)) < 0)
		fail("KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		fail("mmap kvm_run");
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		fail("KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0 || ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		fail("KVM_SET_(S)REGS");
	if (ioctl(vcpu, KVM_RUN, 0) < 0)
		fail("KVM_RUN");
	if (run->exit_reason != KVM_EXIT_HLT) {
		fprintf(stderr, "kvm-floor: exit reason %u, expected HLT\n", run->exit_reason);
		return 1;
	}
	return 0;
}
