/* minivirt/hc.h: the guest<->host contract of kvm-hello-world, shared by guests and the VMM.
 * C99 only, no host or libc headers: guests are freestanding. */
#ifndef MINIVIRT_HC_H
#define MINIVIRT_HC_H

/* The classic console: each `out` of one byte to this port is one exit, and the VMM
 * writes that byte to its standard output (the Bochs/QEMU debug-console port). */
#define HC_PORT_CONSOLE 0xE9

/* The built-in hello-world guest writes HC_RESULT_MAGIC here (guest-physical) and halts
 * with it in eax/rax; the VMM checks both. */
#define HC_RESULT_ADDR 0x400
#define HC_RESULT_MAGIC 42

#endif
