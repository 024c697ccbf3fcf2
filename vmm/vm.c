/* SPDX-License-Identifier: MIT */
/* vmm/vm.c: opening KVM, creating the VM and its memory. */
#include "vm.h"

#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "util.h"

/* Three pages below 4 GiB that VMX needs for real mode without unrestricted guest (a
 * TSS) and one for its identity page table: outside our memory (at most 2 GiB). */
#define KVM_TSS_GPA 0xfffbd000ull
#define KVM_IDENTITY_MAP_GPA 0xfffbc000ull

int vm_open_kvm(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC), api;

	if (fd < 0) {
		if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
			die(VMM_NO_KVM, "/dev/kvm not found: KVM is not available on this host "
					"(is the kvm module loaded, or virtualization enabled?)");
		if (errno == EACCES || errno == EPERM)
			die(VMM_NO_KVM,
			    "no permission to open /dev/kvm "
			    "(run as root or join the group that owns it, usually 'kvm')");
		die_errno(VMM_NO_KVM, "cannot open /dev/kvm");
	}
	api = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION)
		die(VMM_NO_KVM, "KVM API version %d, this program needs %d", api, KVM_API_VERSION);
	if (ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) <= 0)
		die(VMM_NO_KVM, "this KVM lacks KVM_CAP_USER_MEMORY");
	return fd;
}

int vm_create(struct vm *vm, int kvm_fd, uint64_t mem_size, struct mv_err *e)
{
	struct kvm_userspace_memory_region slot;
	uint64_t addr = KVM_IDENTITY_MAP_GPA;
	int n;
	void *mem;

	*vm = (struct vm){ .kvm_fd = kvm_fd, .vm_fd = -1, .api_version = KVM_API_VERSION };
	vm->vm_fd = RETRY_EINTR(ioctl(vm->kvm_fd, KVM_CREATE_VM, 0));
	if (vm->vm_fd < 0)
		return mv_seterr(e, errno, "KVM_CREATE_VM failed");

	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_TSS_ADDR) > 0 &&
	    ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)KVM_TSS_GPA) < 0) {
		mv_seterr(e, errno, "KVM_SET_TSS_ADDR failed");
		goto fail;
	}
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_IDENTITY_MAP_ADDR) > 0 &&
	    ioctl(vm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &addr) < 0) {
		mv_seterr(e, errno, "KVM_SET_IDENTITY_MAP_ADDR failed");
		goto fail;
	}

	/* MAP_NORESERVE: the host commits only the pages the guest touches. */
	mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		mv_seterr(e, errno, "cannot map %llu bytes of guest memory",
			  (unsigned long long)mem_size);
		goto fail;
	}
	vm->mem = (struct gmem){ .host = mem, .size = mem_size };

	slot = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = mem_size,
		.userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
		mv_seterr(e, errno, "KVM_SET_USER_MEMORY_REGION failed");
		goto fail;
	}

	n = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (n < (int)sizeof(struct kvm_run)) {
		mv_seterr(e, n < 0 ? errno : 0, "KVM_GET_VCPU_MMAP_SIZE returned %d", n);
		goto fail;
	}
	vm->run_size = (size_t)n;
	n = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO);
	vm->coalesced_mmio_page = n > 0 ? n : 0;
	return 0;
fail:
	vm_destroy(vm);
	return -1;
}

void vm_destroy(struct vm *vm)
{
	/* The VM first: with its vCPUs closed this destroys it, and the unmap that follows
	 * no longer makes KVM zap its mappings of each page (its mmu notifier is gone). */
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->mem.host)
		munmap(vm->mem.host, vm->mem.size);
	*vm = (struct vm){ .kvm_fd = -1, .vm_fd = -1 };
}
