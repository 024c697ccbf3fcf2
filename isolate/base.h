/* SPDX-License-Identifier: MIT */
/* isolate/base.h: what every isolate file uses: exit statuses, --verbose steps, a one-write
 * file helper, and common/'s errors, messages, cleanup attributes and EINTR retries. */
#ifndef ISO_BASE_H
#define ISO_BASE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

/* isolate's exit statuses (README.md and --help document them). */
enum iso_status {
	ISO_USAGE = 2,      /* bad command line: the usage follows */
	ISO_SETUP = 125,    /* setting up the container failed (namespaces, maps, links, mounts) */
	ISO_NOEXEC = 126,   /* PROGRAM exists but cannot be executed */
	ISO_NOTFOUND = 127, /* PROGRAM was not found */
			    /* otherwise PROGRAM's own status, or 128+N when it died of signal N */
};

/* iso_verbose: --verbose; iso_step() prints only when it is set. */
extern bool iso_verbose;

/* iso_step: with --verbose, prints "isolate: [who] message" on stderr, where who is the
 * side doing the step ("host" for isolate itself, "pid 1" for the container's process). */
__attribute__((format(printf, 2, 3))) void iso_step(const char *who, const char *fmt, ...);

/* iso_write_file: writes the string s to the file path (opened O_WRONLY, no O_CREAT) in one
 * write. Returns 0 or -errno. */
int iso_write_file(const char *path, const char *s);

#include "cleanup.h" /* cleanup_free, cleanup_fd, steal_fd, RETRY_EINTR, ARRAY_SIZE */
#include "mv_err.h"  /* struct mv_err, mv_seterr, mv_errprefix: the one error type */
#include "msg.h"     /* warn_msg, die, msg_escape: the messages both tools print */

#endif
