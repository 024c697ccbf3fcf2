/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_config.c: config_parse (defaults, modes, values, errors), on argument
 * vectors built in the test (the number grammar itself: unit_parse.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define MAX_ARGS 16

static struct mv_err err;

/* parse(cfg, "-l", "--mem", "2M", NULL): config_parse on "kvm-hello-world" and the
 * arguments. err is poisoned first, so a test sees only what this call wrote. */
static enum config_result parse(struct vmm_config *cfg, ...)
{
	char *argv[MAX_ARGS + 2] = { "kvm-hello-world" };
	int argc = 1;
	va_list ap;

	va_start(ap, cfg);
	while ((argv[argc] = va_arg(ap, char *)) != NULL) {
		assert_true(argc < MAX_ARGS);
		argc++;
	}
	va_end(ap);
	memset(&err, 0, sizeof(err));
	strcpy(err.msg, "(untouched)");
	return config_parse(argc, argv, cfg, &err);
}

/* The error message mentions s. */
static void assert_err_has(const char *s)
{
	if (!strstr(err.msg, s))
		fail_msg("message '%s' does not mention '%s'", err.msg, s);
}

static void test_defaults(void **state)
{
	struct vmm_config cfg;

	(void)state;
	memset(&cfg, 0xff, sizeof(cfg)); /* defaults are set, not inherited */
	assert_int_equal(parse(&cfg, NULL), CONFIG_RUN);
	assert_int_equal(cfg.mode, MODE_LONG);
	assert_int_equal(cfg.mem_size, 2 * MiB);
	assert_string_equal(cfg.guest, "hello");
	assert_true(cfg.timeout == 10.0);
	assert_false(cfg.layout);
	assert_false(cfg.stats);
}

static void test_modes(void **state)
{
	static const struct {
		const char *arg;
		enum cpu_mode mode;
	} m[] = {
		{ "-r", MODE_REAL },          { "--real", MODE_REAL }, { "-s", MODE_PROT },
		{ "--protected", MODE_PROT }, { "-p", MODE_PAGED32 },  { "--paged", MODE_PAGED32 },
		{ "-l", MODE_LONG },          { "--long", MODE_LONG },
	};
	struct vmm_config cfg;

	(void)state;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		assert_int_equal(parse(&cfg, (char *)m[i].arg, NULL), CONFIG_RUN);
		assert_int_equal(cfg.mode, m[i].mode);
		/* The last one wins, whatever came before. */
		for (size_t j = 0; j < sizeof(m) / sizeof(m[0]); j++) {
			assert_int_equal(parse(&cfg, (char *)m[j].arg, (char *)m[i].arg, NULL),
					 CONFIG_RUN);
			assert_int_equal(cfg.mode, m[i].mode);
		}
	}
	assert_int_equal(parse(&cfg, "-r", "-s", "-p", NULL), CONFIG_RUN);
	assert_int_equal(cfg.mode, MODE_PAGED32);
	assert_int_equal(parse(&cfg, "-rsp", NULL), CONFIG_RUN); /* grouped short options */
	assert_int_equal(cfg.mode, MODE_PAGED32);
	assert_int_equal(parse(&cfg, "-pr", NULL), CONFIG_RUN);
	assert_int_equal(cfg.mode, MODE_REAL);
	/* Modes leave the other settings at their defaults. */
	assert_int_equal(cfg.mem_size, 2 * MiB);
	assert_true(cfg.timeout == 10.0);
}

static void test_flags(void **state)
{
	struct vmm_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "--layout", NULL), CONFIG_RUN);
	assert_true(cfg.layout);
	assert_false(cfg.stats);
	assert_int_equal(parse(&cfg, "--stats", NULL), CONFIG_RUN);
	assert_false(cfg.layout);
	assert_true(cfg.stats);
	assert_int_equal(parse(&cfg, "-r", "--stats", "--layout", "-m", "64K", NULL), CONFIG_RUN);
	assert_true(cfg.layout && cfg.stats);
	assert_int_equal(cfg.mode, MODE_REAL);
	assert_int_equal(cfg.mem_size, 64 * KiB);
}

