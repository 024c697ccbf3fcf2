/* SPDX-License-Identifier: MIT */
/* common/parse.c: sizes, counts and durations, one grammar for both tools (parse.h). */
#include "parse.h"

#include <string.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Digits in base 10 or 16 from *p into *v, advancing *p; -1 on none or on overflow. */
static int scan_digits(const char **p, unsigned base, uint64_t *v)
{
	const char *s = *p;
	uint64_t n = 0;
	int d;

	for (; (d = base == 16 ? hex_value(*s) : (is_digit(*s) ? *s - '0' : -1)) >= 0; s++) {
		if (n > (UINT64_MAX - (unsigned)d) / base)
			return -1;
		n = n * base + (unsigned)d;
	}
	if (s == *p)
		return -1;
	*p = s;
	*v = n;
	return 0;
}

int parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	const char *p = s, *u;
	unsigned shift = 0;
	uint64_t v;

	if (!s)
		return -1;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (scan_digits(&p, 16, &v))
			return -1;
	} else if (scan_digits(&p, 10, &v)) {
		return -1;
	}
	if (*p && (u = strchr(units, *p >= 'a' ? *p - ('a' - 'A') : *p)) != NULL && *u) {
		shift = 10 * (unsigned)(u - units + 1);
		p++;
		if (!strcmp(p, "iB") || !strcmp(p, "B"))
			p += strlen(p);
	}
	if (*p || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*bytes = v << shift;
	return 0;
}

int parse_count(const char *s, uint64_t *out)
{
	const char *p = s;
	uint64_t v;

	if (!s || scan_digits(&p, 10, &v) || *p)
		return -1;
	*out = v;
	return 0;
}

int parse_duration_ms(const char *s, uint64_t *ms)
{
	const char *p = s;
	uint64_t whole = 0, frac = 0, scale = 100;

	if (!s)
		return -1;
	if (scan_digits(&p, 10, &whole))
		return -1; /* a digit first: "0.5", never ".5" */
	if (!strcmp(p, "ms")) {
		*ms = whole;
		return 0;
	}
	if (*p == '.') {
		if (!is_digit(*++p))
			return -1;
		for (; is_digit(*p); p++, scale /= 10) {
			if (!scale)
				return -1; /* a fourth decimal: below a millisecond */
			frac += (uint64_t)(*p - '0') * scale;
		}
	}
	if (*p == 's')
		p++;
	if (*p || whole > (UINT64_MAX - frac) / 1000)
		return -1;
	*ms = whole * 1000 + frac;
	return 0;
}
