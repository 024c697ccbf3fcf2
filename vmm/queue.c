/* SPDX-License-Identifier: MIT */
/* vmm/queue.c: the I/O queue's thread: asleep on the doorbell's eventfd while the queue
 * is idle, polling (HC_VQ_USED_F_NO_NOTIFY set, so the guest need not ring) while chains
 * keep coming, QUEUE_POLL_SPINS polls after the last one. */
#include "queue.h"

#include <string.h>

int queue_serve(struct queue *q, uint16_t avail)
{
	int n;

	if (!q->active || atomic_load(&q->broken))
		return atomic_load(&q->broken) ? -1 : 0;
	n = vq_serve(&q->vq, avail, &q->ctx, &q->why);
	if (n < 0)
		atomic_store(&q->broken, true);
	if (n > 0 && q->con)
		con_stream_flush(q->con, false);
	return n < 0 ? -1 : n;
}

static void lock(struct queue *q)
{
	if (q->ring)
		pthread_mutex_lock(&q->ring->lock);
	pthread_mutex_lock(&q->lock);
}

static void unlock(struct queue *q)
{
	pthread_mutex_unlock(&q->lock);
	if (q->ring)
		pthread_mutex_unlock(&q->ring->lock);
}

/* Serves under the locks. Returns the chains answered, -1 when the queue was refused (the
 * guest is stopped then), or -2 when there is no queue yet. */
static int serve_locked(struct queue *q)
{
	int n = -2;

	lock(q);
	if (q->active) {
		/* What the guest put in the ring before the chains published so far prints
		 * before them: avail.idx first, then the ring (a broken ring is the ring
		 * thread's to report), then the chains. */
		const uint16_t avail = vq_avail(&q->vq);

		if (q->ring && q->ring->active)
			ring_drain(q->ring);
		n = queue_serve(q, avail);
	}
	unlock(q);
	if (n == -1 && q->on_broken)
		q->on_broken(q->arg);
	return n;
}

/* After a doorbell: serves and polls until the queue stays idle QUEUE_POLL_SPINS, then
 * clears NO_NOTIFY and looks once more (a chain published before the guest could see
 * the flag cleared would otherwise wait for a doorbell never rung). */
static void poll_queue(struct queue *q)
{
	unsigned idle = 0;

	lock(q);
	if (q->active) /* from now on the guest need not ring */
		vq_set_no_notify(&q->vq, true);
	unlock(q);
	while (!bell_quitting(&q->bell)) {
		int n = serve_locked(q);

		if (n < 0)
			return;
		if (n > 0) {
			idle = 0;
			continue;
		}
		/* Poll without the lock, so a thread preempted while polling never holds up
		 * the vCPU's exits; serve under it. */
		while (++idle < QUEUE_POLL_SPINS && !vq_pending(&q->vq) && !bell_quitting(&q->bell))
			__builtin_ia32_pause();
		if (idle < QUEUE_POLL_SPINS)
			continue;
		lock(q);
		vq_set_no_notify(&q->vq, false);
		n = vq_pending(&q->vq);
		if (n)
			vq_set_no_notify(&q->vq, true);
		else
			q->polls_out++;
		unlock(q);
		if (!n)
			return;
		idle = 0;
	}
}

static void *queue_thread(void *arg)
{
	struct queue *q = arg;

	pthread_setname_np(pthread_self(), "queue"); /* by itself: no /proc file to open */
	while (bell_wait(&q->bell)) {
		pthread_mutex_lock(&q->lock);
		q->wakeups++;
		pthread_mutex_unlock(&q->lock);
		poll_queue(q);
	}
	return NULL;
}

int queue_init(struct queue *q, struct files *files, FILE *out, struct con_stream *con)
{
	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
	q->ctx.files = files;
	q->ctx.out = out;
	q->con = con;
	split_init(&q->split);
	q->ctx.split = &q->split;
	return bell_init(&q->bell);
}

int queue_start(struct queue *q)
{
	/* Without its helper (no thread to be had), the queue reads large reads whole. */
	(void)split_start(&q->split);
	return bell_start(&q->bell, queue_thread, q);
}

void queue_stop(struct queue *q)
{
	bell_stop(&q->bell);
	split_stop(&q->split);
}

void queue_destroy(struct queue *q)
{
	bell_close(&q->bell);
	split_stop(&q->split);
}
