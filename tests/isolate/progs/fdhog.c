/* SPDX-License-Identifier: MIT */
/* tests/isolate/progs/fdhog.c: opens /dev/null until the kernel refuses (EMFILE at the
 * open-files limit), holds them a moment, says how many it opened and the last fd it got,
 * and exits 3. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int n = 0, fd, last = -1;

	while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		n++;
		if (fd > last)
			last = fd;
	}
	usleep(300000);
	printf("fdhog: %d opened before EMFILE, the last fd %d\n", n, last);
	return 3;
}
