/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_gmem.c: gmem_ptr's range and overflow checks and the checked
 * read/write helpers, over a calloc'd buffer standing in for guest memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gmem.h"

#define MEM_SIZE 0x10000ull /* 64 KiB: the smallest guest the VMM accepts */

static int setup(void **state)
{
	struct gmem *g = calloc(1, sizeof(*g));

	if (!g || !(g->host = calloc(1, MEM_SIZE))) {
		free(g);
		return -1;
	}
	g->size = MEM_SIZE;
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct gmem *g = *state;

	free(g->host);
	free(g);
	return 0;
}

static void test_ptr_inside(void **state)
{
	struct gmem *g = *state;

	/* Pointers are exactly host + gpa: a handler must see the byte the guest wrote. */
	assert_ptr_equal(gmem_ptr(g, 0, 1), g->host);
	assert_ptr_equal(gmem_ptr(g, 0x1234, 16), g->host + 0x1234);
	assert_ptr_equal(gmem_ptr(g, 0, MEM_SIZE), g->host);                    /* all of it */
	assert_ptr_equal(gmem_ptr(g, MEM_SIZE - 8, 8), g->host + MEM_SIZE - 8); /* last 8 */
	assert_ptr_equal(gmem_ptr(g, MEM_SIZE - 1, 1), g->host + MEM_SIZE - 1);
}

static void test_ptr_outside(void **state)
{
	struct gmem *g = *state;

	assert_null(gmem_ptr(g, MEM_SIZE, 1));     /* first byte past the end */
	assert_null(gmem_ptr(g, MEM_SIZE - 8, 9)); /* straddles the end by one byte */
	assert_null(gmem_ptr(g, 0, MEM_SIZE + 1)); /* one byte too long */
	assert_null(gmem_ptr(g, MEM_SIZE + 1, 0)); /* even empty, past the end is outside */
	assert_null(gmem_ptr(g, UINT64_MAX, 0));
	assert_null(gmem_ptr(g, UINT64_MAX, 1));
	assert_null(gmem_ptr(g, 1ull << 32, 4));
}

static void test_ptr_overflow(void **state)
{
	struct gmem *g = *state;

	/* gpa + len wraps to a small number: a naive "gpa + len <= size" would accept these. */
	assert_null(gmem_ptr(g, 1, UINT64_MAX));
	assert_null(gmem_ptr(g, 0x100, UINT64_MAX - 0xff));      /* sum is exactly 2^64 = 0 */
	assert_null(gmem_ptr(g, 0x100, UINT64_MAX - 0x100 + 2)); /* sum wraps to 1 */
	assert_null(gmem_ptr(g, 0, UINT64_MAX));
	assert_null(gmem_ptr(g, UINT64_MAX - 7, 8));
	assert_null(gmem_ptr(g, UINT64_MAX, UINT64_MAX));
}

static void test_ptr_len0(void **state)
{
	struct gmem *g = *state;

	/* An empty range is valid anywhere up to and including size (like a C end pointer). */
	assert_ptr_equal(gmem_ptr(g, 0, 0), g->host);
	assert_ptr_equal(gmem_ptr(g, 0x800, 0), g->host + 0x800);
	assert_ptr_equal(gmem_ptr(g, MEM_SIZE, 0), g->host + MEM_SIZE);
}

static void test_ptr_null_host(void **state)
{
	struct gmem none = { .host = NULL, .size = MEM_SIZE };
	uint64_t v64 = 7;
	uint32_t v32 = 7;

	(void)state;
	/* Memory not set up yet: every access fails instead of dereferencing NULL + gpa. */
	assert_null(gmem_ptr(&none, 0, 0));
	assert_null(gmem_ptr(&none, 0x100, 8));
	assert_false(gmem_read64(&none, 0, &v64));
	assert_false(gmem_read32(&none, 0, &v32));
	assert_false(gmem_write64(&none, 0, 1));
	assert_false(gmem_write32(&none, 0, 1));
	assert_int_equal(v64, 7);
	assert_int_equal(v32, 7);
}

