/* SPDX-License-Identifier: MIT */
/* tests/guests/queuelat.c: queuelat FILE [N]: for make bench (kvm-hello-world --queue), the
 * I/O queue's latencies in TSC cycles, measured by a guest over a queue of its own that
 * it drives by hand and waits on as long as it takes (never a queue_wait): what the
 * adaptive polling's thresholds (QUEUE_POLL_SPINS in vmm/queue.h, SPIN_* in
 * guest/sdk/queue.c) are set from. FILE (in --dir) must hold at least 64 KiB (1 MiB in
 * 64-bit guests). Each figure is the median, the 90th and 99th percentile and the largest of N samples. */
#include <minivirt/guest.h>

#include "vq_rings.h"

#define QS 4
#define NMAX 2000

VQ_RINGS(QS);
static struct hc_vq_req hdr;
static struct hc_vq_status status;
#if MV_GUEST_BITS == 64
#define BUF_MAX (1 << 20)
#else
#define BUF_MAX MV_GUEST_BUF_SIZE
#endif
static char buf[BUF_MAX] __attribute__((aligned(4096)));
static uint32_t sample[NMAX];
static int fd, n = 100;

#define PTR(p) ((hc_gptr_t)(uintptr_t)(p))

static int awake(void)
{
	return __atomic_load_n(&used.flags, __ATOMIC_ACQUIRE) & HC_VQ_USED_F_NO_NOTIFY;
}

/* Publishes a pread of len bytes at offset 0 into buf; rings when the VMM's thread
 * sleeps. */
static void publish(uint32_t len)
{
	hdr = (struct hc_vq_req){ .op = HC_VQ_READ, .fd = fd, .offset = 0 };
	desc[0] = (struct hc_vq_desc){ PTR(&hdr), sizeof(hdr), HC_VQ_DESC_F_NEXT, 1 };
	desc[1] = (struct hc_vq_desc){ PTR(buf), len, HC_VQ_DESC_F_NEXT | HC_VQ_DESC_F_WRITE, 2 };
	desc[2] = (struct hc_vq_desc){ PTR(&status), sizeof(status), HC_VQ_DESC_F_WRITE, 0 };
	avail.ring[avail.idx % QS] = 0;
	__atomic_store_n(&avail.idx, (uint16_t)(avail.idx + 1), __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!awake())
		mv_outl(HC_PORT_QUEUE, mv_boot_info()->vcpu_id);
}

static void wait_answer(void)
{
	while (__atomic_load_n(&used.idx, __ATOMIC_ACQUIRE) != avail.idx)
		__asm__ volatile("pause");
}

static void wait_asleep(void)
{
	while (awake())
		__asm__ volatile("pause");
}

/* Prints the median, the 90th and 99th percentile and the largest of sample[0, n). */
static void show(const char *what)
{
	for (int i = 1; i < n; i++) /* insertion sort: n is small */
		for (int j = i; j > 0 && sample[j - 1] > sample[j]; j--) {
			const uint32_t t = sample[j];

			sample[j] = sample[j - 1];
			sample[j - 1] = t;
		}
	mv_printf("%s: %lu %lu %lu %lu\n", what, (unsigned long)sample[n / 2],
		  (unsigned long)sample[n * 9 / 10], (unsigned long)sample[n * 99 / 100],
		  (unsigned long)sample[n - 1]);
}

static uint32_t since(uint64_t t)
{
	const uint64_t d = mv_rdtsc() - t;

	return d > 0xffffffffu ? 0xffffffffu : (uint32_t)d;
}

/* A guest's poll: a look at used.idx and a pause, 1000 of them per sample. */
static void polls(void)
{
	for (int i = 0; i < n; i++) {
		const uint64_t t = mv_rdtsc();

		for (int k = 0; k < 1000; k++) {
			if (__atomic_load_n(&used.idx, __ATOMIC_ACQUIRE) != avail.idx)
				break;
			__asm__ volatile("pause");
		}
		sample[i] = since(t) / 1000;
	}
	show("guest poll");
}

/* Requests back to back while the thread polls: the answer's round trip. */
static void busy(uint32_t len)
{
	char what[40];

	for (int i = -4; i < n; i++) { /* a few first, to wake the thread */
		const uint64_t t = mv_rdtsc();

		publish(len);
		wait_answer();
		if (i >= 0)
			sample[i] = since(t);
	}
	mv_snprintf(what, sizeof(what), "awake %lu", (unsigned long)len);
	show(what);
}

/* After an answer, how long the thread polls the idle queue before it sleeps (clears
 * NO_NOTIFY); then a request to the sleeping thread: the doorbell's `out` and the wait
 * from there to the answer. */
static void idle(void)
{
	static uint32_t out[NMAX], wake[NMAX];

	for (int i = 0; i < n; i++) {
		uint64_t t;

		publish(4096);
		wait_answer();
		t = mv_rdtsc();
		wait_asleep();
		sample[i] = since(t);
		t = mv_rdtsc();
		publish(4096);
		out[i] = since(t);
		t = mv_rdtsc();
		wait_answer();
		wake[i] = since(t);
		wait_asleep();
	}
	show("thread idle polls");
	mv_memcpy(sample, out, sizeof(out));
	show("doorbell out");
	mv_memcpy(sample, wake, sizeof(wake));
	show("asleep 4096");
}

/* The fallback: a queue_wait exit, with nothing left to serve. */
static void exits(void)
{
	struct hc_queue_wait w = { 0 };

	for (int i = 0; i < n; i++) {
		const uint64_t t = mv_rdtsc();

		mv_hypercall(HC_NR_QUEUE_WAIT, &w);
		sample[i] = since(t);
	}
	show("queue_wait exit");
}

int main(int argc, char **argv)
{
	struct hc_queue_setup r = {
		.desc = PTR(desc), .avail = PTR(&avail), .used = PTR(&used), .size = QS
	};

	if (argc < 2) {
		mv_printf("usage: queuelat FILE [N 1..%d]\n", NMAX);
		return 2;
	}
	if (argc > 2)
		n = (int)mv_strtol(argv[2], 0, 0);
	if (n < 1 || n > NMAX)
		return mv_printf("queuelat: N must be 1..%d\n", NMAX), 2;
	if ((fd = mv_open(argv[1], HC_O_RDONLY, 0)) < 0)
		return mv_printf("queuelat: %s: %s\n", argv[1], mv_strerror(-fd)), 1;
	mv_hypercall(HC_NR_QUEUE_SETUP, &r); /* before any output: mv_printf would set one up */
	if (r.ret)
		return mv_printf("queuelat: queue_setup: %d (run with --queue)\n", r.ret), 1;
	polls();
	busy(4096);
	busy(65536 < BUF_MAX ? 65536 : BUF_MAX);
	if (BUF_MAX > 65536)
		busy(BUF_MAX);
	idle();
	exits();
	mv_printf("status %ld\n", (long)status.ret);
	return 0;
}
