/* SPDX-License-Identifier: MIT */
/* isolate/options.c: isolate's command line -> struct iso_config. */
#include "options.h"

#include "parse.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#define ISO_HOSTNAME_MAX 64 /* HOST_NAME_MAX: sethostname refuses longer names */

const char iso_usage[] =
	"Usage: isolate [OPTIONS] PROGRAM [ARGS...]\n"
	"Runs PROGRAM in new user, UTS, IPC, network, PID and mount namespaces, on the host's\n"
	"root filesystem or DIR (--root); PROGRAM is PID 1 (or isolate's init is, --init) and\n"
	"uid 0 there: your own uid outside; run by root, a slot of 65536 unprivileged ids\n"
	"(root's range in /etc/subuid and /etc/subgid, else from 1879048192), one per\n"
	"concurrent run. Hardened: no_new_privs, no capabilities, a seccomp filter, only fds\n"
	"0-2, /proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus and /sys read-only and\n"
	"/proc/kcore, /proc/keys and the like masked.\n"
	"\n"
	"  -n, --hostname NAME   the container's hostname (default: isolated)\n"
	"      --net MODE        auto (default): a veth pair to the host when isolate has\n"
	"                          CAP_NET_ADMIN, else loopback only, said in one line;\n"
	"                        veth: a veth pair or fail; none: loopback only\n"
	"      --net-addr HOST_IP/PREFIX,CONTAINER_IP\n"
	"                        the veth's addresses, e.g. 10.0.0.1/24,10.0.0.2 (default: the\n"
	"                          first free 10.11.N.0/24 from N=12: 10.11.N.13 on the host,\n"
	"                          10.11.N.14 in the container)\n"
	"      --wait-teardown   return only once the kernel has removed the veth pair\n"
	"                          (otherwise it goes away a few ms after isolate returns)\n"
	"      --init            isolate's own init is PID 1: it reaps orphans, forwards\n"
	"                          signals to PROGRAM and exits with PROGRAM's status\n"
	"      --kill-after SECS SIGTERM to isolate: forwarded, then SIGKILL to the container\n"
	"                          SECS later if it still runs (default: 10)\n"
	"\n"
	"Limits (SIZE: bytes, or with K, M, G, T; each limit hit is named in the report):\n"
	"      --cpu-time SECS   CPU time of each process (RLIMIT_CPU), whole seconds\n"
	"      --wall-time SECS  wall-clock time of the whole container, e.g. 2.5\n"
	"      --memory SIZE     address space of each process (RLIMIT_AS)\n"
	"      --processes N     processes and threads of the container (RLIMIT_NPROC)\n"
	"      --file-size SIZE  size of any file written (RLIMIT_FSIZE)\n"
	"      --open-files N    open files of each process (RLIMIT_NOFILE)\n"
	"      --stack SIZE      stack of each process (RLIMIT_STACK)\n"
	"      --report FILE     write a JSON run report to FILE at the end (- for stderr):\n"
	"                          a regular file, replaced, or a new one; never a symbolic\n"
	"                          link, device, FIFO or socket (refused before the run)\n"
	"\n"
	"Filesystem:\n"
	"      --root DIR        DIR becomes the container's /, read-only, with a minimal /dev\n"
	"                          and a new /proc; nothing else of the host is visible\n"
	"      --root-rw         leave DIR writable\n"
	"      --bind SRC[:DST]  bind-mount the host's SRC at DST (default: the same path)\n"
	"      --ro-bind SRC[:DST]\n"
	"                        the same, read-only\n"
	"      --tmpfs DST       an empty tmpfs at DST\n"
	"\n"
	"Hardening (on by default):\n"
	"      --cap-add CAPS    keep these capabilities: names, comma-separated (net_raw,\n"
	"                          CAP_KILL, ...) or all (default: none kept)\n"
	"      --cap-drop CAPS   drop these again\n"
	"      --seccomp MODE    default: deny dangerous system calls with EPERM; none\n"
	"      --no-harden       no no_new_privs, every capability, no seccomp filter: PROGRAM\n"
	"                          may then remount read-only mounts (--root, --ro-bind,\n"
	"                          /proc/sys, /sys) read-write and unmask what is masked\n"
	"      --map-host-root   run by root: the container's root is the host's root (the old\n"
	"                          mapping). UNSAFE: PROGRAM writes what host root may where\n"
	"                          nothing is read-only: files owned by root (a set-uid root\n"
	"                          shell) in a --bind, sysctls with --no-harden\n"
	"      --preserve-fds N  also pass fds 3..N+2 to PROGRAM (default: only 0-2)\n"
	"\n"
	"  -v, --verbose         print each step as it happens\n"
	"  -h, --help            print this help and exit\n"
	"  -V, --version         print the version and exit\n"
	"\n"
	"Exit status: PROGRAM's own; 128+N if it died of signal N (137 when a limit killed\n"
	"it); 2 usage error (unknown option, missing value, no PROGRAM: the usage follows);\n"
	"125 setup failed or a bad value (one line); 126 PROGRAM not executable; 127 PROGRAM\n"
	"not found.\n"
	"PROGRAM runs in a session of its own; when stdin is a terminal, on a pseudo-terminal\n"
	"of its own that isolate relays. Signals sent to isolate (HUP INT QUIT USR1 USR2 ALRM\n"
	"TERM CONT WINCH) are forwarded to PROGRAM; as PID 1 it only receives those it has a\n"
	"handler for. When it has none for SIGINT, a second SIGINT (Ctrl-C twice) kills the\n"
	"container; when it has none for SIGTERM or SIGHUP, they do at once.\n";

