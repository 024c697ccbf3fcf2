/* SPDX-License-Identifier: MIT */
/* guest/examples/wc.c: lines, words and bytes of each FILE (or standard input). Written
 * as POSIX code, with the short names of the opt-in <minivirt/posix.h>, to show a port. */
#include <minivirt/posix.h>

static char buf[MV_GUEST_BUF_SIZE];

static int wc_fd(int fd, const char *name)
{
	unsigned long long lines = 0, words = 0, bytes = 0;
	int in_word = 0;
	long n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++) {
			char c = buf[i];
			int space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' ||
				    c == '\f';

			lines += c == '\n';
			words += !space && !in_word;
			in_word = !space;
		}
		bytes += (unsigned long long)n;
	}
	if (n < 0) {
		printf("wc: %s: %s\n", name, strerror((int)-n));
		return 1;
	}
	printf("%7llu %7llu %7llu %s\n", lines, words, bytes, name);
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return wc_fd(0, "");
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0) {
			printf("wc: %s: %s\n", argv[i], strerror(-fd));
			status = 1;
			continue;
		}
		status |= wc_fd(fd, argv[i]);
		close(fd);
	}
	return status;
}
