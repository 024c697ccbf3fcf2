/* SPDX-License-Identifier: MIT */
/* vmm/vm.h: /dev/kvm, the VM file descriptor and guest memory. */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <stddef.h>
#include <stdint.h>

#include "mv_err.h"
#include "gmem.h"

struct vm {
	int kvm_fd;              /* /dev/kvm (shared by every VM of the run; not owned) */
	int vm_fd;               /* from KVM_CREATE_VM */
	int api_version;         /* KVM_GET_API_VERSION: 12 on every kernel since 2.6.22 */
	struct gmem mem;         /* guest memory: one anonymous mapping, memory slot 0 at gpa 0 */
	size_t run_size;         /* KVM_GET_VCPU_MMAP_SIZE: bytes of each vCPU's kvm_run area */
	int coalesced_mmio_page; /* KVM_CAP_COALESCED_MMIO: page offset of its ring, or 0 */
};

/* vm_open_kvm: opens /dev/kvm and checks its API; returns the fd. Dies with VMM_NO_KVM. */
int vm_open_kvm(void);

/* vm_create: creates a VM on kvm_fd (from vm_open_kvm) with its own mem_size bytes of
 * guest memory, its own memory slot 0 at guest-physical 0. Each VM is a separate
 * guest-physical address space: nested paging (EPT/NPT) keeps one VM's vCPUs out of
 * every other VM's memory. Safe to call from several threads at once (each with its own
 * vm). Returns 0, or -1 with the reason in e and nothing left open or mapped. */
int vm_create(struct vm *vm, int kvm_fd, uint64_t mem_size, struct mv_err *e);

/* vm_destroy: closes the VM fd (not kvm_fd), then unmaps guest memory; close its vCPUs
 * first. */
void vm_destroy(struct vm *vm);

#endif
