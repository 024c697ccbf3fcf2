/* SPDX-License-Identifier: MIT */
/* vmm/util.c: the VMM's name in messages (common/msg.c prints them) and allocation helpers. */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *progname = "kvm-hello-world";

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
