/* SPDX-License-Identifier: MIT */
/* vmm/crew.c: a thread per instance, through the run's steps in step with the others. */
#include "crew.h"

#include <stdlib.h>

#include "util.h"

struct crew_start {
	struct crew *c;
	unsigned j;
};

static void *crew_thread(void *arg)
{
	struct crew_start *s = arg;

	s->c->fn(s->c, s->j, s->c->arg);
	return NULL;
}

int crew_start(struct crew *c, unsigned n, void (*fn)(struct crew *c, unsigned j, void *arg),
	       void *arg, unsigned *failed)
{
	struct crew_start *s = xcalloc(n, sizeof(*s));
	int err = 0;

	*c = (struct crew){ .step = CREW_BUILD, .n = n, .fn = fn, .arg = arg };
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	pthread_cond_init(&c->arrival, NULL);
	c->thread = xcalloc(n, sizeof(*c->thread));
	c->start = s;
	for (c->started = 0; c->started < n; c->started++) {
		s[c->started] = (struct crew_start){ .c = c, .j = c->started };
		err = pthread_create(&c->thread[c->started], NULL, crew_thread, &s[c->started]);
		if (err)
			break;
	}
	if (err) {
		*failed = c->started;
		crew_join(c);
	}
	return err;
}

bool crew_next(struct crew *c, enum crew_step step)
{
	bool go;

	pthread_mutex_lock(&c->lock);
	if (++c->arrived[step] == c->n)
		pthread_cond_signal(&c->arrival); /* the last one: the main thread may wait */
	while (c->step < step)
		pthread_cond_wait(&c->cond, &c->lock);
	go = c->step == step;
	pthread_mutex_unlock(&c->lock);
	return go;
}

void crew_wait(struct crew *c, enum crew_step step)
{
	pthread_mutex_lock(&c->lock);
	while (c->arrived[step] < c->n)
		pthread_cond_wait(&c->arrival, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

void crew_allow(struct crew *c, enum crew_step step)
{
	pthread_mutex_lock(&c->lock);
	c->step = step;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

void crew_join(struct crew *c)
{
	pthread_mutex_lock(&c->lock);
	if (c->step != CREW_TEARDOWN) /* a thread tearing down finishes it */
		c->step = CREW_QUIT;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	for (unsigned j = 0; j < c->started; j++)
		pthread_join(c->thread[j], NULL);
	pthread_cond_destroy(&c->arrival);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	free(c->thread);
	free(c->start);
	c->thread = NULL;
	c->start = NULL;
	c->started = 0;
}
