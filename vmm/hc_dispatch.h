/* SPDX-License-Identifier: MIT */
/* vmm/hc_dispatch.h: the hypercall dispatcher and its handlers: a request number and the
 * guest-virtual address of its struct in, the struct's OUT fields written back. Handlers
 * (hc_*.c) see a copy of the request and the guest only through struct gview; they
 * return an action, never exit. Pure: unit-tested over a plain buffer and fuzzed. (The
 * guest/host ABI itself is include/minivirt/hc.h.) */
#ifndef VMM_HC_DISPATCH_H
#define VMM_HC_DISPATCH_H

#include <stdint.h>
#include <stdio.h>

#include <minivirt/hc.h>

#include "mv_err.h"
#include "files.h"
#include "gva.h"
#include "ring.h"
#include "split.h"

struct queue;

enum hc_action {
	HC_CONTINUE,   /* write the OUT fields back and resume the guest */
	HC_STOP_EXIT,  /* the guest asked to end, with ctx->exit_status */
	HC_STOP_FAIL,  /* the guest reported a failure, explained in ctx->why */
	HC_STOP_FAULT, /* the request itself is unusable (not mapped...), see ctx->why */
};

struct hc_stats {
	uint64_t calls[HC_NR_MAX]; /* per hypercall number */
	uint64_t errors;           /* calls that returned an error code */
	uint64_t display_bytes;    /* bytes printed by display() */
	uint64_t read_bytes;       /* bytes read() moved into the guest */
	uint64_t write_bytes;      /* bytes write() moved out of the guest */
};

struct hc_ctx {
	struct gview view;     /* the guest's memory as it sees it right now */
	FILE *out;             /* the guest's console */
	struct files *files;   /* the guest's fd table and shared folder */
	struct ring *ring;     /* the console ring offered to this vCPU (--ring), or NULL */
	struct queue *queue;   /* the I/O queue offered to this vCPU (--queue), or NULL */
	struct split *split;   /* splits large reads in two (the queue's), or NULL */
	uint64_t exits;        /* this vCPU's exits so far, the current one included */
	uint32_t vcpu_id;      /* the calling vCPU's number */
	uint64_t sys_start;    /* guest-physical [sys_start, sys_end): the VMM's regions */
	uint64_t sys_end;      /* (tables to exception stacks), for gva_set_cpl */
	int exit_status;       /* set when a handler returns HC_STOP_EXIT */
	struct mv_err why;     /* set when a handler returns HC_STOP_FAIL or _FAULT */
	struct hc_stats stats; /* accumulated over the guest's life */
};

/* hc_dispatch: performs hypercall nr with its request at guest-virtual req. */
enum hc_action hc_dispatch(struct hc_ctx *c, uint32_t nr, uint64_t req);

/* hc_err: host errno e as an ABI result: -e where the ABI defines e (HC_E*), else -HC_EIO. */
int64_t hc_err(int e);

/* hc_name: "print_val", "display"... or NULL for a number that is not a hypercall. */
const char *hc_name(uint32_t nr);

/* Handlers, one per hypercall: req points to a host copy of the request. */
enum hc_action hc_print_val(struct hc_ctx *c, void *req);
enum hc_action hc_get_num_exits(struct hc_ctx *c, void *req);
enum hc_action hc_display(struct hc_ctx *c, void *req);
enum hc_action hc_exit(struct hc_ctx *c, void *req);
enum hc_action hc_vcpu_id(struct hc_ctx *c, void *req);
enum hc_action hc_ring_setup(struct hc_ctx *c, void *req);
enum hc_action hc_queue_setup(struct hc_ctx *c, void *req);
enum hc_action hc_queue_wait(struct hc_ctx *c, void *req);
enum hc_action hc_report(struct hc_ctx *c, void *req);
enum hc_action hc_open(struct hc_ctx *c, void *req);
enum hc_action hc_close(struct hc_ctx *c, void *req);
enum hc_action hc_read(struct hc_ctx *c, void *req);
enum hc_action hc_write(struct hc_ctx *c, void *req);
enum hc_action hc_lseek(struct hc_ctx *c, void *req);
enum hc_action hc_fstat(struct hc_ctx *c, void *req);
enum hc_action hc_unlink(struct hc_ctx *c, void *req);
enum hc_action hc_mkdir(struct hc_ctx *c, void *req);
enum hc_action hc_readdir(struct hc_ctx *c, void *req);

#endif
