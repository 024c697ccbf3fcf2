/* SPDX-License-Identifier: MIT */
/* vmm/x86_modes.h: puts a vCPU into real, protected, paged 32-bit or long mode: the GDT
 * and page tables in guest memory, then the segment and control registers. */
#ifndef VMM_X86_MODES_H
#define VMM_X86_MODES_H

#include "mv_err.h"
#include "layout.h"
#include "pagetable.h"
#include "vm.h"

struct x86_setup {
	struct pt_built pt;           /* the page tables written (none in -r and -s) */
	uint64_t cr0, cr3, cr4, efer; /* as read back from KVM after setting them */
};

/* x86_build: writes the GDT and the page tables of layout l into mem, the guest's
 * memory, whose address 0 is guest-physical phys (an instance's slice); pt gets what was
 * built (root is guest-physical). Once per address space. Dies on failure. */
void x86_build(struct gmem *mem, const struct layout *l, uint64_t phys, struct pt_built *pt);

/* x86_setup_vcpu: loads vcpu_fd's registers for l's mode (ring 3 when l->user), its IDT
 * and TSS (slot: its exception stack, one per vCPU sharing the memory), with
 * CR3 = pt->root, rip = l->entry, rsp and rdi (the boot info). Returns 0; or -ENOTSUP
 * when this host's KVM refuses the mode (the control registers read back differ), with
 * the registers in why. Dies on other failures. */
int x86_setup_vcpu(int vcpu_fd, const struct layout *l, unsigned slot, const struct pt_built *pt,
		   uint64_t rsp, uint64_t rdi, struct x86_setup *out, struct mv_err *why);

#endif
