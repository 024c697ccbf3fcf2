/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_pagetable.c: pt_build_spec checked by walking every page in software
 * (plain identity maps, and the user/kernel split a ring-3 guest gets), pt_walk over
 * hand-made tables, and pt_dump's output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pagetable.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define TABLES_GPA 0x1000ull
#define PATTERN 0xa5        /* poison written before pt_build_spec, checked after */
#define POISONED (64 * KiB) /* the low memory that gets poisoned in full */

/* Guest memory in a sparse anonymous mapping: 2 GiB costs only the pages touched. */
static int mem_map(struct gmem *g, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	g->host = p;
	g->size = size;
	return 0;
}

static void mem_unmap(struct gmem *g)
{
	munmap(g->host, g->size);
	g->host = NULL;
}

static uint64_t round_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) / align * align;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* ---- pt_build_spec over sizes, walked page by page ---- */

struct build_case {
	enum pt_format fmt;
	uint64_t size;
};

/* Pages outside the tables that pt_build_spec must leave alone: besides [0, POISONED). */
static void probe_pages(uint64_t size, uint64_t probe[4])
{
	probe[0] = min_u64(MiB, size - PAGE_SIZE);
	probe[1] = round_up(size / 2, PAGE_SIZE) - PAGE_SIZE;
	probe[2] = size - 2 * PAGE_SIZE;
	probe[3] = size - PAGE_SIZE;
}

static void poison(struct gmem *g)
{
	uint64_t probe[4];

	memset(g->host, PATTERN, min_u64(g->size, POISONED));
	probe_pages(g->size, probe);
	for (int i = 0; i < 4; i++)
		memset(g->host + probe[i], PATTERN, PAGE_SIZE);
}

/* Whether [gpa, gpa + len) still holds the poison. */
static int poisoned(const struct gmem *g, uint64_t gpa, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		if (g->host[gpa + i] != PATTERN)
			return 0;
	return 1;
}

/* pt_build_spec for a plain identity map of [0, size): supervisor-only, at guest-physical 0. */
static int build_plain(struct gmem *g, enum pt_format fmt, uint64_t size, uint64_t table_gpa,
		       uint64_t table_limit, struct pt_built *out)
{
	return pt_build_spec(g, &(struct pt_spec){ .fmt = fmt, .size = size }, table_gpa,
			     table_limit, out);
}

/* The tables a plain identity map of size takes, worked out by hand: 32-bit, one PD plus
 * one PT for a tail below 4 MiB; 4-level, PML4, PDPT, a PD per started GiB, plus one PT
 * for a tail below 2 MiB. */
static unsigned expected_tables(enum pt_format fmt, uint64_t size)
{
	const unsigned tail = size % pt_large_page(fmt) != 0;

	if (fmt == PT_32BIT)
		return 1 + tail;
	return 2 + (unsigned)(round_up(size, GiB) / GiB) + tail;
}

/* The walk level (1-based) at which gva is found not present in the tables pt_build_spec
 * made for size: the first level whose entry for gva lies beyond what size needs. */
static int expected_stop(enum pt_format fmt, uint64_t size, uint64_t gva)
{
	if (fmt == PT_32BIT)
		return gva >> 22 >= round_up(size, 4 * MiB) >> 22 ? 1 : 2;
	if (gva >> 39 != 0)
		return 1; /* only PML4[0] is present */
	if (gva >> 30 >= round_up(size, GiB) >> 30)
		return 2;
	if (gva >> 21 >= round_up(size, 2 * MiB) >> 21)
		return 3;
	return 4;
}

static void check_unmapped(const struct gmem *g, enum pt_format fmt, uint64_t root, uint64_t size,
			   uint64_t gva)
{
	struct pt_walk w;
	int err = pt_walk(g, fmt, root, gva, &w);

	if (err != -ENOENT)
		fail_msg("gva 0x%llx (size 0x%llx): pt_walk gave %d, want -ENOENT",
			 (unsigned long long)gva, (unsigned long long)size, err);
	assert_int_equal(w.steps, expected_stop(fmt, size, gva));
	assert_false(w.step[w.steps - 1].entry & PTE_P);
}

