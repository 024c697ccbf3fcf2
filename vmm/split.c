/* SPDX-License-Identifier: MIT */
/* vmm/split.c: large reads split in two, the second part read at the same time by a
 * helper thread kept off the owner's CPU (see split.h). */
#include "split.h"

#include <errno.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

enum {
	SPLIT_IDLE,   /* no part posted */
	SPLIT_POSTED, /* a part waits for whoever claims it first */
	SPLIT_TAKEN,  /* the helper reads it */
	SPLIT_DONE,   /* the helper has read it: ret and err hold its answer */
	SPLIT_OWNED,  /* the owner took it back to read it itself */
};

/* How long the owner polls for the helper's answer before it sleeps on it, in polls (a
 * load and a pause, about 65 TSC cycles here): the helper, once it has claimed its part,
 * reads on another CPU and ends about when the owner does (SPLIT_LEAD); 5000 polls, some
 * 300,000 cycles, are the helper's whole part of a 1 MiB read. Past them the helper is
 * most likely preempted, and waiting costs no CPU. */
#define SPLIT_SPINS 5000u

static void futex_wait(atomic_uint *word, unsigned val)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(atomic_uint *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* One read of iov[0, n) at off, retried when a signal interrupts it before any byte. */
static ssize_t read_at(int fd, const struct iovec *iov, int n, int64_t off)
{
	ssize_t r;

	do
		r = n == 1 ? pread(fd, iov->iov_base, iov->iov_len, off) : preadv(fd, iov, n, off);
	while (r < 0 && errno == EINTR);
	return r;
}

/* One real-time priority above the caller's, when it runs real-time: the helper then
 * preempts a vCPU of the same priority that spins for the answer (under the default
 * policy, waking up does as much). */
static void raise_priority(void)
{
	struct sched_param sp;
	int pol;

	if (pthread_getschedparam(pthread_self(), &pol, &sp) ||
	    (pol != SCHED_FIFO && pol != SCHED_RR) ||
	    sp.sched_priority >= sched_get_priority_max(pol))
		return;
	sp.sched_priority++;
	pthread_setschedparam(pthread_self(), pol, &sp);
}

static void *split_thread(void *arg)
{
	struct split *s = arg;
	unsigned seen = 0;

	pthread_setname_np(pthread_self(), "split");
	raise_priority();
	for (;;) {
		unsigned want = SPLIT_POSTED, seq;

		while ((seq = atomic_load(&s->seq)) == seen && !atomic_load(&s->quit))
			futex_wait(&s->seq, seen);
		if (atomic_load(&s->quit))
			return NULL;
		seen = seq;
		/* The owner may have taken its part back meanwhile, and posted another. */
		if (!atomic_compare_exchange_strong(&s->state, &want, SPLIT_TAKEN))
			continue;
		s->ret = read_at(s->fd, s->iov, s->n, s->off);
		atomic_store(&s->state, SPLIT_DONE);
		if (atomic_load(&s->waiting))
			futex_wake(&s->state);
	}
}

void split_init(struct split *s)
{
	memset(s, 0, sizeof(*s));
	atomic_store(&s->quit, false);
	atomic_store(&s->seq, 0);
	atomic_store(&s->state, SPLIT_IDLE);
	atomic_store(&s->waiting, false);
	s->cpu = -1;
}

int split_start(struct split *s)
{
	int err;

	if (sched_getaffinity(0, sizeof(s->allowed), &s->allowed) || CPU_COUNT(&s->allowed) < 2) {
		s->alone = true; /* one CPU: nothing to gain */
		return 0;
	}
	err = pthread_create(&s->thread, NULL, split_thread, s);
	s->started = !err;
	return err;
}

void split_stop(struct split *s)
{
	if (!s->started)
		return;
	atomic_store(&s->quit, true);
	atomic_fetch_add(&s->seq, 1);
	futex_wake(&s->seq);
	pthread_join(s->thread, NULL);
	s->started = false;
}

bool split_worth(const struct split *s, uint64_t len)
{
	return s && s->started && !s->alone && len >= SPLIT_MIN;
}

/* Keeps the helper off the owner's CPU, so that it runs beside the owner (on the CPU of
 * the vCPU spinning for the answer, on this project's 2 cores) rather than in its
 * place; set again only when the owner has moved. False when no other CPU is allowed. */
static bool keep_apart(struct split *s)
{
	const int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0 || cpu == s->cpu)
		return true;
	set = s->allowed;
	CPU_CLR(cpu, &set);
	if (!CPU_COUNT(&set))
		return false;
	if (pthread_setaffinity_np(s->thread, sizeof(set), &set))
		return false;
	s->cpu = cpu;
	return true;
}

