/* SPDX-License-Identifier: MIT */
/* isolate/options.h: isolate's command line, parsed into a plan (struct iso_config) before
 * anything runs. Pure: no namespaces, no syscalls beyond parsing; unit-tested. */
#ifndef ISO_OPTIONS_H
#define ISO_OPTIONS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#include "mv_err.h"

enum iso_net_mode {
	ISO_NET_AUTO, /* a veth pair when isolate may make one (CAP_NET_ADMIN), else loopback */
	ISO_NET_VETH, /* a veth pair, or fail */
	ISO_NET_NONE, /* loopback only */
};

/* The sandbox's limits; each has an option named like it (--cpu-time, ...) and the same
 * name in the run report. */
enum iso_limit {
	ISO_LIMIT_CPU,    /* --cpu-time SECS: RLIMIT_CPU, per process (whole seconds) */
	ISO_LIMIT_WALL,   /* --wall-time SECS: isolate's own timer on the whole container (ms) */
	ISO_LIMIT_MEMORY, /* --memory SIZE: RLIMIT_AS, per process (bytes) */
	ISO_LIMIT_PROCS,  /* --processes N: RLIMIT_NPROC, the container's tasks */
	ISO_LIMIT_FSIZE,  /* --file-size SIZE: RLIMIT_FSIZE (bytes) */
	ISO_LIMIT_NOFILE, /* --open-files N: RLIMIT_NOFILE, per process */
	ISO_LIMIT_STACK,  /* --stack SIZE: RLIMIT_STACK, per process (bytes) */
	ISO_LIMIT_COUNT
};

enum iso_value_kind {
	ISO_VAL_SECS,
	ISO_VAL_MSECS,
	ISO_VAL_SIZE,
	ISO_VAL_COUNT
};

/* What each limit is: its name (option and report), the rlimit that enforces it (-1: none,
 * isolate's timer), how its value is written, and its smallest and largest values. */
struct iso_limit_info {
	const char *name;            /* "cpu-time" */
	int resource;                /* RLIMIT_CPU, ... or -1 */
	enum iso_value_kind kind;    /* how the option's value is parsed */
	unsigned long long min, max; /* in the unit stored: s, ms, bytes or a count */
};
extern const struct iso_limit_info iso_limit_info[ISO_LIMIT_COUNT];

/* --bind, --ro-bind, --tmpfs: one mount of the plan, done in this order. */
enum iso_mount_kind {
	ISO_MOUNT_BIND,
	ISO_MOUNT_RO_BIND,
	ISO_MOUNT_TMPFS
};
struct iso_mount {
	enum iso_mount_kind kind;
	const char *src; /* the host path (NULL for a tmpfs) */
	const char *dst; /* where it goes, absolute: inside --root's DIR when given */
};
#define ISO_MAX_MOUNTS 64

#define ISO_MAX_PRESERVE_FDS 1024 /* --preserve-fds: at most this many */
/* --kill-after: the grace SIGTERM gives the container before SIGKILL (ms): docker stop's. */
#define ISO_KILL_AFTER_DEFAULT_MS 10000ull
#define ISO_KILL_AFTER_MAX_MS 86400000 /* a day */

/* The default capability set: none. CAP_* bit masks. */
#define ISO_CAPS_DEFAULT 0ull
#define ISO_CAPS_ALL ((1ull << (ISO_CAP_LAST + 1)) - 1)
#define ISO_CAP_LAST 40 /* CAP_CHECKPOINT_RESTORE, the last one this isolate knows */

struct iso_config {
	const char *hostname;   /* --hostname: the container's hostname ("isolated") */
	enum iso_net_mode net;  /* --net */
	bool addr_set;          /* --net-addr given: use host_ip/cont_ip, no subnet search */
	struct in_addr host_ip; /* --net-addr: the host end's address */
	struct in_addr cont_ip; /* --net-addr: the container end's address */
	int prefix;             /* --net-addr: the prefix length of both */
	bool wait_teardown;     /* --wait-teardown: return only once the veth is gone */
	bool verbose;           /* --verbose: print each step */
	bool init;              /* --init: isolate's own init is PID 1, PROGRAM its child */
	unsigned long long kill_after_ms; /* --kill-after: SIGTERM's grace before SIGKILL */
	bool limit_set[ISO_LIMIT_COUNT];  /* which limits were given */
	unsigned long long limit[ISO_LIMIT_COUNT]; /* their values (iso_limit_info units) */
	const char *report; /* --report FILE: the JSON run report ("-": stderr) */
	const char *root;   /* --root DIR: the container's / (NULL: the host's) */
	bool root_rw;       /* --root-rw: leave it writable */
	struct iso_mount mounts[ISO_MAX_MOUNTS]; /* --bind, --ro-bind, --tmpfs, in order */
	size_t n_mounts;
	unsigned long long caps; /* the capabilities PROGRAM keeps (CAP_* bits) */
	bool seccomp;            /* --seccomp default (true) or none */
	bool no_new_privs;       /* PR_SET_NO_NEW_PRIVS (off only with --no-harden) */
	bool map_host_root;      /* --map-host-root: as root, the container's root is the host's */
	int preserve_fds;        /* --preserve-fds N: fds 3..N+2 pass to PROGRAM too */
	char **argv;             /* PROGRAM and its arguments, NULL-terminated */
};

/* ISO_CONFIG_ERROR: a usage error: an unknown option, a missing value, no PROGRAM or an
 * empty one (exit 2, the usage follows); ISO_CONFIG_BAD_VALUE: an option's value is wrong
 * (a mode, a name, a limit, a path, an address, a capability) or two contradict (exit
 * 125, one line). */
enum iso_config_result {
	ISO_CONFIG_RUN,
	ISO_CONFIG_HELP,
	ISO_CONFIG_VERSION,
	ISO_CONFIG_ERROR,
	ISO_CONFIG_BAD_VALUE,
};

/* iso_config_parse: parses argv (argc entries) into cfg, defaults first. Options stop at
 * PROGRAM, so PROGRAM's own options stay its own. On ISO_CONFIG_ERROR or _BAD_VALUE, err
 * holds a one-line reason; after a bad value, parsing goes on, so cfg->report
 * is set even when --report came later. Resets getopt, so it may be called more than once.
 * --bind SRC:DST allocates DST's copy of SRC (never freed: it lives as long as isolate). */
enum iso_config_result iso_config_parse(int argc, char **argv, struct iso_config *cfg,
					struct mv_err *err);

/* iso_parse_net_addr: parses "HOST_IP/PREFIX,CONTAINER_IP" (PREFIX 8..30, both addresses
 * in one subnet, distinct, neither its network nor its broadcast address) into host,
 * cont and prefix. Returns 0, or -1 with a reason in err. */
int iso_parse_net_addr(const char *s, struct in_addr *host, struct in_addr *cont, int *prefix,
		       struct mv_err *err);

/* iso_cap_parse: a comma-separated list of capability names ("net_raw,CAP_KILL", any
 * case, "all") into the mask *caps. Returns 0, or -1 with the unknown name in err. */
int iso_cap_parse(const char *s, unsigned long long *caps, struct mv_err *err);

/* iso_cap_name: "CAP_NET_RAW" for 13; NULL past ISO_CAP_LAST. */
const char *iso_cap_name(int cap);

/* iso_usage: the --help text. */
extern const char iso_usage[];

#endif
