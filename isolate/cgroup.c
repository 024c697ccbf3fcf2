/* SPDX-License-Identifier: MIT */
/* isolate/cgroup.c: detect (reading only) a delegated cgroup v2, and when there is one, a
 * child cgroup for the container: memory.max, pids.max, CPU accounting and their events. */
#include "cgroup.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>

#include "base.h"

/* Reads a small file (a cgroup interface file, /proc/self/cgroup) into buf; never writes.
 * Returns 0 or -errno. */
static int read_small(const char *path, char *buf, size_t len)
{
	int fd = (int)RETRY_EINTR(open(path, O_RDONLY | O_CLOEXEC));
	long n;

	if (fd < 0)
		return -errno;
	n = RETRY_EINTR(read(fd, buf, len - 1));
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* Whether the space-separated list has every one of memory, pids and cpu; names the first
 * missing one in *missing. */
static bool has_controllers(const char *list, const char **missing)
{
	static const char *const need[] = { "memory", "pids", "cpu" };

	for (size_t i = 0; i < ARRAY_SIZE(need); i++) {
		const char *p = list;
		size_t n = strlen(need[i]);
		bool found = false;

		while ((p = strstr(p, need[i])) != NULL) {
			if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n])) {
				found = true;
				break;
			}
			p += n;
		}
		if (!found) {
			*missing = need[i];
			return false;
		}
	}
	return true;
}

void iso_cgroup_detect(struct iso_cgroup *cg)
{
	char buf[4096], path[PATH_MAX + 32];
	const char *rel = NULL, *missing = "";
	struct statfs sf;
	int r;

	memset(cg, 0, sizeof(*cg));
	cg->fd = -1;
	/* Gate 1: the hierarchy at /sys/fs/cgroup is cgroup2 itself (not a tmpfs holding v1
	 * hierarchies, as on a hybrid or legacy host). */
	if (statfs(ISO_CGROUP_ROOT, &sf)) {
		mv_seterr(&cg->why, 0, "statfs(%s): %s", ISO_CGROUP_ROOT, strerror(errno));
		return;
	}
	if (sf.f_type != CGROUP2_SUPER_MAGIC) {
		mv_seterr(&cg->why, 0, "%s is %s, not a cgroup v2 hierarchy", ISO_CGROUP_ROOT,
			  sf.f_type == TMPFS_MAGIC
				  ? "a tmpfs (cgroup v1 hierarchies are mounted under it)"
			  : sf.f_type == CGROUP_SUPER_MAGIC ? "cgroup v1"
							    : "another filesystem");
		return;
	}
	/* Gate 2: our own cgroup, the v2 line of /proc/self/cgroup. */
	r = read_small("/proc/self/cgroup", buf, sizeof(buf));
	if (r) {
		mv_seterr(&cg->why, 0, "/proc/self/cgroup: %s", strerror(-r));
		return;
	}
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, "0::/", 4))
			rel = line + 3;
	if (!rel || strstr(rel, "/..") || strlen(rel) > PATH_MAX - 64) {
		mv_seterr(&cg->why, 0, "/proc/self/cgroup has no usable cgroup v2 path");
		return;
	}
	snprintf(cg->own, sizeof(cg->own), "%s%s", ISO_CGROUP_ROOT, strcmp(rel, "/") ? rel : "");
	/* Gate 3: memory, pids and cpu available here and enabled for children. */
	snprintf(path, sizeof(path), "%s/cgroup.controllers", cg->own);
	if ((r = read_small(path, buf, sizeof(buf))) || !has_controllers(buf, &missing)) {
		mv_seterr(&cg->why, 0, "%.200s lacks %s", path, r ? strerror(-r) : missing);
		return;
	}
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", cg->own);
	if ((r = read_small(path, buf, sizeof(buf))) || !has_controllers(buf, &missing)) {
		mv_seterr(&cg->why, 0, "%.200s lacks %s (not enabled for child cgroups)", path,
			  r ? strerror(-r) : missing);
		return;
	}
	/* Gate 4: delegated to us: we may make a child cgroup and move a process into it. */
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->own);
	if (access(cg->own, W_OK | X_OK) || access(path, W_OK)) {
		mv_seterr(&cg->why, 0, "%.200s is not delegated to this user: %s", cg->own,
			  strerror(errno));
		return;
	}
	mv_seterr(&cg->why, 0, "delegated cgroup v2 at %.200s with memory, pids and cpu", cg->own);
	cg->usable = true;
}

