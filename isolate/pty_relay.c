/* SPDX-License-Identifier: MIT */
/* isolate/pty_relay.c: the container's own pseudo-terminal and its relay to the caller's terminal. */
#include "pty_relay.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "base.h"

int iso_pty_open(struct iso_pty *p, struct mv_err *err)
{
	struct termios t;
	struct winsize ws;
	char name[64];

	memset(p, 0, sizeof(*p));
	p->master = p->slave = -1;
	p->in.from = p->in.to = p->out.from = p->out.to = -1;
	/* Only for a foreground job: in the background (isolate ... &), the raw mode and the
	 * reads would stop isolate (SIGTTOU, SIGTTIN), as they stop any program there. */
	if (!isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp())
		return 0; /* plain fds, as they are */
	for (int fd = 0; fd <= 2; fd++)
		if (isatty(fd))
			p->tty_fds |= 1u << fd;
	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->master < 0)
		return mv_seterr(err, errno,
				 "cannot make a pseudo-terminal for the container "
				 "(/dev/ptmx)");
	if (grantpt(p->master) || unlockpt(p->master) || ptsname_r(p->master, name, sizeof(name))) {
		mv_seterr(err, errno,
			  "cannot make a pseudo-terminal for the container "
			  "(unlockpt)");
		goto fail;
	}
	p->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->slave < 0) {
		mv_seterr(err, errno, "cannot open the container's pseudo-terminal %s", name);
		goto fail;
	}
	/* The container's terminal starts as the caller's was: its modes and its size. */
	if (!tcgetattr(STDIN_FILENO, &t))
		tcsetattr(p->slave, TCSANOW, &t);
	if (!ioctl(STDIN_FILENO, TIOCGWINSZ, &ws))
		ioctl(p->slave, TIOCSWINSZ, &ws);
	/* isolate never blocks on the pty: it also has signals and limits to see to */
	fcntl(p->master, F_SETFL, fcntl(p->master, F_GETFL) | O_NONBLOCK);
	p->active = true;
	p->in.from = STDIN_FILENO;
	p->in.to = p->master;
	p->out.from = p->master;
	/* PROGRAM's output comes back to the caller's terminal: stdout when it is one, else
	 * stderr, else stdin itself (a terminal is opened for reading and writing) */
	p->out.to = p->tty_fds & 2 ? STDOUT_FILENO : p->tty_fds & 4 ? STDERR_FILENO : STDIN_FILENO;
	iso_step("host",
		 "stdin is a terminal: the container gets a pseudo-terminal of its own "
		 "(%s), relayed by isolate",
		 name);
	return 0;
fail:
	close(p->master);
	p->master = -1;
	return -1;
}

int iso_pty_take_ctty(const struct iso_pty *p, struct mv_err *err)
{
	if (!p->active)
		return 0;
	if (ioctl(STDIN_FILENO, TIOCSCTTY, 0))
		return mv_seterr(err, errno,
				 "cannot make the pseudo-terminal the controlling "
				 "terminal (TIOCSCTTY)");
	return 0;
}

int iso_pty_child(struct iso_pty *p, bool take_ctty, struct mv_err *err)
{
	if (!p->active)
		return 0;
	for (int fd = 0; fd <= 2; fd++)
		if ((p->tty_fds & (1u << fd)) && dup2(p->slave, fd) < 0)
			return mv_seterr(err, errno, "cannot give the pseudo-terminal to fd %d",
					 fd);
	close(p->slave);
	close(p->master);
	p->slave = p->master = -1;
	return take_ctty ? iso_pty_take_ctty(p, err) : 0;
}

void iso_pty_parent(struct iso_pty *p)
{
	if (p->slave >= 0)
		close(p->slave);
	p->slave = -1;
}

void iso_pty_raw(struct iso_pty *p)
{
	struct termios t;

	if (!p->active || tcgetattr(STDIN_FILENO, &p->saved))
		return;
	t = p->saved;
	cfmakeraw(&t);
	/* TCSADRAIN: what isolate printed so far goes out in the old mode */
	if (!tcsetattr(STDIN_FILENO, TCSADRAIN, &t)) {
		p->raw = true;
		msg_crlf = isatty(STDERR_FILENO); /* isolate's own lines: \r\n now */
	}
	iso_pty_resize(p);
}

