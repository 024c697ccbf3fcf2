/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_bootinfo.c: bootinfo_write's struct hc_boot_info, argv vector and
 * strings in the args region, what fits and what does not, over a calloc'd buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minivirt/hc.h>

#include "bootinfo.h"
#include "gmem_fixture.h"

#define MEM_SIZE 0x10000ull /* 64 KiB */
#define POISON 0xcc

struct fixture {
	struct gmem mem;
	struct layout l;
	struct mv_err err;
};

static int setup_mode(void **state, enum cpu_mode mode)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || gmem_fixture_new(&f->mem, MEM_SIZE, POISON)) {
		free(f);
		return -1;
	}
	if (layout_plan(&(struct layout_req){ .mode = mode, .mem_size = MEM_SIZE }, &f->l,
			&f->err)) {
		gmem_fixture_free(&f->mem);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int setup_long(void **state)
{
	return setup_mode(state, MODE_LONG);
}

static int setup_real(void **state)
{
	return setup_mode(state, MODE_REAL);
}

/* The args page of vCPU slot (one page per vCPU sharing the memory). */
static struct region page_of(const struct fixture *f, unsigned slot)
{
	return (struct region){ "args", layout_args(&f->l, slot), LAYOUT_ARGS_SIZE };
}

static const struct region *args(const struct fixture *f)
{
	static struct region r;

	r = page_of(f, 0);
	return &r;
}

static int all_bytes(const struct fixture *f, uint64_t from, uint64_t to, uint8_t c)
{
	for (uint64_t a = from; a < to; a++)
		if (f->mem.host[a] != c)
			return 0;
	return 1;
}

/* Writes argc/argv for vCPU vcpu into args page slot and checks everything in guest
 * memory against them: the boot info, argc+1 pointers ending with 0, each string
 * NUL-terminated in the page, every other byte of the page zero and nothing outside it
 * touched. */
static void check_slot(struct fixture *f, unsigned slot, int argc, char *const argv[],
		       uint32_t vcpu)
{
	const struct region page = page_of(f, slot), *r = &page;
	struct hc_boot_info bi;
	uint64_t at, end_used = 0;
	uint8_t *used = calloc(1, r->size);

	assert_non_null(used);
	memset(&f->err, 0, sizeof(f->err));
	at = bootinfo_write(&f->mem, &f->l, slot, argc, argv, vcpu, &f->err);
	assert_int_equal(at, r->gpa);
	assert_string_equal(f->err.msg, "");
	memcpy(&bi, f->mem.host + at, sizeof(bi));
	assert_int_equal(bi.abi_version, HC_ABI_VERSION);
	assert_int_equal(bi.argc, argc);
	assert_int_equal(bi.argv, r->gpa + sizeof(bi));
	assert_int_equal(bi.mem_size, f->l.mem_size);
	assert_int_equal(bi.vcpu_id, vcpu);
	assert_int_equal(bi.mode, f->l.mode);
	assert_int_equal(bi.vcpus, f->l.stacks ? f->l.stacks : 1);
	assert_int_equal(bi.cpl, f->l.user ? 3 : 0);
	memset(used, 1, sizeof(bi) + (argc + 1) * sizeof(hc_gptr_t));
	for (int i = 0; i <= argc; i++) {
		hc_gptr_t p;

		memcpy(&p, f->mem.host + bi.argv + (uint64_t)i * sizeof(p), sizeof(p));
		if (i == argc) {
			assert_int_equal(p, 0);
			break;
		}
		/* Inside the region, after the vector, and the right string with its NUL. */
		assert_in_range(p, bi.argv + (argc + 1) * sizeof(p), r->gpa + r->size - 1);
		assert_true(p + strlen(argv[i]) < r->gpa + r->size);
		assert_memory_equal(f->mem.host + p, argv[i], strlen(argv[i]) + 1);
		memset(used + (p - r->gpa), 1, strlen(argv[i]) + 1);
		if (p + strlen(argv[i]) + 1 > end_used)
			end_used = p + strlen(argv[i]) + 1;
	}
	for (uint64_t off = 0; off < r->size; off++)
		if (!used[off] && f->mem.host[r->gpa + off])
			fail_msg("byte 0x%llx of the args region is 0x%x, not 0",
				 (unsigned long long)off, f->mem.host[r->gpa + off]);
	assert_true(all_bytes(f, 0, r->gpa, POISON));
	assert_true(all_bytes(f, r->gpa + r->size, f->mem.size, POISON));
	free(used);
}

static void check_write(struct fixture *f, int argc, char *const argv[], uint32_t vcpu)
{
	check_slot(f, 0, argc, argv, vcpu);
}

static void test_argc0(void **state)
{
	struct fixture *f = *state;
	char *const argv[] = { NULL };
	uint64_t p = 1;

	check_write(f, 0, argv, 0);
	memcpy(&p, f->mem.host + args(f)->gpa + sizeof(struct hc_boot_info), sizeof(p));
	assert_int_equal(p, 0);
}

static void test_argc1(void **state)
{
	struct fixture *f = *state;
	char *const argv[] = { "hello", NULL };
	const uint64_t base = args(f)->gpa;
	uint64_t p;

	check_write(f, 1, argv, 0);
	/* The exact layout: boot info, two pointers, then the string. */
	memcpy(&p, f->mem.host + base + sizeof(struct hc_boot_info), 8);
	assert_int_equal(p, base + sizeof(struct hc_boot_info) + 16);
	assert_string_equal((char *)f->mem.host + p, "hello");
}

static void test_several(void **state)
{
	struct fixture *f = *state;
	char *const argv[] = { "prog", "", "two words", "tab\there", "-x", "\xc3\xa9", NULL };

	check_write(f, 6, argv, 7);
}

static void test_real_mode(void **state)
{
	struct fixture *f = *state;
	char *const argv[] = { "real", "mode", NULL };

	assert_int_equal(f->l.mode, MODE_REAL);
	assert_true(args(f)->gpa + args(f)->size <= 0x10000); /* reachable with 16-bit offsets */
	check_write(f, 2, argv, 0);
}

/* Three vCPUs sharing 256 KiB, in ring 3: each has its own page; slot 2 is the third. */
static void test_slots(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = 4 * MEM_SIZE;
	const struct layout_req req = {
		.mode = MODE_LONG, .mem_size = size, .user = true, .vcpus = 3
	};
	char *const argv[] = { "smp", "2", NULL };

	free(f->mem.host);
	assert_non_null(f->mem.host = malloc(size));
	f->mem.size = size;
	memset(f->mem.host, POISON, size);
	assert_int_equal(layout_plan(&req, &f->l, &f->err), 0);
	assert_int_equal(page_of(f, 2).gpa, page_of(f, 0).gpa + 2 * LAYOUT_ARGS_SIZE);
	assert_true(page_of(f, 2).gpa + LAYOUT_ARGS_SIZE <= size);
	check_slot(f, 2, 2, argv, 2); /* pages 0 and 1 stay poisoned: checked there */
}

/* A rewrite replaces everything: no byte of an earlier, longer argv survives. */
static void test_rewrite(void **state)
{
	struct fixture *f = *state;
	char *const first[] = { "a-long-first-argument", "and another one", NULL };
	char *const second[] = { "b", NULL };

	check_write(f, 2, first, 0);
	check_write(f, 1, second, 1);
}

/* Arguments whose total is exactly the region fit; one byte more does not. */
static void test_fit(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = args(f)->size;
	const uint64_t head1 = sizeof(struct hc_boot_info) + 2 * sizeof(hc_gptr_t);
	const uint64_t head3 = sizeof(struct hc_boot_info) + 4 * sizeof(hc_gptr_t);
	char *big = malloc(size + 2), *a = malloc(size), *b = malloc(size), *c = malloc(size);
	uint8_t *snap = malloc(MEM_SIZE);
	char want[64];

	assert_true(big && a && b && c && snap);
	/* One argument: its NUL lands on the last byte of the region. */
	memset(big, 'A', size + 1);
	big[size - head1 - 1] = 0;
	check_write(f, 1, (char *const[]){ big, NULL }, 0);
	assert_int_equal(f->mem.host[args(f)->gpa + size - 1], 0);
	assert_int_equal(f->mem.host[args(f)->gpa + size - 2], 'A');
	/* One byte more. */
	big[size - head1 - 1] = 'A';
	big[size - head1] = 0;
	memcpy(snap, f->mem.host, MEM_SIZE);
	assert_int_equal(
		bootinfo_write(&f->mem, &f->l, 0, 1, (char *const[]){ big, NULL }, 0, &f->err), 0);
	snprintf(want, sizeof(want), "%llu bytes", (unsigned long long)size + 1);
	assert_non_null(strstr(f->err.msg, want));
	snprintf(want, sizeof(want), "at most %llu", (unsigned long long)size);
	assert_non_null(strstr(f->err.msg, want));
	assert_memory_equal(f->mem.host, snap, MEM_SIZE); /* nothing written */

	/* Three arguments, exactly fitting, then one byte over. */
	memset(a, 'a', 1000);
	a[1000] = 0;
	memset(b, 'b', 2000);
	b[2000] = 0;
	memset(c, 'c', size - head3 - 3 - 3000);
	c[size - head3 - 3 - 3000] = 0;
	check_write(f, 3, (char *const[]){ a, b, c, NULL }, 0);
	c[size - head3 - 3 - 3000] = 'c';
	c[size - head3 - 3 - 3000 + 1] = 0;
	memset(&f->err, 0, sizeof(f->err));
	assert_int_equal(
		bootinfo_write(&f->mem, &f->l, 0, 3, (char *const[]){ a, b, c, NULL }, 0, &f->err),
		0);
	assert_non_null(strstr(f->err.msg, "fit"));
	free(big);
	free(a);
	free(b);
	free(c);
	free(snap);
}

static void test_too_many(void **state)
{
	struct fixture *f = *state;
	char *argv[601];

	/* 600 empty strings: their pointers alone overflow one page. */
	for (int i = 0; i < 600; i++)
		argv[i] = "";
	argv[600] = NULL;
	assert_int_equal(bootinfo_write(&f->mem, &f->l, 0, 600, argv, 0, &f->err), 0);
	assert_non_null(strstr(f->err.msg, "fit"));
	assert_true(all_bytes(f, 0, MEM_SIZE, POISON));
	/* A negative count is refused too. */
	f->err.msg[0] = 0;
	assert_int_equal(bootinfo_write(&f->mem, &f->l, 0, -1, argv, 0, &f->err), 0);
	assert_true(f->err.msg[0] != 0);
	assert_true(all_bytes(f, 0, MEM_SIZE, POISON));
}

/* A layout for more memory than there is: the region is outside guest memory. */
static void test_region_outside(void **state)
{
	struct fixture *f = *state;
	struct layout big;
	char *const argv[] = { "x", NULL };

	assert_int_equal(
		layout_plan(&(struct layout_req){ .mode = MODE_LONG, .mem_size = 2ull << 20 }, &big,
			    &f->err),
		0);
	f->err.msg[0] = 0;
	assert_int_equal(bootinfo_write(&f->mem, &big, 0, 1, argv, 0, &f->err), 0);
	assert_true(f->err.msg[0] != 0);
	assert_true(all_bytes(f, 0, MEM_SIZE, POISON));
}

#define LONG(fn) cmocka_unit_test_setup_teardown(fn, setup_long, gmem_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		LONG(test_argc0),
		LONG(test_argc1),
		LONG(test_several),
		cmocka_unit_test_setup_teardown(test_real_mode, setup_real, gmem_fixture_teardown),
		LONG(test_slots),
		LONG(test_rewrite),
		LONG(test_fit),
		LONG(test_too_many),
		LONG(test_region_outside),
	};

	return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
