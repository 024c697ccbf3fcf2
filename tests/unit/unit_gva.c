/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_gva.c: checked guest-virtual accesses (gva_check, gva_iov, gva_read,
 * gva_write, gva_strlen, gva_strcpy, gva_view, gva_cpl) over a calloc'd buffer standing
 * in for guest memory: paging off, identity tables from pt_build_spec, hand-made tables that
 * scatter guest-virtual pages over non-contiguous, reversed guest-physical pages, and
 * the privilege of each access: ring 3 against the user and write bits at every level,
 * ring 0 with and without CR0.WP, ring 3 with paging off against the VMM's regions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gmem_fixture.h"
#include "gva.h"

#define MEM_SIZE 0x10000ull /* 64 KiB of guest-physical memory */
#define FILL 0xee           /* poison for host buffers that must stay untouched */

struct fixture {
	struct gmem mem;
	struct gview v;
	enum pt_format fmt; /* of the tables in mem (hand-made or built) */
};

static int fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || gmem_fixture_new(&f->mem, MEM_SIZE, 0)) {
		free(f);
		return -1;
	}
	f->v = (struct gview){ .mem = &f->mem, .fmt = PT_NONE };
	*state = f;
	return 0;
}

/* Whether every byte of buf[0..len) is c. */
static int all_bytes(const void *buf, uint64_t len, uint8_t c)
{
	for (uint64_t i = 0; i < len; i++)
		if (((const uint8_t *)buf)[i] != c)
			return 0;
	return 1;
}

/* A byte that depends on the guest-physical address, so misplaced copies show. */
static uint8_t pat(uint64_t gpa)
{
	return (uint8_t)(gpa * 7 + (gpa >> 8) + 1);
}

static void fill_pattern(struct gmem *g)
{
	for (uint64_t a = 0; a < g->size; a++)
		g->host[a] = pat(a);
}

/* ---- paging off: guest-virtual = guest-physical, below limit (0 = memory size) ---- */

/* Runs one access in a child and waits at most 5 s: an access at the edge of what the
 * guest sees must be refused at once, and one that makes no progress (a translation
 * leaving no room) fails here instead of hanging the suite. Returns its result. */
static int bounded_access(const struct gview *v, int op, uint64_t gva)
{
	char buf[8], out[8] = { 0 };
	struct iovec iov[2];
	uint64_t len = 1;
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int64_t r;

		switch (op) {
		case 0: r = gva_check(v, gva, 1, false); break;
		case 1: r = gva_read(v, gva, buf, 1); break;
		case 2: r = gva_write(v, gva, out, 1); break;
		case 3: r = gva_strlen(v, gva, 16); break;
		default: r = gva_iov(v, &gva, &len, false, iov, 2); break;
		}
		_exit(r == -EFAULT ? 0 : 1);
	}
	for (int i = 0; i < 500 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(10000);
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fail_msg("access %d at 0x%llx did not return within 5 s", op,
			 (unsigned long long)gva);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_none_edge_returns(void **state)
{
	struct fixture *f = *state;
	struct gview v = f->v;

	for (int op = 0; op < 5; op++) {
		v.limit = 0; /* the end of memory */
		assert_int_equal(bounded_access(&v, op, MEM_SIZE), 0);
		v.limit = 0x8000; /* a limit below it */
		assert_int_equal(bounded_access(&v, op, 0x8000), 0);
	}
}

static void test_none_check(void **state)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;

	assert_int_equal(gva_check(v, 0, MEM_SIZE, false), 0);
	assert_int_equal(gva_check(v, 0, MEM_SIZE, true), 0); /* no tables: all writable */
	assert_int_equal(gva_check(v, MEM_SIZE - 1, 1, true), 0);
	assert_int_equal(gva_check(v, 0x1234, 0x100, false), 0);
	/* Just past memory, straddling its end, one byte too long. */
	assert_int_equal(gva_check(v, MEM_SIZE, 1, false), -EFAULT);
	assert_int_equal(gva_check(v, MEM_SIZE - 8, 9, true), -EFAULT);
	assert_int_equal(gva_check(v, 0, MEM_SIZE + 1, false), -EFAULT);
	assert_int_equal(gva_check(v, 1ull << 32, 1, false), -EFAULT);
	/* Ranges that wrap past 2^64, and huge lengths. */
	assert_int_equal(gva_check(v, UINT64_MAX, 2, false), -EFAULT);
	assert_int_equal(gva_check(v, UINT64_MAX, 1, false), -EFAULT);
	assert_int_equal(gva_check(v, 1, UINT64_MAX, false), -EFAULT);
	assert_int_equal(gva_check(v, 0x100, UINT64_MAX - 0xff, false), -EFAULT); /* ends at 2^64 */
	assert_int_equal(gva_check(v, 0, UINT64_MAX, false), -EFAULT);
	assert_int_equal(gva_check(v, 0, 1ull << 63, true), -EFAULT);
	assert_int_equal(gva_check(v, UINT64_MAX - MEM_SIZE + 1, MEM_SIZE, false), -EFAULT);
	/* An empty range touches nothing, wherever it is. */
	assert_int_equal(gva_check(v, 0, 0, true), 0);
	assert_int_equal(gva_check(v, MEM_SIZE, 0, true), 0);
}

static void test_none_limit(void **state)
{
	struct fixture *f = *state;
	struct gview v = f->v;

	/* A limit below memory: the guest sees only [0, limit). */
	v.limit = 0x8000;
	assert_int_equal(gva_check(&v, 0, 0x8000, true), 0);
	assert_int_equal(gva_check(&v, 0x7fff, 1, false), 0);
	assert_int_equal(gva_check(&v, 0x8000, 1, false), -EFAULT);
	assert_int_equal(gva_check(&v, 0x7ff0, 0x11, false), -EFAULT);
	/* A string running up to the limit: the NUL just past it is not the guest's. */
	memset(f->mem.host + 0x7ffe, 'x', 4);
	assert_int_equal(gva_strlen(&v, 0x7ffe, UINT64_MAX), -EFAULT);
	assert_int_equal(gva_strlen(&v, 0x7ffe, 2), -ENAMETOOLONG);
	v.limit = 0;
	assert_int_equal(gva_strlen(&v, 0x7ffe, UINT64_MAX), 4);
	/* A limit above memory does not let an access out of it, nor hides what is in it. */
	v.limit = 2 * MEM_SIZE;
	assert_int_equal(gva_strlen(&v, 0x7ffe, UINT64_MAX), 4);
	memset(f->mem.host + MEM_SIZE - 2, 'x', 2);
	assert_int_equal(gva_strlen(&v, MEM_SIZE - 2, UINT64_MAX), -EFAULT);
	assert_int_equal(gva_check(&v, MEM_SIZE - 1, 1, false), 0);
	assert_int_equal(gva_check(&v, MEM_SIZE, 1, false), -EFAULT);
	assert_int_equal(gva_check(&v, MEM_SIZE - 4, 8, false), -EFAULT);
}

