/* SPDX-License-Identifier: MIT */
/* guest/examples/ls.c: lists a directory of the --dir folder ("/" by default): type,
 * size and name, one entry per line, without "." and "..". */
#include <minivirt/guest.h>

static char buf[GUEST_BUF_SIZE];

static void show(const char *dir, const struct hc_dirent *d)
{
	char path[512];
	struct hc_fstat st = { 0 };
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, d->name);
	fd = open(path, O_RDONLY, 0);
	if (fd >= 0) {
		fstat(fd, &st);
		close(fd);
	}
	printf("%c %10llu %s\n",
	       d->type == HC_TYPE_DIR    ? 'd'
	       : d->type == HC_TYPE_FILE ? '-'
					 : '?',
	       (unsigned long long)st.size, d->name);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/";
	int fd = open(dir, O_RDONLY | O_DIRECTORY, 0);
	long n;

	if (fd < 0) {
		printf("ls: %s: %s\n", dir, strerror(-fd));
		return 1;
	}
	while ((n = readdir(fd, buf, sizeof(buf))) > 0) {
		for (long at = 0; at < n;) {
			const struct hc_dirent *d = (const void *)(buf + at);

			if (strcmp(d->name, ".") && strcmp(d->name, ".."))
				show(dir, d);
			at += d->reclen;
		}
	}
	if (n < 0) {
		printf("ls: %s: %s\n", dir, strerror((int)-n));
		return 1;
	}
	close(fd);
	return 0;
}
