/* vmm/x86_modes.h: puts a vCPU into real, protected, paged 32-bit or long mode: the GDT
 * and page tables in guest memory, then the segment and control registers. */
#ifndef VMM_X86_MODES_H
#define VMM_X86_MODES_H

#include "layout.h"
#include "pagetable.h"
#include "vm.h"

struct x86_setup {
	struct pt_built pt; /* the page tables written (none in -r and -s) */
	uint64_t cr0, cr3, cr4, efer; /* as read back from KVM after setting them */
};

/* x86_setup_mode: writes the tables of layout l into vm's memory and loads vcpu_fd's
 * registers so it starts at l->entry with boot_gva (struct hc_boot_info) in edi/rdi,
 * and the stack pointer at the top of the stack. Returns 0; or -ENOTSUP when this host's KVM
 * refuses the mode (the control registers read back differ from those set), with the
 * register that differs named in why. Dies on other failures. */
int x86_setup_mode(struct vm *vm, int vcpu_fd, const struct layout *l, uint64_t boot_gva,
		   struct x86_setup *out, char *why, size_t whylen);

#endif
