/* SPDX-License-Identifier: MIT */
/* guest/sdk/printf.c: mv_vsnprintf and friends: flags (- 0 + space #), width and precision
 * (also *), length modifiers (hh h l ll z j t), conversions d i u x X o c s p %.
 * mv_printf formats into a buffer and prints it with one mv_display() exit per call. */
#include <minivirt/guest.h>

/* Divides *n by base (2..16) in place and returns the remainder, 16 bits at a time, so
 * 32- and 16-bit guests need no libgcc for 64-bit division. */
static unsigned fmt_divmod(uint64_t *n, unsigned base)
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

struct fmt_out {
	char *buf;
	size_t size, len; /* len counts every byte, also those that did not fit */
};

static void fmt_put(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		fmt_put(o, c);
}

struct fmt_spec {
	int left, zero, plus, space, alt; /* flags */
	int width, prec;                  /* prec -1: none */
};

static void fmt_str(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	int n;

	if (!s)
		s = "(null)";
	n = (int)mv_strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : (size_t)-1);
	if (!sp->left)
		fmt_pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		fmt_put(o, s[i]);
	if (sp->left)
		fmt_pad(o, ' ', sp->width - n);
}

static void fmt_num(struct fmt_out *o, const struct fmt_spec *sp, uint64_t v, int neg,
		    unsigned base, int upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen, zeros, sign;

	while (v)
		tmp[n++] = digits[fmt_divmod(&v, base)];
	if (n == 0 && sp->prec != 0)
		tmp[n++] = '0';
	sign = neg || sp->plus || sp->space;
	plen = (int)mv_strlen(prefix);
	zeros = sp->prec > n ? sp->prec - n : 0;
	if (sp->zero && !sp->left && sp->prec < 0)
		zeros = sp->width - n - sign - plen > 0 ? sp->width - n - sign - plen : 0;
	if (!sp->left)
		fmt_pad(o, ' ', sp->width - n - zeros - sign - plen);
	if (sign)
		fmt_put(o, neg ? '-' : sp->plus ? '+' : ' ');
	for (int i = 0; i < plen; i++)
		fmt_put(o, prefix[i]);
	fmt_pad(o, '0', zeros);
	while (n)
		fmt_put(o, tmp[--n]);
	/* Left-justified padding is added by the caller, which knows where the field began. */
}

/* Reads an optional number or '*' at *f. */
static int fmt_number(const char **f, va_list *ap)
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

int mv_vsnprintf(char *buf, size_t size, const char *f, va_list ap0)
{
	struct fmt_out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap0);
	for (; *f; f++) {
		struct fmt_spec sp = { .prec = -1 };
		int lng = 0; /* 0 int, 1 long, 2 long long / 64-bit, -1 short, -2 char */
		size_t start;

		if (*f != '%') {
			fmt_put(&o, *f);
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
		sp.width = fmt_number(&f, &ap);
		if (sp.width < 0)
			sp.left = 1, sp.width = -sp.width;
		if (*f == '.') {
			f++;
			sp.prec = fmt_number(&f, &ap);
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
			fmt_num(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, 0, "");
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
			fmt_num(&o, &sp, v, 0, base, *f == 'X', prefix);
			break;
		}
		case 'p':
			sp.plus = sp.space = 0;
			fmt_num(&o, &sp, (uintptr_t)va_arg(ap, void *), 0, 16, 0, "0x");
			break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };

			sp.prec = 1;
			fmt_str(&o, &sp, c);
			break;
		}
		case 's': fmt_str(&o, &sp, va_arg(ap, const char *)); break;
		case '%': fmt_put(&o, '%'); break;
		default: /* unknown or truncated conversion: print it as written */
			fmt_put(&o, '%');
			if (!*f)
				goto done;
			fmt_put(&o, *f);
		}
		if (sp.left && *f != 's' && *f != 'c')
			fmt_pad(&o, ' ', sp.width - (int)(o.len - start));
	}
done:
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int mv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = mv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define PRINTF_BUF 512
#define PRINTF_MAX 8192 /* longer output is cut here: the stack is 16 KiB */

static const char truncated[] = "[printf: output truncated]\n";

int mv_vprintf(const char *fmt, va_list ap)
{
	char buf[PRINTF_BUF];
	/* mv_vsnprintf works on its own copy of ap, so ap serves twice. */
	int n = mv_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < (int)sizeof(buf)) {
		mv_display(buf);
		return n;
	}
	/* Longer than the buffer: format again into one of the exact size; still one exit. */
	{
		char big[(n < PRINTF_MAX ? n : PRINTF_MAX) + 1];

		mv_vsnprintf(big, sizeof(big), fmt, ap);
		mv_display(big);
	}
	if (n >= PRINTF_MAX)
		mv_display(truncated);
	return n;
}

int mv_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = mv_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int mv_puts(const char *s)
{
	return mv_printf("%s\n", s);
}
