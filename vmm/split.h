/* SPDX-License-Identifier: MIT */
/* vmm/split.h: large reads split in two, the second part read at the same time by a
 * helper thread on another CPU, so a big read from the page cache costs about half its
 * copy. One per I/O queue: whoever serves the queue (its thread, or the vCPU at an exit,
 * under the queue's lock) owns the split; the helper only ever reads the part it claimed.
 * A part the helper has not claimed when the owner is done with its own, the owner reads
 * itself, so a busy or absent helper costs a read a little, never its answer. */
#ifndef VMM_SPLIT_H
#define VMM_SPLIT_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

/* The smallest read that is split, in bytes. Waking the helper costs about 10 us on this
 * project's machine (kvm_pvm, 2 cores: the futex wake, and the helper preempting the
 * vCPU that spins for the answer on the other CPU), a 64 KiB read from the page cache
 * about 13 us: measured (docs/fastpaths.md), a split pays from 256 KiB. */
#define SPLIT_MIN (512u << 10)

/* How much more than half of a split read the owner reads itself: what it reads while
 * the helper gets going (about 50,000 TSC cycles on this project's machine, some 110 KiB
 * of copy), so the two parts end together, the helper's a little first, so the vCPU it
 * preempted is back on its CPU when the answer comes (measured: docs/fastpaths.md). */
#define SPLIT_LEAD (128u << 10)

/* The most host buffers a split read takes (do_rw's batch). */
#define SPLIT_IOV 64

struct split {
	pthread_t thread;    /* the helper: asleep on seq between parts */
	bool started;        /* thread runs and must be joined */
	atomic_bool quit;    /* asks the helper to end */
	atomic_uint seq;     /* bumped for each part posted: the helper's futex word */
	atomic_uint state;   /* SPLIT_* below: who holds the posted part */
	atomic_bool waiting; /* the owner sleeps on state for the helper's answer */
	/* The posted part: written by the owner before state becomes POSTED, read by the
	 * helper once it has claimed it; its answer written before state becomes DONE. */
	int fd;
	struct iovec iov[SPLIT_IOV];
	int n;
	int64_t off;
	ssize_t ret; /* (an error there, behind a whole first part, ends the read) */
	/* The owner's: the CPUs the helper may use, and the CPU it was last kept off. */
	cpu_set_t allowed;
	int cpu;
	bool alone; /* one CPU only: nothing is split */
	/* Statistics (the owner's): reads split, and of them, parts the helper read. */
	uint64_t reads;
	uint64_t helped;
};

/* split_init: a split with no helper yet (split_read then reads whole). */
void split_init(struct split *s);

/* split_start: starts the helper thread, one real-time priority above its caller's
 * when the caller runs real-time (so it may preempt a vCPU spinning for the answer).
 * Returns 0 or an errno. */
int split_start(struct split *s);

/* split_stop: ends and joins the helper (if any). */
void split_stop(struct split *s);

/* split_worth: whether a read of len bytes is split (a helper runs, len >= SPLIT_MIN). */
bool split_worth(const struct split *s, uint64_t len);

/* split_read: reads regular file fd into iov[0, n) (at most SPLIT_IOV, len bytes in all)
 * at off, or at and past the file's position when off is -1, as one preadv would: the
 * bytes read in order, short only at the end of the file (the helper's part counts only
 * when the owner's was read whole). Returns the bytes read, or -1 with errno. */
ssize_t split_read(struct split *s, int fd, const struct iovec *iov, int n, int64_t off);

#endif