static void test_mem(void **state)
{
	static const struct {
		const char *arg;
		uint64_t size;
	} ok[] = {
		{ "64K", 64 * KiB }, { "64k", 64 * KiB },     { "2M", 2 * MiB },
		{ "1G", GiB },       { "0x200000", 2 * MiB }, { "4096", 4096 },
		{ "2MiB", 2 * MiB }, { "2MB", 2 * MiB },      { "64KiB", 64 * KiB },
		{ "1GB", GiB },      { "0x10000", 64 * KiB }, { "0", 0 },
	};
	struct vmm_config cfg;
	char joined[64];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cfg.mem_size = 1;
		assert_int_equal(parse(&cfg, "--mem", (char *)ok[i].arg, NULL), CONFIG_RUN);
		assert_int_equal(cfg.mem_size, ok[i].size);
		cfg.mem_size = 1;
		assert_int_equal(parse(&cfg, "-m", (char *)ok[i].arg, NULL), CONFIG_RUN);
		assert_int_equal(cfg.mem_size, ok[i].size);
		snprintf(joined, sizeof(joined), "--mem=%s", ok[i].arg);
		cfg.mem_size = 1;
		assert_int_equal(parse(&cfg, joined, NULL), CONFIG_RUN);
		assert_int_equal(cfg.mem_size, ok[i].size);
		snprintf(joined, sizeof(joined), "-m%s", ok[i].arg);
		cfg.mem_size = 1;
		assert_int_equal(parse(&cfg, joined, NULL), CONFIG_RUN);
		assert_int_equal(cfg.mem_size, ok[i].size);
	}
	/* The last one wins. */
	assert_int_equal(parse(&cfg, "-m", "1M", "--mem", "3M", NULL), CONFIG_RUN);
	assert_int_equal(cfg.mem_size, 3 * MiB);
}

/* A value parse_size refuses (its grammar is tested in unit_parse.c: a few of each kind
 * here) is one line that quotes it whole. */
static void test_mem_bad(void **state)
{
	static const char *const bad[] = {
		"", "2X", " 2M", "99999999999999999999", "2iB", "+2M", "1.5M", "2M2",
	};
	struct vmm_config cfg;
	char quoted[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&cfg, "--mem", (char *)bad[i], NULL), CONFIG_ERROR);
		snprintf(quoted, sizeof(quoted), "'%s'", bad[i]); /* the whole value, quoted */
		assert_err_has(quoted);
		assert_int_equal(parse(&cfg, "-m", (char *)bad[i], NULL), CONFIG_ERROR);
		assert_err_has(quoted);
	}
	assert_int_equal(parse(&cfg, "--mem=", NULL), CONFIG_ERROR);
	assert_err_has("''");
}

static void test_timeout(void **state)
{
	static const struct {
		const char *arg;
		double secs;
	} ok[] = { { "0", 0 },       { "0.5", 0.5 }, { "10", 10 },     { "0.25", 0.25 },
		   { "3600", 3600 }, { "1s", 1 },    { "500ms", 0.5 }, { "1000000", 1e6 } };
	struct vmm_config cfg;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cfg.timeout = -1;
		assert_int_equal(parse(&cfg, "--timeout", (char *)ok[i].arg, NULL), CONFIG_RUN);
		assert_true(cfg.timeout == ok[i].secs);
		cfg.timeout = -1;
		assert_int_equal(parse(&cfg, "-t", (char *)ok[i].arg, NULL), CONFIG_RUN);
		assert_true(cfg.timeout == ok[i].secs);
	}
}

