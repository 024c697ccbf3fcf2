/* SPDX-License-Identifier: MIT */
/* isolate/run.c: clone into new namespaces, set them up from both sides in step (two pipes),
 * harden and limit PROGRAM, exec it as PID 1 (or under --init), forward signals to it,
 * enforce the wall-clock limit, and hand back its exit status and the run report. */
#include "run.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h> /* struct clone_args, CLONE_NEW* */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "cgroup.h"
#include "harden.h"
#include "init.h"
#include "rlimits.h"
#include "mount.h"
#include "net.h"
#include "pty.h"
#include "outcome.h"
#include "userns.h"
#include "watch.h"
#include "base.h"

#define ISO_CLONE_FLAGS \
	(CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS)
#define SAMPLE_MS 20       /* how often the container is looked at, when something needs it */
#define INIT_GRACE_MS 1000 /* --init: how long init gets to end the container */

/* Forwarded to PROGRAM. Not the job-control stops (TSTP, TTIN, TTOU): isolate stops
 * with its terminal job like any program; SIGCONT goes on, so a stopped PROGRAM can be
 * continued through isolate. */
static const int fwd_signals[] = { SIGHUP,  SIGINT,  SIGQUIT, SIGUSR1, SIGUSR2,
				   SIGALRM, SIGTERM, SIGCONT, SIGWINCH };

/* The child's failure, sent to isolate through the report pipe before it exits. The
 * pipe is close-on-exec: a successful exec closes it empty. */
struct report {
	int status;            /* ISO_SETUP, ISO_NOEXEC or ISO_NOTFOUND */
	char msg[ISO_ERR_LEN]; /* the one line isolate prints */
};

struct child_ctx {
	const struct iso_config *cfg;
	int go_fd;           /* read end: isolate's struct iso_net once maps and veth exist */
	int report_fd;       /* write end of the report pipe */
	int status_fd;       /* --init: write end of the status pipe, else -1 */
	sigset_t mask;       /* the signal mask to give PROGRAM: isolate's original one */
	sigset_t wait_set;   /* the signals isolate forwards, and SIGCHLD */
	sigset_t init_set;   /* init's: those and ISO_INIT_KILL */
	bool cgroup;         /* memory and processes are limited by a cgroup */
	bool switch_ids;     /* uid 0 is mapped to another uid than isolate's: follow it */
	struct iso_ids ids;  /* the container's ids (userns.c) */
	struct iso_pty *pty; /* the container's pseudo-terminal, when stdin is a terminal */
	int watch_fd;        /* the socket PROGRAM sends its watch listener on, or -1 */
};

__attribute__((noreturn)) static void child_fail(const struct child_ctx *c, int status,
						 const char *msg)
{
	struct report r = { .status = status };

	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	/* One write below PIPE_BUF: atomic. If isolate is gone, nobody needs it. */
	if (write(c->report_fd, &r, sizeof(r)) < 0) {
		/* nothing more to do */
	}
	_exit(status);
}

/* The container's own steps: run in its namespaces, with full capabilities there. */
static int child_setup(const struct iso_config *cfg, char *err)
{
	if (iso_mount_setup(cfg, err))
		return -1;
	if (sethostname(cfg->hostname, strlen(cfg->hostname)))
		return iso_seterr(err, errno, "cannot set the hostname to '%s'", cfg->hostname);
	iso_step("pid 1", "sethostname(\"%s\"): in this UTS namespace only", cfg->hostname);
	return 0;
}

/* ping without CAP_NET_RAW: ICMP datagram sockets for gid 0, in this network namespace
 * only (Docker does the same). Not fatal: ping would say what it lacks. */
static void allow_ping(void)
{
	int r = iso_write_file("/proc/sys/net/ipv4/ping_group_range", "0 0");

	if (r)
		iso_step("pid 1", "net.ipv4.ping_group_range: %s (ping needs CAP_NET_RAW then)",
			 strerror(-r));
	else
		iso_step("pid 1", "net.ipv4.ping_group_range = 0 0: ping works without CAP_NET_RAW "
				  "(ICMP datagram sockets, this network namespace only)");
}

/* Whether some folder of PATH (as execvp reads it) has an entry called name. */
static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char file[4096];
	struct stat st;

	if (!path)
		path = "/bin:/usr/bin";
	for (const char *p = path;; p++) {
		size_t n = strcspn(p, ":");

		snprintf(file, sizeof(file), "%.*s/%s", (int)n, n ? p : ".", name);
		if (stat(file, &st) == 0)
			return true;
		p += n;
		if (!*p)
			return false;
	}
}

