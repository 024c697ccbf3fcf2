/* SPDX-License-Identifier: MIT */
/* bench/host-read.c: host-read FILE CHUNK: the baseline for the guest's readbench: the
 * same read loop, natively, into one buffer of CHUNK bytes. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long chunk = argc > 2 ? strtol(argv[2], NULL, 0) : 65536;
	unsigned long long total = 0, calls = 0;
	ssize_t n;
	char *buf;
	int fd;

	if (argc < 2 || chunk <= 0 || !(buf = malloc((size_t)chunk))) {
		fprintf(stderr, "usage: host-read FILE [CHUNK]\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0) {
		perror(argv[1]);
		return 1;
	}
	while ((n = read(fd, buf, (size_t)chunk)) > 0) {
		total += (unsigned long long)n;
		calls++;
	}
	printf("%llu bytes in %llu reads\n", total, calls + 1);
	free(buf);
	return n < 0;
}
