/* SPDX-License-Identifier: MIT */
/* tests/guests/queuetest.c: the I/O queue (kvm-hello-world --queue) driven by hand, as
 * the ABI describes it, for tests/vmm/queue.sh: argv[1] picks a case. Good cases print
 * what the VMM answered; hostile ones damage the queue one way each (the VMM must stop
 * the guest, so reaching the end is a failure of its own), or hand it an address the
 * caller may not use (argv[2], e.g. its own page tables: a bad buffer is -HC_EFAULT in
 * the status, a bad header or area stops the guest). */
#include <minivirt/guest.h>

#define QS 32 /* descriptors: more than HC_VQ_CHAIN_MAX, for a long chain */

static struct hc_vq_desc desc[QS] __attribute__((aligned(16)));
static struct {
	uint16_t flags, idx, ring[QS], event;
} avail __attribute__((aligned(4)));
static struct {
	uint16_t flags, idx;
	struct hc_vq_used_elem ring[QS];
	uint16_t event;
} used __attribute__((aligned(4)));
static struct hc_vq_req hdr[QS];
static struct hc_vq_status status[QS];
static char buf[3][128];

#define PTR(p) ((hc_gptr_t)(uintptr_t)(p))

static int setup(uint32_t size, hc_gptr_t d, hc_gptr_t a, hc_gptr_t u)
{
	struct hc_queue_setup r = { .desc = d, .avail = a, .used = u, .size = size };

	hypercall(HC_NR_QUEUE_SETUP, &r);
	return r.ret;
}

static int setup_ours(void)
{
	return setup(QS, PTR(desc), PTR(&avail), PTR(&used));
}

/* Publishes the chain at head and rings unless the VMM polls. */
static void publish(uint16_t head)
{
	avail.ring[avail.idx % QS] = head;
	__atomic_store_n(&avail.idx, (uint16_t)(avail.idx + 1), __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&used.flags, __ATOMIC_RELAXED) & HC_VQ_USED_F_NO_NOTIFY))
		outl(HC_PORT_QUEUE, boot_info()->vcpu_id);
}

/* Waits until the VMM has answered every chain published: a short spin, then the
 * queue_wait hypercall (whose exit serves the queue). */
static void wait_all(void)
{
	struct hc_queue_wait w = { 0 };

	for (int i = 0; i < 20000; i++) {
		if (__atomic_load_n(&used.idx, __ATOMIC_ACQUIRE) == avail.idx)
			return;
		__asm__ volatile("pause");
	}
	hypercall(HC_NR_QUEUE_WAIT, &w);
}

static void set(unsigned i, hc_gptr_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	desc[i] = (struct hc_vq_desc){ .addr = addr, .len = len, .flags = flags, .next = next };
}

/* Chain slot*3 .. slot*3+2 (slots 0 and 1): header, one buffer, status. */
static uint16_t chain(unsigned slot, uint32_t op, int fd, int64_t off, hc_gptr_t data, uint32_t len)
{
	const unsigned d = slot * 3;

	hdr[slot] = (struct hc_vq_req){ .op = op, .fd = fd, .offset = off };
	status[slot].ret = 1234567;
	set(d, PTR(&hdr[slot]), sizeof(hdr[slot]), HC_VQ_DESC_F_NEXT, (uint16_t)(d + 1));
	set(d + 1, data, len,
	    (uint16_t)(HC_VQ_DESC_F_NEXT | (op == HC_VQ_READ ? HC_VQ_DESC_F_WRITE : 0)),
	    (uint16_t)(d + 2));
	set(d + 2, PTR(&status[slot]), sizeof(status[slot]), HC_VQ_DESC_F_WRITE, 0);
	return (uint16_t)d;
}

static unsigned long long exits(void)
{
	return (unsigned long long)get_num_exits();
}

/* write TEXT...: each argument written to fd 1 through the queue, two at a time. */
static int case_write(int argc, char **argv)
{
	unsigned long long before = exits();

	for (int i = 2; i < argc; i += 2) {
		for (int s = 0; s < 2 && i + s < argc; s++)
			publish(chain((unsigned)s, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT,
				      PTR(argv[i + s]), (uint32_t)strlen(argv[i + s])));
		wait_all();
		for (int s = 0; s < 2 && i + s < argc; s++)
			write(1, "|", 1);
	}
	write(1, "\n", 1);
	printf("used.idx %u; status %ld; %llu exit(s) beyond the count itself\n", used.idx,
	       (long)status[0].ret, exits() - before - 1);
	return 0;
}

/* read FILE: FILE read with pread at offsets 0 and 5, the second into two buffers (one
 * chain of four descriptors), then a read of fd 99. */
