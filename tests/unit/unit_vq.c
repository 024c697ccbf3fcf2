/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_vq.c: the I/O queue's parser (vmm/vq.c) over a plain buffer standing in
 * for guest memory: set-up checks, console writes and file reads (vectored, pread) run
 * through the read and write handlers, buffers outside memory answered -HC_EFAULT, the
 * VMM's indices kept to itself, and every corrupt queue refused with its reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <minivirt/hc.h>

#include "files.h"
#include "hc_dispatch.h"
#include "pagetable.h"
#include "vq.h"
#include "x86.h"

#define MEM 0x10000ull
#define QS 32u
#define DESC 0x1000ull /* the queue's three areas */
#define AVAIL 0x1400ull
#define USED 0x1600ull
#define HDRS 0x2000ull  /* request headers, 16 bytes each */
#define STATS 0x2800ull /* statuses, 8 bytes each */
#define DATA 0x3000ull  /* buffers */

struct fixture {
	struct gmem mem;
	struct share share;
	struct files files;
	struct hc_ctx c;
	struct vq q;
	struct mv_err err;
	char dir[64];
	char *out;
	size_t len;
};

static struct hc_vq_desc *desc(struct fixture *f)
{
	return (struct hc_vq_desc *)(f->mem.host + DESC);
}
static struct hc_vq_avail *avail(struct fixture *f)
{
	return (struct hc_vq_avail *)(f->mem.host + AVAIL);
}
static struct hc_vq_used *used(struct fixture *f)
{
	return (struct hc_vq_used *)(f->mem.host + USED);
}
static int64_t status(struct fixture *f, unsigned i)
{
	int64_t v;

	memcpy(&v, f->mem.host + STATS + 8 * i, 8);
	return v;
}

static int fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const struct hc_queue_setup r = { .desc = DESC, .avail = AVAIL, .used = USED, .size = QS };
	char path[128];
	FILE *file;

	f->mem = (struct gmem){ .host = calloc(1, MEM), .size = MEM };
	snprintf(f->dir, sizeof(f->dir), "/tmp/unit_vq.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/f", f->dir);
	assert_non_null(file = fopen(path, "w"));
	fputs("abcdefghijklmnopqrstuvwxyz\n", file);
	fclose(file);
	assert_int_equal(share_open_dir(&f->share, f->dir, false, &(const char *){ NULL }), 0);
	files_init(&f->files, &f->share, 8);
	f->c.files = &f->files;
	f->c.out = open_memstream(&f->out, &f->len);
	f->c.view = (struct gview){ .mem = &f->mem, .fmt = PT_NONE };
	assert_int_equal(vq_setup(&f->q, &f->c.view, &r), 0);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];

	fclose(f->c.out);
	free(f->out);
	files_destroy(&f->files);
	share_close(&f->share);
	snprintf(path, sizeof(path), "%s/f", f->dir);
	unlink(path);
	rmdir(f->dir);
	free(f->mem.host);
	free(f);
	return 0;
}

static void set(struct fixture *f, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
		uint16_t next)
{
	desc(f)[i] = (struct hc_vq_desc){ .addr = addr, .len = len, .flags = flags, .next = next };
}

/* Chain at d, d+1, d+2 (request number n: its header and status slots): header, one
 * buffer, status. Returns d. */
static uint16_t chain(struct fixture *f, unsigned d, unsigned n, uint32_t op, int fd, int64_t off,
		      uint64_t buf, uint32_t len)
{
	const struct hc_vq_req h = { .op = op, .fd = fd, .offset = off };

	memcpy(f->mem.host + HDRS + 16 * n, &h, sizeof(h));
	memset(f->mem.host + STATS + 8 * n, 0x55, 8);
	set(f, d, HDRS + 16 * n, 16, HC_VQ_DESC_F_NEXT, (uint16_t)(d + 1));
	set(f, d + 1, buf, len,
	    (uint16_t)(HC_VQ_DESC_F_NEXT | (op == HC_VQ_READ ? HC_VQ_DESC_F_WRITE : 0)),
	    (uint16_t)(d + 2));
	set(f, d + 2, STATS + 8 * n, 8, HC_VQ_DESC_F_WRITE, 0);
	return (uint16_t)d;
}

static void publish(struct fixture *f, uint16_t head)
{
	avail(f)->ring[avail(f)->idx % QS] = head;
	avail(f)->idx++;
}

static void expect_out(struct fixture *f, const char *want)
{
	fflush(f->c.out);
	assert_int_equal(f->len, strlen(want));
	assert_memory_equal(f->out, want, f->len);
}