static void test_build(void **state)
{
	const struct build_case *c = *state;
	const uint64_t size = c->size, large = pt_large_page(c->fmt);
	const int levels = pt_levels(c->fmt);
	const unsigned needed = expected_tables(c->fmt, size);
	const size_t entry_size = c->fmt == PT_32BIT ? 4 : 8;
	struct gmem g;
	struct pt_built b;
	struct pt_walk w;
	uint64_t probe[4], present = 0, seen_large = 0, seen_small = 0;
	unsigned char seen_table[8] = { 0 };
	int err;

	if (mem_map(&g, size)) {
		print_message("# cannot map %llu bytes of sparse memory\n",
			      (unsigned long long)size);
		skip();
	}
	poison(&g);
	/* The tables may use any memory: the limit is the end of guest memory. */
	err = build_plain(&g, c->fmt, size, TABLES_GPA, size, &b);
	assert_int_equal(err, 0);

	/* The counts pt_build_spec reports, against what the sizes imply. */
	assert_int_equal(b.root, TABLES_GPA);
	assert_int_equal(b.tables, needed);
	assert_in_range(b.tables, 1, sizeof(seen_table));
	assert_int_equal(b.tables_end, TABLES_GPA + (uint64_t)needed * PAGE_SIZE);
	assert_int_equal(b.large, size / large);
	assert_int_equal(b.small, size % large / PAGE_SIZE);

	/* Nothing written outside the table region: below it, just above it, and far away. */
	assert_true(poisoned(&g, 0, TABLES_GPA));
	if (b.tables_end < min_u64(size, POISONED))
		assert_true(poisoned(&g, b.tables_end, min_u64(size, POISONED) - b.tables_end));
	probe_pages(size, probe);
	for (int i = 0; i < 4; i++)
		if (probe[i] >= b.tables_end)
			assert_true(poisoned(&g, probe[i], PAGE_SIZE));

	/* Inside it, exactly one present entry per table below the root and one per page;
	 * every other entry is zero (so no poison survived the zeroing). */
	for (uint64_t off = 0; off < b.tables_end - TABLES_GPA; off += entry_size) {
		uint64_t e = 0;

		memcpy(&e, g.host + TABLES_GPA + off, entry_size);
		if (e & PTE_P)
			present++;
		else if (e)
			fail_msg("non-present entry 0x%llx at gpa 0x%llx is not zero",
				 (unsigned long long)e, (unsigned long long)(TABLES_GPA + off));
	}
	assert_int_equal(present, (b.tables - 1) + b.large + b.small);

	/* Every 4 KiB page of [0, size): identity, writable, supervisor, executable, with a
	 * large page wherever a whole one fits. The offset in the page varies as we go. */
	for (uint64_t page = 0; page < size; page += PAGE_SIZE) {
		const uint64_t gva = page | ((page >> 9) & 0xff8);
		const int is_large = page < size / large * large;
		const uint64_t want_size = is_large ? large : PAGE_SIZE;

		err = pt_walk(&g, c->fmt, b.root, gva, &w);
		if (err || w.gpa != gva || !w.writable || w.user || w.nx ||
		    w.page_size != want_size || w.steps != (is_large ? levels - 1 : levels))
			fail_msg("gva 0x%llx: err %d gpa 0x%llx rw %d us %d nx %d page 0x%llx "
				 "steps %d",
				 (unsigned long long)gva, err, (unsigned long long)w.gpa,
				 w.writable, w.user, w.nx, (unsigned long long)w.page_size,
				 w.steps);
		for (int l = 0; l < w.steps; l++) {
			const uint64_t t = w.step[l].table;

			if (t < TABLES_GPA || t >= b.tables_end || t % PAGE_SIZE)
				fail_msg(
					"gva 0x%llx: level %d table 0x%llx outside [0x1000, 0x%llx)",
					(unsigned long long)gva, l, (unsigned long long)t,
					(unsigned long long)b.tables_end);
			seen_table[(t - TABLES_GPA) / PAGE_SIZE] = 1;
		}
		if (page % want_size == 0)
			*(is_large ? &seen_large : &seen_small) += 1;
	}
	assert_int_equal(w.step[0].table, b.root);
	assert_int_equal(seen_large, b.large);
	assert_int_equal(seen_small, b.small);
	for (unsigned t = 0; t < b.tables; t++)
		assert_true(seen_table[t]); /* every table written is used */

	/* Just past the mapping, and further out: not present. */
	check_unmapped(&g, c->fmt, b.root, size, size);
	check_unmapped(&g, c->fmt, b.root, size, size + PAGE_SIZE);
	check_unmapped(&g, c->fmt, b.root, size, size + PAGE_SIZE - 1);
	check_unmapped(&g, c->fmt, b.root, size, round_up(size + 1, large));
	check_unmapped(&g, c->fmt, b.root, size, round_up(size + 1, GiB));
	if (c->fmt == PT_32BIT) {
		check_unmapped(&g, c->fmt, b.root, size, 4 * GiB - PAGE_SIZE);
		check_unmapped(&g, c->fmt, b.root, size, 4 * GiB - 1);
		assert_int_equal(pt_walk(&g, c->fmt, b.root, 4 * GiB, &w), -ERANGE);
		assert_int_equal(pt_walk(&g, c->fmt, b.root, 1ull << 40, &w), -ERANGE);
	} else {
		/* The rest of the lower half, and the upper (kernel) half. */
		check_unmapped(&g, c->fmt, b.root, size, 4 * GiB - PAGE_SIZE);
		check_unmapped(&g, c->fmt, b.root, size, 512 * GiB);
		check_unmapped(&g, c->fmt, b.root, size, 0x00007ffffffff000ull);
		check_unmapped(&g, c->fmt, b.root, size, 0xffff800000000000ull);
		check_unmapped(&g, c->fmt, b.root, size, 0xffffffff80000000ull);
		check_unmapped(&g, c->fmt, b.root, size, 0xfffffffffffff000ull);
		/* An upper-half alias of low memory (sign bits only) must not hit PML4[0]. */
		check_unmapped(&g, c->fmt, b.root, size, 0xffff800000000000ull | TABLES_GPA);
		/* Non-canonical: bits 63:48 differ from bit 47. */
		assert_int_equal(pt_walk(&g, c->fmt, b.root, 0x0000800000000000ull, &w), -ERANGE);
		assert_int_equal(pt_walk(&g, c->fmt, b.root, 0x0001000000000000ull, &w), -ERANGE);
		assert_int_equal(pt_walk(&g, c->fmt, b.root, 0xffff7ffffffff000ull, &w), -ERANGE);
		assert_int_equal(pt_walk(&g, c->fmt, b.root, 0x8000000000000000ull, &w), -ERANGE);
		assert_int_equal(pt_walk(&g, c->fmt, b.root, 1ull << 48, &w), -ERANGE);
	}
	mem_unmap(&g);
}

/* ---- pt_build_spec's limits and errors ---- */

/* pt_tables_for of a plain identity map of size (what the layout sizes the region by). */
static unsigned tables_for(enum pt_format fmt, uint64_t size)
{
	return pt_tables_for(&(struct pt_spec){ .fmt = fmt, .size = size });
}

