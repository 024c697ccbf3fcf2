/* SPDX-License-Identifier: MIT */
/* guest/examples/readbench.c: readbench FILE CHUNK: reads FILE (in the --dir folder) to
 * its end in CHUNK-byte mv_read() calls (one exit each, or through the I/O queue with
 * --queue) and prints the bytes, the calls and the TSC cycles the loop took. make bench
 * runs it against bench/host-read, the same loop timed the same way on the host. */
#include <minivirt/guest.h>

#if MV_GUEST_BITS == 16
#define CHUNK_MAX 4096
#else
#define CHUNK_MAX (1 << 20)
#endif

/* Page-aligned, as bench/host-read's buffer is: the copy's speed depends on it. */
static char buf[CHUNK_MAX] __attribute__((aligned(4096)));

int main(int argc, char **argv)
{
	long chunk = argc > 2 ? mv_strtol(argv[2], 0, 0) : 65536, n;
	unsigned long long total = 0, calls = 0;
	uint64_t t0, t1;
	int fd;

	if (argc < 2 || chunk <= 0 || chunk > CHUNK_MAX) {
		mv_printf("usage: readbench FILE [CHUNK 1..%d]\n", CHUNK_MAX);
		return 2;
	}
	if ((fd = mv_open(argv[1], HC_O_RDONLY, 0)) < 0) {
		mv_printf("readbench: %s: %s\n", argv[1], mv_strerror(-fd));
		return 1;
	}
	t0 = mv_rdtsc();
	while ((n = mv_read(fd, buf, (size_t)chunk)) > 0) {
		total += (unsigned long long)n;
		calls++;
	}
	t1 = mv_rdtsc();
	if (n < 0) {
		mv_printf("readbench: %s: %s\n", argv[1], mv_strerror((int)-n));
		return 1;
	}
	mv_printf("%llu bytes in %llu reads, %llu TSC cycles\n", total, calls + 1,
		  (unsigned long long)(t1 - t0));
	return 0;
}
