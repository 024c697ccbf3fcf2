/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_hc.c: every console hypercall through hc_dispatch over a calloc'd
 * buffer standing in for guest memory, with the console on an open_memstream so the
 * output is checked byte for byte: requests, OUT fields, faults, reports and stats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gmem_fixture.h"
#include "hc_dispatch.h"

#define MEM_SIZE 0x40000ull /* 256 KiB: room for a 100 KiB string */
#define REQ 0x1000ull       /* where most requests go */
#define STR 0x2000ull       /* and their strings */

struct fixture {
	struct gmem mem;
	struct hc_ctx c;
	char *out; /* what the guest printed, from open_memstream */
	size_t len;
	size_t seen; /* bytes of out already taken by take() */
};

static int fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || gmem_fixture_new(&f->mem, MEM_SIZE, 0)) {
		free(f);
		return -1;
	}
	f->c.view = (struct gview){ .mem = &f->mem, .fmt = PT_NONE };
	if (!(f->c.out = open_memstream(&f->out, &f->len))) {
		gmem_fixture_free(&f->mem);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *f = *state;

	fclose(f->c.out);
	free(f->out);
	gmem_fixture_free(&f->mem);
	free(f);
	return 0;
}

/* The output since the last take(), NUL-terminated; its length in *n. */
static const char *take(struct fixture *f, size_t *n)
{
	const char *s;

	assert_int_equal(fflush(f->c.out), 0);
	s = f->out + f->seen;
	*n = f->len - f->seen;
	f->seen = f->len;
	return s;
}

/* Checks that the guest printed exactly want (no more, no less) since the last take(). */
static void expect_out(struct fixture *f, const char *want)
{
	size_t n;
	const char *got = take(f, &n);

	if (n != strlen(want) || memcmp(got, want, n))
		fail_msg("output \"%.*s\" (%zu bytes), want \"%s\"", (int)(n < 200 ? n : 200), got,
			 n, want);
}

static void put(struct fixture *f, uint64_t gpa, const void *src, size_t len)
{
	void *p = gmem_ptr(&f->mem, gpa, len);

	assert_non_null(p);
	memcpy(p, src, len);
}

static void get(struct fixture *f, uint64_t gpa, void *dst, size_t len)
{
	const void *p = gmem_ptr(&f->mem, gpa, len);

	assert_non_null(p);
	memcpy(dst, p, len);
}

static void put_str(struct fixture *f, uint64_t gpa, const char *s)
{
	put(f, gpa, s, strlen(s) + 1);
}

/* ---- print_val, get_num_exits ---- */

static void test_print_val(void **state)
{
	struct fixture *f = *state;
	static const uint32_t values[] = { 0, 42, 4294967295u };
	struct hc_print_val r;
	const uint32_t canary = 0x5a5a5a5a;

	put(f, REQ + sizeof(r), &canary, sizeof(canary));
	for (size_t i = 0; i < 3; i++) {
		r = (struct hc_print_val){ .value = values[i], .ret = -7 };
		put(f, REQ, &r, sizeof(r));
		assert_int_equal(hc_dispatch(&f->c, HC_NR_PRINT_VAL, REQ), HC_CONTINUE);
		get(f, REQ, &r, sizeof(r));
		assert_int_equal(r.ret, 0);           /* OUT written back */
		assert_int_equal(r.value, values[i]); /* IN unchanged */
	}
	expect_out(f, "0\n42\n4294967295\n");
	assert_memory_equal(f->mem.host + REQ + sizeof(r), &canary, sizeof(canary));
	assert_int_equal(f->c.stats.calls[HC_NR_PRINT_VAL], 3);
	assert_int_equal(f->c.stats.errors, 0);
}

