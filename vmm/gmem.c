/* SPDX-License-Identifier: MIT */
/* vmm/gmem.c: checked guest-physical to host-pointer translation. */
#include "gmem.h"

#include <string.h>

void *gmem_ptr(const struct gmem *g, uint64_t gpa, uint64_t len)
{
	/* Written so no sum can overflow: gpa <= size, then len <= size - gpa. */
	if (!g->host || gpa > g->size || len > g->size - gpa)
		return NULL;
	return g->host + gpa;
}

bool gmem_read64(const struct gmem *g, uint64_t gpa, uint64_t *val)
{
	const void *p = gmem_ptr(g, gpa, sizeof(*val));

	if (!p)
		return false;
	memcpy(val, p, sizeof(*val));
	return true;
}

bool gmem_read32(const struct gmem *g, uint64_t gpa, uint32_t *val)
{
	const void *p = gmem_ptr(g, gpa, sizeof(*val));

	if (!p)
		return false;
	memcpy(val, p, sizeof(*val));
	return true;
}

bool gmem_write64(struct gmem *g, uint64_t gpa, uint64_t val)
{
	void *p = gmem_ptr(g, gpa, sizeof(val));

	if (!p)
		return false;
	memcpy(p, &val, sizeof(val));
	return true;
}

bool gmem_write32(struct gmem *g, uint64_t gpa, uint32_t val)
{
	void *p = gmem_ptr(g, gpa, sizeof(val));

	if (!p)
		return false;
	memcpy(p, &val, sizeof(val));
	return true;
}