static void test_none_read_write(void **state)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;
	uint8_t buf[64], want[64], *snap = malloc(MEM_SIZE);

	assert_non_null(snap);
	fill_pattern(&f->mem);
	assert_int_equal(gva_read(v, 0x2ff0, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, f->mem.host + 0x2ff0, sizeof(buf));
	assert_int_equal(gva_read(v, MEM_SIZE - 64, buf, 64), 0); /* the last bytes */
	assert_memory_equal(buf, f->mem.host + MEM_SIZE - 64, 64);

	for (size_t i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)(0x80 + i);
	assert_int_equal(gva_write(v, 0x4321, want, sizeof(want)), 0);
	assert_memory_equal(f->mem.host + 0x4321, want, sizeof(want));
	assert_int_equal(f->mem.host[0x4320], pat(0x4320)); /* neighbours untouched */
	assert_int_equal(f->mem.host[0x4321 + 64], pat(0x4321 + 64));

	/* Failures copy nothing: the destination keeps its bytes. */
	memcpy(snap, f->mem.host, MEM_SIZE);
	memset(buf, FILL, sizeof(buf));
	assert_int_equal(gva_read(v, MEM_SIZE - 32, buf, 64), -EFAULT);
	assert_true(all_bytes(buf, sizeof(buf), FILL));
	assert_int_equal(gva_read(v, UINT64_MAX - 15, buf, 64), -EFAULT);
	assert_int_equal(gva_read(v, MEM_SIZE, buf, 1), -EFAULT);
	assert_true(all_bytes(buf, sizeof(buf), FILL));
	assert_int_equal(gva_write(v, MEM_SIZE - 32, want, 64), -EFAULT);
	assert_int_equal(gva_write(v, UINT64_MAX - 15, want, 64), -EFAULT);
	assert_int_equal(gva_write(v, MEM_SIZE, want, 1), -EFAULT);
	assert_memory_equal(f->mem.host, snap, MEM_SIZE);
	/* Zero bytes: nothing to check or copy. */
	assert_int_equal(gva_read(v, 0x100, buf, 0), 0);
	assert_int_equal(gva_write(v, 0x100, want, 0), 0);
	assert_true(all_bytes(buf, sizeof(buf), FILL));
	assert_memory_equal(f->mem.host, snap, MEM_SIZE);
	free(snap);
}

static void test_none_iov(void **state)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;
	struct iovec iov[4];
	uint64_t gva = 0x100, len = 0x3000;

	/* Paging off: any range inside memory is one run of host memory. */
	assert_int_equal(gva_iov(v, &gva, &len, true, iov, 4), 1);
	assert_ptr_equal(iov[0].iov_base, f->mem.host + 0x100);
	assert_int_equal(iov[0].iov_len, 0x3000);
	assert_int_equal(gva, 0x3100);
	assert_int_equal(len, 0);
	/* Nothing left: no iovec. */
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 4), 0);

	/* Running off the end: the front is mapped, then -EFAULT with nothing consumed. */
	gva = MEM_SIZE - 0x10;
	len = 0x20;
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 4), 1);
	assert_ptr_equal(iov[0].iov_base, f->mem.host + MEM_SIZE - 0x10);
	assert_int_equal(iov[0].iov_len, 0x10);
	assert_int_equal(gva, MEM_SIZE);
	assert_int_equal(len, 0x10);
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 4), -EFAULT);
	assert_int_equal(gva, MEM_SIZE);
	assert_int_equal(len, 0x10);

	/* A range that wraps past 2^64 is refused whole. */
	gva = UINT64_MAX - 0xf;
	len = 0x20;
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 4), -EFAULT);
	assert_int_equal(gva, UINT64_MAX - 0xf);
	assert_int_equal(len, 0x20);
	/* A huge length that does not wrap: the front is mapped, up to the end of memory. */
	gva = 0;
	len = UINT64_MAX;
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 4), 1);
	assert_ptr_equal(iov[0].iov_base, f->mem.host);
	assert_int_equal(iov[0].iov_len, MEM_SIZE);
	assert_int_equal(gva, MEM_SIZE);
	assert_int_equal(len, UINT64_MAX - MEM_SIZE);
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 4), -EFAULT);
	assert_int_equal(len, UINT64_MAX - MEM_SIZE);
}

static void test_none_strlen(void **state)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;
	uint8_t *m = f->mem.host;

	memcpy(m + 0x100, "hello", 6);
	assert_int_equal(gva_strlen(v, 0x100, UINT64_MAX), 5);
	assert_int_equal(gva_strlen(v, 0x100, 6), 5);
	assert_int_equal(gva_strlen(v, 0x100, 5), -ENAMETOOLONG); /* the NUL is byte 6 */
	assert_int_equal(gva_strlen(v, 0x100, 0), -ENAMETOOLONG);
	assert_int_equal(gva_strlen(v, 0x105, 1), 0); /* the empty string */
	/* A string that runs into the end of memory: -EFAULT, unless max comes first. */
	memset(m + 0x8000, 'x', MEM_SIZE - 0x8000);
	assert_int_equal(gva_strlen(v, 0x8000, UINT64_MAX), -EFAULT);
	assert_int_equal(gva_strlen(v, 0x8000, MEM_SIZE), -EFAULT);
	assert_int_equal(gva_strlen(v, 0x8000, MEM_SIZE - 0x8000), -ENAMETOOLONG);
	assert_int_equal(gva_strlen(v, 0x8000, 100), -ENAMETOOLONG);
	assert_int_equal(gva_strlen(v, MEM_SIZE - 1, 2), -EFAULT);
	m[MEM_SIZE - 1] = 0; /* now it ends on the last byte */
	assert_int_equal(gva_strlen(v, 0x8000, UINT64_MAX), MEM_SIZE - 0x8000 - 1);
	assert_int_equal(gva_strlen(v, MEM_SIZE - 1, UINT64_MAX), 0);
	/* Outside memory from the first byte. */
	assert_int_equal(gva_strlen(v, MEM_SIZE, UINT64_MAX), -EFAULT);
	assert_int_equal(gva_strlen(v, UINT64_MAX, UINT64_MAX), -EFAULT);
}

/* ---- identity tables from pt_build_spec ---- */

#define BUILT_MAP 0xc000ull /* pt_build_spec maps [0, 48 KiB); memory goes on to 64 KiB */
#define TABLES 0x1000ull

/* The host address of the leaf entry that maps gva, to edit its flags. */
static uint8_t *leaf_entry(struct fixture *f, uint64_t gva)
{
	struct pt_walk w;
	const struct pt_step *s;

	assert_int_equal(pt_walk(&f->mem, f->fmt, f->v.root, gva, &w), 0);
	s = &w.step[w.steps - 1];
	return f->mem.host + s->table + (uint64_t)s->index * (f->fmt == PT_4LEVEL ? 8 : 4);
}

static void build(struct fixture *f, enum pt_format fmt, uint64_t map_size)
{
	struct pt_built b;

	f->fmt = fmt;
	assert_int_equal(pt_build_spec(&f->mem, &(struct pt_spec){ .fmt = fmt, .size = map_size },
				       TABLES, MEM_SIZE, &b),
			 0);
	f->v = (struct gview){ .mem = &f->mem, .fmt = fmt, .root = b.root };
}

