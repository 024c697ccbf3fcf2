/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_isoids.c: isolate's id pool (iso_subid_find over /etc/subuid text,
 * iso_idrange_slots) and the escaping of what messages echo (msg_escape). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "../../isolate/idrange.h"
#include "../../isolate/base.h"

static void test_subid_find(void **state)
{
	struct iso_idrange r;

	(void)state;
	assert_int_equal(iso_subid_find("alice:100000:65536\nroot:200000:131072\n", "root", 0, &r),
			 0);
	assert_int_equal(r.base, 200000);
	assert_int_equal(r.count, 131072);
	/* by number too, and the first entry wins */
	assert_int_equal(iso_subid_find("0:300000:10\nroot:1:2\n", "root", 0, &r), 0);
	assert_int_equal(r.base, 300000);
	assert_int_equal(r.count, 10);
	/* no line without a final newline is lost */
	assert_int_equal(iso_subid_find("root:400000:65536", "root", 0, &r), 0);
	assert_int_equal(r.base, 400000);
	/* none for root; a prefix of a name is not the name */
	assert_int_equal(iso_subid_find("alice:100000:65536\nrooter:5:5\n", "root", 0, &r), -1);
	assert_int_equal(iso_subid_find("", "root", 0, &r), -1);
	/* ranges that would map host root, or run past the last id, or are no numbers */
	assert_int_equal(iso_subid_find("root:0:65536\n", "root", 0, &r), -1);
	assert_int_equal(iso_subid_find("root:100:0\n", "root", 0, &r), -1);
	assert_int_equal(iso_subid_find("root:4294967000:65536\n", "root", 0, &r), -1);
	assert_int_equal(iso_subid_find("root:-5:65536\n", "root", 0, &r), -1);
	assert_int_equal(iso_subid_find("root:5x:65536\n", "root", 0, &r), -1);
	assert_int_equal(iso_subid_find("root::65536\n", "root", 0, &r), -1);
	assert_int_equal(iso_subid_find("root:100000\n", "root", 0, &r), -1);
}

static void test_slots(void **state)
{
	struct iso_idrange r = { ISO_IDS_DEFAULT_BASE, 65536ull * ISO_IDS_DEFAULT_SLOTS };
	unsigned size;

	(void)state;
	assert_int_equal(iso_idrange_slots(&r, &size), ISO_IDS_DEFAULT_SLOTS);
	assert_int_equal(size, 65536);
	/* the default pool stays below 2^31 and systemd's foreign range */
	assert_true(r.base + r.count <= 0x7FFE0000ull);
	assert_true(r.base >= 0x70000000ull);
	r.count = 65536 * 3 + 100;
	assert_int_equal(iso_idrange_slots(&r, &size), 3);
	/* a small range: one slot of all its ids */
	r.count = 1000;
	assert_int_equal(iso_idrange_slots(&r, &size), 1);
	assert_int_equal(size, 1000);
	r.count = 65537ull * 65536;
	assert_int_equal(iso_idrange_slots(&r, &size), ISO_IDS_MAX_SLOTS);
}

static void test_escape(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(msg_escape("plain /path", out, sizeof(out)), "plain /path");
	assert_string_equal(msg_escape("a\033[31mb\tc\001\n", out, sizeof(out)),
			    "a\\e[31mb\\tc\\x01\\n");
	assert_string_equal(msg_escape("del\177", out, sizeof(out)), "del\\x7f");
	/* UTF-8 stays, C1 controls (8-bit CSI) and broken bytes do not */
	assert_string_equal(msg_escape("caf\xc3\xa9 \xe2\x82\xac", out, sizeof(out)),
			    "caf\xc3\xa9 \xe2\x82\xac");
	assert_string_equal(msg_escape("x\xc2\x9b"
				       "2J",
				       out, sizeof(out)),
			    "x\\xc2\\x9b2J");
	assert_string_equal(msg_escape("\x9b\xff\xc3", out, sizeof(out)), "\\x9b\\xff\\xc3");
	assert_string_equal(msg_escape("\xed\xa0\x80", out, sizeof(out)), "\\xed\\xa0\\x80");
	/* truncated at an escape's boundary, always terminated */
	assert_string_equal(msg_escape("ab\001", out, 5), "ab");
	assert_string_equal(msg_escape("abcdef", out, 4), "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subid_find),
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