/* PROGRAM's own process: its limits, its signal mask, its exec. */
__attribute__((noreturn)) static void exec_program(const struct child_ctx *c)
{
	const struct iso_config *cfg = c->cfg;
	char err[ISO_ERR_LEN];

	if (iso_limits_apply(cfg, c->cgroup, err))
		child_fail(c, ISO_SETUP, err);
	iso_step(cfg->init ? "pid 2" : "pid 1", "execvp(\"%s\"): %s", cfg->argv[0],
		 cfg->init ? "PROGRAM is pid 2, init's child" : "PROGRAM becomes PID 1");
	if (c->watch_fd >= 0)
		iso_watch_install(cfg, c->watch_fd); /* the last thing before the exec */
	sigprocmask(SIG_SETMASK, &c->mask, NULL);
	execvp(cfg->argv[0], cfg->argv);
	/* As shells do: 127 when there is no such program, 126 when it cannot run. A PATH
	 * folder the container's root may not search (root's own, under /root) makes execvp
	 * say EACCES even when no folder has the program: not found, then. */
	if (errno == ENOENT ||
	    (errno == EACCES && !strchr(cfg->argv[0], '/') && !in_path(cfg->argv[0]))) {
		if (strchr(cfg->argv[0], '/'))
			iso_seterr(err, ENOENT, "cannot execute %s", cfg->argv[0]);
		else
			iso_seterr(err, 0, "%s: command not found (in PATH)", cfg->argv[0]);
		child_fail(c, ISO_NOTFOUND, err);
	}
	iso_seterr(err, errno, "cannot execute %s", cfg->argv[0]);
	child_fail(c, ISO_NOEXEC, err);
}

/* --init: PID 1 stays isolate's, hardened like PROGRAM and not dumpable (PROGRAM cannot
 * ptrace it or read its memory), and PROGRAM is its child. */
