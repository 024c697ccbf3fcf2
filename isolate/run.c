/* isolate/run.c: clone into new namespaces, set them up from both sides in step (two pipes),
 * exec PROGRAM as PID 1, forward signals to it and hand back its exit status. */
#include "run.h"

#include <fcntl.h>
#include <linux/sched.h> /* struct clone_args, CLONE_NEW* */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "mount.h"
#include "net.h"
#include "userns.h"
#include "util.h"

#define ISO_CLONE_FLAGS (CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | \
			 CLONE_NEWPID | CLONE_NEWNS)

/* Forwarded to PROGRAM. Not the job-control stops (TSTP, TTIN, TTOU): isolate stops
 * with its terminal job like any program. */
static const int fwd_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
				   SIGTERM, SIGWINCH };

/* The child's failure, sent to isolate through the report pipe before it exits. The
 * pipe is close-on-exec: a successful exec closes it empty. */
struct report {
	int status;              /* ISO_SETUP, ISO_NOEXEC or ISO_NOTFOUND */
	char msg[ISO_ERR_LEN];   /* the one line isolate prints */
};

struct child_ctx {
	const struct iso_config *cfg;
	int go_fd;               /* read end: isolate's struct iso_net once maps and veth exist */
	int report_fd;           /* write end of the report pipe */
	sigset_t mask;           /* the signal mask to give PROGRAM: isolate's original one */
};

__attribute__((noreturn)) static void child_fail(const struct child_ctx *c, int status,
						 const char *msg)
{
	struct report r = { .status = status };

	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	/* One write below PIPE_BUF: atomic. If isolate is gone, nobody needs it. */
	if (write(c->report_fd, &r, sizeof(r)) < 0) {
		/* nothing more to do */
	}
	_exit(status);
}

/* The container's own steps: run in its namespaces, with full capabilities there. */
static int child_setup(const struct iso_config *cfg, char *err)
{
	if (iso_mount_setup(err))
		return -1;
	if (sethostname(cfg->hostname, strlen(cfg->hostname)))
		return iso_seterr(err, errno, "cannot set the hostname to '%s'", cfg->hostname);
	iso_step("pid 1", "sethostname(\"%s\"): in this UTS namespace only", cfg->hostname);
	return 0;
}

__attribute__((noreturn)) static void child_main(const struct child_ctx *c)
{
	const struct iso_config *cfg = c->cfg;
	char err[ISO_ERR_LEN];
	struct iso_net net;
	long n;

	/* Die with isolate, whatever kills it. If it died before this line, the go pipe
	 * tells: its write end closes and the read below sees EOF. (getppid() cannot: it is
	 * 0 here, the parent being outside this PID namespace.) */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Without --verbose the mounts and hostname go on while isolate writes the maps and
	 * makes the veth; with it, after, so the steps print in order. */
	if (!cfg->verbose && child_setup(cfg, err))
		child_fail(c, ISO_SETUP, err);
	n = RETRY_EINTR(read(c->go_fd, &net, sizeof(net)));
	if (n != sizeof(net))
		_exit(ISO_SETUP); /* isolate failed or died: it reports, if it can */
	close(c->go_fd);
	iso_step("pid 1", "released: getpid() = %d, getuid() = %d, getgid() = %d (mapped)",
		 (int)getpid(), (int)getuid(), (int)getgid());
	if (cfg->verbose && child_setup(cfg, err))
		child_fail(c, ISO_SETUP, err);
	if (iso_net_container_setup(&net, err))
		child_fail(c, ISO_SETUP, err);
	iso_step("pid 1", "execvp(\"%s\"): PROGRAM becomes PID 1", cfg->argv[0]);
	sigprocmask(SIG_SETMASK, &c->mask, NULL);
	execvp(cfg->argv[0], cfg->argv);
	/* As shells do: 127 when there is no such program, 126 when it cannot run. */
	if (errno == ENOENT) {
		if (strchr(cfg->argv[0], '/'))
			iso_seterr(err, ENOENT, "cannot execute %s", cfg->argv[0]);
		else
			iso_seterr(err, 0, "%s: command not found (in PATH)", cfg->argv[0]);
		child_fail(c, ISO_NOTFOUND, err);
	}
	iso_seterr(err, errno, "cannot execute %s", cfg->argv[0]);
	child_fail(c, ISO_NOEXEC, err);
}

