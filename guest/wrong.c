/* SPDX-License-Identifier: MIT */
/* guest/wrong.c: a built-in guest that greets but writes 7, not 42, to 0x400, so the
 * VMM's result check must fail and say which check it was. */
#include <minivirt/hc.h>
#include "builtin.h"

__attribute__((noreturn, section(".start"))) void _start(void);

void _start(void)
{
	for (const char *p = "Hello, world!\n"; *p; p++)
		builtin_outb(HC_PORT_CONSOLE, (unsigned char)*p);
	*(volatile unsigned int *)HC_RESULT_ADDR = 7;
	builtin_halt(HC_RESULT_MAGIC);
}
