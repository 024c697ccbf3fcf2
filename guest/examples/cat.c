/* SPDX-License-Identifier: MIT */
/* guest/examples/cat.c: copies each FILE (in the --dir folder), or standard input when
 * there is none, to standard output. */
#include <minivirt/guest.h>

static char buf[GUEST_BUF_SIZE];

static int cat_fd(int fd, const char *name)
{
	long n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) != n)
			return 1;
	if (n < 0) {
		printf("cat: %s: %s\n", name, strerror((int)-n));
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
		int fd = open(argv[i], O_RDONLY, 0);

		if (fd < 0) {
			printf("cat: %s: %s\n", argv[i], strerror(-fd));
			status = 1;
			continue;
		}
		status |= cat_fd(fd, argv[i]);
		close(fd);
	}
	return status;
}
