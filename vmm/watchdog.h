/* SPDX-License-Identifier: MIT */
/* vmm/watchdog.h: the thread that stops a run: at the --timeout deadline, on SIGINT,
 * SIGTERM or SIGHUP, or when the guests' output fails. It asks every vCPU to stop, then
 * gives the main thread WD_GRACE_MS to finish; if any thread stays blocked (stdin, a full
 * stdout or stderr, the ring drain, a lock), it prints one line where stderr can take it
 * and ends the process with the run's status itself. */
#ifndef VMM_WATCHDOG_H
#define VMM_WATCHDOG_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#define WD_GRACE_MS 500 /* from a stop to the process's end, at most (plus scheduling) */

enum wd_state {
	WD_SETUP,     /* the VM is being built: a stop ends the process at once */
	WD_RUNNING,   /* the vCPUs exist: a stop kicks them */
	WD_REPORTING, /* the vCPU threads are joined: a stop kicks nothing */
	WD_FINISHED,  /* the main thread is done: nothing is stopped any more */
};

enum wd_reason {
	WD_NONE,
	WD_TIMEOUT,
	WD_SIGNAL,
	WD_OUTPUT
};

struct watchdog {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* signalled when state becomes WD_FINISHED */
	pthread_t thread;
	enum wd_state state;      /* under lock */
	enum wd_reason reason;    /* the first stop, under lock */
	int sig;                  /* its signal, for WD_SIGNAL */
	double timeout;           /* --timeout: seconds, 0 = never */
	bool armed;               /* the deadline runs (under lock) */
	struct timespec deadline; /* CLOCK_MONOTONIC */
	void (*kick)(void *arg);  /* stops every vCPU; called under lock in WD_RUNNING */
	void *arg;
};

/* wd_start: blocks the stop signals (and SIGUSR2, the vCPUs' "a loop ended") in the
 * calling thread, so in every thread it creates after, and starts the watchdog. Call
 * before creating any other thread. Dies if the thread cannot start. */
void wd_start(struct watchdog *w, double timeout, void (*kick)(void *arg), void *arg);

/* wd_running: the vCPUs exist (kicks are safe) and the --timeout clock starts now. */
void wd_running(struct watchdog *w);

/* wd_joined: the vCPU threads are joined; returns the stop so far (WD_NONE if none),
 * with its signal in *sig. */
enum wd_reason wd_joined(struct watchdog *w, int *sig);

/* wd_finish: the main thread is done; returns a stop that came after wd_joined, if
 * any (with *sig), so the caller reports it. */
enum wd_reason wd_finish(struct watchdog *w, int *sig);

/* wd_say: writes line to stderr only if it can take it now (never blocks). */
void wd_say(const char *line);

/* wd_thread_id: the watchdog's thread, which the vCPU threads signal when they end. */
pthread_t wd_thread_id(const struct watchdog *w);

#endif