static void test_setup_checks(void **state)
{
	struct fixture *f = *state;
	struct hc_queue_setup r = { .desc = DESC, .avail = AVAIL, .used = USED, .size = 3 };
	struct gview user = f->c.view;
	struct vq q;

	assert_int_equal(vq_setup(&q, &f->c.view, &r), -HC_EINVAL);
	r.size = 0;
	assert_int_equal(vq_setup(&q, &f->c.view, &r), -HC_EINVAL);
	r.size = 512;
	assert_int_equal(vq_setup(&q, &f->c.view, &r), -HC_EINVAL);
	r.size = QS;
	r.desc = DESC + 8;
	assert_int_equal(vq_setup(&q, &f->c.view, &r), -HC_EINVAL);
	r.desc = DESC;
	r.used = USED + 2;
	assert_int_equal(vq_setup(&q, &f->c.view, &r), -HC_EINVAL);
	r.used = MEM - 16; /* runs past the end of memory */
	assert_int_equal(vq_setup(&q, &f->c.view, &r), -HC_EFAULT);
	r.used = USED;
	r.desc = UINT64_MAX - 15; /* wraps around */
	assert_int_equal(vq_setup(&q, &f->c.view, &r), -HC_EFAULT);
	r.desc = DESC;
	/* ring 3, paging off: the VMM's regions are out of reach */
	gva_set_cpl(&user, 3, USED, USED + 0x1000);
	assert_int_equal(vq_setup(&q, &user, &r), -HC_EFAULT);
	gva_set_cpl(&user, 3, 0x8000, 0x9000);
	assert_int_equal(vq_setup(&q, &user, &r), 0);
	assert_ptr_equal(q.used, f->mem.host + USED);
	assert_int_equal(q.size, QS);
}

/* The VMM writes the used ring: in a page the guest's tables map read-only it is refused
 * (-HC_EFAULT); the descriptor table and the avail ring, which the VMM only reads, may be
 * read-only. */
static void test_setup_readonly(void **state)
{
	struct fixture *f = *state;
	struct hc_queue_setup r = { .desc = DESC, .avail = AVAIL, .used = USED, .size = QS };
	struct gview v = { .mem = &f->mem, .fmt = PT_4LEVEL };
	const struct pt_step *leaf;
	struct pt_built b;
	struct pt_walk w;
	uint64_t e;
	struct vq q;

	/* 4 KiB pages over the 64 KiB, their four tables at 0xc000 */
	assert_int_equal(pt_build_spec(&f->mem, &(struct pt_spec){ .fmt = PT_4LEVEL, .size = MEM },
				       0xc000, MEM, &b),
			 0);
	v.root = b.root;
	assert_int_equal(vq_setup(&q, &v, &r), 0);
	/* the page of the three areas read-only */
	assert_int_equal(pt_walk(&f->mem, PT_4LEVEL, b.root, USED, &w), 0);
	leaf = &w.step[w.steps - 1];
	memcpy(&e, f->mem.host + leaf->table + 8ull * leaf->index, 8);
	e &= ~(uint64_t)PTE_RW;
	memcpy(f->mem.host + leaf->table + 8ull * leaf->index, &e, 8);
	assert_int_equal(vq_setup(&q, &v, &r), -HC_EFAULT);
	r.used = 0x4000; /* a writable page: desc and avail read-only are fine */
	assert_int_equal(vq_setup(&q, &v, &r), 0);
}

static void test_console_writes(void **state)
{
	struct fixture *f = *state;

	memcpy(f->mem.host + DATA, "hello, queue\n", 13);
	publish(f, chain(f, 0, 0, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, DATA, 7));
	publish(f, chain(f, 3, 1, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, DATA + 7, 6));
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), 2);
	expect_out(f, "hello, queue\n");
	assert_int_equal(status(f, 0), 7);
	assert_int_equal(status(f, 1), 6);
	assert_int_equal(used(f)->idx, 2);
	assert_int_equal(used(f)->ring[0].id, 0);
	assert_int_equal(used(f)->ring[0].len, 8); /* a write: only the status written */
	assert_int_equal(used(f)->ring[1].id, 3);
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), 0);
	assert_int_equal(f->q.chains, 2);
	assert_int_equal(f->q.bytes, 13);
}

/* open f through the hypercall's own handler: the fd the queue then reads. */
static int open_f(struct fixture *f)
{
	struct hc_open o = { .path = DATA + 0x800, .flags = HC_O_RDONLY };

	memcpy(f->mem.host + DATA + 0x800, "f", 2);
	hc_open(&f->c, &o);
	assert_int_equal(o.ret, 3);
	return o.ret;
}

