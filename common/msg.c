/* SPDX-License-Identifier: MIT */
/* common/msg.c: the one message module of both tools: "progname: message" lines on stderr,
 * escaped for the terminal, and die() (msg.h). */
#include "msg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

bool msg_crlf;

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

char *msg_escape(const char *s, char *out, size_t len)
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

/* One fprintf per line, so lines from the tool and from what it runs do not interleave;
 * what the line carries from a user or a guest (paths, names) is escaped for the terminal.
 * stdout is flushed first, so a guest's output stays ahead of the message about it. */
void msg_vline(const char *who, int errnum, const char *fmt, va_list ap)
{
	char line[1024], esc[4096];
	int n = who ? snprintf(line, sizeof(line), "%s: [%s] ", progname, who)
		    : snprintf(line, sizeof(line), "%s: ", progname);

	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (errnum) {
		size_t len = strlen(line);

		snprintf(line + len, sizeof(line) - len, ": %s", strerror(errnum));
	}
	fflush(stdout);
	fprintf(stderr, "%s%s", msg_escape(line, esc, sizeof(esc)), msg_crlf ? "\r\n" : "\n");
}

void warn_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vline(NULL, 0, fmt, ap);
	va_end(ap);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vline(NULL, 0, fmt, ap);
	va_end(ap);
	exit(status);
}

void die_errno(int status, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	msg_vline(NULL, err, fmt, ap);
	va_end(ap);
	exit(status);
}