static void test_tables_for(void **state)
{
	(void)state;
	assert_int_equal(pt_levels(PT_NONE), 0);
	assert_int_equal(pt_levels(PT_32BIT), 2);
	assert_int_equal(pt_levels(PT_4LEVEL), 4);
	assert_int_equal(pt_large_page(PT_32BIT), 4 * MiB);
	assert_int_equal(pt_large_page(PT_4LEVEL), 2 * MiB);
	/* 32-bit: one PD, plus one PT when the size is not a multiple of 4 MiB. */
	assert_int_equal(tables_for(PT_32BIT, 64 * KiB), 2);
	assert_int_equal(tables_for(PT_32BIT, 4 * MiB), 1);
	assert_int_equal(tables_for(PT_32BIT, 4 * GiB), 1);
	assert_int_equal(tables_for(PT_32BIT, 4 * GiB - PAGE_SIZE), 2);
	/* 4-level: PML4, PDPT, a PD per started GiB, plus one PT for a tail. */
	assert_int_equal(tables_for(PT_4LEVEL, 64 * KiB), 4);
	assert_int_equal(tables_for(PT_4LEVEL, 2 * MiB), 3);
	assert_int_equal(tables_for(PT_4LEVEL, GiB), 3);
	assert_int_equal(tables_for(PT_4LEVEL, GiB + 2 * MiB), 4);
	assert_int_equal(tables_for(PT_4LEVEL, GiB + PAGE_SIZE), 5);
	assert_int_equal(tables_for(PT_4LEVEL, 512 * GiB), 514);
	assert_int_equal(tables_for(PT_NONE, 2 * MiB), 0);
}

static void test_build_errors(void **state)
{
	struct gmem g = { .host = calloc(1, MiB), .size = MiB };
	struct pt_built b;
	const uint64_t lim = MiB;

	(void)state;
	assert_non_null(g.host);
	assert_int_equal(build_plain(&g, PT_4LEVEL, 0, TABLES_GPA, lim, &b), -EINVAL);
	assert_int_equal(build_plain(&g, PT_32BIT, 0, TABLES_GPA, lim, &b), -EINVAL);
	assert_int_equal(build_plain(&g, PT_4LEVEL, MiB + 1, TABLES_GPA, lim, &b), -EINVAL);
	assert_int_equal(build_plain(&g, PT_32BIT, MiB + 2048, TABLES_GPA, lim, &b), -EINVAL);
	assert_int_equal(build_plain(&g, PT_4LEVEL, MiB, 0x1800, lim, &b), -EINVAL);
	assert_int_equal(build_plain(&g, PT_32BIT, MiB, 0x1008, lim, &b), -EINVAL);
	assert_int_equal(build_plain(&g, PT_NONE, MiB, TABLES_GPA, lim, &b), -EINVAL);
	/* Beyond what each format can map. */
	assert_int_equal(build_plain(&g, PT_32BIT, 4 * GiB + PAGE_SIZE, TABLES_GPA, lim, &b),
			 -EINVAL);
	assert_int_equal(build_plain(&g, PT_32BIT, 8 * GiB, TABLES_GPA, lim, &b), -EINVAL);
	assert_int_equal(build_plain(&g, PT_4LEVEL, 512 * GiB + PAGE_SIZE, TABLES_GPA, lim, &b),
			 -EINVAL);
	/* Not one byte was written by the refused builds. */
	for (uint64_t i = 0; i < MiB; i++)
		if (g.host[i])
			fail_msg("byte at 0x%llx written", (unsigned long long)i);
	free(g.host);
}

static void test_build_nospace(void **state)
{
	static const struct build_case cases[] = {
		{ PT_4LEVEL, 64 * KiB }, { PT_4LEVEL, 2 * MiB }, { PT_4LEVEL, GiB + PAGE_SIZE },
		{ PT_32BIT, 64 * KiB },  { PT_32BIT, 4 * MiB },
	};
	struct gmem g = { .host = calloc(1, MiB), .size = MiB };
	struct pt_built b;

	(void)state;
	assert_non_null(g.host);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pt_spec s = { .fmt = cases[i].fmt, .size = cases[i].size };
		const uint64_t need = expected_tables(s.fmt, s.size) * PAGE_SIZE;

		/* Exactly enough room works; one page less, or a limit below the start, does not. */
		assert_int_equal(pt_build_spec(&g, &s, TABLES_GPA, TABLES_GPA + need, &b), 0);
		assert_int_equal(b.tables_end, TABLES_GPA + need);
		assert_int_equal(
			pt_build_spec(&g, &s, TABLES_GPA, TABLES_GPA + need - PAGE_SIZE, &b),
			-ENOSPC);
		assert_int_equal(pt_build_spec(&g, &s, TABLES_GPA, TABLES_GPA + need - 1, &b),
				 -ENOSPC);
		assert_int_equal(pt_build_spec(&g, &s, TABLES_GPA, 0, &b), -ENOSPC);
		assert_int_equal(pt_build_spec(&g, &s, TABLES_GPA, TABLES_GPA, &b), -ENOSPC);
	}
	/* Tables at the very top of the address space: no wrap-around to low memory. */
	assert_int_equal(
		build_plain(&g, PT_32BIT, 4 * MiB, UINT64_MAX & ~(PAGE_SIZE - 1), UINT64_MAX, &b),
		-ENOSPC);
	free(g.host);
}

