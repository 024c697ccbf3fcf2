/* SPDX-License-Identifier: MIT */
/* guest/examples/cat.c: copies each FILE (in the --dir folder), or standard input when
 * there is none, to standard output. */
#include <minivirt/guest.h>

static char buf[MV_GUEST_BUF_SIZE];

static int cat_fd(int fd, const char *name)
{
	long n;

	while ((n = mv_read(fd, buf, sizeof(buf))) > 0)
		if (mv_write(1, buf, (size_t)n) != n)
			return 1;
	if (n < 0) {
		mv_printf("cat: %s: %s\n", name, mv_strerror((int)-n));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return cat_fd(0, "stdin");
	for (int i = 1; i < argc; i++) {
		int fd = mv_open(argv[i], HC_O_RDONLY, 0);

		if (fd < 0) {
			mv_printf("cat: %s: %s\n", argv[i], mv_strerror(-fd));
			status = 1;
			continue;
		}
		status |= cat_fd(fd, argv[i]);
		mv_close(fd);
	}
	return status;
}
