/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/fds.c: prints the numbers of its open fds, one line ("0 1 2"), then,
 * for each fd that is a folder, whether a file of its parent ("FD/..") can be listed: an
 * inherited folder fd is a way out of --root. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int self = d ? dirfd(d) : -1, fds[256], n = 0;

	if (!d) {
		perror("/proc/self/fd");
		return 1;
	}
	while ((e = readdir(d)) && n < 256) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] != '.' && fd != self)
			fds[n++] = fd;
	}
	closedir(d);
	/* readdir's order is the kernel's: ascending fd numbers */
	for (int i = 0; i < n; i++)
		printf("%s%d", i ? " " : "", fds[i]);
	printf("\n");
	for (int i = 0; i < n; i++) {
		struct stat st;

		if (fstat(fds[i], &st) == 0 && S_ISDIR(st.st_mode))
			printf("fd %d is a folder: %s\n", fds[i],
			       faccessat(fds[i], "..", R_OK, 0) == 0 ? "reaches out" : "closed");
	}
	return 0;
}
