/* isolate/util.c: error lines, --verbose steps and a one-write file helper. */
#include "util.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool iso_verbose;
bool iso_crlf;

int iso_seterr(char *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(err, ISO_ERR_LEN, fmt, ap);
	va_end(ap);
	n = strlen(err);
	if (errnum && n < ISO_ERR_LEN)
		snprintf(err + n, ISO_ERR_LEN - n, ": %s", strerror(errnum));
	return -1;
}

/* The length of the valid UTF-8 sequence at p (2..4 bytes), not a C1 control; 0 if none. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;

	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return 0; /* U+0080..U+009F: C1 controls (and 0x80..0xbf: invalid anyway) */
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* overlong, surrogate and past-U+10FFFF forms */
	if ((n == 3 && p[0] == 0xe0 && p[1] < 0xa0) || (n == 3 && p[0] == 0xed && p[1] >= 0xa0) ||
	    (n == 4 && p[0] == 0xf0 && p[1] < 0x90) || (n == 4 && p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

char *iso_escape(const char *s, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (!len)
		return out;
	while (*p) {
		char e[8];
		size_t n = 1, u = *p >= 0x80 ? utf8_len(p) : 0;

		if (u) {
			n = u;
			memcpy(e, p, u);
		} else if (*p == '\n' || *p == '\t' || *p == 0x1b) {
			snprintf(e, sizeof(e), "\\%c", *p == '\n' ? 'n' : *p == '\t' ? 't' : 'e');
		} else if (*p < 0x20 || *p >= 0x7f) {
			snprintf(e, sizeof(e), "\\x%02x", *p);
		} else {
			e[0] = (char)*p;
			e[1] = '\0';
		}
		if (!u)
			u = strlen(e);
		if (o + u >= len)
			break;
		memcpy(out + o, e, u);
		o += u;
		p += n;
	}
	out[o] = '\0';
	return out;
}

/* One fprintf per line, so lines from isolate and the container do not interleave; what
 * the line carries from the user (paths, names) is escaped for the terminal. */
static void vline(const char *who, const char *fmt, va_list ap)
{
	char line[512], esc[1024];
	int n = who ? snprintf(line, sizeof(line), "isolate: [%s] ", who)
		    : snprintf(line, sizeof(line), "isolate: ");

	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	fprintf(stderr, "%s%s", iso_escape(line, esc, sizeof(esc)), iso_crlf ? "\r\n" : "\n");
}

void iso_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(NULL, fmt, ap);
	va_end(ap);
}

void iso_step(const char *who, const char *fmt, ...)
{
	va_list ap;

	if (!iso_verbose)
		return;
	va_start(ap, fmt);
	vline(who, fmt, ap);
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