static void test_timeout_bad(void **state)
{
	static const char *const bad[] = {
		"-1",   "x",  "1e9",   "nan", "inf",    "",        "NAN",
		"-0.5", " 1", "1e400", "10x", "0.0001", "1000001", ".25",
	};
	struct vmm_config cfg;
	char quoted[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&cfg, "--timeout", (char *)bad[i], NULL), CONFIG_ERROR);
		snprintf(quoted, sizeof(quoted), "'%s'", bad[i]);
		assert_err_has(quoted);
		assert_int_equal(parse(&cfg, "-t", (char *)bad[i], NULL), CONFIG_ERROR);
		assert_err_has(quoted);
	}
}

static void test_guest(void **state)
{
	struct vmm_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "--guest", "spin", NULL), CONFIG_RUN);
	assert_string_equal(cfg.guest, "spin");
	assert_int_equal(parse(&cfg, "-g", "fault", NULL), CONFIG_RUN);
	assert_string_equal(cfg.guest, "fault");
	assert_int_equal(parse(&cfg, "--guest=badport", "-g", "wrong", NULL), CONFIG_RUN);
	assert_string_equal(cfg.guest, "wrong");
	/* Any name passes here: the VMM checks it against its built-in guests. */
	assert_int_equal(parse(&cfg, "-g", "nosuch", NULL), CONFIG_RUN);
	assert_string_equal(cfg.guest, "nosuch");
	assert_int_equal(parse(&cfg, NULL), CONFIG_RUN);
	assert_string_equal(cfg.guest, "hello");
}

static void test_unknown(void **state)
{
	struct vmm_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "-x", NULL), CONFIG_ERROR);
	assert_err_has("-x");
	assert_int_equal(parse(&cfg, "-l", "-q", NULL), CONFIG_ERROR);
	assert_err_has("-q");
	assert_int_equal(parse(&cfg, "-rz", NULL), CONFIG_ERROR); /* inside a group */
	assert_err_has("-z");
	assert_int_equal(parse(&cfg, "--bogus", NULL), CONFIG_ERROR);
	assert_err_has("--bogus");
	assert_int_equal(parse(&cfg, "--long", "--frobnicate=3", NULL), CONFIG_ERROR);
	assert_err_has("--frobnicate");
	/* -L and -S are not short options (only --layout and --stats exist). */
	assert_int_equal(parse(&cfg, "-L", NULL), CONFIG_ERROR);
	assert_err_has("-L");
	assert_int_equal(parse(&cfg, "-S", NULL), CONFIG_ERROR);
	assert_err_has("-S");
}

static void test_value_given_to_flag(void **state)
{
	struct vmm_config cfg;

	(void)state;
	/* A long option that takes no value, given one: the message names what was typed,
	 * not getopt's internal code for the option. */
	assert_int_equal(parse(&cfg, "--stats=yes", NULL), CONFIG_ERROR);
	assert_err_has("'--stats=yes'");
	assert_int_equal(parse(&cfg, "--layout=1", NULL), CONFIG_ERROR);
	assert_err_has("'--layout=1'");
	assert_int_equal(parse(&cfg, "-l", "--real=1", NULL), CONFIG_ERROR);
	assert_err_has("'--real=1'");
	/* And an unknown short option after such a long one is still reported as itself. */
	assert_int_equal(parse(&cfg, "--guest=a", "-Lr", NULL), CONFIG_ERROR);
	assert_err_has("'-L'");
}

static void test_missing_value(void **state)
{
	struct vmm_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "--mem", NULL), CONFIG_ERROR);
	assert_err_has("--mem");
	assert_int_equal(parse(&cfg, "-l", "-m", NULL), CONFIG_ERROR);
	assert_err_has("-m");
	assert_int_equal(parse(&cfg, "--timeout", NULL), CONFIG_ERROR);
	assert_err_has("--timeout");
	assert_int_equal(parse(&cfg, "-g", NULL), CONFIG_ERROR);
	assert_err_has("-g");
}

/* The first non-option is the GUEST file; it and everything after it are the guest's
 * argv, options included ("+": option parsing stops at GUEST). */
