/* SPDX-License-Identifier: MIT */
/* guest/hello.c: the built-in hello-world guest (built for real, 32-bit and long mode):
 * prints its greeting through port 0xE9, writes 42 to guest-physical 0x400 and halts
 * with 42 in eax/rax. The 42 is a long, as in the classic example: 8 bytes in long mode
 * (what --classic checks), 4 in the 32-bit and 16-bit builds. */
#include <minivirt/hc.h>
#include "builtin.h"

__attribute__((noreturn, section(".start"))) void _start(void);

void _start(void)
{
	for (const char *p = "Hello, world!\n"; *p; p++)
		builtin_outb(HC_PORT_CONSOLE, (unsigned char)*p);
	*(volatile unsigned long *)HC_RESULT_ADDR = HC_RESULT_MAGIC;
	builtin_halt(HC_RESULT_MAGIC);
}