static void test_get_num_exits(void **state)
{
	struct fixture *f = *state;
	struct hc_get_num_exits r = { .exits = 0xdead, .ret = -1, .pad = 0xabcd };

	f->c.exits = 0x123456789ull;
	put(f, REQ, &r, sizeof(r));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_GET_NUM_EXITS, REQ), HC_CONTINUE);
	get(f, REQ, &r, sizeof(r));
	assert_int_equal(r.exits, 0x123456789ull);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.pad, 0xabcd);
	f->c.exits = 1;
	assert_int_equal(hc_dispatch(&f->c, HC_NR_GET_NUM_EXITS, REQ), HC_CONTINUE);
	get(f, REQ, &r, sizeof(r));
	assert_int_equal(r.exits, 1);
	expect_out(f, "");
	assert_int_equal(f->c.stats.calls[HC_NR_GET_NUM_EXITS], 2);
}

static void test_vcpu_id(void **state)
{
	struct fixture *f = *state;
	struct hc_vcpu_id r = { .id = 0xdead, .ret = -1 };

	f->c.vcpu_id = 7;
	put(f, REQ, &r, sizeof(r));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_VCPU_ID, REQ), HC_CONTINUE);
	get(f, REQ, &r, sizeof(r));
	assert_int_equal(r.id, 7);
	assert_int_equal(r.ret, 0);
	expect_out(f, "");
	assert_int_equal(f->c.stats.calls[HC_NR_VCPU_ID], 1);
}

/* ---- display ---- */

/* Runs display on the string at str; returns its ret. */
static int64_t display(struct fixture *f, uint64_t req, uint64_t str)
{
	struct hc_display r = { .str = str, .ret = 12345 };

	put(f, req, &r, sizeof(r));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_DISPLAY, req), HC_CONTINUE);
	get(f, req, &r, sizeof(r));
	assert_int_equal(r.str, str);
	return r.ret;
}

static void test_display(void **state)
{
	struct fixture *f = *state;
	const char *s = "hello, world\n\ttabs, \xc3\xa9, \x1b[1mbold\x1b[0m";

	put_str(f, STR, s);
	assert_int_equal(display(f, REQ, STR), strlen(s));
	expect_out(f, s); /* the bytes exactly, nothing added */
	assert_int_equal(f->c.stats.display_bytes, strlen(s));
	/* The empty string prints nothing and returns 0. */
	put_str(f, STR, "");
	assert_int_equal(display(f, REQ, STR), 0);
	expect_out(f, "");
	/* A string on the last bytes of memory. */
	put_str(f, MEM_SIZE - 4, "end");
	assert_int_equal(display(f, REQ, MEM_SIZE - 4), 3);
	expect_out(f, "end");
	/* A string crossing page boundaries (paging off: one run). */
	memset(f->mem.host + 0x2ff0, 'p', 0x1020);
	f->mem.host[0x4010] = 0;
	assert_int_equal(display(f, REQ, 0x2ff0), 0x1020);
	{
		size_t n;
		const char *out = take(f, &n);

		assert_int_equal(n, 0x1020);
		assert_memory_equal(out, f->mem.host + 0x2ff0, 0x1020);
	}
	assert_int_equal(f->c.stats.display_bytes, strlen(s) + 3 + 0x1020);
	assert_int_equal(f->c.stats.errors, 0);
	assert_int_equal(f->c.stats.calls[HC_NR_DISPLAY], 4);
}

static void test_display_100k(void **state)
{
	struct fixture *f = *state;
	const size_t n = 100 * 1024;
	char *s = malloc(n + 1);
	size_t got;
	const char *out;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('A' + i % 26 + (i % 4096 == 4095 ? 6 : 0));
	s[n] = 0;
	put(f, 0x10000, s, n + 1);
	take(f, &got);
	assert_int_equal(display(f, REQ, 0x10000), n);
	out = take(f, &got);
	assert_int_equal(got, n);
	assert_memory_equal(out, s, n);
	assert_int_equal(f->c.stats.display_bytes, n);
	free(s);
}

