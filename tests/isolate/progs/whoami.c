/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/whoami.c: whoami [FILE]: prints "euid N caps HEX nnp N", the
 * effective uid, effective capabilities and no_new_privs; with FILE, creates it, so the
 * host can see whose it really is. Installed set-uid root by the tests: what it gains. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char line[256], caps[32] = "?", nnp[8] = "?";
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "CapEff: %31s", caps);
		sscanf(line, "NoNewPrivs: %7s", nnp);
	}
	if (f)
		fclose(f);
	printf("euid %d caps %s nnp %s\n", (int)geteuid(), caps, nnp);
	if (argc > 1) {
		int fd = open(argv[1], O_CREAT | O_WRONLY | O_TRUNC, 0644);

		if (fd < 0) {
			perror(argv[1]);
			return 1;
		}
		close(fd);
	}
	return 0;
}
