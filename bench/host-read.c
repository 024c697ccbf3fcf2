/* SPDX-License-Identifier: MIT */
/* bench/host-read.c: host-read FILE CHUNK: the baseline for the guest's readbench: the
 * same read loop, natively, into one buffer of CHUNK bytes, timed the same way (TSC
 * cycles around the loop alone); the nanoseconds beside them give the TSC's rate. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

static uint64_t ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int main(int argc, char **argv)
{
	long chunk = argc > 2 ? strtol(argv[2], NULL, 0) : 65536;
	unsigned long long total = 0, calls = 0;
	uint64_t t0, t1, n0, n1;
	ssize_t n;
	void *buf = NULL;
	int fd;

	/* Page-aligned, as readbench's buffer is: on this project's machine a 1 MiB read()
	 * into malloc's (16 bytes past a page) takes 4x as long as into an aligned one. */
	if (argc < 2 || chunk <= 0 || posix_memalign(&buf, 4096, (size_t)chunk)) {
		fprintf(stderr, "usage: host-read FILE [CHUNK]\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0) {
		perror(argv[1]);
		return 1;
	}
	n0 = ns();
	t0 = __rdtsc();
	while ((n = read(fd, buf, (size_t)chunk)) > 0) {
		total += (unsigned long long)n;
		calls++;
	}
	t1 = __rdtsc();
	n1 = ns();
	printf("%llu bytes in %llu reads, %llu TSC cycles, %llu ns\n", total, calls + 1,
	       (unsigned long long)(t1 - t0), (unsigned long long)(n1 - n0));
	free(buf);
	return n < 0;
}
