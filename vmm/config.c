/* SPDX-License-Identifier: MIT */
/* vmm/config.c: command-line parsing for kvm-hello-world. */
#include "config.h"

#include "parse.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char config_usage[] =
	"usage: kvm-hello-world [-r|-s|-p|-l] [OPTIONS] [GUEST [ARGS...]]\n"
	"Runs a guest in a new KVM virtual machine: GUEST is a static ELF executable (its\n"
	"arguments reach main) or a flat binary image loaded and entered at address 0; without\n"
	"GUEST, the built-in hello world (or the --guest NAME) runs.\n"
	"\n"
	"CPU mode (the last one given wins):\n"
	"  -r, --real            16-bit real mode\n"
	"  -s, --protected       32-bit protected mode, paging off\n"
	"  -p, --paged           32-bit protected mode with 2-level paging\n"
	"  -l, --long            64-bit long mode with 4-level paging (default)\n"
	"Options:\n"
	"  -m, --mem SIZE        guest memory, 64K..2G in 4 KiB steps (default 2M)\n"
	"  -g, --guest NAME      built-in guest: hello (default), fault, spin, badport,\n"
	"                        wrong\n"
	"  -t, --timeout SECS    stop the guest after SECS seconds, 0 = never (default 10)\n"
	"  -d, --dir HOSTDIR     share HOSTDIR with the guest's file hypercalls (else none)\n"
	"      --ro              share it read-only\n"
	"      --max-files N     the guest's fd table size, 3..4096 (default 64)\n"
	"      --vcpus N         run N instances of the guest, one vCPU each, each its own KVM\n"
	"                        VM: none can reach another's memory, in any ring\n"
	"      --smp             the N vCPUs share one VM and its memory instead (-l, -p, -s)\n"
	"      --ring            offer the console ring: SDK guests print through a ring in\n"
	"                        their memory and a KVM_IOEVENTFD doorbell, not an exit each\n"
	"                        (not with --smp)\n"
	"      --queue           offer the I/O queue: SDK guests' reads and writes go through\n"
	"                        a virtqueue in their memory that a VMM thread serves, not an\n"
	"                        exit each\n"
	"      --khc             offer in-kernel hypercalls (vmcall/vmmcall answered by KVM\n"
	"                        and the minivirt_khc module), after probing that they work\n"
	"      --cpl 0|3         guest privilege level: default 3 (user mode) for ELF guests,\n"
	"                        0 for built-in and flat images (they use HLT)\n"
	"      --layout          print the VM's memory layout and page tables before running\n"
	"      --classic         lay memory out as dpw/kvm-hello-world does: page tables at\n"
	"                        0x2000-0x4fff (long mode, ring 0, one vCPU)\n"
	"      --stats           print exit statistics at the end\n"
	"  -h, --help            print this help and exit\n"
	"  -V, --version         print the version and exit\n"
	"Exit status: the guest's own exit(status); else 0 the guest halted and its checks\n"
	"passed; 1 a check failed; 2 usage error; 120 no usable /dev/kvm; 121 the host's KVM\n"
	"refuses this CPU mode or --khc; 122 the guest crashed or made an unhandled exit;\n"
	"123 the guest reported a failure; 124 timeout; 125 host error or the output could\n"
	"not be written; 126 GUEST cannot be loaded; 127 GUEST not found; 128+N stopped by\n"
	"signal N.\n";

/* A decimal count in [min, max] (the shared grammar: common/parse.h). */
static int parse_int(const char *s, int min, int max, int *out)
{
	uint64_t v;

	if (parse_count(s, &v) || v < (uint64_t)min || v > (uint64_t)max)
		return -1;
	*out = (int)v;
	return 0;
}

/* Seconds, up to 1e6 (11.6 days), at a millisecond's resolution (common/parse.h). */
static int parse_seconds(const char *s, double *out)
{
	uint64_t ms;

	if (parse_duration_ms(s, &ms) || ms > 1000000000ull)
		return -1;
	*out = (double)ms / 1000;
	return 0;
}

