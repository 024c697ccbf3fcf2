/* SPDX-License-Identifier: MIT */
/* bench/alternate.c: alternate RUNS WARMUP NAME CMD [ARGS...] [-- NAME CMD [ARGS...]]...:
 * runs the commands in turn, RUNS times each after WARMUP rounds, and prints "NAME
 * median_s min_s" for each. hyperfine runs all of one command's runs, then the next's: on
 * a shared machine a load that changes meanwhile lands on one command only and skews their
 * ratio; in turn, it lands on all of them alike. Each round starts one command further on
 * (A B C, B C A, C A B, ...), so that each follows each other as often: what one leaves
 * the kernel to do after it (a network namespace's teardown) slows them all alike. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#define MAX_CMDS 8

extern char **environ;

struct cmd {
	const char *name;
	char **argv;
	double *t;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One run of c, its output thrown away; its wall time in seconds, or -1 when it failed. */
static double run(const struct cmd *c, posix_spawn_file_actions_t *quiet)
{
	double t0 = now();
	int status;
	pid_t pid;

	if (posix_spawnp(&pid, c->argv[0], quiet, NULL, c->argv, environ))
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? now() - t0 : -1;
}

int main(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS];
	posix_spawn_file_actions_t quiet;
	int runs, warmup, n = 0;

	if (argc < 5 || (runs = atoi(argv[1])) < 1 || (warmup = atoi(argv[2])) < 0) {
		fprintf(stderr,
			"usage: alternate RUNS WARMUP NAME CMD [ARGS...] [-- NAME CMD...]...\n");
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (n == MAX_CMDS || i + 1 >= argc) {
			fprintf(stderr, "alternate: at most %d commands, each a NAME and a CMD\n",
				MAX_CMDS);
			return 2;
		}
		cmds[n] =
			(struct cmd){ argv[i], &argv[i + 1], calloc((size_t)runs, sizeof(double)) };
		if (!cmds[n].t)
			return 1;
		while (i < argc && strcmp(argv[i], "--"))
			i++;
		argv[i < argc ? i : argc] = NULL;
		n++;
	}
	posix_spawn_file_actions_init(&quiet);
	posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
	for (int r = -warmup; r < runs; r++)
		for (int i = 0; i < n; i++) {
			int c = (i + r + warmup) % n;
			double t = run(&cmds[c], &quiet);

			if (t < 0) {
				fprintf(stderr, "alternate: %s failed\n", cmds[c].name);
				return 1;
			}
			if (r >= 0)
				cmds[c].t[r] = t;
		}
	for (int c = 0; c < n; c++) {
		qsort(cmds[c].t, (size_t)runs, sizeof(double), by_value);
		printf("%s %.6f %.6f\n", cmds[c].name, cmds[c].t[runs / 2], cmds[c].t[0]);
	}
	return 0;
}
