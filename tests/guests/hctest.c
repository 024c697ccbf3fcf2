/* SPDX-License-Identifier: MIT */
/* tests/guests/hctest.c: the hypercall test guest; argv[1] picks a case, the shell tests
 * (tests/vmm/hypercalls.sh) check what the VMM prints and its exit status. */
#include <minivirt/guest.h>

#include "sdk.h" /* sdk_ring(): the ring cases damage it on purpose */

#if MV_GUEST_BITS == 16
#define BIG_MAX 8192 /* real mode: the image must stay below 0xa000 */
#else
#define BIG_MAX 65536
#endif

static char big[BIG_MAX + 1];

/* An address no guest mode maps: above its memory, below 4 GiB. */
#define WILD ((const char *)(uintptr_t)0xdead0000u)

static int arg_num(int argc, char **argv, int i, int dflt)
{
	return argc > i ? (int)mv_strtol(argv[i], 0, 0) : dflt;
}

static int case_args(int argc, char **argv)
{
	mv_printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		mv_printf("argv[%d]=<%s>\n", i, argv[i]);
	MV_ASSERT(argv[argc] == 0);
	return 0;
}

static int case_exits(void)
{
	const char *s = "Hello, world!\n";
	uint64_t before = mv_get_num_exits(), by_display, by_bytes;

	mv_display(s);
	by_display = mv_get_num_exits() - before - 1;
	before = mv_get_num_exits();
	for (const char *p = s; *p; p++)
		mv_putchar_e9(*p);
	by_bytes = mv_get_num_exits() - before - 1;
	mv_printf("display: %u exit(s), bytes: %u exits\n", (unsigned)by_display,
		  (unsigned)by_bytes);
	MV_ASSERT(by_display == 1);
	MV_ASSERT(by_bytes == mv_strlen(s));
	mv_report_done("exits ok");
}

static int case_wild(void)
{
	mv_printf("wild: %ld\n", mv_display(WILD));
	mv_printf("wrap: %ld\n", mv_display((const char *)(uintptr_t)0xfffffff0u));
	MV_ASSERT(mv_display(WILD) == -HC_EFAULT);
	return 0;
}

/* The top 16 bytes of memory are above the stack's first slot: fill them, no NUL. */
static int case_nonul(void)
{
	char *top = (char *)(uintptr_t)(mv_boot_info()->mem_size - 16);

	mv_memset(top, 'A', 16);
	mv_printf("nonul: %ld\n", mv_display(top));
	return 0;
}

static int case_crosspage(void)
{
	/* With --mem 3M in long mode: 2 MiB page below 0x200000, 4 KiB pages above. */
	char *s = (char *)(uintptr_t)0x1ffff8u;

	mv_strcpy(s, "across a page boundary\n");
	mv_printf("ret: %ld\n", mv_display(s));
	return 0;
}

