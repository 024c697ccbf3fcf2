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

static int run_one(const struct oci_hook *h, const char *state, char *why, size_t len)
{
	const char *argv0[] = { h->path, NULL }, *noenv[] = { NULL };
	int in[2], status = 0;
	cleanup_fd int pidfd = -1;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC)) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(in[0], 0);
		execve(h->path, (char *const *)(h->args ? h->args : argv0),
		       (char *const *)(h->env ? h->env : noenv));
		_exit(127);
	}
	close(in[0]);
	signal(SIGPIPE, SIG_IGN); /* a hook that does not read its stdin */
	if (write(in[1], state, strlen(state)) < 0) {
		/* the hook did not read: its exit status says the rest */
	}
	close(in[1]);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (h->timeout && pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };

		if (RETRY_EINTR(poll(&p, 1, h->timeout * 1000)) == 0) {
			kill(pid, SIGKILL);
			RETRY_EINTR(waitpid(pid, NULL, 0));
			snprintf(why, len, "timed out after %d s (killed)", h->timeout);
			return -1;
		}
	}
	if (RETRY_EINTR(waitpid(pid, &status, 0)) < 0) {
		snprintf(why, len, "waitpid: %s", strerror(errno));
		return -1;
	}
	if (WIFSIGNALED(status)) {
		snprintf(why, len, "killed by signal %d", WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status)) {
		snprintf(why, len, "exit status %d%s", WEXITSTATUS(status),
			 WEXITSTATUS(status) == 127 ? " (or it could not be executed)" : "");
		return -1;
	}
	return 0;
}

int oci_hooks_run(const struct oci_spec *s, enum oci_hook_kind k, const char *state, char *err)
{
	char why[160];

	for (size_t i = 0; i < s->n_hooks[k]; i++)
		if (run_one(&s->hooks[k][i], state, why, sizeof(why)))
			return iso_seterr(err, 0, "hooks.%s[%zu] %s: %s", oci_hook_name(k), i,
					  s->hooks[k][i].path, why);
	return 0;
}
