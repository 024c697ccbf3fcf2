/* vmm/util.c: die(), messages and allocation helpers. */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *progname = "kvm-hello-world";

static void vmsg(const char *fmt, va_list ap, int err)
{
	fflush(stdout); /* keep guest output ahead of the message */
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
	exit(status);
}

void die_errno(int status, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, err);
	va_end(ap);
	exit(status);
}

void warn_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		die(VMM_HOST_ERROR, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

const char *fmt_size(unsigned long long size, char *buf, size_t len)
{
	if (size && size % (1ull << 30) == 0)
		snprintf(buf, len, "%llu GiB", size >> 30);
	else if (size && size % (1ull << 20) == 0)
		snprintf(buf, len, "%llu MiB", size >> 20);
	else if (size && size % (1ull << 10) == 0)
		snprintf(buf, len, "%llu KiB", size >> 10);
	else
		snprintf(buf, len, "%llu bytes", size);
	return buf;
}
