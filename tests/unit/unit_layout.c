/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_layout.c: layout_plan's size checks and the shape of its plan in
 * each CPU mode: regions disjoint, inside memory, the page tables sized to fit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "layout.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

static const enum cpu_mode modes[] = { MODE_REAL, MODE_PROT, MODE_PAGED32, MODE_LONG };

/* Sizes the plan must accept: the bounds, around the large-page and GiB steps. */
static const uint64_t good_sizes[] = {
	64 * KiB, 68 * KiB,          128 * KiB, MiB,           2 * MiB - 4 * KiB, 2 * MiB, 3 * MiB,
	4 * MiB,  6 * MiB + 4 * KiB, GiB,       GiB + 2 * MiB, 2 * GiB - 4 * KiB, 2 * GiB,
};

static void test_mode_names(void **state)
{
	(void)state;
	assert_string_equal(mode_name(MODE_REAL), "real");
	assert_string_equal(mode_name(MODE_PROT), "protected");
	assert_string_equal(mode_name(MODE_PAGED32), "paged 32-bit");
	assert_string_equal(mode_name(MODE_LONG), "long");
	assert_string_equal(mode_flag(MODE_REAL), "-r");
	assert_string_equal(mode_flag(MODE_PROT), "-s");
	assert_string_equal(mode_flag(MODE_PAGED32), "-p");
	assert_string_equal(mode_flag(MODE_LONG), "-l");
}

/* layout_plan for mode and size alone (one vCPU, ring 0, the usual placement). */
static int plan(enum cpu_mode mode, uint64_t size, struct layout *l, struct mv_err *err)
{
	return layout_plan(&(struct layout_req){ .mode = mode, .mem_size = size }, l, err);
}

/* layout_plan refuses size in mode, with a message that names the size. */
static void check_refused(enum cpu_mode mode, uint64_t size)
{
	struct layout l;
	struct mv_err err = { "" };
	char num[32];

	if (plan(mode, size, &l, &err) != -1)
		fail_msg("%s: size %llu accepted", mode_flag(mode), (unsigned long long)size);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)size);
	if (!strstr(err.msg, num))
		fail_msg("%s: size %llu: message '%s' does not name it", mode_flag(mode),
			 (unsigned long long)size, err.msg);
}

static void test_bad_sizes(void **state)
{
	static const uint64_t bad[] = {
		0,
		4 * KiB,
		60 * KiB,
		64 * KiB - 4 * KiB,
		64 * KiB + 1,
		64 * KiB + 2048,
		2 * MiB + 1,
		2 * MiB - 512,
		2 * GiB + 4 * KiB,
		2 * GiB + 1,
		4 * GiB,
		UINT64_MAX,
		UINT64_MAX - 4095,
	};

	(void)state;
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			check_refused(modes[m], bad[i]);
}

static void test_messages(void **state)
{
	struct layout l;
	struct mv_err err = { "" };

	(void)state;
	/* Each reason is its own: alignment, then range. */
	assert_int_equal(plan(MODE_LONG, 2 * MiB + 100, &l, &err), -1);
	assert_non_null(strstr(err.msg, "4 KiB"));
	assert_int_equal(plan(MODE_LONG, 60 * KiB, &l, &err), -1);
	assert_non_null(strstr(err.msg, "64 KiB"));
	assert_non_null(strstr(err.msg, "2 GiB"));
}

static uint64_t region_end(const struct region *r)
{
	return r->gpa + r->size;
}