void iso_pty_resize(const struct iso_pty *p)
{
	struct winsize ws;

	if (p->active && p->master >= 0 && !ioctl(STDIN_FILENO, TIOCGWINSZ, &ws))
		ioctl(p->master, TIOCSWINSZ, &ws);
}

int iso_pty_pollfds(const struct iso_pty *p, struct pollfd *pfd)
{
	int n = 0;

	if (!p->active || p->master < 0)
		return 0;
	/* one buffer each way: read again only once what was read has been written */
	if (p->in.len)
		pfd[n++] = (struct pollfd){ .fd = p->in.to, .events = POLLOUT };
	else if (!p->in.eof)
		pfd[n++] = (struct pollfd){ .fd = p->in.from, .events = POLLIN };
	if (p->out.len)
		pfd[n++] = (struct pollfd){ .fd = p->out.to, .events = POLLOUT };
	else if (!p->out.eof)
		pfd[n++] = (struct pollfd){ .fd = p->out.from, .events = POLLIN };
	return n;
}

/* Reads into an empty buffer. EOF, a hangup (EIO: the container's side is closed) or an
 * error ends the direction; EAGAIN only waits. */
static void fill(struct iso_pty_pipe *d)
{
	ssize_t n = RETRY_EINTR(read(d->from, d->buf, sizeof(d->buf)));

	if (n > 0) {
		d->off = 0;
		d->len = (size_t)n;
	} else if (n == 0 || errno != EAGAIN) {
		d->eof = true;
	}
}

/* Writes what the buffer holds, as much as goes; a failed write drops it and ends the
 * direction (nobody is there to read it). */
static void flush(struct iso_pty_pipe *d)
{
	ssize_t n = RETRY_EINTR(write(d->to, d->buf + d->off, d->len - d->off));

	if (n > 0) {
		d->off += (size_t)n;
		if (d->off == d->len)
			d->off = d->len = 0;
	} else if (n < 0 && errno != EAGAIN) {
		d->off = d->len = 0;
		d->eof = true;
	}
}

void iso_pty_relay(struct iso_pty *p, const struct pollfd *pfd, int n)
{
	for (int i = 0; i < n; i++) {
		struct iso_pty_pipe *d;

		if (!pfd[i].revents)
			continue;
		if (pfd[i].events & POLLOUT)
			d = pfd[i].fd == p->in.to && p->in.len ? &p->in : &p->out;
		else
			d = pfd[i].fd == p->in.from && !p->in.len ? &p->in : &p->out;
		if (pfd[i].events & POLLOUT)
			flush(d);
		else
			fill(d);
		if (d == &p->in && p->in.eof && p->master >= 0) {
			/* the caller's terminal hung up: so does the container's, as when a
			 * terminal closes (its session leader gets SIGHUP from the kernel, and an
			 * interactive shell exits) */
			iso_step("host",
				 "the caller's terminal is gone: hanging up the container's");
			close(p->master);
			p->master = -1;
			p->out.eof = true;
			p->out.off = p->out.len = 0;
			return;
		}
	}
}

void iso_pty_drain(struct iso_pty *p)
{
	if (!p->active || p->master < 0)
		return;
	/* The container is gone (the kernel reaped it with its PID 1): the master holds what
	 * it wrote last, then says EIO. Blocking writes to the caller's terminal. */
	for (int rounds = 0; rounds < 4096; rounds++) {
		while (p->out.len && !p->out.eof) {
			size_t before = p->out.off;

			flush(&p->out);
			if (p->out.len && p->out.off == before) {
				struct pollfd w = { .fd = p->out.to, .events = POLLOUT };

				if (poll(&w, 1, 1000) <= 0)
					return; /* the terminal takes nothing: give up */
			}
		}
		if (p->out.eof)
			return;
		fill(&p->out);
		if (!p->out.len)
			return; /* EAGAIN: nothing more now, EIO: nothing more ever */
	}
}

void iso_pty_close(struct iso_pty *p)
{
	if (p->raw && tcsetattr(STDIN_FILENO, TCSADRAIN, &p->saved) == 0)
		p->raw = false;
	msg_crlf = false;
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
	p->master = p->slave = -1;
}
