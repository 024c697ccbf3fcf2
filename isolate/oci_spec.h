/* SPDX-License-Identifier: MIT */
/* isolate/oci_spec.h: an OCI bundle's config.json parsed (with jansson) into plain structs
 * before anything runs: parse, then plan, then run. Pure: no namespaces, no mounts;
 * unit-tested (tests/unit/unit_isooci.c). */
#ifndef ISO_OCI_SPEC_H
#define ISO_OCI_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mv_err.h"

/* The namespaces of linux.namespaces, in the order they are joined (user first). */
enum oci_ns {
	OCI_NS_USER,
	OCI_NS_PID,
	OCI_NS_NET,
	OCI_NS_IPC,
	OCI_NS_UTS,
	OCI_NS_MOUNT,
	OCI_NS_CGROUP,
	OCI_NS_COUNT
};

struct oci_namespace {
	bool set;         /* listed in linux.namespaces */
	const char *path; /* "path": join this one (setns), else a new one (NULL) */
};

/* The capability sets of process.capabilities (CAP_* bit masks). */
enum oci_capset {
	OCI_CAP_BOUNDING,
	OCI_CAP_EFFECTIVE,
	OCI_CAP_INHERITABLE,
	OCI_CAP_PERMITTED,
	OCI_CAP_AMBIENT,
	OCI_CAP_COUNT
};

struct oci_rlimit {
	int resource;                  /* RLIMIT_* */
	unsigned long long soft, hard; /* "soft", "hard" */
};

struct oci_process {
	bool terminal; /* "terminal": a pty, its master sent over --console-socket */
	unsigned cons_height, cons_width; /* "consoleSize" (0: not given) */
	const char **args;                /* "args", NULL-terminated, at least one */
	const char **env;                 /* "env", NULL-terminated (maybe empty) */
	const char *cwd;                  /* "cwd", absolute */
	uid_t uid;                        /* "user.uid" */
	gid_t gid;                        /* "user.gid" */
	int umask;                        /* "user.umask", or -1 when not given */
	gid_t *gids;                      /* "user.additionalGids" */
	size_t n_gids;
	struct oci_rlimit *rlimits; /* "rlimits" */
	size_t n_rlimits;
	bool caps_set; /* "capabilities" given (else every set empty) */
	unsigned long long caps[OCI_CAP_COUNT];
	bool no_new_privs;  /* "noNewPrivileges" */
	bool has_oom_score; /* "oomScoreAdj" given */
	int oom_score_adj;
};

struct oci_mount {
	const char *dest;          /* "destination", absolute */
	const char *type;          /* "type" (NULL: a bind when the options say so) */
	const char *source;        /* "source" (may be NULL for proc, tmpfs, ...) */
	bool bind;                 /* "bind" or "rbind" in options, or type "bind" */
	bool recursive;            /* "rbind" */
	unsigned long flags;       /* MS_RDONLY, MS_NOSUID, ... set by the options */
	unsigned long propagation; /* MS_PRIVATE, MS_SHARED, ... | MS_REC, or 0 */
	char *data;                /* the filesystem's own options, comma-joined ("" if none) */
};

struct oci_idmap {
	uint32_t container, host, size; /* "containerID", "hostID", "size" */
};

struct oci_device {
	const char *path;       /* "path", absolute */
	char type;              /* 'c', 'b', 'u' (as 'c') or 'p' */
	long long major, minor; /* "major", "minor" (not for 'p') */
	unsigned mode;          /* "fileMode" (permission bits; 0666 when not given) */
	uid_t uid;              /* "uid" (0) */
	gid_t gid;              /* "gid" (0) */
};

struct oci_kv {
	const char *key, *value;
};

/* linux.resources as the cgroup v2 files they become (runc's conversions), applied only
 * through a delegated cgroup v2 (isolate/oci_cgroup.c). */
#define OCI_CG_MAX 8 /* memory.max, .low, .swap.max, pids.max, cpu.weight, cpu.max */
struct oci_cg_file {
	const char *file; /* "memory.max", ... */
	char value[48];   /* what is written there: "67108864", "max", "50000 100000" */
};
struct oci_resources {
	bool set;                         /* "linux.resources" given */
	struct oci_cg_file w[OCI_CG_MAX]; /* the files to write, in order */
	size_t n;                         /* how many */
	char ignored[160];                /* the members given that isolate does not apply */
};

/* The hooks of "hooks", each with the state on its stdin. */
enum oci_hook_kind {
	OCI_HOOK_PRESTART,
	OCI_HOOK_CREATE_RUNTIME,
	OCI_HOOK_CREATE_CONTAINER,
	OCI_HOOK_START_CONTAINER,
	OCI_HOOK_POSTSTART,
	OCI_HOOK_POSTSTOP,
	OCI_HOOK_COUNT
};

struct oci_hook {
	const char *path;  /* "path", absolute */
	const char **args; /* "args" (NULL-terminated; NULL: just path) */
	const char **env;  /* "env" (NULL-terminated; NULL: none) */
	int timeout;       /* "timeout" in seconds, or 0 for none */
};