static void test_file_reads(void **state)
{
	struct fixture *f = *state;
	const int fd = open_f(f);

	/* pread at 5 into two buffers: header 10, buffers 12 and 11, status 13 */
	publish(f, chain(f, 0, 0, HC_VQ_READ, fd, 0, DATA, 5));
	memcpy(f->mem.host + HDRS + 16, &(struct hc_vq_req){ HC_VQ_READ, fd, 5 }, 16);
	set(f, 10, HDRS + 16, 16, HC_VQ_DESC_F_NEXT, 12);
	set(f, 12, DATA + 0x100, 3, HC_VQ_DESC_F_NEXT | HC_VQ_DESC_F_WRITE, 11);
	set(f, 11, DATA + 0x200, 100, HC_VQ_DESC_F_NEXT | HC_VQ_DESC_F_WRITE, 13);
	set(f, 13, STATS + 8, 8, HC_VQ_DESC_F_WRITE, 0);
	publish(f, 10);
	/* the position, untouched by the preads: a read at it starts at 0 */
	publish(f, chain(f, 3, 2, HC_VQ_READ, fd, HC_OFFSET_CURRENT, DATA + 0x300, 2));
	/* a buffer past the end of memory: -EFAULT, nothing moved, the queue goes on */
	publish(f, chain(f, 6, 3, HC_VQ_READ, fd, 0, MEM - 2, 4));
	publish(f, chain(f, 20, 4, HC_VQ_READ, 7, 0, DATA, 4)); /* no such fd */
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), 5);
	assert_int_equal(status(f, 0), 5);
	assert_memory_equal(f->mem.host + DATA, "abcde", 5);
	assert_int_equal(status(f, 1), 22);
	assert_memory_equal(f->mem.host + DATA + 0x100, "fgh", 3);
	assert_memory_equal(f->mem.host + DATA + 0x200, "ijklmnopqrstuvwxyz\n", 19);
	assert_int_equal(used(f)->ring[1].len, 30);
	assert_int_equal(status(f, 2), 2);
	assert_memory_equal(f->mem.host + DATA + 0x300, "ab", 2);
	assert_int_equal(status(f, 3), -HC_EFAULT);
	assert_int_equal(status(f, 4), -HC_EBADF);
}

/* The guest may scribble on used.idx: the VMM goes on from its own count. */
static void test_own_indices(void **state)
{
	struct fixture *f = *state;

	publish(f, chain(f, 0, 0, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, DATA, 0));
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), 1);
	used(f)->idx = 999;
	used(f)->ring[1].id = 77;
	publish(f, chain(f, 3, 1, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, DATA, 0));
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), 1);
	assert_int_equal(used(f)->idx, 2);
	assert_int_equal(used(f)->ring[1].id, 3);
	assert_int_equal(status(f, 1), 0);
}

/* Each way of damaging the chain at descriptor 0 (after one good chain, which stays
 * answered), and the reason given. */
static void refused(struct fixture *f, const char *why)
{
	publish(f, chain(f, 3, 1, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, DATA, 1));
	publish(f, 0);
	memset(&f->err, 0, sizeof(f->err));
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), -1);
	assert_string_equal(f->err.msg, why);
	assert_int_equal(used(f)->idx, 1);
	assert_int_equal(status(f, 1), 1);
}

#define DAMAGE(name, why, ...)                                              \
	static void test_##name(void **state)                               \
	{                                                                   \
		struct fixture *f = *state;                                 \
                                                                            \
		chain(f, 0, 0, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, DATA, 1); \
		__VA_ARGS__;                                                \
		refused(f, why);                                            \
	}

DAMAGE(next, "descriptor 1 links to 32, past the 32 descriptors", desc(f)[1].next = QS)
DAMAGE(loop, "chain at head 0 loops back to descriptor 0", desc(f)[2].flags |= HC_VQ_DESC_F_NEXT)
DAMAGE(indirect, "descriptor 1 is indirect (not offered)",
       desc(f)[1].flags |= HC_VQ_DESC_F_INDIRECT)
DAMAGE(hdr_len, "request header of 17 bytes (16, read-only expected)", desc(f)[0].len = 17)
DAMAGE(hdr_dir, "request header of 16 bytes, device-writable (16, read-only expected)",
       desc(f)[0].flags |= HC_VQ_DESC_F_WRITE)
DAMAGE(status_len, "request status of 4 bytes (8, writable expected)", desc(f)[2].len = 4)
DAMAGE(one, "a chain of one descriptor (header and status needed)", desc(f)[0].flags = 0)
DAMAGE(op, "request of unknown op 0", memset(f->mem.host + HDRS, 0, 4))
DAMAGE(data_dir, "writable buffer in a write request", desc(f)[1].flags |= HC_VQ_DESC_F_WRITE)
DAMAGE(hdr_addr, "request header at 0xfff8 not readable", desc(f)[0].addr = MEM - 8)
DAMAGE(status_addr, "request status at 0xfffc not writable", desc(f)[2].addr = MEM - 4)
DAMAGE(long_chain, "chain at head 0 longer than 16 descriptors",
       for (unsigned i = 0; i < 17; i++)
	       set(f, 6 + i, DATA, 1, HC_VQ_DESC_F_NEXT, (uint16_t)(7 + i));
       desc(f)[1].next = 6)