__attribute__((noreturn)) static void run_init(const struct child_ctx *c)
{
	char err[ISO_ERR_LEN];
	pid_t program;

	program = fork();
	if (program < 0) {
		iso_seterr(err, errno, "--init: cannot fork PROGRAM");
		child_fail(c, ISO_SETUP, err);
	}
	if (program == 0) {
		/* PROGRAM dies with init, and init with isolate; init may already have died
		 * (getppid() is no longer 1 then). Its own session, its terminal. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != 1)
			_exit(ISO_SETUP);
		setsid();
		if (iso_pty_take_ctty(c->pty, err))
			child_fail(c, ISO_SETUP, err);
		exec_program(c);
	}
	/* Only PROGRAM holds the report pipe now: its exec closes it, which isolate sees. */
	close(c->report_fd);
	if (c->watch_fd >= 0)
		close(c->watch_fd);
	iso_step("pid 1", "init: PROGRAM forked as pid %d; reaping, forwarding signals",
		 (int)program);
	iso_init_loop(program, &c->init_set, c->status_fd);
}

/* Whether isolate has died: it holds the go pipe's write end until PROGRAM runs, so a
 * hangup there is its death. Asked after PR_SET_PDEATHSIG, this closes the window in
 * which isolate died before the prctl (the child may not run at all before isolate has
 * released it and been killed): any later death sends the signal. */
static bool isolate_gone(int go_fd)
{
	struct pollfd p = { .fd = go_fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & POLLHUP);
}

/* The maps give uid 0 here to another uid outside than ours (a slot of root's range): our
 * own ids must follow, and root's supplementary groups go. Changing ids clears the
 * parent-death signal: set again, then a look at the go pipe, whose other end isolate
 * holds until PROGRAM runs, says whether isolate died meanwhile. */
static void become_mapped_root(const struct child_ctx *c)
{
	char err[ISO_ERR_LEN];

	if (setgroups(0, NULL) || setresgid(0, 0, 0) || setresuid(0, 0, 0)) {
		iso_seterr(err, errno,
			   "cannot become the mapped uid 0 (setgroups, setresgid, "
			   "setresuid)");
		child_fail(c, ISO_SETUP, err);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (isolate_gone(c->go_fd))
		_exit(ISO_SETUP);
	iso_step("pid 1", "setgroups(0, NULL), setresgid(0, 0, 0), setresuid(0, 0, 0): root's "
			  "groups dropped, and uid 0 here is the mapped one outside");
}

__attribute__((noreturn)) static void child_main(const struct child_ctx *c)
{
	const struct iso_config *cfg = c->cfg;
	char err[ISO_ERR_LEN];
	struct iso_net net;
	long n;

	/* Die with isolate, whatever kills it. If it died before this line, the go pipe
	 * tells: its write end closes and the read below sees EOF. (getppid() cannot: it is
	 * 0 here, the parent being outside this PID namespace.) */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* A session of its own, at once: kill(0, sig) and the caller's terminal's job
	 * control no longer reach isolate's process group, and the caller's terminal is
	 * nobody's here (TIOCSTI needs a controlling terminal or CAP_SYS_ADMIN over it). */
	setsid();
	/* The mounts and hostname go on while isolate writes the maps and makes the veth.
	 * Not a new root's: its /dev gets files, which need our uid mapped. With --verbose
	 * the setup waits, so the steps print in order. */
	bool early = !cfg->verbose && !cfg->root && !c->switch_ids;

	if (early && child_setup(cfg, err))
		child_fail(c, ISO_SETUP, err);
	n = RETRY_EINTR(read(c->go_fd, &net, sizeof(net)));
	if (n != sizeof(net) || isolate_gone(c->go_fd))
		_exit(ISO_SETUP); /* isolate failed or died: it reports, if it can */
	if (c->switch_ids)
		become_mapped_root(c);
	close(c->go_fd);
	iso_step("pid 1", "released: getpid() = %d, getuid() = %d, getgid() = %d (mapped)",
		 (int)getpid(), (int)getuid(), (int)getgid());
	if (!early && child_setup(cfg, err))
		child_fail(c, ISO_SETUP, err);
	if (iso_net_container_setup(&net, err))
		child_fail(c, ISO_SETUP, err);
	allow_ping();
	if (iso_mount_protect(cfg, err)) /* after the sysctl above: /proc/sys goes read-only */
		child_fail(c, ISO_SETUP, err);
	/* The pty before the hardening: with --init, PROGRAM takes it as its terminal */
	if (iso_pty_child(c->pty, !cfg->init, err))
		child_fail(c, ISO_SETUP, err);
	/* Hardening last: the setup above needed the capabilities and mount calls it takes. */
	if (cfg->init && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)) {
		iso_seterr(err, errno, "prctl(PR_SET_DUMPABLE)");
		child_fail(c, ISO_SETUP, err);
	}
	iso_harden_describe(cfg);
	if (iso_harden_apply(cfg, err))
		child_fail(c, ISO_SETUP, err);
	if (cfg->init)
		run_init(c);
	exec_program(c);
}

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

/* clone3 as fork: the child goes on from here on a copy of our stack; cgroup_fd >= 0: it
 * starts in that cgroup (CLONE_INTO_CGROUP), so nothing ever moves. */
static pid_t clone_child(unsigned long long flags, int cgroup_fd)
{
	struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };

	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (unsigned long long)cgroup_fd;
	}
	return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

static int clone_error(int e, char *err)
{
	const char *hint = "";

	if (e == ENOSPC)
		hint = ": user namespaces are disabled or used up (/proc/sys/user/max_user_namespaces)";
	else if (e == EPERM)
		hint = ": user namespaces are not allowed here (a sysctl, seccomp or LSM policy, "
		       "or a chroot)";
	else if (e == EUSERS)
		hint = ": user namespaces nested too deep";
	return iso_seterr(err, 0, "cannot create the namespaces (clone3): %s%s", strerror(e), hint);
}

/* Whether process pid has a handler for sig (field "SigCgt") or ignores it ("SigIgn"), from
 * /proc/PID/status. */
static bool sig_in(pid_t pid, int sig, const char *field)
{
	char path[64], line[128];
	unsigned long long mask = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return true; /* cannot tell: say nothing */
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)) && line[strlen(field)] == ':' &&
		    sscanf(line + strlen(field) + 1, "%llx", &mask) == 1)
			break;
	fclose(f);
	return mask & (1ull << (sig - 1));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double secs_since(const struct timespec *t0)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - t0->tv_sec) + (double)(ts.tv_nsec - t0->tv_nsec) / 1e9;
}

/* What the wait needs beyond the signals: the wall-clock deadline, and what to look at
 * every SAMPLE_MS (tasks and open files without a cgroup, the cgroup's CPU time). */
