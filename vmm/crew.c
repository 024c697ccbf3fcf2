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

	*c = (struct crew){ .step = CREW_BUILD, .fn = fn, .arg = arg };
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->thread = xcalloc(n, sizeof(*c->thread));
	c->start = s;
	for (c->n = 0; c->n < n; c->n++) {
		s[c->n] = (struct crew_start){ .c = c, .j = c->n };
		err = pthread_create(&c->thread[c->n], NULL, crew_thread, &s[c->n]);
		if (err)
			break;
	}
	if (err) {
		*failed = c->n;
		crew_join(c);
	}
	return err;
}

bool crew_next(struct crew *c, enum crew_step step)
{
	bool go;

	pthread_mutex_lock(&c->lock);
	c->arrived[step]++;
	pthread_cond_broadcast(&c->cond);
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
		pthread_cond_wait(&c->cond, &c->lock);
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
	for (unsigned j = 0; j < c->n; j++)
		pthread_join(c->thread[j], NULL);
	free(c->thread);
	free(c->start);
	c->thread = NULL;
	c->start = NULL;
	c->n = 0;
}
