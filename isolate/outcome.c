/* SPDX-License-Identifier: MIT */
/* isolate/outcome.c: the run's outcome, classified (pure) and written as JSON, atomically. */
#include "outcome.h"

#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "base.h"

#define BIT(l) (1u << (l))

static const char *const status_names[] = {
	[ISO_RUN_OK] = "ok",
	[ISO_RUN_RUNTIME_ERROR] = "runtime error",
	[ISO_RUN_SIGNALED] = "killed by signal",
	[ISO_RUN_TIME_LIMIT] = "time limit",
	[ISO_RUN_WALL_LIMIT] = "wall-time limit",
	[ISO_RUN_MEMORY_LIMIT] = "memory limit",
	[ISO_RUN_INTERNAL] = "internal error",
};

const char *iso_status_name(enum iso_run_status s)
{
	return status_names[s];
}

/* peak RSS reached at least 3/4 of limit (bytes): a failure near a limit of memory. */
static bool near(long long rss_kib, unsigned long long limit)
{
	return rss_kib >= 0 && (unsigned long long)rss_kib * 1024 >= limit / 4 * 3;
}

unsigned iso_approximate(const struct iso_config *cfg, bool cgroup)
{
	unsigned mask = 0;

	/* What rlimits and sampling cannot pin down; a cgroup makes memory, processes and
	 * CPU time the container's own, counted by the kernel. */
	for (int l = 0; l < ISO_LIMIT_COUNT; l++) {
		bool approx = l == ISO_LIMIT_NOFILE || l == ISO_LIMIT_STACK;

		if (!cgroup)
			approx |=
				l == ISO_LIMIT_CPU || l == ISO_LIMIT_MEMORY || l == ISO_LIMIT_PROCS;
		if (cfg->limit_set[l] && approx)
			mask |= BIT(l);
	}
	return mask;
}

/* Every limit seen reached, whether or not it ended the run (a bit per enum iso_limit). */
static unsigned limits_hit(const struct iso_config *cfg, const struct iso_facts *f, int signo,
			   bool failed)
{
	const unsigned long long *lim = cfg->limit;
	const bool *set = cfg->limit_set;
	/* a SIGKILL that isolate sent itself (a limit of its own, or a signal sent to it)
	 * says nothing about the kernel's limits */
	bool own_kill = f->wall_fired || f->cpu_fired || f->ended_by;
	unsigned hits = 0;

	if (f->wall_fired)
		hits |= BIT(ISO_LIMIT_WALL);
	/* a SIGKILL with the CPU time near the limit: the kernel checks RLIMIT_CPU against
	 * tick-sampled time, which charges a whole tick to whoever runs at it, while rusage's
	 * figure is the scheduler's exact one; on a loaded machine a busy loop is killed at
	 * 1 s of ticks with 0.82 s of rusage at load 5 and less at load 7 (measured here),
	 * so "near" is half of it */
	if (set[ISO_LIMIT_CPU] && (f->cpu_fired || signo == SIGXCPU ||
				   (signo == SIGKILL && !own_kill &&
				    f->user + f->sys >= 0.5 * (double)lim[ISO_LIMIT_CPU])))
		hits |= BIT(ISO_LIMIT_CPU);
	if (set[ISO_LIMIT_MEMORY] && (f->cg_oom || f->memory_refused ||
				      (!f->cgroup && failed && !f->ended_by &&
				       near(f->peak_rss_kib, lim[ISO_LIMIT_MEMORY]))))
		hits |= BIT(ISO_LIMIT_MEMORY);
	if (set[ISO_LIMIT_FSIZE] && signo == SIGXFSZ)
		hits |= BIT(ISO_LIMIT_FSIZE);
	if (set[ISO_LIMIT_STACK] && (signo == SIGSEGV || signo == SIGBUS) &&
	    near(f->peak_rss_kib, lim[ISO_LIMIT_STACK]))
		hits |= BIT(ISO_LIMIT_STACK);
	if (set[ISO_LIMIT_PROCS] &&
	    (f->cg_pids_max || f->fork_refused ||
	     (f->peak_tasks >= 0 && (unsigned long long)f->peak_tasks >= lim[ISO_LIMIT_PROCS])))
		hits |= BIT(ISO_LIMIT_PROCS);
	if (set[ISO_LIMIT_NOFILE] && f->peak_fds >= 0 &&
	    (unsigned long long)f->peak_fds >= lim[ISO_LIMIT_NOFILE])
		hits |= BIT(ISO_LIMIT_NOFILE);
	return hits;
}

/* A failed run that no limit of isolate's own ended: the first other limit reached is the
 * likely cause. */