static int case_read(char **argv)
{
	int fd = open(argv[2], O_RDONLY, 0);

	if (fd < 0)
		return printf("open: %d\n", fd), 1;
	publish(chain(0, HC_VQ_READ, fd, 0, PTR(buf[0]), 5));
	/* header 3, buffers 4 and 6, status 5: in any order in the table */
	hdr[1] = (struct hc_vq_req){ .op = HC_VQ_READ, .fd = fd, .offset = 5 };
	set(3, PTR(&hdr[1]), sizeof(hdr[1]), HC_VQ_DESC_F_NEXT, 4);
	set(4, PTR(buf[1]), 3, HC_VQ_DESC_F_NEXT | HC_VQ_DESC_F_WRITE, 6);
	set(6, PTR(buf[2]), 100, HC_VQ_DESC_F_NEXT | HC_VQ_DESC_F_WRITE, 5);
	set(5, PTR(&status[1]), sizeof(status[1]), HC_VQ_DESC_F_WRITE, 0);
	publish(3);
	wait_all();
	printf("read %ld [%s]; readv %ld [%s|%s]; used len %u, %u\n", (long)status[0].ret, buf[0],
	       (long)status[1].ret, buf[1], buf[2], used.ring[0].len, used.ring[1].len);
	publish(chain(0, HC_VQ_READ, 99, HC_OFFSET_CURRENT, PTR(buf[0]), 5));
	wait_all();
	printf("read fd 99: %ld\n", (long)status[0].ret);
	return 0;
}

/* efault ADDR: a read into ADDR and a write from it: -HC_EFAULT each, the guest goes on. */
static int case_efault(char **argv)
{
	const hc_gptr_t a = (hc_gptr_t)strtol(argv[2], 0, 0);

	publish(chain(0, HC_VQ_READ, 0, HC_OFFSET_CURRENT, a, 16));
	publish(chain(1, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, a, 16));
	wait_all();
	printf("read into 0x%lx: %ld; write from it: %ld\n", (unsigned long)a, (long)status[0].ret,
	       (long)status[1].ret);
	return 0;
}

/* setup cases: the hypercall's answers to bad proposals. */
static int case_setup(char **argv)
{
	const hc_gptr_t a = argv[2] ? (hc_gptr_t)strtol(argv[2], 0, 0) : 0;

	/* one call per statement: argument order is unspecified, and one may succeed */
	printf("size 3: %d; ", setup(3, PTR(desc), PTR(&avail), PTR(&used)));
	printf("size 512: %d; ", setup(512, PTR(desc), PTR(&avail), PTR(&used)));
	printf("desc misaligned: %d; ", setup(QS, PTR(desc) + 8, PTR(&avail), PTR(&used)));
	printf("used at 0x%lx: %d; ", (unsigned long)a, setup(QS, PTR(desc), PTR(&avail), a));
	printf("desc at it: %d\n", setup(QS, a, PTR(&avail), PTR(&used)));
	printf("setup: %d; ", setup_ours());
	printf("again: %d\n", setup_ours());
	return 0;
}

/* Hostile queues: each damages one thing; the VMM must stop the guest. */
static void damage(const char *how, hc_gptr_t a)
{
	uint16_t head = chain(0, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, PTR("x"), 1);

	if (!strcmp(how, "idx")) {
		avail.idx = QS + 1;
		outl(HC_PORT_QUEUE, boot_info()->vcpu_id);
		wait_all();
		return;
	}
	if (!strcmp(how, "head"))
		head = QS;
	else if (!strcmp(how, "next"))
		desc[1].next = QS;
	else if (!strcmp(how, "loop"))
		desc[2] = (struct hc_vq_desc){ PTR(&status[0]), 8,
					       HC_VQ_DESC_F_WRITE | HC_VQ_DESC_F_NEXT, 1 };
	else if (!strcmp(how, "long"))
		for (unsigned i = 0; i <= HC_VQ_CHAIN_MAX; i++) /* 17 descriptors, no loop */
			set(i, PTR(buf[0]), 1, i < HC_VQ_CHAIN_MAX ? HC_VQ_DESC_F_NEXT : 0,
			    (uint16_t)(i + 1));
	else if (!strcmp(how, "indirect"))
		desc[1].flags |= HC_VQ_DESC_F_INDIRECT;
	else if (!strcmp(how, "hdrsize"))
		desc[0].len = 8;
	else if (!strcmp(how, "status"))
		desc[2].flags = 0;
	else if (!strcmp(how, "op"))
		hdr[0].op = 7;
	else if (!strcmp(how, "dir"))
		desc[1].flags |= HC_VQ_DESC_F_WRITE;
	else if (!strcmp(how, "hdraddr"))
		desc[0].addr = a;
	else if (!strcmp(how, "one"))
		desc[0].flags = 0;
	publish(head);
	wait_all();
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	if (boot_info()->vcpus > 1 &&
	    vcpu_id()) /* --smp: the queue below is vCPU 0's (the others share the memory) */
		return 0;

	if (!strcmp(c, "setup"))
		return case_setup(argv);
	if (!strcmp(c, "noqueue"))
		return printf("setup: %d\n", setup_ours()), 0;
	if (setup_ours())
		return printf("queue_setup failed\n"), 1;
	if (!strcmp(c, "write"))
		return case_write(argc, argv);
	if (!strcmp(c, "read") && argc > 2)
		return case_read(argv);
	if (!strcmp(c, "efault") && argc > 2)
		return case_efault(argv);
	if (!strcmp(c, "bad") && argc > 2) {
		damage(argv[2], argc > 3 ? (hc_gptr_t)strtol(argv[3], 0, 0) : 0);
		report_fail(__FILE__, __LINE__, "the VMM answered a corrupt queue");
	}
	printf("usage: queuetest setup [ADDR]|noqueue|write TEXT...|read FILE|efault ADDR|"
	       "bad HOW [ADDR]\n");
	return 2;
}