/* Names match the options and the report; 1 << 31 keeps every value a valid rlim_t and
 * far beyond any real use. */
const struct iso_limit_info iso_limit_info[ISO_LIMIT_COUNT] = {
	[ISO_LIMIT_CPU] = { "cpu-time", RLIMIT_CPU, ISO_VAL_SECS, 1, 1ull << 31 },
	[ISO_LIMIT_WALL] = { "wall-time", -1, ISO_VAL_MSECS, 1, 1000ull << 31 },
	[ISO_LIMIT_MEMORY] = { "memory", RLIMIT_AS, ISO_VAL_SIZE, 1ull << 20, 1ull << 50 },
	[ISO_LIMIT_PROCS] = { "processes", RLIMIT_NPROC, ISO_VAL_COUNT, 1, 1ull << 22 },
	[ISO_LIMIT_FSIZE] = { "file-size", RLIMIT_FSIZE, ISO_VAL_SIZE, 0, 1ull << 62 },
	[ISO_LIMIT_NOFILE] = { "open-files", RLIMIT_NOFILE, ISO_VAL_COUNT, 1, 1ull << 30 },
	[ISO_LIMIT_STACK] = { "stack", RLIMIT_STACK, ISO_VAL_SIZE, 16ull << 10, 1ull << 40 },
};

