/* SPDX-License-Identifier: MIT */
/* vmm/bell.c: a thread asleep on an eventfd doorbell, and its end: quit, one more ring to
 * wake it, join. */
#include "bell.h"

#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

int bell_init(struct bell *b)
{
	b->started = false;
	atomic_store(&b->quit, false);
	b->efd = eventfd(0, EFD_CLOEXEC);
	return b->efd < 0 ? -errno : 0;
}

int bell_start(struct bell *b, void *(*fn)(void *), void *arg)
{
	int err = pthread_create(&b->thread, NULL, fn, arg);

	b->started = !err;
	return err;
}

bool bell_wait(struct bell *b)
{
	uint64_t n;

	while (!atomic_load(&b->quit)) {
		if (read(b->efd, &n, sizeof(n)) >= 0)
			return !atomic_load(&b->quit);
		if (errno != EINTR)
			return false;
	}
	return false;
}

bool bell_quitting(struct bell *b)
{
	return atomic_load(&b->quit);
}

void bell_stop(struct bell *b)
{
	uint64_t one = 1;

	if (!b->started)
		return;
	atomic_store(&b->quit, true);
	if (write(b->efd, &one, sizeof(one)) < 0) { /* a full counter wakes it as well */
	}
	pthread_join(b->thread, NULL);
	b->started = false;
}

void bell_close(struct bell *b)
{
	bell_stop(b);
	if (b->efd >= 0)
		close(b->efd);
	b->efd = -1;
}