static void test_built(void **state, enum pt_format fmt)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;
	struct iovec iov[4];
	uint8_t buf[0x40], data[0x40], *snap = malloc(MEM_SIZE);
	uint64_t gva, len;

	assert_non_null(snap);
	build(f, fmt, BUILT_MAP);
	for (uint64_t a = 0x6000; a < MEM_SIZE; a++)
		f->mem.host[a] = pat(a);

	/* Everything mapped is reachable, for reading and writing. */
	assert_int_equal(gva_check(v, 0, BUILT_MAP, true), 0);
	assert_int_equal(gva_check(v, BUILT_MAP - 1, 1, true), 0);
	/* Past the mapping (memory goes on, the tables stop), and far away. */
	assert_int_equal(gva_check(v, BUILT_MAP, 1, false), -EFAULT);
	assert_int_equal(gva_check(v, BUILT_MAP - 0x10, 0x11, false), -EFAULT);
	assert_int_equal(gva_check(v, MEM_SIZE, 1, false), -EFAULT);
	assert_int_equal(gva_check(v, 1ull << 31, 1, false), -EFAULT);
	assert_int_equal(gva_check(v, UINT64_MAX, 2, false), -EFAULT);
	assert_int_equal(gva_check(v, 0, UINT64_MAX, false), -EFAULT);
	assert_int_equal(gva_check(v, 0x100, 1ull << 40, false), -EFAULT);
	if (fmt == PT_4LEVEL) {
		/* Non-canonical addresses, and the upper half (nothing mapped there). */
		assert_int_equal(gva_check(v, 0x0000800000000000ull, 1, false), -EFAULT);
		assert_int_equal(gva_check(v, 0x8000000000000000ull, 1, false), -EFAULT);
		assert_int_equal(gva_check(v, 0xffff800000000000ull, 1, false), -EFAULT);
		assert_int_equal(gva_strlen(v, 0x0001000000000100ull, 10), -EFAULT);
	} else {
		/* 32-bit paging has nothing above 4 GiB; an alias of low memory is not it. */
		assert_int_equal(gva_check(v, 1ull << 32, 1, false), -EFAULT);
		assert_int_equal(gva_check(v, (1ull << 32) | 0x7000, 1, false), -EFAULT);
		assert_int_equal(gva_check(v, 0xfffff000ull, 0x1000, false), -EFAULT);
	}

	/* Reads and writes across page boundaries land on the identity pages. */
	assert_int_equal(gva_read(v, 0x6fe0, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, f->mem.host + 0x6fe0, sizeof(buf));
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)~i;
	assert_int_equal(gva_write(v, 0x7fe0, data, sizeof(data)), 0);
	assert_memory_equal(f->mem.host + 0x7fe0, data, sizeof(data));

	/* Identity pages are contiguous in host memory: one merged iovec over four pages. */
	gva = 0x6100;
	len = 0x3f00 + 0x10;
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 1), 1);
	assert_ptr_equal(iov[0].iov_base, f->mem.host + 0x6100);
	assert_int_equal(iov[0].iov_len, 0x3f10);
	assert_int_equal(gva, 0xa010);
	assert_int_equal(len, 0);

	/* A read-only page (RW clear in its entry): read yes, write no. */
	*leaf_entry(f, 0xa000) &= (uint8_t)~PTE_RW;
	assert_int_equal(gva_check(v, 0xa000, 0x1000, false), 0);
	assert_int_equal(gva_check(v, 0xa000, 1, true), -EFAULT);
	assert_int_equal(gva_check(v, 0x9000, 0x1001, true), -EFAULT);
	assert_int_equal(gva_check(v, 0x9000, 0x1000, true), 0);
	assert_int_equal(gva_check(v, 0xb000, 0x1000, true), 0);
	assert_int_equal(gva_read(v, 0x9ff0, buf, 0x20), 0);
	assert_memory_equal(buf, f->mem.host + 0x9ff0, 0x20);
	memcpy(snap, f->mem.host, MEM_SIZE);
	assert_int_equal(gva_write(v, 0x9fe0, data, sizeof(data)), -EFAULT);
	assert_memory_equal(f->mem.host, snap, MEM_SIZE); /* not even the writable half */
	/* gva_iov for writing stops at the read-only page, then refuses it. */
	gva = 0x9800;
	len = 0x1000;
	assert_int_equal(gva_iov(v, &gva, &len, true, iov, 4), 1);
	assert_ptr_equal(iov[0].iov_base, f->mem.host + 0x9800);
	assert_int_equal(iov[0].iov_len, 0x800);
	assert_int_equal(gva, 0xa000);
	assert_int_equal(len, 0x800);
	assert_int_equal(gva_iov(v, &gva, &len, true, iov, 4), -EFAULT);
	assert_int_equal(gva, 0xa000);
	assert_int_equal(len, 0x800);
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 4), 1);
	assert_int_equal(len, 0);

	/* A string crossing into the unmapped page after the mapping. */
	memset(f->mem.host + BUILT_MAP - 3, 'z', 3);
	f->mem.host[BUILT_MAP] = 0; /* memory has a NUL there, but it is not mapped */
	assert_int_equal(gva_strlen(v, BUILT_MAP - 3, UINT64_MAX), -EFAULT);
	assert_int_equal(gva_strlen(v, BUILT_MAP - 3, 3), -ENAMETOOLONG);
	f->mem.host[BUILT_MAP - 1] = 0;
	assert_int_equal(gva_strlen(v, BUILT_MAP - 3, UINT64_MAX), 2);
	/* One crossing a page boundary inside the mapping. */
	memset(f->mem.host + 0x7ff0, 'q', 0x20);
	f->mem.host[0x8010] = 0;
	assert_int_equal(gva_strlen(v, 0x7ff0, UINT64_MAX), 0x20);

	/* The root, or a table below it, outside guest memory. */
	{
		struct gview bad = *v;

		bad.root = MEM_SIZE;
		assert_int_equal(gva_check(&bad, 0x1000, 1, false), -EFAULT);
		assert_int_equal(gva_strlen(&bad, 0x1000, 10), -EFAULT);
		bad.root = fmt == PT_4LEVEL ? 1ull << 40 : 0xfffff000ull;
		assert_int_equal(gva_check(&bad, 0x1000, 1, false), -EFAULT);
	}
	if (fmt == PT_4LEVEL) /* PML4[0] -> a PDPT at 4 GiB */
		memcpy(f->mem.host + TABLES, &(uint64_t){ (1ull << 32) | PTE_P | PTE_RW }, 8);
	else /* PD[0] -> a PT at 1 MiB */
		memcpy(f->mem.host + TABLES, &(uint32_t){ 0x100000 | PTE_P | PTE_RW }, 4);
	memset(buf, FILL, sizeof(buf));
	assert_int_equal(gva_read(v, 0x6000, buf, 1), -EFAULT);
	assert_true(all_bytes(buf, sizeof(buf), FILL));
	free(snap);
}

static void test_built_4level(void **state)
{
	test_built(state, PT_4LEVEL);
}

static void test_built_32bit(void **state)
{
	test_built(state, PT_32BIT);
}

/* Tables that map beyond memory: the walk succeeds, gmem refuses. */
static void test_built_beyond_memory(void **state)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;
	uint8_t buf[16];

	build(f, PT_32BIT, 8ull << 20); /* two 4 MiB pages over 64 KiB of memory */
	assert_int_equal(gva_check(v, MEM_SIZE - 1, 1, true), 0);
	assert_int_equal(gva_check(v, MEM_SIZE, 1, false), -EFAULT);
	assert_int_equal(gva_check(v, MEM_SIZE - 8, 16, false), -EFAULT);
	assert_int_equal(gva_check(v, 5ull << 20, 1, false), -EFAULT);
	assert_int_equal(gva_read(v, MEM_SIZE - 8, buf, 16), -EFAULT);
	memset(f->mem.host + MEM_SIZE - 4, 'a', 4);
	assert_int_equal(gva_strlen(v, MEM_SIZE - 4, UINT64_MAX), -EFAULT);
}

