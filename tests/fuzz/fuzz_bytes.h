/* SPDX-License-Identifier: MIT */
/* tests/fuzz/fuzz_bytes.h: reading the fuzzer's input bytes, shared by both fuzz targets. */
#ifndef MINIVIRT_FUZZ_BYTES_H
#define MINIVIRT_FUZZ_BYTES_H

#include <stdint.h>

/* The little-endian value of the n bytes at p (n <= 8). */
static inline uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

#endif