/* --verbose: each new namespace next to the host's (the links name them: type:[inode]). */
static void show_namespaces(pid_t child)
{
	static const char *const ns[] = { "user", "uts", "ipc", "net", "pid", "mnt" };
	char path[64], mine[64], theirs[64];
	long n;

	if (!iso_verbose)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns[i]);
		n = readlink(path, mine, sizeof(mine) - 1);
		mine[n > 0 ? n : 0] = '\0';
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)child, ns[i]);
		n = readlink(path, theirs, sizeof(theirs) - 1);
		theirs[n > 0 ? n : 0] = '\0';
		iso_step("host", "  new %-17s (the host's: %s)", theirs, mine);
	}
}

/* clone3 as fork: the child goes on from here on a copy of our stack. */
static pid_t clone_child(unsigned long long flags)
{
	struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };

	return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

static int clone_error(int e, char *err)
{
	const char *hint = "";

	if (e == ENOSPC)
		hint = ": user namespaces are disabled or used up (/proc/sys/user/max_user_namespaces)";
	else if (e == EPERM)
		hint = ": user namespaces are not allowed here (a sysctl, seccomp or LSM policy, "
		       "or a chroot)";
	else if (e == EUSERS)
		hint = ": user namespaces nested too deep";
	return iso_seterr(err, 0, "cannot create the namespaces (clone3): %s%s", strerror(e), hint);
}

/* Whether process pid has a handler for sig (/proc/PID/status, SigCgt). */
static bool has_handler(pid_t pid, int sig)
{
	char path[64], line[128];
	unsigned long long mask = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return true; /* cannot tell: say nothing */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigCgt: %llx", &mask) == 1)
			break;
	fclose(f);
	return mask & (1ull << (sig - 1));
}

/* Passes sig on to PROGRAM, PID 1 of its namespace. The kernel delivers to a PID 1 only
 * the signals it has a handler for (SIGKILL aside, from outside): say so, once; and a
 * second SIGINT that PID 1 would drop kills the container, so Ctrl-C twice always works
 * (a PROGRAM that handles SIGINT, such as an interpreter's prompt, keeps it). */
static void forward(pid_t child, int sig, const siginfo_t *si, int *dropped_ints,
		    unsigned long long *warned)
{
	/* Terminal signals (Ctrl-C, Ctrl-\, a resize) come from the kernel to the whole
	 * foreground process group, and PROGRAM is in ours: it has them already. */
	bool has_it = si->si_code == SI_KERNEL && getpgid(child) == getpgrp();
	bool handled;

	if (!has_it)
		kill(child, sig);
	iso_step("host", "%s %s PID 1", strsignal(sig),
		 has_it ? "(from the terminal) reached" : "forwarded to");
	if (sig == SIGWINCH) /* ignored by default: nothing to say */
		return;
	handled = has_handler(child, sig);
	if (sig == SIGINT && !handled && ++*dropped_ints >= 2) {
		iso_msg("second SIGINT: killing the container (SIGKILL to its PID 1)");
		kill(child, SIGKILL);
		return;
	}
	if (handled || (*warned & (1ull << sig)))
		return;
	*warned |= 1ull << sig;
	iso_msg("PROGRAM, as PID 1, has no handler for SIG%s, so the kernel drops it%s",
		sigabbrev_np(sig), sig == SIGINT ? "; Ctrl-C again kills the container" : "");
}