static const char *const cap_names[ISO_CAP_LAST + 1] = {
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_DAC_READ_SEARCH",
	"CAP_FOWNER",
	"CAP_FSETID",
	"CAP_KILL",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",
	"CAP_NET_RAW",
	"CAP_IPC_LOCK",
	"CAP_IPC_OWNER",
	"CAP_SYS_MODULE",
	"CAP_SYS_RAWIO",
	"CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",
	"CAP_SYS_ADMIN",
	"CAP_SYS_BOOT",
	"CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG",
	"CAP_MKNOD",
	"CAP_LEASE",
	"CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",
	"CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN",
	"CAP_SYSLOG",
	"CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",
	"CAP_AUDIT_READ",
	"CAP_PERFMON",
	"CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

int iso_parse_net_addr(const char *s, struct in_addr *host, struct in_addr *cont, int *prefix,
		       struct mv_err *err)
{
	char hbuf[INET_ADDRSTRLEN], pbuf[4];
	const char *slash = strchr(s, '/'), *comma = strchr(s, ',');
	uint32_t h, c, mask;
	char *end;
	long p;

	if (!slash || !comma || comma < slash)
		return mv_seterr(err, 0, "--net-addr '%s': expected HOST_IP/PREFIX,CONTAINER_IP",
				 s);
	if ((size_t)(slash - s) >= sizeof(hbuf) || (size_t)(comma - slash - 1) >= sizeof(pbuf) ||
	    comma == slash + 1)
		return mv_seterr(err, 0, "--net-addr '%s': expected HOST_IP/PREFIX,CONTAINER_IP",
				 s);
	memcpy(hbuf, s, (size_t)(slash - s));
	hbuf[slash - s] = '\0';
	memcpy(pbuf, slash + 1, (size_t)(comma - slash - 1));
	pbuf[comma - slash - 1] = '\0';
	if (inet_pton(AF_INET, hbuf, host) != 1)
		return mv_seterr(err, 0, "--net-addr: '%s' is not an IPv4 address", hbuf);
	if (inet_pton(AF_INET, comma + 1, cont) != 1)
		return mv_seterr(err, 0, "--net-addr: '%s' is not an IPv4 address", comma + 1);
	p = strtol(pbuf, &end, 10);
	if (*end || pbuf[0] < '0' || pbuf[0] > '9' || p < 8 || p > 30)
		return mv_seterr(err, 0, "--net-addr: prefix '/%s' is not a number in 8..30", pbuf);
	*prefix = (int)p;
	h = ntohl(host->s_addr);
	c = ntohl(cont->s_addr);
	mask = ~0u << (32 - p);
	if ((h & mask) != (c & mask))
		return mv_seterr(err, 0, "--net-addr: %s and %s are not in one /%ld subnet", hbuf,
				 comma + 1, p);
	if (h == c)
		return mv_seterr(err, 0, "--net-addr: the host and container addresses are both %s",
				 hbuf);
	if ((h & ~mask) == 0 || (h & ~mask) == ~mask || (c & ~mask) == 0 || (c & ~mask) == ~mask)
		return mv_seterr(
			err, 0,
			"--net-addr: %s: an address is the subnet's network or broadcast address",
			s);
	if ((h >> 24) == 127 || (h >> 28) >= 14)
		return mv_seterr(err, 0,
				 "--net-addr: %s is a loopback, multicast or reserved address",
				 hbuf);
	return 0;
}

static int parse_hostname(const char *s, struct mv_err *err)
{
	size_t n = strlen(s);

	if (n == 0 || n > ISO_HOSTNAME_MAX)
		return mv_seterr(err, 0,
				 "--hostname: %zu characters%s%.*s%s; a hostname has 1 "
				 "to %d",
				 n, n ? " ('" : "", 16, s,
				 n > 16 ? "...')"
				 : n    ? "')"
					: "",
				 ISO_HOSTNAME_MAX);
	return 0;
}

const char *iso_cap_name(int cap)
{
	return cap >= 0 && cap <= ISO_CAP_LAST ? cap_names[cap] : NULL;
}

int iso_cap_parse(const char *s, unsigned long long *caps, struct mv_err *err)
{
	const char *p = s;

	*caps = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		char name[32];
		int c;

		if (n == 0 || n >= sizeof(name))
			return mv_seterr(err, 0, "'%.*s' is not a capability name", (int)n, p);
		memcpy(name, p, n);
		name[n] = '\0';
		if (!strcasecmp(name, "all")) {
			*caps |= ISO_CAPS_ALL;
		} else {
			for (c = 0; c <= ISO_CAP_LAST; c++)
				if (!strcasecmp(name, cap_names[c]) ||
				    !strcasecmp(name, cap_names[c] + 4))
					break;
			if (c > ISO_CAP_LAST)
				return mv_seterr(err, 0,
						 "unknown capability '%s' (e.g. net_raw, "
						 "CAP_SYS_ADMIN, all)",
						 name);
			*caps |= 1ull << c;
		}
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* One limit's value, by its kind. Returns 0, or -1 with a reason in err. */
static int parse_limit(enum iso_limit l, const char *s, unsigned long long *v, struct mv_err *err)
{
	const struct iso_limit_info *li = &iso_limit_info[l];
	const char *what = "";
	uint64_t n = 0;
	int r = -1;

	/* The grammar is common/parse.h's, the same as kvm-hello-world's. */
	switch (li->kind) {
	case ISO_VAL_SECS:
		what = "whole seconds";
		if (parse_duration_ms(s, &n) == 0 && n % 1000 == 0) {
			n /= 1000;
			r = 0;
		}
		break;
	case ISO_VAL_MSECS:
		what = "seconds, at most 3 decimals";
		r = parse_duration_ms(s, &n);
		break;
	case ISO_VAL_SIZE:
		what = "a size: bytes, or with K, M, G, T";
		r = parse_size(s, &n);
		break;
	case ISO_VAL_COUNT:
		what = "a number";
		r = parse_count(s, &n);
		break;
	}
	*v = n;
	if (r)
		return mv_seterr(err, 0, "--%s '%s': expected %s", li->name, s, what);
	if (*v < li->min || *v > li->max) {
		if (li->kind == ISO_VAL_MSECS)
			return mv_seterr(err, 0, "--%s %s: out of range (0.001 to %llu seconds)",
					 li->name, s, li->max / 1000);
		if (li->kind == ISO_VAL_SIZE)
			return mv_seterr(err, 0, "--%s %s: out of range (%lluK to %lluG)", li->name,
					 s, li->min >> 10, li->max >> 30);
		return mv_seterr(err, 0, "--%s %s: out of range (%llu to %llu)", li->name, s,
				 li->min, li->max);
	}
	return 0;
}

/* --bind SRC[:DST], --ro-bind, --tmpfs DST: checks the form (absolute DST, no empty
 * part); whether SRC exists is the plan's business (run.c), on the host. */
static int parse_mount(struct iso_config *cfg, enum iso_mount_kind kind, const char *opt,
		       const char *arg, struct mv_err *err)
{
	struct iso_mount *m;
	const char *colon = strchr(arg, ':');

	if (cfg->n_mounts == ISO_MAX_MOUNTS)
		return mv_seterr(err, 0, "%s: more than %d mounts", opt, ISO_MAX_MOUNTS);
	m = &cfg->mounts[cfg->n_mounts];
	m->kind = kind;
	if (kind == ISO_MOUNT_TMPFS) {
		m->src = NULL;
		m->dst = arg;
	} else if (colon) {
		char *src = strndup(arg, (size_t)(colon - arg));

		if (!src)
			return mv_seterr(err, 0, "%s: out of memory", opt);
		m->src = src;
		m->dst = colon + 1;
		if (!*m->src) {
			free(src);
			return mv_seterr(err, 0, "%s '%s': SRC is empty", opt, arg);
		}
	} else {
		m->src = m->dst = arg;
	}
	if (m->src && !*m->src)
		return mv_seterr(err, 0, "%s: SRC is empty", opt);
	if (m->dst[0] != '/')
		return mv_seterr(err, 0, "%s '%s': DST must be an absolute path", opt, arg);
	cfg->n_mounts++;
	return 0;
}

/* Codes of the long-only options: above any char. */
enum {
	OPT_NET = 256,
	OPT_NET_ADDR,
	OPT_WAIT_TEARDOWN,
	OPT_INIT,
	OPT_REPORT,
	OPT_ROOT,
	OPT_ROOT_RW,
	OPT_BIND,
	OPT_RO_BIND,
	OPT_TMPFS,
	OPT_CAP_ADD,
	OPT_CAP_DROP,
	OPT_SECCOMP,
	OPT_NO_HARDEN,
	OPT_MAP_HOST_ROOT,
	OPT_PRESERVE_FDS,
	OPT_KILL_AFTER,
	OPT_LIMIT, /* OPT_LIMIT + enum iso_limit: --cpu-time, ... */
};

static const struct option longopts[] = {
	{ "hostname", required_argument, NULL, 'n' },
	{ "net", required_argument, NULL, OPT_NET },
	{ "net-addr", required_argument, NULL, OPT_NET_ADDR },
	{ "wait-teardown", no_argument, NULL, OPT_WAIT_TEARDOWN },
	{ "init", no_argument, NULL, OPT_INIT },
	{ "kill-after", required_argument, NULL, OPT_KILL_AFTER },
	{ "cpu-time", required_argument, NULL, OPT_LIMIT + ISO_LIMIT_CPU },
	{ "wall-time", required_argument, NULL, OPT_LIMIT + ISO_LIMIT_WALL },
	{ "memory", required_argument, NULL, OPT_LIMIT + ISO_LIMIT_MEMORY },
	{ "processes", required_argument, NULL, OPT_LIMIT + ISO_LIMIT_PROCS },
	{ "file-size", required_argument, NULL, OPT_LIMIT + ISO_LIMIT_FSIZE },
	{ "open-files", required_argument, NULL, OPT_LIMIT + ISO_LIMIT_NOFILE },
	{ "stack", required_argument, NULL, OPT_LIMIT + ISO_LIMIT_STACK },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "root-rw", no_argument, NULL, OPT_ROOT_RW },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "ro-bind", required_argument, NULL, OPT_RO_BIND },
	{ "tmpfs", required_argument, NULL, OPT_TMPFS },
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "seccomp", required_argument, NULL, OPT_SECCOMP },
	{ "no-harden", no_argument, NULL, OPT_NO_HARDEN },
	{ "map-host-root", no_argument, NULL, OPT_MAP_HOST_ROOT },
	{ "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void set_defaults(struct iso_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->hostname = "isolated";
	cfg->net = ISO_NET_AUTO;
	cfg->caps = ISO_CAPS_DEFAULT;
	cfg->seccomp = true;
	cfg->no_new_privs = true;
	cfg->kill_after_ms = ISO_KILL_AFTER_DEFAULT_MS;
}

