/* SPDX-License-Identifier: MIT */
/* vmm/console.h: the guests' standard output. With one vCPU, a buffered stream written
 * straight to fd 1. With several, each vCPU writes to its own stream, and whole lines
 * reach fd 1 under one lock, prefixed "[vcpuN] ", so the output of one hypercall is never
 * interleaved with another's; a line longer than CON_LINE_MAX is written in pieces of
 * that size, each a line of its own, so a stream never holds more. The first failed
 * write (EPIPE, ENOSPC, EBADF...) is kept: console_error() says so, and nothing more is
 * written. */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CON_LINE_MAX 4096 /* bytes a vCPU's stream holds: longer lines go out in pieces */

struct console {
	pthread_mutex_t lock; /* held while a stream's lines are written to fd */
	int fd;               /* where they go (standard output) */
	FILE *file;           /* with one vCPU: the buffered stream handlers print to */
};

struct con_stream {
	struct console *con;
	char prefix[24]; /* "[vcpuN] " */
	size_t plen;
	char buf[CON_LINE_MAX]; /* bytes written and not yet emitted */
	size_t len;
	size_t scanned; /* buf[0, scanned) holds no newline */
	FILE *file;     /* the stdio stream handlers write to */
};

/* console_init: a console writing to fd. With `single` (one vCPU), c->file is a
 * BUFSIZ-buffered stream that writes to fd (fflush it to emit). Dies if stdio cannot
 * make it. */
void console_init(struct console *c, int fd, bool single);

/* console_close: flushes and closes c->file, if any. */
void console_close(struct console *c);

/* con_stream_open: a stream for vCPU id; s->file is what hypercall handlers print to.
 * Dies if stdio cannot make it. */
void con_stream_open(struct con_stream *s, struct console *c, int id);

/* con_stream_flush: emits the complete lines buffered in s (with `all`, also a last
 * partial line, ended with a newline), all under one acquisition of the lock. */
void con_stream_flush(struct con_stream *s, bool all);

/* con_stream_close: flushes everything and closes the stream. */
void con_stream_close(struct con_stream *s);

/* console_note_error: records that writing to fd (1 or 2) failed with errno err, unless
 * a failure is already recorded. Thread-safe. */
void console_note_error(int fd, int err);

/* console_error: 0 when every write so far succeeded, else the fd (1 or 2) of the first
 * failure, its errno in *err. Thread-safe. */
int console_error(int *err);

/* console_check_stderr: records a failure of stdio's stderr (its error flag), which the
 * guest's writes to fd 2 go through. Returns console_error(NULL) != 0. */
bool console_check_stderr(void);

#endif