/* ---- hand-made tables: scattered, reversed, read-only, absent and outside pages ---- */

/* Guest-virtual pages VBASE + i * 4 KiB map to these guest-physical pages (0 = absent). */
static const uint64_t scatter[] = {
	0x8000,   0x9000,         /* 0-1: contiguous, one host run */
	0x7000,   0x6000, 0x5000, /* 2-4: reversed, three runs */
	0xe000,   0xf000,         /* 5-6: contiguous again */
	0,                        /* 7: not present */
	0xa000,                   /* 8: read-only */
	0x100000,                 /* 9: present, but outside guest memory */
};
#define NPAGES (sizeof(scatter) / sizeof(scatter[0]))
#define RO_PAGE 8
#define TOP_GPA 0xd000ull /* what the top page of the address space maps to */

/* Where the scattered pages start: PD[2] in 4-level paging, PD[1] in 32-bit paging. */
#define VBASE 0x400000ull

static uint64_t top_page(const struct fixture *f)
{
	return f->fmt == PT_4LEVEL ? 0xfffffffffffff000ull : 0xfffff000ull;
}

static void put(struct fixture *f, uint64_t table, unsigned i, uint64_t e)
{
	if (f->fmt == PT_4LEVEL)
		assert_true(gmem_write64(&f->mem, table + 8ull * i, e));
	else
		assert_true(gmem_write32(&f->mem, table + 4ull * i, (uint32_t)e));
}

/* 4-level: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000; the PDPT, PD and PT serve the
 * bottom (index 0), VBASE (PD[2]) and the top of the address space (index 511) alike.
 * 32-bit: PD 0x1000, PT 0x2000, used by PD[0], PD[1] and PD[1023]. So guest-virtual page 0
 * aliases scattered page 0, which lets the wrap tests notice a wrap to address 0. */
static void hand_made(struct fixture *f, enum pt_format fmt)
{
	const uint64_t rw = PTE_P | PTE_RW;
	const uint64_t pt = fmt == PT_4LEVEL ? 0x4000 : 0x2000;

	f->fmt = fmt;
	memset(f->mem.host, 0, MEM_SIZE);
	if (fmt == PT_4LEVEL) {
		put(f, 0x1000, 0, 0x2000 | rw);
		put(f, 0x1000, 511, 0x2000 | rw);
		put(f, 0x2000, 0, 0x3000 | rw);
		put(f, 0x2000, 511, 0x3000 | rw);
		put(f, 0x3000, 0, pt | rw);
		put(f, 0x3000, 2, pt | rw);
		put(f, 0x3000, 3, (1ull << 32) | rw); /* 0x600000: its PT is outside memory */
		put(f, 0x3000, 511, pt | rw);
		put(f, pt, 511, TOP_GPA | rw);
	} else {
		put(f, 0x1000, 0, pt | rw);
		put(f, 0x1000, 1, pt | rw);
		put(f, 0x1000, 2, 0x7ffff000 | rw); /* 0x800000: its PT is outside memory */
		put(f, 0x1000, 1023, pt | rw);
		put(f, pt, 1023, TOP_GPA | rw);
	}
	for (unsigned i = 0; i < NPAGES; i++)
		if (scatter[i])
			put(f, pt, i, scatter[i] | PTE_P | (i == RO_PAGE ? 0 : PTE_RW));
	/* Data pages hold a pattern of their guest-physical address. */
	for (uint64_t a = 0x5000; a < MEM_SIZE; a++)
		f->mem.host[a] = pat(a);
	f->v = (struct gview){ .mem = &f->mem, .fmt = fmt, .root = 0x1000 };
}

/* The host byte behind scattered guest-virtual offset off (from VBASE). */
static uint8_t *host_at(struct fixture *f, uint64_t off)
{
	assert_true(off / 0x1000 < NPAGES && scatter[off / 0x1000] &&
		    scatter[off / 0x1000] < MEM_SIZE);
	return f->mem.host + scatter[off / 0x1000] + off % 0x1000;
}

static void test_scatter(void **state, enum pt_format fmt)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;
	const uint64_t base = VBASE;
	uint8_t *buf = malloc(0x8000), *snap = malloc(MEM_SIZE);
	struct iovec iov[8];
	uint64_t gva, len;

	assert_non_null(buf);
	assert_non_null(snap);
	hand_made(f, fmt);

	/* gva_read gathers pages 0-6 from wherever they are. */
	assert_int_equal(gva_check(v, base, 7 * 0x1000, true), 0);
	assert_int_equal(gva_read(v, base + 0x800, buf, 0x6800), 0);
	for (uint64_t off = 0x800; off < 0x7000; off++)
		if (buf[off - 0x800] != *host_at(f, off))
			fail_msg("read: byte at offset 0x%llx", (unsigned long long)off);
	/* gva_write scatters them back. */
	for (uint64_t i = 0; i < 0x6800; i++)
		buf[i] = (uint8_t)(i ^ (i >> 8) ^ 0x5a);
	assert_int_equal(gva_write(v, base + 0x800, buf, 0x6800), 0);
	for (uint64_t off = 0x800; off < 0x7000; off++)
		if (*host_at(f, off) != buf[off - 0x800])
			fail_msg("write: byte at offset 0x%llx", (unsigned long long)off);
	assert_int_equal(f->mem.host[0x8000 + 0x7ff], pat(0x8000 + 0x7ff)); /* before the start */

	/* gva_iov: a run per contiguous stretch of host memory, reversed pages unmerged. */
	gva = base + 0x800;
	len = 0x6800;
	assert_int_equal(gva_iov(v, &gva, &len, true, iov, 8), 5);
	assert_int_equal(len, 0);
	assert_int_equal(gva, base + 0x7000);
	assert_ptr_equal(iov[0].iov_base, f->mem.host + 0x8800);
	assert_int_equal(iov[0].iov_len, 0x1800);
	assert_ptr_equal(iov[1].iov_base, f->mem.host + 0x7000);
	assert_int_equal(iov[1].iov_len, 0x1000);
	assert_ptr_equal(iov[2].iov_base, f->mem.host + 0x6000);
	assert_int_equal(iov[2].iov_len, 0x1000);
	assert_ptr_equal(iov[3].iov_base, f->mem.host + 0x5000);
	assert_int_equal(iov[3].iov_len, 0x1000);
	assert_ptr_equal(iov[4].iov_base, f->mem.host + 0xe000);
	assert_int_equal(iov[4].iov_len, 0x2000);

	/* The same with max 2: it stops at two runs and resumes where it stopped. */
	gva = base + 0x800;
	len = 0x6800;
	memset(iov, 0, sizeof(iov));
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 2), 2);
	assert_int_equal(gva, base + 0x3000);
	assert_int_equal(len, 0x4000);
	assert_ptr_equal(iov[1].iov_base, f->mem.host + 0x7000);
	assert_null(iov[2].iov_base); /* max respected */
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 2), 2);
	assert_ptr_equal(iov[0].iov_base, f->mem.host + 0x6000);
	assert_ptr_equal(iov[1].iov_base, f->mem.host + 0x5000);
	assert_int_equal(gva, base + 0x5000);
	assert_int_equal(len, 0x2000);
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 2), 1);
	assert_ptr_equal(iov[0].iov_base, f->mem.host + 0xe000);
	assert_int_equal(iov[0].iov_len, 0x2000);
	assert_int_equal(len, 0);

	/* With max 1 a run still grows while the next page is contiguous. */
	gva = base + 0x4000;
	len = 0x3000;
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 1), 1);
	assert_int_equal(iov[0].iov_len, 0x1000); /* 0x5000, then 0xe000 does not follow */
	assert_int_equal(gva, base + 0x5000);
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 1), 1);
	assert_ptr_equal(iov[0].iov_base, f->mem.host + 0xe000);
	assert_int_equal(iov[0].iov_len, 0x2000); /* 0xe000 and 0xf000 merged at max */
	assert_int_equal(len, 0);

	/* Page 7 is absent: the iovecs stop before it, then -EFAULT, nothing consumed. */
	gva = base + 0x6800;
	len = 0x1000;
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 8), 1);
	assert_int_equal(iov[0].iov_len, 0x800);
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 8), -EFAULT);
	assert_int_equal(gva, base + 0x7000);
	assert_int_equal(len, 0x800);
	assert_int_equal(gva_check(v, base + 0x6fff, 2, false), -EFAULT);
	/* Nothing copied when the last byte is bad, though the first pages are fine. */
	memcpy(snap, f->mem.host, MEM_SIZE);
	memset(buf, FILL, 0x8000);
	assert_int_equal(gva_read(v, base, buf, 0x7001), -EFAULT);
	assert_true(all_bytes(buf, 0x8000, FILL));
	assert_int_equal(gva_write(v, base, buf, 0x7001), -EFAULT);
	assert_memory_equal(f->mem.host, snap, MEM_SIZE);

	/* Page 8 is read-only; page 9 maps outside memory. */
	assert_int_equal(gva_check(v, base + 0x8000, 0x1000, false), 0);
	assert_int_equal(gva_check(v, base + 0x8000, 1, true), -EFAULT);
	assert_int_equal(gva_check(v, base + 0x8fff, 1, true), -EFAULT);
	assert_int_equal(gva_read(v, base + 0x8ff0, buf, 0x10), 0);
	assert_memory_equal(buf, f->mem.host + 0xaff0, 0x10);
	assert_int_equal(gva_write(v, base + 0x8ff0, buf, 1), -EFAULT);
	assert_int_equal(gva_check(v, base + 0x9000, 1, false), -EFAULT);
	assert_int_equal(gva_check(v, base + 0x8fff, 2, false), -EFAULT);
	gva = base + 0x8000;
	len = 0x2000;
	assert_int_equal(gva_iov(v, &gva, &len, true, iov, 8), -EFAULT);
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 8), 1);
	assert_ptr_equal(iov[0].iov_base, f->mem.host + 0xa000);
	assert_int_equal(len, 0x1000);
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 8), -EFAULT);
	assert_memory_equal(f->mem.host, snap, MEM_SIZE);

	/* A table pointer outside memory. */
	assert_int_equal(gva_check(v, fmt == PT_4LEVEL ? 0x600000 : 0x800000, 1, false), -EFAULT);
	free(buf);
	free(snap);
}

