/* SPDX-License-Identifier: MIT */
/* vmm/util.h: small helpers every VMM file uses: dying with a status, allocation,
 * cleanup attributes and EINTR retries. */
#ifndef VMM_UTIL_H
#define VMM_UTIL_H

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

/* The VMM's exit statuses (documented in README.md and --help). */
enum vmm_status {
	VMM_OK = 0,            /* also: the guest's own exit(status), passed through */
	VMM_CHECK_FAILED = 1,  /* the guest ran, but a result check (the two 42s) failed */
	VMM_USAGE = 2,         /* bad command line */
	VMM_NO_KVM = 120,      /* /dev/kvm missing, not permitted, or its API too old */
	VMM_UNSUPPORTED = 121, /* this host's KVM refuses the requested CPU mode */
	VMM_GUEST_FAULT = 122, /* the guest crashed or made an exit the VMM does not handle */
	VMM_GUEST_FAIL = 123,  /* the guest reported a failed assertion (report hypercall) */
	VMM_TIMEOUT = 124,     /* the guest ran past --timeout (as timeout(1) does) */
	VMM_HOST_ERROR = 125,  /* a host resource failed (memory, thread, ioctl) */
	VMM_BAD_GUEST = 126,   /* the guest file cannot be loaded (not readable, bad ELF...) */
	VMM_NO_GUEST = 127,    /* the guest file does not exist */
			       /* 128+N: stopped by signal N (SIGINT, SIGTERM, SIGHUP) */
};

/* xcalloc: calloc that dies with VMM_HOST_ERROR when memory runs out. */
void *xcalloc(size_t n, size_t size);

/* fmt_size: "2 MiB", "64 KiB", "1 GiB" or "12345 bytes" for size, into buf. */
const char *fmt_size(unsigned long long size, char *buf, size_t len);

#include "cleanup.h" /* cleanup_free, cleanup_fd, steal_fd, RETRY_EINTR, ARRAY_SIZE */
#include "msg.h"     /* progname, die, die_errno, warn_msg: the messages both tools print */

#endif
