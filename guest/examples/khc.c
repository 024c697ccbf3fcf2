/* SPDX-License-Identifier: MIT */
/* guest/examples/khc.c: hypercalls answered inside KVM (run with --khc). khc [N] makes N
 * of them and shows, with mv_get_num_exits() (an exit to the VMM), that they cost the VMM
 * no exit, while KVM's own counters, read through them, count every one. */
#include <minivirt/guest.h>

/* khc time N: the cost of one in-kernel hypercall against one exit to the VMM, in TSC
 * cycles, for make bench. */
static int timing(long n)
{
	uint64_t t0, t1, t2;

	t0 = mv_rdtsc();
	for (long i = 0; i < n; i++)
		mv_khc_calls();
	t1 = mv_rdtsc();
	for (long i = 0; i < n; i++)
		mv_get_num_exits();
	t2 = mv_rdtsc();
	/* 32-bit arithmetic: 32- and 16-bit guests have no 64-bit division (no libgcc). */
	uint32_t kernel = (uint32_t)(t1 - t0), vmm = (uint32_t)(t2 - t1);
	uint32_t hundredths = kernel >= 100 ? vmm / (kernel / 100) : 0;

	mv_printf("khc: in the kernel %lu cycles per call, through the VMM %lu cycles per call: "
		  "%lu.%02lux\n",
		  (unsigned long)(kernel / (uint32_t)n), (unsigned long)(vmm / (uint32_t)n),
		  (unsigned long)(hundredths / 100), (unsigned long)(hundredths % 100));
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? mv_strtol(argv[argc - 1], 0, 0) : 1000, ping, unknown, kvm_own;
	unsigned long calls0, calls1, kexits0, kexits1;
	uint64_t vmm0, vmm1;

	ping = mv_kvm_hypercall(HC_KHC_PING, 0, 0, 0, 0);
	if (ping == -HC_ENOSYS) {
		mv_printf("khc: not offered (run with --khc)\n");
		return 2;
	}
	if (argc > 2 && !mv_strcmp(argv[1], "time"))
		return timing(n > 0 ? n : 1000);
	mv_printf("khc: ping 0x%lx (%s), with %s\n", (unsigned long)ping,
		  (unsigned long)ping == HC_KHC_MAGIC ? "minivirt_khc answered"
						      : "not minivirt_khc",
		  mv_boot_info()->khc == HC_KHC_VMMCALL ? "vmmcall" : "vmcall");
	vmm0 = mv_get_num_exits();
	kexits0 = mv_khc_exits();
	calls0 = mv_khc_calls();
	for (long i = 0; i < n; i++)
		mv_khc_calls();
	calls1 = mv_khc_calls();
	kexits1 = mv_khc_exits();
	vmm1 = mv_get_num_exits();
	/* The VMM saw no exit between its two get_num_exits calls but the second one; KVM
	 * counted each call between calls0 and calls1, and calls1 itself. */
	mv_printf("khc: %ld in-kernel hypercalls: exits to the VMM %lu, KVM counted %lu "
		  "hypercalls and %lu exits\n",
		  n, (unsigned long)(vmm1 - vmm0 - 1), calls1 - calls0 - 1, kexits1 - kexits0);
	unknown = mv_kvm_hypercall(0x12345, 0, 0, 0, 0);
	kvm_own = mv_kvm_hypercall(1 /* KVM_HC_VAPIC_POLL_IRQ */, 0, 0, 0, 0);
	mv_printf("khc: unknown number: %ld; KVM's own KVM_HC_VAPIC_POLL_IRQ in ring %u: %ld\n",
		  unknown, (unsigned)mv_boot_info()->cpl, kvm_own);
	return 0;
}