/* seccomp's actions and comparisons, by their OCI names (SCMP_ACT_*, SCMP_CMP_*). */
enum oci_scmp_act {
	OCI_ACT_KILL_THREAD,
	OCI_ACT_KILL_PROCESS,
	OCI_ACT_TRAP,
	OCI_ACT_ERRNO,
	OCI_ACT_TRACE,
	OCI_ACT_ALLOW,
	OCI_ACT_LOG
};
enum oci_scmp_op {
	OCI_CMP_NE,
	OCI_CMP_LT,
	OCI_CMP_LE,
	OCI_CMP_EQ,
	OCI_CMP_GE,
	OCI_CMP_GT,
	OCI_CMP_MASKED_EQ
};

struct oci_scmp_arg {
	unsigned index;         /* "index": 0..5 */
	uint64_t value, value2; /* "value", "valueTwo" */
	enum oci_scmp_op op;    /* "op" */
};

struct oci_scmp_rule {
	const char **names;        /* "names", NULL-terminated, at least one */
	enum oci_scmp_act action;  /* "action" */
	int errno_ret;             /* "errnoRet" (ERRNO: EPERM when not given) */
	struct oci_scmp_arg *args; /* "args" */
	size_t n_args;
};

struct oci_seccomp {
	bool set;                         /* linux.seccomp given */
	enum oci_scmp_act default_action; /* "defaultAction" */
	int default_errno;                /* "defaultErrnoRet" (EPERM when not given) */
	const char **archs;          /* "architectures" (SCMP_ARCH_X86_64, ...), NULL-terminated */
	struct oci_scmp_rule *rules; /* "syscalls" */
	size_t n_rules;
};

struct oci_spec {
	void *json;          /* the parsed document: every string points into it */
	const char *version; /* "ociVersion": 1.x */
	const char *root;    /* "root.path" (relative to the bundle, or absolute) */
	bool root_readonly;  /* "root.readonly" */
	bool has_process;    /* "process" given */
	struct oci_process process;
	const char *hostname;     /* "hostname", or NULL */
	struct oci_mount *mounts; /* "mounts", in order */
	size_t n_mounts;
	struct oci_namespace ns[OCI_NS_COUNT]; /* "linux.namespaces" */
	struct oci_idmap *uid_maps, *gid_maps; /* "linux.uidMappings", "linux.gidMappings" */
	size_t n_uid_maps, n_gid_maps;
	const char **masked;        /* "linux.maskedPaths", NULL-terminated */
	const char **readonly;      /* "linux.readonlyPaths", NULL-terminated */
	struct oci_device *devices; /* "linux.devices" */
	size_t n_devices;
	struct oci_kv *sysctl; /* "linux.sysctl" */
	size_t n_sysctl;
	unsigned long rootfs_propagation; /* "linux.rootfsPropagation" (MS_* | MS_REC), or 0 */
	struct oci_resources resources;   /* "linux.resources" */
	struct oci_seccomp seccomp;       /* "linux.seccomp" */
	struct oci_hook *hooks[OCI_HOOK_COUNT]; /* "hooks" */
	size_t n_hooks[OCI_HOOK_COUNT];
	struct oci_kv *annotations; /* "annotations" */
	size_t n_annotations;
};

/* oci_spec_parse: parses config.json's text (len bytes) into s. Returns 0, or -1 with one
 * line in err naming the field ("process.user.uid: ...") or, for bad
 * JSON, its line and column. Free with oci_spec_free (also after a failure). */
int oci_spec_parse(const char *text, size_t len, struct oci_spec *s, struct mv_err *err);

/* oci_spec_load: oci_spec_parse over the file path ("config.json: " before a reason). */
int oci_spec_load(const char *path, struct oci_spec *s, struct mv_err *err);

/* oci_process_parse: a process object alone (exec --process FILE's), into p; json is where
 * the strings live (freed with oci_process_free). Returns 0, or -1 with a reason in err. */
int oci_process_parse(const char *text, size_t len, struct oci_process *p, void **json,
		      struct mv_err *err);

/* oci_process_free: what oci_process_parse allocated (and the json it returned). */
void oci_process_free(struct oci_process *p, void *json);

/* oci_spec_free: everything oci_spec_parse allocated; s is zeroed. */
void oci_spec_free(struct oci_spec *s);

/* oci_ns_name: "pid" for OCI_NS_PID, as linux.namespaces names them. */
const char *oci_ns_name(enum oci_ns ns);

/* oci_hook_name: "prestart" for OCI_HOOK_PRESTART, as "hooks" names them. */
const char *oci_hook_name(enum oci_hook_kind k);

/* oci_scmp_act_name: "SCMP_ACT_ERRNO" for OCI_ACT_ERRNO. */
const char *oci_scmp_act_name(enum oci_scmp_act a);

#endif
