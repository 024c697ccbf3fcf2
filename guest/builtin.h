/* SPDX-License-Identifier: MIT */
/* guest/builtin.h: the few x86 instructions the built-in guests need (they do not link
 * the SDK), for 16/32/64-bit builds. */
#ifndef GUEST_BUILTIN_H
#define GUEST_BUILTIN_H

static inline void builtin_outb(unsigned short port, unsigned char v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* Halts forever with `val` in eax/rax, where the VMM reads it after the HLT exit. */
static inline __attribute__((noreturn)) void builtin_halt(unsigned int val)
{
	for (;;)
		__asm__ volatile("hlt" : : "a"(val) : "memory");
}

#endif
