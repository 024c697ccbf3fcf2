/* SPDX-License-Identifier: MIT */
/* guest/sdk/string.c: the string and memory functions guests (and the compiler, for
 * struct copies) need. Simple loops: guests are small, and clear beats clever here. */
#include <minivirt/guest.h>

/* GCC and clang call memcpy, memmove, memset and memcmp on their own even with
 * -ffreestanding (struct copies, loops they recognise): a freestanding program must
 * define those four. They are the mv_ functions below under their standard names, with
 * the standard signatures; no header declares them. */
void *memcpy(void *dst, const void *src, size_t n) __attribute__((alias("mv_memcpy")));
void *memmove(void *dst, const void *src, size_t n) __attribute__((alias("mv_memmove")));
void *memset(void *dst, int c, size_t n) __attribute__((alias("mv_memset")));
int memcmp(const void *a, const void *b, size_t n) __attribute__((alias("mv_memcmp")));

void *mv_memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *mv_memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s)
		return mv_memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *mv_memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int mv_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t mv_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t mv_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int mv_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int mv_strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

char *mv_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return 0;
	}
}

char *mv_strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

char *mv_strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}

long mv_strtol(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int neg = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, base = 16;
	if (base == 0)
		base = 10;
	for (;; s++) {
		int d = *s >= '0' && *s <= '9'   ? *s - '0'
			: *s >= 'a' && *s <= 'z' ? *s - 'a' + 10
			: *s >= 'A' && *s <= 'Z' ? *s - 'A' + 10
						 : 99;

		if (d >= base)
			break;
		v = v * (unsigned long)base + (unsigned long)d;
	}
	if (end)
		*end = (char *)s;
	return neg ? -(long)v : (long)v;
}
