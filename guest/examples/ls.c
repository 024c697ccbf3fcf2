/* SPDX-License-Identifier: MIT */
/* guest/examples/ls.c: lists a directory of the --dir folder ("/" by default): type,
 * size and name, one entry per line, without "." and "..". */
#include <minivirt/guest.h>

static char buf[MV_GUEST_BUF_SIZE];

static void show(const char *dir, const struct hc_dirent *d)
{
	char path[512];
	struct hc_fstat st = { 0 };
	int fd;

	mv_snprintf(path, sizeof(path), "%s/%s", dir, d->name);
	fd = mv_open(path, HC_O_RDONLY, 0);
	if (fd >= 0) {
		mv_fstat(fd, &st);
		mv_close(fd);
	}
	mv_printf("%c %10llu %s\n",
		  d->type == HC_TYPE_DIR    ? 'd'
		  : d->type == HC_TYPE_FILE ? '-'
					    : '?',
		  (unsigned long long)st.size, d->name);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/";
	int fd = mv_open(dir, HC_O_RDONLY | HC_O_DIRECTORY, 0);
	long n;

	if (fd < 0) {
		mv_printf("ls: %s: %s\n", dir, mv_strerror(-fd));
		return 1;
	}
	while ((n = mv_readdir(fd, buf, sizeof(buf))) > 0) {
		for (long at = 0; at < n;) {
			const struct hc_dirent *d = (const void *)(buf + at);

			if (mv_strcmp(d->name, ".") && mv_strcmp(d->name, ".."))
				show(dir, d);
			at += d->reclen;
		}
	}
	if (n < 0) {
		mv_printf("ls: %s: %s\n", dir, mv_strerror((int)-n));
		return 1;
	}
	mv_close(fd);
	return 0;
}