struct watch {
	const struct iso_config *cfg;
	struct iso_cgroup *cg;
	struct iso_facts *f;
	long long deadline;    /* ms (CLOCK_MONOTONIC) of --wall-time, or 0 */
	long long next_sample; /* ms of the next look, or 0 for none */
	long long grace;       /* ms by which init must have ended the container, or 0 */
	bool tasks, fds;       /* sample these */
	long long cpu_usec;    /* the cgroup's CPU limit in us, or 0 */
	long long kill_at;     /* ms of the SIGKILL that follows a SIGTERM (--kill-after), or 0 */
	struct iso_pty *pty;   /* the container's pseudo-terminal (pty->active), relayed */
	struct iso_watch *wt;  /* PROGRAM's allocations and forks, seen (wt->listener >= 0) */
	int dropped_ints;      /* SIGINTs that PID 1 had no handler for */
	unsigned long long warned; /* 1 << sig: said once that PID 1 drops sig */
};

/* Passes sig on to PROGRAM, PID 1 of its namespace (with --init, to isolate's init, which
 * passes everything on to PROGRAM). PROGRAM has a session of its own: a terminal's
 * signals (Ctrl-C) reach it only this way, or through its own pseudo-terminal. The kernel
 * delivers to a PID 1 only the signals it has a handler for (SIGKILL aside, from
 * outside): isolate says so, once, and acts as their default action would where it
 * matters: SIGTERM or SIGHUP without a handler ends the container at once, a second SIGINT
 * without one too (so Ctrl-C twice always works; a PROGRAM that handles SIGINT keeps it). SIGTERM
 * with a handler gets --kill-after seconds before SIGKILL. */
static void forward(pid_t child, struct watch *w, int sig)
{
	const struct iso_config *cfg = w->cfg;
	bool handled;

	if (sig == SIGWINCH && w->pty->active) {
		/* the new size goes to the container's pty; the kernel signals its job */
		iso_pty_resize(w->pty);
		return;
	}
	/* SIGTERM, and SIGHUP (the caller's terminal is gone): their default action ends a
	 * process; a PID 1 would never see them */
	if ((sig == SIGTERM || sig == SIGHUP) && !cfg->init && !sig_in(child, sig, "SigCgt") &&
	    !sig_in(child, sig, "SigIgn")) {
		warn_msg("SIG%s: PROGRAM, as PID 1, has no handler for it, which the kernel would "
			 "drop: ending the container (SIGKILL to its PID 1)",
			 sigabbrev_np(sig));
		w->f->ended_by = sig;
		kill(child, SIGKILL);
		return;
	}
	kill(child, sig);
	iso_step("host", "%s forwarded to PID 1%s", strsignal(sig),
		 cfg->init ? " (init: on to PROGRAM)" : "");
	if (sig == SIGTERM) {
		/* a stopped PROGRAM could not act on it: it goes on (as systemd does) */
		kill(child, SIGCONT);
		if (!w->kill_at) {
			w->kill_at = now_ms() + (long long)cfg->kill_after_ms;
			iso_step("host",
				 "--kill-after: SIGKILL in %llu.%03llu s if the container "
				 "still runs",
				 cfg->kill_after_ms / 1000, cfg->kill_after_ms % 1000);
		}
		return;
	}
	if (sig == SIGWINCH || sig == SIGCONT || cfg->init) /* harmless; or init's business */
		return;
	handled = sig_in(child, sig, "SigCgt");
	if (sig == SIGINT && !handled && ++w->dropped_ints >= 2) {
		warn_msg("second SIGINT: killing the container (SIGKILL to its PID 1)");
		w->f->ended_by = SIGINT;
		kill(child, SIGKILL);
		return;
	}
	if (handled || (w->warned & (1ull << sig)))
		return;
	w->warned |= 1ull << sig;
	warn_msg("PROGRAM, as PID 1, has no handler for SIG%s, so the kernel drops it%s",
		 sigabbrev_np(sig), sig == SIGINT ? "; Ctrl-C again kills the container" : "");
}

/* Ends the container for a limit. Its PID 1's death takes everything with it, but the
 * kernel reaps the rest without counting their CPU time: isolate's init (--init) is asked
 * to kill and reap them itself first, with a second to do it. */
static void end_container(pid_t child, struct watch *w)
{
	w->next_sample = 0; /* nothing more to look at */
	if (w->cfg->init) {
		kill(child, ISO_INIT_KILL);
		w->grace = now_ms() + INIT_GRACE_MS;
	} else {
		kill(child, SIGKILL);
	}
}