/* Codes of the long-only options: above any char, so a '?' from getopt whose optopt is
 * one of opts' codes can only be a known long option given a value it does not take
 * ("--stats=1"), never an unknown short option (such as -S). */
enum {
	OPT_LAYOUT = 256,
	OPT_STATS,
	OPT_RO,
	OPT_MAX_FILES,
	OPT_VCPUS,
	OPT_SMP,
	OPT_CPL,
	OPT_RING,
	OPT_QUEUE,
	OPT_KHC,
	OPT_CLASSIC
};

static const struct option opts[] = {
	{ "real", no_argument, NULL, 'r' },
	{ "protected", no_argument, NULL, 's' },
	{ "paged", no_argument, NULL, 'p' },
	{ "long", no_argument, NULL, 'l' },
	{ "mem", required_argument, NULL, 'm' },
	{ "guest", required_argument, NULL, 'g' },
	{ "timeout", required_argument, NULL, 't' },
	{ "layout", no_argument, NULL, OPT_LAYOUT },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "dir", required_argument, NULL, 'd' },
	{ "ro", no_argument, NULL, OPT_RO },
	{ "max-files", required_argument, NULL, OPT_MAX_FILES },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "smp", no_argument, NULL, OPT_SMP },
	{ "cpl", required_argument, NULL, OPT_CPL },
	{ "ring", no_argument, NULL, OPT_RING },
	{ "queue", no_argument, NULL, OPT_QUEUE },
	{ "khc", no_argument, NULL, OPT_KHC },
	{ "classic", no_argument, NULL, OPT_CLASSIC },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int option_code_known(int code)
{
	for (const struct option *o = opts; o->name; o++)
		if (o->val == code)
			return 1;
	return 0;
}

/* Sets the field of an option without a value; returns 0, or -1 if c is not one. */
static int set_flag(int c, struct vmm_config *cfg)
{
	switch (c) {
	case 'r': cfg->mode = MODE_REAL; break;
	case 's': cfg->mode = MODE_PROT; break;
	case 'p': cfg->mode = MODE_PAGED32; break;
	case 'l': cfg->mode = MODE_LONG; break;
	case OPT_LAYOUT: cfg->layout = true; break;
	case OPT_STATS: cfg->stats = true; break;
	case OPT_RO: cfg->ro = true; break;
	case OPT_SMP: cfg->smp = true; break;
	case OPT_RING: cfg->ring = true; break;
	case OPT_QUEUE: cfg->queue = true; break;
	case OPT_KHC: cfg->khc = true; break;
	case OPT_CLASSIC: cfg->classic = true; break;
	default: return -1;
	}
	return 0;
}

/* Sets the field of option c from its value arg; returns 0, -1 with a reason in err for a
 * bad value, or 1 if c is not an option with a value. */
static int set_value(int c, const char *arg, struct vmm_config *cfg, struct mv_err *err)
{
	switch (c) {
	case 'g': cfg->guest = arg; return 0;
	case 'd': cfg->dir = arg; return 0;
	case OPT_VCPUS:
		if (!parse_int(arg, 1, CONFIG_MAX_VCPUS, &cfg->vcpus))
			return 0;
		return mv_seterr(err, 0, "invalid --vcpus '%s' (1..%d)", arg, CONFIG_MAX_VCPUS);
	case OPT_CPL:
		if (strcmp(arg, "0") && strcmp(arg, "3"))
			return mv_seterr(err, 0, "invalid --cpl '%s' (0 or 3)", arg);
		cfg->cpl = arg[0] - '0';
		return 0;
	case OPT_MAX_FILES:
		if (!parse_int(arg, 3, CONFIG_MAX_FILES, &cfg->max_files))
			return 0;
		return mv_seterr(err, 0, "invalid --max-files '%s' (3..%d: the console takes 0-2)",
				 arg, CONFIG_MAX_FILES);
	case 'm':
		if (!parse_size(arg, &cfg->mem_size))
			return 0;
		return mv_seterr(err, 0, "invalid memory size '%s' (e.g. 2M, 64K, 1G)", arg);
	case 't':
		if (!parse_seconds(arg, &cfg->timeout))
			return 0;
		return mv_seterr(err, 0, "invalid timeout '%s' (seconds, e.g. 10 or 0.5)", arg);
	default: return 1;
	}
}

