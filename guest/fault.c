/* SPDX-License-Identifier: MIT */
/* guest/fault.c: a built-in guest that triple-faults on purpose: with an empty IDT, an
 * invalid opcode cannot be delivered, nor the double fault after it, so the CPU shuts
 * down (KVM_EXIT_SHUTDOWN). Shows how the VMM reports a crashed guest. */
#include "builtin.h"

__attribute__((noreturn, section(".start"))) void _start(void);

void _start(void)
{
	static const struct __attribute__((packed)) {
		unsigned short limit;
		unsigned long base;
	} empty_idt = { 0, 0 };

	__asm__ volatile("lidt %0\n\tud2" : : "m"(empty_idt));
	builtin_halt(0);
}