/* One look at the container, and isolate's own limits: the wall clock, the cgroup's CPU. */
static void on_tick(pid_t child, struct watch *w)
{
	long long t = now_ms();

	if (w->kill_at && t >= w->kill_at) {
		warn_msg("--kill-after: the container still runs %llu.%03llu s after SIGTERM: "
			 "SIGKILL to its PID 1",
			 w->cfg->kill_after_ms / 1000, w->cfg->kill_after_ms % 1000);
		w->f->ended_by = SIGTERM;
		w->kill_at = 0;
		kill(child, SIGKILL);
		return;
	}
	if (w->grace && t >= w->grace) {
		kill(child, SIGKILL); /* init did not end it in time */
		w->grace = 0;
		return;
	}
	if (w->deadline && t >= w->deadline) {
		iso_step("host", "wall-time limit: %llu.%03llu s: %s",
			 w->cfg->limit[ISO_LIMIT_WALL] / 1000, w->cfg->limit[ISO_LIMIT_WALL] % 1000,
			 w->cfg->init ? "init kills and reaps the container"
				      : "SIGKILL to PID 1 (the container goes with it)");
		w->f->wall_fired = true;
		w->deadline = 0;
		end_container(child, w);
		return;
	}
	if (!w->next_sample || t < w->next_sample)
		return;
	w->next_sample = t + SAMPLE_MS;
	if (w->tasks || w->fds) {
		struct iso_sample s;

		iso_sample(child, w->fds, &s);
		if (w->tasks && s.tasks > w->f->peak_tasks)
			w->f->peak_tasks = s.tasks;
		if (w->fds && s.max_fds > w->f->peak_fds)
			w->f->peak_fds = s.max_fds;
	}
	if (w->cpu_usec && iso_cgroup_cpu_usec(w->cg) >= w->cpu_usec && !w->f->cpu_fired) {
		iso_step("host", "cpu-time limit reached by the container (cgroup cpu.stat): "
				 "ending it");
		w->f->cpu_fired = true;
		end_container(child, w);
	}
}

/* The next moment on_tick() has something to do, in ms (CLOCK_MONOTONIC), or 0: none. */
static long long next_wake(const struct watch *w)
{
	const long long at[] = { w->deadline, w->next_sample, w->grace, w->kill_at };
	long long wake = 0;

	for (size_t i = 0; i < ARRAY_SIZE(at); i++)
		if (at[i] && (!wake || at[i] < wake))
			wake = at[i];
	return wake;
}

/* Waits for PROGRAM, forwarding signals (read from sfd, a signalfd), relaying its
 * pseudo-terminal and watching its limits meanwhile; leaves its PID 1's wait status in
 * *status and the container's resource use in *ru. Returns 0, or -1 when waiting failed. */
static int wait_child(pid_t child, int sfd, struct watch *w, int *status, struct rusage *ru)
{
	for (;;) {
		struct pollfd pfd[5] = { { .fd = sfd, .events = POLLIN } };
		long long wake = next_wake(w), t = now_ms();
		int np = iso_pty_pollfds(w->pty, pfd + 1), nw = w->wt->listener >= 0, r;
		struct signalfd_siginfo si;

		if (nw)
			pfd[1 + np] = (struct pollfd){ .fd = w->wt->listener, .events = POLLIN };
		r = poll(pfd, (nfds_t)(1 + np + nw), wake ? (int)(wake > t ? wake - t : 0) : -1);
		if (r < 0 && errno != EINTR) { /* cannot happen; never leave PROGRAM behind */
			warn_msg("poll: %s", strerror(errno));
			kill(child, SIGKILL);
			RETRY_EINTR(wait4(child, status, 0, ru));
			return 0;
		}
		if (r <= 0) {
			on_tick(child, w);
			continue;
		}
		iso_pty_relay(w->pty, pfd + 1, np);
		if (nw && (pfd[1 + np].revents & POLLIN))
			iso_watch_handle(w->wt, child);
		else if (nw && pfd[1 + np].revents) /* the filter's last process is gone */
			iso_watch_stop(w->wt);
		if (wake)
			on_tick(child, w);
		while (RETRY_EINTR(read(sfd, &si, sizeof(si))) == (long)sizeof(si)) {
			int sig = (int)si.ssi_signo;

			if (sig != SIGCHLD) {
				forward(child, w, sig);
				continue;
			}
			/* SIGCHLD: PROGRAM may have exited. By the time wait4 sees PID 1 exit,
			 * the kernel has killed and reaped everything else in its PID
			 * namespace, and their CPU time is in its rusage. */
			pid_t p = (pid_t)RETRY_EINTR(wait4(child, status, WNOHANG, ru));

			if (p == child)
				return 0;
			if (p < 0) {
				warn_msg("waitpid: %s", strerror(errno));
				return -1;
			}
		}
	}
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
static int plan_cgroup(const struct iso_config *cfg, struct iso_cgroup *cg, char *err)
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
			 cg->why);
		return iso_cgroup_create(cg, cfg, err);
	}
	mask = iso_approximate(cfg, false);
	for (int l = 0; l < ISO_LIMIT_COUNT; l++)
		if (mask & (1u << l))
			n += (size_t)snprintf(approx + n, sizeof(approx) - n, "%s%s", n ? ", " : "",
					      iso_limit_info[l].name);
	iso_step("host", "cgroup v2: not used: %s; limits by rlimits and sampling%s%s", cg->why,
		 n ? "; approximate: " : "", approx);
	cg->usable = false; /* detection only: nothing below may make or write a cgroup */
	return 0;
}

