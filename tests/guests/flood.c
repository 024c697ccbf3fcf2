/* tests/guests/flood.c: output without end, for the console's bounds: "nonl MIB" writes
 * MIB mebibytes without a newline (64 KiB per write, 4 KiB in real mode), says so on stderr, then waits for
 * its standard input to close; "lines" prints numbered lines until it is stopped. */
#include <minivirt/guest.h>

#if GUEST_BITS == 16
#define CHUNK 4096 /* real mode: the image stays below 0xa000 */
#else
#define CHUNK 65536
#endif

static char chunk[CHUNK];

int main(int argc, char **argv)
{
	const unsigned id = (unsigned)boot_info()->vcpu_id;
	char c;

	if (argc > 1 && !strcmp(argv[1], "lines")) {
		for (unsigned long i = 0;; i++)
			printf("flood %u line %lu\n", id, i);
	}
	if (argc < 3 || strcmp(argv[1], "nonl")) {
		printf("usage: flood nonl MIB | flood lines\n");
		return 2;
	}
	memset(chunk, 'x', sizeof(chunk));
	for (long n = strtol(argv[2], 0, 0) * (1024 * 1024 / CHUNK); n > 0; n--)
		if (write(1, chunk, sizeof(chunk)) != CHUNK)
			return 1;
	write(2, "flood: done\n", 12);
	while (read(0, &c, 1) > 0) {
	}
	return 0;
}
