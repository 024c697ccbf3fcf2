/* SPDX-License-Identifier: MIT */
/* guest/sdk/khc.c: hypercalls answered inside KVM: vmcall on Intel, vmmcall on AMD, as
 * the VMM says in the boot info, and only when it offered them (--khc). */
#include <minivirt/guest.h>

#include "sdk.h"

long mv_kvm_hypercall(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
		      unsigned long a3)
{
	const unsigned insn = sdk_offers(mv_boot_info()) ? mv_boot_info()->khc : 0;
	unsigned long ret;

	if (insn == HC_KHC_VMCALL)
		__asm__ volatile("vmcall"
				 : "=a"(ret)
				 : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
				 : "memory");
	else if (insn == HC_KHC_VMMCALL)
		__asm__ volatile("vmmcall"
				 : "=a"(ret)
				 : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
				 : "memory");
	else
		return -HC_ENOSYS;
	/* A 32-bit guest gets KVM's negative codes as 32-bit values: sign-extend. */
	return (long)ret;
}

unsigned long mv_khc_exits(void)
{
	return (unsigned long)mv_kvm_hypercall(HC_KHC_EXITS, 0, 0, 0, 0);
}

unsigned long mv_khc_calls(void)
{
	return (unsigned long)mv_kvm_hypercall(HC_KHC_CALLS, 0, 0, 0, 0);
}
