/* SPDX-License-Identifier: MIT */
/* isolate/outcome.h: the run's outcome: what isolate saw (struct iso_facts), classified into
 * a status and the limit that fired (pure, unit-tested), then written as a small JSON
 * report, atomically (--report FILE). */
#ifndef ISO_OUTCOME_H
#define ISO_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>

#include "mv_err.h"
#include "options.h"

/* The report's "status" values. */
enum iso_run_status {
	ISO_RUN_OK,            /* "ok": PROGRAM exited with 0 */
	ISO_RUN_RUNTIME_ERROR, /* "runtime error": it exited with another status */
	ISO_RUN_SIGNALED,      /* "killed by signal" */
	ISO_RUN_TIME_LIMIT,    /* "time limit": --cpu-time */
	ISO_RUN_WALL_LIMIT,    /* "wall-time limit": --wall-time, the container killed */
	ISO_RUN_MEMORY_LIMIT,  /* "memory limit": --memory */
	ISO_RUN_INTERNAL,      /* "internal error": isolate failed, or PROGRAM never started */
};

/* What isolate observed; filled by run.c (and cgroup.c), read by iso_classify. */
struct iso_facts {
	bool ran;                 /* PROGRAM was exec'd */
	int wstatus;              /* PROGRAM's wait status, when ran and not killed by isolate */
	bool wall_fired;          /* isolate killed the container at --wall-time */
	bool cpu_fired;           /* isolate killed it at --cpu-time (cgroup accounting) */
	int ended_by;             /* isolate killed it for this signal sent to isolate (a second
	                           * SIGINT, SIGTERM), or 0 */
	double user, sys, wall;   /* seconds: the container's CPU (reaped processes), its wall */
	long long peak_rss_kib;   /* the largest RSS of any of its processes (or the cgroup's) */
	long long peak_tasks;     /* the most tasks seen at once (sampled), or -1 */
	long long peak_fds;       /* the most open files of one process seen (sampled), or -1 */
	bool cgroup;              /* accounting by a cgroup v2 (else rlimits and wait4) */
	bool cg_oom;              /* memory.events: oom_kill or max > 0 */
	bool cg_pids_max;         /* pids.events: max > 0 (a fork refused) */
	bool memory_refused;      /* isolate saw a request RLIMIT_AS refuses (watch.c) */
	bool fork_refused;        /* isolate saw a fork at --processes tasks (watch.c) */
	int exit_status;          /* isolate's own exit status */
	char message[MV_ERR_LEN]; /* isolate's one-line error, "" for none */
};

/* The classified outcome. */
struct iso_outcome {
	enum iso_run_status status;
	int limit;            /* the enum iso_limit that fired, or -1 */
	bool limit_exact;     /* isolate knows it fired (else: inferred, see docs) */
	unsigned hits;        /* 1 << enum iso_limit for every limit seen reached */
	unsigned approximate; /* 1 << enum iso_limit: set limits enforced or detected
	                           * only approximately under this accounting */
};

/* iso_approximate: 1 << enum iso_limit for each limit cfg sets that is enforced or detected
 * only approximately, with or without a cgroup (docs/isolate.md says why). */
unsigned iso_approximate(const struct iso_config *cfg, bool cgroup);

/* iso_classify: the outcome of a run under cfg's limits from the facts f. */
void iso_classify(const struct iso_config *cfg, const struct iso_facts *f, struct iso_outcome *o);

/* iso_status_name: "ok", "runtime error", ... */
const char *iso_status_name(enum iso_run_status s);

/* iso_json_string: s as a JSON string (quotes included) into buf (len bytes): ", \ and
 * control characters escaped, invalid UTF-8 replaced by U+FFFD. Returns the length, or
 * -1 when it does not fit. */
int iso_json_string(const char *s, char *buf, size_t len);

/* iso_report_json: the report (one key a line) into buf (len bytes). Returns its length,
 * or -1 when it does not fit. */
int iso_report_json(const struct iso_config *cfg, const struct iso_facts *f,
		    const struct iso_outcome *o, char *buf, size_t len);

/* What iso_report_open returns for "-": the report goes to stderr. */
#define ISO_REPORT_STDERR (-2)

/* iso_report_open: whether the report can be written to path: path is a regular file or
 * nothing (never a symbolic link, which is not followed, nor a device, FIFO, socket or
 * folder, which are not replaced), its folder exists and is writable. Returns that folder,
 * opened (O_PATH, close-on-exec): the final write goes there, wherever a name on the way
 * to it points by then; ISO_REPORT_STDERR for "-"; or -1 with a reason in err. Creates
 * nothing. */
int iso_report_open(const char *path, struct mv_err *err);

/* iso_report_write: writes the text atomically: a temporary file in the folder dir (from
 * iso_report_open), renamed over path's last name there, which must still be what
 * iso_report_open accepts; ISO_REPORT_STDERR: to stderr. Returns 0, or -1 with a reason in
 * err, having removed the temporary file. */
int iso_report_write(int dir, const char *path, const char *text, struct mv_err *err);

#endif
