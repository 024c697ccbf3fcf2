/* SPDX-License-Identifier: MIT */
/* vmm/khc.h: probing whether this host's KVM answers vmcall/vmmcall (kvm_pvm hangs the
 * vCPU on it) and whether the minivirt_khc module is there, before offering in-kernel
 * hypercalls to a guest (--khc). */
#ifndef VMM_KHC_H
#define VMM_KHC_H

#include <stddef.h>

#include "mv_err.h"

enum khc_probe {
	KHC_OK,        /* the instruction returns and minivirt_khc answers */
	KHC_NO_MODULE, /* KVM answers (-KVM_ENOSYS), the module is not loaded */
	KHC_HANGS,     /* the vCPU never came back from the instruction */
	KHC_FAILS,     /* another exit: the instruction is not handled */
};

/* khc_probe: runs `mov $HC_KHC_PING, %eax; vmcall|vmmcall; hlt` in a throwaway real-mode
 * VM for at most timeout_ms; *insn gets HC_KHC_VMCALL or HC_KHC_VMMCALL (the host CPU's).
 * Dies only if KVM cannot make the probe VM. why says what was seen. */
enum khc_probe khc_probe(int kvm_fd, unsigned timeout_ms, unsigned *insn, struct mv_err *why);

#endif