/* Writes the report, if asked for; says so on stderr when it cannot. */
static void write_report(const struct iso_config *cfg, const struct iso_facts *f)
{
	struct iso_outcome o;
	char text[4096], err[ISO_ERR_LEN];

	if (!cfg->report)
		return;
	iso_classify(cfg, f, &o);
	if (iso_report_json(cfg, f, &o, text, sizeof(text)) < 0) {
		warn_msg("--report: the report does not fit its buffer");
		return;
	}
	if (iso_report_write(cfg->report, text, err))
		warn_msg("%s", err);
	else
		iso_step("host", "report: %s (status \"%s\")", cfg->report,
			 iso_status_name(o.status));
}

int iso_report_failure(const struct iso_config *cfg, int status, const char *msg)
{
	struct iso_facts f = { .peak_tasks = -1, .peak_fds = -1, .exit_status = status };
	char err[ISO_ERR_LEN];

	if (!cfg->report || !cfg->report[0]) /* an empty name: the one line said it */
		return status;
	if (iso_report_check(cfg->report, err)) {
		warn_msg("%s", err);
		return status;
	}
	snprintf(f.message, sizeof(f.message), "%s", msg);
	write_report(cfg, &f);
	return status;
}

int iso_run(const struct iso_config *cfg)
{
	int go[2] = { -1, -1 }, rep[2] = { -1, -1 }, st[2] = { -1, -1 }, status = ISO_SETUP;
	struct child_ctx c = { .cfg = cfg, .status_fd = -1, .ids = { .lock_fd = -1, .slot = -1 } };
	struct iso_facts f = { .peak_tasks = -1, .peak_fds = -1 };
	struct watch w = { .cfg = cfg, .f = &f };
	struct iso_cgroup cg = { .fd = -1 };
	struct iso_pty pty = { .master = -1, .slave = -1 };
	struct iso_watch wt = { .listener = -1, .peak_tasks = -1 };
	int wsv[2] = { -1, -1 };
	char err[ISO_ERR_LEN] = "";
	struct iso_net net = { 0 };
	sigset_t block_set;
	struct timespec t_exec;
	struct rusage ru = { 0 };
	struct report r;
	pid_t child = -1;
	int wstatus = 0, sfd = -1;
	long n;

	iso_verbose = cfg->verbose;
	w.cg = &cg;
	w.pty = &pty;
	w.wt = &wt;
	c.pty = &pty;
	c.watch_fd = -1;
	/* A report that cannot be written is said first, before anything is made. */
	if (cfg->report && iso_report_check(cfg->report, err)) {
		warn_msg("%s", err);
		return ISO_SETUP;
	}
	/* The plan's paths and limits, before the container exists: a bad one makes nothing. */
	if (iso_mount_check(cfg, err) || iso_limits_check(cfg, err) || plan_cgroup(cfg, &cg, err))
		goto out;
	c.cgroup = cg.dir[0] != '\0';
	iso_limits_describe(cfg, c.cgroup);
	/* The container's ids: as root, a slot of an unprivileged range, held until exit. The
	 * kernel never applies RLIMIT_NPROC to the host's root user (INIT_USER), in any
	 * namespace: --map-host-root would leave --processes without effect. */
	if (cfg->map_host_root && geteuid() == 0 && cfg->limit_set[ISO_LIMIT_PROCS] && !c.cgroup) {
		iso_seterr(err, 0,
			   "--processes with --map-host-root: the kernel does not count the "
			   "host root's processes (RLIMIT_NPROC)");
		goto out;
	}
	if (iso_userns_plan(cfg, &c.ids, err))
		goto out;
	c.switch_ids = c.ids.switch_ids;
	/* Signals wait, blocked, until the loop in wait_child() takes them; SIGPIPE too, so a
	 * write to a child that died fails with EPIPE instead of killing isolate. */
	sigemptyset(&c.wait_set);
	for (size_t i = 0; i < ARRAY_SIZE(fwd_signals); i++)
		sigaddset(&c.wait_set, fwd_signals[i]);
	sigaddset(&c.wait_set, SIGCHLD);
	block_set = c.wait_set;
	sigaddset(&block_set, SIGPIPE);
	/* init's: blocked here, so init inherits it blocked, and in init's set only */
	sigaddset(&block_set, ISO_INIT_KILL);
	c.init_set = c.wait_set;
	sigaddset(&c.init_set, ISO_INIT_KILL);
	signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would reap PROGRAM for us */
	sigprocmask(SIG_BLOCK, &block_set, &c.mask);

	if (pipe2(go, O_CLOEXEC) || pipe2(rep, O_CLOEXEC) || (cfg->init && pipe2(st, O_CLOEXEC))) {
		iso_seterr(err, errno, "cannot make the sync pipes");
		goto out;
	}
	/* The blocked signals, read as they come (with the pty and the limits in one poll);
	 * those that came during the setup wait there until PROGRAM runs. */
	sfd = signalfd(-1, &c.wait_set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		iso_seterr(err, errno, "signalfd");
		goto out;
	}
	/* No pty to be had (no devpts mounted, ptys used up): the plain fds, as without a
	 * terminal; PROGRAM's own session and the filter still keep the caller's terminal
	 * out of its reach (TIOCSTI needs it as the controlling terminal). */
	if (iso_watch_wanted(cfg, c.cgroup) &&
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, wsv)) {
		iso_seterr(err, errno, "socketpair");
		goto out;
	}
	if (iso_pty_open(&pty, err)) {
		iso_step("host", "%s: PROGRAM gets the caller's terminal as it is", err);
		err[0] = '\0';
	}
	child = clone_child(ISO_CLONE_FLAGS, cg.fd);
	if (child < 0) {
		clone_error(errno, err);
		goto out;
	}
	if (child == 0) {
		close(go[1]);
		close(rep[0]);
		if (st[0] >= 0)
			close(st[0]);
		close(sfd);
		if (wsv[0] >= 0)
			close(wsv[0]);
		c.watch_fd = wsv[1];
		c.go_fd = go[0];
		c.report_fd = rep[1];
		c.status_fd = st[1];
		child_main(&c);
	}
	close(go[0]);
	close(rep[1]);
	go[0] = rep[1] = -1;
	iso_pty_parent(&pty);
	if (wsv[1] >= 0) {
		close(wsv[1]);
		wsv[1] = -1;
	}
	if (st[1] >= 0) {
		close(st[1]);
		st[1] = -1;
	}
	iso_step("host",
		 "clone3(CLONE_NEWUSER|NEWUTS|NEWIPC|NEWNET|NEWPID|NEWNS%s): the child is "
		 "pid %d here and pid 1 in its PID namespace; its new user namespace owns the "
		 "other five",
		 cg.fd >= 0 ? "|INTO_CGROUP" : "", (int)child);
	show_namespaces(child);

	/* The maps first: until they exist the child is uid 65534 (nobody) inside. */
	if (iso_userns_map(child, &c.ids, err))
		goto fail;
	if (iso_net_host_setup(cfg, child, &net, err))
		goto fail;
	/* Release the child: one write, which also carries what the host side made. */
	iso_step("host", "releasing the child (sync pipe); then waiting for its exec");
	if (RETRY_EINTR(write(go[1], &net, sizeof(net))) != (long)sizeof(net)) {
		iso_seterr(err, errno, "cannot release the container");
		goto fail;
	}
	/* go[1] stays open until PROGRAM runs: the child's look at it (become_mapped_root)
	 * tells isolate's death by its EOF. */

	/* EOF: PROGRAM was exec'd (the pipe is close-on-exec). A report: the child failed. */
	n = RETRY_EINTR(read(rep[0], &r, sizeof(r)));
	if (n == (long)sizeof(r)) {
		r.msg[sizeof(r.msg) - 1] = '\0';
		snprintf(err, sizeof(err), "%s", r.msg);
		status = r.status;
		goto fail;
	}
	close(rep[0]);
	rep[0] = -1;
	close(go[1]);
	go[1] = -1;
	f.ran = true;
	clock_gettime(CLOCK_MONOTONIC, &t_exec);
	if (cfg->limit_set[ISO_LIMIT_WALL])
		w.deadline = now_ms() + (long long)cfg->limit[ISO_LIMIT_WALL];
	w.tasks = cfg->limit_set[ISO_LIMIT_PROCS] && !c.cgroup;
	w.fds = cfg->limit_set[ISO_LIMIT_NOFILE];
	if (c.cgroup && cfg->limit_set[ISO_LIMIT_CPU])
		w.cpu_usec = (long long)cfg->limit[ISO_LIMIT_CPU] * 1000000;
	if (w.tasks || w.fds || w.cpu_usec) {
		w.next_sample = now_ms();
		on_tick(child, &w);
	}
	if (wsv[0] >= 0) {
		iso_watch_start(&wt, cfg, wsv[0]);
		wsv[0] = -1;
	}
	/* the keys go to the container's pty now, Ctrl-C and Ctrl-Z included */
	iso_pty_raw(&pty);
	if (wait_child(child, sfd, &w, &wstatus, &ru)) {
		snprintf(err, sizeof(err), "cannot wait for the container");
		f.ran = false;
		goto out;
	}
	f.wall = secs_since(&t_exec);
	iso_pty_drain(&pty);
	/* --init: PROGRAM's own status, which init wrote before it exited (none when isolate
	 * killed init: then init's death is the container's). */
	if (st[0] >= 0) {
		int ps;

		if (RETRY_EINTR(read(st[0], &ps, sizeof(ps))) == (long)sizeof(ps))
			wstatus = ps;
	}
	f.wstatus = wstatus;
	status = exit_status_of(wstatus);
	if (WIFSIGNALED(wstatus))
		iso_step("host", "%s died of %s: exit status %d", cfg->init ? "PROGRAM" : "PID 1",
			 strsignal(WTERMSIG(wstatus)), status);
	else
		iso_step("host", "%s exited with status %d", cfg->init ? "PROGRAM" : "PID 1",
			 status);
	if (cfg->wait_teardown)
		iso_net_wait_gone(&net);
	else if (net.veth)
		iso_step("host",
			 "%s and its peer go with the container's network namespace, which "
			 "the kernel tears down asynchronously, a few ms from now (--wait-teardown "
			 "waits)",
			 net.host_if);
	goto out;

