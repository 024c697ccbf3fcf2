/* SPDX-License-Identifier: MIT */
/* tests/guests/privtest.c: I/O privilege probes; argv[1] picks what the guest tries (cli,
 * sti, hlt, a port, a forged exception report), tests/vmm/iopl.sh checks the VMM's verdict.
 * Each case that should be refused prints "trying ..." first and, if the CPU let it
 * through, reports a failure of its own, so a refusal that does not happen is caught even
 * when the VMM would have stopped the guest for another reason. */
#include <minivirt/guest.h>

#if MV_GUEST_BITS == 64
#define PUSHF "pushfq; popq %0"
#define POPF "pushq %0; popfq"
#define SP_REG "rsp"
#else
#define PUSHF "pushfl; popl %0"
#define POPF "pushl %0; popfl"
#define SP_REG "esp"
#endif

static unsigned long flags(void)
{
	unsigned long f;

	__asm__ volatile(PUSHF : "=r"(f));
	return f;
}

static unsigned iopl(void)
{
	return (unsigned)(flags() >> 12) & 3;
}

static int port_arg(int argc, char **argv)
{
	if (argc < 3) {
		mv_printf("usage: privtest out|in PORT [1|2|4]\n");
		return -1;
	}
	return (int)mv_strtol(argv[2], 0, 0);
}

/* A `size`-byte out or in at port; returns only if the CPU and the VMM let it pass. */
static void port_io(int out, uint16_t port, int size)
{
	uint32_t v = 0;

	mv_printf("trying %s%c 0x%x from ring %u, IOPL %u\n", out ? "out" : "in",
		  size == 1   ? 'b'
		  : size == 2 ? 'w'
			      : 'l',
		  port, mv_boot_info()->cpl, iopl());
	if (out && size == 1)
		__asm__ volatile("outb %b0, %w1" : : "a"(v), "Nd"(port));
	else if (out && size == 2)
		__asm__ volatile("outw %w0, %w1" : : "a"(v), "Nd"(port));
	else if (out)
		__asm__ volatile("outl %0, %w1" : : "a"(v), "Nd"(port));
	else if (size == 1)
		__asm__ volatile("inb %w1, %b0" : "=a"(v) : "Nd"(port));
	else if (size == 2)
		__asm__ volatile("inw %w1, %w0" : "=a"(v) : "Nd"(port));
	else
		__asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
}

/* An exception report the VMM's stubs did not make: a frame that claims a page fault in
 * ring 0 at 0x7eadbeef, then the stubs' own `out` to the report port. */
static void forge_report(void)
{
	unsigned long frame[7] = { 14, 2, 0x7eadbeef, 0x08, 2, 0x1000, 0x10 };

	mv_printf("trying a forged exception report from ring %u\n", mv_boot_info()->cpl);
	__asm__ volatile("mov %0, %%" SP_REG "\n\tout %%al, %1"
			 :
			 : "r"(frame), "i"(HC_PORT_TRAP)
			 : "memory");
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	int port;

	if (!mv_strcmp(c, "iopl")) { /* what the guest starts with */
		mv_printf("ring %u, IOPL %u\n", mv_boot_info()->cpl, iopl());
		return 0;
	}
	if (!mv_strcmp(c, "cli")) {
		mv_printf("trying cli from ring %u, IOPL %u\n", mv_boot_info()->cpl, iopl());
		__asm__ volatile("cli");
	} else if (!mv_strcmp(c, "sti")) {
		mv_printf("trying sti from ring %u, IOPL %u\n", mv_boot_info()->cpl, iopl());
		__asm__ volatile("sti");
	} else if (!mv_strcmp(c, "hlt")) {
		mv_printf("trying hlt from ring %u\n", mv_boot_info()->cpl);
		__asm__ volatile("hlt");
	} else if (!mv_strcmp(c, "popf")) { /* ring 3 cannot raise its IOPL: popf leaves it */
		unsigned long f = flags() | (3ul << 12);

		__asm__ volatile(POPF : : "r"(f) : "cc");
		mv_printf("IOPL after popf: %u\n", iopl());
		MV_ASSERT(mv_boot_info()->cpl != 3 || iopl() == 0);
		return 0;
	} else if (!mv_strcmp(c, "out") || !mv_strcmp(c, "in")) {
		if ((port = port_arg(argc, argv)) < 0)
			return 2;
		port_io(c[0] == 'o', (uint16_t)port, argc > 3 ? (int)mv_strtol(argv[3], 0, 0) : 1);
		mv_printf("passed\n");
		return 0;
	} else if (!mv_strcmp(c, "forge")) {
		forge_report();
	} else {
		mv_printf(
			"usage: privtest iopl|cli|sti|hlt|popf|out PORT [SIZE]|in PORT [SIZE]|forge\n");
		return 2;
	}
	mv_report_fail(__FILE__, __LINE__, "the CPU let it through");
}
