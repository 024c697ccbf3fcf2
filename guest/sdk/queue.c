/* SPDX-License-Identifier: MIT */
/* guest/sdk/queue.c: the I/O queue (kvm-hello-world --queue): reads and writes become
 * descriptor chains in a virtqueue in the guest's own memory, which a VMM thread serves;
 * the guest rings a KVM_IOEVENTFD doorbell only when that thread sleeps, and waits for
 * the answers by polling the used ring, then, if they are slow to come, with one
 * queue_wait exit. Used only when the VMM offers it (boot info); one queue per vCPU. */
#include <minivirt/guest.h>

#include "sdk.h"

#if MV_GUEST_BITS == 16
#define QSIZE 16 /* descriptors; real mode keeps its data below 0xa000 */
#define NQUEUES 1
#else
#define QSIZE 64
#define NQUEUES 8 /* vCPUs sharing memory (--smp) that get one; the others make exits */
#endif

/* How long to poll the used ring before the queue_wait exit, in polls (a look at the used
 * ring and a pause each, about 65 TSC cycles on this project's machine; counted, not
 * timed, so time this vCPU spends preempted does not count). Measured with
 * tests/guests/queuelat (make bench prints it; docs/fastpaths.md): while the VMM's
 * thread is awake (it sets HC_VQ_USED_F_NO_NOTIFY) a 4 KiB read is answered in 5,000
 * cycles at the median, 8,000-18,000 at the 99th percentile and at worst (a passing
 * interrupt) 70,000-100,000 in 2000: SPIN_AWAKE polls cover that worst, so a quiet host
 * makes no exit, and one more poll per SPIN_BYTES bytes in flight covers the copy (0.3
 * cycles a byte at the 99th percentile, a poll per 128 bytes 0.5). Asleep, the thread
 * needs the doorbell's wake-up first (15,000-17,000 cycles at the median, 25,000-32,000
 * at the 90th percentile): SPIN_ASLEEP polls, about what the exit itself costs (50,000-
 * 60,000), as a ski-rental rule has it. Past these, the thread is most likely off its
 * CPU, and the exit, which serves the queue, is the faster way on. */
#define SPIN_AWAKE 1500u
#define SPIN_BYTES 128u
#define SPIN_ASLEEP 800u
/* When polling twice in a row did not bring the answer (the exit did), the VMM's thread
 * and this vCPU are seldom on a CPU together (a loaded host; one failure alone is more
 * often a passing interrupt): the next batches skip the doorbell and the polling and go
 * straight to the queue_wait exit, which serves them, one batch, then two after another
 * failure, and so on up to BACKOFF_MAX; an answer found by polling ends the backoff. So
 * on a loaded host a request costs about one exit, as without the queue, rather than a
 * doorbell, a spin and an exit (measured in docs/fastpaths.md). */
#define BACKOFF_MAX 64u

struct queue {
	struct hc_vq_desc desc[QSIZE] __attribute__((aligned(16))); /* each queue_setup needs */
	struct {
		uint16_t flags, idx, ring[QSIZE], event;
	} avail __attribute__((aligned(4)));
	/* One cache line: the first chain's header and status, then the used ring's flags
	 * and index. A lone request (a read loop's) is answered in that line, so the guest
	 * finds the status in the line it polls (one move of a line between the CPUs, not
	 * two), and the VMM translates header and status with one page walk. */
	struct {
		struct hc_vq_req hdr;
		struct hc_vq_status status;
		struct {
			uint16_t flags, idx;
			struct hc_vq_used_elem ring[QSIZE];
			uint16_t event;
		} used;
	} line __attribute__((aligned(64)));
	struct hc_vq_req hdr[QSIZE]; /* the other chains' (index 0 unused) */
	struct hc_vq_status status[QSIZE];
	uint32_t bell;    /* the doorbell's value: this vCPU's id */
	int tried, on;    /* queue_setup made; it succeeded */
	unsigned fails;   /* waits in a row that polling did not answer */
	unsigned backoff; /* batches answered by the exit after the last failed poll */
	unsigned direct;  /* of those, still to come */
};

static struct queue queues[NQUEUES] __attribute__((aligned(16)));
static uintptr_t tops[NQUEUES]; /* --smp: where each vCPU's stack began */

#define PTR(p) ((hc_gptr_t)(uintptr_t)(p))

/* Chain k's header and status in a batch. */
static struct hc_vq_req *hdr_of(struct queue *q, unsigned k)
{
	return k ? &q->hdr[k] : &q->line.hdr;
}