/* arg as one of the NULL-terminated names (the index into *mode), for option opt. */
static int parse_mode(const char *opt, const char *arg, const char *const *names, int *mode,
		      struct mv_err *why)
{
	char all[64] = "";
	size_t n = 0;

	for (int i = 0; names[i]; i++) {
		if (!strcmp(arg, names[i])) {
			*mode = i;
			return 0;
		}
		n += (size_t)snprintf(all + n, sizeof(all) - n, "%s%s", i ? ", " : "", names[i]);
	}
	return mv_seterr(why, 0, "%s: unknown mode '%s' (%s)", opt, arg, all);
}

/* --net MODE: auto, veth or none (enum iso_net_mode's order). */
static int parse_net(const char *arg, struct iso_config *cfg, struct mv_err *why)
{
	static const char *const names[] = { "auto", "veth", "none", NULL };
	int mode;

	if (parse_mode("--net", arg, names, &mode, why))
		return -1;
	cfg->net = (enum iso_net_mode)mode;
	return 0;
}

/* --kill-after SECS, 0 to ISO_KILL_AFTER_MAX_MS. */
static int parse_kill_after(const char *arg, struct iso_config *cfg, struct mv_err *why)
{
	uint64_t ms;

	if (parse_duration_ms(arg, &ms) || ms > ISO_KILL_AFTER_MAX_MS)
		return mv_seterr(why, 0,
				 "--kill-after: '%s' is not a number of seconds from 0 to "
				 "%d (e.g. 2.5)",
				 arg, ISO_KILL_AFTER_MAX_MS / 1000);
	cfg->kill_after_ms = ms;
	return 0;
}