static void test_scatter_4level(void **state)
{
	test_scatter(state, PT_4LEVEL);
}

static void test_scatter_32bit(void **state)
{
	test_scatter(state, PT_32BIT);
}

static void test_scatter_strings(void **state, enum pt_format fmt)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;
	const uint64_t base = VBASE;
	uint8_t *m = f->mem.host;

	hand_made(f, fmt);
	/* "abcd" at the end of page 1 (gpa 0x9ffc), "ef" and the NUL at the start of page 2
	 * (gpa 0x7000): the bytes after 0x9fff in memory are not the string's. */
	memcpy(m + 0x9ffc, "abcd", 4);
	memcpy(m + 0x7000, "ef", 3);
	m[0xa000] = 0;
	assert_int_equal(gva_strlen(v, base + 0x1ffc, UINT64_MAX), 6);
	assert_int_equal(gva_strlen(v, base + 0x1ffc, 6), -ENAMETOOLONG);
	assert_int_equal(gva_strlen(v, base + 0x1ffc, 7), 6);
	/* A string over pages 0..6 (seven runs), NUL on the last byte of page 6. */
	for (uint64_t off = 0; off < 0x7000; off++)
		*host_at(f, off) = 'a' + off % 26;
	*host_at(f, 0x6fff) = 0;
	assert_int_equal(gva_strlen(v, base, UINT64_MAX), 0x6fff);
	assert_int_equal(gva_strlen(v, base + 0x10, MEM_SIZE), 0x6fef);
	assert_int_equal(gva_strlen(v, base, 0x6fff), -ENAMETOOLONG);
	/* ... and with no NUL, into absent page 7: -EFAULT, though gpa 0x10000 would not be
	 * the next byte anyway. */
	*host_at(f, 0x6fff) = 'z';
	assert_int_equal(gva_strlen(v, base, UINT64_MAX), -EFAULT);
	assert_int_equal(gva_strlen(v, base + 0x6ffd, 3), -ENAMETOOLONG);
	assert_int_equal(gva_strlen(v, base + 0x6ffd, 4), -EFAULT);
	/* Into the read-only page: reading strings there is fine. */
	m[0xa000 + 5] = 0;
	memset(m + 0xa000, 'r', 5);
	assert_int_equal(gva_strlen(v, base + 0x8000, UINT64_MAX), 5);
	/* Into a page outside memory. */
	memset(m + 0xaff0, 'r', 0x10);
	assert_int_equal(gva_strlen(v, base + 0x8ff0, UINT64_MAX), -EFAULT);
	assert_int_equal(gva_strlen(v, base + 0x8ff0, 0x10), -ENAMETOOLONG);
}

static void test_scatter_strings_4level(void **state)
{
	test_scatter_strings(state, PT_4LEVEL);
}

static void test_scatter_strings_32bit(void **state)
{
	test_scatter_strings(state, PT_32BIT);
}

/* The top page of the address space is mapped, and so is page 0: no access wraps. */
static void test_wrap(void **state, enum pt_format fmt)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;
	uint64_t top, gva, len;
	uint8_t buf[32];
	struct iovec iov[4];

	hand_made(f, fmt);
	top = top_page(f);
	assert_int_equal(gva_check(v, 0, 0x1000, true), 0); /* page 0: the alias */
	assert_int_equal(gva_check(v, top, 0x1000, true), 0);
	assert_int_equal(gva_read(v, top + 0xff0, buf, 0x10), 0);
	assert_memory_equal(buf, f->mem.host + TOP_GPA + 0xff0, 0x10);
	assert_int_equal(gva_check(v, top + 0xfff, 2, false), -EFAULT);
	assert_int_equal(gva_check(v, top, 0x1001, false), -EFAULT);
	memset(buf, FILL, sizeof(buf));
	assert_int_equal(gva_read(v, top + 0xff0, buf, 0x20), -EFAULT);
	assert_true(all_bytes(buf, sizeof(buf), FILL));
	assert_int_equal(gva_write(v, top + 0xff0, buf, 0x20), -EFAULT);
	assert_int_equal(f->mem.host[TOP_GPA + 0xff0], pat(TOP_GPA + 0xff0));
	gva = top + 0xff0;
	len = 0x20;
	assert_int_equal(gva_iov(v, &gva, &len, false, iov, 4), fmt == PT_4LEVEL ? -EFAULT : 1);
	/* "abc" on the last bytes, a NUL at guest-virtual 0 that must not be reached. */
	memcpy(f->mem.host + TOP_GPA + 0xffd, "abc", 3);
	f->mem.host[scatter[0]] = 0;
	assert_int_equal(gva_strlen(v, top + 0xffd, UINT64_MAX), -EFAULT);
	assert_int_equal(gva_strlen(v, top + 0xffd, 3), -ENAMETOOLONG);
	assert_int_equal(gva_strlen(v, 0, 1), 0); /* that NUL is there */
	f->mem.host[TOP_GPA + 0xfff] = 0;
	assert_int_equal(gva_strlen(v, top + 0xffd, UINT64_MAX), 2);
}

