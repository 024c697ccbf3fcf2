/* guest/hello.c: the built-in hello-world guest (built for real, 32-bit and long mode):
 * prints its greeting through port 0xE9, writes 42 to guest-physical 0x400 and halts
 * with 42 in eax/rax. */
#include <minivirt/hc.h>
#include "x86.h"

__attribute__((noreturn, section(".start"))) void _start(void);

void _start(void)
{
	for (const char *p = "Hello, world!\n"; *p; p++)
		outb(HC_PORT_CONSOLE, (unsigned char)*p);
	*(volatile unsigned int *)HC_RESULT_ADDR = HC_RESULT_MAGIC;
	halt_with(HC_RESULT_MAGIC);
}
