/* SPDX-License-Identifier: MIT */
/* vmm/traps.c: the IDT, TSS and stubs that turn a guest exception into a report
 * (Intel SDM vol. 3, ch. 6 and 7; AMD APM vol. 2, ch. 8 and 12). */
#include "traps.h"

#include <cpuid.h>
#include <inttypes.h>
#include <string.h>

#include <minivirt/hc.h>

#include "x86.h"

#define SEL_KCODE 0x08
#define SEL_TSS 0x28
#define TSS_BASE_SIZE 104
/* The I/O permission bitmap covers ports 0..IOMAP_PORTS-1, plus the 0xff byte the CPU
 * reads past it; every port above is denied. */
#define IOMAP_PORTS 0x608
#define TSS_SIZE (TSS_BASE_SIZE + IOMAP_PORTS / 8 + 1)
#define CPUID1_ECX_VMX (1u << 5) /* CPUID leaf 1: the CPU has VMX */

static const struct {
	const char *name, *mnemonic;
	int error; /* the CPU pushes an error code */
} vectors[LAYOUT_TRAP_VECTORS] = {
	[0] = { "divide error", "#DE", 0 },
	[1] = { "debug", "#DB", 0 },
	[2] = { "NMI", "NMI", 0 },
	[3] = { "breakpoint", "#BP", 0 },
	[4] = { "overflow", "#OF", 0 },
	[5] = { "bound range", "#BR", 0 },
	[6] = { "invalid opcode", "#UD", 0 },
	[7] = { "device not available", "#NM", 0 },
	[8] = { "double fault", "#DF", 1 },
	[9] = { "coprocessor overrun", "CSO", 0 },
	[10] = { "invalid TSS", "#TS", 1 },
	[11] = { "segment not present", "#NP", 1 },
	[12] = { "stack fault", "#SS", 1 },
	[13] = { "general protection", "#GP", 1 },
	[14] = { "page fault", "#PF", 1 },
	[15] = { "reserved", "#15", 0 },
	[16] = { "x87 error", "#MF", 0 },
	[17] = { "alignment check", "#AC", 1 },
	[18] = { "machine check", "#MC", 0 },
	[19] = { "SIMD error", "#XM", 0 },
	[20] = { "virtualization", "#VE", 0 },
	[21] = { "control protection", "#CP", 1 },
	[29] = { "VMM communication", "#VC", 1 },
	[30] = { "security", "#SX", 1 },
};

static uint64_t stub_addr(const struct layout *l, unsigned v)
{
	return l->reg[REG_GDT].gpa + LAYOUT_STUBS_OFF + 16ull * v;
}

/* A stub: push $vector; jmp common. The common tail: out %al, $HC_PORT_TRAP; jmp . --
 * the same bytes in 32- and 64-bit code, and no register but the stack pointer changed. */
static void write_stubs(struct gmem *mem, const struct layout *l)
{
	const uint64_t common = stub_addr(l, LAYOUT_TRAP_VECTORS);
	const uint8_t tail[] = { 0xe6, HC_PORT_TRAP, 0xeb, 0xfe };
	uint8_t *p;

	for (unsigned v = 0; v < LAYOUT_TRAP_VECTORS; v++) {
		uint8_t stub[16];
		int32_t rel = (int32_t)(common - (stub_addr(l, v) + 7));

		memset(stub, 0x90, sizeof(stub));
		stub[0] = 0x6a; /* push imm8 */
		stub[1] = (uint8_t)v;
		stub[2] = 0xe9; /* jmp rel32 */
		memcpy(stub + 3, &rel, 4);
		if ((p = gmem_ptr(mem, stub_addr(l, v), sizeof(stub))))
			memcpy(p, stub, sizeof(stub));
	}
	if ((p = gmem_ptr(mem, common, sizeof(tail))))
		memcpy(p, tail, sizeof(tail));
}

uint64_t traps_report_rip(const struct layout *l)
{
	return l->mode == MODE_REAL ? 0 : stub_addr(l, LAYOUT_TRAP_VECTORS);
}

/* An interrupt gate to handler in the kernel code segment (16 bytes in long mode). */
static void write_gate(struct gmem *mem, uint64_t at, uint64_t handler, int wide)
{
	uint64_t lo = (handler & 0xffff) | ((uint64_t)SEL_KCODE << 16) |
		      (DESC_TYPE_INT_GATE << DESC_TYPE_SHIFT) | DESC_P |
		      (((handler >> 16) & 0xffff) << 48);

	gmem_write64(mem, at, lo);
	if (wide)
		gmem_write64(mem, at + 8, handler >> 32);
}

