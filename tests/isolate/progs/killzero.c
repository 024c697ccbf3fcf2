/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/killzero.c: killzero SIG: sends signal SIG to its own process group
 * (kill(0, SIG)), as a hostile program would to end whoever started it, and says whether
 * the kernel took it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	int sig = argc > 1 ? atoi(argv[1]) : SIGTERM;

	/* not for itself: it only wants the others of its group */
	signal(sig, SIG_IGN);
	if (kill(0, sig)) {
		printf("killzero: %s\n", strerror(errno));
		return 1;
	}
	printf("killzero: sent\n");
	return 0;
}
