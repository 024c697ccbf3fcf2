/* SPDX-License-Identifier: MIT */
/* vmm/vq.h: the I/O queue's parser: a virtio split virtqueue in guest memory (struct
 * hc_vq_*), checked as a hostile guest may write it, each request run through the same
 * file handlers as the read and write hypercalls. Pure (no thread, no KVM): unit-tested
 * over a plain buffer and fuzzed; vmm/queue.c serves it from a thread. */
#ifndef VMM_VQ_H
#define VMM_VQ_H

#include <stdint.h>

#include <minivirt/hc.h>

#include "mv_err.h"
#include "gva.h"

struct hc_ctx;

struct vq {
	struct hc_vq_desc *desc;   /* the three areas, host pointers into guest memory, */
	struct hc_vq_avail *avail; /* fixed at set-up (checked with the caller's view then) */
	struct hc_vq_used *used;
	uint32_t size;       /* descriptors: a power of two, 1 .. HC_VQ_SIZE_MAX */
	uint16_t last_avail; /* the next avail.ring entry to take (written atomically) */
	uint16_t used_idx;   /* chains answered: the VMM's copy, never read back */
	uint64_t chains;     /* statistics: chains answered */
	uint64_t bytes;      /* bytes moved by them */
};

/* vq_setup: checks a guest's proposal r (struct hc_queue_setup) with view v, the caller's
 * privilege: size a power of two up to HC_VQ_SIZE_MAX, each area aligned, mapped for v
 * (used writable), contiguous in guest-physical memory. Fills q (indices 0). Returns 0 or
 * a negative HC_E* (the hypercall's result). */
int vq_setup(struct vq *q, const struct gview *v, const struct hc_queue_setup *r);

/* vq_avail: the guest's avail.idx, loaded once (acquire): what vq_serve may answer. */
uint16_t vq_avail(const struct vq *q);

/* vq_serve: answers every chain the guest published up to avail (a vq_avail() taken
 * before, e.g., the console ring was drained, so the ring's older output prints first),
 * each through c (its view, fd table
 * and console; c->files->lock is taken around each request). Returns the chains
 * answered, or -1 when the queue is corrupt, with the reason in err (the chains before it
 * stay answered). */
int vq_serve(struct vq *q, uint16_t avail, struct hc_ctx *c, struct mv_err *err);

/* vq_pending: whether the guest has published chains not yet taken. Safe without the
 * server's lock (a hint then: look again under it), so a poll need not take it. */
bool vq_pending(const struct vq *q);

/* vq_set_no_notify: sets or clears HC_VQ_USED_F_NO_NOTIFY in used.flags (the VMM polls,
 * the guest need not ring), with a full barrier after, so a caller that clears it and then
 * finds nothing pending knows the guest will ring for what comes next. */
void vq_set_no_notify(struct vq *q, bool polling);

#endif