/* Everything the plan promises, for one mode and size. */
static void check_plan(enum cpu_mode mode, uint64_t size)
{
	const enum pt_format fmt = mode == MODE_LONG      ? PT_4LEVEL
				   : mode == MODE_PAGED32 ? PT_32BIT
							  : PT_NONE;
	struct layout l;
	struct mv_err err = { "" };

	if (plan(mode, size, &l, &err))
		fail_msg("%s %llu refused: %s", mode_flag(mode), (unsigned long long)size, err.msg);
	assert_int_equal(l.mode, mode);
	assert_int_equal(l.mem_size, size);
	assert_int_equal(l.pt_fmt, fmt);

	for (int i = 0; i < REG_COUNT; i++) {
		const struct region *a = &l.reg[i];

		assert_non_null(a->name);
		if (!a->size)
			continue;
		/* Inside guest memory, without wrapping. */
		if (a->gpa >= size || a->size > size - a->gpa)
			fail_msg("%s %llu: %s [0x%llx, +0x%llx) outside memory", mode_flag(mode),
				 (unsigned long long)size, a->name, (unsigned long long)a->gpa,
				 (unsigned long long)a->size);
		/* Disjoint from every other region; the result word is the one region inside
		 * another: the image area, where the classic guest writes it. */
		for (int j = i + 1; j < REG_COUNT; j++) {
			const struct region *b = &l.reg[j];

			if (i == REG_IMAGE && j == REG_RESULT)
				continue;
			if (b->size && a->gpa < region_end(b) && b->gpa < region_end(a))
				fail_msg("%s %llu: %s and %s overlap", mode_flag(mode),
					 (unsigned long long)size, a->name, b->name);
		}
	}
	assert_string_equal(l.reg[REG_IMAGE].name, "image");
	assert_string_equal(l.reg[REG_TABLES].name, "page tables");
	assert_string_equal(l.reg[REG_ARGS].name, "args");
	assert_string_equal(l.reg[REG_STACK].name, "stack");

	/* The guest owns low memory from 0 up to the VMM's first region, and the result
	 * word lies inside it. */
	assert_int_equal(l.entry, 0);
	assert_int_equal(l.reg[REG_IMAGE].gpa, 0);
	assert_int_equal(region_end(&l.reg[REG_IMAGE]), l.image_limit);
	assert_true(l.image_limit >= 12 * KiB);
	assert_int_equal(l.reg[REG_RESULT].gpa, 0x400);
	assert_int_equal(l.reg[REG_RESULT].size, 8);
	assert_true(region_end(&l.reg[REG_RESULT]) <= l.image_limit);

	/* The VMM's regions stack up, without gaps, from the image to the stack top:
	 * tables, gdt, exception stacks, args, stack. */
	assert_int_equal(l.reg[REG_TABLES].gpa, l.image_limit);
	assert_int_equal(region_end(&l.reg[REG_TABLES]), l.reg[REG_GDT].gpa);
	assert_int_equal(region_end(&l.reg[REG_GDT]), l.reg[REG_XSTACK].gpa);
	assert_int_equal(region_end(&l.reg[REG_XSTACK]), l.reg[REG_ARGS].gpa);
	assert_int_equal(l.reg[REG_XSTACK].size, mode == MODE_REAL ? 0 : 4 * KiB);
	assert_int_equal(region_end(&l.reg[REG_ARGS]), l.reg[REG_STACK].gpa);
	assert_true(l.reg[REG_ARGS].size >= 4 * KiB);

	/* Exactly the tables pt_build_spec writes; none without paging. */
	assert_int_equal(l.reg[REG_TABLES].size,
			 pt_tables_for(&(struct pt_spec){ .fmt = fmt, .size = size }) * PAGE_SIZE);
	if (fmt == PT_NONE)
		assert_int_equal(l.reg[REG_TABLES].size, 0);
	else
		assert_true(l.reg[REG_TABLES].size >= PAGE_SIZE);
	assert_int_equal(l.reg[REG_TABLES].gpa % PAGE_SIZE, 0);

	/* Real mode has no GDT; the others need null, code and data descriptors. */
	if (mode == MODE_REAL)
		assert_int_equal(l.reg[REG_GDT].size, 0);
	else
		assert_true(l.reg[REG_GDT].size >= 3 * 8);

	/* The stack ends at stack_top: the top of memory, or in real mode 0xf000, below
	 * 64 KiB and small enough for SP. */
	assert_int_equal(region_end(&l.reg[REG_STACK]), l.stack_top);
	assert_true(l.reg[REG_STACK].size >= 4 * KiB);
	if (mode == MODE_REAL)
		assert_int_equal(l.stack_top, 0xf000);
	else
		assert_int_equal(l.stack_top, size);
}

static void test_plans(void **state)
{
	(void)state;
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		for (size_t i = 0; i < sizeof(good_sizes) / sizeof(good_sizes[0]); i++)
			check_plan(modes[m], good_sizes[i]);
}

static void test_real_stack(void **state)
{
	struct layout l;
	struct mv_err err;

	(void)state;
	/* 2 MiB of memory, yet the real-mode stack stays within the first segment. */
	assert_int_equal(plan(MODE_REAL, 2 * MiB, &l, &err), 0);
	assert_true(l.stack_top <= 0xffff); /* SP holds it */
	assert_true(l.reg[REG_STACK].gpa < 0x10000);
	assert_true(l.reg[REG_ARGS].gpa < 0x10000);
	assert_int_equal(plan(MODE_REAL, 64 * KiB, &l, &err), 0);
	assert_int_equal(l.stack_top, 0xf000);
	/* Protected mode, same memory: the stack moves to the top. */
	assert_int_equal(plan(MODE_PROT, 2 * MiB, &l, &err), 0);
	assert_int_equal(l.stack_top, 2 * MiB);
}

