/* SPDX-License-Identifier: MIT */
/* vmm/ring.h: the console ring (--ring): a byte ring in guest memory that the guest
 * fills and a VMM thread drains when KVM_IOEVENTFD signals the doorbell, so console
 * output needs no exit to the VMM. All ring memory is reached through gva.c, checked. */
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

struct ring {
	pthread_mutex_t lock; /* held while draining and while the vCPU handles an exit */
	struct gview view;    /* the guest's view when it set the ring up */
	uint64_t gva;         /* the ring's header */
	uint32_t size;        /* bytes of data */
	bool active;          /* set up by the guest */
	struct bell bell;     /* the doorbell's eventfd (KVM_IOEVENTFD) and the thread that
			       * drains on each ring of it */
	atomic_bool broken;   /* the ring was refused as corrupt: why says how */
	struct mv_err why;
	FILE *out;                    /* the guest's console */
	struct con_stream *con;       /* flushed after each drain when several vCPUs share stdout */
	void (*on_broken)(void *arg); /* called by the thread when it refuses the ring */
	void *arg;
	uint64_t records, bytes, wakeups; /* statistics */
};

/* ring_validate_setup: checks a ring at gva as the guest proposes it (size power of two
 * in [4 KiB, 1 MiB], header and data mapped writable). Returns 0 or a negative HC_E*. */
int ring_validate_setup(const struct gview *v, uint64_t gva, uint32_t *size);

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
