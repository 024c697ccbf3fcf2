/* SPDX-License-Identifier: MIT */
/* vmm/ring.c: draining the console ring, and the thread that drains it on each doorbell
 * and polls a while after. The guest may change the ring while we read it: every field
 * is read once into a local copy, checked, then used; awake is only ever written. */
#include "ring.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/uio.h>

#include <minivirt/hc.h>

#define RING_MIN 4096u
#define RING_MAX (1u << 20)
/* The header's fields the drain reads (head, tail, size, error): never awake, which the
 * polling thread writes meanwhile. */
#define HDR_READ HC_RING_HDR_V2

static uint32_t header_bytes(uint32_t flags)
{
	return flags & HC_RING_F_AWAKE ? (uint32_t)sizeof(struct hc_ring) : HC_RING_HDR_V2;
}

int ring_validate_setup(const struct gview *v, uint64_t gva, uint32_t flags, uint32_t *size)
{
	struct hc_ring h;

	if (gva % HC_RING_ALIGN || (flags & ~HC_RING_F_AWAKE))
		return -HC_EINVAL;
	if (gva_read(v, gva, &h, HDR_READ))
		return -HC_EFAULT;
	if (h.size < RING_MIN || h.size > RING_MAX || (h.size & (h.size - 1)))
		return -HC_EINVAL;
	if (gva_check(v, gva, header_bytes(flags) + (uint64_t)h.size, true))
		return -HC_EFAULT;
	*size = h.size;
	return 0;
}

/* The host address of the aligned 32-bit header field at gva (checked writable by
 * ring_validate_setup; 4-byte aligned, so on one page). */
static uint32_t *field(const struct gview *v, uint64_t gva)
{
	struct iovec iov;
	uint64_t at = gva, left = sizeof(uint32_t);

	if (gva_iov(v, &at, &left, true, &iov, 1) != 1 || left)
		return NULL;
	return iov.iov_base;
}

int ring_setup(struct ring *r, const struct gview *v, uint64_t gva, uint32_t flags)
{
	uint32_t size, *head_at = NULL, *awake_at = NULL;
	int err = ring_validate_setup(v, gva, flags, &size);

	if (err)
		return err;
	if (flags & HC_RING_F_AWAKE) {
		head_at = field(v, gva + offsetof(struct hc_ring, head));
		awake_at = field(v, gva + offsetof(struct hc_ring, awake));
		if (!head_at || !awake_at)
			return -HC_EFAULT;
	}
	r->view = *v;
	r->gva = gva;
	r->size = size;
	r->hdr = header_bytes(flags);
	r->head_at = head_at;
	r->awake_at = awake_at;
	r->active = true;
	return 0;
}

/* Copies n bytes at ring offset `at` (wrapping) out of the data area. */
static int ring_read(struct ring *r, uint32_t at, void *dst, uint32_t n)
{
	uint32_t off = at & (r->size - 1), first = r->size - off < n ? r->size - off : n;

	if (gva_read(&r->view, r->gva + r->hdr + off, dst, first))
		return -1;
	return gva_read(&r->view, r->gva + r->hdr, (uint8_t *)dst + first, n - first) ? -1 : 0;
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
	if (gva_read(&r->view, r->gva, &h, HDR_READ))
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
	atomic_store(&r->seen, h.head);
	fflush(r->out);
	return 0;
}

bool ring_pending(struct ring *r)
{
	return r->head_at && __atomic_load_n(r->head_at, __ATOMIC_SEQ_CST) != atomic_load(&r->seen);
}

void ring_set_awake(struct ring *r, bool awake)
{
	/* Sequentially consistent: on x86 an xchg, so no later load of head passes it. */
	__atomic_store_n(r->awake_at, awake ? 1u : 0u, __ATOMIC_SEQ_CST);
}

bool ring_idle(struct ring *r)
{
	ring_set_awake(r, false);
	if (!ring_pending(r))
		return true;
	ring_set_awake(r, true);
	return false;
}

/* Drains under the lock; stops the guest when the ring is refused. Returns ring_drain's. */
static int drain_locked(struct ring *r)
{
	int rc;

	pthread_mutex_lock(&r->lock);
	rc = ring_drain(r);
	if (rc && r->on_broken)
		r->on_broken(r->arg); /* the guest may be waiting for room: stop it */
	if (r->con)
		con_stream_flush(r->con, false);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

/* After a doorbell's drain: polls head while records keep coming, draining them, until
 * the ring stays idle RING_POLL_SPINS; then ring_idle. Polls without the lock, so a thread
 * preempted while polling never holds up the vCPU's exits; drains under it. */
static void poll_ring(struct ring *r)
{
	unsigned idle = 0;
	bool polls;

	pthread_mutex_lock(&r->lock);
	polls = r->active && r->awake_at && !atomic_load(&r->broken);
	if (polls) /* from now on the guest need not ring */
		ring_set_awake(r, true);
	pthread_mutex_unlock(&r->lock);
	while (polls && !bell_quitting(&r->bell)) {
		while (++idle < RING_POLL_SPINS && !ring_pending(r) && !bell_quitting(&r->bell))
			__builtin_ia32_pause();
		if (idle >= RING_POLL_SPINS && ring_idle(r)) {
			pthread_mutex_lock(&r->lock);
			r->polls_out++;
			pthread_mutex_unlock(&r->lock);
			return;
		}
		idle = 0;
		if (drain_locked(r))
			return;
	}
}

static void *ring_thread(void *arg)
{
	struct ring *r = arg;

	pthread_setname_np(pthread_self(), "ring"); /* by itself: no /proc file to open */
	while (bell_wait(&r->bell)) {
		pthread_mutex_lock(&r->lock);
		r->wakeups++;
		pthread_mutex_unlock(&r->lock);
		if (!drain_locked(r))
			poll_ring(r);
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
