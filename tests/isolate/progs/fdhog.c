/* tests/isolate/progs/fdhog.c: opens /dev/null until the kernel refuses (EMFILE at the
 * open-files limit), holds them a moment, says how many, and exits 3. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int n = 0;

	while (open("/dev/null", O_RDONLY) >= 0)
		n++;
	usleep(300000);
	printf("fdhog: %d opened before EMFILE\n", n);
	return 3;
}
