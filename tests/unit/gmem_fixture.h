/* SPDX-License-Identifier: MIT */
/* tests/unit/gmem_fixture.h: the guest memory the VMM's unit tests work on: a struct gmem
 * over a heap buffer filled with one byte value, and its release (one copy for every
 * test file). */
#ifndef TESTS_GMEM_FIXTURE_H
#define TESTS_GMEM_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gmem.h"

/* gmem_fixture_new: size bytes of guest memory in mem, each set to fill. Returns 0, or -1
 * (mem holds nothing) when memory runs out. */
static inline int gmem_fixture_new(struct gmem *mem, uint64_t size, int fill)
{
	mem->host = malloc(size);
	mem->size = mem->host ? size : 0;
	if (!mem->host)
		return -1;
	memset(mem->host, fill, size);
	return 0;
}

/* gmem_fixture_free: releases what gmem_fixture_new gave mem. */
static inline void gmem_fixture_free(struct gmem *mem)
{
	free(mem->host);
	*mem = (struct gmem){ 0 };
}

/* gmem_fixture_teardown: a cmocka teardown for a calloc'd fixture whose first member is
 * its struct gmem. */
static inline int gmem_fixture_teardown(void **state)
{
	gmem_fixture_free(*state);
	free(*state);
	return 0;
}

#endif