int iso_cgroup_set(const struct iso_cgroup *cg, const char *file, const char *value,
		   struct mv_err *err)
{
	char path[PATH_MAX + 64];
	int r;

	snprintf(path, sizeof(path), "%s/%s", cg->dir, file);
	r = iso_write_file(path, value);
	if (r)
		return mv_seterr(err, -r, "cannot write '%s' to %s", value, path);
	iso_step("host", "cgroup: %s = %s", path, value);
	return 0;
}

int iso_cgroup_make(struct iso_cgroup *cg, const char *name, struct mv_err *err)
{
	/* Reached only after iso_cgroup_detect() found every gate open. */
	if (!cg->usable)
		return mv_seterr(err, 0, "internal error: no usable cgroup");
	snprintf(cg->dir, sizeof(cg->dir), "%s/%s", cg->own, name);
	if (mkdir(cg->dir, 0755)) {
		mv_seterr(err, errno, "cannot make the cgroup %s", cg->dir);
		cg->dir[0] = '\0';
		return -1;
	}
	iso_step("host", "cgroup: made %s", cg->dir);
	cg->fd = (int)RETRY_EINTR(open(cg->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (cg->fd < 0) {
		mv_seterr(err, errno, "cannot open the cgroup %s", cg->dir);
		iso_cgroup_remove(cg);
		return -1;
	}
	return 0;
}

int iso_cgroup_create(struct iso_cgroup *cg, const struct iso_config *cfg, struct mv_err *err)
{
	char name[32], val[32];

	snprintf(name, sizeof(name), "isolate-%d", (int)getpid());
	if (iso_cgroup_make(cg, name, err))
		return -1;
	if (cfg->limit_set[ISO_LIMIT_MEMORY]) {
		snprintf(val, sizeof(val), "%llu", cfg->limit[ISO_LIMIT_MEMORY]);
		if (iso_cgroup_set(cg, "memory.max", val, err))
			goto fail;
		/* no swap: the limit is memory, not memory plus swap (absent without swap) */
		char path[PATH_MAX + 64];

		snprintf(path, sizeof(path), "%s/memory.swap.max", cg->dir);
		if (access(path, F_OK) == 0 && iso_cgroup_set(cg, "memory.swap.max", "0", err))
			goto fail;
	}
	if (cfg->limit_set[ISO_LIMIT_PROCS]) {
		snprintf(val, sizeof(val), "%llu", cfg->limit[ISO_LIMIT_PROCS]);
		if (iso_cgroup_set(cg, "pids.max", val, err))
			goto fail;
	}
	return 0;
fail:
	iso_cgroup_remove(cg);
	return -1;
}

/* The value of key in a "key value" interface file of the container's cgroup, or -1. */
static long long cg_key(const struct iso_cgroup *cg, const char *file, const char *key)
{
	char path[PATH_MAX + 64], buf[2048];
	size_t n = strlen(key);

	snprintf(path, sizeof(path), "%s/%s", cg->dir, file);
	if (read_small(path, buf, sizeof(buf)))
		return -1;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, key, n) && line[n] == ' ')
			return strtoll(line + n + 1, NULL, 10);
	return -1;
}

long long iso_cgroup_cpu_usec(const struct iso_cgroup *cg)
{
	return cg->dir[0] ? cg_key(cg, "cpu.stat", "usage_usec") : -1;
}

void iso_cgroup_collect(const struct iso_cgroup *cg, struct iso_facts *f)
{
	long long v;

	if (!cg->dir[0])
		return;
	f->cgroup = true;
	if ((v = cg_key(cg, "cpu.stat", "user_usec")) >= 0)
		f->user = (double)v / 1e6;
	if ((v = cg_key(cg, "cpu.stat", "system_usec")) >= 0)
		f->sys = (double)v / 1e6;
	f->cg_oom = cg_key(cg, "memory.events", "oom_kill") > 0;
	f->cg_pids_max = cg_key(cg, "pids.events", "max") > 0;
}

void iso_cgroup_remove(struct iso_cgroup *cg)
{
	if (cg->fd >= 0)
		close(cg->fd);
	cg->fd = -1;
	if (!cg->dir[0])
		return;
	/* Empty once the container is reaped; the kernel may take a moment to say so. */
	for (int i = 0; i < 100 && rmdir(cg->dir) && errno == EBUSY; i++)
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	iso_step("host", "cgroup: removed %s", cg->dir);
	cg->dir[0] = '\0';
}
