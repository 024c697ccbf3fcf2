/* SPDX-License-Identifier: MIT */
/* tests/guests/hctest.c: the hypercall test guest; argv[1] picks a case, the shell tests
 * (tests/vmm/hypercalls.sh) check what the VMM prints and its exit status. */
#include <minivirt/guest.h>

#include "sdk.h" /* sdk_ring(): the ring cases damage it on purpose */

#if GUEST_BITS == 16
#define BIG_MAX 8192 /* real mode: the image must stay below 0xa000 */
#else
#define BIG_MAX 65536
#endif

static char big[BIG_MAX + 1];

/* An address no guest mode maps: above its memory, below 4 GiB. */
#define WILD ((const char *)(uintptr_t)0xdead0000u)

static int arg_num(int argc, char **argv, int i, int dflt)
{
	return argc > i ? (int)strtol(argv[i], 0, 0) : dflt;
}

static int case_args(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=<%s>\n", i, argv[i]);
	GUEST_ASSERT(argv[argc] == 0);
	return 0;
}

static int case_exits(void)
{
	const char *s = "Hello, world!\n";
	uint64_t before = get_num_exits(), by_display, by_bytes;

	display(s);
	by_display = get_num_exits() - before - 1;
	before = get_num_exits();
	for (const char *p = s; *p; p++)
		putchar_e9(*p);
	by_bytes = get_num_exits() - before - 1;
	printf("display: %u exit(s), bytes: %u exits\n", (unsigned)by_display, (unsigned)by_bytes);
	GUEST_ASSERT(by_display == 1);
	GUEST_ASSERT(by_bytes == strlen(s));
	report_done("exits ok");
}

static int case_wild(void)
{
	printf("wild: %ld\n", display(WILD));
	printf("wrap: %ld\n", display((const char *)(uintptr_t)0xfffffff0u));
	GUEST_ASSERT(display(WILD) == -HC_EFAULT);
	return 0;
}

/* The top 16 bytes of memory are above the stack's first slot: fill them, no NUL. */
static int case_nonul(void)
{
	char *top = (char *)(uintptr_t)(boot_info()->mem_size - 16);

	memset(top, 'A', 16);
	printf("nonul: %ld\n", display(top));
	return 0;
}

static int case_crosspage(void)
{
	/* With --mem 3M in long mode: 2 MiB page below 0x200000, 4 KiB pages above. */
	char *s = (char *)(uintptr_t)0x1ffff8u;

	strcpy(s, "across a page boundary\n");
	printf("ret: %ld\n", display(s));
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
	before = get_num_exits();
	ret = display(big);
	printf("\nbig: %ld bytes in %u exit(s)\n", ret, (unsigned)(get_num_exits() - before - 1));
	return 0;
}

/* Instance `victim` reaches outside its slice (or, with "tables", into its own page
 * tables); the others finish normally. */
static int case_poke(int argc, char **argv)
{
	const struct hc_boot_info *bi = boot_info();
	unsigned victim = (unsigned)arg_num(argc, argv, 2, 1);
	volatile uint32_t *target;

	if (bi->vcpu_id != victim) {
		printf("instance %u: done\n", (unsigned)bi->vcpu_id);
		return 0;
	}
	/* Just past its memory: guest-physically, the next instance's slice. */
	target = (volatile uint32_t *)(uintptr_t)(bi->mem_size + 0x1000);
	if (argc > 3 && !strcmp(argv[3], "tables")) /* below args, xstack and gdt pages */
		target = (volatile uint32_t *)(uintptr_t)((uintptr_t)bi - 0x3000);
	printf("instance %u: writing to 0x%lx\n", (unsigned)bi->vcpu_id,
	       (unsigned long)(uintptr_t)target);
	*target = 0xbad;
	printf("instance %u: the write went through\n", (unsigned)bi->vcpu_id);
	return 3;
}

/* Each instance opens files into its own table: instance 0 two, the others one. */
static int case_fdtable(void)
{
	unsigned id = boot_info()->vcpu_id;
	int a = open("a.txt", O_RDONLY, 0), b = id == 0 ? open("a.txt", O_RDONLY, 0) : -1;

	printf("instance %u: opened %d %d, read fd 4: %ld\n", id, a, b, read(4, big, 4));
	return 0;
}

/* Many hypercalls per vCPU, each printing a numbered line: none may be lost or torn. */
static int case_stress(int n)
{
	unsigned id = boot_info()->vcpu_id;

	for (int i = 0; i < n; i++)
		printf("stress %u line %d of %d\n", id, i, n);
	return 0;
}

/* Every kind of console output, interleaved: with --ring and without, the VMM must
 * print exactly the same bytes in the same order. */
static int case_mixed(int n)
{
	for (int i = 0; i < n; i++) {
		printf("display %d\n", i);
		print_val((uint32_t)i);
		write(1, "write(1)\n", 9);
		putchar_e9('e');
		putchar_e9('\n');
	}
	return 0;
}

/* Console writes of 64 bytes, for make bench (ring against an exit each). */
static int case_writes(int n)
{
	static const char line[64] =
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n";

	for (int i = 0; i < n; i++)
		write(1, line, sizeof(line));
	return 0;
}