/* Waits for PROGRAM, forwarding signals meanwhile; returns its exit status. */
static int wait_child(pid_t child, const sigset_t *set)
{
	int status = 0, dropped_ints = 0;
	unsigned long long warned = 0;
	siginfo_t si;

	for (;;) {
		int sig = (int)RETRY_EINTR(sigwaitinfo(set, &si));

		if (sig < 0) { /* cannot happen with a valid set; never leave PROGRAM behind */
			iso_msg("sigwaitinfo: %s", strerror(errno));
			kill(child, SIGKILL);
			RETRY_EINTR(waitpid(child, &status, 0));
			break;
		}
		if (sig != SIGCHLD) {
			forward(child, sig, &si, &dropped_ints, &warned);
			continue;
		}
		/* SIGCHLD: PROGRAM may have exited. By the time waitpid sees PID 1 exit, the
		 * kernel has killed and reaped everything else in its PID namespace. */
		pid_t r = (pid_t)RETRY_EINTR(waitpid(child, &status, WNOHANG));

		if (r == child)
			break;
		if (r < 0) {
			iso_msg("waitpid: %s", strerror(errno));
			return ISO_SETUP;
		}
	}
	if (WIFSIGNALED(status)) {
		iso_step("host", "PID 1 died of %s: exit status %d", strsignal(WTERMSIG(status)),
			 128 + WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	iso_step("host", "PID 1 exited with status %d", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

int iso_run(const struct iso_config *cfg)
{
	int go[2] = { -1, -1 }, rep[2] = { -1, -1 }, status = ISO_SETUP;
	struct child_ctx c = { .cfg = cfg };
	char err[ISO_ERR_LEN] = "";
	struct iso_net net = { 0 };
	sigset_t wait_set, block_set;
	struct report r;
	pid_t child;
	long n;

	iso_verbose = cfg->verbose;
	/* Signals wait, blocked, until the loop in wait_child() takes them; SIGPIPE too, so a
	 * write to a child that died fails with EPIPE instead of killing isolate. */
	sigemptyset(&wait_set);
	for (size_t i = 0; i < ARRAY_SIZE(fwd_signals); i++)
		sigaddset(&wait_set, fwd_signals[i]);
	sigaddset(&wait_set, SIGCHLD);
	block_set = wait_set;
	sigaddset(&block_set, SIGPIPE);
	signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would reap PROGRAM for us */
	sigprocmask(SIG_BLOCK, &block_set, &c.mask);

	if (pipe2(go, O_CLOEXEC) || pipe2(rep, O_CLOEXEC)) {
		iso_seterr(err, errno, "cannot make the sync pipes");
		goto out;
	}
	child = clone_child(ISO_CLONE_FLAGS);
	if (child < 0) {
		clone_error(errno, err);
		goto out;
	}
	if (child == 0) {
		close(go[1]);
		close(rep[0]);
		c.go_fd = go[0];
		c.report_fd = rep[1];
		child_main(&c);
	}
	close(go[0]);
	close(rep[1]);
	go[0] = rep[1] = -1;
	iso_step("host", "clone3(CLONE_NEWUSER|NEWUTS|NEWIPC|NEWNET|NEWPID|NEWNS): the child is "
		 "pid %d here and pid 1 in its PID namespace; its new user namespace owns the "
		 "other five", (int)child);
	show_namespaces(child);

	/* The maps first: until they exist the child is uid 65534 (nobody) inside. */
	if (iso_userns_map(child, geteuid(), getegid(), err))
		goto fail;
	if (iso_net_host_setup(cfg, child, &net, err))
		goto fail;
	/* Release the child: one write, which also carries what the host side made. */
	iso_step("host", "releasing the child (sync pipe); then waiting for its exec");
	if (RETRY_EINTR(write(go[1], &net, sizeof(net))) != (long)sizeof(net)) {
		iso_seterr(err, errno, "cannot release the container");
		goto fail;
	}
	close(go[1]);
	go[1] = -1;

	/* EOF: PROGRAM was exec'd (the pipe is close-on-exec). A report: the child failed. */
	n = RETRY_EINTR(read(rep[0], &r, sizeof(r)));
	if (n == (long)sizeof(r)) {
		r.msg[sizeof(r.msg) - 1] = '\0';
		snprintf(err, sizeof(err), "%s", r.msg);
		status = r.status;
		goto fail;
	}
	close(rep[0]);
	rep[0] = -1;
	status = wait_child(child, &wait_set);
	if (cfg->wait_teardown)
		iso_net_wait_gone(&net);
	else if (net.veth)
		iso_step("host", "%s and its peer go with the container's network namespace, which "
			 "the kernel tears down asynchronously, a few ms from now (--wait-teardown "
			 "waits)", net.host_if);
	goto out;

fail:
	/* Undo in reverse: the process (which takes its namespaces with it), then the veth,
	 * now, rather than leave it to the namespace's asynchronous teardown. */
	kill(child, SIGKILL);
	RETRY_EINTR(waitpid(child, NULL, 0));
	if (rep[0] >= 0 && status == ISO_SETUP) {
		/* the child may have failed first, making the host fail: its reason wins */
		n = RETRY_EINTR(read(rep[0], &r, sizeof(r)));
		if (n == (long)sizeof(r)) {
			r.msg[sizeof(r.msg) - 1] = '\0';
			snprintf(err, sizeof(err), "%s", r.msg);
			status = r.status;
		}
	}
	iso_net_host_undo(&net);
out:
	if (err[0])
		iso_msg("%s", err);
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (rep[i] >= 0)
			close(rep[i]);
	}
	return status;
}
