/* SPDX-License-Identifier: MIT */
/* tests/guests/queuetest.c: the I/O queue (kvm-hello-world --queue) driven by hand, as
 * the ABI describes it, for tests/vmm/queue.sh: argv[1] picks a case. Good cases print
 * what the VMM answered; hostile ones damage the queue one way each (the VMM must stop
 * the guest, so reaching the end is a failure of its own), or hand it an address the
 * caller may not use (argv[2], e.g. its own page tables: a bad buffer is -HC_EFAULT in
 * the status, a bad header or area stops the guest). */
#include <minivirt/guest.h>

#include "vq_rings.h"

#define QS 32 /* descriptors: more than HC_VQ_CHAIN_MAX, for a long chain */

VQ_RINGS(QS);
static struct hc_vq_req hdr[QS];
static struct hc_vq_status status[QS];
static char buf[3][128];

#define PTR(p) ((hc_gptr_t)(uintptr_t)(p))

#if MV_GUEST_BITS == 64
static uintptr_t read_cr3(void) /* ring 0 only */
{
	uintptr_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}
#endif

static int setup(uint32_t size, hc_gptr_t d, hc_gptr_t a, hc_gptr_t u)
{
	struct hc_queue_setup r = { .desc = d, .avail = a, .used = u, .size = size };

	mv_hypercall(HC_NR_QUEUE_SETUP, &r);
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
		mv_outl(HC_PORT_QUEUE, mv_boot_info()->vcpu_id);
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
	mv_hypercall(HC_NR_QUEUE_WAIT, &w);
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
	return (unsigned long long)mv_get_num_exits();
}

/* write TEXT...: each argument written to fd 1 through the queue, two at a time. */
static int case_write(int argc, char **argv)
{
	unsigned long long before = exits();

	for (int i = 2; i < argc; i += 2) {
		for (int s = 0; s < 2 && i + s < argc; s++)
			publish(chain((unsigned)s, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT,
				      PTR(argv[i + s]), (uint32_t)mv_strlen(argv[i + s])));
		wait_all();
		for (int s = 0; s < 2 && i + s < argc; s++)
			mv_write(1, "|", 1);
	}
	mv_write(1, "\n", 1);
	mv_printf("used.idx %u; status %ld; %llu exit(s) beyond the count itself\n", used.idx,
		  (long)status[0].ret, exits() - before - 1);
	return 0;
}

/* read FILE: FILE read with pread at offsets 0 and 5, the second into two buffers (one
 * chain of four descriptors), then a read of fd 99. */
static int case_read(char **argv)
{
	int fd = mv_open(argv[2], HC_O_RDONLY, 0);

	if (fd < 0)
		return mv_printf("open: %d\n", fd), 1;
	publish(chain(0, HC_VQ_READ, fd, 0, PTR(buf[0]), 5));
	/* header 3, buffers 4 and 6, status 5: in any order in the table */
	hdr[1] = (struct hc_vq_req){ .op = HC_VQ_READ, .fd = fd, .offset = 5 };
	set(3, PTR(&hdr[1]), sizeof(hdr[1]), HC_VQ_DESC_F_NEXT, 4);
	set(4, PTR(buf[1]), 3, HC_VQ_DESC_F_NEXT | HC_VQ_DESC_F_WRITE, 6);
	set(6, PTR(buf[2]), 100, HC_VQ_DESC_F_NEXT | HC_VQ_DESC_F_WRITE, 5);
	set(5, PTR(&status[1]), sizeof(status[1]), HC_VQ_DESC_F_WRITE, 0);
	publish(3);
	wait_all();
	mv_printf("read %ld [%s]; readv %ld [%s|%s]; used len %u, %u\n", (long)status[0].ret,
		  buf[0], (long)status[1].ret, buf[1], buf[2], used.ring[0].len, used.ring[1].len);
	publish(chain(0, HC_VQ_READ, 99, HC_OFFSET_CURRENT, PTR(buf[0]), 5));
	wait_all();
	mv_printf("read fd 99: %ld\n", (long)status[0].ret);
	return 0;
}