static struct hc_vq_status *status_of(struct queue *q, unsigned k)
{
	return k ? &q->status[k] : &q->line.status;
}

void sdk_queue_start(const struct hc_boot_info *bi)
{
	if (bi->vcpus > 1 && bi->vcpu_id < NQUEUES)
		tops[bi->vcpu_id] = (uintptr_t)__builtin_frame_address(0);
}

/* This vCPU's number among those sharing the memory (--smp), from its stack: the boot
 * info in memory is one for all of them, and a hypercall to ask would be an exit. The
 * stacks do not overlap: the nearest start above the stack pointer is ours. -1 for a
 * vCPU past NQUEUES. */
static int my_id(void)
{
	const uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t best = UINTPTR_MAX;
	int id = -1;

	for (int j = 0; j < NQUEUES; j++)
		if (tops[j] && tops[j] > sp && tops[j] < best) {
			best = tops[j];
			id = j;
		}
	return id;
}

/* This vCPU's queue, set up at its first use (so a guest that does no I/O makes no
 * queue_setup exit, and one that sets up a queue of its own first keeps it), or NULL. */
static struct queue *mine(void)
{
	const struct hc_boot_info *bi = mv_boot_info();
	const int id = bi->vcpus > 1 ? my_id() : 0;
	struct queue *q;

	if (!sdk_offers(bi) || !bi->queue || id < 0)
		return 0;
	q = &queues[id];
	if (!q->tried) {
		struct hc_queue_setup r = { .desc = PTR(q->desc),
					    .avail = PTR(&q->avail),
					    .used = PTR(&q->line.used),
					    .size = QSIZE };

		q->tried = 1;
		mv_hypercall(HC_NR_QUEUE_SETUP, &r);
		q->on = r.ret == 0;
		q->bell = bi->vcpus > 1 ? (uint32_t)id : bi->vcpu_id;
	}
	return q->on ? q : 0;
}

int sdk_queue_active(void)
{
	return mine() != 0;
}

/* The queue_wait exit: it serves what is published. */
static void exit_wait(void)
{
	struct hc_queue_wait w = { 0 };

	mv_hypercall(HC_NR_QUEUE_WAIT, &w);
}

/* Waits until the VMM has answered every chain published, bytes long in all: by polling,
 * else by the exit. Returns 1 when polling found the answers, 0 when the exit was made. */
static int wait_all(struct queue *q, uint64_t bytes)
{
	const uint64_t awake_spins = SPIN_AWAKE + bytes / SPIN_BYTES;

	for (unsigned spins = 0;
	     __atomic_load_n(&q->line.used.idx, __ATOMIC_ACQUIRE) != q->avail.idx; spins++) {
		const int awake = __atomic_load_n(&q->line.used.flags, __ATOMIC_RELAXED) &
				  HC_VQ_USED_F_NO_NOTIFY;

		if (spins > (awake ? awake_spins : SPIN_ASLEEP)) {
			exit_wait();
			return 0;
		}
		__asm__ volatile("pause");
	}
	return 1;
}

/* Publishes the avail ring's heads up to idx and, unless an exit will fetch the answers
 * (direct), rings if the VMM's thread sleeps. */