static void test_display_faults(void **state)
{
	struct fixture *f = *state;

	/* Outside memory, or in it with no NUL before its end: -EFAULT, nothing printed. */
	assert_int_equal(display(f, REQ, MEM_SIZE), -HC_EFAULT);
	assert_int_equal(display(f, REQ, MEM_SIZE + 0x1000), -HC_EFAULT);
	assert_int_equal(display(f, REQ, UINT64_MAX), -HC_EFAULT);
	assert_int_equal(display(f, REQ, 1ull << 32), -HC_EFAULT);
	memset(f->mem.host + MEM_SIZE - 5, 'x', 5);
	assert_int_equal(display(f, REQ, MEM_SIZE - 5), -HC_EFAULT);
	memset(f->mem.host + STR, 'y', MEM_SIZE - STR);
	assert_int_equal(display(f, REQ, STR), -HC_EFAULT); /* 248 KiB of 'y', then the end */
	expect_out(f, "");
	assert_int_equal(-HC_EFAULT, -14);
	assert_int_equal(f->c.stats.errors, 6);
	assert_int_equal(f->c.stats.display_bytes, 0);
	assert_int_equal(f->c.stats.calls[HC_NR_DISPLAY], 6);
}

/* ---- exit ---- */

static void test_exit(void **state)
{
	struct fixture *f = *state;
	static const struct {
		int32_t status;
		int want;
	} cases[] = {
		{ 0, 0 },   { 3, 3 },         { 256 + 3, 3 },     { -1, 255 }, { 255, 255 },
		{ 256, 0 }, { INT32_MIN, 0 }, { INT32_MAX, 255 }, { -256, 0 }, { 123, 123 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hc_exit r = { .status = cases[i].status, .pad = 0x77 }, back;

		f->c.exit_status = -42;
		put(f, REQ, &r, sizeof(r));
		assert_int_equal(hc_dispatch(&f->c, HC_NR_EXIT, REQ), HC_STOP_EXIT);
		assert_int_equal(f->c.exit_status, cases[i].want);
		get(f, REQ, &back, sizeof(back));
		assert_memory_equal(&back, &r, sizeof(r));
	}
	expect_out(f, "");
}

/* ---- report ---- */

/* Runs report; returns the action. */
static enum hc_action report(struct fixture *f, uint32_t kind, uint64_t file, uint64_t msg,
			     uint32_t line)
{
	struct hc_report r = { .file = file, .msg = msg, .line = line, .kind = kind };

	put(f, REQ, &r, sizeof(r));
	return hc_dispatch(&f->c, HC_NR_REPORT, REQ);
}

static void expect_why(struct fixture *f, const char *want)
{
	assert_string_equal(f->c.why.msg, want);
}

static void test_report_fail(void **state)
{
	struct fixture *f = *state;

	put_str(f, STR, "tests/guests/files.c");
	put_str(f, STR + 0x100, "x == 42 (x is 41)");
	assert_int_equal(report(f, HC_REPORT_FAIL, STR, STR + 0x100, 97), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at tests/guests/files.c:97: x == 42 (x is 41)");
	/* No file, no message. */
	assert_int_equal(report(f, HC_REPORT_FAIL, 0, 0, 7), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at ?:7: ");
	assert_int_equal(report(f, HC_REPORT_FAIL, STR, 0, 0), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at tests/guests/files.c:0: ");
	assert_int_equal(report(f, HC_REPORT_FAIL, 0, STR + 0x100, UINT32_MAX), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at ?:4294967295: x == 42 (x is 41)");
	/* A failure prints nothing itself: the VMM reports it. */
	expect_out(f, "");
}

static void test_report_control_chars(void **state)
{
	struct fixture *f = *state;

	put_str(f, STR, "a\tb\r.c");
	put_str(f, STR + 0x100, "line1\nline2\x1b[2J\x7f\x01\x1f end \xc3\xa9");
	assert_int_equal(report(f, HC_REPORT_FAIL, STR, STR + 0x100, 3), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at a?b?.c:3: line1?line2?[2J??? end \xc3\xa9");
	assert_null(strchr(f->c.why.msg, '\n'));
}

static void test_report_bad_pointers(void **state)
{
	struct fixture *f = *state;

	put_str(f, STR, "ok.c");
	/* Outside memory. */
	assert_int_equal(report(f, HC_REPORT_FAIL, MEM_SIZE + 0x10, STR, 5), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at <bad pointer 0x40010>:5: ok.c");
	assert_int_equal(report(f, HC_REPORT_FAIL, STR, UINT64_MAX, 5), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at ok.c:5: <bad pointer 0xffffffffffffffff>");
	/* A message that runs into the end of memory before its NUL. */
	memcpy(f->mem.host + MEM_SIZE - 3, "xyz", 3);
	assert_int_equal(report(f, HC_REPORT_FAIL, STR, MEM_SIZE - 3, 6), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at ok.c:6: <bad pointer 0x3fffd>");
	assert_int_equal(report(f, HC_REPORT_FAIL, MEM_SIZE - 3, MEM_SIZE - 3, 6), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at <bad pointer 0x3fffd>:6: <bad pointer 0x3fffd>");
	expect_out(f, "");
}

static void test_report_long(void **state)
{
	struct fixture *f = *state;
	char want[400], file[1001], msg[1001];
	struct hc_stats before;

	memset(file, 'F', 1000);
	memset(msg, 'M', 1000);
	file[1000] = msg[1000] = 0;
	put_str(f, STR, file);
	put_str(f, STR + 0x1000, msg);
	/* Each string is cut to its buffer: 127 bytes of file, 159 of message. */
	assert_int_equal(report(f, HC_REPORT_FAIL, STR, STR + 0x1000, 9), HC_STOP_FAIL);
	snprintf(want, sizeof(want), "guest assertion failed at %.127s:9: %.159s", file, msg);
	expect_why(f, want);
	/* With a long line number the whole is cut to fit why, never past it. */
	before = f->c.stats;
	assert_int_equal(report(f, HC_REPORT_FAIL, STR, STR + 0x1000, UINT32_MAX), HC_STOP_FAIL);
	assert_int_equal(strlen(f->c.why.msg), sizeof(f->c.why.msg) - 1);
	snprintf(want, sizeof(want), "guest assertion failed at %.127s:4294967295: %.159s", file,
		 msg);
	assert_memory_equal(f->c.why.msg, want, sizeof(f->c.why.msg) - 1);
	before.calls[HC_NR_REPORT]++;
	assert_memory_equal(&f->c.stats, &before, sizeof(before));
	/* A message with no NUL until the end of memory, longer than its buffer: cut. */
	memset(f->mem.host + MEM_SIZE - 500, 'Z', 500);
	assert_int_equal(report(f, HC_REPORT_FAIL, 0, MEM_SIZE - 500, 1), HC_STOP_FAIL);
	snprintf(want, sizeof(want), "guest assertion failed at ?:1: %.159s",
		 (const char *)f->mem.host + MEM_SIZE - 500);
	expect_why(f, want);
}

static void test_report_done(void **state)
{
	struct fixture *f = *state;

	put_str(f, STR, "all 12 checks passed");
	put_str(f, STR + 0x100, "done.c");
	f->c.exit_status = 99;
	assert_int_equal(report(f, HC_REPORT_DONE, STR + 0x100, STR, 10), HC_STOP_EXIT);
	assert_int_equal(f->c.exit_status, 0);
	expect_out(f, "all 12 checks passed\n");
	/* An empty or absent message prints nothing. */
	f->c.exit_status = 99;
	assert_int_equal(report(f, HC_REPORT_DONE, 0, 0, 0), HC_STOP_EXIT);
	assert_int_equal(f->c.exit_status, 0);
	put_str(f, STR, "");
	assert_int_equal(report(f, HC_REPORT_DONE, 0, STR, 0), HC_STOP_EXIT);
	expect_out(f, "");
	/* Control characters are replaced here too: one line. */
	put_str(f, STR, "two\nlines");
	assert_int_equal(report(f, HC_REPORT_DONE, 0, STR, 0), HC_STOP_EXIT);
	expect_out(f, "two?lines\n");
	assert_int_equal(report(f, HC_REPORT_DONE, 0, MEM_SIZE, 0), HC_STOP_EXIT);
	expect_out(f, "<bad pointer 0x40000>\n");
}

static void test_report_unknown_kind(void **state)
{
	struct fixture *f = *state;
	static const uint32_t kinds[] = { 0, 3, 0x80000001u, UINT32_MAX };
	char want[100];

	put_str(f, STR, "k.c");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		f->c.exit_status = 55;
		assert_int_equal(report(f, kinds[i], STR, STR, 12), HC_STOP_FAIL);
		snprintf(want, sizeof(want), "report of unknown kind %" PRIu32 " at k.c:12",
			 kinds[i]);
		expect_why(f, want);
		assert_int_equal(f->c.exit_status, 55);
	}
	expect_out(f, "");
}

/* ---- requests that cannot be used, unknown numbers ---- */

static const struct {
	uint32_t nr;
	const char *name;
	uint64_t size;
} calls[] = {
	{ HC_NR_PRINT_VAL, "print_val", sizeof(struct hc_print_val) },
	{ HC_NR_GET_NUM_EXITS, "get_num_exits", sizeof(struct hc_get_num_exits) },
	{ HC_NR_DISPLAY, "display", sizeof(struct hc_display) },
	{ HC_NR_EXIT, "exit", sizeof(struct hc_exit) },
	{ HC_NR_REPORT, "report", sizeof(struct hc_report) },
	{ HC_NR_VCPU_ID, "vcpu_id", sizeof(struct hc_vcpu_id) },
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

static void test_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCALLS; i++)
		assert_string_equal(hc_name(calls[i].nr), calls[i].name);
	assert_null(hc_name(HC_NR_RESERVED));
	assert_null(hc_name(HC_NR_MAX));
	assert_null(hc_name(UINT32_MAX));
}

/* Whether why is exactly the dispatcher's refusal of call i at req. */
static void expect_fault_why(struct fixture *f, size_t i, uint64_t req)
{
	char want[200];

	snprintf(want, sizeof(want),
		 "hypercall %s: request at guest-virtual 0x%" PRIx64 " (%" PRIu64
		 " bytes) is not mapped writable in guest memory",
		 calls[i].name, req, calls[i].size);
	expect_why(f, want);
}

static void test_request_faults(void **state)
{
	struct fixture *f = *state;
	uint8_t *snap = malloc(MEM_SIZE);

	assert_non_null(snap);
	/* Strings a handler could print, if it ran by mistake. */
	put_str(f, STR, "should not print");
	for (uint64_t a = MEM_SIZE - 0x40; a < MEM_SIZE; a += 8)
		memcpy(f->mem.host + a, &(uint64_t){ STR }, 8);
	memcpy(snap, f->mem.host, MEM_SIZE);
	for (size_t i = 0; i < NCALLS; i++) {
		const uint64_t bad[] = {
			MEM_SIZE,                     /* just past memory */
			MEM_SIZE - calls[i].size + 1, /* straddling its end by one byte */
			MEM_SIZE - 1,
			UINT64_MAX - 3, /* wrapping past 2^64 */
			1ull << 32,
		};

		for (size_t j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			f->c.exit_status = 77;
			assert_int_equal(hc_dispatch(&f->c, calls[i].nr, bad[j]), HC_STOP_FAULT);
			expect_fault_why(f, i, bad[j]);
			assert_int_equal(f->c.exit_status, 77);
		}
	}
	expect_out(f, "");
	assert_memory_equal(f->mem.host, snap, MEM_SIZE);
	assert_int_equal(f->c.stats.display_bytes, 0);
	/* The last place each request fits is fine. */
	for (size_t i = 0; i < NCALLS; i++)
		assert_int_not_equal(hc_dispatch(&f->c, calls[i].nr, MEM_SIZE - calls[i].size),
				     HC_STOP_FAULT);
	free(snap);
}

static void test_unknown_nr(void **state)
{
	struct fixture *f = *state;
	static const uint32_t nrs[] = { HC_NR_RESERVED, HC_NR_MAX, HC_NR_MAX + 1, 0x80000000u,
					0xffffffffu };
	const struct hc_stats zero = { 0 };
	char want[64];

	put(f, REQ, &(struct hc_display){ .str = STR }, sizeof(struct hc_display));
	put_str(f, STR, "no");
	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		assert_int_equal(hc_dispatch(&f->c, nrs[i], REQ), HC_STOP_FAULT);
		/* "unknown hypercall N", maybe followed by details after a space */
		snprintf(want, sizeof(want), "unknown hypercall %" PRIu32, nrs[i]);
		if (strncmp(f->c.why.msg, want, strlen(want)) ||
		    (f->c.why.msg[strlen(want)] && f->c.why.msg[strlen(want)] != ' '))
			fail_msg("why \"%s\", want \"%s\"", f->c.why.msg, want);
	}
	expect_out(f, "");
	assert_memory_equal(&f->c.stats, &zero, sizeof(zero));
}

static void test_stats(void **state)
{
	struct fixture *f = *state;
	const struct hc_stats zero = { 0 };
	struct hc_stats want = zero;

	assert_memory_equal(&f->c.stats, &zero, sizeof(zero));
	put_str(f, STR, "abc");
	put_str(f, STR + 0x10, "defgh");
	for (int i = 0; i < 3; i++)
		assert_int_equal(hc_dispatch(&f->c, HC_NR_PRINT_VAL, REQ), HC_CONTINUE);
	assert_int_equal(display(f, REQ, STR), 3);
	assert_int_equal(display(f, REQ, STR + 0x10), 5);
	assert_int_equal(display(f, REQ, MEM_SIZE), -HC_EFAULT);
	assert_int_equal(hc_dispatch(&f->c, HC_NR_GET_NUM_EXITS, REQ), HC_CONTINUE);
	assert_int_equal(hc_dispatch(&f->c, HC_NR_EXIT, REQ), HC_STOP_EXIT);
	assert_int_equal(hc_dispatch(&f->c, HC_NR_MAX, REQ), HC_STOP_FAULT);
	want.calls[HC_NR_PRINT_VAL] = 3;
	want.calls[HC_NR_DISPLAY] = 3;
	want.calls[HC_NR_GET_NUM_EXITS] = 1;
	want.calls[HC_NR_EXIT] = 1;
	want.errors = 1;
	want.display_bytes = 8;
	assert_memory_equal(&f->c.stats, &want, sizeof(want));
}

/* ---- through 4-level page tables, with pages moved away from identity ---- */

static uint64_t *leaf(struct fixture *f, uint64_t gva)
{
	struct pt_walk w;

	assert_int_equal(pt_walk(&f->mem, PT_4LEVEL, f->c.view.root, gva, &w), 0);
	return (uint64_t *)(f->mem.host + w.step[3].table + 8ull * w.step[3].index);
}

static void test_4level(void **state)
{
	struct fixture *f = *state;
	struct pt_built b;
	struct hc_print_val pv = { .value = 31337, .ret = -9 };
	uint32_t ret;
	uint8_t *snap = malloc(MEM_SIZE);

	assert_non_null(snap);
	/* Identity-map 64 KiB, then move guest-virtual 0x9000 to 0x30000 and 0xa000 to 0x6000. */
	assert_int_equal(pt_build_spec(&f->mem,
				       &(struct pt_spec){ .fmt = PT_4LEVEL, .size = 0x10000 },
				       0x1000, 0x8000, &b),
			 0);
	f->c.view = (struct gview){ .mem = &f->mem, .fmt = PT_4LEVEL, .root = b.root };
	*leaf(f, 0x9000) = 0x30000 | PTE_P | PTE_RW;
	*leaf(f, 0xa000) = 0x6000 | PTE_P | PTE_RW;
	/* Decoys where identity would look. */
	memset(f->mem.host + 0x9000, '!', 0x2000);

	/* display: "Hello, " on guest-virtual 0x9ff9 (gpa 0x30ff9), "pages" and the NUL
	 * on 0xa000 (gpa 0x6000). */
	put(f, 0x30ff9, "Hello, ", 7);
	put_str(f, 0x6000, "pages");
	put(f, 0x8000, &(struct hc_display){ .str = 0x9ff9, .ret = 0 }, sizeof(struct hc_display));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_DISPLAY, 0x8000), HC_CONTINUE);
	expect_out(f, "Hello, pages");
	assert_int_equal(*(int64_t *)(f->mem.host + 0x8008), 12);

	/* print_val straddling the two moved pages: value in one, ret in the other. */
	put(f, 0x30ffc, &pv.value, 4);
	put(f, 0x6000, &pv.ret, 4);
	assert_int_equal(hc_dispatch(&f->c, HC_NR_PRINT_VAL, 0x9ffc), HC_CONTINUE);
	expect_out(f, "31337\n");
	get(f, 0x6000, &ret, 4);
	assert_int_equal(ret, 0);
	assert_int_equal(f->mem.host[0xa000], '!'); /* identity page untouched */

	/* A request in a read-only page: refused before the handler runs. */
	*leaf(f, 0xb000) &= ~PTE_RW;
	put(f, 0xb000, &pv, sizeof(pv));
	memcpy(snap, f->mem.host, MEM_SIZE);
	assert_int_equal(hc_dispatch(&f->c, HC_NR_PRINT_VAL, 0xb000), HC_STOP_FAULT);
	assert_non_null(
		strstr(f->c.why.msg, "hypercall print_val: request at guest-virtual 0xb000"));
	/* ... or straddling into it, or into an unmapped page. */
	assert_int_equal(hc_dispatch(&f->c, HC_NR_PRINT_VAL, 0xaffc), HC_STOP_FAULT);
	assert_int_equal(hc_dispatch(&f->c, HC_NR_REPORT, 0xfff0), HC_STOP_FAULT);
	assert_non_null(strstr(f->c.why.msg, "hypercall report: request at guest-virtual 0xfff0 "));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_EXIT, 0x10000), HC_STOP_FAULT);
	assert_int_equal(hc_dispatch(&f->c, HC_NR_EXIT, 0x0000800000000000ull), HC_STOP_FAULT);
	expect_out(f, "");
	assert_memory_equal(f->mem.host, snap, MEM_SIZE);

	/* A string in the read-only page prints; one running into an unmapped page does not. */
	put_str(f, 0xb100, "ro");
	put(f, 0x8000, &(struct hc_display){ .str = 0xb100 }, sizeof(struct hc_display));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_DISPLAY, 0x8000), HC_CONTINUE);
	expect_out(f, "ro");
	memset(f->mem.host + 0xfff0, 'u', 0x10); /* gpa 0x10000 onwards is not mapped */
	put(f, 0x8000, &(struct hc_display){ .str = 0xfff0 }, sizeof(struct hc_display));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_DISPLAY, 0x8000), HC_CONTINUE);
	assert_int_equal(*(int64_t *)(f->mem.host + 0x8008), -HC_EFAULT);
	expect_out(f, "");

	/* report: file in the read-only page, message into the unmapped page. */
	put(f, 0x8000,
	    &(struct hc_report){ .file = 0xb100, .msg = 0xfff0, .line = 4, .kind = HC_REPORT_FAIL },
	    sizeof(struct hc_report));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_REPORT, 0x8000), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at ro:4: <bad pointer 0xfff0>");
	free(snap);
}