/* efault ADDR: a read into ADDR and a write from it: -HC_EFAULT each, the guest goes on. */
static int case_efault(char **argv)
{
	const hc_gptr_t a = (hc_gptr_t)mv_strtol(argv[2], 0, 0);

	publish(chain(0, HC_VQ_READ, 0, HC_OFFSET_CURRENT, a, 16));
	publish(chain(1, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, a, 16));
	wait_all();
	mv_printf("read into 0x%lx: %ld; write from it: %ld\n", (unsigned long)a,
		  (long)status[0].ret, (long)status[1].ret);
	return 0;
}

/* sdk FILE: the SDK's own use of the queue (no queue set up by hand): mv_io_submit with 30
 * requests at once (more than one batch of chains): 26 one-byte preads of FILE, in
 * reverse, and 4 writes of what they read to fd 1; then mv_read, mv_pwrite errors and
 * printf. The same output with and without --queue. */
static int case_sdk(char **argv)
{
	static char got[26];
	struct mv_io io[30];
	int fd = mv_open(argv[2], HC_O_RDONLY, 0);

	if (fd < 0)
		return mv_printf("open: %d\n", fd), 1;
	for (int i = 0; i < 26; i++)
		io[i] = (struct mv_io){
			.fd = fd, .op = MV_IO_READ, .buf = &got[25 - i], .len = 1, .offset = i
		};
	for (int i = 0; i < 4; i++) /* answered in order: after the reads */
		io[26 + i] = (struct mv_io){ .fd = 1,
					     .op = MV_IO_WRITE,
					     .buf = got + 7 * i,
					     .len = i < 3 ? 7 : 5,
					     .offset = HC_OFFSET_CURRENT };
	mv_printf("submitted %d\n", mv_io_submit(io, 30));
	mv_printf("\nreads %ld..%ld, writes %ld %ld %ld %ld\n", io[0].ret, io[25].ret, io[26].ret,
		  io[27].ret, io[28].ret, io[29].ret);
	mv_printf("read %ld [%.4s]; pwrite to a read-only fd: %ld; read of fd 42: %ld\n",
		  mv_read(fd, got, 4), got, mv_pwrite(fd, got, 1, 0), mv_read(42, got, 1));
	return 0;
}

/* setup cases: the hypercall's answers to bad proposals. */
static int case_setup(char **argv)
{
	const hc_gptr_t a = argv[2] ? (hc_gptr_t)mv_strtol(argv[2], 0, 0) : 0;

	int rc[7];

	/* All calls before any output (the SDK's printf would set up its own queue), one per
	 * statement (argument order is unspecified, and one may succeed). */
	rc[0] = setup(3, PTR(desc), PTR(&avail), PTR(&used));
	rc[1] = setup(512, PTR(desc), PTR(&avail), PTR(&used));
	rc[2] = setup(QS, PTR(desc) + 8, PTR(&avail), PTR(&used));
	rc[3] = setup(QS, PTR(desc), PTR(&avail), a);
	rc[4] = setup(QS, a, PTR(&avail), PTR(&used));
	rc[5] = setup_ours();
	rc[6] = setup_ours();
	mv_printf("size 3: %d; size 512: %d; desc misaligned: %d; used at 0x%lx: %d; "
		  "desc at it: %d\n",
		  rc[0], rc[1], rc[2], (unsigned long)a, rc[3], rc[4]);
	mv_printf("setup: %d; again: %d\n", rc[5], rc[6]);
	return 0;
}

/* rosetup (-l --cpl 0): the used ring given through an alias of its own page that the
 * guest maps read-only (a 2 MiB page at 1 GiB - 2 MiB, written into its page tables as
 * ring 0 may), then through the same alias writable: the VMM must refuse the first, as
 * the CPU would refuse the guest's own writes there (CR0.WP is set). */
static int case_rosetup(void)
{
#if MV_GUEST_BITS == 64
	const uintptr_t alias = (uintptr_t)511 << 21, cr3 = read_cr3() & ~(uintptr_t)0xfff;
	volatile uint64_t *pml4 = (volatile uint64_t *)cr3;
	volatile uint64_t *pdpt = (volatile uint64_t *)(uintptr_t)(pml4[0] & ~0xfffull);
	volatile uint64_t *pd = (volatile uint64_t *)(uintptr_t)(pdpt[0] & ~0xfffull);
	int rc[2];

	for (int rw = 0; rw < 2; rw++) {
		pd[511] = 0x1 | 0x80 | (rw ? 0x2 : 0); /* P, PS, R/W: guest-physical 0 */
		__asm__ volatile("invlpg (%0)" : : "r"(alias) : "memory");
		rc[rw] = setup(QS, PTR(desc), PTR(&avail), alias + PTR(&used));
	}
	mv_printf("used through a read-only alias: %d; through a writable one: %d\n", rc[0], rc[1]);
	return 0;
#else
	mv_printf("rosetup: long mode only\n");
	return 2;
#endif
}

