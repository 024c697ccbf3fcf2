/* SPDX-License-Identifier: MIT */
/* vmm/hc_dispatch.c: the hypercall table and dispatcher. */
#include "hc_dispatch.h"

#include <inttypes.h>
#include <pthread.h>
#include <string.h>

struct hc_entry {
	const char *name;
	uint32_t size; /* of the request struct */
	enum hc_action (*fn)(struct hc_ctx *c, void *req);
};

static const struct hc_entry table[HC_NR_MAX] = {
	[HC_NR_PRINT_VAL] = { "print_val", sizeof(struct hc_print_val), hc_print_val },
	[HC_NR_GET_NUM_EXITS] = { "get_num_exits", sizeof(struct hc_get_num_exits),
				  hc_get_num_exits },
	[HC_NR_DISPLAY] = { "display", sizeof(struct hc_display), hc_display },
	[HC_NR_EXIT] = { "exit", sizeof(struct hc_exit), hc_exit },
	[HC_NR_REPORT] = { "report", sizeof(struct hc_report), hc_report },
	[HC_NR_OPEN] = { "open", sizeof(struct hc_open), hc_open },
	[HC_NR_CLOSE] = { "close", sizeof(struct hc_close), hc_close },
	[HC_NR_READ] = { "read", sizeof(struct hc_rw), hc_read },
	[HC_NR_WRITE] = { "write", sizeof(struct hc_rw), hc_write },
	[HC_NR_LSEEK] = { "lseek", sizeof(struct hc_lseek), hc_lseek },
	[HC_NR_FSTAT] = { "fstat", sizeof(struct hc_fstat), hc_fstat },
	[HC_NR_UNLINK] = { "unlink", sizeof(struct hc_path), hc_unlink },
	[HC_NR_MKDIR] = { "mkdir", sizeof(struct hc_path), hc_mkdir },
	[HC_NR_READDIR] = { "readdir", sizeof(struct hc_readdir), hc_readdir },
	[HC_NR_VCPU_ID] = { "vcpu_id", sizeof(struct hc_vcpu_id), hc_vcpu_id },
	[HC_NR_RING_SETUP] = { "ring_setup", sizeof(struct hc_ring_setup), hc_ring_setup },
	[HC_NR_QUEUE_SETUP] = { "queue_setup", sizeof(struct hc_queue_setup), hc_queue_setup },
	[HC_NR_QUEUE_WAIT] = { "queue_wait", sizeof(struct hc_queue_wait), hc_queue_wait },
};

const char *hc_name(uint32_t nr)
{
	return nr < HC_NR_MAX ? table[nr].name : NULL;
}

/* Requests are small: a stack buffer holds any of them. */
#define HC_REQ_MAX 64

enum hc_action hc_dispatch(struct hc_ctx *c, uint32_t nr, uint64_t req)
{
	_Alignas(8) uint8_t buf[HC_REQ_MAX];
	const struct hc_entry *e = nr < HC_NR_MAX ? &table[nr] : NULL;
	enum hc_action a;

	if (!e || !e->fn) {
		mv_seterr(&c->why, 0, "unknown hypercall %" PRIu32 " (port 0x%" PRIx32 ")", nr,
			  HC_PORT_BASE + nr);
		return HC_STOP_FAULT;
	}
	c->stats.calls[nr]++;
	/* The request is copied once, with the caller's privilege; the handler works on the
	 * copy and its OUT fields go back in one write. Check that write too, before the
	 * handler acts: all or nothing. */
	if (gva_check(&c->view, req, e->size, true) || gva_read(&c->view, req, buf, e->size)) {
		mv_seterr(&c->why, 0,
			  "hypercall %s: request at guest-virtual 0x%" PRIx64 " (%" PRIu32
			  " bytes) is not mapped writable in guest memory%s",
			  e->name, req, e->size, c->view.user ? " for ring 3" : "");
		return HC_STOP_FAULT;
	}
	/* File calls share the fd table, which --smp vCPUs share: one at a time. */
	if (nr >= HC_NR_OPEN && nr <= HC_NR_READDIR && c->files) {
		pthread_mutex_lock(&c->files->lock);
		a = e->fn(c, buf);
		pthread_mutex_unlock(&c->files->lock);
	} else {
		a = e->fn(c, buf);
	}
	if (a == HC_CONTINUE)
		gva_write(&c->view, req, buf, e->size);
	return a;
}