static void test_positional(void **state)
{
	struct vmm_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "hello.elf", NULL), CONFIG_RUN);
	assert_string_equal(cfg.file, "hello.elf");
	assert_int_equal(cfg.argc, 1);
	assert_null(cfg.guest);
	assert_int_equal(parse(&cfg, "-l", "g.elf", "--stats", "-x", NULL), CONFIG_RUN);
	assert_string_equal(cfg.file, "g.elf");
	assert_int_equal(cfg.argc, 3);
	assert_string_equal(cfg.argv[1], "--stats");
	assert_false(cfg.stats); /* the guest's option, not ours */
	assert_int_equal(parse(&cfg, "--", "-l", NULL), CONFIG_RUN); /* after --, a file */
	assert_string_equal(cfg.file, "-l");
	assert_int_equal(parse(&cfg, NULL), CONFIG_RUN); /* no GUEST: the built-in hello */
	assert_null(cfg.file);
	assert_string_equal(cfg.guest, "hello");
	assert_int_equal(parse(&cfg, "--guest", "spin", "x.elf", NULL), CONFIG_ERROR);
	assert_err_has("either --guest spin or a GUEST file ('x.elf')");
}

static void test_help_version(void **state)
{
	struct vmm_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "-h", NULL), CONFIG_HELP);
	assert_int_equal(parse(&cfg, "--help", NULL), CONFIG_HELP);
	assert_int_equal(parse(&cfg, "-l", "--help", "-m", "1M", NULL), CONFIG_HELP);
	assert_int_equal(parse(&cfg, "-V", NULL), CONFIG_VERSION);
	assert_int_equal(parse(&cfg, "--version", NULL), CONFIG_VERSION);
	assert_int_equal(parse(&cfg, "-r", "-V", NULL), CONFIG_VERSION);
	/* The help text documents every option. */
	for (const char *o = "-r\0--real\0-s\0--protected\0-p\0--paged\0-l\0--long\0--mem\0"
			     "--guest\0--timeout\0--layout\0--stats\0--help\0--version\0";
	     *o; o += strlen(o) + 1)
		if (!strstr(config_usage, o))
			fail_msg("--help does not mention %s", o);
}

static void test_reparse(void **state)
{
	struct vmm_config cfg;

	(void)state;
	/* getopt keeps state between calls (optind, a half-read group); config_parse resets
	 * it, so each call sees its own arguments from the start. */
	assert_int_equal(parse(&cfg, "-r", "-m", "1M", "--stats", NULL), CONFIG_RUN);
	assert_int_equal(cfg.mode, MODE_REAL);
	assert_int_equal(parse(&cfg, "-p", NULL), CONFIG_RUN);
	assert_int_equal(cfg.mode, MODE_PAGED32);
	assert_int_equal(cfg.mem_size, 2 * MiB);
	assert_false(cfg.stats);
	/* Stops in the middle of a group, with "r" left unread: not seen by the next call. */
	assert_int_equal(parse(&cfg, "-xr", NULL), CONFIG_ERROR);
	assert_int_equal(parse(&cfg, "-s", NULL), CONFIG_RUN);
	assert_int_equal(cfg.mode, MODE_PROT);
	assert_int_equal(parse(&cfg, "-r", "--mem", NULL), CONFIG_ERROR);
	assert_int_equal(parse(&cfg, "-s", "-m", "64K", NULL), CONFIG_RUN);
	assert_int_equal(cfg.mem_size, 64 * KiB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),      cmocka_unit_test(test_modes),
		cmocka_unit_test(test_flags),         cmocka_unit_test(test_mem),
		cmocka_unit_test(test_mem_bad),       cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_timeout_bad),   cmocka_unit_test(test_guest),
		cmocka_unit_test(test_unknown),       cmocka_unit_test(test_value_given_to_flag),
		cmocka_unit_test(test_missing_value), cmocka_unit_test(test_positional),
		cmocka_unit_test(test_help_version),  cmocka_unit_test(test_reparse),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