static void failed_limit(const struct iso_facts *f, struct iso_outcome *o)
{
	static const int order[] = { ISO_LIMIT_FSIZE, ISO_LIMIT_STACK, ISO_LIMIT_PROCS,
				     ISO_LIMIT_NOFILE };

	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (o->hits & BIT(order[i])) {
			o->limit = order[i];
			o->limit_exact = order[i] == ISO_LIMIT_FSIZE ||
					 (order[i] == ISO_LIMIT_PROCS &&
					  (f->cg_pids_max || f->fork_refused));
			return;
		}
}

void iso_classify(const struct iso_config *cfg, const struct iso_facts *f, struct iso_outcome *o)
{
	bool sig = WIFSIGNALED(f->wstatus), failed;
	int signo = sig ? WTERMSIG(f->wstatus) : 0;

	memset(o, 0, sizeof(*o));
	o->limit = -1;
	o->approximate = iso_approximate(cfg, f->cgroup);
	if (!f->ran) {
		o->status = ISO_RUN_INTERNAL;
		return;
	}
	failed = sig || WEXITSTATUS(f->wstatus) != 0;
	o->hits = limits_hit(cfg, f, signo, failed);

	/* The status, and the limit that ended the run: isolate's own kills first, then
	 * what the kernel's signal names, then what is inferred. */
	if (f->ended_by) {
		/* the user's signal ended it, whatever the figures look like */
		o->status = ISO_RUN_SIGNALED;
		return;
	}
	if (f->wall_fired) {
		o->status = ISO_RUN_WALL_LIMIT;
		o->limit = ISO_LIMIT_WALL;
		o->limit_exact = true;
		return;
	}
	if (o->hits & BIT(ISO_LIMIT_CPU)) {
		o->status = ISO_RUN_TIME_LIMIT;
		o->limit = ISO_LIMIT_CPU;
		o->limit_exact = f->cpu_fired || signo == SIGXCPU;
		return;
	}
	/* (a refused request the program coped with, exiting 0, is a hit, not its end) */
	if ((o->hits & BIT(ISO_LIMIT_MEMORY)) && (failed || f->cg_oom)) {
		o->status = ISO_RUN_MEMORY_LIMIT;
		o->limit = ISO_LIMIT_MEMORY;
		o->limit_exact = f->cg_oom || f->memory_refused;
		return;
	}
	o->status = sig ? ISO_RUN_SIGNALED : failed ? ISO_RUN_RUNTIME_ERROR : ISO_RUN_OK;
	if (!failed)
		return;
	failed_limit(f, o);
}

/* The length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* The JSON form of the character at p: its bytes at *out (esc, or p itself when it is
 * valid UTF-8), their count as the result, and in *take how many bytes of p it stands for. */
static size_t json_char(const unsigned char *p, char esc[8], const char **out, size_t *take)
{
	size_t n = utf8_len(p);

	*out = esc;
	*take = 1;
	if (*p == '"' || *p == '\\')
		return (size_t)snprintf(esc, 8, "\\%c", *p);
	if (*p == '\n')
		return (size_t)snprintf(esc, 8, "\\n");
	if (*p == '\t')
		return (size_t)snprintf(esc, 8, "\\t");
	if (*p < 0x20 || *p == 0x7f)
		return (size_t)snprintf(esc, 8, "\\u%04x", *p);
	if (n == 0)
		return (size_t)snprintf(esc, 8, "\\ufffd");
	*out = (const char *)p;
	*take = n;
	return n;
}

/* Appends n bytes of s at buf + *o, leaving room for a terminator; -1 when they do not fit. */
static int put_bytes(char *buf, size_t len, size_t *o, const char *s, size_t n)
{
	if (*o + n >= len)
		return -1;
	memcpy(buf + *o, s, n);
	*o += n;
	return 0;
}

int iso_json_string(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (put_bytes(buf, len, &o, "\"", 1))
		return -1;
	while (*p) {
		char esc[8];
		const char *out;
		size_t take, n = json_char(p, esc, &out, &take);

		if (put_bytes(buf, len, &o, out, n))
			return -1;
		p += take;
	}
	if (put_bytes(buf, len, &o, "\"", 1))
		return -1;
	buf[o] = '\0';
	return (int)o;
}

struct out {
	char *buf;
	size_t len, o;
	bool full;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->o, w->len - w->o, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= w->len - w->o)
		w->full = true;
	else
		w->o += (size_t)n;
}

static void put_limits(struct out *w, const char *key, unsigned mask)
{
	bool first = true;

	put(w, "  \"%s\": [", key);
	for (int l = 0; l < ISO_LIMIT_COUNT; l++)
		if (mask & BIT(l)) {
			put(w, "%s\"%s\"", first ? "" : ", ", iso_limit_info[l].name);
			first = false;
		}
	put(w, "],\n");
}

