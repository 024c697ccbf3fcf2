/* SPDX-License-Identifier: MIT */
/* isolate/rlimits.c: rlimits for PROGRAM, checked first against isolate's own; sampling the
 * container's tasks and open files, where no cgroup counts them. */
#include "rlimits.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "base.h"

/* The rlimit value for limit l: SIZE and counts as they are. */
static rlim_t rlim_of(const struct iso_config *cfg, enum iso_limit l)
{
	return (rlim_t)cfg->limit[l];
}

int iso_limits_check(const struct iso_config *cfg, struct mv_err *err)
{
	for (int l = 0; l < ISO_LIMIT_COUNT; l++) {
		const struct iso_limit_info *li = &iso_limit_info[l];
		rlim_t want = rlim_of(cfg, l);
		struct rlimit rl;

		if (!cfg->limit_set[l] || li->resource < 0)
			continue;
		if (getrlimit(li->resource, &rl))
			return mv_seterr(err, errno, "--%s: getrlimit", li->name);
		if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max)
			return mv_seterr(err, 0,
					 "--%s %llu: above isolate's own hard limit %llu "
					 "(ulimit -H; raising it takes root)",
					 li->name, (unsigned long long)rlim_of(cfg, l),
					 (unsigned long long)rl.rlim_max);
	}
	if (cfg->limit_set[ISO_LIMIT_NOFILE]) {
		char buf[32] = "";
		FILE *f = fopen("/proc/sys/fs/nr_open", "re");
		unsigned long long nr_open = 0;

		if (f) {
			if (fgets(buf, sizeof(buf), f))
				nr_open = strtoull(buf, NULL, 10);
			fclose(f);
		}
		if (nr_open && cfg->limit[ISO_LIMIT_NOFILE] > nr_open)
			return mv_seterr(err, 0,
					 "--open-files %llu: above the kernel's fs.nr_open "
					 "(%llu)",
					 cfg->limit[ISO_LIMIT_NOFILE], nr_open);
	}
	return 0;
}

/* With a cgroup, these two are the cgroup's. */
static bool by_cgroup(enum iso_limit l)
{
	return l == ISO_LIMIT_MEMORY || l == ISO_LIMIT_PROCS;
}

int iso_rlimits_set(const struct iso_rlimit *r, size_t n, size_t *failed)
{
	for (size_t i = 0; i < n; i++) {
		struct rlimit rl = { (rlim_t)r[i].soft, (rlim_t)r[i].hard };

		if (setrlimit(r[i].resource, &rl)) {
			*failed = i;
			return -1;
		}
	}
	return 0;
}

int iso_limits_apply(const struct iso_config *cfg, bool cgroup, struct mv_err *err)
{
	struct iso_rlimit r[ISO_LIMIT_COUNT];
	enum iso_limit of[ISO_LIMIT_COUNT];
	size_t n = 0, bad;

	for (int l = 0; l < ISO_LIMIT_COUNT; l++) {
		const struct iso_limit_info *li = &iso_limit_info[l];

		if (!cfg->limit_set[l] || li->resource < 0 || (cgroup && by_cgroup(l)))
			continue;
		r[n] = (struct iso_rlimit){ li->resource, rlim_of(cfg, l), rlim_of(cfg, l) };
		of[n++] = l;
	}
	if (iso_rlimits_set(r, n, &bad))
		return mv_seterr(err, errno, "--%s: setrlimit", iso_limit_info[of[bad]].name);
	return 0;
}

void iso_limits_describe(const struct iso_config *cfg, bool cgroup)
{
	static const char *const how[ISO_LIMIT_COUNT] = {
		[ISO_LIMIT_CPU] =
			"RLIMIT_CPU on each process, soft = hard: SIGKILL when it is used up",
		[ISO_LIMIT_WALL] = "isolate's own timer: SIGKILL to the container's PID 1",
		[ISO_LIMIT_MEMORY] =
			"RLIMIT_AS: the address space of each process, not the "
			"container's memory; a failed allocation is the program's to see",
		[ISO_LIMIT_PROCS] = "RLIMIT_NPROC: tasks of uid 0 in the container's new user "
				    "namespace, i.e. its own; a refused fork is seen by sampling",
		[ISO_LIMIT_FSIZE] = "RLIMIT_FSIZE: SIGXFSZ to a process writing past it",
		[ISO_LIMIT_NOFILE] = "RLIMIT_NOFILE on each process; EMFILE is seen by sampling",
		[ISO_LIMIT_STACK] = "RLIMIT_STACK on each process; an overflow is a SIGSEGV",
	};

	for (int l = 0; l < ISO_LIMIT_COUNT; l++) {
		if (!cfg->limit_set[l])
			continue;
		if (cgroup && l == ISO_LIMIT_MEMORY)
			iso_step("host", "limit --memory: the cgroup's memory.max (the container's "
					 "memory, exact; OOM kills counted)");
		else if (cgroup && l == ISO_LIMIT_PROCS)
			iso_step("host", "limit --processes: the cgroup's pids.max (exact; refused "
					 "forks counted)");
		else if (cgroup && l == ISO_LIMIT_CPU)
			iso_step("host",
				 "limit --cpu-time: %s; and the cgroup's cpu.stat for the "
				 "whole container",
				 how[l]);
		else if (l == ISO_LIMIT_WALL && cfg->init)
			iso_step("host",
				 "limit --wall-time: isolate's own timer: init kills and reaps "
				 "the container (SIGKILL to it after a second more)");
		else
			iso_step("host", "limit --%s: %s", iso_limit_info[l].name, how[l]);
	}
}

/* Counts the entries of a /proc folder that are numbers: tasks, fds. Calls each(pid) for
 * each when set. */
static long long count_dir(const char *path, void (*each)(long, void *), void *data)
{
	DIR *d = opendir(path);
	struct dirent *e;
	long long n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		n++;
		if (each)
			each(strtol(e->d_name, NULL, 10), data);
	}
	closedir(d);
	return n;
}

#define SAMPLE_MAX 8192 /* processes walked per sample at most */

struct walk {
	pid_t pids[SAMPLE_MAX];
	size_t n;
	pid_t pid; /* the process whose tasks are being listed */
};

/* For each task of a process: its children join the list. */
static void add_children(long tid, void *data)
{
	struct walk *w = data;
	char path[64], buf[4096];
	int fd;
	long n;

	snprintf(path, sizeof(path), "/proc/%d/task/%ld/children", (int)w->pid, tid);
	fd = (int)RETRY_EINTR(open(path, O_RDONLY | O_CLOEXEC));
	if (fd < 0)
		return;
	n = RETRY_EINTR(read(fd, buf, sizeof(buf) - 1));
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *p = buf, *end; *p; p = end) {
		long c = strtol(p, &end, 10);

		if (end == p)
			break;
		if (w->n < SAMPLE_MAX)
			w->pids[w->n++] = (pid_t)c;
	}
}

void iso_sample(pid_t pid1, bool fds, struct iso_sample *s)
{
	static struct walk w; /* 32 KiB: not on the stack */
	char path[64];

	s->tasks = 0;
	s->max_fds = 0;
	w.n = 0;
	w.pids[w.n++] = pid1;
	for (size_t i = 0; i < w.n; i++) {
		w.pid = w.pids[i];
		snprintf(path, sizeof(path), "/proc/%d/task", (int)w.pid);
		s->tasks += count_dir(path, add_children, &w);
		if (fds) {
			long long n;

			snprintf(path, sizeof(path), "/proc/%d/fd", (int)w.pid);
			n = count_dir(path, NULL, NULL);
			if (n > s->max_fds)
				s->max_fds = n;
		}
	}
}
