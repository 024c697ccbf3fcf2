/* SPDX-License-Identifier: MIT */
/* tests/fuzz/fuzz_common.h: what both fuzz targets share: their guest memory between guard
 * pages, a quiet stdin and output, and reading the input's bytes. */
#ifndef MINIVIRT_FUZZ_COMMON_H
#define MINIVIRT_FUZZ_COMMON_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Ends the fuzzer, which cannot go on without its set-up. */
static inline void fuzz_need(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		abort();
	}
}

/* size bytes of zeroed memory between two inaccessible pages, so any stray access past
 * either end faults at once. */
static inline uint8_t *fuzz_guarded(size_t size, size_t page)
{
	uint8_t *map = mmap(NULL, size + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	fuzz_need(map != MAP_FAILED, "mmap");
	fuzz_need(mprotect(map + page, size, PROT_READ | PROT_WRITE) == 0, "mprotect");
	return map + page;
}

/* The guest's output goes to /dev/null (returned); read(0) reads the VMM's standard
 * input: made empty, never a terminal. */
static inline FILE *fuzz_quiet_stdio(void)
{
	FILE *devnull = fopen("/dev/null", "w");
	int null = open("/dev/null", O_RDONLY);

	fuzz_need(devnull != NULL, "/dev/null");
	fuzz_need(null >= 0 && dup2(null, STDIN_FILENO) >= 0, "stdin");
	close(null);
	return devnull;
}

/* The little-endian value of the n bytes at p (n <= 8). */
static inline uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

#endif