static void test_tables_sizes(void **state)
{
	struct layout l;
	struct mv_err err;

	(void)state;
	/* Worked examples, so the check does not only echo pt_tables_for. */
	assert_int_equal(plan(MODE_LONG, 2 * MiB, &l, &err), 0);
	assert_int_equal(l.reg[REG_TABLES].size, 3 * PAGE_SIZE); /* PML4, PDPT, PD */
	assert_int_equal(plan(MODE_LONG, 64 * KiB, &l, &err), 0);
	assert_int_equal(l.reg[REG_TABLES].size, 4 * PAGE_SIZE); /* + a PT */
	assert_int_equal(plan(MODE_LONG, 2 * GiB, &l, &err), 0);
	assert_int_equal(l.reg[REG_TABLES].size, 4 * PAGE_SIZE); /* 2 PDs */
	assert_int_equal(plan(MODE_PAGED32, 2 * MiB, &l, &err), 0);
	assert_int_equal(l.reg[REG_TABLES].size, 2 * PAGE_SIZE); /* PD, PT */
	assert_int_equal(plan(MODE_PAGED32, 8 * MiB, &l, &err), 0);
	assert_int_equal(l.reg[REG_TABLES].size, PAGE_SIZE);
	assert_int_equal(plan(MODE_REAL, 2 * MiB, &l, &err), 0);
	assert_int_equal(l.reg[REG_TABLES].size, 0);
	assert_int_equal(plan(MODE_PROT, 2 * MiB, &l, &err), 0);
	assert_int_equal(l.reg[REG_TABLES].size, 0);
}

/* The plan's table region is where pt_build_spec really succeeds: tables_end is its end. */
static void test_tables_build(void **state)
{
	static const uint64_t sizes[] = { 64 * KiB, 2 * MiB, 6 * MiB + 4 * KiB, 2 * GiB };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct gmem g = { .size = sizes[i] };
		void *p = mmap(NULL, sizes[i], PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED)
			skip();
		g.host = p;
		for (enum cpu_mode m = MODE_PAGED32; m <= MODE_LONG; m++) {
			const struct region *t;
			struct pt_built b;
			struct layout l;
			struct mv_err err;

			assert_int_equal(plan(m, sizes[i], &l, &err), 0);
			t = &l.reg[REG_TABLES];
			assert_int_equal(pt_build_spec(&g,
						       &(struct pt_spec){ .fmt = l.pt_fmt,
									  .size = l.mem_size },
						       t->gpa, region_end(t), &b),
					 0);
			assert_int_equal(b.tables_end, region_end(t));
		}
		munmap(p, sizes[i]);
	}
}

/* --classic: the tables exactly where dpw/kvm-hello-world puts them, the image below them,
 * every entry user-accessible; for every size; refused outside long mode and with --smp. */
static void test_classic(void **state)
{
	struct layout l;
	struct mv_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(good_sizes) / sizeof(good_sizes[0]); i++) {
		const struct layout_req req = {
			.mode = MODE_LONG, .mem_size = good_sizes[i], .vcpus = 1, .classic = true
		};

		assert_int_equal(layout_plan(&req, &l, &err), 0);
		assert_true(l.classic);
		assert_int_equal(l.reg[REG_TABLES].gpa, 0x2000);
		assert_int_equal(l.reg[REG_TABLES].size,
				 pt_tables_for(&(struct pt_spec){ .fmt = PT_4LEVEL,
								  .size = good_sizes[i] }) *
					 4096ull);
		assert_int_equal(l.image_limit, 0x2000);
		assert_int_equal(l.reg[REG_RESULT].gpa, 0x400);
		assert_int_equal(l.reg[REG_RESULT].size, 8);
		assert_int_equal(l.stack_top, good_sizes[i]);
		assert_true(l.spec.user && l.spec.kernel_start == l.spec.kernel_end);
		assert_true(l.reg[REG_TABLES].gpa + l.reg[REG_TABLES].size <= l.reg[REG_GDT].gpa);
	}
	/* the classic 2 MiB: PML4, PDPT, PD at 0x2000, 0x3000, 0x4000 */
	const struct layout_req two = {
		.mode = MODE_LONG, .mem_size = 2 * MiB, .vcpus = 1, .classic = true
	};
	assert_int_equal(layout_plan(&two, &l, &err), 0);
	assert_int_equal(l.reg[REG_TABLES].size, 0x3000);
	for (size_t m = 0; m < 3; m++) {
		const struct layout_req bad = {
			.mode = modes[m], .mem_size = 2 * MiB, .vcpus = 1, .classic = true
		};
		assert_int_equal(layout_plan(&bad, &l, &err), -1);
		assert_non_null(strstr(err.msg, "--classic"));
	}
	const struct layout_req smp = {
		.mode = MODE_LONG, .mem_size = 2 * MiB, .vcpus = 2, .classic = true
	};
	assert_int_equal(layout_plan(&smp, &l, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode_names),   cmocka_unit_test(test_bad_sizes),
		cmocka_unit_test(test_messages),     cmocka_unit_test(test_plans),
		cmocka_unit_test(test_real_stack),   cmocka_unit_test(test_tables_sizes),
		cmocka_unit_test(test_tables_build), cmocka_unit_test(test_classic),
	};

	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
