/* SPDX-License-Identifier: MIT */
/* vmm/watchdog.c: stopping a run within a bound, whatever its threads are blocked in. */
#include "watchdog.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "console.h"
#include "util.h"

static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR2); /* a vCPU loop ended: look at the output's state */
}

void wd_say(const char *line)
{
	struct pollfd p = { .fd = STDERR_FILENO, .events = POLLOUT };

	/* A pipe that polls writable has room for a line this short (PIPE_BUF), so the
	 * write cannot block; a full or broken stderr just loses the line. */
	if (poll(&p, 1, 0) == 1 && (p.revents & POLLOUT) && !(p.revents & (POLLERR | POLLHUP))) {
		if (write(STDERR_FILENO, line, strlen(line)) < 0) { /* nothing more to do */
		}
	}
}

static void add_ms(struct timespec *t, long ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* The run's status for a stop, and its one line. */
static int stop_status(const struct watchdog *w, enum wd_reason r, int sig, char *line, size_t n)
{
	int err, fd;

	switch (r) {
	case WD_TIMEOUT:
		snprintf(line, n, "%s: guest still running after %g s (--timeout); stopped it\n",
			 progname, w->timeout);
		return VMM_TIMEOUT;
	case WD_SIGNAL:
		snprintf(line, n, "%s: stopped by signal %d (%s)\n", progname, sig, strsignal(sig));
		return 128 + sig;
	case WD_OUTPUT:
	case WD_NONE: break;
	}
	fd = console_error(&err);
	snprintf(line, n, "%s: cannot write the guest's output to standard %s%s%s\n", progname,
		 fd == 2 ? "error" : "output", err ? ": " : "", err ? strerror(err) : "");
	return VMM_HOST_ERROR;
}

/* How long the watchdog may sleep now, into *left; false when the deadline has passed.
 * Without --timeout, *left is unset: it waits for a signal only. */
static bool time_left(const struct watchdog *w, bool armed, struct timespec deadline,
		      struct timespec *left, bool *timed)
{
	struct timespec now;
	long ms;

	*timed = w->timeout > 0;
	if (!*timed)
		return true;
	if (!armed) {
		/* Not armed yet: the deadline, once set, is --timeout after a moment still to
		 * come, so --timeout from now ends before it (wd_running need not wake this
		 * thread: a wake-up costs the run a CPU's). */
		ms = (long)(w->timeout * 1000.0 + 0.5);
		*left = (struct timespec){ .tv_sec = 0 };
		add_ms(left, ms > 0 ? ms : 1); /* not a spin for a sub-ms --timeout */
		return true;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	left->tv_sec = deadline.tv_sec - now.tv_sec;
	left->tv_nsec = deadline.tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_sec--;
		left->tv_nsec += 1000000000L;
	}
	return left->tv_sec >= 0;
}

/* Waits for the next stop; returns its reason (WD_NONE: the run finished first). */
static enum wd_reason wait_stop(struct watchdog *w, int *sig)
{
	sigset_t set;

	stop_signals(&set);
	for (;;) {
		struct timespec deadline, left;
		bool armed, timed;
		int s;

		pthread_mutex_lock(&w->lock);
		if (w->state == WD_FINISHED) {
			pthread_mutex_unlock(&w->lock);
			return WD_NONE;
		}
		armed = w->armed;
		deadline = w->deadline;
		pthread_mutex_unlock(&w->lock);
		if (!time_left(w, armed, deadline, &left, &timed))
			return WD_TIMEOUT;
		s = timed ? sigtimedwait(&set, NULL, &left) : sigwaitinfo(&set, NULL);
		if (s < 0)
			continue; /* EAGAIN: the deadline, checked above against the clock; EINTR */
		if (s == SIGUSR2) { /* a vCPU ended, or wd_finish changed the state */
			if (console_error(NULL))
				return WD_OUTPUT;
			continue;
		}
		*sig = s;
		return WD_SIGNAL;
	}
}

static void *wd_thread(void *arg)
{
	struct watchdog *w = arg;
	struct timespec until;
	enum wd_reason r;
	char line[256];
	int sig = 0, status;

	pthread_setname_np(pthread_self(), "watchdog");
	for (;;) {
		r = wait_stop(w, &sig);
		if (r == WD_NONE)
			return NULL;
		pthread_mutex_lock(&w->lock);
		if (w->state == WD_FINISHED) {
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		if (r != WD_TIMEOUT || w->armed)
			break;
		pthread_mutex_unlock(&w->lock); /* the run ended before its deadline */
	}
	w->reason = r;
	w->sig = sig;
	if (w->state == WD_RUNNING)
		w->kick(w->arg);
	if (w->state != WD_SETUP) { /* give the main thread its chance to report */
		clock_gettime(CLOCK_MONOTONIC, &until);
		add_ms(&until, WD_GRACE_MS);
		while (w->state != WD_FINISHED &&
		       pthread_cond_timedwait(&w->cond, &w->lock, &until) != ETIMEDOUT) {
		}
	}
	if (w->state == WD_FINISHED) {
		pthread_mutex_unlock(&w->lock);
		return NULL;
	}
	/* Some thread is blocked for good: end here, holding the lock so the main thread
	 * cannot finish concurrently with a different status. */
	status = stop_status(w, r, sig, line, sizeof(line));
	wd_say(line);
	/* The system call itself: a sanitizer's _exit flushes stdio first, on the very
	 * stream a blocked thread holds. */
	syscall(SYS_exit_group, status);
	_exit(status);
}

void wd_start(struct watchdog *w, double timeout, void (*kick)(void *arg), void *arg)
{
	pthread_condattr_t ca;
	sigset_t set;
	int err;

	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	w->state = WD_SETUP;
	w->reason = WD_NONE;
	w->sig = 0;
	w->timeout = timeout;
	w->armed = false;
	w->kick = kick;
	w->arg = arg;
	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if ((err = pthread_create(&w->thread, NULL, wd_thread, w))) {
		errno = err;
		die_errno(VMM_HOST_ERROR, "cannot start the watchdog thread");
	}
}

void wd_running(struct watchdog *w)
{
	pthread_mutex_lock(&w->lock);
	w->state = WD_RUNNING;
	w->armed = true;
	clock_gettime(CLOCK_MONOTONIC, &w->deadline);
	add_ms(&w->deadline, (long)(w->timeout * 1000.0 + 0.5));
	pthread_mutex_unlock(&w->lock);
	/* No wake-up: the watchdog waits --timeout at most while not armed, and then reads
	 * the deadline set here. */
}

enum wd_reason wd_joined(struct watchdog *w, int *sig)
{
	enum wd_reason r;

	pthread_mutex_lock(&w->lock);
	w->state = WD_REPORTING;
	w->armed = false; /* the guests ended: --timeout no longer applies */
	r = w->reason;
	*sig = w->sig;
	pthread_mutex_unlock(&w->lock);
	return r;
}

enum wd_reason wd_finish(struct watchdog *w, int *sig)
{
	enum wd_reason r;

	pthread_mutex_lock(&w->lock);
	r = w->state == WD_REPORTING ? w->reason : WD_NONE;
	*sig = w->sig;
	w->state = WD_FINISHED;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_kill(w->thread, SIGUSR2); /* let it see WD_FINISHED and end */
	pthread_join(w->thread, NULL);
	return r;
}

pthread_t wd_thread_id(const struct watchdog *w)
{
	return w->thread;
}
