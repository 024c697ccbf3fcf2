/* vmm/console.h: the guests' console when several vCPUs share it: each vCPU writes to
 * its own stream, and whole lines reach standard output under one lock, prefixed
 * "[vcpuN] ", so the output of one hypercall is never interleaved with another's. */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

struct console {
	pthread_mutex_t lock; /* held while whole lines are written to out */
	FILE *out;            /* where the lines go (stdout) */
};

struct con_stream {
	struct console *con;
	int id;               /* vCPU number, for the prefix */
	char *buf;            /* bytes written and not yet emitted */
	size_t len, cap;
	FILE *file;           /* the stdio stream handlers write to */
};

/* console_init: a console writing to out. */
void console_init(struct console *c, FILE *out);

/* con_stream_open: a stream for vCPU id; s->file is what hypercall handlers print to.
 * Dies if stdio cannot make it. */
void con_stream_open(struct con_stream *s, struct console *c, int id);

/* con_stream_flush: emits the complete lines buffered in s (with `all`, also a last
 * partial line, ended with a newline), all under one acquisition of the lock. */
void con_stream_flush(struct con_stream *s, bool all);

/* con_stream_close: flushes everything and frees the stream. */
void con_stream_close(struct con_stream *s);

#endif
