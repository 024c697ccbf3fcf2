/* SPDX-License-Identifier: MIT */
/* common/mv_err.c: struct mv_err, the one error type of both tools (mv_err.h). */
#include "mv_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends s to e's reason, truncated so the line always fits and stays terminated. */
static void append(struct mv_err *e, const char *s)
{
	size_t n = strnlen(e->msg, sizeof(e->msg) - 1), room = sizeof(e->msg) - 1 - n;
	size_t len = strnlen(s, room);

	memcpy(e->msg + n, s, len);
	e->msg[n + len] = '\0';
}

int mv_seterr(struct mv_err *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (errnum) {
		append(e, ": ");
		append(e, strerror(errnum));
	}
	return -1;
}

int mv_errprefix(struct mv_err *e, const char *fmt, ...)
{
	char old[MV_ERR_LEN];
	va_list ap;

	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	append(e, ": ");
	append(e, old);
	return -1;
}
