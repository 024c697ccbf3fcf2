/* vmm/console.c: per-vCPU console streams (fopencookie) merged line by line. */
#include "console.h"

#include <string.h>
#include <sys/types.h>

#include "util.h"

void console_init(struct console *c, FILE *out)
{
	pthread_mutex_init(&c->lock, NULL);
	c->out = out;
}

/* The cookie's write: append to the vCPU's buffer; nothing is emitted here, so a
 * hypercall's whole output is emitted together by con_stream_flush. */
static ssize_t stream_write(void *cookie, const char *data, size_t n)
{
	struct con_stream *s = cookie;

	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		char *p;

		while (cap < s->len + n)
			cap *= 2;
		if (!(p = realloc(s->buf, cap)))
			return -1;
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	return (ssize_t)n;
}

void con_stream_open(struct con_stream *s, struct console *c, int id)
{
	cookie_io_functions_t io = { .write = stream_write };

	*s = (struct con_stream){ .con = c, .id = id };
	s->file = fopencookie(s, "w", io);
	if (!s->file)
		die_errno(VMM_HOST_ERROR, "cannot make the console stream of vCPU %d", id);
	setvbuf(s->file, NULL, _IONBF, 0); /* every write reaches the buffer at once */
}

void con_stream_flush(struct con_stream *s, bool all)
{
	size_t start = 0;
	char *nl;

	if (!s->len)
		return;
	pthread_mutex_lock(&s->con->lock);
	while ((nl = memchr(s->buf + start, '\n', s->len - start))) {
		size_t end = (size_t)(nl - s->buf) + 1;

		fprintf(s->con->out, "[vcpu%d] ", s->id);
		fwrite(s->buf + start, 1, end - start, s->con->out);
		start = end;
	}
	if (all && start < s->len) {
		fprintf(s->con->out, "[vcpu%d] ", s->id);
		fwrite(s->buf + start, 1, s->len - start, s->con->out);
		fputc('\n', s->con->out);
		start = s->len;
	}
	fflush(s->con->out);
	pthread_mutex_unlock(&s->con->lock);
	memmove(s->buf, s->buf + start, s->len - start);
	s->len -= start;
}

void con_stream_close(struct con_stream *s)
{
	if (!s->file)
		return;
	fclose(s->file);
	s->file = NULL;
	con_stream_flush(s, true);
	free(s->buf);
	s->buf = NULL;
}
