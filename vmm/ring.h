/* SPDX-License-Identifier: MIT */
/* vmm/ring.h: the console ring (--ring): a byte ring in guest memory that the guest
 * fills and a VMM thread drains when KVM_IOEVENTFD signals the doorbell, so console
 * output needs no exit to the VMM; after a drain the thread polls a while, saying so in
 * the ring's awake (HC_RING_F_AWAKE), so a busy guest need not ring. All ring memory is
 * reached through gva.c, checked. */
#ifndef VMM_RING_H
#define VMM_RING_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bell.h"
#include "console.h"
#include "mv_err.h"
#include "gva.h"

/* How long the thread polls an idle ring (HC_RING_F_AWAKE) before it clears awake and
 * sleeps, in polls (a look at head and a pause each, 0.03 us median here, as the
 * queue's): counted, not timed, so time the thread spends preempted does not count. Set
 * by QUEUE_POLL_SPINS's ski-rental rule: poll about as long as sleeping would cost the
 * guest's next record, a doorbell's `out` (13.9 us median on kvm_pvm; unlike the queue's
 * guest, the ring's never waits for the wake-up), so an idle guest costs at most twice
 * the CPU the best choice in hindsight would have. See docs/fastpaths.md, section 2. */
#define RING_POLL_SPINS 480

struct ring {
	pthread_mutex_t lock;  /* held while draining and while the vCPU handles an exit */
	struct gview view;     /* the guest's view when it set the ring up */
	uint64_t gva;          /* the ring's header */
	uint32_t size;         /* bytes of data */
	uint32_t hdr;          /* bytes of header before data: sizeof(struct hc_ring), or
			       * HC_RING_HDR_V2 for a ring set up without HC_RING_F_AWAKE */
	bool active;           /* set up by the guest */
	uint32_t *head_at;     /* HC_RING_F_AWAKE: the host addresses of the header's head and */
	uint32_t *awake_at;    /* awake, translated once at set-up (else NULL: no polling) */
	_Atomic uint32_t seen; /* the head the last drain read and consumed up to: what the
				* polling thread compares head with (never read from the guest) */
	struct bell bell;      /* the doorbell's eventfd (KVM_IOEVENTFD) and the thread that
			       * drains on each ring of it */
	atomic_bool broken;    /* the ring was refused as corrupt: why says how */
	struct mv_err why;
	FILE *out;                    /* the guest's console */
	struct con_stream *con;       /* flushed after each drain when several vCPUs share stdout */
	void (*on_broken)(void *arg); /* called by the thread when it refuses the ring */
	void *arg;
	uint64_t records, bytes, wakeups; /* statistics */
	uint64_t polls_out; /* idle rings polled RING_POLL_SPINS times, then slept on */
};

/* ring_validate_setup: checks a ring at gva as the guest proposes it with flags (0 or
 * HC_RING_F_AWAKE, which decides the header's size; size a power of two in [4 KiB,
 * 1 MiB]; header and data mapped writable). Returns 0 or a negative HC_E*. */
int ring_validate_setup(const struct gview *v, uint64_t gva, uint32_t flags, uint32_t *size);

/* ring_setup: ring_validate_setup, then points r at the ring (its view, header, size and,
 * for HC_RING_F_AWAKE, head's and awake's host addresses). Call with r->lock held.
 * Returns 0 or a negative HC_E* (r unchanged). */
int ring_setup(struct ring *r, const struct gview *v, uint64_t gva, uint32_t flags);

/* ring_pending: whether head (read once) differs from what the last drain consumed up to.
 * For the polling thread, without the lock; false for a ring without HC_RING_F_AWAKE. */
bool ring_pending(struct ring *r);

/* ring_set_awake: publishes whether the thread polls (a sequentially consistent store: no
 * later load of head passes it). Only for HC_RING_F_AWAKE rings. */
void ring_set_awake(struct ring *r, bool awake);

/* ring_idle: the polling thread's last look before it sleeps: clears awake, then looks at
 * head once more. Returns true to sleep; false, awake set again, when a record came in
 * meanwhile (the guest may have seen awake set and not rung). */
bool ring_idle(struct ring *r);

/* ring_drain: prints every complete record, advances tail. Call with r->lock held.
 * Returns 0, or -1 when the ring is corrupt (r->broken set, r->why says why, the
 * header's error field set). */
int ring_drain(struct ring *r);

/* ring_init: a ring with no guest memory yet, its eventfd made. Returns 0 or -errno. */
int ring_init(struct ring *r, FILE *out, struct con_stream *con);

/* ring_start: starts the drain thread on r->bell. Returns 0 or an errno. */
int ring_start(struct ring *r);

/* ring_stop: ends the thread and closes the eventfd (the vCPU drained the ring at its
 * end). */
void ring_stop(struct ring *r);

#endif