static void test_wrap_4level(void **state)
{
	test_wrap(state, PT_4LEVEL);
}

static void test_wrap_32bit(void **state)
{
	test_wrap(state, PT_32BIT);
}

/* A large page that runs past the end of memory: the bytes inside memory are usable. */
static void test_large_page_past_end(void **state, enum pt_format fmt)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;
	uint8_t buf[8];

	f->fmt = fmt;
	if (fmt == PT_4LEVEL) { /* a 2 MiB page at 0 */
		put(f, 0x1000, 0, 0x2000 | PTE_P | PTE_RW);
		put(f, 0x2000, 0, 0x3000 | PTE_P | PTE_RW);
		put(f, 0x3000, 0, 0 | PTE_P | PTE_RW | PTE_PS);
	} else { /* a 4 MiB page at 0 */
		put(f, 0x1000, 0, 0 | PTE_P | PTE_RW | PTE_PS);
	}
	f->v = (struct gview){ .mem = &f->mem, .fmt = fmt, .root = 0x1000 };
	memcpy(f->mem.host + 0x8000, "hi", 3);
	assert_int_equal(gva_check(v, 0x8000, 3, true), 0);
	assert_int_equal(gva_read(v, 0x8000, buf, 3), 0);
	assert_string_equal((char *)buf, "hi");
	assert_int_equal(gva_strlen(v, 0x8000, 16), 2);
	assert_int_equal(gva_strlen(v, 0x8000, UINT64_MAX), 2);
	assert_int_equal(gva_strlen(v, 0x8000, MEM_SIZE), 2); /* as display() asks */
	/* Past the end of memory, still inside the page: refused. */
	memset(f->mem.host + MEM_SIZE - 4, 'x', 4);
	assert_int_equal(gva_strlen(v, MEM_SIZE - 4, UINT64_MAX), -EFAULT);
	assert_int_equal(gva_strlen(v, MEM_SIZE - 4, 4), -ENAMETOOLONG);
	assert_int_equal(gva_check(v, MEM_SIZE, 1, false), -EFAULT);
	assert_int_equal(gva_check(v, MEM_SIZE - 4, 8, false), -EFAULT);
}

static void test_large_page_past_end_4level(void **state)
{
	test_large_page_past_end(state, PT_4LEVEL);
}

static void test_large_page_past_end_32bit(void **state)
{
	test_large_page_past_end(state, PT_32BIT);
}

/* ---- gva_view: the paging format from the control registers ---- */
/* (the control-register bits: vmm/x86.h, through gva.h) */

static void test_view(void **state)
{
	struct fixture *f = *state;
	struct gview v;

	memset(&v, 0xff, sizeof(v));
	assert_int_equal(gva_view(&v, &f->mem, CR0_PE, 0x5000, CR4_PAE, EFER_LME), 0);
	assert_ptr_equal(v.mem, &f->mem);
	assert_int_equal(v.fmt, PT_NONE);
	assert_int_equal(v.limit, 0);
	/* Real mode: everything off. */
	assert_int_equal(gva_view(&v, &f->mem, 0, 0, 0, 0), 0);
	assert_int_equal(v.fmt, PT_NONE);
	/* Long mode (LMA) is 4-level paging, whatever else is set. */
	assert_int_equal(
		gva_view(&v, &f->mem, CR0_PE | CR0_PG, 0x7000, CR4_PAE, EFER_LME | EFER_LMA), 0);
	assert_int_equal(v.fmt, PT_4LEVEL);
	assert_int_equal(v.root, 0x7000);
	assert_int_equal(v.limit, 0);
	/* PAE without long mode: the walker has no PAE format. */
	assert_int_equal(gva_view(&v, &f->mem, CR0_PE | CR0_PG, 0x7000, CR4_PAE, 0), -ENOTSUP);
	assert_int_equal(gva_view(&v, &f->mem, CR0_PE | CR0_PG, 0x7000, CR4_PAE, EFER_LME),
			 -ENOTSUP); /* LME alone is not long mode yet */
	/* Otherwise 32-bit paging, PSE or not. */
	assert_int_equal(gva_view(&v, &f->mem, CR0_PE | CR0_PG, 0x3000, 0, 0), 0);
	assert_int_equal(v.fmt, PT_32BIT);
	assert_int_equal(v.root, 0x3000);
	assert_int_equal(gva_view(&v, &f->mem, CR0_PE | CR0_PG, 0x3000, CR4_PSE, 0), 0);
	assert_int_equal(v.fmt, PT_32BIT);
	/* The view works: identity tables built for 32-bit paging at 0x1000. */
	build(f, PT_32BIT, MEM_SIZE);
	assert_int_equal(gva_view(&v, &f->mem, CR0_PE | CR0_PG, TABLES, 0, 0), 0);
	assert_int_equal(gva_check(&v, MEM_SIZE - 1, 1, true), 0);
	assert_int_equal(gva_check(&v, MEM_SIZE, 1, true), -EFAULT);
}

/* ---- privilege: what ring 3 and ring 0 may reach ---- */

/* The accesses from ring 3 (u) and ring 0 (s) to the page at gva, as a 4-letter string:
 * user read, user write, supervisor read, supervisor write; 'y' allowed, '-' refused. */
static void expect_access(const struct fixture *f, uint64_t gva, bool wp_off, const char *want)
{
	struct gview u = f->v, k = f->v;
	char got[5];

	u.user = true;
	k.user = false;
	u.wp_off = k.wp_off = wp_off;
	got[0] = gva_check(&u, gva, 0x1000, false) ? '-' : 'y';
	got[1] = gva_check(&u, gva, 0x1000, true) ? '-' : 'y';
	got[2] = gva_check(&k, gva, 0x1000, false) ? '-' : 'y';
	got[3] = gva_check(&k, gva, 0x1000, true) ? '-' : 'y';
	got[4] = '\0';
	if (strcmp(got, want))
		fail_msg("gva 0x%llx (wp_off %d): access %s, want %s (user r/w, supervisor r/w)",
			 (unsigned long long)gva, wp_off, got, want);
}

/* The host address of the entry read at level l of the walk of gva. */
static uint8_t *entry_at(struct fixture *f, uint64_t gva, int l)
{
	struct pt_walk w;

	assert_int_equal(pt_walk(&f->mem, f->fmt, f->v.root, gva, &w), 0);
	assert_true(l < w.steps);
	return f->mem.host + w.step[l].table +
	       (uint64_t)w.step[l].index * (f->fmt == PT_4LEVEL ? 8 : 4);
}

/* Hand-made tables with U/S and R/W set everywhere, then one bit cleared at one level at a
 * time: the CPU ANDs them over the levels, and so must the VMM. */
