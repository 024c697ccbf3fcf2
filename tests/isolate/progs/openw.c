/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/openw.c: openw PATH...: for each PATH, whether it opens for writing
 * ("PATH writable", "PATH EROFS", "PATH EACCES", ...), one line each. It opens with
 * O_WRONLY and closes at once: it never writes a byte, so a kernel knob it could open
 * (a sysctl, a /sys file) is left as it was. */
#define _GNU_SOURCE /* strerrorname_np */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

		if (fd >= 0) {
			close(fd);
			printf("%s writable\n", argv[i]);
		} else {
			printf("%s %s\n", argv[i], strerrorname_np(errno));
		}
	}
	return 0;
}
