/* SPDX-License-Identifier: MIT */
/* isolate/base.c: error lines, --verbose steps and a one-write file helper (the messages
 * themselves: common/msg.c). */
#include "base.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *progname = "isolate";
bool iso_verbose;

void iso_step(const char *who, const char *fmt, ...)
{
	va_list ap;

	if (!iso_verbose)
		return;
	va_start(ap, fmt);
	msg_vline(who, 0, fmt, ap);
	va_end(ap);
}

int iso_write_file(const char *path, const char *s)
{
	size_t len = strlen(s);
	int fd = RETRY_EINTR(open(path, O_WRONLY | O_CLOEXEC));
	long n;

	if (fd < 0)
		return -errno;
	n = RETRY_EINTR(write(fd, s, len));
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}
