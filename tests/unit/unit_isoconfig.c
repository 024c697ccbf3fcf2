/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_isoconfig.c: isolate's iso_config_parse (defaults, options, PROGRAM's own
 * options, errors; the sandbox's limits, mounts, capabilities and seccomp, and their bad
 * values), iso_cap_parse, iso_parse_net_addr and the
 * address scheme (iso_pick_subnet). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>
#include <sys/resource.h>

#include "../../isolate/addr.h"
#include "../../isolate/options.h"

#define MAX_ARGS 16

static struct mv_err err;
static char *argv_buf[MAX_ARGS + 2];

/* parse(cfg, "--net", "none", "true", NULL): iso_config_parse on "isolate" and the
 * arguments; err is poisoned first, so a test sees only what this call wrote. */
static enum iso_config_result parse(struct iso_config *cfg, ...)
{
	int argc = 1;
	va_list ap;

	argv_buf[0] = "isolate";
	va_start(ap, cfg);
	while ((argv_buf[argc] = va_arg(ap, char *)) != NULL) {
		assert_true(argc < MAX_ARGS);
		argc++;
	}
	va_end(ap);
	strcpy(err.msg, "(untouched)");
	return iso_config_parse(argc, argv_buf, cfg, &err);
}

static void assert_err_has(const char *s)
{
	if (!strstr(err.msg, s))
		fail_msg("message '%s' does not mention '%s'", err.msg, s);
}

static uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return ntohl(a.s_addr);
}

static void test_defaults(void **state)
{
	struct iso_config cfg;

	(void)state;
	memset(&cfg, 0xff, sizeof(cfg)); /* defaults are set, not inherited */
	assert_int_equal(parse(&cfg, "ps", "aux", NULL), ISO_CONFIG_RUN);
	assert_string_equal(cfg.hostname, "isolated");
	assert_int_equal(cfg.net, ISO_NET_AUTO);
	assert_false(cfg.addr_set);
	assert_false(cfg.verbose);
	assert_false(cfg.wait_teardown);
	/* the sandbox: no init, no limit, no report, the host's root, hardened */
	assert_false(cfg.init);
	for (int l = 0; l < ISO_LIMIT_COUNT; l++)
		assert_false(cfg.limit_set[l]);
	assert_null(cfg.report);
	assert_null(cfg.root);
	assert_false(cfg.root_rw);
	assert_int_equal(cfg.n_mounts, 0);
	assert_int_equal(cfg.caps, 0);
	assert_true(cfg.seccomp);
	assert_true(cfg.no_new_privs);
	assert_ptr_equal(cfg.argv, &argv_buf[1]);
	assert_string_equal(cfg.argv[0], "ps");
	assert_string_equal(cfg.argv[1], "aux");
	assert_null(cfg.argv[2]);
}

static void test_options(void **state)
{
	struct iso_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "--hostname", "box", "-v", "--net", "none", "--wait-teardown",
			       "true", NULL),
			 ISO_CONFIG_RUN);
	assert_string_equal(cfg.hostname, "box");
	assert_true(cfg.verbose);
	assert_true(cfg.wait_teardown);
	assert_int_equal(cfg.net, ISO_NET_NONE);
	assert_string_equal(cfg.argv[0], "true");

	assert_int_equal(parse(&cfg, "-n", "h2", "--net=veth", "id", NULL), ISO_CONFIG_RUN);
	assert_string_equal(cfg.hostname, "h2");
	assert_int_equal(cfg.net, ISO_NET_VETH);
	assert_int_equal(parse(&cfg, "--net", "none", "--net", "auto", "id", NULL), ISO_CONFIG_RUN);
	assert_int_equal(cfg.net, ISO_NET_AUTO); /* the last wins */
}

/* Options after PROGRAM are PROGRAM's, even ones isolate knows. */
static void test_program_options(void **state)
{
	struct iso_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "-v", "ls", "-l", "--help", "-V", "--net", "x", NULL),
			 ISO_CONFIG_RUN);
	assert_true(cfg.verbose);
	assert_string_equal(cfg.argv[0], "ls");
	assert_string_equal(cfg.argv[1], "-l");
	assert_string_equal(cfg.argv[2], "--help");
	assert_string_equal(cfg.argv[5], "x");
	assert_null(cfg.argv[6]);
	/* "--" ends isolate's options: a PROGRAM named like an option */
	assert_int_equal(parse(&cfg, "--", "-weird", NULL), ISO_CONFIG_RUN);
	assert_string_equal(cfg.argv[0], "-weird");
}

