/* isolate/util.h: small helpers every isolate file uses: exit statuses, one-line error
 * messages into a buffer, --verbose steps, cleanup attributes and EINTR retries. */
#ifndef ISO_UTIL_H
#define ISO_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

/* isolate's exit statuses (README.md and --help document them). */
enum iso_status {
	ISO_USAGE = 2,     /* bad command line: the usage follows */
	ISO_SETUP = 125,   /* setting up the container failed (namespaces, maps, links, mounts) */
	ISO_NOEXEC = 126,  /* PROGRAM exists but cannot be executed */
	ISO_NOTFOUND = 127, /* PROGRAM was not found */
	/* otherwise PROGRAM's own status, or 128+N when it died of signal N */
};

#define ISO_ERR_LEN 256 /* room for one error line */

/* iso_verbose: --verbose; iso_step() prints only when it is set. */
extern bool iso_verbose;

/* iso_seterr: formats a one-line reason into err (ISO_ERR_LEN bytes); when errnum is
 * not 0, ": strerror(errnum)" follows. Returns -1, so callers can `return iso_seterr(...)`. */
__attribute__((format(printf, 3, 4))) int iso_seterr(char *err, int errnum, const char *fmt, ...);

/* iso_crlf: stderr is the caller's terminal in raw mode (the pty relay, pty.c): lines end
 * with "\r\n", as the terminal no longer adds the carriage return. */
extern bool iso_crlf;

/* iso_msg: prints "isolate: message" on stderr. */
__attribute__((format(printf, 1, 2))) void iso_msg(const char *fmt, ...);

/* iso_step: with --verbose, prints "isolate: [who] message" on stderr, where who is the
 * side doing the step ("host" for isolate itself, "pid 1" for the container's process). */
__attribute__((format(printf, 2, 3))) void iso_step(const char *who, const char *fmt, ...);

/* iso_escape: s into out (len bytes, always terminated) with what a terminal would act on
 * escaped: control characters as \n, \t, \e or \xNN, and bytes that are not valid UTF-8
 * (or UTF-8's C1 controls) as \xNN; a backslash stays itself. Truncates what does not
 * fit. Returns out. */
char *iso_escape(const char *s, char *out, size_t len);

/* iso_write_file: writes the string s to the file path (opened O_WRONLY, no O_CREAT) in one
 * write. Returns 0 or -errno. */
int iso_write_file(const char *path, const char *s);

#include "cleanup.h" /* cleanup_free, cleanup_fd, steal_fd, RETRY_EINTR, ARRAY_SIZE */

#endif