static void test_build_fault(void **state)
{
	const uint64_t size = 64 * KiB;
	struct gmem g = { .host = calloc(1, size), .size = size };
	struct gmem none = { .host = NULL, .size = size };
	struct pt_built b;

	(void)state;
	assert_non_null(g.host);
	/* The tables would run past the end of guest memory (the limit allows it). */
	assert_int_equal(build_plain(&g, PT_4LEVEL, size, size - PAGE_SIZE, UINT64_MAX, &b),
			 -EFAULT);
	assert_int_equal(build_plain(&g, PT_32BIT, size, size - PAGE_SIZE, UINT64_MAX, &b),
			 -EFAULT);
	assert_int_equal(build_plain(&g, PT_32BIT, size, size, UINT64_MAX, &b), -EFAULT);
	assert_int_equal(build_plain(&g, PT_4LEVEL, size, 1ull << 32, UINT64_MAX, &b), -EFAULT);
	/* The last page that fits: a 4 MiB 32-bit build needs one table. */
	assert_int_equal(build_plain(&g, PT_32BIT, 4 * MiB, size - PAGE_SIZE, UINT64_MAX, &b), 0);
	assert_int_equal(b.tables_end, size);
	/* No guest memory at all. */
	assert_int_equal(build_plain(&none, PT_4LEVEL, size, TABLES_GPA, size, &b), -EFAULT);
	free(g.host);
}

/* The largest sizes: only the first pages are tables, so a few probes suffice. */
static void test_build_max(void **state)
{
	struct gmem g = { .host = calloc(1, 4 * MiB), .size = 4 * MiB };
	struct pt_built b;
	struct pt_walk w;

	(void)state;
	assert_non_null(g.host);
	/* 32-bit paging covers all 4 GiB with 1024 x 4 MiB pages. */
	assert_int_equal(build_plain(&g, PT_32BIT, 4 * GiB, TABLES_GPA, g.size, &b), 0);
	assert_int_equal(b.tables, 1);
	assert_int_equal(b.large, 1024);
	assert_int_equal(pt_walk(&g, PT_32BIT, b.root, 4 * GiB - 1, &w), 0);
	assert_int_equal(w.gpa, 4 * GiB - 1);
	assert_int_equal(w.page_size, 4 * MiB);
	assert_int_equal(pt_walk(&g, PT_32BIT, b.root, 0x87654321, &w), 0);
	assert_int_equal(w.gpa, 0x87654321);

	/* 4-level: 512 GiB fills PDPT[0..511], 512 PDs of 512 x 2 MiB. */
	assert_int_equal(build_plain(&g, PT_4LEVEL, 512 * GiB, TABLES_GPA, g.size, &b), 0);
	assert_int_equal(b.tables, 514);
	assert_int_equal(b.large, 512 * 512);
	assert_int_equal(b.small, 0);
	assert_int_equal(pt_walk(&g, PT_4LEVEL, b.root, 512 * GiB - 1, &w), 0);
	assert_int_equal(w.gpa, 512 * GiB - 1);
	assert_int_equal(pt_walk(&g, PT_4LEVEL, b.root, 0x12345678abcull, &w), -ENOENT);
	assert_int_equal(pt_walk(&g, PT_4LEVEL, b.root, 0x5678abcdefull, &w), 0);
	assert_int_equal(w.gpa, 0x5678abcdefull);
	assert_int_equal(w.step[2].table, b.root + (2 + (0x5678abcdefull >> 30)) * PAGE_SIZE);
	assert_int_equal(pt_walk(&g, PT_4LEVEL, b.root, 512 * GiB, &w), -ENOENT);
	assert_int_equal(w.steps, 1);
	free(g.host);
}

/* ---- pt_build_spec's user/kernel split (a ring-3 guest's tables) ---- */

/* Four large-page slots mapped at guest-physical one large page up (an instance's slice), the VMM's
 * range from the last page of slot 0 to three pages into slot 3: slot 0 and 3 straddle
 * it (a table of 4 KiB pages each), slots 1 and 2 lie wholly inside (large pages,
 * supervisor-only). With user off, the range means nothing: four large supervisor pages. */
static void check_split(enum pt_format fmt, bool user)
{
	const uint64_t large = pt_large_page(fmt), size = 4 * large, phys = large;
	const struct pt_spec spec = { .fmt = fmt,
				      .size = size,
				      .phys = phys,
				      .user = user,
				      .kernel_start = large - PAGE_SIZE,
				      .kernel_end = 3 * large + 3 * PAGE_SIZE };
	/* PD (32-bit) or PML4, PDPT and PD (4-level), and with user the two tables of 4 KiB
	 * pages of the straddled slots. */
	const unsigned dirs = fmt == PT_32BIT ? 1 : 3, tables = dirs + (user ? 2 : 0);
	struct gmem all, slice;
	struct pt_built b;
	struct pt_walk w;

	assert_int_equal(mem_map(&all, phys + size), 0);
	slice = (struct gmem){ .host = all.host + phys, .size = size };
	assert_int_equal(pt_build_spec(&slice, &spec, TABLES_GPA, large, &b), 0);
	assert_int_equal(b.root, phys + TABLES_GPA); /* CR3 is guest-physical */
	assert_int_equal(b.tables, tables);
	assert_int_equal(pt_tables_for(&spec), tables); /* the layout sizes the region by it */
	assert_int_equal(b.large, user ? 2 : 4);
	assert_int_equal(b.small, user ? 2 * large / PAGE_SIZE : 0);
	/* Every page, walked as the CPU walks it over the whole of guest-physical memory. */
	for (uint64_t gva = 0; gva < size; gva += PAGE_SIZE) {
		const bool kernel = gva >= spec.kernel_start && gva < spec.kernel_end;
		const unsigned slot = (unsigned)(gva / large);
		const uint64_t want_size = !user || slot == 1 || slot == 2 ? large : PAGE_SIZE;
		const uint64_t at = gva + (gva >> 12 & 0xff8); /* an offset inside the page */
		int rc = pt_walk(&all, fmt, b.root, at, &w);

		if (rc || w.gpa != phys + at || !w.writable || w.user != (user && !kernel) ||
		    w.page_size != want_size)
			fail_msg("%s user %d: gva 0x%llx: rc %d gpa 0x%llx rw %d us %d page 0x%llx",
				 fmt == PT_32BIT ? "32-bit" : "4-level", user,
				 (unsigned long long)at, rc, (unsigned long long)w.gpa, w.writable,
				 w.user, (unsigned long long)w.page_size);
	}
	assert_int_equal(pt_walk(&all, fmt, b.root, size, &w), -ENOENT);
	/* One page less room for the tables than they take: refused, not cut short. */
	assert_int_equal(
		pt_build_spec(&slice, &spec, TABLES_GPA, TABLES_GPA + (tables - 1) * PAGE_SIZE, &b),
		-ENOSPC);
	mem_unmap(&all);
}

