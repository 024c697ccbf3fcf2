/* SPDX-License-Identifier: MIT */
/* guest/badport.c: a built-in guest that writes to an I/O port the VMM does not
 * handle, to show how an unhandled exit is reported. */
#include "builtin.h"

__attribute__((noreturn, section(".start"))) void _start(void);

void _start(void)
{
	builtin_outb(0x1234, 0x5a);
	builtin_halt(0);
}