/* Doorbell writes only, for make bench: each is handled inside KVM (KVM_IOEVENTFD). */
static int case_doorbells(int n)
{
	for (int i = 0; i < n; i++)
		outl(HC_PORT_DOORBELL, boot_info()->vcpu_id);
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
		hypercall(HC_NR_RING_SETUP, &again);
		printf("no ring: setup %d\n", again.ret);
		return 0;
	}
	printf("before the damage\n");
	if (!strcmp(how, "again")) {
		hypercall(HC_NR_RING_SETUP, &again);
		printf("setup again: %d\n", again.ret);
		return 0;
	}
	if (!strcmp(how, "indices")) {
		r->head = r->tail + r->size + 64;
	} else {
		if (!strcmp(how, "len"))
			rec.len = 0xffffff00u;
		else if (!strcmp(how, "kind"))
			rec.kind = 99;
		else if (!strcmp(how, "fd"))
			rec.kind = HC_RING_WRITE, rec.fd = 5;
		memcpy(data + (r->head & (r->size - 1)), &rec, sizeof(rec));
		__atomic_store_n(&r->head, r->head + 24, __ATOMIC_RELEASE);
	}
	outl(HC_PORT_DOORBELL, boot_info()->vcpu_id);
	for (;;) /* the VMM stops us; printing would wait for room forever */
		__asm__ volatile("pause");
}

/* Hypercalls as fast as the guest can make them, for make bench. */
static int case_spincalls(int n)
{
	uint64_t last = 0;

	for (int i = 0; i < n; i++)
		last = get_num_exits();
	return last >= (uint64_t)n ? 0 : 1;
}

static int case_printf(void)
{
	printf("[%d|%i|%u|%x|%X|%o|%c|%s|%%]\n", -42, 7, 3000000000u, 0xbeef, 0xbeef, 8, 'z',
	       "str");
	printf("[%5d|%-5d|%05d|%+d|% d|%.3d]\n", 42, 42, 42, 42, 42, 7);
	printf("[%lld|%llu|%llx]\n", -9000000000000000000ll, 18000000000000000000ull,
	       0x123456789abcdefull);
	printf("[%8s|%-8s|%.2s|%*d|%-*d]\n", "ab", "ab", "abcdef", 4, 9, 4, 9);
	printf("[%#x|%#o|%hhd|%hd|%zu]\n", 255, 8, 300, 70000, (size_t)12);
	printf("[%p]\n", (void *)0x1234);
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	struct hc_print_val pv = { .value = 1 };

	if (!strcmp(c, "args"))
		return case_args(argc, argv);
	if (!strcmp(c, "exits"))
		return case_exits();
	if (!strcmp(c, "wild"))
		return case_wild();
	if (!strcmp(c, "nonul"))
		return case_nonul();
	if (!strcmp(c, "crosspage"))
		return case_crosspage();
	if (!strcmp(c, "big"))
		return case_big(arg_num(argc, argv, 2, BIG_MAX));
	if (!strcmp(c, "printf"))
		return case_printf();
	if (!strcmp(c, "poke"))
		return case_poke(argc, argv);
	if (!strcmp(c, "fdtable"))
		return case_fdtable();
	if (!strcmp(c, "stress"))
		return case_stress(arg_num(argc, argv, 2, 1000));
	if (!strcmp(c, "ringbad"))
		return case_ringbad(argc, argv);
	if (!strcmp(c, "mixed"))
		return case_mixed(arg_num(argc, argv, 2, 100));
	if (!strcmp(c, "writes"))
		return case_writes(arg_num(argc, argv, 2, 1000));
	if (!strcmp(c, "doorbells"))
		return case_doorbells(arg_num(argc, argv, 2, 1000));
	if (!strcmp(c, "spincalls"))
		return case_spincalls(arg_num(argc, argv, 2, 10000));
	if (!strcmp(c, "printval")) {
		print_val(0);
		print_val(4294967295u);
		return 0;
	}
	if (!strcmp(c, "badreq")) { /* the request itself is not mapped */
		hypercall(HC_NR_PRINT_VAL, (void *)(uintptr_t)WILD);
		return 0;
	}
	if (!strcmp(c, "unknown")) { /* a port past the last hypercall */
		outl(HC_PORT_BASE + 77, (uint32_t)(uintptr_t)&pv);
		return 0;
	}
	if (!strcmp(c, "reserved")) { /* hypercall 0 is never one */
		outl(HC_PORT_BASE, (uint32_t)(uintptr_t)&pv);
		return 0;
	}
	if (!strcmp(c, "inport")) {
		uint32_t v;

		__asm__ volatile("inl %1, %0"
				 : "=a"(v)
				 : "Nd"((uint16_t)(HC_PORT_BASE + HC_NR_PRINT_VAL)));
		return (int)v;
	}
	if (!strcmp(c, "byteout")) { /* a hypercall port written with the wrong size */
		outb(HC_PORT_BASE + HC_NR_PRINT_VAL, 1);
		return 0;
	}
	if (!strcmp(c, "ud2"))
		__asm__ volatile("ud2");
	if (!strcmp(c, "div0")) {
		volatile unsigned zero = 0;

		return (int)(100u / zero);
	}
	if (!strcmp(c, "read")) /* a read of argv[2] */
		return (int)*(volatile uint32_t *)(uintptr_t)arg_num(argc, argv, 2, 0);
	if (!strcmp(c, "assert"))
		GUEST_ASSERT(argc == 99);
	if (!strcmp(c, "exit"))
		exit(arg_num(argc, argv, 2, 0));
	if (!strcmp(c, "exitid")) /* instance 0 exits 0, instance i 10 + i */
		exit(boot_info()->vcpu_id ? 10 + (int)boot_info()->vcpu_id : 0);
	if (!strcmp(c, "halt"))
		for (;;)
			__asm__ volatile("hlt");
	printf("hctest: unknown case '%s'\n", c);
	return 2;
}
