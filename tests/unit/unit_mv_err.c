/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_mv_err.c: common/mv_err.c, the one error type: the reason, errno's text,
 * a prefix, and truncation that always leaves a terminated line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "mv_err.h"

static void t_seterr(void **state)
{
	struct mv_err e = { "" };

	(void)state;
	assert_int_equal(mv_seterr(&e, 0, "bad value '%s'", "x"), -1);
	assert_string_equal(e.msg, "bad value 'x'");
	assert_int_equal(mv_seterr(&e, ENOENT, "cannot open %s", "/a"), -1);
	assert_string_equal(e.msg, "cannot open /a: No such file or directory");
}

static void t_prefix(void **state)
{
	struct mv_err e = { "" };

	(void)state;
	mv_seterr(&e, 0, "not a number");
	assert_int_equal(mv_errprefix(&e, "--mem '%s'", "x"), -1);
	assert_string_equal(e.msg, "--mem 'x': not a number");
}

static void t_truncates(void **state)
{
	char big[2 * MV_ERR_LEN];
	struct mv_err e = { "" };

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	mv_seterr(&e, EINVAL, "%s", big);
	assert_int_equal(strlen(e.msg), MV_ERR_LEN - 1);
	mv_errprefix(&e, "%s", big);
	assert_int_equal(strlen(e.msg), MV_ERR_LEN - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_seterr),
		cmocka_unit_test(t_prefix),
		cmocka_unit_test(t_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
