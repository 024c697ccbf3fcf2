/* SPDX-License-Identifier: MIT */
/* isolate/oci_hooks.c: runs a config.json's hooks (fork, the state on a pipe to stdin,
 * execve, a wait bounded by the hook's timeout through a pidfd). */
#include "oci_hooks.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base.h"
#include "mv_err.h"

/* Starts the hook in a process group of its own (so that a timeout kills what it started
 * too), with the state on a pipe to its stdin. Returns its pid, or -1 with a reason. */
static pid_t spawn(const struct oci_hook *h, const char *state, struct mv_err *e)
{
	const char *argv0[] = { h->path, NULL }, *noenv[] = { NULL };
	int in[2];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC))
		return mv_seterr(e, errno, "pipe");
	pid = fork();
	if (pid < 0) {
		mv_seterr(e, errno, "fork");
		close(in[0]);
		close(in[1]);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(in[0], 0);
		execve(h->path, (char *const *)(h->args ? h->args : argv0),
		       (char *const *)(h->env ? h->env : noenv));
		_exit(127);
	}
	setpgid(pid, pid); /* also here: the group exists before any kill of it */
	close(in[0]);
	signal(SIGPIPE, SIG_IGN); /* a hook that does not read its stdin */
	if (write(in[1], state, strlen(state)) < 0) {
		/* the hook did not read: its exit status says the rest */
	}
	close(in[1]);
	return pid;
}

/* Waits for the hook, at most its timeout: past it, its whole group is killed. */
static int wait_hook(const struct oci_hook *h, pid_t pid, struct mv_err *e)
{
	cleanup_fd int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int status = 0;

	if (h->timeout && pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };

		if (RETRY_EINTR(poll(&p, 1, h->timeout * 1000)) == 0) {
			kill(-pid, SIGKILL);
			RETRY_EINTR(waitpid(pid, NULL, 0));
			return mv_seterr(e, 0, "timed out after %d s (killed)", h->timeout);
		}
	}
	if (RETRY_EINTR(waitpid(pid, &status, 0)) < 0)
		return mv_seterr(e, errno, "waitpid");
	if (WIFSIGNALED(status))
		return mv_seterr(e, 0, "killed by signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status))
		return mv_seterr(e, 0, "exit status %d%s", WEXITSTATUS(status),
				 WEXITSTATUS(status) == 127 ? " (or it could not be executed)"
							    : "");
	return 0;
}

int oci_hooks_run(const struct oci_spec *s, enum oci_hook_kind k, const char *state,
		  struct mv_err *err)
{
	struct mv_err why = { "" };

	for (size_t i = 0; i < s->n_hooks[k]; i++) {
		pid_t pid = spawn(&s->hooks[k][i], state, &why);

		if (pid < 0 || wait_hook(&s->hooks[k][i], pid, &why))
			return mv_seterr(err, 0, "hooks.%s[%zu] %s: %.160s", oci_hook_name(k), i,
					 s->hooks[k][i].path, why.msg);
	}
	return 0;
}