/* --report FILE, --root DIR: a name that is not empty (checked when the plan runs). */
static int parse_name(const char *opt, const char *what, const char *arg, const char **to,
		      struct mv_err *why)
{
	*to = arg;
	return *arg ? 0 : mv_seterr(why, 0, "%s: the %s name is empty", opt, what);
}

/* --cap-add LIST (add is true), --cap-drop LIST. */
static int parse_caps(bool add, const char *arg, struct iso_config *cfg, struct mv_err *why)
{
	unsigned long long caps;

	if (iso_cap_parse(arg, &caps, why))
		return mv_errprefix(why, "%s", add ? "--cap-add" : "--cap-drop");
	if (add)
		cfg->caps |= caps;
	else
		cfg->caps &= ~caps;
	return 0;
}

/* --seccomp MODE: default or none. */
static int parse_seccomp(const char *arg, struct iso_config *cfg, struct mv_err *why)
{
	static const char *const names[] = { "default", "none", NULL };
	int mode;

	if (parse_mode("--seccomp", arg, names, &mode, why))
		return -1;
	cfg->seccomp = mode == 0;
	return 0;
}

/* --preserve-fds N, 0 to ISO_MAX_PRESERVE_FDS. */
static int parse_preserve_fds(const char *arg, struct iso_config *cfg, struct mv_err *why)
{
	uint64_t n;

	if (parse_count(arg, &n) || n > ISO_MAX_PRESERVE_FDS)
		return mv_seterr(why, 0, "--preserve-fds '%s': expected a number 0..%d", arg,
				 ISO_MAX_PRESERVE_FDS);
	cfg->preserve_fds = (int)n;
	return 0;
}

/* The options that only switch something on or off. */
static void set_flag(int c, struct iso_config *cfg)
{
	switch (c) {
	case OPT_WAIT_TEARDOWN: cfg->wait_teardown = true; break;
	case OPT_INIT: cfg->init = true; break;
	case OPT_ROOT_RW: cfg->root_rw = true; break;
	case OPT_MAP_HOST_ROOT: cfg->map_host_root = true; break;
	case 'v': cfg->verbose = true; break;
	case OPT_NO_HARDEN:
		cfg->caps = ISO_CAPS_ALL;
		cfg->seccomp = false;
		cfg->no_new_privs = false;
		break;
	}
}

/* One known option c with its value arg: 0, or -1 with the reason in why. *net_set says
 * whether the last --net given was a good one. */
static int parse_option(int c, const char *arg, struct iso_config *cfg, bool *net_set,
			struct mv_err *why)
{
	int r;

