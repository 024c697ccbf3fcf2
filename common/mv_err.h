/* SPDX-License-Identifier: MIT */
/* common/mv_err.h: the one error type of both tools: a failure's one-line reason, in a buffer
 * the error carries itself, so no function takes a (buffer, length) pair or a bare char *. */
#ifndef MINIVIRT_MV_ERR_H
#define MINIVIRT_MV_ERR_H

#include <stddef.h>

#define MV_ERR_LEN 320 /* room for one line: a path, a value and strerror() */

/* struct mv_err: filled by the function that fails, read by the caller that reports it. An
 * empty msg means no reason was given. */
struct mv_err {
	char msg[MV_ERR_LEN];
};

/* mv_seterr: formats a one-line reason into e (truncated to fit); when errnum is not 0,
 * ": strerror(errnum)" follows. Returns -1, so callers can `return mv_seterr(...)`. */
__attribute__((format(printf, 3, 4))) int mv_seterr(struct mv_err *e, int errnum, const char *fmt,
						    ...);

/* mv_errprefix: puts "prefix: " before e's reason (truncated to fit), for a caller that
 * adds what it was doing. Returns -1. */
__attribute__((format(printf, 2, 3))) int mv_errprefix(struct mv_err *e, const char *fmt, ...);

#endif
