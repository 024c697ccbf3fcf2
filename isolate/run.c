/* SPDX-License-Identifier: MIT */
/* isolate/run.c: `isolate PROGRAM`'s stages, in order: the plan (paths, limits, accounting,
 * ids), the clone into new namespaces (ns_spawn.c) whose child sets itself up (child.c), the
 * host's side (maps, veth), the release, the supervision until PROGRAM exits (supervise.c),
 * then the cleanup and the run report. */
#include "run.h"

#include <fcntl.h>
#include <linux/sched.h> /* CLONE_NEW* */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#include "base.h"
#include "cgroup.h"
#include "child.h"
#include "mount.h"
#include "net.h"
#include "outcome.h"
#include "pty_relay.h"
#include "rlimits.h"
#include "ns_spawn.h"
#include "supervise.h"
#include "userns.h"
#include "watch.h"

#define ISO_CLONE_FLAGS \
	(CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS)

/* One run's state, from the plan to the report. */
struct run {
	const struct iso_config *cfg;
	struct iso_child c;      /* what the child takes across the clone */
	struct iso_ids ids;      /* the container's ids (userns.c) */
	bool ids_planned;        /* ids holds them (plan_ids) */
	struct iso_spawn sp;     /* the child and its go (release) and report pipes */
	int st[2];               /* --init: the status pipe (PROGRAM's wait status) */
	int wsv[2];              /* the socket pair PROGRAM's watch listener comes over */
	int sfd;                 /* the signalfd of wait_set */
	int report_dir;          /* --report's folder (iso_report_open), or -1 */
	sigset_t wait_set;       /* the signals isolate forwards, and SIGCHLD */
	struct iso_cgroup cg;    /* the container's cgroup, when there is one */
	struct iso_pty pty;      /* the container's pseudo-terminal */
	struct iso_watch wt;     /* PROGRAM's allocations and forks, seen */
	struct iso_net net;      /* what the host side made (the veth) */
	struct iso_supervisor w; /* the wait's state */
	struct iso_facts f;      /* what the report says */
	struct timespec t_exec;  /* when PROGRAM was exec'd */
	struct rusage ru;        /* the container's resource use */
	int status;              /* isolate's exit status */
	struct mv_err err;       /* the one line isolate prints, "" for none */
};

/* --verbose: each new namespace next to the host's (the links name them: type:[inode]). */
static void show_namespaces(pid_t child)
{
	static const char *const ns[] = { "user", "uts", "ipc", "net", "pid", "mnt" };
	char path[64], mine[64], theirs[64];
	long n;

	if (!iso_verbose)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns[i]);
		n = readlink(path, mine, sizeof(mine) - 1);
		mine[n > 0 ? n : 0] = '\0';
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)child, ns[i]);
		n = readlink(path, theirs, sizeof(theirs) - 1);
		theirs[n > 0 ? n : 0] = '\0';
		iso_step("host", "  new %-17s (the host's: %s)", theirs, mine);
	}
}