/* Header and status translated together when one page holds both (vq.c's ends_together),
 * with write access: a page the guest's tables map read-only still gives the header, with
 * the status elsewhere; with both there, the status is the one refused. */
static void test_ends_readonly(void **state)
{
	struct fixture *f = *state;
	const int fd = open_f(f);
	const struct pt_step *leaf;
	struct pt_built b;
	struct pt_walk w;
	uint64_t e;

	assert_int_equal(pt_build_spec(&f->mem, &(struct pt_spec){ .fmt = PT_4LEVEL, .size = MEM },
				       0xc000, MEM, &b),
			 0);
	f->c.view = (struct gview){ .mem = &f->mem, .fmt = PT_4LEVEL, .root = b.root };
	assert_int_equal(pt_walk(&f->mem, PT_4LEVEL, b.root, HDRS, &w), 0); /* and STATS */
	leaf = &w.step[w.steps - 1];
	memcpy(&e, f->mem.host + leaf->table + 8ull * leaf->index, 8);
	e &= ~(uint64_t)PTE_RW;
	memcpy(f->mem.host + leaf->table + 8ull * leaf->index, &e, 8);
	/* the status on a writable page: answered */
	publish(f, chain(f, 0, 0, HC_VQ_READ, fd, 0, DATA, 5));
	desc(f)[2].addr = DATA + 0x800;
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), 1);
	assert_memory_equal(f->mem.host + DATA, "abcde", 5);
	assert_int_equal(*(int64_t *)(f->mem.host + DATA + 0x800), 5);
	/* both on the read-only page */
	publish(f, chain(f, 3, 1, HC_VQ_READ, fd, 0, DATA, 5));
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), -1);
	assert_string_equal(f->err.msg, "request status at 0x2808 not writable");
}

/* The longest chain served: header, 14 buffers, status (16 descriptors). */
static void test_chain_of_16(void **state)
{
	struct fixture *f = *state;

	memcpy(f->mem.host + DATA, "abcdefghijklmn", 14);
	chain(f, 0, 0, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, DATA, 1);
	desc(f)[0].next = 6;
	for (unsigned i = 0; i < 14; i++)
		set(f, 6 + i, DATA + i, 1, HC_VQ_DESC_F_NEXT, (uint16_t)(7 + i));
	desc(f)[19].next = 2;
	publish(f, 0);
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), 1);
	expect_out(f, "abcdefghijklmn");
	assert_int_equal(status(f, 0), 14);
}
/* One descriptor more (15 buffers) is one too many. */
DAMAGE(chain_of_17, "chain at head 0 longer than 16 descriptors", desc(f)[0].next = 6;
       for (unsigned i = 0; i < 15; i++)
	       set(f, 6 + i, DATA + i, 1, HC_VQ_DESC_F_NEXT, (uint16_t)(7 + i));
       desc(f)[20].next = 2)

static void test_head(void **state)
{
	struct fixture *f = *state;

	publish(f, chain(f, 3, 1, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, DATA, 1));
	publish(f, QS + 5);
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), -1);
	assert_string_equal(f->err.msg, "avail.ring[1] = 37, past the 32 descriptors");
	assert_int_equal(used(f)->idx, 1);
}

static void test_avail_ahead(void **state)
{
	struct fixture *f = *state;

	avail(f)->idx = QS + 1;
	assert_int_equal(vq_serve(&f->q, vq_avail(&f->q), &f->c, &f->err), -1);
	assert_string_equal(f->err.msg,
			    "avail.idx 33 is 33 ahead of the VMM, past the 32 descriptors");
	assert_int_equal(used(f)->idx, 0);
}

static void test_no_notify(void **state)
{
	struct fixture *f = *state;

	vq_set_no_notify(&f->q, true);
	assert_int_equal(used(f)->flags, HC_VQ_USED_F_NO_NOTIFY);
	assert_false(vq_pending(&f->q));
	publish(f, chain(f, 0, 0, HC_VQ_WRITE, 1, HC_OFFSET_CURRENT, DATA, 0));
	assert_true(vq_pending(&f->q));
	vq_set_no_notify(&f->q, false);
	assert_int_equal(used(f)->flags, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(test_##name, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(setup_checks), T(console_writes), T(file_reads),    T(own_indices),
		T(next),         T(loop),           T(indirect),      T(hdr_len),
		T(hdr_dir),      T(status_len),     T(one),           T(op),
		T(data_dir),     T(hdr_addr),       T(status_addr),   T(long_chain),
		T(head),         T(avail_ahead),    T(no_notify),     T(setup_readonly),
		T(chain_of_16),  T(chain_of_17),    T(ends_readonly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
