/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/memhog.c: memhog MIB: allocates MIB MiB, 1 MiB at a time, touching
 * every page, then exits 0; memhog: for ever, until an allocation fails: says so and
 * exits 3 (a program that checks malloc's result, as it should); memhog once MIB: one
 * allocation of MIB MiB at once (as Python's bytearray(10**9) does), which a limit refuses
 * before anything is touched: says so and exits 3, or 0 when it got it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	long want = argc > 1 ? atol(argv[1]) : -1;

	if (argc > 2 && !strcmp(argv[1], "once")) {
		long mib = atol(argv[2]);
		char *p = malloc((size_t)mib << 20);

		if (!p) {
			printf("memhog: malloc of %ld MiB at once failed\n", mib);
			return 3;
		}
		p[0] = 1;
		printf("memhog: %ld MiB allocated at once\n", mib);
		return 0;
	}

	for (long i = 0; want < 0 || i < want; i++) {
		char *p = malloc(1 << 20);

		if (!p) {
			printf("memhog: malloc failed after %ld MiB\n", i);
			return 3;
		}
		memset(p, 1, 1 << 20);
	}
	printf("memhog: %ld MiB allocated and touched\n", want);
	return 0;
}