/* The one line for what getopt refused: c is ':' (a missing value) or '?'; the option
 * is argv[optind - 1], or optopt for an unknown short one. */
static void option_error(int c, char **argv, struct mv_err *err)
{
	if (c == ':')
		mv_seterr(err, 0, "option '%s' needs a value", argv[optind - 1]);
	else if (optopt && option_code_known(optopt))
		mv_seterr(err, 0, "option '%s' takes no value", argv[optind - 1]);
	else if (optopt)
		mv_seterr(err, 0, "unknown option '-%c'", optopt);
	else
		mv_seterr(err, 0, "unknown option '%s'", argv[optind - 1]);
}

/* Options that each parse but do not go together; returns 0 or -1 with a reason. */
static int check_combinations(const struct vmm_config *cfg, struct mv_err *err)
{
	/* Separate instances are separate VMs, in any mode; vCPUs sharing one VM need the
	 * per-vCPU stacks and boot pages that only protected and long mode lay out. */
	if (cfg->smp && cfg->mode == MODE_REAL)
		return mv_seterr(err, 0, "--smp needs protected or long mode, not -r");
	if (cfg->cpl == 3 && cfg->mode == MODE_REAL)
		return mv_seterr(err, 0,
				 "--cpl 3 needs protected or long mode: real mode has no rings");
	if (cfg->classic && (cfg->mode != MODE_LONG || cfg->vcpus > 1 || cfg->smp || cfg->cpl == 3))
		return mv_seterr(err, 0,
				 "--classic is the classic example's layout: long mode, ring 0, "
				 "one vCPU (not with -r, -s, -p, --vcpus, --smp or --cpl 3)");
	if (cfg->ro && !cfg->dir)
		return mv_seterr(err, 0, "--ro needs --dir");
	return 0;
}

/* What runs: GUEST and its arguments (argv[optind...]), else --guest, else hello. */
static int choose_guest(int argc, char **argv, struct vmm_config *cfg, struct mv_err *err)
{
	if (optind >= argc) {
		if (!cfg->guest)
			cfg->guest = "hello";
		return 0;
	}
	if (cfg->guest)
		return mv_seterr(err, 0, "give either --guest %s or a GUEST file ('%s'), not both",
				 cfg->guest, argv[optind]);
	cfg->file = argv[optind];
	cfg->argc = argc - optind;
	cfg->argv = argv + optind;
	return 0;
}

enum config_result config_parse(int argc, char **argv, struct vmm_config *cfg, struct mv_err *err)
{
	int c, r;

	*cfg = (struct vmm_config){ .mode = MODE_LONG,
				    .mem_size = LAYOUT_MEM_DEFAULT,
				    .guest = NULL,
				    .timeout = 10,
				    .max_files = 64,
				    .vcpus = 1,
				    .cpl = -1 };
	optind = 0; /* glibc: full re-initialisation */
	opterr = 0; /* our own one-line messages; "+": options end at GUEST, the rest is its */
	while ((c = getopt_long(argc, argv, "+:rsplm:g:t:d:hV", opts, NULL)) != -1) {
		if (c == 'h')
			return CONFIG_HELP;
		if (c == 'V')
			return CONFIG_VERSION;
		if (!set_flag(c, cfg))
			continue;
		r = set_value(c, optarg, cfg, err);
		if (r < 0)
			return CONFIG_ERROR;
		if (r > 0) {
			option_error(c, argv, err);
			return CONFIG_ERROR;
		}
	}
	if (check_combinations(cfg, err) || choose_guest(argc, argv, cfg, err))
		return CONFIG_ERROR;
	return CONFIG_RUN;
}
