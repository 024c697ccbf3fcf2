/* SPDX-License-Identifier: MIT */
/* vmm/vcpu.h: a vCPU, its kvm_run area, its thread and the KVM_RUN loop. */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "mv_err.h"
#include "hc_dispatch.h"
#include "queue.h"
#include "traps.h"
#include "vm.h"

#define VCPU_EXIT_REASONS 64 /* KVM_EXIT_* values counted individually */

struct vcpu_stats {
	uint64_t exits;                        /* returns from KVM_RUN with an exit */
	uint64_t by_reason[VCPU_EXIT_REASONS]; /* per KVM_EXIT_* reason */
	uint64_t console_exits;                /* port 0xE9 output exits */
	uint64_t console_bytes;                /* bytes those exits printed */
	uint64_t hypercalls;                   /* exits that were hypercalls */
	uint64_t interrupted;                  /* KVM_RUN returns with EINTR (kicks) */
};

enum vcpu_outcome {
	VCPU_RUNNING,    /* not ended yet (internal to the loop) */
	VCPU_HALTED,     /* the guest executed HLT */
	VCPU_EXITED,     /* the guest called exit (or reported done): hc.exit_status */
	VCPU_GUEST_FAIL, /* the guest reported a failure; see why */
	VCPU_FAULT,      /* the guest crashed or made an exit we do not handle; see why */
	VCPU_STOPPED,    /* kicked out of KVM_RUN by vcpu_stop() (timeout, signal) */
	VCPU_ERROR,      /* KVM_RUN itself failed; see why */
	VCPU_OUTPUT,     /* writing the guest's output failed (console_error() says how) */
};

struct vcpu {
	int id;                    /* 0-based vCPU index */
	int fd;                    /* from KVM_CREATE_VCPU */
	struct kvm_run *run;       /* the shared kvm_run area, mmap'd from fd */
	size_t run_size;           /* its size (KVM_GET_VCPU_MMAP_SIZE) */
	pthread_t thread;          /* runs vcpu_loop (while started) */
	struct con_stream *con;    /* its console stream with several vCPUs, else NULL */
	bool started;              /* the loop runs in thread (under kick_lock) */
	pthread_mutex_t kick_lock; /* orders kicks (from the watchdog and ring threads) with
				    * the loop's start and end */
	atomic_bool stop;          /* asks the loop to return at its next check */
	enum vcpu_outcome outcome; /* why the loop ended */
	struct mv_err why;         /* a one-line explanation for FAULT, GUEST_FAIL, ERROR */
	struct gmem *mem;          /* its VM's memory, for hypercalls */
	bool sync_sregs;           /* KVM_CAP_SYNC_REGS: sregs arrive in kvm_run at each exit */
	bool sync_regs;            /* ... and the general registers */
	struct kvm_regs regs;      /* read with KVM_GET_REGS when they do not */
	struct hc_ctx hc;          /* hypercall state: the guest's view, console, statistics */
	uint64_t trap_rip;         /* where the VMM's stubs report exceptions (ring 0, port
				    * HC_PORT_TRAP); a report from anywhere else is refused */
	bool trapped;              /* the guest's exception reached the VMM: see trap */
	struct trap trap;          /* its vector, error code and faulting context */
	struct files files;        /* this guest's fd table (hc.files points here) */
	struct ring ring;          /* the console ring with --ring (hc.ring points here) */
	struct queue queue;        /* the I/O queue with --queue (hc.queue points here) */
	struct vcpu_stats stats;   /* counted by the loop, read after it ends */
};

/* vcpu_create: creates vCPU id of the run (its name, prefix and vcpu_id) as vCPU kvm_id
 * of vm, and maps its kvm_run area. Safe to call from several threads at once (each with
 * its own v). Returns 0, or -1 with the reason in e and nothing left open or mapped. */
int vcpu_create(struct vcpu *v, struct vm *vm, int id, unsigned kvm_id, struct mv_err *e);

/* vcpu_run: runs the loop in the calling thread (vcpu-N, or the main thread for a lone
 * vCPU) until it ends;
 * then *done is incremented and SIGUSR2 sent to the thread `waiter`. Meanwhile vcpu_stop
 * kicks that thread. Signals the caller blocks stay blocked, SIGUSR1 aside. */
void vcpu_run(struct vcpu *v, pthread_t waiter, atomic_uint *done);

/* vcpu_stop: asks the loop to end and kicks the vCPU out of KVM_RUN (and out of a
 * blocking system call). Safe to repeat, from any thread, even after vcpu_destroy. */
void vcpu_stop(struct vcpu *v);

/* vcpu_ring_init: offers the console ring: an eventfd that KVM_IOEVENTFD signals when
 * this vCPU writes its id to HC_PORT_DOORBELL, and the thread that drains the ring.
 * Call after setting hc.out (and con). Returns 0 or -errno. */
int vcpu_ring_init(struct vcpu *v, int vm_fd);

/* vcpu_queue_init: offers the I/O queue: an eventfd that KVM_IOEVENTFD signals when
 * this vCPU writes its id to HC_PORT_QUEUE, and the thread that serves the queue. Call
 * after vcpu_ring_init (the queue takes the ring's lock first) and after setting hc.out,
 * con and hc.files. Returns 0 or -errno. */
int vcpu_queue_init(struct vcpu *v, int vm_fd);

/* vcpu_destroy: unmaps kvm_run and closes the descriptors; safe to repeat, and to call
 * while other threads call vcpu_stop. */
void vcpu_destroy(struct vcpu *v);

/* vcpu_exit_name: "HLT", "IO", "SHUTDOWN"... for a KVM_EXIT_* reason. */
const char *vcpu_exit_name(uint32_t reason);

/* vcpu_signals_init: installs the (empty) SIGUSR1 handler that kicks a vCPU out of
 * KVM_RUN. Call once before vcpu_run. */
void vcpu_signals_init(void);

#endif
