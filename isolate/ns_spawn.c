/* SPDX-License-Identifier: MIT */
/* isolate/ns_spawn.c: a child in new namespaces (clone3) and the two pipes that keep it in
 * step with its parent, for `isolate PROGRAM` and the OCI commands alike. */
#include "ns_spawn.h"

#include <fcntl.h>
#include <linux/sched.h> /* struct clone_args, CLONE_INTO_CGROUP */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"

void iso_spawn_init(struct iso_spawn *sp)
{
	sp->pid = -1;
	sp->release[0] = sp->release[1] = -1;
	sp->report[0] = sp->report[1] = -1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int clone_error(int e, struct mv_err *err)
{
	const char *hint = "";

	if (e == ENOSPC)
		hint = ": user namespaces are disabled or used up (/proc/sys/user/max_user_namespaces)";
	else if (e == EPERM)
		hint = ": user namespaces are not allowed here (a sysctl, seccomp or LSM policy, "
		       "or a chroot)";
	else if (e == EUSERS)
		hint = ": user namespaces nested too deep";
	return mv_seterr(err, 0, "cannot create the namespaces (clone3): %s%s", strerror(e), hint);
}

int iso_spawn_clone(struct iso_spawn *sp, unsigned long long flags, int cgroup_fd, struct mv_err *e)
{
	/* clone3 as fork: the child goes on from here on a copy of our stack; in a cgroup from
	 * its start (CLONE_INTO_CGROUP), so nothing ever moves. */
	struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };

	if (pipe2(sp->release, O_CLOEXEC) || pipe2(sp->report, O_CLOEXEC))
		return mv_seterr(e, errno, "cannot make the sync pipes");
	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (unsigned long long)cgroup_fd;
	}
	fflush(NULL); /* nothing buffered is written twice */
	sp->pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (sp->pid < 0)
		return clone_error(errno, e);
	if (sp->pid == 0) {
		close_fd(&sp->release[1]);
		close_fd(&sp->report[0]);
	} else {
		close_fd(&sp->release[0]);
		close_fd(&sp->report[1]);
	}
	return 0;
}

void iso_spawn_fail(int fd, int status, const char *msg)
{
	struct iso_spawn_msg m = { .status = status };

	snprintf(m.msg, sizeof(m.msg), "%s", msg);
	/* One write below PIPE_BUF: atomic. If the parent is gone, nobody needs it. */
	if (write(fd, &m, sizeof(m)) < 0) {
		/* nothing more to do */
	}
	_exit(status);
}

int iso_spawn_ready(int fd)
{
	struct iso_spawn_msg m = { .status = 0 };

	return write(fd, &m, sizeof(m)) == (long)sizeof(m) ? 0 : -1;
}

int iso_spawn_release(struct iso_spawn *sp, const void *data, size_t len)
{
	if (RETRY_EINTR(write(sp->release[1], data, len)) != (long)len)
		return -1;
	return 0;
}

int iso_spawn_report(struct iso_spawn *sp, struct iso_spawn_msg *m)
{
	long n;

	if (sp->report[0] < 0)
		return 0;
	n = RETRY_EINTR(read(sp->report[0], m, sizeof(*m)));
	close_fd(&sp->report[0]);
	if (n != (long)sizeof(*m))
		return 0;
	m->msg[sizeof(m->msg) - 1] = '\0';
	return 1;
}

void iso_spawn_kill(struct iso_spawn *sp)
{
	if (sp->pid <= 0)
		return;
	kill(sp->pid, SIGKILL);
	RETRY_EINTR(waitpid(sp->pid, NULL, 0));
}

void iso_spawn_close(struct iso_spawn *sp)
{
	for (int i = 0; i < 2; i++) {
		close_fd(&sp->release[i]);
		close_fd(&sp->report[i]);
	}
}
