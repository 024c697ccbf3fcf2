/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/forkbomb.c: forkbomb: a fork bomb: every process forks for ever,
 * retrying when the kernel refuses (EAGAIN at the process limit), and never exits. Only a
 * limit outside it (isolate's wall-time) ends it; the process limit keeps it bounded.
 * forkbomb wave N: one burst of N children that exit at once, reaped only after the burst;
 * a refused fork prints "Cannot fork" (as shells do) and ends the burst; exits 0 all the
 * same: a limit reached for a moment, with nothing left to sample afterwards. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "wave")) {
		int n = atoi(argv[2]), made = 0;

		for (; made < n; made++) {
			pid_t p = fork();

			if (p == 0)
				_exit(0);
			if (p < 0) {
				printf("forkbomb: Cannot fork (after %d)\n", made);
				break;
			}
		}
		while (wait(NULL) > 0)
			;
		printf("forkbomb: wave of %d done\n", made);
		return 0;
	}
	for (;;)
		if (fork() < 0)
			sched_yield(); /* at the limit: try again */
}