static void test_split_4level(void **state)
{
	(void)state;
	check_split(PT_4LEVEL, true);
	check_split(PT_4LEVEL, false);
}

static void test_split_32bit(void **state)
{
	(void)state;
	check_split(PT_32BIT, true);
	check_split(PT_32BIT, false);
}

/* ---- pt_walk over hand-made tables ---- */

#define HM_SIZE (64 * KiB) /* hand-made tables live in 64 KiB of guest memory */

static int hm_setup(void **state)
{
	struct gmem *g = calloc(1, sizeof(*g));

	if (!g || !(g->host = calloc(1, HM_SIZE))) {
		free(g);
		return -1;
	}
	g->size = HM_SIZE;
	*state = g;
	return 0;
}

static int hm_teardown(void **state)
{
	struct gmem *g = *state;

	free(g->host);
	free(g);
	return 0;
}

static void put64(struct gmem *g, uint64_t table, unsigned i, uint64_t e)
{
	assert_true(gmem_write64(g, table + 8ull * i, e));
}

static void put32(struct gmem *g, uint64_t table, unsigned i, uint32_t e)
{
	assert_true(gmem_write32(g, table + 4ull * i, e));
}

static void test_walk_1g_page(void **state)
{
	struct gmem *g = *state;
	struct pt_walk w;

	/* PML4 at 0x1000 -> PDPT at 0x2000 with 1 GiB pages in entries 1 and 2. */
	put64(g, 0x1000, 0, 0x2000 | PTE_P | PTE_RW);
	put64(g, 0x2000, 1, 0x40000000 | PTE_P | PTE_RW | PTE_PS);
	/* Not an identity page, with the PAT bit (12), which is not an address bit. */
	put64(g, 0x2000, 2, 0x1c0000000ull | (1ull << 12) | PTE_P | PTE_PS);

	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0x4abcdef0, &w), 0);
	assert_int_equal(w.gpa, 0x4abcdef0);
	assert_int_equal(w.page_size, GiB);
	assert_int_equal(w.steps, 2);
	assert_int_equal(w.step[0].table, 0x1000);
	assert_int_equal(w.step[0].index, 0);
	assert_int_equal(w.step[1].table, 0x2000);
	assert_int_equal(w.step[1].index, 1);
	assert_int_equal(w.step[1].entry, 0x40000000 | PTE_P | PTE_RW | PTE_PS);
	assert_int_equal(w.writable, 1);

	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0xbfffffff, &w), 0);
	assert_int_equal(w.gpa, 0x1ffffffffull);
	assert_int_equal(w.page_size, GiB);
	assert_int_equal(w.writable, 0);
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0x80000123, &w), 0);
	assert_int_equal(w.gpa, 0x1c0000123ull);
}

static void test_walk_2m_pat(void **state)
{
	struct gmem *g = *state;
	struct pt_walk w;

	/* A 2 MiB page with PAT (bit 12) and ignored high bits (52..62) in its entry. */
	put64(g, 0x1000, 0, 0x2000 | PTE_P | PTE_RW);
	put64(g, 0x2000, 0, 0x3000 | PTE_P | PTE_RW);
	put64(g, 0x3000, 5, 0x7600000ull | (1ull << 12) | (0x7ffull << 52) | PTE_P | PTE_PS);
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 5 * 2 * MiB + 0x1abcd, &w), 0);
	assert_int_equal(w.gpa, 0x7600000ull + 0x1abcd);
	assert_int_equal(w.page_size, 2 * MiB);
	assert_int_equal(w.steps, 3);
	assert_int_equal(w.step[2].index, 5);
}

static void test_walk_pse36(void **state)
{
	struct gmem *g = *state;
	struct pt_walk w;

	/* PD[3] maps gva 0xc00000..0xffffff onto gpa 0x12_00400000: PSE-36 puts address
	 * bits 39:32 in PDE bits 20:13. */
	put32(g, 0x1000, 3, 0x00400000u | (0x12u << 13) | PTE_P | PTE_RW | PTE_PS);
	assert_int_equal(pt_walk(g, PT_32BIT, 0x1000, 0x00c12345, &w), 0);
	assert_int_equal(w.gpa, 0x1200412345ull);
	assert_int_equal(w.page_size, 4 * MiB);
	assert_int_equal(w.steps, 1);
	assert_int_equal(w.step[0].index, 3);
	assert_int_equal(w.writable, 1);
	assert_int_equal(w.nx, 0);

	/* All eight high bits, on the last PDE; the PAT bit (12) is not an address bit. */
	put32(g, 0x1000, 1023, 0xffc00000u | (0xffu << 13) | (1u << 12) | PTE_P | PTE_PS);
	assert_int_equal(pt_walk(g, PT_32BIT, 0x1000, 0xffffffff, &w), 0);
	assert_int_equal(w.gpa, 0xffffffffffull);
	assert_int_equal(w.writable, 0);

	/* A 4 KiB page in a PT: the same bits 20:13 are plain address bits there. */
	put32(g, 0x1000, 0, 0x2000 | PTE_P | PTE_RW);
	put32(g, 0x2000, 7, 0x00123000u | PTE_P | PTE_RW);
	assert_int_equal(pt_walk(g, PT_32BIT, 0x1000, 0x7abc, &w), 0);
	assert_int_equal(w.gpa, 0x123abc);
	assert_int_equal(w.page_size, PAGE_SIZE);
	assert_int_equal(w.steps, 2);
	assert_int_equal(w.step[1].table, 0x2000);
	assert_int_equal(w.step[1].index, 7);
}

