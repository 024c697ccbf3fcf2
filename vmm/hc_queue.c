/* SPDX-License-Identifier: MIT */
/* vmm/hc_queue.c: the I/O queue's hypercalls: queue_setup checks the guest's proposal and
 * hands it to the queue (its thread and eventfd exist from the start, with --queue);
 * queue_wait has nothing left to do, as the exit that carries it served the queue first.
 * The caller (the vCPU at an exit) holds the queue's lock. */
#include "hc_dispatch.h"
#include "queue.h"

enum hc_action hc_queue_setup(struct hc_ctx *c, void *req)
{
	struct hc_queue_setup *r = req;
	struct queue *q = c->queue;

	if (!q)
		r->ret = -HC_ENOSYS;
	else if (q->active)
		r->ret = -HC_EEXIST;
	else if (!(r->ret = vq_setup(&q->vq, &c->view, r))) {
		/* Requests act with the privilege of the code that set the queue up. */
		q->ctx.view = c->view;
		q->ctx.vcpu_id = c->vcpu_id;
		q->active = true;
	}
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}

enum hc_action hc_queue_wait(struct hc_ctx *c, void *req)
{
	struct hc_queue_wait *r = req;

	r->ret = c->queue && c->queue->active ? 0 : -HC_ENOSYS;
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}
