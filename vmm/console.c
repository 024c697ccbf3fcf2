/* SPDX-License-Identifier: MIT */
/* vmm/console.c: the guests' standard output: one buffered stream, or per-vCPU streams
 * (fopencookie) merged line by line, all written to fd 1 here so a failed write is
 * seen, with its errno, the moment it happens. */
#include "console.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "util.h"

/* The first failure: fd << 16 | errno, or 0. One per process, as fds 1 and 2 are. */
static atomic_int con_failure;

void console_note_error(int fd, int err)
{
	int none = 0;

	atomic_compare_exchange_strong(&con_failure, &none, fd << 16 | (err & 0xffff));
}

int console_error(int *err)
{
	const int f = atomic_load(&con_failure);

	if (err)
		*err = f & 0xffff;
	return f >> 16;
}

bool console_check_stderr(void)
{
	if (ferror(stderr))
		console_note_error(2, 0);
	return console_error(NULL) != 0;
}

/* Writes every byte of iov[0, n) to fd, in as many writev calls as it takes; stops at
 * the first failure, recorded. A signal (the kick that stops a vCPU) only retries: the
 * VMM's watchdog ends the process if the write never completes. */
static int write_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w;

		if (console_error(NULL))
			return -1; /* the output is broken: drop the rest */
		w = writev(fd, iov, n > IOV_MAX ? IOV_MAX : n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			console_note_error(fd, errno);
			return -1;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* The one-vCPU stream's cookie write: straight to fd, under the lock (the ring thread
 * shares the stream through stdio's own lock; this one orders it with nothing else). */
static ssize_t single_write(void *cookie, const char *data, size_t n)
{
	struct console *c = cookie;
	struct iovec iov = { .iov_base = (void *)data, .iov_len = n };
	int rc;

	pthread_mutex_lock(&c->lock);
	rc = write_all(c->fd, &iov, 1);
	pthread_mutex_unlock(&c->lock);
	if (rc) {
		errno = EIO;
		return -1;
	}
	return (ssize_t)n;
}

void console_init(struct console *c, int fd, bool single)
{
	static char buf[BUFSIZ];
	cookie_io_functions_t io = { .write = single_write };

	pthread_mutex_init(&c->lock, NULL);
	c->fd = fd;
	c->file = NULL;
	if (!single)
		return;
	if (!(c->file = fopencookie(c, "w", io)))
		die_errno(VMM_HOST_ERROR, "cannot make the console stream");
	/* A static buffer: a vCPU thread would otherwise allocate it, and with it a malloc
	 * arena (128 MiB of address space). */
	setvbuf(c->file, buf, _IOFBF, sizeof(buf));
}

void console_close(struct console *c)
{
	if (c->file)
		fclose(c->file);
	c->file = NULL;
}

/* Emits s's complete lines (with `all`, the partial one too; with `full`, a buffer
 * without a newline as one piece), each as prefix + line, under one lock. */
static void emit(struct con_stream *s, bool all, bool full)
{
	struct iovec iov[64];
	size_t start = 0;
	int n = 0;
	char *nl;

	pthread_mutex_lock(&s->con->lock);
	while ((nl = memchr(s->buf + s->scanned, '\n', s->len - s->scanned))) {
		const size_t end = (size_t)(nl - s->buf) + 1;

		iov[n++] = (struct iovec){ .iov_base = s->prefix, .iov_len = s->plen };
		iov[n++] = (struct iovec){ .iov_base = s->buf + start, .iov_len = end - start };
		start = s->scanned = end;
		if (n == (int)ARRAY_SIZE(iov)) {
			write_all(s->con->fd, iov, n);
			n = 0;
		}
	}
	s->scanned = s->len;
	if (start < s->len && (all || (full && start == 0))) {
		static char newline[] = "\n";

		if (n + 3 > (int)ARRAY_SIZE(iov)) {
			write_all(s->con->fd, iov, n);
			n = 0;
		}
		iov[n++] = (struct iovec){ .iov_base = s->prefix, .iov_len = s->plen };
		iov[n++] = (struct iovec){ .iov_base = s->buf + start, .iov_len = s->len - start };
		iov[n++] = (struct iovec){ .iov_base = newline, .iov_len = 1 };
		start = s->len;
	}
	if (n)
		write_all(s->con->fd, iov, n);
	pthread_mutex_unlock(&s->con->lock);
	/* Only a partial line stays: moved once, at most CON_LINE_MAX bytes. */
	if (start) {
		memmove(s->buf, s->buf + start, s->len - start);
		s->len -= start;
		s->scanned = s->len;
	}
}

/* The cookie's write: append to the vCPU's buffer; a full buffer emits what it can, so
 * a hypercall's output is emitted whole by con_stream_flush unless it passes the cap. */
static ssize_t stream_write(void *cookie, const char *data, size_t n)
{
	struct con_stream *s = cookie;
	size_t done = 0;

	while (done < n) {
		size_t k = sizeof(s->buf) - s->len;

		if (k > n - done)
			k = n - done;
		memcpy(s->buf + s->len, data + done, k);
		s->len += k;
		done += k;
		if (s->len == sizeof(s->buf))
			emit(s, false, true);
	}
	return (ssize_t)n;
}

void con_stream_open(struct con_stream *s, struct console *c, int id)
{
	cookie_io_functions_t io = { .write = stream_write };

	s->con = c;
	s->len = s->scanned = 0;
	s->plen = (size_t)snprintf(s->prefix, sizeof(s->prefix), "[vcpu%d] ", id);
	s->file = fopencookie(s, "w", io);
	if (!s->file)
		die_errno(VMM_HOST_ERROR, "cannot make the console stream of vCPU %d", id);
	setvbuf(s->file, NULL, _IONBF, 0); /* every write reaches the buffer at once */
}

void con_stream_flush(struct con_stream *s, bool all)
{
	if (s->len)
		emit(s, all, false);
}

void con_stream_close(struct con_stream *s)
{
	if (!s->file)
		return;
	fclose(s->file);
	s->file = NULL;
	con_stream_flush(s, true);
}
