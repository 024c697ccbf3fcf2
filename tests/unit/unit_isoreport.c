/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_isoreport.c: isolate's run report: iso_classify (status, the limit that
 * fired, the limits seen reached, what is approximate), iso_json_string (escaping, UTF-8)
 * and iso_report_json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "../../isolate/options.h"
#include "../../isolate/outcome.h"

#define BIT(l) (1u << (l))

static struct iso_config cfg;
static struct iso_facts f;
static struct iso_outcome o;

static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	memset(&f, 0, sizeof(f));
	f.ran = true;
	f.peak_tasks = f.peak_fds = -1;
	return 0;
}

static void limit(enum iso_limit l, unsigned long long v)
{
	cfg.limit_set[l] = true;
	cfg.limit[l] = v;
}

static void classify(int wstatus)
{
	f.wstatus = wstatus;
	iso_classify(&cfg, &f, &o);
}

static void test_plain(void **state)
{
	(void)state;
	classify(W_EXITCODE(0, 0));
	assert_int_equal(o.status, ISO_RUN_OK);
	assert_int_equal(o.limit, -1);
	assert_int_equal(o.hits, 0);
	classify(W_EXITCODE(3, 0));
	assert_int_equal(o.status, ISO_RUN_RUNTIME_ERROR);
	classify(W_EXITCODE(0, SIGTERM));
	assert_int_equal(o.status, ISO_RUN_SIGNALED);
	assert_int_equal(o.limit, -1);
	f.ran = false;
	classify(0);
	assert_int_equal(o.status, ISO_RUN_INTERNAL);
	assert_string_equal(iso_status_name(ISO_RUN_WALL_LIMIT), "wall-time limit");
	assert_string_equal(iso_status_name(ISO_RUN_SIGNALED), "killed by signal");
}

static void test_wall(void **state)
{
	(void)state;
	limit(ISO_LIMIT_WALL, 1000);
	limit(ISO_LIMIT_CPU, 1);
	f.wall_fired = true;
	f.user = 5; /* the wall clock's kill is named, whatever else */
	classify(W_EXITCODE(0, SIGKILL));
	assert_int_equal(o.status, ISO_RUN_WALL_LIMIT);
	assert_int_equal(o.limit, ISO_LIMIT_WALL);
	assert_true(o.limit_exact);
	assert_true(o.hits & BIT(ISO_LIMIT_WALL));
	/* isolate's own SIGKILL: the CPU time of a whole container says nothing about a
	 * per-process limit */
	assert_false(o.hits & BIT(ISO_LIMIT_CPU));
}

/* isolate ended the run for a signal sent to it (a second SIGINT, SIGTERM): "killed by
 * signal", never a limit, whatever the figures */
static void test_ended_by(void **state)
{
	(void)state;
	limit(ISO_LIMIT_CPU, 1);
	limit(ISO_LIMIT_MEMORY, 64ull << 20);
	f.user = 1.5;
	f.peak_rss_kib = 63 << 10;
	f.ended_by = SIGINT;
	classify(W_EXITCODE(0, SIGKILL));
	assert_int_equal(o.status, ISO_RUN_SIGNALED);
	assert_int_equal(o.limit, -1);
	assert_false(o.hits & BIT(ISO_LIMIT_CPU));
	assert_false(o.hits & BIT(ISO_LIMIT_MEMORY));
	f.ended_by = 0; /* the control: the same figures without it are the CPU limit */
	classify(W_EXITCODE(0, SIGKILL));
	assert_int_equal(o.status, ISO_RUN_TIME_LIMIT);
}

/* What isolate saw through its seccomp notifications (watch.c): a request RLIMIT_AS
 * refused, a fork at the process limit; exact, and a hit even when the program coped */
static void test_watched(void **state)
{
	(void)state;
	limit(ISO_LIMIT_MEMORY, 256ull << 20);
	limit(ISO_LIMIT_PROCS, 30);
	f.peak_rss_kib = 4096; /* far from the limit: the peak-RSS rule alone says nothing */
	f.memory_refused = true;
	classify(W_EXITCODE(1, 0));
	assert_int_equal(o.status, ISO_RUN_MEMORY_LIMIT);
	assert_int_equal(o.limit, ISO_LIMIT_MEMORY);
	assert_true(o.limit_exact);
	classify(W_EXITCODE(0, 0)); /* it coped: a hit, not its end */
	assert_int_equal(o.status, ISO_RUN_OK);
	assert_true(o.hits & BIT(ISO_LIMIT_MEMORY));
	f.memory_refused = false;
	f.fork_refused = true;
	f.peak_tasks = 3; /* sampled after the burst */
	classify(W_EXITCODE(0, 0));
	assert_int_equal(o.status, ISO_RUN_OK);
	assert_int_equal(o.hits, BIT(ISO_LIMIT_PROCS));
	classify(W_EXITCODE(2, 0));
	assert_int_equal(o.limit, ISO_LIMIT_PROCS);
	assert_true(o.limit_exact);
}