static void test_help_version(void **state)
{
	struct iso_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "--help", NULL), ISO_CONFIG_HELP);
	assert_int_equal(parse(&cfg, "-h", "ls", NULL), ISO_CONFIG_HELP);
	assert_int_equal(parse(&cfg, "--version", NULL), ISO_CONFIG_VERSION);
	assert_int_equal(parse(&cfg, "-V", NULL), ISO_CONFIG_VERSION);
}

/* --kill-after: SIGTERM's grace, 10 s by default; seconds with up to 3 decimals, 0 to a
 * day; a bad value is a bad value (125), not a usage error */
static void test_kill_after(void **state)
{
	struct iso_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "true", NULL), ISO_CONFIG_RUN);
	assert_int_equal(cfg.kill_after_ms, 10000);
	assert_int_equal(parse(&cfg, "--kill-after", "2.5", "true", NULL), ISO_CONFIG_RUN);
	assert_int_equal(cfg.kill_after_ms, 2500);
	assert_int_equal(parse(&cfg, "--kill-after", "0", "true", NULL), ISO_CONFIG_RUN);
	assert_int_equal(cfg.kill_after_ms, 0);
	assert_int_equal(parse(&cfg, "--kill-after", "86400", "true", NULL), ISO_CONFIG_RUN);
	assert_int_equal(parse(&cfg, "--kill-after", "86400.001", "true", NULL),
			 ISO_CONFIG_BAD_VALUE);
	assert_err_has("--kill-after: '86400.001' is not a number of seconds from 0 to 86400");
	assert_int_equal(parse(&cfg, "--kill-after", "-1", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_int_equal(parse(&cfg, "--kill-after", "soon", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_int_equal(parse(&cfg, "--kill-after", NULL), ISO_CONFIG_ERROR);
}

static void test_errors(void **state)
{
	struct iso_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, NULL), ISO_CONFIG_ERROR);
	assert_err_has("no PROGRAM");
	assert_int_equal(parse(&cfg, "-v", NULL), ISO_CONFIG_ERROR);
	assert_err_has("no PROGRAM");
	assert_int_equal(parse(&cfg, "--bogus", "ls", NULL), ISO_CONFIG_ERROR);
	assert_err_has("'--bogus'");
	assert_int_equal(parse(&cfg, "-x", "ls", NULL), ISO_CONFIG_ERROR);
	assert_err_has("'-x'");
	assert_int_equal(parse(&cfg, "--hostname", NULL), ISO_CONFIG_ERROR);
	assert_err_has("needs a value");
	assert_int_equal(parse(&cfg, "", NULL), ISO_CONFIG_ERROR);
	assert_err_has("PROGRAM is an empty string");
	/* a bad value, whatever the option, is one line and 125: ISO_CONFIG_BAD_VALUE */
	assert_int_equal(parse(&cfg, "--net", "bridge", "ls", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("bridge");
	assert_int_equal(parse(&cfg, "--hostname", "", "ls", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("--hostname");
	assert_int_equal(parse(&cfg, "--hostname",
			       "a123456789b123456789c123456789d123456789e123456789f123456789g1234",
			       "ls", NULL),
			 ISO_CONFIG_BAD_VALUE);
	assert_err_has("65 characters ('a123456789b12345...'); a hostname has 1 to 64");
	assert_int_equal(parse(&cfg, "--preserve-fds", "x", "ls", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("--preserve-fds 'x': expected a number 0..1024");
	assert_int_equal(parse(&cfg, "--preserve-fds", "1025", "ls", NULL), ISO_CONFIG_BAD_VALUE);
	assert_int_equal(parse(&cfg, "--preserve-fds", "4", "--map-host-root", "ls", NULL),
			 ISO_CONFIG_RUN);
	assert_int_equal(cfg.preserve_fds, 4);
	assert_true(cfg.map_host_root);
	assert_int_equal(
		parse(&cfg, "--net", "none", "--net-addr", "10.0.0.1/24,10.0.0.2", "ls", NULL),
		ISO_CONFIG_BAD_VALUE);
	assert_err_has("contradict");
}

static void test_limits(void **state)
{
	struct iso_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "--cpu-time", "2", "--wall-time", "1.5", "--memory", "100M",
			       "--processes", "20", "--file-size", "0", "--open-files", "64",
			       "--stack", "8M", "true", NULL),
			 ISO_CONFIG_RUN);
	for (int l = 0; l < ISO_LIMIT_COUNT; l++)
		assert_true(cfg.limit_set[l]);
	assert_int_equal(cfg.limit[ISO_LIMIT_CPU], 2);
	assert_int_equal(cfg.limit[ISO_LIMIT_WALL], 1500);
	assert_int_equal(cfg.limit[ISO_LIMIT_MEMORY], 100ull << 20);
	assert_int_equal(cfg.limit[ISO_LIMIT_PROCS], 20);
	assert_int_equal(cfg.limit[ISO_LIMIT_FSIZE], 0); /* a limit of 0 is a limit */
	assert_int_equal(cfg.limit[ISO_LIMIT_NOFILE], 64);
	assert_int_equal(cfg.limit[ISO_LIMIT_STACK], 8ull << 20);
	/* each limit names its rlimit (the wall clock is isolate's own) */
	assert_int_equal(iso_limit_info[ISO_LIMIT_CPU].resource, RLIMIT_CPU);
	assert_int_equal(iso_limit_info[ISO_LIMIT_WALL].resource, -1);
	assert_int_equal(iso_limit_info[ISO_LIMIT_MEMORY].resource, RLIMIT_AS);
	assert_int_equal(iso_limit_info[ISO_LIMIT_PROCS].resource, RLIMIT_NPROC);
	assert_int_equal(iso_limit_info[ISO_LIMIT_FSIZE].resource, RLIMIT_FSIZE);
	assert_int_equal(iso_limit_info[ISO_LIMIT_NOFILE].resource, RLIMIT_NOFILE);
	assert_int_equal(iso_limit_info[ISO_LIMIT_STACK].resource, RLIMIT_STACK);
	/* the last one wins */
	assert_int_equal(parse(&cfg, "--memory", "1G", "--memory", "2G", "true", NULL),
			 ISO_CONFIG_RUN);
	assert_int_equal(cfg.limit[ISO_LIMIT_MEMORY], 2ull << 30);
	assert_false(cfg.limit_set[ISO_LIMIT_CPU]);
	/* the grammar kvm-hello-world reads too (common/parse.h): any case, KiB, units */
	assert_int_equal(parse(&cfg, "--memory", "64m", "--stack", "8MiB", "--cpu-time", "3s",
			       "--wall-time", "250ms", "true", NULL),
			 ISO_CONFIG_RUN);
	assert_int_equal(cfg.limit[ISO_LIMIT_MEMORY], 64ull << 20);
	assert_int_equal(cfg.limit[ISO_LIMIT_STACK], 8ull << 20);
	assert_int_equal(cfg.limit[ISO_LIMIT_CPU], 3);
	assert_int_equal(cfg.limit[ISO_LIMIT_WALL], 250);
}

/* A bad value is one line and exit 125 (ISO_CONFIG_BAD_VALUE), not a usage error. */
static void test_limits_bad(void **state)
{
	static const struct {
		const char *opt, *arg, *why;
	} bad[] = {
		{ "--cpu-time", "1.5", "whole seconds" },
		{ "--cpu-time", "0", "out of range" },
		{ "--cpu-time", "", "whole seconds" },
		{ "--cpu-time", "-1", "whole seconds" },
		{ "--cpu-time", "99999999999999999999999", "whole seconds" },
		{ "--wall-time", "abc", "seconds" },
		{ "--wall-time", "0", "out of range" },
		{ "--wall-time", "1.2345", "at most 3 decimals" },
		{ "--wall-time", "1.", "seconds" },
		{ "--wall-time", ".5", "seconds" },
		{ "--memory", "12Q", "a size" },
		{ "--memory", "1K", "out of range" },
		{ "--memory", "M", "a size" },
		{ "--memory", "99999999999999999999T", "a size" },
		{ "--memory", "100MX", "a size" },
		{ "--cpu-time", "1500ms", "whole seconds" },
		{ "--processes", "0", "out of range" },
		{ "--processes", "2x", "a number" },
		{ "--processes", "1K", "a number" },
		{ "--open-files", "0", "out of range" },
		{ "--stack", "1K", "out of range" },
		{ "--file-size", "-5", "a size" },
	};
	struct iso_config cfg;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(&cfg, bad[i].opt, bad[i].arg, "true", NULL) != ISO_CONFIG_BAD_VALUE)
			fail_msg("%s '%s' was not a bad value", bad[i].opt, bad[i].arg);
		assert_err_has(bad[i].opt);
		assert_err_has(bad[i].why);
	}
	/* parsing goes on after a bad value: a later --report is known, for the report */
	assert_int_equal(parse(&cfg, "--memory", "x", "--report", "r.json", "true", NULL),
			 ISO_CONFIG_BAD_VALUE);
	assert_string_equal(cfg.report, "r.json");
	assert_err_has("--memory");
	/* the first bad value is the one said */
	assert_int_equal(parse(&cfg, "--stack", "x", "--memory", "y", "true", NULL),
			 ISO_CONFIG_BAD_VALUE);
	assert_err_has("--stack");
	/* a usage error still wins over a bad value (the usage follows) */
	assert_int_equal(parse(&cfg, "--memory", "x", NULL), ISO_CONFIG_ERROR);
	assert_err_has("no PROGRAM");
}

static void test_mounts(void **state)
{
	struct iso_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "--root", "/srv/r", "--root-rw", "--bind", "/a", "--ro-bind",
			       "/b:/c", "--tmpfs", "/tmp", "--bind", "rel:/d", "true", NULL),
			 ISO_CONFIG_RUN);
	assert_string_equal(cfg.root, "/srv/r");
	assert_true(cfg.root_rw);
	assert_int_equal(cfg.n_mounts, 4);
	assert_int_equal(cfg.mounts[0].kind, ISO_MOUNT_BIND);
	assert_string_equal(cfg.mounts[0].src, "/a");
	assert_string_equal(cfg.mounts[0].dst, "/a"); /* DST defaults to SRC */
	assert_int_equal(cfg.mounts[1].kind, ISO_MOUNT_RO_BIND);
	assert_string_equal(cfg.mounts[1].src, "/b");
	assert_string_equal(cfg.mounts[1].dst, "/c");
	assert_int_equal(cfg.mounts[2].kind, ISO_MOUNT_TMPFS);
	assert_null(cfg.mounts[2].src);
	assert_string_equal(cfg.mounts[2].dst, "/tmp");
	assert_string_equal(cfg.mounts[3].src, "rel"); /* a relative SRC is the host's cwd's */
	assert_string_equal(cfg.mounts[3].dst, "/d");
	/* bad forms: one line, exit 125 */
	assert_int_equal(parse(&cfg, "--bind", "/a:rel", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("DST must be an absolute path");
	assert_int_equal(parse(&cfg, "--bind", "a", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("absolute");
	assert_int_equal(parse(&cfg, "--ro-bind", ":/x", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("SRC is empty");
	assert_int_equal(parse(&cfg, "--tmpfs", "tmp", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("--tmpfs");
	assert_int_equal(parse(&cfg, "--root", "", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("--root");
	assert_int_equal(parse(&cfg, "--root-rw", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("--root-rw without --root");
	assert_int_equal(parse(&cfg, "--report", "", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("--report");
}

static void test_too_many_mounts(void **state)
{
	static char *args[ISO_MAX_MOUNTS * 2 + 4];
	struct iso_config cfg;
	int n = 0;

	(void)state;
	args[n++] = "isolate";
	for (int i = 0; i <= ISO_MAX_MOUNTS; i++) {
		args[n++] = "--tmpfs";
		args[n++] = "/tmp";
	}
	args[n++] = "true";
	args[n] = NULL;
	assert_int_equal(iso_config_parse(n, args, &cfg, &err), ISO_CONFIG_BAD_VALUE);
	assert_err_has("more than 64 mounts");
	assert_int_equal(cfg.n_mounts, ISO_MAX_MOUNTS);
}

static void test_hardening(void **state)
{
	struct iso_config cfg;
	unsigned long long caps;

	(void)state;
	assert_int_equal(parse(&cfg, "--init", "--cap-add", "net_raw,CAP_KILL", "--cap-add",
			       "Sys_Admin", "--cap-drop", "kill", "--seccomp", "none", "true",
			       NULL),
			 ISO_CONFIG_RUN);
	assert_true(cfg.init);
	assert_int_equal(cfg.caps, (1ull << 13) | (1ull << 21)); /* NET_RAW, SYS_ADMIN */
	assert_false(cfg.seccomp);
	assert_true(cfg.no_new_privs);
	/* --no-harden: everything off; later options still count */
	assert_int_equal(parse(&cfg, "--no-harden", "true", NULL), ISO_CONFIG_RUN);
	assert_int_equal(cfg.caps, ISO_CAPS_ALL);
	assert_false(cfg.seccomp);
	assert_false(cfg.no_new_privs);
	assert_int_equal(parse(&cfg, "--no-harden", "--seccomp", "default", "--cap-drop", "all",
			       "true", NULL),
			 ISO_CONFIG_RUN);
	assert_int_equal(cfg.caps, 0);
	assert_true(cfg.seccomp);
	assert_int_equal(parse(&cfg, "--cap-add", "all", "true", NULL), ISO_CONFIG_RUN);
	assert_int_equal(cfg.caps, ISO_CAPS_ALL);
	assert_true(cfg.no_new_privs); /* caps only: no_new_privs stays */
	/* bad values: 125 */
	assert_int_equal(parse(&cfg, "--cap-add", "net_raww", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("--cap-add: unknown capability 'net_raww'");
	assert_int_equal(parse(&cfg, "--cap-drop", "kill,", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("--cap-drop");
	assert_int_equal(parse(&cfg, "--seccomp", "strict", "true", NULL), ISO_CONFIG_BAD_VALUE);
	assert_err_has("unknown mode 'strict'");
	/* the names */
	assert_int_equal(iso_cap_parse("CAP_CHECKPOINT_RESTORE,chown", &caps, &err), 0);
	assert_int_equal(caps, (1ull << 40) | 1);
	assert_int_equal(iso_cap_parse("cap_", &caps, &err), -1);
	assert_string_equal(iso_cap_name(13), "CAP_NET_RAW");
	assert_null(iso_cap_name(ISO_CAP_LAST + 1));
	assert_null(iso_cap_name(-1));
}

static void test_net_addr(void **state)
{
	struct iso_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "--net-addr", "192.168.7.1/24,192.168.7.9", "true", NULL),
			 ISO_CONFIG_RUN);
	assert_true(cfg.addr_set);
	assert_int_equal(cfg.net, ISO_NET_VETH); /* an address asks for a veth */
	assert_int_equal(ntohl(cfg.host_ip.s_addr), ip("192.168.7.1"));
	assert_int_equal(ntohl(cfg.cont_ip.s_addr), ip("192.168.7.9"));
	assert_int_equal(cfg.prefix, 24);
	assert_int_equal(parse(&cfg, "--net-addr", "10.1.0.1/16,10.1.200.3", "true", NULL),
			 ISO_CONFIG_RUN);
	assert_int_equal(cfg.prefix, 16);
}

static void test_net_addr_bad(void **state)
{
	static const struct {
		const char *arg, *why;
	} bad[] = {
		{ "10.0.0.1", "HOST_IP/PREFIX,CONTAINER_IP" },
		{ "10.0.0.1/24", "HOST_IP/PREFIX,CONTAINER_IP" },
		{ "10.0.0.1,10.0.0.2/24", "HOST_IP/PREFIX,CONTAINER_IP" },
		{ "10.0.0.1/,10.0.0.2", "HOST_IP/PREFIX,CONTAINER_IP" },
		{ "10.0.0/24,10.0.0.2", "not an IPv4 address" },
		{ "10.0.0.1/24,10.0.0.256", "not an IPv4 address" },
		{ "10.0.0.1/24,", "not an IPv4 address" },
		{ "10.0.0.1/33,10.0.0.2", "8..30" },
		{ "10.0.0.1/31,10.0.0.0", "8..30" },
		{ "10.0.0.1/7,10.0.0.2", "8..30" },
		{ "10.0.0.1/2x,10.0.0.2", "8..30" },
		{ "10.0.0.1/-4,10.0.0.2", "8..30" },
		{ "10.0.0.1/24,10.0.1.2", "not in one /24" },
		{ "10.0.0.1/24,10.0.0.1", "both" },
		{ "10.0.0.0/24,10.0.0.2", "network or broadcast" },
		{ "10.0.0.1/24,10.0.0.255", "network or broadcast" },
		{ "127.0.0.2/24,127.0.0.3", "loopback" },
		{ "224.0.0.2/24,224.0.0.3", "multicast" },
	};
	struct iso_config cfg;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(&cfg, "--net-addr", bad[i].arg, "true", NULL) != ISO_CONFIG_BAD_VALUE)
			fail_msg("--net-addr %s was accepted", bad[i].arg);
		assert_err_has(bad[i].why);
	}
}

static void test_pick_subnet(void **state)
{
	struct iso_host_addr a[4] = {
		{ ip("127.0.0.1"), 8 },
		{ ip("192.0.2.2"), 24 },
	};
	uint32_t host = 0, cont = 0;

	(void)state;
	/* nothing in 10.11.12.0/24: the classic pair */
	assert_int_equal(iso_pick_subnet(a, 2, &host, &cont), 12);
	assert_int_equal(host, ip("10.11.12.13"));
	assert_int_equal(cont, ip("10.11.12.14"));
	/* a container already there (its host end), and a host address in .13: the next */
	a[2] = (struct iso_host_addr){ ip("10.11.12.13"), 24 };
	a[3] = (struct iso_host_addr){ ip("10.11.13.200"), 28 };
	assert_int_equal(iso_pick_subnet(a, 4, &host, &cont), 14);
	assert_int_equal(host, ip("10.11.14.13"));
	assert_int_equal(cont, ip("10.11.14.14"));
	/* a wider host subnet around 10.11.12.0/24 is no obstacle (the /24 is more specific) */
	a[2] = (struct iso_host_addr){ ip("10.0.0.5"), 8 };
	assert_int_equal(iso_pick_subnet(a, 3, &host, &cont), 12);
}

static void test_pick_subnet_full(void **state)
{
	static struct iso_host_addr a[256];
	uint32_t host = 1, cont = 1;
	size_t n = 0;

	(void)state;
	for (uint32_t sub = ISO_SUBNET_FIRST; sub <= 255; sub++)
		a[n++] = (struct iso_host_addr){ (10u << 24) | (11u << 16) | (sub << 8) | 1, 24 };
	assert_int_equal(iso_pick_subnet(a, n, &host, &cont), -1);
	a[n - 1].addr = ip("192.0.2.1"); /* 10.11.255.0/24 frees up */
	assert_int_equal(iso_pick_subnet(a, n, &host, &cont), 255);
	assert_int_equal(host, ip("10.11.255.13"));
}

static void test_addr_in_use(void **state)
{
	struct iso_host_addr a[] = { { ip("10.0.0.1"), 24 }, { ip("10.0.0.7"), 24 } };

	(void)state;
	assert_true(iso_addr_in_use(a, 2, ip("10.0.0.7")));
	assert_false(iso_addr_in_use(a, 2, ip("10.0.0.2")));
	assert_false(iso_addr_in_use(a, 0, ip("10.0.0.1")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),         cmocka_unit_test(test_options),
		cmocka_unit_test(test_program_options),  cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_kill_after),       cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),           cmocka_unit_test(test_limits_bad),
		cmocka_unit_test(test_mounts),           cmocka_unit_test(test_too_many_mounts),
		cmocka_unit_test(test_hardening),        cmocka_unit_test(test_net_addr),
		cmocka_unit_test(test_net_addr_bad),     cmocka_unit_test(test_pick_subnet),
		cmocka_unit_test(test_pick_subnet_full), cmocka_unit_test(test_addr_in_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
