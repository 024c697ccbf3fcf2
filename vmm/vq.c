/* SPDX-License-Identifier: MIT */
/* vmm/vq.c: the I/O queue's parser. The guest may change the queue while we read it:
 * every index, ring entry and descriptor is loaded once into a local copy, checked, then
 * used from the copy; the VMM's own indices (last_avail, used_idx) are never read back. */
#include "vq.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "hc_dispatch.h"

/* A chain as the VMM copied it: the header, the data buffers, the status. */
struct chain {
	struct hc_vq_desc d[HC_VQ_CHAIN_MAX];
	unsigned n;
	void *status; /* the status's host address, translated once when the chain is taken,
		       * or NULL when it spans two pages apart in guest memory */
};

/* The host address of guest-virtual [gva, gva + len): one contiguous run of guest memory
 * reachable with v's privilege (writable when write is set), or NULL. */
static void *area(const struct gview *v, uint64_t gva, uint64_t len, bool write)
{
	struct iovec iov;
	uint64_t at = gva, left = len;

	if (gva_iov(v, &at, &left, write, &iov, 1) != 1 || left)
		return NULL;
	return iov.iov_base;
}

int vq_setup(struct vq *q, const struct gview *v, const struct hc_queue_setup *r)
{
	const uint32_t n = r->size;

	if (n == 0 || n > HC_VQ_SIZE_MAX || (n & (n - 1)))
		return -HC_EINVAL;
	if (r->desc % 16 || r->avail % 2 || r->used % 4)
		return -HC_EINVAL;
	*q = (struct vq){ .size = n };
	q->desc = area(v, r->desc, HC_VQ_DESC_BYTES(n), false);
	q->avail = area(v, r->avail, HC_VQ_AVAIL_BYTES(n), false);
	q->used = area(v, r->used, HC_VQ_USED_BYTES(n), true);
	if (!q->desc || !q->avail || !q->used) {
		*q = (struct vq){ 0 };
		return -HC_EFAULT;
	}
	return 0;
}

bool vq_pending(const struct vq *q)
{
	return __atomic_load_n(&q->avail->idx, __ATOMIC_SEQ_CST) !=
	       __atomic_load_n(&q->last_avail, __ATOMIC_RELAXED);
}

void vq_set_no_notify(struct vq *q, bool polling)
{
	/* Sequentially consistent: on x86 an xchg, so no later load of avail.idx passes it. */
	__atomic_store_n(&q->used->flags, polling ? HC_VQ_USED_F_NO_NOTIFY : 0, __ATOMIC_SEQ_CST);
}

/* One descriptor, loaded once (field by field: the guest may be writing it). */
static struct hc_vq_desc load_desc(const struct vq *q, uint32_t i)
{
	const struct hc_vq_desc *s = &q->desc[i];

	return (struct hc_vq_desc){
		.addr = __atomic_load_n(&s->addr, __ATOMIC_RELAXED),
		.len = __atomic_load_n(&s->len, __ATOMIC_RELAXED),
		.flags = __atomic_load_n(&s->flags, __ATOMIC_RELAXED),
		.next = __atomic_load_n(&s->next, __ATOMIC_RELAXED),
	};
}

/* Copies the chain starting at head: at most HC_VQ_CHAIN_MAX descriptors, each index
 * below size, none twice (a loop), none indirect. Returns 0 or -1 with err set. */
static int walk(const struct vq *q, uint32_t head, struct chain *c, struct mv_err *err)
{
	uint8_t seen[HC_VQ_SIZE_MAX / 8] = { 0 };
	uint32_t i = head;

	c->status = NULL;
	for (c->n = 0;; c->n++) {
		struct hc_vq_desc d;

		if (c->n == HC_VQ_CHAIN_MAX)
			return mv_seterr(err, 0,
					 "chain at head %" PRIu32 " longer than %d descriptors",
					 head, HC_VQ_CHAIN_MAX);
		if (seen[i / 8] & (1u << (i % 8)))
			return mv_seterr(err, 0,
					 "chain at head %" PRIu32
					 " loops back to descriptor %" PRIu32,
					 head, i);
		seen[i / 8] |= (uint8_t)(1u << (i % 8));
		d = c->d[c->n] = load_desc(q, i);
		if (d.flags & HC_VQ_DESC_F_INDIRECT)
			return mv_seterr(err, 0, "descriptor %" PRIu32 " is indirect (not offered)",
					 i);
		if (!(d.flags & HC_VQ_DESC_F_NEXT))
			break;
		if (d.next >= q->size)
			return mv_seterr(err, 0,
					 "descriptor %" PRIu32 " links to %u, past the %" PRIu32
					 " descriptors",
					 i, d.next, q->size);
		i = d.next;
	}
	c->n++;
	return 0;
}

