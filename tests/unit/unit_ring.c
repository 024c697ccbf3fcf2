/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_ring.c: the console ring's set-up checks and its drain over a plain
 * buffer standing in for guest memory: records printed in order across the wrap, tail
 * published, every corrupt ring refused without reading outside memory; the polling
 * thread's awake flag and its last look before sleeping; the 16-byte header of rings set
 * up without HC_RING_F_AWAKE (guests older than ABI version 3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minivirt/hc.h>

#include "ring.h"

#define MEM 0x20000ull
#define RING 0x1000ull
#define SIZE 4096u

struct fixture {
	struct gmem mem;
	struct ring r;
	char *out;
	size_t len;
};

static struct hc_ring *hdr(struct fixture *f)
{
	return (struct hc_ring *)(f->mem.host + RING);
}

/* A ring in fresh memory, set up with flags. */
static int setup_with(void **state, uint32_t flags)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->mem = (struct gmem){ .host = calloc(1, MEM), .size = MEM };
	hdr(f)->size = SIZE;
	f->r.out = open_memstream(&f->out, &f->len);
	f->r.view = (struct gview){ .mem = &f->mem, .fmt = PT_NONE };
	assert_int_equal(ring_setup(&f->r, &f->r.view, RING, flags), 0);
	*state = f;
	return 0;
}

static int fx_setup(void **state)
{
	return setup_with(state, HC_RING_F_AWAKE);
}

/* The same over a ring set up as a guest older than ABI version 3 sets it up. */
static int fx_setup_v2(void **state)
{
	return setup_with(state, 0);
}

static int fx_teardown(void **state)
{
	struct fixture *f = *state;

	fclose(f->r.out);
	free(f->out);
	free(f->mem.host);
	free(f);
	return 0;
}

/* Appends a record as a guest would (wrapping at the end of data). */
static void put(struct fixture *f, uint32_t kind, int fd, uint32_t value, const char *s)
{
	struct hc_ring *h = hdr(f);
	uint8_t *data = f->mem.host + RING + f->r.hdr; /* after the header set up */
	uint32_t len = s ? (uint32_t)strlen(s) : 0;
	struct hc_ring_rec rec = { kind, len, fd, value };
	uint8_t bytes[16 + 256];

	memcpy(bytes, &rec, 16);
	if (len)
		memcpy(bytes + 16, s, len);
	for (uint32_t i = 0; i < 16 + len; i++)
		data[(h->head + i) & (SIZE - 1)] = bytes[i];
	h->head += HC_RING_REC_SIZE(len);
}

static void expect_printed(struct fixture *f, const char *want)
{
	fflush(f->r.out);
	assert_int_equal(f->len, strlen(want));
	assert_memory_equal(f->out, want, f->len);
}

static void test_validate(void **state)
{
	struct fixture *f = *state;
	uint32_t size = 0;

	assert_int_equal(ring_validate_setup(&f->r.view, RING, HC_RING_F_AWAKE, &size), 0);
	assert_int_equal(size, SIZE);
	hdr(f)->size = 3000; /* not a power of two */
	assert_int_equal(ring_validate_setup(&f->r.view, RING, HC_RING_F_AWAKE, &size), -HC_EINVAL);
	hdr(f)->size = 2048; /* too small */
	assert_int_equal(ring_validate_setup(&f->r.view, RING, HC_RING_F_AWAKE, &size), -HC_EINVAL);
	hdr(f)->size = 1u << 21; /* too large */
	assert_int_equal(ring_validate_setup(&f->r.view, RING, HC_RING_F_AWAKE, &size), -HC_EINVAL);
	hdr(f)->size = SIZE;
	assert_int_equal(ring_validate_setup(&f->r.view, RING + 4, 0, &size),
			 -HC_EINVAL); /* aligned */
	/* A header inside memory whose data runs past its end. */
	((struct hc_ring *)(f->mem.host + MEM - 16))->size = SIZE;
	assert_int_equal(ring_validate_setup(&f->r.view, MEM - 16, 0, &size), -HC_EFAULT);
	assert_int_equal(ring_validate_setup(&f->r.view, MEM + 4096, 0, &size), -HC_EFAULT);
}

