/* SPDX-License-Identifier: MIT */
/* isolate/idrange.c: root's subordinate id ranges and their slots (see idrange.h); pure,
 * unit-tested. */
#include "idrange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One "a:b:c" line's fields; returns 0 when it has that form, with numbers b and c. */
static int parse_line(const char *line, size_t len, char *who, size_t wlen,
		      unsigned long long *start, unsigned long long *count)
{
	const char *c1 = memchr(line, ':', len), *c2, *end = line + len;
	char num[32], *e;

	if (!c1 || (size_t)(c1 - line) >= wlen)
		return -1;
	memcpy(who, line, (size_t)(c1 - line));
	who[c1 - line] = '\0';
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	if (!c2 || c2 == c1 + 1 || (size_t)(c2 - c1 - 1) >= sizeof(num) ||
	    (size_t)(end - c2 - 1) >= sizeof(num) || end == c2 + 1)
		return -1;
	memcpy(num, c1 + 1, (size_t)(c2 - c1 - 1));
	num[c2 - c1 - 1] = '\0';
	if (num[strspn(num, "0123456789")])
		return -1;
	*start = strtoull(num, &e, 10);
	memcpy(num, c2 + 1, (size_t)(end - c2 - 1));
	num[end - c2 - 1] = '\0';
	if (num[strspn(num, "0123456789")])
		return -1;
	*count = strtoull(num, &e, 10);
	return 0;
}

int iso_subid_find(const char *text, const char *name, unsigned long id, struct iso_idrange *r)
{
	char idbuf[24], who[64];

	snprintf(idbuf, sizeof(idbuf), "%lu", id);
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		unsigned long long start, count;

		if (parse_line(p, len, who, sizeof(who), &start, &count) == 0 &&
		    ((name && !strcmp(who, name)) || !strcmp(who, idbuf))) {
			/* the first entry is the one: subuid(5) users take the first too */
			if (start < 1 || count < 1 || start > 4294967294ull ||
			    count > 4294967294ull - start)
				return -1;
			r->base = start;
			r->count = count;
			return 0;
		}
		p += len;
		if (*p)
			p++;
	}
	return -1;
}

unsigned iso_idrange_slots(const struct iso_idrange *pool, unsigned *slot_size)
{
	unsigned long long n;

	*slot_size = pool->count < ISO_IDS_SLOT ? (unsigned)pool->count : ISO_IDS_SLOT;
	if (!*slot_size)
		return 0;
	n = pool->count / *slot_size;
	return n > ISO_IDS_MAX_SLOTS ? ISO_IDS_MAX_SLOTS : (unsigned)n;
}
