/* SPDX-License-Identifier: MIT */
/* vmm/gmem.h: guest memory, and the ONLY way to turn a guest address into a host
 * pointer: every access is range- and overflow-checked against the guest's size. */
#ifndef VMM_GMEM_H
#define VMM_GMEM_H

#include <stdbool.h>
#include <stdint.h>

struct gmem {
	uint8_t *host; /* host-virtual address of guest-physical 0 */
	uint64_t size; /* bytes of guest-physical memory, from 0 */
};

/* gmem_ptr: host pointer to guest-physical [gpa, gpa+len) in g, or NULL when any byte of
 * it lies outside guest memory (overflow-safe; len 0 is valid anywhere up to size). */
void *gmem_ptr(const struct gmem *g, uint64_t gpa, uint64_t len);

/* gmem_read64/32, gmem_write64/32: checked little-endian accesses; false when outside. */
bool gmem_read64(const struct gmem *g, uint64_t gpa, uint64_t *val);
bool gmem_read32(const struct gmem *g, uint64_t gpa, uint32_t *val);
bool gmem_write64(struct gmem *g, uint64_t gpa, uint64_t val);
bool gmem_write32(struct gmem *g, uint64_t gpa, uint32_t val);

#endif