static void test_priv_levels(void **state, enum pt_format fmt)
{
	struct fixture *f = *state;
	const uint64_t gva = VBASE + 0x1000; /* scattered page 1 */
	const int levels = pt_levels(fmt);

	hand_made(f, fmt);
	for (uint64_t t = 0x1000; t < 0x5000; t += 4) /* U/S in every entry of every table */
		if (f->mem.host[t] & PTE_P)
			f->mem.host[t] |= PTE_US;
	expect_access(f, gva, false, "yyyy");
	expect_access(f, VBASE + RO_PAGE * 0x1000ull, false, "y-y-"); /* leaf R/W clear */
	expect_access(f, VBASE + RO_PAGE * 0x1000ull, true, "y-yy");  /* CR0.WP clear */
	for (int l = 0; l < levels; l++) {
		uint8_t *e = entry_at(f, gva, l);

		*e &= (uint8_t)~PTE_US;
		expect_access(f, gva, false, "--yy");
		expect_access(f, gva, true, "--yy");
		*e |= PTE_US;
		*e &= (uint8_t)~PTE_RW;
		expect_access(f, gva, false, "y-y-");
		expect_access(f, gva, true, "y-yy");
		*e |= PTE_RW;
	}
	expect_access(f, gva, false, "yyyy");
}

static void test_priv_levels_4level(void **state)
{
	test_priv_levels(state, PT_4LEVEL);
}

static void test_priv_levels_32bit(void **state)
{
	test_priv_levels(state, PT_32BIT);
}

/* A large page (2 MiB or 4 MiB) whose leaf lacks U/S, over a user-accessible table. */
static void test_priv_large_page(void **state, enum pt_format fmt)
{
	struct fixture *f = *state;
	const uint64_t u = PTE_P | PTE_RW | PTE_US;

	f->fmt = fmt;
	if (fmt == PT_4LEVEL) {
		put(f, 0x1000, 0, 0x2000 | u);
		put(f, 0x2000, 0, 0x3000 | u);
		put(f, 0x3000, 0, 0 | PTE_P | PTE_RW | PTE_PS);
	} else {
		put(f, 0x1000, 0, 0 | PTE_P | PTE_RW | PTE_PS);
	}
	f->v = (struct gview){ .mem = &f->mem, .fmt = fmt, .root = 0x1000 };
	expect_access(f, 0x8000, false, "--yy");
	put(f, fmt == PT_4LEVEL ? 0x3000 : 0x1000, 0, 0 | u | PTE_PS);
	expect_access(f, 0x8000, false, "yyyy");
}

static void test_priv_large_page_4level(void **state)
{
	test_priv_large_page(state, PT_4LEVEL);
}

static void test_priv_large_page_32bit(void **state)
{
	test_priv_large_page(state, PT_32BIT);
}

/* Ring 3 over a range that runs from user pages into a supervisor page: refused whole,
 * nothing copied, iovecs stop before it, strings that reach it are -EFAULT. */
static void test_priv_ranges(void **state, enum pt_format fmt)
{
	struct fixture *f = *state;
	struct gview u;
	const uint64_t base = VBASE;
	uint8_t buf[0x40], *snap = malloc(MEM_SIZE);
	char str[64];
	struct iovec iov[4];
	uint64_t gva, len;

	assert_non_null(snap);
	hand_made(f, fmt);
	for (uint64_t t = 0x1000; t < 0x5000; t += 4)
		if (f->mem.host[t] & PTE_P)
			f->mem.host[t] |= PTE_US;
	*entry_at(f, base + 0x1000, pt_levels(fmt) - 1) &= (uint8_t)~PTE_US; /* page 1 */
	u = f->v;
	u.user = true;
	/* Page 0 is the user's, page 1 (gpa 0x9000) the supervisor's. */
	assert_int_equal(gva_check(&u, base, 0x1000, true), 0);
	assert_int_equal(gva_check(&u, base + 0xff0, 0x11, false), -EFAULT);
	assert_int_equal(gva_check(&f->v, base + 0xff0, 0x11, true), 0);
	memcpy(snap, f->mem.host, MEM_SIZE);
	memset(buf, FILL, sizeof(buf));
	assert_int_equal(gva_read(&u, base + 0xfe0, buf, sizeof(buf)), -EFAULT);
	assert_true(all_bytes(buf, sizeof(buf), FILL));
	assert_int_equal(gva_write(&u, base + 0xfe0, buf, sizeof(buf)), -EFAULT);
	assert_memory_equal(f->mem.host, snap, MEM_SIZE); /* not even the user half */
	assert_int_equal(gva_read(&u, base + 0x1000, buf, 1), -EFAULT);
	gva = base + 0x800;
	len = 0x1000;
	assert_int_equal(gva_iov(&u, &gva, &len, false, iov, 4), 1);
	assert_int_equal(iov[0].iov_len, 0x800);
	assert_int_equal(gva_iov(&u, &gva, &len, false, iov, 4), -EFAULT);
	assert_int_equal(gva, base + 0x1000);
	assert_int_equal(len, 0x800);
	/* A string whose NUL lies on the supervisor page. */
	memset(f->mem.host + 0x8ffc, 'u', 4);
	f->mem.host[0x9000] = 0;
	assert_int_equal(gva_strlen(&u, base + 0xffc, UINT64_MAX), -EFAULT);
	assert_int_equal(gva_strcpy(&u, base + 0xffc, str, sizeof(str)), -EFAULT);
	assert_string_equal(str, "uuuu"); /* what came before, terminated */
	assert_int_equal(gva_strlen(&f->v, base + 0xffc, UINT64_MAX), 4);
	assert_int_equal(gva_strcpy(&f->v, base + 0xffc, str, sizeof(str)), 4);
	assert_string_equal(str, "uuuu");
	free(snap);
}

static void test_priv_ranges_4level(void **state)
{
	test_priv_ranges(state, PT_4LEVEL);
}

static void test_priv_ranges_32bit(void **state)
{
	test_priv_ranges(state, PT_32BIT);
}

/* pt_build_spec without .user maps supervisor-only: nothing of it for ring 3. As the VMM
 * uses it for a ring-3 guest: everything user but the VMM's regions. */
static void test_priv_built(void **state)
{
	struct fixture *f = *state;
	struct pt_spec spec = { .fmt = PT_4LEVEL,
				.size = MEM_SIZE,
				.user = true,
				.kernel_start = 0x1000,
				.kernel_end = 0x7000 };
	struct pt_built b;

	build(f, PT_4LEVEL, BUILT_MAP);
	expect_access(f, 0x8000, false, "--yy");
	memset(f->mem.host, 0, MEM_SIZE);
	assert_int_equal(pt_build_spec(&f->mem, &spec, 0x1000, 0x6000, &b), 0);
	f->v = (struct gview){ .mem = &f->mem, .fmt = PT_4LEVEL, .root = b.root };
	expect_access(f, 0x0000, false, "yyyy");
	expect_access(f, 0x1000, false, "--yy"); /* the tables themselves */
	expect_access(f, 0x3000, false, "--yy");
	expect_access(f, 0x4000, false, "--yy");
	expect_access(f, 0x6000, false, "--yy"); /* the rest of the range */
	expect_access(f, 0x7000, false, "yyyy");
	expect_access(f, MEM_SIZE - 0x1000, false, "yyyy");
}