/* flags: HC_RING_F_AWAKE's header is 8 bytes longer, whose data must fit as well; any
 * other flag is refused (a guest of a later ABI on this VMM). */
static void test_validate_flags(void **state)
{
	struct fixture *f = *state;
	const uint64_t at = MEM - HC_RING_HDR_V2 - SIZE; /* the old header's data just fits */
	uint32_t size = 0;

	assert_int_equal(ring_validate_setup(&f->r.view, RING, 2, &size), -HC_EINVAL);
	assert_int_equal(ring_validate_setup(&f->r.view, RING, HC_RING_F_AWAKE | 4, &size),
			 -HC_EINVAL);
	((struct hc_ring *)(f->mem.host + at))->size = SIZE;
	assert_int_equal(ring_validate_setup(&f->r.view, at, 0, &size), 0);
	assert_int_equal(ring_validate_setup(&f->r.view, at, HC_RING_F_AWAKE, &size), -HC_EFAULT);
}

/* Set up from ring 3: the whole ring (header and data) must be ring 3's; the drain
 * later uses the same view. Paging off, the VMM's regions stand for supervisor pages. */
static void test_validate_ring3(void **state)
{
	struct fixture *f = *state;
	struct gview v = f->r.view;
	uint32_t size = 0;

	gva_set_cpl(&v, 3, 0x8000, 0xa000);
	assert_int_equal(ring_validate_setup(&v, RING, HC_RING_F_AWAKE, &size), 0);
	assert_int_equal(size, SIZE);
	memcpy(f->mem.host + 0x8000, hdr(f), sizeof(struct hc_ring)); /* a ring on their page */
	assert_int_equal(ring_validate_setup(&v, 0x8000, HC_RING_F_AWAKE, &size), -HC_EFAULT);
	gva_set_cpl(&v, 3, RING + 0x800, 0xa000); /* its data runs into them */
	assert_int_equal(ring_validate_setup(&v, RING, HC_RING_F_AWAKE, &size), -HC_EFAULT);
	gva_set_cpl(&v, 0, RING + 0x800, 0xa000); /* ring 0 may */
	assert_int_equal(ring_validate_setup(&v, RING, HC_RING_F_AWAKE, &size), 0);
}

static void test_drain_in_order_across_wrap(void **state)
{
	struct fixture *f = *state;
	struct hc_ring *h = hdr(f);

	/* Start near the end so records wrap around the data area. */
	h->head = h->tail = SIZE - 24;
	put(f, HC_RING_DISPLAY, 0, 0, "first record wraps\n");
	put(f, HC_RING_PRINT_VAL, 0, 4294967295u, NULL);
	put(f, HC_RING_WRITE, 1, 0, "write(1)\n");
	assert_int_equal(ring_drain(&f->r), 0);
	expect_printed(f, "first record wraps\n4294967295\nwrite(1)\n");
	assert_int_equal(h->tail, h->head); /* consumed and published */
	assert_int_equal(f->r.records, 3);
	assert_int_equal(ring_drain(&f->r), 0); /* empty: nothing more */
	expect_printed(f, "first record wraps\n4294967295\nwrite(1)\n");
}

/* The awake flag: set while the thread polls; ring_idle clears it and sleeps only when
 * head has not moved past what the last drain consumed, else sets it again. */
static void test_awake_and_idle(void **state)
{
	struct fixture *f = *state;
	struct hc_ring *h = hdr(f);

	assert_false(ring_pending(&f->r));
	ring_set_awake(&f->r, true);
	assert_int_equal(h->awake, 1);
	assert_true(ring_idle(&f->r)); /* nothing published: sleep, the guest rings now */
	assert_int_equal(h->awake, 0);
	ring_set_awake(&f->r, true);
	put(f, HC_RING_DISPLAY, 0, 0, "came while polling\n");
	assert_true(ring_pending(&f->r));
	assert_false(ring_idle(&f->r)); /* the guest may have seen awake and not rung */
	assert_int_equal(h->awake, 1);
	assert_int_equal(ring_drain(&f->r), 0);
	expect_printed(f, "came while polling\n");
	assert_false(ring_pending(&f->r));
	assert_true(ring_idle(&f->r));
	assert_int_equal(h->awake, 0);
}