static void test_cpu(void **state)
{
	(void)state;
	limit(ISO_LIMIT_CPU, 2);
	f.user = 1.9;
	f.sys = 0.11;
	classify(W_EXITCODE(0, SIGKILL)); /* the hard limit: SIGKILL, CPU time at it */
	assert_int_equal(o.status, ISO_RUN_TIME_LIMIT);
	assert_int_equal(o.limit, ISO_LIMIT_CPU);
	assert_false(o.limit_exact);
	assert_true(o.approximate & BIT(ISO_LIMIT_CPU)); /* per process, without a cgroup */
	f.user = 1.6;
	f.sys = 0.1; /* a loaded machine: the kernel's ticks reached 2 s, rusage says 1.7 */
	classify(W_EXITCODE(0, SIGKILL));
	assert_int_equal(o.status, ISO_RUN_TIME_LIMIT);
	f.user = 1.0; /* half of the limit: the most a loaded machine's ticks stray */
	f.sys = 0;
	classify(W_EXITCODE(0, SIGKILL));
	assert_int_equal(o.status, ISO_RUN_TIME_LIMIT);
	f.user = 0.9;
	classify(W_EXITCODE(0, SIGKILL));
	assert_int_equal(o.status, ISO_RUN_SIGNALED);
	f.user = 0.5;
	f.sys = 0;
	classify(W_EXITCODE(0, SIGKILL)); /* a SIGKILL before the limit: someone else's */
	assert_int_equal(o.status, ISO_RUN_SIGNALED);
	assert_int_equal(o.limit, -1);
	classify(W_EXITCODE(0, SIGXCPU));
	assert_int_equal(o.status, ISO_RUN_TIME_LIMIT);
	assert_true(o.limit_exact);
	f.cgroup = true;
	f.cpu_fired = true; /* isolate's own kill on the cgroup's CPU time */
	classify(W_EXITCODE(0, SIGKILL));
	assert_int_equal(o.status, ISO_RUN_TIME_LIMIT);
	assert_true(o.limit_exact);
	assert_false(o.approximate & BIT(ISO_LIMIT_CPU));
}

static void test_memory(void **state)
{
	(void)state;
	limit(ISO_LIMIT_MEMORY, 64ull << 20);
	f.peak_rss_kib = 60 * 1024; /* near the limit, and failed: the limit */
	classify(W_EXITCODE(3, 0));
	assert_int_equal(o.status, ISO_RUN_MEMORY_LIMIT);
	assert_int_equal(o.limit, ISO_LIMIT_MEMORY);
	assert_false(o.limit_exact);
	classify(W_EXITCODE(0, SIGSEGV));
	assert_int_equal(o.status, ISO_RUN_MEMORY_LIMIT);
	classify(W_EXITCODE(0, 0)); /* it succeeded: no limit */
	assert_int_equal(o.status, ISO_RUN_OK);
	assert_int_equal(o.hits, 0);
	f.peak_rss_kib = 10 * 1024; /* failed far from it: its own failure */
	classify(W_EXITCODE(1, 0));
	assert_int_equal(o.status, ISO_RUN_RUNTIME_ERROR);
	assert_int_equal(o.limit, -1);
	f.cgroup = true; /* the cgroup says: exact, whatever the RSS */
	f.cg_oom = true;
	classify(W_EXITCODE(0, SIGKILL));
	assert_int_equal(o.status, ISO_RUN_MEMORY_LIMIT);
	assert_true(o.limit_exact);
	assert_int_equal(o.approximate, 0);
}

static void test_signals_of_limits(void **state)
{
	(void)state;
	limit(ISO_LIMIT_FSIZE, 1024);
	classify(W_EXITCODE(0, SIGXFSZ));
	assert_int_equal(o.status, ISO_RUN_SIGNALED);
	assert_int_equal(o.limit, ISO_LIMIT_FSIZE);
	assert_true(o.limit_exact);
	limit(ISO_LIMIT_STACK, 256 << 10);
	f.peak_rss_kib = 300;
	classify(W_EXITCODE(0, SIGSEGV));
	assert_int_equal(o.limit, ISO_LIMIT_STACK);
	assert_false(o.limit_exact);
	assert_true(o.approximate & BIT(ISO_LIMIT_STACK));
	f.peak_rss_kib = 100; /* too little memory for a full stack: not the stack */
	classify(W_EXITCODE(0, SIGSEGV));
	assert_int_equal(o.limit, -1);
}

static void test_sampled(void **state)
{
	(void)state;
	limit(ISO_LIMIT_PROCS, 20);
	limit(ISO_LIMIT_NOFILE, 50);
	f.peak_tasks = 20;
	f.peak_fds = 12;
	classify(W_EXITCODE(0, 0)); /* reached, but PROGRAM coped: ok, the hit said */
	assert_int_equal(o.status, ISO_RUN_OK);
	assert_int_equal(o.limit, -1);
	assert_int_equal(o.hits, BIT(ISO_LIMIT_PROCS));
	classify(W_EXITCODE(2, 0));
	assert_int_equal(o.status, ISO_RUN_RUNTIME_ERROR);
	assert_int_equal(o.limit, ISO_LIMIT_PROCS);
	assert_false(o.limit_exact);
	f.peak_tasks = 3;
	f.peak_fds = 50;
	classify(W_EXITCODE(3, 0));
	assert_int_equal(o.limit, ISO_LIMIT_NOFILE);
	assert_true(o.approximate & BIT(ISO_LIMIT_PROCS));
	assert_true(o.approximate & BIT(ISO_LIMIT_NOFILE));
	assert_int_equal(iso_approximate(&cfg, true), BIT(ISO_LIMIT_NOFILE));
}