/* "exit_code", "signal" and "signal_name": the container's PID 1 killed by isolate's
 * wall-time limit died of SIGKILL. */
static void put_exit(struct out *w, const struct iso_facts *f)
{
	bool sig = f->ran && WIFSIGNALED(f->wstatus) && !f->wall_fired;

	if (f->ran && f->wall_fired)
		put(w,
		    "  \"exit_code\": null,\n  \"signal\": %d,\n  \"signal_name\": \"SIGKILL\",\n",
		    SIGKILL);
	else if (sig)
		put(w, "  \"exit_code\": null,\n  \"signal\": %d,\n  \"signal_name\": \"SIG%s\",\n",
		    WTERMSIG(f->wstatus), sigabbrev_np(WTERMSIG(f->wstatus)) ?: "UNKNOWN");
	else if (f->ran)
		put(w, "  \"exit_code\": %d,\n  \"signal\": null,\n  \"signal_name\": null,\n",
		    WEXITSTATUS(f->wstatus));
	else
		put(w, "  \"exit_code\": null,\n  \"signal\": null,\n  \"signal_name\": null,\n");
}

/* "limits": each limit asked for, in its own units (seconds with 3 decimals for wall time). */
static void put_limit_values(struct out *w, const struct iso_config *cfg)
{
	bool first = true;

	put(w, "  \"limits\": {");
	for (int l = 0; l < ISO_LIMIT_COUNT; l++) {
		if (!cfg->limit_set[l])
			continue;
		if (iso_limit_info[l].kind == ISO_VAL_MSECS)
			put(w, "%s\"%s\": %llu.%03llu", first ? "" : ", ", iso_limit_info[l].name,
			    cfg->limit[l] / 1000, cfg->limit[l] % 1000);
		else
			put(w, "%s\"%s\": %llu", first ? "" : ", ", iso_limit_info[l].name,
			    cfg->limit[l]);
		first = false;
	}
	put(w, "},\n");
}

int iso_report_json(const struct iso_config *cfg, const struct iso_facts *f,
		    const struct iso_outcome *o, char *buf, size_t len)
{
	struct out w = { buf, len, 0, false };
	char msg[MV_ERR_LEN * 6 + 3];

	put(&w, "{\n  \"status\": \"%s\",\n", iso_status_name(o->status));
	put_exit(&w, f);
	if (o->limit >= 0)
		put(&w, "  \"limit\": \"%s\",\n  \"limit_exact\": %s,\n",
		    iso_limit_info[o->limit].name, o->limit_exact ? "true" : "false");
	else
		put(&w, "  \"limit\": null,\n  \"limit_exact\": null,\n");
	put_limits(&w, "limits_hit", o->hits);
	put(&w, "  \"cpu_time\": %.3f,\n  \"user_time\": %.3f,\n  \"system_time\": %.3f,\n",
	    f->user + f->sys, f->user, f->sys);
	put(&w, "  \"wall_time\": %.3f,\n  \"peak_rss_kib\": %lld,\n", f->wall, f->peak_rss_kib);
	if (f->peak_tasks >= 0)
		put(&w, "  \"peak_processes\": %lld,\n", f->peak_tasks);
	else
		put(&w, "  \"peak_processes\": null,\n");
	put(&w, "  \"accounting\": \"%s\",\n", f->cgroup ? "cgroup" : "rlimit");
	put_limits(&w, "approximate", o->approximate);
	put_limit_values(&w, cfg);
	put(&w, "  \"isolate_exit\": %d,\n", f->exit_status);
	if (f->message[0] && iso_json_string(f->message, msg, sizeof(msg)) > 0)
		put(&w, "  \"message\": %s\n}\n", msg);
	else
		put(&w, "  \"message\": null\n}\n");
	return w.full ? -1 : (int)w.o;
}

/* The folder of path, into dir (PATH_MAX bytes). */
static void folder_of(const char *path, char *dir)
{
	char copy[PATH_MAX];

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(dir, PATH_MAX, "%s", dirname(copy));
}

/* The last name of path (after its last '/'), or NULL when there is none to write a file
 * under ("dir/", ".", ".."). */
static const char *last_name(const char *path)
{
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;

	return !name[0] || !strcmp(name, ".") || !strcmp(name, "..") ? NULL : name;
}

/* What is at name in the folder dir now: 0 a regular file, 1 nothing; -1, with a reason in
 * err, anything else (a symbolic link, which is never followed, a device, FIFO, socket or
 * folder, which are never replaced) or a name that cannot be looked at. The early check
 * and the final write both ask this, of the same folder, so they agree. */
