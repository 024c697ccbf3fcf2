/* SPDX-License-Identifier: MIT */
/* guest/spin.c: a built-in guest that loops forever without an exit, so the VMM's
 * --timeout (and Ctrl-C) has to kick the vCPU out of KVM_RUN. */

__attribute__((noreturn, section(".start"))) void _start(void);

void _start(void)
{
	for (;;)
		__asm__ volatile("pause");
}
