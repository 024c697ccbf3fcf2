/* SPDX-License-Identifier: MIT */
/* tests/guests/hostile.c: a hostile guest: each case (argv[1]) points a hypercall at
 * memory its ring may not use, or breaks the ABI's small print; tests/vmm/attacks_priv.sh
 * passes the addresses (read from --layout) and checks the VMM's answer. */
#include <minivirt/guest.h>

static uint64_t arg_addr(int argc, char **argv, int i)
{
	GUEST_ASSERT(argc > i);
	return (uint64_t)strtol(argv[i], 0, 0);
}

#define PTR(a) ((void *)(uintptr_t)(a))

/* hypercall NR with its request at ADDR: a ring-3 get_num_exits on its own page table
 * would write the exit count into a page-table entry. */
static int case_req(int argc, char **argv)
{
	hypercall((unsigned)arg_addr(argc, argv, 3), PTR(arg_addr(argc, argv, 2)));
	printf("req: the VMM came back\n");
	return 0;
}

/* pread from a shared file into ADDR (e.g. the IDT: a DPL-3 gate would follow). */
static int case_pread(int argc, char **argv)
{
	int fd = open("f", O_RDONLY, 0);

	GUEST_ASSERT(fd >= 3);
	printf("pread: %ld\n", pread(fd, PTR(arg_addr(argc, argv, 2)), 16, 0));
	printf("read: %ld\n", read(fd, PTR(arg_addr(argc, argv, 2)), 16));
	return 0;
}

static int case_display(int argc, char **argv)
{
	printf("display: %ld\n", display(PTR(arg_addr(argc, argv, 2))));
	return 0;
}

/* write to the console or a shared file from ADDR. */
static int case_write(int argc, char **argv)
{
	int fd = open("out", O_WRONLY | O_CREAT, 0644);

	GUEST_ASSERT(fd >= 3);
	printf("write: %ld\n", write(1, PTR(arg_addr(argc, argv, 2)), 16));
	printf("pwrite: %ld\n", pwrite(fd, PTR(arg_addr(argc, argv, 2)), 16, 0));
	return 0;
}

static int case_readdir(int argc, char **argv)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY, 0);

	GUEST_ASSERT(fd >= 3);
	printf("readdir: %ld\n", readdir(fd, PTR(arg_addr(argc, argv, 2)), 512));
	return 0;
}

/* open and mkdir with the path on ADDR. */
static int case_path(int argc, char **argv)
{
	printf("open: %d\n", open(PTR(arg_addr(argc, argv, 2)), O_RDONLY, 0));
	printf("mkdir: %d\n", mkdir(PTR(arg_addr(argc, argv, 2)), 0755));
	return 0;
}

/* open NAME in the share (a FIFO or a device there must never be opened on the host). */
static int case_open(int argc, char **argv)
{
	GUEST_ASSERT(argc > 2);
	printf("open %s: %d\n", argv[2], open(argv[2], O_RDONLY, 0));
	printf("open-w %s: %d\n", argv[2], open(argv[2], O_WRONLY, 0));
	return 0;
}

static __attribute__((noreturn)) int case_report(int argc, char **argv)
{
	report_fail("hostile.c", 1, PTR(arg_addr(argc, argv, 2)));
}

/* --smp 2: vCPU 1 flips the NUL that ends a HC_PATH_MAX-byte path while vCPU 0 hands the
 * path to unlink and open. The VMM must see one copy with one end, never read past it. */
static char path[HC_PATH_MAX];
static volatile int racing = 1;

static int case_race(void)
{
	int too_long = 0, other = 0;

	if (vcpu_id() == 1) {
		while (racing)
			for (int i = 0; i < 1000; i++)
				path[HC_PATH_MAX - 1] = (char)(i & 1 ? 'a' : 0);
		return 0;
	}
	memset(path, 'a', sizeof(path));
	for (int i = 0; i < 2000; i++) {
		int rc = i & 1 ? unlink(path) : open(path, O_RDONLY, 0);

		if (rc == -HC_ENAMETOOLONG)
			too_long++;
		else if (rc != -HC_ENOENT)
			other++, printf("race: unexpected %d\n", rc);
	}
	racing = 0;
	printf("race: %d too long, %d other\n", too_long, other);
	return other ? 1 : 0;
}

/* readdir into exactly one record's room: a 255-byte name needs 11 + 256 bytes, 272
 * with the padding to 8. */
static int case_readdir272(void)
{
	static char buf[272];
	int fd = open("d", O_RDONLY | O_DIRECTORY, 0);
	long n, names = 0;

	GUEST_ASSERT(fd >= 3);
	while ((n = readdir(fd, buf, sizeof(buf))) > 0) {
		const struct hc_dirent *d = (const void *)buf;

		GUEST_ASSERT(d->reclen <= n);
		if (strlen(d->name) == 255)
			printf("readdir272: the 255-byte name, reclen %u\n", d->reclen);
		names++;
	}
	printf("readdir272: %ld, %ld names\n", n, names);
	return 0;
}

/* A 32-bit out to port ADDR (0x5fd..0x5ff: its last bytes are past the hypercall ports). */
static int case_port(int argc, char **argv)
{
	static struct hc_print_val r = { .value = 7 };

	outl((uint16_t)arg_addr(argc, argv, 2), (uint32_t)(uintptr_t)&r);
	printf("port: the VMM came back\n");
	return 0;
}

/* rep outsl of two print_val requests' addresses to the print_val port: string I/O is no
 * hypercall; at most one may run. */
static int case_repouts(void)
{
	static struct hc_print_val a = { .value = 1111 }, b = { .value = 2222 };
	static uint32_t addrs[2];
	const void *src = addrs;
	unsigned long count = 2;

	addrs[0] = (uint32_t)(uintptr_t)&a;
	addrs[1] = (uint32_t)(uintptr_t)&b;
	__asm__ volatile("rep outsl"
			 : "+S"(src), "+c"(count)
			 : "d"((uint16_t)(HC_PORT_BASE + HC_NR_PRINT_VAL))
			 : "memory");
	printf("repouts: the VMM came back, count %lu\n", count);
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	if (!strcmp(c, "req"))
		return case_req(argc, argv);
	if (!strcmp(c, "pread"))
		return case_pread(argc, argv);
	if (!strcmp(c, "display"))
		return case_display(argc, argv);
	if (!strcmp(c, "write"))
		return case_write(argc, argv);
	if (!strcmp(c, "readdir"))
		return case_readdir(argc, argv);
	if (!strcmp(c, "path"))
		return case_path(argc, argv);
	if (!strcmp(c, "open"))
		return case_open(argc, argv);
	if (!strcmp(c, "report"))
		return case_report(argc, argv);
	if (!strcmp(c, "race"))
		return case_race();
	if (!strcmp(c, "readdir272"))
		return case_readdir272();
	if (!strcmp(c, "port"))
		return case_port(argc, argv);
	if (!strcmp(c, "repouts"))
		return case_repouts();
	printf("hostile: unknown case '%s'\n", c);
	return 2;
}
