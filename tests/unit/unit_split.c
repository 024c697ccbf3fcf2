/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_split.c: large reads split between two threads (vmm/split.c) answer as
 * one preadv would: over a real file, with the helper thread running, every buffer shape
 * (one buffer, several, empty ones, cut anywhere), at offsets where the file ends before,
 * inside either part, or past the read; at the position, which moves by what was read;
 * and reads too small to split, or with no helper, are read whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "split.h"

#define FSIZE ((3l << 20) + 777) /* the file: its end falls inside a page */
#define BIG (2l << 20)           /* the longest read */

struct fixture {
	struct split s;
	int fd;
	unsigned char *file;      /* the file's bytes */
	unsigned char *got, *ref; /* a read's buffer, and what preadv gave */
};

static int fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[] = "/tmp/unit_split.XXXXXX";
	uint32_t x = 12345;

	f->fd = mkstemp(path);
	if (f->fd < 0)
		return -1;
	unlink(path);
	f->file = malloc(FSIZE);
	f->got = malloc(BIG + 4096);
	f->ref = malloc(BIG + 4096);
	for (long i = 0; i < FSIZE; i++) {
		x = x * 1103515245u + 12345u;
		f->file[i] = (unsigned char)(x >> 16);
	}
	if (write(f->fd, f->file, FSIZE) != FSIZE)
		return -1;
	split_init(&f->s);
	if (split_start(&f->s))
		return -1;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *f = *state;

	split_stop(&f->s);
	close(f->fd);
	free(f->file);
	free(f->got);
	free(f->ref);
	free(f);
	return 0;
}

/* Cuts buf into the buffers of lens (0-terminated list; the last takes the rest of len). */
static int shape(struct iovec *iov, unsigned char *buf, long len, const long *lens)
{
	int n = 0;
	long at = 0;

	for (; lens[n] && at + lens[n] < len; at += lens[n], n++)
		iov[n] = (struct iovec){ .iov_base = buf + at, .iov_len = (size_t)lens[n] };
	iov[n++] = (struct iovec){ .iov_base = buf + at, .iov_len = (size_t)(len - at) };
	return n;
}

/* One split read of len at off (-1: the position) in buffers shaped by lens, against
 * preadv of the same range: the count, the bytes, and the position after. */
static void one(struct fixture *f, long len, long off, const long *lens)
{
	struct iovec iov[SPLIT_IOV], riov[SPLIT_IOV];
	const long pos = 4096 + 3;
	const long at = off < 0 ? pos : off;
	ssize_t want, got;
	int n;

	assert_int_equal(split_worth(&f->s, (uint64_t)len), !f->s.alone); /* one CPU: whole */
	n = shape(iov, f->got, len, lens);
	shape(riov, f->ref, len, lens);
	memset(f->got, 0, (size_t)len);
	memset(f->ref, 0, (size_t)len);
	want = preadv(f->fd, riov, n, at);
	assert_int_equal(want, at >= FSIZE ? 0 : FSIZE - at < len ? FSIZE - at : len);
	assert_int_equal(lseek(f->fd, pos, SEEK_SET), pos);
	got = split_read(&f->s, f->fd, iov, n, off);
	assert_int_equal(got, want);
	assert_memory_equal(f->got, f->ref, (size_t)want);
	assert_memory_equal(f->got, f->file + at, (size_t)want);
	assert_int_equal(lseek(f->fd, 0, SEEK_CUR), off < 0 ? pos + want : pos);
}

static void test_shapes(void **state)
{
	struct fixture *f = *state;
	static const long whole[] = { 0 };
	static const long three[] = { 100000, 1, 0 };
	static const long empties[] = { 4096, 0 }; /* then the rest */
	static const long odd[] = { 333333, 333333, 7, 0 };
	static const long *const shapes[] = { whole, three, empties, odd };
	const long lens[] = { SPLIT_MIN, SPLIT_MIN + 1, 1l << 20, BIG };

	for (unsigned s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
		for (unsigned l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
			const long len = lens[l];
			const long offs[] = { -1,
					      0,
					      1,
					      FSIZE - len - 1,
					      FSIZE - len + 5,
					      FSIZE - len / 4,
					      FSIZE - 1,
					      FSIZE,
					      FSIZE + 1 };

			for (unsigned o = 0; o < sizeof(offs) / sizeof(offs[0]); o++)
				one(f, len, offs[o] < -1 ? 0 : offs[o], shapes[s]);
		}
	assert_true(f->s.alone || f->s.reads > 0);
	print_message("# %llu reads split, %llu second parts read by the helper\n",
		      (unsigned long long)f->s.reads, (unsigned long long)f->s.helped);
}

/* Empty buffers amid the others: a zero-length iovec where the cut falls. */
static void test_empty_buffers(void **state)
{
	struct fixture *f = *state;
	struct iovec iov[4], riov[4];
	const size_t half = ((size_t)(1 << 20) + SPLIT_LEAD) / 2 & ~(size_t)4095;
	ssize_t got;

	iov[0] = (struct iovec){ f->got, half };
	iov[1] = (struct iovec){ f->got + half, 0 };
	iov[2] = (struct iovec){ f->got + half, (1 << 20) - half };
	iov[3] = (struct iovec){ f->got + (1 << 20), 0 };
	for (int i = 0; i < 4; i++)
		riov[i] = (struct iovec){ f->ref + ((unsigned char *)iov[i].iov_base - f->got),
					  iov[i].iov_len };
	got = split_read(&f->s, f->fd, iov, 4, 12345);
	assert_int_equal(got, 1 << 20);
	assert_int_equal(preadv(f->fd, riov, 4, 12345), 1 << 20);
	assert_memory_equal(f->got, f->ref, 1 << 20);
}

static void test_worth(void **state)
{
	struct fixture *f = *state;
	struct split idle;

	assert_false(split_worth(NULL, BIG));
	assert_false(split_worth(&f->s, SPLIT_MIN - 1));
	split_init(&idle); /* no helper: read whole, where the owner is */
	assert_false(split_worth(&idle, BIG));
	split_stop(&idle);
}

#define T(name) cmocka_unit_test_setup_teardown(test_##name, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = { T(shapes), T(empty_buffers), T(worth) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
