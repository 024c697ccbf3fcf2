/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_crew.c: the instance threads' steps (vmm/crew.c): no thread runs ahead of
 * what the main thread allowed, every thread is done with a step when crew_wait returns,
 * and a crew told to quit skips every step left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "crew.h"

#define THREADS 6

/* What each thread did: 1 built, 2 ran, 3 tore down; -1 and -2: skipped the run, the
 * teardown. Written by thread j only, read by the main thread after crew_wait/crew_join. */
struct log {
	int built[THREADS], ran[THREADS], torn[THREADS];
};

static void life(struct crew *c, unsigned j, void *arg)
{
	struct log *l = arg;

	l->built[j] = 1;
	l->ran[j] = crew_next(c, CREW_RUN) ? 2 : -1;
	l->torn[j] = crew_next(c, CREW_TEARDOWN) ? 3 : -2;
}

static void test_steps_in_order(void **state)
{
	struct log l = { 0 };
	struct crew c;
	unsigned failed = 0;

	(void)state;
	assert_int_equal(crew_start(&c, THREADS, life, &l, &failed), 0);
	crew_wait(&c, CREW_RUN); /* every build done, no run yet */
	for (int j = 0; j < THREADS; j++) {
		assert_int_equal(l.built[j], 1);
		assert_int_equal(l.ran[j], 0);
	}
	crew_allow(&c, CREW_RUN);
	crew_wait(&c, CREW_TEARDOWN); /* every run done, no teardown yet */
	for (int j = 0; j < THREADS; j++) {
		assert_int_equal(l.ran[j], 2);
		assert_int_equal(l.torn[j], 0);
	}
	crew_allow(&c, CREW_TEARDOWN);
	crew_join(&c);
	for (int j = 0; j < THREADS; j++)
		assert_int_equal(l.torn[j], 3);
}

static void test_quit_skips_the_rest(void **state)
{
	struct log l = { 0 };
	struct crew c;
	unsigned failed = 0;

	(void)state;
	assert_int_equal(crew_start(&c, THREADS, life, &l, &failed), 0);
	crew_wait(&c, CREW_RUN);
	crew_join(&c); /* a build failed: the threads end without running */
	for (int j = 0; j < THREADS; j++) {
		assert_int_equal(l.built[j], 1);
		assert_int_equal(l.ran[j], -1);
		assert_int_equal(l.torn[j], -2);
	}
}

static void test_a_later_step_skips_the_one_before(void **state)
{
	struct log l = { 0 };
	struct crew c;
	unsigned failed = 0;

	(void)state;
	assert_int_equal(crew_start(&c, 1, life, &l, &failed), 0);
	crew_wait(&c, CREW_RUN);
	crew_allow(&c, CREW_TEARDOWN);
	crew_join(&c);
	assert_int_equal(l.ran[0], -1);
	assert_int_equal(l.torn[0], 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_in_order),
		cmocka_unit_test(test_quit_skips_the_rest),
		cmocka_unit_test(test_a_later_step_skips_the_one_before),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
