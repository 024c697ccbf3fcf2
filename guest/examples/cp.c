/* SPDX-License-Identifier: MIT */
/* guest/examples/cp.c: cp SRC DST inside the --dir folder, in reads and writes of GUEST_BUF_SIZE (64 KiB; 4 KiB in real mode)
 * that move straight between the host files and guest memory. */
#include <minivirt/guest.h>

static char buf[GUEST_BUF_SIZE];

int main(int argc, char **argv)
{
	long n, total = 0;
	int in, out;

	if (argc != 3) {
		printf("usage: cp SRC DST\n");
		return 2;
	}
	if ((in = open(argv[1], O_RDONLY, 0)) < 0) {
		printf("cp: %s: %s\n", argv[1], strerror(-in));
		return 1;
	}
	if ((out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		printf("cp: %s: %s\n", argv[2], strerror(-out));
		return 1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		long w = write(out, buf, (size_t)n);

		if (w != n) {
			printf("cp: %s: %s\n", argv[2], w < 0 ? strerror((int)-w) : "short write");
			return 1;
		}
		total += n;
	}
	if (n < 0) {
		printf("cp: %s: %s\n", argv[1], strerror((int)-n));
		return 1;
	}
	close(in);
	close(out);
	printf("cp: %ld bytes\n", total);
	return 0;
}