/* Hostile queues (the guest's own, set up before any output): each damages one thing; the VMM must stop the guest. */
static void damage(const char *how, hc_gptr_t a)
{
	uint16_t head = chain(0, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, PTR("x"), 1);

	if (!mv_strcmp(how, "idx")) {
		avail.idx = QS + 1;
		mv_outl(HC_PORT_QUEUE, mv_boot_info()->vcpu_id);
		wait_all();
		return;
	}
	if (!mv_strcmp(how, "head"))
		head = QS;
	else if (!mv_strcmp(how, "next"))
		desc[1].next = QS;
	else if (!mv_strcmp(how, "loop"))
		desc[2] = (struct hc_vq_desc){ PTR(&status[0]), 8,
					       HC_VQ_DESC_F_WRITE | HC_VQ_DESC_F_NEXT, 1 };
	else if (!mv_strcmp(how, "long"))
		for (unsigned i = 0; i <= HC_VQ_CHAIN_MAX; i++) /* 17 descriptors, no loop */
			set(i, PTR(buf[0]), 1, i < HC_VQ_CHAIN_MAX ? HC_VQ_DESC_F_NEXT : 0,
			    (uint16_t)(i + 1));
	else if (!mv_strcmp(how, "indirect"))
		desc[1].flags |= HC_VQ_DESC_F_INDIRECT;
	else if (!mv_strcmp(how, "hdrsize"))
		desc[0].len = 8;
	else if (!mv_strcmp(how, "status"))
		desc[2].flags = 0;
	else if (!mv_strcmp(how, "op"))
		hdr[0].op = 7;
	else if (!mv_strcmp(how, "dir"))
		desc[1].flags |= HC_VQ_DESC_F_WRITE;
	else if (!mv_strcmp(how, "hdraddr"))
		desc[0].addr = a;
	else if (!mv_strcmp(how, "one"))
		desc[0].flags = 0;
	publish(head);
	wait_all();
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	if (mv_boot_info()->vcpus > 1 &&
	    mv_vcpu_id()) /* --smp: the queue below is vCPU 0's (the others share the memory) */
		return 0;

	if (!mv_strcmp(c, "setup"))
		return case_setup(argv);
	if (!mv_strcmp(c, "sdk") && argc > 2)
		return case_sdk(argv);
	if (!mv_strcmp(c, "v1")) { /* a version 1 boot info, as an older VMM writes: the SDK
				   * must not read its offers (there, argv), so no queue */
		((struct hc_boot_info *)mv_boot_info())->abi_version = 1;
		return mv_printf("written with version %u\n", 1u), 0;
	}
	if (!mv_strcmp(c, "rosetup"))
		return case_rosetup();
	if (!mv_strcmp(c, "noqueue"))
		return mv_printf("setup: %d\n", setup_ours()), 0;
	if (setup_ours())
		return mv_printf("queue_setup failed\n"), 1;
	if (!mv_strcmp(c, "write"))
		return case_write(argc, argv);
	if (!mv_strcmp(c, "read") && argc > 2)
		return case_read(argv);
	if (!mv_strcmp(c, "stdin")) { /* a read of fd 0 through the queue: may block for good */
		publish(chain(0, HC_VQ_READ, 0, HC_OFFSET_CURRENT, PTR(buf[0]), 16));
		wait_all();
		return mv_printf("read of fd 0: %ld\n", (long)status[0].ret), 0;
	}
	if (!mv_strcmp(c, "efault") && argc > 2)
		return case_efault(argv);
	if (!mv_strcmp(c, "bad") && argc > 2) {
		damage(argv[2], argc > 3 ? (hc_gptr_t)mv_strtol(argv[3], 0, 0) : 0);
		mv_report_fail(__FILE__, __LINE__, "the VMM answered a corrupt queue");
	}
	mv_printf(
		"usage: queuetest sdk FILE|setup [ADDR]|v1|rosetup|noqueue|write TEXT...|read FILE|efault ADDR|"
		"stdin|bad HOW [ADDR]\n");
	return 2;
}
