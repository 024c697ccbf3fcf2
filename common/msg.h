/* SPDX-License-Identifier: MIT */
/* common/msg.h: the one message module of both tools: warn_msg(), die() and die_errno()
 * print "progname: message" as one line on stderr, escaped for the terminal. */
#ifndef MINIVIRT_MSG_H
#define MINIVIRT_MSG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

/* progname: the tool's name that starts each line ("kvm-hello-world", "isolate"); each
 * tool defines it once (vmm/util.c, isolate/util.c). */
extern const char *progname;

/* msg_crlf: stderr is a terminal in raw mode (isolate's pty relay, isolate/pty_relay.c): lines
 * end with "\r\n", as the terminal no longer adds the carriage return. */
extern bool msg_crlf;

/* die: prints "progname: message" to stderr and exits with status. */
__attribute__((noreturn, format(printf, 2, 3))) void die(int status, const char *fmt, ...);
/* die_errno: as die, with ": strerror(errno)" appended. */
__attribute__((noreturn, format(printf, 2, 3))) void die_errno(int status, const char *fmt, ...);
/* warn_msg: prints "progname: message" to stderr and returns. */
__attribute__((format(printf, 1, 2))) void warn_msg(const char *fmt, ...);

/* msg_vline: the line all of them print: "progname: [who] message", "[who] " only when who
 * is not NULL, ": strerror(errnum)" appended when errnum is not 0. */
__attribute__((format(printf, 3, 0))) void msg_vline(const char *who, int errnum, const char *fmt,
						     va_list ap);

/* msg_escape: s into out (len bytes, always terminated) with what a terminal would act on
 * escaped: control characters as \n, \t, \e or \xNN, and bytes that are not valid UTF-8
 * (or UTF-8's C1 controls) as \xNN; a backslash stays itself. Truncates what does not
 * fit. Returns out. */
char *msg_escape(const char *s, char *out, size_t len);

#endif
