/* SPDX-License-Identifier: MIT */
/* vmm/bell.h: a thread that sleeps on a doorbell: an eventfd that KVM_IOEVENTFD signals
 * when the guest rings, woken once more to end. The console ring's and the I/O queue's
 * threads share this life: made with their eventfd, started, stopped and joined. */
#ifndef VMM_BELL_H
#define VMM_BELL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct bell {
	int efd;          /* the eventfd the guest's doorbell signals, or -1 */
	pthread_t thread; /* sleeps on efd between rounds of work */
	bool started;     /* thread runs and must be joined */
	atomic_bool quit; /* asks the thread to end */
};

/* bell_init: makes the eventfd (no thread yet). Returns 0 or -errno. */
int bell_init(struct bell *b);

/* bell_start: starts fn(arg) on a thread, which calls bell_wait between rounds of work.
 * Returns 0 or an errno. */
int bell_start(struct bell *b, void *(*fn)(void *), void *arg);

/* bell_wait: sleeps until the doorbell rings. Returns true to go on, false when the
 * thread is to end (bell_stop) or the eventfd fails. */
bool bell_wait(struct bell *b);

/* bell_quitting: whether bell_stop asked the thread to end (for a thread that polls). */
bool bell_quitting(struct bell *b);

/* bell_stop: asks the thread to end, wakes it and joins it (if it was started). */
void bell_stop(struct bell *b);

/* bell_close: bell_stop, then closes the eventfd. */
void bell_close(struct bell *b);

#endif