/* A 4-level chain for gva 0 with the given flags at each level: PML4 0x1000, PDPT
 * 0x2000, PD 0x3000, PT 0x4000, page 0x9000. */
static void chain4(struct gmem *g, const uint64_t flags[4])
{
	put64(g, 0x1000, 0, 0x2000 | flags[0]);
	put64(g, 0x2000, 0, 0x3000 | flags[1]);
	put64(g, 0x3000, 0, 0x4000 | flags[2]);
	put64(g, 0x4000, 0, 0x9000 | flags[3]);
}

static void test_walk_not_present(void **state)
{
	struct gmem *g = *state;
	const uint64_t all = PTE_P | PTE_RW | PTE_US;
	struct pt_walk w;

	/* Clear P at each level in turn: the walk stops there, reporting the entry. The
	 * other bits stay set so that only P decides. */
	for (int l = 0; l < 4; l++) {
		uint64_t flags[4] = { all, all, all, all };

		flags[l] &= ~PTE_P;
		chain4(g, flags);
		assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0x123, &w), -ENOENT);
		assert_int_equal(w.steps, l + 1);
		assert_int_equal(w.step[l].table, 0x1000 + (uint64_t)l * 0x1000);
		assert_int_equal(w.step[l].entry,
				 (l == 3 ? 0x9000 : 0x2000 + l * 0x1000ull) | (all & ~PTE_P));
	}
	/* And all present: the page is found. */
	chain4(g, (const uint64_t[4]){ all, all, all, all });
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0x123, &w), 0);
	assert_int_equal(w.gpa, 0x9123);
	assert_int_equal(w.steps, 4);
	assert_int_equal(w.page_size, PAGE_SIZE);
	/* A neighbouring index at each level is empty. */
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 1ull << 12, &w), -ENOENT);
	assert_int_equal(w.steps, 4);
	assert_int_equal(w.step[3].index, 1);
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 1ull << 21, &w), -ENOENT);
	assert_int_equal(w.steps, 3);
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 1ull << 30, &w), -ENOENT);
	assert_int_equal(w.steps, 2);
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 1ull << 39, &w), -ENOENT);
	assert_int_equal(w.steps, 1);
	assert_int_equal(w.step[0].index, 1);
	/* The sign-extended top index is PML4[511]. */
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0xffffffffffffffffull, &w), -ENOENT);
	assert_int_equal(w.step[0].index, 511);

	/* 32-bit: not present in the PD, then in the PT. */
	put32(g, 0x6000, 0, 0x7000 | PTE_RW);
	assert_int_equal(pt_walk(g, PT_32BIT, 0x6000, 0x123, &w), -ENOENT);
	assert_int_equal(w.steps, 1);
	put32(g, 0x6000, 0, 0x7000 | PTE_P | PTE_RW);
	put32(g, 0x7000, 0, 0x9000 | PTE_RW);
	assert_int_equal(pt_walk(g, PT_32BIT, 0x6000, 0x123, &w), -ENOENT);
	assert_int_equal(w.steps, 2);
	assert_int_equal(w.step[1].entry, 0x9000 | PTE_RW);
	put32(g, 0x7000, 0, 0x9000 | PTE_P);
	assert_int_equal(pt_walk(g, PT_32BIT, 0x6000, 0x123, &w), 0);
	assert_int_equal(w.gpa, 0x9123);
}

static void test_walk_fault(void **state)
{
	struct gmem *g = *state;
	const uint64_t all = PTE_P | PTE_RW;
	struct pt_walk w;

	/* The root itself, then a table pointer at each level, outside guest memory. */
	assert_int_equal(pt_walk(g, PT_4LEVEL, HM_SIZE, 0, &w), -EFAULT);
	assert_int_equal(pt_walk(g, PT_32BIT, 1ull << 31, 0, &w), -EFAULT);
	for (int l = 0; l < 3; l++) {
		uint64_t flags[4] = { all, all, all, all };

		chain4(g, flags);
		put64(g, 0x1000 + (uint64_t)l * 0x1000, 0, (1ull << 32) | all);
		assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0, &w), -EFAULT);
		assert_int_equal(w.steps, l + 1); /* the levels read before the bad table */
	}
	/* Just past the end of memory: the last entry of a table there would be out. */
	put64(g, 0x1000, 0, HM_SIZE | all);
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0, &w), -EFAULT);

	put32(g, 0x6000, 0, 0x80000000u | PTE_P | PTE_RW);
	assert_int_equal(pt_walk(g, PT_32BIT, 0x6000, 0x123, &w), -EFAULT);
	assert_int_equal(w.steps, 1);
	/* The leaf's own address is not checked: it need not be RAM (MMIO). */
	put32(g, 0x6000, 0, 0x7000 | PTE_P | PTE_RW);
	put32(g, 0x7000, 0, 0xfee00000u | PTE_P | PTE_RW);
	assert_int_equal(pt_walk(g, PT_32BIT, 0x6000, 0x123, &w), 0);
	assert_int_equal(w.gpa, 0xfee00123u);
}

