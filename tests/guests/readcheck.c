/* SPDX-License-Identifier: MIT */
/* tests/guests/readcheck.c: readcheck FILE: reads FILE (in the --dir folder) in 4 KiB
 * requests as the reference, prints its CRC as cksum(1) does, then reads it again in
 * large requests (with --queue, those the VMM splits between two threads, vmm/split.c)
 * and compares every answer with the reference: the count, the bytes, the position.
 * Sequential reads at the position, and preads at offsets where the file ends before,
 * inside either part of a split, and past it, into aligned and unaligned buffers. Prints
 * a line per case and "readcheck: ok", or the first difference and exits 1. For
 * tests/vmm/queue.sh; 64-bit guests only (the buffers take 3 MiB). */
#include <minivirt/guest.h>

#if MV_GUEST_BITS == 64
#define FILE_MAX (2u << 20)
#define BUF_MAX ((1u << 20) + (64u << 10))

static unsigned char ref[FILE_MAX] __attribute__((aligned(4096)));
static unsigned char buf[BUF_MAX] __attribute__((aligned(4096)));
static long size; /* FILE's, from the reference read */

/* POSIX cksum's CRC: polynomial 0x04c11db7, most significant bit first, the length
 * appended in its least significant bytes, complemented; a byte at a time from a table
 * (the svm suite runs this guest under emulation). */
static uint32_t crc_table[256];

static uint32_t cksum(const unsigned char *p, unsigned long n)
{
	uint32_t c = 0;

	for (unsigned b = 0; b < 256; b++) {
		uint32_t e = (uint32_t)b << 24;

		for (int k = 0; k < 8; k++)
			e = e & 0x80000000u ? (e << 1) ^ 0x04c11db7u : e << 1;
		crc_table[b] = e;
	}
	for (unsigned long i = 0; i < n; i++)
		c = (c << 8) ^ crc_table[(c >> 24) ^ p[i]];
	for (unsigned long m = n; m; m >>= 8)
		c = (c << 8) ^ crc_table[(c >> 24) ^ (m & 0xff)];
	return ~c;
}

static int bad(const char *what, long off, long len, long got, long want)
{
	mv_printf("readcheck: %s at %ld, %ld bytes: %ld, %ld expected\n", what, off, len, got,
		  want);
	return 1;
}

/* One answer against the reference: got bytes of a read of len at off, into p. */
static int check(const char *what, const unsigned char *p, long off, long len, long got)
{
	const long want = off >= size ? 0 : size - off < len ? size - off : len;

	if (got != want)
		return bad(what, off, len, got, want);
	if (got > 0 && mv_memcmp(p, ref + off, (size_t)got))
		return bad(what, off, len, -1, 0); /* -1: the bytes differ */
	return 0;
}

/* The file's reference: 4 KiB requests (never split), to its end. */
static int reference(int fd)
{
	long n;

	while ((n = mv_pread(fd, ref + size, 4096, size)) > 0)
		if ((size += n) > (long)FILE_MAX - 4096)
			return bad("reference: file too large", 0, size, n, 0);
	if (n < 0)
		return bad("reference read", size, 4096, n, 0);
	mv_printf("reference: %lu %ld\n", (unsigned long)cksum(ref, (unsigned long)size), size);
	return 0;
}

/* Reads at the position from start, len at a time, to the end; the position after. */
static int sequential(int fd, long start, long len, unsigned shift)
{
	long off = start, got;
	int reads = 0;

	if (mv_lseek(fd, start, HC_SEEK_SET) != start)
		return bad("lseek", start, 0, -1, start);
	do {
		got = mv_read(fd, buf + shift, (size_t)len);
		if (check("read at the position", buf + shift, off, len, got))
			return 1;
		off += got;
		reads++;
	} while (got > 0);
	got = (long)mv_lseek(fd, 0, HC_SEEK_CUR);
	if (got != size)
		return bad("position after reading to the end", start, len, got, size);
	mv_printf("read from %ld by %ld (buffer +%u): %d reads\n", start, len, shift, reads);
	return 0;
}

/* preads of len at offsets around the end of the file, the position left alone. */
static int preads(int fd, long len, unsigned shift)
{
	const long offs[] = { 0,
			      1,
			      4095,
			      size - len - 1,
			      size - len + 5,
			      size - len / 4,
			      size - 300 * 1024,
			      size - 1,
			      size,
			      size + 4096 };
	const long pos = 12345;

	if (mv_lseek(fd, pos, HC_SEEK_SET) != pos)
		return bad("lseek", pos, 0, -1, pos);
	for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		const long off = offs[i] < 0 ? 0 : offs[i];

		mv_memset(buf, 0, (size_t)len + shift); /* no byte of an earlier read left */
		if (check("pread", buf + shift, off, len,
			  mv_pread(fd, buf + shift, (size_t)len, off)))
			return 1;
	}
	if (mv_lseek(fd, 0, HC_SEEK_CUR) != pos)
		return bad("position after preads", pos, len, (long)mv_lseek(fd, 0, HC_SEEK_CUR),
			   pos);
	mv_printf("pread %ld (buffer +%u) at 10 offsets: ok\n", len, shift);
	return 0;
}

int main(int argc, char **argv)
{
	static const long lens[] = { 512 << 10, (1 << 20) + 4097, 1 << 20 };
	int fd;

	if (argc < 2)
		return mv_printf("usage: readcheck FILE\n"), 2;
	if ((fd = mv_open(argv[1], HC_O_RDONLY, 0)) < 0)
		return mv_printf("readcheck: %s: %s\n", argv[1], mv_strerror(-fd)), 1;
	if (reference(fd))
		return 1;
	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		if (sequential(fd, 0, lens[i], i & 1 ? 1 : 0) || preads(fd, lens[i], i & 1 ? 7 : 0))
			return 1;
	/* At the position, the file's end inside the first part, then the second. */
	if (sequential(fd, size - 300 * 1024, 1 << 20, 0) ||
	    sequential(fd, size - (1 << 20) + 5, 1 << 20, 3))
		return 1;
	mv_printf("readcheck: ok\n");
	return 0;
}
#else
int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mv_printf("readcheck: 64-bit guests only\n");
	return 2;
}
#endif