/* The system-segment descriptor of an available TSS (type 9). */
static uint64_t tss_descriptor(uint64_t base)
{
	const uint64_t limit = TSS_SIZE - 1;

	return (limit & 0xffff) | ((base & 0xffffff) << 16) |
	       (DESC_TYPE_TSS_AVAIL << DESC_TYPE_SHIFT) | DESC_P | (((base >> 24) & 0xff) << 56);
}

/* Admits a `width`-byte access at port: the CPU checks the bit of every port it touches
 * (SDM vol. 1, 19.5.2). */
static void allow(uint8_t *bitmap, unsigned port, unsigned width)
{
	for (unsigned p = port; p < port + width; p++)
		bitmap[p / 8] &= (uint8_t) ~(1u << (p % 8));
}

/* The ABI's ports, as accesses: the console (outb), the two doorbells (one outl each), a 32-bit
 * out at each hypercall port, so a number past the VMM's reaches it and is named as
 * unknown (ports 0x500-0x602). Nothing else: a ring-3 access to any other port is a #GP. */
static void allow_abi(uint8_t *bitmap)
{
	allow(bitmap, HC_PORT_CONSOLE, 1);
	allow(bitmap, HC_PORT_DOORBELL, 4);
	allow(bitmap, HC_PORT_QUEUE, 4);
	for (unsigned port = HC_PORT_BASE; port < HC_PORT_BASE + HC_PORT_COUNT; port++)
		allow(bitmap, port, 4);
}

_Static_assert(HC_PORT_BASE + HC_PORT_COUNT + 3 <= IOMAP_PORTS, "hypercall ports past the bitmap");
_Static_assert(HC_PORT_TRAP != HC_PORT_CONSOLE && HC_PORT_TRAP < HC_PORT_DOORBELL,
	       "the exception-report port is never admitted");

static uint64_t tss_addr(const struct layout *l, unsigned slot)
{
	return l->reg[REG_XSTACK].gpa + (uint64_t)slot * LAYOUT_XSTACK_SIZE;
}

void traps_build(struct gmem *mem, const struct layout *l)
{
	const int wide = l->mode == MODE_LONG;
	const uint64_t gdt = l->reg[REG_GDT].gpa;

	if (l->mode == MODE_REAL)
		return;
	write_stubs(mem, l);
	for (unsigned v = 0; v < LAYOUT_TRAP_VECTORS; v++)
		write_gate(mem, gdt + LAYOUT_IDT_OFF + (wide ? 16u : 8u) * v, stub_addr(l, v),
			   wide);
	gmem_write64(mem, gdt + LAYOUT_GDT_OFF + SEL_TSS, tss_descriptor(tss_addr(l, 0)));
	if (wide)
		gmem_write64(mem, gdt + LAYOUT_GDT_OFF + SEL_TSS + 8, tss_addr(l, 0) >> 32);
	/* Each vCPU's TSS at the bottom of its exception-stack page; a ring-3 guest's
	 * exception switches to the page's top (RSP0 / SS0:ESP0). Its I/O bitmap lets a
	 * ring-3 guest use exactly the ABI's ports: the console, the doorbell, the
	 * hypercalls; any other port is a #GP (SDM vol. 1, 19.5.2). */
	for (unsigned i = 0; i < l->stacks; i++) {
		const uint64_t tss = tss_addr(l, i), top = tss + LAYOUT_XSTACK_SIZE;
		uint8_t *p = gmem_ptr(mem, tss, TSS_SIZE);

		if (!p)
			continue;
		memset(p, 0, TSS_SIZE);
		if (wide) {
			memcpy(p + 4, &top, 8); /* rsp0 */
		} else {
			uint32_t esp0 = (uint32_t)top, ss0 = 0x10;

			memcpy(p + 4, &esp0, 4);
			memcpy(p + 8, &ss0, 4);
		}
		p[0x66] = TSS_BASE_SIZE; /* the bitmap follows the TSS */
		memset(p + TSS_BASE_SIZE, 0xff, IOMAP_PORTS / 8 + 1);
		allow_abi(p + TSS_BASE_SIZE);
	}
}