static void test_walk_permissions(void **state)
{
	struct gmem *g = *state;
	const uint64_t all = PTE_P | PTE_RW | PTE_US;
	struct pt_walk w;

	chain4(g, (const uint64_t[4]){ all, all, all, all });
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0, &w), 0);
	assert_true(w.writable && w.user && !w.nx);
	/* Each restriction at any one level restricts the whole translation. */
	for (int l = 0; l < 4; l++) {
		uint64_t flags[4] = { all, all, all, all };

		flags[l] &= ~PTE_RW;
		chain4(g, flags);
		assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0, &w), 0);
		assert_int_equal(w.writable, 0);
		assert_int_equal(w.user, 1);
		assert_int_equal(w.nx, 0);

		flags[l] = all & ~PTE_US;
		chain4(g, flags);
		assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0, &w), 0);
		assert_int_equal(w.writable, 1);
		assert_int_equal(w.user, 0);

		flags[l] = all | PTE_NX;
		chain4(g, flags);
		assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0, &w), 0);
		assert_int_equal(w.nx, 1);
		assert_int_equal(w.writable, 1);
		assert_int_equal(w.user, 1);
		assert_int_equal(w.gpa, 0x9000); /* NX is not an address bit */
	}
	/* 32-bit: RW in the PD or the PT; no NX bit exists. */
	put32(g, 0x6000, 0, 0x7000 | PTE_P | PTE_US);
	put32(g, 0x7000, 0, 0x9000 | PTE_P | PTE_RW | PTE_US);
	assert_int_equal(pt_walk(g, PT_32BIT, 0x6000, 0, &w), 0);
	assert_int_equal(w.writable, 0);
	assert_int_equal(w.user, 1);
	put32(g, 0x6000, 0, 0x7000 | PTE_P | PTE_RW);
	assert_int_equal(pt_walk(g, PT_32BIT, 0x6000, 0, &w), 0);
	assert_int_equal(w.writable, 1);
	assert_int_equal(w.user, 0);
	assert_int_equal(w.nx, 0);
}

static void test_walk_bad_args(void **state)
{
	struct gmem *g = *state;
	struct pt_walk w;

	put64(g, 0x1000, 0, 0x2000 | PTE_P);
	assert_int_equal(pt_walk(g, PT_NONE, 0x1000, 0, &w), -EINVAL);
	/* Range errors come before any table is read. */
	assert_int_equal(pt_walk(g, PT_32BIT, 0x1000, 1ull << 32, &w), -ERANGE);
	assert_int_equal(w.steps, 0);
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0x0000800000000000ull, &w), -ERANGE);
	assert_int_equal(w.steps, 0);
	/* The highest canonical lower-half address is walked (and found absent). */
	assert_int_equal(pt_walk(g, PT_4LEVEL, 0x1000, 0x00007fffffffffffull, &w), -ENOENT);
	assert_int_equal(w.step[0].index, 255);
}

/* ---- pt_dump and pt_flags_str ---- */

/* The number of lines of s that contain needle. */
static int count_lines(const char *s, const char *needle)
{
	int n = 0;

	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *line = strndup(s, len);

		n += strstr(line, needle) != NULL;
		free(line);
		s += len + (nl != NULL);
	}
	return n;
}

static char *dump(const struct gmem *g, enum pt_format fmt, uint64_t root)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	pt_dump(f, g, fmt, root);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_dump_4level(void **state)
{
	struct gmem g = { .host = calloc(1, 3 * MiB), .size = 3 * MiB };
	struct pt_built b;
	char *out;

	(void)state;
	assert_non_null(g.host);
	assert_int_equal(build_plain(&g, PT_4LEVEL, 3 * MiB, TABLES_GPA, g.size, &b), 0);
	out = dump(&g, PT_4LEVEL, b.root);
	/* Four tables, one line each, with their addresses and entry counts. */
	assert_int_equal(count_lines(out, "PML4 at gpa 0x1000 (hva"), 1);
	assert_int_equal(count_lines(out, "PDPT at gpa 0x2000 (hva"), 1);
	assert_int_equal(count_lines(out, "PD at gpa 0x3000 (hva"), 1);
	assert_int_equal(count_lines(out, "PT at gpa 0x4000 (hva"), 1);
	assert_int_equal(count_lines(out, "1 of 512 entries present"), 2);
	assert_int_equal(count_lines(out, "2 of 512 entries present"), 1);
	assert_int_equal(count_lines(out, "256 of 512 entries present"), 1);
	/* The pointers down, then the pages as two runs. */
	assert_int_equal(count_lines(out, "[0] -> PDPT at gpa 0x2000"), 1);
	assert_int_equal(count_lines(out, "[0] -> PD at gpa 0x3000"), 1);
	assert_int_equal(count_lines(out, "[1] -> PT at gpa 0x4000"), 1);
	assert_int_equal(count_lines(out, "[0-0] 1 x 2 MiB pages: gva 0x0-0x1fffff -> "
					  "gpa 0x0-0x1fffff  P RW PS"),
			 1);
	assert_int_equal(count_lines(out, "[0-255] 256 x 4 KiB pages: gva 0x200000-0x2fffff -> "
					  "gpa 0x200000-0x2fffff  P RW"),
			 1);
	/* Nothing else: 4 table lines + 3 pointers + 2 runs; absent entries print nothing. */
	assert_int_equal(count_lines(out, ""), 9);
	assert_int_equal(count_lines(out, "["), 5);
	assert_int_equal(count_lines(out, "US"), 0);
	free(out);
	free(g.host);
}

static void test_dump_32bit(void **state)
{
	const uint64_t size = 6 * MiB + 4 * KiB;
	struct gmem g = { .host = calloc(1, size), .size = size };
	struct pt_built b;
	char *out;

	(void)state;
	assert_non_null(g.host);
	assert_int_equal(build_plain(&g, PT_32BIT, size, TABLES_GPA, size, &b), 0);
	out = dump(&g, PT_32BIT, b.root);
	assert_int_equal(count_lines(out, "PD at gpa 0x1000 (hva"), 1);
	assert_int_equal(count_lines(out, "2 of 1024 entries present"), 1);
	assert_int_equal(count_lines(out, "[0-0] 1 x 4 MiB pages: gva 0x0-0x3fffff"), 1);
	assert_int_equal(count_lines(out, "[1] -> PT at gpa 0x2000"), 1);
	assert_int_equal(count_lines(out, "PT at gpa 0x2000 (hva"), 1);
	assert_int_equal(count_lines(out, "513 of 1024 entries present"), 1);
	assert_int_equal(count_lines(out, "[0-512] 513 x 4 KiB pages: gva 0x400000-0x600fff"), 1);
	assert_int_equal(count_lines(out, ""), 5);
	free(out);

	out = dump(&g, PT_NONE, 0);
	assert_string_equal(out, "no page tables: paging is off\n");
	free(out);
	free(g.host);
}

