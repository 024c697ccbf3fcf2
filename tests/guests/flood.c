/* SPDX-License-Identifier: MIT */
/* tests/guests/flood.c: output without end, for the console's bounds: "nonl MIB" writes
 * MIB mebibytes without a newline (64 KiB per write, 4 KiB in real mode), says so on stderr, then waits for
 * its standard input to close; "lines" prints numbered lines until it is stopped. */
#include <minivirt/guest.h>

#if MV_GUEST_BITS == 16
#define CHUNK 4096 /* real mode: the image stays below 0xa000 */
#else
#define CHUNK 65536
#endif

static char chunk[CHUNK];

int main(int argc, char **argv)
{
	const unsigned id = (unsigned)mv_boot_info()->vcpu_id;
	char c;

	if (argc > 1 && !mv_strcmp(argv[1], "lines")) {
		for (unsigned long i = 0;; i++)
			mv_printf("flood %u line %lu\n", id, i);
	}
	if (argc < 3 || mv_strcmp(argv[1], "nonl")) {
		mv_printf("usage: flood nonl MIB | flood lines\n");
		return 2;
	}
	mv_memset(chunk, 'x', sizeof(chunk));
	for (long n = mv_strtol(argv[2], 0, 0) * (1024 * 1024 / CHUNK); n > 0; n--)
		if (mv_write(1, chunk, sizeof(chunk)) != CHUNK)
			return 1;
	mv_write(2, "flood: done\n", 12);
	while (mv_read(0, &c, 1) > 0) {
	}
	return 0;
}