static double secs_since(const struct timespec *t0)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - t0->tv_sec) + (double)(ts.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The exit status isolate returns for PROGRAM's wait status. */
static int exit_status_of(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Chooses the accounting: a delegated cgroup v2 where there is one and a limit or the
 * report needs it, else rlimits; --verbose says which and what is approximate. Returns 0,
 * or -1 with a reason in err. */
static int plan_cgroup(const struct iso_config *cfg, struct iso_cgroup *cg, struct mv_err *err)
{
	bool limits = cfg->limit_set[ISO_LIMIT_MEMORY] || cfg->limit_set[ISO_LIMIT_PROCS] ||
		      cfg->limit_set[ISO_LIMIT_CPU];
	char approx[128] = "";
	unsigned mask;
	size_t n = 0;

	cg->usable = false;
	cg->fd = -1;
	cg->dir[0] = '\0';
	if (!limits && !cfg->report && !cfg->verbose)
		return 0; /* nothing to account for: not even a statfs */
	iso_cgroup_detect(cg);
	if (cg->usable && (limits || cfg->report)) {
		iso_step("host",
			 "cgroup v2: %s: the container gets its own (memory, pids and CPU "
			 "by the kernel, for the whole container)",
			 cg->why.msg);
		return iso_cgroup_create(cg, cfg, err);
	}
	mask = iso_approximate(cfg, false);
	for (int l = 0; l < ISO_LIMIT_COUNT; l++)
		if (mask & (1u << l))
			n += (size_t)snprintf(approx + n, sizeof(approx) - n, "%s%s", n ? ", " : "",
					      iso_limit_info[l].name);
	iso_step("host", "cgroup v2: not used: %s; limits by rlimits and sampling%s%s", cg->why.msg,
		 n ? "; approximate: " : "", approx);
	cg->usable = false; /* detection only: nothing below may make or write a cgroup */
	return 0;
}

/* Writes the report into the folder dir, if asked for; says so on stderr when it cannot. */
static void write_report(const struct iso_config *cfg, int dir, const struct iso_facts *f)
{
	struct iso_outcome o;
	struct mv_err err = { "" };
	char text[4096];

	if (!cfg->report)
		return;
	iso_classify(cfg, f, &o);
	if (iso_report_json(cfg, f, &o, text, sizeof(text)) < 0) {
		warn_msg("--report: the report does not fit its buffer");
		return;
	}
	if (iso_report_write(dir, cfg->report, text, &err))
		warn_msg("%s", err.msg);
	else
		iso_step("host", "report: %s (status \"%s\")", cfg->report,
			 iso_status_name(o.status));
}

int iso_report_failure(const struct iso_config *cfg, int status, const char *msg)
{
	struct iso_facts f = { .peak_tasks = -1, .peak_fds = -1, .exit_status = status };
	struct mv_err err = { "" };
	int dir;

	if (!cfg->report || !cfg->report[0]) /* an empty name: the one line said it */
		return status;
	dir = iso_report_open(cfg->report, &err);
	if (dir == -1) {
		warn_msg("%s", err.msg);
		return status;
	}
	snprintf(f.message, sizeof(f.message), "%s", msg);
	write_report(cfg, dir, &f);
	if (dir >= 0)
		close(dir);
	return status;
}

/* The container's ids (userns.c): as root, a slot of an unprivileged range, held until
 * exit. */
static int plan_ids(struct run *r)
{
	if (iso_userns_plan(r->cfg, &r->ids, &r->err))
		return -1;
	r->ids_planned = true;
	return 0;
}

/* The plan's paths and limits, the accounting and the ids, before the container exists: a
 * bad one makes nothing. */
static int plan(struct run *r)
{
	const struct iso_config *cfg = r->cfg;

	if (iso_mount_check(cfg, &r->err) || iso_limits_check(cfg, &r->err) ||
	    plan_cgroup(cfg, &r->cg, &r->err))
		return -1;
	r->c.cgroup = r->cg.dir[0] != '\0';
	iso_limits_describe(cfg, r->c.cgroup);
	/* The container's ids: as root, a slot of an unprivileged range, held until exit. The
	 * kernel never applies RLIMIT_NPROC to the host's root user (INIT_USER), in any
	 * namespace: --map-host-root would leave --processes without effect. */
	if (cfg->map_host_root && geteuid() == 0 && cfg->limit_set[ISO_LIMIT_PROCS] && !r->c.cgroup)
		return mv_seterr(&r->err, 0,
				 "--processes with --map-host-root: the kernel does not count the "
				 "host root's processes (RLIMIT_NPROC)");
	/* The ids are planned before the clone when the child's setup depends on them (as
	 * root, the user's mounts wait for the slot's ids); else while the child sets itself
	 * up (host_side). */
	if (cfg->n_mounts && plan_ids(r))
		return -1;
	r->c.switch_ids = r->ids.switch_ids;
	/* With --net none, root's isolate has nothing to do while the child sets itself up:
	 * it brings the container's lo up, from inside its network namespace. */
	r->c.lo_by_host = !cfg->verbose && cfg->net == ISO_NET_NONE && geteuid() == 0;
	return 0;
}

/* What the clone needs: the signals blocked (the wait takes them from a signalfd; those
 * that came during the setup wait there until PROGRAM runs), the --init status pipe, the
 * watch's socket pair and the pty. */
static int prepare(struct run *r)
{
	const struct iso_config *cfg = r->cfg;

	iso_supervise_block(&r->wait_set, &r->c.init_set, &r->c.mask);
	if (cfg->init && pipe2(r->st, O_CLOEXEC))
		return mv_seterr(&r->err, errno, "cannot make the sync pipes");
	r->sfd = signalfd(-1, &r->wait_set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (r->sfd < 0)
		return mv_seterr(&r->err, errno, "signalfd");
	if (iso_watch_wanted(cfg, r->c.cgroup) &&
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, r->wsv))
		return mv_seterr(&r->err, errno, "socketpair");
	/* No pty to be had (no devpts mounted, ptys used up): the plain fds, as without a
	 * terminal; PROGRAM's own session and the filter still keep the caller's terminal
	 * out of its reach (TIOCSTI needs it as the controlling terminal). */
	if (iso_pty_open(&r->pty, &r->err)) {
		iso_step("host", "%s: PROGRAM gets the caller's terminal as it is", r->err.msg);
		r->err.msg[0] = '\0';
	}
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The clone: the child goes to iso_child_main with its ends of the pipes; isolate keeps
 * its own. */
static int start(struct run *r)
{
	if (iso_spawn_clone(&r->sp, ISO_CLONE_FLAGS, r->cg.fd, &r->err))
		return -1;
	if (r->sp.pid == 0) {
		close_fd(&r->st[0]);
		close_fd(&r->sfd);
		close_fd(
			&r->report_dir); /* the host's folder: not for the container, init included */
		close_fd(&r->wsv[0]);
		r->c.watch_fd = r->wsv[1];
		r->c.go_fd = r->sp.release[0];
		r->c.report_fd = r->sp.report[1];
		r->c.status_fd = r->st[1];
		iso_child_main(&r->c);
	}
	iso_pty_parent(&r->pty);
	close_fd(&r->wsv[1]);
	close_fd(&r->st[1]);
	iso_step("host",
		 "clone3(CLONE_NEWUSER|NEWUTS|NEWIPC|NEWNET|NEWPID|NEWNS%s): the child is "
		 "pid %d here and pid 1 in its PID namespace; its new user namespace owns the "
		 "other five",
		 r->cg.fd >= 0 ? "|INTO_CGROUP" : "", (int)r->sp.pid);
	show_namespaces(r->sp.pid);
	return 0;
}

/* The host's side (the ids and maps first: until they exist the child is uid 65534,
 * nobody, inside; then the veth), each released to the child as it is made, and the
 * child's word: EOF when PROGRAM was exec'd (the report pipe is close-on-exec), a report
 * when the child failed. */
static int host_side(struct run *r)
{
	struct iso_ids_msg ids = { .switch_ids = false };
	struct iso_spawn_msg m;
	int lo = 1;

	if ((!r->ids_planned && plan_ids(r)) || iso_userns_map(r->sp.pid, &r->ids, &r->err) ||
	    (r->c.lo_by_host && (lo = iso_net_lo_up_for(r->sp.pid, &r->err)) < 0))
		return -1;
	/* The first release: the maps exist. The child takes its ids and goes on with what
	 * needs them while the veth is made. */
	ids.switch_ids = r->ids.switch_ids;
	ids.lo_up = lo == 0;
	if (iso_spawn_release(&r->sp, &ids, sizeof(ids)))
		return mv_seterr(&r->err, errno, "cannot release the container");
	if (iso_net_host_setup(r->cfg, r->sp.pid, &r->net, &r->err))
		return -1;
	/* The second: one write, which carries what the host side made. */
	iso_step("host", "releasing the child (sync pipe); then waiting for its exec");
	if (iso_spawn_release(&r->sp, &r->net, sizeof(r->net)))
		return mv_seterr(&r->err, errno, "cannot release the container");
	/* The go pipe stays open until PROGRAM runs: the child's look at it
	 * (become_mapped_root) tells isolate's death by its EOF. */
	if (iso_spawn_report(&r->sp, &m)) {
		mv_seterr(&r->err, 0, "%s", m.msg);
		r->status = m.status;
		return -1;
	}
	close_fd(&r->sp.release[1]);
	return 0;
}

/* Undoes a container that never ran, in reverse: the process (which takes its namespaces
 * with it), then the veth, now, rather than leave it to the namespace's asynchronous
 * teardown. */
static void undo(struct run *r)
{
	struct iso_spawn_msg m;

	iso_spawn_kill(&r->sp);
	/* the child may have failed first, making the host fail: its reason wins */
	if (r->status == ISO_SETUP && iso_spawn_report(&r->sp, &m)) {
		mv_seterr(&r->err, 0, "%s", m.msg);
		r->status = m.status;
	}
	iso_net_host_undo(&r->net);
}

/* PROGRAM's end: its wait status (--init: PROGRAM's own, which init wrote before it
 * exited; none when isolate killed init: then init's death is the container's), said. */
static void ended(struct run *r, int wstatus)
{
	const struct iso_config *cfg = r->cfg;
	int ps;

	if (r->st[0] >= 0 && RETRY_EINTR(read(r->st[0], &ps, sizeof(ps))) == (long)sizeof(ps))
		wstatus = ps;
	r->f.wstatus = wstatus;
	r->status = exit_status_of(wstatus);
	if (WIFSIGNALED(wstatus))
		iso_step("host", "%s died of %s: exit status %d", cfg->init ? "PROGRAM" : "PID 1",
			 strsignal(WTERMSIG(wstatus)), r->status);
	else
		iso_step("host", "%s exited with status %d", cfg->init ? "PROGRAM" : "PID 1",
			 r->status);
	if (cfg->wait_teardown)
		iso_net_wait_gone(&r->net);
	else if (r->net.veth)
		iso_step("host",
			 "%s and its peer go with the container's network namespace, which "
			 "the kernel tears down asynchronously, a few ms from now (--wait-teardown "
			 "waits)",
			 r->net.host_if);
}

/* PROGRAM runs: its limits watched, the keys relayed, until it exits. */
static void supervise(struct run *r)
{
	int wstatus = 0;

	r->f.ran = true;
	clock_gettime(CLOCK_MONOTONIC, &r->t_exec);
	iso_supervise_start(&r->w, r->sp.pid, r->c.cgroup);
	if (r->wsv[0] >= 0) {
		iso_watch_start(&r->wt, r->cfg, r->wsv[0]);
		r->wsv[0] = -1;
	}
	/* the keys go to the container's pty now, Ctrl-C and Ctrl-Z included */
	iso_pty_raw(&r->pty);
	if (iso_supervise_wait(&r->w, r->sp.pid, r->sfd, &wstatus, &r->ru)) {
		mv_seterr(&r->err, 0, "cannot wait for the container");
		r->f.ran = false;
		return;
	}
	r->f.wall = secs_since(&r->t_exec);
	iso_pty_drain(&r->pty);
	ended(r, wstatus);
}

/* The end of every run: the caller's terminal as it was (before any word from isolate),
 * the one line, the figures (the container's CPU time, every process reaped under PID 1;
 * the largest RSS of any of them; a cgroup's own where there is one), the report. */
static int finish(struct run *r)
{
	struct iso_facts *f = &r->f;

	iso_pty_close(&r->pty);
	iso_watch_stop(&r->wt);
	f->memory_refused = r->wt.memory_refused;
	f->fork_refused = r->wt.fork_refused;
	if (r->wt.peak_tasks > f->peak_tasks)
		f->peak_tasks = r->wt.peak_tasks;
	for (int i = 0; i < 2; i++) {
		close_fd(&r->wsv[i]);
		close_fd(&r->st[i]);
	}
	close_fd(&r->sfd);
	if (r->err.msg[0])
		warn_msg("%s", r->err.msg);
	iso_spawn_close(&r->sp);
	f->user = (double)r->ru.ru_utime.tv_sec + (double)r->ru.ru_utime.tv_usec / 1e6;
	f->sys = (double)r->ru.ru_stime.tv_sec + (double)r->ru.ru_stime.tv_usec / 1e6;
	f->peak_rss_kib = r->ru.ru_maxrss;
	iso_cgroup_collect(&r->cg, f);
	iso_cgroup_remove(&r->cg);
	iso_userns_release(&r->ids);
	f->exit_status = r->status;
	if (!f->ran)
		snprintf(f->message, sizeof(f->message), "%s", r->err.msg);
	write_report(r->cfg, r->report_dir, f);
	close_fd(&r->report_dir);
	return r->status;
}

static void run_init(struct run *r, const struct iso_config *cfg)
{
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->c.cfg = cfg;
	r->c.pty = &r->pty;
	r->c.status_fd = r->c.watch_fd = r->c.go_fd = r->c.report_fd = -1;
	r->ids.lock_fd = r->ids.slot = -1;
	iso_spawn_init(&r->sp);
	r->st[0] = r->st[1] = r->wsv[0] = r->wsv[1] = r->sfd = r->report_dir = -1;
	r->cg.fd = -1;
	r->pty = (struct iso_pty){ .master = -1, .slave = -1 };
	r->wt = (struct iso_watch){ .listener = -1, .peak_tasks = -1 };
	r->f.peak_tasks = r->f.peak_fds = -1;
	r->w = (struct iso_supervisor){
		.cfg = cfg, .cg = &r->cg, .f = &r->f, .pty = &r->pty, .wt = &r->wt
	};
	r->status = ISO_SETUP;
}

int iso_run(const struct iso_config *cfg)
{
	struct run r;

	iso_verbose = cfg->verbose;
	run_init(&r, cfg);
	/* A report that cannot be written is said first, before anything is made; its folder
	 * is held open from now on, so that the report goes there, whatever PROGRAM does to
	 * the names on the way to it (a writable --bind above it). */
	if (cfg->report) {
		r.report_dir = iso_report_open(cfg->report, &r.err);
		if (r.report_dir == -1) {
			warn_msg("%s", r.err.msg);
			return ISO_SETUP;
		}
	}
	if (plan(&r) || prepare(&r) || start(&r))
		return finish(&r);
	if (host_side(&r)) {
		undo(&r);
		return finish(&r);
	}
	supervise(&r);
	return finish(&r);
}
