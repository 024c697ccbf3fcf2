/* SPDX-License-Identifier: MIT */
/* guest/sdk/printf.c: vsnprintf and friends: flags (- 0 + space #), width and precision
 * (also *), length modifiers (hh h l ll z j t), conversions d i u x X o c s p %.
 * printf formats into a buffer and prints it with one display() exit per call. */
#include <minivirt/guest.h>

/* Divides *n by base (2..16) in place and returns the remainder, 16 bits at a time, so
 * 32- and 16-bit guests need no libgcc for 64-bit division. */
static unsigned divmod(uint64_t *n, unsigned base)
{
	uint64_t q = 0;
	uint32_t r = 0;

	for (int shift = 48; shift >= 0; shift -= 16) {
		uint32_t cur = (r << 16) | (uint32_t)((*n >> shift) & 0xffff);

		q |= (uint64_t)(cur / base) << shift;
		r = cur % base;
	}
	*n = q;
	return r;
}

struct out {
	char *buf;
	size_t size, len; /* len counts every byte, also those that did not fit */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int left, zero, plus, space, alt; /* flags */
	int width, prec;                  /* prec -1: none */
};

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
	int n;

	if (!s)
		s = "(null)";
	n = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : (size_t)-1);
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

static void put_num(struct out *o, const struct spec *sp, uint64_t v, int neg, unsigned base,
		    int upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen, zeros, sign;

	while (v)
		tmp[n++] = digits[divmod(&v, base)];
	if (n == 0 && sp->prec != 0)
		tmp[n++] = '0';
	sign = neg || sp->plus || sp->space;
	plen = (int)strlen(prefix);
	zeros = sp->prec > n ? sp->prec - n : 0;
	if (sp->zero && !sp->left && sp->prec < 0)
		zeros = sp->width - n - sign - plen > 0 ? sp->width - n - sign - plen : 0;
	if (!sp->left)
		pad(o, ' ', sp->width - n - zeros - sign - plen);
	if (sign)
		put(o, neg ? '-' : sp->plus ? '+' : ' ');
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	/* Left-justified padding is added by the caller, which knows where the field began. */
}

/* Reads an optional number or '*' at *f. */
static int number(const char **f, va_list *ap)
{
	int v = 0;

	if (**f == '*') {
		(*f)++;
		return va_arg(*ap, int);
	}
	while (**f >= '0' && **f <= '9')
		v = v * 10 + (*(*f)++ - '0');
	return v;
}

int vsnprintf(char *buf, size_t size, const char *f, va_list ap0)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap0);
	for (; *f; f++) {
		struct spec sp = { .prec = -1 };
		int lng = 0; /* 0 int, 1 long, 2 long long / 64-bit, -1 short, -2 char */
		size_t start;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		for (;; f++) {
			char c = f[1];

			if (c == '-')
				sp.left = 1;
			else if (c == '0')
				sp.zero = 1;
			else if (c == '+')
				sp.plus = 1;
			else if (c == ' ')
				sp.space = 1;
			else if (c == '#')
				sp.alt = 1;
			else
				break;
		}
		f++;
		sp.width = number(&f, &ap);
		if (sp.width < 0)
			sp.left = 1, sp.width = -sp.width;
		if (*f == '.') {
			f++;
			sp.prec = number(&f, &ap);
			if (sp.prec < 0)
				sp.prec = -1;
		}
		for (;; f++) {
			if (*f == 'h')
				lng--;
			else if (*f == 'l')
				lng++;
			else if (*f == 'z' || *f == 't')
				lng = sizeof(size_t) == 8 ? 2 : 0;
			else if (*f == 'j')
				lng = 2;
			else
				break;
		}
		start = o.len;
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = lng >= 2   ? va_arg(ap, long long)
				    : lng == 1 ? va_arg(ap, long)
					       : va_arg(ap, int);

			if (lng == -1)
				v = (short)v;
			if (lng <= -2)
				v = (signed char)v;
			put_num(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, 0, "");
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v = lng >= 2   ? va_arg(ap, unsigned long long)
				     : lng == 1 ? va_arg(ap, unsigned long)
						: va_arg(ap, unsigned);
			unsigned base = *f == 'u' ? 10 : *f == 'o' ? 8 : 16;
			const char *prefix = "";

			if (lng == -1)
				v = (unsigned short)v;
			if (lng <= -2)
				v = (unsigned char)v;
			if (sp.alt && v && base == 16)
				prefix = *f == 'X' ? "0X" : "0x";
			else if (sp.alt && base == 8)
				prefix = "0";
			sp.plus = sp.space = 0;
			put_num(&o, &sp, v, 0, base, *f == 'X', prefix);
			break;
		}
		case 'p':
			sp.plus = sp.space = 0;
			put_num(&o, &sp, (uintptr_t)va_arg(ap, void *), 0, 16, 0, "0x");
			break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };

			sp.prec = 1;
			put_str(&o, &sp, c);
			break;
		}
		case 's': put_str(&o, &sp, va_arg(ap, const char *)); break;
		case '%': put(&o, '%'); break;
		default: /* unknown or truncated conversion: print it as written */
			put(&o, '%');
			if (!*f)
				goto done;
			put(&o, *f);
		}
		if (sp.left && *f != 's' && *f != 'c')
			pad(&o, ' ', sp.width - (int)(o.len - start));
	}
done:
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define PRINTF_BUF 512
#define PRINTF_MAX 8192 /* longer output is cut here: the stack is 16 KiB */

static const char truncated[] = "[printf: output truncated]\n";

int printf(const char *fmt, ...)
{
	char buf[PRINTF_BUF];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < (int)sizeof(buf)) {
		display(buf);
		return n;
	}
	/* Longer than the buffer: format again into one of the exact size; still one exit. */
	{
		char big[(n < PRINTF_MAX ? n : PRINTF_MAX) + 1];

		va_start(ap, fmt);
		vsnprintf(big, sizeof(big), fmt, ap);
		va_end(ap);
		display(big);
	}
	if (n >= PRINTF_MAX)
		display(truncated);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}
