/* SPDX-License-Identifier: MIT */
/* guest/examples/cp.c: cp SRC DST inside the --dir folder, in reads and writes of MV_GUEST_BUF_SIZE (64 KiB; 4 KiB in real mode)
 * that move straight between the host files and guest memory. */
#include <minivirt/guest.h>

static char buf[MV_GUEST_BUF_SIZE];

int main(int argc, char **argv)
{
	long n, total = 0;
	int in, out;

	if (argc != 3) {
		mv_printf("usage: cp SRC DST\n");
		return 2;
	}
	if ((in = mv_open(argv[1], HC_O_RDONLY, 0)) < 0) {
		mv_printf("cp: %s: %s\n", argv[1], mv_strerror(-in));
		return 1;
	}
	if ((out = mv_open(argv[2], HC_O_WRONLY | HC_O_CREAT | HC_O_TRUNC, 0644)) < 0) {
		mv_printf("cp: %s: %s\n", argv[2], mv_strerror(-out));
		return 1;
	}
	while ((n = mv_read(in, buf, sizeof(buf))) > 0) {
		long w = mv_write(out, buf, (size_t)n);

		if (w != n) {
			mv_printf("cp: %s: %s\n", argv[2],
				  w < 0 ? mv_strerror((int)-w) : "short write");
			return 1;
		}
		total += n;
	}
	if (n < 0) {
		mv_printf("cp: %s: %s\n", argv[1], mv_strerror((int)-n));
		return 1;
	}
	mv_close(in);
	mv_close(out);
	mv_printf("cp: %ld bytes\n", total);
	return 0;
}