/* A ring-3 caller under tables as the VMM builds them for a ring-3 guest: user pages,
 * but the tables and [0x1000, 0x8000) supervisor-only. Whatever it names there (its own
 * page table, the GDT's page) is refused, though ring 0 may use the same addresses. */
static void test_ring3(void **state)
{
	struct fixture *f = *state;
	const struct pt_spec spec = { .fmt = PT_4LEVEL,
				      .size = MEM_SIZE,
				      .user = true,
				      .kernel_start = 0x1000,
				      .kernel_end = 0x8000 };
	struct hc_get_num_exits ge = { .exits = 0x1111, .ret = -1 };
	struct pt_built b;
	uint8_t *snap = malloc(MEM_SIZE);

	assert_non_null(snap);
	assert_int_equal(pt_build_spec(&f->mem, &spec, 0x1000, 0x7000, &b), 0);
	f->c.view = (struct gview){ .mem = &f->mem, .fmt = PT_4LEVEL, .root = b.root };
	gva_set_cpl(&f->c.view, 3, 0, 0);
	f->c.exits = 0x4242;

	/* get_num_exits on its own page-table page: refused, the tables unchanged. */
	memcpy(snap, f->mem.host, MEM_SIZE);
	assert_int_equal(hc_dispatch(&f->c, HC_NR_GET_NUM_EXITS, b.root), HC_STOP_FAULT);
	assert_non_null(strstr(f->c.why.msg, "hypercall get_num_exits: request at guest-virtual"));
	assert_non_null(strstr(f->c.why.msg, "ring 3"));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_GET_NUM_EXITS, 0x7ff8), HC_STOP_FAULT);
	assert_memory_equal(f->mem.host, snap, MEM_SIZE);
	/* The same request on a user page works. */
	put(f, 0x9000, &ge, sizeof(ge));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_GET_NUM_EXITS, 0x9000), HC_CONTINUE);
	get(f, 0x9000, &ge, sizeof(ge));
	assert_int_equal(ge.exits, 0x4242);

	/* display of a string on a supervisor page, or running into one: nothing printed. */
	put_str(f, 0x7000, "secret");
	put(f, 0x9000, &(struct hc_display){ .str = 0x7000 }, sizeof(struct hc_display));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_DISPLAY, 0x9000), HC_CONTINUE);
	assert_int_equal(*(int64_t *)(f->mem.host + 0x9008), -HC_EFAULT);
	memset(f->mem.host + 0xffc, 'x', 4); /* user page 0 runs into the tables at 0x1000 */
	assert_int_equal(f->mem.host[0x1003], 0);
	put(f, 0x9000, &(struct hc_display){ .str = 0xffc }, sizeof(struct hc_display));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_DISPLAY, 0x9000), HC_CONTINUE);
	assert_int_equal(*(int64_t *)(f->mem.host + 0x9008), -HC_EFAULT);
	expect_out(f, "");
	/* report strings there become markers. */
	put_str(f, 0xa000, "user.c");
	put(f, 0x9000,
	    &(struct hc_report){ .file = 0xa000, .msg = 0x7000, .line = 9, .kind = HC_REPORT_FAIL },
	    sizeof(struct hc_report));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_REPORT, 0x9000), HC_STOP_FAIL);
	expect_why(f, "guest assertion failed at user.c:9: <bad pointer 0x7000>");

	/* Ring 0 reaches the same addresses. */
	gva_set_cpl(&f->c.view, 0, 0, 0);
	put(f, 0x9000, &(struct hc_display){ .str = 0x7000 }, sizeof(struct hc_display));
	assert_int_equal(hc_dispatch(&f->c, HC_NR_DISPLAY, 0x9000), HC_CONTINUE);
	expect_out(f, "secret");
	free(snap);
}

#define FX(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX(test_print_val),
		FX(test_get_num_exits),
		FX(test_vcpu_id),
		FX(test_display),
		FX(test_display_100k),
		FX(test_display_faults),
		FX(test_exit),
		FX(test_report_fail),
		FX(test_report_control_chars),
		FX(test_report_bad_pointers),
		FX(test_report_long),
		FX(test_report_done),
		FX(test_report_unknown_kind),
		cmocka_unit_test(test_names),
		FX(test_request_faults),
		FX(test_unknown_nr),
		FX(test_stats),
		FX(test_4level),
		FX(test_ring3),
	};

	return cmocka_run_group_tests_name("hc", tests, NULL, NULL);
}
