/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/tiocsti.c: tiocsti FD TEXT [high|linux]: pushes TEXT into the input
 * of the terminal on FD with TIOCSTI, as if typed (the attack on a caller's shell); with
 * "high", the request has bits above the 32 the kernel reads set (a filter that compares
 * all 64 would miss it); with "linux", it asks TIOCLINUX (the console's selection, pasted
 * the same way) once instead. Prints "tiocsti: injected" or "tiocsti: " and the error;
 * exits 0 when the kernel took it, 1 when not. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long req = TIOCSTI;
	int fd;

	if (argc < 3 || sscanf(argv[1], "%d", &fd) != 1) {
		fprintf(stderr, "usage: tiocsti FD TEXT [high]\n");
		return 2;
	}
	if (argc > 3 && !strcmp(argv[3], "high"))
		req |= 1ul << 32;
	if (argc > 3 && !strcmp(argv[3], "linux")) {
		char sub = 7; /* TIOCL_GETMOUSEREPORTING: harmless where it works */

		if (syscall(SYS_ioctl, fd, (unsigned long)TIOCLINUX, &sub) < 0) {
			printf("tiocsti: %s\n", strerror(errno));
			return 1;
		}
		printf("tiocsti: injected\n");
		return 0;
	}
	for (const char *c = argv[2]; *c; c++)
		if (syscall(SYS_ioctl, fd, req, c) < 0) {
			printf("tiocsti: %s\n", strerror(errno));
			return 1;
		}
	printf("tiocsti: injected\n");
	return 0;
}
