/* SPDX-License-Identifier: MIT */
/* vmm/queue.h: the I/O queue (--queue): a virtio split virtqueue in guest memory (vq.c
 * parses it) served by a VMM thread that sleeps on a KVM_IOEVENTFD doorbell when the queue
 * is idle and polls while requests keep coming, so reads and writes need no exit; every
 * exit to the VMM serves it too, first, so output keeps the guest's order. */
#ifndef VMM_QUEUE_H
#define VMM_QUEUE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bell.h"
#include "console.h"
#include "mv_err.h"
#include "hc_dispatch.h"
#include "ring.h"
#include "split.h"
#include "vq.h"

/* How long the thread polls an idle queue before it clears HC_VQ_USED_F_NO_NOTIFY and
 * sleeps, in polls (a look at avail.idx and a pause each, about 75 TSC cycles here):
 * counted, not timed, so time the thread spends preempted does not count. Set as a
 * ski-rental rule sets it: poll about as long as sleeping would cost the guest's next
 * request (the doorbell's `out`, about 36,000 cycles on kvm_pvm, and the wake-up, about
 * 18,000, less the 5,000 of an answer while polling), so an idle guest costs at most
 * twice the CPU that the best choice in hindsight would have. Measured with
 * tests/guests/queuelat (make bench prints it); see docs/fastpaths.md. */
#define QUEUE_POLL_SPINS 700

struct queue {
	pthread_mutex_t lock;   /* held while serving: by the thread, or the vCPU at an exit */
	struct ring *ring;      /* the console ring, or NULL: its lock is taken before lock,
				 * and it is drained before the queue is served */
	struct vq vq;           /* the guest's queue, once set up */
	bool active;            /* set up by the guest (under lock) */
	struct hc_ctx ctx;      /* requests run with this: the view at set-up, the fd table,
				 * the console, the statistics */
	struct con_stream *con; /* flushed after each batch when several vCPUs share stdout */
	struct bell bell;       /* the doorbell's eventfd (KVM_IOEVENTFD) and the thread that
				 * serves on each ring of it, polling while busy */
	struct split split;     /* large reads, halved with a helper thread (ctx.split) */
	atomic_bool broken;     /* refused as corrupt: why says how */
	struct mv_err why;      /* set under lock, read after broken */
	void (*on_broken)(void *arg); /* called by the thread when it refuses the queue */
	void *arg;
	uint64_t wakeups;   /* doorbells that woke the thread */
	uint64_t at_exits;  /* chains answered by the vCPU at an exit (queue_wait among them) */
	uint64_t polls_out; /* idle queues polled QUEUE_POLL_SPINS times, then slept on */
};

/* queue_init: a queue with no guest memory yet, its eventfd made; requests will run with
 * files and print to out (and con). Returns 0 or -errno. */
int queue_init(struct queue *q, struct files *files, FILE *out, struct con_stream *con);

/* queue_start: starts the serving thread on q->bell and the split reads' helper (without
 * which large reads are read whole). Returns 0 or an errno (the serving thread's). */
int queue_start(struct queue *q);

/* queue_serve: answers what the guest published up to avail (vq_avail); call with the ring's lock and lock held
 * (the vCPU at an exit, which drained the ring). Returns 0, or -1 when the queue is corrupt (broken set, why says why). */
int queue_serve(struct queue *q, uint16_t avail);

/* queue_stop: ends the threads (if any); what they left is served by the caller. */
void queue_stop(struct queue *q);

/* queue_destroy: stops the thread and closes the eventfd. */
void queue_destroy(struct queue *q);

#endif