static int case_big(int n)
{
	uint64_t before;
	long ret;

	if (n < 0 || n > BIG_MAX)
		n = BIG_MAX;
	for (int i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = 0;
	before = mv_get_num_exits();
	ret = mv_display(big);
	mv_printf("\nbig: %ld bytes in %u exit(s)\n", ret,
		  (unsigned)(mv_get_num_exits() - before - 1));
	return 0;
}

/* Instance `victim` reaches outside its slice (or, with "tables", into its own page
 * tables); the others finish normally. */
static int case_poke(int argc, char **argv)
{
	const struct hc_boot_info *bi = mv_boot_info();
	unsigned victim = (unsigned)arg_num(argc, argv, 2, 1);
	volatile uint32_t *target;

	if (bi->vcpu_id != victim) {
		mv_printf("instance %u: done\n", (unsigned)bi->vcpu_id);
		return 0;
	}
	/* Just past its memory: guest-physically, the next instance's slice. */
	target = (volatile uint32_t *)(uintptr_t)(bi->mem_size + 0x1000);
	if (argc > 3 && !mv_strcmp(argv[3], "tables")) /* below args, xstack and gdt pages */
		target = (volatile uint32_t *)(uintptr_t)((uintptr_t)bi - 0x3000);
	mv_printf("instance %u: writing to 0x%lx\n", (unsigned)bi->vcpu_id,
		  (unsigned long)(uintptr_t)target);
	*target = 0xbad;
	mv_printf("instance %u: the write went through\n", (unsigned)bi->vcpu_id);
	return 3;
}

/* Each instance opens files into its own table: instance 0 two, the others one. */
static int case_fdtable(void)
{
	unsigned id = mv_boot_info()->vcpu_id;
	int a = mv_open("a.txt", HC_O_RDONLY, 0),
	    b = id == 0 ? mv_open("a.txt", HC_O_RDONLY, 0) : -1;

	mv_printf("instance %u: opened %d %d, read fd 4: %ld\n", id, a, b, mv_read(4, big, 4));
	return 0;
}

/* Many hypercalls per vCPU, each printing a numbered line: none may be lost or torn. */
static int case_stress(int n)
{
	unsigned id = mv_boot_info()->vcpu_id;

	for (int i = 0; i < n; i++)
		mv_printf("stress %u line %d of %d\n", id, i, n);
	return 0;
}

/* Every kind of console output, interleaved: with --ring and without, the VMM must
 * print exactly the same bytes in the same order. */
static int case_mixed(int n)
{
	for (int i = 0; i < n; i++) {
		mv_printf("display %d\n", i);
		mv_print_val((uint32_t)i);
		mv_write(1, "write(1)\n", 9);
		mv_putchar_e9('e');
		mv_putchar_e9('\n');
	}
	return 0;
}

/* Console writes of 64 bytes, for make bench (ring against an exit each). */
static int case_writes(int n)
{
	static const char line[64] =
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n";

	for (int i = 0; i < n; i++)
		mv_write(1, line, sizeof(line));
	return 0;
}

/* Doorbell writes only, for make bench: each is handled inside KVM (KVM_IOEVENTFD). */
static int case_doorbells(int n)
{
	for (int i = 0; i < n; i++)
		mv_outl(HC_PORT_DOORBELL, mv_boot_info()->vcpu_id);
	return 0;
}

/* A hostile ring: argv[2] says how to damage the SDK's ring, then the doorbell rings.
 * The VMM must refuse it and stop the guest; "print" before shows order still holds. */
static int case_ringbad(int argc, char **argv)
{
	struct hc_ring *r = sdk_ring();
	struct hc_ring_setup again = { .ring = (hc_gptr_t)(uintptr_t)r };
	const char *how = argc > 2 ? argv[2] : "";
	struct hc_ring_rec rec = { .kind = HC_RING_DISPLAY, .len = 8 };
	uint8_t *data = (uint8_t *)(r + 1);

	if (!sdk_ring_active()) {
		mv_hypercall(HC_NR_RING_SETUP, &again);
		mv_printf("no ring: setup %d\n", again.ret);
		return 0;
	}
	mv_printf("before the damage\n");
	if (!mv_strcmp(how, "again")) {
		mv_hypercall(HC_NR_RING_SETUP, &again);
		mv_printf("setup again: %d\n", again.ret);
		return 0;
	}
	if (!mv_strcmp(how, "indices")) {
		/* tail settles once the VMM has drained "before the damage" (its doorbell
		 * rang): read earlier, the VMM could move it on between our read and its own */
		while (__atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) != r->head)
			__asm__ volatile("pause");
		r->head = r->tail + r->size + 64;
	} else {
		if (!mv_strcmp(how, "len"))
			rec.len = 0xffffff00u;
		else if (!mv_strcmp(how, "kind"))
			rec.kind = 99;
		else if (!mv_strcmp(how, "fd"))
			rec.kind = HC_RING_WRITE, rec.fd = 5;
		mv_memcpy(data + (r->head & (r->size - 1)), &rec, sizeof(rec));
		__atomic_store_n(&r->head, r->head + 24, __ATOMIC_RELEASE);
	}
	mv_outl(HC_PORT_DOORBELL, mv_boot_info()->vcpu_id);
	for (;;) /* the VMM stops us; printing would wait for room forever */
		__asm__ volatile("pause");
}

/* Records that must be printed with no exit to fetch them: after each line the guest
 * waits, without an exit, for the VMM's thread to consume it, then idles a varying while
 * (from none to well past the thread's polling), so lines come while the thread polls,
 * as it gives up and asleep. A wake-up lost (no doorbell while the thread sleeps) hangs
 * the guest until --timeout. */
static int case_ringsync(int n)
{
	const struct hc_ring *r = sdk_ring();

	if (!sdk_ring_active()) {
		mv_printf("no ring\n");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		mv_printf("sync %d\n", i);
		while (__atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) !=
		       __atomic_load_n(&r->head, __ATOMIC_RELAXED))
			__asm__ volatile("pause");
		/* 0-2046 pauses, across the thread's polling; every 8th far past it */
		for (unsigned k = i % 8 == 7 ? 65536u : (unsigned)i * 97u % 1024u * 2u; k; k--)
			__asm__ volatile("pause");
	}
	return 0;
}

/* Hypercalls as fast as the guest can make them, for make bench. */
static int case_spincalls(int n)
{
	uint64_t last = 0;

	for (int i = 0; i < n; i++)
		last = mv_get_num_exits();
	return last >= (uint64_t)n ? 0 : 1;
}