static int target_state(int dir, const char *name, const char *path, struct mv_err *err)
{
	struct stat st;
	const char *what;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 1 : mv_seterr(err, errno, "--report %s", path);
	switch (st.st_mode & S_IFMT) {
	case S_IFREG: return 0;
	case S_IFLNK: what = "a symbolic link"; break;
	case S_IFDIR: what = "a folder"; break;
	case S_IFCHR:
	case S_IFBLK: what = "a device"; break;
	case S_IFIFO: what = "a FIFO"; break;
	default: what = "a socket"; break;
	}
	return mv_seterr(err, 0,
			 "--report %s: %s; the report goes only to a regular file "
			 "(replaced) or a new one, or - for stderr",
			 path, what);
}

/* The folder of path, opened, once it is one isolate may write in; -1 with a reason. */
static int open_folder(const char *path, struct mv_err *err)
{
	char dir[PATH_MAX];
	struct stat st;
	int fd;

	folder_of(path, dir);
	fd = RETRY_EINTR(open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (fd < 0 || fstat(fd, &st) || access(dir, W_OK | X_OK)) {
		mv_seterr(err, errno, "--report %s: cannot write the report in %s", path, dir);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int iso_report_open(const char *path, struct mv_err *err)
{
	const char *name;
	int dir;

	if (!strcmp(path, "-"))
		return ISO_REPORT_STDERR;
	if (!path[0])
		return mv_seterr(err, 0, "--report: the FILE name is empty");
	if (strlen(path) >= PATH_MAX - 16)
		return mv_seterr(err, ENAMETOOLONG, "--report %.64s...", path);
	name = last_name(path);
	if (!name)
		return mv_seterr(err, 0,
				 "--report %s: a folder; the report goes only to a regular file "
				 "(replaced) or a new one, or - for stderr",
				 path);
	dir = open_folder(path, err);
	if (dir < 0)
		return -1;
	if (target_state(dir, name, path, err) < 0) {
		close(dir);
		return -1;
	}
	return dir;
}

/* A new temporary file in dir, its name into tmp (len bytes): a random one, made with
 * O_EXCL, never through a symbolic link. Returns its fd, or -1 with errno set. */
static int make_temp(int dir, char *tmp, size_t len)
{
	for (int tries = 0; tries < 16; tries++) {
		unsigned long long r;
		int fd;

		if (getrandom(&r, sizeof(r), 0) != (long)sizeof(r))
			return -1;
		snprintf(tmp, len, ".isolate-report.%012llx", r & 0xffffffffffffull);
		fd = RETRY_EINTR(openat(
			dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* Renames tmp to name in dir if name is still a regular file, or nothing (then without
 * replacing what may appear meanwhile: RENAME_NOREPLACE). Returns 0, or -1 with a reason. */
static int put_in_place(int dir, const char *tmp, const char *name, const char *path,
			struct mv_err *err)
{
	for (int tries = 0; tries < 3; tries++) {
		int r = target_state(dir, name, path, err);

		if (r < 0)
			return -1;
		if (r == 0)
			return renameat(dir, tmp, dir, name) ? mv_seterr(err, errno,
									 "--report %s: cannot "
									 "write the report",
									 path)
							     : 0;
		if (renameat2(dir, tmp, dir, name, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno != EEXIST)
			return mv_seterr(err, errno, "--report %s: cannot write the report", path);
	}
	return mv_seterr(err, 0, "--report %s: something keeps appearing there", path);
}

/* All of text to fd. Returns 0, or -1 with errno set (EIO for a write of nothing). */
static int write_all(int fd, const char *text, size_t len)
{
	for (size_t done = 0; done < len;) {
		long n = RETRY_EINTR(write(fd, text + done, len - done));

		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

int iso_report_write(int dir, const char *path, const char *text, struct mv_err *err)
{
	const char *name = last_name(path);
	char tmp[64];
	mode_t mask;
	int fd;

	if (dir == ISO_REPORT_STDERR)
		return write_all(STDERR_FILENO, text, strlen(text))
			       ? mv_seterr(err, errno, "--report -: cannot write to stderr")
			       : 0;
	/* The same folder, so the rename is atomic: a reader sees the old file or the whole
	 * new one, never a part. */
	fd = name ? make_temp(dir, tmp, sizeof(tmp)) : -1;
	if (fd < 0)
		return mv_seterr(err, name ? errno : EINVAL,
				 "--report %s: cannot create a file in its folder", path);
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	if (write_all(fd, text, strlen(text))) {
		mv_seterr(err, errno, "--report %s: cannot write the report", path);
		close(fd);
		unlinkat(dir, tmp, 0);
		return -1;
	}
	if (close(fd)) {
		mv_seterr(err, errno, "--report %s: cannot write the report", path);
		unlinkat(dir, tmp, 0);
		return -1;
	}
	if (put_in_place(dir, tmp, name, path, err)) {
		unlinkat(dir, tmp, 0);
		return -1;
	}
	return 0;
}
