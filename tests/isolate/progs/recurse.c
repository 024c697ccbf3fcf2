/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/recurse.c: recurse [LIMIT_KIB]: recurses with 4 KiB frames, each
 * touched, until the stack limit stops it (SIGSEGV); with LIMIT_KIB, stops itself once
 * that much is used, prints it and exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long limit_kib = -1;

static int down(long depth)
{
	volatile char frame[4096];

	memset((char *)frame, (int)depth, sizeof(frame));
	if (limit_kib >= 0 && depth * 4 >= limit_kib) {
		printf("recurse: %ld KiB of stack used\n", depth * 4);
		return 0;
	}
	return down(depth + 1) + frame[depth % sizeof(frame)]; /* not a tail call */
}

int main(int argc, char **argv)
{
	if (argc > 1)
		limit_kib = atol(argv[1]);
	down(0);
	return 0;
}
