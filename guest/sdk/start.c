/* SPDX-License-Identifier: MIT */
/* guest/sdk/start.c: the guest's first instructions: align the stack the VMM set up,
 * turn struct hc_boot_info into argc/argv, call main and exit with its result. */
#include <minivirt/guest.h>

#include "sdk.h"

#define SDK_MAX_ARGS 64

static const struct hc_boot_info *boot;

const struct hc_boot_info *mv_boot_info(void)
{
	return boot;
}

int sdk_offers(const struct hc_boot_info *bi)
{
	return bi && bi->abi_version >= HC_ABI_OFFERS;
}

__attribute__((used, noreturn)) void sdk_start(const struct hc_boot_info *bi);

void sdk_start(const struct hc_boot_info *bi)
{
	/* argv as the C ABI wants it: native pointers, from the ABI's 64-bit ones. */
	char *argv[SDK_MAX_ARGS + 1];
	const hc_gptr_t *vec = (const hc_gptr_t *)(uintptr_t)bi->argv;
	int argc = bi->argc > SDK_MAX_ARGS ? SDK_MAX_ARGS : (int)bi->argc;

	boot = bi;
	sdk_ring_setup(bi);
	sdk_queue_start(bi);
	for (int i = 0; i < argc; i++)
		argv[i] = (char *)(uintptr_t)vec[i];
	argv[argc] = 0;
	mv_exit(main(argc, argv));
}

/* The VMM enters at the ELF entry with the stack pointer at the top of the stack and
 * the boot info's address in edi/rdi. */
__asm__(".section .start, \"ax\"\n"
	".global _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
#ifdef __x86_64__
	"	and $-16, %rsp\n"
	"	call sdk_start\n" /* rdi is the first argument already */
#else
	"	and $-16, %esp\n"
	"	sub $12, %esp\n" /* keep 16-byte alignment at the call */
	"	push %edi\n"
	"	call sdk_start\n"
#endif
	"1:	pause\n" /* no hlt: user-mode guests may not */
	"	jmp 1b\n"
	".previous\n");
