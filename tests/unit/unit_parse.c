/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_parse.c: common/parse.c, the one grammar for sizes, counts and durations
 * that kvm-hello-world and isolate both read (accepted forms, refused forms, overflow). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "parse.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define TiB (1ull << 40)
#define N(a) (sizeof(a) / sizeof((a)[0]))

struct ok_case {
	const char *s;
	uint64_t v;
};

/* Each ok string gives its value; each bad one gives -1 and leaves the output alone. */
static void check(int (*fn)(const char *, uint64_t *), const char *name, const struct ok_case *ok,
		  size_t n_ok, const char *const *bad, size_t n_bad)
{
	uint64_t v;

	for (size_t i = 0; i < n_ok; i++) {
		v = 12345;
		if (fn(ok[i].s, &v) != 0 || v != ok[i].v)
			fail_msg("%s(\"%s\"): got 0x%llx, want 0x%llx", name, ok[i].s,
				 (unsigned long long)v, (unsigned long long)ok[i].v);
	}
	for (size_t i = 0; i < n_bad; i++) {
		v = 12345;
		if (fn(bad[i], &v) != -1)
			fail_msg("%s(\"%s\") accepted: 0x%llx", name, bad[i],
				 (unsigned long long)v);
		assert_int_equal(v, 12345);
	}
	assert_int_equal(fn(NULL, &v), -1);
}

static void test_size(void **state)
{
	static const struct ok_case ok[] = {
		{ "0", 0 },
		{ "1", 1 },
		{ "4096", 4096 },
		{ "010", 10 }, /* never octal */
		{ "64K", 64 * KiB },
		{ "64k", 64 * KiB },
		{ "2M", 2 * MiB },
		{ "64m", 64 * MiB },
		{ "64MiB", 64 * MiB },
		{ "64MB", 64 * MiB },
		{ "1KiB", KiB },
		{ "1G", GiB },
		{ "3g", 3 * GiB },
		{ "2T", 2 * TiB },
		{ "1t", TiB },
		{ "0x200000", 2 * MiB },
		{ "0X10", 16 },
		{ "0x10K", 16 * KiB },
		{ "18446744073709551615", UINT64_MAX },
		{ "0xffffffffffffffff", UINT64_MAX },
		{ "17179869183G", 17179869183ull << 30 }, /* the largest G that fits */
		{ "17592186044415M", 17592186044415ull << 20 },
		{ "16777215T", 16777215ull << 40 },
	};
	static const char *const bad[] = {
		"",
		"-1",
		"2X",
		"abc",
		" 2M",
		"2M ",
		"99999999999999999999",
		"20000000000G",
		"17179869184G",
		"18446744073709551616",
		"17592186044416M",
		"18014398509481984K",
		"16777216T",
		"2MX",
		"2Mi",
		"2MIB",
		"2KBB",
		"K",
		"+1",
		"0x",
		"1.5G",
		"1e3",
		"2B",
		"0x1g0",
		"2 M",
	};

	(void)state;
	check(parse_size, "parse_size", ok, N(ok), bad, N(bad));
}

static void test_count(void **state)
{
	static const struct ok_case ok[] = {
		{ "0", 0 },
		{ "7", 7 },
		{ "010", 10 },
		{ "18446744073709551615", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1K", "0x10", "1.0", "18446744073709551616", "a",
	};

	(void)state;
	check(parse_count, "parse_count", ok, N(ok), bad, N(bad));
}

static void test_duration(void **state)
{
	static const struct ok_case ok[] = {
		{ "0", 0 },
		{ "2", 2000 },
		{ "0.5", 500 },
		{ "0.25", 250 },
		{ "1.25", 1250 },
		{ "0.001", 1 },
		{ "1.125", 1125 },
		{ "2s", 2000 },
		{ "0.5s", 500 },
		{ "500ms", 500 },
		{ "0ms", 0 },
		{ "3600", 3600000 },
		{ "18446744073709551ms", 18446744073709551ull },
		{ "18446744073709551", 18446744073709551000ull },
	};
	static const char *const bad[] = {
		"",
		"-1",
		"+1",
		" 1",
		"1 ",
		"1e3",
		"1,5",
		"0.0001",
		".",
		"1.",
		".25",
		"s",
		"ms",
		"1.5ms",
		"2S",
		"2m",
		"2min",
		"1ss",
		"nan",
		"inf",
		"0x10",
		"18446744073709552",
		"18446744073709551616ms",
		"1.s",
	};

	(void)state;
	check(parse_duration_ms, "parse_duration_ms", ok, N(ok), bad, N(bad));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
