/* SPDX-License-Identifier: MIT */
/* isolate/init.c: --init: PID 1 that reaps, forwards signals and exits with PROGRAM's status. */
#include "init.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"

/* Reaps every child that has ended: PROGRAM, or orphans re-parented to us. Returns true
 * when PROGRAM was one of them, its wait status in *status. */
static bool reap_ended(pid_t program, int *status)
{
	bool done = false;
	pid_t p;
	int st;

	while ((p = waitpid(-1, &st, WNOHANG)) > 0)
		if (p == program) {
			*status = st;
			done = true;
		}
	return done;
}

/* PROGRAM has ended (or isolate asks): the rest goes, and is reaped here, so its CPU time
 * counts (processes the kernel kills when a PID 1 exits are reaped without). */
static void end_all(pid_t program, int *status)
{
	kill(-1, SIGKILL);
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, 0);

		if (p == program)
			*status = st;
		else if (p < 0 && errno != EINTR)
			break;
	}
}

void iso_init_loop(pid_t program, const sigset_t *set, int status_fd)
{
	int status = 0;
	siginfo_t si;

	/* The signals stay blocked: a blocked signal is queued even for a PID 1 without a
	 * handler (the kernel drops only signals it would act on by default), and taken
	 * here with sigwaitinfo(). */
	for (;;) {
		int sig = (int)RETRY_EINTR(sigwaitinfo(set, &si));

		if (sig < 0) { /* cannot happen with a valid set: end PROGRAM with the rest */
			status = ISO_SETUP << 8;
			break;
		}
		if (sig == ISO_INIT_KILL) {
			/* isolate's own (sent from outside the namespace: no pid here): end it
			 * all now, reaping everything, so its CPU time counts. */
			if (si.si_code == SI_USER && si.si_pid == 0)
				break;
			continue;
		}
		if (sig != SIGCHLD) {
			/* PROGRAM has a session of its own: a signal reaches it only this way */
			kill(program, sig);
			continue;
		}
		if (reap_ended(program, &status))
			break;
	}
	end_all(program, &status);
	if (RETRY_EINTR(write(status_fd, &status, sizeof(status))) < 0) {
		/* isolate is gone: nobody to tell */
	}
	_exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}
