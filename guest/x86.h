/* SPDX-License-Identifier: MIT */
/* guest/x86.h: the few x86 instructions built-in guests need, for 16/32/64-bit builds. */
#ifndef GUEST_X86_H
#define GUEST_X86_H

static inline void outb(unsigned short port, unsigned char v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* Halts forever with `val` in eax/rax, where the VMM reads it after the HLT exit. */
static inline __attribute__((noreturn)) void halt_with(unsigned int val)
{
	for (;;)
		__asm__ volatile("hlt" : : "a"(val) : "memory");
}

#endif