static void publish(struct queue *q, uint16_t idx, int direct)
{
	__atomic_store_n(&q->avail.idx, idx, __ATOMIC_RELEASE);
	/* The store above before the load of used.flags: the VMM clears the flag, then looks
	 * at avail.idx once more; one of the two sides sees the other. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!direct &&
	    !(__atomic_load_n(&q->line.used.flags, __ATOMIC_RELAXED) & HC_VQ_USED_F_NO_NOTIFY))
		mv_outl(HC_PORT_QUEUE, q->bell);
}

/* Publishes the chains up to idx and has them answered: by polling, or by the exit while
 * backing off (BACKOFF_MAX). */
static void answer(struct queue *q, uint16_t idx, uint64_t bytes)
{
	if (q->direct) {
		q->direct--;
		publish(q, idx, 1);
		exit_wait();
		return;
	}
	publish(q, idx, 0);
	if (wait_all(q, bytes))
		q->fails = q->backoff = 0;
	else if (++q->fails >= 2)
		q->direct = q->backoff =
			q->backoff ? (q->backoff < BACKOFF_MAX ? 2 * q->backoff : BACKOFF_MAX) : 1;
}

/* Stores only what changed: a descriptor or header the VMM's thread has read stays in its
 * cache (a store would move the line back to this CPU, and the thread's next read
 * would move it again, some hundreds of cycles each); a read loop's chains are all
 * alike. */
static void set(struct queue *q, unsigned i, hc_gptr_t addr, uint32_t len, uint16_t flags)
{
	const struct hc_vq_desc d = {
		.addr = addr, .len = len, .flags = flags, .next = (uint16_t)((i + 1) % QSIZE)
	};
	struct hc_vq_desc *to = &q->desc[i];

	if (to->addr != d.addr || to->len != d.len || to->flags != d.flags || to->next != d.next)
		*to = d;
}

static void set_hdr(struct queue *q, unsigned k, uint32_t op, int32_t fd, int64_t offset)
{
	struct hc_vq_req *to = hdr_of(q, k);

	if (to->op != op || to->fd != fd || to->offset != offset)
		*to = (struct hc_vq_req){ .op = op, .fd = fd, .offset = offset };
}

/* The part of io the queue takes in one chain: at most 4 GiB - 1. */
static uint32_t chain_len(const struct mv_io *io)
{
	return io->len > 0xffffffffu ? 0xffffffffu : (uint32_t)io->len;
}

/* Runs ios[0, n) through q, QSIZE / 3 chains at a time: all in flight together. */
static void run_queued(struct queue *q, struct mv_io *ios, int n)
{
	for (int done = 0; done < n;) {
		const int batch = n - done < QSIZE / 3 ? n - done : QSIZE / 3;
		uint16_t idx = q->avail.idx;
		uint64_t bytes = 0;

		for (int k = 0; k < batch; k++) {
			const struct mv_io *io = &ios[done + k];
			const unsigned d = 3 * (unsigned)k;
			const uint16_t w = io->op == MV_IO_READ ? HC_VQ_DESC_F_WRITE : 0;

			set_hdr(q, (unsigned)k, io->op == MV_IO_READ ? HC_VQ_READ : HC_VQ_WRITE,
				io->fd, io->offset);
			set(q, d, PTR(hdr_of(q, (unsigned)k)), sizeof(struct hc_vq_req),
			    HC_VQ_DESC_F_NEXT);
			set(q, d + 1, PTR(io->buf), chain_len(io), HC_VQ_DESC_F_NEXT | w);
			set(q, d + 2, PTR(status_of(q, (unsigned)k)), sizeof(struct hc_vq_status),
			    HC_VQ_DESC_F_WRITE);
			/* As set() does: the slot keeps the head it held a lap ago, most often
			 * (a read loop's are all 0), and the VMM's copy of its line stays good. */
			if (q->avail.ring[idx % QSIZE] != d)
				q->avail.ring[idx % QSIZE] = (uint16_t)d;
			idx++;
			bytes += io->len;
		}
		answer(q, idx, bytes);
		for (int k = 0; k < batch; k++)
			ios[done + k].ret = (long)status_of(q, (unsigned)k)->ret;
		done += batch;
	}
}

/* One request through the hypercall. */
static long run_exit(const struct mv_io *io)
{
	struct hc_rw r = {
		.fd = io->fd, .buf = PTR(io->buf), .len = io->len, .offset = io->offset
	};

	mv_hypercall(io->op == MV_IO_READ ? HC_NR_READ : HC_NR_WRITE, &r);
	return (long)r.ret;
}

/* Whether io may go through the queue: what fits one chain, and never a read of the
 * console (it may block for good; as an exit, --timeout and signals interrupt it). */
static int queueable(const struct mv_io *io)
{
	return io->len <= 0xffffffffu && !(io->op == MV_IO_READ && io->fd == 0);
}

int mv_io_submit(struct mv_io *ios, int n)
{
	struct queue *q = mine();
	int i = 0;

	while (i < n) {
		int run = 0;

		while (q && i + run < n && queueable(&ios[i + run]))
			run++;
		if (run) {
			run_queued(q, ios + i, run);
			i += run;
		} else {
			ios[i].ret = run_exit(&ios[i]);
			i++;
		}
	}
	return n;
}

long sdk_queue_rw(unsigned op, int fd, const void *buf, size_t len, int64_t offset)
{
	struct mv_io io = { .fd = fd, .op = op, .buf = (void *)buf, .len = len, .offset = offset };

	mv_io_submit(&io, 1);
	return io.ret;
}