/* The guest's scribbles: awake is never read back (the thread still decides by head), and
 * a head that moves without records (tail moved along with it) is consumed by one drain,
 * so the guest cannot keep the thread polling without producing. */
static void test_awake_hostile(void **state)
{
	struct fixture *f = *state;
	struct hc_ring *h = hdr(f);

	h->awake = 7;
	assert_true(ring_idle(&f->r));
	assert_int_equal(h->awake, 0);
	h->head = h->tail = 4096;
	assert_true(ring_pending(&f->r));
	assert_int_equal(ring_drain(&f->r), 0);
	assert_false(ring_pending(&f->r));
	expect_printed(f, "");
	h->head += SIZE + 8; /* pending, then refused as corrupt by the drain */
	assert_true(ring_pending(&f->r));
	assert_int_equal(ring_drain(&f->r), -1);
	assert_true(atomic_load(&f->r.broken));
}

/* A ring set up without HC_RING_F_AWAKE: data right after the 16-byte header, which the
 * VMM never writes an awake into, and no polling (ring_pending stays false). */
static void test_v2_layout(void **state)
{
	struct fixture *f = *state;
	struct hc_ring *h = hdr(f);

	assert_int_equal(f->r.hdr, HC_RING_HDR_V2);
	h->head = h->tail = SIZE - 24;
	put(f, HC_RING_DISPLAY, 0, 0, "old guest, wraps\n");
	put(f, HC_RING_WRITE, 1, 0, "its write\n");
	assert_false(ring_pending(&f->r));
	assert_int_equal(ring_drain(&f->r), 0);
	expect_printed(f, "old guest, wraps\nits write\n");
	assert_int_equal(h->tail, h->head);
	assert_null(f->r.awake_at);
}

/* A corrupt ring: -1, broken, the guest-visible error flag, a reason; nothing printed. */
static void refused(struct fixture *f, const char *why)
{
	assert_int_equal(ring_drain(&f->r), -1);
	assert_true(atomic_load(&f->r.broken));
	assert_int_equal(hdr(f)->error, 1);
	assert_non_null(strstr(f->r.why.msg, why));
	fflush(f->r.out);
	assert_int_equal(f->len, 0);
	assert_int_equal(ring_drain(&f->r), -1); /* stays refused */
}

static void test_bad_indices(void **state)
{
	struct fixture *f = *state;

	hdr(f)->head = hdr(f)->tail + SIZE + 8;
	refused(f, "indices out of range");
}

static void test_bad_length(void **state)
{
	struct fixture *f = *state;
	struct hc_ring_rec rec = { HC_RING_DISPLAY, 0xfffffff0u, 0, 0 };

	memcpy(hdr(f)->data, &rec, sizeof(rec));
	hdr(f)->head = 32;
	refused(f, "record of 4294967280 bytes");
}

static void test_cut_header(void **state)
{
	struct fixture *f = *state;

	hdr(f)->head = 8; /* half a record header */
	refused(f, "cut short");
}

static void test_bad_kind_and_fd(void **state)
{
	struct fixture *f = *state;

	put(f, 77, 0, 0, "x");
	refused(f, "unknown kind 77");
}

static void test_bad_fd(void **state)
{
	struct fixture *f = *state;

	put(f, HC_RING_WRITE, 3, 0, "to a file");
	refused(f, "fd 3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_validate, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_validate_flags, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_validate_ring3, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_awake_and_idle, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_awake_hostile, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_v2_layout, fx_setup_v2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_drain_in_order_across_wrap, fx_setup_v2,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_drain_in_order_across_wrap, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_indices, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_length, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cut_header, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_kind_and_fd, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_fd, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
