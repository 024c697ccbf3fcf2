/* SPDX-License-Identifier: MIT */
/* common/cleanup.h: the helpers both tools share: cleanup attributes that release memory
 * and fds on every path, steal_fd, EINTR retries and ARRAY_SIZE. */
#ifndef MINIVIRT_CLEANUP_H
#define MINIVIRT_CLEANUP_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}
static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define cleanup_free __attribute__((cleanup(cleanup_freep)))
#define cleanup_fd __attribute__((cleanup(cleanup_closep)))

/* steal_fd: hands an fd out of a cleanup_fd variable. */
static inline int steal_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

#define RETRY_EINTR(expr)                           \
	({                                          \
		long _r;                            \
		do                                  \
			_r = (long)(expr);          \
		while (_r == -1 && errno == EINTR); \
		_r;                                 \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