	if (c >= OPT_LIMIT && c < OPT_LIMIT + ISO_LIMIT_COUNT) {
		enum iso_limit l = (enum iso_limit)(c - OPT_LIMIT);

		r = parse_limit(l, arg, &cfg->limit[l], why);
		cfg->limit_set[l] = r == 0;
		return r;
	}
	switch (c) {
	case 'n':
		r = parse_hostname(arg, why);
		if (!r)
			cfg->hostname = arg;
		return r;
	case OPT_NET:
		r = parse_net(arg, cfg, why);
		*net_set = r == 0;
		return r;
	case OPT_NET_ADDR:
		r = iso_parse_net_addr(arg, &cfg->host_ip, &cfg->cont_ip, &cfg->prefix, why);
		cfg->addr_set = r == 0;
		return r;
	case OPT_KILL_AFTER: return parse_kill_after(arg, cfg, why);
	case OPT_REPORT: return parse_name("--report", "FILE", arg, &cfg->report, why);
	case OPT_ROOT: return parse_name("--root", "DIR", arg, &cfg->root, why);
	case OPT_BIND: return parse_mount(cfg, ISO_MOUNT_BIND, "--bind", arg, why);
	case OPT_RO_BIND: return parse_mount(cfg, ISO_MOUNT_RO_BIND, "--ro-bind", arg, why);
	case OPT_TMPFS: return parse_mount(cfg, ISO_MOUNT_TMPFS, "--tmpfs", arg, why);
	case OPT_CAP_ADD:
	case OPT_CAP_DROP: return parse_caps(c == OPT_CAP_ADD, arg, cfg, why);
	case OPT_SECCOMP: return parse_seccomp(arg, cfg, why);
	case OPT_PRESERVE_FDS: return parse_preserve_fds(arg, cfg, why);
	default: set_flag(c, cfg); return 0;
	}
}

/* After the options: PROGRAM, and what only the whole command line shows. bad is the first
 * bad value, or empty. */
static enum iso_config_result finish(int argc, char **argv, struct iso_config *cfg, bool net_set,
				     struct mv_err *bad, struct mv_err *err)
{
	if (cfg->addr_set) {
		/* --net-addr asks for a veth: an explicit --net none contradicts it */
		if (net_set && cfg->net == ISO_NET_NONE && !bad->msg[0])
			mv_seterr(bad, 0, "--net-addr and --net none contradict each other");
		cfg->net = ISO_NET_VETH;
	}
	if (optind >= argc) {
		mv_seterr(err, 0, "no PROGRAM given");
		return ISO_CONFIG_ERROR;
	}
	if (!argv[optind][0]) {
		mv_seterr(err, 0, "PROGRAM is an empty string");
		return ISO_CONFIG_ERROR;
	}
	cfg->argv = argv + optind;
	if (!bad->msg[0] && cfg->root_rw && !cfg->root)
		mv_seterr(bad, 0, "--root-rw without --root");
	if (bad->msg[0]) {
		*err = *bad;
		return ISO_CONFIG_BAD_VALUE;
	}
	return ISO_CONFIG_RUN;
}

enum iso_config_result iso_config_parse(int argc, char **argv, struct iso_config *cfg,
					struct mv_err *err)
{
	bool net_set = false;
	/* The first bad value: parsing goes on, so a later --report is known. */
	struct mv_err bad = { "" };
	int c;

	set_defaults(cfg);
	err->msg[0] = '\0';
	optind = 0; /* 0, not 1: also resets glibc's internal state */
	opterr = 0;
	/* "+": stop at the first non-option, PROGRAM; ":" tells a missing value from an
	 * unknown option. */
	while ((c = getopt_long(argc, argv, "+:n:vhV", longopts, NULL)) != -1) {
		struct mv_err why = { "" };

		switch (c) {
		case 'h': return ISO_CONFIG_HELP;
		case 'V': return ISO_CONFIG_VERSION;
		case ':':
			mv_seterr(err, 0, "option '%s' needs a value", argv[optind - 1]);
			return ISO_CONFIG_ERROR;
		case '?':
			if (optopt)
				mv_seterr(err, 0, "unknown option '-%c'", optopt);
			else
				mv_seterr(err, 0, "unknown option '%s'", argv[optind - 1]);
			return ISO_CONFIG_ERROR;
		}
		if (parse_option(c, optarg, cfg, &net_set, &why) && !bad.msg[0])
			bad = why;
	}
	return finish(argc, argv, cfg, net_set, &bad, err);
}