static int case_printf(void)
{
	mv_printf("[%d|%i|%u|%x|%X|%o|%c|%s|%%]\n", -42, 7, 3000000000u, 0xbeef, 0xbeef, 8, 'z',
		  "str");
	mv_printf("[%5d|%-5d|%05d|%+d|% d|%.3d]\n", 42, 42, 42, 42, 42, 7);
	mv_printf("[%lld|%llu|%llx]\n", -9000000000000000000ll, 18000000000000000000ull,
		  0x123456789abcdefull);
	mv_printf("[%8s|%-8s|%.2s|%*d|%-*d]\n", "ab", "ab", "abcdef", 4, 9, 4, 9);
	mv_printf("[%#x|%#o|%hhd|%hd|%zu]\n", 255, 8, 300, 70000, (size_t)12);
	mv_printf("[%p]\n", (void *)0x1234);
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	struct hc_print_val pv = { .value = 1 };

	if (!mv_strcmp(c, "args"))
		return case_args(argc, argv);
	if (!mv_strcmp(c, "exits"))
		return case_exits();
	if (!mv_strcmp(c, "wild"))
		return case_wild();
	if (!mv_strcmp(c, "nonul"))
		return case_nonul();
	if (!mv_strcmp(c, "crosspage"))
		return case_crosspage();
	if (!mv_strcmp(c, "big"))
		return case_big(arg_num(argc, argv, 2, BIG_MAX));
	if (!mv_strcmp(c, "printf"))
		return case_printf();
	if (!mv_strcmp(c, "poke"))
		return case_poke(argc, argv);
	if (!mv_strcmp(c, "fdtable"))
		return case_fdtable();
	if (!mv_strcmp(c, "stress"))
		return case_stress(arg_num(argc, argv, 2, 1000));
	if (!mv_strcmp(c, "ringbad"))
		return case_ringbad(argc, argv);
	if (!mv_strcmp(c, "mixed"))
		return case_mixed(arg_num(argc, argv, 2, 100));
	if (!mv_strcmp(c, "writes"))
		return case_writes(arg_num(argc, argv, 2, 1000));
	if (!mv_strcmp(c, "ringsync"))
		return case_ringsync(arg_num(argc, argv, 2, 100));
	if (!mv_strcmp(c, "doorbells"))
		return case_doorbells(arg_num(argc, argv, 2, 1000));
	if (!mv_strcmp(c, "spincalls"))
		return case_spincalls(arg_num(argc, argv, 2, 10000));
	if (!mv_strcmp(c, "printval")) {
		mv_print_val(0);
		mv_print_val(4294967295u);
		return 0;
	}
	if (!mv_strcmp(c, "badreq")) { /* the request itself is not mapped */
		mv_hypercall(HC_NR_PRINT_VAL, (void *)(uintptr_t)WILD);
		return 0;
	}
	if (!mv_strcmp(c, "unknown")) { /* a port past the last hypercall */
		mv_outl(HC_PORT_BASE + 77, (uint32_t)(uintptr_t)&pv);
		return 0;
	}
	if (!mv_strcmp(c, "reserved")) { /* hypercall 0 is never one */
		mv_outl(HC_PORT_BASE, (uint32_t)(uintptr_t)&pv);
		return 0;
	}
	if (!mv_strcmp(c, "inport")) {
		uint32_t v;

		__asm__ volatile("inl %1, %0"
				 : "=a"(v)
				 : "Nd"((uint16_t)(HC_PORT_BASE + HC_NR_PRINT_VAL)));
		return (int)v;
	}
	if (!mv_strcmp(c, "byteout")) { /* a hypercall port written with the wrong size */
		mv_outb(HC_PORT_BASE + HC_NR_PRINT_VAL, 1);
		return 0;
	}
	if (!mv_strcmp(c, "ud2"))
		__asm__ volatile("ud2");
	if (!mv_strcmp(c, "div0")) {
		volatile unsigned zero = 0;

		return (int)(100u / zero);
	}
	if (!mv_strcmp(c, "read")) /* a read of argv[2] */
		return (int)*(volatile uint32_t *)(uintptr_t)arg_num(argc, argv, 2, 0);
	if (!mv_strcmp(c, "assert"))
		MV_ASSERT(argc == 99);
	if (!mv_strcmp(c, "exit"))
		mv_exit(arg_num(argc, argv, 2, 0));
	if (!mv_strcmp(c, "exitid")) /* instance 0 exits 0, instance i 10 + i */
		mv_exit(mv_boot_info()->vcpu_id ? 10 + (int)mv_boot_info()->vcpu_id : 0);
	if (!mv_strcmp(c, "halt"))
		for (;;)
			__asm__ volatile("hlt");
	mv_printf("hctest: unknown case '%s'\n", c);
	return 2;
}