static void test_size0(void **state)
{
	uint8_t byte;
	struct gmem empty = { .host = &byte, .size = 0 };

	(void)state;
	assert_ptr_equal(gmem_ptr(&empty, 0, 0), &byte);
	assert_null(gmem_ptr(&empty, 0, 1));
	assert_null(gmem_ptr(&empty, 1, 0));
}

static void test_read_write(void **state)
{
	struct gmem *g = *state;
	uint64_t v64 = 0;
	uint32_t v32 = 0;

	/* Little-endian in guest memory, as the x86 guest stores it. */
	assert_true(gmem_write64(g, 0x400, 0x0807060504030201ull));
	for (int i = 0; i < 8; i++)
		assert_int_equal(g->host[0x400 + i], i + 1);
	assert_true(gmem_read64(g, 0x400, &v64));
	assert_int_equal(v64, 0x0807060504030201ull);
	assert_true(gmem_read32(g, 0x404, &v32));
	assert_int_equal(v32, 0x08070605);

	assert_true(gmem_write32(g, 0x801, 0xdeadbeef)); /* unaligned is fine */
	assert_int_equal(g->host[0x800], 0);
	assert_int_equal(g->host[0x801], 0xef);
	assert_int_equal(g->host[0x804], 0xde);
	assert_int_equal(g->host[0x805], 0);
	assert_true(gmem_read32(g, 0x801, &v32));
	assert_int_equal(v32, 0xdeadbeef);

	/* The very last bytes are reachable. */
	assert_true(gmem_write64(g, MEM_SIZE - 8, UINT64_MAX));
	assert_true(gmem_read64(g, MEM_SIZE - 8, &v64));
	assert_int_equal(v64, UINT64_MAX);
	assert_true(gmem_write32(g, MEM_SIZE - 4, 0x11223344));
	assert_true(gmem_read32(g, MEM_SIZE - 4, &v32));
	assert_int_equal(v32, 0x11223344);
}

static void test_read_write_outside(void **state)
{
	struct gmem *g = *state;
	uint8_t *copy = malloc(MEM_SIZE);
	uint64_t v64 = 0x5555;
	uint32_t v32 = 0x5555;

	assert_non_null(copy);
	memset(g->host, 0xa5, MEM_SIZE);
	memcpy(copy, g->host, MEM_SIZE);
	/* Straddling the end, past it, and wrapping: refused, and nothing written or read. */
	assert_false(gmem_write64(g, MEM_SIZE - 7, 1));
	assert_false(gmem_write64(g, MEM_SIZE, 1));
	assert_false(gmem_write64(g, UINT64_MAX - 3, 1));
	assert_false(gmem_write32(g, MEM_SIZE - 3, 1));
	assert_false(gmem_write32(g, MEM_SIZE, 1));
	assert_false(gmem_write32(g, UINT64_MAX - 1, 1));
	assert_memory_equal(g->host, copy, MEM_SIZE);
	assert_false(gmem_read64(g, MEM_SIZE - 7, &v64));
	assert_false(gmem_read64(g, UINT64_MAX, &v64));
	assert_false(gmem_read32(g, MEM_SIZE - 3, &v32));
	assert_false(gmem_read32(g, UINT64_MAX, &v32));
	assert_int_equal(v64, 0x5555); /* outputs untouched on failure */
	assert_int_equal(v32, 0x5555);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ptr_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ptr_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ptr_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ptr_len0, setup, teardown),
		cmocka_unit_test(test_ptr_null_host),
		cmocka_unit_test(test_size0),
		cmocka_unit_test_setup_teardown(test_read_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_write_outside, setup, teardown),
	};

	return cmocka_run_group_tests_name("gmem", tests, NULL, NULL);
}
