/* SPDX-License-Identifier: MIT */
/* isolate/pty_relay.h: the container's own pseudo-terminal, when isolate's stdin is a terminal:
 * made before the clone, handed to PROGRAM as its controlling terminal, and relayed to and
 * from the caller's terminal (raw while PROGRAM runs, restored on every way out). */
#ifndef ISO_PTY_H
#define ISO_PTY_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#include "mv_err.h"

#define ISO_PTY_BUF 4096

/* One direction of the relay: bytes read from `from`, not yet written to `to`. */
struct iso_pty_pipe {
	int from, to; /* the fds: stdin -> master, or master -> the terminal */
	char buf[ISO_PTY_BUF];
	size_t off, len; /* buf[off, len) is still to be written */
	bool eof;        /* `from` is done (EOF, hangup or an error) */
};

struct iso_pty {
	bool active;            /* stdin is a terminal: the container gets a pty */
	int master;             /* the pty's master (isolate's side), non-blocking, or -1 */
	int slave;              /* its slave, until the child has it, or -1 */
	unsigned tty_fds;       /* 1 << fd for each of fds 0-2 that is the caller's terminal */
	bool raw;               /* the caller's terminal is in raw mode: `saved` restores it */
	struct termios saved;   /* the caller's terminal settings */
	struct iso_pty_pipe in; /* stdin -> master */
	struct iso_pty_pipe
		out; /* master -> the caller's terminal (stdout, else stderr or stdin) */
};

/* iso_pty_open: when fd 0 is a terminal, makes the pty (its settings and size the caller
 * terminal's); else p->active is false and nothing is made. Returns 0, or -1 with a
 * reason in err. */
int iso_pty_open(struct iso_pty *p, struct mv_err *err);

/* iso_pty_child: in the container's process, before the exec: the slave replaces each of
 * fds 0-2 that was the caller's terminal, and with take_ctty the calling process (a
 * session leader without a terminal) makes it its controlling terminal. Nothing without
 * a pty. Returns 0, or -1 with a reason in err. */
int iso_pty_child(struct iso_pty *p, bool take_ctty, struct mv_err *err);

/* iso_pty_take_ctty: the calling session leader makes fd 0, the pty, its controlling
 * terminal (--init: PROGRAM's own session). Returns 0, or -1 with a reason in err. */
int iso_pty_take_ctty(const struct iso_pty *p, struct mv_err *err);

/* iso_pty_parent: isolate's side once the child holds the slave: closes isolate's copy
 * (so the master sees the end when the container's last copy goes). */
void iso_pty_parent(struct iso_pty *p);

/* iso_pty_raw: puts the caller's terminal in raw mode (keys go to the container's pty,
 * Ctrl-C included) and starts the relay. */
void iso_pty_raw(struct iso_pty *p);

/* iso_pty_resize: gives the pty the caller's terminal size (at the start, on SIGWINCH);
 * the kernel then signals SIGWINCH to the container's foreground job itself. */
void iso_pty_resize(const struct iso_pty *p);

/* iso_pty_pollfds: fills pfd (room for 4) with what the relay waits for. Returns how
 * many. */
int iso_pty_pollfds(const struct iso_pty *p, struct pollfd *pfd);

/* iso_pty_relay: moves what poll (over iso_pty_pollfds' entries, n of them) says is
 * ready, without blocking on the pty. */
void iso_pty_relay(struct iso_pty *p, const struct pollfd *pfd, int n);

/* iso_pty_drain: PROGRAM has ended: what it wrote last reaches the caller's terminal. */
void iso_pty_drain(struct iso_pty *p);

/* iso_pty_close: restores the caller's terminal settings and closes the pty. Safe to
 * call more than once, and without a pty. */
void iso_pty_close(struct iso_pty *p);

#endif