fail:
	/* Undo in reverse: the process (which takes its namespaces with it), then the veth,
	 * now, rather than leave it to the namespace's asynchronous teardown. */
	kill(child, SIGKILL);
	RETRY_EINTR(waitpid(child, NULL, 0));
	if (rep[0] >= 0 && status == ISO_SETUP) {
		/* the child may have failed first, making the host fail: its reason wins */
		n = RETRY_EINTR(read(rep[0], &r, sizeof(r)));
		if (n == (long)sizeof(r)) {
			r.msg[sizeof(r.msg) - 1] = '\0';
			snprintf(err, sizeof(err), "%s", r.msg);
			status = r.status;
		}
	}
	iso_net_host_undo(&net);
out:
	/* the caller's terminal as it was, before any word from isolate */
	iso_pty_close(&pty);
	iso_watch_stop(&wt);
	f.memory_refused = wt.memory_refused;
	f.fork_refused = wt.fork_refused;
	if (wt.peak_tasks > f.peak_tasks)
		f.peak_tasks = wt.peak_tasks;
	for (int i = 0; i < 2; i++)
		if (wsv[i] >= 0)
			close(wsv[i]);
	if (sfd >= 0)
		close(sfd);
	if (err[0])
		warn_msg("%s", err);
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (rep[i] >= 0)
			close(rep[i]);
		if (st[i] >= 0)
			close(st[i]);
	}
	/* The figures: the container's CPU time (every process reaped under PID 1), the
	 * largest RSS of any of them; a cgroup's own where there is one. */
	f.user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	f.sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	f.peak_rss_kib = ru.ru_maxrss;
	iso_cgroup_collect(&cg, &f);
	iso_cgroup_remove(&cg);
	iso_userns_release(&c.ids);
	f.exit_status = status;
	if (!f.ran)
		snprintf(f.message, sizeof(f.message), "%s", err);
	write_report(cfg, &f);
	return status;
}