/* Cuts iov[0, n) at byte at: the first part into a (na buffers), the rest into b (nb). */
static void cut(const struct iovec *iov, int n, size_t at, struct iovec *a, int *na,
		struct iovec *b, int *nb)
{
	*na = *nb = 0;
	for (int i = 0; i < n; i++) {
		const size_t len = iov[i].iov_len;

		if (at >= len) {
			if (len)
				a[(*na)++] = iov[i];
			at -= len;
		} else if (at) {
			a[(*na)++] = (struct iovec){ .iov_base = iov[i].iov_base, .iov_len = at };
			b[(*nb)++] = (struct iovec){ .iov_base = (char *)iov[i].iov_base + at,
						     .iov_len = len - at };
			at = 0;
		} else if (len) {
			b[(*nb)++] = iov[i];
		}
	}
}

/* The helper's answer to the part it claimed, waited for. */
static ssize_t helper_answer(struct split *s)
{
	unsigned spins = 0, st;

	while ((st = atomic_load(&s->state)) != SPLIT_DONE) {
		if (++spins < SPLIT_SPINS) {
			__builtin_ia32_pause();
			continue;
		}
		atomic_store(&s->waiting, true);
		if (atomic_load(&s->state) != SPLIT_DONE)
			futex_wait(&s->state, st);
	}
	atomic_store(&s->waiting, false);
	return s->ret;
}

/* Reads the posted part s->iov here or has the helper read it, beside the owner's own
 * part a (na buffers, half bytes) at off. Returns the bytes in order, or -1 with errno. */
static ssize_t read_halves(struct split *s, int fd, const struct iovec *a, int na, size_t half,
			   int64_t off)
{
	unsigned want = SPLIT_POSTED;
	ssize_t ra, rb;
	int err = 0;

	atomic_store(&s->state, SPLIT_POSTED);
	atomic_fetch_add(&s->seq, 1);
	futex_wake(&s->seq);
	ra = read_at(fd, a, na, off);
	if (ra < 0)
		err = errno;
	if (atomic_compare_exchange_strong(&s->state, &want, SPLIT_OWNED)) {
		/* Not claimed: read here, unless the first part was short (its end is the
		 * file's: what lies past it is not this read's). */
		rb = ra == (ssize_t)half ? read_at(fd, s->iov, s->n, s->off) : 0;
	} else {
		rb = helper_answer(s);
		s->helped++;
	}
	atomic_store(&s->state, SPLIT_IDLE);
	s->reads++;
	if (ra < 0) {
		errno = err;
		return -1;
	}
	/* In order: the second part counts only behind a whole first part; an error
	 * there, after bytes moved, ends the read at those bytes, as readv does. */
	return ra == (ssize_t)half && rb > 0 ? ra + rb : ra;
}

ssize_t split_read(struct split *s, int fd, const struct iovec *iov, int n, int64_t off)
{
	const bool at_pos = off < 0;
	struct iovec a[SPLIT_IOV];
	size_t len = 0, half;
	ssize_t r;
	int na;

	for (int i = 0; i < n; i++)
		len += iov[i].iov_len;
	if (at_pos && (off = lseek(fd, 0, SEEK_CUR)) < 0)
		return -1;
	half = len > SPLIT_LEAD ? ((len + SPLIT_LEAD) / 2) & ~(size_t)4095 : 0;
	if (n <= SPLIT_IOV && half && keep_apart(s)) {
		cut(iov, n, half, a, &na, s->iov, &s->n);
		s->fd = fd;
		s->off = off + (int64_t)half;
		r = read_halves(s, fd, a, na, half, off);
	} else {
		r = read_at(fd, iov, n, off); /* whole, where the owner is */
	}
	if (at_pos && r > 0 && lseek(fd, off + r, SEEK_SET) < 0)
		return -1;
	return r;
}
