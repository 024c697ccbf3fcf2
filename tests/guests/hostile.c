/* SPDX-License-Identifier: MIT */
/* tests/guests/hostile.c: a hostile guest: each case (argv[1]) points a hypercall at
 * memory its ring may not use, or breaks the ABI's small print; tests/vmm/attacks_priv.sh
 * passes the addresses (read from --layout) and checks the VMM's answer. */
#include <minivirt/guest.h>

static uint64_t arg_addr(int argc, char **argv, int i)
{
	MV_ASSERT(argc > i);
	return (uint64_t)mv_strtol(argv[i], 0, 0);
}

#define PTR(a) ((void *)(uintptr_t)(a))

/* hypercall NR with its request at ADDR: a ring-3 get_num_exits on its own page table
 * would write the exit count into a page-table entry. */
static int case_req(int argc, char **argv)
{
	mv_hypercall((unsigned)arg_addr(argc, argv, 3), PTR(arg_addr(argc, argv, 2)));
	mv_printf("req: the VMM came back\n");
	return 0;
}

/* pread from a shared file into ADDR (e.g. the IDT: a DPL-3 gate would follow). */
static int case_pread(int argc, char **argv)
{
	int fd = mv_open("f", HC_O_RDONLY, 0);

	MV_ASSERT(fd >= 3);
	mv_printf("pread: %ld\n", mv_pread(fd, PTR(arg_addr(argc, argv, 2)), 16, 0));
	mv_printf("read: %ld\n", mv_read(fd, PTR(arg_addr(argc, argv, 2)), 16));
	return 0;
}

static int case_display(int argc, char **argv)
{
	mv_printf("display: %ld\n", mv_display(PTR(arg_addr(argc, argv, 2))));
	return 0;
}

/* write to the console or a shared file from ADDR. */
static int case_write(int argc, char **argv)
{
	int fd = mv_open("out", HC_O_WRONLY | HC_O_CREAT, 0644);

	MV_ASSERT(fd >= 3);
	mv_printf("write: %ld\n", mv_write(1, PTR(arg_addr(argc, argv, 2)), 16));
	mv_printf("pwrite: %ld\n", mv_pwrite(fd, PTR(arg_addr(argc, argv, 2)), 16, 0));
	return 0;
}

static int case_readdir(int argc, char **argv)
{
	int fd = mv_open("/", HC_O_RDONLY | HC_O_DIRECTORY, 0);

	MV_ASSERT(fd >= 3);
	mv_printf("readdir: %ld\n", mv_readdir(fd, PTR(arg_addr(argc, argv, 2)), 512));
	return 0;
}

/* open and mkdir with the path on ADDR. */
static int case_path(int argc, char **argv)
{
	mv_printf("open: %d\n", mv_open(PTR(arg_addr(argc, argv, 2)), HC_O_RDONLY, 0));
	mv_printf("mkdir: %d\n", mv_mkdir(PTR(arg_addr(argc, argv, 2)), 0755));
	return 0;
}

/* open NAME in the share (a FIFO or a device there must never be opened on the host). */
static int case_open(int argc, char **argv)
{
	MV_ASSERT(argc > 2);
	mv_printf("open %s: %d\n", argv[2], mv_open(argv[2], HC_O_RDONLY, 0));
	mv_printf("open-w %s: %d\n", argv[2], mv_open(argv[2], HC_O_WRONLY, 0));
	return 0;
}

static __attribute__((noreturn)) int case_report(int argc, char **argv)
{
	mv_report_fail("hostile.c", 1, PTR(arg_addr(argc, argv, 2)));
}

/* --smp 2: vCPU 1 flips the NUL that ends a HC_PATH_MAX-byte path while vCPU 0 hands the
 * path to unlink and open. The VMM must see one copy with one end, never read past it. */
static char path[HC_PATH_MAX];
static volatile int racing = 1;

static int case_race(void)
{
	int too_long = 0, other = 0;

	if (mv_vcpu_id() == 1) {
		while (racing)
			for (int i = 0; i < 1000; i++)
				path[HC_PATH_MAX - 1] = (char)(i & 1 ? 'a' : 0);
		return 0;
	}
	mv_memset(path, 'a', sizeof(path));
	for (int i = 0; i < 2000; i++) {
		int rc = i & 1 ? mv_unlink(path) : mv_open(path, HC_O_RDONLY, 0);

		if (rc == -HC_ENAMETOOLONG)
			too_long++;
		else if (rc != -HC_ENOENT)
			other++, mv_printf("race: unexpected %d\n", rc);
	}
	racing = 0;
	mv_printf("race: %d too long, %d other\n", too_long, other);
	return other ? 1 : 0;
}

/* readdir into exactly one record's room: a 255-byte name needs 11 + 256 bytes, 272
 * with the padding to 8. */
static int case_readdir272(void)
{
	static char buf[272];
	int fd = mv_open("d", HC_O_RDONLY | HC_O_DIRECTORY, 0);
	long n, names = 0;

	MV_ASSERT(fd >= 3);
	while ((n = mv_readdir(fd, buf, sizeof(buf))) > 0) {
		const struct hc_dirent *d = (const void *)buf;

		MV_ASSERT(d->reclen <= n);
		if (mv_strlen(d->name) == 255)
			mv_printf("readdir272: the 255-byte name, reclen %u\n", d->reclen);
		names++;
	}
	mv_printf("readdir272: %ld, %ld names\n", n, names);
	return 0;
}

/* A 32-bit out to port ADDR (0x5fd..0x5ff: its last bytes are past the hypercall ports). */
static int case_port(int argc, char **argv)
{
	static struct hc_print_val r = { .value = 7 };

	mv_outl((uint16_t)arg_addr(argc, argv, 2), (uint32_t)(uintptr_t)&r);
	mv_printf("port: the VMM came back\n");
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
	mv_printf("repouts: the VMM came back, count %lu\n", count);
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	if (!mv_strcmp(c, "req"))
		return case_req(argc, argv);
	if (!mv_strcmp(c, "pread"))
		return case_pread(argc, argv);
	if (!mv_strcmp(c, "display"))
		return case_display(argc, argv);
	if (!mv_strcmp(c, "write"))
		return case_write(argc, argv);
	if (!mv_strcmp(c, "readdir"))
		return case_readdir(argc, argv);
	if (!mv_strcmp(c, "path"))
		return case_path(argc, argv);
	if (!mv_strcmp(c, "open"))
		return case_open(argc, argv);
	if (!mv_strcmp(c, "report"))
		return case_report(argc, argv);
	if (!mv_strcmp(c, "race"))
		return case_race();
	if (!mv_strcmp(c, "readdir272"))
		return case_readdir272();
	if (!mv_strcmp(c, "port"))
		return case_port(argc, argv);
	if (!mv_strcmp(c, "repouts"))
		return case_repouts();
	mv_printf("hostile: unknown case '%s'\n", c);
	return 2;
}