/* The two ends of a chain: a header the VMM reads, a status the VMM writes. */
static int shape_ends(const struct hc_vq_desc *h, const struct hc_vq_desc *s, struct mv_err *err)
{
	if ((h->flags & HC_VQ_DESC_F_WRITE) || h->len != sizeof(struct hc_vq_req))
		return mv_seterr(err, 0,
				 "request header of %" PRIu32 " bytes%s (16, read-only expected)",
				 h->len, h->flags & HC_VQ_DESC_F_WRITE ? ", device-writable" : "");
	if (!(s->flags & HC_VQ_DESC_F_WRITE) || s->len != sizeof(struct hc_vq_status))
		return mv_seterr(err, 0,
				 "request status of %" PRIu32 " bytes%s (8, writable expected)",
				 s->len, s->flags & HC_VQ_DESC_F_WRITE ? "" : ", device-readable");
	return 0;
}

/* The data buffers between the ends: all in the op's direction. */
static int shape_data(const struct chain *c, const struct hc_vq_req *req, struct mv_err *err)
{
	for (unsigned i = 1; i + 1 < c->n; i++)
		if (!(c->d[i].flags & HC_VQ_DESC_F_WRITE) != (req->op == HC_VQ_WRITE))
			return mv_seterr(err, 0, "%s buffer in a %s request",
					 req->op == HC_VQ_READ ? "read-only" : "writable",
					 req->op == HC_VQ_READ ? "read" : "write");
	return 0;
}

/* The header and the status of chain c in one translation when one page holds both (the
 * SDK keeps them side by side): a single page walk, with the write access the status
 * needs anyway, instead of one for each; the header is copied (once) into req, the
 * status's host address kept. False when they lie apart or the page is not writable:
 * each is then translated by itself, as any chain's are. */
static bool ends_together(const struct gview *v, struct chain *c, struct hc_vq_req *req)
{
	const uint64_t h = c->d[0].addr, s = c->d[c->n - 1].addr;
	const uint64_t h_end = h + sizeof(*req), s_end = s + sizeof(struct hc_vq_status);
	const uint64_t lo = h < s ? h : s, hi = h_end > s_end ? h_end : s_end;
	uint8_t *p;

	if (h_end < h || s_end < s || lo >> 12 != (hi - 1) >> 12)
		return false; /* past the end of the address space, or on two pages */
	if (!(p = area(v, lo, hi - lo, true)))
		return false;
	memcpy(req, p + (h - lo), sizeof(*req));
	c->status = p + (s - lo);
	return true;
}

/* The header copied (once) into req and the status translated, together when they can
 * be. Returns 0 or -1 with err. */
static int ends(const struct gview *v, struct chain *c, struct hc_vq_req *req, struct mv_err *err)
{
	const uint64_t h = c->d[0].addr, s = c->d[c->n - 1].addr;

	if (ends_together(v, c, req))
		return 0;
	if (gva_read(v, h, req, sizeof(*req)))
		return mv_seterr(err, 0, "request header at 0x%" PRIx64 " not readable%s", h,
				 v->user ? " by ring 3" : "");
	/* Translated once, as the areas are at set-up: the status is written where it was
	 * when the chain was taken (one page walk, not two). */
	c->status = area(v, s, sizeof(struct hc_vq_status), true);
	if (!c->status && gva_check(v, s, sizeof(struct hc_vq_status), true))
		return mv_seterr(err, 0, "request status at 0x%" PRIx64 " not writable%s", s,
				 v->user ? " by ring 3" : "");
	return 0;
}

/* The shape every chain must have: a header the VMM reads, data in the op's direction,
 * a status the VMM writes; the header copied (once) into req. Returns 0 or -1 with err. */