/* A run stops where the pages stop being contiguous or the flags change. */
static void test_dump_runs(void **state)
{
	struct gmem *g = *state;
	char *out;

	put64(g, 0x1000, 0, 0x2000 | PTE_P | PTE_RW);
	put64(g, 0x2000, 0, 0x3000 | PTE_P | PTE_RW);
	put64(g, 0x3000, 0, 0x4000 | PTE_P | PTE_RW);
	put64(g, 0x4000, 0, 0x10000 | PTE_P | PTE_RW);
	put64(g, 0x4000, 1, 0x11000 | PTE_P | PTE_RW);
	put64(g, 0x4000, 2, 0x12000 | PTE_P); /* flags change */
	put64(g, 0x4000, 3, 0x20000 | PTE_P); /* not contiguous */
	put64(g, 0x4000, 5, 0x22000 | PTE_P); /* a hole at 4 */
	out = dump(g, PT_4LEVEL, 0x1000);
	assert_int_equal(count_lines(out, "[0-1] 2 x 4 KiB pages"), 1);
	assert_int_equal(count_lines(out, "[2-2] 1 x 4 KiB pages"), 1);
	assert_int_equal(count_lines(out, "[3-3] 1 x 4 KiB pages"), 1);
	assert_int_equal(count_lines(out, "[5-5] 1 x 4 KiB pages"), 1);
	assert_int_equal(count_lines(out, "5 of 512 entries present"), 1);
	assert_int_equal(count_lines(out, "x 4 KiB"), 4);
	free(out);
}

static void test_flags_str(void **state)
{
	char buf[64], small[32];

	(void)state;
	assert_string_equal(pt_flags_str(0, buf, sizeof(buf)), "");
	assert_string_equal(pt_flags_str(PTE_P | PTE_RW | PTE_PS, buf, sizeof(buf)), "P RW PS");
	assert_string_equal(pt_flags_str(~0ull, buf, sizeof(buf)), "P RW US A D PS NX");
	assert_string_equal(pt_flags_str(0x7ff0000000000e00ull, buf, sizeof(buf)), "");
	/* A short buffer is cut, never overrun. */
	memset(small, 'x', sizeof(small));
	pt_flags_str(~0ull, small, 4);
	assert_string_equal(small, "P R");
	for (size_t i = 4; i < sizeof(small); i++)
		assert_int_equal(small[i], 'x');
}

#define BUILD(f, sz, label)                                      \
	{                                                        \
		.name = "build_" label, .test_func = test_build, \
		.initial_state = &(struct build_case)            \
		{                                                \
			f, sz                                    \
		}                                                \
	}
#define HM(f) cmocka_unit_test_setup_teardown(f, hm_setup, hm_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BUILD(PT_4LEVEL, 64 * KiB, "4level_64KiB"),
		BUILD(PT_4LEVEL, MiB, "4level_1MiB"),
		BUILD(PT_4LEVEL, 2 * MiB, "4level_2MiB"),
		BUILD(PT_4LEVEL, 3 * MiB, "4level_3MiB"),
		BUILD(PT_4LEVEL, 4 * MiB, "4level_4MiB"),
		BUILD(PT_4LEVEL, 6 * MiB + 4 * KiB, "4level_6MiB_4KiB"),
		BUILD(PT_4LEVEL, GiB, "4level_1GiB"),
		BUILD(PT_4LEVEL, GiB + 2 * MiB, "4level_1GiB_2MiB"),
		BUILD(PT_4LEVEL, GiB + 3 * MiB, "4level_1GiB_3MiB"),
		BUILD(PT_4LEVEL, 2 * GiB, "4level_2GiB"),
		BUILD(PT_32BIT, 64 * KiB, "32bit_64KiB"),
		BUILD(PT_32BIT, MiB, "32bit_1MiB"),
		BUILD(PT_32BIT, 2 * MiB, "32bit_2MiB"),
		BUILD(PT_32BIT, 3 * MiB, "32bit_3MiB"),
		BUILD(PT_32BIT, 4 * MiB, "32bit_4MiB"),
		BUILD(PT_32BIT, 6 * MiB + 4 * KiB, "32bit_6MiB_4KiB"),
		BUILD(PT_32BIT, GiB, "32bit_1GiB"),
		BUILD(PT_32BIT, GiB + 2 * MiB, "32bit_1GiB_2MiB"),
		BUILD(PT_32BIT, 2 * GiB, "32bit_2GiB"),
		cmocka_unit_test(test_tables_for),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_build_nospace),
		cmocka_unit_test(test_build_fault),
		cmocka_unit_test(test_build_max),
		cmocka_unit_test(test_split_4level),
		cmocka_unit_test(test_split_32bit),
		HM(test_walk_1g_page),
		HM(test_walk_2m_pat),
		HM(test_walk_pse36),
		HM(test_walk_not_present),
		HM(test_walk_fault),
		HM(test_walk_permissions),
		HM(test_walk_bad_args),
		cmocka_unit_test(test_dump_4level),
		cmocka_unit_test(test_dump_32bit),
		HM(test_dump_runs),
		cmocka_unit_test(test_flags_str),
	};

	return cmocka_run_group_tests_name("pagetable", tests, NULL, NULL);
}
