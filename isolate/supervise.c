/* SPDX-License-Identifier: MIT */
/* isolate/supervise.c: isolate's side while PROGRAM runs: one poll over the signals, the
 * pseudo-terminal and the seccomp notifications, with the limits looked at in between. */
#include "supervise.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>

#include "base.h"
#include "init.h"
#include "rlimits.h"

#define SAMPLE_MS 20       /* how often the container is looked at, when something needs it */
#define INIT_GRACE_MS 1000 /* --init: how long init gets to end the container */

/* Forwarded to PROGRAM. Not the job-control stops (TSTP, TTIN, TTOU): isolate stops
 * with its terminal job like any program; SIGCONT goes on, so a stopped PROGRAM can be
 * continued through isolate. */
static const int fwd_signals[] = { SIGHUP,  SIGINT,  SIGQUIT, SIGUSR1, SIGUSR2,
				   SIGALRM, SIGTERM, SIGCONT, SIGWINCH };

void iso_supervise_block(sigset_t *wait_set, sigset_t *init_set, sigset_t *old)
{
	sigset_t block_set;

	sigemptyset(wait_set);
	for (size_t i = 0; i < ARRAY_SIZE(fwd_signals); i++)
		sigaddset(wait_set, fwd_signals[i]);
	sigaddset(wait_set, SIGCHLD);
	block_set = *wait_set;
	sigaddset(&block_set, SIGPIPE);
	/* init's: blocked here, so init inherits it blocked, and in init's set only */
	sigaddset(&block_set, ISO_INIT_KILL);
	*init_set = *wait_set;
	sigaddset(init_set, ISO_INIT_KILL);
	signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would reap PROGRAM for us */
	sigprocmask(SIG_BLOCK, &block_set, old);
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

/* Passes sig on to PROGRAM, PID 1 of its namespace (with --init, to isolate's init, which
 * passes everything on to PROGRAM). PROGRAM has a session of its own: a terminal's
 * signals (Ctrl-C) reach it only this way, or through its own pseudo-terminal. The kernel
 * delivers to a PID 1 only the signals it has a handler for (SIGKILL aside, from
 * outside): isolate says so, once, and acts as their default action would where it
 * matters: SIGTERM or SIGHUP without a handler ends the container at once, a second SIGINT
 * without one too (so Ctrl-C twice always works; a PROGRAM that handles SIGINT keeps it). SIGTERM
 * with a handler gets --kill-after seconds before SIGKILL. */
static void forward(pid_t child, struct iso_supervisor *w, int sig)
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
static void end_container(pid_t child, struct iso_supervisor *w)
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
static void on_tick(pid_t child, struct iso_supervisor *w)
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
static long long next_wake(const struct iso_supervisor *w)
{
	const long long at[] = { w->deadline, w->next_sample, w->grace, w->kill_at };
	long long wake = 0;

	for (size_t i = 0; i < ARRAY_SIZE(at); i++)
		if (at[i] && (!wake || at[i] < wake))
			wake = at[i];
	return wake;
}

void iso_supervise_start(struct iso_supervisor *w, pid_t child, bool cgroup)
{
	const struct iso_config *cfg = w->cfg;

	if (cfg->limit_set[ISO_LIMIT_WALL])
		w->deadline = now_ms() + (long long)cfg->limit[ISO_LIMIT_WALL];
	w->tasks = cfg->limit_set[ISO_LIMIT_PROCS] && !cgroup;
	w->fds = cfg->limit_set[ISO_LIMIT_NOFILE];
	if (cgroup && cfg->limit_set[ISO_LIMIT_CPU])
		w->cpu_usec = (long long)cfg->limit[ISO_LIMIT_CPU] * 1000000;
	if (w->tasks || w->fds || w->cpu_usec) {
		w->next_sample = now_ms();
		on_tick(child, w);
	}
}

/* The signals that came (sfd is non-blocking): each forwarded, SIGCHLD a look at PID 1.
 * Returns 1 when PID 1 has exited (its status in *status), 0 when it still runs, -1 when
 * waiting failed. */
static int take_signals(struct iso_supervisor *w, pid_t child, int sfd, int *status,
			struct rusage *ru)
{
	struct signalfd_siginfo si;

	while (RETRY_EINTR(read(sfd, &si, sizeof(si))) == (long)sizeof(si)) {
		int sig = (int)si.ssi_signo;
		pid_t p;

		if (sig != SIGCHLD) {
			forward(child, w, sig);
			continue;
		}
		/* SIGCHLD: PROGRAM may have exited. By the time wait4 sees PID 1 exit, the kernel
		 * has killed and reaped everything else in its PID namespace, and their CPU time
		 * is in its rusage. */
		p = (pid_t)RETRY_EINTR(wait4(child, status, WNOHANG, ru));
		if (p == child)
			return 1;
		if (p < 0) {
			warn_msg("waitpid: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* What the poll saw besides the signals: the pty's traffic, a seccomp notification (or
 * the end of the filter's last process). */
static void take_events(struct iso_supervisor *w, pid_t child, const struct pollfd *pfd, int np,
			int nw)
{
	iso_pty_relay(w->pty, pfd + 1, np);
	if (nw && (pfd[1 + np].revents & POLLIN))
		iso_watch_handle(w->wt, child);
	else if (nw && pfd[1 + np].revents) /* the filter's last process is gone */
		iso_watch_stop(w->wt);
}

/* poll failed (it cannot): never leave PROGRAM behind. Returns 0, its status taken. */
static int give_up(pid_t child, int *status, struct rusage *ru)
{
	warn_msg("poll: %s", strerror(errno));
	kill(child, SIGKILL);
	RETRY_EINTR(wait4(child, status, 0, ru));
	return 0;
}

int iso_supervise_wait(struct iso_supervisor *w, pid_t child, int sfd, int *status,
		       struct rusage *ru)
{
	for (;;) {
		struct pollfd pfd[5] = { { .fd = sfd, .events = POLLIN } };
		long long wake = next_wake(w), t = now_ms();
		int np = iso_pty_pollfds(w->pty, pfd + 1), nw = w->wt->listener >= 0, r;

		if (nw)
			pfd[1 + np] = (struct pollfd){ .fd = w->wt->listener, .events = POLLIN };
		r = poll(pfd, (nfds_t)(1 + np + nw), wake ? (int)(wake > t ? wake - t : 0) : -1);
		if (r < 0 && errno != EINTR)
			return give_up(child, status, ru);
		if (r <= 0) {
			on_tick(child, w);
			continue;
		}
		take_events(w, child, pfd, np, nw);
		if (wake)
			on_tick(child, w);
		r = take_signals(w, child, sfd, status, ru);
		if (r)
			return r > 0 ? 0 : -1;
	}
}