/* The type TR is loaded with: a 32/64-bit TSS, busy (11) or available (9). The CPU that
 * runs the guest reads the I/O bitmap through TR's base and limit whatever the type, so
 * the type matters only to what checks it:
 * - VMX's VM entry requires a busy TSS (SDM vol. 3, 27.3.1.2), which is also what a real
 *   CPU holds after LTR: busy on a CPU with VMX.
 * - SVM's VMRUN loads TR without checking its type (APM vol. 2, 15.5.1), and QEMU's
 *   emulation of it, the QEMU/SVM test platform, wants the type its own LTR caches,
 *   available: QEMU 7.2 denies every port from ring 3 unless TR is type 9 (check_io), and
 *   aborts when a 32-bit ring-3 exception finds a busy TSS (get_ss_esp_from_tss). So
 *   available everywhere else (AMD SVM, kvm_pvm, which reads the bitmap either way).
 * Either type keeps IOPL 0 and the bitmap; only hypercalls would fail, loudly, with a
 * wrong choice, never an extra port. (KVM_GET_SREGS cannot confirm the choice: kvm-amd
 * reports TR busy whatever the VMCB holds.) */
static uint8_t tr_type(void)
{
	unsigned a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & CPUID1_ECX_VMX) ? 11 : 9;
}

void traps_sregs(const struct layout *l, unsigned slot, struct kvm_sregs *sr)
{
	const int wide = l->mode == MODE_LONG;

	sr->idt.base = l->reg[REG_GDT].gpa + LAYOUT_IDT_OFF;
	sr->idt.limit = (uint16_t)((wide ? 16 : 8) * LAYOUT_TRAP_VECTORS - 1);
	sr->tr = (struct kvm_segment){
		.base = tss_addr(l, slot),
		.limit = TSS_SIZE - 1,
		.selector = SEL_TSS,
		.type = tr_type(),
		.present = 1,
	};
}

int traps_decode(const struct gview *view, int wide, uint64_t rsp, uint64_t cr2, struct trap *t)
{
	const unsigned w = wide ? 8 : 4;
	uint64_t slot[7] = { 0 };
	unsigned n, i = 0;

	memset(t, 0, sizeof(*t));
	if (gva_read(view, rsp, &slot[0], w))
		return -1;
	t->vector = (unsigned)(slot[0] & 0xff);
	if (t->vector >= LAYOUT_TRAP_VECTORS)
		return -1;
	t->name = vectors[t->vector].name ? vectors[t->vector].name : "reserved";
	t->mnemonic = vectors[t->vector].mnemonic ? vectors[t->vector].mnemonic : "#??";
	t->has_error = vectors[t->vector].error;
	/* vector, [error], rip, cs, rflags, rsp, ss (32-bit: rsp, ss only from ring 3) */
	n = 1 + (unsigned)t->has_error + 5;
	for (i = 1; i < n; i++)
		if (gva_read(view, rsp + (uint64_t)i * w, &slot[i], w))
			return -1;
	i = 1;
	if (t->has_error)
		t->error = slot[i++];
	t->rip = slot[i];
	t->cs = slot[i + 1] & 0xffff;
	t->rflags = slot[i + 2];
	if (w == 8 || (t->cs & 3)) {
		t->rsp = slot[i + 3];
		t->ss = slot[i + 4] & 0xffff;
	} else { /* same-ring 32-bit: the stack before the frame */
		t->rsp = rsp + (uint64_t)(i + 3) * w;
	}
	t->cr2 = cr2;
	return 0;
}

void traps_describe(const struct trap *t, struct mv_err *why)
{
	char *buf = why->msg;
	size_t len = sizeof(why->msg);
	int n = snprintf(buf, len, "%s (%s, vector %u) at rip 0x%" PRIx64 " in ring %u", t->name,
			 t->mnemonic, t->vector, t->rip, (unsigned)(t->cs & 3));

	if (n < 0 || (size_t)n >= len)
		return;
	if (t->vector == 14) /* page-fault error code: P W/R U/S RSVD I/D (SDM 4.7) */
		snprintf(buf + n, len - (size_t)n, ": %s 0x%" PRIx64 ", %s%s",
			 t->error & 16  ? "instruction fetch at"
			 : t->error & 2 ? "write to"
					: "read of",
			 t->cr2, t->error & 1 ? "a protection violation" : "not mapped",
			 t->error & 4 ? " (from user mode)" : "");
	else if (t->has_error)
		snprintf(buf + n, len - (size_t)n, ", error code 0x%" PRIx64, t->error);
}
