/* SPDX-License-Identifier: MIT */
/* vmm/ring.c: draining the console ring. The guest may change the ring while we read
 * it: every field is read once into a local copy, checked, then used. */
#include "ring.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <minivirt/hc.h>

#define RING_MIN 4096u
#define RING_MAX (1u << 20)
#define HDR sizeof(struct hc_ring)

int ring_validate_setup(const struct gview *v, uint64_t gva, uint32_t *size)
{
	struct hc_ring h;

	if (gva % HC_RING_ALIGN)
		return -HC_EINVAL;
	if (gva_read(v, gva, &h, HDR))
		return -HC_EFAULT;
	if (h.size < RING_MIN || h.size > RING_MAX || (h.size & (h.size - 1)))
		return -HC_EINVAL;
	if (gva_check(v, gva, HDR + (uint64_t)h.size, true))
		return -HC_EFAULT;
	*size = h.size;
	return 0;
}

/* Copies n bytes at ring offset `at` (wrapping) out of the data area. */
static int ring_read(struct ring *r, uint32_t at, void *dst, uint32_t n)
{
	uint32_t off = at & (r->size - 1), first = r->size - off < n ? r->size - off : n;

	if (gva_read(&r->view, r->gva + HDR + off, dst, first))
		return -1;
	return gva_read(&r->view, r->gva + HDR, (uint8_t *)dst + first, n - first) ? -1 : 0;
}

__attribute__((format(printf, 2, 3))) static int corrupt(struct ring *r, const char *fmt, ...)
{
	uint32_t one = 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why.msg, sizeof(r->why.msg), fmt, ap);
	va_end(ap);
	atomic_store(&r->broken, true);
	gva_write(&r->view, r->gva + offsetof(struct hc_ring, error), &one, sizeof(one));
	return -1;
}

/* Prints a payload of len bytes at ring offset `at`, a chunk at a time. */
static int print_payload(struct ring *r, uint32_t at, uint32_t len, FILE *to)
{
	char buf[4096];

	while (len) {
		uint32_t n = len < sizeof(buf) ? len : (uint32_t)sizeof(buf);

		if (ring_read(r, at, buf, n))
			return -1;
		fwrite(buf, 1, n, to);
		at += n;
		len -= n;
		r->bytes += n;
	}
	return 0;
}

/* Acts on one record whose payload starts at ring offset data: prints it. Returns 0, or
 * -1 when the record is bad (the ring is then marked broken). */
static int play(struct ring *r, const struct hc_ring_rec *rec, uint32_t data)
{
	FILE *to = r->out;

	switch (rec->kind) {
	case HC_RING_PRINT_VAL: fprintf(r->out, "%" PRIu32 "\n", rec->value); return 0;
	case HC_RING_WRITE:
		if (rec->fd != 1 && rec->fd != 2)
			return corrupt(r, "ring write to fd %d (console fds 1 and 2 only)",
				       rec->fd);
		if (rec->fd == 2) {
			fflush(r->out);
			to = stderr;
		}
		/* fall through */
	case HC_RING_DISPLAY:
		if (print_payload(r, data, rec->len, to))
			return corrupt(r, "ring data unmapped");
		if (to == stderr)
			fflush(stderr);
		return 0;
	default: return corrupt(r, "ring record of unknown kind %" PRIu32, rec->kind);
	}
}

int ring_drain(struct ring *r)
{
	struct hc_ring h;

	if (!r->active || atomic_load(&r->broken))
		return atomic_load(&r->broken) ? -1 : 0;
	if (gva_read(&r->view, r->gva, &h, HDR))
		return corrupt(r, "ring header unmapped");
	if (h.head - h.tail > r->size)
		return corrupt(
			r, "ring indices out of range: head - tail = %" PRIu32 " > size %" PRIu32,
			h.head - h.tail, r->size);
	while (h.tail != h.head) {
		const uint32_t used = h.head - h.tail;
		struct hc_ring_rec rec;

		if (used < sizeof(rec) || ring_read(r, h.tail, &rec, sizeof(rec)))
			return corrupt(r, "ring record header cut short (%" PRIu32 " of 16 bytes)",
				       used);
		if (rec.len > used - sizeof(rec) || HC_RING_REC_SIZE(rec.len) > used)
			return corrupt(
				r, "ring record of %" PRIu32 " bytes, only %" PRIu32 " in the ring",
				rec.len, used);
		if (play(r, &rec, h.tail + (uint32_t)sizeof(rec)))
			return -1;
		h.tail += HC_RING_REC_SIZE(rec.len);
		r->records++;
		/* Publish progress so a guest waiting for room sees it. */
		if (gva_write(&r->view, r->gva + offsetof(struct hc_ring, tail), &h.tail,
			      sizeof(h.tail)))
			return corrupt(r, "ring header unmapped");
	}
	fflush(r->out);
	return 0;
}

static void *ring_thread(void *arg)
{
	struct ring *r = arg;

	pthread_setname_np(pthread_self(), "ring"); /* by itself: no /proc file to open */
	while (bell_wait(&r->bell)) {
		pthread_mutex_lock(&r->lock);
		r->wakeups++;
		if (ring_drain(r) && r->on_broken)
			r->on_broken(r->arg); /* the guest may be waiting for room: stop it */
		if (r->con)
			con_stream_flush(r->con, false);
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

int ring_init(struct ring *r, FILE *out, struct con_stream *con)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	r->out = out;
	r->con = con;
	return bell_init(&r->bell);
}

int ring_start(struct ring *r)
{
	return bell_start(&r->bell, ring_thread, r);
}

void ring_stop(struct ring *r)
{
	bell_close(&r->bell);
}