static int shape(const struct gview *v, struct chain *c, struct hc_vq_req *req, struct mv_err *err)
{
	const struct hc_vq_desc *h, *s;

	if (c->n < 2)
		return mv_seterr(err, 0, "a chain of one descriptor (header and status needed)");
	h = &c->d[0];
	s = &c->d[c->n - 1];
	if (shape_ends(h, s, err))
		return -1;
	if (ends(v, c, req, err))
		return -1;
	if (req->op != HC_VQ_READ && req->op != HC_VQ_WRITE)
		return mv_seterr(err, 0, "request of unknown op %" PRIu32, req->op);
	return shape_data(c, req, err);
}

/* Runs the request over the data buffers through the read or write hypercall's own
 * handler, as readv/writev would: in order, stopping at a short count or an error after
 * bytes moved. */
static int64_t run(struct hc_ctx *c, const struct chain *ch, const struct hc_vq_req *req)
{
	int64_t done = 0, off = req->offset;
	const unsigned bufs = ch->n - 2;

	pthread_mutex_lock(&c->files->lock);
	for (unsigned i = 0; i < (bufs ? bufs : 1); i++) { /* no buffer: one call of length 0 */
		const struct hc_vq_desc *d = &ch->d[1 + i];
		struct hc_rw rw = { .fd = req->fd,
				    .buf = bufs ? d->addr : 0,
				    .len = bufs ? d->len : 0,
				    .offset = off };

		if (req->op == HC_VQ_READ)
			hc_read(c, &rw);
		else
			hc_write(c, &rw);
		if (rw.ret < 0) {
			done = done ? done : rw.ret;
			break;
		}
		done += rw.ret;
		if (off >= 0)
			off += rw.ret;
		if ((uint64_t)rw.ret < rw.len)
			break;
	}
	pthread_mutex_unlock(&c->files->lock);
	return done;
}

uint16_t vq_avail(const struct vq *q)
{
	return __atomic_load_n(&q->avail->idx, __ATOMIC_ACQUIRE);
}

int vq_serve(struct vq *q, uint16_t avail, struct hc_ctx *c, struct mv_err *err)
{
	int served = 0;

	if ((uint16_t)(avail - q->last_avail) > q->size)
		return mv_seterr(err, 0,
				 "avail.idx %u is %u ahead of the VMM, past the %" PRIu32
				 " descriptors",
				 avail, (uint16_t)(avail - q->last_avail), q->size);
	while (q->last_avail != avail) {
		const uint32_t head =
			__atomic_load_n(&q->avail->ring[q->last_avail % q->size], __ATOMIC_RELAXED);
		struct hc_vq_status st;
		struct hc_vq_req req;
		struct chain ch;
		uint64_t wrote;

		if (head >= q->size)
			return mv_seterr(err, 0,
					 "avail.ring[%u] = %" PRIu32 ", past the %" PRIu32
					 " descriptors",
					 q->last_avail % q->size, head, q->size);
		if (walk(q, head, &ch, err) || shape(&c->view, &ch, &req, err))
			return -1;
		st.ret = run(c, &ch, &req);
		if (ch.status)
			memcpy(ch.status, &st, sizeof(st));
		else if (gva_write(&c->view, ch.d[ch.n - 1].addr, &st, sizeof(st)))
			return mv_seterr(err, 0,
					 "request status at 0x%" PRIx64 " no longer writable",
					 ch.d[ch.n - 1].addr);
		wrote = sizeof(st) + (req.op == HC_VQ_READ && st.ret > 0 ? (uint64_t)st.ret : 0);
		q->used->ring[q->used_idx % q->size] =
			(struct hc_vq_used_elem){ head, wrote > UINT32_MAX ? UINT32_MAX
									   : (uint32_t)wrote };
		__atomic_store_n(&q->last_avail, (uint16_t)(q->last_avail + 1), __ATOMIC_RELAXED);
		__atomic_store_n(&q->used->idx, ++q->used_idx, __ATOMIC_RELEASE);
		q->chains++;
		q->bytes += st.ret > 0 ? (uint64_t)st.ret : 0;
		served++;
	}
	return served;
}