/* Paging off: ring 3 is kept out of [sys_start, sys_end) only. */
static void test_priv_none(void **state)
{
	struct fixture *f = *state;
	struct gview v = f->v;
	struct iovec iov[2];
	uint64_t gva = 0x7000, len = 0x4000;
	char str[16];

	gva_set_cpl(&v, 3, 0x8000, 0xa000);
	assert_true(v.user);
	assert_int_equal(gva_check(&v, 0, 0x8000, true), 0);
	assert_int_equal(gva_check(&v, 0xa000, MEM_SIZE - 0xa000, true), 0);
	assert_int_equal(gva_check(&v, 0x8000, 1, false), -EFAULT);
	assert_int_equal(gva_check(&v, 0x9fff, 1, false), -EFAULT);
	assert_int_equal(gva_check(&v, 0x7fff, 2, false), -EFAULT);
	assert_int_equal(gva_check(&v, 0x9fff, 2, true), -EFAULT);
	assert_int_equal(gva_check(&v, 0, MEM_SIZE, false), -EFAULT);
	assert_int_equal(gva_iov(&v, &gva, &len, true, iov, 2), 1);
	assert_int_equal(iov[0].iov_len, 0x1000); /* up to sys_start, not across it */
	assert_int_equal(gva_iov(&v, &gva, &len, true, iov, 2), -EFAULT);
	memset(f->mem.host + 0x7ffe, 'p', 2); /* the NUL would be at 0x8000 */
	assert_int_equal(gva_strcpy(&v, 0x7ffe, str, sizeof(str)), -EFAULT);
	assert_int_equal(gva_strlen(&v, 0x7ffe, UINT64_MAX), -EFAULT);
	/* Ring 0 reaches it; so does ring 3 of a view without the range. */
	gva_set_cpl(&v, 0, 0x8000, 0xa000);
	assert_false(v.user);
	assert_int_equal(gva_check(&v, 0, MEM_SIZE, true), 0);
	assert_int_equal(gva_strcpy(&v, 0x7ffe, str, sizeof(str)), 2);
	gva_set_cpl(&v, 3, 0, 0);
	assert_int_equal(gva_check(&v, 0, MEM_SIZE, true), 0);
}

static void test_cpl(void **state)
{
	(void)state;
	assert_int_equal(gva_cpl(0, 3, 0x1b), 0); /* real mode: no rings */
	assert_int_equal(gva_cpl(CR0_PE, 0, 0x08), 0);
	assert_int_equal(gva_cpl(CR0_PE, 3, 0x1b), 3);
	assert_int_equal(gva_cpl(CR0_PE, 3, 0x08), 3); /* SS.DPL is the CPL */
	assert_int_equal(gva_cpl(CR0_PE, 0, 0x1b), 3); /* any sign of ring 3 wins */
	assert_int_equal(gva_cpl(CR0_PE | CR0_PG, 1, 0x09), 1);
	assert_int_equal(gva_cpl(CR0_PE, 7, 0), 3); /* only two bits count */
}

/* gva_view takes CR0.WP; every view it makes is ring 0 until gva_set_cpl. */
static void test_view_wp(void **state)
{
	struct fixture *f = *state;
	struct gview v;

	assert_int_equal(gva_view(&v, &f->mem, CR0_PE | CR0_PG | CR0_WP, 0x1000, 0, 0), 0);
	assert_false(v.wp_off);
	assert_false(v.user);
	assert_int_equal(gva_view(&v, &f->mem, CR0_PE | CR0_PG, 0x1000, 0, 0), 0);
	assert_true(v.wp_off);
	gva_set_cpl(&v, 3, 0, 0);
	assert_true(v.user);
}

/* gva_strcpy: the string copied once and terminated by the VMM. */
static void test_strcpy(void **state)
{
	struct fixture *f = *state;
	const struct gview *v = &f->v;
	uint8_t *m = f->mem.host;
	char buf[8];

	memcpy(m + 0x100, "hello", 6);
	assert_int_equal(gva_strcpy(v, 0x100, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(gva_strcpy(v, 0x100, buf, 6), 5); /* exactly fits */
	assert_int_equal(gva_strcpy(v, 0x100, buf, 5), -ENAMETOOLONG);
	assert_string_equal(buf, "hell"); /* truncated, terminated */
	assert_int_equal(gva_strcpy(v, 0x100, buf, 1), -ENAMETOOLONG);
	assert_string_equal(buf, "");
	assert_int_equal(gva_strcpy(v, 0x105, buf, 1), 0);
	/* Bytes after the NUL on the same page are not the string's. */
	memcpy(m + 0x200, "ab\0cdefg", 8);
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(gva_strcpy(v, 0x200, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "ab");
	/* Running into the end of memory, and starting outside it. */
	memset(m + MEM_SIZE - 3, 'z', 3);
	assert_int_equal(gva_strcpy(v, MEM_SIZE - 3, buf, sizeof(buf)), -EFAULT);
	assert_string_equal(buf, "zzz");
	assert_int_equal(gva_strcpy(v, MEM_SIZE - 3, buf, 3), -ENAMETOOLONG);
	assert_int_equal(gva_strcpy(v, MEM_SIZE, buf, sizeof(buf)), -EFAULT);
	assert_string_equal(buf, "");
	assert_int_equal(gva_strcpy(v, UINT64_MAX, buf, sizeof(buf)), -EFAULT);
}

/* Across scattered pages: the copy follows the tables, never the physical neighbour. */
static void test_strcpy_scatter(void **state)
{
	struct fixture *f = *state;
	uint8_t *m = f->mem.host;
	char buf[16];

	hand_made(f, PT_4LEVEL);
	memcpy(m + 0x9ffc, "abcd", 4); /* page 1 ends "abcd", page 2 (gpa 0x7000) "ef" */
	memcpy(m + 0x7000, "ef", 3);
	m[0xa000] = 0;
	assert_int_equal(gva_strcpy(&f->v, VBASE + 0x1ffc, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "abcdef");
	assert_int_equal(gva_strcpy(&f->v, VBASE + 0x1ffc, buf, 5), -ENAMETOOLONG);
	assert_string_equal(buf, "abcd");
	/* Into absent page 7. */
	memset(m + 0xfff0, 'w', 0x10);
	assert_int_equal(gva_strcpy(&f->v, VBASE + 0x6ff0, buf, sizeof(buf)), -ENAMETOOLONG);
	assert_int_equal(gva_strcpy(&f->v, VBASE + 0x6ff8, buf, sizeof(buf)), -EFAULT);
	assert_string_equal(buf, "wwwwwwww");
}

#define FX(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, gmem_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX(test_none_edge_returns), /* first: the others would hang on a looping access */
		FX(test_none_check),
		FX(test_none_limit),
		FX(test_none_read_write),
		FX(test_none_iov),
		FX(test_none_strlen),
		FX(test_built_4level),
		FX(test_built_32bit),
		FX(test_built_beyond_memory),
		FX(test_scatter_4level),
		FX(test_scatter_32bit),
		FX(test_scatter_strings_4level),
		FX(test_scatter_strings_32bit),
		FX(test_wrap_4level),
		FX(test_wrap_32bit),
		FX(test_large_page_past_end_4level),
		FX(test_large_page_past_end_32bit),
		FX(test_view),
		FX(test_priv_levels_4level),
		FX(test_priv_levels_32bit),
		FX(test_priv_large_page_4level),
		FX(test_priv_large_page_32bit),
		FX(test_priv_ranges_4level),
		FX(test_priv_ranges_32bit),
		FX(test_priv_built),
		FX(test_priv_none),
		FX(test_cpl),
		FX(test_view_wp),
		FX(test_strcpy),
		FX(test_strcpy_scatter),
	};

	return cmocka_run_group_tests_name("gva", tests, NULL, NULL);
}