static void test_json_string(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "\"plain\"" },
		{ "", "\"\"" },
		{ "a \"quoted\" \\ path", "\"a \\\"quoted\\\" \\\\ path\"" },
		{ "line\nnext\ttab\r\x01\x1f\x7f",
		  "\"line\\nnext\\ttab\\u000d\\u0001\\u001f\\u007f\"" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
		{ "bad \xff byte", "\"bad \\ufffd byte\"" },
		{ "cut \xc3", "\"cut \\ufffd\"" },
		{ "overlong \xc0\xaf", "\"overlong \\ufffd\\ufffd\"" },
		{ "surrogate \xed\xa0\x80", "\"surrogate \\ufffd\\ufffd\\ufffd\"" },
		{ "past \xf4\x90\x80\x80", "\"past \\ufffd\\ufffd\\ufffd\\ufffd\"" },
	};
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(iso_json_string(cases[i].in, buf, sizeof(buf)),
				 (int)strlen(cases[i].out));
		assert_string_equal(buf, cases[i].out);
	}
	assert_int_equal(iso_json_string("toolong", buf, 8), -1);
	assert_int_equal(iso_json_string("fits", buf, 7), 6);
}

static void test_report_json(void **state)
{
	char buf[4096];
	int n;

	(void)state;
	limit(ISO_LIMIT_WALL, 1500);
	limit(ISO_LIMIT_MEMORY, 100ull << 20);
	f.wall_fired = true;
	f.user = 0.25;
	f.sys = 0.5;
	f.wall = 1.5;
	f.peak_rss_kib = 4321;
	f.peak_tasks = 7;
	f.exit_status = 137;
	classify(W_EXITCODE(0, SIGKILL));
	n = iso_report_json(&cfg, &f, &o, buf, sizeof(buf));
	assert_true(n > 0 && (size_t)n == strlen(buf));
	assert_non_null(strstr(buf, "\"status\": \"wall-time limit\",\n"));
	assert_non_null(strstr(buf, "\"exit_code\": null,\n"));
	assert_non_null(strstr(buf, "\"signal\": 9,\n"));
	assert_non_null(strstr(buf, "\"signal_name\": \"SIGKILL\",\n"));
	assert_non_null(strstr(buf, "\"limit\": \"wall-time\",\n"));
	assert_non_null(strstr(buf, "\"limit_exact\": true,\n"));
	assert_non_null(strstr(buf, "\"cpu_time\": 0.750,\n"));
	assert_non_null(strstr(buf, "\"wall_time\": 1.500,\n"));
	assert_non_null(strstr(buf, "\"peak_rss_kib\": 4321,\n"));
	assert_non_null(strstr(buf, "\"peak_processes\": 7,\n"));
	assert_non_null(strstr(buf, "\"approximate\": [\"memory\"],\n"));
	assert_non_null(
		strstr(buf, "\"limits\": {\"wall-time\": 1.500, \"memory\": 104857600},\n"));
	assert_non_null(strstr(buf, "\"isolate_exit\": 137,\n"));
	assert_non_null(strstr(buf, "\"message\": null\n}\n"));
	assert_int_equal(buf[0], '{');
	/* an exit code; a failure's message, escaped */
	setup(NULL);
	f.exit_status = 3;
	classify(W_EXITCODE(3, 0));
	n = iso_report_json(&cfg, &f, &o, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"exit_code\": 3,\n  \"signal\": null,\n"));
	assert_non_null(strstr(buf, "\"limits_hit\": [],\n"));
	assert_non_null(strstr(buf, "\"peak_processes\": null,\n"));
	setup(NULL);
	f.ran = false;
	f.exit_status = 125;
	strcpy(f.message, "--root \"/x\": No such\nfile");
	classify(0);
	assert_true(iso_report_json(&cfg, &f, &o, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"status\": \"internal error\",\n"));
	assert_non_null(strstr(buf, "\"message\": \"--root \\\"/x\\\": No such\\nfile\"\n"));
	assert_int_equal(iso_report_json(&cfg, &f, &o, buf, 100), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plain, setup),
		cmocka_unit_test_setup(test_wall, setup),
		cmocka_unit_test_setup(test_ended_by, setup),
		cmocka_unit_test_setup(test_watched, setup),
		cmocka_unit_test_setup(test_cpu, setup),
		cmocka_unit_test_setup(test_memory, setup),
		cmocka_unit_test_setup(test_signals_of_limits, setup),
		cmocka_unit_test_setup(test_sampled, setup),
		cmocka_unit_test_setup(test_json_string, setup),
		cmocka_unit_test_setup(test_report_json, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
