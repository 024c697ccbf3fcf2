/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_traps.c: the TSS I/O permission bitmap traps_build writes, checked the
 * way the CPU checks a ring-3 access (SDM vol. 1, 19.5.2): exactly the ABI's ports pass,
 * for every port and width; and the stubs' report instruction traps_report_rip names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <minivirt/hc.h>

#include "layout.h"
#include "traps.h"

#define MEM (2ull << 20)

struct built {
	struct gmem mem;
	struct layout l;
};

static void build(struct built *b, enum cpu_mode mode, unsigned vcpus)
{
	const struct layout_req req = {
		.mode = mode, .mem_size = MEM, .user = true, .vcpus = vcpus
	};
	struct mv_err err;

	assert_int_equal(layout_plan(&req, &b->l, &err), 0);
	b->mem.size = MEM;
	b->mem.host = calloc(1, MEM);
	assert_non_null(b->mem.host);
	traps_build(&b->mem, &b->l);
}

/* The port bytes the ABI defines, written out from hc.h's words, not from traps.c: the
 * console, the two doorbells' 32-bit outs, and a 32-bit out at each hypercall port. */
static int abi_byte(unsigned port)
{
	return port == HC_PORT_CONSOLE ||
	       (port >= HC_PORT_DOORBELL && port < HC_PORT_DOORBELL + 4) ||
	       (port >= HC_PORT_QUEUE && port < HC_PORT_QUEUE + 4) ||
	       (port >= HC_PORT_BASE && port < HC_PORT_BASE + HC_PORT_COUNT + 3);
}

/* What the CPU does for an access of width bytes at port from CPL > IOPL: read the two
 * bytes at the bitmap base (TSS offset 0x66) + port / 8, inside TR's limit, and require
 * every bit of the access to be clear. */
static int cpu_allows(const uint8_t *tss, uint32_t limit, unsigned port, unsigned width)
{
	uint16_t base, bits;
	uint32_t at;

	memcpy(&base, tss + 0x66, 2);
	at = base + port / 8u;
	if (at + 1 > limit)
		return 0;
	memcpy(&bits, tss + at, 2);
	return ((bits >> (port % 8)) & ((1u << width) - 1)) == 0;
}

static void check_bitmap(enum cpu_mode mode, unsigned vcpus)
{
	struct built b;

	build(&b, mode, vcpus);
	for (unsigned slot = 0; slot < vcpus; slot++) {
		struct kvm_sregs sr;
		const uint8_t *tss;

		memset(&sr, 0, sizeof(sr));
		traps_sregs(&b.l, slot, &sr);
		assert_true(sr.tr.present);
		assert_true(sr.tr.type == 9 || sr.tr.type == 11); /* a 32/64-bit TSS */
		assert_true(sr.tr.limit >= 103);
		tss = gmem_ptr(&b.mem, sr.tr.base, (uint64_t)sr.tr.limit + 1);
		assert_non_null(tss);
		for (unsigned width = 1; width <= 4; width *= 2)
			for (unsigned port = 0; port + width <= 0x10000; port++) {
				int want = 1;

				for (unsigned i = 0; i < width; i++)
					want &= abi_byte(port + i);
				if (cpu_allows(tss, sr.tr.limit, port, width) != want)
					fail_msg("%s, vCPU %u: %u-byte access at port 0x%x %s",
						 mode_flag(mode), slot, width, port,
						 want ? "denied" : "allowed");
			}
	}
	free(b.mem.host);
}

static void test_bitmap_long(void **state)
{
	(void)state;
	check_bitmap(MODE_LONG, 1);
	check_bitmap(MODE_LONG, 3);
}

static void test_bitmap_protected(void **state)
{
	(void)state;
	check_bitmap(MODE_PROT, 1);
	check_bitmap(MODE_PAGED32, 2);
}

/* The ports the attack tests use, by name: each refused. */
static void test_named_ports(void **state)
{
	static const unsigned denied[] = { HC_PORT_TRAP,
					   0x80,
					   0x60,
					   0x64,
					   0x70,
					   0xcf8,
					   0xe8,
					   0xea,
					   HC_PORT_DOORBELL - 1,
					   HC_PORT_DOORBELL + 4,
					   HC_PORT_QUEUE - 1,
					   HC_PORT_QUEUE + 4,
					   HC_PORT_BASE - 1,
					   HC_PORT_BASE + HC_PORT_COUNT + 3,
					   0xffff };
	struct kvm_sregs sr;
	struct built b;
	const uint8_t *tss;

	(void)state;
	build(&b, MODE_LONG, 1);
	memset(&sr, 0, sizeof(sr));
	traps_sregs(&b.l, 0, &sr);
	tss = gmem_ptr(&b.mem, sr.tr.base, (uint64_t)sr.tr.limit + 1);
	assert_non_null(tss);
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		if (cpu_allows(tss, sr.tr.limit, denied[i], 1))
			fail_msg("port 0x%x is allowed", denied[i]);
	assert_true(cpu_allows(tss, sr.tr.limit, HC_PORT_CONSOLE, 1));
	assert_true(cpu_allows(tss, sr.tr.limit, HC_PORT_DOORBELL, 4));
	assert_true(cpu_allows(tss, sr.tr.limit, HC_PORT_QUEUE, 4));
	assert_true(cpu_allows(tss, sr.tr.limit, HC_PORT_BASE + HC_NR_PRINT_VAL, 4));
	assert_true(cpu_allows(tss, sr.tr.limit, HC_PORT_BASE + HC_PORT_COUNT - 1, 4));
	free(b.mem.host);
}

/* traps_report_rip is the stubs' `out %al, $HC_PORT_TRAP`, inside the supervisor-only
 * gdt page; real mode has no stubs. */
static void test_report_rip(void **state)
{
	struct built b;
	const uint8_t *p;
	uint64_t rip;

	(void)state;
	build(&b, MODE_LONG, 1);
	rip = traps_report_rip(&b.l);
	assert_true(rip >= b.l.reg[REG_GDT].gpa);
	assert_true(rip + 2 <= b.l.reg[REG_GDT].gpa + b.l.reg[REG_GDT].size);
	p = gmem_ptr(&b.mem, rip, 2);
	assert_non_null(p);
	assert_int_equal(p[0], 0xe6);
	assert_int_equal(p[1], HC_PORT_TRAP);
	free(b.mem.host);

	build(&b, MODE_REAL, 1);
	assert_int_equal(traps_report_rip(&b.l), 0);
	free(b.mem.host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitmap_long),
		cmocka_unit_test(test_bitmap_protected),
		cmocka_unit_test(test_named_ports),
		cmocka_unit_test(test_report_rip),
	};

	return cmocka_run_group_tests_name("traps", tests, NULL, NULL);
}
