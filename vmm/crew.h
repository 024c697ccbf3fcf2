/* SPDX-License-Identifier: MIT */
/* vmm/crew.h: a thread per instance that goes through the run's steps (build, run,
 * teardown) together with the others, each step when the main thread allows it. */
#ifndef VMM_CREW_H
#define VMM_CREW_H

#include <pthread.h>
#include <stdbool.h>

enum crew_step {
	CREW_BUILD,    /* the threads build; the main thread waits for every one */
	CREW_RUN,      /* allowed: run */
	CREW_TEARDOWN, /* allowed: tear down */
	CREW_QUIT,     /* skip every step left and end */
	CREW_STEPS
};

struct crew {
	pthread_mutex_t lock;
	pthread_cond_t cond;          /* broadcast to the threads when step changes */
	pthread_cond_t arrival;       /* signalled to the main thread when all arrived */
	enum crew_step step;          /* what the threads may do (under lock) */
	unsigned arrived[CREW_STEPS]; /* threads done with the step before it (under lock) */
	unsigned n;                   /* threads in the crew */
	unsigned started;             /* of them started (main thread only) */
	pthread_t *thread;            /* n */
	struct crew_start *start;     /* each thread's number, read as it starts */
	void (*fn)(struct crew *c, unsigned j, void *arg); /* thread j's whole life */
	void *arg;
};

/* crew_start: starts n threads, thread j running fn(c, j, arg); each calls crew_next
 * between its steps. Returns 0, or the pthread_create error with the failed thread's
 * number in *failed: the threads already started were then told to quit and joined. */
int crew_start(struct crew *c, unsigned n, void (*fn)(struct crew *c, unsigned j, void *arg),
	       void *arg, unsigned *failed);

/* crew_next: in a crew thread: done with the step before `step`; waits until the main
 * thread allows a step. True when `step` itself is allowed, false when the crew skips it
 * (a later step, or CREW_QUIT, was allowed instead). */
bool crew_next(struct crew *c, enum crew_step step);

/* crew_wait: in the main thread: waits until every thread is done with the step before
 * `step` (has called crew_next(c, step) or a later one). */
void crew_wait(struct crew *c, enum crew_step step);

/* crew_allow: in the main thread: lets the threads go on to `step`. */
void crew_allow(struct crew *c, enum crew_step step);

/* crew_join: tells the threads to quit (if not allowed to a step already), joins them
 * and frees the crew. */
void crew_join(struct crew *c);

#endif
